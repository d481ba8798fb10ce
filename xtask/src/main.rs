//! `cargo xtask <command>`: the one entry point for people working on Portlight.
//!
//! Every command installs what it needs when it is missing (see `tools`), so the README's two
//! commands work on a fresh Debian machine that has only Rust.

mod bench;
mod build;
mod cmd;
mod test;
mod tools;
mod wasm_size;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command> [options]

Commands:
  demo [SIM OPTIONS]   Build the release app and serve it with the Portainer simulator and its
                       demo data on http://127.0.0.1:9000 (same origin). Prints demo tokens.
                       Simulator options pass through, e.g. `cargo xtask demo --version 2.19`;
                       `cargo xtask demo --help` lists them.
  test [STEP...]       Install what is missing, then run every check in order; name steps to
                       run only those (e.g. `test unit e2e`). Steps: install, fmt, clippy,
                       unit, sim, build, e2e, hostile, deploy.
  dev                  trunk serve on http://127.0.0.1:8080 with /api proxied to a simulator
                       started on 127.0.0.1:9000; rebuilds on every change.
  build                Release build into dist/ and print its gzip size against the budget.
                       PORTLIGHT_CONNECT_SRC adds origins the page may call (deploy/README.md).
  bench                Build, then measure load size, request counts and list responsiveness
                       at scale; writes BENCHMARKS.md.
  help                 This text.
";

/// A command line of `cargo xtask`, understood before anything runs.
#[derive(Debug, PartialEq)]
enum Task {
    /// Simulator options, passed through.
    Demo(Vec<String>),
    Test(Vec<test::Step>),
    Dev,
    Build,
    Bench,
    Help,
}

impl Task {
    /// Reads the arguments after `cargo xtask`; Err says what was not understood.
    fn parse(args: &[String]) -> Result<Task, String> {
        let Some((command, rest)) = args.split_first() else {
            return Ok(Task::Help);
        };
        let task = match command.as_str() {
            "demo" => {
                build::check_demo_args(rest)?;
                return Ok(Task::Demo(rest.to_vec()));
            }
            "test" => return test::parse_steps(rest).map(Task::Test),
            "dev" => Task::Dev,
            "build" => Task::Build,
            "bench" => Task::Bench,
            "help" | "-h" | "--help" => Task::Help,
            other => return Err(format!("unknown command `{other}`\n\n{HELP}")),
        };
        if rest.is_empty() {
            Ok(task)
        } else {
            Err(format!(
                "`cargo xtask {command}` takes no arguments, not `{}`\n\n{HELP}",
                rest.join(" ")
            ))
        }
    }

    fn run(self) -> Result<(), String> {
        match self {
            Task::Demo(sim_args) => build::demo(&sim_args),
            Task::Test(steps) => test::run(&steps),
            Task::Dev => build::dev(),
            Task::Build => build::release_build().map(|report| println!("{report}")),
            Task::Bench => bench::run(),
            Task::Help => {
                print!("{HELP}");
                Ok(())
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match Task::parse(&args).and_then(Task::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test::Step;

    fn parse(line: &str) -> Result<Task, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        Task::parse(&args)
    }

    #[test]
    fn commands_without_options() {
        assert_eq!(parse(""), Ok(Task::Help));
        assert_eq!(parse("help"), Ok(Task::Help));
        assert_eq!(parse("--help"), Ok(Task::Help));
        assert_eq!(parse("dev"), Ok(Task::Dev));
        assert_eq!(parse("build"), Ok(Task::Build));
        assert_eq!(parse("bench"), Ok(Task::Bench));
    }

    #[test]
    fn commands_without_options_refuse_any() {
        for line in [
            "dev --port 3000",
            "build --release",
            "bench quick",
            "help test",
        ] {
            let err = parse(line).unwrap_err();
            let (command, extra) = line.split_once(' ').unwrap();
            assert!(
                err.starts_with(&format!(
                    "`cargo xtask {command}` takes no arguments, not `{extra}`"
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn help_and_readme_name_every_step() {
        let names: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let listed = format!("Steps: {}.", names.join(", "));
        assert!(
            words(HELP).contains(&listed),
            "the help must say {listed:?}"
        );
        let readme = std::fs::read_to_string(cmd::root().join("README.md")).unwrap();
        let listed = format!("steps: {})", names.join(", "));
        assert!(
            words(&readme).contains(&listed),
            "README.md must say {listed:?}"
        );
    }

    #[test]
    fn unknown_commands_are_refused() {
        let err = parse("tests").unwrap_err();
        assert!(err.starts_with("unknown command `tests`"), "{err}");
    }

    #[test]
    fn test_takes_step_names() {
        assert_eq!(parse("test"), Ok(Task::Test(Step::ALL.to_vec())));
        assert_eq!(
            parse("test e2e fmt"),
            Ok(Task::Test(vec![Step::Fmt, Step::E2e]))
        );
        let err = parse("test --nocapture").unwrap_err();
        assert!(err.starts_with("unknown step `--nocapture`"), "{err}");
    }

    #[test]
    fn demo_passes_simulator_options_through() {
        for line in [
            "demo",
            "demo --version 2.19",
            "demo --version=2.19 --scale 5000,200 --latency 80",
            "demo --listen 0.0.0.0:9000 --faults 0.1 --seed 7",
            "demo --help",
            "demo --not-yet-an-option 1",
        ] {
            let expected: Vec<String> = line.split_whitespace().skip(1).map(String::from).collect();
            assert_eq!(parse(line), Ok(Task::Demo(expected)), "{line}");
        }
    }

    #[test]
    fn demo_refuses_what_cannot_be_a_simulator_option() {
        for (line, word) in [
            ("demo build", "build"),
            ("demo 2.19", "2.19"),
            ("demo --version 2.19 extra", "extra"),
            ("demo --version=2.19 2.23", "2.23"),
        ] {
            let err = parse(line).unwrap_err();
            assert!(err.contains(&format!("not `{word}`")), "{line}: {err}");
        }
        let err = parse("demo --assets public").unwrap_err();
        assert!(err.contains("serves dist/ itself"), "{err}");
        assert!(parse("demo --assets=public").is_err());
    }
}
