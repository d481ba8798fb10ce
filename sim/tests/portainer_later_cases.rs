//! Portainer's own test cases from releases after 2.23, as simulator tests over HTTP. The files
//! below do not exist at the 2.23.0 or 2.19.4 tags; they come with later releases and test
//! later code. Carried over are the cases that concern an endpoint Portlight calls (or
//! `PUT /api/stacks/{id}`, which it will) and that 2.23's code answers the same way over HTTP,
//! with the same inputs and the same expected outcome. Each test names the Go test it comes
//! from and the 2.23 code that gives the same answer.
//!
//! Left out, with the reason (see docs/portainer-api.md §4 and §11):
//! - `stack_start_test.go` `TestStackStart_NonAdminRestrictedCompose_IsRejected`: later
//!   releases check the compose file against the environment's security settings before they
//!   start it (a standard user's bind mount of `/` is a 403); 2.23's `stack_start.go`
//!   `stackStart` and `startStack` never do, so a user who may reach the environment and the
//!   stack starts it (200);
//! - `stack_start_test.go`, in the revision whose active stack is a 409:
//!   `TestStackStart_ActiveStack_ReturnsConflict`, `TestStackStart_DeployingStack_ReturnsConflict`
//!   and `TestStackStart_ErrorStack_ReturnsConflict` test a status check of later releases;
//!   2.23 has no deploying or error status, and answers an active stack that Docker does not
//!   run with 400 (carried over below from the other revision) and a running one with 409 for
//!   its name in Docker, whatever its status;
//! - that revision's `TestStackStart_StartSuccess_StackStatusSetToActive` also expects a
//!   `DeploymentStatus` entry, a field 2.23's stack does not have (its 200 and `Status` 1 are
//!   carried over with the other revision's success case), and
//!   `TestStackStart_StartFailure_StackStatusSetToError` an `Error` status: 2.23 answers a
//!   failed start with 500 `Unable to start stack` and leaves the stack as it was;
//! - `stack_start_user_test.go` `TestStackStart_UnknownUser_ReturnsInternalServerError` and
//!   `stack_update_test.go` `Test_updateStackInTx` "Error: user not found": a request made in
//!   the name of a user missing from the database. Over HTTP the bouncer refuses such a user's
//!   token first (401 `An authorization token is invalid`), so the handlers' 500 (`Unable to
//!   verify user authorizations to validate stack access`) cannot be reached;
//! - `stack_update_test.go` `Test_updateStackInTx` "Transaction rollback on error - changes not
//!   persisted": a rollback forced inside the later, transactional handler; no request can
//!   force one, and 2.23 has no such transaction;
//! - `stack_update_test.go` `Test_updateComposeStack_WorkflowAlreadyDeleted_StillUpdatesStack`
//!   and `Test_updateSwarmStack_WorkflowAlreadyDeleted_StillUpdatesStack`: the `Workflow`
//!   records of later releases; 2.23's stack has no `WorkflowID`;
//! - `stack_update_test.go` `Test_updateSwarmStack_Prune`: later releases store
//!   `Option.Prune`; 2.23's `stack_update.go` `updateSwarmStack` hands `Prune` to the deploy
//!   and stores nothing. `Test_updateComposeStack_Prune`: 2.23's compose payload has no
//!   `Prune` at all;
//! - `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "existing
//!   auth, flag off": later releases clone with the saved credentials; 2.23's
//!   `stack_update_git_redeploy.go` `stackGitRedeploy` clones anonymously, which a private
//!   repository refuses (500). "existing auth, flag on, empty password": later releases use the
//!   saved username and password; 2.23 the payload's username with the saved password;
//! - `stack_update_git_redeploy_test.go` `TestDeployKubernetesStackInline` (its three
//!   subtests): internal functions of later releases, with their deployment statuses and
//!   `Workflow`/`Source` records, none of which 2.23 has;
//! - `filter_test.go` `TestFilterEndpointsPanic`: later releases list the environments of a
//!   non-admin when one's group is missing; 2.23's `api/http/security/filter.go`
//!   `FilterEndpoints` panics on it and the connection drops (§11);
//! - `filter_test.go` `TestFilterUserTeams_MembershipOrderDiffersFromTeamOrder`: later
//!   releases return both teams; 2.23's `FilterUserTeams` rewrites the list while it scans it
//!   and returns team 26 only (§11);
//! - `filter_test.go` `TestLeaderTeamMembershipFilter_MatchesMembershipsOfLedTeams`,
//!   `TestLeaderTeamMembershipFilter_NonLeaderMatchesNothing` and
//!   `TestLeaderTeamMembershipFilter_IgnoresOtherUsersLeadership`: a filter later releases put
//!   on `GET /api/team_memberships`; 2.23's `teammembership_list.go` `teamMembershipList` gives
//!   every membership to any team leader and a 403 to everyone else (§11);
//! - `authorization_test.go`, all eleven `TestAuthorizedResourceControlUpdate_*` cases: the
//!   check behind `PUT /api/resource_controls/{id}`, which Portlight never calls (nor does the
//!   simulator serve it); `TestAuthorizedResourceControlUpdate_TeamAccessUserNotMemberOfAllTeams`
//!   also contradicts 2.23, whose `AuthorizedResourceControlUpdate` accepts a user who belongs
//!   to any of the listed teams.

