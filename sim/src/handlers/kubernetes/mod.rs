//! Portainer's Kubernetes proxy, `/api/endpoints/{id}/kubernetes/...` (docs/portainer-api.md
//! §15). `api/http/handler/handler.go` `ServeHTTP` hands every `/api/endpoints/…/kubernetes/…`
//! path to the environment proxy handler, whose `/{id}/kubernetes` prefix
//! (`endpointproxy/handler.go`, behind `AuthenticatedAccess`) runs
//! `endpointproxy/proxy_kubernetes.go` `proxyRequestsToKubernetesAPI`: the environment, the
//! caller's access to it, an Edge environment's tunnel, then the environment's proxy with the
//! prefix stripped. Portainer's own refusals are its `{"message","details"}` errors; what
//! comes back from the cluster is the API server's, `Status` objects included, untouched.
//!
//! Behind it, a small API server: a namespace's pods and its Deployments, StatefulSets and
//! DaemonSets (with label selectors), and a container's log. Other Kubernetes paths answer the
//! API server's 404, other verbs its 405.

mod log;
mod pods;
mod rbac;
mod selector;
mod status;
mod workloads;

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Q;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::model::endpoint::{Endpoint, ENV_AGENT_KUBERNETES};
use crate::model::kubernetes::{Cluster, WorkloadKind};
use crate::query::Query;
use crate::reach::{self, Unreachable};
use crate::state::Sim;
use crate::PortainerVersion;
use status::{Encoding, GroupResource, Status};

/// `portainer.KubernetesLocalEnvironment` (`api/portainer.go` `EndpointType`).
const ENV_KUBERNETES_LOCAL: i64 = 5;
/// `portainer.EdgeAgentOnKubernetesEnvironment`.
const ENV_EDGE_AGENT_KUBERNETES: i64 = 7;

fn is_kubernetes(env: &Endpoint) -> bool {
    matches!(
        env.kind,
        ENV_KUBERNETES_LOCAL | ENV_AGENT_KUBERNETES | ENV_EDGE_AGENT_KUBERNETES
    )
}

/// The query as Go's `url.Values`: every pair, in order (`+` is a space).
pub struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<&str>) -> Self {
        Params(
            raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
        )
    }

    /// The first value of `name`, `None` when absent (present but empty is `Some("")`).
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A request that reached the cluster.
pub struct Call<'a> {
    pub sim: &'a Arc<Sim>,
    pub caller: &'a Caller,
    pub env: &'a Endpoint,
    pub params: &'a Params,
    pub encoding: Encoding,
}

impl Call<'_> {
    /// Runs `f` on the environment's cluster (an empty one when none was seeded).
    fn with_cluster<T>(&self, f: impl FnOnce(&Cluster) -> T) -> T {
        let db = self.sim.read();
        match db.kubernetes.iter().find(|c| c.env_id == self.env.id) {
            Some(cluster) => f(cluster),
            None => f(&Cluster::empty(self.env.id)),
        }
    }

    /// RBAC's refusal of the caller's service account (never an administrator's).
    fn forbidden(
        &self,
        verb: &str,
        resource: GroupResource,
        sub: Option<&str>,
        name: &str,
        namespace: &str,
    ) -> Response {
        let user = rbac::service_account_user(&self.sim.instance_id, self.caller.user_id);
        Status::forbidden(&user, verb, resource, sub, name, namespace).respond(self.encoding)
    }
}

