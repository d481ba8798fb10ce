//! The bouncer: who is calling (API key, cookie or Bearer JWT), and the 401/403 bodies of each
//! version (§6). Also issues the HS256 JWTs of `POST /api/auth`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::clock;
use crate::error::ApiError;
use crate::model::user::{ROLE_ADMIN, TEAM_LEADER};
use crate::state::{api_key_digest, Sim};
use crate::PortainerVersion;

/// The cookie Portainer 2.20+ sets on login (and reads after the API key).
pub const AUTH_COOKIE: &str = "portainer_api_key";

/// Session length (`UserSessionTimeout` "8h").
const SESSION_SECONDS: i64 = 8 * 3600;

/// The authenticated user behind a request, with what the bouncer's restricted context holds.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: i64,
    pub username: String,
    pub role: i64,
    pub team_ids: Vec<i64>,
    pub is_team_leader: bool,
    pub force_change_password: bool,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.role == ROLE_ADMIN
    }
}

/// Why authentication failed.
enum Failure {
    Missing,
    Invalid,
    UserGone,
}

fn failure(version: PortainerVersion, failure: Failure) -> ApiError {
    let message = match (version, failure) {
        (PortainerVersion::V2_19, Failure::UserGone) => "Unauthorized",
        (PortainerVersion::V2_19, _) => "A valid authorisation token is missing",
        (PortainerVersion::V2_23, Failure::Missing) => "A valid authorization token is missing",
        (PortainerVersion::V2_23, Failure::Invalid) => "Invalid JWT token",
        (PortainerVersion::V2_23, Failure::UserGone) => "An authorization token is invalid",
    };
    ApiError::new(StatusCode::UNAUTHORIZED, message).details("Unauthorized")
}

/// Who a token says the caller is.
struct TokenData {
    user_id: i64,
    force_change_password: bool,
}

type Lookup = Result<Option<TokenData>, ()>;

impl Sim {
    /// Runs the token lookups in the version's order; the first token found decides.
    pub fn authenticate(
        &self,
        headers: &HeaderMap,
        query: Option<&str>,
    ) -> Result<Caller, ApiError> {
        let token = match self.version {
            PortainerVersion::V2_23 => self
                .api_key_lookup(headers, query)
                .and_then(|found| match found {
                    Some(t) => Ok(Some(t)),
                    None => self.cookie_lookup(headers),
                })
                .and_then(|found| match found {
                    Some(t) => Ok(Some(t)),
                    None => self.bearer_lookup(headers, query),
                })
                .map_err(|()| failure(self.version, Failure::Invalid))?,
            // 2.19: JWT first, then API key; a lookup that fails just yields nothing.
            PortainerVersion::V2_19 => self
                .bearer_lookup(headers, query)
                .ok()
                .flatten()
                .or_else(|| self.api_key_lookup(headers, query).ok().flatten()),
        };
        let token = token.ok_or_else(|| failure(self.version, Failure::Missing))?;
        let state = self.read();
        let user = state
            .user(token.user_id)
            .ok_or_else(|| failure(self.version, Failure::UserGone))?;
        let memberships = state.memberships_of(user.id);
        Ok(Caller {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role,
            team_ids: memberships.iter().map(|m| m.team_id).collect(),
            is_team_leader: memberships.iter().any(|m| m.role == TEAM_LEADER),
            force_change_password: token.force_change_password,
        })
    }

