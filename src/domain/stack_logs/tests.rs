use super::merge::{as_text, keeps, matches, merge_by_time};
use super::query::{Selection, StackLogsQuery};
use super::sources::{
    split_details, stack_log_sources, task_label, LogTarget, Origins, TaskDetails,
};
use crate::domain::containers::Workload;
use crate::portainer::{LogLine, LogStream};
use serde_json::json;

fn line(ts: &str, origin: u32, text: &str) -> LogLine {
    LogLine {
        stream: LogStream::Stdout,
        timestamp: Some(ts.into()),
        text: text.into(),
        origin,
    }
}

fn compose() -> Workload {
    let container = |id: &str, service: &str, state: &str, status: &str| {
        json!({
            "Id": id, "Names": [format!("/monitoring-{service}-1")], "State": state, "Status": status,
            "Labels": {"com.docker.compose.service": service, "com.docker.compose.container-number": "1"}
        })
    };
    let list = json!([
        container("c1", "prometheus", "running", "Up 2 hours"),
        container("c2", "grafana", "running", "Up 2 hours (unhealthy)"),
        container("c3", "node-exporter", "exited", "Exited (1) 5 hours ago"),
    ]);
    Workload::containers(serde_json::from_value(list).expect("containers"))
}

fn swarm() -> Workload {
    let services = json!([
        {"ID": "s-web", "Spec": {"Name": "shop_web", "Mode": {"Replicated": {"Replicas": 2}}}},
        {"ID": "s-api", "Spec": {"Name": "shop_api", "Mode": {"Replicated": {"Replicas": 1}}}},
    ]);
    let tasks = json!([
        {"ID": "t1", "ServiceID": "s-web", "NodeID": "n1", "Slot": 1, "Status": {"State": "running"}},
        {"ID": "t2", "ServiceID": "s-web", "NodeID": "n2", "Slot": 2, "Status": {"State": "running"}},
        {"ID": "t3", "ServiceID": "s-api", "NodeID": "n1", "Slot": 1, "Status": {"State": "failed"}},
    ]);
    Workload::Swarm {
        services: serde_json::from_value(services).expect("services"),
        tasks: serde_json::from_value(tasks).expect("tasks"),
    }
}

#[test]
fn a_compose_stack_has_a_source_per_container_running_or_not() {
    let sources = stack_log_sources(&compose(), "monitoring");
    let keys: Vec<&str> = sources.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "monitoring-grafana-1",
            "monitoring-node-exporter-1",
            "monitoring-prometheus-1"
        ]
    );
    assert_eq!(sources[0].label, "grafana-1");
    assert_eq!(sources[0].state, "running, unhealthy");
    assert_eq!(sources[1].state, "exited");
    assert_eq!(sources[2].target, LogTarget::Container { id: "c1".into() });
}

#[test]
fn a_swarm_stack_has_a_source_per_service_and_a_prefix_per_task() {
    let workload = swarm();
    let sources = stack_log_sources(&workload, "shop");
    assert_eq!(sources.len(), 2);
    assert_eq!(
        (sources[0].key.as_str(), sources[0].label.as_str()),
        ("shop_api", "api")
    );
    assert_eq!(sources[1].state, "2/2 running");
    assert_eq!(sources[1].target, LogTarget::Service { id: "s-web".into() });

    let text = "com.docker.swarm.node.id=n2,com.docker.swarm.service.id=s-web,com.docker.swarm.task.id=t2 GET / 200";
    let (details, rest) = split_details(text);
    let details = details.expect("details");
    assert_eq!(rest, "GET / 200");
    assert_eq!(
        details,
        TaskDetails {
            node_id: "n2".into(),
            task_id: "t2".into()
        }
    );
    let Workload::Swarm { tasks, .. } = &workload else {
        unreachable!()
    };
    let hostname = |id: &str| (id == "n2").then(|| "worker-2".to_string());
    assert_eq!(
        task_label("web", &details, tasks, &hostname),
        "web.2@worker-2"
    );
    let unknown_node = TaskDetails {
        node_id: "n1abcdefghijk".into(),
        task_id: "t1".into(),
    };
    assert_eq!(
        task_label("web", &unknown_node, tasks, &hostname),
        "web.1@n1abcdefgh"
    );
    // A line without details, or whose first word only looks like them, is left whole.
    assert_eq!(split_details("plain text").1, "plain text");
    assert_eq!(split_details("com.docker.swarm.x rest").0, None);
    // Values are query-escaped by Docker.
    let escaped = split_details("com.docker.swarm.node.id=a%2Cb,com.docker.swarm.task.id=t x");
    assert_eq!(escaped.0.map(|d| d.node_id), Some("a,b".to_string()));

    let mut origins = Origins::new(&sources);
    let task = origins.intern(1, "web.2@worker-2".into());
    assert_eq!(task, 2);
    assert_eq!(origins.intern(1, "web.2@worker-2".into()), 2, "seen once");
    assert_eq!(
        (origins.label(task), origins.source(task)),
        ("web.2@worker-2", 1)
    );
    assert_eq!(origins.label(0), "api");
}

