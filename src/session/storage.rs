//! Browser storage in a few lines: localStorage ("remember on this device") or sessionStorage
//! ("this tab only"). Failures (private mode, quota, no window) read as absent values.

/// Where a value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageArea {
    Local,
    Session,
}

fn storage(area: StorageArea) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match area {
        StorageArea::Local => window.local_storage().ok().flatten(),
        StorageArea::Session => window.session_storage().ok().flatten(),
    }
}

pub fn get(area: StorageArea, key: &str) -> Option<String> {
    storage(area)?.get_item(key).ok().flatten()
}

/// Err carries a sentence for the page (e.g. the quota is full or storage is disabled).
pub fn set(area: StorageArea, key: &str, value: &str) -> Result<(), String> {
    let store = storage(area).ok_or_else(|| {
        "This browser does not allow Portlight to store data (private mode or storage disabled).".to_string()
    })?;
    store.set_item(key, value).map_err(|_| {
        "The browser refused to store the value (storage full or disabled).".to_string()
    })
}

pub fn remove(area: StorageArea, key: &str) {
    if let Some(store) = storage(area) {
        let _ = store.remove_item(key);
    }
}

/// Removes every key that starts with `prefix`.
pub fn remove_prefixed(area: StorageArea, prefix: &str) {
    let Some(store) = storage(area) else { return };
    let count = store.length().unwrap_or(0);
    // Collected first: removing while counting would shift the indices.
    let doomed: Vec<String> = (0..count)
        .filter_map(|i| store.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect();
    for key in doomed {
        let _ = store.remove_item(&key);
    }
}

/// Reads a JSON value; anything unreadable counts as absent, so a corrupted entry never
/// stops the app from starting.
pub fn get_json<T: serde::de::DeserializeOwned>(area: StorageArea, key: &str) -> Option<T> {
    serde_json::from_str(&get(area, key)?).ok()
}

pub fn set_json<T: serde::Serialize>(
    area: StorageArea,
    key: &str,
    value: &T,
) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    set(area, key, &text)
}
