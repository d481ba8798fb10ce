//! Container logs: the last N lines with timestamps, stdout and stderr told apart, refresh, and
//! follow (a streamed fetch, cancelled when switched off or when the page goes away). Only the
//! stack's own containers can be chosen, by the picker or by `?container=` in a link.

use super::{LoadedStack, Tab};
use crate::components::log_view::{LogSink, LogView};
use crate::components::{ErrorMessage, Loading};
use crate::domain::containers::{LogSource, Workload};
use crate::domain::failures::Asked;
use crate::domain::log_buffer::DEFAULT_MAX_BYTES;
use crate::portainer::{ApiError, CancelHandle, LogDemuxer, LogFraming, LogLine, LogOptions};
use crate::session::fetching::Fetching;
use crate::session::workload::WorkloadResource;
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The log options the operator sets.
#[derive(Clone, Copy)]
struct LogSettings {
    tail: RwSignal<u32>,
    timestamps: RwSignal<bool>,
    stdout: RwSignal<bool>,
    stderr: RwSignal<bool>,
    follow: RwSignal<bool>,
}

impl LogSettings {
    fn new(session: Session) -> Self {
        Self {
            tail: RwSignal::new(session.preferences.with_untracked(|p| p.log_tail)),
            timestamps: RwSignal::new(true),
            stdout: RwSignal::new(true),
            stderr: RwSignal::new(true),
            follow: RwSignal::new(false),
        }
    }

    fn options(&self) -> LogOptions {
        LogOptions {
            tail: Some(self.tail.get()),
            timestamps: self.timestamps.get(),
            stdout: self.stdout.get(),
            stderr: self.stderr.get(),
            ..LogOptions::default()
        }
    }
}

/// Which container's log is shown: the one the URL names if the stack has it, else the first.
#[derive(Clone, Debug, PartialEq)]
enum Choice {
    Loading,
    Failed(ApiError),
    NoContainers,
    /// `?container=` names a container that is not one of this stack's.
    NotOfThisStack(String),
    Chosen {
        source: LogSource,
        all: Vec<LogSource>,
    },
}

#[component]
pub fn Logs(loaded: LoadedStack, workload: Option<WorkloadResource>) -> impl IntoView {
    let Some(workload) = workload else {
        return view! {
            <div class="card kubernetes-note">
                <p>"Logs of Kubernetes stacks come through Portainer's Kubernetes proxy, which Portlight does not read. Open the stack in Portainer's own UI."</p>
            </div>
        }
        .into_any();
    };
    let session = use_session();
    let query = use_query_map();
    let wanted = Memo::new(move |_| query.with(|q| q.get("container")));
    let choice = Memo::new(move |_| match workload.get() {
        None => Choice::Loading,
        Some(Err(error)) => Choice::Failed(error),
        Some(Ok(fetched)) => choose(&fetched.workload, wanted.get()),
    });
    let settings = LogSettings::new(session);
    let sink = LogSink::new(DEFAULT_MAX_BYTES);
    let container = Memo::new(move |_| match choice.get() {
        Choice::Chosen { source, .. } => Some(source.container_id),
        _ => None,
    });
    let fetched = fetch_tail(session, loaded.stack.endpoint_id, container, settings, sink);
    let follow_error = follow(session, loaded.stack.endpoint_id, container, settings, sink);
    let base = Tab::Logs.href(loaded.stack.id);
    view! {
        <div class="card logs-card">
            <LogControls choice settings base on_refresh=move || fetched.refetch()/>
            {move || follow_error.get().map(|error| view! { <ErrorMessage doing="Following the log" error asked=Asked::Logs/> })}
            {move || match (choice.get(), fetched.get()) {
                (Choice::Loading, _) => view! { <Loading what="Loading containers…"/> }.into_any(),
                (Choice::Failed(error), _) => view! { <ErrorMessage doing="Loading containers" error asked=Asked::DockerList/> }.into_any(),
                (Choice::NoContainers, _) => view! {
                    <p class="empty">"This stack has no containers to show logs of: it may be stopped (Portainer removes a stopped stack's containers)."</p>
                }
                .into_any(),
                (Choice::NotOfThisStack(id), _) => view! {
                    <p class="msg msg-error not-of-this-stack" role="alert">
                        "This stack has no container " <code>{short_id(&id)}</code>
                        ": the link may be for another stack, or the container was removed. Choose one of the stack's containers above."
                    </p>
                }
                .into_any(),
                (Choice::Chosen { .. }, None) => view! { <Loading what="Loading logs…"/> }.into_any(),
                (Choice::Chosen { .. }, Some(Err(error))) => view! { <ErrorMessage doing="Loading logs" error asked=Asked::Logs/> }.into_any(),
                (Choice::Chosen { .. }, Some(Ok(_))) => ().into_any(),
            }}
            <div class:hidden=move || !matches!(choice.get(), Choice::Chosen { .. })>
                <LogView sink/>
            </div>
        </div>
    }
    .into_any()
}

