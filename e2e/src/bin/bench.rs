//! `cargo xtask bench` runs this: the release build against the simulator at scale, in headless
//! Chromium, measured from inside the page. Prints a Markdown report on stdout.
//!
//! Figures, not assertions: timing belongs here, never in a test.

#[path = "bench/everyone.rs"]
mod everyone;
#[path = "bench/logs.rs"]
mod logs;

use portlight_e2e::sim::{demo, Config};
use portlight_e2e::{sim_with, Browser};
use serde_json::{json, Value};
use std::time::Instant;

const STACKS: usize = 20_000;
const ENVS: usize = 500;
/// Keystrokes measured, one character at a time, as an operator types.
const TYPED: &str = "billing-4";
/// Later visits of the stack list measured after the first.
const LATER_VISITS: usize = 4;

/// First visits of the stack list, each in a new browser.
const FIRST_VISITS: usize = 3;

/// Every section, or those named on the command line (`list`, `latency`, `everyone`, `logs`).
fn main() {
    let named: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |section: &str| named.is_empty() || named.iter().any(|n| n == section);
    if wanted("list") {
        at_scale();
    }
    if wanted("latency") {
        with_latency();
    }
    if wanted("everyone") {
        everyone::measure();
    }
    if wanted("logs") {
        logs::measure();
    }
}

