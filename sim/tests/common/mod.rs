//! A small blocking HTTP client for the simulator tests, and the Portainer messages they expect.
#![allow(dead_code)]

pub mod messages;

use std::time::Duration;

use portainer_sim::{demo, spawn, Config, PortainerVersion, SimHandle};
use serde_json::{json, Value};
use ureq::http;

pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts status and exact JSON body.
    pub fn expect(&self, status: u16, body: Value) {
        assert_eq!(
            (self.status, self.json()),
            (status, body),
            "unexpected answer"
        );
    }

    /// Asserts a Portainer error: status, message and details.
    pub fn expect_error(&self, status: u16, message: &str, details: &str) {
        self.expect(status, json!({ "message": message, "details": details }));
    }

    /// The `Name`s of a JSON array of objects.
    pub fn names(&self) -> Vec<String> {
        self.json()
            .as_array()
            .unwrap_or_else(|| panic!("not an array: {}", self.text()))
            .iter()
            .map(|v| v["Name"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// How long the tests' simulators take to give up on an unreachable Docker host.
pub const DIAL: Duration = Duration::from_millis(300);

pub struct Api {
    pub sim: SimHandle,
    agent: ureq::Agent,
}

impl Api {
    pub fn start(config: Config) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .allow_non_standard_methods(true)
            // A fresh connection per request: a pooled one the server has just closed fails
            // the next request with "Peer disconnected" now and then.
            .max_idle_connections(0)
            .build()
            .into();
        Api {
            sim: spawn(config),
            agent,
        }
    }

    /// The demo, with a short wait for unreachable Docker hosts (Portainer's is the system's
    /// connect timeout, about 2 minutes).
    pub fn demo() -> Self {
        Self::start(Config {
            dial_timeout: DIAL,
            ..Config::default()
        })
    }

    pub fn v2_19() -> Self {
        Self::start(Config {
            version: PortainerVersion::V2_19,
            dial_timeout: DIAL,
            ..Config::default()
        })
    }

    pub fn set_stack_name(&self, id: i64, name: &str) {
        assert!(self.sim.edit_stack(id, Some(name), None));
    }

    pub fn set_stack_status(&self, id: i64, status: i64) {
        assert!(self.sim.edit_stack(id, None, Some(status)));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.url())
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut builder = http::Request::builder().method(method).uri(self.url(path));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = match body {
            Some(body) => self
                .agent
                .run(builder.body(body.to_string()).expect("request")),
            None => self.agent.run(builder.body(()).expect("request")),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .body_mut()
            .with_config()
            .limit(200 * 1024 * 1024)
            .read_to_vec()
            .expect("body");
        Reply {
            status,
            headers,
            body,
        }
    }

    /// GET with `X-API-Key: token`.
    pub fn get(&self, path: &str, token: &str) -> Reply {
        self.call("GET", path, &[("X-API-Key", token)], None)
    }

    /// GET as a demo persona.
    pub fn get_as(&self, user: &str, path: &str) -> Reply {
        self.get(path, demo::token_for(user))
    }

    pub fn anonymous(&self, path: &str) -> Reply {
        self.call("GET", path, &[], None)
    }

    pub fn send_as(&self, method: &str, user: &str, path: &str, body: Option<&str>) -> Reply {
        let mut headers = vec![("X-API-Key", demo::token_for(user))];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.call(method, path, &headers, body)
    }

    /// The raw response (for streaming reads).
    pub fn open(&self, path: &str, token: &str) -> http::Response<ureq::Body> {
        self.agent
            .get(self.url(path))
            .header("X-API-Key", token)
            .call()
            .expect("request")
    }
}

/// The length of the complete frames at the start of a partial multiplexed stream.
pub fn complete_bytes(bytes: &[u8]) -> usize {
    let mut used = 0;
    while bytes.len() >= used + 8 {
        let header = &bytes[used + 4..used + 8];
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        if bytes.len() < used + 8 + len {
            break;
        }
        used += 8 + len;
    }
    used
}

/// Follows a log until at least `frames` complete frames have come (10 s at most); returns
/// them and how long they took. The stream is closed on return, as a client that leaves.
pub fn follow_frames(
    api: &Api,
    path: &str,
    token: &str,
    frames: usize,
) -> (Vec<(u8, String)>, Duration) {
    let started = std::time::Instant::now();
    let received = read_until(api, path, token, |received| {
        demux(&received[..complete_bytes(received)]).len() >= frames
    });
    (
        demux(&received[..complete_bytes(&received)]),
        started.elapsed(),
    )
}

/// Reads a followed answer until `enough` holds of what came (10 s at most), then closes it.
pub fn read_until(api: &Api, path: &str, token: &str, enough: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    use std::io::Read;
    let started = std::time::Instant::now();
    let response = api.open(path, token);
    assert_eq!(response.status(), 200);
    let mut reader = response.into_body().into_reader();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while !enough(&received) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "follow too slow"
        );
        let n = reader.read(&mut buf).expect("read");
        assert!(n > 0, "stream ended early");
        received.extend_from_slice(&buf[..n]);
    }
    received
}

/// Splits Docker's multiplexed log stream into (stream, payload) frames.
pub fn demux(mut bytes: &[u8]) -> Vec<(u8, String)> {
    let mut frames = Vec::new();
    while !bytes.is_empty() {
        assert!(bytes.len() >= 8, "truncated frame header");
        let stream = bytes[0];
        assert_eq!(&bytes[1..4], &[0, 0, 0], "frame padding");
        let len = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        assert!(bytes.len() >= 8 + len, "truncated frame payload");
        frames.push((
            stream,
            String::from_utf8(bytes[8..8 + len].to_vec()).expect("utf-8"),
        ));
        bytes = &bytes[8 + len..];
    }
    frames
}

/// URL-encodes a query value.
pub fn enc(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
