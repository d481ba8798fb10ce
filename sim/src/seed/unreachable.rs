//! The demo stacks that exist only in Portainer's database: their environment cannot be
//! reached (down, Edge without tunnel, Kubernetes) or no longer exists.

use super::builders::{add_stack, git, stack, StackSeed};
use super::files;
use crate::demo::*;
use crate::model::stack::{ResourceControl, STACK_COMPOSE, STACK_KUBERNETES};
use crate::state::State;

/// Stacks whose environment the Docker proxy cannot reach (down, Edge without tunnel,
/// Kubernetes) and the orphan: database records only.
pub fn unreachable(state: &mut State) {
    let rc = ResourceControl::for_stack;
    let staging = stack(StackSeed {
        id: STACK_STAGING_WEB,
        name: "staging-web",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_STAGING,
        created: ("alice", 1_730_000_000),
        updated: ("alice", 1_750_000_000),
        env: &[
            ("API_URL", "https://api.staging.acme.example"),
            ("SESSION_SECRET", "st4g1ng-s3ss10n-s3cr3t"),
        ],
        active: true,
    });
    add_stack(
        state,
        staging,
        files::STAGING_WEB,
        Some(rc(8, ENV_STAGING, "staging-web").teams(&[TEAM_DEVS])),
    );

    let edge = stack(StackSeed {
        id: STACK_EDGE_COLLECTOR,
        name: "edge-collector",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_EDGE_SITE_7,
        created: ("alice", 1_735_000_000),
        updated: ("alice", 1_737_000_000),
        env: &[
            ("UPSTREAM_ENDPOINT", "https://otel.acme.example:4318"),
            ("UPSTREAM_API_KEY", "otel-k3y-51t3-7"),
        ],
        active: true,
    });
    add_stack(
        state,
        edge,
        files::EDGE_COLLECTOR,
        Some(rc(9, ENV_EDGE_SITE_7, "edge-collector").teams(&[TEAM_DEVS])),
    );

    let mut k8s = stack(StackSeed {
        id: STACK_K8S_DEMO,
        name: "k8s-demo",
        kind: STACK_KUBERNETES,
        endpoint_id: ENV_K8S_LAB,
        created: ("alice", 1_740_000_000),
        updated: ("alice", 1_752_000_000),
        env: &[],
        active: true,
    });
    k8s.namespace = "demo".into();
    k8s.git_config = Some(git(
        "https://github.com/acme/k8s-demo.git",
        "refs/heads/main",
        "manifest.yml",
        None,
    ));
    // Portainer CE never gives a Kubernetes stack a ResourceControl (the handlers of
    // `create_kubernetes_stack.go` create none, unlike compose and swarm's
    // `decorateStackResponse`): only administrators list it, though alice may open it by id
    // through her policy on k8s-lab.
    add_stack(state, k8s, files::K8S_DEMO, None);

    let old = stack(StackSeed {
        id: STACK_OLD_REPORTS,
        name: "old-reports",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_MISSING,
        created: ("bob", 1_708_000_000),
        updated: ("bob", 1_709_000_000),
        env: &[("SMTP_PASSWORD", "sm7p-R3p0rts")],
        active: true,
    });
    add_stack(
        state,
        old,
        files::OLD_REPORTS,
        Some(rc(11, ENV_MISSING, "old-reports").teams(&[TEAM_OPS])),
    );
}
