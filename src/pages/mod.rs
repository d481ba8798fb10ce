//! One module per page; the route table is in `lib.rs`, every path in `crate::routes`.

pub mod access;
pub mod connect;
pub mod everyone;
pub mod not_found;
pub mod settings;
pub mod stack_detail;
pub mod stack_edit;
pub mod stacks;
