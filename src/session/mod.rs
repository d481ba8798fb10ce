//! Connections and tokens: saved Portainer instances, token storage (this device or this tab)
//! bound to the address each token was given for, operator preferences, and the session
//! context pages read.

pub mod context;
pub mod directory;
pub mod drafts;
pub mod fetching;
pub mod identity;
pub mod instances;
pub mod preferences;
pub mod storage;
mod tokens;
pub mod workload;

pub use context::{use_session, Connection, Expired, Session};
pub use identity::Identity;
pub use instances::{Edit, Instance, Instances};
pub use preferences::Preferences;
