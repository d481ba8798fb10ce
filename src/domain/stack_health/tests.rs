use super::*;
use crate::domain::testing::stack;
use crate::portainer::{EndpointStatus, EndpointType};
use serde_json::json;

fn known() -> EnvInfo {
    EnvInfo::Known {
        name: "local".into(),
        kind: EndpointType::Docker,
        status: EndpointStatus::Up,
    }
}

fn row(id: u32, name: &str, env: u32, kind: StackType) -> StackRow {
    StackRow::new(&stack(id, name).on(env).of_kind(kind), known())
}

/// A container as Docker's `GET /containers/json` lists it.
fn container(labels: serde_json::Value, state: &str, status: &str) -> ContainerSummary {
    serde_json::from_value(json!({
        "Id": "c", "Names": ["/c"], "Image": "nginx", "State": state, "Status": status,
        "Created": 1, "Ports": [], "Labels": labels
    }))
    .unwrap()
}

fn service(id: &str, namespace: &str, mode: serde_json::Value) -> ServiceSummary {
    serde_json::from_value(json!({
        "ID": id,
        "Spec": { "Name": format!("{namespace}_{id}"), "Labels": { STACK_NAMESPACE: namespace }, "Mode": mode }
    }))
    .unwrap()
}

fn task(service: &str, desired: &str, state: &str) -> TaskSummary {
    serde_json::from_value(json!({
        "ID": "t", "ServiceID": service, "NodeID": "n", "DesiredState": desired,
        "Status": { "State": state }
    }))
    .unwrap()
}

#[test]
fn compose_containers_count_by_project_with_health_from_the_status_text() {
    let project = |p: &str| json!({ COMPOSE_PROJECT: p });
    let counts = EnvCounts::read(
        &[
            container(project("web"), "running", "Up 2 hours (healthy)"),
            container(project("web"), "running", "Up 2 hours (unhealthy)"),
            container(project("web"), "exited", "Exited (1) 3 minutes ago"),
            container(project("db"), "restarting", "Restarting (1) 5 seconds ago"),
            container(json!({}), "running", "Up 1 hour"),
        ],
        &[],
        &[],
    );
    let web = counts.compose["web"];
    assert_eq!(
        web,
        Counts {
            running: 2,
            total: 3,
            unhealthy: 1
        }
    );
    assert_eq!(web.class(), HealthClass::Unhealthy);
    let db = counts.compose["db"];
    assert_eq!((db.running, db.total), (0, 1), "restarting is not running");
    assert_eq!(db.class(), HealthClass::Down);
    assert_eq!(
        counts.compose.len(),
        2,
        "a container of no project counts nowhere"
    );
}

#[test]
fn swarm_stacks_count_running_tasks_against_wanted_replicas() {
    let services = [
        service("s1", "shop", json!({ "Replicated": { "Replicas": 3 } })),
        service("s2", "shop", json!({ "Global": {} })),
        service("s3", "other", json!({ "Replicated": { "Replicas": 1 } })),
    ];
    let tasks = [
        task("s1", "running", "running"),
        task("s1", "running", "starting"),
        // Shutting down: not counted though still running.
        task("s1", "shutdown", "running"),
        task("s2", "running", "running"),
        task("s2", "running", "running"),
        task("s3", "running", "running"),
    ];
    let unhealthy = container(
        json!({ STACK_NAMESPACE: "shop", COMPOSE_PROJECT: "ignored" }),
        "running",
        "Up 1 minute (unhealthy)",
    );
    let counts = EnvCounts::read(&[unhealthy], &services, &tasks);
    assert_eq!(
        counts.swarm["shop"],
        Counts {
            running: 3,
            total: 5,
            unhealthy: 1
        },
        "s1 wants 3 and runs 1; global s2 wants and runs 2"
    );
    assert_eq!(counts.swarm["other"].class(), HealthClass::Running);
    assert!(
        counts.compose.is_empty(),
        "a swarm task's container is counted for its stack only"
    );
}

