//! HTTP-level behaviour: no CORS, OPTIONS, unknown routes, headers, `--assets`, `--scale`,
//! `--latency`, `--faults`, and the request log of the handle (§1, §7).

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{enc, messages as msg, Api};
use portainer_sim::{demo, Config};
use serde_json::json;

fn no_cors_headers(reply: &common::Reply) {
    let cors: Vec<&str> = reply
        .headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("access-control"))
        .collect();
    assert!(cors.is_empty(), "CORS headers sent: {cors:?}");
}

#[test]
fn options_is_405_and_there_is_no_cors() {
    let api = Api::demo();
    let preflight = [
        ("Origin", "http://localhost:8080"),
        ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "x-api-key"),
    ];
    for path in [
        "/api/stacks",
        "/api/auth",
        "/api/users/me",
        "/api/endpoints/1",
    ] {
        let reply = api.call("OPTIONS", path, &preflight, None);
        assert_eq!(reply.status, 405, "{path}");
        assert!(reply.body.is_empty(), "{path}");
        no_cors_headers(&reply);
    }
    // The Docker proxy takes any method, so a preflight (no API key) is a 401.
    let proxy = api.call(
        "OPTIONS",
        "/api/endpoints/1/docker/containers/json",
        &preflight,
        None,
    );
    proxy.expect_error(401, msg::TOKEN_MISSING, msg::UNAUTHORIZED);
    no_cors_headers(&proxy);

    let get = api.call(
        "GET",
        "/api/stacks",
        &[
            ("Origin", "http://localhost:8080"),
            ("X-API-Key", demo::token_for("admin")),
        ],
        None,
    );
    assert_eq!(get.status, 200);
    no_cors_headers(&get);
}