/// The whole list at scale: first rows, keystrokes, a sort.
fn at_scale() {
    let (sim, b) = connected_admin(Config {
        scale: Some((STACKS, ENVS)),
        ..Config::default()
    });

    // Cold list: from navigation to the first rows on screen, split at the moment the second
    // of the two answers has arrived (Resource Timing) and the first row appears (an observer
    // installed before the page's own scripts run).
    watch_first_rows(&b);
    sim.clear_requests();
    let started = Instant::now();
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("tr.stack-row");
    let first_rows_ms = started.elapsed().as_millis();
    let (arrived, rows_at) = phases(&b);
    let requests = sim.requests();
    let list_requests = requests
        .iter()
        .filter(|(_, p)| p == "/api/stacks" || p == "/api/endpoints")
        .count();
    let summary = b.wait(".stack-summary").text();

    // Each keystroke: time from the input event to the table being updated, measured in the
    // page (a MutationObserver on the table body, then the next animation frame).
    sim.clear_requests();
    let mut per_key = Vec::new();
    let mut typed = String::new();
    for ch in TYPED.chars() {
        typed.push(ch);
        let ms = b
            .session()
            .execute_async(KEYSTROKE, vec![json!(typed)])
            .expect("keystroke script");
        per_key.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    let typing_requests = sim.requests().len();
    let rows_after = b.all("tr.stack-row").len();
    let matching = b.wait(".page-label").text();
    let heap = b.exec(
        "return performance.memory ? performance.memory.usedJSHeapSize : null;",
        vec![],
    );

    b.session()
        .execute_async(KEYSTROKE, vec![json!("")])
        .expect("clear the search");
    let sort_ms = b
        .session()
        .execute_async(SORT, vec![])
        .expect("sort script")
        .as_f64()
        .unwrap_or(f64::NAN);

    let later = later_visits(&sim, &b);
    drop(b);
    let mut first = vec![rows_at - arrived];
    first.extend((1..FIRST_VISITS).map(|_| first_visit(&sim)));

    let (median, worst) = median_and_worst(&per_key);
    println!("| figure | value |");
    println!("|---|---|");
    println!("| data | {STACKS} stacks over {ENVS} environments (simulator `--scale {STACKS},{ENVS}`), admin token |");
    println!("| list shown | {summary} |");
    println!(
        "| requests for the whole list | {list_requests} (`GET /api/stacks`, `GET /api/endpoints`; every `/api` request of the visit: {}) |",
        tally(&requests)
    );
    println!("| navigation to first rows (wall clock, WebDriver) | {first_rows_ms} ms |");
    println!("| navigation to both answers received (Resource Timing) | {arrived:.0} ms |");
    let (first_median, _) = median_and_worst(&first);
    println!(
        "| data arrival to first rows (decode, join, sort, filter, render), first visit in each of {} new browsers | median {first_median:.0} ms (each, in ms: {}) |",
        first.len(),
        first.iter().map(|ms| format!("{ms:.0}")).collect::<Vec<_>>().join(", ")
    );
    let (later_median, _) = median_and_worst(&later);
    println!(
        "| the same, on each of {} later visits of the page in the same browser | median {later_median:.0} ms (each, in ms: {}) |",
        later.len(),
        later.iter().map(|ms| format!("{ms:.0}")).collect::<Vec<_>>().join(", ")
    );
    let each: Vec<String> = per_key.iter().map(|ms| format!("{ms:.1}")).collect();
    println!(
        "| keystroke handled (URL, filter over all rows, DOM), typing {TYPED:?} | median {median:.1} ms, worst {worst:.1} ms over {} keystrokes (each, in ms: {}) |",
        per_key.len(),
        each.join(", ")
    );
    println!("| rows rendered after typing | {rows_after} ({matching}) |");
    println!("| requests sent while typing | {typing_requests} |");
    println!("| sort all {STACKS} by environment (click to updated DOM) | {sort_ms:.1} ms |");
    println!("| JS heap used (Chromium) | {} |", heap_label(&heap));
    println!();
    println!("Targets at this scale:");
    println!();
    println!("| target | wanted | measured | |");
    println!("|---|---:|---:|---|");
    let heap_mb = heap.as_f64().map_or(f64::NAN, |b| b / 1_048_576.0);
    for (what, wanted, measured, unit) in [
        ("keystroke, median", 16.0, median, "ms"),
        ("keystroke, worst", 50.0, worst, "ms"),
        (
            "data arrival to first rows, first visit (median)",
            100.0,
            first_median,
            "ms",
        ),
        (
            "data arrival to first rows, later visits (median)",
            100.0,
            later_median,
            "ms",
        ),
        ("sort of all rows", 50.0, sort_ms, "ms"),
        ("JS heap", 30.0, heap_mb, "MB"),
    ] {
        println!(
            "| {what} | at most {wanted:.0} {unit} | {measured:.1} {unit} | {} |",
            met(measured, wanted)
        );
    }
}

/// The stack list opened again, as an operator comes back to a bookmarked page: the first
/// visit's milliseconds from data arrival to first rows include Chromium compiling the code
/// that decodes and joins the list, which the browser keeps for later visits.
fn later_visits(sim: &portlight_e2e::sim::SimHandle, b: &Browser) -> Vec<f64> {
    (0..LATER_VISITS)
        .map(|_| {
            // An operator's next visit is not within the same second: the browser's background
            // work of the last one (optimising, collecting) is done.
            std::thread::sleep(std::time::Duration::from_secs(2));
            b.goto(&format!("{}/stacks", sim.url()));
            b.wait("tr.stack-row");
            let (arrived, rows) = phases(b);
            rows - arrived
        })
        .collect()
}

/// Data arrival to first rows on the list's first visit in a new browser: from one run to the
/// next this varies by 50 ms or more, as Chromium compiles the code while it runs.
fn first_visit(sim: &portlight_e2e::sim::SimHandle) -> f64 {
    let b = admin_browser(sim);
    watch_first_rows(&b);
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("tr.stack-row");
    let (arrived, rows) = phases(&b);
    rows - arrived
}

/// Installs [`FIRST_ROWS_OBSERVER`] in every page the browser opens from now on.
fn watch_first_rows(b: &Browser) {
    b.session()
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": FIRST_ROWS_OBSERVER }),
        )
        .expect("install the first-rows observer");
}

/// [`PHASES`] of the page shown: when both list answers had arrived, and the first row.
fn phases(b: &Browser) -> (f64, f64) {
    let phases = b.exec(PHASES, vec![]);
    let phase = |k: &str| phases[k].as_f64().unwrap_or(f64::NAN);
    (phase("arrived"), phase("rows"))
}

/// The median and the largest of some milliseconds.
fn median_and_worst(ms: &[f64]) -> (f64, f64) {
    let mut sorted = ms.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
    (median, sorted.last().copied().unwrap_or(f64::NAN))
}

/// "met", or "not met" (a figure that could not be measured is not met).
fn met(measured: f64, wanted: f64) -> &'static str {
    if measured <= wanted {
        "met"
    } else {
        "**not met**"
    }
}

