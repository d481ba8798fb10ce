//! Which environments the token reaches, through which access policy, and what its user may do
//! there (docs/portainer-api.md §2.4, §2.5, §6.3).
//!
//! CE rule (`AuthorizedEndpointAccess`): an administrator, or a policy for the user or one of
//! their teams on the environment OR on its group. The role inside a policy does not matter in CE.
//! For non-admins `GET /api/endpoints` strips `UserAccessPolicies` (team policies stay) and
//! `GET /api/endpoint_groups` lists only groups holding one of their policies, so a listed
//! environment is reachable for certain but a user policy on it can only be inferred.

use super::Mark;
use crate::domain::names::Names;
use crate::domain::viewer::Viewer;
use crate::portainer::{
    AccessPolicies, EndpointGroup, EndpointStatus, EndpointType, Environment, SecuritySettings,
};
use serde::Serialize;

/// Why the token reaches an environment, most specific first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccessSource {
    Administrator,
    /// A policy for the user on the environment, seen in the data (admins' lists, inspect).
    UserPolicy,
    TeamPolicy {
        team_id: u32,
        team: String,
    },
    UserGroupPolicy {
        group_id: u32,
        group: String,
    },
    TeamGroupPolicy {
        team_id: u32,
        team: String,
        group_id: u32,
        group: String,
    },
    /// Listed for a non-admin with no team or group policy to explain it: the only rule left is
    /// a user policy on the environment, which Portainer hides from non-admins.
    InferredUserPolicy,
}

impl AccessSource {
    pub fn is_inferred(&self) -> bool {
        matches!(self, Self::InferredUserPolicy)
    }

    /// A sentence for the page, e.g. "through team devs (a policy on the environment)".
    pub fn sentence(&self, username: &str) -> String {
        match self {
            Self::Administrator => "administrator: administrators reach every environment".into(),
            Self::UserPolicy => format!("a policy for {username} on the environment"),
            Self::TeamPolicy { team, .. } => {
                format!("through {team} (a policy on the environment)")
            }
            Self::UserGroupPolicy { group, .. } => {
                format!("through group {group} (a policy for {username} on the group)")
            }
            Self::TeamGroupPolicy { team, group, .. } => {
                format!("through group {group} (a policy for {team} on the group)")
            }
            Self::InferredUserPolicy => format!(
                "a policy for {username} on the environment (inferred: Portainer hides user \
                 policies from non-administrators, and no team or group policy explains it)"
            ),
        }
    }
}

/// The id of Portainer's default environment group.
pub const UNASSIGNED_GROUP: u32 = 1;

/// Names for the ids in Portainer's answers: users and teams from [`Names`] ("team devs",
/// "user #3"), groups from the token's own group list ("group #4" when it cannot see it).
#[derive(Clone, Copy, Debug)]
pub struct NamesAndGroups<'a> {
    pub names: &'a Names,
    pub groups: &'a [EndpointGroup],
}

impl NamesAndGroups<'_> {
    pub fn team(&self, id: u32) -> String {
        self.names.team(id)
    }

    pub fn user(&self, id: u32) -> String {
        self.names.user(id)
    }

    pub fn group(&self, id: u32) -> Option<&EndpointGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Group 1 is Portainer's own "Unassigned", created with the database and never deleted
    /// (`api/datastore/init.go`, `endpointgroup_delete.go`): named so even when the token may
    /// not read the groups, as an administrator's page names it.
    pub fn group_name(&self, id: u32) -> String {
        match self.group(id) {
            Some(g) if !g.name.is_empty() => g.name.clone(),
            _ if id == UNASSIGNED_GROUP => "Unassigned".into(),
            _ => format!("group #{id}"),
        }
    }
}

/// Every policy in the data that gives the viewer this environment, most specific first. Empty
/// for a non-admin means "not provable from the data", which is not "unreachable" when the
/// data is a non-admin's (user policies stripped).
pub fn grants(viewer: &Viewer, env: &Environment, names: &NamesAndGroups) -> Vec<AccessSource> {
    let mut out = Vec::new();
    if env.user_access_policies.contains_key(&viewer.user_id) {
        out.push(AccessSource::UserPolicy);
    }
    for &team_id in viewer.team_ids.iter() {
        if env.team_access_policies.contains_key(&team_id) {
            let team = names.team(team_id);
            out.push(AccessSource::TeamPolicy { team_id, team });
        }
    }
    if let Some(group) = names.group(env.group_id) {
        let group_name = names.group_name(group.id);
        if group.user_access_policies.contains_key(&viewer.user_id) {
            out.push(AccessSource::UserGroupPolicy {
                group_id: group.id,
                group: group_name.clone(),
            });
        }
        for &team_id in viewer.team_ids.iter() {
            if group.team_access_policies.contains_key(&team_id) {
                out.push(AccessSource::TeamGroupPolicy {
                    team_id,
                    team: names.team(team_id),
                    group_id: group.id,
                    group: group_name.clone(),
                });
            }
        }
    }
    out
}

