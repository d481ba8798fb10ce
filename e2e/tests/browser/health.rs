//! Health in the stack list: counts per stack from a few Docker lists per environment, shown
//! as each environment answers, filtered, "unknown" where an environment does not answer, and
//! not one request when the setting is off.

use crate::connect::connect_as;
use portlight_e2e::{demo_sim, Browser};

/// Each row's health cell text, by stack name (read in one script).
fn health_cells(b: &Browser) -> Vec<(String, String)> {
    let v = b.exec(
        "return Array.from(document.querySelectorAll('tr.stack-row')).map(r => \
           [r.dataset.stack, (r.querySelector('td.health') || {}).innerText || null]);",
        vec![],
    );
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            let name = pair.get(0)?.as_str()?.to_string();
            let cell = pair.get(1)?.as_str()?.replace('\n', " ");
            Some((name, cell))
        })
        .collect()
}

fn cell(b: &Browser, stack: &str) -> String {
    health_cells(b)
        .into_iter()
        .find(|(name, _)| name == stack)
        .map(|(_, cell)| cell)
        .unwrap_or_default()
}

/// Every environment answers or fails in the end; nothing stays "checking…".
fn wait_every_environment_answered(b: &Browser) {
    b.wait_until("every environment answered", || {
        let cells = health_cells(b);
        !cells.is_empty() && cells.iter().all(|(_, c)| !c.contains("checking"))
    });
}

#[test]
fn health_shows_running_and_unhealthy_counts_per_stack_and_filters_what_is_broken() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    // Connecting lands on the list, which checks health too: its last requests (a swarm's
    // tasks come after its services) must not fall into the visit counted below.
    wait_every_environment_answered(&b);
    sim.clear_requests();
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("th[data-col='health']");
    wait_every_environment_answered(&b);
    let cells = health_cells(&b);
    assert_eq!(cells.len(), 12);
    assert_eq!(cell(&b, "monitoring"), "3/4 running 1 unhealthy");
    assert!(cell(&b, "staging-web").starts_with("unknown"), "{cells:?}");
    assert_eq!(cell(&b, "k8s-demo"), "—");
    assert_eq!(
        cell(&b, "old-reports"),
        "—",
        "an orphan's environment is not asked"
    );

    // One container list per environment (with the compose label), and a swarm's services
    // and running tasks; nothing per stack.
    let docker: Vec<String> = sim
        .requests()
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.contains("/docker/"))
        .collect();
    let count = |path: &str| docker.iter().filter(|p| *p == path).count();
    assert_eq!(
        count("/api/endpoints/1/docker/containers/json"),
        1,
        "{docker:?}"
    );
    assert_eq!(count("/api/endpoints/2/docker/services"), 1, "{docker:?}");
    assert_eq!(count("/api/endpoints/2/docker/tasks"), 1, "{docker:?}");
    assert_eq!(
        count("/api/endpoints/5/docker/containers/json"),
        0,
        "Kubernetes"
    );

    // The health facet: what is broken, anywhere.
    b.click("#health-unhealthy");
    b.wait_url("the health filter in the URL", |u| {
        u.contains("health=unhealthy")
    });
    b.wait_until("only unhealthy stacks", || {
        let cells = health_cells(&b);
        !cells.is_empty() && cells.iter().all(|(_, c)| c.contains("unhealthy"))
    });
    // The filter survives a reload, as every view of the list does.
    b.refresh();
    b.wait_until("unhealthy stacks again", || {
        let cells = health_cells(&b);
        !cells.is_empty() && cells.iter().all(|(_, c)| c.contains("unhealthy"))
    });
}

#[test]
fn a_standard_user_counts_only_the_containers_portainer_shows_it() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "bob");
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("th[data-col='health']");
    // alertmanager has its own administrators-only ResourceControl: bob lists three of
    // monitoring's four containers (alertmanager runs).
    b.wait_until("monitoring counted", || {
        cell(&b, "monitoring").contains("running")
    });
    assert_eq!(cell(&b, "monitoring"), "2/3 running 1 unhealthy");
}

#[test]
fn with_health_checks_off_the_list_sends_no_docker_request() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/settings", sim.url()));
    b.wait("#health-checks");
    b.exec(
        "const s = document.getElementById('health-checks'); s.value = 'never'; \
         s.dispatchEvent(new Event('change'));",
        vec![],
    );
    b.click("button.save-settings");
    b.wait_text(".save-result", "Saved");
    sim.clear_requests();
    b.goto(&format!("{}/stacks?health=unhealthy", sim.url()));
    b.wait_text(".stack-summary", "12 stacks");
    // The filter of a bookmark made while health was on is ignored, not an empty list.
    b.wait("tr.stack-row[data-stack='web-frontend']");
    assert!(!b.exists("th[data-col='health']"));
    assert!(!b.exists("#health-unhealthy"));
    b.refresh();
    b.wait("tr.stack-row");
    let docker: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|(_, p)| p.contains("/docker/"))
        .collect();
    assert!(docker.is_empty(), "{docker:?}");
}
