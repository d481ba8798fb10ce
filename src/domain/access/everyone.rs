//! Everyone's access (`/access/everyone`): from an administrator's complete lists, each user ×
//! environment with every path that grants it (and the policy's role), and the stacks each
//! user sees and why. The rules are the token page's own ([`grants`], [`why_visible`]), applied
//! to each user in turn: one derivation, whoever it is about.

use super::environments::{grants, reaches, AccessSource, NamesAndGroups};
use super::report::AccessInputs;
use super::token::TokenPrefix;
use super::Fetched;
use crate::domain::names::Names;
use crate::domain::ownership::why_visible;
use crate::domain::viewer::Viewer;
use crate::portainer::{
    AccessToken, EndpointGroup, Environment, MembershipRole, Role, Stack, Status, Team,
    TeamMembership, User,
};
use serde::Serialize;

/// What the matrix is built from: every list in one request each, never one per user.
#[derive(Clone, Copy, Debug)]
pub struct EveryoneInputs<'a> {
    pub users: &'a [User],
    pub teams: &'a [Team],
    /// `GET /api/team_memberships`: everyone's.
    pub memberships: &'a [TeamMembership],
    pub environments: &'a [Environment],
    pub groups: &'a [EndpointGroup],
    pub stacks: &'a [Stack],
    pub roles: &'a [Role],
}

/// One way a user reaches an environment, with the role its policy records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Path {
    pub source: AccessSource,
    /// The policy's role by name; `None` for administrators and for role 0 (what the CE UI
    /// writes: CE only asks whether a policy exists).
    pub role: Option<String>,
}

/// A user's access to one environment: every path, none when unreachable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub environment_id: u32,
    pub paths: Vec<Path>,
}

/// A stack the user sees, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeenStack {
    pub id: u32,
    pub name: String,
    pub environment_id: u32,
    /// e.g. "through team devs", "because it is public".
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    pub user_id: u32,
    pub username: String,
    pub is_admin: bool,
    /// Team names, "(leader)" marked.
    pub teams: Vec<String>,
    /// One per environment, in [`Everyone::environments`] order.
    pub cells: Vec<Cell>,
    pub stacks: Vec<SeenStack>,
}