mod common;

use common::{enc, messages as msg, Api};
use serde_json::{json, Value};

/// The compose project's containers on `local`, as `(name, state)`.
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

fn stack(api: &Api, id: i64) -> Value {
    api.get_as("admin", &format!("/api/stacks/{id}")).json()
}

// --- `api/http/handler/stacks/stack_start_test.go` -------------------------------------------
// The revision whose active stack is a 400. Its fixture: an administrator, a compose stack
// `test-stack` on an environment whose Docker host lists nothing; here the stopped
// carol-sandbox (stack 4 on `local`), whose containers `compose down` removed.

/// `stack_start_test.go` `TestStackStart_ActiveStack_ReturnsBadRequest`, from a release after
/// 2.23: an administrator starts a compose stack marked active while Docker runs nothing under
/// its name, and gets a 400. 2.23's `stack_start.go` `stackStart` answers the same: the name
/// check (`checkUniqueStackNameInDocker`) finds nothing, then `Stack is already active`.
#[test]
fn test_stack_start_active_stack_returns_bad_request() {
    let api = Api::demo();
    api.set_stack_status(4, 1);
    api.send_as("POST", "admin", "/api/stacks/4/start?endpointId=1", None)
        .expect_error(400, msg::STACK_ALREADY_ACTIVE, msg::STACK_ALREADY_ACTIVE);
    assert!(containers_of(&api, "carol-sandbox").is_empty());
    assert_eq!(stack(&api, 4)["Status"], 1);
}

/// `stack_start_test.go` `TestStackStart_AdminStartSuccess_StackStatusSetToActive`, from a
/// release after 2.23: an administrator starts an inactive compose stack; 200, `compose up`
/// runs, and the stored stack is active.
/// 2.23's `stack_start.go` `stackStart` (with `startStack` → `ComposeStackManager.Up`) gives
/// the same.
#[test]
fn test_stack_start_admin_start_success_stack_status_set_to_active() {
    let api = Api::demo();
    let started = api.send_as("POST", "admin", "/api/stacks/4/start?endpointId=1", None);
    assert_eq!(started.status, 200, "{}", started.text());
    assert_eq!(started.json()["Status"], 1);
    assert_eq!(stack(&api, 4)["Status"], 1);
    let states = containers_of(&api, "carol-sandbox");
    assert_eq!(states.len(), 2, "{states:?}");
    assert!(states.iter().all(|(_, s)| s == "running"), "{states:?}");
}

