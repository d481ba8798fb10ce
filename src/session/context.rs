//! The session context: which Portainer, which token, who it is, and the operator's settings.
//! Pages read it with [`use_session`] and get a [`Client`] from it.

use super::instances::{token_key, Instance, Instances};
use super::preferences::Preferences;
use super::storage::{self, StorageArea};
use crate::portainer::{ApiError, Client, ServerVersion, Status, User};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// Who the token is, on which Portainer.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    pub status: Status,
    pub version: Option<ServerVersion>,
    pub user: User,
}

impl Identity {
    /// "Connected to Portainer 2.23.0 as admin (administrator)".
    pub fn summary(&self) -> String {
        format!(
            "Connected to Portainer {} as {} ({})",
            display_version(&self.status.version),
            self.user.username,
            role_label(&self.user)
        )
    }

    /// "admin (administrator) · Portainer 2.23.0", for the top bar.
    pub fn short(&self) -> String {
        format!(
            "{} ({}) · Portainer {}",
            self.user.username,
            role_label(&self.user),
            display_version(&self.status.version)
        )
    }
}

pub fn display_version(version: &str) -> &str {
    if version.is_empty() {
        "(unknown version)"
    } else {
        version
    }
}

pub fn role_label(user: &User) -> &'static str {
    if user.is_admin() {
        "administrator"
    } else {
        "standard user"
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Connection {
    /// No token for the current instance.
    Disconnected,
    Checking,
    Connected(Identity),
    Failed(ApiError),
}

#[derive(Clone, Copy)]
pub struct Session {
    pub instances: RwSignal<Instances>,
    token: RwSignal<Option<String>>,
    pub connection: RwSignal<Connection>,
    pub preferences: RwSignal<Preferences>,
    /// Set when Portainer rejects a token that had worked: the page keeps its route and the
    /// operator is asked for a new token.
    pub expired: RwSignal<Option<ApiError>>,
    /// Bumped when the client changes (switch, new token) so pages fetch again.
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

fn token_area(instance: &Instance) -> StorageArea {
    if instance.remember {
        StorageArea::Local
    } else {
        StorageArea::Session
    }
}

fn stored_token(instance: &Instance) -> Option<String> {
    storage::get(token_area(instance), &instance.token_key()).filter(|t| !t.trim().is_empty())
}

/// Deletes a token wherever it may be (a "remember" change can leave a copy in the other area).
fn wipe_token(id: u32) {
    storage::remove(StorageArea::Local, &token_key(id));
    storage::remove(StorageArea::Session, &token_key(id));
}

/// Checks a token against a Portainer: public status first (so an unreachable server or a
/// wrong address is told apart from a bad token), then the token's user.
pub async fn identify(client: &Client) -> Result<Identity, ApiError> {
    let status = client.system_status().await?;
    let version = ServerVersion::parse(&status.version);
    let user = client.current_user(version).await?;
    Ok(Identity {
        status,
        version,
        user,
    })
}

impl Session {
    /// Reads storage and provides the session; checks a stored token in the background.
    pub fn provide() -> Session {
        let instances: Instances =
            storage::get_json(StorageArea::Local, Instances::STORAGE_KEY).unwrap_or_default();
        let preferences: Preferences =
            storage::get_json::<Preferences>(StorageArea::Local, Preferences::STORAGE_KEY)
                .unwrap_or_default()
                .clamped();
        let token = instances.current().and_then(stored_token);
        let session = Session {
            connection: RwSignal::new(if token.is_some() {
                Connection::Checking
            } else {
                Connection::Disconnected
            }),
            instances: RwSignal::new(instances),
            token: RwSignal::new(token),
            preferences: RwSignal::new(preferences),
            expired: RwSignal::new(None),
            epoch: RwSignal::new(0),
        };
        provide_context(session);
        session.verify();
        session
    }

    pub fn current(&self) -> Option<Instance> {
        self.instances.with(|i| i.current().cloned())
    }

    pub fn has_token(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// A client for the current instance and token (reactive: pages that call it inside a
    /// resource fetch again when it changes).
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

    pub fn identity(&self) -> Option<Identity> {
        self.connection.with(|c| match c {
            Connection::Connected(id) => Some(id.clone()),
            _ => None,
        })
    }

    pub fn read_only(&self) -> bool {
        self.preferences.with(|s| s.read_only)
    }

    /// Re-checks the stored token (at start and after a switch).
    pub fn verify(&self) {
        let Some(client) = self.client_untracked() else {
            self.connection.set(Connection::Disconnected);
            return;
        };
        self.connection.set(Connection::Checking);
        let session = *self;
        spawn_local(async move {
            let result = identify(&client).await;
            session.connection.set(match result {
                Ok(identity) => Connection::Connected(identity),
                Err(err) => Connection::Failed(err),
            });
        });
    }

    fn client_untracked(&self) -> Option<Client> {
        untrack(|| self.client())
    }

    /// Connects with a new address and token: nothing is saved unless Portainer accepts it.
    pub async fn connect(
        &self,
        name: String,
        url: String,
        token: String,
        remember: bool,
    ) -> Result<Identity, ApiError> {
        let timeout_ms = self.preferences.get_untracked().timeout_secs * 1000;
        let client = Client::new(&url, &token).with_timeout_ms(timeout_ms);
        let identity = identify(&client).await?;
        let origin = page_origin();
        let mut instances = self.instances.get_untracked();
        let id = instances.upsert(&name, &url, remember, &origin);
        let saved = self.save_instances(&instances).and_then(|()| {
            wipe_token(id);
            let instance = instances.get(id).expect("just saved");
            storage::set(token_area(instance), &instance.token_key(), token.trim())
        });
        if let Err(message) = saved {
            // Still usable for this page's lifetime; the page says why it won't persist.
            leptos::logging::warn!("Portlight could not save the connection: {message}");
        }
        self.instances.set(instances);
        self.token.set(Some(token.trim().to_string()));
        self.expired.set(None);
        self.connection.set(Connection::Connected(identity.clone()));
        self.epoch.update(|e| *e += 1);
        Ok(identity)
    }

    /// Replaces a rejected token of the current instance and resumes the same view.
    pub async fn renew(&self, token: String) -> Result<Identity, ApiError> {
        let current = self.current().ok_or(ApiError::NotConnected)?;
        self.connect(current.name, current.url, token, current.remember)
            .await
    }

    /// Forgets the current instance's token (only this instance's).
    pub fn sign_out(&self) {
        if let Some(current) = self.current() {
            wipe_token(current.id);
        }
        self.token.set(None);
        self.expired.set(None);
        self.connection.set(Connection::Disconnected);
        self.epoch.update(|e| *e += 1);
    }

    /// Makes another saved instance current and checks its token, if it has one.
    pub fn switch(&self, id: u32) {
        let mut instances = self.instances.get_untracked();
        if !instances.switch(id) {
            return;
        }
        let _ = self.save_instances(&instances);
        let token = instances.current().and_then(stored_token);
        self.instances.set(instances);
        self.token.set(token);
        self.expired.set(None);
        self.epoch.update(|e| *e += 1);
        self.verify();
    }

    /// Removes a saved instance and its token.
    pub fn forget(&self, id: u32) {
        wipe_token(id);
        let was_current = self.instances.with_untracked(|i| i.current == Some(id));
        self.instances.update(|i| i.remove(id));
        let _ = self.save_instances(&self.instances.get_untracked());
        if was_current {
            let token = self
                .instances
                .with_untracked(|i| i.current().and_then(stored_token));
            self.token.set(token);
            self.epoch.update(|e| *e += 1);
            self.verify();
        }
    }

    /// Renames or moves a saved instance; false when the address is already saved.
    pub fn edit(&self, id: u32, name: &str, url: &str) -> bool {
        let mut instances = self.instances.get_untracked();
        if !instances.edit(id, name, url, &page_origin()) {
            return false;
        }
        let _ = self.save_instances(&instances);
        let is_current = instances.current == Some(id);
        self.instances.set(instances);
        if is_current {
            self.epoch.update(|e| *e += 1);
            self.verify();
        }
        true
    }

    pub fn save_preferences(&self, preferences: Preferences) -> Result<(), String> {
        let preferences = preferences.clamped();
        let result = storage::set_json(StorageArea::Local, Preferences::STORAGE_KEY, &preferences);
        self.preferences.set(preferences);
        result
    }

    fn save_instances(&self, instances: &Instances) -> Result<(), String> {
        storage::set_json(StorageArea::Local, Instances::STORAGE_KEY, instances)
    }

    /// Pages pass every failed request here: a rejected token after a working session asks
    /// for a new token instead of leaving the page broken.
    pub fn note_error(&self, err: &ApiError) {
        if err.is_auth_failure() && self.has_token() {
            self.expired.set(Some(err.clone()));
        }
    }

    /// A resource that asks Portainer through the current connection's client: it runs again
    /// when the connection changes (and when signals `call` reads before its future do), and
    /// notes a rejected token. Without a token it fails with [`ApiError::NotConnected`].
    pub fn resource<T, Fut>(
        self,
        call: impl Fn(Client) -> Fut + 'static,
    ) -> LocalResource<Result<T, ApiError>>
    where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        LocalResource::new(move || {
            let pending = self.client().map(&call);
            async move {
                match pending {
                    Some(answer) => self.checked(answer.await),
                    None => Err(ApiError::NotConnected),
                }
            }
        })
    }

    /// `result`, after noting its error (see [`Session::note_error`]).
    pub fn checked<T>(&self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(err) = &result {
            self.note_error(err);
        }
        result
    }
}
