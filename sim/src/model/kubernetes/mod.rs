//! The Kubernetes cluster behind an environment of type 5, 6 or 7, as Portainer's Kubernetes
//! proxy (`/api/endpoints/{id}/kubernetes/...`) reaches it: namespaces, Portainer's namespace
//! access policies, pods with their containers, and the `apps/v1` workloads that own some of
//! them, rendered in the API server's own JSON (core/v1 and apps/v1 of Kubernetes 1.30, the
//! version k8s-lab reports).

mod apps;
mod apps_status;
mod pod;
mod workload;

pub use apps::workload_list;
pub use pod::pod_list;
pub use workload::{ContainerSpec, Workload, WorkloadKind};

use std::collections::BTreeMap;

use crate::clock::utc;
use crate::model::docker::{hex_id, LogKind};
use crate::model::endpoint::Policies;

/// Labels (or annotations), in the key order Go writes a map in.
pub type Labels = BTreeMap<String, String>;

/// `metav1.ListMeta` of a list: the cluster's `resourceVersion`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    resource_version: String,
}

impl ListMeta {
    fn of(cluster: &Cluster) -> Self {
        ListMeta {
            resource_version: cluster.resource_version.to_string(),
        }
    }
}

/// The labels Portainer adds to the top-level objects of a Kubernetes stack's manifests
/// (`api/kubernetes/yaml.go`: the `labelPortainerApp*` constants, `KubeAppLabels.ToMap`,
/// `AddAppLabels`). Pod templates are left alone, so the pods of a Deployment do not carry
/// them; a bare `Pod` in the manifest does.
pub const LABEL_APP_STACK: &str = "io.portainer.kubernetes.application.stack";
pub const LABEL_APP_STACK_ID: &str = "io.portainer.kubernetes.application.stackid";
pub const LABEL_APP_NAME: &str = "io.portainer.kubernetes.application.name";
pub const LABEL_APP_OWNER: &str = "io.portainer.kubernetes.application.owner";
pub const LABEL_APP_KIND: &str = "io.portainer.kubernetes.application.kind";

/// `api/kubernetes/cli/naming.go` `defaultNamespace`.
pub const DEFAULT_NAMESPACE: &str = "default";
/// `api/kubernetes/cli/naming.go` `portainerNamespace`: where Portainer's service accounts live.
pub const PORTAINER_NAMESPACE: &str = "portainer";

/// `portainer.K8sNamespaceAccessPolicy`, one per namespace, kept by Portainer in the config map
/// `portainer-config` (key `NamespaceAccessPolicies`) of namespace `portainer`
/// (`api/kubernetes/cli/access.go` `GetNamespaceAccessPolicies`).
#[derive(Clone, Debug, Default)]
pub struct NamespaceAccessPolicy {
    pub user_access_policies: Policies,
    pub team_access_policies: Policies,
}

/// One environment's cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub env_id: i64,
    /// The `resourceVersion` a list answers with.
    pub resource_version: u64,
    pub namespaces: Vec<String>,
    pub access_policies: BTreeMap<String, NamespaceAccessPolicy>,
    pub pods: Vec<Pod>,
    pub workloads: Vec<Workload>,
}

impl Cluster {
    /// A cluster with only the namespaces kubeadm creates and Portainer's own.
    pub fn empty(env_id: i64) -> Self {
        Cluster {
            env_id,
            resource_version: 1,
            namespaces: [
                DEFAULT_NAMESPACE,
                "kube-node-lease",
                "kube-public",
                "kube-system",
                PORTAINER_NAMESPACE,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            access_policies: BTreeMap::new(),
            pods: Vec::new(),
            workloads: Vec::new(),
        }
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.pods
            .iter()
            .find(|p| p.namespace == namespace && p.name == name)
    }
}

/// The controller that created a pod (`metadata.ownerReferences[0]`).
#[derive(Clone, Debug)]
pub struct OwnerReference {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    pub owner: Option<OwnerReference>,
    pub created: i64,
    pub node: String,
    pub host_ip: String,
    pub pod_ip: String,
    /// `Always` (the default), `OnFailure` or `Never`.
    pub restart_policy: &'static str,
    pub containers: Vec<PodContainer>,
    pub resource_version: u64,
}

impl Pod {
    pub fn uid(&self) -> String {
        uid(&format!("pod/{}/{}", self.namespace, self.name))
    }

