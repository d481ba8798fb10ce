//! `portainer-sim`: an honest double of the Portainer 2.23 (or 2.19) REST API.
//!
//! It serves the endpoints Portlight uses with Portainer's own paths, JSON field casing, status
//! codes, error bodies and access rules (see `docs/portainer-api.md`), from seeded,
//! deterministic in-memory data. The personas and their tokens are listed in [`demo`].
//!
//! Tests start it with [`spawn`] (own thread, own runtime, random port); the binary calls
//! [`serve`].

// The blank `DockerSnapshotRaw` literal is a large `json!`.
#![recursion_limit = "256"]

use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::thread::JoinHandle;

mod assets;
mod auth;
mod clock;
mod compose_check;
pub mod demo;
mod error;
mod faults;
mod handlers;
pub mod hostile;
mod model;
mod payload;
mod query;
mod reach;
mod scale;
mod seed;
mod server;
mod state;

/// The Portainer release the simulator imitates. Only the differences listed in §9 of
/// `docs/portainer-api.md` are modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PortainerVersion {
    /// 2.19.4: no `/users/me`, British 401 wording, `IsComposeFormat` on stacks, no
    /// `ContainerEngine`, no `UseCache`, no CSRF wrapper, JWT looked up before the API key.
    V2_19,
    /// 2.23.0.
    #[default]
    V2_23,
}

impl PortainerVersion {
    /// The `Version` reported by `/api/system/status`.
    pub fn label(self) -> &'static str {
        match self {
            PortainerVersion::V2_19 => "2.19.4",
            PortainerVersion::V2_23 => "2.23.0",
        }
    }
}

impl FromStr for PortainerVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "2.19" | "2.19.4" => Ok(PortainerVersion::V2_19),
            "2.23" | "2.23.0" => Ok(PortainerVersion::V2_23),
            other => Err(format!("unsupported version {other:?} (use 2.19 or 2.23)")),
        }
    }
}

/// How the simulator runs. `Config::default()` is the seeded demo on 2.23.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address for [`serve`] when started from the command line (ignored by [`spawn`]).
    pub listen: SocketAddr,
    pub version: PortainerVersion,
    /// Serve a built front end from this directory at `/`, with an `index.html` fallback.
    pub assets: Option<PathBuf>,
    /// `(stacks, environments)`: replace the demo environments and stacks with generated ones.
    pub scale: Option<(usize, usize)>,
    /// `(users, teams)` generated with `scale` (ignored without it), after the demo's people,
    /// with memberships, policies and ResourceControls; `(0, 0)` keeps the demo's people only.
    pub scale_people: (usize, usize),
    /// Added to every `/api` response.
    pub latency_ms: u64,
    /// How long dialing an unreachable Docker host takes before it fails. Portainer waits for
    /// the operating system's connect timeout (about 127 s on Linux); it also caps the wait for
    /// an Edge tunnel (twice the check-in interval), so tests can shorten both.
    pub dial_timeout: std::time::Duration,
    /// Share (0.0–1.0) of `/api` requests that fail: a 500, a hang or a connection reset.
    pub fault_rate: f64,
    /// Seed of the fault generator.
    pub seed: u64,
    /// Lines each followed log source writes a second: a container's Docker log, each task of
    /// a service's log, a pod's container log. They come in at most 20 writes a second, several
    /// lines a write above that, their times increasing. 1 (the default) is one line a second;
    /// 0 writes nothing new (the answer stays open).
    pub log_lines_per_sec: u32,
    /// Adds the compose stack [`demo::BUSY_STACK`] (ten running containers on environment 1)
    /// for following many logs at once; off by default, so the demo's ids are untouched.
    pub busy_stack: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 9000)),
            version: PortainerVersion::V2_23,
            assets: None,
            scale: None,
            scale_people: (0, 0),
            latency_ms: 0,
            dial_timeout: std::time::Duration::from_secs(127),
            fault_rate: 0.0,
            seed: 1,
            log_lines_per_sec: 1,
            busy_stack: false,
        }
    }
}

/// Serves the simulator on `listener` until the future is dropped or accepting fails.
pub async fn serve(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    let sim = Arc::new(state::Sim::new(config));
    server::run(listener, sim).await
}

