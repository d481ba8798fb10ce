//! Container logs: the last N lines with timestamps, stdout and stderr told apart, refresh, and
//! follow (a streamed fetch, cancelled when switched off or when the page goes away).

use super::containers::{compose_containers, swarm_stack};
use super::LoadedStack;
use crate::components::{ErrorMessage, Loading};
use crate::domain::containers::task_name;
use crate::portainer::{
    ApiError, CancelHandle, LogDemuxer, LogFraming, LogLine, LogOptions, LogStream, StackType,
};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Followed logs keep at most this many lines, so a chatty container cannot exhaust memory.
const MAX_LINES: usize = 5_000;

/// A container the operator can pick: (id, name).
type Choice = (String, String);

#[component]
pub fn Logs(loaded: LoadedStack) -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    if loaded.stack.kind == StackType::Kubernetes {
        return view! {
            <div class="card kubernetes-note">
                <p>"Logs of Kubernetes stacks come through Portainer's Kubernetes proxy, which Portlight does not read. Open the stack in Portainer's own UI."</p>
            </div>
        }
        .into_any();
    }
    let env_id = loaded.stack.endpoint_id;
    let choices = container_choices(&loaded);
    let selected = Memo::new(move |_| query.with(|q| q.get("container")));
    // Without a choice in the URL, the first container is shown.
    let container = Memo::new(move |_| {
        selected.get().or_else(|| {
            choices.with(|c| match c {
                Some(Ok(list)) => list.first().map(|(id, _)| id.clone()),
                _ => None,
            })
        })
    });
    let base = super::Tab::Logs.href(loaded.stack.id);
    let choose = move |id: String| {
        navigate(&format!("{base}&container={id}"), Default::default());
    };

    let tail = RwSignal::new(session.preferences.with_untracked(|s| s.log_tail));
    let timestamps = RwSignal::new(true);
    let stdout = RwSignal::new(true);
    let stderr = RwSignal::new(true);
    let options = move || LogOptions {
        tail: Some(tail.get()),
        timestamps: timestamps.get(),
        stdout: stdout.get(),
        stderr: stderr.get(),
        ..LogOptions::default()
    };
    let lines = RwSignal::new(Vec::<LogLine>::new());
    let fetched = session.resource(move |client| {
        let container = container.get();
        let options = options();
        async move {
            let Some(container) = container else {
                return Ok(Vec::new());
            };
            let bytes = client.container_logs(env_id, &container, &options).await?;
            let mut demux = LogDemuxer::new(LogFraming::Auto, options.timestamps);
            let mut out = demux.push(&bytes);
            out.extend(demux.finish());
            Ok(out)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = fetched.get() {
            lines.set(fresh);
        }
    });

    // Follow: stream new lines onto the list until switched off or the page goes away.
    let follow = RwSignal::new(false);
    let follow_error = RwSignal::new(None::<ApiError>);
    let cancel = StoredValue::new_local(None::<CancelHandle>);
    let stop_following = move || {
        if let Some(handle) = cancel.get_value() {
            handle.cancel();
        }
        cancel.set_value(None);
    };
    Effect::new(move |_| {
        let on = follow.get();
        let container = container.get();
        let options = LogOptions {
            tail: Some(0),
            ..options()
        };
        stop_following();
        let (true, Some(container), Some(client)) = (on, container, session.client()) else {
            return;
        };
        let handle = CancelHandle::new();
        cancel.set_value(Some(handle.clone()));
        follow_error.set(None);
        spawn_local(async move {
            let mut demux = LogDemuxer::new(LogFraming::Auto, options.timestamps);
            let result = client
                .follow_container_logs(env_id, &container, &options, &handle, |chunk| {
                    let new = demux.push(chunk);
                    if !new.is_empty() {
                        lines.update(|l| append_bounded(l, new));
                    }
                })
                .await;
            if let Err(e) = result {
                session.note_error(&e);
                follow_error.set(Some(e));
            }
            if !handle.is_cancelled() {
                follow.set(false);
            }
        });
    });
    on_cleanup(stop_following);

    let number = |ev: &leptos::ev::Event| event_target_value(ev).parse::<u32>().ok();
    view! {
        <div class="card logs-card">
            <div class="toolbar log-controls">
                <label class="sr-only" for="log-container">"Container"</label>
                <select id="log-container" on:change=move |ev| choose(event_target_value(&ev))>
                    {move || match choices.get() {
                        Some(Ok(list)) => list
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.clone();
                                view! {
                                    <option value=value selected=move || container.get().as_deref() == Some(id.as_str())>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                            .into_any(),
                        _ => ().into_any(),
                    }}
                </select>
                <label class="check">
                    "Last "
                    <input
                        type="number"
                        id="log-tail"
                        min="1"
                        max="5000"
                        prop:value=move || tail.get().to_string()
                        on:change=move |ev| {
                            if let Some(n) = number(&ev) {
                                tail.set(n.clamp(1, 5000));
                            }
                        }
                    />
                    " lines"
                </label>
                <label class="check"><input type="checkbox" id="log-timestamps" bind:checked=timestamps/>"timestamps"</label>
                <label class="check"><input type="checkbox" id="log-stdout" bind:checked=stdout/>"stdout"</label>
                <label class="check"><input type="checkbox" id="log-stderr" bind:checked=stderr/>"stderr"</label>
                <button class="small refresh-logs" on:click=move |_| fetched.refetch()>"↻ Refresh"</button>
                <label class="check"><input type="checkbox" id="log-follow" bind:checked=follow/>"follow"</label>
            </div>
            {move || follow_error.get().map(|error| view! { <ErrorMessage doing="Following the log" error/> })}
            {move || match (choices.get(), fetched.get()) {
                (Some(Err(error)), _) => view! { <ErrorMessage doing="Loading containers" error/> }.into_any(),
                (Some(Ok(list)), _) if list.is_empty() => view! {
                    <p class="empty">"This stack has no containers to show logs of."</p>
                }
                .into_any(),
                (_, None) => view! { <Loading what="Loading logs…"/> }.into_any(),
                (_, Some(Err(error))) => view! { <ErrorMessage doing="Loading logs" error/> }.into_any(),
                (_, Some(Ok(_))) => view! { <LogLines lines/> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

/// The containers of the stack, for the picker: compose containers, or swarm task containers.
fn container_choices(loaded: &LoadedStack) -> LocalResource<Result<Vec<Choice>, ApiError>> {
    if loaded.stack.kind == StackType::DockerSwarm {
        let swarm = swarm_stack(loaded);
        return LocalResource::new(move || async move {
            swarm.await.map(|(services, tasks)| {
                tasks
                    .iter()
                    .filter_map(|t| {
                        let name = task_name(t, &services);
                        Some((
                            t.container_id()?.to_string(),
                            format!("{name} ({})", t.status.state),
                        ))
                    })
                    .collect()
            })
        });
    }
    let containers = compose_containers(loaded);
    LocalResource::new(move || async move {
        containers.await.map(|list| {
            list.iter()
                .map(|c| (c.id.clone(), format!("{} ({})", c.display_name(), c.state)))
                .collect()
        })
    })
}

fn append_bounded(lines: &mut Vec<LogLine>, new: Vec<LogLine>) {
    lines.extend(new);
    if lines.len() > MAX_LINES {
        let excess = lines.len() - MAX_LINES;
        lines.drain(..excess);
    }
}

#[component]
fn LogLines(lines: RwSignal<Vec<LogLine>>) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    // Keep the newest line in view as lines arrive.
    Effect::new(move |_| {
        lines.track();
        if let Some(div) = node.get() {
            div.set_scroll_top(div.scroll_height());
        }
    });
    view! {
        <div class="logs" role="log" aria-live="off" node_ref=node tabindex="0">
            {move || {
                let lines = lines.get();
                if lines.is_empty() {
                    return view! { <p class="empty">"No log lines for these settings."</p> }.into_any();
                }
                lines
                    .into_iter()
                    .map(|line| {
                        let (class, stream) = match line.stream {
                            LogStream::Stdout => ("line stdout", "stdout"),
                            LogStream::Stderr => ("line stderr", "stderr"),
                        };
                        view! {
                            <div class=class>
                                <span class="stream">{stream}</span>
                                {line.timestamp.map(|t| view! { <span class="ts">{short_timestamp(&t)}</span> })}
                                {line.text}
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </div>
    }
}

/// `2024-05-29T16:26:03.123456789Z` → `2024-05-29 16:26:03`.
pub fn short_timestamp(ts: &str) -> String {
    let cut = ts.find(['.', 'Z', '+']).unwrap_or(ts.len());
    ts[..cut].replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_lose_nanoseconds_and_zone() {
        assert_eq!(
            short_timestamp("2024-05-29T16:26:03.123456789Z"),
            "2024-05-29 16:26:03"
        );
        assert_eq!(
            short_timestamp("2024-05-29T16:26:03Z"),
            "2024-05-29 16:26:03"
        );
        assert_eq!(short_timestamp("garbage"), "garbage");
    }

    #[test]
    fn followed_logs_keep_only_the_newest_lines() {
        let line = |i: usize| LogLine {
            stream: LogStream::Stdout,
            timestamp: None,
            text: i.to_string(),
        };
        let mut lines: Vec<LogLine> = (0..MAX_LINES).map(line).collect();
        append_bounded(&mut lines, vec![line(MAX_LINES), line(MAX_LINES + 1)]);
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(lines[0].text, "2");
        assert_eq!(lines.last().unwrap().text, (MAX_LINES + 1).to_string());
    }
}
