//! The Docker proxy: environment checks, label filters, ResourceControl filtering and
//! decoration, logs in Docker's stream formats (§5).

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::{demux, enc, follow_frames, messages as msg, Api, DIAL};
use portainer_sim::{demo, Config};
use serde_json::{json, Value};

fn containers(api: &Api, user: &str, env: i64, query: &str) -> Vec<Value> {
    let reply = api.get_as(
        user,
        &format!("/api/endpoints/{env}/docker/containers/json{query}"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn names(list: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = list
        .iter()
        .map(|c| {
            c["Names"][0]
                .as_str()
                .unwrap()
                .trim_start_matches('/')
                .to_string()
        })
        .collect();
    names.sort();
    names
}

fn label_filter(label: &str) -> String {
    format!(
        "?all=1&filters={}",
        enc(&format!(r#"{{"label":["{label}"]}}"#))
    )
}

#[test]
fn compose_project_label_filter() {
    let api = Api::demo();
    let web = containers(
        &api,
        "admin",
        1,
        &label_filter("com.docker.compose.project=web-frontend"),
    );
    assert_eq!(
        names(&web),
        vec![
            "web-frontend-app-1",
            "web-frontend-redis-1",
            "web-frontend-web-1",
            "web-frontend-worker-1"
        ]
    );
    let first = &web[0];
    assert_eq!(
        first["Labels"]["com.docker.compose.project"],
        "web-frontend"
    );
    assert_eq!(
        first["Labels"]["com.docker.compose.project.working_dir"],
        "/data/compose/1"
    );
    assert_eq!(first["Id"].as_str().unwrap().len(), 64);
    assert_eq!(
        first["Portainer"]["ResourceControl"]["ResourceId"],
        "1_web-frontend"
    );
    let statuses: Vec<&str> = web.iter().map(|c| c["Status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"Up 2 hours (healthy)"), "{statuses:?}");
    let nginx = web
        .iter()
        .find(|c| c["Image"] == "nginx:1.27-alpine")
        .unwrap();
    assert_eq!(
        nginx["Ports"][0],
        json!({ "IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp" })
    );

    let monitoring = containers(
        &api,
        "admin",
        1,
        &label_filter("com.docker.compose.project=monitoring"),
    );
    let by_name = |n: &str| {
        monitoring
            .iter()
            .find(|c| c["Names"][0] == format!("/{n}"))
            .unwrap()
    };
    assert_eq!(
        by_name("monitoring-grafana-1")["Status"],
        "Up 2 hours (unhealthy)"
    );
    assert_eq!(by_name("monitoring-node-exporter-1")["State"], "exited");
    assert_eq!(
        by_name("monitoring-node-exporter-1")["Status"],
        "Exited (1) 5 hours ago"
    );

    // Without `all`, only running containers; a key-only label filter; several labels AND.
    let running = containers(&api, "admin", 1, "");
    assert!(running.iter().all(|c| c["State"] == "running"));
    let projects = containers(
        &api,
        "admin",
        1,
        &label_filter("com.docker.compose.project"),
    );
    // The stopped carol-sandbox has none: `compose down` removed them.
    assert_eq!(projects.len(), 13);
    let both = format!(
        "?all=1&filters={}",
        enc(
            r#"{"label":["com.docker.compose.project=monitoring","com.docker.compose.service=grafana"]}"#
        )
    );
    assert_eq!(
        names(&containers(&api, "admin", 1, &both)),
        vec!["monitoring-grafana-1"]
    );
    let legacy_map = format!(
        "?all=1&filters={}",
        enc(r#"{"label":{"com.docker.compose.project=db-admin":true}}"#)
    );
    assert_eq!(containers(&api, "admin", 1, &legacy_map).len(), 2);
    let exited = format!("?filters={}", enc(r#"{"status":["exited"]}"#));
    assert_eq!(
        names(&containers(&api, "admin", 1, &exited)),
        vec!["legacy-app-cron-1", "monitoring-node-exporter-1"]
    );
    let bad = api.get_as(
        "admin",
        &format!(
            "/api/endpoints/1/docker/containers/json?filters={}",
            enc(r#"{"colour":["red"]}"#)
        ),
    );
    bad.expect(400, json!({ "message": "invalid filter 'colour'" }));
    // A /v1.xx prefix is stripped.
    let versioned = api.get_as(
        "admin",
        &format!(
            "/api/endpoints/1/docker/v1.41/containers/json{}",
            label_filter("com.docker.compose.project=db-admin")
        ),
    );
    assert_eq!(versioned.json().as_array().unwrap().len(), 2);
    assert_eq!(versioned.header("api-version"), Some("1.46"));
}

#[test]
fn project_label_uses_the_normalised_stack_name() {
    // Generated stack 25 is named "Billing.API-0025" and lands on a Docker environment.
    let api = Api::start(Config {
        scale: Some((30, 10)),
        ..Config::default()
    });
    let stack = api.get_as("admin", "/api/stacks/25").json();
    assert_eq!(stack["Name"], "Billing.API-0025");
    let env = stack["EndpointId"].as_i64().unwrap();
    assert!(containers(
        &api,
        "admin",
        env,
        &label_filter("com.docker.compose.project=Billing.API-0025")
    )
    .is_empty());
    let found = containers(
        &api,
        "admin",
        env,
        &label_filter("com.docker.compose.project=billingapi-0025"),
    );
    assert_eq!(
        names(&found),
        vec!["billingapi-0025-app-1", "billingapi-0025-db-1"]
    );
}

#[test]
fn non_admins_get_only_what_they_may_access() {
    let api = Api::demo();
    let bob = containers(&api, "bob", 1, "?all=1");
    let mut projects: Vec<&str> = bob
        .iter()
        .map(|c| c["Labels"]["com.docker.compose.project"].as_str().unwrap())
        .collect();
    projects.sort();
    projects.dedup();
    assert_eq!(projects, vec!["monitoring", "web-frontend"]);
    assert!(bob
        .iter()
        .all(|c| c["Portainer"]["ResourceControl"].is_object()));
    // Carol's own stack is stopped (its containers removed): she sees the public ones, but
    // for alertmanager, whose own ResourceControl is for administrators only.
    let carol = containers(&api, "carol", 1, "?all=1");
    assert_eq!(carol.len(), 3);
    // Containers outside stacks have no ResourceControl: admins only, undecorated.
    let admin = containers(&api, "admin", 1, "?all=1");
    assert_eq!(admin.len(), 15);
    let portainer = admin
        .iter()
        .find(|c| c["Names"][0] == "/portainer")
        .unwrap();
    assert!(portainer.get("Portainer").is_none());

    let postgres = "/api/endpoints/1/docker/containers/db-admin-postgres-1/json";
    api.get_as("bob", postgres)
        .expect(403, json!({ "message": "access denied to resource" }));
    let inspect = api.get_as("admin", postgres).json();
    assert_eq!(inspect["Name"], "/db-admin-postgres-1");
    assert_eq!(inspect["State"]["Health"]["Status"], "healthy");
    assert_eq!(
        inspect["Config"]["Labels"]["com.docker.compose.service"],
        "postgres"
    );
    assert_eq!(
        inspect["Portainer"]["ResourceControl"]["AdministratorsOnly"],
        true
    );
    let by_id = inspect["Id"].as_str().unwrap()[..12].to_string();
    let short = api.get_as(
        "admin",
        &format!("/api/endpoints/1/docker/containers/{by_id}/json"),
    );
    assert_eq!(short.json()["Name"], "/db-admin-postgres-1");
    api.get_as("admin", "/api/endpoints/1/docker/containers/abc/json")
        .expect(404, json!({ "message": "No such container: abc" }));
}

#[test]
fn environment_access_and_unreachable_environments() {
    let api = Api::demo();
    // Environment access is checked first.
    api.get_as("dave", "/api/endpoints/1/docker/containers/json")
        .expect_error(403, msg::PERMISSION_DENIED_ENV, msg::ACCESS_DENIED_ENV);
    api.get_as("carol", "/api/endpoints/3/docker/containers/json")
        .expect_error(403, msg::PERMISSION_DENIED_ENV, msg::ACCESS_DENIED_ENV);
    // Portainer never reads `Status` before it dials (`proxy_docker.go`
    // `proxyRequestsToDockerAPI`): an Edge environment without a tunnel fails after the
    // tunnel's wait (`api/chisel/tunnel.go` `TunnelAddr`, 2.23), a TCP host that is down after
    // the connect timeout, with `httputil.ReverseProxy`'s empty 502.
    let started = std::time::Instant::now();
    api.get_as("admin", "/api/endpoints/3/docker/containers/json")
        .expect_error(
            500,
            "Unable to get the active tunnel",
            "Unable to open the tunnel",
        );
    assert!(started.elapsed() >= DIAL);
    let started = std::time::Instant::now();
    let down = api.get_as("bob", "/api/endpoints/4/docker/containers/json");
    assert!(started.elapsed() >= DIAL);
    assert_eq!((down.status, down.body.len()), (502, 0));
    assert_eq!(down.header("content-type"), None);
    // 2.19's `GetActiveTunnel` sleeps without an error; the proxy then finds nothing on the
    // tunnel's port: the same empty 502.
    let old = Api::v2_19();
    let edge = old.get_as("admin", "/api/endpoints/3/docker/containers/json");
    assert_eq!((edge.status, edge.body.len()), (502, 0));
    api.get_as("admin", "/api/endpoints/9/docker/containers/json")
        .expect_error(
            404,
            msg::ENV_NOT_FOUND,
            &msg::object_not_found("endpoints", 9),
        );
    api.get_as("admin", "/api/endpoints/x/docker/containers/json")
        .expect_error(400, msg::INVALID_ENV_ID, &msg::not_a_number("x"));
    api.anonymous("/api/endpoints/1/docker/containers/json")
        .expect_error(401, msg::TOKEN_MISSING, msg::UNAUTHORIZED);
    api.get_as("admin", "/api/endpoints/1/docker/volumes")
        .expect(404, json!({ "message": "page not found" }));
}

#[test]
fn swarm_services_and_tasks() {
    let api = Api::demo();
    let filter = enc(r#"{"label":["com.docker.stack.namespace=payments"]}"#);
    let services = api
        .get_as(
            "bob",
            &format!("/api/endpoints/2/docker/services?filters={filter}"),
        )
        .json();
    let mut names: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Spec"]["Name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec!["payments_api", "payments_worker"]);
    assert_eq!(
        services[0]["Spec"]["Labels"]["com.docker.stack.namespace"],
        "payments"
    );
    assert_eq!(
        services[0]["Portainer"]["ResourceControl"]["ResourceId"],
        "2_payments"
    );
    let tasks = api
        .get_as(
            "bob",
            &format!("/api/endpoints/2/docker/tasks?filters={filter}"),
        )
        .json();
    assert_eq!(tasks.as_array().unwrap().len(), 4);
    assert!(tasks
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["Status"]["State"] == "running"));

    // bob: both swarm stacks (ops and his own); the failed auth replica shows as failed.
    let all = api.get_as("bob", "/api/endpoints/2/docker/services").json();
    assert_eq!(all.as_array().unwrap().len(), 4);
    let everything = api
        .get_as("admin", "/api/endpoints/2/docker/services")
        .json();
    assert_eq!(everything.as_array().unwrap().len(), 5);
    let gateway = enc(r#"{"label":["com.docker.stack.namespace=api-gateway"]}"#);
    let tasks = api
        .get_as(
            "admin",
            &format!("/api/endpoints/2/docker/tasks?filters={gateway}"),
        )
        .json();
    let failed: Vec<&Value> = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["Status"]["State"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    // Swarm task containers carry the agent's node name; the agent's own three are hidden
    // from bob (no stack record, so no ResourceControl).
    let swarm_containers = containers(&api, "admin", 2, "?all=1");
    assert_eq!(swarm_containers.len(), 11);
    assert_eq!(containers(&api, "bob", 2, "?all=1").len(), 8);
    assert!(swarm_containers[0]["Portainer"]["Agent"]["NodeName"].is_string());
    assert!(swarm_containers[0]["Labels"]["com.docker.swarm.service.id"].is_string());

    api.get_as("alice", "/api/endpoints/2/docker/services")
        .expect_error(403, msg::PERMISSION_DENIED_ENV, msg::ACCESS_DENIED_ENV);
    let standalone = api.get_as("admin", "/api/endpoints/1/docker/services");
    assert_eq!(standalone.status, 503);
    let info = api.get_as("admin", "/api/endpoints/2/docker/info").json();
    assert_eq!(info["Swarm"]["Cluster"]["ID"], demo::PROD_SWARM_ID);
}

/// A container of the agent environment `prod-swarm` that `user` cannot see.
fn swarm_container_hidden_from(api: &Api, user: &str) -> String {
    let all = containers(api, "admin", 2, "?all=1");
    let seen: Vec<Value> = containers(api, user, 2, "?all=1");
    all.iter()
        .map(|c| c["Id"].as_str().unwrap().to_string())
        .find(|id| !seen.iter().any(|s| s["Id"] == id.as_str()))
        .expect("a container the user cannot see")
}

fn logs(api: &Api, user: &str, container: &str, query: &str) -> common::Reply {
    api.get_as(
        user,
        &format!("/api/endpoints/1/docker/containers/{container}/logs?{query}"),
    )
}

#[test]
fn logs_are_multiplexed_with_tail_and_streams() {
    let api = Api::demo();
    let reply = logs(
        &api,
        "alice",
        "web-frontend-app-1",
        "stdout=1&stderr=1&tail=all",
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/vnd.docker.multiplexed-stream")
    );
    let frames = demux(&reply.body);
    assert!(frames.len() > 20);
    assert!(frames.iter().any(|(s, _)| *s == 1));
    assert!(frames.iter().any(|(s, _)| *s == 2));
    assert!(frames.iter().all(|(_, line)| line.ends_with('\n')));
    // Deterministic content.
    let again = demux(&logs(&api, "alice", "web-frontend-app-1", "stdout=1&stderr=1").body);
    assert_eq!(frames, again);

    let tail = demux(
        &logs(
            &api,
            "alice",
            "web-frontend-app-1",
            "stdout=1&stderr=1&tail=5",
        )
        .body,
    );
    assert_eq!(tail.len(), 5);
    assert_eq!(tail[..], frames[frames.len() - 5..]);

    let out = demux(&logs(&api, "alice", "web-frontend-app-1", "stdout=1&stderr=0").body);
    assert!(!out.is_empty() && out.iter().all(|(s, _)| *s == 1));
    let err = demux(&logs(&api, "alice", "web-frontend-app-1", "stderr=true").body);
    assert!(!err.is_empty() && err.iter().all(|(s, _)| *s == 2));
    assert_eq!(out.len() + err.len(), frames.len());

    let stamped = demux(
        &logs(
            &api,
            "alice",
            "web-frontend-app-1",
            "stdout=1&stderr=1&tail=3&timestamps=1",
        )
        .body,
    );
    for (_, line) in &stamped {
        let stamp = line.split_once(' ').unwrap().0;
        assert_eq!(
            stamp.len(),
            "2025-01-14T09:30:01.123456789Z".len(),
            "{stamp}"
        );
        assert!(
            stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T' && stamp.as_bytes()[19] == b'.'
        );
    }
    let plain = demux(
        &logs(
            &api,
            "alice",
            "web-frontend-app-1",
            "stdout=1&stderr=1&tail=3",
        )
        .body,
    );
    let unstamped: Vec<&str> = stamped
        .iter()
        .map(|(_, l)| l.split_once(' ').unwrap().1)
        .collect();
    let expected: Vec<&str> = plain.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(unstamped, expected);

    logs(&api, "alice", "web-frontend-app-1", "tail=5").expect(
        400,
        json!({ "message": "Bad parameters: you must choose at least one stream" }),
    );
    // A refused log is not the 403 Portainer meant: its access-denied response has no content
    // type, which its own JSON rewriter cannot encode (`utils/response.go`
    // `WriteAccessDeniedResponse`, `utils/json.go` `marshal`). The socket proxy turns that into a
    // 500 (`docker.go` `dockerLocalProxy.ServeHTTP`); an agent's reverse proxy into an empty 502.
    logs(&api, "bob", "db-admin-postgres-1", "stdout=1").expect_error(
        500,
        "Unable to proxy the request via the Docker socket",
        "Mime: no media type",
    );
    let hidden = swarm_container_hidden_from(&api, "bob");
    let refused = api.get_as(
        "bob",
        &format!("/api/endpoints/2/docker/containers/{hidden}/logs?stdout=1"),
    );
    assert_eq!((refused.status, refused.body.len()), (502, 0));
    // Its inspect, by contrast, is refused properly.
    api.get_as(
        "bob",
        &format!("/api/endpoints/2/docker/containers/{hidden}/json"),
    )
    .expect(403, json!({ "message": "access denied to resource" }));
    // 2.19 writes the 500 with its own libhttp: details uncapitalised, a newline at the end.
    let old = Api::v2_19();
    let reply = logs(&old, "bob", "db-admin-postgres-1", "stdout=1");
    assert_eq!(reply.status, 500);
    assert!(reply.text().ends_with("}\n"));
    assert_eq!(reply.json()["details"], "mime: no media type");
    logs(&api, "admin", "nope", "stdout=1")
        .expect(404, json!({ "message": "No such container: nope" }));
}

#[test]
fn tty_logs_are_raw_text() {
    let api = Api::demo();
    let reply = logs(
        &api,
        "alice",
        "web-frontend-worker-1",
        "stdout=1&stderr=1&tail=4",
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/vnd.docker.raw-stream")
    );
    let text = reply.text();
    assert_eq!(text.matches("\r\n").count(), 4);
    assert!(text.starts_with("[worker]"), "{text:?}");
    assert!(!reply.body.contains(&0u8));
    let stamped = logs(
        &api,
        "alice",
        "web-frontend-worker-1",
        "stdout=1&tail=1&timestamps=1",
    )
    .text();
    assert!(stamped.contains("Z [worker]"), "{stamped:?}");
}

#[test]
fn follow_streams_new_lines_until_the_client_leaves() {
    // An agent environment: `httputil.ReverseProxy` flushes every write, line by line.
    let api = Api::demo();
    let running = containers(&api, "admin", 2, "")[0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/endpoints/2/docker/containers/{running}/logs?stdout=1&stderr=1&follow=1&tail=2&timestamps=1");
    // Two history lines, then at least two new ones about a second apart.
    let (_, took) = follow_frames(&api, &path, demo::token_for("admin"), 4);
    assert!(took >= Duration::from_millis(1500));
    // The server is still fine afterwards.
    assert_eq!(api.get_as("alice", "/api/users/me").status, 200);
}

#[test]
fn followed_logs_of_the_local_socket_arrive_in_bursts() {
    // `api/http/proxy/factory/docker.go` `(*dockerLocalProxy).ServeHTTP` copies Docker's answer
    // with `io.Copy` and never flushes: Go's writer releases about 4 KiB at a time, and the
    // status line and headers only with the first of them.
    let api = Api::demo();
    let path = "/api/endpoints/1/docker/containers/web-frontend-app-1/logs?stdout=1&stderr=1&follow=1&tail=100&timestamps=1";
    let response = api.open(path, demo::token_for("alice"));
    assert_eq!(response.status(), 200);
    let mut reader = response.into_body().into_reader();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    // Whenever the stream goes quiet, what arrived is whole bursts: exactly 4096 bytes each,
    // cutting frames wherever the buffer filled; the lines written since wait for the next.
    let mut received = Vec::new();
    let mut quiet_checks = 0;
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        match rx.recv_timeout(Duration::from_millis(300)) {
            Ok(bytes) => received.extend_from_slice(&bytes),
            Err(_) => {
                assert_eq!(received.len() % 4096, 0, "a partial burst left");
                quiet_checks += 1;
            }
        }
    }
    assert!(received.len() >= 4096, "the history leaves at once");
    assert!(quiet_checks >= 5, "the stream went quiet between bursts");

    // With nothing to send yet, not even the headers leave.
    let quiet =
        "/api/endpoints/1/docker/containers/web-frontend-app-1/logs?stdout=1&follow=1&tail=0";
    let (tx, rx) = std::sync::mpsc::channel();
    let url = api.url(quiet);
    std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        let _ = tx.send(
            agent
                .get(url)
                .header("X-API-Key", demo::token_for("alice"))
                .call()
                .is_ok(),
        );
    });
    assert!(
        rx.recv_timeout(Duration::from_millis(2000)).is_err(),
        "the headers left before any log did"
    );
}

#[test]
fn stopped_containers_do_not_follow() {
    let api = Api::demo();
    let started = Instant::now();
    let reply = logs(
        &api,
        "carol",
        "monitoring-node-exporter-1",
        "stdout=1&stderr=1&follow=1",
    );
    assert_eq!(reply.status, 200);
    assert!(!demux(&reply.body).is_empty());
    assert!(started.elapsed() < Duration::from_secs(1));
}
