//! What runs for a stack, fetched once per stack page and shared by its tabs (containers,
//! logs): compose containers by the project label, or swarm services and tasks by the stack
//! namespace, through Portainer's Docker proxy.

use super::fetching::Fetching;
use super::Session;
use crate::domain::containers::Workload;
use crate::portainer::{ApiError, Stack, StackType};

/// A stack's workload as fetched, with what Portainer sent that could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct StackWorkload {
    pub workload: Workload,
    pub unreadable: Vec<String>,
}

pub type WorkloadResource = Fetching<Result<StackWorkload, ApiError>>;

/// The stack's workload, or None for a stack whose workloads Portlight does not read through
/// the Docker API (Kubernetes, an unknown type).
pub fn stack_workload(session: Session, stack: &Stack) -> Option<WorkloadResource> {
    let (env_id, name) = (stack.endpoint_id, stack.name.clone());
    let resource = match stack.kind {
        StackType::DockerCompose => session.resource(move |client| {
            let name = name.clone();
            async move {
                let list = client.compose_stack_containers(env_id, &name).await?;
                Ok(StackWorkload {
                    unreadable: list.note("container", "containers").into_iter().collect(),
                    workload: Workload::containers(list.items),
                })
            }
        }),
        StackType::DockerSwarm => session.resource(move |client| {
            let name = name.clone();
            async move {
                let services = client.swarm_stack_services(env_id, &name).await?;
                let tasks = client.swarm_stack_tasks(env_id, &name).await?;
                let unreadable = [
                    services.note("service", "services"),
                    tasks.note("task", "tasks"),
                ];
                Ok(StackWorkload {
                    unreadable: unreadable.into_iter().flatten().collect(),
                    workload: Workload::Swarm {
                        services: services.items,
                        tasks: tasks.items,
                    },
                })
            }
        }),
        StackType::Kubernetes | StackType::Unknown(_) => return None,
    };
    Some(resource)
}
