//! What runs for a stack ([`Workload`]: compose containers, swarm services and tasks, or
//! Kubernetes pods) and
//! how the stack detail shows it: health read from Docker's status text, ports in Docker's own
//! notation, replicas running versus wanted.

use crate::portainer::{ContainerSummary, Port, ServiceMode, ServiceSummary, TaskSummary};

/// What runs for a stack, as Portainer's Docker or Kubernetes proxy lists it.
#[derive(Clone, Debug, PartialEq)]
pub enum Workload {
    /// A compose stack's containers (running or not), problems first.
    Containers(Vec<ContainerSummary>),
    /// A swarm stack's services and their tasks.
    Swarm {
        services: Vec<ServiceSummary>,
        tasks: Vec<TaskSummary>,
    },
    /// A Kubernetes stack's pods, problems first.
    Pods(Vec<crate::domain::pods::StackPod>),
}

impl Workload {
    /// A compose stack's containers, sorted for display.
    pub fn containers(mut list: Vec<ContainerSummary>) -> Self {
        sort_for_display(&mut list);
        Self::Containers(list)
    }

    /// Nothing runs: Portainer removes a compose stack's containers (`compose down`) and a swarm
    /// stack's services (`stack rm`) when the stack is stopped.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Containers(list) => list.is_empty(),
            Self::Swarm { services, tasks } => services.is_empty() && tasks.is_empty(),
            Self::Pods(pods) => pods.is_empty(),
        }
    }
}

/// A container's health check, as Docker's `Status` text reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Healthy,
    Unhealthy,
    Starting,
    /// No health check configured.
    None,
}

impl Health {
    /// Docker appends `(healthy)`, `(unhealthy)` or `(health: starting)` to `Status`.
    pub fn from_status(status: &str) -> Self {
        if status.contains("(unhealthy)") {
            Self::Unhealthy
        } else if status.contains("(healthy)") {
            Self::Healthy
        } else if status.contains("(health: starting)") {
            Self::Starting
        } else {
            Self::None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Unhealthy => "unhealthy",
            Self::Starting => "starting",
            Self::None => "no health check",
        }
    }
}

/// `0.0.0.0:8080→80/tcp, 443/tcp`: published ports first; the IPv4 and IPv6 bindings Docker
/// lists for one mapping are shown once.
pub fn ports_label(ports: &[Port]) -> String {
    let mut parts: Vec<String> = ports
        .iter()
        .map(|p| match p.public_port {
            Some(public) => {
                let ip = p.ip.as_deref().filter(|ip| !ip.is_empty() && *ip != "::");
                match ip {
                    Some(ip) => format!("{ip}:{public}→{}/{}", p.private_port, p.protocol),
                    None => format!("{public}→{}/{}", p.private_port, p.protocol),
                }
            }
            None => format!("{}/{}", p.private_port, p.protocol),
        })
        .collect();
    // Published mappings first, then by text.
    crate::domain::order::sort_with(&mut parts, &|a, b| {
        (!a.contains('→'), a).cmp(&(!b.contains('→'), b))
    });
    parts.dedup();
    // "0.0.0.0:80→80/tcp" and the IPv6 twin "80→80/tcp" are one mapping.
    let published: Vec<String> = parts.iter().filter(|p| p.contains(':')).cloned().collect();
    parts.retain(|p| p.contains(':') || !published.iter().any(|q| q.ends_with(&format!(":{p}"))));
    parts.join(", ")
}

/// "2/3 running" for a replicated service, "global: 2 running" for a global one.
pub fn replicas_label(service: &ServiceSummary, tasks: &[TaskSummary]) -> String {
    let running = tasks
        .iter()
        .filter(|t| t.service_id == service.id && t.status.state == "running")
        .count();
    match service.spec.mode {
        ServiceMode::Replicated { replicas } => format!("{running}/{replicas} running"),
        ServiceMode::Global => format!("global: {running} running"),
        ServiceMode::ReplicatedJob | ServiceMode::GlobalJob => format!("job: {running} running"),
        ServiceMode::Unknown => format!("{running} running"),
    }
}

/// A task as Docker names its container: `<service>.<slot>` (global services have no slot).
pub fn task_name(task: &TaskSummary, services: &[ServiceSummary]) -> String {
    let service = services
        .iter()
        .find(|s| s.id == task.service_id)
        .map_or_else(
            || {
                task.service_id
                    .get(..12)
                    .unwrap_or(&task.service_id)
                    .to_string()
            },
            |s| s.spec.name.clone(),
        );
    match task.slot {
        Some(slot) => format!("{service}.{slot}"),
        None => service,
    }
}

