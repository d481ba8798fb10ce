//! Installs the build and test tools when they are missing, from four sources only: rustup's
//! own channel, crates.io, npm and Debian. Nothing downloads a binary from anywhere else.

use crate::cmd::{command_line, first_line, first_line_of, root, run_line, run_with};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Everything `trunk build --release` needs, installed when missing (see [`start_build_tools`]).
pub fn ensure_build_tools() -> Result<(), String> {
    start_build_tools()?.finish()
}

/// Starts installing what `trunk build --release` needs. The wasm target and npm's binaryen
/// are quick and installed at once; trunk and wasm-bindgen-cli are compiled from crates.io side
/// by side in the background, each `cargo install` in its own build folder, so the caller can
/// compile the app (or install Debian's packages) meanwhile: on 2 cores one compile alone
/// leaves a core idle through its long serial stretches. [`Installing::finish`] waits for them.
pub fn start_build_tools() -> Result<Installing, String> {
    ensure_wasm_target()?;
    let mut installing = Installing(Vec::new());
    if !installed("trunk", TRUNK_VERSION) {
        installing.start(&format!("trunk {TRUNK_VERSION}"), trunk_install())?;
    }
    let version = locked_version("wasm-bindgen")?;
    if !installed("wasm-bindgen", &version) {
        installing.start(
            &format!("wasm-bindgen-cli {version}"),
            wasm_bindgen_install(&version),
        )?;
    }
    ensure_binaryen()?;
    Ok(installing)
}

/// Whether `program --version` says `program version`.
fn installed(program: &str, version: &str) -> bool {
    first_line(&format!("{program} --version")) == Some(format!("{program} {version}"))
}

/// Tools compiling in the background, each writing to its own log; stopped if dropped
/// unfinished (an error elsewhere), so no compile outlives the command that started it.
pub struct Installing(Vec<(String, std::process::Child, std::path::PathBuf)>);