/// A simulator running on its own thread; dropping it stops the server.
pub struct SimHandle {
    url: String,
    sim: Arc<state::Sim>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the simulator on 127.0.0.1 with a free port (ignoring `config.listen`) and returns
/// at once; the port is bound before this returns, so requests can be sent immediately.
pub fn spawn(config: Config) -> SimHandle {
    let listener = StdTcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
    listener
        .set_nonblocking(true)
        .expect("set listener non-blocking");
    let addr = listener.local_addr().expect("listener address");
    let sim = Arc::new(state::Sim::new(config));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server_sim = sim.clone();
    let thread = std::thread::Builder::new()
        .name(format!("portainer-sim-{}", addr.port()))
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                tokio::select! {
                    result = server::run(listener, server_sim) => {
                        if let Err(err) = result {
                            eprintln!("portainer-sim stopped: {err}");
                        }
                    }
                    _ = stop_rx => {}
                }
            });
            // Open connections (log follows, injected hangs) die with the runtime.
            runtime.shutdown_background();
        })
        .expect("spawn simulator thread");
    SimHandle {
        url: format!("http://{addr}"),
        sim,
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Every `/api` request received so far, as `(method, path without query)`, in order.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.sim
            .recorded_requests()
            .into_iter()
            .map(|(method, path, _)| (method, path))
            .collect()
    }

    /// The paths of the `/api` requests received so far that carried an `X-API-Key`.
    pub fn keyed_paths(&self) -> Vec<String> {
        self.sim
            .recorded_requests()
            .into_iter()
            .filter(|(_, _, keyed)| *keyed)
            .map(|(_, path, _)| path)
            .collect()
    }

    /// Forgets all recorded requests.
    pub fn clear_requests(&self) {
        self.sim.clear_recorded_requests();
    }

    /// Revokes an access token by its raw value, as `DELETE /api/users/{id}/tokens/{keyId}`
    /// would. Returns false when no stored token has that value.
    pub fn revoke_token(&self, raw: &str) -> bool {
        self.sim.revoke_token(raw)
    }

    /// From now on, `/api` requests the rule matches get its hostile answer (see [`hostile`]).
    pub fn answer_with(&self, rule: hostile::Hostile) {
        self.sim.hostile.add(rule);
    }

    /// Removes every hostile rule: Portainer's own answers again.
    pub fn behave(&self) {
        self.sim.hostile.clear();
    }

    /// Sets `SecuritySettings.allowStackManagementForRegularUsers` of an environment.
    /// Returns false when the environment does not exist.
    pub fn set_stack_management(&self, env_id: i64, allowed: bool) -> bool {
        self.sim.set_stack_management(env_id, allowed)
    }

    /// Makes an environment's Docker host stop (or resume) answering, without changing the
    /// environment's `Status`, as happens between two of Portainer's snapshots. Returns false
    /// when the environment does not exist.
    pub fn set_host_down(&self, env_id: i64, down: bool) -> bool {
        self.sim.set_host_down(env_id, down)
    }

    /// Removes a container the way `docker rm -f` on the host would, behind Portainer's back:
    /// by its name as Docker lists it (`monitoring-grafana-1`, with or without the leading
    /// `/`). Later calls for it get Docker's `404 No such container` (admins) or Portainer's
    /// failed inspect (others, §5.4). Its ResourceControl, if any, stays. Returns false when
    /// the environment has no container of that name.
    pub fn remove_container(&self, env_id: i64, name: &str) -> bool {
        self.sim.remove_container(env_id, name)
    }

    /// Changes a stack record the way another Portainer user (or a direct database edit)
    /// would: its name and status. Returns false when the stack does not exist.
    pub fn edit_stack(&self, id: i64, name: Option<&str>, status: Option<i64>) -> bool {
        self.sim.edit_stack(id, name, status)
    }

    /// Sets a stack's `AutoUpdate.Interval` the way a direct database edit would (any text,
    /// even one Portainer's own forms refuse), keeping its other auto-update settings or
    /// creating them empty (no job id yet); `None` removes `AutoUpdate`. Returns false when the
    /// stack does not exist.
    pub fn set_stack_auto_update(&self, id: i64, interval: Option<&str>) -> bool {
        self.sim.set_stack_auto_update(id, interval)
    }

    /// A stack as `GET /api/stacks/{id}` gives it to an administrator (without its
    /// ResourceControl); `None` when it does not exist.
    pub fn stack(&self, id: i64) -> Option<serde_json::Value> {
        let stored = self.sim.read().stack(id)?.view(self.sim.version, None);
        serde_json::to_value(stored).ok()
    }

    /// The credentials each git clone so far (a git redeploy's) was sent with, in order, as
    /// Portainer hands them to its git client (`api/git/git.go` `getAuth`): `None` for an
    /// anonymous clone, else `(username, password)`, the username `token` when none was given.
    pub fn git_clones(&self) -> Vec<Option<(String, String)>> {
        self.sim.git_clones()
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
