//! Error bodies as Portainer and Docker write them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Portainer's `{"message","details"}` error (`pkg/libhttp/error`). When a handler passes no
/// underlying error, Portainer fills `details` with the capitalised message, so `details` is
/// always present here too.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub details: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        let message = message.into();
        let details = capitalize(&message);
        ApiError {
            status,
            message,
            details,
        }
    }

    /// Sets `details` from an underlying error text (capitalised, like Portainer does).
    pub fn details(mut self, details: impl AsRef<str>) -> Self {
        self.details = capitalize(details.as_ref());
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

    /// 404 for a missing database object.
    pub fn object_not_found(message: &str) -> Self {
        Self::not_found(message).details("object not found inside the database")
    }
}

#[derive(Serialize)]
struct Body<'a> {
    message: &'a str,
    details: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&Body {
            message: &self.message,
            details: &self.details,
        })
        .unwrap_or_default();
        json_bytes(self.status, body)
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
