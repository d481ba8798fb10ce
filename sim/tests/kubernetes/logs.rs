//! A container's log through the Kubernetes proxy (`…/pods/{name}/log`, §15.4).

use portainer_sim::demo;
use serde_json::json;

use super::common::{read_until, Api};
use super::{log_path, status};

/// The lines of a 200 log answer.
fn log_lines(api: &Api, user: &str, pod: &str, query: &str) -> Vec<String> {
    let reply = api.get_as(user, &log_path("demo", pod, query));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("text/plain"));
    let text = reply.text();
    assert!(text.is_empty() || text.ends_with('\n'));
    text.lines().map(str::to_string).collect()
}

/// Splits `<RFC3339Nano> <text>`.
fn stamped(line: &str) -> (&str, &str) {
    let (time, text) = line.split_once(' ').expect("a time, a space, the text");
    assert_eq!(time.len(), 30, "fixed-width nanoseconds: {time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T');
    (time, text)
}

#[test]
fn logs_are_plain_text_with_tail_timestamps_and_since() {
    let api = Api::demo();
    let pod = "demo-web-7c9d8f6b5d-x8k2p";
    let all = log_lines(&api, "alice", pod, "");
    assert_eq!(all.len(), 80);
    assert!(all[0].starts_with(r#"{"level":"info""#), "{}", all[0]);
    let tail = log_lines(
        &api,
        "alice",
        pod,
        "container=web&tailLines=5&timestamps=true",
    );
    assert_eq!(tail.len(), 5);
    let times: Vec<&str> = tail.iter().map(|l| stamped(l).0).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    let texts: Vec<&str> = tail.iter().map(|l| stamped(l).1).collect();
    assert_eq!(
        texts,
        all[75..].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(log_lines(&api, "alice", pod, "tailLines=0").is_empty());
    // The last line before the simulator started was written well over a second earlier.
    assert!(log_lines(&api, "alice", pod, "sinceSeconds=1").is_empty());
    let hour = log_lines(&api, "alice", pod, "sinceSeconds=3600").len();
    assert!(hour > 0 && hour < 80, "{hour}");

    // A container waiting to restart: the kubelet reads its last run, which ends in the crash,
    // in time order even where several lines share a second.
    let crashed = log_lines(
        &api,
        "alice",
        "demo-worker",
        "container=worker&timestamps=true",
    );
    assert_eq!(crashed.len(), 5);
    let times: Vec<&str> = crashed.iter().map(|l| stamped(l).0).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(crashed[4].contains("failed"), "{}", crashed[4]);
    assert!(!log_lines(&api, "alice", "demo-worker", "container=metrics").is_empty());
}

#[test]
fn log_requests_the_api_server_refuses() {
    let api = Api::demo();
    let get = |pod: &str, query: &str| api.get_as("alice", &log_path("demo", pod, query));
    get("demo-worker", "").expect(
        400,
        status(
            400,
            "BadRequest",
            "a container name must be specified for pod demo-worker, choose one of: [worker metrics]",
            None,
        ),
    );
    get("demo-worker", "container=sidecar").expect(
        400,
        status(
            400,
            "BadRequest",
            "container sidecar is not valid for pod demo-worker",
            None,
        ),
    );
    get("nope", "container=web").expect(
        404,
        status(
            404,
            "NotFound",
            "pods \"nope\" not found",
            Some(json!({ "name": "nope", "kind": "pods" })),
        ),
    );
    get("demo-web-7c9d8f6b5d-x8k2p", "previous=true").expect(
        400,
        status(
            400,
            "BadRequest",
            "previous terminated container \"web\" in pod \"demo-web-7c9d8f6b5d-x8k2p\" not found",
            None,
        ),
    );
    get("demo-worker", "container=worker&tailLines=ten").expect(
        400,
        status(
            400,
            "BadRequest",
            "strconv.ParseInt: parsing \"ten\": invalid syntax",
            None,
        ),
    );
    // The options are checked before the pod is looked up.
    get("nope", "tailLines=-1").expect(
        422,
        status(
            422,
            "Invalid",
            "PodLogOptions \"nope\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0",
            Some(json!({ "name": "nope", "kind": "PodLogOptions", "causes": [{
                "reason": "FieldValueInvalid",
                "message": "Invalid value: -1: must be greater than or equal to 0",
                "field": "tailLines"
            }] })),
        ),
    );
    let both = get(
        "demo-worker",
        "sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z",
    )
    .json();
    assert_eq!(
        both["message"],
        "PodLogOptions \"demo-worker\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
    );
    assert!(both["details"]["causes"][0].get("field").is_none());
}

/// Reads a followed log until `lines` complete lines came (10 s at most).
fn follow(api: &Api, path: &str, lines: usize) -> Vec<String> {
    let received = read_until(api, path, demo::token_for("alice"), |received| {
        received.iter().filter(|b| **b == b'\n').count() >= lines
    });
    String::from_utf8(received)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_followed_log_writes_new_lines_over_time() {
    let api = Api::demo();
    let path = log_path(
        "demo",
        "demo-web-7c9d8f6b5d-qm4zt",
        "follow=true&tailLines=0&timestamps=true",
    );
    let lines = follow(&api, &path, 2);
    assert_eq!(lines.len(), 2);
    let (first, _) = stamped(&lines[0]);
    let (second, _) = stamped(&lines[1]);
    assert!(first < second);

    // A run that ended has nothing more to write: the answer ends after it.
    let crashed = api.get_as(
        "alice",
        &log_path("demo", "demo-worker", "container=worker&follow=true"),
    );
    assert_eq!(crashed.status, 200);
    assert_eq!(crashed.text().lines().count(), 5);
}
