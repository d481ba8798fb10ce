//! What every server under test needs from the system: a folder of its own, a free port,
//! waiting until it listens, and stopping it.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a server may take to answer on its port after it was started.
const START: Duration = Duration::from_secs(20);

/// A folder of its own under the system temp dir, removed on drop. Readable by everyone, so
/// nginx workers (user `nobody` when the tests run as root) can reach the files in it.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "portlight-deploy-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        set_mode(&path, 0o755);
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a file in this folder and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let file = self.path.join(name);
        std::fs::write(&file, contents)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        set_mode(&file, 0o644);
        file
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub(super) fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Waits until each of `ports` accepts connections on 127.0.0.1. Fails the test, with
/// `logs()`, when `child` exits first or a port stays closed for too long.
pub(super) fn wait_for_ports(
    what: &str,
    child: &mut Child,
    ports: &[u16],
    logs: impl Fn() -> String,
) {
    let start = Instant::now();
    for port in ports {
        let addr = SocketAddr::from(([127, 0, 0, 1], *port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{what} exited at start ({status}):\n{}", logs());
            }
            if start.elapsed() > START {
                let _ = child.kill();
                panic!(
                    "{what} did not listen on {addr} within {START:?}:\n{}",
                    logs()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Sends SIGTERM, so that a master process (nginx) stops its workers, which SIGKILL would
/// leave running; then stops the child as [`stop`] does.
pub(super) fn terminate(child: &mut Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        if pid > 1 {
            // SAFETY: kill(2) on the one process this handle started; nothing is shared.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
    }
    stop(child);
}

/// Waits up to a few seconds for a child to exit, then kills it.
fn stop(child: &mut Child) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
