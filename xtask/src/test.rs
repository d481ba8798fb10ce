//! `cargo xtask test`: installs what is missing, then runs every layer of tests in order and
//! ends with one summary line.

use crate::build::{release_build, CEILING_GZIP_BYTES};
use crate::cmd::{self, command, human_duration, root, run_with};
use crate::tools;
use std::time::Instant;

/// The steps, in the order they run. Cheap checks first so a typo fails in seconds.
const STEPS: &[(&str, &str)] = &[
    (
        "install",
        "tools: wasm target, trunk, wasm-bindgen-cli, npm binaryen, Debian packages",
    ),
    ("fmt", "cargo fmt --check"),
    ("clippy", "clippy -D warnings, native and wasm32"),
    ("unit", "native tests: client, domain logic, xtask"),
    ("sim", "simulator tests over real HTTP"),
    ("build", "release build with trunk, size budget"),
    (
        "e2e",
        "browser tests in headless Chromium against the release build",
    ),
    (
        "deploy",
        "deployment recipes (nginx, Caddy) in front of the simulator, in Chromium",
    ),
];

pub fn run_steps(selected: &[&str]) -> Result<Vec<(String, std::time::Duration)>, String> {
    let mut done = Vec::new();
    for (name, what) in STEPS {
        if !selected.is_empty() && !selected.contains(name) {
            continue;
        }
        println!("\n== {name}: {what}");
        let started = Instant::now();
        step(name).map_err(|e| format!("step `{name}` failed: {e}"))?;
        done.push((name.to_string(), started.elapsed()));
    }
    Ok(done)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let selected: Vec<&str> = args.iter().map(String::as_str).collect();
    if let Some(unknown) = selected
        .iter()
        .find(|s| !STEPS.iter().any(|(name, _)| name == *s))
    {
        let names: Vec<&str> = STEPS.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "unknown step `{unknown}`; steps are: {}",
            names.join(", ")
        ));
    }
    let started = Instant::now();
    match run_steps(&selected) {
        Ok(done) => {
            let parts: Vec<String> = done
                .iter()
                .map(|(n, d)| format!("{n} {}", human_duration(*d)))
                .collect();
            println!(
                "\nxtask test: all {} steps passed in {} ({})",
                done.len(),
                human_duration(started.elapsed()),
                parts.join(", ")
            );
            Ok(())
        }
        Err(e) => {
            println!(
                "\nxtask test: FAILED after {}: {e}",
                human_duration(started.elapsed())
            );
            Err(e)
        }
    }
}

fn step(name: &str) -> Result<(), String> {
    match name {
        "install" => {
            tools::ensure_build_tools()?;
            tools::ensure_test_packages()
        }
        "fmt" => cmd::run("cargo", &["fmt", "--all", "--", "--check"]),
        "clippy" => {
            cmd::run(
                "cargo",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            )?;
            cmd::run(
                "cargo",
                &[
                    "clippy",
                    "--package",
                    "portlight",
                    "--target",
                    tools::WASM_TARGET,
                    "--",
                    "-D",
                    "warnings",
                ],
            )
        }
        "unit" => cmd::run(
            "cargo",
            &["test", "--package", "portlight", "--package", "xtask"],
        ),
        "sim" => cmd::run("cargo", &["test", "--package", "portainer-sim"]),
        "build" => {
            let report = release_build()?;
            println!("{report}");
            if report.over_ceiling() {
                return Err(format!(
                    "the app is {} bytes gzip, over the {} KB ceiling: a size regression",
                    report.total_gzip(),
                    CEILING_GZIP_BYTES / 1024
                ));
            }
            Ok(())
        }
        "e2e" => browser_tests("browser"),
        "deploy" => browser_tests("deploy"),
        other => Err(format!("no such step {other}")),
    }
}

/// Runs one test target of the e2e crate against dist/ (built by the `build` step).
fn browser_tests(target: &str) -> Result<(), String> {
    let dist = root().join("dist");
    if !dist.join("index.html").exists() {
        return Err("dist/ has no release build: run `cargo xtask test build` first".into());
    }
    let mut c = command(
        "cargo",
        &[
            "test",
            "--package",
            "portlight-e2e",
            "--test",
            target,
            "--",
            "--test-threads=2",
        ],
    );
    c.env("PORTLIGHT_DIST", &dist);
    run_with(c)
}