    pub fn container(&self, name: &str) -> Option<&PodContainer> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// The kubelet's `getPhase` for the seeded shapes: every container terminated → Succeeded
    /// (all exit 0) or Failed; one running, or restarting after a crash → Running; else
    /// Pending.
    pub fn phase(&self) -> &'static str {
        let terminated: Vec<&Terminated> = self
            .containers
            .iter()
            .filter_map(|c| match &c.state {
                ContainerState::Terminated(t) => Some(t),
                _ => None,
            })
            .collect();
        if !self.containers.is_empty() && terminated.len() == self.containers.len() {
            return if terminated.iter().all(|t| t.exit_code == 0) {
                "Succeeded"
            } else {
                "Failed"
            };
        }
        let alive = self
            .containers
            .iter()
            .any(|c| matches!(c.state, ContainerState::Running { .. }) || c.last_state.is_some());
        if alive {
            "Running"
        } else {
            "Pending"
        }
    }

    /// Its `Ready` condition: running with every container ready.
    pub fn is_ready(&self) -> bool {
        self.phase() == "Running" && self.containers.iter().all(PodContainer::ready)
    }
}

#[derive(Clone, Debug)]
pub struct Terminated {
    pub exit_code: i64,
    pub reason: String,
    pub started_at: i64,
    pub finished_at: i64,
}

#[derive(Clone, Debug)]
pub enum ContainerState {
    Running { started_at: i64 },
    Waiting { reason: String, message: String },
    Terminated(Terminated),
}

#[derive(Clone, Debug)]
pub struct PodContainer {
    pub name: String,
    pub image: String,
    pub ports: Vec<u16>,
    pub state: ContainerState,
    /// `lastState.terminated`: the previous run, after a restart.
    pub last_state: Option<Terminated>,
    pub restart_count: i64,
    /// `env` of its spec: name and value.
    pub env: Vec<(String, String)>,
    /// What its log says (the same generator as the Docker containers' logs).
    pub log: LogKind,
}

impl PodContainer {
    pub fn ready(&self) -> bool {
        matches!(self.state, ContainerState::Running { .. })
    }

    /// The run whose log the kubelet serves (`pkg/kubelet/kubelet_pods.go`
    /// `validateContainerLogStatus`): the running one; else the terminated one; else, while
    /// waiting to restart, the last terminated run. `(started, finished)`, `None` for a run
    /// that goes on; no run at all for a container that never started.
    pub fn log_run(&self) -> Option<(i64, Option<i64>)> {
        match (&self.state, &self.last_state) {
            (ContainerState::Running { started_at }, _) => Some((*started_at, None)),
            (ContainerState::Terminated(t), _) | (ContainerState::Waiting { .. }, Some(t)) => {
                Some((t.started_at, Some(t.finished_at)))
            }
            (ContainerState::Waiting { .. }, None) => None,
        }
    }
}

/// A stable, random-looking version 4 UUID derived from `seed` (Kubernetes' `metadata.uid`).
pub fn uid(seed: &str) -> String {
    let hex = hex_id(seed);
    let variant = ["8", "9", "a", "b"][usize::from(hex.as_bytes()[16]) % 4];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// `metav1.Time` in JSON: RFC 3339 to the second, in UTC.
pub fn time(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_look_like_kubernetes_ones() {
        let id = uid("pod/demo/demo-worker");
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert_eq!(id, uid("pod/demo/demo-worker"));
        assert_eq!(time(1_752_000_000), "2025-07-08T18:40:00Z");
    }
}
