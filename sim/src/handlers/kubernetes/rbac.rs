//! Who the Kubernetes API server sees behind a Portainer user, and which namespaces that
//! identity may use.
//!
//! Portainer sends an administrator's requests with its own cluster-admin identity, and a
//! standard user's with the token of a per-user service account
//! (`api/http/proxy/factory/kubernetes/transport.go` `getRoundTripToken`;
//! `token.go` `GetUserServiceAccountToken`). Setting that account up
//! (`api/kubernetes/cli/service_account.go` `SetupUserServiceAccount`) binds it to the
//! cluster role `portainer-cr-user` (namespaces, nodes, endpoints, storage and ingress classes,
//! metrics: no pods) and, per namespace, to the cluster role `edit` where
//! `api/kubernetes/cli/access.go` `setupNamespaceAccesses` allows it: `default` unless the
//! environment's `RestrictDefaultNamespace` is set, and every existing namespace whose access
//! policy names the user or one of the user's teams (`hasUserAccessToNamespace`). Nothing else
//! opens a namespace: a stack's creator gets no access to its namespace from being its owner.

use crate::auth::Caller;
use crate::model::endpoint::Endpoint;
use crate::model::kubernetes::{Cluster, DEFAULT_NAMESPACE, PORTAINER_NAMESPACE};

/// The user name RBAC knows a standard user's requests by:
/// `system:serviceaccount:portainer:portainer-sa-user-<instance id>-<user id>`
/// (`api/kubernetes/cli/naming.go` `UserServiceAccountName`; the instance id is the one
/// `/api/system/status` reports; the same in 2.19 and 2.23).
pub fn service_account_user(instance_id: &str, user_id: i64) -> String {
    format!("system:serviceaccount:{PORTAINER_NAMESPACE}:portainer-sa-user-{instance_id}-{user_id}")
}

/// The environment's `Kubernetes.Configuration.RestrictDefaultNamespace`.
fn restricts_default(env: &Endpoint) -> bool {
    env.kubernetes
        .configuration
        .get("RestrictDefaultNamespace")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// Whether the caller's identity may read pods (and their logs) in `namespace`. A namespace
/// that does not exist has no role binding, so only administrators may list it (and find it
/// empty).
pub fn may_use(caller: &Caller, env: &Endpoint, cluster: &Cluster, namespace: &str) -> bool {
    if caller.is_admin() {
        return true;
    }
    if !cluster.namespaces.iter().any(|n| n == namespace) {
        return false;
    }
    if namespace == DEFAULT_NAMESPACE && !restricts_default(env) {
        return true;
    }
    cluster
        .access_policies
        .get(namespace)
        .is_some_and(|policy| {
            policy.user_access_policies.contains_key(&caller.user_id)
                || caller
                    .team_ids
                    .iter()
                    .any(|t| policy.team_access_policies.contains_key(t))
        })
}
