//! Authentication, users, teams, system endpoints and environments, checked over HTTP against
//! the rules of `docs/portainer-api.md` (§2, §3, §6, §9).

mod common;

use common::{enc, messages as msg, Api};
use portainer_sim::demo;
use serde_json::{json, Value};

const ME: &str = "/api/users/me";

// --- authentication (§6) --------------------------------------------------------------------

#[test]
fn api_key_header_in_any_letter_case() {
    let api = Api::demo();
    for name in ["X-API-Key", "x-api-key", "X-API-KEY", "X-Api-Key"] {
        let reply = api.call("GET", ME, &[(name, demo::token_for("alice"))], None);
        assert_eq!(reply.status, 200, "{name}");
        assert_eq!(reply.json()["Username"], "alice");
    }
}

#[test]
fn api_key_query_parameter_in_any_letter_case() {
    let api = Api::demo();
    for name in ["x-api-key", "X-API-KEY", "X-Api-Key"] {
        let path = format!("{ME}?{name}={}", enc(demo::token_for("bob")));
        let reply = api.anonymous(&path);
        assert_eq!(reply.status, 200, "{name}");
        assert_eq!(reply.json()["Username"], "bob");
    }
}

#[test]
fn missing_invalid_revoked_and_orphaned_tokens_are_401() {
    let api = Api::demo();
    api.anonymous(ME)
        .expect_error(401, msg::TOKEN_MISSING, msg::UNAUTHORIZED);
    api.get(ME, "ptr_notATokenAtAll")
        .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    api.get(ME, demo::REVOKED_TOKEN)
        .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    api.get(ME, demo::DELETED_USER_TOKEN).expect_error(
        401,
        "An authorization token is invalid",
        msg::UNAUTHORIZED,
    );
    api.call("GET", ME, &[("Authorization", "Bearer not.a.jwt")], None)
        .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    // Protected routes all answer the same way.
    api.anonymous("/api/stacks")
        .expect_error(401, msg::TOKEN_MISSING, msg::UNAUTHORIZED);
}

#[test]
fn revoking_a_token_through_the_handle() {
    let api = Api::demo();
    let token = demo::token("alice", "ci-deploy").unwrap();
    assert_eq!(api.get(ME, token).status, 200);
    assert!(api.sim.revoke_token(token));
    api.get(ME, token)
        .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    assert!(!api.sim.revoke_token(token));
    // Alice's other token still works.
    assert_eq!(api.get_as("alice", ME).status, 200);
}

#[test]
fn api_key_and_authorization_together_are_refused() {
    let api = Api::demo();
    let both = [
        ("X-API-Key", demo::token_for("admin")),
        ("Authorization", "Bearer whatever"),
    ];
    let message = "api key and auth header are not allowed at the same time";
    let details = "Api key and auth header are not allowed at the same time";
    api.call("GET", ME, &both, None)
        .expect_error(403, message, details);
    // The CSRF wrapper sits in front of every route, public ones included.
    api.call("GET", "/api/system/status", &both, None)
        .expect_error(403, message, details);
}

#[test]
fn version_2_19_wording_and_lookup_order() {
    let api = Api::v2_19();
    api.anonymous("/api/stacks")
        .expect_error(401, msg::TOKEN_MISSING_2_19, msg::UNAUTHORIZED);
    api.get("/api/stacks", "ptr_bogus").expect_error(
        401,
        msg::TOKEN_MISSING_2_19,
        msg::UNAUTHORIZED,
    );
    api.get("/api/stacks", demo::DELETED_USER_TOKEN)
        .expect_error(401, msg::UNAUTHORIZED, msg::UNAUTHORIZED);
    // No CSRF wrapper: a bad Bearer token falls through to the API key.
    let reply = api.call(
        "GET",
        "/api/users/2",
        &[
            ("X-API-Key", demo::token_for("alice")),
            ("Authorization", "Bearer nope"),
        ],
        None,
    );
    assert_eq!(reply.status, 200);
}

