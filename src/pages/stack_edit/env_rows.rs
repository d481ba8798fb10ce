//! The stack's environment variables as name/value rows: values masked until revealed, rows
//! added and removed, and a pasted `.env` block merged in (its values replace same-named ones).

use crate::domain::edit::dotenv::{env_problems, merge_pasted, parse_env_block};
use crate::portainer::Pair;
use leptos::prelude::*;

#[component]
pub fn EnvEditor(env: Signal<Vec<Pair>>, on_change: Callback<Vec<Pair>>) -> impl IntoView {
    // The rows live outside the reactive graph while typed into; `shape` re-renders them only
    // when rows are added, removed or replaced, so an input keeps its focus as it is edited.
    let rows = StoredValue::new(env.get_untracked());
    let shape = RwSignal::new(0u32);
    let replace = move |new: Vec<Pair>| {
        rows.set_value(new);
        shape.update(|n| *n += 1);
        on_change.run(rows.get_value());
    };
    // Replaced from outside (a discarded draft).
    Effect::new(move |_| {
        let now = env.get();
        if rows.with_value(|r| *r != now) {
            rows.set_value(now);
            shape.update(|n| *n += 1);
        }
    });
    let edit = move |at: usize, change: &dyn Fn(&mut Pair)| {
        rows.update_value(|r| {
            if let Some(pair) = r.get_mut(at) {
                change(pair);
            }
        });
        on_change.run(rows.get_value());
    };
    let revealed = RwSignal::new(false);
    let pasted = RwSignal::new(String::new());
    let paste_error = RwSignal::new(None::<String>);
    let add_pasted = move |_| match parse_env_block(&pasted.get_untracked()) {
        Ok(vars) => {
            replace(rows.with_value(|r| merge_pasted(r, vars)));
            pasted.set(String::new());
            paste_error.set(None);
        }
        Err(e) => paste_error.set(Some(format!("Line {}: {}", e.line, e.message))),
    };
    // Each keystroke reaches the draft (`env`), so the problems follow it.
    let problems = move || env.with(|e| env_problems(e));
    view! {
        <div class="card env-edit">
            <div class="toolbar">
                <h2>"Environment variables"</h2>
                <span class="grow"></span>
                <button class="small reveal-values" on:click=move |_| revealed.update(|r| *r = !*r)>
                    {move || if revealed.get() { "Hide values" } else { "Reveal values" }}
                </button>
            </div>
            <table class="data env-rows">
                <thead><tr><th>"Name"</th><th>"Value"</th><th></th></tr></thead>
                <tbody>
                    {move || {
                        shape.track();
                        rows.get_value().into_iter().enumerate().map(|(at, pair)| view! {
                            <tr class="env-row">
                                <td>
                                    <input
                                        class="mono env-name"
                                        type="text"
                                        aria-label="Name"
                                        spellcheck="false"
                                        autocomplete="off"
                                        prop:value=pair.name
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev);
                                            edit(at, &|p| p.name = v.clone());
                                        }
                                    />
                                </td>
                                <td>
                                    // Masked by CSS, not `type=password`: no password
                                    // manager offers to save a stack's variables.
                                    <input
                                        class="mono env-value"
                                        class:masked=move || !revealed.get()
                                        type="text"
                                        aria-label="Value"
                                        spellcheck="false"
                                        autocomplete="off"
                                        prop:value=pair.value
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev);
                                            edit(at, &|p| p.value = v.clone());
                                        }
                                    />
                                </td>
                                <td>
                                    <button
                                        class="small remove-var"
                                        aria-label="Remove this variable"
                                        on:click=move |_| replace(rows.with_value(|r| {
                                            let mut r = r.clone();
                                            if at < r.len() {
                                                r.remove(at);
                                            }
                                            r
                                        }))
                                    >"Remove"</button>
                                </td>
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <div class="actions">
                <button class="small add-var" on:click=move |_| {
                    replace(rows.with_value(|r| {
                        let mut r = r.clone();
                        r.push(Pair::default());
                        r
                    }))
                }>"Add a variable"</button>
            </div>
            <ul class="env-problems">
                {move || problems().into_iter().map(|p| view! { <li class="msg-error">{p}</li> }).collect_view()}
            </ul>
            <details class="paste-env">
                <summary>"Paste a .env block"</summary>
                <label class="sr-only" for="env-block">".env block"</label>
                <textarea
                    id="env-block"
                    class="mono masked"
                    rows="5"
                    spellcheck="false"
                    placeholder="NAME=value, one per line"
                    prop:value=pasted
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
                <div class="actions">
                    <button class="small add-pasted" on:click=add_pasted>"Add these variables"</button>
                    {move || paste_error.get().map(|e| view! { <span class="msg-error paste-error">{e}</span> })}
                </div>
            </details>
        </div>
    }
}
