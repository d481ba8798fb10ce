//! Who the token is among Portainer's users and teams: the viewer (for "may I act?") and the
//! names behind ids in ResourceControls. Fetched once per connection and shared by every page.
//!
//! Only calls that the token's role allows are made, so a standard user's browser console does
//! not fill with 403s: everyone may list their own teams and memberships; only admins list users.

use super::fetching::Fetching;
use super::{use_session, Connection};
use crate::domain::names::Names;
use crate::domain::viewer::Viewer;
use crate::portainer::{ApiError, Team, TeamMembership};
use leptos::prelude::*;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Directory {
    pub viewer: Option<Viewer>,
    pub names: Names,
    pub teams: Vec<Team>,
    pub memberships: Vec<TeamMembership>,
    /// A lookup that failed; names then fall back to "user #3".
    pub problem: Option<ApiError>,
}

#[derive(Clone, Copy)]
pub struct DirectoryResource(pub Fetching<Directory>);

pub fn use_directory() -> Fetching<Directory> {
    expect_context::<DirectoryResource>().0
}

/// Provides the directory; it loads again whenever the connection changes.
pub fn provide_directory() {
    let session = use_session();
    let resource = Fetching::new(move || {
        let client = session.client();
        let epoch = session.epoch_now();
        let identity = match session.connection.get() {
            Connection::Connected(identity) => Some(identity),
            _ => None,
        };
        async move {
            let (Some(client), Some(identity)) = (client, identity) else {
                return Directory::default();
            };
            let user = identity.user;
            let mut dir = Directory::default();
            let mut note = |err: ApiError| {
                session.note_error(epoch, &err);
                dir.problem.get_or_insert(err);
            };
            let memberships = client
                .user_memberships(user.id)
                .await
                .map(|l| l.items)
                .unwrap_or_else(|e| {
                    note(e);
                    Vec::new()
                });
            let teams = client.teams().await.map(|l| l.items).unwrap_or_else(|e| {
                note(e);
                Vec::new()
            });
            let users = if user.is_admin() {
                client.users().await.map(|l| l.items).unwrap_or_else(|e| {
                    note(e);
                    Vec::new()
                })
            } else {
                Vec::new()
            };
            let mut names = Names::new(&users, &teams);
            names.insert_user(user.id, &user.username);
            dir.viewer = Some(Viewer::new(&user, &memberships));
            dir.names = names;
            dir.teams = teams;
            dir.memberships = memberships;
            dir
        }
    });
    provide_context(DirectoryResource(resource));
}
