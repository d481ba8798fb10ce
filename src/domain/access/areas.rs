//! The areas of Portainer a token may use, derived from the role and team memberships alone
//! (docs/portainer-api.md §3 access policies), and the safe GET each "verify" probe would send.

use super::environments::NamesAndGroups;
use super::Mark;
use crate::domain::names::join_and;
use crate::domain::viewer::Viewer;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Settings,
    Users,
    Teams,
    TeamMemberships,
    Roles,
    EnvironmentGroups,
    Environments,
    Stacks,
    Registries,
}

impl Area {
    pub const ALL: [Self; 9] = [
        Self::Settings,
        Self::Users,
        Self::Teams,
        Self::TeamMemberships,
        Self::Roles,
        Self::EnvironmentGroups,
        Self::Environments,
        Self::Stacks,
        Self::Registries,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Settings => "settings",
            Self::Users => "users",
            Self::Teams => "teams",
            Self::TeamMemberships => "team memberships",
            Self::Roles => "roles",
            Self::EnvironmentGroups => "environment groups",
            Self::Environments => "environments",
            Self::Stacks => "stacks",
            Self::Registries => "registries",
        }
    }

    /// The GET a "verify" probe sends: read-only, never a mutating request.
    pub const fn probe(self) -> &'static str {
        match self {
            Self::Settings => "/api/settings",
            Self::Users => "/api/users",
            Self::Teams => "/api/teams",
            Self::TeamMemberships => "/api/team_memberships",
            Self::Roles => "/api/roles",
            Self::EnvironmentGroups => "/api/endpoint_groups",
            Self::Environments => "/api/endpoints?limit=1",
            Self::Stacks => "/api/stacks",
            Self::Registries => "/api/registries",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaRow {
    pub area: Area,
    pub mark: Mark,
    pub reason: String,
    /// Path of the safe GET that checks it.
    pub probe: &'static str,
    /// The status that GET should answer for this token.
    pub expected_status: u16,
}

/// The grid for `viewer`, in [`Area::ALL`] order. `names` only names the teams.
pub fn area_grid(viewer: &Viewer, names: &NamesAndGroups) -> Vec<AreaRow> {
    let list = |ids: &std::collections::BTreeSet<u32>| {
        let names: Vec<String> = ids.iter().map(|&id| names.team(id)).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            join_and(&names)
        }
    };
    let teams = list(&viewer.team_ids);
    let led = list(&viewer.led_team_ids);
    let admin = viewer.is_admin;
    let leader = !viewer.led_team_ids.is_empty();
    Area::ALL
        .iter()
        .map(|&area| {
            let (mark, reason): (Mark, String) = if admin {
                (Mark::Allowed, admin_reason(area).into())
            } else {
                match area {
                    Area::Settings => (
                        Mark::Denied,
                        "administrators only; the public settings (/api/settings/public) are \
                         readable by anyone"
                            .into(),
                    ),
                    Area::Users if leader => (
                        Mark::Partial,
                        format!(
                            "as leader of {led}: lists non-administrator users only, and may add \
                             them to the teams they lead"
                        ),
                    ),
                    Area::Users => (
                        Mark::Denied,
                        "administrators and team leaders only; the user may still read their own \
                         user (/api/users/{id})"
                            .into(),
                    ),
                    Area::Teams => (
                        Mark::Partial,
                        format!("lists only the teams the user belongs to: {teams}"),
                    ),
                    Area::TeamMemberships if leader => (
                        Mark::Partial,
                        format!(
                            "as a team leader: reads every membership, changes only those of \
                             {led}"
                        ),
                    ),
                    Area::TeamMemberships => {
                        (Mark::Denied, "administrators and team leaders only".into())
                    }
                    Area::Roles => (
                        Mark::Denied,
                        "administrators only (CE's roles are fixed: Endpoint administrator, \
                         Helpdesk, Standard user, Read-only user)"
                            .into(),
                    ),
                    Area::EnvironmentGroups => (
                        Mark::Partial,
                        "lists only groups with a policy for the user or their teams; inspecting \
                         a group is administrators only"
                            .into(),
                    ),
                    Area::Environments => (
                        Mark::Partial,
                        "only environments with a policy for the user or their teams, on the \
                         environment or its group; the others are invisible to this token, not \
                         merely absent"
                            .into(),
                    ),
                    Area::Stacks => (
                        Mark::Partial,
                        "only stacks whose resource control is public or names the user or one of \
                         their teams; managing one also needs access to its environment"
                            .into(),
                    ),
                    // `registryList` is admin-only; users get the per-environment list instead.
                    Area::Registries => (
                        Mark::Partial,
                        "the full list is administrators only; per environment, \
                         /api/endpoints/{id}/registries lists the registries Portainer grants \
                         the user there"
                            .into(),
                    ),
                }
            };
            AreaRow {
                area,
                mark,
                reason,
                probe: area.probe(),
                expected_status: expected_status(area, admin, leader),
            }
        })
        .collect()
}

fn admin_reason(area: Area) -> &'static str {
    match area {
        Area::Stacks => {
            "administrator: every stack, including orphans and stacks without resource control"
        }
        Area::Environments => "administrator: every environment",
        _ => "administrator",
    }
}

fn expected_status(area: Area, admin: bool, leader: bool) -> u16 {
    let granted = match area {
        Area::Settings | Area::Roles | Area::Registries => admin,
        Area::Users | Area::TeamMemberships => admin || leader,
        Area::Teams | Area::EnvironmentGroups | Area::Environments | Area::Stacks => true,
    };
    if granted {
        200
    } else {
        403
    }
}

/// How a verify probe's answer compares with the expectation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    Agrees,
    Differs,
    /// Says nothing about rights: no answer (0), token rejected (401), rate limit or server error.
    Inconclusive,
}

/// Compares a probe's status with [`AreaRow::expected_status`]. Any 2xx counts as 200.
pub fn verify_outcome(expected: u16, actual: u16) -> Agreement {
    let ok = |s: u16| (200..300).contains(&s);
    match actual {
        0 | 401 | 429 | 500.. => Agreement::Inconclusive,
        _ if actual == expected || (ok(actual) && ok(expected)) => Agreement::Agrees,
        _ => Agreement::Differs,
    }
}
