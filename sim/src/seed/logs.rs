//! Deterministic container logs: the text of line `i` depends only on the container's kind and
//! `i`; timestamps follow the container's start time.

use crate::clock::{month_name, utc};
use crate::model::docker::{Container, LogKind, RunState};

/// Lines a long-running container has written before the simulator started.
const HISTORY: i64 = 80;

pub struct LogLine {
    /// 1 stdout, 2 stderr (Docker's stream numbers).
    pub stream: u8,
    pub secs: i64,
    pub nanos: u32,
    pub text: String,
}

/// Stable sub-second part of line `i`'s timestamp.
pub fn nanos(i: i64) -> u32 {
    ((i as u64).wrapping_mul(7_919).wrapping_add(31) * 104_729 % 1_000_000_000) as u32
}

/// What the container wrote from its start until it stopped (or until the simulator started).
pub fn history(c: &Container, boot: i64) -> Vec<LogLine> {
    let end = match c.state {
        RunState::Running => c.started_at.max(boot),
        RunState::Exited(_) => c.finished_at,
    };
    let span = (end - c.started_at).max(0);
    let count = HISTORY.min(3 + span);
    (0..count)
        .map(|i| {
            let secs = c.started_at + i * span / count;
            let (stream, text) = line(c, i, secs);
            LogLine {
                stream,
                secs,
                nanos: nanos(i),
                text,
            }
        })
        .collect()
}

/// The index the next followed line gets.
pub fn history_len(c: &Container, boot: i64) -> i64 {
    history(c, boot).len() as i64
}

const PATHS: [&str; 6] = [
    "/",
    "/api/orders",
    "/api/cart",
    "/api/products?page=2",
    "/static/app.3f9c1b.js",
    "/healthz",
];
const METHODS: [&str; 4] = ["GET", "GET", "POST", "GET"];

/// (stream, text) of line `i` written at `secs`, the times in its text with the made-up
/// fraction [`nanos`] gives it.
pub fn line(c: &Container, i: i64, secs: i64) -> (u8, String) {
    line_at(c, i, secs, nanos(i))
}

