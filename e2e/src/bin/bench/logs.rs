//! A stack's logs under load: a ten-container stack followed for a minute at 2,000 lines a
//! second in all, what ten containers at 200 lines/s each bring. The simulator speaks
//! HTTP/1.1, where Portlight follows four sources (see `domain::stack_logs::connections`), so
//! each writes 500 lines/s (simulator `--busy-stack --log-lines-per-sec 500`). Whether the
//! page stays responsive (how late the event loop runs, real key presses in the filter box)
//! and whether memory stays bounded while 120,000 lines arrive.

use super::connected_admin;
use portlight_e2e::sim::{demo, Config};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Lines per second of each followed container: four of them make 2,000.
const RATE: u32 = 500;
const SOURCES: usize = 10;
const FOLLOWED: Duration = Duration::from_secs(60);
/// How often, during the minute, the filter box gets a key press and the memory a sample.
const EVERY: Duration = Duration::from_secs(5);

pub fn measure() {
    let (sim, b) = connected_admin(Config {
        busy_stack: true,
        log_lines_per_sec: RATE,
        ..Config::default()
    });
    // The WebAssembly memory is not in Chromium's heap figures: keep a hand on it.
    b.session()
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": WASM_MEMORY }),
        )
        .expect("install the memory probe");
    b.goto(&format!(
        "{}/stacks/{}/logs?follow=1",
        sim.url(),
        demo::STACK_BUSY_LOGS
    ));
    b.wait(".logs .line");
    b.exec(PROBES, vec![]);
    let filter = b.wait("#log-filter");
    let started = Instant::now();
    let mut heaps = Vec::new();
    let mut presses = 0;
    while started.elapsed() < FOLLOWED {
        std::thread::sleep(EVERY);
        // A real key press and its removal: the Event Timing entries time them.
        filter.send_keys("x");
        filter.send_keys("\u{E003}");
        presses += 2;
        heaps.push(heap_bytes(&b));
    }
    let probes = b.exec(READ_PROBES, vec![]);
    let shown = b.exec(
        "return document.querySelectorAll('.logs .line').length;",
        vec![],
    );
    let dropped = if b.exists(".logs-dropped") {
        b.wait(".logs-dropped").text()
    } else {
        "none".into()
    };
    let num = |k: &str| probes[k].as_f64().unwrap_or(f64::NAN);
    let mb = |bytes: f64| format!("{:.1} MB", bytes / 1_048_576.0);
    let first = heaps.first().copied().unwrap_or(f64::NAN);
    let last = heaps.last().copied().unwrap_or(f64::NAN);
    let most = heaps.iter().copied().fold(f64::NAN, f64::max);
    println!();
    let followed = b
        .exec(
            "return document.querySelector('.not-followed') ? 'four' : 'all';",
            vec![],
        )
        .as_str()
        .unwrap_or_default()
        .to_string();
    println!(
        "### Stack logs under load ({SOURCES} containers, {followed} followed over HTTP/1.1, at {RATE} lines/s each for {} s, simulator `--busy-stack --log-lines-per-sec {RATE}`)",
        FOLLOWED.as_secs()
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| event loop lateness (a timer every 50 ms) | median {:.1} ms, 99th percentile {:.1} ms, worst {:.1} ms over {:.0} timers |",
        num("lagMedian"),
        num("lagP99"),
        num("lagWorst"),
        num("lagCount")
    );
    println!(
        "| input delay of key presses in the filter box (Event Timing) | {} |",
        input_delay(&probes, presses)
    );
    println!(
        "| long tasks (over 50 ms) | {:.0}, {:.0} ms in all |",
        num("longCount"),
        num("longTotal")
    );
    println!(
        "| page memory (V8 heap, Blink heap, WebAssembly memory), sampled every {} s | first {}, last {}, most {} |",
        EVERY.as_secs(),
        mb(first),
        mb(last),
        mb(most)
    );
    let held = if b.exists(".logs-cut") {
        b.wait(".logs-cut").text()
    } else {
        format!("{shown} lines on screen")
    };
    println!("| lines held and shown at the end | {held} |");
    println!("| older lines dropped to stay under the bound | {dropped} |");
}

/// "worst 3.1 ms over 24 key events": Event Timing reports only events taking 16 ms or more.
fn input_delay(probes: &Value, presses: usize) -> String {
    let reported = probes["eventCount"].as_f64().unwrap_or(0.0);
    if reported == 0.0 {
        return format!("none of {presses} key presses took 16 ms or more from input to painted");
    }
    format!(
        "worst {:.1} ms before its handler ran ({reported:.0} of {presses} key presses took 16 ms or more in all)",
        probes["eventWorstDelay"].as_f64().unwrap_or(f64::NAN)
    )
}

/// The page's memory: V8's heap, Blink's (the DOM) and the WebAssembly memory.
fn heap_bytes(b: &portlight_e2e::Browser) -> f64 {
    let usage = b
        .session()
        .cdp("Runtime.getHeapUsage", json!({}))
        .unwrap_or(Value::Null);
    let part = |k: &str| usage[k].as_f64().unwrap_or(0.0);
    let wasm = b.exec(
        "return window.__wasmMemory ? window.__wasmMemory.buffer.byteLength : 0;",
        vec![],
    );
    part("usedSize") + part("embedderHeapUsedSize") + wasm.as_f64().unwrap_or(0.0)
}

/// Notes the WebAssembly memory of the module the page instantiates.
const WASM_MEMORY: &str = r#"
for (const name of ['instantiate', 'instantiateStreaming']) {
  const original = WebAssembly[name];
  WebAssembly[name] = async (...args) => {
    const result = await original.apply(WebAssembly, args);
    const exports = (result.instance || result).exports;
    if (exports && exports.memory) window.__wasmMemory = exports.memory;
    return result;
  };
}
"#;

/// Installs the probes: a 50 ms timer that notes how late it runs, long tasks, and input
/// events' delays.
const PROBES: &str = r#"
const p = window.__bench = { lags: [], long: [], events: [] };
let expected = performance.now() + 50;
const tick = () => {
  const now = performance.now();
  p.lags.push(Math.max(0, now - expected));
  expected = now + 50;
  setTimeout(tick, 50);
};
setTimeout(tick, 50);
new PerformanceObserver(l => p.long.push(...l.getEntries().map(e => e.duration)))
  .observe({ type: 'longtask' });
new PerformanceObserver(l => p.events.push(...l.getEntries()
    .filter(e => e.name.startsWith('key'))
    .map(e => e.processingStart - e.startTime)))
  .observe({ type: 'event', durationThreshold: 16 });
"#;

const READ_PROBES: &str = r#"
const p = window.__bench;
const lags = [...p.lags].sort((a, b) => a - b);
const at = q => lags.length ? lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] : null;
return {
  lagMedian: at(0.5), lagP99: at(0.99), lagWorst: lags.length ? lags[lags.length - 1] : null,
  lagCount: lags.length,
  longCount: p.long.length, longTotal: p.long.reduce((a, b) => a + b, 0),
  eventCount: p.events.length, eventWorstDelay: p.events.length ? Math.max(...p.events) : null,
};
"#;
