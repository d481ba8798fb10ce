//! Portainer's own tests, as simulator tests over HTTP: every case of Portainer's test files
//! (at the 2.23.0 and 2.19.4 tags) that concerns an endpoint Portlight calls, with the same
//! inputs and the same expected outcome. Each test names the Go test it comes from.
//!
//! Left out, with the reason (see docs/portainer-api.md §11):
//! - `bouncer_test.go` `Test_ShouldSkipCSRFCheck` "Docker Desktop extension": a build flag of
//!   Portainer's Docker Desktop packaging, not something a request can set;
//! - `bouncer_test.go` `TestJWTRevocation`: the revocation list behind cookie logouts; Portlight
//!   uses API keys only, and the simulator's logout revokes nothing;
//! - `access_control_test.go` `Test_getUniqueElements`: the `io.portainer.accesscontrol.*`
//!   container labels, which the simulator does not implement (no seeded container has them);
//! - `transport_test.go` `TestTransport_updateDefaultGitBranch`: image builds, which Portlight
//!   never sends.
//!   The other files the fidelity review names (`stack_start_test.go`, `stack_start_user_test.go`,
//!   `stack_update_test.go`, `stack_update_git_redeploy_test.go`, `filter_test.go`,
//!   `authorization_test.go`, `authorizations_test.go`) do not exist at either tag: they come
//!   with later Portainer releases and several of their expectations contradict 2.23's code.
//!   Their cases that 2.23's code answers the same way are in `portainer_later_cases.rs`.

mod common;

use common::{enc, messages as msg, Api};
use portainer_sim::demo;
use serde_json::Value;

