//! `PUT /api/stacks/{id}` with a file the deploy tool refuses (docs/portainer-api.md §14): a 500
//! whose message is the tool's stderr as Portainer wraps it, and nothing saved.

mod common;

use common::{enc, Api};
use serde_json::{json, Value};

/// A YAML syntax error on line 4, the same line for yaml.v3 and yaml.v2.
const BAD_SYNTAX: &str = "services:\n  web:\n    image: nginx\n    ports: 80:80: x\n";
const SYNTAX_ERROR: &str = "yaml: line 4: mapping values are not allowed in this context\n";

fn update(api: &Api, id: i64, endpoint: i64, body: Value) -> common::Reply {
    let path = format!("/api/stacks/{id}?endpointId={endpoint}");
    api.send_as("PUT", "admin", &path, Some(&body.to_string()))
}

fn stack(api: &Api, id: i64) -> Value {
    api.get_as("admin", &format!("/api/stacks/{id}")).json()
}

fn file(api: &Api, id: i64) -> Value {
    api.get_as("admin", &format!("/api/stacks/{id}/file"))
        .json()["StackFileContent"]
        .clone()
}

/// Where the tool reads the file: `ProjectPath` joined with `EntryPoint`.
fn path_of(api: &Api, id: i64) -> String {
    let stack = stack(api, id);
    format!(
        "{}/{}",
        stack["ProjectPath"].as_str().unwrap(),
        stack["EntryPoint"].as_str().unwrap()
    )
}

