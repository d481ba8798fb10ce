//! Editing a stack: what changed between the deployed stack and the operator's edit, and
//! whether the edit is fit to send. Pure and tested natively; the edit page renders it.

pub mod diff;
pub mod dotenv;
pub mod merge;
pub mod yaml;
