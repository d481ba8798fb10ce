//! Docker's log streams behind the proxy, `GET /containers/{id}/logs` and
//! `GET /services/{id}/logs`. Both are written by the daemon's `WriteLogStream`
//! (`api/server/httputils/write_log_stream.go`): 8-byte frame headers (`stdcopy`) unless there
//! is a TTY, then raw text; each line optionally prefixed by its timestamp and, with
//! `details`, its log attributes.

mod pace;
mod params;
mod service;

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};

use crate::clock::rfc3339_nano;
use crate::model::docker::Container;
use crate::seed::logs::{history, history_len, line_at, LogLine};
use crate::state::{Sim, State};

pub use pace::Pace;
pub use params::LogRequest;
pub use service::service_logs;

/// What Go's HTTP server gathers before it writes (its 2 KiB chunking buffer feeding a 4 KiB
/// `bufio.Writer`): a response copied without flushing leaves in bursts of this size.
const UNFLUSHED_BURST: usize = 4096;

/// One container's log within an answer.
#[derive(Clone, Debug)]
pub struct Source {
    pub container: Container,
    /// What `details=1` writes before each line (`attrsByteSlice`): the log attributes as
    /// `key=value` pairs sorted by key, query-escaped, joined by commas. A container whose log
    /// driver adds none has "", so its detailed lines start with the separating space.
    pub attrs: String,
}

/// What a followed answer waits on for new lines.
#[derive(Clone, Debug)]
pub enum Follow {
    /// The container's log ends when it stops or goes (`daemon/logs.go`).
    Container(String),
    /// A service's log never ends (swarmkit's `subscription.Wait`: "Follow subscriptions
    /// never end"); whichever of its tasks run write to it.
    Service { env_id: i64, service_id: String },
}

/// A log answer, built under the database lock and streamed outside it.
#[derive(Debug)]
pub struct Logs {
    pub sources: Vec<Source>,
    pub request: LogRequest,
    pub tty: bool,
    pub follow: Option<Follow>,
}

impl Logs {
    /// `GET /containers/{id}/logs` of a found container.
    pub fn container(container: Container, request: LogRequest) -> Self {
        let follow = (request.follow && container.is_running())
            .then(|| Follow::Container(container.id.clone()));
        Logs {
            tty: container.tty,
            sources: vec![Source {
                container,
                attrs: String::new(),
            }],
            request,
            follow,
        }
    }

    /// The stream a line goes to: a TTY has only stdout.
    fn stream_of(&self, line: &LogLine) -> u8 {
        if self.tty {
            1
        } else {
            line.stream
        }
    }

    /// One line as `WriteLogStream` writes it: `<timestamp> <attrs> <text>`, the first two
    /// only when asked for, framed unless there is a TTY (whose lines end in CRLF).
    fn encode(&self, line: &LogLine, attrs: &str, out: &mut Vec<u8>) {
        let stream = self.stream_of(line);
        if !self.request.shows(stream) {
            return;
        }
        let mut payload = String::new();
        if self.request.timestamps {
            payload.push_str(&rfc3339_nano(line.secs, line.nanos));
            payload.push(' ');
        }
        if self.request.details {
            payload.push_str(attrs);
            payload.push(' ');
        }
        payload.push_str(&line.text);
        payload.push_str(if self.tty { "\r\n" } else { "\n" });
        if !self.tty {
            out.push(stream);
            out.extend_from_slice(&[0, 0, 0]);
            out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        }
        out.extend_from_slice(payload.as_bytes());
    }

    /// What each source has written so far, tailed and windowed on its own, then merged by
    /// time (each source keeping its own order). Docker promises no order between the tasks
    /// of a service (swarmkit's log broker relays each node's messages as they come); time
    /// order keeps the simulator deterministic.
    fn history(&self, boot: i64) -> Vec<(LogLine, usize)> {
        let mut queues: Vec<std::collections::VecDeque<LogLine>> = self
            .sources
            .iter()
            .map(|source| {
                let mut lines = history(&source.container, boot);
                if let Some(n) = self.request.tail {
                    lines.drain(..lines.len().saturating_sub(n));
                }
                lines
                    .into_iter()
                    .filter(|l| self.request.window((l.secs, l.nanos)))
                    .collect()
            })
            .collect();
        let mut merged = Vec::new();
        loop {
            let next = queues
                .iter()
                .enumerate()
                .filter_map(|(i, q)| q.front().map(|l| ((l.secs, l.nanos, i), i)))
                .min()
                .map(|(_, i)| i);
            let Some(i) = next else { break };
            if let Some(l) = queues[i].pop_front() {
                merged.push((l, i));
            }
        }
        merged
    }

