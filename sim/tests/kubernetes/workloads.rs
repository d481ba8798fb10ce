//! `apps/v1` workload lists through the Kubernetes proxy (`…/apis/apps/v1/namespaces/{ns}/
//! deployments`, `statefulsets`, `daemonsets`; §15.4a), and finding a stack's pods through its
//! workloads.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::common::{enc, messages as msg, Api};
use super::{bad_selector, pods_path, service_account, status, STACK_ID_LABEL};
use portainer_sim::demo;

const RESOURCES: [&str; 3] = ["deployments", "statefulsets", "daemonsets"];

fn workloads_path(namespace: &str, resource: &str, selector: Option<&str>) -> String {
    let query = selector.map_or(String::new(), |s| format!("?labelSelector={}", enc(s)));
    format!("/api/endpoints/5/kubernetes/apis/apps/v1/namespaces/{namespace}/{resource}{query}")
}

/// The items of a 200 list.
fn items(api: &Api, user: &str, path: &str) -> Vec<Value> {
    let reply = api.get_as(user, path);
    assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    reply.json()["items"].as_array().unwrap().clone()
}

fn names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    keys
}

/// `k1=v1,k2=v2` from a `matchLabels` object.
fn selector_of(match_labels: &Value) -> String {
    match_labels
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap()))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn a_deployment_list_has_the_api_servers_shape() {
    let api = Api::demo();
    let reply = api.get_as("alice", &workloads_path("demo", "deployments", None));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-cache, private"));
    assert_eq!(reply.header("x-portainer-cache"), Some("true"));
    let text = reply.text();
    // Go's field order: the list's, then the object's.
    assert!(
        text.starts_with(concat!(
            r#"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"48213"},"#,
            r#""items":[{"metadata":{"name":"demo-web","namespace":"demo","uid":""#
        )),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
    let list = reply.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(names(items), ["demo-web"]);
    let web = &items[0];
    assert!(web.get("kind").is_none() && web.get("apiVersion").is_none());
    assert_eq!(keys(web), ["metadata", "spec", "status"]);

    let meta = &web["metadata"];
    assert_eq!(meta["namespace"], "demo");
    assert_eq!(meta["uid"].as_str().unwrap().len(), 36);
    assert_eq!(meta["generation"], 1);
    assert!(meta["resourceVersion"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .is_ok());
    assert!(meta["creationTimestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(meta["labels"]["app"], "demo-web");
    assert_eq!(meta["labels"][STACK_ID_LABEL], "10");
    assert_eq!(
        meta["labels"]["io.portainer.kubernetes.application.owner"],
        "alice"
    );

    let spec = &web["spec"];
    assert_eq!(spec["replicas"], 2);
    assert_eq!(
        spec["selector"],
        json!({ "matchLabels": { "app": "demo-web" } })
    );
    // Portainer labels the Deployment, not its pod template.
    let template = &spec["template"];
    assert_eq!(template["metadata"]["labels"], json!({ "app": "demo-web" }));
    assert_eq!(template["metadata"]["creationTimestamp"], Value::Null);
    let web_container = &template["spec"]["containers"][0];
    assert_eq!(web_container["name"], "web");
    assert_eq!(web_container["image"], "ghcr.io/acme/demo-web:1.3.0");
    assert_eq!(
        web_container["ports"],
        json!([{ "containerPort": 8080, "protocol": "TCP" }])
    );
    assert_eq!(spec["strategy"]["type"], "RollingUpdate");

    let status = &web["status"];
    for (key, value) in [
        ("observedGeneration", 1),
        ("replicas", 2),
        ("updatedReplicas", 2),
        ("readyReplicas", 2),
        ("availableReplicas", 2),
    ] {
        assert_eq!(status[key], value, "{key}");
    }
    // `unavailableReplicas` is 0, and `omitempty`.
    assert!(status.get("unavailableReplicas").is_none(), "{status}");
    let conditions = status["conditions"].as_array().unwrap();
    let kinds: Vec<&str> = conditions
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Available", "Progressing"]);
    assert_eq!(conditions[0]["status"], "True");
    assert_eq!(conditions[0]["reason"], "MinimumReplicasAvailable");
    assert_eq!(
        conditions[1]["message"],
        "ReplicaSet \"demo-web-7c9d8f6b5d\" has successfully progressed."
    );
}

#[test]
fn statefulsets_and_daemonsets_have_their_own_status_counters() {
    let api = Api::demo();
    let sets = items(&api, "alice", &workloads_path("demo", "statefulsets", None));
    assert_eq!(names(&sets), ["cache-redis-master"]);
    let redis = &sets[0];
    assert_eq!(redis["spec"]["replicas"], 1);
    assert_eq!(redis["spec"]["serviceName"], "cache-redis-headless");
    assert_eq!(
        redis["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "Helm"
    );
    assert!(redis["metadata"]["labels"].get(STACK_ID_LABEL).is_none());
    let status = &redis["status"];
    assert_eq!(
        keys(status),
        [
            "availableReplicas",
            "collisionCount",
            "currentReplicas",
            "currentRevision",
            "observedGeneration",
            "readyReplicas",
            "replicas",
            "updateRevision",
            "updatedReplicas",
        ]
    );
    assert_eq!(status["currentRevision"], "cache-redis-master-6d5f7b8c9d");
    assert_eq!(
        (status["replicas"].clone(), status["readyReplicas"].clone()),
        (json!(1), json!(1))
    );

    let reply = api.get_as("admin", &workloads_path("kube-system", "daemonsets", None));
    assert!(reply
        .text()
        .starts_with(r#"{"kind":"DaemonSetList","apiVersion":"apps/v1","#));
    let daemons = reply.json()["items"].as_array().unwrap().clone();
    assert_eq!(names(&daemons), ["kube-proxy"]);
    let proxy = &daemons[0];
    assert!(proxy["spec"].get("replicas").is_none(), "one pod per node");
    assert_eq!(
        proxy["spec"]["selector"]["matchLabels"],
        json!({ "k8s-app": "kube-proxy" })
    );
    // The first four counters have no `omitempty`: `numberMisscheduled` 0 is written,
    // `numberUnavailable` 0 is not.
    assert_eq!(
        proxy["status"],
        json!({
            "currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
            "numberReady": 3, "observedGeneration": 1, "updatedNumberScheduled": 3,
            "numberAvailable": 3
        })
    );
    // Nothing of these kinds in `demo`: an empty list, `items` still there.
    let empty = api
        .get_as("alice", &workloads_path("demo", "daemonsets", None))
        .json();
    assert_eq!(empty["kind"], "DaemonSetList");
    assert_eq!(empty["items"], json!([]));
}

#[test]
fn a_deployment_scaled_to_zero_leaves_every_counter_out() {
    let api = Api::demo();
    let ops = items(&api, "admin", &workloads_path("ops", "deployments", None));
    // Sorted by name, as the API server reads them.
    assert_eq!(
        names(&ops),
        ["prometheus-prometheus-pushgateway", "prometheus-server"]
    );
    let scaled = &ops[0];
    assert_eq!(scaled["spec"]["replicas"], 0, "a pointer: 0 is written");
    assert_eq!(scaled["metadata"]["generation"], 2);
    assert_eq!(
        keys(&scaled["status"]),
        ["conditions", "observedGeneration"]
    );
    assert_eq!(scaled["status"]["observedGeneration"], 2);
    assert_eq!(scaled["status"]["conditions"][0]["status"], "True");
    let server = &ops[1];
    assert_eq!(server["status"]["readyReplicas"], 1);
    assert_eq!(
        server["metadata"]["annotations"]["meta.helm.sh/release-name"],
        "prometheus"
    );
}

#[test]
fn label_selectors_filter_workloads() {
    let api = Api::demo();
    let stack = format!("{STACK_ID_LABEL}=10");
    let path = |resource, selector: &str| workloads_path("demo", resource, Some(selector));
    assert_eq!(
        names(&items(&api, "alice", &path("deployments", &stack))),
        ["demo-web"]
    );
    assert!(items(&api, "alice", &path("statefulsets", &stack)).is_empty());
    assert!(items(&api, "alice", &path("daemonsets", &stack)).is_empty());
    let helm = "app.kubernetes.io/managed-by=Helm";
    assert!(items(&api, "alice", &path("deployments", helm)).is_empty());
    assert_eq!(
        names(&items(&api, "alice", &path("statefulsets", helm))),
        ["cache-redis-master"]
    );
    assert_eq!(
        names(&items(
            &api,
            "alice",
            &path("deployments", &format!("!{STACK_ID_LABEL}"))
        )),
        Vec::<String>::new()
    );
    // The selector reads the workload's own labels, not its template's.
    assert!(items(&api, "alice", &path("deployments", "pod-template-hash")).is_empty());
    api.get_as("alice", &path("deployments", "app=a b"))
        .expect(400, bad_selector());
}

#[test]
fn rbac_and_portainer_refuse_workload_lists_like_pod_lists() {
    let api = Api::demo();
    for resource in RESOURCES {
        // alice's namespace policy opens `demo`; `default` is open to every user.
        assert_eq!(
            api.get_as("alice", &workloads_path("demo", resource, None))
                .status,
            200
        );
        assert!(items(&api, "alice", &workloads_path("default", resource, None)).is_empty());
        let user = service_account(demo::ALICE_ID);
        for namespace in ["ops", "kube-system"] {
            let message = format!(
                "{resource}.apps is forbidden: User \"{user}\" cannot list resource \"{resource}\" in API group \"apps\" in the namespace \"{namespace}\""
            );
            api.get_as("alice", &workloads_path(namespace, resource, None))
                .expect(
                    403,
                    status(
                        403,
                        "Forbidden",
                        &message,
                        Some(json!({ "group": "apps", "kind": resource })),
                    ),
                );
        }
        // Administrators use Portainer's own identity.
        assert_eq!(
            api.get_as("admin", &workloads_path("ops", resource, None))
                .status,
            200
        );
        // bob (team ops holds the `ops` policy) and dave cannot reach k8s-lab: Portainer's 403.
        for user in ["bob", "dave"] {
            api.get_as(user, &workloads_path("ops", resource, None))
                .expect_error(403, msg::PERMISSION_DENIED_ENV, msg::ACCESS_DENIED_ENV);
        }
    }
    // Other apps/v1 resources are not served; other verbs are refused.
    let replica_sets = api.get_as("admin", &workloads_path("demo", "replicasets", None));
    assert_eq!(replica_sets.status, 404);
    assert_eq!(replica_sets.json()["reason"], "NotFound");
    let delete = api.send_as(
        "DELETE",
        "admin",
        &workloads_path("demo", "deployments", None),
        None,
    );
    assert_eq!(
        (delete.status, delete.json()["reason"].clone()),
        (405, json!("MethodNotAllowed"))
    );
}

/// What a client does to find a stack's pods (§15.3): the stack's workloads by the `stackid`
/// label, then the pods each one's `matchLabels` selects, and the bare pods that carry the
/// label themselves.
#[test]
fn a_stacks_workloads_lead_to_exactly_its_pods() {
    let api = Api::demo();
    let stack = format!("{STACK_ID_LABEL}=10");
    let mut found = BTreeSet::new();
    for resource in RESOURCES {
        for workload in items(
            &api,
            "alice",
            &workloads_path("demo", resource, Some(&stack)),
        ) {
            let selector = selector_of(&workload["spec"]["selector"]["matchLabels"]);
            let pods = items(&api, "alice", &pods_path(5, "demo", Some(&selector)));
            assert!(!pods.is_empty(), "{selector}");
            for pod in pods {
                // Each selected pod is the workload's, through its ReplicaSet.
                let owner = &pod["metadata"]["ownerReferences"][0];
                assert_eq!(owner["kind"], "ReplicaSet");
                let name = owner["name"].as_str().unwrap();
                assert!(name.starts_with("demo-web-"), "{name}");
                found.insert(pod["metadata"]["name"].as_str().unwrap().to_string());
            }
        }
    }
    for pod in items(&api, "alice", &pods_path(5, "demo", Some(&stack))) {
        found.insert(pod["metadata"]["name"].as_str().unwrap().to_string());
    }
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        [
            "demo-web-7c9d8f6b5d-qm4zt",
            "demo-web-7c9d8f6b5d-x8k2p",
            "demo-worker"
        ]
    );
}

/// A pod names its controller by uid: a StatefulSet's and a DaemonSet's pods name the
/// workload itself, a Deployment's its ReplicaSet `<deployment>-<pod-template-hash>`.
#[test]
fn pods_name_the_workloads_that_own_them() {
    let api = Api::demo();
    let owner_of = |namespace: &str, pod: &str| {
        let pods = items(&api, "admin", &pods_path(5, namespace, None));
        let pod = pods
            .iter()
            .find(|p| p["metadata"]["name"] == pod)
            .unwrap()
            .clone();
        pod["metadata"]["ownerReferences"][0].clone()
    };
    let redis = &items(&api, "admin", &workloads_path("demo", "statefulsets", None))[0];
    let owner = owner_of("demo", "cache-redis-master-0");
    assert_eq!(owner["kind"], "StatefulSet");
    assert_eq!(owner["uid"], redis["metadata"]["uid"]);

    let proxy = &items(
        &api,
        "admin",
        &workloads_path("kube-system", "daemonsets", None),
    )[0];
    let pods = items(
        &api,
        "admin",
        &pods_path(5, "kube-system", Some("k8s-app=kube-proxy")),
    );
    assert_eq!(pods.len(), 3);
    let nodes: BTreeSet<&str> = pods
        .iter()
        .map(|p| p["spec"]["nodeName"].as_str().unwrap())
        .collect();
    assert_eq!(nodes.len(), 3, "one per node");
    for pod in &pods {
        let owner = &pod["metadata"]["ownerReferences"][0];
        assert_eq!(
            (owner["kind"].clone(), owner["uid"].clone()),
            (json!("DaemonSet"), proxy["metadata"]["uid"].clone())
        );
    }

    let server = &items(&api, "admin", &workloads_path("ops", "deployments", None))[1];
    let hash = "5b7d9c8f4";
    let owner = owner_of("ops", "prometheus-server-5b7d9c8f4-k2m9x");
    assert_eq!(owner["name"], format!("prometheus-server-{hash}"));
    let selector = selector_of(&server["spec"]["selector"]["matchLabels"]);
    let selected = items(&api, "admin", &pods_path(5, "ops", Some(&selector)));
    assert_eq!(names(&selected), ["prometheus-server-5b7d9c8f4-k2m9x"]);
    assert_eq!(selected[0]["metadata"]["labels"]["pod-template-hash"], hash);
}
