//! Portainer's error texts that several simulator tests expect, word for word as Portainer
//! writes them (the `message` and `details` of its JSON errors). A text that one test alone
//! expects stays written out in that test.

// --- authentication (§6) ---------------------------------------------------------------------

/// 401 without an API key or JWT.
pub const TOKEN_MISSING: &str = "A valid authorization token is missing";
/// 401 on 2.19 without a token or with an unknown one, spelt the British way.
pub const TOKEN_MISSING_2_19: &str = "A valid authorisation token is missing";
/// 401 for an API key Portainer does not know (unknown, revoked) or a bad JWT.
pub const INVALID_JWT: &str = "Invalid JWT token";
/// The `details` of most 401s and many 403s; also 2.19's message for a deleted user's key.
pub const UNAUTHORIZED: &str = "Unauthorized";
/// 422 from `POST /api/auth` with a wrong password or an unknown user.
pub const INVALID_CREDENTIALS: &str = "Invalid credentials";
/// 400 for a body that does not decode.
pub const INVALID_PAYLOAD: &str = "Invalid request payload";

// --- access (§3) -----------------------------------------------------------------------------

/// 403 on the administrator-only routes (roles, settings, groups, all team memberships).
pub const ACCESS_DENIED: &str = "Access denied";
/// 403 for a stack or user the token's ResourceControl rules hide.
pub const ACCESS_DENIED_RESOURCE: &str = "Access denied to resource";
/// The `details` when the token cannot reach an environment.
pub const ACCESS_DENIED_ENV: &str = "Access denied to environment";
/// 403 when the token cannot reach an environment (the bouncer's words).
pub const PERMISSION_DENIED_ENV: &str = "Permission denied to access environment";
/// 403 for a non-admin's `GET /api/users`.
pub const PERMISSION_DENIED_USERS: &str = "Permission denied to access users list";
/// 403 for another user's access tokens.
pub const PERMISSION_DENIED_TOKENS: &str = "Permission denied to get user access tokens";
/// 403 for a non-admin deleting a stack through another environment than its own.
pub const PERMISSION_DENIED_ORPHAN_REMOVAL: &str = "Permission denied to remove orphaned stack";

// --- not found (§6) --------------------------------------------------------------------------

/// The `details` of every 404 for a missing database object, on 2.23: the database error with
/// the bucket and key it looked in (`api/database/boltdb/tx.go` `GetObject`).
pub fn object_not_found(bucket: &str, key: i64) -> String {
    format!("Object not found inside the database (bucket={bucket}, key={key})")
}
pub const USER_NOT_FOUND: &str =
    "Unable to find a user with the specified identifier inside the database";
pub const ENV_NOT_FOUND: &str =
    "Unable to find an environment with the specified identifier inside the database";
pub const STACK_NOT_FOUND: &str =
    "Unable to find a stack with the specified identifier inside the database";

// --- bad requests ----------------------------------------------------------------------------

pub const INVALID_USER_ID: &str = "Invalid user identifier route variable";
pub const INVALID_ENV_ID: &str = "Invalid environment identifier route variable";
/// 400 for start/stop without a usable `endpointId`.
pub const INVALID_ENDPOINT_ID_QUERY: &str = "Invalid query parameter: endpointId";

/// The `details` of a 400 for an identifier that is not a number: Go's `strconv.Atoi` error,
/// capitalised as Portainer 2.23 does.
pub fn not_a_number(text: &str) -> String {
    format!("Strconv.Atoi: parsing \"{text}\": invalid syntax")
}

/// The same on 2.19, whose `libhttp` leaves the error's words as they are.
pub fn not_a_number_2_19(text: &str) -> String {
    format!("strconv.Atoi: parsing \"{text}\": invalid syntax")
}

// --- stacks (§4) -----------------------------------------------------------------------------

/// 403 from the stack-management gate on inspect, file and redeploy; the `details` everywhere.
pub const STACK_MANAGEMENT_DISABLED: &str = "Stack management is disabled for non-admin users";
/// The same gate's message on start and stop, lower case as Portainer writes it there.
pub const STACK_MANAGEMENT_DISABLED_START_STOP: &str =
    "stack management is disabled for non-admin users";
pub const STACK_ALREADY_ACTIVE: &str = "Stack is already active";
pub const STACK_ALREADY_INACTIVE: &str = "Stack is already inactive";
pub const KUBERNETES_START: &str = "Starting a kubernetes stack is not supported";
pub const KUBERNETES_STOP: &str = "Stopping a kubernetes stack is not supported";
pub const NOT_FROM_GIT: &str = "Stack is not created from git";
