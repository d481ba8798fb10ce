//! `portainer-sim`: run the Portainer double from the command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use portainer_sim::{demo, Config, PortainerVersion};

/// A Portainer-compatible API server with seeded demo data, for Portlight's demo and tests.
///
/// It answers like Portainer 2.23 (or 2.19): same paths, JSON casing, status codes, error bodies
/// and access rules, and no CORS. Every demo access token is printed at start.
#[derive(Parser)]
#[command(name = "portainer-sim")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: SocketAddr,

    /// Portainer version to imitate: 2.23, or 2.19 (no /users/me, British 401 wording,
    /// IsComposeFormat on stacks, no ContainerEngine, no UseCache).
    #[arg(long = "version", value_name = "2.19|2.23", default_value = "2.23")]
    portainer_version: PortainerVersion,

    /// Serve a built front end from DIR at /, with an index.html fallback for unknown
    /// non-API paths (unknown /api paths stay a JSON 404).
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,

    /// Replace the demo environments and stacks with STACKS generated stacks over ENVS
    /// generated environments, e.g. 5000,200. The demo's users, teams and tokens stay (not the
    /// lab's grace and research); USERS and TEAMS (default 0) add generated users (user-0001…,
    /// each with a portlight token) and teams (team-001…) with memberships, generated groups,
    /// policies and ResourceControls, e.g. 20000,200,500,40.
    #[arg(long, value_name = "STACKS,ENVS[,USERS,TEAMS]", value_parser = parse_scale)]
    scale: Option<Scale>,

    /// Milliseconds added to every /api response.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency: u64,

    /// Seconds a request to an unreachable Docker host (environment `staging`) takes to fail,
    /// as Portainer waits for the system's connect timeout; also caps the wait for an Edge
    /// tunnel that never opens (twice the check-in interval).
    #[arg(long, value_name = "SECONDS", default_value_t = 127)]
    dial_timeout: u64,

    /// Share of /api requests that fail (0.0-1.0): a mix of 500 errors, requests that are never
    /// answered, and connection resets.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = parse_rate)]
    faults: f64,

    /// Seed of the fault generator (the same seed fails the same requests).
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,

    /// Lines a second each followed log writes (a container's or service task's Docker log, a
    /// pod's log), in at most 20 writes a second with several lines each above that; 0 writes
    /// none.
    #[arg(long, value_name = "N", default_value_t = 1)]
    log_lines_per_sec: u32,

    /// Add the compose stack busy-logs (ten running containers on environment 1, public) to
    /// follow many logs at once; without it the demo is unchanged.
    #[arg(long)]
    busy_stack: bool,
}

/// `--scale`: what to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Scale {
    stacks: usize,
    envs: usize,
    users: usize,
    teams: usize,
}

fn parse_scale(raw: &str) -> Result<Scale, String> {
    let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
    if !(2..=4).contains(&parts.len()) {
        return Err("expected STACKS,ENVS[,USERS,TEAMS], e.g. 5000,200 or 5000,200,500,40".into());
    }
    let number = |index: usize, name: &str| -> Result<usize, String> {
        parts
            .get(index)
            .map_or(Ok(0), |p| p.parse().map_err(|e| format!("{name}: {e}")))
    };
    let scale = Scale {
        stacks: number(0, "STACKS")?,
        envs: number(1, "ENVS")?,
        users: number(2, "USERS")?,
        teams: number(3, "TEAMS")?,
    };
    if scale.envs == 0 {
        return Err("ENVS must be at least 1".into());
    }
    Ok(scale)
}

fn parse_rate(raw: &str) -> Result<f64, String> {
    let rate: f64 = raw.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err("RATE must be between 0.0 and 1.0".into())
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = Config {
        listen: args.listen,
        version: args.portainer_version,
        assets: args.assets,
        scale: args.scale.map(|s| (s.stacks, s.envs)),
        scale_people: args.scale.map_or((0, 0), |s| (s.users, s.teams)),
        latency_ms: args.latency,
        dial_timeout: std::time::Duration::from_secs(args.dial_timeout),
        fault_rate: args.faults,
        seed: args.seed,
        log_lines_per_sec: args.log_lines_per_sec,
        busy_stack: args.busy_stack,
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let address = listener.local_addr()?;
    println!(
        "portainer-sim: Portainer {} on http://{address}",
        config.version.label()
    );
    if let Some(dir) = &config.assets {
        println!("front end: {} at http://{address}/", dir.display());
    }
    if let Some(s) = args.scale {
        let people = if s.users + s.teams > 0 {
            format!(", {} generated users, {} generated teams", s.users, s.teams)
        } else {
            String::new()
        };
        println!(
            "scale: {} stacks over {} environments{people}",
            s.stacks, s.envs
        );
    }
    if config.latency_ms > 0 || config.fault_rate > 0.0 {
        println!(
            "latency {} ms, faults {:.0}% (seed {})",
            config.latency_ms,
            config.fault_rate * 100.0,
            config.seed
        );
    }
    if config.busy_stack || config.log_lines_per_sec != 1 {
        let busy = if config.busy_stack {
            format!(", stack {} on environment 1", demo::BUSY_STACK)
        } else {
            String::new()
        };
        println!(
            "followed logs: {} lines a second each{busy}",
            config.log_lines_per_sec
        );
    }
    println!(
        "access tokens (password for POST /api/auth: {}):",
        demo::PASSWORD
    );
    let scaled = args.scale.is_some();
    for token in demo::TOKENS
        .iter()
        .filter(|t| !scaled || demo::kept_at_scale(t))
    {
        let note = if token.raw == demo::DELETED_USER_TOKEN {
            "  (user deleted: 401)"
        } else {
            ""
        };
        println!(
            "  {:<6} {:<11} {}{note}",
            token.username, token.description, token.raw
        );
    }
    println!(
        "  {:<6} {:<11} {}  (revoked: 401)",
        "bob",
        "revoked",
        demo::REVOKED_TOKEN
    );
    let users = args.scale.map_or(0, |s| s.users);
    if users > 0 {
        println!(
            "  {} … {}: portlight tokens derived like the demo's, e.g. {}",
            demo::scaled_username(1),
            demo::scaled_username(users),
            demo::scaled_token(1)
        );
    }
    portainer_sim::serve(listener, config).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Args::command().debug_assert();
        let args = Args::parse_from(["portainer-sim", "--version", "2.19", "--scale", "50,5"]);
        assert_eq!(args.portainer_version, PortainerVersion::V2_19);
        let scale = |stacks, envs, users, teams| Scale {
            stacks,
            envs,
            users,
            teams,
        };
        assert_eq!(args.scale, Some(scale(50, 5, 0, 0)));
        assert_eq!((args.log_lines_per_sec, args.busy_stack), (1, false));
        let busy = Args::parse_from([
            "portainer-sim",
            "--busy-stack",
            "--log-lines-per-sec",
            "200",
        ]);
        assert_eq!((busy.log_lines_per_sec, busy.busy_stack), (200, true));
        assert!(Args::try_parse_from(["portainer-sim", "--faults", "1.5"]).is_err());
        assert_eq!(
            parse_scale("20000,200,500,40"),
            Ok(scale(20000, 200, 500, 40))
        );
        assert_eq!(parse_scale("10, 2, 30"), Ok(scale(10, 2, 30, 0)));
        for bad in ["10", "10,0", "1,2,3,4,5", "1,2,x"] {
            assert!(parse_scale(bad).is_err(), "{bad}");
        }
    }
}
