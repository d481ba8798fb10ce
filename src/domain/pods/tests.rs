//! A stack's pods found from a namespace's pods and the stack's workloads, and read as
//! `kubectl get pods` reads them. The JSON is the API server's shapes (docs/portainer-api.md
//! §15.4, §15.4a), trimmed.

use super::*;
use crate::domain::containers::Workload;
use crate::domain::stack_logs::sources::{stack_log_sources, LogTarget};
use crate::portainer::{decode_kube_list, KubeWorkload, Pod};

fn pods() -> Vec<Pod> {
    let body = r#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"41777"},"items":[
      {"metadata":{"name":"demo-web-7c9d8f6b5d-x8k2p","namespace":"demo","creationTimestamp":"2026-12-04T10:00:00Z",
        "labels":{"app":"demo-web","pod-template-hash":"7c9d8f6b5d"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"demo-web-7c9d8f6b5d","uid":"u1","controller":true}]},
       "spec":{"containers":[{"name":"web","image":"ghcr.io/acme/demo-web:1.3.0"}],"nodeName":"k8s-lab-worker-2"},
       "status":{"phase":"Running","containerStatuses":[{"name":"web","ready":true,"restartCount":0,
         "state":{"running":{"startedAt":"2026-12-04T10:00:05Z"}},"lastState":{}}]}},
      {"metadata":{"name":"demo-worker","namespace":"demo","creationTimestamp":"2026-12-04T10:00:02Z",
        "labels":{"app":"demo-worker","io.portainer.kubernetes.application.stackid":"10"}},
       "spec":{"containers":[{"name":"worker","image":"ghcr.io/acme/demo-worker:1.3.0"},{"name":"metrics","image":"prom/statsd-exporter:v0.26.1"}],"nodeName":"k8s-lab-worker-1"},
       "status":{"phase":"Running","containerStatuses":[
         {"name":"metrics","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2026-12-04T10:00:06Z"}}},
         {"name":"worker","ready":false,"restartCount":7,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s"}},
          "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2026-12-04T12:07:00Z"}}}]}},
      {"metadata":{"name":"cache-redis-master-0","namespace":"demo","labels":{"app":"redis"}},
       "spec":{"containers":[{"name":"redis","image":"redis:7"}]},"status":{"phase":"Running"}},
      {"metadata":{"name":"other-stack-pod","namespace":"demo","labels":{"io.portainer.kubernetes.application.stackid":"11"}},
       "spec":{"containers":[{"name":"x","image":"x"}]},"status":{"phase":"Pending"}},
      {"metadata":"not an object"}
    ]}"#;
    let listed = decode_kube_list::<Pod>("Kubernetes pod list", 200, None, body).unwrap();
    assert_eq!(
        listed.skipped.len(),
        1,
        "one malformed pod is skipped, not fatal"
    );
    listed.items
}

fn deployment() -> KubeWorkload {
    serde_json::from_str(
        r#"{"metadata":{"name":"demo-web","namespace":"demo","labels":{"app":"demo-web",
            "io.portainer.kubernetes.application.stackid":"10"}},
           "spec":{"replicas":2,"selector":{"matchLabels":{"app":"demo-web"}},
            "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"demo-web"}}}}}"#,
    )
    .unwrap()
}

#[test]
fn a_stacks_pods_are_its_bare_pods_and_those_its_workloads_select() {
    let found = stack_pods(10, pods(), &[("Deployment", deployment())]);
    let names: Vec<(&str, &str)> = found
        .iter()
        .map(|p| (p.pod.metadata.name.as_str(), p.owner.as_str()))
        .collect();
    // The crash-looping pod first; another stack's pod and an unselected pod are left out.
    assert_eq!(
        names,
        [
            ("demo-worker", "Pod"),
            ("demo-web-7c9d8f6b5d-x8k2p", "Deployment demo-web")
        ]
    );
    // Without its workloads, only the bare pod is the stack's.
    assert_eq!(stack_pods(10, pods(), &[]).len(), 1);
    assert!(stack_pods(12, pods(), &[]).is_empty());
}