/// (stream, text) of line `i` written at `secs` and `subsec` nanoseconds: a followed line,
/// whose text tells the time it was written.
pub fn line_at(c: &Container, i: i64, secs: i64, subsec: u32) -> (u8, String) {
    let (y, mo, d, h, mi, s) = utc(secs);
    let ms = subsec / 1_000_000;
    let iso = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z");
    let path = PATHS[(i % 6) as usize];
    let method = METHODS[(i % 4) as usize];
    let duration = 3 + (i * 37) % 180;
    match c.log_kind {
        LogKind::Nginx => {
            let clock = format!("{y:04}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}");
            match i {
                0 => (1, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration".into()),
                1 => (1, "/docker-entrypoint.sh: Configuration complete; ready for start up".into()),
                2 => (2, format!("{clock} [notice] 1#1: start worker processes")),
                _ if i % 11 == 7 => (2, format!(
                    "{clock} [warn] 31#31: *{i} upstream server temporarily disabled while reading response header from upstream, client: 172.18.0.1, server: _, request: \"GET {path} HTTP/1.1\", upstream: \"http://172.18.0.3:3000{path}\""
                )),
                _ => {
                    let status = if i % 17 == 9 { 404 } else { 200 };
                    (1, format!(
                        "172.18.0.1 - - [{d:02}/{}/{y:04}:{h:02}:{mi:02}:{s:02} +0000] \"{method} {path} HTTP/1.1\" {status} {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\"",
                        month_name(mo),
                        512 + (i * 97) % 4096
                    ))
                }
            }
        }
        LogKind::App => match i {
            0 => (1, format!(r#"{{"level":"info","time":"{iso}","msg":"server listening","port":3000}}"#)),
            1 => (1, format!(r#"{{"level":"info","time":"{iso}","msg":"connected to redis","url":"redis://redis:6379/0"}}"#)),
            2 => (2, format!(r#"{{"level":"warn","time":"{iso}","msg":"SESSION_SECRET is shorter than 32 characters"}}"#)),
            _ if i % 13 == 5 => (2, format!(
                r#"{{"level":"error","time":"{iso}","msg":"upstream request failed","path":"{path}","error":"ECONNRESET"}}"#
            )),
            _ if i % 7 == 3 => (2, format!(
                r#"{{"level":"warn","time":"{iso}","msg":"slow request","method":"{method}","path":"{path}","duration_ms":{}}}"#,
                duration * 12
            )),
            _ => (1, format!(
                r#"{{"level":"info","time":"{iso}","msg":"request completed","method":"{method}","path":"{path}","status":200,"duration_ms":{duration}}}"#
            )),
        },
        LogKind::Worker => {
            let text = match i {
                0 => "[worker] starting 4 consumers on queue default".to_string(),
                _ if i % 9 == 4 => format!(
                    "[worker] {h:02}:{mi:02}:{s:02} job #{} (email.send) failed: SMTP timeout, retrying in 30s",
                    1000 + i
                ),
                _ => format!(
                    "[worker] {h:02}:{mi:02}:{s:02} processed job #{} ({}) in {duration}ms",
                    1000 + i,
                    ["email.send", "thumbnail.render", "invoice.pdf"][(i % 3) as usize]
                ),
            };
            // A TTY merges everything into one stream.
            (1, text)
        }
        LogKind::Redis => {
            let stamp = format!("{d:02} {} {y:04} {h:02}:{mi:02}:{s:02}.{ms:03}", month_name(mo));
            let text = match i {
                0 => format!("1:C {stamp} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
                1 => format!("1:M {stamp} * Server initialized"),
                2 => format!("1:M {stamp} * Ready to accept connections tcp"),
                _ => match i % 4 {
                    0 => format!("1:M {stamp} * 100 changes in 300 seconds. Saving..."),
                    1 => format!("1:M {stamp} * Background saving started by pid {}", 20 + i),
                    2 => format!("{}:C {stamp} * DB saved on disk", 20 + i - 1),
                    _ => format!("1:M {stamp} * Background saving terminated with success"),
                },
            };
            (1, text)
        }
        LogKind::Postgres => {
            let stamp = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03} UTC");
            match i {
                0 => (1, "PostgreSQL Database directory appears to contain a database; Skipping initialization".into()),
                1 => (2, format!("{stamp} [1] LOG:  starting PostgreSQL 16.3 (Debian 16.3-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit")),
                2 => (2, format!("{stamp} [1] LOG:  database system is ready to accept connections")),
                _ if i % 10 == 6 => (2, format!(
                    "{stamp} [{}] ERROR:  duplicate key value violates unique constraint \"users_email_key\"",
                    100 + i
                )),
                _ if i % 2 == 0 => (2, format!("{stamp} [27] LOG:  checkpoint starting: time")),
                _ => (2, format!(
                    "{stamp} [27] LOG:  checkpoint complete: wrote {} buffers (0.{}%); write={}.{:03} s",
                    10 + i % 90,
                    i % 9,
                    i % 5,
                    duration
                )),
            }
        }
        LogKind::Prometheus => {
            let text = match i {
                0 => format!("ts={iso} caller=main.go:1187 level=info msg=\"Starting Prometheus Server\" mode=server version=\"(version=2.53.0, branch=HEAD)\""),
                1 => format!("ts={iso} caller=main.go:1231 level=info msg=\"Server is ready to receive web requests.\""),
                _ if i % 12 == 8 => format!("ts={iso} caller=scrape.go:1777 level=warn component=\"scrape manager\" scrape_pool=node msg=\"Error on ingesting samples with different value but same timestamp\" num_dropped=1"),
                _ if i % 2 == 0 => format!("ts={iso} caller=head.go:1355 level=info component=tsdb msg=\"Head GC completed\" caller=truncateMemory duration={}.{}ms", 1 + i % 4, i % 10),
                _ => format!("ts={iso} caller=compact.go:523 level=info component=tsdb msg=\"write block\" mint={} maxt={} duration={}ms", secs * 1000 - 7_200_000, secs * 1000, 200 + duration),
            };
            (2, text)
        }
        LogKind::Generic => match i {
            0 => (1, format!("time=\"{iso}\" level=info msg=\"starting {}\"", c.image)),
            _ if i % 8 == 5 => (2, format!(
                "time=\"{iso}\" level=warning msg=\"retrying connection\" attempt={} backoff={}ms",
                1 + i % 3,
                duration
            )),
            _ => (1, format!(
                "time=\"{iso}\" level=info msg=\"handled request\" method={method} path={path} status=200 duration={duration}ms"
            )),
        },
    }
}