/// Containers sorted the way an operator scans them: problems first, then by name.
pub fn sort_for_display(containers: &mut Vec<ContainerSummary>) {
    let rank = |c: &ContainerSummary| match (c.state.as_str(), Health::from_status(&c.status)) {
        (_, Health::Unhealthy) => 0,
        ("restarting" | "dead", _) => 1,
        ("exited" | "created", _) => 2,
        _ => 3,
    };
    crate::domain::order::sort_with(containers, &|a, b| {
        (rank(a), a.display_name()).cmp(&(rank(b), b.display_name()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portainer::{ServiceSpec, TaskStatus};

    fn port(ip: Option<&str>, public: Option<u16>, private: u16) -> Port {
        Port {
            ip: ip.map(str::to_string),
            private_port: private,
            public_port: public,
            protocol: "tcp".into(),
        }
    }

    #[test]
    fn health_comes_from_dockers_status_text() {
        assert_eq!(Health::from_status("Up 2 hours (healthy)"), Health::Healthy);
        assert_eq!(
            Health::from_status("Up 2 hours (unhealthy)"),
            Health::Unhealthy
        );
        assert_eq!(
            Health::from_status("Up 1 second (health: starting)"),
            Health::Starting
        );
        assert_eq!(Health::from_status("Exited (1) 3 hours ago"), Health::None);
    }

    #[test]
    fn ports_show_each_mapping_once_published_first() {
        let ports = [
            port(None, None, 9000),
            port(Some("0.0.0.0"), Some(8080), 80),
            port(Some("::"), Some(8080), 80),
        ];
        assert_eq!(ports_label(&ports), "0.0.0.0:8080→80/tcp, 9000/tcp");
        assert_eq!(ports_label(&[]), "");
    }

    #[test]
    fn replicas_count_running_tasks_of_the_service_only() {
        let service = ServiceSummary {
            id: "s1".into(),
            spec: ServiceSpec {
                mode: ServiceMode::Replicated { replicas: 3 },
                ..ServiceSpec::default()
            },
            ..ServiceSummary::default()
        };
        let task = |service: &str, state: &str| TaskSummary {
            service_id: service.into(),
            status: TaskStatus {
                state: state.into(),
                ..TaskStatus::default()
            },
            ..TaskSummary::default()
        };
        let tasks = [
            task("s1", "running"),
            task("s1", "failed"),
            task("s2", "running"),
            task("s1", "running"),
        ];
        assert_eq!(replicas_label(&service, &tasks), "2/3 running");
        let global = ServiceSummary {
            spec: ServiceSpec {
                mode: ServiceMode::Global,
                ..ServiceSpec::default()
            },
            ..service
        };
        assert_eq!(replicas_label(&global, &tasks), "global: 2 running");
    }

    #[test]
    fn tasks_are_named_after_their_service_and_slot() {
        let service = ServiceSummary {
            id: "s1".into(),
            spec: ServiceSpec {
                name: "pay_api".into(),
                ..ServiceSpec::default()
            },
            ..ServiceSummary::default()
        };
        let task = |service: &str, slot| TaskSummary {
            service_id: service.into(),
            slot,
            ..TaskSummary::default()
        };
        assert_eq!(
            task_name(&task("s1", Some(2)), std::slice::from_ref(&service)),
            "pay_api.2"
        );
        assert_eq!(
            task_name(&task("s1", None), std::slice::from_ref(&service)),
            "pay_api"
        );
        assert_eq!(
            task_name(&task("0123456789abcdef", Some(1)), &[service]),
            "0123456789ab.1"
        );
    }

    #[test]
    fn unhealthy_and_stopped_containers_come_first() {
        let c = |name: &str, state: &str, status: &str| ContainerSummary {
            names: vec![format!("/{name}")],
            state: state.into(),
            status: status.into(),
            ..ContainerSummary::default()
        };
        let mut list = vec![
            c("a-web", "running", "Up 1 hour"),
            c("b-worker", "exited", "Exited (1) 2 hours ago"),
            c("c-db", "running", "Up 1 hour (unhealthy)"),
        ];
        sort_for_display(&mut list);
        let names: Vec<&str> = list.iter().map(|c| c.display_name()).collect();
        assert_eq!(names, ["c-db", "b-worker", "a-web"]);
    }

    fn container(id: &str, name: &str, state: &str) -> ContainerSummary {
        ContainerSummary {
            id: id.into(),
            names: vec![format!("/{name}")],
            state: state.into(),
            ..ContainerSummary::default()
        }
    }

    #[test]
    fn tasks_are_named_as_docker_names_their_containers() {
        let compose = Workload::containers(vec![container("aaa", "web-1", "running")]);
        assert!(!compose.is_empty());
        let service = ServiceSummary {
            id: "svc".into(),
            spec: ServiceSpec {
                name: "api".into(),
                ..ServiceSpec::default()
            },
            ..ServiceSummary::default()
        };
        let task = |slot: Option<u64>, service_id: &str| TaskSummary {
            id: "t1".into(),
            service_id: service_id.into(),
            slot,
            status: TaskStatus {
                state: "running".into(),
                ..TaskStatus::default()
            },
            ..TaskSummary::default()
        };
        let services = [service];
        assert_eq!(task_name(&task(Some(2), "svc"), &services), "api.2");
        assert_eq!(
            task_name(&task(None, "svc"), &services),
            "api",
            "a global service's task"
        );
        assert_eq!(
            task_name(&task(Some(1), "0123456789abcdef"), &services),
            "0123456789ab.1"
        );
    }

    #[test]
    fn a_stopped_stack_has_an_empty_workload() {
        assert!(Workload::containers(Vec::new()).is_empty());
        let swarm = Workload::Swarm {
            services: Vec::new(),
            tasks: Vec::new(),
        };
        assert!(swarm.is_empty());
    }
}
