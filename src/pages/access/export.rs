//! The report as Markdown and JSON downloads, for audits, and a preview of the Markdown. Both
//! are written from the report, which holds only the token's prefix, never the token.

use crate::domain::access::{to_json, to_markdown, AccessReport};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

#[component]
pub fn Exports(report: AccessReport) -> impl IntoView {
    let base = file_base(&report.who.username, &report.generated_at_utc);
    let markdown = to_markdown(&report);
    let json = to_json(&report);
    let failed = RwSignal::new(None::<String>);
    let offer = move |name: String, mime: &'static str, text: String| {
        move |_| failed.set(save(&name, mime, &text).err())
    };
    view! {
        <div class="toolbar access-exports">
            <span class="muted">"Export for an audit:"</span>
            <button class="small export-md" on:click=offer(format!("{base}.md"), "text/markdown", markdown.clone())>
                "⬇ Markdown"
            </button>
            <button class="small export-json" on:click=offer(format!("{base}.json"), "application/json", json)>
                "⬇ JSON"
            </button>
            <span class="muted">"The token itself is never in them, only its prefix."</span>
        </div>
        {move || failed.get().map(|e| view! {
            <p class="msg msg-error" role="alert">{format!("The download could not be prepared: {e}")}</p>
        })}
        <details class="export-preview">
            <summary>"Preview the Markdown export"</summary>
            <pre class="code markdown-preview" tabindex="0">{markdown}</pre>
        </details>
    }
}

/// `portlight-access-alice-2024-05-29`: a name that sorts by user and date.
fn file_base(username: &str, generated_utc: &str) -> String {
    let user: String = username
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let date = generated_utc.get(..10).unwrap_or("undated");
    format!("portlight-access-{user}-{date}")
}

/// Offers `text` as a file through a temporary `<a download>` on a Blob URL.
fn save(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let anchor: HtmlAnchorElement = document()
        .create_element("a")
        .map_err(fail)?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser reads the Blob after the click returns: release it a moment later.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        Duration::from_secs(5),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::file_base;

    #[test]
    fn file_names_carry_user_and_date_only() {
        assert_eq!(
            file_base("alice", "2024-05-29 16:26 UTC"),
            "portlight-access-alice-2024-05-29"
        );
        assert_eq!(
            file_base("a/b c", "2024-05-29 16:26 UTC"),
            "portlight-access-a_b_c-2024-05-29"
        );
    }
}
