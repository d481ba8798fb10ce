//! The `apps/v1` workloads of k8s-lab: stack k8s-demo's Deployment `demo-web` (labelled by
//! Portainer, its pod template not), the Helm releases beside it (StatefulSet
//! `cache-redis-master` in `demo`; Deployments `prometheus-server` and, scaled to zero,
//! `prometheus-prometheus-pushgateway` in `ops`), and kubeadm's DaemonSet `kube-proxy`.
//! Each one's template labels are its pods' labels less those its controller adds, so
//! `spec.selector.matchLabels` selects exactly the pods it owns.

use super::labels;
use crate::model::kubernetes::{ContainerSpec, Labels, Workload, WorkloadKind};

/// The labels a controller adds to the pods of its template (`apps/v1` `types.go`:
/// `DefaultDeploymentUniqueLabelKey`, `ControllerRevisionHashLabelKey`,
/// `StatefulSetPodNameLabel`, `PodIndexLabel`; the DaemonSet's `pod-template-generation`).
const CONTROLLER_LABELS: [&str; 5] = [
    "pod-template-hash",
    "controller-revision-hash",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "pod-template-generation",
];

/// A pod's labels as its template wrote them.
pub fn template_labels(pod_labels: &Labels) -> Labels {
    pod_labels
        .iter()
        .filter(|(k, _)| !CONTROLLER_LABELS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

pub fn container(name: &str, image: &str, ports: &[u16], env: &[(&str, &str)]) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: image.into(),
        ports: ports.to_vec(),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// What a Helm release writes on every object it installs.
fn helm_annotations(release: &str, namespace: &str, revision: Option<&str>) -> Labels {
    let mut annotations = labels(&[
        ("meta.helm.sh/release-name", release),
        ("meta.helm.sh/release-namespace", namespace),
    ]);
    if let Some(revision) = revision {
        annotations.insert("deployment.kubernetes.io/revision".into(), revision.into());
    }
    annotations
}

/// The fields every seeded workload sets; callers change what differs.
pub struct Seed<'a> {
    pub kind: WorkloadKind,
    pub namespace: &'a str,
    pub name: &'a str,
    /// The labels of one of its pods (the template's are derived from them).
    pub pod_labels: &'a Labels,
    pub containers: Vec<ContainerSpec>,
    pub replicas: i64,
    pub revision: &'a str,
    pub created: i64,
    pub ready_since: i64,
    pub resource_version: u64,
}

pub fn workload(seed: Seed) -> Workload {
    let template_labels = template_labels(seed.pod_labels);
    Workload {
        kind: seed.kind,
        name: seed.name.into(),
        namespace: seed.namespace.into(),
        labels: Labels::new(),
        annotations: Labels::new(),
        created: seed.created,
        generation: 1,
        resource_version: seed.resource_version,
        replicas: seed.replicas,
        match_labels: template_labels.clone(),
        template_labels,
        containers: seed.containers,
        revision: seed.revision.into(),
        service_name: String::new(),
        ready_since: seed.ready_since,
    }
}

/// Stack k8s-demo's Deployment: the manifest's labels plus Portainer's (`AddAppLabels`), as
/// `kubectl apply` created it; `deployment.kubernetes.io/revision` is the deployment
/// controller's.
pub fn demo_web(seed: Seed, stack_labels: Labels) -> Workload {
    let mut w = workload(seed);
    w.labels = labels(&[("app", "demo-web")]);
    w.labels.extend(stack_labels);
    w.annotations = labels(&[("deployment.kubernetes.io/revision", "1")]);
    w.match_labels = labels(&[("app", "demo-web")]);
    w
}

/// Bitnami's Redis chart, release `cache`: a StatefulSet behind the headless service
/// `cache-redis-headless`.
pub fn cache_redis(seed: Seed) -> Workload {
    let mut w = workload(seed);
    w.labels = labels(&[
        ("app.kubernetes.io/component", "master"),
        ("app.kubernetes.io/instance", "cache"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "redis"),
        ("app.kubernetes.io/version", "7.2.5"),
        ("helm.sh/chart", "redis-19.6.4"),
    ]);
    w.annotations = helm_annotations("cache", &w.namespace, None);
    w.match_labels = labels(&[
        ("app.kubernetes.io/component", "master"),
        ("app.kubernetes.io/instance", "cache"),
        ("app.kubernetes.io/name", "redis"),
    ]);
    w.service_name = "cache-redis-headless".into();
    w
}

/// The prometheus-community chart, release `prometheus`: its server.
pub fn prometheus_server(seed: Seed) -> Workload {
    let mut w = workload(seed);
    w.labels = labels(&[
        ("app.kubernetes.io/component", "server"),
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "prometheus"),
        ("app.kubernetes.io/part-of", "prometheus"),
        ("app.kubernetes.io/version", "v2.53.0"),
        ("helm.sh/chart", "prometheus-25.24.0"),
    ]);
    w.annotations = helm_annotations("prometheus", &w.namespace, Some("1"));
    w.match_labels = labels(&[
        ("app.kubernetes.io/component", "server"),
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/name", "prometheus"),
    ]);
    w
}

/// The same release's Pushgateway, scaled to zero after the install (generation 2): no pods,
/// so every counter of its status is zero and left out.
pub fn pushgateway(namespace: &str, installed: i64, scaled_down: i64) -> Workload {
    let pod_labels = labels(&[
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "prometheus-pushgateway"),
    ]);
    let mut w = workload(Seed {
        kind: WorkloadKind::Deployment,
        namespace,
        name: "prometheus-prometheus-pushgateway",
        pod_labels: &pod_labels,
        containers: vec![container(
            "pushgateway",
            "quay.io/prometheus/pushgateway:v1.8.0",
            &[9091],
            &[],
        )],
        replicas: 0,
        revision: "6c8d9b7f5",
        created: installed,
        ready_since: scaled_down,
        resource_version: 39_884,
    });
    w.generation = 2;
    w.labels = labels(&[
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "prometheus-pushgateway"),
        ("app.kubernetes.io/version", "v1.8.0"),
        ("helm.sh/chart", "prometheus-pushgateway-2.13.0"),
    ]);
    w.annotations = helm_annotations("prometheus", namespace, Some("1"));
    w.match_labels = labels(&[
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/name", "prometheus-pushgateway"),
    ]);
    w
}
