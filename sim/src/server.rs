//! The HTTP/1.1 server: an accept loop that can reset a connection on purpose (`--faults`),
//! and the layer every `/api` request goes through (recording, latency, faults, the CSRF
//! wrapper, security headers).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower::ServiceExt as _;

use crate::auth::auth_cookie;
use crate::error::ApiError;
use crate::faults::Fault;
use crate::hostile::{self, Answer};
use crate::state::Sim;
use crate::PortainerVersion;

/// Per-connection handle a handler can use to reset its own connection.
#[derive(Default)]
pub struct Connection {
    reset: Notify,
}

pub async fn run(listener: TcpListener, sim: Arc<Sim>) -> std::io::Result<()> {
    let app = crate::handlers::router(sim.clone());
    let resettable = sim.faults.enabled();
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait and keep serving.
            Err(err) if is_transient(&err) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(err) => return Err(err),
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(stream, app.clone(), resettable));
    }
}

fn is_transient(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        err.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock | OutOfMemory
    ) || err.raw_os_error().is_some()
}

async fn serve_connection(stream: TcpStream, app: Router, resettable: bool) {
    // To reset a connection we need the socket after hyper owns the stream: keep a duplicate
    // descriptor, set SO_LINGER=0 on it and close both, which makes the kernel send RST.
    let (stream, twin) = if resettable {
        match duplicate(stream) {
            Ok(pair) => pair,
            Err(_) => return,
        }
    } else {
        (stream, None)
    };
    let connection = Arc::new(Connection::default());
    let handle = connection.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        app.clone().oneshot(request.map(Body::new))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = connection.reset.notified() => {
            if let Some(twin) = &twin {
                let _ = socket2::SockRef::from(twin).set_linger(Some(Duration::ZERO));
            }
        }
    }
    drop(twin);
}

fn duplicate(stream: TcpStream) -> std::io::Result<(TcpStream, Option<std::net::TcpStream>)> {
    let std_stream = stream.into_std()?;
    let twin = std_stream.try_clone()?;
    Ok((TcpStream::from_std(std_stream)?, Some(twin)))
}

pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// `/api/endpoints/{id}/docker/…`: answered by Docker through Portainer's proxy.
fn is_docker_proxy_path(path: &str) -> bool {
    path.strip_prefix("/api/endpoints/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, rest)| rest == "docker" || rest.starts_with("docker/"))
}

/// Portainer 2.19 writes JSON with Go's `encoding/json` `Encoder` (a newline after every
/// body) and errors with the external `libhttp` module, which leaves `details` as the error
/// reads (2.23 capitalises it): `libhttp/error/error.go` `writeErrorResponse`.
async fn as_2_19(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match parts.extensions.remove::<crate::error::ErrorBody>() {
        Some(error) => error.v2_19(),
        None => {
            let mut bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .map(|b| b.to_vec())
                .unwrap_or_default();
            bytes.push(b'\n');
            bytes
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// The layer around every request. Non-API paths (assets) only get the security headers.
pub async fn api_layer(State(sim): State<Arc<Sim>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !is_api_path(&path) {
        let mut response = next.run(request).await;
        secure_headers(&mut response);
        return response;
    }
    let keyed = request.headers().contains_key("x-api-key");
    sim.record(request.method().as_str(), &path, keyed);
    let query = request.uri().query().unwrap_or_default().to_owned();
    let hostile = sim.hostile.take(request.method().as_str(), &path, &query);
    match hostile {
        None => {}
        Some(Answer::Rewritten(rewrite)) => {
            let response = next.run(request).await;
            return hostile::rewrite(response, &rewrite).await;
        }
        Some(answer) => return hostile::respond(answer).await,
    }
    if sim.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(sim.latency_ms)).await;
    }
    match sim.faults.draw() {
        None => {}
        Some(Fault::ServerError) => {
            return ApiError::internal("Unable to process the request")
                .details("Injected fault (portainer-sim --faults)")
                .into_response();
        }
        Some(Fault::Hang) => std::future::pending::<()>().await,
        Some(Fault::Reset) => {
            if let Some(connection) = request.extensions().get::<Arc<Connection>>() {
                connection.reset.notify_one();
            }
            std::future::pending::<()>().await
        }
    }
    // gorilla/mux registers every route with `.Methods(...)` and no HEAD: a method mismatch is
    // answered by its `methodNotAllowedHandler` (405, empty, no content type) before any
    // bouncer. The Docker proxy prefix has no method restriction (`endpointproxy/handler.go`).
    if request.method() == Method::HEAD && !is_docker_proxy_path(&path) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    if sim.version == PortainerVersion::V2_23 {
        if let Some(rejection) = csrf_check(&sim, &request) {
            return rejection;
        }
    }
    let docker = is_docker_proxy_path(&path);
    let mut response = next.run(request).await;
    if sim.version == PortainerVersion::V2_19 && !docker {
        response = as_2_19(response).await;
    }
    secure_headers(&mut response);
    if sim.version == PortainerVersion::V2_23 {
        // gorilla/csrf: a token on every 2xx, and Vary: Cookie.
        let headers = response.headers_mut();
        headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
        if response.status().is_success() {
            if let Ok(token) = HeaderValue::from_str(&sim.csrf_token) {
                response.headers_mut().insert("X-Csrf-Token", token);
            }
        }
    }
    response
}

/// `MWSecureHeaders` of 2.19–2.23.
fn secure_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        "X-Content-Type-Options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "X-XSS-Protection",
        HeaderValue::from_static("1; mode=block"),
    );
}

/// The 2.20+ CSRF wrapper: skipped unless the session cookie is sent; without it, only the
/// `X-API-Key` + `Authorization` combination is refused (§6.2, §7.2).
fn csrf_check(sim: &Sim, request: &Request) -> Option<Response> {
    let headers = request.headers();
    if auth_cookie(headers).is_some() {
        let safe = matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        );
        if safe {
            return None;
        }
        let sent = headers.get("X-CSRF-Token").and_then(|v| v.to_str().ok());
        let text = match sent {
            None | Some("") => "Forbidden - CSRF token not found in request\n",
            Some(token) if token == sim.csrf_token => return None,
            Some(_) => "Forbidden - CSRF token invalid\n",
        };
        let mut response = (StatusCode::FORBIDDEN, text).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return Some(response);
    }
    let present = |name: &str| headers.get(name).is_some_and(|v| !v.as_bytes().is_empty());
    if present("x-api-key") && present("authorization") {
        let message = "api key and auth header are not allowed at the same time";
        return Some(ApiError::forbidden(message).into_response());
    }
    None
}
