//! A plain HTTP client for what a browser does not show: status codes, headers, and a followed
//! log stream read while it is still open.

use std::io::Read;
use std::time::Duration;

/// One plain HTTP answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of a header (the first one of that name), case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.text();
        let shown: String = body.chars().take(300).collect();
        write!(f, "{} {:?} {shown:?}", self.status, self.headers)
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// Sends one request with these headers and no body; any status is an answer.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> Reply {
    let method: ureq::http::Method = method.parse().expect("an HTTP method");
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(()).expect("a valid request");
    let mut response = agent(Duration::from_secs(30))
        .run(request)
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str) -> Reply {
    request("GET", url, &[])
}

/// The demo admin's token, as an `X-API-Key` header.
pub fn admin_key() -> (&'static str, &'static str) {
    ("X-API-Key", portainer_sim::demo::token_for("admin"))
}

/// The id of a running container of environment `env`, found through `base`'s API.
pub fn running_container(base: &str, env: u32) -> String {
    let reply = request(
        "GET",
        &format!("{base}/api/endpoints/{env}/docker/containers/json?all=1"),
        &[admin_key()],
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let list: serde_json::Value = serde_json::from_slice(&reply.body).expect("a JSON list");
    list.as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["State"] == "running")
                .and_then(|c| c["Id"].as_str())
        })
        .unwrap_or_else(|| panic!("no running container in {list}"))
        .to_string()
}

/// What a followed log stream delivered while it was still open.
pub struct LiveLog {
    pub status: u16,
    pub content_type: String,
    /// `gzip` when the server compressed the stream.
    pub content_encoding: String,
    /// The first two lines written after the request (`tail=0`), decompressed.
    pub bytes: Vec<u8>,
    /// True when the server ended the response: a follow must stay open.
    pub ended: bool,
}

/// Follows a running container's logs through `base` with `tail=0`, so that nothing is sent
/// until the container writes (the simulator: a line about every second), and reads until two
/// lines have arrived, with the response still open. It accepts gzip as a browser does: a
/// server that compresses the stream must flush each piece, or nothing arrives until the
/// stream ends, which for a follow is never. The container is on prod-swarm, an agent
/// environment, whose reverse proxy flushes each write: Portainer's local-socket proxy holds a
/// follow back in 4 KiB bursts (docs/portainer-api.md §5.6), which would test Portainer, not
/// the proxy in front of it.
pub fn follow_logs(base: &str) -> LiveLog {
    const AGENT_ENV: u32 = 2;
    let id = running_container(base, AGENT_ENV);
    let url = format!(
        "{base}/api/endpoints/{AGENT_ENV}/docker/containers/{id}/logs?follow=1&stdout=1&stderr=1&tail=0"
    );
    let (key, token) = admin_key();
    let response = agent(Duration::from_secs(30))
        .get(&url)
        .header(key, token)
        .header("Accept-Encoding", "gzip")
        .call()
        .unwrap_or_else(|e| {
            panic!("{url}: {e} (a proxy that buffers the stream never passes a follow on)")
        });
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let content_type = header("content-type");
    let content_encoding = header("content-encoding");
    let raw = response.into_body().into_reader();
    let mut reader: Box<dyn Read> = if content_encoding == "gzip" {
        Box::new(flate2::read::GzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut ended = false;
    while bytes.iter().filter(|b| **b == b'\n').count() < 2 {
        match reader.read(&mut chunk) {
            Ok(0) => {
                ended = true;
                break;
            }
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) => panic!(
                "reading the followed logs of {id} through {base}: {e} (after {:?})",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
    LiveLog {
        status,
        content_type,
        content_encoding,
        bytes,
        ended,
    }
}
