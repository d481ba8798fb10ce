//! Debian's Caddy, run on a recipe with test-only global options, everything it writes inside
//! a temporary folder.

use super::process::{wait_for_ports, TempDir};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const CADDY: &str = "/usr/bin/caddy";

/// Where Caddy is, or why the Caddy tests cannot run on this machine.
pub fn caddy_binary() -> Result<PathBuf, String> {
    let path = PathBuf::from(CADDY);
    if !path.exists() {
        return Err(format!(
            "{CADDY} is not installed (Debian's `caddy` package; `cargo xtask test install` tries \
             to install it, and some Debian releases have none)"
        ));
    }
    match Command::new(&path).arg("version").output() {
        Ok(out) if out.status.success() => Ok(path),
        Ok(out) => Err(format!(
            "`{CADDY} version` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("cannot run {CADDY}: {e}")),
    }
}

/// A running Caddy; stopped (and its folder removed) on drop.
pub struct Caddy {
    child: Child,
    dir: TempDir,
}

impl Caddy {
    /// Runs the Caddyfile at `caddyfile` (imported as it is, placeholders filled by Caddy from
    /// `env`) with test-only global options: no admin endpoint, storage and HOME in a temp
    /// folder. Waits until `port` accepts connections.
    pub fn start(label: &str, caddyfile: &Path, env: &[(&str, &str)], port: u16) -> Caddy {
        let caddy = caddy_binary().unwrap_or_else(|why| panic!("{why}"));
        let dir = TempDir::new(label);
        let d = dir.path().display();
        let config = dir.write(
            "Caddyfile",
            &format!(
                "{{\n\tadmin off\n\tskip_install_trust\n\tstorage file_system {{\n\t\troot {d}/data\n\t}}\n}}\n\nimport {}\n",
                caddyfile.display()
            ),
        );
        let log = std::fs::File::create(dir.path().join("caddy.log")).expect("caddy log");
        let mut command = Command::new(caddy);
        command
            .arg("run")
            .arg("--config")
            .arg(&config)
            .arg("--adapter")
            .arg("caddyfile")
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("caddy log"))
            .stderr(log);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CADDY}: {e}"));
        let mut caddy = Caddy { child, dir };
        let log_file = caddy.dir.path().join("caddy.log");
        wait_for_ports(
            &format!("caddy ({label})"),
            &mut caddy.child,
            &[port],
            || std::fs::read_to_string(&log_file).unwrap_or_default(),
        );
        caddy
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("caddy.log")).unwrap_or_default()
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
