//! Leaving the editor with an unsent edit asks first: a link inside Portlight asks with a
//! confirmation, closing or reloading the tab with the browser's own prompt. The draft is
//! kept either way; the question is so that an edit is not forgotten.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

const QUESTION: &str =
    "Leave the editor? Your edit has not been sent; it stays saved as a draft on this device.";

/// Installs both guards while the calling component lives; they ask only while `dirty`.
pub fn guard_leaving(dirty: Signal<bool>) {
    let unload = window_event_listener_untyped("beforeunload", move |ev| {
        if dirty.get_untracked() {
            // Chromium shows its prompt for a cancelled event.
            ev.prevent_default();
        }
    });
    // Capture phase on the document: before the router's own click handler on the window.
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if !dirty.get_untracked() || ev.button() != 0 || ev.default_prevented() {
            return;
        }
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .is_some();
        let stay = on_link
            && !web_sys::window()
                .and_then(|w| w.confirm_with_message(QUESTION).ok())
                .unwrap_or(true);
        if stay {
            ev.prevent_default();
            ev.stop_propagation();
        }
    });
    if let Some(document) = document_now() {
        let _ = document.add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        );
    }
    // Kept by the owner (a closure is not `Send`), removed with the component.
    let kept = StoredValue::new_local(Some(on_click));
    on_cleanup(move || {
        unload.remove();
        let on_click = kept.try_update_value(Option::take).flatten();
        if let (Some(document), Some(on_click)) = (document_now(), on_click) {
            let _ = document.remove_event_listener_with_callback_and_bool(
                "click",
                on_click.as_ref().unchecked_ref(),
                true,
            );
        }
    });
}

fn document_now() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}
