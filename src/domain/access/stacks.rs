//! The stacks a token sees, grouped by environment: why each is visible (its ResourceControl)
//! and whether the token may start or stop it (docs/portainer-api.md §2.3, §3.1, §4).
//!
//! `GET /api/stacks` never checks environment access for non-admins, so a stack may be visible
//! in an environment the token cannot reach: listed here, but not manageable.

use super::environments::NamesAndGroups;
use crate::domain::names::join_and;
use crate::domain::ownership::{why_visible, Ownership, Visibility};
use crate::domain::permissions::{action_gate, Blocked, StackAction};
use crate::domain::stack_rows::unnamed_environment;
use crate::domain::viewer::Viewer;
use crate::portainer::{Environment, Stack, StackStatus, StackType};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StackVisibility {
    Administrator,
    Public,
    User,
    Team {
        teams: Vec<String>,
    },
    /// Listed by Portainer, yet its resource control (if any) names neither the user nor their
    /// teams: the memberships could not be read, or they changed since.
    Unexplained,
}

/// May the token run an action? A question of rights, not of the stack's current state: a
/// running stack is still "allowed" to start once stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub allowed: bool,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StackAccessRow {
    pub id: u32,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub visibility: StackVisibility,
    pub visibility_text: String,
    pub start: Gate,
    pub stop: Gate,
}

/// The visible stacks of one environment id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StackGroup {
    pub environment_id: u32,
    /// Its name, or for one missing from the token's list "environment #9" ("(deleted)" when
    /// it is orphaned), as the stack list names it.
    pub environment: String,
    /// Whether the token reaches the environment (so may manage its stacks at all).
    pub reachable: bool,
    /// Known only for administrators, who see every environment.
    pub orphaned: bool,
    /// Why stacks here cannot be managed, when they cannot.
    pub note: Option<String>,
    pub count: usize,
    pub stacks: Vec<StackAccessRow>,
}

impl StackGroup {
    /// "local (#1): 5 stack(s)"; a missing environment's name already carries its number.
    pub fn heading(&self) -> String {
        if self.note.is_some() {
            format!("{}: {} stack(s)", self.environment, self.count)
        } else {
            format!(
                "{} (#{}): {} stack(s)",
                self.environment, self.environment_id, self.count
            )
        }
    }
}

/// Groups `stacks` by environment: first every environment of `environments` (the token's own
/// list, `None` if it failed), with a count even when 0, then the unreachable or missing ones.
pub fn stack_groups(
    viewer: &Viewer,
    stacks: &[Stack],
    environments: Option<&[Environment]>,
    names: &NamesAndGroups,
) -> Vec<StackGroup> {
    let known = environments.unwrap_or_default();
    let mut ids: Vec<u32> = known.iter().map(|e| e.id).collect();
    let mut strays: Vec<u32> = stacks
        .iter()
        .map(|s| s.endpoint_id)
        .filter(|id| !ids.contains(id))
        .collect();
    crate::domain::order::sort_dedup(&mut strays);
    ids.extend(strays);
    ids.into_iter()
        .map(|id| {
            let env = known.iter().find(|e| e.id == id);
            // Administrators reach every existing environment, even when their list failed.
            let reachable = env.is_some() || (viewer.is_admin && environments.is_none());
            let orphaned = viewer.is_admin && env.is_none() && environments.is_some();
            let note = match (env, environments) {
                (Some(_), _) => None,
                (None, None) => Some("the environment list could not be read".to_owned()),
                (None, Some(_)) if orphaned => Some(format!(
                    "environment #{id} no longer exists: orphaned stacks, which only \
                     administrators see"
                )),
                (None, Some(_)) => Some(format!(
                    "environment #{id} is not reachable by this token (or no longer exists): \
                     its stacks are visible through their resource control but cannot be managed"
                )),
            };
            let rows: Vec<StackAccessRow> = stacks
                .iter()
                .filter(|s| s.endpoint_id == id)
                .map(|s| stack_row(viewer, s, env, environments.is_some(), names))
                .collect();
            StackGroup {
                environment_id: id,
                environment: match env {
                    Some(e) if !e.name.is_empty() => e.name.clone(),
                    _ => unnamed_environment(id, orphaned),
                },
                reachable,
                orphaned,
                note,
                count: rows.len(),
                stacks: rows,
            }
        })
        .collect()
}