#[test]
fn classes_go_from_worst_to_all_running() {
    let c = |running, total, unhealthy| {
        Counts {
            running,
            total,
            unhealthy,
        }
        .class()
    };
    assert_eq!(c(3, 3, 1), HealthClass::Unhealthy);
    assert_eq!(c(1, 3, 0), HealthClass::Partly);
    assert_eq!(c(0, 3, 0), HealthClass::Down);
    assert_eq!(
        c(0, 0, 0),
        HealthClass::Down,
        "a stopped stack runs nothing"
    );
    assert_eq!(c(3, 3, 0), HealthClass::Running);
    for class in HealthClass::ALL {
        assert_eq!(HealthClass::from_url_name(class.url_name()), Some(class));
    }
}

#[test]
fn each_reachable_environment_is_probed_once_with_the_lists_its_stacks_need() {
    let mut rows = vec![
        row(1, "a", 1, StackType::DockerCompose),
        row(2, "b", 1, StackType::DockerCompose),
        row(3, "c", 2, StackType::DockerSwarm),
        row(4, "d", 3, StackType::DockerSwarm),
        row(5, "e", 3, StackType::DockerCompose),
        row(6, "k", 5, StackType::Kubernetes),
        row(7, "gone", 9, StackType::DockerCompose),
    ];
    rows[6].env = EnvInfo::Orphaned;
    let probes = probes(&rows);
    let got: Vec<_> = probes
        .iter()
        .map(|p| (p.endpoint_id, p.containers_label, p.swarm))
        .collect();
    assert_eq!(
        got,
        [
            (1, Some(COMPOSE_PROJECT), false),
            (2, Some(STACK_NAMESPACE), true),
            (3, None, true),
        ]
    );
}

#[test]
fn a_row_reads_its_environments_answer() {
    let web = row(1, "My Web", 1, StackType::DockerCompose);
    let shop = row(2, "shop", 2, StackType::DockerSwarm);
    let kube = row(3, "kube", 1, StackType::Kubernetes);
    let mut envs = BTreeMap::new();
    assert_eq!(StackHealth::of(&web, &envs), StackHealth::Pending);
    assert_eq!(StackHealth::of(&kube, &envs), StackHealth::NotChecked);
    let mut one = EnvCounts::default();
    let counted = Counts {
        running: 1,
        total: 2,
        unhealthy: 0,
    };
    // Portainer names the compose project after the normalised stack name.
    one.compose.insert("myweb".into(), counted);
    envs.insert(1, Ok(one));
    let unreachable = ApiError::Server {
        status: 502,
        message: String::new(),
    };
    envs.insert(2, Err(Unanswered::from_error(&unreachable)));
    let health = StackHealth::of(&web, &envs);
    assert_eq!(health, StackHealth::Counted(counted));
    assert_eq!(health.running_label(false).as_deref(), Some("1/2 running"));
    assert_eq!(health.class(), Some(HealthClass::Partly));
    let unknown = StackHealth::of(&shop, &envs);
    assert_eq!(unknown.class(), Some(HealthClass::Unknown));
    let absent = row(4, "stopped", 1, StackType::DockerCompose);
    let health = StackHealth::of(&absent, &envs);
    assert_eq!(
        health.running_label(false).as_deref(),
        Some("no containers")
    );
    assert_eq!(
        classes(&[web, shop, kube, absent], &envs),
        [
            Some(HealthClass::Partly),
            Some(HealthClass::Unknown),
            None,
            Some(HealthClass::Down)
        ]
    );
}

#[test]
fn an_unanswered_environment_says_why_in_a_few_words_and_in_full() {
    let server = |status, message: &str| ApiError::Server {
        status,
        message: message.into(),
    };
    let why = Unanswered::from_error(&server(502, ""));
    assert_eq!(why.brief, "Docker host unreachable");
    assert!(why.whole.contains("HTTP 502"), "{}", why.whole);
    assert!(why.whole.contains("connect timeout"), "{}", why.whole);
    let tunnel = server(
        500,
        "Unable to get the active tunnel: Unable to open the tunnel",
    );
    assert_eq!(
        Unanswered::from_error(&tunnel).brief,
        "Edge agent not connected"
    );
    let refused = ApiError::Forbidden {
        message: "Access denied to resource".into(),
    };
    assert_eq!(Unanswered::from_error(&refused).brief, "access refused");
    assert_eq!(
        Unanswered::from_error(&ApiError::Timeout { after_ms: 15_000 }).brief,
        "Docker host unreachable"
    );
    assert_eq!(Unanswered::from_error(&server(500, "boom")).brief, "error");
}
