//! Teams, memberships (§2.8) and roles (§2.9).

use super::{authorization_set, null_default, MembershipRole};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Team {
    pub id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// `TeamMembership`: note the `UserID`/`TeamID` casing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct TeamMembership {
    #[serde(rename = "Id")]
    pub id: u32,
    #[serde(default, rename = "UserID")]
    pub user_id: u32,
    #[serde(default, rename = "TeamID")]
    pub team_id: u32,
    #[serde(default, rename = "Role")]
    pub role: MembershipRole,
}

/// RBAC role (admin-only endpoint). CE seeds ids 1–4.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    #[serde(default, deserialize_with = "authorization_set")]
    pub authorizations: BTreeSet<String>,
    /// Among several roles, the highest number wins in `EndpointAuthorizations`.
    #[serde(default)]
    pub priority: u32,
}
