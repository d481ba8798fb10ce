//! Health in the stack list: how many of each stack's containers (or swarm replicas) run and
//! how many fail their health check, from a few Docker lists per environment instead of one
//! request per stack. [`probes`] says what to ask each environment, [`EnvHealth::read`] turns
//! its answers into counts by stack, and [`StackHealth::of`] finds a row's counts.

#[cfg(test)]
mod tests;

use super::containers::Health;
use super::failures::{explain, Asked};
use super::stack_rows::{EnvInfo, StackRow};
use crate::portainer::paths::{normalize_stack_name, COMPOSE_PROJECT, STACK_NAMESPACE};
use crate::portainer::{
    ApiError, ContainerSummary, ServiceMode, ServiceSummary, StackType, TaskSummary,
};
use std::collections::BTreeMap;

/// Above this many environments to ask, the automatic setting does not check health: the
/// operator turns it on (see `Preferences::health`).
pub const AUTO_MAX_ENVIRONMENTS: usize = 50;

/// Environments asked at once: browsers open six connections per origin over HTTP/1.1, and
/// the rest of the page (the list's refresh, a click) needs one too.
pub const CONCURRENT_ENVIRONMENTS: usize = 4;

/// Running and wanted containers (replicas for a swarm stack), and how many of them report
/// `(unhealthy)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub running: u32,
    pub total: u32,
    pub unhealthy: u32,
}

/// The filter's classes, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HealthClass {
    /// At least one container fails its health check.
    Unhealthy,
    /// Some, not all, running.
    Partly,
    /// Nothing running (a stopped stack, or every container exited).
    Down,
    /// Everything wanted runs.
    Running,
    /// The environment did not answer.
    Unknown,
}

impl HealthClass {
    pub const ALL: [Self; 5] = [
        Self::Unhealthy,
        Self::Partly,
        Self::Down,
        Self::Running,
        Self::Unknown,
    ];

    pub const fn url_name(self) -> &'static str {
        match self {
            Self::Unhealthy => "unhealthy",
            Self::Partly => "partly",
            Self::Down => "down",
            Self::Running => "running",
            Self::Unknown => "unknown",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.url_name() == name)
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Unhealthy => "Unhealthy",
            Self::Partly => "Partly running",
            Self::Down => "Not running",
            Self::Running => "All running",
            Self::Unknown => "Unknown",
        }
    }
}

impl Counts {
    pub fn class(self) -> HealthClass {
        if self.unhealthy > 0 {
            HealthClass::Unhealthy
        } else if self.running == 0 {
            HealthClass::Down
        } else if self.running < self.total {
            HealthClass::Partly
        } else {
            HealthClass::Running
        }
    }
}

/// What to ask one environment: its containers, and for swarm stacks its services and tasks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub endpoint_id: u32,
    /// The label key the container list is filtered by; None lists every container (an
    /// environment with both kinds of stack: Docker ANDs label filters, it cannot OR them).
    pub containers_label: Option<&'static str>,
    pub swarm: bool,
}

/// One probe per environment holding a compose or swarm stack the token can reach, in
/// environment id order. Kubernetes stacks, and environments the token cannot reach or that
/// no longer exist, are not asked.
pub fn probes(rows: &[StackRow]) -> Vec<Probe> {
    let mut kinds: BTreeMap<u32, (bool, bool)> = BTreeMap::new();
    for row in rows {
        if !matches!(row.env, EnvInfo::Known { .. }) {
            continue;
        }
        let (compose, swarm) = match row.kind {
            StackType::DockerCompose => (true, false),
            StackType::DockerSwarm => (false, true),
            _ => continue,
        };
        let entry = kinds.entry(row.endpoint_id).or_default();
        entry.0 |= compose;
        entry.1 |= swarm;
    }
    kinds
        .into_iter()
        .map(|(endpoint_id, (compose, swarm))| Probe {
            endpoint_id,
            containers_label: match (compose, swarm) {
                (true, true) => None,
                (true, false) => Some(COMPOSE_PROJECT),
                _ => Some(STACK_NAMESPACE),
            },
            swarm,
        })
        .collect()
}

/// One environment's counts by stack: compose projects and swarm namespaces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvCounts {
    pub compose: BTreeMap<String, Counts>,
    pub swarm: BTreeMap<String, Counts>,
}

/// An environment's answer: its counts, or why it gave none.
pub type EnvHealth = Result<EnvCounts, Unanswered>;

/// Why an environment gave no counts: a few words for the cell, and the whole story.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unanswered {
    pub brief: &'static str,
    pub whole: String,
}