#[test]
fn tails_interleave_by_time_and_keep_order_on_ties() {
    let a = vec![
        line("2024-05-01T10:00:00.000000001Z", 0, "a1"),
        line("2024-05-01T10:00:02.000000000Z", 0, "a2"),
    ];
    let b = vec![
        line("2024-05-01T10:00:00.000000001Z", 1, "b1"),
        line("2024-05-01T10:00:01.500000000Z", 1, "b2"),
    ];
    let merged = merge_by_time(vec![a, b]);
    let texts: Vec<&str> = merged.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["a1", "b1", "b2", "a2"]);
}

#[test]
fn the_filter_ignores_ascii_case_and_never_splits_a_character() {
    assert_eq!(matches("Error: disk ERROR", "error"), [0..5, 12..17]);
    assert_eq!(matches("aaa", "aa"), vec![(0..2)], "matches do not overlap");
    assert!(matches("anything", "").is_empty());
    assert_eq!(
        matches("été Été", "été"),
        vec![(0..5)],
        "non-ASCII letters match exactly"
    );
    assert!(matches("€uro", "\u{82}").is_empty());
    let mut l = line("t", 0, "WARN slow");
    assert!(keeps(&l, true, true, "warn"));
    assert!(!keeps(&l, false, true, ""));
    l.stream = LogStream::Stderr;
    assert!(keeps(&l, false, true, "") && !keeps(&l, true, false, ""));
}

#[test]
fn a_download_names_each_line_source_and_stream() {
    let sources = stack_log_sources(&compose(), "monitoring");
    let origins = Origins::new(&sources);
    let mut err = line("2024-05-01T10:00:00.000000000Z", 1, "boom");
    err.stream = LogStream::Stderr;
    let text = as_text(
        [line("2024-05-01T09:00:00.000000000Z", 0, "ok"), err].iter(),
        &origins,
    );
    assert_eq!(
        text,
        "2024-05-01T09:00:00.000000000Z grafana-1 out ok\n2024-05-01T10:00:00.000000000Z node-exporter-1 err boom\n"
    );
}

#[test]
fn the_options_survive_the_url() {
    let q = StackLogsQuery {
        tail: Some(50),
        since: Some(3_600),
        follow: true,
        timestamps: false,
        wrap: false,
        stdout: false,
        filter: "time out".into(),
        sources: Selection::Except(vec!["shop_web".into()]),
        ..StackLogsQuery::default()
    };
    let text = q.to_query();
    assert_eq!(
        text,
        "tail=50&since=1h&follow=1&ts=0&wrap=0&stream=stderr&q=time%20out&hide=shop_web"
    );
    let pairs: Vec<(String, String)> = text
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), crate::percent::decode(v))
        })
        .collect();
    assert_eq!(
        StackLogsQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        q
    );
    assert_eq!(StackLogsQuery::default().to_query(), "");
    // Out of range and unknown values fall back.
    let odd =
        StackLogsQuery::from_pairs([("tail", "999999"), ("since", "3w"), ("x", "y")].into_iter());
    assert_eq!((odd.tail, odd.since), (Some(5_000), None));
    assert_ne!(q.fetch_key(), StackLogsQuery::default().fetch_key());
    let view_only = StackLogsQuery {
        filter: "x".into(),
        wrap: false,
        ..StackLogsQuery::default()
    };
    assert_eq!(view_only.fetch_key(), StackLogsQuery::default().fetch_key());
}

#[test]
fn one_click_shows_or_hides_a_source_and_the_shorter_list_is_kept() {
    let all = ["a", "b", "c", "d"];
    let s = Selection::All.toggled("b", &all);
    assert_eq!(s, Selection::Except(vec!["b".into()]));
    assert!(!s.shows("b") && s.shows("a"));
    let s = s.toggled("b", &all);
    assert_eq!(s, Selection::All);
    let only = Selection::only("c");
    assert_eq!(
        only.toggled("a", &all),
        Selection::Only(vec!["a".into(), "c".into()])
    );
    assert_eq!(
        only.toggled("a", &all).toggled("b", &all),
        Selection::Except(vec!["d".into()])
    );
    assert_eq!(
        only.toggled("c", &all),
        Selection::Only(vec![]),
        "none shown"
    );
}