/// The CE rule on complete data (an administrator's lists, or `GET /api/endpoints/{id}`): does
/// the viewer reach `env`? Do not use it on a non-admin's list, whose user policies are stripped.
pub fn reaches(viewer: &Viewer, env: &Environment, names: &NamesAndGroups) -> bool {
    viewer.is_admin || !grants(viewer, env, names).is_empty()
}

/// Why the viewer reaches `env`, which must come from their own `GET /api/endpoints` answer.
pub fn environment_access(
    viewer: &Viewer,
    env: &Environment,
    names: &NamesAndGroups,
) -> AccessSource {
    if viewer.is_admin {
        return AccessSource::Administrator;
    }
    grants(viewer, env, names)
        .into_iter()
        .next()
        .unwrap_or(AccessSource::InferredUserPolicy)
}

/// Every policy the data shows on `env` and its group, as "team devs on the environment".
/// For an administrator's data that is everyone's; for a non-admin's, teams and groups only.
pub fn policies_on(env: &Environment, names: &NamesAndGroups) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |users: &AccessPolicies, teams: &AccessPolicies, on: &str| {
        out.extend(
            users
                .keys()
                .map(|&id| format!("user {} on {on}", names.user(id))),
        );
        out.extend(
            teams
                .keys()
                .map(|&id| format!("{} on {on}", names.team(id))),
        );
    };
    add(
        &env.user_access_policies,
        &env.team_access_policies,
        "the environment",
    );
    if let Some(group) = names.group(env.group_id) {
        let on = format!("group {}", names.group_name(group.id));
        add(
            &group.user_access_policies,
            &group.team_access_policies,
            &on,
        );
    }
    out
}

/// The per-environment rights of `SecuritySettings` that matter to regular users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    StackManagement,
    VolumeBrowser,
    BindMounts,
    PrivilegedMode,
    HostNamespaces,
    DeviceMapping,
    Capabilities,
    Sysctl,
    HostManagement,
}

