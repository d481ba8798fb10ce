//! Saved Portainer instances (name and URL; never the token, which lives under its own key so
//! "this tab only" can keep it in sessionStorage) and the token bound to the exact address it
//! was saved for. Pure data, tested natively.
//!
//! An instance is identified by its own random id, never by its URL: two connections to one
//! Portainer (an administrator's token and a standard user's, to compare them) are normal.
//! Ids are random so that two tabs adding an instance at the same moment cannot both take
//! "the next number" and later read each other's token.

use crate::portainer::paths::normalize_base_url;
use serde::{Deserialize, Deserializer, Serialize};

/// One Portainer the operator connects to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Random, unique across tabs and devices (older saves used small numbers: read as text).
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    pub name: String,
    /// Base URL without `/api`; empty means the page's own origin (the recommended set-up).
    pub url: String,
    /// true: the token is kept in localStorage; false: in sessionStorage, for this tab only.
    pub remember: bool,
}

impl Instance {
    /// The storage key of this instance's token.
    pub fn token_key(&self) -> String {
        token_key(&self.id)
    }

    /// What the operator sees as the address: the URL, or the page's origin for "".
    pub fn display_url<'a>(&'a self, page_origin: &'a str) -> &'a str {
        if self.url.is_empty() {
            page_origin
        } else {
            &self.url
        }
    }
}

pub fn token_key(id: &str) -> String {
    format!("portlight.token.{id}")
}

/// A token as stored: with the exact address it was given for. It is used only while the
/// instance still has that address, so a changed URL (in this tab or another) never receives
/// a token meant for somewhere else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// The instance's `url` when the token was saved ("" = the page's own origin).
    pub url: String,
    pub token: String,
}

impl StoredToken {
    /// The token, if it was saved for `instance`'s current address. Anything unreadable is no
    /// token at all.
    pub fn read_for(stored: &str, instance: &Instance) -> Option<String> {
        let bound: StoredToken = serde_json::from_str(stored).ok()?;
        (bound.url == instance.url && !bound.token.trim().is_empty()).then_some(bound.token)
    }
}

/// The saved instances, and which one was used last (the one a new tab starts with; each tab
/// then keeps its own current instance).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instances {
    pub list: Vec<Instance>,
    #[serde(default, deserialize_with = "optional_id_text")]
    pub current: Option<String>,
}

impl Instances {
    pub const STORAGE_KEY: &'static str = "portlight.instances";

    pub fn current(&self) -> Option<&Instance> {
        self.get(self.current.as_deref()?)
    }

    pub fn get(&self, id: &str) -> Option<&Instance> {
        self.list.iter().find(|i| i.id == id)
    }

    pub fn is_current(&self, id: &str) -> bool {
        self.current.as_deref() == Some(id)
    }

    /// Saves a new instance under `id` (fresh and random) and makes it current.
    pub fn add(&mut self, id: String, name: &str, url: &str, remember: bool, page_origin: &str) {
        let url = same_origin_as_empty(&normalize_base_url(url), page_origin);
        let name = match name.trim() {
            "" => default_name(&url, page_origin),
            given => given.to_string(),
        };
        self.list.retain(|i| i.id != id);
        self.list.push(Instance {
            id: id.clone(),
            name,
            url,
            remember,
        });
        self.current = Some(id);
    }

    /// Changes where the instance's token is kept (this device or this tab).
    pub fn set_remember(&mut self, id: &str, remember: bool) {
        if let Some(instance) = self.list.iter_mut().find(|i| i.id == id) {
            instance.remember = remember;
        }
    }

    /// Renames or moves an instance. `Moved` means the address changed: its token was for the
    /// old address and must not be sent to the new one.
    pub fn edit(&mut self, id: &str, name: &str, url: &str, page_origin: &str) -> Edit {
        let url = same_origin_as_empty(&normalize_base_url(url), page_origin);
        let Some(instance) = self.list.iter_mut().find(|i| i.id == id) else {
            return Edit::Missing;
        };
        instance.name = match name.trim() {
            "" => default_name(&url, page_origin),
            given => given.to_string(),
        };
        if instance.url == url {
            Edit::Renamed
        } else {
            instance.url = url;
            Edit::Moved
        }
    }

    /// Forgets an instance; if it was current, the first remaining one becomes current.
    pub fn remove(&mut self, id: &str) {
        self.list.retain(|i| i.id != id);
        if self.is_current(id) {
            self.current = self.list.first().map(|i| i.id.clone());
        }
    }

    pub fn switch(&mut self, id: &str) -> bool {
        let exists = self.get(id).is_some();
        if exists {
            self.current = Some(id.to_string());
        }
        exists
    }
}

/// What [`Instances::edit`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Renamed,
    /// The address changed: the token must be given again.
    Moved,
    Missing,
}

/// An id from 64 random bits, as 16 hex digits.
pub fn new_id(random: u64) -> String {
    format!("{random:016x}")
}

/// An address equal to the page's own origin is stored as "" so the saved instance keeps
/// working when Portlight moves host name behind the same proxy.
fn same_origin_as_empty(url: &str, page_origin: &str) -> String {
    if url.eq_ignore_ascii_case(page_origin.trim_end_matches('/')) {
        String::new()
    } else {
        url.to_string()
    }
}

