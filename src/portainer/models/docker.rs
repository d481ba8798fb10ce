//! Docker Engine objects as returned through Portainer's Docker proxy (§5), reduced to the
//! summary a stack page shows. Portainer adds `"Portainer": {"ResourceControl": …}` to them.

use super::{null_default, ResourceControl};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The decoration Portainer adds to Docker objects it controls.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PortainerDecoration {
    #[serde(default, rename = "ResourceControl")]
    pub resource_control: Option<ResourceControl>,
}

/// An entry of `GET /containers/json`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerSummary {
    pub id: String,
    /// With Docker's leading `/`.
    #[serde(default, deserialize_with = "null_default")]
    pub names: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub image: String,
    /// `running`, `exited`, `created`, `paused`, `restarting`, `removing`, `dead`.
    #[serde(default, deserialize_with = "null_default")]
    pub state: String,
    /// Human text such as `Up 3 hours (healthy)`.
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub ports: Vec<Port>,
    #[serde(default, deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub portainer: Option<PortainerDecoration>,
}

impl ContainerSummary {
    /// The first name without Docker's leading slash, or the short id.
    pub fn display_name(&self) -> &str {
        match self.names.first() {
            Some(name) => name.trim_start_matches('/'),
            None => self.id.get(..12).unwrap_or(&self.id),
        }
    }

    pub fn resource_control(&self) -> Option<&ResourceControl> {
        self.portainer.as_ref()?.resource_control.as_ref()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Port {
    #[serde(default, rename = "IP")]
    pub ip: Option<String>,
    #[serde(default)]
    pub private_port: u16,
    #[serde(default)]
    pub public_port: Option<u16>,
    /// `tcp`, `udp` or `sctp`.
    #[serde(default, rename = "Type", deserialize_with = "null_default")]
    pub protocol: String,
}

/// `GET /containers/{id}/json`, reduced. `Config.Env` is left out: it often holds secrets.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerInspect {
    pub id: String,
    /// With Docker's leading `/`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// RFC 3339.
    #[serde(default, deserialize_with = "null_default")]
    pub created: String,
    #[serde(default)]
    pub restart_count: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub state: ContainerState,
    #[serde(default, deserialize_with = "null_default")]
    pub config: ContainerConfig,
    #[serde(default)]
    pub portainer: Option<PortainerDecoration>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContainerState {
    #[serde(deserialize_with = "null_default")]
    pub status: String,
    pub running: bool,
    pub paused: bool,
    pub restarting: bool,
    #[serde(rename = "OOMKilled")]
    pub oom_killed: bool,
    pub exit_code: i64,
    #[serde(deserialize_with = "null_default")]
    pub error: String,
    #[serde(deserialize_with = "null_default")]
    pub started_at: String,
    #[serde(deserialize_with = "null_default")]
    pub finished_at: String,
    pub health: Option<ContainerHealth>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContainerHealth {
    /// `starting`, `healthy` or `unhealthy`.
    #[serde(deserialize_with = "null_default")]
    pub status: String,
    pub failing_streak: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContainerConfig {
    #[serde(deserialize_with = "null_default")]
    pub image: String,
    #[serde(deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    /// With a TTY the log stream is raw text, not multiplexed.
    pub tty: bool,
}

/// An entry of `GET /services`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ServiceSummary {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(default, rename = "Spec", deserialize_with = "null_default")]
    pub spec: ServiceSpec,
    #[serde(default, rename = "CreatedAt", deserialize_with = "null_default")]
    pub created_at: String,
    #[serde(default, rename = "UpdatedAt", deserialize_with = "null_default")]
    pub updated_at: String,
    #[serde(default, rename = "Portainer")]
    pub portainer: Option<PortainerDecoration>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServiceSpec {
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    #[serde(deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "null_default")]
    pub mode: ServiceMode,
}

/// Docker's `Spec.Mode`, an object with exactly one key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "RawServiceMode")]
pub enum ServiceMode {
    Replicated {
        replicas: u64,
    },
    Global,
    ReplicatedJob,
    GlobalJob,
    #[default]
    Unknown,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawServiceMode {
    #[serde(default)]
    replicated: Option<RawReplicated>,
    #[serde(default)]
    global: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    replicated_job: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    global_job: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawReplicated {
    #[serde(default)]
    replicas: Option<u64>,
}

impl From<RawServiceMode> for ServiceMode {
    fn from(raw: RawServiceMode) -> Self {
        if let Some(r) = raw.replicated {
            // An unset (nil) Replicas means Docker's default of 1.
            Self::Replicated {
                replicas: r.replicas.unwrap_or(1),
            }
        } else if raw.global.is_some() {
            Self::Global
        } else if raw.replicated_job.is_some() {
            Self::ReplicatedJob
        } else if raw.global_job.is_some() {
            Self::GlobalJob
        } else {
            Self::Unknown
        }
    }
}

/// An entry of `GET /nodes`: what a task's `NodeID` is called.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct NodeSummary {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(default, rename = "Description", deserialize_with = "null_default")]
    pub description: NodeDescription,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NodeDescription {
    #[serde(rename = "Hostname", deserialize_with = "null_default")]
    pub hostname: String,
}

/// An entry of `GET /tasks`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct TaskSummary {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(default, rename = "ServiceID", deserialize_with = "null_default")]
    pub service_id: String,
    /// Empty until the task is scheduled.
    #[serde(default, rename = "NodeID", deserialize_with = "null_default")]
    pub node_id: String,
    /// Absent for global services.
    #[serde(default, rename = "Slot")]
    pub slot: Option<u64>,
    #[serde(default, rename = "DesiredState", deserialize_with = "null_default")]
    pub desired_state: String,
    #[serde(default, rename = "Status", deserialize_with = "null_default")]
    pub status: TaskStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TaskStatus {
    #[serde(deserialize_with = "null_default")]
    pub timestamp: String,
    /// `running`, `failed`, `shutdown`, `pending`, …
    #[serde(deserialize_with = "null_default")]
    pub state: String,
    #[serde(deserialize_with = "null_default")]
    pub message: String,
    #[serde(deserialize_with = "null_default")]
    pub err: String,
    pub container_status: Option<TaskContainerStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TaskContainerStatus {
    #[serde(rename = "ContainerID", deserialize_with = "null_default")]
    pub container_id: String,
    #[serde(rename = "ExitCode")]
    pub exit_code: i64,
}

impl TaskSummary {
    pub fn container_id(&self) -> Option<&str> {
        let status = self.status.container_status.as_ref()?;
        (!status.container_id.is_empty()).then_some(status.container_id.as_str())
    }
}