impl Person {
    /// How many environments the user reaches.
    pub fn reached(&self) -> usize {
        self.cells.iter().filter(|c| !c.paths.is_empty()).count()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    pub id: u32,
    pub name: String,
    pub group_id: u32,
    pub group: String,
}

/// A team: who is in it and which environments it opens (a policy on them or their group).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamAccess {
    pub id: u32,
    pub name: String,
    pub leaders: Vec<String>,
    pub members: Vec<String>,
    /// The environments its policies open, as "local" or "prod-swarm (through group
    /// Production)".
    pub environments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Everyone {
    pub environments: Vec<Column>,
    pub people: Vec<Person>,
    pub teams: Vec<TeamAccess>,
}

/// The matrix. Pure: the same lists give the same matrix.
pub fn everyone(i: &EveryoneInputs) -> Everyone {
    let names = Names::new(i.users, i.teams);
    let lookup = NamesAndGroups {
        names: &names,
        groups: i.groups,
    };
    let environments = i
        .environments
        .iter()
        .map(|e| Column {
            id: e.id,
            name: e.name.clone(),
            group_id: e.group_id,
            group: lookup.group_name(e.group_id),
        })
        .collect();
    let role = |id: Option<u32>| -> Option<String> {
        let id = id.filter(|id| *id != 0)?;
        Some(match i.roles.iter().find(|r| r.id == id) {
            Some(r) if !r.name.is_empty() => r.name.clone(),
            _ => format!("role #{id}"),
        })
    };
    let people = i
        .users
        .iter()
        .map(|user| {
            let viewer = Viewer::new(user, i.memberships);
            let cells = i
                .environments
                .iter()
                .map(|env| Cell {
                    environment_id: env.id,
                    paths: paths(&viewer, env, &lookup, &role),
                })
                .collect();
            let stacks = i
                .stacks
                .iter()
                .filter_map(|s| {
                    let why = why_visible(&viewer, s.resource_control.as_ref())?;
                    Some(SeenStack {
                        id: s.id,
                        name: s.name.clone(),
                        environment_id: s.endpoint_id,
                        why: why.describe(&names),
                    })
                })
                .collect();
            let teams = i
                .memberships
                .iter()
                .filter(|m| m.user_id == user.id)
                .map(|m| {
                    // The bare name ("devs"): the column says these are teams.
                    let name = match i.teams.iter().find(|t| t.id == m.team_id) {
                        Some(t) if !t.name.is_empty() => t.name.clone(),
                        _ => format!("#{}", m.team_id),
                    };
                    match m.role {
                        MembershipRole::TeamLeader => format!("{name} (leader)"),
                        _ => name,
                    }
                })
                .collect();
            Person {
                user_id: user.id,
                username: user.username.clone(),
                is_admin: viewer.is_admin,
                teams,
                cells,
                stacks,
            }
        })
        .collect();
    let teams = i
        .teams
        .iter()
        .map(|t| team_access(t, i, &names, &lookup))
        .collect();
    Everyone {
        environments,
        people,
        teams,
    }
}

fn paths(
    viewer: &Viewer,
    env: &Environment,
    lookup: &NamesAndGroups,
    role: &dyn Fn(Option<u32>) -> Option<String>,
) -> Vec<Path> {
    if viewer.is_admin {
        return vec![Path {
            source: AccessSource::Administrator,
            role: None,
        }];
    }
    let group = lookup.group(env.group_id);
    grants(viewer, env, lookup)
        .into_iter()
        .map(|source| {
            let id = match &source {
                AccessSource::UserPolicy => env.user_access_policies.get(&viewer.user_id),
                AccessSource::TeamPolicy { team_id, .. } => env.team_access_policies.get(team_id),
                AccessSource::UserGroupPolicy { .. } => {
                    group.and_then(|g| g.user_access_policies.get(&viewer.user_id))
                }
                AccessSource::TeamGroupPolicy { team_id, .. } => {
                    group.and_then(|g| g.team_access_policies.get(team_id))
                }
                _ => None,
            };
            Path {
                role: role(id.map(|p| p.role_id)),
                source,
            }
        })
        .collect()
}

fn team_access(
    team: &Team,
    i: &EveryoneInputs,
    names: &Names,
    lookup: &NamesAndGroups,
) -> TeamAccess {
    let (mut leaders, mut members) = (Vec::new(), Vec::new());
    for m in i.memberships.iter().filter(|m| m.team_id == team.id) {
        match m.role {
            MembershipRole::TeamLeader => leaders.push(names.user(m.user_id)),
            _ => members.push(names.user(m.user_id)),
        }
    }
    let environments = i
        .environments
        .iter()
        .filter_map(|env| {
            if env.team_access_policies.contains_key(&team.id) {
                return Some(env.name.clone());
            }
            let group = lookup.group(env.group_id)?;
            group.team_access_policies.contains_key(&team.id).then(|| {
                format!(
                    "{} (through group {})",
                    env.name,
                    lookup.group_name(group.id)
                )
            })
        })
        .collect();
    TeamAccess {
        id: team.id,
        name: team.name.clone(),
        leaders,
        members,
        environments,
    }
}

/// What the token page would be built from for one user's own token, from an administrator's
/// lists: Portainer's filters applied as Portainer applies them (the environments the user
/// reaches, the stacks a ResourceControl grants, their own teams), so [`super::build_report`]
/// gives that user's page. No token of theirs is involved: the prefix is empty.
pub fn person_inputs(
    i: &EveryoneInputs,
    user_id: u32,
    tokens: Fetched<Vec<AccessToken>>,
    status: Fetched<Status>,
    generated_at: i64,
) -> Option<AccessInputs> {
    let user = i.users.iter().find(|u| u.id == user_id)?.clone();
    let viewer = Viewer::new(&user, i.memberships);
    let names = Names::new(i.users, i.teams);
    let lookup = NamesAndGroups {
        names: &names,
        groups: i.groups,
    };
    let environments = i
        .environments
        .iter()
        .filter(|e| reaches(&viewer, e, &lookup))
        .cloned()
        .collect();
    let stacks = i
        .stacks
        .iter()
        .filter(|s| why_visible(&viewer, s.resource_control.as_ref()).is_some())
        .cloned()
        .collect();
    let teams = i
        .teams
        .iter()
        .filter(|t| viewer.is_admin || viewer.in_team(t.id))
        .cloned()
        .collect();
    let memberships = i
        .memberships
        .iter()
        .filter(|m| m.user_id == user_id)
        .cloned()
        .collect();
    Some(AccessInputs {
        prefix: TokenPrefix::of(""),
        user,
        memberships: Ok(memberships),
        teams: Ok(teams),
        users: Some(i.users.to_vec()),
        tokens,
        environments: Ok(environments),
        groups: Ok(i.groups.to_vec()),
        stacks: Ok(stacks),
        status,
        system_version: Err("not read for another user's view".into()),
        generated_at,
        unreadable: Vec::new(),
    })
}

#[cfg(test)]
#[path = "everyone_tests.rs"]
mod tests;
