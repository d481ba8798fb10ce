//! The stack's logs (`/stacks/<id>/logs`): every container of a compose stack, or every
//! service of a swarm stack, in one view by time; sources shown or hidden in one click, a
//! filter, options in the URL, a download without the token, a source that fails on its own,
//! and following that never pulls a reader who scrolled up back down.

use crate::access::{downloads, keep_downloads};
use crate::connect::connect_as;
use portlight_e2e::sim::{demo, Config};
use portlight_e2e::{demo_sim, sim_with, Browser};

/// Each shown row as (prefix, short timestamp or "", stream, text), read in one script.
fn rows(b: &Browser) -> Vec<(String, String, String, String)> {
    let rows = b.exec(
        "return [...document.querySelectorAll('.logs .line')].map(r => {
           const part = c => (r.querySelector(c) || {}).textContent || '';
           const text = [...r.childNodes].filter(n => !n.classList || n.tagName === 'MARK')
             .map(n => n.textContent).join('');
           return [part('.src'), part('.ts'), part('.stream'), text];
         });",
        vec![],
    );
    serde_json::from_value(rows).unwrap_or_default()
}

fn chips(b: &Browser) -> Vec<String> {
    b.texts(".source-chip")
}

#[test]
fn a_compose_stacks_containers_in_one_view_by_time_filtered_and_downloaded() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/2/logs", sim.url()));
    b.wait(".logs .line");
    // monitoring: four containers, one exited and one unhealthy, each a chip with its state.
    let chips = chips(&b);
    assert_eq!(chips.len(), 4, "{chips:?}");
    assert!(
        chips
            .iter()
            .any(|c| c.contains("grafana-1") && c.contains("unhealthy")),
        "{chips:?}"
    );
    assert!(
        chips
            .iter()
            .any(|c| c.contains("node-exporter-1") && c.contains("exited")),
        "{chips:?}"
    );
    let all = rows(&b);
    let sources: std::collections::BTreeSet<&str> = all.iter().map(|r| r.0.as_str()).collect();
    assert!(
        sources.len() >= 3,
        "lines of several containers: {sources:?}"
    );
    let times: Vec<&str> = all.iter().map(|r| r.1.as_str()).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "interleaved by time: {times:?}"
    );
    assert!(all.iter().any(|r| r.2 == "stderr") && all.iter().any(|r| r.2 == "stdout"));

    // The filter: any case, matches marked, in the URL and kept across a reload.
    b.fill("#log-filter", "RETRYING");
    b.wait_until("only matching lines", || {
        let r = rows(&b);
        !r.is_empty() && r.iter().all(|r| r.3.contains("retrying"))
    });
    assert!(!b.all(".logs .line mark").is_empty());
    assert!(b.url().contains("q=RETRYING"), "{}", b.url());
    b.goto(&b.url());
    b.wait(".logs .line mark");

    // One click hides a source; the URL says so; "Show all" brings it back.
    b.goto(&format!("{}/stacks/2/logs", sim.url()));
    b.wait(".logs .line");
    b.click(".source-chip[title='monitoring-grafana-1']");
    b.wait_until("grafana hidden", || {
        let r = rows(&b);
        !r.is_empty() && !r.iter().any(|r| r.0 == "grafana-1")
    });
    assert!(b.url().contains("hide=monitoring-grafana-1"), "{}", b.url());
    assert_eq!(
        b.wait(".source-chip[title='monitoring-grafana-1']")
            .attr("aria-pressed")
            .as_deref(),
        Some("false")
    );
    b.click(".show-all-sources");
    b.wait_until("grafana back", || {
        rows(&b).iter().any(|r| r.0 == "grafana-1")
    });

    // Timestamps off: a re-render of what is held, nothing asked again.
    sim.clear_requests();
    b.click("#log-timestamps");
    b.wait_until("timestamps off", || {
        let r = rows(&b);
        !r.is_empty() && r.iter().all(|r| r.1.is_empty())
    });
    assert!(
        !sim.requests().iter().any(|(_, p)| p.contains("/logs")),
        "a view option fetches nothing"
    );

    // The download: what is shown, each line with its source and stream, never the token.
    keep_downloads(&b);
    b.click(".download-logs");
    let files = downloads(&b);
    assert_eq!(files.len(), 1, "{files:?}");
    let text = files[0]["text"].as_str().unwrap_or_default();
    assert_eq!(files[0]["name"].as_str(), Some("monitoring-logs.txt"));
    assert!(
        text.lines().count() >= rows(&b).len() && text.contains(" grafana-1 "),
        "{text}"
    );
    assert!(text.contains(" err ") && text.contains(" out "), "{text}");
    assert!(!text.contains(demo::token_for("admin")));
}

