//! `POST /api/stacks/{id}/git?endpointId=N`: a git stack's settings saved without a redeploy
//! (`stack_update_git.go` `stackUpdateGit`, §13), its checks in Portainer's order.

mod common;

use common::{enc, messages as msg, Api};
use serde_json::{json, Value};

const GATE: &str = "Stack editing is disabled for non-admin users";
const NO_GIT: &str = "No Git config in the found stack";
const ENV_OF_STACK: &str =
    "Unable to find the environment associated to the stack inside the database";
const GATEWAY_PASSWORD: &str = "ghp_3xAmPl3T0k3nN0tR3al000000000000";

fn post(api: &Api, user: &str, path: &str, body: Value) -> common::Reply {
    api.send_as("POST", user, path, Some(&body.to_string()))
}

/// The compose project's containers as Docker lists them (ids, creation and state included).
fn containers_of(api: &Api, project: &str) -> Value {
    let filters = format!(r#"{{"label":["com.docker.compose.project={project}"]}}"#);
    let path = format!(
        "/api/endpoints/1/docker/containers/json?all=1&filters={}",
        enc(&filters)
    );
    api.get_as("admin", &path).json()
}

#[test]
fn saves_reference_env_and_auto_update_without_redeploying() {
    let api = Api::demo();
    let before = api.get_as("admin", "/api/stacks/1").json();
    let containers = containers_of(&api, "web-frontend");
    // No Docker host is contacted: one that does not answer makes no difference.
    assert!(api.sim.set_host_down(1, true));
    let reply = post(
        &api,
        "alice",
        "/api/stacks/1/git?endpointId=1",
        json!({
            "RepositoryReferenceName": "refs/heads/release",
            "Env": [{ "name": "LOG_LEVEL", "value": "debug" }],
            "AutoUpdate": { "Interval": "10m", "ForcePullImage": true, "JobID": "99" },
            "TLSSkipVerify": true,
        }),
    );
    assert!(api.sim.set_host_down(1, false));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stack = reply.json();
    assert_eq!(stack["GitConfig"]["ReferenceName"], "refs/heads/release");
    assert_eq!(stack["GitConfig"]["TLSSkipVerify"], true);
    assert_eq!(stack["GitConfig"]["Authentication"], Value::Null);
    assert_eq!(
        stack["Env"],
        json!([{ "name": "LOG_LEVEL", "value": "debug" }])
    );
    let auto = &stack["AutoUpdate"];
    assert_eq!(
        (&auto["Interval"], &auto["ForcePullImage"]),
        (&json!("10m"), &json!(true))
    );
    // A new job replaces the old one (and the payload's `JobID`).
    assert!(![json!(""), json!("3"), json!("99")].contains(&auto["JobID"]));
    assert_eq!(stack["UpdatedBy"], "alice");
    assert!(stack["UpdateDate"].as_i64().unwrap() > before["UpdateDate"].as_i64().unwrap());
    assert_eq!(stack["ResourceControl"], Value::Null);
    // Not redeployed: same commit, status and options, containers untouched, nothing cloned.
    for key in ["Status", "Option", "EndpointId", "Name"] {
        assert_eq!(stack[key], before[key], "{key}");
    }
    assert_eq!(
        stack["GitConfig"]["ConfigHash"],
        before["GitConfig"]["ConfigHash"]
    );
    assert_eq!(containers_of(&api, "web-frontend"), containers);
    assert!(api.sim.git_clones().is_empty());
    assert_eq!(api.sim.stack(1).unwrap(), stack);

    // A webhook alone starts no job: the payload's `AutoUpdate` is saved as sent.
    let webhook = "05de31a2-79fa-4644-9c12-faa67e5c49f0";
    let hooked = post(
        &api,
        "alice",
        "/api/stacks/1/git?endpointId=1",
        json!({ "AutoUpdate": { "Webhook": webhook, "JobID": "77" } }),
    );
    assert_eq!(hooked.status, 200, "{}", hooked.text());
    assert_eq!(hooked.json()["AutoUpdate"]["Webhook"], webhook);
    assert_eq!(hooked.json()["AutoUpdate"]["JobID"], "77");

    // Every field is overwritten: an empty body wipes reference, Env and auto-update.
    let wiped = post(&api, "admin", "/api/stacks/1/git?endpointId=1", json!({})).json();
    assert_eq!(wiped["GitConfig"]["ReferenceName"], "");
    assert_eq!(wiped["GitConfig"]["TLSSkipVerify"], false);
    assert_eq!(wiped["Env"], Value::Null);
    assert_eq!(wiped["AutoUpdate"], Value::Null);
    assert_eq!(wiped["UpdatedBy"], "admin");
}

#[test]
fn swarm_stack_stores_prune_and_keeps_the_saved_password() {
    let api = Api::demo();
    let reply = post(
        &api,
        "bob",
        "/api/stacks/6/git?endpointId=2",
        // Keys match without regard to case.
        json!({
            "repositoryReferenceName": "refs/heads/production",
            "prune": true,
            "repositoryAuthentication": true,
            "repositoryUsername": "ci-bot",
        }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stack = reply.json();
    assert_eq!(stack["Option"], json!({ "Prune": true }));
    assert_eq!(stack["AutoUpdate"], Value::Null);
    assert_eq!(
        stack["GitConfig"]["Authentication"],
        json!({ "Username": "ci-bot", "Password": "", "GitCredentialID": 0 })
    );
    assert!(api.sim.git_clones().is_empty());
    // The empty password kept the saved one: a redeploy that leans on it clones with it.
    let redeploy = api.send_as(
        "PUT",
        "bob",
        "/api/stacks/6/git/redeploy?endpointId=2",
        Some(r#"{"RepositoryReferenceName":"refs/heads/production","RepositoryAuthentication":true,"RepositoryUsername":"ci-bot"}"#),
    );
    assert_eq!(redeploy.status, 200, "{}", redeploy.text());
    assert_eq!(
        api.sim.git_clones(),
        vec![Some(("ci-bot".to_string(), GATEWAY_PASSWORD.to_string()))]
    );

    // Without `RepositoryAuthentication` the credentials are removed; `Prune` false is stored.
    let dropped = post(
        &api,
        "bob",
        "/api/stacks/6/git?endpointId=2",
        json!({ "RepositoryReferenceName": "refs/heads/production" }),
    )
    .json();
    assert_eq!(dropped["GitConfig"]["Authentication"], Value::Null);
    assert_eq!(dropped["Option"], json!({ "Prune": false }));
}

#[test]
fn refusals_in_portainer_order() {
    let api = Api::demo();
    let before = api.get_as("admin", "/api/stacks/1").json();
    let invalid = |path: &str, body: Value, details: &str| {
        post(&api, "admin", path, body).expect_error(400, msg::INVALID_PAYLOAD, details);
    };
    post(&api, "admin", "/api/stacks/x/git?endpointId=1", json!({})).expect_error(
        400,
        "Invalid stack identifier route variable",
        &msg::not_a_number("x"),
    );
    // The payload and its `Validate` come before the stack is read.
    invalid(
        "/api/stacks/99/git?endpointId=1",
        json!({ "AutoUpdate": { "Interval": "soon" } }),
        "Invalid Interval format",
    );
    invalid(
        "/api/stacks/1/git?endpointId=1",
        json!({ "AutoUpdate": {} }),
        "Webhook or Interval must be provided",
    );
    invalid(
        "/api/stacks/1/git?endpointId=1",
        json!({ "AutoUpdate": { "Webhook": "not-a-uuid" } }),
        "Invalid Webhook format",
    );
    invalid(
        "/api/stacks/1/git?endpointId=1",
        json!({ "Prune": "yes" }),
        "Json: cannot unmarshal string into Go struct field stackGitUpdatePayload.Prune of type bool",
    );
    post(&api, "admin", "/api/stacks/99/git?endpointId=1", json!({})).expect_error(
        404,
        msg::STACK_NOT_FOUND,
        &msg::object_not_found("stacks", 99),
    );
    // A stack not created from git is a 500, before `endpointId` is read.
    post(&api, "dave", "/api/stacks/2/git?endpointId=abc", json!({}))
        .expect_error(500, NO_GIT, NO_GIT);
    post(&api, "admin", "/api/stacks/1/git?endpointId=abc", json!({})).expect_error(
        400,
        msg::INVALID_ENDPOINT_ID_QUERY,
        &msg::not_a_number("abc"),
    );
    // `endpointId` is optional: without it the stack's environment is 0.
    post(&api, "admin", "/api/stacks/1/git", json!({})).expect_error(
        404,
        ENV_OF_STACK,
        &msg::object_not_found("endpoints", 0),
    );
    post(&api, "admin", "/api/stacks/1/git?endpointId=99", json!({})).expect_error(
        404,
        ENV_OF_STACK,
        &msg::object_not_found("endpoints", 99),
    );
    post(&api, "dave", "/api/stacks/1/git?endpointId=1", json!({})).expect_error(
        403,
        msg::PERMISSION_DENIED_ENV,
        msg::ACCESS_DENIED_ENV,
    );
    // The ResourceControl comes before the gate: carol (no team devs) is refused by it even
    // with stack management off.
    assert!(api.sim.set_stack_management(1, false));
    post(&api, "carol", "/api/stacks/1/git?endpointId=1", json!({})).expect_error(
        403,
        msg::ACCESS_DENIED_RESOURCE,
        msg::ACCESS_DENIED_RESOURCE,
    );
    post(&api, "alice", "/api/stacks/1/git?endpointId=1", json!({})).expect_error(403, GATE, GATE);
    // Nothing was saved by the refused calls.
    assert_eq!(api.get_as("admin", "/api/stacks/1").json(), before);
    // Administrators pass the gate.
    let admin = post(&api, "admin", "/api/stacks/1/git?endpointId=1", json!({}));
    assert_eq!(admin.status, 200, "{}", admin.text());
}

#[test]
fn endpoint_id_replaces_the_stacks_environment() {
    let api = Api::demo();
    // On environment 3 the ResourceControl `3_web-frontend` does not exist: alice, who reaches
    // edge-site-7, is refused; an administrator moves the stack there.
    post(&api, "alice", "/api/stacks/1/git?endpointId=3", json!({})).expect_error(
        403,
        msg::ACCESS_DENIED_RESOURCE,
        msg::ACCESS_DENIED_RESOURCE,
    );
    let moved = post(&api, "admin", "/api/stacks/1/git?endpointId=3", json!({}));
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(moved.json()["EndpointId"], 3);
    assert_eq!(api.sim.stack(1).unwrap()["EndpointId"], 3);
    // Kubernetes stacks have no ResourceControl to check, and their environment no gate.
    let k8s = post(
        &api,
        "alice",
        "/api/stacks/10/git?endpointId=5",
        json!({ "RepositoryReferenceName": "refs/heads/dev" }),
    );
    assert_eq!(k8s.status, 200, "{}", k8s.text());
    assert_eq!(k8s.json()["GitConfig"]["ReferenceName"], "refs/heads/dev");
    assert_eq!(k8s.json()["Name"], "k8s-demo");
}

#[test]
fn v2_19_runs_the_same_checks_in_its_own_words() {
    let api = Api::v2_19();
    let bad = post(
        &api,
        "admin",
        "/api/stacks/1/git?endpointId=1",
        json!({ "AutoUpdate": { "Interval": "soon" } }),
    );
    assert!(bad.text().ends_with("}\n"), "{:?}", bad.text());
    bad.expect_error(400, msg::INVALID_PAYLOAD, "invalid Interval format");
    post(&api, "admin", "/api/stacks/1/git?endpointId=abc", json!({})).expect_error(
        400,
        msg::INVALID_ENDPOINT_ID_QUERY,
        &msg::not_a_number_2_19("abc"),
    );
    assert!(api.sim.set_stack_management(1, false));
    post(&api, "alice", "/api/stacks/1/git?endpointId=1", json!({})).expect_error(403, GATE, GATE);
    // Saved credentials are kept for an empty password, as on 2.23.
    let reply = post(
        &api,
        "admin",
        "/api/stacks/6/git?endpointId=2",
        json!({ "RepositoryAuthentication": true, "RepositoryUsername": "deploy-bot", "Prune": true }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stack = reply.json();
    assert_eq!(stack["IsComposeFormat"], false);
    assert_eq!(stack["Option"], json!({ "Prune": true }));
    assert_eq!(
        stack["GitConfig"]["Authentication"]["Username"],
        "deploy-bot"
    );
    api.send_as(
        "PUT",
        "admin",
        "/api/stacks/6/git/redeploy?endpointId=2",
        Some(r#"{"RepositoryAuthentication":true,"RepositoryUsername":"deploy-bot"}"#),
    );
    assert_eq!(
        api.sim.git_clones(),
        vec![Some((
            "deploy-bot".to_string(),
            GATEWAY_PASSWORD.to_string()
        ))]
    );
}
