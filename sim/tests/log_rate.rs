//! `Config::log_lines_per_sec` (`--log-lines-per-sec`): how many lines a followed log gains a
//! second, and `Config::busy_stack` (`--busy-stack`): the stack with ten containers to follow.
//! Rates are counted from the lines' own timestamps over one second, with a tolerance.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::{follow_frames, Api, DIAL};
use portainer_sim::{demo, Config};
use serde_json::Value;

const RATE: u32 = 200;

fn busy(lines_per_sec: u32) -> Api {
    Api::start(Config {
        dial_timeout: DIAL,
        log_lines_per_sec: lines_per_sec,
        busy_stack: true,
        ..Config::default()
    })
}

/// Nanoseconds since the epoch of an RFC3339Nano time (`2025-07-08T18:40:00.123456789Z`).
fn nanos(stamp: &str) -> i128 {
    let field = |range: std::ops::Range<usize>| stamp[range].parse::<i128>().unwrap();
    let (y, mo, d) = (field(0..4), field(5..7), field(8..10));
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let secs = days * 86_400 + field(11..13) * 3600 + field(14..16) * 60 + field(17..19);
    secs * 1_000_000_000 + field(20..29)
}

/// The lines whose times fall within the second after the first one's; the times must
/// increase, and a later line must show that the second is over.
fn lines_in_first_second(times: &[i128]) -> usize {
    assert!(times.windows(2).all(|w| w[0] < w[1]), "times go back");
    let end = times[0] + 1_000_000_000;
    assert!(
        times.last().is_some_and(|t| *t >= end),
        "less than a second read"
    );
    times.iter().filter(|t| **t < end).count()
}

fn assert_about(count: usize, rate: u32) {
    let rate = rate as usize;
    assert!(
        count >= rate * 3 / 4 && count <= rate * 5 / 4,
        "{count} lines in a second, expected about {rate}"
    );
}

#[test]
fn followed_docker_logs_write_the_configured_rate() {
    let api = busy(RATE);
    // On the local socket the lines come in unflushed 4 KiB bursts; their times still tell.
    let path = "/api/endpoints/1/docker/containers/busy-logs-api-1/logs?stdout=1&stderr=1&follow=1&tail=0&timestamps=1";
    let (frames, _) = follow_frames(&api, path, demo::token_for("admin"), 300);
    let times: Vec<i128> = frames
        .iter()
        .map(|(_, payload)| nanos(payload.split(' ').next().unwrap()))
        .collect();
    assert_about(lines_in_first_second(&times), RATE);

    // A service's log: each of its tasks writes at that rate.
    let path = "/api/endpoints/2/docker/services/payments_api/logs?stdout=1&stderr=1&follow=1&tail=0&timestamps=1&details=1";
    let (frames, _) = follow_frames(&api, path, demo::token_for("admin"), 600);
    let (_, first) = &frames[0];
    let task = first.split(' ').nth(1).unwrap().to_string();
    let times: Vec<i128> = frames
        .iter()
        .filter(|(_, payload)| payload.split(' ').nth(1) == Some(task.as_str()))
        .map(|(_, payload)| nanos(payload.split(' ').next().unwrap()))
        .collect();
    assert_about(lines_in_first_second(&times), RATE);
}

