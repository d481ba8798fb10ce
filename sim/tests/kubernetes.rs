//! Portainer's Kubernetes proxy (`/api/endpoints/{id}/kubernetes/...`, §15): a namespace's pods
//! with label selectors, a container's log, the `apps/v1` workloads, RBAC for standard users,
//! and Portainer's own refusals around them.

mod common;
#[path = "kubernetes/logs.rs"]
mod logs;
#[path = "kubernetes/workloads.rs"]
mod workloads;

use common::{enc, messages as msg, Api};
use portainer_sim::demo;
use serde_json::{json, Value};

const INSTANCE_ID: &str = "6a1f3d2e-8b4c-4f7a-9e2d-3c5b7a9d1e4f";
const STACK_LABEL: &str = "io.portainer.kubernetes.application.stack";
const STACK_ID_LABEL: &str = "io.portainer.kubernetes.application.stackid";

fn pods_path(env: i64, namespace: &str, selector: Option<&str>) -> String {
    let query = selector.map_or(String::new(), |s| format!("?labelSelector={}", enc(s)));
    format!("/api/endpoints/{env}/kubernetes/api/v1/namespaces/{namespace}/pods{query}")
}

fn log_path(namespace: &str, pod: &str, query: &str) -> String {
    format!("/api/endpoints/5/kubernetes/api/v1/namespaces/{namespace}/pods/{pod}/log?{query}")
}

/// The pod names of a 200 `PodList`.
fn pod_names(api: &Api, user: &str, namespace: &str, selector: Option<&str>) -> Vec<String> {
    let reply = api.get_as(user, &pods_path(5, namespace, selector));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let mut names: Vec<String> = reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn pod(api: &Api, name: &str) -> Value {
    let list = api.get_as("admin", &pods_path(5, "demo", None)).json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["metadata"]["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no pod {name}"))
}

/// The API server's answer to a selector `labels.Parse` refuses (`a b`).
fn bad_selector() -> Value {
    status(
        400,
        "BadRequest",
        "found 'b', expected: ',' or 'end of string'",
        None,
    )
}

fn status(code: u16, reason: &str, message: &str, details: Option<Value>) -> Value {
    let mut status = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code
    });
    if let Some(details) = details {
        status["details"] = details;
    }
    status
}

fn service_account(user_id: i64) -> String {
    format!("system:serviceaccount:portainer:portainer-sa-user-{INSTANCE_ID}-{user_id}")
}

