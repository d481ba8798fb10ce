//! `GET /api/v1/namespaces/{ns}/pods/{name}/log`: one container's log as plain text, one line
//! per log line, each prefixed by its RFC3339Nano time and a space with `timestamps=true`. The
//! API server checks, in order: RBAC (`pods/log`, verb get), the query
//! (`pkg/registry/core/pod/rest/log.go` `LogREST.Get`: decoding, then
//! `ValidatePodLogOptions`), the pod, and the container (`pkg/registry/core/pod/strategy.go`
//! `LogLocation`); the kubelet then picks the run to read (`kubelet_pods.go`
//! `validateContainerLogStatus`) and writes it (`kuberuntime/logs/logs.go` `ReadLogs`: the
//! tail first, then `sinceSeconds`; fixed-width nanoseconds). The lines come from the same
//! generator as the Docker containers' logs (`seed::logs`); a followed running container adds
//! lines at the pace of the Docker logs (`Config::log_lines_per_sec`, one a second by default).

use std::collections::BTreeMap;
use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};

use super::status::{cache_control, Cause, GroupResource, Status};
use super::{Call, Params};
use crate::clock::{self, rfc3339_nano};
use crate::handlers::logs::Pace;
use crate::model::docker::{Container, RunState};
use crate::model::kubernetes::{ContainerState, Pod, PodContainer};
use crate::seed::logs::{history, history_len, line_at, LogLine};
use crate::state::Sim;

/// `PodLogOptions` as read from the query (`runtime/conversion.go`: a boolean is true when
/// present and neither `0` nor `false`; numbers are `strconv.ParseInt`'s).
struct Options {
    container: String,
    follow: bool,
    previous: bool,
    timestamps: bool,
    tail_lines: Option<i64>,
    since_seconds: Option<i64>,
    /// Only checked against `sinceSeconds`; not applied (docs/portainer-api.md §15.5).
    since_time: bool,
    limit_bytes: Option<i64>,
}

fn number(params: &Params, name: &str) -> Result<Option<i64>, Status> {
    match params.first(name) {
        None => Ok(None),
        Some(raw) => raw.parse::<i64>().map(Some).map_err(|err| {
            let why = match err.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    "value out of range"
                }
                _ => "invalid syntax",
            };
            Status::bad_request(format!("strconv.ParseInt: parsing {raw:?}: {why}"))
        }),
    }
}

impl Options {
    fn read(params: &Params) -> Result<Self, Status> {
        let flag = |name: &str| {
            params
                .first(name)
                .is_some_and(|v| v != "0" && !v.eq_ignore_ascii_case("false"))
        };
        Ok(Options {
            container: params.first("container").unwrap_or_default().to_string(),
            follow: flag("follow"),
            previous: flag("previous"),
            timestamps: flag("timestamps"),
            tail_lines: number(params, "tailLines")?,
            since_seconds: number(params, "sinceSeconds")?,
            since_time: params.first("sinceTime").is_some(),
            limit_bytes: number(params, "limitBytes")?,
        })
    }

    /// `ValidatePodLogOptions`.
    fn validate(&self, pod: &str) -> Result<(), Status> {
        let mut causes = Vec::new();
        if let Some(n) = self.tail_lines.filter(|n| *n < 0) {
            causes.push(Cause {
                field: "tailLines",
                value: Some(n),
                detail: "must be greater than or equal to 0",
            });
        }
        if let Some(n) = self.limit_bytes.filter(|n| *n < 1) {
            causes.push(Cause {
                field: "limitBytes",
                value: Some(n),
                detail: "must be greater than 0",
            });
        }
        match (self.since_seconds, self.since_time) {
            (Some(_), true) => causes.push(Cause {
                field: "",
                value: None,
                detail: "at most one of `sinceTime` or `sinceSeconds` may be specified",
            }),
            (Some(n), false) if n < 1 => causes.push(Cause {
                field: "sinceSeconds",
                value: Some(n),
                detail: "must be greater than 0",
            }),
            _ => {}
        }
        if causes.is_empty() {
            Ok(())
        } else {
            Err(Status::invalid("PodLogOptions", pod, &causes))
        }
    }
}

/// `LogLocation`: the named container, or the only one.
fn pick<'a>(pod: &'a Pod, wanted: &str) -> Result<&'a PodContainer, Status> {
    if wanted.is_empty() {
        return match pod.containers.as_slice() {
            [only] => Ok(only),
            [] => Err(Status::bad_request(format!(
                "a container name must be specified for pod {}",
                pod.name
            ))),
            many => {
                let names: Vec<&str> = many.iter().map(|c| c.name.as_str()).collect();
                Err(Status::bad_request(format!(
                    "a container name must be specified for pod {}, choose one of: [{}]",
                    pod.name,
                    names.join(" ")
                )))
            }
        };
    }
    pod.container(wanted).ok_or_else(|| {
        Status::bad_request(format!(
            "container {wanted} is not valid for pod {}",
            pod.name
        ))
    })
}

/// `validateContainerLogStatus`: the run whose log is read, `(started, finished)`.
fn run_of(pod: &Pod, c: &PodContainer, previous: bool) -> Result<(i64, Option<i64>), Status> {
    if previous {
        return c
            .last_state
            .as_ref()
            .map(|t| (t.started_at, Some(t.finished_at)))
            .ok_or_else(|| {
                Status::bad_request(format!(
                    "previous terminated container {:?} in pod {:?} not found",
                    c.name, pod.name
                ))
            });
    }
    c.log_run().ok_or_else(|| {
        let reason = match &c.state {
            ContainerState::Waiting { reason, .. } => reason.as_str(),
            _ => "",
        };
        Status::bad_request(format!(
            "container {:?} in pod {:?} is waiting to start: {reason}",
            c.name, pod.name
        ))
    })
}

