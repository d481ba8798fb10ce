//! The demo's lab (grace, team research, groups Labs and Retired, environment `lab`, stack
//! `lab-wiki`): added with the next free ids, reached only through its own policies.

mod common;

use common::{messages as msg, Api};
use portainer_sim::demo;
use serde_json::{json, Value};

fn ids(reply: &common::Reply, field: &str) -> Vec<i64> {
    let list = reply.json();
    let list = list.as_array().unwrap().iter();
    list.map(|v| v[field].as_i64().unwrap()).collect()
}

#[test]
fn grace_reaches_lab_three_ways_at_once() {
    let api = Api::demo();
    let lab = api.get_as("admin", "/api/endpoints/6").json();
    assert_eq!(
        (lab["Name"].clone(), lab["Type"].clone()),
        (json!("lab"), json!(1))
    );
    assert_eq!(
        (lab["Status"].clone(), lab["GroupId"].clone()),
        (json!(1), json!(4))
    );
    // Her own policy on the environment, her team's on it, and hers on its group.
    assert_eq!(lab["UserAccessPolicies"], json!({ "8": { "RoleId": 4 } }));
    assert_eq!(lab["TeamAccessPolicies"], json!({ "4": { "RoleId": 3 } }));
    let labs = api.get_as("admin", "/api/endpoint_groups/4").json();
    assert_eq!(labs["Name"], "Labs");
    assert_eq!(labs["UserAccessPolicies"], json!({ "8": { "RoleId": 0 } }));
    assert_eq!(labs["TeamAccessPolicies"], json!({}));
    assert_eq!(
        api.get_as("admin", "/api/users/8/memberships").json(),
        json!([{ "Id": 4, "UserID": 8, "TeamID": 4, "Role": 2 }])
    );

    assert_eq!(api.get_as("grace", "/api/endpoints").names(), vec!["lab"]);
    assert_eq!(api.get_as("grace", "/api/endpoints/6").status, 200);
    assert_eq!(
        api.get_as("grace", "/api/endpoint_groups").names(),
        vec!["Labs", "Retired"]
    );
    assert_eq!(api.get_as("grace", "/api/teams").names(), vec!["research"]);
    assert_eq!(
        api.get_as("admin", "/api/teams?environmentId=6").names(),
        vec!["research"]
    );
    // Administrators are not listed: they hold no policy on it, and store no authorizations.
    let reached = api.get_as("admin", "/api/users?environmentId=6");
    assert_eq!(ids(&reached, "Id"), vec![8]);
    // Nobody else reaches lab; grace reaches nothing else.
    for user in ["alice", "bob", "carol", "dave"] {
        let names = api.get_as(user, "/api/endpoints").names();
        assert!(!names.contains(&"lab".to_string()), "{user}: {names:?}");
    }
    api.get_as("grace", "/api/endpoints/1").expect_error(
        403,
        msg::PERMISSION_DENIED_ENV,
        msg::ACCESS_DENIED_ENV,
    );
}

#[test]
fn grace_is_a_standard_user_created_since_the_last_refresh() {
    let api = Api::demo();
    let me = api.get_as("grace", "/api/users/me").json();
    assert_eq!((me["Id"].clone(), me["Role"].clone()), (json!(8), json!(2)));
    assert_eq!(me["EndpointAuthorizations"], Value::Null);
    // A member, not a leader: no user list, no memberships list.
    assert_eq!(api.get_as("grace", "/api/users").status, 403);
    assert_eq!(api.get_as("grace", "/api/team_memberships").status, 403);
    let tokens = api.get_as("grace", "/api/users/8/tokens").json();
    assert_eq!(tokens[0]["id"], 9);
    assert!(tokens[0]["lastUsed"].as_i64().unwrap() > 0, "used just now");
    assert_eq!(
        demo::token_for("grace"),
        demo::derive_token("grace", "portlight")
    );
}

#[test]
fn the_retired_group_has_policies_and_opens_nothing() {
    let api = Api::demo();
    let retired = api.get_as("admin", "/api/endpoint_groups/5").json();
    assert_eq!(retired["Name"], "Retired");
    assert_eq!(
        retired["UserAccessPolicies"],
        json!({ "8": { "RoleId": 3 } })
    );
    assert_eq!(
        retired["TeamAccessPolicies"],
        json!({ "4": { "RoleId": 0 } })
    );
    let envs = api.get_as("admin", "/api/endpoints");
    assert!(ids(&envs, "GroupId").iter().all(|g| *g != 5));
    assert_eq!(
        api.get_as("admin", "/api/endpoints?groupIds[]=5").json(),
        json!([])
    );
}

#[test]
fn team_qa_has_no_policy_anywhere_and_no_member() {
    let api = Api::demo();
    let holds_qa = |v: &Value| v["TeamAccessPolicies"].get("3").is_some();
    let envs = api.get_as("admin", "/api/endpoints").json();
    let groups = api.get_as("admin", "/api/endpoint_groups").json();
    assert!(!envs.as_array().unwrap().iter().any(holds_qa));
    assert!(!groups.as_array().unwrap().iter().any(holds_qa));
    let memberships = api.get_as("admin", "/api/team_memberships");
    assert!(!ids(&memberships, "TeamID").contains(&3));
}

#[test]
fn lab_wiki_runs_one_container_grace_sees_through_her_team() {
    let api = Api::demo();
    let stack = api.get_as("admin", "/api/stacks/12").json();
    assert_eq!(
        (stack["Name"].clone(), stack["Type"].clone()),
        (json!("lab-wiki"), json!(2))
    );
    assert_eq!(
        (stack["EndpointId"].clone(), stack["Status"].clone()),
        (json!(6), json!(1))
    );
    let listed = api.get_as("grace", "/api/stacks").json();
    let wiki = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Id"] == 12)
        .unwrap();
    assert_eq!(
        wiki["ResourceControl"]["TeamAccesses"],
        json!([{ "TeamId": 4, "AccessLevel": 1 }])
    );
    // And the public monitoring, like everyone.
    assert_eq!(
        api.get_as("grace", "/api/stacks").names(),
        vec!["monitoring", "lab-wiki"]
    );
    assert_eq!(api.get_as("grace", "/api/stacks/12/file").status, 200);
    for user in ["admin", "grace"] {
        let containers = api
            .get_as(user, "/api/endpoints/6/docker/containers/json?all=1")
            .json();
        let names: Vec<&str> = containers
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["Names"][0].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["/lab-wiki-wiki-1"], "{user}");
        assert_eq!(containers[0]["State"], "running");
    }
    let snapshot = &api.get_as("admin", "/api/endpoints/6").json()["Snapshots"][0];
    assert_eq!(
        (
            snapshot["ContainerCount"].clone(),
            snapshot["StackCount"].clone()
        ),
        (json!(1), json!(1))
    );
}
