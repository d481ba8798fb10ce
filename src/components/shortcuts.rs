//! Keys that work on every page: `g s` the stacks, `g a` the access page, `?` the list of
//! keys. The stack list adds its own (`/`, `j`/`k`, `Enter`, `Esc` in the search).

use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// Every key Portlight answers, as the help lists them.
pub const KEYS: [(&str, &str); 8] = [
    ("/", "search the stacks"),
    ("Esc", "clear the search, then leave it; close a dialog"),
    ("j / ↓", "select the next stack"),
    ("k / ↑", "select the previous stack"),
    ("Enter", "open the selected stack"),
    ("g s", "go to the stacks"),
    ("g a", "go to the access page"),
    ("?", "show these keys"),
];

/// Whether a key press is typing (in a field, or anywhere in a dialog) or carries a
/// modifier: then no shortcut takes it.
pub fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return true;
    }
    target(ev).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.closest("dialog").ok().flatten().is_some()
    })
}

/// [`typing`], or a press a focused button, link or summary answers itself (`Enter`).
pub fn activates_the_focus(ev: &web_sys::KeyboardEvent) -> bool {
    typing(ev)
        || target(ev).is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

fn target(ev: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

#[component]
pub fn Shortcuts() -> impl IntoView {
    let navigate = use_navigate();
    let help = RwSignal::new(false);
    // The first key of a two-key shortcut ("g"), until the next key.
    let pending_g = StoredValue::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if typing(&ev) {
            pending_g.set_value(false);
            return;
        }
        let key = ev.key();
        let after_g = pending_g.get_value();
        pending_g.set_value(false);
        let to = match (after_g, key.as_str()) {
            (true, "s") => Page::Stacks,
            (true, "a") => Page::Access,
            (false, "g") => {
                pending_g.set_value(true);
                return;
            }
            (false, "?") => {
                ev.prevent_default();
                help.set(true);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        navigate(&to.path(), Default::default());
    });
    on_cleanup(move || handle.remove());
    move || help.get().then(|| view! { <KeyHelp open=help/> })
}

/// The list of keys, as a modal dialog: `Esc` or Close shuts it.
#[component]
fn KeyHelp(open: RwSignal<bool>) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    dialog.on_load(|d| {
        let _ = d.show_modal();
    });
    view! {
        <dialog
            node_ref=dialog
            class="card key-help"
            aria-labelledby="key-help-title"
            on:close=move |_| open.set(false)
        >
            <h2 id="key-help-title">"Keyboard shortcuts"</h2>
            <table class="data">
                <tbody>
                    {KEYS
                        .iter()
                        .map(|(key, what)| view! {
                            <tr><th scope="row"><kbd>{*key}</kbd></th><td>{*what}</td></tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <button class="close-help" autofocus on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </dialog>
    }
}