fn containers_of(api: &Api, project: &str) -> usize {
    let filters = format!(r#"{{"label":["com.docker.compose.project={project}"]}}"#);
    let path = format!(
        "/api/endpoints/1/docker/containers/json?all=1&filters={}",
        enc(&filters)
    );
    api.get_as("admin", &path).json().as_array().unwrap().len()
}

/// 2.23 capitalises `details`; 2.19 writes it as the error reads.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

#[test]
fn a_refused_compose_file_saves_nothing_and_compose_down_ran() {
    let api = Api::demo();
    let (before, stored) = (stack(&api, 3), file(&api, 3));
    assert!(containers_of(&api, "db-admin") > 0);
    let env = json!([{ "name": "A", "value": "1" }]);
    let message = format!("failed to deploy a stack: {SYNTAX_ERROR}");
    update(
        &api,
        3,
        1,
        json!({ "StackFileContent": BAD_SYNTAX, "Env": env }),
    )
    .expect_error(500, &message, &capitalised(&message));
    // File, Env, UpdateDate, Status: all as before. `DeployComposeStack` ran `compose down`
    // after the failed `up`, so the containers are gone.
    assert_eq!(stack(&api, 3), before);
    assert_eq!(file(&api, 3), stored);
    assert_eq!(containers_of(&api, "db-admin"), 0);

    let good = "services:\n  postgres:\n    image: postgres:16.3\n";
    let reply = update(&api, 3, 1, json!({ "StackFileContent": good }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(containers_of(&api, "db-admin") > 0);
    assert_eq!(file(&api, 3), good);
}

#[test]
fn a_pull_fails_first_and_leaves_the_containers() {
    let api = Api::demo();
    let message = format!("failed to pull images of the stack: {SYNTAX_ERROR}");
    let body = json!({ "StackFileContent": BAD_SYNTAX, "PullImage": true });
    update(&api, 3, 1, body).expect_error(500, &message, &capitalised(&message));
    assert!(containers_of(&api, "db-admin") > 0);
}

#[test]
fn compose_schema_errors_name_the_file() {
    for api in [Api::demo(), Api::v2_19()] {
        let path = path_of(&api, 3);
        let cases = [
            (
                "services:\n  web:\n    imag: nginx\n",
                format!(
                    "validating {path}: services.web Additional property imag is not allowed\n"
                ),
            ),
            (
                "servics:\n  web:\n    image: nginx\n",
                format!("validating {path}: (root) Additional property servics is not allowed\n"),
            ),
        ];
        for (body, error) in cases {
            let reply = update(&api, 3, 1, json!({ "StackFileContent": body }));
            assert_eq!(reply.status, 500, "{}", reply.text());
            assert_eq!(
                reply.json()["message"],
                format!("failed to deploy a stack: {error}")
            );
        }
    }
}

#[test]
fn versions_word_yaml_errors_their_own_way() {
    // compose-go v1.17.0 (2.19) names the file it parsed; v2.1.6 (2.23) does not. yaml.v3
    // refuses a repeated key.
    let api = Api::v2_19();
    let path = path_of(&api, 3);
    let message = format!("failed to deploy a stack: parsing {path}: {SYNTAX_ERROR}");
    update(&api, 3, 1, json!({ "StackFileContent": BAD_SYNTAX }))
        .expect_error(500, &message, &message);
    let api = Api::demo();
    let repeated = "services:\n  web:\n    image: nginx\n    image: redis\n";
    let reply = update(&api, 3, 1, json!({ "StackFileContent": repeated }));
    assert_eq!(
        reply.json()["message"],
        "failed to deploy a stack: yaml: unmarshal errors:\n  line 4: mapping key \"image\" already defined at line 3\n"
    );
}

#[test]
fn anchors_merge_keys_and_extensions_deploy() {
    let api = Api::demo();
    let body = "x-defaults: &defaults\n  restart: unless-stopped\nservices:\n  postgres:\n    <<: *defaults\n    image: postgres:16.3\n    environment:\n      <<: {TZ: UTC}\n      POSTGRES_DB: app\n    x-owner: dba\n";
    let reply = update(&api, 3, 1, json!({ "StackFileContent": body }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(file(&api, 3), body);
}

#[test]
fn swarm_files_get_the_docker_clis_words() {
    // `docker stack deploy`'s stderr is the whole message; there is no `compose down`.
    let api = Api::demo();
    let (before, stored) = (stack(&api, 7), file(&api, 7));
    let services = || {
        api.get_as("admin", "/api/endpoints/2/docker/services")
            .json()
    };
    let running = services();
    let body = "version: \"3.8\"\nservices:\n  api:\n    imag: x\n";
    let message = "services.api Additional property imag is not allowed\n";
    update(
        &api,
        7,
        2,
        json!({ "StackFileContent": body, "Prune": true }),
    )
    .expect_error(500, message, &capitalised(message));
    assert_eq!(stack(&api, 7), before);
    assert_eq!(file(&api, 7), stored);
    assert_eq!(services(), running);

    // The docker CLI 20.10 of 2.19 wants a version; 27.1 takes 3.13 without one.
    let bare = "services:\n  api:\n    image: nginx\n";
    let api = Api::v2_19();
    let message = "unsupported Compose file version: 1.0\n";
    update(&api, 7, 2, json!({ "StackFileContent": bare })).expect_error(500, message, message);
    let reply = update(&Api::demo(), 7, 2, json!({ "StackFileContent": bare }));
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn the_file_is_read_before_the_host_is_dialled() {
    // staging-web's host does not answer: the plugin refuses the file before it gets there.
    let api = Api::demo();
    let message = format!("failed to deploy a stack: {SYNTAX_ERROR}");
    update(&api, 8, 4, json!({ "StackFileContent": BAD_SYNTAX })).expect_error(
        500,
        &message,
        &capitalised(&message),
    );
}

#[test]
fn an_edge_tunnel_comes_first_on_2_23_only() {
    // 2.23 opens the tunnel before it runs the tool and fails there, whatever the file; 2.19
    // waits for the tunnel, then runs the tool, which refuses the file.
    let good =
        json!({ "StackFileContent": "services:\n  mqtt:\n    image: eclipse-mosquitto:2\n" });
    let bad = json!({ "StackFileContent": BAD_SYNTAX });
    let api = Api::demo();
    let endpoint = stack(&api, 9)["EndpointId"].as_i64().unwrap();
    let tunnel = update(&api, 9, endpoint, good).json();
    assert_eq!(update(&api, 9, endpoint, bad.clone()).json(), tunnel);
    let api = Api::v2_19();
    let path = path_of(&api, 9);
    let message = format!("failed to deploy a stack: parsing {path}: {SYNTAX_ERROR}");
    update(&api, 9, endpoint, bad).expect_error(500, &message, &message);
}
