//! Users, their access tokens and memberships (§2.6–§2.8).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::Q;
use crate::auth::Caller;
use crate::error::{empty, json, route_id, ApiError};
use crate::model::user::{CurrentUser, UserSummary};
use crate::state::Sim;
use crate::PortainerVersion;

/// `GET /api/users`: admins and team leaders only; non-admins do not see administrators.
pub async fn list(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Q(query): Q,
) -> Result<Response, ApiError> {
    if !caller.is_admin() && !caller.is_team_leader {
        return Err(ApiError::forbidden(
            "Permission denied to access users list",
        ));
    }
    let state = sim.read();
    let visible = state
        .users
        .iter()
        .filter(|u| caller.is_admin() || !u.is_admin());
    let environment_id = query.lenient_number("environmentId");
    let users: Vec<UserSummary> = if environment_id == 0 {
        visible.map(summary).collect()
    } else {
        let env = state.endpoint(environment_id).ok_or_else(|| {
            ApiError::internal("Unable to retrieve endpoint from the database").details(format!(
                "object not found inside the database (bucket=endpoints, key={environment_id})"
            ))
        })?;
        // `user_list.go`: the stored authorizations, or live environment access.
        visible
            .filter(|u| {
                u.endpoint_authorizations
                    .as_ref()
                    .is_some_and(|a| a.contains_key(&env.id))
                    || state.policy_access(env, u.id, &state.team_ids_of(u.id))
            })
            .map(summary)
            .collect()
    };
    Ok(json(&users))
}

fn summary(user: &crate::model::user::User) -> UserSummary {
    UserSummary {
        id: user.id,
        username: user.username.clone(),
        role: user.role,
    }
}

/// `GET /api/users/admin/check`: public; 204 when an administrator exists.
pub async fn admin_check(State(sim): State<Arc<Sim>>) -> Result<Response, ApiError> {
    if sim.read().users.iter().any(|u| u.is_admin()) {
        Ok(empty())
    } else {
        Err(
            ApiError::not_found("No administrator account found inside the database")
                .details("object not found inside the database"),
        )
    }
}

/// `GET /api/users/me` (2.20+). On 2.19 the path falls into `/users/{id}` and fails there.
pub async fn me(State(sim): State<Arc<Sim>>, caller: Caller) -> Result<Response, ApiError> {
    if sim.version == PortainerVersion::V2_19 {
        return Err(ApiError::invalid_route_variable("user", "me"));
    }
    let state = sim.read();
    let user = state
        .user(caller.user_id)
        .ok_or_else(|| user_not_found(caller.user_id))?;
    let view = user.view(sim.version);
    Ok(json(&CurrentUser {
        user: view,
        force_change_password: caller.force_change_password,
    }))
}

fn user_not_found(id: i64) -> ApiError {
    ApiError::object_not_found(
        "Unable to find a user with the specified identifier inside the database",
        "users",
        id,
    )
}

/// `GET /api/users/{id}`: the caller themselves, or an administrator.
pub async fn inspect(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = route_id("user", &raw_id)?;
    if !caller.is_admin() && caller.user_id != id {
        return Err(ApiError::forbidden("Permission denied inspect user")
            .details("Access denied to resource"));
    }
    let state = sim.read();
    let user = state.user(id).ok_or_else(|| user_not_found(id))?;
    Ok(json(&user.view(sim.version)))
}

/// `GET /api/users/{id}/tokens` (`api/http/handler/users/user_get_access_tokens.go`
/// `userGetAccessTokens`). 2.23: the user is looked up first (404 for anyone asking about a
/// missing id), then only the caller or an administrator listing a non-administrator passes.
/// 2.19: the permission check comes first (a non-admin asking about a missing id gets 403) and
/// any administrator may list anyone's, other administrators' included. `digest` is never sent.
pub async fn tokens(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = route_id("user", &raw_id)?;
    let state = sim.read();
    let denied = || {
        ApiError::forbidden("Permission denied to get user access tokens").details("Unauthorized")
    };
    if sim.version == PortainerVersion::V2_19 {
        if !caller.is_admin() && caller.user_id != id {
            return Err(denied());
        }
        state.user(id).ok_or_else(|| user_not_found(id))?;
    } else {
        let user = state.user(id).ok_or_else(|| user_not_found(id))?;
        if caller.user_id != id && (!caller.is_admin() || user.is_admin()) {
            return Err(denied());
        }
    }
    let keys: Vec<_> = state.api_keys.iter().filter(|k| k.user_id == id).collect();
    Ok(json(&keys))
}

/// `DELETE /api/users/{id}/tokens/{keyId}`: the caller themselves, or an administrator; 204.
pub async fn remove_token(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path((raw_id, raw_key_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = route_id("user", &raw_id)?;
    let key_id = route_id("api-key", &raw_key_id)?;
    if !caller.is_admin() && caller.user_id != id {
        return Err(
            ApiError::forbidden("Permission denied to get user access tokens")
                .details("Unauthorized"),
        );
    }
    let mut state = sim.write();
    if state.user(id).is_none() {
        return Err(user_not_found(id));
    }
    let Some(position) = state.api_keys.iter().position(|k| k.id == key_id) else {
        return Err(
            // `user_remove_access_token.go`: the key service's read fails as a 500.
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "API Key not found").details(format!(
                "object not found inside the database (bucket=api_key, key={key_id})"
            )),
        );
    };
    if state.api_keys[position].user_id != id {
        return Err(
            ApiError::forbidden("Permission denied to remove api-key").details("Unauthorized")
        );
    }
    state.api_keys.remove(position);
    Ok(empty())
}

/// `GET /api/users/{id}/memberships`: the caller themselves, or an administrator.
pub async fn memberships(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = route_id("user", &raw_id)?;
    if !caller.is_admin() && caller.user_id != id {
        return Err(
            ApiError::forbidden("Permission denied to update user memberships")
                .details("Unauthorized"),
        );
    }
    Ok(json(&sim.read().memberships_of(id)))
}
