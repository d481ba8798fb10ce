//! The Docker proxy (`/api/endpoints/{id}/docker/...`, §5): Portainer's environment checks,
//! then a small Docker Engine behind it, with Portainer's ResourceControl filtering and
//! decoration of the answers.

mod access;
mod daemon;
mod filters;
mod lists;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::logs::{self, LogRequest, Logs};
use super::Q;
use crate::auth::Caller;
use crate::error::{docker_error, route_id, ApiError};
use crate::model::endpoint::{Endpoint, ENV_AGENT_KUBERNETES};
use crate::query::Query;
use crate::reach::Unreachable;
use crate::state::{Sim, State as Db};
use crate::PortainerVersion;
use access::{
    container_access, decorate, restricted_container, restricted_service, service_access,
};
use access::{Access, Restricted};
use daemon::{find_container, find_node, find_service, API_VERSION, NOT_A_SWARM_MANAGER};

pub async fn proxy(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    method: Method,
    Path((raw_id, rest)): Path<(String, String)>,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let env = proxied_environment(&sim, &caller, &raw_id)?;
    // `api/http/handler/endpointproxy/proxy_docker.go` `proxyRequestsToDockerAPI`.
    if env.is_edge() && env.edge_id.as_deref().unwrap_or("").is_empty() {
        return Err(
            ApiError::internal("No Edge agent registered with the environment")
                .details("No agent available"),
        );
    }
    if let Err(unreachable) = crate::reach::dial(&env, sim.dial).await {
        return Ok(unreachable_answer(&sim, &env, &unreachable));
    }
    let path = strip_api_version(&format!("/{rest}"));
    let mut response = if env.kind == ENV_AGENT_KUBERNETES {
        docker_error(StatusCode::NOT_FOUND, "page not found")
    } else {
        match engine(&sim, &caller, &env, &method, &path, &query) {
            Engine::Answer(response) => response,
            Engine::Logs(logs) => logs::response(sim.clone(), *logs, is_socket(&env)).await,
        }
    };
    let h = response.headers_mut();
    h.insert("Api-Version", HeaderValue::from_static(API_VERSION));
    h.insert("Docker-Experimental", HeaderValue::from_static("false"));
    h.insert("Ostype", HeaderValue::from_static("linux"));
    h.insert("Server", HeaderValue::from_static("Docker/27.1.2 (linux)"));
    Ok(response)
}

/// The environment a proxy request names, once Portainer let it through: a bad id is 400, an
/// unknown one 404, one the caller may not use 403 (`endpointproxy` handlers, Docker and
/// Kubernetes alike: `EndpointService.Endpoint`, then `AuthorizedEndpointOperation`).
pub(crate) fn proxied_environment(
    sim: &Sim,
    caller: &Caller,
    raw_id: &str,
) -> Result<Endpoint, ApiError> {
    let id = route_id("environment", raw_id)?;
    let db = sim.read();
    let env = db.endpoint(id).cloned().ok_or_else(|| {
        ApiError::object_not_found(
            "Unable to find an environment with the specified identifier inside the database",
            "endpoints",
            id,
        )
    })?;
    if !db.authorized_endpoint(caller, &env) {
        return Err(ApiError::environment_denied(
            "Permission denied to access environment",
        ));
    }
    Ok(env)
}

/// What the proxy answers when it cannot reach the Docker host (after the wait of
/// `reach::dial`). An Edge environment on 2.23: `TunnelAddr` fails, so 500 `Unable to get the
/// active tunnel`. A TCP or agent environment (and an Edge one on 2.19, whose tunnel port
/// answers nothing): `httputil.ReverseProxy`'s default error handler, 502 with an empty body
/// and no content type (`api/http/proxy/factory/reverse_proxy.go`, no `ErrorHandler` set). The
/// local socket: `dockerLocalProxy.ServeHTTP` writes a JSON 500.
fn unreachable_answer(sim: &Sim, env: &Endpoint, unreachable: &Unreachable) -> Response {
    match unreachable {
        Unreachable::Tunnel if sim.version == PortainerVersion::V2_23 => {
            ApiError::internal("Unable to get the active tunnel")
                .details(unreachable.text())
                .into_response()
        }
        _ if is_socket(env) => socket_error(
            sim,
            "dial unix /var/run/docker.sock: connect: connection refused",
        ),
        _ => StatusCode::BAD_GATEWAY.into_response(),
    }
}

