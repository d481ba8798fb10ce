//! The hostile-server suite: each case makes one Portainer endpoint answer something broken or
//! malicious (through the simulator's hostile seam), opens the page that reads it in the
//! release build, and checks what an operator would need to trust Portlight:
//!
//! - the page shows a readable message (or the data that survived) where the case says;
//! - it is not blank, and no SEVERE console entry appears besides the browser's own line for
//!   a failed request (no panic, no exception, no policy violation);
//! - the rest of the app still works (another page opens, or the other rows are there);
//! - the token reaches no origin but the instance's own: a second local server, where every
//!   cross-origin redirect points, records every request it gets, and must get none.
//!
//! Run alone with `cargo xtask test hostile`; it ends with `hostile: N passed, M failed` and
//! runs every case on Portainer 2.23 and on 2.19.

mod cases;

use portlight_e2e::servers::Recorder;
use portlight_e2e::sim::hostile::Hostile;
use portlight_e2e::sim::{demo, Config, PortainerVersion, SimHandle};
use portlight_e2e::{sim_with, Browser};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// One hostile case.
pub struct Case {
    pub name: &'static str,
    /// The page opened, e.g. `/stacks`.
    pub page: &'static str,
    /// What the server does, given where the other origin is.
    pub rules: fn(&Env) -> Vec<Hostile>,
    /// A selector and a text the page must show.
    pub shows: (&'static str, &'static str),
    /// What still works afterwards.
    pub then: Then,
}

/// How a case proves the rest of the page still works.
pub enum Then {
    /// The Settings page opens from the top bar.
    Navigate,
    /// These stacks are still listed.
    Rows(&'static [&'static str]),
    /// A check of its own (a script's answer, a count), then the Settings page opens.
    Check(fn(&Browser, &Env)),
}

/// What a case's rules and checks may use.
pub struct Env {
    /// The other origin, which records what reaches it.
    pub elsewhere: String,
    pub sim: SimHandle,
    pub version: PortainerVersion,
}

/// Requests time out after this many seconds in the suite (the minimum Settings allows), so
/// cases that never answer end quickly.
const TIMEOUT_SECS: u32 = 3;

/// SEVERE console lines a failed request makes by itself (the browser reports each non-2xx
/// answer and each aborted request); anything else is a fault of Portlight's.
const NETWORK_LINES: [&str; 2] = ["Failed to load resource", "net::ERR_"];

fn main() {
    let started = Instant::now();
    let cases = cases::all();
    let mut passed = 0;
    let mut failed = Vec::new();
    for version in [PortainerVersion::V2_23, PortainerVersion::V2_19] {
        let recorder = Recorder::start();
        let env = Env {
            elsewhere: recorder.url(),
            sim: sim_with(Config {
                version,
                ..Config::default()
            }),
            version,
        };
        let browser = Browser::start();
        connect(&browser, &env);
        for case in &cases {
            let label = format!("{} on {}", case.name, version.label());
            let result = catch_unwind(AssertUnwindSafe(|| run(case, &browser, &env, &recorder)));
            env.sim.behave();
            match result {
                Ok(()) => {
                    passed += 1;
                    println!("hostile case {label} ... ok");
                }
                Err(panic) => {
                    let why = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    println!("hostile case {label} ... FAILED\n{why}\n");
                    failed.push(label);
                }
            }
        }
        // Whatever the last case left in the console is not this run's business.
        browser.reset_console();
    }
    println!(
        "\nhostile cases took {}s; failed: {failed:?}",
        started.elapsed().as_secs()
    );
    println!("hostile: {passed} passed, {} failed", failed.len());
    if !failed.is_empty() {
        std::process::exit(1);
    }
}

/// Connects as the admin once per version, and sets the short request timeout.
fn connect(b: &Browser, env: &Env) {
    b.goto(&format!("{}/connect", env.sim.url()));
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    b.wait_text(".connected-summary", "as admin");
    b.exec(
        &format!(
            "localStorage.setItem('portlight.settings', JSON.stringify({{read_only: false, timeout_secs: {TIMEOUT_SECS}, log_tail: 200}}))"
        ),
        vec![],
    );
}

fn run(case: &Case, b: &Browser, env: &Env, recorder: &Recorder) {
    b.reset_console();
    for rule in (case.rules)(env) {
        env.sim.answer_with(rule);
    }
    b.goto(&format!("{}{}", env.sim.url(), case.page));
    let (css, text) = case.shows;
    b.wait_text(css, text);
    not_blank(b);
    match &case.then {
        Then::Navigate => {}
        Then::Rows(names) => {
            for name in *names {
                b.wait(&format!("tr.stack-row[data-stack=\"{name}\"]"));
            }
        }
        Then::Check(check) => check(b, env),
    }
    // The answers go back to Portainer's own before the app is used again.
    env.sim.behave();
    b.click(".topbar nav a[href$='/settings']");
    b.wait_text("h1", "Settings");
    not_blank(b);
    let faults: Vec<String> = b
        .console()
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .filter(|m| !NETWORK_LINES.iter().any(|n| m.contains(n)))
        .collect();
    assert!(faults.is_empty(), "SEVERE console entries: {faults:#?}");
    let reached = recorder.requests();
    assert!(
        reached.is_empty(),
        "another origin was reached: {reached:#?}"
    );
}

/// The page has its top bar and says something: never a blank screen.
fn not_blank(b: &Browser) {
    assert!(b.exists(".topbar"), "the top bar is gone");
    let text = b.exec("return document.body.innerText.trim().length", vec![]);
    assert!(
        text.as_u64().unwrap_or(0) > 30,
        "the page is (nearly) blank: {:?}",
        b.page_text()
    );
}
