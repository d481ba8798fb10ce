//! Users (§2.6) and access tokens (§2.7).

use super::{authorizations_by_environment, null_default, UserRole};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// `portainer.User`, also the sanitised entries of `GET /api/users` (Id, Username, Role only) and
/// `GET /api/users/me` (which adds `forceChangePassword`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub username: String,
    #[serde(default)]
    pub role: UserRole,
    /// Environment id → granted authorization names (e.g. `"DockerContainerList"`). Admins get
    /// none (they bypass checks). Informational in CE.
    #[serde(default, deserialize_with = "authorizations_by_environment")]
    pub endpoint_authorizations: BTreeMap<u32, BTreeSet<String>>,
    /// Only sent by `/api/users/me` (2.20+).
    #[serde(default, rename = "forceChangePassword")]
    pub force_change_password: bool,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == UserRole::Administrator
    }
}

/// `APIKey`: camelCase on the wire. `digest` is always blanked and not modelled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub id: u32,
    #[serde(default)]
    pub user_id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// First 7 characters of the raw token (`ptr_` + 3).
    #[serde(default, deserialize_with = "null_default")]
    pub prefix: String,
    /// Unix seconds.
    #[serde(default)]
    pub date_created: i64,
    /// Unix seconds; 0 if never used. Portainer writes it at most once a minute.
    #[serde(default)]
    pub last_used: i64,
}

impl AccessToken {
    /// Whether this entry describes `token` (Portainer stores its first 7 characters).
    pub fn matches(&self, token: &str) -> bool {
        !self.prefix.is_empty() && token_prefix(token) == self.prefix
    }
}

/// The part of a raw token that Portainer shows as `prefix`: its first 7 characters.
pub fn token_prefix(token: &str) -> &str {
    match token.char_indices().nth(7) {
        Some((end, _)) => &token[..end],
        None => token,
    }
}
