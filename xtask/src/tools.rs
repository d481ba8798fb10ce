//! Installs the build and test tools when they are missing, from four sources only: rustup's
//! own channel, crates.io, npm and Debian. Nothing downloads a binary from anywhere else.

use crate::cmd::{command_line, first_line, first_line_of, root, run_line, run_with};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Everything `trunk build --release` needs.
pub fn ensure_build_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_binaryen()
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

fn ensure_trunk() -> Result<(), String> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if first_line("trunk --version").as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("Installing trunk {TRUNK_VERSION} from crates.io (about 5 minutes on 2 cores)…");
    // --locked: trunk 0.22 and unlocked 0.21 dependencies need a newer rustc than 1.95.
    // No default features: the update check and the TLS client serve nothing offline
    // (16 crates fewer to compile).
    run_with(trunk_install())
}

/// Compiled for a short compile rather than by trunk's own release profile, which asks for
/// fat LTO in one codegen unit: 9m50s on 2 cores where this takes 5m12s. trunk does little
/// work of its own (cargo, wasm-bindgen and wasm-opt do the building), so the app's build took
/// as long with either trunk and came out byte for byte the same.
fn trunk_install() -> std::process::Command {
    let mut install = command_line(&format!(
        "cargo install trunk --version {TRUNK_VERSION} --locked --no-default-features"
    ));
    install
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1");
    install
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = locked_version("wasm-bindgen")?;
    let wanted = format!("wasm-bindgen {version}");
    if first_line("wasm-bindgen --version").as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("Installing wasm-bindgen-cli {version} from crates.io (about 3 minutes)…");
    // Not --locked: its lock file pins a dependency that not every crates.io mirror carries.
    // Only the `wasm-bindgen` binary, without the TLS client its test runner downloads with
    // (rustls and ring are not compiled).
    run_line(&format!(
        "cargo install wasm-bindgen-cli --version {version} --force --no-default-features --bin wasm-bindgen"
    ))
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

    #[test]
    fn trunk_is_compiled_without_its_fat_lto() {
        let shown = crate::cmd::describe(&trunk_install());
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
