//! `POST /api/auth` (username/password → JWT) and `POST /api/auth/logout`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth::AUTH_COOKIE;
use crate::error::{empty, json, ApiError};
use crate::payload::{decode_object, string_field};
use crate::state::Sim;
use crate::PortainerVersion;

pub async fn authenticate(State(sim): State<Arc<Sim>>, body: Bytes) -> Result<Response, ApiError> {
    let payload = decode_object(&body)?;
    let username = string_field(&payload, "auth.authenticatePayload", "Username")?;
    let password = string_field(&payload, "auth.authenticatePayload", "Password")?;
    if username.is_empty() {
        return Err(ApiError::bad_request("Invalid request payload").details("Invalid username"));
    }
    if password.is_empty() {
        return Err(ApiError::bad_request("Invalid request payload").details("Invalid password"));
    }
    let user = {
        let state = sim.read();
        state
            .users
            .iter()
            .find(|u| u.username == username && u.password == password)
            .map(|u| (u.id, u.username.clone(), u.role))
    };
    let Some((id, username, role)) = user else {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid credentials")
                .details("Unauthorized"),
        );
    };
    let (jwt, _expires) = sim.issue_jwt(id, &username, role);
    let mut response = json(&json!({ "jwt": jwt }));
    // From 2.20 the JWT is also set as an HttpOnly cookie.
    if sim.version == PortainerVersion::V2_23 {
        let cookie =
            format!("{AUTH_COOKIE}={jwt}; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// Public; clears the session cookie.
pub async fn logout(State(sim): State<Arc<Sim>>) -> Response {
    let mut response = empty();
    if sim.version == PortainerVersion::V2_23 {
        let cookie = format!("{AUTH_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response.into_response()
}
