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
    let _ = writeln!(md, "{}", where_the_bytes_go());
    let _ = writeln!(
        md,
        "## Stack browser at scale (headless Chromium)\n\n{browser}"
    );
    std::fs::write(root().join("BENCHMARKS.md"), &md)
        .map_err(|e| format!("cannot write BENCHMARKS.md: {e}"))?;
    print!("{md}");
    Ok(())
}

/// The code of cargo's wasm (before wasm-bindgen and wasm-opt) by crate: Leptos's view and
/// reactive machinery is instantiated per view shape, which is where most bytes go.
fn where_the_bytes_go() -> String {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let wasm = target.join("wasm32-unknown-unknown/release/portlight.wasm");
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
