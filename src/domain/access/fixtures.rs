//! The simulator's demo data (sim/src/demo.rs), as each persona's token would fetch it: admins
//! get everything; non-admins get their own environments with `UserAccessPolicies` stripped,
//! only the groups holding one of their policies, and the stacks their ResourceControls allow.

use super::report::AccessInputs;
use super::token::TokenPrefix;
use crate::domain::testing::{administrators_only, policies, public, restricted_to};
use crate::portainer::{
    token_prefix, AccessPolicies, AccessToken, EndpointGroup, EndpointStatus, EndpointType,
    Environment, MembershipRole, SecuritySettings, Stack, StackStatus, StackType, Status,
    SystemVersion, Team, TeamMembership, User, UserRole,
};
use std::collections::BTreeMap;

pub const ADMIN: u32 = 1;
pub const ALICE: u32 = 2;
pub const BOB: u32 = 3;
pub const CAROL: u32 = 4;
pub const DAVE: u32 = 5;
pub const ERIN: u32 = 6;
const DEVS: u32 = 1;
const OPS: u32 = 2;

/// `(user, description, raw token)` as the simulator derives them.
pub const TOKENS: [(u32, &str, &str); 7] = [
    (
        ADMIN,
        "portlight",
        "ptr_N5u0UhZwQQTyKEHlVO5x4Q8FTB-JDLuNNc3T6CksuY8",
    ),
    (
        ALICE,
        "portlight",
        "ptr_IX1tnKCgW7Z7dBx62MhWoljWJqDKY-ueL1XM-YoW8zU",
    ),
    (
        ALICE,
        "ci-deploy",
        "ptr_PomA9jzDg-Fk3J0DykroOl8Xza2lavxzJrefZNiKs2Y",
    ),
    (
        BOB,
        "portlight",
        "ptr_7SJNr9XGszFIk9ES0RL-mw0JW9z2JbQR8GGhnAlta9U",
    ),
    (
        CAROL,
        "portlight",
        "ptr_-E__cO0UrD_ISIVLq7cQL21wwtpKHWleOjNi9rdo88o",
    ),
    (
        DAVE,
        "portlight",
        "ptr_SHqdO-J8aQm2lTNfVhu_I10WxJEfARN-MjstXldyBKc",
    ),
    (
        ERIN,
        "portlight",
        "ptr_watWYfvRZm_pDp9hPYgnzfcSyggnr4108q6D_tfKMGM",
    ),
];

/// The `portlight` token of a user.
pub fn token_of(user: u32) -> &'static str {
    TOKENS
        .iter()
        .find(|t| t.0 == user && t.1 == "portlight")
        .map(|t| t.2)
        .unwrap()
}

pub fn user(id: u32) -> User {
    let (name, role) = match id {
        ADMIN => ("admin", UserRole::Administrator),
        ALICE => ("alice", UserRole::StandardUser),
        BOB => ("bob", UserRole::StandardUser),
        CAROL => ("carol", UserRole::StandardUser),
        DAVE => ("dave", UserRole::StandardUser),
        _ => ("erin", UserRole::Administrator),
    };
    User {
        id,
        username: name.into(),
        role,
        ..Default::default()
    }
}

pub fn all_users() -> Vec<User> {
    (1..=6).map(user).collect()
}

pub fn teams() -> Vec<Team> {
    ["devs", "ops", "qa"]
        .iter()
        .zip(1..)
        .map(|(name, id)| Team {
            id,
            name: (*name).into(),
        })
        .collect()
}

fn membership(id: u32, user_id: u32, team_id: u32, role: MembershipRole) -> TeamMembership {
    TeamMembership {
        id,
        user_id,
        team_id,
        role,
    }
}

pub fn memberships(user_id: u32) -> Vec<TeamMembership> {
    let all = [
        membership(1, ALICE, DEVS, MembershipRole::TeamLeader),
        membership(2, BOB, DEVS, MembershipRole::TeamMember),
        membership(3, BOB, OPS, MembershipRole::TeamMember),
    ];
    all.into_iter().filter(|m| m.user_id == user_id).collect()
}

pub fn groups() -> Vec<EndpointGroup> {
    let group = |id, name: &str, teams: &[u32]| EndpointGroup {
        id,
        name: name.into(),
        team_access_policies: policies(teams),
        ..Default::default()
    };
    vec![
        group(1, "Unassigned", &[]),
        group(2, "Production", &[OPS]),
        group(3, "Edge sites", &[DEVS]),
    ]
}

/// The simulator's default security settings.
fn settings() -> SecuritySettings {
    SecuritySettings {
        allow_bind_mounts_for_regular_users: true,
        allow_host_namespace_for_regular_users: true,
        allow_device_mapping_for_regular_users: true,
        allow_stack_management_for_regular_users: true,
        allow_container_capabilities_for_regular_users: true,
        allow_sysctl_setting_for_regular_users: true,
        ..Default::default()
    }
}

