//! `portainer.User`, `Team`, `TeamMembership` and `APIKey` (§2.6–§2.8).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::PortainerVersion;

pub const ROLE_ADMIN: i64 = 1;
pub const ROLE_STANDARD: i64 = 2;

pub const TEAM_LEADER: i64 = 1;
pub const TEAM_MEMBER: i64 = 2;

/// Environment id → authorization name → true. Admins get `{}`.
pub type EndpointAuthorizations = BTreeMap<i64, BTreeMap<&'static str, bool>>;

#[derive(Clone, Debug, Serialize)]
pub struct ThemeSettings {
    pub color: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: i64,
    pub token_issue_at: i64,
    pub theme_settings: ThemeSettings,
    /// 2.20+.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_cache: Option<bool>,
    /// Always present (as "") in 2.19; omitempty later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_theme: Option<String>,
    /// Deprecated and null for internal users.
    pub portainer_authorizations: Option<BTreeMap<String, bool>>,
    /// As stored: Portainer recomputes it only when an environment with its own policies is
    /// deleted (`api/http/handler/endpoints/endpoint_delete.go` → `UpdateUsersAuthorizationsTx`),
    /// so it is `null` for users created since and stale for the others. Nothing reads it here.
    pub endpoint_authorizations: Option<EndpointAuthorizations>,
    /// Never serialised (Portainer blanks it and it is omitempty).
    #[serde(skip)]
    pub password: String,
    /// Created after Portainer last refreshed `EndpointAuthorizations`, so it stays `null`.
    #[serde(skip)]
    pub created_since_refresh: bool,
}

impl User {
    pub fn new(id: i64, username: &str, role: i64, password: &str) -> Self {
        User {
            id,
            username: username.into(),
            role,
            token_issue_at: 0,
            theme_settings: ThemeSettings {
                color: String::new(),
            },
            use_cache: None,
            user_theme: None,
            portainer_authorizations: None,
            endpoint_authorizations: None,
            password: password.into(),
            created_since_refresh: false,
        }
    }

    /// A user created after the last refresh of `EndpointAuthorizations`.
    pub fn created_since_refresh(mut self) -> Self {
        self.created_since_refresh = true;
        self
    }

    pub fn is_admin(&self) -> bool {
        self.role == ROLE_ADMIN
    }

    pub fn view(&self, version: PortainerVersion) -> User {
        let mut user = self.clone();
        match version {
            PortainerVersion::V2_19 => {
                user.use_cache = None;
                user.user_theme = Some(String::new());
            }
            PortainerVersion::V2_23 => {
                user.use_cache = Some(true);
                user.user_theme = None;
            }
        }
        user
    }
}

/// `/api/users/me`: the user flattened plus `forceChangePassword`.
#[derive(Serialize)]
pub struct CurrentUser {
    #[serde(flatten)]
    pub user: User,
    #[serde(rename = "forceChangePassword")]
    pub force_change_password: bool,
}

/// The sanitised shape of `GET /api/users`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub role: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Team {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TeamMembership {
    #[serde(rename = "Id")]
    pub id: i64,
    #[serde(rename = "UserID")]
    pub user_id: i64,
    #[serde(rename = "TeamID")]
    pub team_id: i64,
    #[serde(rename = "Role")]
    pub role: i64,
}

/// `portainer.APIKey` (camelCase tags). `digest` is omitempty and always blanked, so it is never
/// serialised.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: i64,
    pub user_id: i64,
    pub description: String,
    pub prefix: String,
    pub date_created: i64,
    pub last_used: i64,
    /// base64(SHA-256(raw)), as Portainer's `HashRaw` stores it.
    #[serde(skip)]
    pub digest: String,
}
