//! Everyone's access at scale: 500 users over 200 environments, as an administrator sees them.
//! How long the matrix takes to show, what it asks Portainer, and a search keystroke.

use super::{connected_admin, heap_label, tally};
use portlight_e2e::sim::Config;
use serde_json::json;
use std::time::Instant;

const USERS: usize = 500;
const TEAMS: usize = 40;
const ENVS: usize = 200;
const STACKS: usize = 2_000;
/// Searches that each change how many users match: 100, 10, 1, then everyone again.
const SEARCHES: [&str; 4] = ["user-04", "user-049", "user-0499", ""];

pub fn measure() {
    let (sim, b) = connected_admin(Config {
        scale: Some((STACKS, ENVS)),
        scale_people: (USERS, TEAMS),
        ..Config::default()
    });
    let started = Instant::now();
    b.goto(&format!("{}/access/everyone", sim.url()));
    b.wait(".everyone-matrix tr.person");
    let shown_ms = started.elapsed().as_millis();
    let summary = b.wait(".everyone-summary").text();
    let requests: Vec<(String, String)> = sim
        .requests()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/"))
        .collect();
    // Each search changes how many users are shown, so its end is seen in the summary.
    let mut per_search = Vec::new();
    for text in SEARCHES {
        let ms = b
            .session()
            .execute_async(SEARCH, vec![json!(text)])
            .expect("search");
        per_search.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    let after = b.wait(".everyone-summary").text();
    // Scrolled sideways to the 101st environment: until its column is rendered.
    let scroll_ms = b
        .session()
        .execute_async(SCROLL, vec![])
        .expect("scroll")
        .as_f64()
        .unwrap_or(f64::NAN);
    let heap = b.exec(
        "return performance.memory ? performance.memory.usedJSHeapSize : null;",
        vec![],
    );
    let mut sorted = per_search.clone();
    sorted.sort_by(f64::total_cmp);
    println!();
    println!(
        "### Everyone's access at scale (simulator `--scale {STACKS},{ENVS},{USERS},{TEAMS}`)"
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!("| matrix | {summary} ({USERS} users plus the demo's, {ENVS} environments; 25 rows rendered at a time) |");
    println!("| navigation to the matrix shown (wall clock, WebDriver) | {shown_ms} ms |");
    println!(
        "| requests for the whole matrix | {} ({}) |",
        requests.len(),
        tally(&requests)
    );
    println!(
        "| search to updated matrix ({SEARCHES:?}; a 150 ms typing pause, then URL, filter over every user, DOM) | median {:.0} ms, worst {:.0} ms; last: {after} |",
        sorted[sorted.len() / 2],
        sorted.last().copied().unwrap_or(f64::NAN)
    );
    println!("| scroll sideways to the 101st environment (only the columns in view are rendered) | {scroll_ms:.0} ms |");
    println!("| JS heap used (Chromium) | {} |", heap_label(&heap));
}

/// Sets the user search; resolves with the milliseconds until the summary of shown users
/// changes (or 5 s, when it does not).
const SEARCH: &str = r#"
const done = arguments[arguments.length - 1];
const input = document.getElementById('everyone-search');
const summary = () => document.querySelector('.everyone-summary').textContent;
const before = summary();
const t0 = performance.now();
input.value = arguments[0];
input.dispatchEvent(new Event('input', { bubbles: true }));
const poll = () => {
  const ms = performance.now() - t0;
  if (summary() !== before || ms > 5000) { done(ms); } else { setTimeout(poll, 5); }
};
poll();
"#;

/// Scrolls the matrix to the 101st environment; resolves with the milliseconds until its
/// header cell (column 103 after user and stacks) is rendered.
const SCROLL: &str = r#"
const done = arguments[arguments.length - 1];
const t0 = performance.now();
document.querySelector('.matrix-wrap').scrollLeft = 288 + 100 * 176;
const poll = () => {
  const ms = performance.now() - t0;
  if (document.querySelector('.everyone-matrix th[aria-colindex="103"]') || ms > 5000) { done(ms); } else { setTimeout(poll, 2); }
};
poll();
"#;
