//! Routes, grouped as Portainer groups its handlers.

mod auth;
mod docker;
mod endpoints;
mod kubernetes;
mod logs;
mod stack_actions;
mod stack_git_update;
mod stack_update;
mod stacks;
mod system;
mod teams;
mod users;

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, put};
use axum::Router;

use crate::query::Query;
use crate::server::{api_layer, is_api_path};
use crate::state::Sim;

pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/api/status", get(system::status))
        .route("/api/system/status", get(system::status))
        .route("/api/system/version", get(system::version))
        .route("/api/status/version", get(system::version))
        .route("/api/settings/public", get(system::settings_public))
        .route("/api/settings", get(system::settings))
        .route("/api/motd", get(system::motd))
        .route("/api/roles", get(system::roles))
        .route("/api/registries", get(system::registries))
        .route("/api/auth", post(auth::authenticate))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/users", get(users::list))
        .route("/api/users/admin/check", get(users::admin_check))
        .route("/api/users/me", get(users::me))
        .route("/api/users/{id}", get(users::inspect))
        .route("/api/users/{id}/tokens", get(users::tokens))
        .route(
            "/api/users/{id}/tokens/{key_id}",
            delete(users::remove_token),
        )
        .route("/api/users/{id}/memberships", get(users::memberships))
        .route("/api/teams", get(teams::list))
        .route("/api/team_memberships", get(teams::memberships))
        .route("/api/endpoints", get(endpoints::list))
        .route("/api/endpoints/{id}", get(endpoints::inspect))
        .route("/api/endpoints/{id}/docker/{*path}", any(docker::proxy))
        .route(
            "/api/endpoints/{id}/kubernetes/{*path}",
            any(kubernetes::proxy),
        )
        .route("/api/endpoint_groups", get(endpoints::groups))
        .route("/api/endpoint_groups/{id}", get(endpoints::group))
        .route("/api/stacks", get(stacks::list))
        .route(
            "/api/stacks/{id}",
            get(stacks::inspect)
                .put(stack_update::update)
                .delete(stacks::delete),
        )
        .route("/api/stacks/{id}/file", get(stacks::file))
        .route("/api/stacks/{id}/start", post(stack_actions::start))
        .route("/api/stacks/{id}/stop", post(stack_actions::stop))
        .route("/api/stacks/{id}/git", post(stack_git_update::update_git))
        .route(
            "/api/stacks/{id}/git/redeploy",
            put(stack_actions::redeploy),
        )
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(sim.clone(), api_layer))
        .with_state(sim)
}

/// Unknown `/api` routes end in Portainer's file server (`api/http/handler/handler.go`
/// `ServeHTTP`, case "/"), or in a sub-router's gorilla/mux `NotFoundHandler` under a known
/// prefix: either way Go's plain-text `404 page not found` (2.19 and 2.23). Anything else is the
/// front end (with `--assets`).
async fn fallback(State(sim): State<Arc<Sim>>, request: Request) -> Response {
    let path = request.uri().path();
    if is_api_path(path) {
        return not_found_text();
    }
    match &sim.assets {
        Some(dir) => crate::assets::serve(dir, request.method(), path).await,
        None => (StatusCode::NOT_FOUND, "404 page not found\n").into_response(),
    }
}

/// The request's query string, parsed.
pub struct Q(pub Query);

impl<S: Send + Sync> FromRequestParts<S> for Q {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Q(Query::parse(parts.uri.query())))
    }
}

/// Go's `http.NotFound`: 404, `text/plain; charset=utf-8`, `404 page not found\n`.
pub fn not_found_text() -> Response {
    let mut response = (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
