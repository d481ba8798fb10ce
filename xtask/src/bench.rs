//! `cargo xtask bench`: measured figures, written to BENCHMARKS.md with the command that
//! produced them. Never asserted: timing belongs here, not in tests.

use crate::build::{release_build, BUDGET_GZIP_BYTES};
use crate::cmd::{command_line, first_line, first_line_of, root};
use std::fmt::Write;

pub fn run() -> Result<(), String> {
    crate::tools::ensure_test_packages()?;
    let report = release_build()?;
    println!("{report}");
    println!("Measuring in headless Chromium against the simulator at scale…");
    let mut bench = command_line("cargo run --quiet --release --package portlight-e2e --bin bench");
    bench.env("PORTLIGHT_DIST", root().join("dist"));
    let out = bench
        .output()
        .map_err(|e| format!("could not run the browser benchmark: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the browser benchmark failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let browser = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut md = String::new();
    let mut date = command_line("date -u");
    date.arg("+%Y-%m-%d %H:%M UTC");
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Produced by `cargo xtask bench` on {} ({}, {} cores). Figures vary with the machine; \
         they are measurements, never test assertions.\n",
        first_line_of(date).unwrap_or_default(),
        first_line("uname -m").unwrap_or_default(),
        first_line("nproc").unwrap_or_default(),
    );
    let _ = writeln!(md, "## Load size (release build, `dist/`)\n");
    let _ = writeln!(md, "| file | bytes | gzip -9 |\n|---|---:|---:|");
    for a in &report.assets {
        let _ = writeln!(md, "| {} | {} | {} |", a.name, a.raw, a.gzip);
    }
    let total_raw: u64 = report.assets.iter().map(|a| a.raw).sum();
    let _ = writeln!(
        md,
        "| **total** | {total_raw} | **{}** |\n\nBudget: {} KB gzip for the whole app: {}.\n",
        report.total_gzip(),
        BUDGET_GZIP_BYTES / 1024,
        if report.over_budget() {
            format!(
                "**over by {} KB**",
                (report.total_gzip() - BUDGET_GZIP_BYTES) / 1024
            )
        } else {
            "within".into()
        }
    );
    let _ = writeln!(
        md,
        "Target for the first load of any route: 300 KB gzip: {}; an empty Leptos 0.8 CSR app \
         built the same way measures about 68 KB. Every route loads the whole app until pages \
         can be loaded on demand (see below).\n",
        if report.total_gzip() <= 300 * 1024 {
            "met".to_string()
        } else {
            format!("**not met** ({} KB)", report.total_gzip() / 1024)
        }
    );
    let _ = writeln!(md, "{}", where_the_bytes_go());
    let _ = writeln!(
        md,
        "## Stack browser at scale (headless Chromium)\n\n{browser}"
    );
    let _ = writeln!(md, "{FIRST_ROWS}");
    let _ = writeln!(md, "{}", side_by_side(report.total_gzip()));
    let _ = writeln!(md, "{LAZY_LOADING}");
    let _ = writeln!(md, "{}", test_loop());
    std::fs::write(root().join("BENCHMARKS.md"), &md)
        .map_err(|e| format!("cannot write BENCHMARKS.md: {e}"))?;
    print!("{md}");
    Ok(())
}

/// Portlight next to Portainer's own UI. Portainer's figures were measured once, by hand,
/// in the same headless Chromium (there is no Portainer on the machines that run this).
fn side_by_side(portlight_gzip: u64) -> String {
    format!(
        "## Side by side with Portainer's own UI\n\n\
         | | Portainer CE 2.23 UI | Portlight |\n|---|---:|---:|\n\
         | first load (html, js, wasm, css; gzip -9) | 2,657,737 B | {portlight_gzip} B |\n\
         | requests to list every stack of N Docker environments | 5 per environment, in 2 waves each | 2 in 1 wave, whatever N |\n\
         | requests for N Swarm environments | 8 per environment, in 3 waves each | the same 2 |\n\
         | environments per screen | one at a time | all |\n\n\
         Portainer's first load was measured once in headless Chromium (every response of its \
         2.23 UI until the first screen, gzip -9); its requests per environment were read from \
         the requests its UI sends when an environment's stack list opens. At 50 ms per request \
         its waves alone cost 100 ms per Docker environment and 150 ms per Swarm one, one \
         environment after another; Portlight's figure at 50 ms is measured above.\n"
    )
}

/// Where the time from the answers to the first rows goes, measured once with `performance.mark`
/// in a build made for it (marks are not shipped), and what was tried and left.
const FIRST_ROWS: &str = include_str!("first_rows.md");

/// Why the pages are not loaded on demand (yet): what was found when trying it.
const LAZY_LOADING: &str = "## Loading only what a route needs: not adopted\n\n\
Leptos 0.8 can split the wasm per route (`#[lazy_route]`, `#[lazy]`) with `wasm_split_cli_support` \
0.2.4 between cargo and wasm-bindgen (with `-Clink-args=--emit-relocs` and \
`wasm-bindgen --keep-lld-exports`); it works on stable Rust and needs nothing outside crates.io. \
It is not adopted, for these reasons:\n\n\
- **A chunk that fails to load kills the app.** In leptos 0.8.23, `#[lazy]` awaits its chunk with \
  `.expect(\"load callback should succeed\")`: a dropped connection, a redeploy between two clicks or a \
  proxy that serves `index.html` for a missing file panics, and with `panic = \"abort\"` the page is \
  dead. `wasm_split_macros` 0.2.2 offers a `fallible` split that returns the failure instead, and \
  leptos_macro 0.9.0-rc1 passes it on (`#[lazy(fallible)]`), but no stable leptos does: 0.8.23 \
  is the newest 0.8 on crates.io (checked 2026-12-06).\n\
- **Chunks are not content-addressed and not reproducible.** The splitter names them `split_*.wasm` \
  and `chunk_N.wasm`, and which code lands where depends on hash-map order between builds; a \
  chunk from another build does not link. With the service worker keeping the app's files, an \
  operator could load this build's main module and the previous build's chunk.\n\
- **trunk cannot build it** (trunk-rs/trunk#1022): once a `#[lazy]` exists, the wasm imports a \
  placeholder module that only the split step resolves, so `cargo xtask dev` and every build \
  would move from trunk to a hand-written pipeline (hashing, CSS, copying, index.html).\n\n\
**What it could buy, measured.** Each figure is a release build made the same way with the route \
table cut down to some pages (2026-12-06): a route split off costs its page's code, and the \
shell every page needs stays.\n\n\
| what the build holds | first load, gzip -9 |\n|---|---:|\n\
| the shell (top bar, session, shortcuts, sign-in again), Connect and Settings | 275,435 B |\n\
| the same and the stack list | 416,145 B |\n\
| the whole app | 685,222 B |\n\n\
Split perfectly, the stack list, the page an operator opens first, would load 416 KB: 40% less, \
and still 116 KB over the 300 KB target. The shell alone is 275 KB against the 68 KB of an empty \
Leptos app.\n\n\
The size work went into what every route loads instead (one sort routine, one filter facet, \
maps built by insertion), measured above.\n";

/// The last full `cargo xtask test` on this machine, step by step, if there was one.
fn test_loop() -> String {
    let path = crate::cmd::target_dir().join(crate::test::STEP_TIMES);
    let mut md = String::from("## `cargo xtask test`, step by step\n\n");
    match std::fs::read_to_string(&path) {
        Ok(table) => {
            let _ = writeln!(
                md,
                "The last full run on this machine (written by `cargo xtask test` when every \
                 step passed; a first run on a fresh machine adds the installs and cold \
                 compiles):\n\n{table}"
            );
        }
        Err(_) => {
            let _ = writeln!(
                md,
                "No full `cargo xtask test` has run on this machine yet: run it, then \
                 `cargo xtask bench` again.\n"
            );
        }
    }
    md.push_str(FRESH_MACHINE);
    md
}

/// The installs a first run adds, measured once on a fresh machine.
const FRESH_MACHINE: &str = include_str!("fresh_machine.md");

/// The code of cargo's wasm (before wasm-bindgen and wasm-opt) by crate: Leptos's view and
/// reactive machinery is instantiated per view shape, which is where most bytes go.
fn where_the_bytes_go() -> String {
    let wasm = crate::cmd::target_dir().join("wasm32-unknown-unknown/release/portlight.wasm");
    let mut md = String::from("## Where the bytes go\n\n");
    let parsed = std::fs::read(&wasm)
        .map_err(|e| format!("{}: {e}", wasm.display()))
        .and_then(|bytes| crate::wasm_size::code_by_crate(&bytes));
    let (crates, total) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e}.\n");
            return md;
        }
    };
    let _ = writeln!(
        md,
        "Code of cargo's release wasm before wasm-opt ({} KB in all), by the crate that defines \
         each function (generic code counts under the crate that defines the generic, whoever \
         instantiates it):\n\n| crate | code bytes | share |\n|---|---:|---:|",
        total / 1024
    );
    for (name, bytes) in crates.iter().take(14) {
        let _ = writeln!(
            md,
            "| {name} | {bytes} | {:.1}% |",
            *bytes as f64 * 100.0 / total.max(1) as f64
        );
    }
    md
}
