//! The simulator's own serde types, written from `docs/portainer-api.md` (not shared with the app,
//! so the two can disagree and a test can notice). Field names follow Portainer's Go json tags.

pub mod docker;
pub mod endpoint;
pub mod kubernetes;
pub mod node;
pub mod roles;
pub mod stack;
pub mod user;

use serde::Serialize;

/// Portainer's `Pair` (`{"name","value"}`, lower case), used for stack `Env`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub name: String,
    pub value: String,
}

impl Pair {
    pub fn new(name: &str, value: &str) -> Self {
        Pair {
            name: name.into(),
            value: value.into(),
        }
    }
}
