//! Environment variables, masked until revealed one by one or all at once (Portainer shows
//! them in plain text; operators asked for masking, portainer#3956).

use super::LoadedStack;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// Shown instead of a hidden value; the same length for every value so none leaks its size.
const MASK: &str = "••••••••";

#[component]
pub fn EnvVars(loaded: LoadedStack) -> impl IntoView {
    let vars = loaded.stack.env.clone();
    let count = vars.len();
    // Indices of the revealed values.
    let revealed = RwSignal::new(BTreeSet::<usize>::new());
    let all_shown = move || revealed.with(|r| r.len() == count);
    if count == 0 {
        return view! {
            <div class="card env-vars">
                <p class="empty">"This stack has no environment variables."</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="card env-vars">
            <div class="toolbar">
                <span class="muted">{format!("{count} variables, values hidden until revealed")}</span>
                <span class="grow"></span>
                <button
                    class="small reveal-all"
                    on:click=move |_| {
                        if all_shown() {
                            revealed.set(BTreeSet::new());
                        } else {
                            revealed.set((0..count).collect());
                        }
                    }
                >
                    {move || if all_shown() { "Hide all" } else { "Reveal all" }}
                </button>
            </div>
            <table class="data">
                <thead><tr><th>"Name"</th><th>"Value"</th><th></th></tr></thead>
                <tbody>
                    {vars
                        .into_iter()
                        .enumerate()
                        .map(|(i, pair)| {
                            let shown = move || revealed.with(|r| r.contains(&i));
                            let value = pair.value.clone();
                            view! {
                                <tr class="env-var" data-name=pair.name.clone()>
                                    <td class="mono">{pair.name.clone()}</td>
                                    <td class="mono value">
                                        {move || if shown() { value.clone() } else { MASK.to_string() }}
                                    </td>
                                    <td>
                                        <button
                                            class="small reveal"
                                            aria-label=format!("Reveal or hide the value of {}", pair.name)
                                            on:click=move |_| revealed.update(|r| {
                                                if !r.remove(&i) {
                                                    r.insert(i);
                                                }
                                            })
                                        >
                                            {move || if shown() { "Hide" } else { "Reveal" }}
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
