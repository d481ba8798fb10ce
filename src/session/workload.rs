//! What runs for a stack, fetched once per stack page and shared by its tabs (containers,
//! logs): compose containers by the project label, or swarm services and tasks by the stack
//! namespace, through Portainer's Docker proxy.

use super::Session;
use crate::domain::containers::Workload;
use crate::portainer::{ApiError, Stack, StackType};
use leptos::prelude::*;

/// The stack's workload, or None for a stack whose workloads Portlight does not read through
/// the Docker API (Kubernetes, an unknown type).
pub fn stack_workload(
    session: Session,
    stack: &Stack,
) -> Option<LocalResource<Result<Workload, ApiError>>> {
    let (env_id, name) = (stack.endpoint_id, stack.name.clone());
    let resource = match stack.kind {
        StackType::DockerCompose => session.resource(move |client| {
            let name = name.clone();
            async move {
                let list = client.compose_stack_containers(env_id, &name).await?;
                Ok(Workload::containers(list))
            }
        }),
        StackType::DockerSwarm => session.resource(move |client| {
            let name = name.clone();
            async move {
                let services = client.swarm_stack_services(env_id, &name).await?;
                let tasks = client.swarm_stack_tasks(env_id, &name).await?;
                Ok(Workload::Swarm { services, tasks })
            }
        }),
        StackType::Kubernetes | StackType::Unknown(_) => return None,
    };
    Some(resource)
}