/// Every environment as an administrator's `GET /api/endpoints` returns it.
pub fn environments() -> Vec<Environment> {
    let env = |id, name: &str, kind, group_id, users: &[u32], teams: &[u32]| Environment {
        id,
        name: name.into(),
        kind,
        status: EndpointStatus::Up,
        group_id,
        user_access_policies: policies(users),
        team_access_policies: policies(teams),
        security_settings: settings(),
        ..Default::default()
    };
    let mut staging = env(4, "staging", EndpointType::Docker, 1, &[BOB], &[DEVS]);
    staging.status = EndpointStatus::Down;
    staging
        .security_settings
        .allow_stack_management_for_regular_users = false;
    vec![
        env(1, "local", EndpointType::Docker, 1, &[CAROL], &[DEVS]),
        env(2, "prod-swarm", EndpointType::AgentOnDocker, 2, &[], &[]),
        env(
            3,
            "edge-site-7",
            EndpointType::EdgeAgentOnDocker,
            3,
            &[],
            &[],
        ),
        staging,
        env(
            5,
            "k8s-lab",
            EndpointType::AgentOnKubernetes,
            1,
            &[ALICE],
            &[],
        ),
    ]
}

pub fn stacks() -> Vec<Stack> {
    let stack = |id, name: &str, kind, env, control| Stack {
        id,
        name: name.into(),
        kind,
        endpoint_id: env,
        status: StackStatus::Active,
        resource_control: control,
        ..Default::default()
    };
    use StackType::{DockerCompose as C, DockerSwarm as S, Kubernetes as K};
    let mut carol = stack(4, "carol-sandbox", C, 1, Some(restricted_to(&[CAROL], &[])));
    carol.status = StackStatus::Inactive;
    vec![
        stack(1, "web-frontend", C, 1, Some(restricted_to(&[], &[DEVS]))),
        stack(2, "monitoring", C, 1, Some(public())),
        stack(3, "db-admin", C, 1, Some(administrators_only())),
        carol,
        stack(5, "legacy-app", C, 1, None),
        stack(6, "api-gateway", S, 2, Some(restricted_to(&[], &[OPS]))),
        stack(7, "payments", S, 2, Some(restricted_to(&[BOB], &[]))),
        stack(8, "staging-web", C, 4, Some(restricted_to(&[], &[DEVS]))),
        stack(9, "edge-collector", C, 3, Some(restricted_to(&[], &[DEVS]))),
        // Portainer CE gives Kubernetes stacks no ResourceControl: only admins list them.
        stack(10, "k8s-demo", K, 5, None),
        stack(11, "old-reports", C, 9, Some(restricted_to(&[], &[OPS]))),
    ]
}

pub fn tokens(user_id: u32) -> Vec<AccessToken> {
    TOKENS
        .iter()
        .zip(1..)
        .filter(|(t, _)| t.0 == user_id)
        .map(|(t, id)| AccessToken {
            id,
            user_id,
            description: t.1.into(),
            prefix: token_prefix(t.2).into(),
            date_created: 1_717_000_000,
            last_used: if t.1 == "portlight" { 1_717_003_600 } else { 0 },
        })
        .collect()
}

/// Mirrors `AuthorizedEndpointAccess` on the full data, to build non-admin answers.
fn reachable(user_id: u32, env: &Environment) -> bool {
    let team_ids: Vec<u32> = memberships(user_id).iter().map(|m| m.team_id).collect();
    let has = |users: &AccessPolicies, teams: &AccessPolicies| {
        users.contains_key(&user_id) || team_ids.iter().any(|t| teams.contains_key(t))
    };
    let group = groups().into_iter().find(|g| g.id == env.group_id).unwrap();
    has(&env.user_access_policies, &env.team_access_policies)
        || has(&group.user_access_policies, &group.team_access_policies)
}

/// What `user_id`'s token fetches, as the simulator answers.
pub fn inputs(user_id: u32) -> AccessInputs {
    let me = user(user_id);
    let admin = me.is_admin();
    let member_of: Vec<u32> = memberships(user_id).iter().map(|m| m.team_id).collect();
    let environments: Vec<Environment> = environments()
        .into_iter()
        .filter(|e| admin || reachable(user_id, e))
        .map(|mut e| {
            if !admin {
                e.user_access_policies = BTreeMap::new();
            }
            e
        })
        .collect();
    let groups = groups()
        .into_iter()
        .filter(|g| {
            admin
                || g.user_access_policies.contains_key(&user_id)
                || member_of
                    .iter()
                    .any(|t| g.team_access_policies.contains_key(t))
        })
        .collect();
    let stacks = stacks()
        .into_iter()
        .filter(|s| {
            admin
                || s.resource_control.as_ref().is_some_and(|rc| {
                    !rc.administrators_only
                        && (rc.public
                            || rc.grants_user(user_id)
                            || member_of.iter().any(|&t| rc.grants_team(t)))
                })
        })
        .collect();
    let teams = teams()
        .into_iter()
        .filter(|t| admin || member_of.contains(&t.id))
        .collect();
    let leader = memberships(user_id)
        .iter()
        .any(|m| m.role == MembershipRole::TeamLeader);
    AccessInputs {
        unreadable: Vec::new(),
        prefix: TokenPrefix::of(token_of(user_id)),
        user: me,
        memberships: Ok(memberships(user_id)),
        teams: Ok(teams),
        users: (admin || leader).then(|| {
            all_users()
                .into_iter()
                .filter(|u| admin || !u.is_admin())
                .collect()
        }),
        tokens: Ok(tokens(user_id)),
        environments: Ok(environments),
        groups: Ok(groups),
        stacks: Ok(stacks),
        status: Ok(Status {
            version: "2.23.0".into(),
            instance_id: "299ab403".into(),
        }),
        system_version: Ok(SystemVersion {
            server_version: "2.23.0".into(),
            server_edition: "CE".into(),
            ..Default::default()
        }),
        generated_at: 1_717_200_000,
    }
}
