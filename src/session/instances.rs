//! Saved Portainer instances (name and URL; never the token, which lives under its own key so
//! "this tab only" can keep it in sessionStorage). Pure data, tested natively.

use crate::portainer::paths::normalize_base_url;
use serde::{Deserialize, Serialize};

/// One Portainer the operator connects to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: u32,
    pub name: String,
    /// Base URL without `/api`; empty means the page's own origin (the recommended set-up).
    pub url: String,
    /// true: the token is kept in localStorage; false: in sessionStorage, for this tab only.
    pub remember: bool,
}

impl Instance {
    /// The storage key of this instance's token.
    pub fn token_key(&self) -> String {
        token_key(self.id)
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

pub fn token_key(id: u32) -> String {
    format!("portlight.token.{id}")
}

/// The saved instances and which one is current.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instances {
    pub list: Vec<Instance>,
    pub current: Option<u32>,
}

impl Instances {
    pub const STORAGE_KEY: &'static str = "portlight.instances";

    pub fn current(&self) -> Option<&Instance> {
        let id = self.current?;
        self.list.iter().find(|i| i.id == id)
    }

    pub fn get(&self, id: u32) -> Option<&Instance> {
        self.list.iter().find(|i| i.id == id)
    }

    /// Saves an instance (or updates the one with the same address) and makes it current.
    /// Returns its id.
    pub fn upsert(&mut self, name: &str, url: &str, remember: bool, page_origin: &str) -> u32 {
        let url = same_origin_as_empty(&normalize_base_url(url), page_origin);
        let name = match name.trim() {
            "" => default_name(&url, page_origin),
            given => given.to_string(),
        };
        let id = match self.list.iter_mut().find(|i| i.url == url) {
            Some(existing) => {
                existing.name = name;
                existing.remember = remember;
                existing.id
            }
            None => {
                let id = self.list.iter().map(|i| i.id).max().unwrap_or(0) + 1;
                self.list.push(Instance {
                    id,
                    name,
                    url,
                    remember,
                });
                id
            }
        };
        self.current = Some(id);
        id
    }

    /// Edits name and address of an existing instance; false if it does not exist or another
    /// instance already has that address.
    pub fn edit(&mut self, id: u32, name: &str, url: &str, page_origin: &str) -> bool {
        let url = same_origin_as_empty(&normalize_base_url(url), page_origin);
        if self.list.iter().any(|i| i.id != id && i.url == url) {
            return false;
        }
        let Some(instance) = self.list.iter_mut().find(|i| i.id == id) else {
            return false;
        };
        instance.name = match name.trim() {
            "" => default_name(&url, page_origin),
            given => given.to_string(),
        };
        instance.url = url;
        true
    }

    /// Forgets an instance; if it was current, the first remaining one becomes current.
    pub fn remove(&mut self, id: u32) {
        self.list.retain(|i| i.id != id);
        if self.current == Some(id) {
            self.current = self.list.first().map(|i| i.id);
        }
    }

    pub fn switch(&mut self, id: u32) -> bool {
        let exists = self.list.iter().any(|i| i.id == id);
        if exists {
            self.current = Some(id);
        }
        exists
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://ops.example.com";

    #[test]
    fn the_page_origin_is_saved_as_same_origin_and_named_after_its_host() {
        let mut all = Instances::default();
        let id = all.upsert("", "https://ops.example.com/", true, ORIGIN);
        let saved = all.current().unwrap();
        assert_eq!(saved.id, id);
        assert_eq!(saved.url, "");
        assert_eq!(saved.name, "ops.example.com");
        assert_eq!(saved.display_url(ORIGIN), ORIGIN);
    }

    #[test]
    fn saving_the_same_address_again_updates_instead_of_duplicating() {
        let mut all = Instances::default();
        let a = all.upsert("prod", "https://portainer.prod:9443/api/", true, ORIGIN);
        let b = all.upsert("production", "https://portainer.prod:9443", false, ORIGIN);
        assert_eq!(a, b);
        assert_eq!(all.list.len(), 1);
        assert_eq!(all.list[0].name, "production");
        assert!(!all.list[0].remember);
        assert_eq!(all.list[0].url, "https://portainer.prod:9443");
    }

    #[test]
    fn removing_the_current_instance_falls_back_to_the_first() {
        let mut all = Instances::default();
        let a = all.upsert("a", "http://a:9000", true, ORIGIN);
        let b = all.upsert("b", "http://b:9000", true, ORIGIN);
        assert_eq!(all.current, Some(b));
        all.remove(b);
        assert_eq!(all.current, Some(a));
        all.remove(a);
        assert_eq!(all.current, None);
        assert!(all.current().is_none());
    }

    #[test]
    fn ids_are_never_reused_while_others_exist_and_switch_checks_existence() {
        let mut all = Instances::default();
        let a = all.upsert("a", "http://a", true, ORIGIN);
        let b = all.upsert("b", "http://b", true, ORIGIN);
        assert_ne!(a, b);
        assert!(all.switch(a));
        assert_eq!(all.current().unwrap().name, "a");
        assert!(!all.switch(99));
        assert_eq!(all.current, Some(a));
        assert_eq!(token_key(a), format!("portlight.token.{a}"));
    }

    #[test]
    fn edit_refuses_an_address_another_instance_has() {
        let mut all = Instances::default();
        let a = all.upsert("a", "http://a", true, ORIGIN);
        all.upsert("b", "http://b", true, ORIGIN);
        assert!(!all.edit(a, "a", "http://b/", ORIGIN));
        assert!(all.edit(a, "", "http://c:9000/", ORIGIN));
        assert_eq!(all.get(a).unwrap().name, "c:9000");
        assert!(!all.edit(42, "x", "http://x", ORIGIN));
    }

    #[test]
    fn unreadable_storage_json_is_rejected_not_half_read() {
        assert!(serde_json::from_str::<Instances>("{\"list\":[{\"id\":\"x\"}]}").is_err());
        let round: Instances = serde_json::from_str(
            &serde_json::to_string(&{
                let mut all = Instances::default();
                all.upsert("a", "http://a", false, ORIGIN);
                all
            })
            .unwrap(),
        )
        .unwrap();
        assert_eq!(round.list[0].url, "http://a");
        assert!(!round.list[0].remember);
    }
}
