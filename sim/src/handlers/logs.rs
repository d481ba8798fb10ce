//! `GET /containers/{id}/logs`: Docker's multiplexed stream (8-byte frame headers) or raw text
//! for TTY containers, with `tail`, `timestamps`, `stdout`, `stderr`, `since`, `until` and
//! `follow`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};

use crate::clock::{self, rfc3339_nano};
use crate::error::docker_error;
use crate::model::docker::Container;
use crate::query::Query;
use crate::seed::logs::{history, history_len, line, LogLine};
use crate::state::Sim;

/// How often a followed container writes a new line.
const FOLLOW_INTERVAL: Duration = Duration::from_secs(1);

/// What Go's HTTP server gathers before it writes (its 2 KiB chunking buffer feeding a 4 KiB
/// `bufio.Writer`): a response copied without flushing leaves in bursts of this size.
const UNFLUSHED_BURST: usize = 4096;

#[derive(Clone, Copy)]
struct Options {
    stdout: bool,
    stderr: bool,
    timestamps: bool,
    tty: bool,
}

impl Options {
    /// Whether a line is sent: with a TTY everything is on stdout.
    fn keeps(&self, line: &LogLine) -> bool {
        if self.tty {
            self.stdout
        } else {
            (line.stream == 1 && self.stdout) || (line.stream == 2 && self.stderr)
        }
    }

    /// One line as Docker sends it: a framed payload, or raw text (with the TTY's CRLF).
    fn encode(&self, line: &LogLine, out: &mut Vec<u8>) {
        let mut payload = String::new();
        if self.timestamps {
            payload.push_str(&rfc3339_nano(line.secs, line.nanos));
            payload.push(' ');
        }
        payload.push_str(&line.text);
        payload.push_str(if self.tty { "\r\n" } else { "\n" });
        if !self.tty {
            out.push(line.stream);
            out.extend_from_slice(&[0, 0, 0]);
            out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        }
        out.extend_from_slice(payload.as_bytes());
    }
}

/// Docker's `since`/`until`: unix seconds, optionally with a fractional part.
fn unix_param(query: &Query, name: &str) -> Option<i64> {
    let raw = query.get(name);
    let secs = raw.split('.').next().unwrap_or("");
    secs.parse().ok()
}

/// The log answer. `socket`: the environment is the local Docker socket, whose proxy
/// (`api/http/proxy/factory/docker.go` `(*dockerLocalProxy).ServeHTTP`) copies Docker's answer
/// with `io.Copy` and never flushes: a followed log then reaches the client in bursts of about
/// 4 KiB, and not even the status line and headers leave before the first burst. TCP and agent
/// environments go through `httputil.ReverseProxy`, which flushes every write.
pub async fn response(
    sim: Arc<Sim>,
    container: Container,
    query: &Query,
    socket: bool,
) -> Response {
    let options = Options {
        stdout: query.docker_bool("stdout"),
        stderr: query.docker_bool("stderr"),
        timestamps: query.docker_bool("timestamps"),
        tty: container.tty,
    };
    if !options.stdout && !options.stderr {
        return docker_error(
            StatusCode::BAD_REQUEST,
            "Bad parameters: you must choose at least one stream",
        );
    }
    let since = unix_param(query, "since");
    let until = unix_param(query, "until");
    let mut lines: Vec<LogLine> = history(&container, sim.boot)
        .into_iter()
        .filter(|l| options.keeps(l))
        .filter(|l| since.is_none_or(|s| l.secs >= s))
        .filter(|l| until.is_none_or(|u| u <= 0 || l.secs <= u))
        .collect();
    match query.get("tail") {
        "" | "all" => {}
        n => {
            if let Ok(n) = n.parse::<usize>() {
                let skip = lines.len().saturating_sub(n);
                lines.drain(..skip);
            }
        }
    }
    let mut first = Vec::new();
    for l in &lines {
        options.encode(l, &mut first);
    }
    let content_type = if options.tty {
        "application/vnd.docker.raw-stream"
    } else {
        "application/vnd.docker.multiplexed-stream"
    };
    let follow = query.docker_bool("follow") && container.is_running();
    let body = if follow {
        let next = history_len(&container, sim.boot);
        let ticks = stream::unfold(next, move |i| {
            let sim = sim.clone();
            let container_id = container.id.clone();
            async move {
                tokio::time::sleep(FOLLOW_INTERVAL).await;
                // Docker ends a follow when the container stops or disappears.
                let current = sim
                    .read()
                    .containers
                    .iter()
                    .find(|c| c.id == container_id && c.is_running())
                    .cloned()?;
                let (secs, nanos) = clock::now_nanos();
                let (stream_no, text) = line(&current, i, secs);
                let mut chunk = Vec::new();
                let l = LogLine {
                    stream: stream_no,
                    secs,
                    nanos,
                    text,
                };
                if options.keeps(&l) {
                    options.encode(&l, &mut chunk);
                }
                Some((Ok::<Bytes, Infallible>(Bytes::from(chunk)), i + 1))
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
