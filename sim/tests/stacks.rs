//! Stacks: visibility, `filters`, the stack-management gate, start/stop, git redeploy and
//! delete (§2.2, §3.1, §4).

mod common;

use common::{enc, messages as msg, Api};
use portainer_sim::demo;
use serde_json::{json, Value};

fn filtered(api: &Api, user: &str, filters: &str) -> common::Reply {
    api.get_as(user, &format!("/api/stacks?filters={}", enc(filters)))
}

#[test]
fn visibility_per_persona() {
    let api = Api::demo();
    assert_eq!(
        api.get_as("admin", "/api/stacks").names(),
        vec![
            "web-frontend",
            "monitoring",
            "db-admin",
            "carol-sandbox",
            "legacy-app",
            "api-gateway",
            "payments",
            "staging-web",
            "edge-collector",
            "k8s-demo",
            "old-reports",
            "lab-wiki"
        ]
    );
    assert_eq!(api.get_as("erin", "/api/stacks").names().len(), 12);
    assert_eq!(
        api.get_as("alice", "/api/stacks").names(),
        vec![
            "web-frontend",
            "monitoring",
            "staging-web",
            "edge-collector"
        ]
    );
    // She may still open k8s-demo by id: inspect checks no ResourceControl for Kubernetes
    // stacks (`stack_inspect.go`), and CE never creates one for them (`stack_list.go`
    // `FilterAuthorizedStacks` then hides it from every non-admin's list).
    assert_eq!(api.get_as("alice", "/api/stacks/10").status, 200);
    // bob sees old-reports (team ops) although its environment does not exist: the list never
    // checks environment access.
    assert_eq!(
        api.get_as("bob", "/api/stacks").names(),
        vec![
            "web-frontend",
            "monitoring",
            "api-gateway",
            "payments",
            "staging-web",
            "edge-collector",
            "old-reports"
        ]
    );
    assert_eq!(
        api.get_as("carol", "/api/stacks").names(),
        vec!["monitoring", "carol-sandbox"]
    );
    assert_eq!(
        api.get_as("dave", "/api/stacks").names(),
        vec!["monitoring"]
    );
}

#[test]
fn stack_shape_and_resource_controls() {
    let api = Api::demo();
    let stacks = api.get_as("admin", "/api/stacks").json();
    let by_name = |name: &str| -> Value {
        stacks
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Name"] == name)
            .cloned()
            .unwrap()
    };
    let web = by_name("web-frontend");
    assert_eq!(
        web["ResourceControl"],
        json!({
            "Id": 1, "ResourceId": "1_web-frontend", "SubResourceIds": [], "Type": 6,
            "UserAccesses": [], "TeamAccesses": [{ "TeamId": 1, "AccessLevel": 1 }],
            "Public": false, "AdministratorsOnly": false, "System": false
        })
    );
    assert_eq!(
        web["GitConfig"]["URL"],
        "https://github.com/acme/web-frontend.git"
    );
    assert_eq!(web["GitConfig"]["ReferenceName"], "refs/heads/main");
    assert_eq!(web["AutoUpdate"]["Interval"], "5m");
    assert_eq!(
        web["Env"][0],
        json!({ "name": "API_URL", "value": "https://api.acme.example" })
    );
    assert!(web.get("IsComposeFormat").is_none());
    assert_eq!(by_name("legacy-app")["ResourceControl"], Value::Null);
    assert_eq!(by_name("monitoring")["ResourceControl"]["Public"], true);
    assert_eq!(
        by_name("monitoring")["AdditionalFiles"],
        json!(["docker-compose.alerting.yml"])
    );
    assert_eq!(
        by_name("db-admin")["ResourceControl"]["AdministratorsOnly"],
        true
    );
    let gateway = by_name("api-gateway");
    assert_eq!(gateway["Type"], 1);
    assert_eq!(gateway["SwarmId"], demo::PROD_SWARM_ID);
    // The git password never leaves the server.
    assert_eq!(
        gateway["GitConfig"]["Authentication"],
        json!({ "Username": "deploy-bot", "Password": "", "GitCredentialID": 0 })
    );
    assert_eq!(by_name("k8s-demo")["Namespace"], "demo");
    assert_eq!(by_name("k8s-demo")["Type"], 3);
    assert_eq!(by_name("carol-sandbox")["Status"], 2);
    assert_eq!(by_name("old-reports")["EndpointId"], 9);

    let old = Api::v2_19().get_as("admin", "/api/stacks").json();
    assert_eq!(old[0]["IsComposeFormat"], false);
}

