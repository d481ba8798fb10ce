//! A swarm service's logs through the proxy (`GET …/docker/services/{id}/logs`, §5.4a), and
//! what a client needs beside them: tasks' `Slot` and `NodeID`, and the node list that names
//! the nodes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::{demux, enc, follow_frames, Api};
use portainer_sim::demo;
use serde_json::{json, Value};

const PAYMENTS_API: &str = "payments_api";

fn service_logs(api: &Api, user: &str, env: i64, service: &str, query: &str) -> common::Reply {
    api.get_as(
        user,
        &format!("/api/endpoints/{env}/docker/services/{service}/logs?{query}"),
    )
}

/// Frames of a service's log on prod-swarm, as admin.
fn frames(api: &Api, service: &str, query: &str) -> Vec<(u8, String)> {
    let reply = service_logs(api, "admin", 2, service, query);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/vnd.docker.multiplexed-stream")
    );
    demux(&reply.body)
}

/// The tasks of a service, by id.
fn tasks(api: &Api, service: &str) -> BTreeMap<String, Value> {
    let filter = enc(&format!(r#"{{"service":["{service}"]}}"#));
    let list = api
        .get_as(
            "admin",
            &format!("/api/endpoints/2/docker/tasks?filters={filter}"),
        )
        .json();
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| (t["ID"].as_str().unwrap().to_string(), t.clone()))
        .collect()
}

/// Splits a detailed line into its attributes and its text.
fn attributes(payload: &str) -> (BTreeMap<String, String>, String) {
    let (attrs, text) = payload
        .split_once(' ')
        .expect("attributes, a space, the text");
    let pairs = attrs
        .split(',')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    (pairs, text.to_string())
}

/// The lines of a container's own log with the same query.
fn container_lines(api: &Api, container: &str, query: &str) -> Vec<(u8, String)> {
    let reply = api.get_as(
        "admin",
        &format!("/api/endpoints/2/docker/containers/{container}/logs?{query}"),
    );
    assert_eq!(reply.status, 200);
    demux(&reply.body)
}

#[test]
fn details_name_the_node_service_and_task_of_each_line() {
    let api = Api::demo();
    let tasks = tasks(&api, PAYMENTS_API);
    assert_eq!(tasks.len(), 3);
    let lines = frames(
        &api,
        PAYMENTS_API,
        "stdout=1&stderr=1&details=1&timestamps=1&tail=2",
    );
    // Each task's log is tailed on its own: two lines from each of three tasks.
    assert_eq!(lines.len(), 6);
    let mut per_task: BTreeMap<String, usize> = BTreeMap::new();
    let mut stamps = Vec::new();
    for (_, payload) in &lines {
        // `<RFC3339Nano timestamp> <attributes> <text>`: the timestamp first.
        let (stamp, rest) = payload.split_once(' ').unwrap();
        assert_eq!(
            stamp.len(),
            "2025-01-14T09:30:01.123456789Z".len(),
            "{stamp}"
        );
        stamps.push(stamp.to_string());
        let (attrs, text) = attributes(rest);
        assert_eq!(
            attrs.keys().collect::<Vec<_>>(),
            [
                "com.docker.swarm.node.id",
                "com.docker.swarm.service.id",
                "com.docker.swarm.task.id"
            ],
            "sorted by key: {payload:?}"
        );
        let task = &tasks[&attrs["com.docker.swarm.task.id"]];
        assert_eq!(
            task["ServiceID"],
            attrs["com.docker.swarm.service.id"].as_str()
        );
        assert_eq!(task["NodeID"], attrs["com.docker.swarm.node.id"].as_str());
        assert!(text.ends_with('\n') && !text.starts_with(' '), "{text:?}");
        *per_task
            .entry(attrs["com.docker.swarm.task.id"].clone())
            .or_default() += 1;
    }
    assert!(per_task.values().all(|n| *n == 2), "{per_task:?}");
    // Interleaved by time.
    let mut sorted = stamps.clone();
    sorted.sort();
    assert_eq!(stamps, sorted);

    // Details without timestamps: the attributes come first.
    let plain = frames(&api, PAYMENTS_API, "stdout=1&stderr=1&details=1&tail=1");
    assert_eq!(plain.len(), 3);
    assert!(plain
        .iter()
        .all(|(_, p)| p.starts_with("com.docker.swarm.node.id=")));
}

#[test]
fn without_details_the_lines_are_the_task_containers_own() {
    let api = Api::demo();
    let query = "stdout=1&stderr=1&tail=4";
    let mut from_service: Vec<(u8, String)> = frames(&api, PAYMENTS_API, query);
    let mut from_containers = Vec::new();
    for task in tasks(&api, PAYMENTS_API).values() {
        let container = task["Status"]["ContainerStatus"]["ContainerID"]
            .as_str()
            .unwrap();
        from_containers.extend(container_lines(&api, container, query));
    }
    assert_eq!(from_service.len(), 12);
    from_service.sort();
    from_containers.sort();
    assert_eq!(from_service, from_containers);

    // The whole history, by full id or id prefix as by name.
    let all = frames(&api, PAYMENTS_API, "stdout=1&stderr=1");
    assert!(all.len() > 12);
    let id = tasks(&api, PAYMENTS_API).values().next().unwrap()["ServiceID"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(frames(&api, &id, "stdout=1&stderr=1"), all);
    assert_eq!(frames(&api, &id[..10], "stdout=1&stderr=1"), all);
    assert!(frames(&api, PAYMENTS_API, "stdout=1&stderr=1&tail=0").is_empty());
}

#[test]
fn streams_tail_and_since() {
    let api = Api::demo();
    let both = frames(&api, "api-gateway_auth", "stdout=1&stderr=1&tail=all");
    let out = frames(&api, "api-gateway_auth", "stdout=1");
    let err = frames(&api, "api-gateway_auth", "stderr=1");
    assert!(!out.is_empty() && out.iter().all(|(s, _)| *s == 1));
    assert!(!err.is_empty() && err.iter().all(|(s, _)| *s == 2));
    assert_eq!(out.len() + err.len(), both.len());
    // The tail counts the last lines of each task's log whatever their stream; the stream
    // is chosen afterwards (`WriteLogStream`).
    let last = frames(&api, "api-gateway_auth", "stdout=1&stderr=1&tail=6");
    let last_out = frames(&api, "api-gateway_auth", "stdout=1&tail=6");
    let expected: Vec<&(u8, String)> = last.iter().filter(|(s, _)| *s == 1).collect();
    assert_eq!(last_out.iter().collect::<Vec<_>>(), expected);

    // `since`: unix seconds, inclusive. Both tasks (the failed one too) wrote before it.
    let stamped = frames(&api, "api-gateway_auth", "stdout=1&stderr=1&timestamps=1");
    let middle = &stamped[stamped.len() / 2].1[..19];
    let since = unix(middle);
    let later = frames(
        &api,
        "api-gateway_auth",
        &format!("stdout=1&stderr=1&timestamps=1&since={since}"),
    );
    assert!(!later.is_empty() && later.len() < stamped.len());
    assert!(later.iter().all(|(_, p)| &p[..19] >= middle), "{later:?}");
    let expected = stamped.iter().filter(|(_, p)| &p[..19] >= middle).count();
    assert_eq!(later.len(), expected);
    let fraction = frames(
        &api,
        "api-gateway_auth",
        &format!("stdout=1&stderr=1&since={since}.000000000"),
    );
    assert_eq!(fraction.len(), expected);
}

/// `2025-01-14T09:30:01` → unix seconds.
fn unix(stamp: &str) -> i64 {
    let n = |range: std::ops::Range<usize>| stamp[range].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)
}

#[test]
fn docker_errors_in_the_order_docker_checks() {
    let api = Api::demo();
    // No stream: a plain error in `swarmLogs`, so a 500, before the service is looked for.
    service_logs(&api, "admin", 2, "nope", "tail=1").expect(
        500,
        json!({ "message": "Bad parameters: you must choose at least one stream" }),
    );
    service_logs(&api, "admin", 2, "nope", "stdout=1")
        .expect(404, json!({ "message": "service nope not found" }));
    service_logs(&api, "admin", 2, PAYMENTS_API, "stdout=1&tail=ten").expect(
        500,
        json!({ "message": r#"tail value must be a positive integer or "all""# }),
    );
    service_logs(&api, "admin", 2, PAYMENTS_API, "stdout=1&tail=-1").expect(
        500,
        json!({ "message": "negative tail values not supported" }),
    );
    service_logs(&api, "admin", 2, PAYMENTS_API, "stdout=1&since=yesterday").expect(
        500,
        json!({ "message": r#"could not parse since timestamp: strconv.ParseInt: parsing "yesterday": invalid syntax"# }),
    );
    // A daemon outside any swarm.
    service_logs(&api, "admin", 1, PAYMENTS_API, "stdout=1").expect(
        503,
        json!({ "message": "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again." }),
    );
}

#[test]
fn non_admins_get_the_service_rc_check_and_its_broken_denial() {
    let api = Api::demo();
    // bob's own stack, and api-gateway through team ops.
    assert_eq!(
        service_logs(&api, "bob", 2, PAYMENTS_API, "stdout=1&tail=1").status,
        200
    );
    assert_eq!(
        service_logs(&api, "bob", 2, "api-gateway_traefik", "stdout=1&tail=1").status,
        200
    );
    // The agent's own service has no stack record, so no ResourceControl: refused, and the
    // refusal (`WriteAccessDeniedResponse`) fails in the agent environment's reverse proxy.
    let refused = service_logs(&api, "bob", 2, "portainer-agent_agent", "stdout=1");
    assert_eq!((refused.status, refused.body.len()), (502, 0));
    assert_eq!(refused.header("content-type"), None);
    // An unknown service fails in Portainer's `ServiceInspectWithRaw` first: the same 502.
    let unknown = service_logs(&api, "bob", 2, "nope", "stdout=1");
    assert_eq!((unknown.status, unknown.body.len()), (502, 0));
    // The local socket answers Portainer's transport error as a JSON 500: there, the inspect
    // meets a daemon outside any swarm.
    service_logs(&api, "bob", 1, PAYMENTS_API, "stdout=1").expect_error(
        500,
        "Unable to proxy the request via the Docker socket",
        "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.",
    );
    // No environment access at all comes first.
    assert_eq!(
        service_logs(&api, "alice", 2, PAYMENTS_API, "stdout=1").status,
        403
    );
    // Admins are not checked: the agent's service reads.
    assert_eq!(
        service_logs(&api, "admin", 2, "portainer-agent_agent", "stdout=1&tail=1").status,
        200
    );
}

#[test]
fn follow_sends_new_lines_of_the_running_tasks() {
    let api = Api::demo();
    let tasks = tasks(&api, "api-gateway_auth");
    let running: BTreeSet<String> = tasks
        .values()
        .filter(|t| t["Status"]["State"] == "running")
        .map(|t| t["ID"].as_str().unwrap().to_string())
        .collect();
    assert_eq!((tasks.len(), running.len()), (2, 1));
    let path = "/api/endpoints/2/docker/services/api-gateway_auth/logs?stdout=1&stderr=1&details=1&tail=1&follow=1";
    // One history line per task (the failed one too), then new lines of the running task.
    let (frames, took) = follow_frames(&api, path, demo::token_for("bob"), 5);
    assert!(took >= Duration::from_millis(2500));
    let task_of = |payload: &str| attributes(payload).0["com.docker.swarm.task.id"].clone();
    let history: BTreeSet<String> = frames[..2].iter().map(|(_, p)| task_of(p)).collect();
    assert_eq!(history.len(), 2, "one line of each task first");
    for (_, payload) in &frames[2..] {
        assert!(running.contains(&task_of(payload)), "{payload:?}");
    }
    assert_eq!(api.get_as("bob", "/api/users/me").status, 200);
}

#[test]
fn tasks_name_their_slot_and_node_and_nodes_name_themselves() {
    let api = Api::demo();
    let nodes = api.get_as("bob", "/api/endpoints/2/docker/nodes").json();
    let nodes = nodes.as_array().unwrap();
    let hostnames: BTreeMap<&str, &str> = nodes
        .iter()
        .map(|n| {
            (
                n["ID"].as_str().unwrap(),
                n["Description"]["Hostname"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hostnames.values().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from(["swarm-manager-1", "swarm-worker-1", "swarm-worker-2"])
    );
    let manager = nodes
        .iter()
        .find(|n| n["Spec"]["Role"] == "manager")
        .unwrap();
    assert_eq!(manager["Description"]["Hostname"], "swarm-manager-1");
    assert_eq!(manager["ManagerStatus"]["Leader"], true);
    assert_eq!(
        manager["Status"],
        json!({ "State": "ready", "Addr": "10.0.10.11" })
    );
    assert!(nodes
        .iter()
        .all(|n| n["Spec"]["Availability"] == "active" && n.get("Portainer").is_none()));
    let info = api.get_as("admin", "/api/endpoints/2/docker/info").json();
    assert_eq!(info["Swarm"]["NodeID"], manager["ID"]);
    // Admins get the same list: Portainer neither filters nor decorates it.
    assert_eq!(
        api.get_as("admin", "/api/endpoints/2/docker/nodes").json(),
        Value::Array(nodes.clone())
    );
    let workers = api
        .get_as(
            "admin",
            &format!(
                "/api/endpoints/2/docker/nodes?filters={}",
                enc(r#"{"role":["worker"]}"#)
            ),
        )
        .json();
    assert_eq!(workers.as_array().unwrap().len(), 2);

    // Every task names a node of the list, and its slot gives "service.slot".
    for task in tasks(&api, PAYMENTS_API).values() {
        assert!(hostnames.contains_key(task["NodeID"].as_str().unwrap()));
        assert!((1..=3).contains(&task["Slot"].as_i64().unwrap()));
    }

    // One node: administrators only, and the refusal is the broken one.
    let id = manager["ID"].as_str().unwrap();
    let one = api.get_as("admin", &format!("/api/endpoints/2/docker/nodes/{id}"));
    assert_eq!(one.json(), *manager);
    let by_name = api.get_as("admin", "/api/endpoints/2/docker/nodes/swarm-worker-2");
    assert_eq!(by_name.json()["Spec"]["Role"], "worker");
    let refused = api.get_as("bob", &format!("/api/endpoints/2/docker/nodes/{id}"));
    assert_eq!((refused.status, refused.body.len()), (502, 0));
    api.get_as("admin", "/api/endpoints/2/docker/nodes/nope")
        .expect(404, json!({ "message": "node nope not found" }));
    assert_eq!(
        api.get_as("admin", "/api/endpoints/1/docker/nodes").status,
        503
    );
}