/// A local environment talks to Docker through its socket (`unix://` or `npipe://`).
fn is_socket(env: &Endpoint) -> bool {
    env.url.starts_with("unix://") || env.url.starts_with("npipe://")
}

/// `api/http/proxy/factory/docker.go` `(*dockerLocalProxy).ServeHTTP`: any error of the
/// transport becomes a 500 `Unable to proxy the request via the Docker socket`, written by the
/// version's `libhttp`.
fn socket_error(sim: &Sim, details: &str) -> Response {
    let error =
        ApiError::internal("Unable to proxy the request via the Docker socket").details(details);
    error.into_response_for(sim.version)
}

/// A failure of Portainer's Docker transport itself: the socket proxy answers 500 with the
/// error as details, the reverse proxy of TCP and agent environments 502 with an empty body.
fn transport_error(sim: &Sim, env: &Endpoint, error: &str) -> Response {
    if is_socket(env) {
        socket_error(sim, error)
    } else {
        StatusCode::BAD_GATEWAY.into_response()
    }
}

/// A non-admin refused an operation (a container's or service's logs, a node). The
/// access-denied writer of `api/http/proxy/factory/utils/response.go`
/// (`WriteAccessDeniedResponse`) builds a response without a content type, which
/// `utils/json.go` `marshal` cannot encode (`mime: no media type`): the transport fails;
/// never the 403 it meant (2.19 and 2.23).
fn refused(sim: &Sim, env: &Endpoint) -> Response {
    transport_error(sim, env, "mime: no media type")
}

/// Portainer's verdict before Docker sees the request; `None`: forwarded.
fn portainer_verdict(sim: &Sim, env: &Endpoint, restricted: Restricted) -> Option<Response> {
    match restricted {
        Restricted::Pass => None,
        Restricted::Refused => Some(refused(sim, env)),
        Restricted::InspectFailed(error) => Some(transport_error(sim, env, &error)),
    }
}

/// Removes a leading `/v1.xx` API version segment, as Portainer's `apiVersionRe` does.
fn strip_api_version(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/v") {
        let end = rest.find('/').unwrap_or(rest.len());
        let version = &rest[..end];
        let valid = version.split_once('.').is_some_and(|(major, minor)| {
            major.len() == 1
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
        if valid {
            let stripped = &rest[end..];
            return if stripped.is_empty() {
                "/".into()
            } else {
                stripped.into()
            };
        }
    }
    path.to_owned()
}

/// What the engine answers: a response, or a log to stream (which takes time, so it is
/// answered outside the database lock).
enum Engine {
    Answer(Response),
    Logs(Box<Logs>),
}

impl From<Response> for Engine {
    fn from(response: Response) -> Self {
        Engine::Answer(response)
    }
}

/// The request as the proxy sees it.
struct Call<'a> {
    sim: &'a Sim,
    db: &'a Db,
    caller: &'a Caller,
    env: &'a Endpoint,
    swarm: bool,
    query: &'a Query,
}

