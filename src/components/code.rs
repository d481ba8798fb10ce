//! A read-only code view with line numbers and a copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CodeView(
    /// The text to show.
    text: String,
    /// Accessible name, e.g. "docker-compose.yml".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let copied = RwSignal::new(None::<Result<(), String>>);
    let to_copy = text.clone();
    let copy = move |_| {
        let text = to_copy.clone();
        spawn_local(async move {
            copied.set(Some(copy_to_clipboard(&text).await));
        });
    };
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let count = lines.len();
    view! {
        <div class="toolbar">
            <span class="muted">{format!("{count} lines")}</span>
            <span class="grow"></span>
            <button class="small copy" on:click=copy>"Copy"</button>
            <span class="copy-result" role="status">
                {move || match copied.get() {
                    Some(Ok(())) => "Copied to the clipboard.".to_string(),
                    Some(Err(e)) => e,
                    None => String::new(),
                }}
            </span>
        </div>
        <div class="code" role="region" aria-label=label tabindex="0">
            <table>
                <tbody>
                    {lines
                        .into_iter()
                        .enumerate()
                        .map(|(i, line)| view! {
                            <tr><td class="ln">{i + 1}</td><td>{line}</td></tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The async Clipboard API exists only in secure contexts (https or localhost); elsewhere the
/// operator is told to select and copy by hand.
async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let unavailable = || {
        "The browser allows copying only on https or localhost pages: select the text and copy it."
            .to_string()
    };
    let window = web_sys::window().ok_or_else(unavailable)?;
    if !window.is_secure_context() {
        return Err(unavailable());
    }
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "The browser refused to copy to the clipboard.".to_string())
}
