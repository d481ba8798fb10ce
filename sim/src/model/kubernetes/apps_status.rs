//! The `status` of an `apps/v1` workload, as its controller writes it. Counters tagged
//! `omitempty` in `k8s.io/api/apps/v1/types.go` are left out at zero: every counter of a
//! `DeploymentStatus`, all but `replicas` and `availableReplicas` of a `StatefulSetStatus`,
//! and all but the first four of a `DaemonSetStatus`.

use serde::Serialize;

use super::time;
use super::workload::{PodCounts, Workload, WorkloadKind};

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum Status {
    Deployment(DeploymentStatus),
    StatefulSet(StatefulSetStatus),
    DaemonSet(DaemonSetStatus),
}

/// `DeploymentStatus`: `pkg/controller/deployment/sync.go` `calculateStatus`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    #[serde(skip_serializing_if = "is_zero")]
    observed_generation: i64,
    #[serde(skip_serializing_if = "is_zero")]
    replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    updated_replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    ready_replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    available_replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    unavailable_replicas: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conditions: Vec<DeploymentCondition>,
}

/// `DeploymentCondition`, in its field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeploymentCondition {
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    last_update_time: String,
    last_transition_time: String,
    reason: &'static str,
    message: String,
}

/// `StatefulSetStatus`: `replicas` and `availableReplicas` have no `omitempty`; the controller
/// sets `collisionCount` (a pointer) to 0 and no conditions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetStatus {
    #[serde(skip_serializing_if = "is_zero")]
    observed_generation: i64,
    replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    ready_replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    current_replicas: i64,
    #[serde(skip_serializing_if = "is_zero")]
    updated_replicas: i64,
    current_revision: String,
    update_revision: String,
    collision_count: i64,
    available_replicas: i64,
}

/// `DaemonSetStatus`: the first four counters have no `omitempty`; no conditions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    current_number_scheduled: i64,
    number_misscheduled: i64,
    desired_number_scheduled: i64,
    number_ready: i64,
    #[serde(skip_serializing_if = "is_zero")]
    observed_generation: i64,
    #[serde(skip_serializing_if = "is_zero")]
    updated_number_scheduled: i64,
    #[serde(skip_serializing_if = "is_zero")]
    number_available: i64,
    #[serde(skip_serializing_if = "is_zero")]
    number_unavailable: i64,
}

impl Status {
    /// `minReadySeconds` is 0 throughout: a ready pod is available.
    pub fn of(w: &Workload, pods: PodCounts) -> Self {
        let available = pods.ready;
        match w.kind {
            WorkloadKind::Deployment => Status::Deployment(DeploymentStatus {
                observed_generation: w.generation,
                replicas: pods.current,
                updated_replicas: pods.updated,
                ready_replicas: pods.ready,
                available_replicas: available,
                // `calculateStatus`: the ReplicaSets' desired replicas less the available ones,
                // never below 0.
                unavailable_replicas: (w.replicas - available).max(0),
                conditions: deployment_conditions(w, available),
            }),
            WorkloadKind::StatefulSet => Status::StatefulSet(StatefulSetStatus {
                observed_generation: w.generation,
                replicas: pods.current,
                ready_replicas: pods.ready,
                current_replicas: pods.updated,
                updated_replicas: pods.updated,
                current_revision: w.revision.clone(),
                update_revision: w.revision.clone(),
                collision_count: 0,
                available_replicas: available,
            }),
            WorkloadKind::DaemonSet => Status::DaemonSet(DaemonSetStatus {
                current_number_scheduled: pods.current,
                number_misscheduled: 0,
                desired_number_scheduled: w.replicas,
                number_ready: pods.ready,
                observed_generation: w.generation,
                updated_number_scheduled: pods.updated,
                number_available: available,
                number_unavailable: (w.replicas - available).max(0),
            }),
        }
    }
}

/// `Available` then `Progressing` (`deployment/util/deployment_util.go`: the texts of
/// `MinimumReplicasAvailable`, `MinimumReplicasUnavailable` and `NewReplicaSetAvailable`;
/// `SetDeploymentCondition` appends the condition it changes last, so `Progressing`, updated
/// when the new ReplicaSet became available, comes after `Available`). Availability needs
/// `replicas - maxUnavailable` available pods, the default `maxUnavailable` being 25% rounded
/// down.
fn deployment_conditions(w: &Workload, available: i64) -> Vec<DeploymentCondition> {
    let ready_at = time(w.ready_since);
    let minimum = w.replicas - w.replicas * 25 / 100;
    let (status, reason, message) = if available >= minimum {
        (
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
        )
    } else {
        (
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
        )
    };
    let (_, replica_set) = w.pod_owner();
    vec![
        DeploymentCondition {
            kind: "Available",
            status,
            last_update_time: ready_at.clone(),
            last_transition_time: ready_at.clone(),
            reason,
            message: message.into(),
        },
        DeploymentCondition {
            kind: "Progressing",
            status: "True",
            last_update_time: ready_at,
            last_transition_time: time(w.created),
            reason: "NewReplicaSetAvailable",
            message: format!("ReplicaSet {replica_set:?} has successfully progressed."),
        },
    ]
}
