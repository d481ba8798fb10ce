//! What a Kubernetes stack runs, read through Portainer's Kubernetes proxy
//! (docs/portainer-api.md §15): the namespace's pods and the stack's workloads, in one wave
//! of four requests.

use super::error::ApiError;
use super::listed::decode_kube_list;
use super::models::{KubeWorkload, Pod};
use super::whoami::join_all;
use super::{paths, Client};
use gloo_net::http::Method;

/// A namespace's pods and a stack's workloads with their kind, and the items of either that
/// could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KubeStackObjects {
    pub pods: Vec<Pod>,
    pub workloads: Vec<(&'static str, KubeWorkload)>,
    pub unreadable: Vec<String>,
}

impl Client {
    /// The pods of `namespace` and the `kinds` (`(kind, resource)`, e.g. `("Deployment",
    /// "deployments")`) Portainer deployed for stack `stack_id`. The first error fails it all:
    /// every request meets the same access rules. The requests are sent together and decoded
    /// once all have answered (one future type for all four keeps the wasm small).
    pub async fn kube_stack_objects(
        &self,
        endpoint_id: u32,
        namespace: &str,
        stack_id: u32,
        kinds: &[(&'static str, &'static str)],
    ) -> Result<KubeStackObjects, ApiError> {
        let mut asked = vec![paths::namespace_pods(endpoint_id, namespace)];
        asked.extend(kinds.iter().map(|(_, resource)| {
            paths::stack_workloads(endpoint_id, namespace, resource, stack_id)
        }));
        let answers = join_all(
            asked
                .iter()
                .map(|path| self.send(self.call(Method::GET, path)))
                .collect(),
        )
        .await;
        let mut objects = KubeStackObjects::default();
        for (i, answer) in answers.into_iter().enumerate() {
            let answer = answer?;
            let (status, content_type) = (answer.status, answer.content_type.as_deref());
            if i == 0 {
                let list = decode_kube_list::<Pod>(
                    "Kubernetes pod list",
                    status,
                    content_type,
                    &answer.text(),
                )?;
                objects.unreadable.extend(list.note("pod", "pods"));
                objects.pods = list.items;
            } else {
                let kind = kinds[i - 1].0;
                let list = decode_kube_list::<KubeWorkload>(
                    "Kubernetes workload list",
                    status,
                    content_type,
                    &answer.text(),
                )?;
                objects.unreadable.extend(list.note(kind, "workloads"));
                objects
                    .workloads
                    .extend(list.items.into_iter().map(|w| (kind, w)));
            }
        }
        Ok(objects)
    }
}
