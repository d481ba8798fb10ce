//! Unsent edits, kept where the instance keeps its token's remembering choice: localStorage
//! for a remembered instance, sessionStorage for "this tab only". A draft holds the file and
//! variables, never the token.

use super::storage::{self, StorageArea};
use super::Instance;
use crate::domain::draft::{draft_key, Draft, DRAFT_PREFIX};

fn area(instance: &Instance) -> StorageArea {
    if instance.remember {
        StorageArea::Local
    } else {
        StorageArea::Session
    }
}

/// The instance's draft for the stack; an unreadable one counts as none.
pub fn load(instance: &Instance, stack_id: u32) -> Option<Draft> {
    storage::get_json::<Draft>(area(instance), &draft_key(&instance.id, stack_id))
        .filter(|d| d.stack_id == stack_id)
}

/// Keeps the draft, or removes it when it changes nothing. Err says why the browser refused.
pub fn save(instance: &Instance, draft: &Draft) -> Result<(), String> {
    let key = draft_key(&instance.id, draft.stack_id);
    if draft.is_unchanged() {
        storage::remove(area(instance), &key);
        return Ok(());
    }
    storage::set_json(area(instance), &key, draft)
}

pub fn discard(instance: &Instance, stack_id: u32) {
    storage::remove(area(instance), &draft_key(&instance.id, stack_id));
}

/// Every draft of a forgotten instance, in both storages.
pub fn discard_all(instance_id: &str) {
    let prefix = format!("{DRAFT_PREFIX}{instance_id}.");
    storage::remove_prefixed(StorageArea::Local, &prefix);
    storage::remove_prefixed(StorageArea::Session, &prefix);
}