    /// The running sources of a followed answer now; `None` ends the answer.
    fn live(&self, db: &State) -> Option<Vec<Source>> {
        match self.follow.as_ref()? {
            Follow::Container(id) => db
                .containers
                .iter()
                .find(|c| c.id == *id && c.is_running())
                .map(|c| {
                    vec![Source {
                        container: c.clone(),
                        attrs: String::new(),
                    }]
                }),
            Follow::Service { env_id, service_id } => Some(
                service::sources(db, *env_id, service_id)
                    .into_iter()
                    .filter(|s| s.container.is_running())
                    .collect(),
            ),
        }
    }
}

/// The log answer. `socket`: the environment is the local Docker socket, whose proxy
/// (`api/http/proxy/factory/docker.go` `(*dockerLocalProxy).ServeHTTP`) copies Docker's answer
/// with `io.Copy` and never flushes: a followed log then reaches the client in bursts of about
/// 4 KiB, and not even the status line and headers leave before the first burst (§5.6). TCP
/// and agent environments go through `httputil.ReverseProxy`, which flushes every write.
pub async fn response(sim: Arc<Sim>, logs: Logs, socket: bool) -> Response {
    let mut first = Vec::new();
    for (l, i) in logs.history(sim.boot) {
        logs.encode(&l, &logs.sources[i].attrs, &mut first);
    }
    let content_type = if logs.tty {
        "application/vnd.docker.raw-stream"
    } else {
        "application/vnd.docker.multiplexed-stream"
    };
    let body = if logs.follow.is_some() {
        // Each container's next line: the one after what it wrote before the request.
        let cursors: HashMap<String, i64> = logs
            .sources
            .iter()
            .map(|s| (s.container.id.clone(), history_len(&s.container, sim.boot)))
            .collect();
        let logs = Arc::new(logs);
        // Each write: every running source's next lines, in time order across the sources.
        let ticker = Pace::new(sim.log_lines_per_sec).ticker();
        let ticks = stream::unfold((ticker, cursors), move |(mut ticker, mut cursors)| {
            let sim = sim.clone();
            let logs = logs.clone();
            async move {
                let times = ticker.next().await;
                let live = logs.live(&sim.read())?;
                let mut chunk = Vec::new();
                for &(secs, nanos) in &times {
                    for source in &live {
                        let c = &source.container;
                        let i = cursors
                            .entry(c.id.clone())
                            .or_insert_with(|| history_len(c, sim.boot));
                        let (stream_no, text) = line_at(c, *i, secs, nanos);
                        *i += 1;
                        let l = LogLine {
                            stream: stream_no,
                            secs,
                            nanos,
                            text,
                        };
                        logs.encode(&l, &source.attrs, &mut chunk);
                    }
                }
                Some((
                    Ok::<Bytes, Infallible>(Bytes::from(chunk)),
                    (ticker, cursors),
                ))
            }
        })
        .filter(|chunk| std::future::ready(chunk.as_ref().map_or(true, |c| !c.is_empty())));
        let all =
            stream::once(async move { Ok::<Bytes, Infallible>(Bytes::from(first)) }).chain(ticks);
        if socket {
            let mut bursts = Box::pin(unflushed(all));
            // The headers leave with the first burst, not before.
            let head = bursts.next().await;
            Body::from_stream(stream::iter(head).chain(bursts))
        } else {
            Body::from_stream(all)
        }
    } else {
        Body::from(first)
    };
    let mut response = (StatusCode::OK, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Regroups a stream the way an unflushed Go response writer does: nothing leaves until
/// [`UNFLUSHED_BURST`] bytes have gathered, then exactly that many, cutting a frame wherever
/// the buffer fills; what is left leaves when the stream ends.
fn unflushed<S>(inner: S) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>>
where
    S: futures_util::Stream<Item = Result<Bytes, Infallible>> + Send + 'static,
{
    let inner = Box::pin(inner);
    stream::unfold(Some((inner, Vec::new())), |state| async move {
        let (mut inner, mut gathered) = state?;
        loop {
            if gathered.len() >= UNFLUSHED_BURST {
                let rest = gathered.split_off(UNFLUSHED_BURST);
                let burst = Bytes::from(std::mem::replace(&mut gathered, rest));
                return Some((Ok(burst), Some((inner, gathered))));
            }
            match inner.next().await {
                Some(Ok(chunk)) => gathered.extend_from_slice(&chunk),
                Some(Err(never)) => match never {},
                None if gathered.is_empty() => return None,
                None => return Some((Ok(Bytes::from(gathered)), None)),
            }
        }
    })
}
