//! Reusable pieces of the UI: messages, the top bar, the token prompt.

pub mod badges;
pub mod code;
pub mod feedback;
pub mod reauth;
pub mod topbar;

pub use feedback::{ErrorMessage, Loading, RefreshCard};
