//! `GET /apis/apps/v1/namespaces/{ns}/deployments` (and `statefulsets`, `daemonsets`): the
//! namespace's workloads of that kind that match `labelSelector`, as a `DeploymentList` (…),
//! sorted by name as the API server reads them from etcd. Checked like the pod list
//! ([`super::pods`]): RBAC first (`list` on the resource in API group `apps`, which the `edit`
//! role Portainer binds in a namespace covers, `portainer-cr-user` does not), then the
//! selector. Portainer's transport (`proxy/factory/kubernetes/transport.go`
//! `proxyKubernetesRequest`, `deployments.go` `proxyDeploymentsRequest`) only acts on
//! deployment writes: a GET passes through untouched.

use axum::http::StatusCode;
use axum::response::Response;

use super::selector::Selector;
use super::status::{GroupResource, Status};
use super::{rbac, Call};
use crate::model::kubernetes::{workload_list, Workload, WorkloadKind};

pub fn list(call: &Call, namespace: &str, kind: WorkloadKind) -> Response {
    call.with_cluster(|cluster| {
        if !rbac::may_use(call.caller, call.env, cluster, namespace) {
            let resource = GroupResource {
                group: "apps",
                resource: kind.resource(),
            };
            return call.forbidden("list", resource, None, "", namespace);
        }
        let selector = match Selector::parse(call.params.first("labelSelector").unwrap_or("")) {
            Ok(selector) => selector,
            Err(err) => return Status::bad_request(err).respond(call.encoding),
        };
        let mut found: Vec<&Workload> = cluster
            .workloads
            .iter()
            .filter(|w| w.kind == kind && w.namespace == namespace && selector.matches(&w.labels))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        let list = workload_list(cluster, kind, found.into_iter());
        call.encoding.json(StatusCode::OK, &list)
    })
}