/// The Docker Engine subset behind the proxy.
fn engine(
    sim: &Arc<Sim>,
    caller: &Caller,
    env: &Endpoint,
    method: &Method,
    path: &str,
    query: &Query,
) -> Engine {
    if method == Method::OPTIONS {
        return StatusCode::OK.into_response().into();
    }
    if method != Method::GET && method != Method::HEAD {
        return docker_error(StatusCode::NOT_FOUND, "page not found").into();
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let db = sim.read();
    let call = Call {
        sim,
        db: &db,
        caller,
        env,
        swarm: env.snapshots.first().is_some_and(|s| s.swarm),
        query,
    };
    let response = match segments.as_slice() {
        ["_ping"] => "OK".into_response(),
        ["version"] => crate::error::json(&daemon::version_json()),
        ["info"] => crate::error::json(&daemon::info_json(&db, env, call.swarm)),
        ["containers", "json"] => lists::container_list(&db, caller, env, query),
        ["containers", id, "json"] => container_inspect(&call, id),
        ["containers", id, "logs"] => return container_logs(&call, id),
        ["services", id, "logs"] => return service_logs(&call, id),
        ["nodes", id] => node_inspect(&call, id),
        ["services"] | ["services", _] | ["tasks"] | ["nodes"] if !call.swarm => not_a_manager(),
        ["services"] => lists::service_list(&db, caller, env, query),
        ["services", id] => service_inspect(&call, id),
        ["tasks"] => lists::task_list(&db, caller, env, query),
        ["nodes"] => lists::node_list(&db, env, query),
        _ => docker_error(StatusCode::NOT_FOUND, "page not found"),
    };
    response.into()
}

fn not_a_manager() -> Response {
    docker_error(StatusCode::SERVICE_UNAVAILABLE, NOT_A_SWARM_MANAGER)
}

/// `containers.go` `containerInspectOperation`: Docker answers first (its errors pass
/// through), then Portainer filters and decorates by the container's real id.
fn container_inspect(call: &Call, id: &str) -> Response {
    let Some(c) = find_container(call.db, call.env.id, id) else {
        return no_such_container(id);
    };
    match container_access(call.db, call.caller, call.env, c) {
        Access::Granted(rc) => {
            let mut object = c.inspect_json();
            decorate(&mut object, rc);
            crate::error::json(&object)
        }
        Access::Denied => access_denied(),
    }
}

/// `transport.go` `proxyContainerRequest` → `restrictedResourceOperation`, then Docker's
/// `getContainersLogs` and `ContainerLogs`, in that order of checks.
fn container_logs(call: &Call, id: &str) -> Engine {
    let restricted = restricted_container(call.db, call.caller, call.env, id);
    if let Some(answer) = portainer_verdict(call.sim, call.env, restricted) {
        return answer.into();
    }
    if let Err((status, message)) = LogRequest::container_streams(call.query) {
        return docker_error(status, message).into();
    }
    let Some(c) = find_container(call.db, call.env.id, id) else {
        return no_such_container(id).into();
    };
    match LogRequest::for_container(call.query) {
        Ok(request) => Engine::Logs(Box::new(Logs::container(c.clone(), request))),
        Err((status, message)) => docker_error(status, message).into(),
    }
}

/// §5.4a. `transport.go` `proxyServiceRequest` (`/services/{id}/{action}`) →
/// `restrictedResourceOperation` with the service RC type, then Docker's `swarmLogs`: the
/// stream check, the service (or the daemon's not-a-manager answer), then `ServiceLogs`'
/// parameters.
fn service_logs(call: &Call, id: &str) -> Engine {
    let restricted = restricted_service(call.db, call.caller, call.env, call.swarm, id);
    if let Some(answer) = portainer_verdict(call.sim, call.env, restricted) {
        return answer.into();
    }
    if let Err((status, message)) = LogRequest::service_streams(call.query) {
        return docker_error(status, message).into();
    }
    if !call.swarm {
        return not_a_manager().into();
    }
    let service = match find_service(call.db, call.env.id, id) {
        Ok(s) => s,
        Err((status, message)) => return docker_error(status, message).into(),
    };
    match LogRequest::for_service(call.query) {
        Ok(request) => Engine::Logs(Box::new(logs::service_logs(call.db, service, request))),
        Err((status, message)) => docker_error(status, message).into(),
    }
}

/// `services.go` `serviceInspectOperation`: Docker's answer, filtered and decorated.
fn service_inspect(call: &Call, id: &str) -> Response {
    match find_service(call.db, call.env.id, id) {
        Ok(s) => match service_access(call.db, call.caller, call.env, s) {
            Access::Granted(rc) => {
                let mut object = s.json();
                decorate(&mut object, rc);
                crate::error::json(&object)
            }
            Access::Denied => access_denied(),
        },
        Err((status, message)) => docker_error(status, message),
    }
}

/// `transport.go` `proxyNodeRequest`: `/nodes/{id}` is an `administratorOperation`, whose
/// denial is the broken one of §5.4.
fn node_inspect(call: &Call, id: &str) -> Response {
    if !call.caller.is_admin() {
        return refused(call.sim, call.env);
    }
    if !call.swarm {
        return not_a_manager();
    }
    match find_node(call.db, call.env.id, id) {
        Ok(node) => crate::error::json(&node.json()),
        Err((status, message)) => docker_error(status, message),
    }
}

fn access_denied() -> Response {
    docker_error(StatusCode::FORBIDDEN, "access denied to resource")
}

fn no_such_container(id: &str) -> Response {
    docker_error(StatusCode::NOT_FOUND, format!("No such container: {id}"))
}

#[cfg(test)]
mod tests {
    use super::strip_api_version;

    #[test]
    fn strips_versions() {
        assert_eq!(
            strip_api_version("/v1.41/containers/json"),
            "/containers/json"
        );
        assert_eq!(strip_api_version("/containers/json"), "/containers/json");
        assert_eq!(strip_api_version("/volumes"), "/volumes");
    }
}