pub async fn proxy(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    method: Method,
    headers: HeaderMap,
    Path((raw_id, rest)): Path<(String, String)>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let env = super::docker::proxied_environment(&sim, &caller, &raw_id)?;
    if !is_kubernetes(&env) {
        let query = Query::parse(raw_query.as_deref());
        return other_environment(sim, caller, method, env, (raw_id, rest), query).await;
    }
    if env.kind == ENV_EDGE_AGENT_KUBERNETES && env.edge_id.as_deref().unwrap_or("").is_empty() {
        return Err(
            ApiError::internal("No Edge agent registered with the environment")
                .details("No agent available"),
        );
    }
    if let Err(unreachable) = reach::dial(&env, sim.dial).await {
        return match unreachable {
            Unreachable::Tunnel => {
                Err(ApiError::internal("Unable to get the active tunnel")
                    .details(unreachable.text()))
            }
            // `httputil.ReverseProxy`'s default error handler: an empty 502.
            Unreachable::Dial(_) => Ok(StatusCode::BAD_GATEWAY.into_response()),
        };
    }
    let params = Params::parse(raw_query.as_deref());
    let call = Call {
        sim: &sim,
        caller: &caller,
        env: &env,
        params: &params,
        encoding: Encoding::of(&headers, params.first("pretty"), sim.version),
    };
    let mut response = api_server(&call, &method, &rest);
    // `agent_transport.go` `RoundTrip` (2.20+) marks every answer of an agent.
    if env.kind == ENV_AGENT_KUBERNETES && sim.version == PortainerVersion::V2_23 {
        response
            .headers_mut()
            .insert("X-Portainer-Cache", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// A Docker (or Azure) environment: `proxyRequestsToKubernetesAPI` does not look at the type,
/// and `CreateAndRegisterEndpointProxy` gives it the Docker proxy (`proxy/factory/factory.go`
/// `NewEndpointProxy`), which receives the path without `/{id}/kubernetes`: Docker answers it.
/// An Edge environment's proxy asks for its tunnel first (2.23 `docker.go`
/// `newDockerHTTPProxy` → `TunnelAddr`): without one, 500 `Unable to create proxy`.
async fn other_environment(
    sim: Arc<Sim>,
    caller: Caller,
    method: Method,
    env: Endpoint,
    path: (String, String),
    query: Query,
) -> Result<Response, ApiError> {
    if env.is_edge() && sim.version == PortainerVersion::V2_23 {
        if let Err(unreachable) = reach::dial(&env, sim.dial).await {
            return Err(ApiError::internal("Unable to create proxy").details(unreachable.text()));
        }
    }
    super::docker::proxy(State(sim), caller, method, Path(path), Q(query)).await
}

/// A path the simulated API server serves.
enum Resource<'a> {
    Pods,
    PodLog(&'a str),
    /// `/apis/apps/v1/namespaces/{ns}/deployments` and the like.
    Workloads(WorkloadKind),
}

/// The API server behind the agent (or the local cluster).
fn api_server(call: &Call, method: &Method, rest: &str) -> Response {
    let segments: Vec<&str> = rest.split('/').collect();
    let known = match segments.as_slice() {
        ["api", "v1", "namespaces", namespace, "pods"] => Some((*namespace, Resource::Pods)),
        ["api", "v1", "namespaces", namespace, "pods", name, "log"] => {
            Some((*namespace, Resource::PodLog(name)))
        }
        ["apis", "apps", "v1", "namespaces", namespace, resource] => {
            WorkloadKind::from_resource(resource).map(|k| (*namespace, Resource::Workloads(k)))
        }
        _ => None,
    };
    let Some((namespace, resource)) = known else {
        return Status::no_such_path().respond(call.encoding);
    };
    if method != Method::GET {
        return Status::method_not_allowed().respond(call.encoding);
    }
    match resource {
        Resource::Pods => pods::list(call, namespace),
        Resource::Workloads(kind) => workloads::list(call, namespace, kind),
        Resource::PodLog(name) => {
            let (allowed, pod) = call.with_cluster(|cluster| {
                let allowed = rbac::may_use(call.caller, call.env, cluster, namespace);
                (allowed, cluster.pod(namespace, name).cloned())
            });
            if !allowed {
                return call.forbidden("get", GroupResource::PODS, Some("log"), name, namespace);
            }
            log::log(call, pod, name)
        }
    }
}
