//! Browser end-to-end tests: the release build, served same-origin by the simulator, in
//! headless Chromium. Run with `cargo xtask test e2e`.

mod access;
mod connect;
mod connections;
mod edit;
mod everyone;
mod experience;
mod failures;
mod health;
mod installed;
mod kubernetes;
mod layout;
mod leaving;
mod logs;
mod stacks;
