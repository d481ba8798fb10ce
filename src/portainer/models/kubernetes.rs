//! Kubernetes objects as the API server returns them through Portainer's Kubernetes proxy
//! (docs/portainer-api.md §15), reduced to what a stack's pods view shows. Kubernetes omits
//! empty and zero fields (it writes no `null` for them), so every field has a default; no
//! per-field null handling, which costs code for each field in the wasm.

use serde::Deserialize;
use std::collections::BTreeMap;

/// `metadata` of any object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    /// RFC 3339, seconds.
    pub creation_timestamp: String,
    pub labels: BTreeMap<String, String>,
}

/// An item of `GET /api/v1/namespaces/{ns}/pods`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Pod {
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: PodSpec,
    #[serde(default)]
    pub status: PodStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec {
    pub containers: Vec<PodContainer>,
    pub node_name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PodContainer {
    pub name: String,
    pub image: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    pub phase: String,
    /// Why a pod failed or was evicted (`Evicted`, `NodeLost`).
    pub reason: String,
    pub message: String,
    pub container_statuses: Vec<PodContainerStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodContainerStatus {
    pub name: String,
    pub ready: bool,
    pub restart_count: u32,
    pub state: PodContainerState,
    /// The previous run, for a container that restarted.
    pub last_state: PodContainerState,
}

/// `{"running":{…}}`, `{"waiting":{…}}` or `{"terminated":{…}}`: one key set by the kubelet,
/// none while the pod is being scheduled. Read as a map of one detail type: three optional
/// structs cost the wasm three times the code.
pub type PodContainerState = BTreeMap<String, StateDetail>;

/// The fields of a `waiting` or `terminated` state that Portlight shows (`running` has only
/// `startedAt`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StateDetail {
    pub reason: String,
    pub message: String,
    pub exit_code: i32,
}

/// An item of the `apps/v1` Deployment, StatefulSet or DaemonSet lists: its name and which
/// pods it owns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct KubeWorkload {
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: KubeWorkloadSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct KubeWorkloadSpec {
    pub selector: LabelSelector,
}

/// `matchLabels` and `matchExpressions`, all of which must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<LabelRequirement>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LabelRequirement {
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: String,
    pub values: Vec<String>,
}

impl LabelSelector {
    /// Whether `labels` satisfy the selector. An empty selector selects nothing here: the
    /// `apps/v1` API refuses one, and taking it for "everything" would claim a whole namespace.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        if self.match_labels.is_empty() && self.match_expressions.is_empty() {
            return false;
        }
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => value.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !r.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }
}
