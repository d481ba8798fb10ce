//! Where tokens and the instance list are kept in the browser: the list in localStorage, each
//! token under its own key (localStorage, or sessionStorage for "this tab only") bound to the
//! address it was saved for, and this tab's current instance in sessionStorage.

use super::instances::{token_key, Instance, Instances, StoredToken};
use super::storage::{self, StorageArea};

/// This tab's current instance: each tab keeps its own, and a reload keeps it.
const TAB_CURRENT_KEY: &str = "portlight.current";

fn area(instance: &Instance) -> StorageArea {
    if instance.remember {
        StorageArea::Local
    } else {
        StorageArea::Session
    }
}

/// The instance's token, if one was saved for its current address.
pub fn read(instance: &Instance) -> Option<String> {
    let stored = storage::get(area(instance), &instance.token_key())?;
    StoredToken::read_for(&stored, instance)
}

/// Saves the token for the instance's current address (and nowhere else).
pub fn save(instance: &Instance, token: &str) -> Result<(), String> {
    wipe(&instance.id);
    let bound = StoredToken {
        url: instance.url.clone(),
        token: token.to_string(),
    };
    storage::set_json(area(instance), &instance.token_key(), &bound)
}

/// Deletes a token wherever it may be (a "remember" change can leave a copy in the other area).
pub fn wipe(id: &str) {
    storage::remove(StorageArea::Local, &token_key(id));
    storage::remove(StorageArea::Session, &token_key(id));
}

/// The saved list, with this tab's own current instance (or the last used one for a new tab).
pub fn read_instances() -> Instances {
    let mut all: Instances =
        storage::get_json(StorageArea::Local, Instances::STORAGE_KEY).unwrap_or_default();
    if let Some(mine) = storage::get(StorageArea::Session, TAB_CURRENT_KEY) {
        if all.get(&mine).is_some() {
            all.current = Some(mine);
        }
    }
    if all.current().is_none() {
        all.current = None;
    }
    all
}

/// Writes the list (its `current` becomes the last used, for new tabs) and this tab's current.
pub fn write_instances(all: &Instances) -> Result<(), String> {
    match &all.current {
        Some(id) => storage::set(StorageArea::Session, TAB_CURRENT_KEY, id)?,
        None => storage::remove(StorageArea::Session, TAB_CURRENT_KEY),
    }
    storage::set_json(StorageArea::Local, Instances::STORAGE_KEY, all)
}

/// A fresh instance id: 64 random bits.
pub fn new_id() -> String {
    let half = || (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    super::instances::new_id(half() << 32 | half())
}
