//! Display labels of Portainer's enums, shared by every page: each known value in words, an
//! unknown one with its number.

use crate::portainer::{EndpointStatus, EndpointType, StackStatus, StackType};
use std::borrow::Cow;

fn unknown(n: u32) -> Cow<'static, str> {
    Cow::Owned(format!("Unknown ({n})"))
}

/// How Portainer reaches the environment, e.g. "Docker agent".
pub fn environment_type_label(kind: EndpointType) -> Cow<'static, str> {
    Cow::Borrowed(match kind {
        EndpointType::Docker => "Docker",
        EndpointType::AgentOnDocker => "Docker agent",
        EndpointType::Azure => "Azure ACI",
        EndpointType::EdgeAgentOnDocker => "Edge agent (Docker)",
        EndpointType::KubernetesLocal => "Kubernetes local",
        EndpointType::AgentOnKubernetes => "Kubernetes agent",
        EndpointType::EdgeAgentOnKubernetes => "Edge agent (Kubernetes)",
        EndpointType::Unknown(n) => return unknown(n),
    })
}

pub fn environment_status_label(status: EndpointStatus) -> Cow<'static, str> {
    Cow::Borrowed(match status {
        EndpointStatus::Up => "Up",
        EndpointStatus::Down => "Down",
        EndpointStatus::Unknown(n) => return unknown(n),
    })
}

pub fn stack_type_label(kind: StackType) -> Cow<'static, str> {
    Cow::Borrowed(match kind {
        StackType::DockerSwarm => "Swarm",
        StackType::DockerCompose => "Compose",
        StackType::Kubernetes => "Kubernetes",
        StackType::Unknown(n) => return unknown(n),
    })
}

pub fn stack_status_label(status: StackStatus) -> Cow<'static, str> {
    Cow::Borrowed(match status {
        StackStatus::Active => "Active",
        StackStatus::Inactive => "Inactive",
        StackStatus::Unknown(n) => return unknown(n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let env_labels: Vec<_> = (0..=8)
            .map(|n| environment_type_label(EndpointType::from_u32(n)))
            .collect();
        assert_eq!(
            env_labels,
            [
                "Unknown (0)",
                "Docker",
                "Docker agent",
                "Azure ACI",
                "Edge agent (Docker)",
                "Kubernetes local",
                "Kubernetes agent",
                "Edge agent (Kubernetes)",
                "Unknown (8)"
            ]
        );
        let stack_labels: Vec<_> = (1..=4)
            .map(|n| stack_type_label(StackType::from_u32(n)))
            .collect();
        assert_eq!(
            stack_labels,
            ["Swarm", "Compose", "Kubernetes", "Unknown (4)"]
        );
        assert_eq!(stack_status_label(StackStatus::Active), "Active");
        assert_eq!(stack_status_label(StackStatus::Inactive), "Inactive");
        assert_eq!(environment_status_label(EndpointStatus::Down), "Down");
        assert_eq!(environment_status_label(EndpointStatus::Up), "Up");
    }
}