/// "This server" for the page's own origin, else the host (and port) of the URL.
pub fn default_name(url: &str, page_origin: &str) -> String {
    if url.is_empty() {
        let host = host_of(page_origin);
        return if host.is_empty() {
            "This server".to_string()
        } else {
            host.to_string()
        };
    }
    host_of(url).to_string()
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Ids were numbers before they were random: both read as text.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdText {
    Text(String),
    Number(u64),
}

impl From<IdText> for String {
    fn from(id: IdText) -> Self {
        match id {
            IdText::Text(text) => text,
            IdText::Number(n) => n.to_string(),
        }
    }
}

fn id_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    IdText::deserialize(deserializer).map(String::from)
}

fn optional_id_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<IdText>::deserialize(deserializer)?.map(String::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://ops.example.com";

    fn added(all: &mut Instances, id: &str, name: &str, url: &str) -> String {
        all.add(id.into(), name, url, true, ORIGIN);
        id.into()
    }

    #[test]
    fn the_page_origin_is_saved_as_same_origin_and_named_after_its_host() {
        let mut all = Instances::default();
        let id = added(&mut all, "a1", "", "https://ops.example.com/");
        let saved = all.current().unwrap();
        assert_eq!(saved.id, id);
        assert_eq!(saved.url, "");
        assert_eq!(saved.name, "ops.example.com");
        assert_eq!(saved.display_url(ORIGIN), ORIGIN);
    }

    #[test]
    fn two_connections_to_one_portainer_are_both_kept() {
        let mut all = Instances::default();
        let admin = added(
            &mut all,
            "a1",
            "prod (admin)",
            "https://portainer.prod:9443/api/",
        );
        let user = added(&mut all, "b2", "prod (bob)", "https://portainer.prod:9443");
        assert_eq!(all.list.len(), 2);
        assert_eq!(all.get(&admin).unwrap().name, "prod (admin)");
        assert_eq!(all.get(&user).unwrap().url, "https://portainer.prod:9443");
        assert_eq!(all.current.as_deref(), Some("b2"));
        assert_ne!(token_key(&admin), token_key(&user));
    }

    #[test]
    fn removing_the_current_instance_falls_back_to_the_first() {
        let mut all = Instances::default();
        let a = added(&mut all, "a", "a", "http://a:9000");
        let b = added(&mut all, "b", "b", "http://b:9000");
        assert!(all.is_current(&b));
        all.remove(&b);
        assert!(all.is_current(&a));
        all.remove(&a);
        assert_eq!(all.current, None);
        assert!(all.current().is_none());
    }

    #[test]
    fn switch_checks_existence() {
        let mut all = Instances::default();
        let a = added(&mut all, "a", "a", "http://a");
        added(&mut all, "b", "b", "http://b");
        assert!(all.switch(&a));
        assert_eq!(all.current().unwrap().name, "a");
        assert!(!all.switch("nope"));
        assert!(all.is_current(&a));
    }

    #[test]
    fn editing_the_address_is_a_move_that_unbinds_the_token() {
        let mut all = Instances::default();
        let a = added(&mut all, "a", "a", "http://a");
        let token = serde_json::to_string(&StoredToken {
            url: "http://a".into(),
            token: "ptr_secret".into(),
        })
        .unwrap();
        assert_eq!(
            StoredToken::read_for(&token, all.get(&a).unwrap()).as_deref(),
            Some("ptr_secret")
        );
        assert_eq!(all.edit(&a, "renamed", "http://a/", ORIGIN), Edit::Renamed);
        assert_eq!(all.get(&a).unwrap().name, "renamed");
        assert_eq!(all.edit(&a, "", "http://c:9000/", ORIGIN), Edit::Moved);
        assert_eq!(all.get(&a).unwrap().name, "c:9000");
        // The token saved for http://a is not read for http://c:9000.
        assert_eq!(StoredToken::read_for(&token, all.get(&a).unwrap()), None);
        assert_eq!(all.edit("zz", "x", "http://x", ORIGIN), Edit::Missing);
    }

    #[test]
    fn a_token_without_its_address_is_no_token() {
        let mut all = Instances::default();
        let a = added(&mut all, "a", "a", "http://a");
        let instance = all.get(&a).unwrap();
        for stored in [
            "ptr_plain_legacy",
            "",
            "{}",
            "{\"url\":\"http://a\",\"token\":\" \"}",
        ] {
            assert_eq!(StoredToken::read_for(stored, instance), None, "{stored}");
        }
    }

    #[test]
    fn ids_are_random_hex_and_older_numeric_ids_still_read() {
        assert_eq!(new_id(0xfeed), "000000000000feed");
        assert_ne!(new_id(1), new_id(2));
        let old: Instances = serde_json::from_str(
            r#"{"list":[{"id":3,"name":"a","url":"http://a","remember":false}],"current":3}"#,
        )
        .unwrap();
        assert_eq!(old.current().unwrap().id, "3");
        assert_eq!(old.current().unwrap().token_key(), "portlight.token.3");
        let round: Instances = serde_json::from_str(&serde_json::to_string(&old).unwrap()).unwrap();
        assert_eq!(round, old);
        assert!(serde_json::from_str::<Instances>("{\"list\":[{\"id\":[1]}]}").is_err());
    }
}
