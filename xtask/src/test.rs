//! `cargo xtask test`: installs what is missing, then runs every layer of tests in order and
//! ends with one summary line.

use crate::build::{release_build, CEILING_GZIP_BYTES};
use crate::cmd::{command_line, human_duration, root, run_line, run_with};
use crate::tools;
use std::time::{Duration, Instant};

/// A step of `cargo xtask test`. Adding a step is one variant: its place in [`Step::ALL`] and
/// its arm in each `match` below (there is no catch-all arm, so the compiler asks for them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Install,
    Fmt,
    Clippy,
    Unit,
    Sim,
    Build,
    E2e,
    Hostile,
    Deploy,
}

impl Step {
    /// Every step, in the order they run. Cheap checks first so a typo fails in seconds.
    pub const ALL: [Step; 9] = [
        Step::Install,
        Step::Fmt,
        Step::Clippy,
        Step::Unit,
        Step::Sim,
        Step::Build,
        Step::E2e,
        Step::Hostile,
        Step::Deploy,
    ];

    /// The name that selects the step: `cargo xtask test <name>`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Install => "install",
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::Unit => "unit",
            Step::Sim => "sim",
            Step::Build => "build",
            Step::E2e => "e2e",
            Step::Hostile => "hostile",
            Step::Deploy => "deploy",
        }
    }

    /// What the step checks, printed when it starts.
    pub fn description(self) -> &'static str {
        match self {
            Step::Install => {
                "tools: wasm target, trunk, wasm-bindgen-cli, npm binaryen, Debian packages"
            }
            Step::Fmt => "cargo fmt --check",
            Step::Clippy => "clippy -D warnings, native and wasm32",
            Step::Unit => "native tests: client, domain logic, xtask",
            Step::Sim => "simulator tests over real HTTP",
            Step::Build => "release build with trunk, size budget",
            Step::E2e => "browser tests in headless Chromium against the release build",
            Step::Hostile => {
                "hostile-server suite: broken and malicious answers, on Portainer 2.23 and 2.19"
            }
            Step::Deploy => {
                "deployment recipes (nginx, Caddy) in front of the simulator, in Chromium"
            }
        }
    }

    pub fn run(self) -> Result<(), String> {
        match self {
            Step::Install => {
                // Debian's packages download while trunk and wasm-bindgen-cli compile.
                let installing = tools::start_build_tools()?;
                tools::ensure_test_packages()?;
                installing.finish()
            }
            Step::Fmt => run_line("cargo fmt --all -- --check"),
            Step::Clippy => {
                run_line("cargo clippy --workspace --all-targets -- -D warnings")?;
                run_line(&format!(
                    "cargo clippy --package portlight --target {} -- -D warnings",
                    tools::WASM_TARGET
                ))
            }
            Step::Unit => run_line("cargo test --package portlight --package xtask"),
            Step::Sim => run_line("cargo test --package portainer-sim"),
            Step::Build => size_checked_build(),
            Step::E2e => browser_tests("browser"),
            Step::Hostile => browser_tests("hostile"),
            Step::Deploy => browser_tests("deploy"),
        }
    }

    /// The step with this name, if there is one.
    pub fn parse(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.name() == name)
    }
}

/// The steps named on the command line, in the order they run; all of them when none is named.
/// Anything that is not a step's name is refused, with the list of names.
pub fn parse_steps(args: &[String]) -> Result<Vec<Step>, String> {
    let mut named = Vec::new();
    for arg in args {
        match Step::parse(arg) {
            Some(step) => named.push(step),
            None => {
                let names: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
                return Err(format!(
                    "unknown step `{arg}`; steps are: {}",
                    names.join(", ")
                ));
            }
        }
    }
    Ok(Step::ALL
        .into_iter()
        .filter(|step| named.is_empty() || named.contains(step))
        .collect())
}

/// Runs the steps in order, stopping at the first that fails; the time each one took.
pub fn run_steps(steps: &[Step]) -> Result<Vec<(Step, Duration)>, String> {
    let mut done = Vec::new();
    for &step in steps {
        println!("\n== {}: {}", step.name(), step.description());
        let started = Instant::now();
        step.run()
            .map_err(|e| format!("step `{}` failed: {e}", step.name()))?;
        done.push((step, started.elapsed()));
    }
    Ok(done)
}

