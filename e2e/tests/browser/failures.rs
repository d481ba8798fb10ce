//! Portainer's own failure paths, as the simulator imitates them, on 2.23 and 2.19: what the
//! operator reads when a stack runs outside Portainer, a Docker host stops answering, a log is
//! refused, a repository refuses its clone, a stack is stopped or orphaned
//! (docs/portainer-api.md §4 and §5).

use crate::connect::connect_as;
use portlight_e2e::sim::hostile::{Answer, Hostile};
use portlight_e2e::sim::{Config, PortainerVersion, SimHandle};
use portlight_e2e::{sim_with, Browser};

const VERSIONS: [PortainerVersion; 2] = [PortainerVersion::V2_23, PortainerVersion::V2_19];

fn sim_on(version: PortainerVersion) -> SimHandle {
    sim_with(Config {
        version,
        ..Config::default()
    })
}

/// Opens stack `id` and runs `action` ("start", "stop", "redeploy") after confirming.
fn act(b: &Browser, sim: &SimHandle, id: u32, action: &str) {
    b.goto(&format!("{}/stacks/{id}", sim.url()));
    b.click(&format!("button.action-{action}"));
    b.click("button.confirm-yes");
}

#[test]
fn starting_a_stack_that_runs_outside_portainer_explains_the_409() {
    for version in VERSIONS {
        let sim = sim_on(version);
        let b = Browser::start();
        b.expect_console("status of 409");
        connect_as(&b, &sim.url(), "admin");
        // Portainer's record says inactive while monitoring's containers still run (started
        // by hand, or the record was edited): Start is offered, and Portainer answers 409.
        assert!(sim.edit_stack(2, None, Some(2)));
        act(&b, &sim, 2, "start");
        let error = b.wait_text(".msg-error", "HTTP 409").text();
        assert!(error.contains("Start the stack failed"), "{error}");
        assert!(
            error.contains("carry this stack's name") && error.contains("outside Portainer"),
            "{version:?}: {error}"
        );
        assert!(error.contains("Stop the stack first"), "{error}");
        // Portainer's own words are one click away.
        b.click(".portainer-words summary");
        b.wait_text(
            ".portainer-words .error-text",
            "A stack with the name 'monitoring' is already running",
        );
    }
}

#[test]
fn a_docker_host_that_stopped_answering_is_named_and_retried() {
    for version in VERSIONS {
        let sim = sim_on(version);
        let b = Browser::start();
        b.expect_console("status of 50");
        connect_as(&b, &sim.url(), "admin");
        // Gone since Portainer's last snapshot: the environment still reads Up.
        assert!(sim.set_host_down(1, true));
        assert!(sim.set_host_down(2, true));
        b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
        let error = b
            .wait_text(
                ".containers .msg-error",
                "could not reach this environment's Docker host",
            )
            .text();
        assert!(error.contains("HTTP 500"), "{version:?}: {error}");
        assert!(!error.contains("connection refused"), "{error}");
        // An agent environment: Portainer's reverse proxy answers an empty 502.
        b.goto(&format!("{}/stacks/6?tab=containers", sim.url()));
        let error = b
            .wait_text(
                ".services .msg-error",
                "could not reach this environment's Docker host",
            )
            .text();
        assert!(error.contains("HTTP 502"), "{version:?}: {error}");

        // Stopping fails after the dial, and says nothing changed.
        act(&b, &sim, 2, "stop");
        let error = b.wait_text(".msg-error", "Nothing was changed").text();
        assert!(
            error.contains("Stop the stack failed (HTTP 500)"),
            "{error}"
        );
        let head = b.wait(".page-head").text();
        assert!(!head.contains("inactive"), "still running: {head}");

        // The host is back: the containers card's refresh reads them.
        b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
        b.wait(".containers .msg-error");
        assert!(sim.set_host_down(1, false));
        b.click(".containers button.refresh");
        b.wait(".containers tr.container");
    }
}

