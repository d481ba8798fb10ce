//! Namespace `kube-system`: kubeadm's DaemonSet `kube-proxy`, one pod on each of k8s-lab's
//! three nodes (`k8s-lab-control-plane` and the two workers the other pods run on), on the
//! host's network. Only administrators may list them.

use super::workloads::{container, workload, Seed};
use super::{labels, owned, pod, running};
use crate::model::docker::LogKind;
use crate::model::kubernetes::{Pod, Workload, WorkloadKind};

const NAMESPACE: &str = "kube-system";
const IMAGE: &str = "registry.k8s.io/kube-proxy:v1.30.4";
/// Its ControllerRevision's hash: a DaemonSet's pods carry the hash alone.
const REVISION: &str = "7cc5d6f8b9";

/// The DaemonSet and its pods, created with the cluster `age` seconds before `boot`.
pub fn kube_proxy(boot: i64, age: i64) -> (Workload, Vec<Pod>) {
    let created = boot - age;
    let pod_labels = labels(&[
        ("controller-revision-hash", REVISION),
        ("k8s-app", "kube-proxy"),
        ("pod-template-generation", "1"),
    ]);
    let nodes = [
        ("kube-proxy-7xq2b", "k8s-lab-control-plane", "10.0.5.10", 0),
        ("kube-proxy-m4k9d", "k8s-lab-worker-1", "10.0.5.11", 95),
        ("kube-proxy-tp6wz", "k8s-lab-worker-2", "10.0.5.12", 140),
    ];
    let pods = nodes
        .iter()
        .enumerate()
        .map(|(n, &(name, node, ip, joined))| {
            let started = created + joined + 12;
            let proxy = running("kube-proxy", IMAGE, &[], started, LogKind::Generic);
            let mut p = pod(NAMESPACE, name, 40 + n as u8, created + joined, vec![proxy]);
            // `hostNetwork`: the pod has its node's address.
            p.node = node.into();
            p.host_ip = ip.into();
            p.pod_ip = ip.into();
            p.labels = pod_labels.clone();
            owned(p, "DaemonSet", "kube-proxy")
        })
        .collect();
    let mut ds = workload(Seed {
        kind: WorkloadKind::DaemonSet,
        namespace: NAMESPACE,
        name: "kube-proxy",
        pod_labels: &pod_labels,
        containers: vec![container("kube-proxy", IMAGE, &[], &[])],
        replicas: nodes.len() as i64,
        revision: REVISION,
        created,
        ready_since: created + 140 + 14,
        resource_version: 1_873,
    });
    ds.labels = labels(&[("k8s-app", "kube-proxy")]);
    ds.annotations = labels(&[("deprecated.daemonset.template.generation", "1")]);
    (ds, pods)
}