impl Right {
    /// The grid's columns, in order.
    pub const ALL: [Self; 9] = [
        Self::StackManagement,
        Self::VolumeBrowser,
        Self::BindMounts,
        Self::PrivilegedMode,
        Self::HostNamespaces,
        Self::DeviceMapping,
        Self::Capabilities,
        Self::Sysctl,
        Self::HostManagement,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::StackManagement => "stack management",
            Self::VolumeBrowser => "volume browser",
            Self::BindMounts => "bind mounts",
            Self::PrivilegedMode => "privileged mode",
            Self::HostNamespaces => "host namespaces",
            Self::DeviceMapping => "device mapping",
            Self::Capabilities => "container capabilities",
            Self::Sysctl => "sysctl settings",
            Self::HostManagement => "host management",
        }
    }

    /// The `SecuritySettings` field behind it, in Portainer's spelling.
    pub const fn setting(self) -> &'static str {
        match self {
            Self::StackManagement => "allowStackManagementForRegularUsers",
            Self::VolumeBrowser => "allowVolumeBrowserForRegularUsers",
            Self::BindMounts => "allowBindMountsForRegularUsers",
            Self::PrivilegedMode => "allowPrivilegedModeForRegularUsers",
            Self::HostNamespaces => "allowHostNamespaceForRegularUsers",
            Self::DeviceMapping => "allowDeviceMappingForRegularUsers",
            Self::Capabilities => "allowContainerCapabilitiesForRegularUsers",
            Self::Sysctl => "allowSysctlSettingForRegularUsers",
            Self::HostManagement => "enableHostManagementFeatures",
        }
    }

    /// The switch as Portainer's environment setup page labels it
    /// (`docker-features-configuration.html`), and whether switching it on takes the right
    /// away ("Disable … for non-administrators").
    pub const fn portainer_label(self) -> (&'static str, bool) {
        match self {
            Self::StackManagement => ("Disable the use of Stacks for non-administrators", true),
            Self::VolumeBrowser => ("Enable volume management for non-administrators", false),
            Self::BindMounts => ("Disable bind mounts for non-administrators", true),
            Self::PrivilegedMode => ("Disable privileged mode for non-administrators", true),
            Self::HostNamespaces => ("Disable the use of host PID 1 for non-administrators", true),
            Self::DeviceMapping => ("Disable device mappings for non-administrators", true),
            Self::Capabilities => (
                "Disable container capabilities for non-administrators",
                true,
            ),
            Self::Sysctl => ("Disable sysctl settings for non-administrators", true),
            Self::HostManagement => ("Enable host management features", false),
        }
    }

    /// "“Disable bind mounts for non-administrators” is off", for the right being `allowed`.
    pub fn switch_state(self, allowed: bool) -> String {
        let (label, disables) = self.portainer_label();
        let on = allowed != disables;
        format!("“{label}” is {}", if on { "on" } else { "off" })
    }

    fn is_on(self, s: &SecuritySettings) -> bool {
        match self {
            Self::StackManagement => s.allow_stack_management_for_regular_users,
            Self::VolumeBrowser => s.allow_volume_browser_for_regular_users,
            Self::BindMounts => s.allow_bind_mounts_for_regular_users,
            Self::PrivilegedMode => s.allow_privileged_mode_for_regular_users,
            Self::HostNamespaces => s.allow_host_namespace_for_regular_users,
            Self::DeviceMapping => s.allow_device_mapping_for_regular_users,
            Self::Capabilities => s.allow_container_capabilities_for_regular_users,
            Self::Sysctl => s.allow_sysctl_setting_for_regular_users,
            Self::HostManagement => s.enable_host_management_features,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RightCell {
    pub right: Right,
    pub mark: Mark,
    pub reason: String,
}

/// One grid row: each [`Right::ALL`] on `env` for an administrator or a regular user.
pub fn environment_rights(is_admin: bool, env: &Environment) -> Vec<RightCell> {
    Right::ALL
        .iter()
        .map(|&right| {
            let (mark, reason) = right_mark(is_admin, env, right);
            RightCell {
                right,
                mark,
                reason,
            }
        })
        .collect()
}

fn right_mark(is_admin: bool, env: &Environment, right: Right) -> (Mark, String) {
    let kind = env.kind;
    let on = right.is_on(&env.security_settings);
    let switch = right.switch_state(on);
    if !kind.is_docker() {
        let reason = match (right, kind.is_kubernetes()) {
            // Portainer checks the setting on Docker environments only (`userCanManageStacks`).
            (Right::StackManagement, true) => {
                "Kubernetes stacks are not gated by this setting (Docker environments only)"
            }
            (Right::StackManagement, false) => "this environment type has no stacks",
            _ => "a Docker setting: it does not apply to this environment type",
        };
        return (Mark::NotApplicable, reason.into());
    }
    if right == Right::HostManagement {
        // A feature switch, not a regular-user allowance: the host browser is admin-only.
        return if kind == EndpointType::Docker {
            (
                Mark::NotApplicable,
                "host management features need the Portainer agent".into(),
            )
        } else if !is_admin {
            (
                Mark::Denied,
                "host management is for administrators only".into(),
            )
        } else {
            let state = if on { "" } else { ", for administrators too" };
            (Mark::of(on), format!("{switch}{state}"))
        };
    }
    if is_admin {
        return (Mark::Allowed, "administrators bypass these settings".into());
    }
    let reason = if on {
        switch
    } else {
        format!("{switch}: administrators only")
    };
    (Mark::of(on), reason)
}

/// How Portainer reaches the environment, e.g. "Docker (Edge agent)".
pub fn kind_label(kind: EndpointType) -> String {
    let label = match kind {
        EndpointType::Docker => "Docker",
        EndpointType::AgentOnDocker => "Docker (agent)",
        EndpointType::Azure => "Azure ACI",
        EndpointType::EdgeAgentOnDocker => "Docker (Edge agent)",
        EndpointType::KubernetesLocal => "Kubernetes (local)",
        EndpointType::AgentOnKubernetes => "Kubernetes (agent)",
        EndpointType::EdgeAgentOnKubernetes => "Kubernetes (Edge agent)",
        EndpointType::Unknown(n) => return format!("unknown type {n}"),
    };
    label.into()
}

pub fn status_label(status: EndpointStatus) -> &'static str {
    match status {
        EndpointStatus::Up => "up",
        EndpointStatus::Down => "down",
        EndpointStatus::Unknown(_) => "unknown",
    }
}

/// One environment the token reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvironmentRow {
    pub id: u32,
    pub name: String,
    pub kind: String,
    pub status: &'static str,
    pub group: String,
    pub source: AccessSource,
    pub source_text: String,
    /// The policies the data shows on the environment and its group.
    pub policies: Vec<String>,
    pub rights: Vec<RightCell>,
}

/// Rows for the viewer's own environment list, in Portainer's order.
pub fn environment_rows(
    viewer: &Viewer,
    environments: &[Environment],
    names: &NamesAndGroups,
) -> Vec<EnvironmentRow> {
    environments
        .iter()
        .map(|env| {
            let source = environment_access(viewer, env, names);
            EnvironmentRow {
                id: env.id,
                name: env.name.clone(),
                kind: kind_label(env.kind),
                status: status_label(env.status),
                group: names.group_name(env.group_id),
                source_text: source.sentence(&viewer.username),
                source,
                policies: policies_on(env, names),
                rights: environment_rights(viewer.is_admin, env),
            }
        })
        .collect()
}