#[test]
fn a_refused_log_is_explained_not_shown_as_mime_no_media_type() {
    let sim = sim_on(PortainerVersion::V2_23);
    let b = Browser::start();
    b.expect_console("status of 500");
    connect_as(&b, &sim.url(), "bob");
    // What the local socket's proxy answers when Portainer refuses a container's log to a
    // user (its access-denied response cannot be encoded): the containers list allowed them.
    sim.answer_with(Hostile::on(
        "/api/endpoints/1/docker/containers/*/logs",
        Answer::json(
            500,
            r#"{"message":"Unable to proxy the request via the Docker socket","details":"Mime: no media type"}"#,
        ),
    ));
    b.goto(&format!("{}/stacks/1?tab=logs", sim.url()));
    let error = b
        .wait_text(".msg-error", "refused this container's log to this token")
        .text();
    assert!(
        !error.contains("Unable to proxy the request"),
        "Portainer's words stay folded: {error}"
    );
    assert!(error.contains("ask an administrator"), "{error}");
}

#[test]
fn a_private_repository_that_refuses_the_clone_is_explained() {
    let sim = sim_on(PortainerVersion::V2_23);
    let b = Browser::start();
    b.expect_console("status of 500");
    connect_as(&b, &sim.url(), "admin");
    // web-frontend's repository turned private: Portainer clones without credentials.
    sim.answer_with(
        Hostile::on(
            "/api/stacks/1/git/redeploy",
            Answer::json(
                500,
                r#"{"message":"Unable to clone git repository directory","details":"Invalid git credential: authentication failed, please ensure that the git credentials are correct"}"#,
            ),
        )
        .method("PUT"),
    );
    act(&b, &sim, 1, "redeploy");
    let error = b
        .wait_text(".msg-error", "could not clone the stack's repository")
        .text();
    assert!(error.contains("Git settings"), "{error}");
}

#[test]
fn a_stopped_stack_says_it_has_no_containers_and_starting_brings_them_back() {
    for version in VERSIONS {
        let sim = sim_on(version);
        let b = Browser::start();
        connect_as(&b, &sim.url(), "admin");
        act(&b, &sim, 2, "stop");
        b.wait_text(".action-result", "Stack “monitoring” stopped.");
        b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
        b.wait_text(".nothing-runs", "Stopped: no containers");
        assert!(!b.exists("tr.container"), "no stale containers");
        b.goto(&format!("{}/stacks/2?tab=logs", sim.url()));
        b.wait_text(".logs-card", "nothing running to show logs of");

        // A swarm stack's services go with `docker stack rm`.
        act(&b, &sim, 6, "stop");
        b.wait_text(".action-result", "stopped");
        b.goto(&format!("{}/stacks/6?tab=containers", sim.url()));
        b.wait_text(".nothing-runs", "Stopped: no services");

        act(&b, &sim, 2, "start");
        b.wait_text(".action-result", "Stack “monitoring” started.");
        b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
        b.wait(".containers tr.container");
    }
}

#[test]
fn redeploying_a_kubernetes_stack_keeps_its_name() {
    for version in VERSIONS {
        let sim = sim_on(version);
        let b = Browser::start();
        connect_as(&b, &sim.url(), "admin");
        act(&b, &sim, 10, "redeploy");
        b.wait_text(".action-result", "Stack “k8s-demo” redeployed");
        b.refresh();
        b.wait_text("h1", "k8s-demo");
        b.goto(&format!("{}/stacks?q=k8s", sim.url()));
        b.wait("tr.stack-row[data-stack='k8s-demo']");
    }
}

