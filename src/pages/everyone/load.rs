//! The lists the matrix is built from: one request each, side by side, never one per user.
//! Roles are asked only by administrators (others get 403).

use crate::domain::access::everyone::EveryoneInputs;
use crate::portainer::{
    ApiError, EndpointGroup, EndpointQuery, Environment, Listed, Role, Stack, Team, TeamMembership,
    User,
};
use crate::session::fetching::Fetching;
use crate::session::Session;

type Answer<T> = Fetching<Result<Listed<T>, ApiError>>;

#[derive(Clone, Copy)]
pub struct Lists {
    users: Answer<User>,
    teams: Answer<Team>,
    memberships: Answer<TeamMembership>,
    environments: Answer<Environment>,
    groups: Answer<EndpointGroup>,
    stacks: Answer<Stack>,
    roles: Answer<Role>,
}

/// Everything fetched, as plain lists, and what could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    pub memberships: Vec<TeamMembership>,
    pub environments: Vec<Environment>,
    pub groups: Vec<EndpointGroup>,
    pub stacks: Vec<Stack>,
    pub roles: Vec<Role>,
    /// Items left out of a list, in words.
    pub unreadable: Vec<String>,
}

impl Loaded {
    /// The lists as the matrix's derivation takes them.
    pub fn inputs(&self) -> EveryoneInputs<'_> {
        EveryoneInputs {
            users: &self.users,
            teams: &self.teams,
            memberships: &self.memberships,
            environments: &self.environments,
            groups: &self.groups,
            stacks: &self.stacks,
            roles: &self.roles,
        }
    }
}

impl Lists {
    pub fn new(session: Session, admin: bool) -> Self {
        let s = session;
        Self {
            users: s.resource(|c| async move { c.users().await }),
            teams: s.resource(|c| async move { c.teams().await }),
            memberships: s.resource(|c| async move { c.team_memberships().await }),
            environments: s.resource(|c| async move {
                let page = c.endpoints(&EndpointQuery::default()).await?;
                Ok(page.environments)
            }),
            groups: s.resource(|c| async move { c.endpoint_groups().await }),
            stacks: s.resource(|c| async move { c.stacks().await }),
            roles: s.resource(move |c| async move {
                if admin {
                    c.roles().await
                } else {
                    Ok(Listed::new(Vec::new()))
                }
            }),
        }
    }

    /// Every list once all have answered; the first failure, named, otherwise.
    pub fn loaded(&self) -> Option<Result<Loaded, (&'static str, ApiError)>> {
        let users = self.users.get()?;
        let teams = self.teams.get()?;
        let memberships = self.memberships.get()?;
        let environments = self.environments.get()?;
        let groups = self.groups.get()?;
        let stacks = self.stacks.get()?;
        let roles = self.roles.get()?;
        let mut u = Vec::new();
        let result = (|| {
            Ok(Loaded {
                users: items(users, "Listing users", "user", "users", &mut u)?,
                teams: items(teams, "Listing teams", "team", "teams", &mut u)?,
                memberships: items(
                    memberships,
                    "Listing team memberships",
                    "team membership",
                    "team memberships",
                    &mut u,
                )?,
                environments: items(
                    environments,
                    "Listing environments",
                    "environment",
                    "environments",
                    &mut u,
                )?,
                groups: items(
                    groups,
                    "Listing environment groups",
                    "environment group",
                    "environment groups",
                    &mut u,
                )?,
                stacks: items(stacks, "Listing stacks", "stack", "stacks", &mut u)?,
                roles: items(roles, "Listing roles", "role", "roles", &mut u)?,
                unreadable: Vec::new(),
            })
        })();
        Some(result.map(|mut loaded: Loaded| {
            loaded.unreadable = u;
            loaded
        }))
    }
}

/// A list's items; what could not be read becomes a sentence.
fn items<T>(
    answer: Result<Listed<T>, ApiError>,
    what: &'static str,
    noun: &str,
    nouns: &str,
    unreadable: &mut Vec<String>,
) -> Result<Vec<T>, (&'static str, ApiError)> {
    let listed = answer.map_err(|e| (what, e))?;
    unreadable.extend(listed.note(noun, nouns));
    Ok(listed.items)
}
