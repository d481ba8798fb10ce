//! `GET /api/v1/namespaces/{ns}/pods`: the namespace's pods that match `labelSelector`, as a
//! `PodList`. RBAC comes first (`apiserver` `WithAuthorization`), then the query
//! (`handlers/get.go` `ListResource`: a selector `labels.Parse` refuses is a 400 with its
//! text). A namespace that does not exist lists empty.

use axum::http::StatusCode;
use axum::response::Response;

use super::selector::Selector;
use super::status::{GroupResource, Status};
use super::{rbac, Call};
use crate::model::kubernetes::pod_list;

pub fn list(call: &Call, namespace: &str) -> Response {
    let answer = call.with_cluster(|cluster| {
        if !rbac::may_use(call.caller, call.env, cluster, namespace) {
            return None;
        }
        let selector = match Selector::parse(call.params.first("labelSelector").unwrap_or("")) {
            Ok(selector) => selector,
            Err(err) => return Some(Err(Status::bad_request(err))),
        };
        let pods = cluster
            .pods
            .iter()
            .filter(|p| p.namespace == namespace && selector.matches(&p.labels));
        Some(Ok(pod_list(cluster, pods)))
    });
    match answer {
        None => call.forbidden("list", GroupResource::PODS, None, "", namespace),
        Some(Err(status)) => status.respond(call.encoding),
        Some(Ok(list)) => call.encoding.json(StatusCode::OK, &list),
    }
}