/// `stack_start_test.go` `TestStackStart_AutoUpdateInterval`, from a release after 2.23: a
/// stack whose `AutoUpdate.Interval` is `not-a-duration` is refused with a 400 and stays
/// inactive; a stack with `1h` starts, becomes active and gets an auto-update job id. 2.23's
/// `stack_start.go` `stackStart` gives the same: `StartAutoupdate`
/// (`api/stacks/deployments/autoupdate.go`) parses the interval before anything starts.
#[test]
fn test_stack_start_auto_update_interval() {
    let api = Api::demo();
    assert!(api.sim.set_stack_auto_update(4, Some("not-a-duration")));
    api.send_as("POST", "admin", "/api/stacks/4/start?endpointId=1", None)
        .expect_error(
            400,
            "Unable to parse stack's auto update interval",
            r#"Time: invalid duration "not-a-duration""#,
        );
    assert_eq!(stack(&api, 4)["Status"], 2);
    assert!(containers_of(&api, "carol-sandbox").is_empty());

    // The fixture's second stack, `good-stack`: legacy-app, stopped first, without a job.
    let stopped = api.send_as("POST", "admin", "/api/stacks/5/stop?endpointId=1", None);
    assert_eq!(stopped.status, 200, "{}", stopped.text());
    assert!(api.sim.set_stack_auto_update(5, Some("1h")));
    assert_eq!(stack(&api, 5)["AutoUpdate"]["JobID"], "");
    let started = api.send_as("POST", "admin", "/api/stacks/5/start?endpointId=1", None);
    assert_eq!(started.status, 200, "{}", started.text());
    let stored = stack(&api, 5);
    assert_eq!(stored["Status"], 1);
    assert_eq!(stored["AutoUpdate"]["Interval"], "1h");
    assert_ne!(stored["AutoUpdate"]["JobID"], "");

    // 2.19's `StartAutoupdate` is the same; its error writer leaves Go's words as they are.
    let old = Api::v2_19();
    assert!(old.sim.set_stack_auto_update(4, Some("not-a-duration")));
    old.send_as("POST", "admin", "/api/stacks/4/start?endpointId=1", None)
        .expect_error(
            400,
            "Unable to parse stack's auto update interval",
            r#"time: invalid duration "not-a-duration""#,
        );
}

// --- `api/http/handler/stacks/stack_update_test.go` ------------------------------------------
// Its fixture: an administrator (user 1), an environment with every security setting on, a
// stack with a ResourceControl that grants nobody. Here: db-admin (stack 3, compose on
// `local`, an administrators-only ResourceControl) and payments (stack 7, swarm on
// `prod-swarm`).

const COMPOSE_FILE: &str = "version: '3'\nservices:\n  web:\n    image: nginx:latest";

fn update_payload(env: Value) -> String {
    json!({ "StackFileContent": COMPOSE_FILE, "Env": env }).to_string()
}

/// `stack_update_test.go` `Test_updateStackInTx` "Transaction commits successfully - changes
/// are persisted", from a release after 2.23: an administrator updates a compose stack with a
/// new file and `Env` `FOO=BAR`, and the stored stack has that `Env`. 2.23's `stack_update.go`
/// `stackUpdate` (`updateComposeStack` replaces `Env` and the file, deploys, then saves) gives
/// the same.
#[test]
fn test_update_stack_in_tx_transaction_commits_successfully() {
    let api = Api::demo();
    let payload = update_payload(json!([{ "name": "FOO", "value": "BAR" }]));
    let reply = api.send_as("PUT", "admin", "/api/stacks/3?endpointId=1", Some(&payload));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stored = stack(&api, 3);
    assert_eq!(stored["Env"], json!([{ "name": "FOO", "value": "BAR" }]));
    assert_eq!(stored["Env"][0]["value"], "BAR");
    assert_eq!(
        api.get_as("admin", "/api/stacks/3/file").json()["StackFileContent"],
        COMPOSE_FILE
    );
}

/// `stack_update_test.go` `Test_updateStackInTx` "Error: Stack not found returns NotFound
/// httperror", from a release after 2.23: stack 9999 is a 404 whose message names the stack.
/// 2.23's `stack_update.go` `stackUpdate` gives the same 404.
#[test]
fn test_update_stack_in_tx_stack_not_found() {
    let api = Api::demo();
    let payload = update_payload(Value::Null);
    api.send_as(
        "PUT",
        "admin",
        "/api/stacks/9999?endpointId=1",
        Some(&payload),
    )
    .expect_error(
        404,
        msg::STACK_NOT_FOUND,
        &msg::object_not_found("stacks", 9999),
    );
}

/// `stack_update_test.go` `Test_updateStackInTx` "Error: Endpoint not found returns NotFound
/// httperror", from a release after 2.23: environment 2999 is a 404 whose message names the
/// environment. 2.23's `stack_update.go` `stackUpdate` gives the same 404 (the query's
/// environment replaces the stored one before the lookup), and nothing is saved.
#[test]
fn test_update_stack_in_tx_endpoint_not_found() {
    let api = Api::demo();
    let before = stack(&api, 3);
    let payload = update_payload(json!([{ "name": "FOO", "value": "BAR" }]));
    api.send_as(
        "PUT",
        "admin",
        "/api/stacks/3?endpointId=2999",
        Some(&payload),
    )
    .expect_error(
        404,
        "Unable to find the environment associated to the stack inside the database",
        &msg::object_not_found("endpoints", 2999),
    );
    assert_eq!(stack(&api, 3), before);
}

