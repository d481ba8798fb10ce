//! Whether Portainer reaches an environment's Docker host, and how long it takes to find out.
//! Portainer never looks at `Endpoint.Status` before it dials (no handler of the Docker proxy
//! or of the stack actions reads it): a host that is down is found out by dialing it.
//! See docs/portainer-api.md §5 and §11.

use std::time::Duration;

use crate::model::endpoint::{Endpoint, ENV_DOWN};
use crate::PortainerVersion;

/// Why the Docker host could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// The dial failed (the environment is down): the Docker client's own words.
    Dial(String),
    /// An Edge environment whose agent never opened its reverse tunnel.
    Tunnel,
}

impl Unreachable {
    /// What the Docker Go client (`github.com/docker/docker/client`) says about a host it
    /// could not connect to, as Portainer passes it on.
    pub fn text(&self) -> String {
        match self {
            Unreachable::Dial(text) => text.clone(),
            // `api/chisel/tunnel.go` `TunnelAddr` (2.23).
            Unreachable::Tunnel => "unable to open the tunnel".into(),
        }
    }
}

/// Dials the environment's Docker host the way Portainer would: `Ok` at once when it is up;
/// otherwise the failure after the wait Portainer would have: an unreachable host costs the
/// connect timeout (`dial`), an Edge environment without a tunnel twice its check-in interval
/// (`api/chisel/tunnel.go`: 2.23 `TunnelAddr` polls until `2 * interval`, 2.19
/// `GetActiveTunnel` sleeps that long), capped by `dial` so tests can shorten both.
pub async fn dial(env: &Endpoint, dial: Duration) -> Result<(), Unreachable> {
    if env.is_edge() {
        let interval = Duration::from_secs(env.edge_checkin_interval.max(1) as u64);
        tokio::time::sleep((interval * 2).min(dial)).await;
        return Err(Unreachable::Tunnel);
    }
    if !host_up(env) {
        tokio::time::sleep(dial).await;
        return Err(Unreachable::Dial(format!(
            "Cannot connect to the Docker daemon at {}. Is the docker daemon running?",
            env.url
        )));
    }
    Ok(())
}

/// Whether a dial of this (non-Edge) environment's host would succeed, without waiting.
pub fn host_up(env: &Endpoint) -> bool {
    env.status != ENV_DOWN && !env.host_down
}

/// The Docker client's words for an Edge environment whose tunnel did not open, by version:
/// 2.23 fails with the tunnel's error; 2.19 waits without error, then dials the tunnel's
/// local port, where nothing listens.
pub fn tunnel_failure(version: PortainerVersion) -> String {
    match version {
        PortainerVersion::V2_23 => Unreachable::Tunnel.text(),
        PortainerVersion::V2_19 => {
            "Cannot connect to the Docker daemon at tcp://127.0.0.1:49152. Is the docker daemon running?".into()
        }
    }
}
