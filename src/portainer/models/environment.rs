//! Environments (Portainer's "Endpoint", §2.4) and environment groups (§2.5).

use super::{null_default, EndpointStatus, EndpointType};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Access policies keyed by user or team id (string keys on the wire).
pub type AccessPolicies = BTreeMap<u32, AccessPolicy>;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Environment {
    pub id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Portainer's `Type`.
    #[serde(default, rename = "Type")]
    pub kind: EndpointType,
    #[serde(default)]
    pub status: EndpointStatus,
    #[serde(default, rename = "URL", deserialize_with = "null_default")]
    pub url: String,
    #[serde(default, rename = "PublicURL", deserialize_with = "null_default")]
    pub public_url: String,
    #[serde(default)]
    pub group_id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub tag_ids: Vec<u32>,
    /// `null` in lists fetched by non-admins (Portainer strips it), so empty here.
    #[serde(default, deserialize_with = "null_default")]
    pub user_access_policies: AccessPolicies,
    #[serde(default, deserialize_with = "null_default")]
    pub team_access_policies: AccessPolicies,
    #[serde(default, deserialize_with = "null_default")]
    pub security_settings: SecuritySettings,
    /// Empty when listed with `excludeSnapshots=true`.
    #[serde(default, deserialize_with = "null_default")]
    pub snapshots: Vec<DockerSnapshot>,
    /// `"docker"` or `"podman"`; absent before about 2.22.
    #[serde(default)]
    pub container_engine: Option<String>,
    /// Only set (omitempty) on edge environments.
    #[serde(default, rename = "EdgeID")]
    pub edge_id: Option<String>,
    /// Unix seconds of the last edge agent check-in.
    #[serde(default)]
    pub last_check_in_date: i64,
    #[serde(default)]
    pub heartbeat: bool,
}

/// `AccessPolicy`. In CE only its presence matters; `RoleId` is often 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessPolicy {
    #[serde(default)]
    pub role_id: u32,
}

/// `EndpointSecuritySettings`: camelCase on the wire, unlike the rest of the environment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecuritySettings {
    pub allow_bind_mounts_for_regular_users: bool,
    pub allow_privileged_mode_for_regular_users: bool,
    pub allow_volume_browser_for_regular_users: bool,
    pub allow_host_namespace_for_regular_users: bool,
    pub allow_device_mapping_for_regular_users: bool,
    /// When false, only admins may manage (and even inspect) stacks on a Docker environment.
    pub allow_stack_management_for_regular_users: bool,
    pub allow_container_capabilities_for_regular_users: bool,
    pub allow_sysctl_setting_for_regular_users: bool,
    pub enable_host_management_features: bool,
}

/// Summary fields of `DockerSnapshot` (the raw Docker dump is blanked by Portainer anyway).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DockerSnapshot {
    /// Unix seconds.
    pub time: i64,
    #[serde(deserialize_with = "null_default")]
    pub docker_version: String,
    pub swarm: bool,
    #[serde(rename = "TotalCPU")]
    pub total_cpu: u32,
    pub total_memory: u64,
    pub container_count: u32,
    pub running_container_count: u32,
    pub stopped_container_count: u32,
    pub healthy_container_count: u32,
    pub unhealthy_container_count: u32,
    pub volume_count: u32,
    pub image_count: u32,
    pub service_count: u32,
    pub stack_count: u32,
    pub node_count: u32,
    pub is_podman: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EndpointGroup {
    pub id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    #[serde(default, deserialize_with = "null_default")]
    pub user_access_policies: AccessPolicies,
    #[serde(default, deserialize_with = "null_default")]
    pub team_access_policies: AccessPolicies,
    #[serde(default, deserialize_with = "null_default")]
    pub tag_ids: Vec<u32>,
}

/// One page of `GET /api/endpoints`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvironmentPage {
    /// Each environment once; one that does not decode is skipped and counted.
    pub environments: crate::portainer::Listed<Environment>,
    /// `X-Total-Count`: matches after filters, before pagination. `None` when the header is
    /// missing or unreadable (a cross-origin proxy that does not expose it).
    pub total_count: Option<u32>,
}