/// `stack_update_test.go` `Test_updateStackInTx` "Error: user cannot access the stack", from a
/// release after 2.23: a standard user whose stack ResourceControl grants nobody gets a 403
/// whose message says `Access denied`. 2.23's `stack_update.go` `stackUpdate` gives the same
/// (`userCanAccessStack`: `Access denied to resource`) to a standard user who may reach the
/// environment (bob, through the devs' policy on `local`; the Go test's bouncer lets every
/// caller reach it).
#[test]
fn test_update_stack_in_tx_user_cannot_access_the_stack() {
    let api = Api::demo();
    let payload = update_payload(Value::Null);
    api.send_as("PUT", "bob", "/api/stacks/3?endpointId=1", Some(&payload))
        .expect_error(
            403,
            msg::ACCESS_DENIED_RESOURCE,
            msg::ACCESS_DENIED_RESOURCE,
        );
}

/// `stack_update_test.go` `TestStackUpdate` "Endpoint is not provided in query param nor
/// header", from a release after 2.23: no environment, 400. 2.23's `stack_update.go`
/// `stackUpdate` requires `endpointId` and gives the same 400.
#[test]
fn test_stack_update_endpoint_is_not_provided() {
    let api = Api::demo();
    let payload = update_payload(Value::Null);
    api.send_as("PUT", "admin", "/api/stacks/7", Some(&payload))
        .expect_error(
            400,
            msg::INVALID_ENDPOINT_ID_QUERY,
            "Missing query parameter",
        );
}

/// `stack_update_test.go` `TestStackUpdate` "Stack doesn't exist", from a release after 2.23:
/// `/stacks/test-stack-1` is a 400. 2.23's `stack_update.go` `stackUpdate` gives the same 400:
/// the identifier is not a number.
#[test]
fn test_stack_update_stack_doesnt_exist() {
    let api = Api::demo();
    let payload = update_payload(Value::Null);
    api.send_as(
        "PUT",
        "admin",
        "/api/stacks/test-stack-1?endpointId=2",
        Some(&payload),
    )
    .expect_error(
        400,
        "Invalid stack identifier route variable",
        &msg::not_a_number("test-stack-1"),
    );
}

/// `stack_update_test.go` `TestStackUpdate` "Update stack successfully", from a release after
/// 2.23: an administrator updates a swarm stack; 200 and a non-zero `UpdateDate`. 2.23's
/// `stack_update.go` `stackUpdate` (`updateSwarmStack`, then `UpdateDate` set to now) gives
/// the same.
#[test]
fn test_stack_update_update_stack_successfully() {
    let api = Api::demo();
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let payload = json!({ "StackFileContent": COMPOSE_FILE }).to_string();
    let reply = api.send_as("PUT", "admin", "/api/stacks/7?endpointId=2", Some(&payload));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let updated = reply.json();
    assert_ne!(updated["UpdateDate"], 0);
    assert!(updated["UpdateDate"].as_i64().unwrap() >= before);
    assert_eq!(updated["UpdatedBy"], "admin");
    assert_eq!(updated["Status"], 1);
}

// --- `api/http/handler/stacks/stack_update_git_redeploy_test.go` -----------------------------
// `TestResolveGitAuthFromRedeployPayload`: which credentials a git redeploy clones with. Over
// HTTP: the credentials each clone was sent with (`SimHandle::git_clones`), for web-frontend
// (stack 1, no saved credentials) and api-gateway (stack 6, saved `deploy-bot` credentials).