#[test]
fn unknown_routes_wrong_methods_and_headers() {
    let api = Api::demo();
    // Go's own 404 from Portainer's file server (`api/http/handler/handler.go` `ServeHTTP`,
    // case "/"), or from a sub-router's gorilla/mux `NotFoundHandler`: plain text, no JSON.
    for path in ["/api/does-not-exist", "/api/stacks/1/nothing"] {
        let unknown = api.get_as("admin", path);
        assert_eq!(
            (unknown.status, unknown.text()),
            (404, "404 page not found\n".to_string()),
            "{path}"
        );
        assert_eq!(
            unknown.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
    }
    // gorilla/mux routes have no HEAD: 405 before any authentication, empty.
    let head = api.send_as("HEAD", "admin", "/api/stacks", None);
    assert_eq!((head.status, head.body.len()), (405, 0));
    assert_eq!(head.header("content-type"), None);

    let wrong = api.send_as("DELETE", "admin", "/api/users", None);
    assert_eq!((wrong.status, wrong.body.len()), (405, 0));
    let wrong = api.send_as("PATCH", "admin", "/api/stacks/1", None);
    assert_eq!(wrong.status, 405);

    for reply in [
        api.get_as("admin", "/api/stacks"),
        api.anonymous("/api/stacks"),
        api.anonymous("/api/system/status"),
    ] {
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    // Without --assets, the root is not served.
    assert_eq!(api.anonymous("/").status, 404);
}

#[test]
fn the_handle_records_api_requests() {
    let api = Api::demo();
    let filters = enc(r#"{"EndpointID":1}"#);
    api.get_as("alice", &format!("/api/stacks?filters={filters}"));
    api.anonymous("/favicon.ico");
    api.get_as("alice", "/api/endpoints/1/docker/containers/json?all=1");
    assert_eq!(
        api.sim.requests(),
        vec![
            ("GET".to_string(), "/api/stacks".to_string()),
            (
                "GET".to_string(),
                "/api/endpoints/1/docker/containers/json".to_string()
            ),
        ]
    );
    let mutating = |requests: &[(String, String)]| {
        requests
            .iter()
            .any(|(m, _)| matches!(m.as_str(), "POST" | "PUT" | "DELETE" | "PATCH"))
    };
    assert!(!mutating(&api.sim.requests()));
    api.send_as("POST", "alice", "/api/stacks/1/stop?endpointId=1", None);
    assert!(mutating(&api.sim.requests()));
    assert!(api
        .sim
        .requests()
        .contains(&("POST".to_string(), "/api/stacks/1/stop".to_string())));
    api.sim.clear_requests();
    assert!(api.sim.requests().is_empty());
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("portainer-sim-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn assets_are_served_with_a_spa_fallback() {
    let dir = TempDir::new("assets");
    let index = "<!doctype html><title>Portlight</title>";
    std::fs::write(dir.0.join("index.html"), index).unwrap();
    std::fs::write(dir.0.join("portlight_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.0.join("portlight.js"), "export default 1;").unwrap();
    std::fs::write(dir.0.join("assets/style.css"), "body{}").unwrap();
    let api = Api::start(Config {
        assets: Some(dir.0.clone()),
        ..Config::default()
    });

    let root = api.anonymous("/");
    assert_eq!(root.status, 200);
    assert_eq!(
        root.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(root.text(), index);
    assert_eq!(root.header("x-content-type-options"), Some("nosniff"));
    let wasm = api.anonymous("/portlight_bg.wasm");
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    assert_eq!(
        api.anonymous("/portlight.js").header("content-type"),
        Some("text/javascript")
    );
    assert_eq!(
        api.anonymous("/assets/style.css").header("content-type"),
        Some("text/css")
    );
    // Deep links of the app get index.html with a 200.
    for path in [
        "/stacks/1",
        "/access?token=x",
        "/missing.js",
        "/../Cargo.toml",
    ] {
        let reply = api.anonymous(path);
        assert_eq!(
            (reply.status, reply.text()),
            (200, index.to_string()),
            "{path}"
        );
    }
    // The API keeps its own 404.
    let nope = api.anonymous("/api/nope");
    assert_eq!(
        (nope.status, nope.text()),
        (404, "404 page not found\n".to_string())
    );
    assert_eq!(api.get_as("admin", "/api/stacks").names().len(), 12);
}

#[test]
fn scale_generates_the_requested_counts() {
    let api = Api::start(Config {
        scale: Some((5000, 200)),
        ..Config::default()
    });
    let stacks = api.get_as("admin", "/api/stacks").json();
    let stacks = stacks.as_array().unwrap();
    assert_eq!(stacks.len(), 5000);
    for kind in [1, 2, 3] {
        assert!(
            stacks.iter().any(|s| s["Type"] == kind),
            "no stack of type {kind}"
        );
    }
    let envs = api.get_as(
        "admin",
        "/api/endpoints?limit=10&start=1&excludeSnapshots=true",
    );
    assert_eq!(envs.header("x-total-count"), Some("200"));
    assert_eq!(envs.json().as_array().unwrap().len(), 10);
    assert_eq!(
        api.get_as("admin", "/api/endpoints")
            .json()
            .as_array()
            .unwrap()
            .len(),
        200
    );
    // The personas still apply.
    let alice = api.get_as("alice", "/api/stacks").json();
    let alice = alice.as_array().unwrap().len();
    assert!(alice > 0 && alice < 5000);
    assert_eq!(api.get_as("dave", "/api/endpoints").json(), json!([]));
}

#[test]
fn latency_is_added_to_api_responses() {
    let api = Api::start(Config {
        latency_ms: 300,
        ..Config::default()
    });
    let started = Instant::now();
    assert_eq!(api.anonymous("/api/system/status").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn faults_fail_requests_in_several_ways() {
    let sim = portainer_sim::spawn(Config {
        fault_rate: 1.0,
        seed: 2,
        ..Config::default()
    });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_millis(1500)))
        .build()
        .into();
    let (mut errors, mut transport) = (0, 0);
    for _ in 0..6 {
        match agent.get(format!("{}/api/system/status", sim.url())).call() {
            Ok(mut reply) => {
                assert_eq!(reply.status().as_u16(), 500);
                let body: serde_json::Value =
                    serde_json::from_slice(&reply.body_mut().read_to_vec().unwrap()).unwrap();
                assert_eq!(body["message"], "Unable to process the request");
                errors += 1;
            }
            Err(_) => transport += 1,
        }
    }
    assert!(
        errors > 0 && transport > 0,
        "errors {errors}, transport {transport}"
    );
    // Non-API paths are not affected.
    let root = agent.get(format!("{}/", sim.url())).call().unwrap();
    assert_eq!(root.status().as_u16(), 404);
}

#[test]
fn the_simulator_stops_when_the_handle_is_dropped() {
    let api = Api::demo();
    let url = api.sim.url();
    assert_eq!(api.anonymous("/api/status").status, 200);
    drop(api);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    assert!(agent.get(format!("{url}/api/status")).call().is_err());
}