fn stack_ids(reply: &common::Reply) -> Vec<i64> {
    let mut ids: Vec<i64> = reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

fn filtered(api: &Api, user: &str, filters: &str) -> common::Reply {
    api.get_as(user, &format!("/api/stacks?filters={}", enc(filters)))
}

/// `api/http/handler/stacks/stack_list_test.go` `TestFilterStacks` (2.23.0; the file does not
/// exist at 2.19.4). Its fixture: a normal stack on an existing environment, an orphan whose
/// environment is gone, a stack on another environment. Here: the compose stacks of `local`
/// (1–5), the orphan `old-reports` (11, environment 9 deleted) and the rest elsewhere.
#[test]
fn test_filter_stacks() {
    let api = Api::demo();
    let local_compose = vec![1, 2, 3, 4, 5];
    // "filter stacks against particular endpoint and all orphaned stacks"
    let with_orphans = filtered(
        &api,
        "admin",
        r#"{"EndpointID":1,"IncludeOrphanedStacks":true}"#,
    );
    assert_eq!(
        stack_ids(&with_orphans),
        [local_compose.clone(), vec![11]].concat()
    );
    // "only filter stacks against particular endpoint and no orphaned stacks"
    let without = filtered(
        &api,
        "admin",
        r#"{"EndpointID":1,"IncludeOrphanedStacks":false}"#,
    );
    assert_eq!(stack_ids(&without), local_compose);
    // "filter unique stacks against particular endpoint and all orphaned stacks and an
    // orphaned stack has the same name with normal stack": the orphan is dropped.
    api.set_stack_name(11, "monitoring");
    let unique = filtered(
        &api,
        "admin",
        r#"{"EndpointID":1,"IncludeOrphanedStacks":true}"#,
    );
    assert_eq!(stack_ids(&unique), local_compose);
    // A non-admin asking for orphans is refused, after the filtering.
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
}

/// The same cases against 2.19's single-pass `filterStacks`: orphans in id order, and no
/// de-duplication by name (the third case keeps the orphan).
#[test]
fn test_filter_stacks_on_2_19() {
    let api = Api::v2_19();
    let local_compose = vec![1, 2, 3, 4, 5];
    let with_orphans = filtered(
        &api,
        "admin",
        r#"{"EndpointID":1,"IncludeOrphanedStacks":true}"#,
    );
    assert_eq!(
        stack_ids(&with_orphans),
        [local_compose.clone(), vec![11]].concat()
    );
    api.set_stack_name(11, "monitoring");
    let kept = filtered(
        &api,
        "admin",
        r#"{"EndpointID":1,"IncludeOrphanedStacks":true}"#,
    );
    assert_eq!(stack_ids(&kept), [local_compose, vec![11]].concat());
}

fn jwt(api: &Api, user: &str) -> String {
    let body = format!(r#"{{"username":"{user}","password":"{}"}}"#, demo::PASSWORD);
    let reply = api.call(
        "POST",
        "/api/auth",
        &[("Content-Type", "application/json")],
        Some(&body),
    );
    reply.json()["jwt"].as_str().unwrap().to_string()
}

fn me(api: &Api, headers: &[(&str, &str)], query: &str) -> common::Reply {
    api.call("GET", &format!("/api/users/me{query}"), headers, None)
}

/// `api/http/security/bouncer_test.go` `Test_mwAuthenticateFirst` (2.23.0), in HTTP form: the
/// lookups run API key, cookie, Bearer; the first one that finds a token decides, and a token
/// that does not check out ends the request with 401.
#[test]
fn test_mw_authenticate_first() {
    let api = Api::demo();
    let key = demo::token_for("bob");
    let bearer = jwt(&api, "bob");
    // "mwAuthenticateFirst middleware passes with no middleware": no credentials at all.
    me(&api, &[], "").expect_error(401, msg::TOKEN_MISSING, msg::UNAUTHORIZED);
    // "…succeeds with passing middleware".
    assert_eq!(me(&api, &[("X-API-Key", key)], "").status, 200);
    // "…fails with failing middleware".
    me(
        &api,
        &[("X-API-Key", "ptr_not-a-key-at-all-000000000000")],
        "",
    )
    .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    // "…succeeds if first middleware successfully handles request": a good key, a bad JWT.
    let bad_bearer = format!("Bearer {}x", &bearer[..bearer.len() - 1]);
    assert_eq!(
        me(
            &api,
            &[("Authorization", &bad_bearer)],
            &format!("?x-api-key={key}")
        )
        .status,
        200
    );
    // "…fails if first middleware fails": a bad key ends it, the good JWT is never read.
    me(
        &api,
        &[("Authorization", &format!("Bearer {bearer}"))],
        "?x-api-key=ptr_not-a-key-at-all-000000000000",
    )
    .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    // "…fails if first middleware has no token, but second middleware fails": no key, a bad
    // cookie, a good JWT.
    me(
        &api,
        &[
            ("Cookie", "portainer_api_key=not-a-jwt"),
            ("Authorization", &format!("Bearer {bearer}")),
        ],
        "",
    )
    .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
}

/// `bouncer_test.go` `Test_mwAuthenticateFirst` at 2.19.4: its lookups never abort, and run
/// JWT before API key. "succeeds if last middleware successfully handles request": a bad JWT,
/// then a good key, passes.
#[test]
fn test_mw_authenticate_first_on_2_19() {
    let api = Api::v2_19();
    let key = demo::token_for("bob");
    me(&api, &[], "").expect_error(401, msg::TOKEN_MISSING_2_19, msg::UNAUTHORIZED);
    assert_eq!(
        me(&api, &[("X-API-Key", key)], "").status,
        400,
        "2.19 has no /users/me"
    );
    let user = |headers: &[(&str, &str)]| api.call("GET", "/api/users/3", headers, None);
    assert_eq!(
        user(&[("Authorization", "Bearer not-a-jwt"), ("X-API-Key", key)]).status,
        200
    );
    assert_eq!(
        user(&[("X-API-Key", "ptr_not-a-key-at-all-000000000000")]).status,
        401
    );
}

/// `bouncer_test.go` `Test_extractBearerToken`, `Test_extractAPIKeyHeader` and
/// `Test_extractAPIKeyQueryParam` (2.19.4 and 2.23.0).
#[test]
fn test_extract_tokens() {
    let api = Api::demo();
    let key = demo::token_for("carol");
    let bearer = jwt(&api, "carol");
    let who = |headers: &[(&str, &str)], query: &str| {
        let reply = me(&api, headers, query);
        (reply.status == 200).then(|| reply.json()["Username"].clone())
    };
    let carol = Some(Value::from("carol"));
    // Bearer: the header name in any case; the value need not start with "Bearer ".
    assert_eq!(who(&[("AUTHORIZATION", &bearer)], ""), carol);
    assert_eq!(
        who(&[("authorization", &format!("Bearer {bearer}"))], ""),
        carol
    );
    assert_eq!(who(&[("authorisation", &bearer)], ""), None);
    // API key header: `X-API-KEY` in any case; `api-key` is not it.
    assert_eq!(who(&[("X-API-KEY", key)], ""), carol);
    assert_eq!(who(&[("x-api-key", key)], ""), carol);
    assert_eq!(who(&[("api-key", key)], ""), None);
    // API key query parameter: `x-api-key` in any case; `api-key` is not it.
    assert_eq!(who(&[], &format!("?X-API-KEY={key}")), carol);
    assert_eq!(who(&[], &format!("?x-api-key={key}")), carol);
    assert_eq!(who(&[], &format!("?api-key={key}")), None);
}

/// `bouncer_test.go` `Test_apiKeyLookup` (2.23.0): no key, a key that does not exist, a good
/// key (the user it belongs to), and "successful api-key lookup updates token last used
/// time".
#[test]
fn test_api_key_lookup() {
    let api = Api::demo();
    me(&api, &[], "").expect_error(401, msg::TOKEN_MISSING, msg::UNAUTHORIZED);
    me(&api, &[("x-api-key", "random-failing-api-key")], "").expect_error(
        401,
        msg::INVALID_JWT,
        msg::UNAUTHORIZED,
    );
    let found = me(&api, &[("x-api-key", demo::token_for("dave"))], "").json();
    assert_eq!(
        (found["Id"].as_i64(), found["Role"].as_i64()),
        (Some(5), Some(2))
    );
    let used = |api: &Api| {
        api.get_as("dave", "/api/users/5/tokens").json()[0]["lastUsed"]
            .as_i64()
            .unwrap()
    };
    assert!(used(&api) > 0, "the lookups above wrote lastUsed");
}

/// `bouncer_test.go` `Test_ShouldSkipCSRFCheck` (2.23.0), in HTTP form: without Portainer's
/// session cookie the CSRF check is skipped (an API key alone, an Authorization header alone),
/// except that an API key together with an Authorization header is refused; with the cookie,
/// a write needs the CSRF token.
#[test]
fn test_should_skip_csrf_check() {
    let api = Api::demo();
    let key = demo::token_for("admin");
    let bearer = jwt(&api, "admin");
    let stop = |headers: &[(&str, &str)]| {
        api.call("POST", "/api/stacks/2/stop?endpointId=1", headers, None)
    };
    // "API key only": no CSRF check, the write goes through.
    assert_eq!(stop(&[("X-API-Key", key)]).status, 200);
    // "auth header only": the same.
    assert_eq!(
        api.call(
            "POST",
            "/api/stacks/2/start?endpointId=1",
            &[("Authorization", &format!("Bearer {bearer}"))],
            None
        )
        .status,
        200
    );
    // "API key and auth header": refused by the CSRF wrapper.
    let both = stop(&[
        ("X-API-Key", key),
        ("Authorization", &format!("Bearer {bearer}")),
    ]);
    both.expect_error(
        403,
        "api key and auth header are not allowed at the same time",
        "Api key and auth header are not allowed at the same time",
    );
    // "cookie present": the check runs, and a write without the CSRF token is refused with
    // gorilla/csrf's plain text.
    let cookie = format!("portainer_api_key={bearer}");
    let refused = stop(&[("Cookie", &cookie), ("X-API-Key", key)]);
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.text(),
        "Forbidden - CSRF token not found in request\n"
    );
    // A read is not a write: no token needed.
    assert_eq!(
        api.call("GET", "/api/stacks", &[("Cookie", &cookie)], None)
            .status,
        200
    );
}

/// The rules the 2.19 bouncer and handlers differ in, beside the tests above:
/// `user_get_access_tokens.go` `userGetAccessTokens` lets any admin list anyone's tokens and
/// checks before it looks the user up; `version.go` has no edition, commit or environment;
/// `settings_public.go` has `ShowKomposeBuildOption` and `IsFDOEnabled`.
#[test]
fn version_2_19_differences() {
    let old = Api::v2_19();
    assert_eq!(old.get_as("admin", "/api/users/6/tokens").status, 200);
    old.get_as("bob", "/api/users/99/tokens").expect_error(
        403,
        msg::PERMISSION_DENIED_TOKENS,
        msg::UNAUTHORIZED,
    );
    let new = Api::demo();
    new.get_as("admin", "/api/users/6/tokens").expect_error(
        403,
        msg::PERMISSION_DENIED_TOKENS,
        msg::UNAUTHORIZED,
    );
    new.get_as("bob", "/api/users/99/tokens").expect_error(
        404,
        msg::USER_NOT_FOUND,
        &msg::object_not_found("users", 99),
    );

    let version = old.get_as("admin", "/api/system/version").json();
    assert!(version.get("ServerEdition").is_none());
    assert!(version["Build"].get("GitCommit").is_none());
    assert!(version["Build"].get("Env").is_none());
    let version = new.get_as("admin", "/api/system/version").json();
    assert_eq!(version["ServerEdition"], "CE");
    assert!(version["Build"]["Env"].is_array());
    assert!(new.get_as("bob", "/api/system/version").json()["Build"]
        .get("Env")
        .is_none());

    let public = old.anonymous("/api/settings/public").json();
    assert!(public.get("GlobalDeploymentOptions").is_none());
    assert_eq!(public["ShowKomposeBuildOption"], false);
    assert_eq!(public["IsFDOEnabled"], false);
    let public = new.anonymous("/api/settings/public").json();
    assert!(public.get("ShowKomposeBuildOption").is_none());
    assert!(public["GlobalDeploymentOptions"].is_object());
}

/// `endpoint_list.go` `sortEndpointsByField` (2.19) and `sort.go` `sortEnvironmentsByField`
/// (2.23): 2.19 sorts names lower-cased and knows only Name, Group and Status; 2.23 sorts the
/// names as they are, and LastCheckIn and EdgeID too.
#[test]
fn environment_sorting_by_version() {
    let names = |api: &Api, query: &str| -> Vec<String> {
        api.get_as("admin", &format!("/api/endpoints?{query}"))
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["Name"].as_str().unwrap().to_string())
            .collect()
    };
    let new = Api::demo();
    let old = Api::v2_19();
    let by_name = names(&new, "sort=Name");
    let mut expected = by_name.clone();
    expected.sort();
    assert_eq!(by_name, expected);
    assert_eq!(
        names(&old, "sort=Name"),
        by_name,
        "all demo names are lower case"
    );
    // An unknown key to 2.19 leaves the database order; 2.23 sorts by it.
    let database_order = names(&old, "");
    assert_eq!(names(&old, "sort=EdgeID&order=desc"), database_order);
    assert_ne!(names(&new, "sort=EdgeID&order=desc"), database_order);
}
