//! `portainer.Stack` and `portainer.ResourceControl` (§2.2, §2.3).

use serde::Serialize;

use super::Pair;
use crate::PortainerVersion;

pub const STACK_SWARM: i64 = 1;
pub const STACK_COMPOSE: i64 = 2;
pub const STACK_KUBERNETES: i64 = 3;

pub const STACK_ACTIVE: i64 = 1;
pub const STACK_INACTIVE: i64 = 2;

pub const RC_CONTAINER: i64 = 1;
pub const RC_SERVICE: i64 = 2;
/// ResourceControlType of a stack: 6 (the Go struct comment saying 5 is wrong).
pub const RC_STACK: i64 = 6;

/// `ReadWriteAccessLevel`, the only access level.
pub const ACCESS_READ_WRITE: i64 = 1;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAccess {
    pub user_id: i64,
    pub access_level: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TeamAccess {
    pub team_id: i64,
    pub access_level: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceControl {
    pub id: i64,
    pub resource_id: String,
    pub sub_resource_ids: Vec<String>,
    #[serde(rename = "Type")]
    pub kind: i64,
    pub user_accesses: Vec<UserAccess>,
    pub team_accesses: Vec<TeamAccess>,
    pub public: bool,
    pub administrators_only: bool,
    pub system: bool,
}

impl ResourceControl {
    /// A stack ResourceControl (`"<endpointId>_<name>"`, type 6) with no access granted yet.
    pub fn for_stack(id: i64, endpoint_id: i64, name: &str) -> Self {
        ResourceControl {
            id,
            resource_id: stack_resource_id(endpoint_id, name),
            sub_resource_ids: Vec::new(),
            kind: RC_STACK,
            user_accesses: Vec::new(),
            team_accesses: Vec::new(),
            public: false,
            administrators_only: false,
            system: false,
        }
    }

    /// A container's own ResourceControl (type 1, by its full id), with no access granted
    /// yet: what setting a container's ownership in Portainer stores.
    pub fn for_container(id: i64, container_id: &str) -> Self {
        ResourceControl {
            kind: RC_CONTAINER,
            resource_id: container_id.into(),
            ..Self::for_stack(id, 0, "")
        }
    }

    pub fn users(mut self, users: &[i64]) -> Self {
        self.user_accesses = users
            .iter()
            .map(|&user_id| UserAccess {
                user_id,
                access_level: ACCESS_READ_WRITE,
            })
            .collect();
        self
    }

    pub fn teams(mut self, teams: &[i64]) -> Self {
        self.team_accesses = teams
            .iter()
            .map(|&team_id| TeamAccess {
                team_id,
                access_level: ACCESS_READ_WRITE,
            })
            .collect();
        self
    }

    pub fn public(mut self) -> Self {
        self.public = true;
        self
    }

    pub fn administrators_only(mut self) -> Self {
        self.administrators_only = true;
        self
    }

    /// `UserCanAccessResource`: listed user, one of the user's teams, or public. Admins are
    /// handled by the callers (they bypass the check).
    pub fn grants(&self, user_id: i64, team_ids: &[i64]) -> bool {
        self.user_accesses.iter().any(|a| a.user_id == user_id)
            || self
                .team_accesses
                .iter()
                .any(|a| team_ids.contains(&a.team_id))
            || self.public
    }
}

/// `stackutils.ResourceControlID`.
pub fn stack_resource_id(endpoint_id: i64, name: &str) -> String {
    format!("{endpoint_id}_{name}")
}

/// `AutoUpdateSettings` (no json tags).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoUpdate {
    pub interval: String,
    pub webhook: String,
    #[serde(rename = "JobID")]
    pub job_id: String,
    pub force_update: bool,
    pub force_pull_image: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackOption {
    pub prune: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GitAuthentication {
    pub username: String,
    pub password: String,
    #[serde(rename = "GitCredentialID")]
    pub git_credential_id: i64,
}

/// `gittypes.RepoConfig` (no json tags).
#[derive(Clone, Debug, Serialize)]
pub struct GitConfig {
    #[serde(rename = "URL")]
    pub url: String,
    #[serde(rename = "ReferenceName")]
    pub reference_name: String,
    #[serde(rename = "ConfigFilePath")]
    pub config_file_path: String,
    #[serde(rename = "Authentication")]
    pub authentication: Option<GitAuthentication>,
    #[serde(rename = "ConfigHash")]
    pub config_hash: String,
    #[serde(rename = "TLSSkipVerify")]
    pub tls_skip_verify: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stack {
    pub id: i64,
    pub name: String,
    #[serde(rename = "Type")]
    pub kind: i64,
    pub endpoint_id: i64,
    pub swarm_id: String,
    pub entry_point: String,
    pub env: Option<Vec<Pair>>,
    pub resource_control: Option<ResourceControl>,
    pub status: i64,
    pub project_path: String,
    pub creation_date: i64,
    pub created_by: String,
    pub update_date: i64,
    pub updated_by: String,
    pub additional_files: Option<Vec<String>>,
    pub auto_update: Option<AutoUpdate>,
    pub option: Option<StackOption>,
    pub git_config: Option<GitConfig>,
    pub from_app_template: bool,
    pub namespace: String,
    /// Only 2.19–2.21 carry it (always false for these stacks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_compose_format: Option<bool>,
}

impl Stack {
    /// The stack as a response shows it: git password blanked, version-specific fields set,
    /// ResourceControl as given by the caller (Portainer decorates it per endpoint).
    pub fn view(&self, version: PortainerVersion, rc: Option<&ResourceControl>) -> Stack {
        let mut stack = self.clone();
        stack.resource_control = rc.cloned();
        if let Some(auth) = stack
            .git_config
            .as_mut()
            .and_then(|g| g.authentication.as_mut())
        {
            auth.password.clear();
        }
        stack.is_compose_format = match version {
            PortainerVersion::V2_19 => Some(false),
            PortainerVersion::V2_23 => None,
        };
        stack
    }

    pub fn is_docker(&self) -> bool {
        self.kind == STACK_COMPOSE || self.kind == STACK_SWARM
    }
}

/// `NormalizeStackName`: lower case, characters outside `[-_a-z0-9]` removed. This is the
/// compose project / swarm namespace label value.
pub fn normalize_stack_name(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_portainer() {
        assert_eq!(normalize_stack_name("Billing.API 2"), "billingapi2");
        assert_eq!(normalize_stack_name("web-frontend"), "web-frontend");
    }
}
