//! The cluster behind `k8s-lab`: namespace `demo` with the pods and the Deployment of stack
//! `k8s-demo` and of things deployed beside it, namespace `ops` that alice may not use,
//! `kube-system`, and Portainer's namespace access policies. Added after the rest of the demo;
//! nothing else changes.

mod system;
mod workloads;

use std::collections::BTreeMap;

use super::files;
use crate::demo::*;
use crate::model::docker::LogKind;
use crate::model::endpoint::policies;
use crate::model::kubernetes::{
    uid, Cluster, ContainerSpec, ContainerState, Labels, NamespaceAccessPolicy, OwnerReference,
    Pod, PodContainer, Terminated, Workload, WorkloadKind, LABEL_APP_KIND, LABEL_APP_NAME,
    LABEL_APP_OWNER, LABEL_APP_STACK, LABEL_APP_STACK_ID,
};
use crate::state::State;
use workloads::{container, Seed};

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

fn labels(pairs: &[(&str, &str)]) -> Labels {
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
        env: Vec::new(),
        log,
    }
}

/// A running container made from its pod template's container.
fn from_template(spec: &ContainerSpec, started_at: i64, log: LogKind) -> PodContainer {
    PodContainer {
        env: spec.env.clone(),
        ..running(&spec.name, &spec.image, &spec.ports, started_at, log)
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

/// Stack `k8s-demo`'s objects: Deployment `demo-web` (two replicas through its ReplicaSet,
/// labelled by their template only) and the bare pod `demo-worker`, whose `worker` container
/// crashes and waits to restart while its `metrics` sidecar runs.
fn stack_objects(boot: i64) -> (Vec<Pod>, Workload) {
    let started = boot - DEPLOYED_AGO;
    // The stack file's Deployment (`files::K8S_DEMO`).
    let web_spec = container(
        "web",
        "ghcr.io/acme/demo-web:1.3.0",
        &[8080],
        &[("FEATURE_FLAGS", "checkout-v2")],
    );
    let hash = "7c9d8f6b5d";
    let web_labels = labels(&[("app", "demo-web"), ("pod-template-hash", hash)]);
    let deployment = workloads::demo_web(
        Seed {
            kind: WorkloadKind::Deployment,
            namespace: NAMESPACE_DEMO,
            name: "demo-web",
            pod_labels: &web_labels,
            containers: vec![web_spec.clone()],
            replicas: 2,
            revision: hash,
            created: started - 8,
            ready_since: started + 3,
            resource_version: 41_502,
        },
        stack_labels(),
    );
    let (_, replica_set) = deployment.pod_owner();
    let web = |name: &str, slot: u8, delay: i64| {
        let container = from_template(&web_spec, started + delay, LogKind::App);
        let mut p = pod(NAMESPACE_DEMO, name, slot, started - 6, vec![container]);
        p.labels = web_labels.clone();
        owned(p, "ReplicaSet", &replica_set)
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
                env: vec![(
                    "QUEUE_URL".into(),
                    "redis://cache-redis-master:6379/0".into(),
                )],
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
    let pods = vec![
        web("demo-web-7c9d8f6b5d-x8k2p", 13, 0),
        web("demo-web-7c9d8f6b5d-qm4zt", 14, 3),
        worker,
    ];
    (pods, deployment)
}

/// What `KubeAppLabels.ToMap` gives k8s-demo: created from git by alice (`Owner` is the
/// creator, `stackutils.SanitizeLabel`d; a later git redeploy writes the redeployer's name).
fn stack_labels() -> Labels {
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
fn neighbours(boot: i64) -> (Vec<Pod>, Workload) {
    let redis_started = boot - 5 * 86_400;
    let redis_spec = container("redis", "bitnami/redis:7.2.5", &[6379], &[]);
    let mut redis = pod(
        NAMESPACE_DEMO,
        "cache-redis-master-0",
        9,
        redis_started - 20,
        vec![from_template(&redis_spec, redis_started, LogKind::Redis)],
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
    let statefulset = workloads::cache_redis(Seed {
        kind: WorkloadKind::StatefulSet,
        namespace: NAMESPACE_DEMO,
        name: "cache-redis-master",
        pod_labels: &redis.labels,
        containers: vec![redis_spec],
        replicas: 1,
        revision: "cache-redis-master-6d5f7b8c9d",
        created: redis_started - 25,
        ready_since: redis_started + 5,
        resource_version: 31_077,
    });

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
    (vec![redis, owned(migrate, "Job", job)], statefulset)
}

/// Namespace `ops`: Prometheus, installed by Helm, and its Pushgateway, scaled to zero.
fn ops(boot: i64) -> (Vec<Pod>, Vec<Workload>) {
    let started = boot - 3 * 86_400;
    let server_spec = container(
        "prometheus-server",
        "quay.io/prometheus/prometheus:v2.53.0",
        &[9090],
        &[],
    );
    let mut prometheus = pod(
        NAMESPACE_OPS,
        "prometheus-server-5b7d9c8f4-k2m9x",
        30,
        started - 12,
        vec![from_template(&server_spec, started, LogKind::Prometheus)],
    );
    prometheus.labels = labels(&[
        ("app.kubernetes.io/component", "server"),
        ("app.kubernetes.io/instance", "prometheus"),
        ("app.kubernetes.io/managed-by", "Helm"),
        ("app.kubernetes.io/name", "prometheus"),
        ("pod-template-hash", "5b7d9c8f4"),
    ]);
    let server = workloads::prometheus_server(Seed {
        kind: WorkloadKind::Deployment,
        namespace: NAMESPACE_OPS,
        name: "prometheus-server",
        pod_labels: &prometheus.labels,
        containers: vec![server_spec],
        replicas: 1,
        revision: "5b7d9c8f4",
        created: started - 14,
        ready_since: started + 8,
        resource_version: 39_861,
    });
    let pushgateway = workloads::pushgateway(NAMESPACE_OPS, started - 14, boot - 2 * 86_400);
    let (_, replica_set) = server.pod_owner();
    let pods = vec![owned(prometheus, "ReplicaSet", &replica_set)];
    (pods, vec![server, pushgateway])
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
    let (stack_pods, deployment) = stack_objects(boot);
    let (beside, statefulset) = neighbours(boot);
    let (ops_pods, ops_workloads) = ops(boot);
    let (kube_proxy, proxies) = system::kube_proxy(boot, 120 * 86_400);
    cluster.pods = stack_pods;
    cluster.pods.extend(beside);
    cluster.pods.extend(ops_pods);
    cluster.pods.extend(proxies);
    cluster.workloads = vec![deployment, statefulset];
    cluster.workloads.extend(ops_workloads);
    cluster.workloads.push(kube_proxy);
    state.kubernetes.push(cluster);
    state.stack_files.insert(
        STACK_K8S_DEMO,
        format!("{}{DEMO_WORKER_MANIFEST}", files::K8S_DEMO),
    );
}
