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
                       Simulator options pass through, e.g. `cargo xtask demo --version 2.19`.
  test [STEP...]       Install what is missing, then run every check: fmt, clippy, unit, sim,
                       build, e2e, deploy. Name steps to run only those (e.g. `test unit e2e`).
  dev                  trunk serve on http://127.0.0.1:8080 with /api proxied to a simulator
                       started on 127.0.0.1:9000; rebuilds on every change.
  build                Release build into dist/ and print its gzip size against the budget.
  bench                Build, then measure load size, request counts and list responsiveness
                       at scale; writes BENCHMARKS.md.
  help                 This text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "demo" => build::demo(rest),
        "test" => test::run(rest),
        "dev" => build::dev(),
        "build" => build::release_build().map(|report| println!("{report}")),
        "bench" => bench::run(rest),
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