#[test]
fn users_me_on_2_23_and_2_19() {
    let api = Api::demo();
    let reply = api.get_as("admin", ME);
    reply.expect(
        200,
        json!({
            "Id": 1, "Username": "admin", "Role": 1, "TokenIssueAt": 0,
            "ThemeSettings": { "color": "" }, "UseCache": true,
            "PortainerAuthorizations": null, "EndpointAuthorizations": {},
            "forceChangePassword": false
        }),
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));

    // 2.19's `libhttp` leaves `details` as Go's error reads, and ends the body with a newline
    // (`libhttp/error/error.go` `writeErrorResponse`, `json.Encoder`).
    let old = Api::v2_19();
    let me = old.get_as("alice", ME);
    assert!(me.text().ends_with("}\n"), "{:?}", me.text());
    me.expect_error(400, msg::INVALID_USER_ID, &msg::not_a_number_2_19("me"));
    let user = old.get_as("alice", "/api/users/2").json();
    assert_eq!(user["UserTheme"], "");
    assert!(user.get("UseCache").is_none());
}

#[test]
fn endpoint_authorizations_follow_policies_and_roles() {
    let api = Api::demo();
    // carol: user policy on local with the read-only role.
    let carol = api.get_as("carol", ME).json();
    let auths = carol["EndpointAuthorizations"].as_object().unwrap();
    assert_eq!(auths.keys().collect::<Vec<_>>(), vec!["1"]);
    assert_eq!(auths["1"]["DockerContainerList"], true);
    assert!(auths["1"].get("DockerContainerCreate").is_none());
    // bob: team devs (standard user) on local and staging (his own RoleId 0 policy grants no
    // role), nothing from the RoleId-0 group policies.
    let bob = api.get_as("bob", ME).json();
    let auths = bob["EndpointAuthorizations"].as_object().unwrap();
    assert_eq!(auths.keys().collect::<Vec<_>>(), vec!["1", "4"]);
    assert_eq!(auths["4"]["DockerContainerCreate"], true);
    // Stored, not live (`authorizations.go` `updateUserAuthorizations` runs only when an
    // environment with its own policies is deleted): dave was created since, so `null`; and
    // a policy change leaves carol's as it was.
    assert_eq!(
        api.get_as("dave", ME).json()["EndpointAuthorizations"],
        Value::Null
    );
    api.sim.set_stack_management(1, false);
    let again = api.get_as("carol", ME).json();
    assert_eq!(
        again["EndpointAuthorizations"],
        carol["EndpointAuthorizations"]
    );
}