/// The run as the log generator knows containers.
fn source(pod: &Pod, c: &PodContainer, (started, finished): (i64, Option<i64>)) -> Container {
    Container {
        id: format!("{}/{}/{started}", pod.uid(), c.name),
        name: c.name.clone(),
        env_id: 0,
        stack_id: None,
        image: c.image.clone(),
        image_id: String::new(),
        command: Vec::new(),
        created: started,
        labels: BTreeMap::new(),
        state: match finished {
            None => RunState::Running,
            Some(_) => RunState::Exited(1),
        },
        started_at: started,
        finished_at: finished.unwrap_or(0),
        health: None,
        tty: false,
        ports: Vec::new(),
        network: String::new(),
        ip: pod.pod_ip.clone(),
        node: Some(pod.node.clone()),
        env: Vec::new(),
        mounts: Vec::new(),
        log_kind: c.log,
        restart_count: c.restart_count,
    }
}

/// A container's log file is in time order. The shared generator gives the lines of one second
/// made-up fractions that can go backwards (short runs write several lines a second), so a line
/// that would come before its predecessor is moved forward within that second.
fn in_time_order(lines: &mut [LogLine]) {
    for i in 1..lines.len() {
        let (secs, nanos) = (lines[i - 1].secs, lines[i - 1].nanos);
        if (lines[i].secs, lines[i].nanos) <= (secs, nanos) {
            lines[i].secs = secs;
            lines[i].nanos = nanos + (999_999_999 - nanos).div_ceil(2);
        }
    }
}

fn encode(l: &LogLine, timestamps: bool, out: &mut Vec<u8>) {
    if timestamps {
        out.extend_from_slice(rfc3339_nano(l.secs, l.nanos).as_bytes());
        out.push(b' ');
    }
    out.extend_from_slice(l.text.as_bytes());
    out.push(b'\n');
}

/// Whether the followed run still goes on.
fn still_running(sim: &Sim, env_id: i64, pod: &Pod, container: &str, started: i64) -> bool {
    let db = sim.read();
    db.kubernetes
        .iter()
        .find(|c| c.env_id == env_id)
        .and_then(|cluster| cluster.pod(&pod.namespace, &pod.name))
        .and_then(|p| p.container(container))
        .is_some_and(
            |c| matches!(c.state, ContainerState::Running { started_at } if started_at == started),
        )
}

/// What the API server answers once RBAC let the request through.
pub fn log(call: &Call, pod: Option<Pod>, name: &str) -> Response {
    let found = Options::read(call.params)
        .and_then(|options| options.validate(name).map(|()| options))
        .and_then(|options| {
            let pod = pod.ok_or_else(|| Status::not_found(GroupResource::PODS, name))?;
            let c = pick(&pod, &options.container)?.clone();
            let run = run_of(&pod, &c, options.previous)?;
            Ok((options, pod, c, run))
        });
    let (options, pod, c, run) = match found {
        Ok(found) => found,
        Err(status) => return status.respond(call.encoding),
    };
    let src = source(&pod, &c, run);
    let mut lines = history(&src, call.sim.boot);
    in_time_order(&mut lines);
    if let Some(n) = options.tail_lines {
        lines.drain(..lines.len().saturating_sub(n as usize));
    }
    let (now, now_nanos) = clock::now_nanos();
    let since = options.since_seconds.map(|s| (now - s, now_nanos));
    let mut first = Vec::new();
    for l in lines
        .iter()
        .filter(|l| since.is_none_or(|s| (l.secs, l.nanos) >= s))
    {
        encode(l, options.timestamps, &mut first);
    }
    let limit = options.limit_bytes.map(|n| n as usize);
    if let Some(limit) = limit {
        first.truncate(limit);
    }
    let body = if options.follow && run.1.is_none() && limit.is_none_or(|l| first.len() < l) {
        let sim = call.sim.clone();
        let env_id = call.env.id;
        let timestamps = options.timestamps;
        let cursor = (history_len(&src, sim.boot), first.len());
        // The pace of the Docker logs: each write brings the container's next lines.
        let ticker = Pace::new(sim.log_lines_per_sec).ticker();
        let ticks = stream::unfold((ticker, cursor), move |(mut ticker, (mut i, written))| {
            let (sim, pod, src) = (sim.clone(), pod.clone(), src.clone());
            async move {
                let times = ticker.next().await;
                if limit.is_some_and(|l| written >= l)
                    || !still_running(&sim, env_id, &pod, &src.name, src.started_at)
                {
                    return None;
                }
                let mut chunk = Vec::new();
                for (secs, nanos) in times {
                    let (stream, text) = line_at(&src, i, secs, nanos);
                    i += 1;
                    let l = LogLine {
                        stream,
                        secs,
                        nanos,
                        text,
                    };
                    encode(&l, timestamps, &mut chunk);
                }
                if let Some(limit) = limit {
                    chunk.truncate(limit - written);
                }
                let written = written + chunk.len();
                Some((
                    Ok::<Bytes, Infallible>(Bytes::from(chunk)),
                    (ticker, (i, written)),
                ))
            }
        })
        .filter(|chunk| std::future::ready(chunk.as_ref().map_or(true, |c| !c.is_empty())));
        let head = stream::once(async move { Ok::<Bytes, Infallible>(Bytes::from(first)) });
        Body::from_stream(head.chain(ticks))
    } else {
        Body::from(first)
    };
    text_response(body)
}

/// `LogREST` streams with `ContentType: "text/plain"`, flushing each write when following.
fn text_response(body: Body) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    cache_control(headers);
    response
}
