//! Error bodies as Portainer and Docker write them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Portainer's `{"message","details"}` error. `details` is the underlying error's text, or the
/// message when a handler passes none; each version writes it its own way (see [`ErrorBody`]).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// As the Go error reads, before any version's formatting.
    pub details: String,
}

/// How an error body is written, per version, so that `server::api_layer` can write it the
/// version's way: 2.23's `pkg/libhttp/error/error.go` `writeErrorResponse` capitalises the first
/// letter of `details` and ends with no newline; 2.19's `libhttp` (an external module then)
/// writes `details` as the error reads and Go's `json.Encoder` ends the body with `\n`.
#[derive(Debug, Clone)]
pub struct ErrorBody {
    pub message: String,
    pub details: String,
}

impl ErrorBody {
    /// The body Portainer 2.23 writes.
    pub fn v2_23(&self) -> Vec<u8> {
        encode(&self.message, &capitalize(&self.details), false)
    }

    /// The body Portainer 2.19 writes.
    pub fn v2_19(&self) -> Vec<u8> {
        encode(&self.message, &self.details, true)
    }
}

fn encode(message: &str, details: &str, newline: bool) -> Vec<u8> {
    let mut body = serde_json::to_vec(&Body { message, details }).unwrap_or_default();
    if newline {
        body.push(b'\n');
    }
    body
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        let message = message.into();
        let details = message.clone();
        ApiError {
            status,
            message,
            details,
        }
    }

    /// Sets `details` from an underlying error text, as the Go error reads.
    pub fn details(mut self, details: impl AsRef<str>) -> Self {
        self.details = details.as_ref().to_string();
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// 400 for a route variable that is not a number, with Go's `strconv.Atoi` error.
    pub fn invalid_route_variable(what: &str, raw: &str) -> Self {
        Self::bad_request(format!("Invalid {what} identifier route variable"))
            .details(atoi_error(raw))
    }

    /// 403 "Permission denied to access environment" as the bouncer reports it.
    pub fn environment_denied(message: &str) -> Self {
        Self::forbidden(message).details("Access denied to environment")
    }

    /// 403 "Access denied to resource" for a stack the caller's ResourceControls do not cover.
    pub fn resource_denied() -> Self {
        Self::forbidden("Access denied to resource")
    }

    /// 404 for a missing database object: `api/database/boltdb/tx.go` `GetObject` wraps
    /// `dserrors.ErrObjectNotFound` with the bucket and key it looked in (2.19 and 2.23).
    pub fn object_not_found(message: &str, bucket: &str, key: i64) -> Self {
        Self::not_found(message).details(format!(
            "object not found inside the database (bucket={bucket}, key={key})"
        ))
    }
}

#[derive(Serialize)]
struct Body<'a> {
    message: &'a str,
    details: &'a str,
}

impl ApiError {
    /// The response as `version` writes it, for answers the API layer does not rewrite (those
    /// of the Docker proxy).
    pub fn into_response_for(self, version: crate::PortainerVersion) -> Response {
        let status = self.status;
        let parts = ErrorBody {
            message: self.message,
            details: self.details,
        };
        match version {
            crate::PortainerVersion::V2_19 => json_bytes(status, parts.v2_19()),
            crate::PortainerVersion::V2_23 => json_bytes(status, parts.v2_23()),
        }
    }
}

impl IntoResponse for ApiError {
    /// Written as 2.23 writes it; the API layer rewrites it for 2.19 from the [`ErrorBody`]
    /// it carries.
    fn into_response(self) -> Response {
        let parts = ErrorBody {
            message: self.message,
            details: self.details,
        };
        let mut response = json_bytes(self.status, parts.v2_23());
        response.extensions_mut().insert(parts);
        response
    }
}

/// Docker's own error body: `{"message": "..."}` (also what Portainer's proxy writes when it
/// denies a Docker resource).
pub fn docker_error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "message": message.into() });
    json_bytes(status, serde_json::to_vec(&body).unwrap_or_default())
}

/// A 200 JSON response.
pub fn json<T: Serialize>(value: &T) -> Response {
    json_status(StatusCode::OK, value)
}

pub fn json_status<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(status, body),
        Err(err) => ApiError::internal("Unable to encode the response")
            .details(err.to_string())
            .into_response(),
    }
}

fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// 204 with no body.
pub fn empty() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Go's `capitalize`: upper-cases the first character only.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The text of Go's `strconv.Atoi` error for `raw`.
pub fn atoi_error(raw: &str) -> String {
    let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        "value out of range"
    } else {
        "invalid syntax"
    };
    format!("strconv.Atoi: parsing {raw:?}: {reason}")
}

/// Parses an integer the way Go's `strconv.Atoi` does (optional sign, digits only).
pub fn atoi(raw: &str) -> Option<i64> {
    let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// Parses a numeric route variable or answers Portainer's 400.
pub fn route_id(what: &str, raw: &str) -> Result<i64, ApiError> {
    atoi(raw).ok_or_else(|| ApiError::invalid_route_variable(what, raw))
}
