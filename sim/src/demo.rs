//! The seeded demo: personas, environments, stacks and access tokens. Other crates' tests rely
//! on these names and ids, so keep them stable.
//!
//! Users (password `portlight-demo` for all, for `POST /api/auth`):
//!
//! | id | user  | role          | teams                       | environment access              |
//! |----|-------|---------------|-----------------------------|---------------------------------|
//! | 1  | admin | administrator |                             | all                             |
//! | 2  | alice | standard      | leader of `devs`            | local, edge-site-7, staging, k8s-lab |
//! | 3  | bob   | standard      | member of `devs` and `ops`  | local, prod-swarm, edge-site-7, staging |
//! | 4  | carol | standard      | none                        | local (user policy)             |
//! | 5  | dave  | standard      | none                        | none (sees public stacks only)  |
//! | 6  | erin  | administrator |                             | all                             |
//! | 8  | grace | standard      | member of `research`        | lab (three paths at once)       |
//!
//! A 7th user, `frank`, was deleted; his token remains in the store ([`DELETED_USER_TOKEN`]).
//!
//! Teams: 1 `devs`, 2 `ops`, 3 `qa` (empty, no policy anywhere), 4 `research` (grace).
//! Groups: 1 `Unassigned`, 2 `Production` (team ops), 3 `Edge sites` (team devs), 4 `Labs` (user
//! grace), 5 `Retired` (user grace, team research; holds no environment, so it opens nothing).
//!
//! Environments: 1 `local` (Docker, Up; user carol, team devs), 2 `prod-swarm` (agent on a
//! swarm, Up, no policies of its own: reachable through group Production), 3 `edge-site-7`
//! (Edge agent, Up, no tunnel), 4 `staging` (Docker, Down, stack management off for regular
//! users; user bob, team devs), 5 `k8s-lab` (agent on Kubernetes, Up; user alice), 6 `lab`
//! (Docker, Up, group Labs; user grace, team research).
//!
//! Stacks (id, name, environment, ResourceControl):
//! 1 `web-frontend` (local, compose, git, team devs), 2 `monitoring` (local, compose, public),
//! 3 `db-admin` (local, administrators only), 4 `carol-sandbox` (local, user carol, stopped),
//! 5 `legacy-app` (local, no ResourceControl: admins only), 6 `api-gateway` (prod-swarm, swarm,
//! git, team ops), 7 `payments` (prod-swarm, swarm, user bob), 8 `staging-web` (staging, team
//! devs), 9 `edge-collector` (edge-site-7, team devs), 10 `k8s-demo` (k8s-lab, kubernetes, git,
//! no ResourceControl, as Portainer CE never gives a Kubernetes stack one), 11 `old-reports`
//! (orphaned: environment 9 does not exist, team ops), 12 `lab-wiki` (lab, compose, team
//! research).
//!
//! One container has a ResourceControl of its own: `monitoring-alertmanager-1` (RC 13,
//! administrators only), so non-admins list three of monitoring's four containers and are
//! refused alertmanager's log.
//!
//! `prod-swarm` runs on three nodes: `swarm-manager-1` (manager, leader), `swarm-worker-1`
//! and `swarm-worker-2` (`GET /nodes`).
//!
//! `k8s-lab`'s cluster (through `/api/endpoints/5/kubernetes/…`; Kubernetes v1.30.4, nodes
//! `k8s-lab-control-plane`, `k8s-lab-worker-1` and `-2`, the applications' pods on the workers)
//! has namespaces `default`, `demo`, `kube-node-lease`,
//! `kube-public`, `kube-system`, `ops` and `portainer`. Portainer's namespace access policies:
//! `demo` → user alice, `ops` → team ops; `RestrictDefaultNamespace` is off, so every standard
//! user who reaches k8s-lab may use `default`. alice may therefore list pods and workloads and
//! read logs in `demo` and `default` and gets Kubernetes' 403 in `ops` and elsewhere; bob (team ops) cannot
//! reach k8s-lab at all (Portainer's 403 first); administrators see every namespace.
//!
//! [`NAMESPACE_DEMO`] holds stack k8s-demo's pods: Deployment `demo-web`'s two replicas
//! (`demo-web-7c9d8f6b5d-x8k2p`, `-qm4zt`; container `web`, running, ready; labelled only
//! `app=demo-web` and `pod-template-hash`, as Portainer labels the Deployment, not its pod
//! template) and the bare pod `demo-worker` (the third document of the stack file, so it does
//! carry the `io.portainer.kubernetes.application.*` labels: stack `k8s-demo`, stackid `10`,
//! owner `alice`, kind `git`), whose container `worker` is in CrashLoopBackOff (7 restarts,
//! last exit 1) beside a running `metrics` sidecar. Beside them, not of the stack:
//! `cache-redis-master-0` (a Helm StatefulSet) and `db-migrate-29208960-7xkqp` (a completed
//! Job). [`NAMESPACE_OPS`] holds `prometheus-server-5b7d9c8f4-k2m9x`, and `kube-system` the
//! three pods of the DaemonSet `kube-proxy`, one per node (`k8s-lab-control-plane` too).
//!
//! The `apps/v1` workloads (`/apis/apps/v1/namespaces/{ns}/deployments`, `statefulsets`,
//! `daemonsets`): in `demo`, stack k8s-demo's Deployment `demo-web` (the stack's labels on its
//! own metadata, replicas 2, `matchLabels` `app: demo-web`; its pods through ReplicaSet
//! `demo-web-7c9d8f6b5d`) and the Helm StatefulSet `cache-redis-master`; in `ops`, the Helm
//! Deployments `prometheus-server` and `prometheus-prometheus-pushgateway` (scaled to 0); in
//! `kube-system`, the DaemonSet `kube-proxy`.
//!
//! Tokens are `ptr_` + 43 characters of URL-safe base64: the SHA-256 of
//! `"portainer-sim demo token\0<user>\0<description>"` (see [`derive_token`]). The server stores
//! only their digests.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The password of every demo user.
pub const PASSWORD: &str = "portlight-demo";