impl Unanswered {
    pub fn from_error(err: &ApiError) -> Self {
        let diagnosis = explain(err, Asked::DockerList);
        let lower = err
            .portainer_message()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let brief = match err {
            _ if lower.contains("tunnel") => "Edge agent not connected",
            ApiError::Forbidden { .. } => "access refused",
            ApiError::Network { .. } => "Portainer unreachable",
            _ if diagnosis.is_some() => "Docker host unreachable",
            _ => "error",
        };
        let whole = match diagnosis {
            Some(d) => format!("{err} {}", d.cause),
            None => err.to_string(),
        };
        Self { brief, whole }
    }
}

impl EnvCounts {
    /// Counts from the environment's lists. A compose stack counts its project's containers; a
    /// swarm stack counts its services' wanted replicas (a global service wants one task per
    /// node, so its running-or-wanted tasks) against the tasks running, and its containers'
    /// health checks.
    pub fn read(
        containers: &[ContainerSummary],
        services: &[ServiceSummary],
        tasks: &[TaskSummary],
    ) -> Self {
        let mut counts = Self::default();
        for c in containers {
            let unhealthy = u32::from(Health::from_status(&c.status) == Health::Unhealthy);
            if let Some(ns) = c.labels.get(STACK_NAMESPACE) {
                counts.swarm.entry(ns.clone()).or_default().unhealthy += unhealthy;
            } else if let Some(project) = c.labels.get(COMPOSE_PROJECT) {
                let entry = counts.compose.entry(project.clone()).or_default();
                entry.total += 1;
                entry.running += u32::from(c.state == "running");
                entry.unhealthy += unhealthy;
            }
        }
        for s in services {
            let Some(ns) = s.spec.labels.get(STACK_NAMESPACE) else {
                continue;
            };
            let mine = || tasks.iter().filter(|t| t.service_id == s.id);
            let running = mine()
                .filter(|t| t.status.state == "running" && t.desired_state == "running")
                .count() as u32;
            let wanted = match s.spec.mode {
                ServiceMode::Replicated { replicas } => replicas.min(u32::MAX.into()) as u32,
                _ => mine().filter(|t| t.desired_state == "running").count() as u32,
            };
            let entry = counts.swarm.entry(ns.clone()).or_default();
            entry.running += running;
            entry.total += wanted.max(running);
        }
        counts
    }
}

/// A row's health as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackHealth {
    /// Its environment has not answered yet.
    Pending,
    Counted(Counts),
    /// Its environment did not answer: why.
    Unknown(Unanswered),
    /// Not checked: a Kubernetes stack, an environment the token cannot reach, or health off.
    NotChecked,
}

impl StackHealth {
    /// The row's health from the answers so far (`envs`: environment id → answer; a missing
    /// id is still pending). A stack absent from its environment's answer runs nothing.
    pub fn of(row: &StackRow, envs: &BTreeMap<u32, EnvHealth>) -> Self {
        let compose = match row.kind {
            StackType::DockerCompose => true,
            StackType::DockerSwarm => false,
            _ => return Self::NotChecked,
        };
        if !matches!(row.env, EnvInfo::Known { .. }) {
            return Self::NotChecked;
        }
        match envs.get(&row.endpoint_id) {
            None => Self::Pending,
            Some(Err(why)) => Self::Unknown(why.clone()),
            Some(Ok(counts)) => {
                let found = if compose {
                    counts.compose.get(&normalize_stack_name(&row.name))
                } else {
                    counts.swarm.get(&row.name)
                };
                Self::Counted(found.copied().unwrap_or_default())
            }
        }
    }

    pub fn class(&self) -> Option<HealthClass> {
        match self {
            Self::Counted(c) => Some(c.class()),
            Self::Unknown(_) => Some(HealthClass::Unknown),
            Self::Pending | Self::NotChecked => None,
        }
    }

    /// "2/3 running" (swarm: replicas), or None when not counted.
    pub fn running_label(&self, swarm: bool) -> Option<String> {
        match self {
            Self::Counted(c) if c.total == 0 => Some(
                if swarm {
                    "no replicas"
                } else {
                    "no containers"
                }
                .to_string(),
            ),
            Self::Counted(c) => Some(format!("{}/{} running", c.running, c.total)),
            _ => None,
        }
    }
}

/// Each row's class, in row order, for the health filter.
pub fn classes(rows: &[StackRow], envs: &BTreeMap<u32, EnvHealth>) -> Vec<Option<HealthClass>> {
    rows.iter()
        .map(|row| StackHealth::of(row, envs).class())
        .collect()
}
