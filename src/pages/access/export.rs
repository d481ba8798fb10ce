//! The report as Markdown and JSON downloads, for audits, and a preview of the Markdown. Both
//! are written from the report, which holds only the token's prefix, never the token.

use crate::components::download::save;
use crate::domain::access::{to_json, to_markdown, AccessReport};
use leptos::prelude::*;

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
