//! The stack's logs (`/stacks/<id>/logs`): every container of a compose stack, or every
//! service of a swarm stack, in one view. What the URL asks for ([`query`]), which sources a
//! stack has and what each line is prefixed with ([`sources`]), and how lines of several
//! sources become one list, filtered and downloaded ([`merge`]). Pure code, tested natively.

pub mod connections;
pub mod merge;
pub mod query;
pub mod sources;

#[cfg(test)]
mod tests;
