//! The stack browser's view state (search, filters, sort, page, selection), one file per job:
//! `url` reads and writes it as the URL query (so a bookmark reopens the same view), `sort`
//! orders the rows once per sort change, `filter` makes each keystroke's [`ListView`] in one
//! pass over that order, and `pagination` cuts the page.

mod filter;
mod pagination;
mod sort;
mod url;

#[cfg(test)]
mod tests;

pub use filter::{list_view, list_view_of, search_terms, FacetCounts, ListView, Searched};
pub use pagination::Pagination;
pub use sort::{name_ranks, sort_order, sort_order_ranked};
pub use url::{stack_status_url_name, stack_type_url_name};

use super::ownership::OwnershipKind;
use super::stack_health::HealthClass;
use super::stack_rows::SourceKind;
use crate::portainer::{StackStatus, StackType};
use std::collections::BTreeSet;

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 500;

/// One per column of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SortKey {
    #[default]
    Name,
    Environment,
    Type,
    Status,
    Source,
    Ownership,
    /// Creation date, then creator.
    Created,
    /// Update date, then updater.
    Updated,
}

impl SortKey {
    pub const ALL: [Self; 8] = [
        Self::Name,
        Self::Environment,
        Self::Type,
        Self::Status,
        Self::Source,
        Self::Ownership,
        Self::Created,
        Self::Updated,
    ];

    /// Stable name in URLs (`sort=updated`).
    pub const fn url_name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Environment => "env",
            Self::Type => "type",
            Self::Status => "status",
            Self::Source => "source",
            Self::Ownership => "own",
            Self::Created => "created",
            Self::Updated => "updated",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.url_name() == name)
    }

    /// Column header.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Environment => "Environment",
            Self::Type => "Type",
            Self::Status => "Status",
            Self::Source => "Source",
            Self::Ownership => "Ownership",
            Self::Created => "Created",
            Self::Updated => "Updated",
        }
    }
}

/// Stack types as filter values (`type=compose`).
pub const STACK_TYPES: [StackType; 3] = [
    StackType::DockerSwarm,
    StackType::DockerCompose,
    StackType::Kubernetes,
];
pub const STACK_STATUSES: [StackStatus; 2] = [StackStatus::Active, StackStatus::Inactive];

/// Everything that decides what the list shows. An empty filter set means "any".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackQuery {
    /// As typed (whitespace kept, so the search box is not rewritten under the cursor).
    pub search: String,
    pub envs: BTreeSet<u32>,
    pub types: BTreeSet<StackType>,
    pub statuses: BTreeSet<StackStatus>,
    pub sources: BTreeSet<SourceKind>,
    pub ownership: BTreeSet<OwnershipKind>,
    /// Health classes (see `stack_health`); ignored while health is not checked.
    pub health: BTreeSet<HealthClass>,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based; [`list_view`] clamps it to the last page.
    pub page: u32,
    pub per_page: u32,
    /// Stack id of the selected row.
    pub selected: Option<u32>,
}

impl Default for StackQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            envs: BTreeSet::new(),
            types: BTreeSet::new(),
            statuses: BTreeSet::new(),
            sources: BTreeSet::new(),
            ownership: BTreeSet::new(),
            health: BTreeSet::new(),
            sort: SortKey::Name,
            descending: false,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            selected: None,
        }
    }
}

impl StackQuery {
    /// A column header click: the same column flips direction, another starts ascending.
    /// Either way the list goes back to its first page.
    pub fn toggle_sort(&mut self, key: SortKey) {
        if self.sort == key {
            self.descending = !self.descending;
        } else {
            self.sort = key;
            self.descending = false;
        }
        self.page = 1;
    }

    pub fn has_filters(&self) -> bool {
        !(self.search.trim().is_empty()
            && self.envs.is_empty()
            && self.types.is_empty()
            && self.statuses.is_empty()
            && self.sources.is_empty()
            && self.ownership.is_empty()
            && self.health.is_empty())
    }
}
