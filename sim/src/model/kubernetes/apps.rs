//! `apps/v1` workloads as the API server writes them (`k8s.io/api/apps/v1/types.go`): keys in
//! the Go structs' order, zero counters left out where their `json` tag says `omitempty`, and
//! the defaults the API server fills in (`pkg/apis/apps/v1/defaults.go`,
//! `pkg/apis/core/v1/defaults.go`). Statuses are what the controllers write for the pods the
//! workload owns (`pkg/controller/deployment/sync.go` `calculateStatus`,
//! `statefulset/stateful_set_control.go` `updateStatefulSetStatus`,
//! `daemon/daemon_controller.go` `updateDaemonSetStatus`).

use serde::Serialize;

use super::workload::{ContainerSpec, PodCounts, Workload, WorkloadKind};
use super::{time, Cluster, Labels, ListMeta};

/// `DeploymentList`, `StatefulSetList` or `DaemonSetList`: items carry no `kind` of their own.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadList<'a> {
    kind: String,
    api_version: &'static str,
    metadata: ListMeta,
    pub items: Vec<Object<'a>>,
}

pub fn workload_list<'a>(
    cluster: &'a Cluster,
    kind: WorkloadKind,
    workloads: impl Iterator<Item = &'a Workload>,
) -> WorkloadList<'a> {
    WorkloadList {
        kind: format!("{}List", kind.name()),
        api_version: "apps/v1",
        metadata: ListMeta::of(cluster),
        items: workloads
            .map(|w| Object::of(w, w.counts(cluster)))
            .collect(),
    }
}

/// `metav1.ObjectMeta`, the fields a workload has.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectMeta<'a> {
    name: &'a str,
    namespace: &'a str,
    uid: String,
    resource_version: String,
    generation: i64,
    creation_timestamp: String,
    #[serde(skip_serializing_if = "Labels::is_empty")]
    labels: &'a Labels,
    #[serde(skip_serializing_if = "Labels::is_empty")]
    annotations: &'a Labels,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LabelSelector<'a> {
    match_labels: &'a Labels,
}

/// `PodTemplateSpec`. A template's `metav1.Time` is zero, which Kubernetes 1.30 writes as
/// `"creationTimestamp": null`.
#[derive(Serialize)]
struct PodTemplate<'a> {
    metadata: TemplateMeta<'a>,
    spec: TemplateSpec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplateMeta<'a> {
    creation_timestamp: Option<String>,
    labels: &'a Labels,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplateSpec {
    containers: Vec<Container>,
    restart_policy: &'static str,
    termination_grace_period_seconds: i64,
    dns_policy: &'static str,
    security_context: Empty,
    scheduler_name: &'static str,
}

#[derive(Serialize)]
struct Empty {}

/// `core/v1` `Container`, in its field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Container {
    name: String,
    image: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ports: Vec<ContainerPort>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    env: Vec<EnvVar>,
    resources: Empty,
    termination_message_path: &'static str,
    termination_message_policy: &'static str,
    image_pull_policy: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContainerPort {
    container_port: u16,
    protocol: &'static str,
}

#[derive(Serialize)]
struct EnvVar {
    name: String,
    value: String,
}

