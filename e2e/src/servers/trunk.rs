//! The release build for a sub-path, made with trunk once per test run.

use crate::workspace_root;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

/// The cargo target folder of this workspace (`CARGO_TARGET_DIR` when set).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                workspace_root().join(p)
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The release build for the sub-path `/portlight/` (`trunk build --release --public-url
/// /portlight/`), built once per test run into `<target>/e2e-subpath-dist`.
/// `PORTLIGHT_SUBPATH_DIST` names an existing build instead.
pub fn subpath_dist() -> PathBuf {
    static DIST: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIST.get_or_init(build_subpath_dist)
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn build_subpath_dist() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("PORTLIGHT_SUBPATH_DIST") {
        return Ok(PathBuf::from(dir));
    }
    let dist = target_dir().join("e2e-subpath-dist");
    let started = Instant::now();
    let out = Command::new("trunk")
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            "/portlight/",
        ])
        .arg("--dist")
        .arg(&dist)
        .current_dir(workspace_root())
        .env("PATH", tool_path())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run trunk: {e} (`cargo xtask test install` installs it)"))?;
    if !out.status.success() {
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "trunk build --public-url /portlight/ failed ({}):\n{}",
            out.status,
            tail.join("\n")
        ));
    }
    eprintln!(
        "built the /portlight/ sub-path release into {} in {:?}",
        dist.display(),
        started.elapsed()
    );
    Ok(dist)
}

/// PATH with npm's binaryen first (Debian's wasm-opt breaks the app) and cargo's bin folder,
/// as `cargo xtask` runs trunk.
fn tool_path() -> String {
    let mut parts = vec![workspace_root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        parts.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(rest) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&rest));
    }
    std::env::join_paths(parts)
        .expect("tool folders contain no path separator")
        .into_string()
        .unwrap_or_default()
}
