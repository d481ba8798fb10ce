//! Reusable pieces of the UI: messages, the top bar, the token prompt, the token guard.

pub mod badges;
pub mod clock;
pub mod code;
pub mod connected;
pub mod deploy_options;
pub mod download;
pub mod feedback;
pub mod freshness;
pub mod log_view;
pub mod needs_token;
pub mod reauth;
pub mod shortcuts;
pub mod topbar;
pub mod typing;

pub use feedback::{ErrorMessage, Loading, RefreshCard};