#[test]
fn filters_and_their_quirks() {
    let api = Api::demo();
    assert_eq!(
        filtered(&api, "admin", r#"{"EndpointID":1}"#).names(),
        vec![
            "web-frontend",
            "monitoring",
            "db-admin",
            "carol-sandbox",
            "legacy-app"
        ]
    );
    // EndpointID alone drops swarm and kubernetes stacks.
    assert_eq!(
        filtered(&api, "admin", r#"{"EndpointID":2}"#).json(),
        json!([])
    );
    assert_eq!(
        filtered(&api, "admin", r#"{"EndpointID":5}"#).json(),
        json!([])
    );
    let swarm = format!(r#"{{"EndpointID":2,"SwarmID":"{}"}}"#, demo::PROD_SWARM_ID);
    assert_eq!(
        filtered(&api, "admin", &swarm).names(),
        vec!["api-gateway", "payments"]
    );
    assert_eq!(
        filtered(&api, "bob", &swarm).names(),
        vec!["api-gateway", "payments"]
    );
    // Go matches field names case-insensitively.
    assert_eq!(
        filtered(&api, "admin", r#"{"endpointId":1}"#).names().len(),
        5
    );
    assert_eq!(
        filtered(
            &api,
            "admin",
            r#"{"EndpointID":1,"IncludeOrphanedStacks":true}"#
        )
        .names(),
        vec![
            "web-frontend",
            "monitoring",
            "db-admin",
            "carol-sandbox",
            "legacy-app",
            "old-reports"
        ]
    );
    filtered(
        &api,
        "bob",
        r#"{"EndpointID":1,"IncludeOrphanedStacks":true}"#,
    )
    .expect_error(
        403,
        "Permission denied to access orphaned stacks",
        msg::UNAUTHORIZED,
    );
    let bad = filtered(&api, "admin", "{not json");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["message"], "Invalid query parameter: filters");
    assert!(bad.json()["details"].is_string());
    assert_eq!(filtered(&api, "admin", r#"{"EndpointID":"1"}"#).status, 400);
}

#[test]
fn inspect_and_file_access() {
    let api = Api::demo();
    let web = api.get_as("alice", "/api/stacks/1");
    assert_eq!(web.status, 200);
    assert_eq!(
        web.json()["ResourceControl"]["ResourceId"],
        "1_web-frontend"
    );
    api.get_as("alice", "/api/stacks/3").expect_error(
        403,
        msg::ACCESS_DENIED_RESOURCE,
        msg::ACCESS_DENIED_RESOURCE,
    );
    api.get_as("alice", "/api/stacks/5").expect_error(
        403,
        msg::ACCESS_DENIED_RESOURCE,
        msg::ACCESS_DENIED_RESOURCE,
    );
    // dave sees monitoring in the list, but inspecting it needs environment access.
    api.get_as("dave", "/api/stacks/2").expect_error(
        403,
        msg::PERMISSION_DENIED_ENV,
        msg::ACCESS_DENIED_ENV,
    );
    api.get_as("dave", "/api/stacks/2/file").expect_error(
        403,
        msg::PERMISSION_DENIED_ENV,
        msg::ACCESS_DENIED_ENV,
    );
    // Kubernetes stacks are not decorated on inspect.
    let k8s = api.get_as("alice", "/api/stacks/10").json();
    assert_eq!(k8s["Name"], "k8s-demo");
    assert_eq!(k8s["ResourceControl"], Value::Null);
    // An orphan: admins get it, others a 404 for the missing environment.
    assert_eq!(
        api.get_as("admin", "/api/stacks/11").json()["Name"],
        "old-reports"
    );
    api.get_as("bob", "/api/stacks/11").expect_error(
        404,
        msg::ENV_NOT_FOUND,
        &msg::object_not_found("endpoints", 9),
    );
    api.get_as("admin", "/api/stacks/99").expect_error(
        404,
        msg::STACK_NOT_FOUND,
        &msg::object_not_found("stacks", 99),
    );
    api.get_as("admin", "/api/stacks/web").expect_error(
        400,
        "Invalid stack identifier route variable",
        &msg::not_a_number("web"),
    );

    let file = api.get_as("alice", "/api/stacks/1/file");
    assert_eq!(file.status, 200);
    let body = file.json();
    assert_eq!(body.as_object().unwrap().len(), 1);
    let content = body["StackFileContent"].as_str().unwrap();
    assert!(content.starts_with("services:\n  web:\n    image: nginx:1.27-alpine"));
    assert!(
        api.get_as("alice", "/api/stacks/10/file").json()["StackFileContent"]
            .as_str()
            .unwrap()
            .starts_with("apiVersion: apps/v1")
    );
}

#[test]
fn stack_management_gate_blocks_inspect_file_and_actions() {
    let api = Api::demo();
    // staging has stack management off for regular users.
    api.get_as("bob", "/api/stacks/8").expect_error(
        403,
        msg::STACK_MANAGEMENT_DISABLED,
        msg::STACK_MANAGEMENT_DISABLED,
    );
    api.get_as("bob", "/api/stacks/8/file").expect_error(
        403,
        msg::STACK_MANAGEMENT_DISABLED,
        msg::STACK_MANAGEMENT_DISABLED,
    );
    assert_eq!(api.get_as("admin", "/api/stacks/8").status, 200);
    api.send_as("POST", "bob", "/api/stacks/8/stop?endpointId=4", None)
        .expect_error(
            403,
            msg::STACK_MANAGEMENT_DISABLED_START_STOP,
            msg::STACK_MANAGEMENT_DISABLED,
        );
    api.send_as("DELETE", "bob", "/api/stacks/8?endpointId=4", None)
        .expect_error(
            403,
            "stack deletion is disabled for non-admin users",
            "Stack deletion is disabled for non-admin users",
        );

    // Switching it off on local blocks alice there, switching it back on lets her in.
    assert!(api.sim.set_stack_management(1, false));
    api.get_as("alice", "/api/stacks/1").expect_error(
        403,
        msg::STACK_MANAGEMENT_DISABLED,
        msg::STACK_MANAGEMENT_DISABLED,
    );
    api.send_as("POST", "alice", "/api/stacks/1/stop?endpointId=1", None)
        .expect_error(
            403,
            msg::STACK_MANAGEMENT_DISABLED_START_STOP,
            msg::STACK_MANAGEMENT_DISABLED,
        );
    assert_eq!(
        api.get_as("alice", "/api/endpoints/1").json()["SecuritySettings"]
            ["allowStackManagementForRegularUsers"],
        false
    );
    assert!(api.sim.set_stack_management(1, true));
    assert_eq!(api.get_as("alice", "/api/stacks/1").status, 200);
    assert!(!api.sim.set_stack_management(42, true));
}

fn containers_of(api: &Api, project: &str) -> Vec<(String, String)> {
    let filters = format!(r#"{{"label":["com.docker.compose.project={project}"]}}"#);
    let path = format!(
        "/api/endpoints/1/docker/containers/json?all=1&filters={}",
        enc(&filters)
    );
    api.get_as("admin", &path)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["Names"][0].as_str().unwrap().to_string(),
                c["State"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn stop_and_start_change_state() {
    let api = Api::demo();
    let before = api.get_as("alice", "/api/stacks/1").json();
    let stopped = api.send_as("POST", "alice", "/api/stacks/1/stop?endpointId=1", None);
    assert_eq!(stopped.status, 200);
    let stack = stopped.json();
    assert_eq!(stack["Status"], 2);
    assert_eq!(stack["Name"], "web-frontend");
    // Like Portainer: the stack comes straight from the database, so no ResourceControl, and
    // start/stop do not touch UpdateDate/UpdatedBy; the auto-update job is stopped.
    assert_eq!(stack["ResourceControl"], Value::Null);
    assert_eq!(stack["UpdateDate"], before["UpdateDate"]);
    assert_eq!(stack["UpdatedBy"], before["UpdatedBy"]);
    assert_eq!(stack["AutoUpdate"]["JobID"], "");
    // `compose down` removes the containers (`api/exec/compose_stack.go` `Down`).
    let before_ids = containers_of(&api, "web-frontend");
    assert!(before_ids.is_empty(), "{before_ids:?}");
    assert_eq!(api.get_as("alice", "/api/stacks/1").json()["Status"], 2);
    api.send_as("POST", "alice", "/api/stacks/1/stop?endpointId=1", None)
        .expect_error(
            400,
            msg::STACK_ALREADY_INACTIVE,
            msg::STACK_ALREADY_INACTIVE,
        );

    let started = api.send_as("POST", "alice", "/api/stacks/1/start?endpointId=1", None);
    assert_eq!(started.status, 200);
    assert_eq!(started.json()["Status"], 1);
    assert_ne!(started.json()["AutoUpdate"]["JobID"], "");
    // `compose up -d` creates them again.
    let states = containers_of(&api, "web-frontend");
    assert_eq!(states.len(), 4);
    assert!(states.iter().all(|(_, s)| s == "running"), "{states:?}");
    // Starting a stack that runs collides with its own containers
    // (`stack_start.go` `stackStart` → `checkUniqueStackNameInDocker`): 409, not 400.
    api.send_as("POST", "alice", "/api/stacks/1/start?endpointId=1", None)
        .expect_error(
            409,
            "A stack with the name 'web-frontend' is already running",
            "A stack with the name 'web-frontend' is already running",
        );

    // carol's stopped sandbox has no containers until she starts it.
    assert!(containers_of(&api, "carol-sandbox").is_empty());
    let sandbox = api.send_as("POST", "carol", "/api/stacks/4/start?endpointId=1", None);
    assert_eq!(sandbox.json()["Status"], 1);
    let states = containers_of(&api, "carol-sandbox");
    assert_eq!(states.len(), 2);
    assert!(states.iter().all(|(_, s)| s == "running"));

    // A stopped swarm stack's services and tasks are gone (`api/exec/swarm_stack.go` `Remove`,
    // `docker stack rm`).
    assert_eq!(
        api.send_as("POST", "bob", "/api/stacks/7/stop?endpointId=2", None)
            .status,
        200
    );
    let filters = enc(r#"{"label":["com.docker.stack.namespace=payments"]}"#);
    let listed = |what: &str| {
        api.get_as(
            "bob",
            &format!("/api/endpoints/2/docker/{what}?filters={filters}"),
        )
        .json()
        .as_array()
        .map_or(0, Vec::len)
    };
    assert_eq!((listed("services"), listed("tasks")), (0, 0));
    assert_eq!(
        api.send_as("POST", "bob", "/api/stacks/7/start?endpointId=2", None)
            .status,
        200
    );
    assert_eq!((listed("services"), listed("tasks")), (2, 4));
}

#[test]
fn start_checks_the_name_in_docker_before_the_stacks_access_control() {
    // `stack_start.go` `stackStart`: environment access, the management gate, then the name
    // collision in Docker, and only then `userCanAccessStack`. carol reaches `local` but has
    // no access to the administrators' db-admin: she learns that it runs (409) before being
    // refused (403), which she is once it is stopped.
    let api = Api::demo();
    let collision = "A stack with the name 'db-admin' is already running";
    api.send_as("POST", "carol", "/api/stacks/3/start?endpointId=1", None)
        .expect_error(409, collision, collision);
    assert_eq!(
        api.send_as("POST", "admin", "/api/stacks/3/stop?endpointId=1", None)
            .status,
        200
    );
    api.send_as("POST", "carol", "/api/stacks/3/start?endpointId=1", None)
        .expect_error(
            403,
            msg::ACCESS_DENIED_RESOURCE,
            msg::ACCESS_DENIED_RESOURCE,
        );
    // Another stack of the same name (any case) on the environment collides too.
    let dup = "A stack with the name 'carol-sandbox' is already running";
    api.set_stack_name(5, "Carol-Sandbox");
    api.send_as("POST", "carol", "/api/stacks/4/start?endpointId=1", None)
        .expect_error(409, dup, dup);
}

#[test]
fn actions_on_an_unreachable_docker_host_fail_after_the_dial() {
    // Portainer dials the host; nothing reads `Status` first. `staging` (tcp://10.0.4.21:2375)
    // is down: start fails in the name check (`checkUniqueStackNameInDocker`), stop in
    // `compose down`, a git redeploy in the deploy, each after the connect timeout.
    let api = Api::demo();
    let daemon = "Cannot connect to the Docker daemon at tcp://10.0.4.21:2375. Is the docker daemon running?";
    api.set_stack_status(8, 2);
    api.send_as("POST", "admin", "/api/stacks/8/start?endpointId=4", None)
        .expect_error(500, "Unable to check for name collision", daemon);
    api.set_stack_status(8, 1);
    api.send_as("POST", "admin", "/api/stacks/8/stop?endpointId=4", None)
        .expect_error(
            500,
            "Unable to stop stack",
            &format!("Failed to remove a stack: {daemon}"),
        );
    // The stack stays as it was.
    assert_eq!(api.get_as("admin", "/api/stacks/8").json()["Status"], 1);
    // An Edge environment without a tunnel (2.23): the tunnel's error, after its wait.
    api.send_as("POST", "admin", "/api/stacks/9/stop?endpointId=3", None)
        .expect_error(
            500,
            "Unable to stop stack",
            "Failed starting tunnel: unable to open the tunnel",
        );
}

#[test]
fn a_host_gone_since_the_last_snapshot_still_reads_up_and_fails_each_request() {
    // `api/internal/snapshot/snapshot.go` `updateEndpointStatus` changes `Status` only when a
    // snapshot runs; every proxied request and action dials the host itself.
    let api = Api::demo();
    assert!(api.sim.set_host_down(1, true));
    let local = api.get_as("admin", "/api/endpoints/1").json();
    assert_eq!(local["Status"], 1, "still Up until the next snapshot");
    // The local socket's proxy (`docker.go` `(*dockerLocalProxy).ServeHTTP`).
    api.get_as("admin", "/api/endpoints/1/docker/containers/json?all=1")
        .expect_error(
            500,
            "Unable to proxy the request via the Docker socket",
            // 2.23's libhttp capitalises the details.
            "Dial unix /var/run/docker.sock: connect: connection refused",
        );
    let daemon = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
    api.send_as("POST", "admin", "/api/stacks/2/stop?endpointId=1", None)
        .expect_error(
            500,
            "Unable to stop stack",
            &format!("Failed to remove a stack: {daemon}"),
        );
    assert_eq!(api.get_as("admin", "/api/stacks/2").json()["Status"], 1);
    // An agent environment's reverse proxy: 502, empty.
    assert!(api.sim.set_host_down(2, true));
    let reply = api.get_as("admin", "/api/endpoints/2/docker/containers/json");
    assert_eq!((reply.status, reply.text()), (502, String::new()));
    // Back up: everything answers again.
    assert!(api.sim.set_host_down(1, false));
    assert_eq!(
        api.get_as("admin", "/api/endpoints/1/docker/containers/json")
            .status,
        200
    );
    assert!(!api.sim.set_host_down(99, true));
}

#[test]
fn start_and_stop_errors() {
    let api = Api::demo();
    api.send_as("POST", "admin", "/api/stacks/2/stop", None)
        .expect_error(
            400,
            msg::INVALID_ENDPOINT_ID_QUERY,
            "Missing query parameter",
        );
    api.send_as("POST", "admin", "/api/stacks/2/stop?endpointId=one", None)
        .expect_error(
            400,
            msg::INVALID_ENDPOINT_ID_QUERY,
            &msg::not_a_number("one"),
        );
    api.send_as("POST", "admin", "/api/stacks/10/start?endpointId=5", None)
        .expect_error(400, msg::KUBERNETES_START, msg::KUBERNETES_START);
    api.send_as("POST", "alice", "/api/stacks/10/stop?endpointId=5", None)
        .expect_error(400, msg::KUBERNETES_STOP, msg::KUBERNETES_STOP);
    api.send_as("POST", "admin", "/api/stacks/2/stop?endpointId=77", None)
        .expect_error(
            404,
            msg::ENV_NOT_FOUND,
            &msg::object_not_found("endpoints", 77),
        );
    api.send_as("POST", "admin", "/api/stacks/4/start?endpointId=77", None)
        .expect_error(
            404,
            "Unable to find an endpoint with the specified identifier inside the database",
            &msg::object_not_found("endpoints", 77),
        );
    api.send_as("POST", "dave", "/api/stacks/2/stop?endpointId=1", None)
        .expect_error(403, msg::PERMISSION_DENIED_ENV, msg::ACCESS_DENIED_ENV);
    api.send_as("POST", "dave", "/api/stacks/4/start?endpointId=1", None)
        .expect_error(
            403,
            "Permission denied to access endpoint",
            msg::ACCESS_DENIED_ENV,
        );
    api.send_as("POST", "bob", "/api/stacks/3/stop?endpointId=1", None)
        .expect_error(
            403,
            msg::ACCESS_DENIED_RESOURCE,
            msg::ACCESS_DENIED_RESOURCE,
        );
    api.send_as("POST", "admin", "/api/stacks/99/stop?endpointId=1", None)
        .expect_error(
            404,
            msg::STACK_NOT_FOUND,
            &msg::object_not_found("stacks", 99),
        );
    // Nothing changed.
    assert_eq!(api.get_as("admin", "/api/stacks/2").json()["Status"], 1);
}

#[test]
fn git_redeploy_overwrites_reference_and_env() {
    let api = Api::demo();
    let before = api.get_as("admin", "/api/stacks/1").json();
    let payload = r#"{"RepositoryReferenceName":"refs/heads/release","RepositoryAuthentication":false,"Env":[{"name":"LOG_LEVEL","value":"debug"}],"Prune":false,"PullImage":true}"#;
    let reply = api.send_as(
        "PUT",
        "alice",
        "/api/stacks/1/git/redeploy?endpointId=1",
        Some(payload),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stack = reply.json();
    assert_eq!(stack["GitConfig"]["ReferenceName"], "refs/heads/release");
    assert_eq!(
        stack["Env"],
        json!([{ "name": "LOG_LEVEL", "value": "debug" }])
    );
    assert_eq!(stack["UpdatedBy"], "alice");
    assert!(stack["UpdateDate"].as_i64().unwrap() > before["UpdateDate"].as_i64().unwrap());
    assert_ne!(
        stack["GitConfig"]["ConfigHash"],
        before["GitConfig"]["ConfigHash"]
    );
    assert_eq!(stack["Status"], 1);
    assert_eq!(
        api.get_as("admin", "/api/stacks/1").json()["Env"],
        stack["Env"]
    );

    // Omitting them wipes them, as Portainer does.
    let wiped = api.send_as(
        "PUT",
        "admin",
        "/api/stacks/1/git/redeploy?endpointId=1",
        Some("{}"),
    );
    assert_eq!(wiped.json()["Env"], Value::Null);
    assert_eq!(wiped.json()["GitConfig"]["ReferenceName"], "");

    // A private repository cloned without credentials fails: `RepositoryAuthentication`
    // false means an anonymous clone, whatever is saved (`stack_update_git_redeploy.go`
    // `stackGitRedeploy`, `api/git/backup.go` `CloneWithBackup`).
    api.send_as(
        "PUT",
        "bob",
        "/api/stacks/6/git/redeploy?endpointId=2",
        Some(r#"{"RepositoryReferenceName":"refs/heads/production","Env":[]}"#),
    )
    .expect_error(
        500,
        "Unable to clone git repository directory",
        "Invalid git credential: authentication failed, please ensure that the git credentials are correct",
    );
    // Case-insensitive keys; with authentication and no password, the saved one is used; the
    // git password stays hidden.
    let swarm = api.send_as(
        "PUT",
        "bob",
        "/api/stacks/6/git/redeploy?endpointId=2",
        Some(r#"{"repositoryReferenceName":"refs/heads/production","env":[],"prune":true,"repositoryAuthentication":true}"#),
    );
    assert_eq!(swarm.status, 200, "{}", swarm.text());
    assert_eq!(swarm.json()["Option"], json!({ "Prune": true }));
    assert_eq!(swarm.json()["Env"], json!([]));
    assert_eq!(swarm.json()["GitConfig"]["Authentication"]["Password"], "");
}

#[test]
fn git_redeploy_errors() {
    let api = Api::demo();
    api.send_as(
        "PUT",
        "admin",
        "/api/stacks/2/git/redeploy?endpointId=1",
        Some("{}"),
    )
    .expect_error(400, msg::NOT_FROM_GIT, msg::NOT_FROM_GIT);
    api.send_as("PUT", "admin", "/api/stacks/1/git/redeploy", Some("{}"))
        .expect_error(
            404,
            "Unable to find the environment associated to the stack inside the database",
            &msg::object_not_found("endpoints", 0),
        );
    api.send_as(
        "PUT",
        "carol",
        "/api/stacks/1/git/redeploy?endpointId=1",
        Some("{}"),
    )
    .expect_error(
        403,
        msg::ACCESS_DENIED_RESOURCE,
        msg::ACCESS_DENIED_RESOURCE,
    );
    let bad = api.send_as(
        "PUT",
        "admin",
        "/api/stacks/1/git/redeploy?endpointId=1",
        Some("[]"),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["message"], msg::INVALID_PAYLOAD);
    // Nothing was overwritten by the failed calls.
    let web = api.get_as("admin", "/api/stacks/1").json();
    assert_eq!(web["GitConfig"]["ReferenceName"], "refs/heads/main");
    assert_eq!(web["EndpointId"], 1);
}

#[test]
fn deleting_stacks() {
    let api = Api::demo();
    api.send_as("DELETE", "bob", "/api/stacks/7?endpointId=1", None)
        .expect_error(
            403,
            msg::PERMISSION_DENIED_ORPHAN_REMOVAL,
            msg::PERMISSION_DENIED_ORPHAN_REMOVAL,
        );
    api.send_as("DELETE", "admin", "/api/stacks/7", None)
        .expect_error(
            404,
            "Unable to find the endpoint associated to the stack inside the database",
            &msg::object_not_found("endpoints", 0),
        );
    api.send_as("DELETE", "carol", "/api/stacks/1?endpointId=1", None)
        .expect_error(
            403,
            msg::ACCESS_DENIED_RESOURCE,
            msg::ACCESS_DENIED_RESOURCE,
        );
    let reply = api.send_as("DELETE", "alice", "/api/stacks/1?endpointId=1", None);
    assert_eq!((reply.status, reply.body.len()), (204, 0));
    api.get_as("admin", "/api/stacks/1").expect_error(
        404,
        msg::STACK_NOT_FOUND,
        &msg::object_not_found("stacks", 1),
    );
    assert!(containers_of(&api, "web-frontend").is_empty());
    assert!(!api
        .get_as("alice", "/api/stacks")
        .names()
        .contains(&"web-frontend".to_string()));
}

#[test]
fn updating_stacks() {
    // `stack_update.go` `stackUpdate` (§4.7): a git stack is detached, its auto-update cleared;
    // the file and Env replace the old ones; the name is saved normalised.
    let api = Api::demo();
    let file = "services:\n  web:\n    image: nginx:1.27-alpine\n";
    let payload = json!({ "StackFileContent": file, "Env": [{ "name": "A", "value": "1" }] });
    let reply = api.send_as(
        "PUT",
        "alice",
        "/api/stacks/1?endpointId=1",
        Some(&payload.to_string()),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let web = reply.json();
    assert_eq!(web["GitConfig"], Value::Null);
    assert_eq!(web["FromAppTemplate"], true);
    assert_eq!(web["AutoUpdate"], Value::Null);
    assert_eq!(web["Env"], json!([{ "name": "A", "value": "1" }]));
    assert_eq!(web["UpdatedBy"], "alice");
    assert_eq!(web["ResourceControl"], Value::Null);
    assert_eq!(
        api.get_as("alice", "/api/stacks/1/file").json()["StackFileContent"],
        file
    );
    // The new file replaces the running containers.
    let states = containers_of(&api, "web-frontend");
    assert!(states.iter().all(|(_, s)| s == "running"), "{states:?}");

    // An empty file is refused by the payload's `Validate`; swarm's `Prune` is not stored.
    api.send_as(
        "PUT",
        "bob",
        "/api/stacks/7?endpointId=2",
        Some(r#"{"StackFileContent":""}"#),
    )
    .expect_error(400, msg::INVALID_PAYLOAD, "Invalid stack file content");
    let swarm = api.send_as(
        "PUT",
        "bob",
        "/api/stacks/7?endpointId=2",
        Some(&json!({ "StackFileContent": file, "Prune": true }).to_string()),
    );
    assert_eq!(swarm.status, 200, "{}", swarm.text());
    assert_eq!(swarm.json()["Option"], json!({ "Prune": false }));
    assert_eq!(swarm.json()["Env"], Value::Null);

    // The gate has its own words here; it comes after the ResourceControl.
    api.send_as(
        "PUT",
        "alice",
        "/api/stacks/8?endpointId=4",
        Some(&payload.to_string()),
    )
    .expect_error(
        403,
        "Stack editing is disabled for non-admin users",
        "Stack editing is disabled for non-admin users",
    );
    // A host that does not answer fails the deploy with the deployer's words; nothing changes.
    let daemon = "Cannot connect to the Docker daemon at tcp://10.0.4.21:2375. Is the docker daemon running?";
    let before = api.get_as("admin", "/api/stacks/8").json();
    api.send_as(
        "PUT",
        "admin",
        "/api/stacks/8?endpointId=4",
        Some(&payload.to_string()),
    )
    .expect_error(
        500,
        &format!("failed to deploy a stack: {daemon}"),
        &format!("Failed to deploy a stack: {daemon}"),
    );
    assert_eq!(api.get_as("admin", "/api/stacks/8").json(), before);

    // Kubernetes git stacks (`update_kubernetes_stack.go` `updateKubernetesStack`): the
    // reference and `AutoUpdate` come from the payload, which is validated first.
    let k8s = |body: Value| {
        api.send_as(
            "PUT",
            "admin",
            "/api/stacks/10?endpointId=5",
            Some(&body.to_string()),
        )
    };
    k8s(json!({ "AutoUpdate": { "Interval": "10 minutes" } })).expect_error(
        400,
        msg::INVALID_PAYLOAD,
        "Invalid Interval format",
    );
    k8s(json!({ "AutoUpdate": { "Webhook": "not-a-uuid" } })).expect_error(
        400,
        msg::INVALID_PAYLOAD,
        "Invalid Webhook format",
    );
    k8s(json!({ "AutoUpdate": {} })).expect_error(
        400,
        msg::INVALID_PAYLOAD,
        "Webhook or Interval must be provided",
    );
    let updated = k8s(json!({
        "RepositoryReferenceName": "refs/heads/dev",
        "AutoUpdate": { "Interval": "10m" },
    }));
    assert_eq!(updated.status, 200, "{}", updated.text());
    let stack = updated.json();
    assert_eq!(stack["GitConfig"]["ReferenceName"], "refs/heads/dev");
    assert_eq!(stack["AutoUpdate"]["Interval"], "10m");
    assert_ne!(stack["AutoUpdate"]["JobID"], "");
    assert_eq!(stack["Name"], "k8s-demo");
}