pub const ADMIN_ID: i64 = 1;
pub const ALICE_ID: i64 = 2;
pub const BOB_ID: i64 = 3;
pub const CAROL_ID: i64 = 4;
pub const DAVE_ID: i64 = 5;
pub const ERIN_ID: i64 = 6;
/// The id the deleted user `frank` had.
pub const DELETED_USER_ID: i64 = 7;
/// Created after frank was deleted (Portainer never reuses an id).
pub const GRACE_ID: i64 = 8;

pub const TEAM_DEVS: i64 = 1;
pub const TEAM_OPS: i64 = 2;
pub const TEAM_QA: i64 = 3;
pub const TEAM_RESEARCH: i64 = 4;

pub const GROUP_UNASSIGNED: i64 = 1;
pub const GROUP_PRODUCTION: i64 = 2;
pub const GROUP_EDGE_SITES: i64 = 3;
pub const GROUP_LABS: i64 = 4;
pub const GROUP_RETIRED: i64 = 5;

pub const ENV_LOCAL: i64 = 1;
pub const ENV_PROD_SWARM: i64 = 2;
pub const ENV_EDGE_SITE_7: i64 = 3;
pub const ENV_STAGING: i64 = 4;
pub const ENV_K8S_LAB: i64 = 5;
pub const ENV_LAB: i64 = 6;
/// The namespace of stack `k8s-demo` on k8s-lab; alice may use it.
pub const NAMESPACE_DEMO: &str = "demo";
/// A namespace on k8s-lab whose policy names team ops only: alice may not use it.
pub const NAMESPACE_OPS: &str = "ops";

/// The environment id of the orphaned stack `old-reports`; no such environment exists.
pub const ENV_MISSING: i64 = 9;

pub const STACK_WEB_FRONTEND: i64 = 1;
pub const STACK_MONITORING: i64 = 2;
pub const STACK_DB_ADMIN: i64 = 3;
pub const STACK_CAROL_SANDBOX: i64 = 4;
pub const STACK_LEGACY_APP: i64 = 5;
pub const STACK_API_GATEWAY: i64 = 6;
pub const STACK_PAYMENTS: i64 = 7;
pub const STACK_STAGING_WEB: i64 = 8;
pub const STACK_EDGE_COLLECTOR: i64 = 9;
pub const STACK_K8S_DEMO: i64 = 10;
pub const STACK_OLD_REPORTS: i64 = 11;
pub const STACK_LAB_WIKI: i64 = 12;

/// The compose stack `Config::busy_stack` (`--busy-stack`) adds, after everything else, on
/// environment 1 (`local` in the demo), with a public ResourceControl: ten running containers,
/// `busy-logs-<service>-1` for the services gateway, web, api, auth, orders, search, worker,
/// scheduler, cache and db, to follow at once (with `Config::log_lines_per_sec`). Absent
/// without the option.
pub const BUSY_STACK: &str = "busy-logs";
/// [`BUSY_STACK`]'s id in the demo (at scale: the one after the last generated stack); its
/// ResourceControl is 14 in the demo.
pub const STACK_BUSY_LOGS: i64 = 13;

/// The id of the ResourceControl of monitoring's `alertmanager` container (administrators
/// only); the stacks' RCs use their stack's id.
pub const RC_ALERTMANAGER: i64 = 13;

/// The swarm id of `prod-swarm` (the `SwarmId` of its stacks).
pub const PROD_SWARM_ID: &str = "qz7k2v9x4m1n8b3c5d6f0g2h1";

/// A demo access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoToken {
    /// The API key id (`id` in `/api/users/{id}/tokens`).
    pub key_id: i64,
    pub user_id: i64,
    pub username: &'static str,
    pub description: &'static str,
    pub raw: &'static str,
}

