//! The protocol the browser speaks to Portainer, from Resource Timing: the newest entry of a
//! request to `base` (Portainer's URL, or this page's origin when Portlight is served with
//! it). Empty when no entry tells (none yet, or another origin that hides it).

use wasm_bindgen::{JsCast, JsValue};

pub fn protocol_to(base: &str) -> String {
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key));
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let base = if base.is_empty() {
        window.location().origin().unwrap_or_default()
    } else {
        base.to_string()
    };
    let entries = get(&window, "performance")
        .and_then(|p| {
            let by_type = get(&p, "getEntriesByType")?.dyn_into::<js_sys::Function>()?;
            by_type.call1(&p, &JsValue::from_str("resource"))
        })
        .ok()
        .and_then(|e| e.dyn_into::<js_sys::Array>().ok());
    let Some(entries) = entries else {
        return String::new();
    };
    entries
        .iter()
        .rev()
        .find(|e| {
            get(e, "name")
                .ok()
                .and_then(|n| n.as_string())
                .is_some_and(|n| n.starts_with(&base))
        })
        .and_then(|e| get(&e, "nextHopProtocol").ok()?.as_string())
        .unwrap_or_default()
}
