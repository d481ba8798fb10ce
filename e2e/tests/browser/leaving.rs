//! Pages left before their answers come. Portainer answers slowly here; each page is opened by
//! a link, left for another before its requests return, and the answers then arrive for a page
//! that is gone: they must change nothing and trap nothing (a read of a disposed page's state
//! aborts the whole app in a release build).

use crate::connect::connect_as;
use portlight_e2e::sim::Config;
use portlight_e2e::{sim_with, Browser};
use std::thread::sleep;
use std::time::Duration;

const LATENCY_MS: u64 = 400;

/// Every page, every tab of a stack's page, and a swarm stack's logs (services, nodes).
const PAGES: [&str; 11] = [
    "/stacks",
    "/stacks/1",
    "/stacks/1?tab=compose",
    "/stacks/1?tab=env",
    "/stacks/1?tab=containers",
    "/stacks/1/logs",
    "/stacks/6/logs",
    "/stacks/1/edit",
    "/access",
    "/access/everyone",
    "/connect",
];

/// Follows an in-app link to `path`, as an operator's click would: the app stays loaded.
fn follow(b: &Browser, path: &str) {
    b.exec(
        "const a = document.createElement('a');
         a.href = arguments[0];
         document.body.appendChild(a);
         a.click();
         a.remove();",
        vec![path.into()],
    );
    b.wait_url(&format!("the app at {path}"), |u| u.ends_with(path));
}

#[test]
fn a_page_left_before_its_answers_come_traps_nothing_and_changes_nothing() {
    let sim = sim_with(Config {
        latency_ms: LATENCY_MS,
        ..Config::default()
    });
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    for path in PAGES {
        follow(&b, path);
        sleep(Duration::from_millis(LATENCY_MS / 4));
        follow(&b, "/settings");
        // Past the answers of the page left, and of any request they would have chained.
        sleep(Duration::from_millis(LATENCY_MS * 3));
        let errors = b.unexpected_errors();
        assert!(errors.is_empty(), "after leaving {path}: {errors:?}");
        assert!(
            b.url().ends_with("/settings"),
            "after leaving {path}: {}",
            b.url()
        );
        b.wait_text("h1", "Settings");
    }
    // The app still works: the list comes when asked.
    follow(&b, "/stacks");
    b.wait("tr.stack-row");
}
