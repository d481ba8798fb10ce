//! Finding the token's user on Portainer 2.19, which has no `/api/users/me` (docs/portainer-api.md
//! §6.3). [`TokenUserSearch`] is the pure decision logic: given the answers so far, it says what
//! to ask next. [`Client::find_token_user`] only runs the requests it asks for.

use super::error::ApiError;
use super::models::{token_prefix, AccessToken, User};
use super::{paths, Client};
use std::collections::{BTreeSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// Requests sent at once while probing.
pub const PROBE_BATCH: usize = 5;
/// The highest user id probed before giving up: every probe carries the token, so the search
/// stops at a bound an operator can be told about.
pub const PROBE_LIMIT: u32 = 100;

/// One question to Portainer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// `GET /api/users`: 200 for admins and team leaders only.
    ListUsers,
    /// `GET /api/users/{id}/tokens`: for an admin caller, 200 only for their own id among admins.
    Tokens(u32),
    /// `GET /api/users/{id}`: for a non-admin caller, 200 only for their own id.
    User(u32),
}

impl Probe {
    pub fn path(&self) -> String {
        match *self {
            Self::ListUsers => paths::users(),
            Self::Tokens(id) => paths::user_tokens(id),
            Self::User(id) => paths::user(id),
        }
    }
}

/// A successful answer to a [`Probe`].
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeAnswer {
    Users(Vec<User>),
    Tokens(Vec<AccessToken>),
    User(User),
}

/// What to do next.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Send these (in parallel) and [`TokenUserSearch::record`] each answer.
    Ask(Vec<Probe>),
    /// The token belongs to user `id`; `user` is the full object when a probe returned it.
    Found {
        id: u32,
        user: Option<User>,
    },
    GiveUp(ApiError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Start,
    Listing,
    /// Caller is an admin: ask each admin's token list.
    AdminTokens,
    /// Caller is a team leader: probe the listed users.
    Listed,
    /// Caller is a standard user: probe ids 1..=limit.
    Range,
}

/// The 2.19 search for the token's user. Feed it answers; it never sends anything itself.
#[derive(Clone, Debug)]
pub struct TokenUserSearch {
    prefix: String,
    phase: Phase,
    queue: VecDeque<Probe>,
    tried: BTreeSet<u32>,
    next_id: u32,
    limit: u32,
    batch: usize,
    /// An admin whose token list answered 200 without the token in it (still the caller,
    /// since only one's own list answers; used if no list matches).
    unmatched_own_list: Option<u32>,
    outcome: Option<Next>,
}

impl TokenUserSearch {
    pub fn new(token: &str) -> Self {
        Self::with_limits(token, PROBE_BATCH, PROBE_LIMIT)
    }

    pub fn with_limits(token: &str, batch: usize, limit: u32) -> Self {
        Self {
            prefix: token_prefix(token).to_owned(),
            phase: Phase::Start,
            queue: VecDeque::new(),
            tried: BTreeSet::new(),
            next_id: 1,
            limit,
            batch: batch.max(1),
            unmatched_own_list: None,
            outcome: None,
        }
    }

    pub fn next_step(&mut self) -> Next {
        if let Some(outcome) = &self.outcome {
            return outcome.clone();
        }
        match self.phase {
            Phase::Start | Phase::Listing => {
                self.phase = Phase::Listing;
                return Next::Ask(vec![Probe::ListUsers]);
            }
            _ => {}
        }
        if self.queue.is_empty() {
            match self.phase {
                Phase::AdminTokens => {
                    return match self.unmatched_own_list {
                        Some(id) => self.found(id, None),
                        None => Next::GiveUp(not_found(
                            "none of the administrators' token lists answered as the token's own",
                        )),
                    };
                }
                // The caller may be missing from the list it got: fall back to probing ids.
                Phase::Listed => self.phase = Phase::Range,
                _ => {}
            }
            self.fill_range();
        }
        if self.queue.is_empty() {
            return Next::GiveUp(not_found(&format!(
                "no user id from 1 to {} answered as the token's own. Portainer 2.19 has no \
                 /api/users/me, so Portlight asks user by user, and stops at {} so as not to send \
                 the token in more requests; Portainer 2.20 and later answer in one request",
                self.limit, self.limit
            )));
        }
        let count = self.batch.min(self.queue.len());
        Next::Ask(self.queue.drain(..count).collect())
    }

