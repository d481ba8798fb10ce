//! Connections and tokens: saved Portainer instances, token storage (this device or this tab),
//! operator settings, and the session context pages read.

pub mod context;
pub mod directory;
pub mod instances;
pub mod preferences;
pub mod storage;

pub use context::{use_session, Connection, Identity, Session};
pub use instances::{Instance, Instances};
pub use preferences::Preferences;