#[test]
fn a_pod_reads_as_kubectl_shows_it() {
    let found = stack_pods(10, pods(), &[("Deployment", deployment())]);
    let worker = &found[0].pod;
    assert_eq!(pod_status(worker), "CrashLoopBackOff");
    assert!(troubled(worker));
    assert_eq!(ready(worker), (1, 2));
    assert_eq!(restarts(worker), 7);
    let listed = containers(worker);
    // In the spec's order, whatever order the statuses come in.
    assert_eq!(listed[0].0, "worker");
    assert_eq!(container_state(listed[0].2), "waiting: CrashLoopBackOff");
    assert_eq!(
        last_run(listed[0].2).as_deref(),
        Some("last run: Error (1)")
    );
    assert_eq!(container_state(listed[1].2), "running");
    assert_eq!(last_run(listed[1].2), None);

    let web = &found[1].pod;
    assert_eq!(pod_status(web), "Running");
    assert!(!troubled(web));
    assert_eq!(ready(web), (1, 1));
    assert_eq!(container_state(None), "pending");
}

#[test]
fn status_words_follow_the_pod_and_its_containers() {
    let pod = |status: &str| -> Pod {
        serde_json::from_str(&format!(
            r#"{{"metadata":{{"name":"p"}},"spec":{{"containers":[{{"name":"c"}}]}},"status":{status}}}"#
        ))
        .unwrap()
    };
    assert_eq!(pod_status(&pod(r#"{"phase":"Pending"}"#)), "Pending");
    assert!(troubled(&pod(r#"{"phase":"Pending"}"#)));
    let evicted = pod(
        r#"{"phase":"Failed","reason":"Evicted","message":"The node was low on resource: memory."}"#,
    );
    assert_eq!(pod_status(&evicted), "Evicted");
    let done = pod(
        r#"{"phase":"Succeeded","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}"#,
    );
    assert_eq!(pod_status(&done), "Succeeded");
    assert!(!troubled(&done));
    let failed = pod(
        r#"{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":137}}}]}"#,
    );
    assert_eq!(pod_status(&failed), "exit code 137");
    assert_eq!(
        container_state(failed.status.container_statuses.first()),
        "terminated (137)"
    );
    assert_eq!(pod_status(&pod("{}")), "Unknown");
}

#[test]
fn label_selectors_hold_all_their_requirements() {
    let selector: crate::portainer::LabelSelector = serde_json::from_str(
        r#"{"matchLabels":{"app":"web"},"matchExpressions":[
            {"key":"tier","operator":"In","values":["front","edge"]},
            {"key":"canary","operator":"DoesNotExist"},
            {"key":"zone","operator":"NotIn","values":["b"]},
            {"key":"team","operator":"Exists"}]}"#,
    )
    .unwrap();
    let labels = |pairs: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let good = labels(&[("app", "web"), ("tier", "edge"), ("team", "x")]);
    assert!(selector.matches(&good));
    let mut canary = good.clone();
    canary.insert("canary".into(), "1".into());
    assert!(!selector.matches(&canary));
    let mut zone_b = good.clone();
    zone_b.insert("zone".into(), "b".into());
    assert!(!selector.matches(&zone_b));
    assert!(!selector.matches(&labels(&[("app", "web"), ("tier", "back"), ("team", "x")])));
    assert!(!selector.matches(&labels(&[("app", "api"), ("tier", "edge"), ("team", "x")])));
    // An empty selector claims nothing, rather than the whole namespace.
    assert!(!crate::portainer::LabelSelector::default().matches(&good));
}

#[test]
fn each_container_of_each_pod_is_a_log_source() {
    let found = stack_pods(10, pods(), &[("Deployment", deployment())]);
    let sources = stack_log_sources(&Workload::Pods(found), "k8s-demo");
    let keys: Vec<&str> = sources.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "demo-web-7c9d8f6b5d-x8k2p/web",
            "demo-worker/metrics",
            "demo-worker/worker"
        ]
    );
    assert_eq!(
        sources[2].target,
        LogTarget::Pod {
            namespace: "demo".into(),
            pod: "demo-worker".into(),
            container: "worker".into()
        }
    );
    assert_eq!(sources[2].state, "waiting: CrashLoopBackOff");
    assert_eq!(sources[2].label, "demo-worker/worker");
}
