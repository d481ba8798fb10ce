//! The cluster behind `k8s-lab`: namespace `demo` with the pods of stack `k8s-demo` and of
//! things deployed beside it, namespace `ops` that alice may not use, and Portainer's namespace
//! access policies. Added after the rest of the demo; nothing else changes.

use std::collections::BTreeMap;

use super::files;
use crate::demo::*;
use crate::model::docker::LogKind;
use crate::model::endpoint::policies;
use crate::model::kubernetes::{
    uid, Cluster, ContainerState, NamespaceAccessPolicy, OwnerReference, Pod, PodContainer,
    Terminated, LABEL_APP_KIND, LABEL_APP_NAME, LABEL_APP_OWNER, LABEL_APP_STACK,
    LABEL_APP_STACK_ID,
};
use crate::state::State;

/// The document of the bare pod `demo-worker`, the stack file's third: a bare `Pod` is a
/// top-level object, so it gets the stack's labels (`api/kubernetes/yaml.go`
/// `addResourceLabels`); the Deployment's pods get only their template's.
const DEMO_WORKER_MANIFEST: &str = r#"---
apiVersion: v1
kind: Pod
metadata:
  name: demo-worker
  namespace: demo
  labels:
    app: demo-worker
spec:
  containers:
    - name: worker
      image: ghcr.io/acme/demo-worker:1.3.0
      env:
        - name: QUEUE_URL
          value: "redis://cache-redis-master:6379/0"
    - name: metrics
      image: prom/statsd-exporter:v0.26.1
      ports:
        - containerPort: 9102
"#;

/// How long ago (from the simulator's start) the stack's pods started.
const DEPLOYED_AGO: i64 = 2 * 3600 + 600;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn running(name: &str, image: &str, ports: &[u16], started_at: i64, log: LogKind) -> PodContainer {
    PodContainer {
        name: name.into(),
        image: image.into(),
        ports: ports.to_vec(),
        state: ContainerState::Running { started_at },
        last_state: None,
        restart_count: 0,
        log,
    }
}

/// A pod on one of the three nodes; `slot` picks the node and the pod's address.
fn pod(namespace: &str, name: &str, slot: u8, created: i64, containers: Vec<PodContainer>) -> Pod {
    let node = 1 + slot % 2;
    Pod {
        name: name.into(),
        namespace: namespace.into(),
        labels: BTreeMap::new(),
        owner: None,
        created,
        node: format!("k8s-lab-worker-{node}"),
        host_ip: format!("10.0.5.{}", 10 + node),
        pod_ip: format!("10.244.{node}.{}", 10 + slot),
        restart_policy: "Always",
        containers,
        resource_version: 40_000 + u64::from(slot) * 137,
    }
}

fn owned(mut pod: Pod, kind: &'static str, owner: &str) -> Pod {
    let api_version = if kind == "Job" { "batch/v1" } else { "apps/v1" };
    pod.owner = Some(OwnerReference {
        api_version,
        kind,
        name: owner.into(),
    });
    pod
}

/// Stack `k8s-demo`'s pods: Deployment `demo-web` (two replicas through its ReplicaSet,
/// labelled by their template only) and the bare pod `demo-worker`, whose `worker` container
/// crashes and waits to restart while its `metrics` sidecar runs.
fn stack_pods(boot: i64) -> Vec<Pod> {
    let started = boot - DEPLOYED_AGO;
    let web_labels = labels(&[("app", "demo-web"), ("pod-template-hash", "7c9d8f6b5d")]);
    let web = |name: &str, slot: u8, delay: i64| {
        let container = running(
            "web",
            "ghcr.io/acme/demo-web:1.3.0",
            &[8080],
            started + delay,
            LogKind::App,
        );
        let mut p = pod(NAMESPACE_DEMO, name, slot, started - 6, vec![container]);
        p.labels = web_labels.clone();
        owned(p, "ReplicaSet", "demo-web-7c9d8f6b5d")
    };
    let stack = stack_labels();
    let mut worker = pod(
        NAMESPACE_DEMO,
        "demo-worker",
        21,
        started - 4,
        vec![
            PodContainer {
                name: "worker".into(),
                image: "ghcr.io/acme/demo-worker:1.3.0".into(),
                ports: Vec::new(),
                state: ContainerState::Waiting {
                    reason: "CrashLoopBackOff".into(),
                    // The kubelet's words (`pkg/kubelet/kuberuntime/kuberuntime_manager.go`
                    // `doBackOff`): the pod as `name_namespace(uid)`.
                    message: format!(
                        "back-off 5m0s restarting failed container=worker pod=demo-worker_{NAMESPACE_DEMO}({})",
                        uid(&format!("pod/{NAMESPACE_DEMO}/demo-worker"))
                    ),
                },
                last_state: Some(Terminated {
                    exit_code: 1,
                    reason: "Error".into(),
                    started_at: boot - 170,
                    finished_at: boot - 168,
                }),
                restart_count: 7,
                log: LogKind::Worker,
            },
            running(
                "metrics",
                "prom/statsd-exporter:v0.26.1",
                &[9102],
                started,
                LogKind::Generic,
            ),
        ],
    );
    worker.labels = labels(&[("app", "demo-worker")]);
    worker.labels.extend(stack);
    vec![
        web("demo-web-7c9d8f6b5d-x8k2p", 13, 0),
        web("demo-web-7c9d8f6b5d-qm4zt", 14, 3),
        worker,
    ]
}

