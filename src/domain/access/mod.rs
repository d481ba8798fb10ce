//! What an access token may see and do: the logic behind the `/access` page.
//!
//! A Portainer token has no scope and no expiry: it carries all of its user's rights. Everything
//! here is derived from answers Portlight has already fetched (no calls), so the page, its
//! Markdown/JSON exports and the tests share one [`AccessReport`]. The raw token never enters:
//! only its 7-character [`TokenPrefix`], which Portainer itself shows in token lists.

pub mod areas;
pub mod environments;
pub mod everyone;
pub mod everyone_view;
pub mod export;
pub mod report;
pub mod stacks;
pub mod token;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

pub use areas::{area_grid, verify_outcome, Agreement, Area, AreaRow};
pub use environments::{
    environment_access, environment_rights, environment_rows, grants, kind_label, reaches,
    AccessSource, EnvironmentRow, NamesAndGroups, Right, RightCell,
};
pub use export::{to_json, to_markdown};
pub use report::{build_report, AccessInputs, AccessReport, TeamRow, Who};
pub use stacks::{stack_groups, Gate, StackAccessRow, StackGroup, StackVisibility};
pub use token::{identify_token, OtherToken, TokenInfo, TokenLookup, TokenPrefix, TokenReport};

use serde::Serialize;

/// An answer Portlight fetched, or why it could not: the report states failures instead of
/// failing itself.
pub type Fetched<T> = Result<T, String>;

/// One cell of a grid. Each has a symbol and a word so the page never relies on colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Allowed,
    Denied,
    Partial,
    NotApplicable,
}

impl Mark {
    pub const fn symbol(self) -> &'static str {
        match self {
            Self::Allowed => "✔",
            Self::Denied => "✘",
            Self::Partial => "◐",
            Self::NotApplicable => "–",
        }
    }

    pub const fn word(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Denied => "denied",
            Self::Partial => "partial",
            Self::NotApplicable => "not applicable",
        }
    }

    /// `"✔ allowed"`: symbol and word together.
    pub fn label(self) -> String {
        format!("{} {}", self.symbol(), self.word())
    }

    fn of(allowed: bool) -> Self {
        if allowed {
            Self::Allowed
        } else {
            Self::Denied
        }
    }
}
