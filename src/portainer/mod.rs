//! Typed Portainer client: the only place in Portlight that talks HTTP.
//!
//! `models` are the JSON shapes, `paths` builds every URL, `error` maps answers to [`ApiError`];
//! all of it is pure and tested natively. The client itself only performs fetch.

pub mod error;
pub mod models;
pub mod paths;
pub mod version;

pub use error::{decode, error_from_response, ApiError};
pub use models::*;
pub use paths::{EndpointQuery, LogOptions};
pub use version::ServerVersion;
