//! `--scale STACKS,ENVS,USERS,TEAMS`: generated users and teams, seen through the API with
//! Portainer's own access rules.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{messages as msg, Api};
use portainer_sim::{demo, Config};
use serde_json::Value;

const USERS: usize = 40;
const TEAMS: usize = 6;

fn scaled() -> Api {
    Api::start(Config {
        scale: Some((300, 40)),
        scale_people: (USERS, TEAMS),
        ..Config::default()
    })
}

fn array(reply: &common::Reply) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

/// The ids of a policy map (`{"8": {"RoleId": 0}}`).
fn holders(policies: &Value) -> BTreeSet<i64> {
    let map = policies.as_object().cloned().unwrap_or_default();
    map.keys().map(|k| k.parse().unwrap()).collect()
}

#[test]
fn without_users_and_teams_the_demos_people_stay() {
    let api = Api::start(Config {
        scale: Some((30, 10)),
        ..Config::default()
    });
    let users = array(&api.get_as("admin", "/api/users"));
    assert_eq!(users.len(), 6);
    assert_eq!(array(&api.get_as("admin", "/api/teams")).len(), 3);
    assert_eq!(
        array(&api.get_as("admin", "/api/team_memberships")).len(),
        3
    );
    // grace belongs to the demo's lab, which `--scale` replaces.
    assert_eq!(
        api.get("/api/users/me", demo::token_for("grace")).status,
        401
    );
}

#[test]
fn scaled_users_are_listed_after_the_demos_with_their_memberships() {
    let api = scaled();
    let users = array(&api.get_as("admin", "/api/users"));
    let ids: Vec<i64> = users.iter().map(|u| u["Id"].as_i64().unwrap()).collect();
    let expected: Vec<i64> = (1..=6).chain(8..8 + USERS as i64).collect();
    assert_eq!(ids, expected);
    assert_eq!(users[6]["Username"], "user-0001");
    assert_eq!(users[6]["Role"], 2);
    let teams = api.get_as("admin", "/api/teams").names();
    assert_eq!(
        teams[3..],
        ["team-001", "team-002", "team-003", "team-004", "team-005", "team-006"]
    );

    let memberships = array(&api.get_as("admin", "/api/team_memberships"));
    for n in 1..=USERS {
        let id = 7 + n as i64;
        let of_user: Vec<&Value> = memberships.iter().filter(|m| m["UserID"] == id).collect();
        assert_eq!(of_user.len(), 1 + n % 3, "{}", demo::scaled_username(n));
        // The same, read by the user with their own token.
        let own = api.get(
            &format!("/api/users/{id}/memberships"),
            &demo::scaled_token(n),
        );
        assert_eq!(array(&own).len(), of_user.len());
    }
    // user-0001 leads a team: the user list, without administrators, and every membership.
    let leader = demo::scaled_token(1);
    assert_eq!(array(&api.get("/api/users", &leader)).len(), 4 + USERS);
    assert_eq!(
        array(&api.get("/api/team_memberships", &leader)).len(),
        memberships.len()
    );
    api.get("/api/users", &demo::scaled_token(2)).expect_error(
        403,
        msg::PERMISSION_DENIED_USERS,
        msg::PERMISSION_DENIED_USERS,
    );
}

#[test]
fn a_scaled_users_environments_match_the_policies_an_admin_sees() {
    let api = scaled();
    let envs = array(&api.get_as("admin", "/api/endpoints?excludeSnapshots=true"));
    let groups: BTreeMap<i64, Value> = array(&api.get_as("admin", "/api/endpoint_groups"))
        .into_iter()
        .map(|g| (g["Id"].as_i64().unwrap(), g))
        .collect();
    let memberships = array(&api.get_as("admin", "/api/team_memberships"));
    let mut kinds = [0; 4];
    for n in 1..=USERS {
        let id = 7 + n as i64;
        let teams: BTreeSet<i64> = memberships
            .iter()
            .filter(|m| m["UserID"] == id)
            .map(|m| m["TeamID"].as_i64().unwrap())
            .collect();
        let mut expected = Vec::new();
        for env in &envs {
            let group = &groups[&env["GroupId"].as_i64().unwrap()];
            let ways = [
                holders(&env["UserAccessPolicies"]).contains(&id),
                holders(&group["UserAccessPolicies"]).contains(&id),
                !holders(&env["TeamAccessPolicies"]).is_disjoint(&teams),
                !holders(&group["TeamAccessPolicies"]).is_disjoint(&teams),
            ];
            for (count, way) in kinds.iter_mut().zip(ways) {
                *count += usize::from(way);
            }
            if ways.contains(&true) {
                expected.push(env["Name"].as_str().unwrap().to_string());
            }
        }
        let seen = api.get("/api/endpoints", &demo::scaled_token(n)).names();
        assert_eq!(seen, expected, "{}", demo::scaled_username(n));
    }
    // user→environment, user→group, team→environment, team→group: each opens something.
    assert!(kinds.iter().all(|k| *k > 0), "{kinds:?}");
    // One generated group holds policies and no environment.
    let used: BTreeSet<i64> = envs
        .iter()
        .map(|e| e["GroupId"].as_i64().unwrap())
        .collect();
    assert!(groups
        .values()
        .any(|g| !used.contains(&g["Id"].as_i64().unwrap())
            && !holders(&g["TeamAccessPolicies"]).is_empty()));
}

#[test]
fn a_scaled_users_stacks_are_those_their_resource_controls_grant() {
    let api = scaled();
    let stacks = array(&api.get_as("admin", "/api/stacks"));
    let memberships = array(&api.get_as("admin", "/api/team_memberships"));
    let named = |stack: &Value, list: &str, key: &str| -> BTreeSet<i64> {
        let accesses = stack["ResourceControl"][list]
            .as_array()
            .cloned()
            .unwrap_or_default();
        accesses.iter().map(|a| a[key].as_i64().unwrap()).collect()
    };
    let mut through = [0; 2];
    for n in 1..=USERS {
        let id = 7 + n as i64;
        let teams: BTreeSet<i64> = memberships
            .iter()
            .filter(|m| m["UserID"] == id)
            .map(|m| m["TeamID"].as_i64().unwrap())
            .collect();
        let mut expected = Vec::new();
        for stack in &stacks {
            let by_user = named(stack, "UserAccesses", "UserId").contains(&id);
            let by_team = !named(stack, "TeamAccesses", "TeamId").is_disjoint(&teams);
            through[0] += usize::from(by_user);
            through[1] += usize::from(by_team);
            if by_user || by_team || stack["ResourceControl"]["Public"] == true {
                expected.push(stack["Name"].as_str().unwrap().to_string());
            }
        }
        let seen = api.get("/api/stacks", &demo::scaled_token(n)).names();
        assert_eq!(seen, expected, "{}", demo::scaled_username(n));
    }
    assert!(through.iter().all(|k| *k > 0), "{through:?}");
}
