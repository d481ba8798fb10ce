//! Browser end-to-end test harness: the release build of Portlight, served same-origin by the
//! Portainer simulator, driven in headless Debian Chromium over WebDriver.
//!
//! Run through `cargo xtask test e2e` (it builds dist/ and sets `PORTLIGHT_DIST`).

pub mod browser;
pub mod servers;
pub mod webdriver;

pub use browser::{Browser, Element};
pub use portainer_sim as sim;

use std::path::PathBuf;

/// The release build under test.
pub fn dist() -> PathBuf {
    let dist = std::env::var_os("PORTLIGHT_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    assert!(
        dist.join("index.html").exists(),
        "no release build at {}: run `cargo xtask test build e2e` (it builds dist/ first)",
        dist.display()
    );
    dist
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e lives in the workspace")
        .to_path_buf()
}

/// Where failing tests leave screenshots and page text (ignored by git).
pub fn artifacts_dir() -> PathBuf {
    let dir = workspace_root().join("e2e/artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A copy of the release build whose page may also call `origins` (space-separated), as an
/// operator deploys it for a Portainer behind the CORS proxy (deploy/README.md, "Other
/// origins"). The copy lives under the system's temporary folder for the test's lifetime.
pub fn dist_allowing(origins: &str) -> servers::TempDir {
    let copy = servers::TempDir::new("dist-allowing");
    for entry in std::fs::read_dir(dist())
        .expect("dist/ is readable")
        .flatten()
    {
        let from = entry.path();
        if from.is_file() {
            std::fs::copy(&from, copy.path().join(entry.file_name())).expect("copy dist/");
        }
    }
    let index = copy.path().join("index.html");
    let html = std::fs::read_to_string(&index).expect("index.html");
    assert!(
        html.contains("connect-src 'self'"),
        "the page's CSP has connect-src 'self'"
    );
    let html = html.replacen(
        "connect-src 'self'",
        &format!("connect-src 'self' {origins}"),
        1,
    );
    std::fs::write(&index, html).expect("write index.html");
    copy
}

/// The page's Content-Security-Policy, from its `<meta>`.
pub fn csp_of(html: &str) -> Option<String> {
    let start = html.find("default-src")?;
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_string())
}

/// Docker's multiplexed log stream of `lines`, each a frame of its own with its stream number
/// (1 stdout, 2 stderr): an 8-byte header (stream, three zeros, big-endian length), then the
/// line and its newline.
pub fn log_frames(lines: &[(u8, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (stream, line) in lines {
        let payload = format!("{line}\n");
        out.extend_from_slice(&[*stream, 0, 0, 0]);
        out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        out.extend_from_slice(payload.as_bytes());
    }
    out
}

/// How long the tests' simulators take to give up on an unreachable Docker host (Portainer's
/// wait is the system's connect timeout, about two minutes).
pub const DIAL: std::time::Duration = std::time::Duration::from_secs(2);

/// A simulator with demo data serving the release build, same origin, like `cargo xtask demo`.
pub fn demo_sim() -> sim::SimHandle {
    sim_with(sim::Config::default())
}

/// A simulator with the given options, serving the release build.
pub fn sim_with(mut config: sim::Config) -> sim::SimHandle {
    config.assets = Some(dist());
    config.dial_timeout = config.dial_timeout.min(DIAL);
    sim::spawn(config)
}
