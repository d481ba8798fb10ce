//! The stack's logs (`/stacks/<id>/logs`): every container of a compose stack, every service
//! of a swarm stack (its tasks' lines, each named `service.slot@node`), or every container of
//! a Kubernetes stack's pods (`pod/container`), in one view
//! like `docker compose logs`. Each source's last lines are fetched in parallel and
//! interleaved by time; follow keeps one stream per source and adds lines as they arrive. A
//! source that fails says so in its own line and the others go on. The options live in the
//! URL; leaving the page, changing the sources or the connection cancels every request.

mod controls;
mod protocol;

use super::LoadedStack;
use crate::components::log_view::{LogSink, LogView, Look};
use crate::components::{ErrorMessage, Loading};
use crate::domain::failures::Asked;
use crate::domain::log_buffer::DEFAULT_MAX_BYTES;
use crate::domain::stack_logs::connections::{followed_at_once, HTTP1_STREAMS};
use crate::domain::stack_logs::merge::merge_by_time;
use crate::domain::stack_logs::query::StackLogsQuery;
use crate::domain::stack_logs::sources::{
    split_details, stack_log_sources, task_label, Origins, StackLogSource,
};
use crate::portainer::{
    ApiError, CancelHandle, Client, LogDemuxer, LogLine, LogOptions, LogTarget, NodeSummary, Since,
    StackType, TaskSummary,
};
use crate::routes::{path_and_query, Page};
use crate::session::workload::WorkloadResource;
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::cell::RefCell;
use std::rc::Rc;

/// Each source's last lines (None where it failed), and how many answers are still to come.
type Tails = (Vec<Option<Vec<LogLine>>>, usize);

/// A source that could not be read, by its prefix.
type SourceErrors = RwSignal<Vec<(String, ApiError)>>;

