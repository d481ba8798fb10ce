//! The lab, added after the rest of the demo with the next free ids so that nothing the rest
//! says changes: grace, team research, groups Labs and Retired, environment `lab` and its
//! stack. grace reaches `lab` three ways at once (her own policy on it, her team's policy on
//! it, her policy on its group), and Retired holds policies for her and her team but no
//! environment: a path that looks like access and opens nothing.

use super::builders::{add_stack, compose_containers, docker_snapshot, endpoint, stack};
use super::builders::{ContainerSpec, StackSeed};
use super::{files, ROLE_READ_ONLY, ROLE_STANDARD_USER};
use crate::demo::{self, *};
use crate::model::docker::LogKind;
use crate::model::endpoint::{policies, EndpointGroup, ENV_DOCKER};
use crate::model::stack::{ResourceControl, STACK_COMPOSE};
use crate::model::user::{ApiKey, Team, TeamMembership, User, ROLE_STANDARD, TEAM_MEMBER};
use crate::state::{api_key_digest, State};

pub fn lab(state: &mut State, boot: i64) {
    // Created after dave and erin, so after the last refresh of `EndpointAuthorizations` too.
    state
        .users
        .push(User::new(GRACE_ID, "grace", ROLE_STANDARD, PASSWORD).created_since_refresh());
    state.teams.push(Team {
        id: TEAM_RESEARCH,
        name: "research".into(),
    });
    state.memberships.push(TeamMembership {
        id: 4,
        user_id: GRACE_ID,
        team_id: TEAM_RESEARCH,
        role: TEAM_MEMBER,
    });
    // Her token was never used: `lastUsed` 0.
    for t in demo::TOKENS.iter().filter(|t| !demo::kept_at_scale(t)) {
        state.api_keys.push(ApiKey {
            id: t.key_id,
            user_id: t.user_id,
            description: t.description.into(),
            prefix: t.raw[..7].into(),
            date_created: 1_752_400_000,
            last_used: 0,
            digest: api_key_digest(t.raw),
        });
    }

    let mut labs = EndpointGroup::new(GROUP_LABS, "Labs", "Research machines");
    labs.user_access_policies = policies(&[(GRACE_ID, 0)]);
    let mut retired = EndpointGroup::new(
        GROUP_RETIRED,
        "Retired",
        "Decommissioned hosts, kept for their policies",
    );
    retired.user_access_policies = policies(&[(GRACE_ID, ROLE_STANDARD_USER)]);
    retired.team_access_policies = policies(&[(TEAM_RESEARCH, 0)]);
    state.groups.extend([labs, retired]);

    let mut env = endpoint(
        ENV_LAB,
        "lab",
        ENV_DOCKER,
        "tcp://10.0.6.10:2375",
        GROUP_LABS,
    );
    env.snapshots = vec![docker_snapshot(boot - 80, false, 4, 16, 9)];
    // Two roles, so a reader can tell which path `EndpointAuthorizations` would take.
    env.user_access_policies = Some(policies(&[(GRACE_ID, ROLE_READ_ONLY)]));
    env.team_access_policies = policies(&[(TEAM_RESEARCH, ROLE_STANDARD_USER)]);
    state.endpoints.push(env);

    let wiki = stack(StackSeed {
        id: STACK_LAB_WIKI,
        name: "lab-wiki",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LAB,
        created: ("grace", 1_752_410_000),
        updated: ("grace", 1_752_900_000),
        env: &[("ADMIN_EMAIL", "grace@acme.example")],
        active: true,
    });
    compose_containers(
        state,
        &wiki,
        &[ContainerSpec {
            command: &["docker-entrypoint.sh", "node", "server"],
            ports: &[(3000, Some(3001))],
            env: &[
                "DB_TYPE=sqlite",
                "DB_FILEPATH=/wiki/data/db.sqlite",
                "ADMIN_EMAIL=grace@acme.example",
            ],
            volume: Some(("wiki-data", "/wiki/data")),
            ..ContainerSpec::running("wiki", "requarks/wiki:2.5", LogKind::App)
        }],
        boot,
        12,
    );
    let rc = ResourceControl::for_stack(STACK_LAB_WIKI, ENV_LAB, "lab-wiki");
    add_stack(
        state,
        wiki,
        files::LAB_WIKI,
        Some(rc.teams(&[TEAM_RESEARCH])),
    );
}