/// Every stored demo token, including the one of the deleted user.
pub const TOKENS: &[DemoToken] = &[
    DemoToken {
        key_id: 1,
        user_id: ADMIN_ID,
        username: "admin",
        description: "portlight",
        raw: "ptr_N5u0UhZwQQTyKEHlVO5x4Q8FTB-JDLuNNc3T6CksuY8",
    },
    DemoToken {
        key_id: 2,
        user_id: ALICE_ID,
        username: "alice",
        description: "portlight",
        raw: "ptr_IX1tnKCgW7Z7dBx62MhWoljWJqDKY-ueL1XM-YoW8zU",
    },
    DemoToken {
        key_id: 3,
        user_id: ALICE_ID,
        username: "alice",
        description: "ci-deploy",
        raw: "ptr_PomA9jzDg-Fk3J0DykroOl8Xza2lavxzJrefZNiKs2Y",
    },
    DemoToken {
        key_id: 4,
        user_id: BOB_ID,
        username: "bob",
        description: "portlight",
        raw: "ptr_7SJNr9XGszFIk9ES0RL-mw0JW9z2JbQR8GGhnAlta9U",
    },
    DemoToken {
        key_id: 5,
        user_id: CAROL_ID,
        username: "carol",
        description: "portlight",
        raw: "ptr_-E__cO0UrD_ISIVLq7cQL21wwtpKHWleOjNi9rdo88o",
    },
    DemoToken {
        key_id: 6,
        user_id: DAVE_ID,
        username: "dave",
        description: "portlight",
        raw: "ptr_SHqdO-J8aQm2lTNfVhu_I10WxJEfARN-MjstXldyBKc",
    },
    DemoToken {
        key_id: 7,
        user_id: ERIN_ID,
        username: "erin",
        description: "portlight",
        raw: "ptr_watWYfvRZm_pDp9hPYgnzfcSyggnr4108q6D_tfKMGM",
    },
    DemoToken {
        key_id: 8,
        user_id: DELETED_USER_ID,
        username: "frank",
        description: "old-laptop",
        raw: DELETED_USER_TOKEN,
    },
    DemoToken {
        key_id: 9,
        user_id: GRACE_ID,
        username: "grace",
        description: "portlight",
        raw: "ptr_PgKf2qLSt_RcUKJLER-DEMxByVUEjV26-hzDphpm0wc",
    },
];

/// A stored token whose user (`frank`, id 7) was deleted: 401 "An authorization token is invalid".
pub const DELETED_USER_TOKEN: &str = "ptr_qYQm8DaiUASnZv2OlAxKWnyBTUKQDOEXmJKq3U9gFkg";

/// A token bob once had and revoked: it is not in the store, so 401 "Invalid JWT token".
pub const REVOKED_TOKEN: &str = "ptr_UshfV6DSZiNKbrfEf7BUdVWLW8AYA6bNdmXIaw4cUAQ";

/// The first (`portlight`) token of a persona. Panics for an unknown username, so a typo in a
/// test fails loudly.
pub fn token_for(username: &str) -> &'static str {
    TOKENS
        .iter()
        .find(|t| t.username == username && t.description == "portlight")
        .map(|t| t.raw)
        .unwrap_or_else(|| panic!("no demo token for user {username:?}"))
}

/// The token of `username` with `description`, if the demo has one.
pub fn token(username: &str, description: &str) -> Option<&'static str> {
    TOKENS
        .iter()
        .find(|t| t.username == username && t.description == description)
        .map(|t| t.raw)
}

/// Whether a demo token is stored under `--scale` too: grace belongs to the demo's lab, which
/// `--scale` replaces (generated users take ids from 8 on).
pub fn kept_at_scale(token: &DemoToken) -> bool {
    token.user_id != GRACE_ID
}

/// The id of the first user `--scale` generates: after frank's 7.
pub const FIRST_SCALED_USER_ID: i64 = 8;
/// The id of the first team `--scale` generates: after qa's 3.
pub const FIRST_SCALED_TEAM_ID: i64 = 4;

/// The name of the `n`th user `--scale` generates, from 1: `user-0001`, `user-0002`…
pub fn scaled_username(n: usize) -> String {
    format!("user-{n:04}")
}

/// The `portlight` token of the `n`th generated user (derived like the demo's).
pub fn scaled_token(n: usize) -> String {
    derive_token(&scaled_username(n), "portlight")
}

/// How the demo tokens were made: `ptr_` + base64url(SHA-256("portainer-sim demo
/// token\0<user>\0<description>")), unpadded.
pub fn derive_token(username: &str, description: &str) -> String {
    let digest = Sha256::digest(format!(
        "portainer-sim demo token\0{username}\0{description}"
    ));
    format!(
        "ptr_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_derived_from_the_seed() {
        for t in TOKENS {
            assert_eq!(t.raw, derive_token(t.username, t.description));
            assert_eq!(t.raw.len(), 4 + 43);
        }
        assert_eq!(REVOKED_TOKEN, derive_token("bob", "revoked-laptop"));
    }
}
