//! The session context: which Portainer, which token, who it is, and the operator's
//! preferences. Pages read it with [`use_session`] and get a [`Client`] from it.
//!
//! Every change of client (connect, switch, a new token, sign out, an edit or another tab's
//! change to the current instance) starts a new connection generation, the `epoch`. Anything
//! that goes to Portainer carries the epoch it started in; an answer that comes back in another
//! one belongs to a connection that is no longer current and is dropped, and an action whose
//! page was loaded in another one is not sent.

use super::fetching::Fetching;
use super::identity::{identify, Identity};
use super::instances::{Edit, Instances};
use super::preferences::Preferences;
use super::storage::{self, StorageArea};
use super::tokens;
use crate::portainer::{check_token, ApiError, Client};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

#[derive(Clone, Debug, PartialEq)]
pub enum Connection {
    /// No token for the current instance.
    Disconnected,
    Checking,
    Connected(Identity),
    Failed(ApiError),
}

/// Portainer rejected a token that had worked: for which instance, and what it said.
#[derive(Clone, Debug, PartialEq)]
pub struct Expired {
    pub instance_id: String,
    pub instance_name: String,
    pub error: ApiError,
}

#[derive(Clone, Copy)]
pub struct Session {
    /// The saved instances; `current` is this tab's.
    pub instances: RwSignal<Instances>,
    token: RwSignal<Option<String>>,
    pub connection: RwSignal<Connection>,
    pub preferences: RwSignal<Preferences>,
    /// Set when Portainer rejects a token that had worked: the page keeps its route and the
    /// operator is asked for a new token for that instance.
    pub expired: RwSignal<Option<Expired>>,
    /// The connection's generation (see the module's comment). Pages that track it fetch again.
    pub epoch: RwSignal<u32>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The page's own origin, e.g. `http://127.0.0.1:9000`: the default Portainer address.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

impl Session {
    /// Reads storage and provides the session; checks a stored token in the background and
    /// follows other tabs' changes to the saved instances and tokens.
    pub fn provide() -> Session {
        let instances = tokens::read_instances();
        let preferences: Preferences =
            storage::get_json::<Preferences>(StorageArea::Local, Preferences::STORAGE_KEY)
                .unwrap_or_default()
                .clamped();
        let token = instances.current().and_then(tokens::read);
        let session = Session {
            connection: RwSignal::new(Connection::Disconnected),
            instances: RwSignal::new(instances),
            token: RwSignal::new(token),
            preferences: RwSignal::new(preferences),
            expired: RwSignal::new(None),
            epoch: RwSignal::new(0),
        };
        provide_context(session);
        session.verify();
        // Another tab added, edited or forgot an instance, or changed a token.
        let _ = window_event_listener_untyped("storage", move |_| session.reload());
        session
    }

    pub fn current(&self) -> Option<super::Instance> {
        self.instances.with(|i| i.current().cloned())
    }