/// Runs the steps, then prints the summary line.
pub fn run(steps: &[Step]) -> Result<(), String> {
    let started = Instant::now();
    match run_steps(steps) {
        Ok(done) => {
            let parts: Vec<String> = done
                .iter()
                .map(|(step, d)| format!("{} {}", step.name(), human_duration(*d)))
                .collect();
            println!(
                "\nxtask test: all {} steps passed in {} ({})",
                done.len(),
                human_duration(started.elapsed()),
                parts.join(", ")
            );
            if done.len() == Step::ALL.len() {
                let table = steps_table(&done, started.elapsed());
                // Read by `cargo xtask bench` for BENCHMARKS.md; a failure to write is no
                // reason to fail the tests.
                let _ = std::fs::write(crate::cmd::target_dir().join(STEP_TIMES), table);
            }
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

/// Where the last full run's step times are kept, under cargo's target directory.
pub const STEP_TIMES: &str = "xtask-test-steps.md";

/// A Markdown table of the steps' times, and the total.
pub fn steps_table(done: &[(Step, Duration)], total: Duration) -> String {
    let mut md = String::from("| step | what it runs | time |\n|---|---|---:|\n");
    for (step, d) in done {
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            step.name(),
            step.description(),
            human_duration(*d)
        ));
    }
    md.push_str(&format!("| **all** | | **{}** |\n", human_duration(total)));
    md
}

/// The release build, failing above the size ceiling.
fn size_checked_build() -> Result<(), String> {
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

/// Runs one test target of the e2e crate against dist/ (built by the `build` step).
fn browser_tests(target: &str) -> Result<(), String> {
    let dist = root().join("dist");
    if !dist.join("index.html").exists() {
        return Err("dist/ has no release build: run `cargo xtask test build` first".into());
    }
    let mut c = command_line(&format!(
        "cargo test --package portlight-e2e --test {target} -- --test-threads=2"
    ));
    c.env("PORTLIGHT_DIST", &dist);
    run_with(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn every_step_has_its_own_name_and_parses_back() {
        for step in Step::ALL {
            assert_eq!(Step::parse(step.name()), Some(step));
            assert!(!step.description().is_empty(), "{step:?}");
            let same_name = Step::ALL.iter().filter(|s| s.name() == step.name());
            assert_eq!(same_name.count(), 1, "{step:?}");
        }
        assert_eq!(Step::parse("E2E"), None);
        assert_eq!(Step::parse(""), None);
    }

    #[test]
    fn the_step_table_has_a_row_per_step_and_the_total() {
        let done = [
            (Step::Fmt, Duration::from_secs(3)),
            (Step::Clippy, Duration::from_secs(125)),
        ];
        let table = steps_table(&done, Duration::from_secs(128));
        assert!(
            table.contains("| fmt | cargo fmt --check | 3s |"),
            "{table}"
        );
        assert!(table.contains("| clippy |"), "{table}");
        assert!(table.contains("| 2m05s |"), "{table}");
        assert!(table.ends_with("| **all** | | **2m08s** |\n"), "{table}");
    }

    #[test]
    fn no_step_named_runs_them_all_in_order() {
        assert_eq!(parse_steps(&[]).unwrap(), Step::ALL.to_vec());
    }

    #[test]
    fn named_steps_run_once_each_in_the_usual_order() {
        assert_eq!(
            parse_steps(&args(&["e2e", "unit", "e2e"])).unwrap(),
            vec![Step::Unit, Step::E2e]
        );
    }

    #[test]
    fn anything_else_is_refused_with_the_list_of_steps() {
        for wrong in ["--release", "tests", "-v"] {
            let err = parse_steps(&args(&["unit", wrong])).unwrap_err();
            assert!(err.contains(&format!("unknown step `{wrong}`")), "{err}");
            assert!(
                err.contains("install, fmt, clippy, unit, sim, build, e2e, hostile, deploy"),
                "{err}"
            );
        }
    }
}