impl Container {
    fn of(spec: &ContainerSpec) -> Self {
        // `SetDefaults_Container`: `Always` for `:latest` or no tag, else `IfNotPresent`.
        let tag = spec.image.rsplit('/').next().unwrap_or_default();
        let pull = match tag.split_once(':') {
            Some((_, t)) if t != "latest" => "IfNotPresent",
            _ => "Always",
        };
        Container {
            name: spec.name.clone(),
            image: spec.image.clone(),
            ports: spec
                .ports
                .iter()
                .map(|&p| ContainerPort {
                    container_port: p,
                    protocol: "TCP",
                })
                .collect(),
            env: spec
                .env
                .iter()
                .map(|(name, value)| EnvVar {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            resources: Empty {},
            termination_message_path: "/dev/termination-log",
            termination_message_policy: "File",
            image_pull_policy: pull,
        }
    }
}

impl<'a> PodTemplate<'a> {
    fn of(w: &'a Workload) -> Self {
        PodTemplate {
            metadata: TemplateMeta {
                creation_timestamp: None,
                labels: &w.template_labels,
            },
            spec: TemplateSpec {
                containers: w.containers.iter().map(Container::of).collect(),
                restart_policy: "Always",
                termination_grace_period_seconds: 30,
                dns_policy: "ClusterFirst",
                security_context: Empty {},
                scheduler_name: "default-scheduler",
            },
        }
    }
}

/// A `maxUnavailable`/`maxSurge`: an `IntOrString`.
#[derive(Serialize)]
#[serde(untagged)]
enum IntOrString {
    Int(i64),
    Str(&'static str),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RollingUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    partition: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_unavailable: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_surge: Option<IntOrString>,
}

/// `strategy` (Deployment) or `updateStrategy` (StatefulSet, DaemonSet), as defaulted.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Strategy {
    #[serde(rename = "type")]
    kind: &'static str,
    rolling_update: RollingUpdate,
}

impl Strategy {
    fn of(kind: WorkloadKind) -> Self {
        let rolling_update = match kind {
            WorkloadKind::Deployment => RollingUpdate {
                partition: None,
                max_unavailable: Some(IntOrString::Str("25%")),
                max_surge: Some(IntOrString::Str("25%")),
            },
            WorkloadKind::StatefulSet => RollingUpdate {
                partition: Some(0),
                max_unavailable: None,
                max_surge: None,
            },
            WorkloadKind::DaemonSet => RollingUpdate {
                partition: None,
                max_unavailable: Some(IntOrString::Int(1)),
                max_surge: Some(IntOrString::Int(0)),
            },
        };
        Strategy {
            kind: "RollingUpdate",
            rolling_update,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RetentionPolicy {
    when_deleted: &'static str,
    when_scaled: &'static str,
}

/// The three specs in one, each key present only for the kinds that have it, in the order
/// of `DeploymentSpec`, `StatefulSetSpec` and `DaemonSetSpec` (which agree where they meet).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    replicas: Option<i64>,
    selector: LabelSelector<'a>,
    template: PodTemplate<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strategy: Option<Strategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pod_management_policy: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    update_strategy: Option<Strategy>,
    revision_history_limit: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    progress_deadline_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    persistent_volume_claim_retention_policy: Option<RetentionPolicy>,
}

impl<'a> Spec<'a> {
    fn of(w: &'a Workload) -> Self {
        let deployment = w.kind == WorkloadKind::Deployment;
        let stateful = w.kind == WorkloadKind::StatefulSet;
        Spec {
            replicas: (w.kind != WorkloadKind::DaemonSet).then_some(w.replicas),
            selector: LabelSelector {
                match_labels: &w.match_labels,
            },
            template: PodTemplate::of(w),
            strategy: deployment.then(|| Strategy::of(w.kind)),
            service_name: stateful.then_some(w.service_name.as_str()),
            pod_management_policy: stateful.then_some("OrderedReady"),
            update_strategy: (!deployment).then(|| Strategy::of(w.kind)),
            revision_history_limit: 10,
            progress_deadline_seconds: deployment.then_some(600),
            persistent_volume_claim_retention_policy: stateful.then_some(RetentionPolicy {
                when_deleted: "Retain",
                when_scaled: "Retain",
            }),
        }
    }
}

/// A workload item: `metadata`, `spec`, `status`.
#[derive(Serialize)]
pub struct Object<'a> {
    metadata: ObjectMeta<'a>,
    spec: Spec<'a>,
    status: super::apps_status::Status,
}

impl<'a> Object<'a> {
    fn of(w: &'a Workload, counts: PodCounts) -> Self {
        Object {
            metadata: ObjectMeta {
                name: &w.name,
                namespace: &w.namespace,
                uid: w.uid(),
                resource_version: w.resource_version.to_string(),
                generation: w.generation,
                creation_timestamp: time(w.created),
                labels: &w.labels,
                annotations: &w.annotations,
            },
            spec: Spec::of(w),
            status: super::apps_status::Status::of(w, counts),
        }
    }
}
