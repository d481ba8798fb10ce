//! What runs for a stack, fetched once per stack page and shared by its tabs (containers,
//! logs): compose containers by the project label, or swarm services and tasks by the stack
//! namespace, through Portainer's Docker proxy; a Kubernetes stack's pods through its
//! Kubernetes proxy.

use super::fetching::Fetching;
use super::Session;
use crate::domain::containers::Workload;
use crate::domain::pods::{stack_pods, WORKLOAD_KINDS};
use crate::portainer::{ApiError, Stack, StackType};

/// A stack's workload as fetched, with what Portainer sent that could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct StackWorkload {
    pub workload: Workload,
    pub unreadable: Vec<String>,
}

pub type WorkloadResource = Fetching<Result<StackWorkload, ApiError>>;

/// The stack's workload, or None for a stack of a type Portlight does not know.
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
        StackType::Kubernetes => {
            let (stack_id, namespace) = (stack.id, stack.namespace.clone());
            session.resource(move |client| {
                let namespace = namespace.clone();
                async move {
                    let objects = client
                        .kube_stack_objects(env_id, &namespace, stack_id, &WORKLOAD_KINDS)
                        .await?;
                    Ok(StackWorkload {
                        workload: Workload::Pods(stack_pods(
                            stack_id,
                            objects.pods,
                            &objects.workloads,
                        )),
                        unreadable: objects.unreadable,
                    })
                }
            })
        }
        StackType::Unknown(_) => return None,
    };
    Some(resource)
}
