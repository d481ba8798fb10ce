//! The answers the report is built from. One resource per request, so they run side by
//! side (gloo futures are !Send); each asks only what the token's role permits, so a standard
//! user's console does not fill with 403s (§6.3: admin-only routes are never called for them).

use crate::components::clock::now_secs;
use crate::domain::access::{build_report, AccessInputs, AccessReport, Fetched, TokenPrefix};
use crate::portainer::{
    AccessToken, ApiError, Client, EndpointGroup, EndpointQuery, Environment, Listed,
    MembershipRole, Stack, SystemVersion, Team, TeamMembership, User,
};
use crate::session::fetching::Fetching;
use crate::session::Session;
use leptos::prelude::*;
use std::future::Future;

/// Which connection and user an answer belongs to: after a switch or a new token, an answer of
/// the previous one must not be mixed into the report while the new one loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    epoch: u32,
    user_id: u32,
}

type Answer<T> = Option<(Key, T)>;

/// The token's own memberships, and the user list when the role may read it.
type People = (Fetched<Listed<TeamMembership>>, Option<Vec<User>>);

#[derive(Clone, Copy)]
pub struct Sources {
    session: Session,
    tokens: Fetching<Answer<Fetched<Listed<AccessToken>>>>,
    people: Fetching<Answer<People>>,
    teams: Fetching<Answer<Fetched<Listed<Team>>>>,
    environments: Fetching<Answer<Fetched<Listed<Environment>>>>,
    groups: Fetching<Answer<Fetched<Listed<EndpointGroup>>>>,
    stacks: Fetching<Answer<Fetched<Listed<Stack>>>>,
    version: Fetching<Answer<Fetched<SystemVersion>>>,
}

/// The current connection, once the token's user is known.
fn current(session: Session) -> Option<(Key, Client, User)> {
    let client = session.client()?;
    let user = session.identity()?.user;
    let key = Key {
        epoch: session.epoch.get(),
        user_id: user.id,
    };
    Some((key, client, user))
}

/// A resource that runs `call` for the current connection (with its epoch); `None` until
/// there is one.
fn load<T, Fut>(
    session: Session,
    call: impl Fn(Client, User, u32) -> Fut + 'static,
) -> Fetching<Answer<T>>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    Fetching::new(move || {
        let pending =
            current(session).map(|(key, client, user)| (key, call(client, user, key.epoch)));
        async move {
            let (key, answer) = pending?;
            Some((key, answer.await))
        }
    })
}

/// A failed fetch becomes a sentence for the report; a rejected token asks for a new one.
fn fetched<T>(session: Session, epoch: u32, result: Result<T, ApiError>) -> Fetched<T> {
    session.checked(epoch, result).map_err(|e| e.to_string())
}

impl Sources {
    pub fn new(session: Session) -> Self {
        let s = session;
        Self {
            session,
            tokens: load(s, move |c, u, e| async move {
                fetched(s, e, c.user_tokens(u.id).await)
            }),
            // Team leaders may list users too (non-admins only): it names more owners.
            people: load(s, move |c, u, e| async move {
                let memberships = fetched(s, e, c.user_memberships(u.id).await);
                let leads = memberships.as_ref().is_ok_and(|list| {
                    list.items
                        .iter()
                        .any(|m| m.user_id == u.id && m.role == MembershipRole::TeamLeader)
                });
                let users = if u.is_admin() || leads {
                    s.checked(e, c.users().await).ok().map(|l| l.items)
                } else {
                    None
                };
                (memberships, users)
            }),
            teams: load(
                s,
                move |c, _, e| async move { fetched(s, e, c.teams().await) },
            ),
            environments: load(s, move |c, _, e| async move {
                let page = c.endpoints(&EndpointQuery::default()).await;
                fetched(s, e, page.map(|p| p.environments))
            }),
            groups: load(s, move |c, _, e| async move {
                fetched(s, e, c.endpoint_groups().await)
            }),
            stacks: load(
                s,
                move |c, _, e| async move { fetched(s, e, c.stacks().await) },
            ),
            version: load(s, move |c, _, e| async move {
                fetched(s, e, c.system_version().await)
            }),
        }
    }

    pub fn refetch(&self) {
        self.tokens.refetch();
        self.people.refetch();
        self.teams.refetch();
        self.environments.refetch();
        self.groups.refetch();
        self.stacks.refetch();
        self.version.refetch();
    }

    /// The report, once every answer for the current connection is in.
    pub fn report(&self) -> Option<AccessReport> {
        let (key, client, user) = current(self.session)?;
        let status = self.session.identity()?.status;
        let (memberships, users) = take(self.people, key)?;
        let mut unreadable = Vec::new();
        let inputs = AccessInputs {
            // Only the 7 characters Portainer lists: the report never holds the token.
            prefix: TokenPrefix::of(client.token_prefix()),
            user,
            memberships: read_items(
                memberships,
                "team membership",
                "team memberships",
                &mut unreadable,
            ),
            teams: read_items(take(self.teams, key)?, "team", "teams", &mut unreadable),
            users,
            tokens: read_items(
                take(self.tokens, key)?,
                "access token",
                "access tokens",
                &mut unreadable,
            ),
            environments: read_items(
                take(self.environments, key)?,
                "environment",
                "environments",
                &mut unreadable,
            ),
            groups: read_items(
                take(self.groups, key)?,
                "environment group",
                "environment groups",
                &mut unreadable,
            ),
            stacks: read_items(take(self.stacks, key)?, "stack", "stacks", &mut unreadable),
            status: Ok(status),
            system_version: take(self.version, key)?,
            generated_at: now_secs(),
            unreadable,
        };
        Some(build_report(&inputs))
    }
}

/// A list's items for the report; what could not be read becomes a note of its own.
fn read_items<T>(
    answer: Fetched<Listed<T>>,
    noun: &str,
    nouns: &str,
    unreadable: &mut Vec<String>,
) -> Fetched<Vec<T>> {
    answer.map(|listed| {
        unreadable.extend(listed.note(noun, nouns));
        listed.items
    })
}

/// The resource's answer if it belongs to `key`.
fn take<T: Clone + 'static>(resource: Fetching<Answer<T>>, key: Key) -> Option<T> {
    resource.with(|answer| match answer {
        Some(Some((k, value))) if *k == key => Some(value.clone()),
        _ => None,
    })
}
