//! The query of a log request, read as each Docker endpoint reads it. Containers
//! (`api/server/router/container/container_routes.go` `getContainersLogs`, `daemon/logs.go`
//! `ContainerLogs`) and services (`api/server/router/swarm/helpers.go` `swarmLogs`,
//! `daemon/cluster/services.go` `ServiceLogs`) share the parameters but not their errors.

use axum::http::StatusCode;

use crate::query::Query;

const NO_STREAM: &str = "Bad parameters: you must choose at least one stream";

/// Docker's refusal of a request: status and message (its body is `{"message": …}`).
pub type Failure = (StatusCode, String);

/// A time as `api/types/time` `ParseTimestamps` reads it: unix seconds, optionally with a
/// fraction.
pub type Instant = (i64, u32);

#[derive(Clone, Copy, Debug)]
pub struct LogRequest {
    pub stdout: bool,
    pub stderr: bool,
    pub timestamps: bool,
    pub details: bool,
    pub follow: bool,
    /// The last lines of each log, whatever their stream; `None`: all.
    pub tail: Option<usize>,
    pub since: Option<Instant>,
    pub until: Option<Instant>,
}

impl LogRequest {
    fn flags(query: &Query) -> Self {
        LogRequest {
            stdout: query.docker_bool("stdout"),
            stderr: query.docker_bool("stderr"),
            timestamps: query.docker_bool("timestamps"),
            details: query.docker_bool("details"),
            follow: query.docker_bool("follow"),
            tail: None,
            since: None,
            until: None,
        }
    }

    fn any_stream(query: &Query) -> bool {
        query.docker_bool("stdout") || query.docker_bool("stderr")
    }

    /// `getContainersLogs` refuses a request for no stream with a 400, before it looks for the
    /// container.
    pub fn container_streams(query: &Query) -> Result<(), Failure> {
        if Self::any_stream(query) {
            Ok(())
        } else {
            Err((StatusCode::BAD_REQUEST, NO_STREAM.into()))
        }
    }

    /// `swarmLogs` refuses it with a plain error, which the API server answers with a 500,
    /// before it looks for the service.
    pub fn service_streams(query: &Query) -> Result<(), Failure> {
        if Self::any_stream(query) {
            Ok(())
        } else {
            Err((StatusCode::INTERNAL_SERVER_ERROR, NO_STREAM.into()))
        }
    }

    /// `ContainerLogs`, once the container is found: a `tail` that is not a number means all
    /// lines; a bad `since` or `until` is `ParseTimestamps`' error (a 500); `until=0` is none.
    pub fn for_container(query: &Query) -> Result<Self, Failure> {
        let fail = |message: String| (StatusCode::INTERNAL_SERVER_ERROR, message);
        let mut request = Self::flags(query);
        request.tail = match query.get("tail").parse::<i64>() {
            Ok(n) if n >= 0 => Some(n as usize),
            _ => None,
        };
        request.since = optional_instant(query.get("since")).map_err(fail)?;
        request.until = match query.get("until") {
            "0" => None,
            raw => optional_instant(raw).map_err(fail)?,
        };
        Ok(request)
    }

    /// `ServiceLogs`, once the service is found: `tail` must be "all", empty or a number of at
    /// least 0, and each task's log is tailed on its own (the worker's
    /// `daemon/cluster/executor/container/adapter.go` `logs` passes it to `ContainerLogs`);
    /// `until` is not read. Errors are 500s.
    pub fn for_service(query: &Query) -> Result<Self, Failure> {
        let fail = |message: String| (StatusCode::INTERNAL_SERVER_ERROR, message);
        let mut request = Self::flags(query);
        request.tail = match query.get("tail") {
            "" | "all" => None,
            raw => match raw.parse::<i64>() {
                Err(_) => {
                    return Err(fail(
                        r#"tail value must be a positive integer or "all""#.into(),
                    ))
                }
                Ok(n) if n < 0 => return Err(fail("negative tail values not supported".into())),
                Ok(n) => Some(n as usize),
            },
        };
        request.since = optional_instant(query.get("since"))
            .map_err(|err| fail(format!("could not parse since timestamp: {err}")))?;
        Ok(request)
    }

    /// `WriteLogStream` writes a line only when its stream was asked for.
    pub fn shows(&self, stream: u8) -> bool {
        (stream == 1 && self.stdout) || (stream == 2 && self.stderr)
    }

    /// The json-file reader (`daemon/logger/loggerutils/logfile.go`): the tail is taken from
    /// the whole file first, then lines before `since` or after `until` are dropped.
    pub fn window(&self, at: Instant) -> bool {
        self.since.is_none_or(|since| at >= since) && self.until.is_none_or(|until| at <= until)
    }
}

fn optional_instant(raw: &str) -> Result<Option<Instant>, String> {
    if raw.is_empty() {
        Ok(None)
    } else {
        parse_timestamp(raw).map(Some)
    }
}

/// `parseTimestamp`: seconds, then an optional fraction scaled to nanoseconds; errors are
/// `strconv.ParseInt`'s.
fn parse_timestamp(raw: &str) -> Result<Instant, String> {
    let parse = |text: &str| {
        text.parse::<i64>().map_err(|err| {
            let why = match err.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    "value out of range"
                }
                _ => "invalid syntax",
            };
            format!("strconv.ParseInt: parsing {text:?}: {why}")
        })
    };
    let (secs, fraction) = match raw.split_once('.') {
        Some((secs, fraction)) => (secs, Some(fraction)),
        None => (raw, None),
    };
    let secs = parse(secs)?;
    let Some(fraction) = fraction else {
        return Ok((secs, 0));
    };
    let digits = parse(fraction)?;
    let scale = 10f64.powi(9 - fraction.len() as i32);
    let nanos = (digits as f64 * scale) as i64;
    Ok((secs, nanos.clamp(0, 999_999_999) as u32))
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

    #[test]
    fn timestamps_as_docker_reads_them() {
        assert_eq!(parse_timestamp("1700000000"), Ok((1_700_000_000, 0)));
        assert_eq!(
            parse_timestamp("1700000000.5"),
            Ok((1_700_000_000, 500_000_000))
        );
        assert_eq!(
            parse_timestamp("1700000000.000000123"),
            Ok((1_700_000_000, 123))
        );
        assert_eq!(
            parse_timestamp("yesterday"),
            Err(r#"strconv.ParseInt: parsing "yesterday": invalid syntax"#.into())
        );
    }
}
