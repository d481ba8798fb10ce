//! Builders for the domain tests: a stack, an environment, a ResourceControl and a viewer with
//! Portainer's usual values, and one chained method per field a test cares about, so a test
//! names only what it checks.

use super::viewer::Viewer;
use crate::portainer::{
    AccessPolicies, AccessPolicy, EndpointStatus, EndpointType, Environment, GitConfig,
    ResourceControl, ResourceControlType, SecuritySettings, Stack, StackStatus, StackType,
    TeamResourceAccess, UserResourceAccess,
};
use std::collections::BTreeSet;

/// An active compose stack on environment 1, from `docker-compose.yml`, without a
/// ResourceControl.
pub fn stack(id: u32, name: &str) -> Stack {
    Stack {
        id,
        name: name.into(),
        kind: StackType::DockerCompose,
        endpoint_id: 1,
        entry_point: "docker-compose.yml".into(),
        status: StackStatus::Active,
        ..Stack::default()
    }
}

impl Stack {
    pub fn on(mut self, endpoint_id: u32) -> Self {
        self.endpoint_id = endpoint_id;
        self
    }

    pub fn of_kind(mut self, kind: StackType) -> Self {
        self.kind = kind;
        self
    }

    pub fn with_status(mut self, status: StackStatus) -> Self {
        self.status = status;
        self
    }

    /// Deployed from `url` at `refs/heads/main`.
    pub fn from_git(mut self, url: &str) -> Self {
        self.git_config = Some(GitConfig {
            url: url.into(),
            reference_name: "refs/heads/main".into(),
            ..GitConfig::default()
        });
        self
    }

    pub fn controlled_by(mut self, control: ResourceControl) -> Self {
        self.resource_control = Some(control);
        self
    }

    pub fn created(mut self, by: &str, at: i64) -> Self {
        self.created_by = by.into();
        self.creation_date = at;
        self
    }

    pub fn updated(mut self, by: &str, at: i64) -> Self {
        self.updated_by = by.into();
        self.update_date = at;
        self
    }
}

/// An environment that is up, of type Docker, in group 1 (Unassigned), with no access policy
/// and stack management allowed for regular users.
pub fn environment(id: u32, name: &str) -> Environment {
    Environment {
        id,
        name: name.into(),
        kind: EndpointType::Docker,
        status: EndpointStatus::Up,
        group_id: 1,
        security_settings: SecuritySettings {
            allow_stack_management_for_regular_users: true,
            ..SecuritySettings::default()
        },
        ..Environment::default()
    }
}

impl Environment {
    pub fn of_kind(mut self, kind: EndpointType) -> Self {
        self.kind = kind;
        self
    }

    pub fn with_status(mut self, status: EndpointStatus) -> Self {
        self.status = status;
        self
    }

    pub fn in_group(mut self, group_id: u32) -> Self {
        self.group_id = group_id;
        self
    }

    pub fn with_user_policies(mut self, users: &[u32]) -> Self {
        self.user_access_policies = policies(users);
        self
    }

    pub fn with_team_policies(mut self, teams: &[u32]) -> Self {
        self.team_access_policies = policies(teams);
        self
    }

    pub fn stack_management(mut self, allowed: bool) -> Self {
        self.security_settings
            .allow_stack_management_for_regular_users = allowed;
        self
    }
}

/// Access policies for these user or team ids, with no role (CE).
pub fn policies(ids: &[u32]) -> AccessPolicies {
    ids.iter()
        .map(|&id| (id, AccessPolicy::default()))
        .collect()
}

/// A stack's ResourceControl granting read-write access to these users and teams.
pub fn restricted_to(users: &[u32], teams: &[u32]) -> ResourceControl {
    ResourceControl {
        user_accesses: users
            .iter()
            .map(|&user_id| UserResourceAccess {
                user_id,
                access_level: 1,
            })
            .collect(),
        team_accesses: teams
            .iter()
            .map(|&team_id| TeamResourceAccess {
                team_id,
                access_level: 1,
            })
            .collect(),
        kind: ResourceControlType::Stack,
        ..ResourceControl::default()
    }
}

/// `Public: true`, naming nobody.
pub fn public() -> ResourceControl {
    ResourceControl {
        public: true,
        ..restricted_to(&[], &[])
    }
}

/// `AdministratorsOnly: true`, naming nobody: what Portainer writes for "administrators".
pub fn administrators_only() -> ResourceControl {
    ResourceControl {
        administrators_only: true,
        ..restricted_to(&[], &[])
    }
}

/// A viewer in these teams (leading none).
pub fn viewer(user_id: u32, username: &str, is_admin: bool, teams: &[u32]) -> Viewer {
    Viewer {
        user_id,
        username: username.into(),
        is_admin,
        team_ids: teams.iter().copied().collect(),
        led_team_ids: BTreeSet::new(),
    }
}

impl ResourceControl {
    /// Also `Public: true`.
    pub fn and_public(mut self) -> Self {
        self.public = true;
        self
    }

    /// Also `AdministratorsOnly: true`, whatever it names.
    pub fn and_administrators_only(mut self) -> Self {
        self.administrators_only = true;
        self
    }
}
