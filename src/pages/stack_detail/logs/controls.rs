//! The stack logs' options: a chip per source (shown or hidden in one click), lines per
//! source, since, follow, the filter, and how lines are shown; plus the download. Every
//! change is written to the URL, which the page reads back.

use crate::components::download::save;
use crate::components::log_view::LogSink;
use crate::components::typing::TypingPause;
use crate::domain::stack_logs::query::{StackLogsQuery, MAX_TAIL, SINCE_CHOICES};
use crate::domain::stack_logs::sources::StackLogSource;
use leptos::prelude::*;

/// The filter reaches the URL (and the view) once typing pauses this long.
const FILTER_PAUSE_MS: u64 = 200;

#[component]
pub fn Controls(
    sources: Vec<StackLogSource>,
    query: Memo<StackLogsQuery>,
    set_query: Callback<StackLogsQuery>,
    sink: LogSink,
    download_name: String,
) -> impl IntoView {
    let edit = move |change: &dyn Fn(&mut StackLogsQuery)| {
        let mut q = query.get_untracked();
        change(&mut q);
        set_query.run(q);
    };
    let keys: Vec<String> = sources.iter().map(|s| s.key.clone()).collect();
    let keys = StoredValue::new(keys);
    let chips = sources
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let key = s.key.clone();
            let pressed = {
                let key = key.clone();
                move || query.with(|q| q.sources.shows(&key)).to_string()
            };
            let toggle = move |_| {
                let key = key.clone();
                edit(&|q| {
                    keys.with_value(|all| {
                        let all: Vec<&str> = all.iter().map(String::as_str).collect();
                        q.sources = q.sources.toggled(&key, &all);
                    })
                })
            };
            view! {
                <button class=format!("small source-chip c{}", i % 8) aria-pressed=pressed on:click=toggle
                    title=s.key.clone()>
                    <span class="src-mark" aria-hidden="true"></span>
                    {s.label}<span class="sub">{format!(" · {}", s.state)}</span>
                </button>
            }
        })
        .collect_view();
    let typed = TypingPause::new(FILTER_PAUSE_MS);
    let number = |v: String| v.parse::<u32>().ok();
    let download = move |_| {
        let _ = save(&download_name, "text/plain", &sink.text());
    };
    view! {
        <div class="source-chips" role="group" aria-label="Sources shown">
            {chips}
            {move || (query.with(|q| q.sources != Default::default())).then(|| view! {
                <button class="small show-all-sources" on:click=move |_| edit(&|q| q.sources = Default::default())>"Show all"</button>
            })}
        </div>
        <div class="toolbar log-controls">
            <label class="sr-only" for="log-filter">"Filter lines"</label>
            <input id="log-filter" type="search" placeholder="Filter lines (any case)"
                prop:value=move || query.with(|q| q.filter.clone())
                on:input=move |ev| {
                    typed.then(event_target_value(&ev), move |text| edit(&|q| q.filter = text.clone()));
                }/>
            <label class="check">
                "Last "
                <input type="number" id="log-tail" min="1" max=MAX_TAIL.to_string()
                    prop:value=move || query.with(|q| q.tail.map(|t| t.to_string()).unwrap_or_default())
                    placeholder="200"
                    on:change=move |ev| {
                        let n = number(event_target_value(&ev)).map(|n| n.clamp(1, MAX_TAIL));
                        edit(&|q| q.tail = n);
                    }/>
                " lines each"
            </label>
            <label class="sr-only" for="log-since">"Since"</label>
            <select id="log-since"
                prop:value=move || query.with(|q| q.since.map(|s| s.to_string()).unwrap_or_default())
                on:change=move |ev| { let v = number(event_target_value(&ev)); edit(&|q| q.since = v) }>
                <option value="">"any time"</option>
                {SINCE_CHOICES.iter().map(|(_, label, secs)| view! { <option value=secs.to_string()>{*label}</option> }).collect_view()}
            </select>
            {check("log-follow", "follow", query, set_query, |q| q.follow, |q, on| q.follow = on)}
            {check("log-timestamps", "timestamps", query, set_query, |q| q.timestamps, |q, on| q.timestamps = on)}
            {check("log-wrap", "wrap", query, set_query, |q| q.wrap, |q, on| q.wrap = on)}
            {check("log-stdout", "stdout", query, set_query, |q| q.stdout, |q, on| q.stdout = on)}
            {check("log-stderr", "stderr", query, set_query, |q| q.stderr, |q, on| q.stderr = on)}
            <button class="small download-logs" on:click=download>"⬇ Download shown"</button>
        </div>
        {move || query.with(|q| q.follow).then(|| view! {
            <p class="hint follow-note">
                "Following: new lines appear as each container writes them. Portainer passes a local \
                 environment's log on in bursts of about 4 KB, so a quiet container's lines can take a while."
            </p>
        })}
    }
}

/// One on/off option; function pointers, so the five share one rendering.
fn check(
    id: &'static str,
    label: &'static str,
    query: Memo<StackLogsQuery>,
    set_query: Callback<StackLogsQuery>,
    get: fn(&StackLogsQuery) -> bool,
    set: fn(&mut StackLogsQuery, bool),
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" id=id prop:checked=move || query.with(get)
                on:change=move |ev| {
                    let mut q = query.get_untracked();
                    set(&mut q, event_target_checked(&ev));
                    set_query.run(q);
                }/>
            {label}
        </label>
    }
}