/// What `KubeAppLabels.ToMap` gives k8s-demo: created from git by alice (`Owner` is the
/// creator, `stackutils.SanitizeLabel`d; a later git redeploy writes the redeployer's name).
fn stack_labels() -> BTreeMap<String, String> {
    labels(&[
        (LABEL_APP_KIND, "git"),
        (LABEL_APP_NAME, "k8s-demo"),
        (LABEL_APP_OWNER, "alice"),
        (LABEL_APP_STACK, "k8s-demo"),
        (LABEL_APP_STACK_ID, &STACK_K8S_DEMO.to_string()),
    ])
}

/// Beside the stack in `demo`: a Redis installed by Helm (a StatefulSet) and the last run of a
/// CronJob's migration Job, which completed.
fn neighbours(boot: i64) -> Vec<Pod> {
    let redis_started = boot - 5 * 86_400;
    let mut redis = pod(
        NAMESPACE_DEMO,
        "cache-redis-master-0",
        9,
        redis_started - 20,
        vec![running(
            "redis",
            "bitnami/redis:7.2.5",
            &[6379],
            redis_started,
            LogKind::Redis,
        )],
    );
    redis.labels = labels(&[
        ("app.kubernetes.io/component", "master"),
        ("app.kubernetes.io/instance", "cache"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "redis"),
        ("apps.kubernetes.io/pod-index", "0"),
        ("controller-revision-hash", "cache-redis-master-6d5f7b8c9d"),
        ("helm.sh/chart", "redis-19.6.4"),
        ("statefulset.kubernetes.io/pod-name", "cache-redis-master-0"),
    ]);
    let redis = owned(redis, "StatefulSet", "cache-redis-master");

    let job = "db-migrate-29208960";
    let ran = boot - 50 * 60;
    let mut migrate = pod(
        NAMESPACE_DEMO,
        &format!("{job}-7xkqp"),
        26,
        ran - 3,
        vec![PodContainer {
            state: ContainerState::Terminated(Terminated {
                exit_code: 0,
                reason: "Completed".into(),
                started_at: ran,
                finished_at: ran + 4,
            }),
            ..running(
                "migrate",
                "ghcr.io/acme/demo-migrate:1.3.0",
                &[],
                ran,
                LogKind::Generic,
            )
        }],
    );
    migrate.restart_policy = "OnFailure";
    let controller = uid(&format!("Job/{NAMESPACE_DEMO}/{job}"));
    migrate.labels = labels(&[
        ("batch.kubernetes.io/controller-uid", &controller),
        ("batch.kubernetes.io/job-name", job),
        ("controller-uid", &controller),
        ("job-name", job),
    ]);
    vec![redis, owned(migrate, "Job", job)]
}

/// Namespace `ops`: Prometheus, installed by Helm.
fn ops(boot: i64) -> Vec<Pod> {
    let started = boot - 3 * 86_400;
    let mut prometheus = pod(
        NAMESPACE_OPS,
        "prometheus-server-5b7d9c8f4-k2m9x",
        30,
        started - 12,
        vec![running(
            "prometheus-server",
            "quay.io/prometheus/prometheus:v2.53.0",
            &[9090],
            started,
            LogKind::Prometheus,
        )],
    );
    prometheus.labels = labels(&[
        ("app.kubernetes.io/component", "server"),
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "prometheus"),
        ("pod-template-hash", "5b7d9c8f4"),
    ]);
    vec![owned(
        prometheus,
        "ReplicaSet",
        "prometheus-server-5b7d9c8f4",
    )]
}

/// k8s-lab's cluster, and the bare pod appended to stack k8s-demo's file.
pub fn k8s_lab(state: &mut State, boot: i64) {
    let mut cluster = Cluster::empty(ENV_K8S_LAB);
    cluster.resource_version = 48_213;
    cluster
        .namespaces
        .extend([NAMESPACE_DEMO.to_string(), NAMESPACE_OPS.to_string()]);
    cluster.namespaces.sort();
    cluster.access_policies = BTreeMap::from([
        (
            NAMESPACE_DEMO.to_string(),
            NamespaceAccessPolicy {
                user_access_policies: policies(&[(ALICE_ID, 0)]),
                ..Default::default()
            },
        ),
        (
            NAMESPACE_OPS.to_string(),
            NamespaceAccessPolicy {
                team_access_policies: policies(&[(TEAM_OPS, 0)]),
                ..Default::default()
            },
        ),
    ]);
    cluster.pods = stack_pods(boot);
    cluster.pods.extend(neighbours(boot));
    cluster.pods.extend(ops(boot));
    state.kubernetes.push(cluster);
    state.stack_files.insert(
        STACK_K8S_DEMO,
        format!("{}{DEMO_WORKER_MANIFEST}", files::K8S_DEMO),
    );
}
