//! "This token": found by its 7-character prefix in `GET /api/users/{id}/tokens` (§2.7).

use super::Fetched;
use crate::domain::time::format_utc;
use crate::portainer::{token_prefix, AccessToken};
use serde::Serialize;

/// The first 7 characters of a token: what Portainer shows as `prefix`, and all of the token
/// the report ever holds, so an export cannot leak the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TokenPrefix(String);

impl TokenPrefix {
    pub fn of(token: &str) -> Self {
        Self(token_prefix(token.trim()).to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An entry of the user's token list, without the id Portainer uses to delete it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub description: String,
    pub prefix: String,
    /// Unix seconds.
    pub created: i64,
    pub created_utc: String,
    /// Unix seconds; `None` when never used.
    pub last_used: Option<i64>,
    /// "never" when never used. Portainer updates it at most once a minute.
    pub last_used_utc: String,
}

impl From<&AccessToken> for TokenInfo {
    fn from(t: &AccessToken) -> Self {
        Self {
            description: t.description.clone(),
            prefix: t.prefix.clone(),
            created: t.date_created,
            created_utc: format_utc(t.date_created),
            last_used: (t.last_used > 0).then_some(t.last_used),
            last_used_utc: if t.last_used > 0 {
                format_utc(t.last_used)
            } else {
                "never".into()
            },
        }
    }
}

/// Another token of the same user: what identifies it, nothing more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OtherToken {
    pub description: String,
    pub prefix: String,
}

/// How the search in the token list ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TokenLookup {
    Found,
    /// Several entries share the prefix; they cannot be told apart.
    Collision {
        count: usize,
    },
    /// The list was read, but no entry has this prefix.
    NotListed,
    /// The list could not be read.
    ListFailed {
        error: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenReport {
    pub prefix: TokenPrefix,
    pub lookup: TokenLookup,
    /// A plain sentence on the lookup, for the page.
    pub lookup_text: String,
    /// This token's entry; `None` unless exactly one entry matches.
    pub this: Option<TokenInfo>,
    /// The user's other tokens (with every candidate on a collision).
    pub others: Vec<OtherToken>,
    /// "never expires; carries all of alice's rights".
    pub rights_statement: String,
}

/// Finds the token in its user's token list with [`AccessToken::matches`].
pub fn identify_token(
    prefix: &TokenPrefix,
    username: &str,
    tokens: &Fetched<Vec<AccessToken>>,
) -> TokenReport {
    let rights_statement = format!(
        "This token never expires and has no scope: it carries all of {username}'s rights, \
         until it is deleted in Portainer."
    );
    let mut report = TokenReport {
        prefix: prefix.clone(),
        lookup: TokenLookup::NotListed,
        lookup_text: String::new(),
        this: None,
        others: Vec::new(),
        rights_statement,
    };
    let list = match tokens {
        Ok(list) => list,
        Err(error) => {
            report.lookup_text = format!(
                "{username}'s token list could not be read ({error}). Portainer lets a user list \
                 their own tokens, and an administrator those of non-administrators only."
            );
            report.lookup = TokenLookup::ListFailed {
                error: error.clone(),
            };
            return report;
        }
    };
    let p = prefix.as_str();
    let matching = list.iter().filter(|t| t.matches(p)).count();
    for t in list {
        if matching == 1 && t.matches(p) {
            report.this = Some(t.into());
        } else {
            report.others.push(OtherToken {
                description: t.description.clone(),
                prefix: t.prefix.clone(),
            });
        }
    }
    (report.lookup, report.lookup_text) = match matching {
        0 => (
            TokenLookup::NotListed,
            format!(
                "No token of {username} starts with {p}: it may belong to another user (on 2.19 \
                 the user is found by probing), or it was deleted after this page loaded."
            ),
        ),
        1 => (TokenLookup::Found, format!("Found by its prefix {p}.")),
        count => (
            TokenLookup::Collision { count },
            format!(
                "{count} tokens of {username} start with {p}: Portainer keeps only 7 \
                 characters, so which one this is cannot be told; all are listed below."
            ),
        ),
    };
    report
}
