//! Running commands from the repository root, with the tool folders first on PATH.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}

/// PATH with npm's binaryen (node_modules/.bin) and cargo's bin folder first: trunk picks the
/// first wasm-opt it finds, and Debian's binaryen 108 breaks the app.
pub fn tool_path() -> String {
    let mut parts = vec![root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        parts.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    let mut path = std::env::join_paths(parts)
        .expect("tool folders contain no path separator")
        .into_string()
        .unwrap_or_default();
    if let Ok(rest) = std::env::var("PATH") {
        path.push(':');
        path.push_str(&rest);
    }
    path
}

/// A command from one line, run from the root with the tool PATH:
/// `command_line("cargo test --package portainer-sim")`. The line is split on whitespace, with
/// no quoting: add an argument that may hold a space (a path, a date format) with `.arg`.
pub fn command_line(line: &str) -> Command {
    let mut words = line.split_whitespace();
    let program = words.next().expect("a command line starts with a program");
    let mut c = Command::new(program);
    c.args(words).current_dir(root()).env("PATH", tool_path());
    c
}

/// Runs one command line (see [`command_line`]), inheriting its output; Err names the command
/// when it fails.
pub fn run_line(line: &str) -> Result<(), String> {
    run_with(command_line(line))
}

pub fn run_with(mut c: Command) -> Result<(), String> {
    let shown = describe(&c);
    println!("$ {shown}");
    let status = c
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The first line a command line prints on stdout, or None when it is missing or fails.
pub fn first_line(line: &str) -> Option<String> {
    first_line_of(command_line(line))
}

/// The first line a command prints on stdout, or None when it is missing or fails.
pub fn first_line_of(mut c: Command) -> Option<String> {
    let out = c.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
}

/// The command as a shell would read it, with the variables it sets first (but the tool PATH
/// every command gets, see [`command_line`]).
pub(crate) fn describe(c: &Command) -> String {
    let mut s = String::new();
    for (name, value) in c.get_envs() {
        if let (Some(value), false) = (value, name == "PATH") {
            s.push_str(&format!(
                "{}={} ",
                name.to_string_lossy(),
                value.to_string_lossy()
            ));
        }
    }
    s.push_str(&c.get_program().to_string_lossy());
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, or `target/` at the root.
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// "3m07s" or "42s".
pub fn human_duration(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(human_duration(Duration::from_secs(42)), "42s");
        assert_eq!(human_duration(Duration::from_secs(187)), "3m07s");
    }

    #[test]
    fn a_command_line_is_its_words() {
        let c = command_line("cargo  clippy --workspace -- -D warnings");
        assert_eq!(c.get_program(), "cargo");
        let args: Vec<_> = c.get_args().collect();
        assert_eq!(args, ["clippy", "--workspace", "--", "-D", "warnings"]);
        assert_eq!(describe(&c), "cargo clippy --workspace -- -D warnings");
        assert_eq!(c.get_current_dir(), Some(root().as_path()));
    }

    #[test]
    fn a_command_is_shown_with_the_variables_it_sets() {
        let mut c = command_line("cargo install trunk");
        c.env("CARGO_PROFILE_RELEASE_LTO", "false");
        assert_eq!(
            describe(&c),
            "CARGO_PROFILE_RELEASE_LTO=false cargo install trunk"
        );
    }

    #[test]
    fn npm_binaryen_comes_before_any_system_wasm_opt() {
        let path = tool_path();
        let first = path.split(':').next().unwrap();
        assert!(first.ends_with("node_modules/.bin"), "{path}");
    }
}
