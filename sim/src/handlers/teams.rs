//! Teams and team memberships (§2.8).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;

use super::Q;
use crate::auth::{Caller, TeamLeader};
use crate::error::{json, ApiError};
use crate::model::user::{Team, TEAM_LEADER};
use crate::state::Sim;

/// `GET /api/teams`: non-admins see the teams they belong to (`onlyLedTeams=true`: the ones
/// they lead); `environmentId` keeps teams with a policy on that environment or its group.
pub async fn list(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let state = sim.read();
    let memberships = state.memberships_of(caller.user_id);
    let teams: Vec<&Team> = if query.bool("onlyLedTeams") {
        let led: BTreeSet<i64> = memberships
            .iter()
            .filter(|m| m.role == TEAM_LEADER)
            .map(|m| m.team_id)
            .collect();
        state.teams.iter().filter(|t| led.contains(&t.id)).collect()
    } else if caller.is_admin() {
        state.teams.iter().collect()
    } else {
        state
            .teams
            .iter()
            .filter(|t| caller.team_ids.contains(&t.id))
            .collect()
    };
    let environment_id = query.lenient_number("environmentId");
    if environment_id == 0 {
        return Ok(json(&teams));
    }
    let env = state.endpoint(environment_id).ok_or_else(|| {
        ApiError::internal("Unable to retrieve endpoint from the database")
            .details("object not found inside the database")
    })?;
    let mut allowed: BTreeSet<i64> = env.team_access_policies.keys().copied().collect();
    if let Some(group) = state.group(env.group_id) {
        allowed.extend(group.team_access_policies.keys().copied());
    }
    let listable: Vec<&Team> = teams
        .into_iter()
        .filter(|t| allowed.contains(&t.id))
        .collect();
    Ok(json(&listable))
}

/// `GET /api/team_memberships`: every membership, for administrators and team leaders.
pub async fn memberships(State(sim): State<Arc<Sim>>, _leader: TeamLeader) -> Response {
    json(&sim.read().memberships)
}
