//! `cargo xtask bench`: measured figures, written to BENCHMARKS.md with the command that
//! produced them. Never asserted: timing belongs here, not in tests.

use crate::build::{release_build, BUDGET_GZIP_BYTES};
use crate::cmd::{command, first_line, root};
use std::fmt::Write;

pub fn run(_args: &[String]) -> Result<(), String> {
    crate::tools::ensure_test_packages()?;
    let report = release_build()?;
    println!("{report}");
    println!("Measuring in headless Chromium against the simulator at scale…");
    let mut bench = command(
        "cargo",
        &[
            "run",
            "--quiet",
            "--release",
            "--package",
            "portlight-e2e",
            "--bin",
            "bench",
        ],
    );
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
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Produced by `cargo xtask bench` on {} ({}, {} cores). Figures vary with the machine; \
         they are measurements, never test assertions.\n",
        first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
        first_line("uname", &["-m"]).unwrap_or_default(),
        first_line("nproc", &[]).unwrap_or_default(),
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
        "## Stack browser at scale (headless Chromium)\n\n{browser}"
    );
    std::fs::write(root().join("BENCHMARKS.md"), &md)
        .map_err(|e| format!("cannot write BENCHMARKS.md: {e}"))?;
    print!("{md}");
    Ok(())
}