#[test]
fn login_issues_a_jwt_usable_as_bearer() {
    let api = Api::demo();
    let body = r#"{"username":"alice","password":"portlight-demo"}"#;
    let reply = api.call(
        "POST",
        "/api/auth",
        &[("Content-Type", "application/json")],
        Some(body),
    );
    assert_eq!(reply.status, 200);
    let jwt = reply.json()["jwt"].as_str().unwrap().to_string();
    assert_eq!(jwt.split('.').count(), 3);
    let cookie = reply.header("set-cookie").unwrap();
    assert!(cookie.starts_with("portainer_api_key="), "{cookie}");
    assert!(cookie.contains("HttpOnly"));

    let bearer = format!("Bearer {jwt}");
    let me = api.call("GET", ME, &[("Authorization", &bearer)], None);
    assert_eq!(me.json()["Username"], "alice");

    // Go decodes field names case-insensitively.
    let upper = r#"{"Username":"bob","Password":"portlight-demo"}"#;
    assert_eq!(api.call("POST", "/api/auth", &[], Some(upper)).status, 200);

    let wrong = r#"{"username":"alice","password":"nope"}"#;
    api.call("POST", "/api/auth", &[], Some(wrong))
        .expect_error(422, msg::INVALID_CREDENTIALS, msg::UNAUTHORIZED);
    let unknown = r#"{"username":"mallory","password":"portlight-demo"}"#;
    api.call("POST", "/api/auth", &[], Some(unknown))
        .expect_error(422, msg::INVALID_CREDENTIALS, msg::UNAUTHORIZED);
    api.call("POST", "/api/auth", &[], Some(r#"{"password":"x"}"#))
        .expect_error(400, msg::INVALID_PAYLOAD, "Invalid username");
}

#[test]
fn a_session_cookie_switches_on_csrf_for_writes() {
    let api = Api::demo();
    let body = r#"{"username":"admin","password":"portlight-demo"}"#;
    let jwt = api.call("POST", "/api/auth", &[], Some(body)).json()["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = format!("portainer_api_key={jwt}");
    // Reads work with the cookie alone.
    let me = api.call("GET", ME, &[("Cookie", &cookie)], None);
    assert_eq!(me.json()["Username"], "admin");
    // A write with the cookie but no CSRF token is refused in plain text, even with an API key.
    let reply = api.call(
        "POST",
        "/api/stacks/2/stop?endpointId=1",
        &[("Cookie", &cookie), ("X-API-Key", demo::token_for("admin"))],
        None,
    );
    assert_eq!(reply.status, 403);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(
        reply.text().starts_with("Forbidden - CSRF token"),
        "{}",
        reply.text()
    );
    // The same write without the cookie goes through.
    let ok = api.send_as("POST", "admin", "/api/stacks/2/stop?endpointId=1", None);
    assert_eq!(ok.status, 200);
}

// --- users, tokens, teams (§2.6–§2.8) ------------------------------------------------------------

#[test]
fn user_list_for_admins_and_team_leaders_only() {
    let api = Api::demo();
    let all = api.get_as("admin", "/api/users");
    assert_eq!(all.status, 200);
    assert_eq!(
        all.json()[0],
        json!({ "Id": 1, "Username": "admin", "Role": 1 })
    );
    assert_eq!(all.json().as_array().unwrap().len(), 7);
    // A team leader sees the users but no administrator.
    let users: Vec<Value> = api
        .get_as("alice", "/api/users")
        .json()
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<&str> = users
        .iter()
        .map(|u| u["Username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["alice", "bob", "carol", "dave", "grace"]);
    api.get_as("bob", "/api/users").expect_error(
        403,
        msg::PERMISSION_DENIED_USERS,
        msg::PERMISSION_DENIED_USERS,
    );
}

#[test]
fn user_inspect_self_or_admin() {
    let api = Api::demo();
    let alice = api.get_as("alice", "/api/users/2").json();
    assert_eq!(alice["Username"], "alice");
    assert!(alice.get("Password").is_none());
    assert!(alice.get("forceChangePassword").is_none());
    api.get_as("alice", "/api/users/3").expect_error(
        403,
        "Permission denied inspect user",
        msg::ACCESS_DENIED_RESOURCE,
    );
    assert_eq!(
        api.get_as("admin", "/api/users/3").json()["Username"],
        "bob"
    );
    api.get_as("admin", "/api/users/99").expect_error(
        404,
        msg::USER_NOT_FOUND,
        &msg::object_not_found("users", 99),
    );
    api.get_as("admin", "/api/users/abc").expect_error(
        400,
        msg::INVALID_USER_ID,
        &msg::not_a_number("abc"),
    );
}

#[test]
fn access_tokens_visibility() {
    let api = Api::demo();
    let own = api.get_as("alice", "/api/users/2/tokens");
    assert_eq!(own.status, 200);
    let tokens = own.json();
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 2);
    let ci = tokens
        .iter()
        .find(|t| t["description"] == "ci-deploy")
        .unwrap();
    let raw = demo::token("alice", "ci-deploy").unwrap();
    assert_eq!(ci["prefix"], &raw[..7]);
    assert_eq!(ci["userId"], 2);
    let keys: Vec<&String> = ci.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        vec![
            "dateCreated",
            "description",
            "id",
            "lastUsed",
            "prefix",
            "userId"
        ]
    );
    // An admin may list a standard user's tokens, not another admin's.
    assert_eq!(api.get_as("admin", "/api/users/2/tokens").status, 200);
    api.get_as("admin", "/api/users/6/tokens").expect_error(
        403,
        msg::PERMISSION_DENIED_TOKENS,
        msg::UNAUTHORIZED,
    );
    assert_eq!(api.get_as("erin", "/api/users/6/tokens").status, 200);
    api.get_as("bob", "/api/users/2/tokens").expect_error(
        403,
        msg::PERMISSION_DENIED_TOKENS,
        msg::UNAUTHORIZED,
    );
    api.get_as("admin", "/api/users/42/tokens").expect_error(
        404,
        msg::USER_NOT_FOUND,
        &msg::object_not_found("users", 42),
    );
}

#[test]
fn last_used_moves_when_a_token_is_used() {
    let api = Api::demo();
    let before = api.get_as("carol", "/api/users/4/tokens").json()[0]["lastUsed"]
        .as_i64()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // The listing request itself was a use of the token, so it already shows the new value.
    assert!(before >= now - 5, "{before} vs {now}");
}

#[test]
fn deleting_access_tokens() {
    let api = Api::demo();
    let ci = demo::token("alice", "ci-deploy").unwrap();
    api.send_as("DELETE", "bob", "/api/users/2/tokens/3", None)
        .expect_error(403, msg::PERMISSION_DENIED_TOKENS, msg::UNAUTHORIZED);
    api.send_as("DELETE", "admin", "/api/users/3/tokens/3", None)
        .expect_error(
            403,
            "Permission denied to remove api-key",
            msg::UNAUTHORIZED,
        );
    api.send_as("DELETE", "alice", "/api/users/2/tokens/x", None)
        .expect_error(
            400,
            "Invalid api-key identifier route variable",
            &msg::not_a_number("x"),
        );
    let reply = api.send_as("DELETE", "alice", "/api/users/2/tokens/3", None);
    assert_eq!((reply.status, reply.body.len()), (204, 0));
    api.get(ME, ci)
        .expect_error(401, msg::INVALID_JWT, msg::UNAUTHORIZED);
    assert_eq!(
        api.get_as("alice", "/api/users/2/tokens")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    api.send_as("DELETE", "alice", "/api/users/2/tokens/3", None)
        .expect_error(
            500,
            "API Key not found",
            &msg::object_not_found("api_key", 3),
        );
}

#[test]
fn memberships_and_teams() {
    let api = Api::demo();
    api.get_as("bob", "/api/users/3/memberships").expect(
        200,
        json!([
            { "Id": 2, "UserID": 3, "TeamID": 1, "Role": 2 },
            { "Id": 3, "UserID": 3, "TeamID": 2, "Role": 2 }
        ]),
    );
    api.get_as("bob", "/api/users/2/memberships").expect_error(
        403,
        "Permission denied to update user memberships",
        msg::UNAUTHORIZED,
    );
    api.get_as("admin", "/api/users/2/memberships").expect(
        200,
        json!([{ "Id": 1, "UserID": 2, "TeamID": 1, "Role": 1 }]),
    );

    assert_eq!(
        api.get_as("admin", "/api/teams").names(),
        vec!["devs", "ops", "qa", "research"]
    );
    assert_eq!(api.get_as("bob", "/api/teams").names(), vec!["devs", "ops"]);
    assert_eq!(
        api.get_as("dave", "/api/teams").names(),
        Vec::<String>::new()
    );
    assert_eq!(
        api.get_as("alice", "/api/teams?onlyLedTeams=true").names(),
        vec!["devs"]
    );
    assert_eq!(
        api.get_as("bob", "/api/teams?onlyLedTeams=true").names(),
        Vec::<String>::new()
    );
    assert_eq!(
        api.get_as("admin", "/api/teams?environmentId=2").names(),
        vec!["ops"]
    );
}

#[test]
fn team_memberships_for_leaders_and_admins() {
    let api = Api::demo();
    let all = api.get_as("alice", "/api/team_memberships");
    assert_eq!(all.status, 200);
    assert_eq!(all.json().as_array().unwrap().len(), 4);
    assert_eq!(api.get_as("admin", "/api/team_memberships").status, 200);
    api.get_as("bob", "/api/team_memberships").expect_error(
        403,
        msg::ACCESS_DENIED,
        msg::UNAUTHORIZED,
    );
}

// --- status, version, settings, roles (§2.9, §2.10) -------------------------------------------

#[test]
fn public_endpoints() {
    let api = Api::demo();
    for path in ["/api/status", "/api/system/status"] {
        let status = api.anonymous(path).json();
        assert_eq!(status["Version"], "2.23.0");
        assert!(status["InstanceID"].is_string());
    }
    let public = api.anonymous("/api/settings/public").json();
    assert_eq!(public["AuthenticationMethod"], 1);
    assert_eq!(public["Edge"]["CheckinInterval"], 5);
    let check = api.anonymous("/api/users/admin/check");
    assert_eq!((check.status, check.body.len()), (204, 0));
    assert_eq!(
        Api::v2_19().anonymous("/api/system/status").json()["Version"],
        "2.19.4"
    );
}

#[test]
fn admin_areas() {
    let api = Api::demo();
    let roles = api.get_as("admin", "/api/roles").json();
    let names: Vec<&str> = roles
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Endpoint administrator",
            "Helpdesk",
            "Standard user",
            "Read-only user"
        ]
    );
    assert_eq!(roles[2]["Priority"], 3);
    api.get_as("alice", "/api/roles")
        .expect_error(403, msg::ACCESS_DENIED, msg::UNAUTHORIZED);

    // `registryList` skips `hideFields`: an administrator gets the stored passwords; the
    // bouncer's `AdminAccess` stops everyone else first (`registries/handler.go`).
    let registries = api.get_as("admin", "/api/registries").json();
    assert_eq!(registries[0]["URL"], "registry.acme.example");
    assert_eq!(registries[0]["Password"], "acme-r3g1stry-pa55");
    assert!(registries
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("Github").is_none() && (1..=7).contains(&r["Type"].as_i64().unwrap())));
    api.get_as("alice", "/api/registries")
        .expect_error(403, msg::ACCESS_DENIED, msg::UNAUTHORIZED);

    let settings = api.get_as("admin", "/api/settings").json();
    assert_eq!(settings["AuthenticationMethod"], 1);
    assert!(settings.get("LDAPSettings").is_some());
    api.get_as("bob", "/api/settings")
        .expect_error(403, msg::ACCESS_DENIED, msg::UNAUTHORIZED);

    let version = api.get_as("admin", "/api/system/version").json();
    assert_eq!(version["ServerVersion"], "2.23.0");
    assert!(version["Build"]["Env"].is_array());
    let version = api.get_as("dave", "/api/system/version").json();
    assert!(version["Build"].get("Env").is_none());

    api.get_as("dave", "/api/motd").expect(
        200,
        json!({ "Title": "", "Message": "", "ContentLayout": null, "Style": "", "Hash": null }),
    );
    assert_eq!(api.anonymous("/api/motd").status, 401);
}

// --- environments and groups (§2.4, §2.5, §3.2) -----------------------------------------------

#[test]
fn environment_list_per_persona() {
    let api = Api::demo();
    let admin = api.get_as("admin", "/api/endpoints");
    assert_eq!(
        admin.names(),
        vec![
            "local",
            "prod-swarm",
            "edge-site-7",
            "staging",
            "k8s-lab",
            "lab"
        ]
    );
    assert_eq!(admin.header("x-total-count"), Some("6"));
    assert_eq!(admin.header("x-total-available"), Some("6"));
    assert_eq!(
        admin.json()[0]["UserAccessPolicies"],
        json!({ "4": { "RoleId": 4 } })
    );

    let bob = api.get_as("bob", "/api/endpoints");
    assert_eq!(
        bob.names(),
        vec!["local", "prod-swarm", "edge-site-7", "staging"]
    );
    for env in bob.json().as_array().unwrap() {
        assert_eq!(env["UserAccessPolicies"], Value::Null, "{}", env["Name"]);
    }
    assert_eq!(
        bob.json()[0]["TeamAccessPolicies"],
        json!({ "1": { "RoleId": 3 } })
    );
    assert_eq!(
        api.get_as("alice", "/api/endpoints").names(),
        vec!["local", "edge-site-7", "staging", "k8s-lab"]
    );
    assert_eq!(api.get_as("carol", "/api/endpoints").names(), vec!["local"]);
    let dave = api.get_as("dave", "/api/endpoints");
    assert_eq!(dave.json(), json!([]));
    assert_eq!(dave.header("x-total-available"), Some("0"));
}

#[test]
fn environment_list_pagination_search_and_brackets() {
    let api = Api::demo();
    let page = api.get_as("admin", "/api/endpoints?start=2&limit=2");
    assert_eq!(page.names(), vec!["prod-swarm", "edge-site-7"]);
    assert_eq!(page.header("x-total-count"), Some("6"));
    assert_eq!(
        api.get_as("admin", "/api/endpoints?start=1&limit=1")
            .names(),
        vec!["local"]
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?start=5&limit=10")
            .names(),
        vec!["k8s-lab", "lab"]
    );

    let search = api.get_as("admin", "/api/endpoints?search=PROD");
    assert_eq!(search.names(), vec!["prod-swarm"]);
    assert_eq!(search.header("x-total-count"), Some("1"));
    assert_eq!(search.header("x-total-available"), Some("6"));
    assert_eq!(
        api.get_as("admin", "/api/endpoints?search=edge%20sites")
            .names(),
        vec!["edge-site-7"]
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?search=down").names(),
        vec!["staging"]
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?search=10.0.4").names(),
        vec!["staging"]
    );

    let docker = api.get_as("admin", "/api/endpoints?types%5B%5D=1");
    assert_eq!(docker.names(), vec!["local", "staging", "lab"]);
    assert_eq!(
        api.get_as("admin", "/api/endpoints?types[]=2&types[]=6")
            .names(),
        vec!["prod-swarm", "k8s-lab"]
    );
    // The plain form is ignored.
    assert_eq!(
        api.get_as("admin", "/api/endpoints?types=1").names().len(),
        6
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?groupIds[]=1").names(),
        vec!["local", "staging", "k8s-lab"]
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?status[]=2").names(),
        vec!["staging"]
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?status[]=1").names(),
        vec!["local", "prod-swarm", "edge-site-7", "k8s-lab", "lab"]
    );
    assert_eq!(
        api.get_as("admin", "/api/endpoints?sort=Name&order=desc")
            .names(),
        vec![
            "staging",
            "prod-swarm",
            "local",
            "lab",
            "k8s-lab",
            "edge-site-7"
        ]
    );
    api.get_as("admin", "/api/endpoints?types[]=docker")
        .expect_error(
            400,
            "Invalid query parameters",
            "Unable to parse parameter types: strconv.Atoi: parsing \"docker\": invalid syntax",
        );
}

#[test]
fn environment_snapshots_and_shape() {
    let api = Api::demo();
    let envs = api.get_as("admin", "/api/endpoints").json();
    let local = &envs[0];
    let snapshot = &local["Snapshots"][0];
    assert_eq!(snapshot["DockerVersion"], "27.1.2");
    // carol-sandbox is stopped: `compose down` removed its two containers.
    assert_eq!(snapshot["ContainerCount"], 15);
    assert_eq!(snapshot["UnhealthyContainerCount"], 1);
    assert_eq!(local["ContainerEngine"], "docker");
    assert_eq!(local["ComposeSyntaxMaxVersion"], "3.9");
    assert_eq!(local["EdgeCheckinInterval"], 5);
    assert_eq!(
        local["SecuritySettings"]["allowStackManagementForRegularUsers"],
        true
    );
    assert_eq!(
        envs[3]["SecuritySettings"]["allowStackManagementForRegularUsers"],
        false
    );
    assert_eq!(envs[2]["EdgeID"], "7d3b9c2a-41f6-4e8b-9a0d-5c2e8f1b6a47");
    assert_eq!(envs[2]["Heartbeat"], true);
    assert_eq!(
        envs[4]["Kubernetes"]["Snapshots"][0]["KubernetesVersion"],
        "v1.30.4"
    );

    let bare = api
        .get_as("admin", "/api/endpoints?excludeSnapshots=true")
        .json();
    assert_eq!(bare[0]["Snapshots"], json!([]));
    assert_eq!(bare[4]["Kubernetes"]["Snapshots"], json!([]));

    let old = Api::v2_19().get_as("admin", "/api/endpoints/1").json();
    assert!(old.get("ContainerEngine").is_none());
    assert_eq!(old["UserTrusted"], false);
    assert_eq!(old["EnableGPUManagement"], false);
    assert_eq!(old["IsEdgeDevice"], false);
    let new = api.get_as("admin", "/api/endpoints/1").json();
    assert!(new.get("UserTrusted").is_none());
    assert_eq!(
        api.get_as("admin", "/api/endpoints/3").json()["UserTrusted"],
        true
    );
    assert!(new.get("EnableGPUManagement").is_none());
    assert!(new.get("IsEdgeDevice").is_none());
}

#[test]
fn environment_inspect_needs_access() {
    let api = Api::demo();
    // bob reaches prod-swarm only through its group; policies are not stripped here.
    let swarm = api.get_as("bob", "/api/endpoints/2");
    assert_eq!(swarm.status, 200);
    assert_eq!(swarm.json()["UserAccessPolicies"], json!({}));
    api.get_as("alice", "/api/endpoints/2").expect_error(
        403,
        msg::PERMISSION_DENIED_ENV,
        msg::ACCESS_DENIED_ENV,
    );
    api.get_as("admin", "/api/endpoints/99").expect_error(
        404,
        msg::ENV_NOT_FOUND,
        &msg::object_not_found("endpoints", 99),
    );
    api.get_as("admin", "/api/endpoints/local").expect_error(
        400,
        msg::INVALID_ENV_ID,
        &msg::not_a_number("local"),
    );
    let bare = api
        .get_as("admin", "/api/endpoints/1?excludeSnapshot=true")
        .json();
    assert_eq!(bare["Snapshots"], json!([]));
}

#[test]
fn environment_groups() {
    let api = Api::demo();
    assert_eq!(
        api.get_as("admin", "/api/endpoint_groups").names(),
        vec!["Unassigned", "Production", "Edge sites", "Labs", "Retired"]
    );
    assert_eq!(
        api.get_as("bob", "/api/endpoint_groups").names(),
        vec!["Production", "Edge sites"]
    );
    assert_eq!(
        api.get_as("alice", "/api/endpoint_groups").names(),
        vec!["Edge sites"]
    );
    assert_eq!(
        api.get_as("carol", "/api/endpoint_groups").names(),
        Vec::<String>::new()
    );
    let group = api.get_as("admin", "/api/endpoint_groups/2").json();
    assert_eq!(
        group,
        json!({
            "Id": 2, "Name": "Production", "Description": "Production swarm clusters",
            "UserAccessPolicies": {}, "TeamAccessPolicies": { "2": { "RoleId": 0 } },
            "TagIds": [], "Labels": [], "AuthorizedUsers": null, "AuthorizedTeams": null
        })
    );
    api.get_as("bob", "/api/endpoint_groups/2").expect_error(
        403,
        msg::ACCESS_DENIED,
        msg::UNAUTHORIZED,
    );
    assert_eq!(
        Api::v2_19()
            .get_as("admin", "/api/endpoint_groups/1")
            .json()["Tags"],
        Value::Null
    );
    assert!(Api::v2_19()
        .get_as("admin", "/api/endpoint_groups/1")
        .json()
        .as_object()
        .unwrap()
        .contains_key("Tags"));
}