/// Reads a followed text log for `wait`, returning its lines.
fn follow_text(api: &Api, path: &str, user: &str, wait: Duration) -> Vec<String> {
    let started = Instant::now();
    let response = api.open(path, demo::token_for(user));
    assert_eq!(response.status(), 200);
    let mut reader = response.into_body().into_reader();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < wait {
        let n = reader.read(&mut buf).expect("read");
        assert!(n > 0, "stream ended early");
        received.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8(received).unwrap();
    let complete = text.rfind('\n').map_or("", |end| &text[..end]);
    complete.lines().map(str::to_string).collect()
}

#[test]
fn followed_pod_logs_write_the_configured_rate() {
    let api = busy(RATE);
    let path = "/api/endpoints/5/kubernetes/api/v1/namespaces/demo/pods/demo-web-7c9d8f6b5d-x8k2p/log?follow=true&tailLines=0&timestamps=true";
    let lines = follow_text(&api, path, "alice", Duration::from_millis(1600));
    let times: Vec<i128> = lines
        .iter()
        .map(|l| nanos(l.split(' ').next().unwrap()))
        .collect();
    assert_about(lines_in_first_second(&times), RATE);
}

#[test]
fn by_default_a_followed_log_writes_a_line_a_second() {
    let api = Api::demo();
    let path = "/api/endpoints/5/kubernetes/api/v1/namespaces/demo/pods/demo-web-7c9d8f6b5d-x8k2p/log?follow=true&tailLines=0&timestamps=true";
    let lines = follow_text(&api, path, "alice", Duration::from_millis(2500));
    assert!((1..=3).contains(&lines.len()), "{lines:?}");
    let times: Vec<i128> = lines
        .iter()
        .map(|l| nanos(l.split(' ').next().unwrap()))
        .collect();
    assert!(
        times.windows(2).all(|w| w[1] - w[0] >= 900_000_000),
        "one write a second: {lines:?}"
    );
}

fn stack_named<'a>(stacks: &'a Value, name: &str) -> Option<&'a Value> {
    stacks
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Name"] == name)
}

#[test]
fn the_busy_stack_is_there_only_when_asked_for() {
    let plain = Api::demo();
    let stacks = plain.get_as("admin", "/api/stacks").json();
    assert!(stack_named(&stacks, demo::BUSY_STACK).is_none());
    let ids = stacks
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Id"].as_i64().unwrap());
    assert_eq!(ids.max(), Some(demo::STACK_LAB_WIKI));

    let api = busy(1);
    let stacks = api.get_as("admin", "/api/stacks").json();
    let stack = stack_named(&stacks, demo::BUSY_STACK).expect("the busy stack");
    assert_eq!(stack["Id"], demo::STACK_BUSY_LOGS);
    assert_eq!(stack["EndpointId"], demo::ENV_LOCAL);
    assert_eq!(stack["Type"], 2);
    assert_eq!(stack["Status"], 1);
    assert_eq!(stack["ResourceControl"]["Public"], true);
    assert_eq!(stack["ResourceControl"]["Id"], 14);
    // Public: every user lists it, as they list monitoring (dave too, who reaches no
    // environment).
    for user in ["alice", "dave"] {
        let theirs = api.get_as(user, "/api/stacks").json();
        assert!(stack_named(&theirs, demo::BUSY_STACK).is_some(), "{user}");
    }

    let containers = api
        .get_as("admin", "/api/endpoints/1/docker/containers/json?all=1")
        .json();
    let busy: Vec<&Value> = containers
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["Labels"]["com.docker.compose.project"] == demo::BUSY_STACK)
        .collect();
    assert_eq!(busy.len(), 10);
    assert!(busy.iter().all(|c| c["State"] == "running"));
    assert!(busy.iter().any(|c| c["Names"][0] == "/busy-logs-api-1"));
    let file = api.get_as("admin", "/api/stacks/13/file").json();
    let content = file["StackFileContent"].as_str().unwrap();
    assert_eq!(content.matches("    image: ").count(), 10);
}

#[test]
fn at_scale_the_busy_stack_comes_after_the_generated_ones() {
    let api = Api::start(Config {
        scale: Some((30, 4)),
        busy_stack: true,
        dial_timeout: DIAL,
        ..Config::default()
    });
    let stacks = api.get_as("admin", "/api/stacks").json();
    let stack = stack_named(&stacks, demo::BUSY_STACK).expect("the busy stack");
    assert_eq!(
        (stack["Id"].clone(), stack["EndpointId"].clone()),
        (31.into(), 1.into())
    );
}
