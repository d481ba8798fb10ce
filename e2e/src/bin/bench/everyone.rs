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
    let mut per_key = Vec::new();
    let mut typed = String::new();
    for ch in "user-04".chars() {
        typed.push(ch);
        let ms = b
            .session()
            .execute_async(SEARCH, vec![json!(typed)])
            .expect("search keystroke");
        per_key.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    let after = b.wait(".everyone-summary").text();
    let heap = b.exec(
        "return performance.memory ? performance.memory.usedJSHeapSize : null;",
        vec![],
    );
    let mut sorted = per_key.clone();
    sorted.sort_by(f64::total_cmp);
    println!();
    println!(
        "### Everyone's access at scale (simulator `--scale {STACKS},{ENVS},{USERS},{TEAMS}`)"
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!("| matrix | {summary} ({USERS} users plus the demo's, {ENVS} environments; the first 100 rows rendered) |");
    println!("| navigation to the matrix shown (wall clock, WebDriver) | {shown_ms} ms |");
    println!(
        "| requests for the whole matrix | {} ({}) |",
        requests.len(),
        tally(&requests)
    );
    println!(
        "| search, typing \"user-04\" one key at a time: key to updated matrix (a 250 ms typing pause, then URL, filter over every user, DOM) | median {:.1} ms, worst {:.1} ms; then {after} |",
        sorted[sorted.len() / 2],
        sorted.last().copied().unwrap_or(f64::NAN)
    );
    println!("| JS heap used (Chromium) | {} |", heap_label(&heap));
}

/// Types into the user search; resolves once the page has settled after the first change.
const SEARCH: &str = r#"
const done = arguments[arguments.length - 1];
const input = document.getElementById('everyone-search');
const page = document.querySelector('section.everyone');
const t0 = performance.now();
let settled = false;
const finish = () => { if (!settled) { settled = true; obs.disconnect(); done(performance.now() - t0); } };
const obs = new MutationObserver(() => setTimeout(finish, 0));
obs.observe(page, { childList: true, subtree: true, characterData: true });
// A keystroke that changes nothing on the page ends after 5 s.
setTimeout(finish, 5000);
input.value = arguments[0];
input.dispatchEvent(new Event('input', { bubbles: true }));
"#;