#[component]
pub fn Logs(loaded: LoadedStack, workload: Option<WorkloadResource>) -> impl IntoView {
    let Some(workload) = workload else {
        return view! {
            <p class="msg msg-warn">{format!("Portainer reports an unknown stack type ({}); Portlight cannot tell where its logs are.", loaded.stack.kind.as_u32())}</p>
        }
        .into_any();
    };
    let kubernetes = loaded.stack.kind == StackType::Kubernetes;
    let list_asked = super::containers::asked_for(loaded.stack.kind);
    let log_asked = if kubernetes {
        Asked::PodLogs
    } else {
        Asked::Logs
    };
    let what = if kubernetes { "pods" } else { "containers" };
    let session = use_session();
    let stack_id = loaded.stack.id;
    let env_id = loaded.stack.endpoint_id;
    let stack_name = loaded.stack.name.clone();
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|m| StackLogsQuery::from_pairs(m.into_iter().map(|(k, v)| (&k[..], v))))
    });
    let navigate = use_navigate();
    let set_query = Callback::new(move |q: StackLogsQuery| {
        let to = path_and_query(&Page::StackLogs(stack_id).path(), &q.to_query());
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    // The sources, and a swarm stack's tasks (for the prefixes); equal answers of the
    // automatic refresh change nothing.
    let sources = Memo::new(move |_| {
        workload.get().map(|answer| {
            answer.map(|w| {
                let tasks = match &w.workload {
                    crate::domain::containers::Workload::Swarm { tasks, .. } => tasks.clone(),
                    _ => Vec::new(),
                };
                (stack_log_sources(&w.workload, &stack_name), tasks)
            })
        })
    });
    // An older link's `?container=<id>` becomes `?only=<name>` once the sources are known; an
    // id that is not one of this stack's is said, and only the stack's own logs are shown.
    let not_ours = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(id) = query.with(|q| q.container.clone()) else {
            return;
        };
        if let Some(Ok((list, _))) = sources.get() {
            let mut q = query.get_untracked();
            q.container = None;
            if let Some(s) = list
                .iter()
                .find(|s| s.target == LogTarget::Container { id: id.clone() })
            {
                q.sources = crate::domain::stack_logs::query::Selection::only(&s.key);
                set_query.run(q);
            } else {
                not_ours.set(Some(id.chars().take(12).collect()));
            }
        }
    });
    let look = move |q: &StackLogsQuery| Look {
        filter: q.filter.clone(),
        stdout: q.stdout,
        stderr: q.stderr,
        timestamps: q.timestamps,
    };
    let sink = LogSink::new(DEFAULT_MAX_BYTES, query.with_untracked(look));
    Effect::new(move |_| sink.set_look(query.with(look)));
    let errors: SourceErrors = RwSignal::new(Vec::new());
    let unfollowed = RwSignal::new(Vec::<String>::new());
    let loading = RwSignal::new(false);
    let streams = Streams::new();
    // Fetches again only when what is asked of Portainer changes (not for a filter or a
    // timestamp toggle), or the sources or the connection do.
    let last = StoredValue::new_local(None);
    Effect::new(move |_| {
        let key = query.with(StackLogsQuery::fetch_key);
        let epoch = session.epoch.get();
        let listed = sources.get();
        let seen = (key.clone(), epoch, listed.clone());
        if last.with_value(|l| l.as_ref() == Some(&seen)) {
            return;
        }
        last.set_value(Some(seen));
        streams.stop();
        let Some(Ok((all, tasks))) = listed else {
            return;
        };
        let epoch = session.epoch_now();
        let Some(client) = session.client_for(epoch) else {
            return;
        };
        sink.reset(Origins::new(&all));
        errors.set(Vec::new());
        unfollowed.set(Vec::new());
        let (tail, since, follow, selection) = key;
        let shown: Vec<(u32, StackLogSource)> = all
            .into_iter()
            .enumerate()
            .filter(|(_, s)| selection.shows(&s.key))
            .map(|(i, s)| (i as u32, s))
            .collect();
        let options = LogOptions {
            tail: Some(tail.unwrap_or_else(|| session.preferences.with_untracked(|p| p.log_tail))),
            timestamps: true,
            since: since.map(|ago| Since {
                at: crate::components::clock::now_secs() - i64::from(ago),
                ago,
            }),
            ..LogOptions::default()
        };
        let mut run = Run {
            client,
            env_id,
            sink,
            errors,
            unfollowed,
            session,
            epoch,
            tasks: Rc::new(tasks),
            nodes: Rc::new(Vec::new()),
            cancel: streams.handle(),
        };
        loading.set(!shown.is_empty());
        let swarm = shown
            .iter()
            .any(|(_, s)| matches!(s.target, LogTarget::Service { .. }));
        spawn_local(async move {
            // A swarm's tasks are named after their node's hostname; without the list (an
            // error, an old answer) the node's short id does.
            if swarm {
                if let Ok(nodes) = run.client.nodes(env_id).await {
                    run.nodes = Rc::new(nodes.items);
                }
            }
            if run.current() {
                fetch_tails(run, shown, options, follow, loading);
            }
        });
    });
    on_cleanup(move || streams.stop());
    let wrap = Signal::derive(move || query.with(|q| q.wrap));
    let download_name = format!("{}-logs.txt", loaded.stack.name);
    view! {
        <div class="card logs-card stack-logs">
            {move || match sources.get() {
                None => view! { <Loading what=format!("Loading the stack's {what}…")/> }.into_any(),
                Some(Err(error)) => view! { <ErrorMessage doing=format!("Loading the stack's {what}") error asked=list_asked/> }.into_any(),
                Some(Ok((list, _))) if list.is_empty() && kubernetes => view! {
                    <p class="empty">"This stack has no pod to show logs of: its workloads may be scaled to zero, or its objects deleted outside Portainer."</p>
                }
                .into_any(),
                Some(Ok((list, _))) if list.is_empty() => view! {
                    <p class="empty">"This stack has nothing running to show logs of: it may be stopped (Portainer removes a stopped stack's containers and services)."</p>
                }
                .into_any(),
                Some(Ok((list, _))) => view! {
                    <controls::Controls sources=list query set_query sink download_name=download_name.clone()/>
                }
                .into_any(),
            }}
            {move || not_ours.get().map(|id| view! {
                <p class="msg msg-error not-of-this-stack" role="alert">
                    "This stack has no container " <code>{id}</code>
                    ": the link may be for another stack, or the container was removed. The stack's own logs are below."
                </p>
            })}
            {move || loading.get().then(|| view! { <Loading what="Loading logs…"/> })}
            {move || unfollowed.with(|names| (!names.is_empty()).then(|| view! {
                <p class="msg msg-warn not-followed" role="status">
                    {format!(
                        "Following {HTTP1_STREAMS} sources, not {} more ({}): their last lines are shown. \
                         This browser reaches Portainer over HTTP/1.1, where it opens at most six \
                         connections to a server and each followed source holds one, so more would \
                         hold up every other request. Choose fewer sources, or reach Portainer through \
                         a reverse proxy that speaks HTTP/2 (Portainer itself serves HTTP/1.1 only).",
                        names.len(),
                        names.join(", ")
                    )}
                </p>
            }))}
            <ul class="source-errors" role="status">
                {move || errors.get().into_iter().map(|(label, error)| view! {
                    <li class="source-error">
                        <strong>{label}</strong>": "
                        <ErrorMessage doing="Reading this log" error asked=log_asked/>
                    </li>
                }).collect_view()}
            </ul>
            <LogView sink wrap/>
        </div>
    }
    .into_any()
}

/// What every request of one fetch shares: the connection it belongs to and where its lines
/// and errors go. A newer fetch cancels `cancel`, so late answers are dropped.
#[derive(Clone)]
struct Run {
    client: Client,
    env_id: u32,
    sink: LogSink,
    errors: SourceErrors,
    /// Sources not followed: over HTTP/1.1 only `HTTP1_STREAMS` are.
    unfollowed: RwSignal<Vec<String>>,
    session: Session,
    epoch: u32,
    tasks: Rc<Vec<TaskSummary>>,
    nodes: Rc<Vec<NodeSummary>>,
    cancel: CancelHandle,
}

impl Run {
    fn current(&self) -> bool {
        !self.cancel.is_cancelled() && self.session.epoch_now() == self.epoch
    }

