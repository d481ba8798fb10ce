use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use super::*;
use crate::demo::{scaled_token, scaled_username, FIRST_SCALED_TEAM_ID, FIRST_SCALED_USER_ID};
use crate::model::user::TEAM_LEADER;
use crate::state::api_key_digest;

const SOME: People = People {
    users: 50,
    teams: 6,
};

fn ids<T>(items: &[T], id: fn(&T) -> i64) -> Vec<i64> {
    items.iter().map(id).collect()
}

#[test]
fn without_users_and_teams_the_people_are_the_demos() {
    let state = generate(0, 60, 30, People::default());
    assert_eq!(ids(&state.users, |u| u.id), vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(ids(&state.teams, |t| t.id), vec![1, 2, 3]);
    assert_eq!(state.memberships.len(), 3);
    // Every demo token but grace's: she belongs to the lab, which `--scale` replaces.
    assert_eq!(ids(&state.api_keys, |k| k.id), (1..=8).collect::<Vec<_>>());
    assert_eq!(ids(&state.groups, |g| g.id), vec![1, 2, 3]);
    let rc = |name: &str| {
        let stack = state.stacks.iter().find(|s| s.name == name).unwrap();
        state.stack_resource_control(stack).unwrap()
    };
    let teams = |name| ids(&rc(name).team_accesses, |a| a.team_id);
    assert_eq!(teams("billing-0012"), vec![TEAM_DEVS]);
    assert_eq!(
        ids(&rc("search-0003").user_accesses, |a| a.user_id),
        vec![ALICE_ID]
    );
}

#[test]
fn generated_users_and_teams_follow_the_rules() {
    let state = generate(0, 300, 40, SOME);
    // The demo's people first, then the generated ones with the next ids.
    assert_eq!(state.users.len(), 6 + 50);
    assert_eq!(state.users[6].id, FIRST_SCALED_USER_ID);
    assert_eq!(state.users[6].username, "user-0001");
    assert_eq!(state.users[55].username, scaled_username(50));
    assert!(state.users[6..]
        .iter()
        .all(|u| !u.is_admin() && u.created_since_refresh));
    assert_eq!(state.teams[3].id, FIRST_SCALED_TEAM_ID);
    assert_eq!(state.teams[8].name, "team-006");
    for n in 1..=50 {
        let id = FIRST_SCALED_USER_ID + n as i64 - 1;
        let teams: BTreeSet<i64> = state.team_ids_of(id).into_iter().collect();
        assert_eq!(teams.len(), 1 + n % 3, "user {n}");
        assert!(teams.iter().all(|t| *t >= FIRST_SCALED_TEAM_ID), "user {n}");
        let key = state.api_keys.iter().find(|k| k.user_id == id).unwrap();
        assert_eq!(key.digest, api_key_digest(&scaled_token(n)));
    }
    let leaders = state.memberships.iter().filter(|m| m.role == TEAM_LEADER);
    assert_eq!(leaders.count(), 1 + 10, "alice, and users 1, 6, 11…");
}

/// Which kinds of policy open environment `env` to user `id`: user→env, user→group,
/// team→env, team→group.
fn paths(state: &State, id: i64, env: &crate::model::endpoint::Endpoint) -> [bool; 4] {
    let teams = state.team_ids_of(id);
    let group = state.group(env.group_id).unwrap();
    let env_users = env.user_access_policies.clone().unwrap_or_default();
    [
        env_users.contains_key(&id),
        group.user_access_policies.contains_key(&id),
        teams
            .iter()
            .any(|t| env.team_access_policies.contains_key(t)),
        teams
            .iter()
            .any(|t| group.team_access_policies.contains_key(t)),
    ]
}

#[test]
fn every_kind_of_path_occurs_and_one_group_opens_nothing() {
    let state = generate(0, 300, 40, SOME);
    let mut seen = [false; 4];
    let mut several = false;
    for user in &state.users[6..] {
        for env in &state.endpoints {
            let kinds = paths(&state, user.id, env);
            for (seen, kind) in seen.iter_mut().zip(kinds) {
                *seen |= kind;
            }
            several |= kinds.iter().filter(|k| **k).count() > 1;
        }
    }
    assert_eq!(seen, [true; 4]);
    assert!(several, "no user reaches an environment two ways");
    // Groups 4–7 hold environments, group 8 none but has policies.
    let generated = &state.groups[3..];
    assert_eq!(generated.len(), 5);
    let used: BTreeSet<i64> = state.endpoints.iter().map(|e| e.group_id).collect();
    assert!(generated[..4].iter().all(|g| used.contains(&g.id)));
    let empty = &generated[4];
    assert!(!used.contains(&empty.id) && !empty.team_access_policies.is_empty());
}

#[test]
fn resource_controls_name_generated_teams_and_users_who_reach_the_stack() {
    let state = generate(0, 300, 40, SOME);
    let envs: HashMap<i64, _> = state.endpoints.iter().map(|e| (e.id, e)).collect();
    let (mut teams, mut users) = (0, 0);
    for stack in &state.stacks {
        let Some(rc) = state.stack_resource_control(stack) else {
            continue;
        };
        let env = envs[&stack.endpoint_id];
        for a in rc
            .team_accesses
            .iter()
            .filter(|a| a.team_id >= FIRST_SCALED_TEAM_ID)
        {
            teams += 1;
            let group = state.group(env.group_id).unwrap();
            let reaches = env.team_access_policies.contains_key(&a.team_id)
                || group.team_access_policies.contains_key(&a.team_id);
            let any_team = env
                .team_access_policies
                .keys()
                .chain(group.team_access_policies.keys());
            assert!(reaches || !any_team.into_iter().any(|t| *t >= FIRST_SCALED_TEAM_ID));
        }
        users += rc
            .user_accesses
            .iter()
            .filter(|a| a.user_id >= FIRST_SCALED_USER_ID)
            .count();
    }
    assert_eq!((teams, users), (50, 50), "stacks 6, 12… and 3, 9…");
}

#[test]
fn the_same_arguments_give_the_same_data() {
    let json = |state: &State| {
        serde_json::to_string(&(
            &state.users,
            &state.memberships,
            &state.api_keys,
            &state.groups,
            &state.endpoints,
            &state.resource_controls,
        ))
        .unwrap()
    };
    assert_eq!(
        json(&generate(0, 200, 30, SOME)),
        json(&generate(0, 200, 30, SOME))
    );
}

#[test]
fn five_hundred_users_two_hundred_environments_twenty_thousand_stacks_are_quick() {
    let people = People {
        users: 500,
        teams: 40,
    };
    let started = Instant::now();
    let mut state = generate(0, 20_000, 200, people);
    state.park_stopped_stacks();
    state.store_endpoint_authorizations();
    let took = started.elapsed();
    // Release builds take a few hundred milliseconds; unoptimised ones several times that.
    let limit = if cfg!(debug_assertions) { 20 } else { 1 };
    assert!(took < Duration::from_secs(limit), "{took:?}");
    assert_eq!((state.stacks.len(), state.users.len()), (20_000, 506));
    assert_eq!(state.teams.len(), 43);
}