    /// `X-API-Key` header (any letter case: header names are case-insensitive), else a query
    /// parameter named `x-api-key` in any letter case.
    fn api_key_lookup(&self, headers: &HeaderMap, query: Option<&str>) -> Lookup {
        let header_key = headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_owned);
        let raw = header_key.or_else(|| {
            form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .find(|(k, _)| k.eq_ignore_ascii_case("x-api-key"))
                .map(|(_, v)| v.into_owned())
        });
        let Some(raw) = raw else { return Ok(None) };
        let digest = api_key_digest(&raw);
        let now = clock::now();
        let mut state = self.write();
        let key = state
            .api_keys
            .iter_mut()
            .find(|k| k.digest == digest)
            .ok_or(())?;
        // Portainer writes lastUsed at most once a minute.
        if now - key.last_used > 60 {
            key.last_used = now;
        }
        Ok(Some(TokenData {
            user_id: key.user_id,
            force_change_password: false,
        }))
    }

    fn cookie_lookup(&self, headers: &HeaderMap) -> Lookup {
        match auth_cookie(headers) {
            Some(jwt) => self.verify_jwt(&jwt).map(Some),
            None => Ok(None),
        }
    }

    /// `?token=` (websockets) or the `Authorization` header, with or without `Bearer `.
    fn bearer_lookup(&self, headers: &HeaderMap, query: Option<&str>) -> Lookup {
        let from_query = form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .find(|(k, v)| k == "token" && !v.is_empty())
            .map(|(_, v)| v.into_owned());
        let token = from_query.or_else(|| {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).to_owned())
        });
        match token {
            Some(jwt) => self.verify_jwt(&jwt).map(Some),
            None => Ok(None),
        }
    }

    /// Signs a session JWT for a user, with Portainer's claims.
    pub fn issue_jwt(&self, user_id: i64, username: &str, role: i64) -> (String, i64) {
        static JTI: AtomicU64 = AtomicU64::new(1);
        let now = clock::now();
        let exp = now + SESSION_SECONDS;
        let n = JTI.fetch_add(1, Ordering::Relaxed);
        let claims = Claims {
            id: user_id,
            username: username.to_owned(),
            role,
            scope: "default".into(),
            force_change_password: false,
            exp: Some(exp),
            iat: Some(now),
            jti: Some(uuid_like(&format!("{}/{now}/{n}", self.boot))),
        };
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let signing_input = format!("{header}.{payload}");
        let signature = URL_SAFE_NO_PAD.encode(self.sign(signing_input.as_bytes()));
        (format!("{signing_input}.{signature}"), exp)
    }

    fn sign(&self, data: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.jwt_secret).expect("any key length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// `ParseAndVerifyToken`: HS256 signature, expiry, and the user must still exist.
    fn verify_jwt(&self, token: &str) -> Result<TokenData, ()> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(());
        };
        let decoded_header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|_| ())?)
                .map_err(|_| ())?;
        if decoded_header["alg"] != "HS256" {
            return Err(());
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| ())?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.jwt_secret).map_err(|_| ())?;
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&signature).map_err(|_| ())?;
        let claims: Claims =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).map_err(|_| ())?)
                .map_err(|_| ())?;
        if claims.exp.is_some_and(|exp| exp <= clock::now()) {
            return Err(());
        }
        let state = self.read();
        let user = state.user(claims.id).ok_or(())?;
        if user.token_issue_at > claims.iat.unwrap_or(0) {
            return Err(());
        }
        Ok(TokenData {
            user_id: claims.id,
            force_change_password: claims.force_change_password,
        })
    }
}

/// Portainer's JWT claims (`api/jwt/jwt.go`).
#[derive(Serialize, Deserialize)]
struct Claims {
    id: i64,
    username: String,
    role: i64,
    scope: String,
    #[serde(rename = "forceChangePassword")]
    force_change_password: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jti: Option<String>,
}

/// A UUID-shaped id derived from `seed`.
fn uuid_like(seed: &str) -> String {
    let h = crate::model::docker::hex_id(seed);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// The value of the `portainer_api_key` cookie, when one is sent and not empty.
pub fn auth_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == AUTH_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<Arc<Sim>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        sim: &Arc<Sim>,
    ) -> Result<Self, Self::Rejection> {
        sim.authenticate(&parts.headers, parts.uri.query())
    }
}

/// `AdminAccess`: an authenticated administrator, else 403 "Access denied".
pub struct Admin;

impl FromRequestParts<Arc<Sim>> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        sim: &Arc<Sim>,
    ) -> Result<Self, Self::Rejection> {
        let caller = sim.authenticate(&parts.headers, parts.uri.query())?;
        if !caller.is_admin() {
            return Err(access_denied());
        }
        Ok(Admin)
    }
}

/// `TeamLeaderAccess`: an administrator or the leader of at least one team.
pub struct TeamLeader;

impl FromRequestParts<Arc<Sim>> for TeamLeader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        sim: &Arc<Sim>,
    ) -> Result<Self, Self::Rejection> {
        let caller = sim.authenticate(&parts.headers, parts.uri.query())?;
        if !caller.is_admin() && !caller.is_team_leader {
            return Err(access_denied());
        }
        Ok(TeamLeader)
    }
}

fn access_denied() -> ApiError {
    ApiError::forbidden("Access denied").details("Unauthorized")
}