    fn failed(&self, source: &StackLogSource, error: ApiError) {
        if self.current() {
            self.session.note_error(self.epoch, &error);
            self.errors
                .update(|e| e.push((source.label.clone(), error)));
        }
    }

    /// The source's lines with their origin: the source, or for a swarm service the task
    /// that wrote it (its details removed from the text).
    fn tag(&self, index: u32, source: &StackLogSource, mut lines: Vec<LogLine>) -> Vec<LogLine> {
        let service = matches!(source.target, LogTarget::Service { .. });
        for line in &mut lines {
            line.origin = index;
            if !service {
                continue;
            }
            let (details, rest) = split_details(&line.text);
            if let Some(details) = details {
                let hostname = |id: &str| {
                    let node = self.nodes.iter().find(|n| n.id == id)?;
                    Some(node.description.hostname.clone()).filter(|h| !h.is_empty())
                };
                let label = task_label(&source.label, &details, &self.tasks, &hostname);
                line.text = rest.to_string();
                line.origin = self.sink.intern(index, label);
            }
        }
        lines
    }
}

/// Each shown source's last lines, in parallel; once all have answered, interleaved by time
/// into the view, then (with follow) one stream per source that answered.
fn fetch_tails(
    run: Run,
    shown: Vec<(u32, StackLogSource)>,
    options: LogOptions,
    follow: bool,
    loading: RwSignal<bool>,
) {
    let total = shown.len();
    let tails: Rc<RefCell<Tails>> = Rc::new(RefCell::new((vec![None; total], total)));
    let shown = Rc::new(shown);
    for k in 0..total {
        let (run, options, tails, shown) =
            (run.clone(), options.clone(), tails.clone(), shown.clone());
        spawn_local(async move {
            let (index, source) = &shown[k];
            let answer = run.client.logs(run.env_id, &source.target, &options).await;
            if !run.current() {
                return;
            }
            let lines = match answer {
                Ok(bytes) => {
                    let mut demux = LogDemuxer::new(source.target.framing(), true);
                    let mut lines = demux.push(&bytes);
                    lines.extend(demux.finish());
                    Some(run.tag(*index, source, lines))
                }
                Err(error) => {
                    run.failed(source, error);
                    None
                }
            };
            let mut tails = tails.borrow_mut();
            let (answers, waiting) = &mut *tails;
            answers[k] = lines;
            *waiting -= 1;
            if *waiting > 0 {
                return;
            }
            let answered: Vec<usize> = (0..total).filter(|&i| answers[i].is_some()).collect();
            let batches: Vec<Vec<LogLine>> = answers.iter_mut().filter_map(Option::take).collect();
            drop(tails);
            run.sink.append(merge_by_time(batches));
            loading.set(false);
            if follow {
                let protocol = protocol::protocol_to(run.client.base_url());
                let (now, not) = answered.split_at(followed_at_once(&protocol, answered.len()));
                run.unfollowed
                    .set(not.iter().map(|&i| shown[i].1.label.clone()).collect());
                for &i in now {
                    let (index, source) = shown[i].clone();
                    follow_source(run.clone(), index, source, &options);
                }
            }
        });
    }
}

/// Streams a source's new lines into the view until the run is cancelled or the log ends
/// (a container that stops ends its stream).
fn follow_source(run: Run, index: u32, source: StackLogSource, options: &LogOptions) {
    let options = LogOptions {
        tail: Some(0),
        since: None,
        ..options.clone()
    };
    spawn_local(async move {
        let mut demux = LogDemuxer::new(source.target.framing(), true);
        let cancel = run.cancel.clone();
        let result = run
            .client
            .follow_logs(run.env_id, &source.target, &options, &cancel, |chunk| {
                if run.current() {
                    let lines = demux.push(chunk);
                    run.sink.append(run.tag(index, &source, lines));
                }
            })
            .await;
        if !run.current() {
            return;
        }
        run.sink.append(run.tag(index, &source, demux.finish()));
        if let Err(error) = result {
            run.failed(&source, error);
        }
    });
}

/// The cancel handle of the current fetch: a new fetch, a new connection or leaving the page
/// cancels every request of the one before.
#[derive(Clone, Copy)]
struct Streams(StoredValue<Option<CancelHandle>, LocalStorage>);

impl Streams {
    fn new() -> Self {
        Self(StoredValue::new_local(None))
    }

    fn stop(&self) {
        if let Some(handle) = self.0.try_get_value().flatten() {
            handle.cancel();
        }
    }

    fn handle(&self) -> CancelHandle {
        let handle = CancelHandle::new();
        self.0.set_value(Some(handle.clone()));
        handle
    }
}

/// Where the logs tab links for one container or service: its source alone.
pub fn href_for(stack_id: u32, key: &str) -> String {
    href_for_sources(stack_id, vec![key.to_string()])
}

/// The logs of these sources only (a pod's containers).
pub fn href_for_sources(stack_id: u32, keys: Vec<String>) -> String {
    let q = StackLogsQuery {
        sources: crate::domain::stack_logs::query::Selection::Only(keys),
        ..StackLogsQuery::default()
    };
    path_and_query(&Page::StackLogs(stack_id).path(), &q.to_query())
}