impl Installing {
    fn start(&mut self, what: &str, mut install: std::process::Command) -> Result<(), String> {
        let logs = crate::cmd::target_dir().join("tool-installs");
        std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
        let log_path = logs.join(format!("{}.log", what.replace(' ', "-")));
        let log =
            std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let err = log
            .try_clone()
            .map_err(|e| format!("{}: {e}", log_path.display()))?;
        println!(
            "Installing {what} from crates.io in the background (log: {})…\n$ {}",
            log_path.display(),
            crate::cmd::describe(&install)
        );
        let child = install
            .stdin(std::process::Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start the install of {what}: {e}"))?;
        self.0.push((what.to_string(), child, log_path));
        Ok(())
    }

    /// Whether nothing is being installed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Waits for every install; an error names the tool and ends with the tail of its log.
    pub fn finish(mut self) -> Result<(), String> {
        let mut failed = Vec::new();
        for (what, mut child, log) in std::mem::take(&mut self.0) {
            let started = std::time::Instant::now();
            match child.wait() {
                Ok(status) if status.success() => println!(
                    "Installed {what} (waited {}).",
                    crate::cmd::human_duration(started.elapsed())
                ),
                Ok(status) => failed.push(format!(
                    "installing {what} failed ({status}); the end of {}:\n{}",
                    log.display(),
                    log_tail(&log, 30)
                )),
                Err(e) => failed.push(format!("could not wait for the install of {what}: {e}")),
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(failed.join("\n\n"))
        }
    }
}

impl Drop for Installing {
    fn drop(&mut self) {
        for (_, child, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The last `lines` lines of a log, or why it cannot be read.
fn log_tail(path: &std::path::Path, lines: usize) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("(cannot read it: {e})"),
    }
}

/// Chromium and its WebDriver for the browser tests, nginx and Caddy for the deployment tests.
pub fn ensure_test_packages() -> Result<(), String> {
    let wanted = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/sbin/nginx", "nginx"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(path, _)| !std::path::Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    apt_install(&missing)?;
    // Caddy is optional: its recipe test is skipped, and says so, where Debian has no package.
    if !std::path::Path::new("/usr/bin/caddy").exists() {
        if let Err(e) = apt_install(&["caddy"]) {
            println!("note: Caddy could not be installed ({e}); its recipe test will say so.");
        }
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = command_line("rustup target list --installed")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(WASM_TARGET))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    run_line(&format!("rustup target add {WASM_TARGET}")).map_err(|e| {
        format!("{e}\nThe wasm target comes from rustup; check that rustup can reach its channel.")
    })
}

/// Compiled for a short compile rather than by trunk's own release profile, which asks for
/// fat LTO in one codegen unit (9m50s on 2 cores): without optimisation. trunk does little work
/// of its own (cargo, wasm-bindgen and wasm-opt do the building), and the app it builds is byte
/// for byte the same with trunk compiled either way. --locked: trunk 0.22 and unlocked 0.21
/// dependencies need a newer rustc than 1.95. No default features: the update check and the
/// TLS client serve nothing offline (16 crates fewer to compile).
fn trunk_install() -> std::process::Command {
    let mut install = command_line(&format!(
        "cargo install trunk --version {TRUNK_VERSION} --locked --no-default-features"
    ));
    install
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0");
    install
}

/// Not --locked: its lock file pins a dependency that not every crates.io mirror carries.
/// Only the `wasm-bindgen` binary, without the TLS client its test runner downloads with
/// (rustls and ring are not compiled). At `opt-level` 1 it compiles sooner and still binds
/// the app in well under a second; its output is the same.
fn wasm_bindgen_install(version: &str) -> std::process::Command {
    let mut install = command_line(&format!(
        "cargo install wasm-bindgen-cli --version {version} --force --no-default-features --bin wasm-bindgen"
    ));
    install.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1");
    install
}

fn ensure_binaryen() -> Result<(), String> {
    let wasm_opt = root().join("node_modules/.bin/wasm-opt");
    let mut version = std::process::Command::new(&wasm_opt);
    version.arg("--version");
    let ok =
        first_line_of(version).is_some_and(|v| v.contains(&format!("version_{BINARYEN_VERSION}")));
    // The browser tests' accessibility checks come from the same lock file.
    let axe = root().join("node_modules/axe-core/axe.min.js").is_file();
    if ok && axe {
        return Ok(());
    }
    if first_line("npm --version").is_none() {
        return Err(
            "npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm), \
                    then run this again. It installs binaryen's wasm-opt and axe-core from npm."
                .into(),
        );
    }
    run_line("npm ci --no-audit --no-fund")
}

/// The version of a crate in Cargo.lock (the single source of truth for wasm-bindgen).
pub fn locked_version(krate: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    version_in_lock(&lock, krate).ok_or_else(|| format!("{krate} is not in Cargo.lock"))
}

fn version_in_lock(lock: &str, krate: &str) -> Option<String> {
    let name_line = format!("name = \"{krate}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let next = lines.next()?.trim();
            return next
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string);
        }
    }
    None
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    if packages.is_empty() {
        return Ok(());
    }
    let list = packages.join(" ");
    if first_line("apt-get --version").is_none() {
        return Err(format!(
            "missing {list}, and this is not a Debian machine: install them with your package manager."
        ));
    }
    let as_root = first_line("id -u").as_deref() == Some("0");
    if !as_root {
        return Err(format!(
            "missing {list}: run `sudo apt-get update && sudo apt-get install -y {list}`, then this again."
        ));
    }
    apt_update_once()?;
    let mut c = command_line(&format!(
        "apt-get install -y --no-install-recommends {list}"
    ));
    c.env("DEBIAN_FRONTEND", "noninteractive");
    run_with(c)
}

fn apt_update_once() -> Result<(), String> {
    static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    DONE.get_or_init(|| run_line("apt-get update")).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.50\"\n";

    #[test]
    fn reads_the_exact_crate_not_a_prefix_match() {
        assert_eq!(
            version_in_lock(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            version_in_lock(LOCK, "wasm-bindgen-futures").as_deref(),
            Some("0.4.50")
        );
        assert_eq!(version_in_lock(LOCK, "leptos"), None);
    }

    fn shell(script: &str) -> std::process::Command {
        let mut c = std::process::Command::new("sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn background_installs_that_succeed_finish_cleanly() {
        let mut installing = Installing(Vec::new());
        assert!(installing.is_empty());
        installing
            .start("test-tool-ok 1.0", shell("echo built"))
            .unwrap();
        installing
            .start("test-tool-ok 2.0", shell("exit 0"))
            .unwrap();
        assert!(!installing.is_empty());
        assert_eq!(installing.finish(), Ok(()));
    }

    #[test]
    fn a_failed_background_install_names_the_tool_and_ends_with_its_log() {
        let mut installing = Installing(Vec::new());
        installing
            .start(
                "test-tool-broken 1.0",
                shell("echo compiling; echo 'error: linking failed' >&2; exit 3"),
            )
            .unwrap();
        installing
            .start("test-tool-fine 1.0", shell("exit 0"))
            .unwrap();
        let err = installing.finish().unwrap_err();
        assert!(
            err.starts_with("installing test-tool-broken 1.0 failed"),
            "{err}"
        );
        assert!(err.ends_with("compiling\nerror: linking failed"), "{err}");
        assert!(!err.contains("test-tool-fine"), "{err}");
    }

    #[test]
    fn an_install_left_unfinished_is_stopped() {
        let mut installing = Installing(Vec::new());
        installing
            .start("test-tool-slow 1.0", shell("sleep 60"))
            .unwrap();
        let pid = installing.0[0].1.id();
        drop(installing);
        let alive = std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(!alive, "the install {pid} outlived its command");
    }

    #[test]
    fn trunk_is_compiled_for_a_short_compile() {
        let shown = crate::cmd::describe(&trunk_install());
        assert!(
            shown.contains("CARGO_PROFILE_RELEASE_OPT_LEVEL=0 "),
            "{shown}"
        );
        assert!(
            shown.contains("CARGO_PROFILE_RELEASE_LTO=false "),
            "{shown}"
        );
        assert!(
            shown.contains("CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 "),
            "{shown}"
        );
        assert!(
            shown.ends_with(&format!(
                "cargo install trunk --version {TRUNK_VERSION} --locked --no-default-features"
            )),
            "{shown}"
        );
    }

    #[test]
    fn wasm_bindgen_cli_is_only_the_binary_compiled_lightly() {
        let shown = crate::cmd::describe(&wasm_bindgen_install("0.2.130"));
        assert_eq!(
            shown,
            "CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install wasm-bindgen-cli --version 0.2.130 \
             --force --no-default-features --bin wasm-bindgen"
        );
    }

    #[test]
    fn trunk_toml_pins_the_wasm_bindgen_of_cargo_lock() {
        let trunk = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        let locked = locked_version("wasm-bindgen").unwrap();
        assert!(
            trunk.contains(&format!("wasm_bindgen = \"{locked}\"")),
            "Trunk.toml must pin wasm-bindgen {locked}"
        );
        assert!(trunk.contains(&format!("wasm_opt = \"version_{BINARYEN_VERSION}\"")));
        let package = std::fs::read_to_string(root().join("package.json")).unwrap();
        assert!(package.contains(&format!("\"binaryen\": \"{BINARYEN_VERSION}.")));
    }
}