#[test]
fn an_orphaned_stack_shows_what_the_list_knows() {
    for version in VERSIONS {
        let sim = sim_on(version);
        let b = Browser::start();
        b.expect_console("status of 404");
        // bob's token may not list users: the access names come from what it may read.
        b.expect_console("status of 403");
        for user in ["admin", "bob"] {
            connect_as(&b, &sim.url(), user);
            b.goto(&format!("{}/stacks/11", sim.url()));
            b.wait_text("h1", "old-reports");
            let env = b.wait(".env").text();
            assert!(env.contains("environment #9"), "{user}: {env}");
            let ownership = b.wait(".ownership").text();
            assert!(ownership.contains("ops"), "{user} {version:?}: {ownership}");
            assert!(!ownership.contains("administrators only"), "{ownership}");
            let page = b.page_text();
            assert!(
                !page.contains("Object not found inside the database"),
                "{user}: {page}"
            );
            assert_eq!(
                b.wait("button.action-stop").prop("disabled"),
                serde_json::json!(true)
            );
            // The list page reads no variables; this page reads the listed stack whole.
            b.goto(&format!("{}/stacks/11?tab=env", sim.url()));
            b.wait("tr.env-var[data-name='SMTP_PASSWORD']");
        }
        // The administrator sees every environment, so knows this one is gone.
        connect_as(&b, &sim.url(), "admin");
        b.goto(&format!("{}/stacks/11", sim.url()));
        b.wait_text(".env", "environment #9 (deleted)");
        b.wait_text(".blocked-reason", "orphaned");
    }
}

#[test]
fn followed_logs_cut_anywhere_show_whole_lines() {
    let sim = sim_on(PortainerVersion::V2_23);
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    // A local environment's follow leaves Portainer in 4 KiB pieces that cut frames anywhere
    // (docs/portainer-api.md §5.6); here every byte comes on its own, the hardest cut.
    let lines: Vec<(u8, String)> = (1..=40)
        .map(|i| {
            (
                if i % 5 == 0 { 2 } else { 1 },
                format!("followed line {i:02}"),
            )
        })
        .collect();
    let borrowed: Vec<(u8, &str)> = lines.iter().map(|(s, l)| (*s, l.as_str())).collect();
    sim.answer_with(
        Hostile::on(
            "/api/endpoints/1/docker/containers/*/logs",
            Answer::Drip {
                content_type: "application/vnd.docker.multiplexed-stream".into(),
                body: portlight_e2e::log_frames(&borrowed),
                every_ms: 1,
            },
        )
        .when_query("follow=1"),
    );
    // Every container of web-frontend follows the same dripped log: read one source's rows.
    b.goto(&format!("{}/stacks/1/logs?ts=0", sim.url()));
    b.wait(".logs .line");
    b.click("#log-follow");
    let first = b.wait(".logs .line .src").text();
    let followed = || -> Vec<String> {
        let rows = b.exec(
            "return [...document.querySelectorAll('.logs .line')]
               .filter(r => r.querySelector('.src').textContent === arguments[0])
               .map(r => r.textContent.slice(arguments[0].length))
               .filter(t => t.includes('followed line'));",
            vec![first.clone().into()],
        );
        serde_json::from_value(rows).unwrap_or_default()
    };
    b.wait_until("the first source's 40 followed lines", || {
        followed().len() >= 40
    });
    let shown = followed();
    let expected: Vec<String> = lines
        .iter()
        .map(|(s, l)| format!("{}{l}", if *s == 2 { "stderr" } else { "stdout" }))
        .collect();
    assert_eq!(shown, expected);
}

#[test]
fn a_host_slower_than_portlights_timeout_is_named_within_it() {
    // Portainer waits the system's connect timeout (about two minutes) before its 502;
    // Portlight gives up at its own request timeout and says why.
    let sim = portlight_e2e::sim::spawn(Config {
        assets: Some(portlight_e2e::dist()),
        dial_timeout: std::time::Duration::from_secs(20),
        ..Config::default()
    });
    let b = Browser::start();
    b.expect_console("signal is aborted");
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/settings", sim.url()));
    b.fill("#timeout", "3");
    b.click("button.save-settings");
    b.wait_text(".save-result", "Saved");
    assert!(sim.set_host_down(2, true));
    b.goto(&format!("{}/stacks/6?tab=containers", sim.url()));
    let shown = b.wait_text(
        ".services .msg-error",
        "could not reach this environment's Docker host",
    );
    // Portlight's own timeout, not Portainer's 502 twenty seconds later.
    assert_eq!(shown.attr("data-error-kind").as_deref(), Some("timeout"));
    let error = shown.text();
    assert!(error.contains("Fix:") && error.contains("retry"), "{error}");
    assert!(sim.set_host_down(2, false));
    b.click(".services button.refresh");
    b.wait(".services tr.service");
}
