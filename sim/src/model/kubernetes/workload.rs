//! The `apps/v1` workloads of a cluster (Deployments, StatefulSets, DaemonSets) and how their
//! controllers count the pods they own. Their JSON is in [`super::apps`].

use super::{uid, Cluster, Labels, Pod};

/// A workload's kind, and its resource as paths and RBAC name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
}

impl WorkloadKind {
    /// The resource in `/apis/apps/v1/namespaces/{ns}/{resource}` and in RBAC's words.
    pub fn resource(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployments",
            WorkloadKind::StatefulSet => "statefulsets",
            WorkloadKind::DaemonSet => "daemonsets",
        }
    }

    pub fn from_resource(resource: &str) -> Option<Self> {
        [
            WorkloadKind::Deployment,
            WorkloadKind::StatefulSet,
            WorkloadKind::DaemonSet,
        ]
        .into_iter()
        .find(|k| k.resource() == resource)
    }

    /// The `kind` (`Deployment`); its list is `<kind>List`.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
        }
    }
}

/// A container of a pod template: what the manifest (or chart) says.
#[derive(Clone, Debug)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub ports: Vec<u16>,
    pub env: Vec<(String, String)>,
}

/// A Deployment, StatefulSet or DaemonSet.
#[derive(Clone, Debug)]
pub struct Workload {
    pub kind: WorkloadKind,
    pub name: String,
    pub namespace: String,
    /// The object's own labels: where `kubectl apply` of a Portainer stack puts the
    /// `io.portainer.kubernetes.application.*` ones (`api/kubernetes/yaml.go` `AddAppLabels`).
    pub labels: Labels,
    pub annotations: Labels,
    pub created: i64,
    /// `metadata.generation`, which the controller has observed (`status.observedGeneration`).
    pub generation: i64,
    pub resource_version: u64,
    /// `spec.replicas`; for a DaemonSet, the nodes that should run its pod
    /// (`status.desiredNumberScheduled`).
    pub replicas: i64,
    /// `spec.selector.matchLabels`.
    pub match_labels: Labels,
    /// `spec.template.metadata.labels`: what its pods carry, before the controller adds its own.
    pub template_labels: Labels,
    pub containers: Vec<ContainerSpec>,
    /// A Deployment's current ReplicaSet is `<name>-<revision>` and labels its pods
    /// `pod-template-hash=<revision>`; a StatefulSet's or DaemonSet's pods carry
    /// `controller-revision-hash=<revision>`: for a StatefulSet the name of its current
    /// ControllerRevision (`<name>-<hash>`, also its status' `currentRevision`), for a
    /// DaemonSet the hash alone.
    pub revision: String,
    /// A StatefulSet's `spec.serviceName`.
    pub service_name: String,
    /// When its pods were last all ready (the conditions' times).
    pub ready_since: i64,
}

/// What a workload's controller counts among the pods it owns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodCounts {
    /// Pods it owns.
    pub current: i64,
    /// Of those, made from its current template.
    pub updated: i64,
    /// Of those, with a `Ready` condition (`minReadySeconds` 0: available as soon as ready).
    pub ready: i64,
}

impl Workload {
    pub fn uid(&self) -> String {
        uid(&format!(
            "{}/{}/{}",
            self.kind.name(),
            self.namespace,
            self.name
        ))
    }

    /// The controller its pods name as their owner: the current ReplicaSet for a Deployment
    /// (`pkg/controller/deployment/sync.go` names it `<deployment>-<pod-template-hash>`),
    /// the workload itself otherwise.
    pub fn pod_owner(&self) -> (&'static str, String) {
        match self.kind {
            WorkloadKind::Deployment => ("ReplicaSet", format!("{}-{}", self.name, self.revision)),
            kind => (kind.name(), self.name.clone()),
        }
    }

    /// The label its controller stamps its current revision with.
    fn revision_label(&self) -> &'static str {
        match self.kind {
            WorkloadKind::Deployment => "pod-template-hash",
            _ => "controller-revision-hash",
        }
    }

    pub fn owns(&self, pod: &Pod) -> bool {
        let (kind, name) = self.pod_owner();
        pod.namespace == self.namespace
            && pod
                .owner
                .as_ref()
                .is_some_and(|o| o.kind == kind && o.name == name)
    }

    /// Its pods as its controller counts them.
    pub fn counts(&self, cluster: &Cluster) -> PodCounts {
        let mut counts = PodCounts::default();
        for pod in cluster.pods.iter().filter(|p| self.owns(p)) {
            counts.current += 1;
            if pod.labels.get(self.revision_label()) == Some(&self.revision) {
                counts.updated += 1;
            }
            if pod.is_ready() {
                counts.ready += 1;
            }
        }
        counts
    }
}