#[test]
fn a_swarm_stacks_services_name_each_task_and_a_container_link_opens_its_source() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/6/logs", sim.url()));
    b.wait(".logs .line");
    let chips = chips(&b);
    assert_eq!(chips.len(), 2, "two services: {chips:?}");
    assert!(chips.iter().all(|c| c.contains("running")), "{chips:?}");
    // Each line names its task, `service.slot@node`, and the details are not in the text.
    let all = rows(&b);
    let prefixes: std::collections::BTreeSet<&str> = all.iter().map(|r| r.0.as_str()).collect();
    // The node is named by its hostname, as `docker service logs` does, not by its id.
    assert!(
        prefixes.iter().all(|p| p.contains('.')
            && (p.ends_with("@swarm-manager-1")
                || p.ends_with("@swarm-worker-1")
                || p.ends_with("@swarm-worker-2"))),
        "{prefixes:?}"
    );
    assert!(prefixes.len() >= 3, "replicas told apart: {prefixes:?}");
    assert!(
        !all.iter().any(|r| r.3.contains("com.docker.swarm")),
        "details removed"
    );

    // The services tab's Logs opens that service alone.
    b.goto(&format!("{}/stacks/6?tab=containers", sim.url()));
    b.click("tr.service a.button");
    b.wait(".logs .line");
    assert!(b.url().contains("/stacks/6/logs?only="), "{}", b.url());
    b.wait_until("one service only", || {
        let r = rows(&b);
        let first = r
            .first()
            .map(|r| r.0.split('.').next().unwrap_or("").to_string());
        !r.is_empty()
            && r.iter()
                .all(|x| Some(x.0.split('.').next().unwrap_or("").to_string()) == first)
    });
    // An older link to the logs tab with a container still opens that container alone.
    b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
    let id = b.wait("tr.container").attr("data-name").unwrap_or_default();
    b.click("tr.container a.button");
    b.wait(".logs .line");
    assert!(
        b.url().contains(&format!("only={id}")),
        "{} for {id}",
        b.url()
    );
}

#[test]
fn a_non_admin_sees_the_containers_portainer_lets_it_and_a_gone_container_fails_alone() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 404");
    connect_as(&b, &sim.url(), "bob");
    b.goto(&format!("{}/stacks/2/logs", sim.url()));
    b.wait(".logs .line");
    // alertmanager is for administrators only: bob's list has three of monitoring's four.
    let chips = chips(&b);
    assert_eq!(chips.len(), 3, "{chips:?}");
    assert!(
        !chips.iter().any(|c| c.contains("alertmanager")),
        "{chips:?}"
    );

    // As admin, grafana goes away while the page shows it: asked again, it fails on its
    // own line and the other sources are still shown.
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/2/logs", sim.url()));
    b.wait(".logs .line");
    assert!(sim.remove_container(1, "monitoring-grafana-1"));
    b.fill("#log-tail", "50");
    b.exec("document.getElementById('log-tail').dispatchEvent(new Event('change', { bubbles: true }));", vec![]);
    let error = b.wait_text(".source-error", "grafana-1").text();
    assert!(
        error.to_lowercase().contains("no such container") || error.contains("not found"),
        "{error}"
    );
    b.wait_until("the others still shown", || {
        let r = rows(&b);
        r.iter().any(|r| r.0 == "prometheus-1") && !r.iter().any(|r| r.0 == "grafana-1")
    });
}

#[test]
fn following_adds_lines_and_never_pulls_a_reader_back_down() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    // Many lines, so the view scrolls; follow on from the URL. api-gateway's environment is
    // an agent, whose proxy passes each line on as it comes (a socket's waits for 4 KB).
    b.goto(&format!("{}/stacks/6/logs?tail=300&follow=1", sim.url()));
    b.wait(".logs .line");
    b.wait_text(".follow-note", "Following");
    // Scrolled to the top, the reader stays there while lines arrive (the rows they read do
    // not move), and is told how many came.
    b.exec("document.querySelector('.logs').scrollTop = 0;", vec![]);
    let shown = rows(&b);
    b.wait_text(".jump-latest", "new line");
    let top = b.exec("return document.querySelector('.logs').scrollTop;", vec![]);
    assert_eq!(top.as_f64(), Some(0.0));
    assert_eq!(rows(&b), shown, "the rows being read stay as they were");
    b.click(".jump-latest");
    b.wait_until("the lines that came meanwhile shown", || {
        rows(&b).last() != shown.last()
    });
    b.wait_until("at the latest line", || {
        let gap = b.exec(
            "const l = document.querySelector('.logs'); return l.scrollHeight - l.scrollTop - l.clientHeight;",
            vec![],
        );
        gap.as_f64().is_some_and(|g| g < 24.0) && !b.exists(".jump-latest")
    });
    // Leaving the page ends every stream.
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("tr.stack-row");
}

#[test]
fn over_http1_four_sources_are_followed_and_the_rest_of_portlight_still_answers() {
    let sim = sim_with(Config {
        busy_stack: true,
        ..Config::default()
    });
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!(
        "{}/stacks/{}/logs?follow=1",
        sim.url(),
        demo::STACK_BUSY_LOGS
    ));
    b.wait(".logs .line");
    // Ten containers: four followed (the simulator speaks HTTP/1.1), six named as not.
    let note = b.wait_text(".not-followed", "not 6 more").text();
    assert!(note.contains("HTTP/1.1"), "{note}");
    let log_requests = || {
        sim.requests()
            .into_iter()
            .filter(|(_, p)| p.contains("/docker/containers/") && p.ends_with("/logs"))
            .count()
    };
    b.wait_until("ten tails, then four streams", || log_requests() == 10 + 4);
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert_eq!(log_requests(), 14, "no more streams than four");
    // With the streams open, any other request still gets a connection at once.
    let status = b
        .session()
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch('/api/system/status').then(r => done(r.status), e => done(String(e)));",
            vec![],
        )
        .expect("a request beside the streams");
    assert_eq!(status, serde_json::json!(200));
}
