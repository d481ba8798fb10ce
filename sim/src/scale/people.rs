//! The users, teams and policies `--scale STACKS,ENVS,USERS,TEAMS` adds to the demo's people.
//! Every rule is arithmetic on the index (users from 1, teams from 1, environments from 1), so
//! the same arguments give the same data, and building it is linear in their sizes.
//!
//! * user `n` is `user-{n:04}` (id 7 + n), standard, created after the last refresh of
//!   `EndpointAuthorizations` (so `null`), with a `portlight` token ([`demo::scaled_token`]);
//! * team `t` is `team-{t:03}` (id 3 + t); user `n` is in `1 + n % 3` teams (at most TEAMS),
//!   consecutive from team `(7n) % TEAMS + 1`, and leads the first one when `n % 5 == 1`;
//! * groups `region-01`… (ids from 4): `ENVS / 10` rounded up, plus one that holds no
//!   environment; the Docker environments `i` with `i % 10` in {2, 4, 6} move into group
//!   `(i - 1) / 10 + 1`. Each group has a team policy (team `(3g) % TEAMS + 1`, role 0) and odd
//!   ones a user policy (user `(13g) % USERS + 1`);
//! * environment `i` has a user policy (user `(7i) % USERS + 1`) when `i % 3 == 0`, a team
//!   policy (team `(5i) % TEAMS + 1`) when `i % 3 == 1` or `i % 15 == 0`; roles cycle through
//!   0 (what the CE UI writes), 3 (standard user) and 4 (read-only).
//!
//! So every path occurs: a user's own policy on an environment or on its group, a team's policy
//! on an environment or on its group, several at once, and a group that opens nothing.

use crate::demo::{self, FIRST_SCALED_TEAM_ID, FIRST_SCALED_USER_ID, PASSWORD};
use crate::model::endpoint::{AccessPolicy, EndpointGroup, ENV_DOCKER};
use crate::model::user::{ApiKey, Team, TeamMembership, User, ROLE_STANDARD};
use crate::model::user::{TEAM_LEADER, TEAM_MEMBER};
use crate::state::{api_key_digest, State};

/// Role ids the generated policies cycle through.
const ROLES: [i64; 3] = [0, 3, 4];
/// The first generated group: after the demo's Unassigned, Production and Edge sites.
const FIRST_GROUP_ID: i64 = 4;

/// How many users and teams to generate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct People {
    pub users: usize,
    pub teams: usize,
}

impl People {
    pub fn any(self) -> bool {
        self.users > 0 || self.teams > 0
    }

    fn user(self, k: usize) -> Option<i64> {
        (self.users > 0).then(|| FIRST_SCALED_USER_ID + (k % self.users) as i64)
    }

    fn team(self, k: usize) -> Option<i64> {
        (self.teams > 0).then(|| FIRST_SCALED_TEAM_ID + (k % self.teams) as i64)
    }
}

/// Who holds a policy on one environment or on its group: the candidates its stacks'
/// ResourceControls name, so that a named user or team does reach the stack.
#[derive(Clone, Default)]
pub struct Reach {
    pub users: Vec<i64>,
    pub teams: Vec<i64>,
}

/// The generated team and user a stack's ResourceControl names besides devs or alice (none
/// without generated people): preferably ones whose policy reaches the stack's environment
/// (`env_index` in `reach`), else any, picked by `k`.
pub fn named_in_rc(
    reach: &[Reach],
    env_index: usize,
    k: usize,
    people: People,
) -> (Option<i64>, Option<i64>) {
    let here = reach.get(env_index);
    let pick = |ids: Option<&Vec<i64>>, any: Option<i64>| {
        ids.filter(|ids| !ids.is_empty())
            .map(|ids| ids[k % ids.len()])
            .or(any)
    };
    (
        pick(here.map(|r| &r.teams), people.team(k)),
        pick(here.map(|r| &r.users), people.user(k)),
    )
}

/// Users, teams, memberships and tokens, after the demo's.
pub fn add_people(state: &mut State, people: People) {
    for t in 1..=people.teams {
        state.teams.push(Team {
            id: FIRST_SCALED_TEAM_ID + t as i64 - 1,
            name: format!("team-{t:03}"),
        });
    }
    let mut membership_id = state.memberships.iter().map(|m| m.id).max().unwrap_or(0);
    let first_key_id = state.api_keys.iter().map(|k| k.id).max().unwrap_or(0) + 1;
    for (n, key_id) in (1..=people.users).zip(first_key_id..) {
        let id = FIRST_SCALED_USER_ID + n as i64 - 1;
        let name = demo::scaled_username(n);
        state
            .users
            .push(User::new(id, &name, ROLE_STANDARD, PASSWORD).created_since_refresh());
        let count = (1 + n % 3).min(people.teams);
        for m in 0..count {
            membership_id += 1;
            state.memberships.push(TeamMembership {
                id: membership_id,
                user_id: id,
                team_id: people.team(7 * n + m).unwrap_or_default(),
                role: if m == 0 && n % 5 == 1 {
                    TEAM_LEADER
                } else {
                    TEAM_MEMBER
                },
            });
        }
        let raw = demo::scaled_token(n);
        state.api_keys.push(ApiKey {
            id: key_id,
            user_id: id,
            description: "portlight".into(),
            prefix: raw[..7].into(),
            date_created: 1_740_000_000 + n as i64 * 3_600,
            last_used: if n % 4 == 0 {
                0
            } else {
                1_750_000_000 + n as i64
            },
            digest: api_key_digest(&raw),
        });
    }
}

fn policy(role: usize) -> AccessPolicy {
    AccessPolicy {
        role_id: ROLES[role % ROLES.len()],
    }
}

/// Generated groups with their policies; environments moved into them and given policies of
/// their own. Returns, per environment (in `state.endpoints` order), who its policies name.
pub fn add_policies(state: &mut State, people: People) -> Vec<Reach> {
    let env_count = state.endpoints.len();
    let group_count = env_count.div_ceil(10) + 1;
    let mut group_reach = vec![Reach::default(); group_count];
    for (g, reach) in (1..=group_count).zip(group_reach.iter_mut()) {
        let mut group = EndpointGroup::new(
            FIRST_GROUP_ID + g as i64 - 1,
            &format!("region-{g:02}"),
            "Generated group",
        );
        if let Some(team) = people.team(3 * g) {
            group.team_access_policies.insert(team, policy(0));
            reach.teams.push(team);
        }
        if let Some(user) = people.user(13 * g).filter(|_| g % 2 == 1) {
            group.user_access_policies.insert(user, policy(g));
            reach.users.push(user);
        }
        state.groups.push(group);
    }
    let mut reach = Vec::with_capacity(env_count);
    for (index, env) in state.endpoints.iter_mut().enumerate() {
        let i = index + 1;
        let mut here = Reach::default();
        if env.kind == ENV_DOCKER && matches!(i % 10, 2 | 4 | 6) {
            let g = (i - 1) / 10;
            env.group_id = FIRST_GROUP_ID + g as i64;
            here = group_reach[g].clone();
        }
        if let Some(user) = people.user(7 * i).filter(|_| i % 3 == 0) {
            env.user_access_policies
                .get_or_insert_with(Default::default)
                .insert(user, policy(i / 3));
            here.users.push(user);
        }
        if let Some(team) = people.team(5 * i).filter(|_| i % 3 == 1 || i % 15 == 0) {
            env.team_access_policies.insert(team, policy(i / 3));
            here.teams.push(team);
        }
        reach.push(here);
    }
    reach
}