#[test]
fn a_pod_list_has_the_api_servers_shape() {
    let api = Api::demo();
    let reply = api.get_as("admin", &pods_path(5, "demo", None));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("x-portainer-cache"), Some("true"));
    let text = reply.text();
    assert!(text.starts_with(
        r#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"48213"},"items":[{"#
    ));
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    let list = reply.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    for item in items {
        assert!(item.get("kind").is_none(), "list items carry no kind");
        let meta = &item["metadata"];
        for key in ["name", "namespace", "uid", "creationTimestamp"] {
            assert!(meta[key].is_string(), "{key} in {meta}");
        }
        assert_eq!(meta["namespace"], "demo");
        assert!(meta["labels"].is_object());
        assert!(item["spec"]["nodeName"]
            .as_str()
            .unwrap()
            .starts_with("k8s-lab-worker-"));
        for c in item["spec"]["containers"].as_array().unwrap() {
            assert!(c["name"].is_string() && c["image"].is_string());
        }
        let status = &item["status"];
        assert!(status["phase"].is_string() && status["conditions"].is_array());
        assert!(status["podIP"].is_string() && status["startTime"].is_string());
        assert!(!status["containerStatuses"].as_array().unwrap().is_empty());
    }

    let web = pod(&api, "demo-web-7c9d8f6b5d-x8k2p");
    assert_eq!(
        web["metadata"]["ownerReferences"][0]["kind"],
        json!("ReplicaSet")
    );
    assert_eq!(
        web["metadata"]["ownerReferences"][0]["name"],
        "demo-web-7c9d8f6b5d"
    );
    assert_eq!(web["metadata"]["generateName"], "demo-web-7c9d8f6b5d-");
    assert_eq!(web["status"]["phase"], "Running");
    let web_status = &web["status"]["containerStatuses"][0];
    assert_eq!(web_status["name"], "web");
    assert_eq!(web_status["ready"], true);
    assert_eq!(web_status["restartCount"], 0);
    assert_eq!(web_status["image"], "ghcr.io/acme/demo-web:1.3.0");
    assert!(web_status["state"]["running"]["startedAt"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
}

#[test]
fn pods_show_crash_loops_restarts_and_completed_jobs() {
    let api = Api::demo();
    let worker = pod(&api, "demo-worker");
    assert!(worker["metadata"].get("ownerReferences").is_none());
    assert_eq!(worker["status"]["phase"], "Running");
    let statuses = worker["status"]["containerStatuses"].as_array().unwrap();
    let crashing = &statuses[0];
    assert_eq!(crashing["name"], "worker");
    assert_eq!(crashing["ready"], false);
    assert_eq!(crashing["restartCount"], 7);
    assert_eq!(crashing["state"]["waiting"]["reason"], "CrashLoopBackOff");
    let uid = worker["metadata"]["uid"].as_str().unwrap();
    assert_eq!(
        crashing["state"]["waiting"]["message"],
        format!("back-off 5m0s restarting failed container=worker pod=demo-worker_demo({uid})")
    );
    assert_eq!(crashing["lastState"]["terminated"]["exitCode"], 1);
    assert_eq!(crashing["lastState"]["terminated"]["reason"], "Error");
    assert_eq!(statuses[1]["name"], "metrics");
    assert_eq!(statuses[1]["ready"], true);
    let ready = worker["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Ready")
        .unwrap()
        .clone();
    assert_eq!(ready["status"], "False");
    assert_eq!(ready["reason"], "ContainersNotReady");
    assert_eq!(ready["message"], "containers with unready status: [worker]");

    let job = pod(&api, "db-migrate-29208960-7xkqp");
    assert_eq!(job["status"]["phase"], "Succeeded");
    let done = &job["status"]["containerStatuses"][0]["state"]["terminated"];
    assert_eq!(
        (done["exitCode"].clone(), done["reason"].clone()),
        (json!(0), json!("Completed"))
    );
    assert_eq!(job["metadata"]["ownerReferences"][0]["kind"], "Job");
}

#[test]
fn label_selectors_filter_and_only_top_level_objects_carry_the_stack_labels() {
    let api = Api::demo();
    // `AddAppLabels` labels the manifest's top-level objects: the bare pod has the stack's
    // labels, the Deployment's pods only their template's.
    for selector in [
        format!("{STACK_LABEL}=k8s-demo"),
        format!("{STACK_ID_LABEL}=10"),
        format!("{STACK_ID_LABEL}==10,app=demo-worker"),
    ] {
        assert_eq!(
            pod_names(&api, "alice", "demo", Some(&selector)),
            ["demo-worker"]
        );
    }
    let worker = pod(&api, "demo-worker");
    let labels = &worker["metadata"]["labels"];
    assert_eq!(labels["io.portainer.kubernetes.application.owner"], "alice");
    assert_eq!(labels["io.portainer.kubernetes.application.kind"], "git");
    assert_eq!(
        labels["io.portainer.kubernetes.application.name"],
        "k8s-demo"
    );
    let web = ["demo-web-7c9d8f6b5d-qm4zt", "demo-web-7c9d8f6b5d-x8k2p"];
    assert_eq!(pod_names(&api, "alice", "demo", Some("app=demo-web")), web);
    assert_eq!(
        pod_names(
            &api,
            "alice",
            "demo",
            Some("app=demo-web,pod-template-hash=7c9d8f6b5d")
        ),
        web
    );
    assert!(pod_names(
        &api,
        "alice",
        "demo",
        Some("app=demo-web,pod-template-hash=x")
    )
    .is_empty());
    assert_eq!(
        pod_names(&api, "alice", "demo", Some(&format!("!{STACK_LABEL},app"))),
        web
    );
    assert_eq!(
        pod_names(
            &api,
            "admin",
            "demo",
            Some("app.kubernetes.io/managed-by in (Helm)")
        ),
        ["cache-redis-master-0"]
    );
    // The stack's selector finds nothing of the stack in another namespace.
    assert!(pod_names(&api, "admin", "ops", Some(&format!("{STACK_ID_LABEL}=10"))).is_empty());

    api.get_as("alice", &pods_path(5, "demo", Some("app=a b")))
        .expect(400, bad_selector());
}

#[test]
fn standard_users_may_use_only_the_namespaces_their_policies_open() {
    let api = Api::demo();
    // alice reaches k8s-lab (her policy), `demo` (a namespace policy) and `default`
    // (`RestrictDefaultNamespace` is off).
    assert_eq!(pod_names(&api, "alice", "demo", None).len(), 5);
    assert!(pod_names(&api, "alice", "default", None).is_empty());
    let user = service_account(demo::ALICE_ID);
    for namespace in ["ops", "kube-system", "no-such-namespace"] {
        let message = format!(
            "pods is forbidden: User \"{user}\" cannot list resource \"pods\" in API group \"\" in the namespace \"{namespace}\""
        );
        let reply = api.get_as("alice", &pods_path(5, namespace, None));
        reply.expect(
            403,
            status(403, "Forbidden", &message, Some(json!({ "kind": "pods" }))),
        );
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    let log = api.get_as(
        "alice",
        &log_path("ops", "prometheus-server-5b7d9c8f4-k2m9x", ""),
    );
    let message = format!(
        "pods \"prometheus-server-5b7d9c8f4-k2m9x\" is forbidden: User \"{user}\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"ops\""
    );
    log.expect(
        403,
        status(
            403,
            "Forbidden",
            &message,
            Some(json!({ "name": "prometheus-server-5b7d9c8f4-k2m9x", "kind": "pods" })),
        ),
    );
    // Administrators go through with Portainer's own identity: every namespace, even one that
    // does not exist (it lists empty).
    assert_eq!(
        pod_names(&api, "admin", "ops", None),
        ["prometheus-server-5b7d9c8f4-k2m9x"]
    );
    assert!(pod_names(&api, "erin", "no-such-namespace", None).is_empty());

    // Portainer's own refusals come first, in its own shape: bob's team has the `ops`
    // namespace policy, but bob cannot reach k8s-lab at all.
    api.get_as("bob", &pods_path(5, "ops", None)).expect_error(
        403,
        msg::PERMISSION_DENIED_ENV,
        msg::ACCESS_DENIED_ENV,
    );
    api.get_as("dave", &log_path("demo", "demo-worker", "container=worker"))
        .expect_error(403, msg::PERMISSION_DENIED_ENV, msg::ACCESS_DENIED_ENV);
    api.get_as("admin", &pods_path(99, "demo", None))
        .expect_error(
            404,
            "Unable to find an environment with the specified identifier inside the database",
            "Object not found inside the database (bucket=endpoints, key=99)",
        );
    api.get_as(
        "admin",
        "/api/endpoints/k8s/kubernetes/api/v1/namespaces/demo/pods",
    )
    .expect_error(
        400,
        "Invalid environment identifier route variable",
        "Strconv.Atoi: parsing \"k8s\": invalid syntax",
    );
    api.anonymous(&pods_path(5, "demo", None)).expect_error(
        401,
        msg::TOKEN_MISSING,
        msg::UNAUTHORIZED,
    );
}

#[test]
fn other_environments_answer_as_portainer_proxies_them() {
    let api = Api::demo();
    // A Docker environment gets the Docker proxy, which hands Docker the path.
    let local = api.get_as("admin", &pods_path(1, "demo", None));
    local.expect(404, json!({ "message": "page not found" }));
    assert_eq!(local.header("api-version"), Some("1.46"));
    // Its host down: the reverse proxy's empty 502.
    let staging = api.get_as("admin", &pods_path(4, "demo", None));
    assert_eq!((staging.status, staging.body.len()), (502, 0));
    // An Edge environment without tunnel: its Docker proxy cannot be created.
    api.get_as("admin", &pods_path(3, "demo", None))
        .expect_error(500, "Unable to create proxy", "Unable to open the tunnel");
    // The Kubernetes agent stops answering: an empty 502 too.
    assert!(api.sim.set_host_down(5, true));
    let down = api.get_as("alice", &pods_path(5, "demo", None));
    assert_eq!((down.status, down.body.len()), (502, 0));
}

#[test]
fn other_paths_and_verbs_get_the_api_servers_answers() {
    let api = Api::demo();
    api.get_as(
        "admin",
        "/api/endpoints/5/kubernetes/api/v1/namespaces/demo/secrets",
    )
    .expect(
        404,
        status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            Some(json!({})),
        ),
    );
    api.send_as("DELETE", "admin", &pods_path(5, "demo", None), None)
        .expect(
            405,
            status(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
                Some(json!({})),
            ),
        );
}

#[test]
fn browsers_get_indented_json_and_2_19_no_cache_header() {
    let api = Api::demo();
    let reply = api.call(
        "GET",
        &pods_path(5, "ops", None),
        &[
            ("X-API-Key", demo::token_for("alice")),
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"),
        ],
        None,
    );
    assert_eq!(reply.status, 403);
    let text = reply.text();
    assert!(text.starts_with("{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\","));
    assert!(text.ends_with('}'));

    let old = Api::v2_19();
    let reply = old.get_as("alice", &pods_path(5, "demo", Some("app=demo-web")));
    assert_eq!(reply.status, 200);
    assert!(reply.text().ends_with("}\n") && !reply.text().ends_with("\n\n"));
    assert_eq!(reply.header("x-portainer-cache"), None);
    assert_eq!(reply.json()["items"].as_array().unwrap().len(), 2);
}

#[test]
fn the_stack_file_holds_the_bare_pod() {
    let api = Api::demo();
    let file = api.get_as("admin", "/api/stacks/10/file").json();
    let content = file["StackFileContent"].as_str().unwrap();
    assert!(content.starts_with("apiVersion: apps/v1\nkind: Deployment"));
    assert!(content.contains("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: demo-worker\n"));
}
