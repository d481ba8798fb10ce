//! Pure logic, no web-sys: what pages show, derived from Portainer's models. Tested natively.

pub mod access;
pub mod connection;
pub mod containers;
pub mod display;
pub mod draft;
pub mod edit;
pub mod failures;
pub mod freshness;
pub mod git;
pub mod labels;
pub mod log_buffer;
pub mod names;
pub mod order;
pub mod ownership;
pub mod permissions;
pub mod pods;
pub mod stack_health;
pub mod stack_logs;
pub mod stack_query;
pub mod stack_rows;
pub mod time;
pub mod viewer;

#[cfg(test)]
pub(crate) mod testing;