fn choose(workload: &Workload, wanted: Option<String>) -> Choice {
    let all = workload.log_sources();
    let source = match wanted {
        Some(id) => match workload.log_source(&id) {
            Some(source) => source,
            None => return Choice::NotOfThisStack(id),
        },
        None => match all.first() {
            Some(first) => first.clone(),
            None => return Choice::NoContainers,
        },
    };
    Choice::Chosen { source, all }
}

fn short_id(id: &str) -> String {
    id.chars().take(12).collect()
}

/// The last lines of the chosen container, fetched again when the choice or options change;
/// they replace what the view shows (an answer overtaken by a newer request is dropped).
fn fetch_tail(
    session: Session,
    env_id: u32,
    container: Memo<Option<String>>,
    settings: LogSettings,
    sink: LogSink,
) -> Fetching<Result<Vec<LogLine>, ApiError>> {
    let fetched = session.resource(move |client| {
        let container = container.get();
        let options = settings.options();
        async move {
            let Some(container) = container else {
                return Ok(Vec::new());
            };
            let bytes = client.container_logs(env_id, &container, &options).await?;
            let mut demux = LogDemuxer::new(LogFraming::Auto, options.timestamps);
            let mut lines = demux.push(&bytes);
            lines.extend(demux.finish());
            Ok(lines)
        }
    });
    Effect::new(move |_| {
        fetched.with(|answer| {
            if let Some(Ok(lines)) = answer {
                sink.replace(lines.clone());
            }
        })
    });
    fetched
}

/// Follow: streams new lines onto the view until switched off, the choice changes, the
/// connection changes or the page goes away. Returns the last streaming error.
fn follow(
    session: Session,
    env_id: u32,
    container: Memo<Option<String>>,
    settings: LogSettings,
    sink: LogSink,
) -> RwSignal<Option<ApiError>> {
    let error = RwSignal::new(None::<ApiError>);
    let cancel = StoredValue::new_local(None::<CancelHandle>);
    let stop = move || {
        if let Some(handle) = cancel.get_value() {
            handle.cancel();
        }
        cancel.set_value(None);
    };
    Effect::new(move |_| {
        let on = settings.follow.get();
        let container = container.get();
        let options = LogOptions {
            tail: Some(0),
            ..settings.options()
        };
        session.epoch.track();
        stop();
        let epoch = session.epoch_now();
        let (true, Some(container), Some(client)) = (on, container, session.client_for(epoch))
        else {
            return;
        };
        let handle = CancelHandle::new();
        cancel.set_value(Some(handle.clone()));
        error.set(None);
        spawn_local(async move {
            let mut demux = LogDemuxer::new(LogFraming::Auto, options.timestamps);
            let result = client
                .follow_container_logs(env_id, &container, &options, &handle, |chunk| {
                    sink.append(demux.push(chunk));
                })
                .await;
            if handle.is_cancelled() {
                return;
            }
            sink.append(demux.finish());
            if let Err(e) = result {
                session.note_error(epoch, &e);
                error.set(Some(e));
            }
            settings.follow.set(false);
        });
    });
    on_cleanup(stop);
    error
}

#[component]
fn LogControls(
    choice: Memo<Choice>,
    settings: LogSettings,
    /// The logs tab's address, to which `&container=` is added.
    base: String,
    on_refresh: impl Fn() + 'static,
) -> impl IntoView {
    let navigate = use_navigate();
    let choose = move |id: String| {
        navigate(&format!("{base}&container={id}"), Default::default());
    };
    let number = |ev: &leptos::ev::Event| event_target_value(ev).parse::<u32>().ok();
    let tail = settings.tail;
    view! {
        <div class="toolbar log-controls">
            <label class="sr-only" for="log-container">"Container"</label>
            <select id="log-container" on:change=move |ev| choose(event_target_value(&ev))>
                {move || match choice.get() {
                    Choice::Chosen { source, all } => all
                        .into_iter()
                        .map(|s| {
                            let selected = s.container_id == source.container_id;
                            view! { <option value=s.container_id selected=selected>{s.label}</option> }
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
            <label class="check"><input type="checkbox" id="log-timestamps" bind:checked=settings.timestamps/>"timestamps"</label>
            <label class="check"><input type="checkbox" id="log-stdout" bind:checked=settings.stdout/>"stdout"</label>
            <label class="check"><input type="checkbox" id="log-stderr" bind:checked=settings.stderr/>"stderr"</label>
            <button class="small refresh-logs" on:click=move |_| on_refresh()>"↻ Refresh"</button>
            <label class="check"><input type="checkbox" id="log-follow" bind:checked=settings.follow/>"follow"</label>
        </div>
        <Show when=move || settings.follow.get()>
            <p class="hint follow-note">
                "Following: new lines appear as the container writes them. Portainer passes a local \
                 environment's log on in bursts of about 4 KB, so a quiet container's lines can take a while."
            </p>
        </Show>
    }
}
