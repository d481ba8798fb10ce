//! `ResourceControl`: who may see a stack or Docker resource (docs/portainer-api.md §2.3).

use super::{null_default, ResourceControlType};
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceControl {
    #[serde(default)]
    pub id: u32,
    // Not read: `ResourceId` ("<EndpointId>_<StackName>" for a stack) and `SubResourceIds`.
    // Every stack of a list carries them, and each cost an allocation to decode.
    /// Portainer's `Type`.
    #[serde(default, rename = "Type")]
    pub kind: ResourceControlType,
    #[serde(default, deserialize_with = "null_default")]
    pub user_accesses: Vec<UserResourceAccess>,
    #[serde(default, deserialize_with = "null_default")]
    pub team_accesses: Vec<TeamResourceAccess>,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub administrators_only: bool,
    #[serde(default)]
    pub system: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserResourceAccess {
    pub user_id: u32,
    /// Always 1 (`ReadWriteAccessLevel`), the only level Portainer has.
    #[serde(default)]
    pub access_level: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TeamResourceAccess {
    pub team_id: u32,
    #[serde(default)]
    pub access_level: u32,
}

impl ResourceControl {
    pub fn grants_user(&self, user_id: u32) -> bool {
        self.user_accesses.iter().any(|a| a.user_id == user_id)
    }

    pub fn grants_team(&self, team_id: u32) -> bool {
        self.team_accesses.iter().any(|a| a.team_id == team_id)
    }
}
