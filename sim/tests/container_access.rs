//! A container with a ResourceControl of its own (monitoring's alertmanager, administrators
//! only) and a container removed behind Portainer's back (`SimHandle::remove_container`):
//! lists, inspect and logs (§5.3, §5.4).

mod common;

use common::{demux, enc, Api};
use portainer_sim::demo;
use serde_json::{json, Value};

const ALERTMANAGER: &str = "monitoring-alertmanager-1";
const SOCKET_ERROR: &str = "Unable to proxy the request via the Docker socket";

fn monitoring(api: &Api, user: &str) -> Vec<Value> {
    let filter = enc(r#"{"label":["com.docker.compose.project=monitoring"]}"#);
    let reply = api.get_as(
        user,
        &format!("/api/endpoints/1/docker/containers/json?all=1&filters={filter}"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn names(list: &[Value]) -> Vec<&str> {
    let mut names: Vec<&str> = list
        .iter()
        .map(|c| c["Names"][0].as_str().unwrap().trim_start_matches('/'))
        .collect();
    names.sort();
    names
}

fn id_of(list: &[Value], name: &str) -> String {
    list.iter()
        .find(|c| c["Names"][0] == format!("/{name}"))
        .and_then(|c| c["Id"].as_str())
        .unwrap_or_else(|| panic!("{name} not listed"))
        .to_string()
}

fn logs(api: &Api, user: &str, env: i64, container: &str) -> common::Reply {
    api.get_as(
        user,
        &format!(
            "/api/endpoints/{env}/docker/containers/{container}/logs?stdout=1&stderr=1&tail=3"
        ),
    )
}

#[test]
fn alertmanager_is_for_administrators_only() {
    let api = Api::demo();
    let all = monitoring(&api, "admin");
    assert_eq!(
        names(&all),
        [
            ALERTMANAGER,
            "monitoring-grafana-1",
            "monitoring-node-exporter-1",
            "monitoring-prometheus-1"
        ]
    );
    let id = id_of(&all, ALERTMANAGER);
    let own = &all.iter().find(|c| c["Id"] == id.as_str()).unwrap()["Portainer"]["ResourceControl"];
    assert_eq!(
        *own,
        json!({
            "Id": demo::RC_ALERTMANAGER, "ResourceId": id, "SubResourceIds": [], "Type": 1,
            "UserAccesses": [], "TeamAccesses": [], "Public": false, "AdministratorsOnly": true,
            "System": false
        })
    );
    // The stack's public RC still decorates the others.
    let grafana = all
        .iter()
        .find(|c| c["Names"][0] == "/monitoring-grafana-1")
        .unwrap();
    assert_eq!(
        grafana["Portainer"]["ResourceControl"]["ResourceId"],
        "1_monitoring"
    );

    for user in ["bob", "carol", "alice"] {
        assert_eq!(
            names(&monitoring(&api, user)),
            [
                "monitoring-grafana-1",
                "monitoring-node-exporter-1",
                "monitoring-prometheus-1"
            ],
            "{user}"
        );
    }
    api.get_as(
        "bob",
        &format!("/api/endpoints/1/docker/containers/{id}/json"),
    )
    .expect(403, json!({ "message": "access denied to resource" }));
    assert_eq!(
        api.get_as(
            "erin",
            &format!("/api/endpoints/1/docker/containers/{id}/json")
        )
        .status,
        200
    );

    // Its log, by id: refused with the socket proxy's 500 (§5.4); admins read it.
    logs(&api, "bob", 1, &id).expect_error(500, SOCKET_ERROR, "Mime: no media type");
    let read = logs(&api, "admin", 1, &id);
    assert_eq!((read.status, demux(&read.body).len()), (200, 3));
    // The rest of monitoring stays readable to bob.
    let grafana_id = id_of(&all, "monitoring-grafana-1");
    assert_eq!(logs(&api, "bob", 1, &grafana_id).status, 200);
    // `restrictedResourceOperation` looks the own RC up by the path's text: named rather
    // than by id, alertmanager falls back to the stack's public RC, and bob reads it.
    assert_eq!(logs(&api, "bob", 1, ALERTMANAGER).status, 200);
}

#[test]
fn a_removed_container_is_gone_for_docker_and_for_portainer() {
    let api = Api::demo();
    let all = monitoring(&api, "admin");
    let grafana = id_of(&all, "monitoring-grafana-1");
    let alertmanager = id_of(&all, ALERTMANAGER);
    assert!(api.sim.remove_container(1, "monitoring-grafana-1"));
    assert!(!api.sim.remove_container(1, "monitoring-grafana-1"));
    assert!(api.sim.remove_container(1, &format!("/{ALERTMANAGER}")));
    assert!(!api.sim.remove_container(2, "monitoring-prometheus-1"));
    assert!(!api.sim.remove_container(1, "nope"));
    assert_eq!(
        names(&monitoring(&api, "admin")),
        ["monitoring-node-exporter-1", "monitoring-prometheus-1"]
    );

    // Admins: Docker's own 404.
    logs(&api, "admin", 1, &grafana).expect(
        404,
        json!({ "message": format!("No such container: {grafana}") }),
    );
    api.get_as(
        "admin",
        &format!("/api/endpoints/1/docker/containers/{grafana}/json"),
    )
    .expect(
        404,
        json!({ "message": format!("No such container: {grafana}") }),
    );
    // Others: Portainer inspects the container for an inherited RC, and that fails in its
    // transport (`getInheritedResourceControlFromContainerLabels`).
    logs(&api, "bob", 1, &grafana).expect_error(
        500,
        SOCKET_ERROR,
        &format!("Error response from daemon: No such container: {grafana}"),
    );
    // alertmanager's own RC outlives the container: the refusal comes before Docker.
    logs(&api, "bob", 1, &alertmanager).expect_error(500, SOCKET_ERROR, "Mime: no media type");
    logs(&api, "admin", 1, &alertmanager).expect(
        404,
        json!({ "message": format!("No such container: {alertmanager}") }),
    );

    // On the agent environment the same failure is the reverse proxy's empty 502.
    let swarm = api
        .get_as("bob", "/api/endpoints/2/docker/containers/json?all=1")
        .json();
    let task = swarm
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Labels"]["com.docker.swarm.service.name"] == "payments_api")
        .unwrap();
    let (id, name) = (
        task["Id"].as_str().unwrap(),
        task["Names"][0].as_str().unwrap(),
    );
    assert_eq!(logs(&api, "bob", 2, id).status, 200);
    assert!(api.sim.remove_container(2, name));
    let gone = logs(&api, "bob", 2, id);
    assert_eq!((gone.status, gone.body.len()), (502, 0));
    // The service's log now reads the two task containers left.
    let service = api.get_as(
        "admin",
        "/api/endpoints/2/docker/services/payments_api/logs?stdout=1&stderr=1&tail=1",
    );
    assert_eq!(demux(&service.body).len(), 2);
}

#[test]
fn container_logs_with_details_and_a_tail_across_streams() {
    let api = Api::demo();
    let path =
        |query: &str| format!("/api/endpoints/1/docker/containers/web-frontend-app-1/logs?{query}");
    // A compose container's log driver adds no attributes: `details` leaves only the
    // separating space (`attrsByteSlice` of nothing, then ' ').
    let detailed = demux(
        &api.get_as("admin", &path("stdout=1&stderr=1&details=1&tail=3"))
            .body,
    );
    let plain = demux(&api.get_as("admin", &path("stdout=1&stderr=1&tail=3")).body);
    assert_eq!(detailed.len(), 3);
    for ((_, d), (_, p)) in detailed.iter().zip(&plain) {
        assert_eq!(*d, format!(" {p}"));
    }
    // The tail is taken from the whole log, then the streams are chosen.
    let both = demux(&api.get_as("admin", &path("stdout=1&stderr=1&tail=20")).body);
    let err = demux(&api.get_as("admin", &path("stderr=1&tail=20")).body);
    let expected: Vec<&(u8, String)> = both.iter().filter(|(s, _)| *s == 2).collect();
    assert!(err.len() < 20);
    assert_eq!(err.iter().collect::<Vec<_>>(), expected);
    // A bad `since` is `ParseTimestamps`' error, after the container was found.
    api.get_as("admin", &path("stdout=1&since=soon")).expect(
        500,
        json!({ "message": r#"strconv.ParseInt: parsing "soon": invalid syntax"# }),
    );
    // No stream: Docker's 400 comes before the container is looked for.
    api.get_as(
        "admin",
        "/api/endpoints/1/docker/containers/nope/logs?tail=1",
    )
    .expect(
        400,
        json!({ "message": "Bad parameters: you must choose at least one stream" }),
    );
}