    /// Records the answer to `probe`. Answers 403, 404 and 400 mean "not this one"; any other
    /// failure (401, network, timeout…) ends the search with that error.
    pub fn record(&mut self, probe: Probe, answer: Result<ProbeAnswer, ApiError>) {
        if self.outcome.is_some() {
            return;
        }
        if let Probe::User(id) = probe {
            self.tried.insert(id);
        }
        let answer = match answer {
            Ok(answer) => answer,
            Err(err) if probe == Probe::ListUsers && err.is_forbidden() => {
                self.phase = Phase::Range;
                return;
            }
            Err(
                ApiError::Forbidden { .. }
                | ApiError::NotFound { .. }
                | ApiError::BadRequest { .. },
            ) if probe != Probe::ListUsers => return,
            Err(err) => {
                self.outcome = Some(Next::GiveUp(err));
                return;
            }
        };
        match (probe, answer) {
            (Probe::ListUsers, ProbeAnswer::Users(users)) => self.listed_users(&users),
            (Probe::Tokens(id), ProbeAnswer::Tokens(tokens)) => {
                if tokens.iter().any(|t| t.prefix == self.prefix) {
                    // The listed entry lacks EndpointAuthorizations: the caller fetches it whole.
                    self.outcome = Some(Next::Found { id, user: None });
                } else {
                    self.unmatched_own_list.get_or_insert(id);
                }
            }
            (Probe::User(id), ProbeAnswer::User(user)) => {
                self.outcome = Some(Next::Found {
                    id,
                    user: Some(user),
                });
            }
            // An answer of the wrong kind is the caller's mistake; ignore it.
            _ => {}
        }
    }

    fn listed_users(&mut self, users: &[User]) {
        // Non-admins never see admins in this list, so seeing one means the caller is an admin.
        if users.iter().any(User::is_admin) {
            self.phase = Phase::AdminTokens;
            self.queue = users
                .iter()
                .filter(|u| u.is_admin())
                .map(|u| Probe::Tokens(u.id))
                .collect();
        } else {
            self.phase = Phase::Listed;
            self.queue = users.iter().map(|u| Probe::User(u.id)).collect();
        }
    }

    fn fill_range(&mut self) {
        while self.queue.len() < self.batch && self.next_id <= self.limit {
            if !self.tried.contains(&self.next_id) {
                self.queue.push_back(Probe::User(self.next_id));
            }
            self.next_id += 1;
        }
    }

    fn found(&mut self, id: u32, user: Option<User>) -> Next {
        let next = Next::Found { id, user };
        self.outcome = Some(next.clone());
        next
    }
}

fn not_found(why: &str) -> ApiError {
    ApiError::NotFound {
        message: format!("could not tell which user this token belongs to: {why}"),
    }
}

/// Polls all futures together and returns their outputs in order (a tiny `join_all`, to avoid
/// a dependency).
pub(super) async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(outputs.iter_mut().filter_map(Option::take).collect())
        }
    })
    .await
}

/// The token's user, and how many requests finding it took beyond one (0 with
/// `/api/users/me`; the probes of [`TokenUserSearch`] on 2.19).
#[derive(Clone, Debug, PartialEq)]
pub struct TokenUser {
    pub user: User,
    pub probes: u32,
}

impl Client {
    /// The token's user without `/api/users/me` (Portainer 2.19): the search of
    /// [`TokenUserSearch`], run with up to [`PROBE_BATCH`] requests at a time.
    pub async fn find_token_user(&self) -> Result<TokenUser, ApiError> {
        let mut search = TokenUserSearch::new(&self.token);
        let mut probes_sent = 0u32;
        loop {
            match search.next_step() {
                Next::Ask(probes) => {
                    probes_sent += probes.len() as u32;
                    let answers = join_all(probes.iter().map(|p| self.probe(*p)).collect()).await;
                    for (probe, answer) in probes.into_iter().zip(answers) {
                        search.record(probe, answer);
                    }
                }
                Next::Found {
                    user: Some(user), ..
                } => {
                    return Ok(TokenUser {
                        user,
                        probes: probes_sent,
                    })
                }
                Next::Found { id, user: None } => {
                    let user = self.user(id).await?;
                    return Ok(TokenUser {
                        user,
                        probes: probes_sent + 1,
                    });
                }
                Next::GiveUp(err) => return Err(err),
            }
        }
    }

    async fn probe(&self, probe: Probe) -> Result<ProbeAnswer, ApiError> {
        match probe {
            Probe::ListUsers => self.users().await.map(|l| ProbeAnswer::Users(l.items)),
            Probe::Tokens(id) => self
                .user_tokens(id)
                .await
                .map(|l| ProbeAnswer::Tokens(l.items)),
            Probe::User(id) => self.user(id).await.map(ProbeAnswer::User),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_all_keeps_order() {
        let futures = vec![std::future::ready(1), std::future::ready(2)];
        let out = futures_lite_block_on(join_all(futures));
        assert_eq!(out, vec![1, 2]);
    }

    /// Minimal executor for ready futures.
    fn futures_lite_block_on<F: Future>(future: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut future = Box::pin(future);
        loop {
            if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}