fn redeploy(api: &Api, stack: i64, env: i64, reference: &str, auth: Value) -> Value {
    let mut payload = json!({ "RepositoryReferenceName": reference, "Env": [] });
    payload
        .as_object_mut()
        .unwrap()
        .extend(auth.as_object().unwrap().clone());
    let reply = api.send_as(
        "PUT",
        "admin",
        &format!("/api/stacks/{stack}/git/redeploy?endpointId={env}"),
        Some(&payload.to_string()),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn credentials(user: &str, password: &str) -> Option<(String, String)> {
    Some((user.to_string(), password.to_string()))
}

/// `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "no existing
/// auth, flag off, no creds", from a release after 2.23: no credentials. 2.23's
/// `stack_update_git_redeploy.go` `stackGitRedeploy` gives the same: an anonymous clone.
#[test]
fn test_resolve_git_auth_no_existing_auth_flag_off_no_creds() {
    let api = Api::demo();
    redeploy(
        &api,
        1,
        1,
        "refs/heads/main",
        json!({ "RepositoryAuthentication": false }),
    );
    assert_eq!(api.sim.git_clones(), vec![None]);
}

/// `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "no existing
/// auth, flag off, creds provided", from a release after 2.23: a password without the flag
/// counts for nothing. 2.23's `stack_update_git_redeploy.go` `stackGitRedeploy` gives the
/// same: an anonymous clone.
#[test]
fn test_resolve_git_auth_no_existing_auth_flag_off_creds_provided() {
    let api = Api::demo();
    redeploy(
        &api,
        1,
        1,
        "refs/heads/main",
        json!({ "RepositoryAuthentication": false, "RepositoryPassword": "pass" }),
    );
    assert_eq!(api.sim.git_clones(), vec![None]);
}

/// `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "no existing
/// auth, flag on, empty password", from a release after 2.23: a username alone gives no
/// credentials. 2.23's `stack_update_git_redeploy.go` `stackGitRedeploy` passes the username
/// on, but `api/git/git.go` `getAuth` sends nothing without a password: the same anonymous
/// clone.
#[test]
fn test_resolve_git_auth_no_existing_auth_flag_on_empty_password() {
    let api = Api::demo();
    redeploy(
        &api,
        1,
        1,
        "refs/heads/main",
        json!({ "RepositoryAuthentication": true, "RepositoryUsername": "user" }),
    );
    assert_eq!(api.sim.git_clones(), vec![None]);
}

/// `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "no existing
/// auth, flag on, password set", from a release after 2.23: `user`/`pass`. 2.23's
/// `stack_update_git_redeploy.go` `stackGitRedeploy` gives the same.
#[test]
fn test_resolve_git_auth_no_existing_auth_flag_on_password_set() {
    let api = Api::demo();
    redeploy(
        &api,
        1,
        1,
        "refs/heads/main",
        json!({
            "RepositoryAuthentication": true,
            "RepositoryUsername": "user",
            "RepositoryPassword": "pass",
        }),
    );
    assert_eq!(api.sim.git_clones(), vec![credentials("user", "pass")]);
}

/// `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "no existing
/// auth, flag on, password set but no username", from a release after 2.23: no username and
/// `pass`. 2.23's `stack_update_git_redeploy.go` `stackGitRedeploy` gives the same; its
/// `api/git/git.go` `getAuth` then names the empty user `token` for the git client.
#[test]
fn test_resolve_git_auth_no_existing_auth_flag_on_password_set_but_no_username() {
    let api = Api::demo();
    redeploy(
        &api,
        1,
        1,
        "refs/heads/main",
        json!({ "RepositoryAuthentication": true, "RepositoryPassword": "pass" }),
    );
    assert_eq!(api.sim.git_clones(), vec![credentials("token", "pass")]);
}

/// `stack_update_git_redeploy_test.go` `TestResolveGitAuthFromRedeployPayload` "existing auth,
/// flag on, password set", from a release after 2.23: new credentials replace the saved ones
/// for the clone. 2.23's `stack_update_git_redeploy.go` `stackGitRedeploy` gives the same
/// (and, as 2.23 does, leaves the saved credentials as they were).
#[test]
fn test_resolve_git_auth_existing_auth_flag_on_password_set() {
    let api = Api::demo();
    let redeployed = redeploy(
        &api,
        6,
        2,
        "refs/heads/production",
        json!({
            "RepositoryAuthentication": true,
            "RepositoryUsername": "new-user",
            "RepositoryPassword": "new-pass",
        }),
    );
    assert_eq!(
        api.sim.git_clones(),
        vec![credentials("new-user", "new-pass")]
    );
    assert_eq!(
        redeployed["GitConfig"]["Authentication"]["Username"],
        "deploy-bot"
    );
}