/// `listed`: whether the environment list answered (without it no verdict can be given).
fn stack_row(
    viewer: &Viewer,
    stack: &Stack,
    env: Option<&Environment>,
    listed: bool,
    names: &NamesAndGroups,
) -> StackAccessRow {
    let rc = stack.resource_control.as_ref();
    let ownership = Ownership::from_resource_control(rc).describe(names.names);
    let visibility = match why_visible(viewer, rc) {
        Some(Visibility::Administrator) => StackVisibility::Administrator,
        Some(Visibility::Public) => StackVisibility::Public,
        Some(Visibility::User) => StackVisibility::User,
        Some(Visibility::Team(ids)) => StackVisibility::Team {
            teams: ids.iter().map(|&id| names.team(id)).collect(),
        },
        None => StackVisibility::Unexplained,
    };
    let visibility_text = match &visibility {
        StackVisibility::Administrator => format!("administrator (stack {ownership})"),
        StackVisibility::Public => "public: every user sees it".into(),
        StackVisibility::User => format!("user access: granted to {}", viewer.username),
        StackVisibility::Team { teams } => format!("team access: through {}", join_and(teams)),
        StackVisibility::Unexplained => format!(
            "listed by Portainer, but its resource control does not explain it (stack \
             {ownership})"
        ),
    };
    let gate = |action| match listed {
        // Reachable means listed, for everyone: admins are given every environment.
        true => gate(viewer, stack, env, env.is_some(), action),
        false => Gate {
            allowed: false,
            reason: "cannot tell: the environment list could not be read".into(),
        },
    };
    StackAccessRow {
        id: stack.id,
        name: stack.name.clone(),
        kind: match stack.kind {
            StackType::DockerSwarm => "swarm",
            StackType::DockerCompose => "compose",
            StackType::Kubernetes => "kubernetes",
            StackType::Unknown(_) => "unknown",
        },
        status: match stack.status {
            StackStatus::Active => "active",
            StackStatus::Inactive => "inactive",
            StackStatus::Unknown(_) => "unknown",
        },
        visibility,
        visibility_text,
        start: gate(StackAction::Start),
        stop: gate(StackAction::Stop),
    }
}

/// The verdict of [`action_gate`] on the rights alone: the stack is taken to be in the state
/// the action starts from, and a down environment is a caveat, not a refusal of rights.
fn gate(
    viewer: &Viewer,
    stack: &Stack,
    env: Option<&Environment>,
    reachable: bool,
    action: StackAction,
) -> Gate {
    let (from, already) = match action {
        StackAction::Start => (StackStatus::Inactive, StackStatus::Active),
        _ => (StackStatus::Active, StackStatus::Inactive),
    };
    let mut probe = stack.clone();
    probe.status = from;
    let mut reason = match action_gate(viewer, &probe, env, reachable, action) {
        Ok(()) => "allowed".to_owned(),
        Err(Blocked::EnvironmentDown { .. }) => {
            "allowed, but the environment is down: Portainer cannot reach it now".to_owned()
        }
        Err(blocked) => {
            return Gate {
                allowed: false,
                reason: blocked.reason(),
            }
        }
    };
    // A right, said with the state that makes it moot for now.
    if stack.status == already {
        reason.push_str(if action == StackAction::Start {
            " (once stopped: it runs now)"
        } else {
            " (once started: it is stopped now)"
        });
    }
    Gate {
        allowed: true,
        reason,
    }
}