    pub fn has_token(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// A client for the current instance and token (reactive: pages that call it inside a
    /// resource fetch again when the connection changes).
    pub fn client(&self) -> Option<Client> {
        self.epoch.track();
        let timeout_ms = self.preferences.with(|s| s.timeout_secs) * 1000;
        let url = self
            .instances
            .with(|i| i.current().map(|c| c.url.clone()))?;
        self.token.with(|t| {
            t.as_deref()
                .map(|t| Client::new(&url, t).with_timeout_ms(timeout_ms))
        })
    }

    /// The current generation, without tracking it.
    pub fn epoch_now(&self) -> u32 {
        self.epoch.get_untracked()
    }

    /// The client, only while the connection is still the one of `epoch`.
    pub fn client_for(&self, epoch: u32) -> Option<Client> {
        if self.epoch_now() == epoch {
            untrack(|| self.client())
        } else {
            None
        }
    }

    pub fn identity(&self) -> Option<Identity> {
        self.connection.with(|c| match c {
            Connection::Connected(id) => Some(id.clone()),
            _ => None,
        })
    }

    pub fn read_only(&self) -> bool {
        self.preferences.with(|s| s.read_only)
    }

    /// Starts a new connection generation: every answer still on its way is dropped.
    fn next_epoch(&self) {
        self.epoch.update(|e| *e = e.wrapping_add(1));
        self.expired.set(None);
    }

    /// Re-checks the current token (at start and after a switch). An answer for a connection
    /// that is no longer current is dropped.
    pub fn verify(&self) {
        let epoch = self.epoch_now();
        let Some(client) = self.client_for(epoch) else {
            self.connection.set(Connection::Disconnected);
            return;
        };
        self.connection.set(Connection::Checking);
        let session = *self;
        spawn_local(async move {
            let result = identify(&client).await;
            if session.epoch_now() != epoch {
                return;
            }
            session.connection.set(match result {
                Ok(identity) => Connection::Connected(identity),
                Err(err) => Connection::Failed(err),
            });
        });
    }

    fn new_client(&self, url: &str, token: &str) -> Result<Client, ApiError> {
        check_token(token)?;
        let timeout_ms = self.preferences.with_untracked(|p| p.timeout_secs) * 1000;
        Ok(Client::new(url, token).with_timeout_ms(timeout_ms))
    }

    /// Connects a new instance: nothing is saved unless Portainer accepts the token. Saving
    /// another connection to the same Portainer (another user's token) keeps the first one.
    pub async fn connect(
        &self,
        name: String,
        url: String,
        token: String,
        remember: bool,
    ) -> Result<Identity, ApiError> {
        let token = token.trim().to_string();
        let client = self.new_client(&url, &token)?;
        let identity = identify(&client).await?;
        let id = tokens::new_id();
        let origin = page_origin();
        self.change_instances(|all| all.add(id.clone(), &name, &url, remember, &origin));
        self.adopt(&id, token, identity.clone());
        Ok(identity)
    }

    /// Gives an instance a new token (after Portainer rejected the old one, or after its
    /// address changed), checked against that instance's own address first.
    pub async fn renew(&self, id: &str, token: String) -> Result<Identity, ApiError> {
        let token = token.trim().to_string();
        let instance = self
            .instances
            .with_untracked(|all| all.get(id).cloned())
            .ok_or(ApiError::NotConnected)?;
        let client = self.new_client(&instance.url, &token)?;
        let identity = identify(&client).await?;
        // Saved only if the instance still has the address the token was checked against.
        let still_there = self
            .instances
            .with_untracked(|all| all.get(id).is_some_and(|i| i.url == instance.url));
        if !still_there {
            return Err(ApiError::NotConnected);
        }
        self.adopt(id, token, identity.clone());
        Ok(identity)
    }

    /// Saves a checked token for `id` and, if it is this tab's current instance, connects.
    fn adopt(&self, id: &str, token: String, identity: Identity) {
        let Some(instance) = self.instances.with_untracked(|all| all.get(id).cloned()) else {
            return;
        };
        if let Err(message) = tokens::save(&instance, &token) {
            // Still usable for this page's lifetime; the page says why it won't persist.
            leptos::logging::warn!("Portlight could not save the token: {message}");
        }
        if self.instances.with_untracked(|all| all.is_current(id)) {
            self.token.set(Some(token));
            self.next_epoch();
            self.connection.set(Connection::Connected(identity));
        }
    }

    /// Forgets the current instance's token (only this instance's).
    pub fn sign_out(&self) {
        if let Some(current) = self.current() {
            tokens::wipe(&current.id);
        }
        self.token.set(None);
        self.next_epoch();
        self.connection.set(Connection::Disconnected);
    }

    /// Makes another saved instance current in this tab and checks its token, if it has one.
    pub fn switch(&self, id: &str) {
        if self.instances.with_untracked(|all| all.is_current(id)) {
            return;
        }
        if self.change_instances(|all| {
            all.switch(id);
        }) {
            self.use_current_token();
        }
    }

    /// Removes a saved instance and its token.
    pub fn forget(&self, id: &str) {
        tokens::wipe(id);
        super::drafts::discard_all(id);
        let was_current = self.instances.with_untracked(|all| all.is_current(id));
        self.change_instances(|all| all.remove(id));
        if was_current {
            self.use_current_token();
        }
    }

    /// Renames or moves a saved instance. A move forgets its token: the token was given for
    /// the old address and is never sent to the new one; the operator gives it again.
    pub fn edit(&self, id: &str, name: &str, url: &str) -> Edit {
        let origin = page_origin();
        let mut outcome = Edit::Missing;
        self.change_instances(|all| outcome = all.edit(id, name, url, &origin));
        if outcome == Edit::Moved {
            tokens::wipe(id);
            if self.instances.with_untracked(|all| all.is_current(id)) {
                self.use_current_token();
            }
        }
        outcome
    }

    /// Whether the instance has a token saved for its address (for the instance list).
    pub fn has_saved_token(&self, id: &str) -> bool {
        self.instances
            .with(|all| all.get(id).and_then(tokens::read))
            .is_some()
    }

    /// The current instance's stored token becomes the client's, in a new generation.
    fn use_current_token(&self) {
        let token = self
            .instances
            .with_untracked(|all| all.current().and_then(tokens::read));
        self.token.set(token);
        self.next_epoch();
        self.verify();
    }

    /// Another tab changed the saved instances or a token: take the list, keep this tab's
    /// current instance if it still exists, and reconnect only if its address or token changed.
    fn reload(&self) {
        let mut fresh = tokens::read_instances();
        let mine = self.instances.with_untracked(|all| all.current.clone());
        if let Some(id) = mine.filter(|id| fresh.get(id).is_some()) {
            fresh.current = Some(id);
        }
        let token = fresh.current().and_then(tokens::read);
        let same_place = self.instances.with_untracked(|all| {
            all.current().map(|i| (&i.id, &i.url)) == fresh.current().map(|i| (&i.id, &i.url))
        });
        let same_token = self.token.with_untracked(|t| *t == token);
        self.instances.set(fresh);
        if !(same_place && same_token) {
            self.token.set(token);
            self.next_epoch();
            self.verify();
        }
    }

    /// Applies `change` to the latest saved list (another tab may have changed it), saves it,
    /// and publishes it. Returns false if nothing could be saved.
    fn change_instances(&self, change: impl FnOnce(&mut Instances)) -> bool {
        let mut all = tokens::read_instances();
        all.current = self.instances.with_untracked(|i| i.current.clone());
        change(&mut all);
        let saved = tokens::write_instances(&all);
        if let Err(message) = &saved {
            leptos::logging::warn!("Portlight could not save the connections: {message}");
        }
        self.instances.set(all);
        saved.is_ok()
    }

    pub fn save_preferences(&self, preferences: Preferences) -> Result<(), String> {
        let preferences = preferences.clamped();
        let result = storage::set_json(StorageArea::Local, Preferences::STORAGE_KEY, &preferences);
        self.preferences.set(preferences);
        result
    }

    /// Pages pass every failed request here with the epoch it was sent in: a rejected token of
    /// the current connection asks for a new token instead of leaving the page broken; an
    /// answer for an older connection is ignored.
    pub fn note_error(&self, epoch: u32, err: &ApiError) {
        if !err.is_auth_failure() || epoch != self.epoch_now() || !self.has_token() {
            return;
        }
        if let Some(instance) = self.current() {
            self.expired.set(Some(Expired {
                instance_id: instance.id,
                instance_name: instance.name,
                error: err.clone(),
            }));
        }
    }

    /// `result`, after noting its error (see [`Session::note_error`]).
    pub fn checked<T>(&self, epoch: u32, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(err) = &result {
            self.note_error(epoch, err);
        }
        result
    }

    /// A resource that asks Portainer through the current connection's client: it runs again
    /// when the connection changes (and when signals `call` reads before its future do), and
    /// notes a rejected token. Without a token it fails with [`ApiError::NotConnected`]. An
    /// answer for a connection that is no longer current is dropped (the resource has already
    /// started again for the new one).
    pub fn resource<T, Fut>(
        self,
        call: impl Fn(Client) -> Fut + 'static,
    ) -> Fetching<Result<T, ApiError>>
    where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        Fetching::new(move || {
            let pending = self.client().map(&call);
            let epoch = self.epoch_now();
            async move {
                match pending {
                    Some(answer) => self.checked(epoch, answer.await),
                    None => Err(ApiError::NotConnected),
                }
            }
        })
    }
}