/// The demo data behind 50 ms of latency per request: what an operator waits for on a real
/// network, and how many requests and waves the whole list takes.
fn with_latency() {
    // Connected first, so the app's own files come from the cache as they would for an
    // operator who opened Portlight before; the figure is the list, not the download.
    let (sim, b) = connected_admin(Config {
        latency_ms: LATENCY_MS,
        ..Config::default()
    });
    let started = Instant::now();
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("tr.stack-row");
    let first_rows_ms = started.elapsed().as_millis();
    let summary = b.wait(".stack-summary").text();
    let api: Vec<(String, String)> = sim
        .requests()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/"))
        .collect();
    let listing = api
        .iter()
        .filter(|(_, p)| p == "/api/stacks" || p == "/api/endpoints")
        .count();
    println!();
    println!(
        "### With {LATENCY_MS} ms per request (simulator `--latency {LATENCY_MS}`, demo data)"
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!("| list shown | {summary} |");
    println!("| navigation to first rows | {first_rows_ms} ms |");
    println!(
        "| requests for the list | {listing} (stacks and environments, sent together: one wave) |"
    );
    println!(
        "| every `/api` request of the visit | {} ({}) |",
        api.len(),
        tally(&api)
    );
}

const LATENCY_MS: u64 = 50;

/// A simulator with `config` and a browser connected to it as admin, resting on the settings
/// page with no request counted: connecting opens the list by itself, and its requests must
/// not be counted as the measured visit's.
fn connected_admin(config: Config) -> (portlight_e2e::sim::SimHandle, Browser) {
    let sim = sim_with(config);
    let b = admin_browser(&sim);
    (sim, b)
}

/// A new browser (its own profile: nothing compiled or cached yet) connected to `sim` as the
/// admin, resting on Settings.
fn admin_browser(sim: &portlight_e2e::sim::SimHandle) -> Browser {
    let b = Browser::start();
    b.goto(&format!("{}/connect", sim.url()));
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    b.wait_text(".connected-summary", "as admin");
    b.goto(&format!("{}/settings", sim.url()));
    b.wait("h1");
    std::thread::sleep(std::time::Duration::from_secs(2));
    sim.clear_requests();
    b
}

/// Records when the first stack row enters the page, in the page's own clock.
const FIRST_ROWS_OBSERVER: &str = r#"
new MutationObserver((_, obs) => {
  if (document.querySelector('tr.stack-row')) {
    window.__portlightFirstRows = performance.now();
    obs.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"#;

/// Milliseconds since navigation: the later of the two list answers' ends, and the first row.
const PHASES: &str = r#"
const lists = ['/api/stacks', '/api/endpoints'];
const ends = performance.getEntriesByType('resource')
  .filter(e => lists.includes(new URL(e.name).pathname))
  .map(e => e.responseEnd);
return { arrived: ends.length ? Math.max(...ends) : null, rows: window.__portlightFirstRows ?? null };
"#;

/// "GET /api/stacks ×1, GET /api/users ×1": each distinct request and how often it was sent.
fn tally(requests: &[(String, String)]) -> String {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for (method, path) in requests {
        let key = format!("{method} {path}");
        match counted.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counted.push((key, 1)),
        }
    }
    let parts: Vec<String> = counted.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
    parts.join(", ")
}

fn heap_label(heap: &Value) -> String {
    match heap.as_f64() {
        Some(bytes) => format!("{:.1} MB", bytes / 1_048_576.0),
        None => "not reported".into(),
    }
}

/// Sets the search text and resolves with the milliseconds the keystroke's work took.
const KEYSTROKE: &str = r#"
const done = arguments[arguments.length - 1];
const input = document.getElementById('stack-search');
const t0 = performance.now();
input.value = arguments[0];
input.dispatchEvent(new Event('input', { bubbles: true }));
// Leptos runs its effects as microtasks: the next task starts once the keystroke's whole work
// (URL update, filtering, DOM changes) is done. Headless Chromium does not paint on a
// schedule, so paint is not included.
setTimeout(() => done(performance.now() - t0), 0);
"#;

const SORT: &str = r#"
const done = arguments[arguments.length - 1];
const body = document.querySelector('table.stacks tbody');
const t0 = performance.now();
const obs = new MutationObserver(() => { obs.disconnect(); done(performance.now() - t0); });
obs.observe(body, { childList: true, subtree: true, characterData: true });
document.querySelector("th[data-col='env'] button.sort").click();
"#;
