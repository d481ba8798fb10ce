//! `portainer.Endpoint` (environment) and `portainer.EndpointGroup` (§2.4, §2.5).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::Pair;
use crate::PortainerVersion;

pub const ENV_DOCKER: i64 = 1;
pub const ENV_AGENT_DOCKER: i64 = 2;
pub const ENV_EDGE_AGENT_DOCKER: i64 = 4;
pub const ENV_AGENT_KUBERNETES: i64 = 6;

pub const ENV_UP: i64 = 1;
pub const ENV_DOWN: i64 = 2;

/// `AccessPolicy`; CE only checks that one exists, `RoleId` feeds `EndpointAuthorizations`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct AccessPolicy {
    #[serde(rename = "RoleId")]
    pub role_id: i64,
}

/// User or team id → policy; serde_json writes the integer keys as strings, like Go.
pub type Policies = BTreeMap<i64, AccessPolicy>;

pub fn policies(entries: &[(i64, i64)]) -> Policies {
    entries
        .iter()
        .map(|&(id, role_id)| (id, AccessPolicy { role_id }))
        .collect()
}

/// `EndpointSecuritySettings` (camelCase tags).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecuritySettings {
    pub allow_bind_mounts_for_regular_users: bool,
    pub allow_privileged_mode_for_regular_users: bool,
    pub allow_volume_browser_for_regular_users: bool,
    pub allow_host_namespace_for_regular_users: bool,
    pub allow_device_mapping_for_regular_users: bool,
    pub allow_stack_management_for_regular_users: bool,
    pub allow_container_capabilities_for_regular_users: bool,
    pub allow_sysctl_setting_for_regular_users: bool,
    pub enable_host_management_features: bool,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            allow_bind_mounts_for_regular_users: true,
            allow_privileged_mode_for_regular_users: false,
            allow_volume_browser_for_regular_users: false,
            allow_host_namespace_for_regular_users: true,
            allow_device_mapping_for_regular_users: true,
            allow_stack_management_for_regular_users: true,
            allow_container_capabilities_for_regular_users: true,
            allow_sysctl_setting_for_regular_users: true,
            enable_host_management_features: false,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TlsConfig {
    #[serde(rename = "TLS")]
    pub tls: bool,
    #[serde(rename = "TLSSkipVerify")]
    pub tls_skip_verify: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DockerSnapshot {
    #[serde(rename = "Time")]
    pub time: i64,
    #[serde(rename = "DockerVersion")]
    pub docker_version: String,
    #[serde(rename = "Swarm")]
    pub swarm: bool,
    #[serde(rename = "TotalCPU")]
    pub total_cpu: i64,
    #[serde(rename = "TotalMemory")]
    pub total_memory: i64,
    #[serde(rename = "ContainerCount")]
    pub container_count: i64,
    #[serde(rename = "RunningContainerCount")]
    pub running_container_count: i64,
    #[serde(rename = "StoppedContainerCount")]
    pub stopped_container_count: i64,
    #[serde(rename = "HealthyContainerCount")]
    pub healthy_container_count: i64,
    #[serde(rename = "UnhealthyContainerCount")]
    pub unhealthy_container_count: i64,
    #[serde(rename = "VolumeCount")]
    pub volume_count: i64,
    #[serde(rename = "ImageCount")]
    pub image_count: i64,
    #[serde(rename = "ServiceCount")]
    pub service_count: i64,
    #[serde(rename = "StackCount")]
    pub stack_count: i64,
    /// Blanked by `hideFields`: an empty `DockerSnapshotRaw` struct.
    #[serde(rename = "DockerSnapshotRaw")]
    pub docker_snapshot_raw: Value,
    #[serde(rename = "NodeCount")]
    pub node_count: i64,
    #[serde(rename = "GpuUseAll")]
    pub gpu_use_all: bool,
    #[serde(rename = "GpuUseList")]
    pub gpu_use_list: Vec<String>,
    #[serde(rename = "IsPodman")]
    pub is_podman: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KubernetesSnapshot {
    pub time: i64,
    pub kubernetes_version: String,
    pub node_count: i64,
    #[serde(rename = "TotalCPU")]
    pub total_cpu: i64,
    pub total_memory: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KubernetesData {
    pub snapshots: Vec<KubernetesSnapshot>,
    pub configuration: Value,
    pub flags: Value,
}

impl KubernetesData {
    pub fn new(snapshots: Vec<KubernetesSnapshot>) -> Self {
        KubernetesData {
            snapshots,
            configuration: json!({
                "UseLoadBalancer": false, "UseServerMetrics": false,
                "EnableResourceOverCommit": false, "ResourceOverCommitPercentage": 0,
                "StorageClasses": null, "IngressClasses": null,
                "RestrictDefaultNamespace": false, "IngressAvailabilityPerNamespace": true,
                "AllowNoneIngressClass": false
            }),
            flags: json!({
                "IsServerMetricsDetected": false, "IsServerIngressClassDetected": false,
                "IsServerStorageDetected": false
            }),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Endpoint {
    #[serde(rename = "Id")]
    pub id: i64,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Type")]
    pub kind: i64,
    /// From about 2.22 only.
    #[serde(rename = "ContainerEngine", skip_serializing_if = "Option::is_none")]
    pub container_engine: Option<String>,
    #[serde(rename = "URL")]
    pub url: String,
    #[serde(rename = "GroupId")]
    pub group_id: i64,
    #[serde(rename = "PublicURL")]
    pub public_url: String,
    #[serde(rename = "Gpus")]
    pub gpus: Vec<Pair>,
    #[serde(rename = "TLSConfig")]
    pub tls_config: TlsConfig,
    #[serde(rename = "AzureCredentials")]
    pub azure_credentials: Value,
    #[serde(rename = "TagIds")]
    pub tag_ids: Vec<i64>,
    #[serde(rename = "Status")]
    pub status: i64,
    #[serde(rename = "Snapshots")]
    pub snapshots: Vec<DockerSnapshot>,
    /// `None` (null) in lists answered to non-admins.
    #[serde(rename = "UserAccessPolicies")]
    pub user_access_policies: Option<Policies>,
    #[serde(rename = "TeamAccessPolicies")]
    pub team_access_policies: Policies,
    #[serde(rename = "EdgeID", skip_serializing_if = "Option::is_none")]
    pub edge_id: Option<String>,
    #[serde(rename = "EdgeKey")]
    pub edge_key: String,
    #[serde(rename = "EdgeCheckinInterval")]
    pub edge_checkin_interval: i64,
    #[serde(rename = "Kubernetes")]
    pub kubernetes: KubernetesData,
    #[serde(rename = "ComposeSyntaxMaxVersion")]
    pub compose_syntax_max_version: String,
    #[serde(rename = "SecuritySettings")]
    pub security_settings: SecuritySettings,
    #[serde(rename = "LastCheckInDate")]
    pub last_check_in_date: i64,
    #[serde(rename = "QueryDate")]
    pub query_date: i64,
    #[serde(rename = "Heartbeat")]
    pub heartbeat: bool,
    /// omitempty from 2.20; always present in 2.19.
    #[serde(rename = "UserTrusted", skip_serializing_if = "Option::is_none")]
    pub user_trusted: Option<bool>,
    #[serde(rename = "PostInitMigrations")]
    pub post_init_migrations: Value,
    #[serde(rename = "Edge")]
    pub edge: Value,
    #[serde(rename = "Agent")]
    pub agent: Value,
    #[serde(
        rename = "EnableGPUManagement",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_gpu_management: Option<bool>,
    #[serde(rename = "AuthorizedUsers")]
    pub authorized_users: Option<Vec<i64>>,
    #[serde(rename = "AuthorizedTeams")]
    pub authorized_teams: Option<Vec<i64>>,
    #[serde(rename = "Tags")]
    pub tags: Option<Vec<String>>,
    #[serde(rename = "IsEdgeDevice", skip_serializing_if = "Option::is_none")]
    pub is_edge_device: Option<bool>,
    /// `UserTrusted`: set when an administrator trusted an Edge agent (false elsewhere).
    #[serde(skip)]
    pub trusted: bool,
    /// Simulator-only: the swarm cluster id of a swarm environment (Docker `/info`).
    #[serde(skip)]
    pub swarm_id: Option<String>,
    /// Simulator-only: the Docker host stopped answering since the last snapshot. `Status`
    /// still says Up: only a snapshot changes it (`api/internal/snapshot/snapshot.go`
    /// `updateEndpointStatus`, every 5 minutes by default), while every request dials.
    #[serde(skip)]
    pub host_down: bool,
}

impl Endpoint {
    pub fn is_docker(&self) -> bool {
        matches!(
            self.kind,
            ENV_DOCKER | ENV_AGENT_DOCKER | ENV_EDGE_AGENT_DOCKER
        )
    }

    pub fn is_edge(&self) -> bool {
        self.kind == ENV_EDGE_AGENT_DOCKER || self.kind == 7
    }

    /// The environment as the API shows it for `version`: omitempty fields of 2.23 dropped,
    /// 2.19's always-present ones filled, and `ContainerEngine` only from 2.22.
    pub fn view(&self, version: PortainerVersion) -> Endpoint {
        let mut env = self.clone();
        match version {
            PortainerVersion::V2_19 => {
                env.container_engine = None;
                env.user_trusted = Some(self.trusted);
                env.enable_gpu_management = Some(false);
                env.is_edge_device = Some(false);
            }
            PortainerVersion::V2_23 => {
                env.user_trusted = self.trusted.then_some(true);
                env.enable_gpu_management = None;
                env.is_edge_device = None;
            }
        }
        env
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct EndpointGroup {
    #[serde(rename = "Id")]
    pub id: i64,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "UserAccessPolicies")]
    pub user_access_policies: Policies,
    #[serde(rename = "TeamAccessPolicies")]
    pub team_access_policies: Policies,
    #[serde(rename = "TagIds")]
    pub tag_ids: Vec<i64>,
    #[serde(rename = "Labels")]
    pub labels: Vec<Pair>,
    #[serde(rename = "AuthorizedUsers")]
    pub authorized_users: Option<Vec<i64>>,
    #[serde(rename = "AuthorizedTeams")]
    pub authorized_teams: Option<Vec<i64>>,
    /// `"Tags": null` is always present in 2.19; omitted when empty from about 2.20.
    #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

impl EndpointGroup {
    pub fn new(id: i64, name: &str, description: &str) -> Self {
        EndpointGroup {
            id,
            name: name.into(),
            description: description.into(),
            user_access_policies: Policies::new(),
            team_access_policies: Policies::new(),
            tag_ids: Vec::new(),
            labels: Vec::new(),
            authorized_users: None,
            authorized_teams: None,
            tags: None,
        }
    }

    pub fn view(&self, version: PortainerVersion) -> EndpointGroup {
        let mut group = self.clone();
        group.tags = match version {
            PortainerVersion::V2_19 => Some(Value::Null),
            PortainerVersion::V2_23 => None,
        };
        group
    }
}

/// The empty `DockerSnapshotRaw` that `hideFields` leaves behind (shape from Portainer's
/// own serialisation in the 2.23 datastore fixture).
pub fn blank_snapshot_raw() -> Value {
    json!({
        "Containers": null,
        "Volumes": { "Volumes": null, "Warnings": null },
        "Networks": null,
        "Images": null,
        "Info": {
            "ID": "", "Containers": 0, "ContainersRunning": 0, "ContainersPaused": 0,
            "ContainersStopped": 0, "Images": 0, "Driver": "", "DriverStatus": null,
            "Plugins": { "Volume": null, "Network": null, "Authorization": null, "Log": null },
            "MemoryLimit": false, "SwapLimit": false, "CpuCfsPeriod": false, "CpuCfsQuota": false,
            "CPUShares": false, "CPUSet": false, "PidsLimit": false, "IPv4Forwarding": false,
            "BridgeNfIptables": false, "BridgeNfIp6tables": false, "Debug": false, "NFd": 0,
            "OomKillDisable": false, "NGoroutines": 0, "SystemTime": "", "LoggingDriver": "",
            "CgroupDriver": "", "NEventsListener": 0, "KernelVersion": "", "OperatingSystem": "",
            "OSVersion": "", "OSType": "", "Architecture": "", "IndexServerAddress": "",
            "RegistryConfig": null, "NCPU": 0, "MemTotal": 0, "GenericResources": null,
            "DockerRootDir": "", "HttpProxy": "", "HttpsProxy": "", "NoProxy": "", "Name": "",
            "Labels": null, "ExperimentalBuild": false, "ServerVersion": "", "Runtimes": null,
            "DefaultRuntime": "",
            "Swarm": { "NodeID": "", "NodeAddr": "", "LocalNodeState": "", "ControlAvailable": false,
                       "Error": "", "RemoteManagers": null },
            "LiveRestoreEnabled": false, "Isolation": "", "InitBinary": "",
            "ContainerdCommit": { "ID": "", "Expected": "" },
            "RuncCommit": { "ID": "", "Expected": "" },
            "InitCommit": { "ID": "", "Expected": "" },
            "SecurityOptions": null, "CDISpecDirs": null, "Warnings": null
        },
        "Version": {
            "Platform": { "Name": "" }, "Version": "", "ApiVersion": "", "GitCommit": "",
            "GoVersion": "", "Os": "", "Arch": ""
        }
    })
}
