//! What an edit (or somebody else's update) changes: the file as a line diff, the variables
//! as added / removed / changed (values masked unless revealed), the git reference.

use crate::domain::draft::without_blank_rows;
use crate::domain::edit::diff::{counts, line_diff, with_context, Change, Shown};
use crate::domain::edit::dotenv::{env_changes, EnvChange};
use crate::portainer::Pair;
use leptos::prelude::*;

/// Unchanged lines shown around each change.
const CONTEXT: usize = 3;
/// Shown instead of a hidden value, the same for every value so none leaks its length.
const MASK: &str = "••••••••";

/// A line diff, as a table with both line numbers and a sign that does not rely on colour.
#[component]
pub fn FileDiff(before: String, after: String, #[prop(into)] label: String) -> impl IntoView {
    let lines = line_diff(&before, &after);
    let (added, removed) = counts(&lines);
    if added == 0 && removed == 0 {
        return view! { <p class="muted diff-none">{format!("{label}: no change.")}</p> }
            .into_any();
    }
    let rows = with_context(lines, CONTEXT)
        .into_iter()
        .map(|shown| match shown {
            Shown::Skipped { lines } => view! {
                <tr class="diff-skip"><td colspan="3">{format!("… {lines} unchanged lines …")}</td></tr>
            }
            .into_any(),
            Shown::Line(line) => {
                let (class, sign) = match line.change {
                    Change::Same => ("diff-same", " "),
                    Change::Added => ("diff-add", "+"),
                    Change::Removed => ("diff-del", "−"),
                };
                let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
                view! {
                    <tr class=class>
                        <td class="ln">{number(line.old)}</td>
                        <td class="ln">{number(line.new)}</td>
                        <td><span class="sign" aria-hidden="true">{sign}</span>{line.text}</td>
                    </tr>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <div class="diff-block">
            <p class="diff-summary">{format!("{label}: {} added, {removed} removed.", count_lines(added))}</p>
            <div class="code diff" role="region" aria-label=label tabindex="0">
                <table><tbody>{rows}</tbody></table>
            </div>
        </div>
    }
    .into_any()
}

/// The variables' changes, values masked unless `revealed`.
#[component]
pub fn EnvDiff(before: Vec<Pair>, after: Vec<Pair>, revealed: Signal<bool>) -> impl IntoView {
    let changes = env_changes(&before, &without_blank_rows(&after));
    if changes.is_empty() {
        return view! { <p class="muted env-none">"Environment variables: no change."</p> }
            .into_any();
    }
    let shown = move |value: String| {
        move || {
            if revealed.get() {
                value.clone()
            } else {
                MASK.to_string()
            }
        }
    };
    let items = changes
        .into_iter()
        .map(|change| match change {
            EnvChange::Added { name, value } => view! {
                <li class="env-added">"Added " <code>{name}</code> " = " <code>{shown(value)}</code></li>
            }
            .into_any(),
            EnvChange::Removed { name, value } => view! {
                <li class="env-removed">"Removed " <code>{name}</code> " (was " <code>{shown(value)}</code> ")"</li>
            }
            .into_any(),
            EnvChange::Changed { name, old, new } => view! {
                <li class="env-changed">
                    "Changed " <code>{name}</code> ": " <code>{shown(old)}</code> " → " <code>{shown(new)}</code>
                </li>
            }
            .into_any(),
        })
        .collect_view();
    view! { <ul class="env-diff">{items}</ul> }.into_any()
}

/// "1 line", "3 lines".
fn count_lines(n: usize) -> String {
    if n == 1 {
        "1 line".into()
    } else {
        format!("{n} lines")
    }
}

/// The git reference, when it changes.
pub fn reference_change(before: &str, after: &str) -> Option<String> {
    let after = after.trim();
    (before != after).then(|| format!("Git reference: {before} → {after}"))
}
