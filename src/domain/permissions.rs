//! May this token start, stop or git-redeploy a stack? The checks of docs/portainer-api.md §4, in the
//! order Portainer's handlers run them, so the reason shown is the answer Portainer would give.
//!
//! Read-only mode is not a [`Blocked`] reason: in read-only mode the UI leaves the action
//! buttons out entirely instead of showing them disabled.

use super::ownership::why_visible;
use super::stack_rows::{EnvInfo, StackRow};
use super::viewer::Viewer;
use crate::portainer::{EndpointStatus, Environment, Stack, StackStatus, StackType};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StackAction {
    Start,
    Stop,
    /// `PUT /stacks/{id}/git/redeploy`.
    Redeploy,
    /// `PUT /stacks/{id}` (a git stack: its redeploy with a new reference and variables),
    /// from the edit page: not one of the confirmed buttons of [`StackAction::ALL`].
    Update,
}

impl StackAction {
    pub const ALL: [Self; 3] = [Self::Start, Self::Stop, Self::Redeploy];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Start => "Start",
            Self::Stop => "Stop",
            Self::Redeploy => "Pull and redeploy",
            Self::Update => "Edit",
        }
    }
}

/// Why an action is disabled. Each variant is one of Portainer's refusals (status in
/// [`Blocked::portainer_status`]), except [`Blocked::EnvironmentDown`], which Portainer would
/// accept and then fail on. `environment` is a label such as `environment “local”` or
/// `environment #7`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// Start/stop of a Kubernetes stack: 400.
    Kubernetes(StackAction),
    /// 400 "Stack is not created from git".
    NotFromGit,
    /// 409 "A stack with the name '…' is already running": start checks the name in Docker
    /// before the status, and a stack that runs collides with its own containers.
    AlreadyActive,
    /// 400 "Stack is already inactive".
    AlreadyInactive,
    /// An admin knows the environment is gone: 404 on its lookup.
    Orphaned { endpoint_id: u32 },
    /// `AuthorizedEndpointOperation`: 403 "Permission denied to access environment". A
    /// non-admin cannot tell this from an orphan: both are missing from its environment list.
    EnvironmentNotAccessible { environment: String },
    /// `userCanAccessStack`: 403 "Access denied to resource".
    ResourceControl { environment: String },
    /// `userCanManageStacks` with `allowStackManagementForRegularUsers == false` on a Docker
    /// environment: 403 "stack management is disabled for non-admin users".
    StackManagementDisabled { environment: String },
    /// The environment's status is down: Portainer cannot reach it.
    EnvironmentDown { environment: String },
}

impl Blocked {
    /// A sentence for the operator, naming the environment where it matters.
    pub fn reason(&self) -> String {
        match self {
            Self::Kubernetes(action) => format!(
                "Portainer's API cannot {} Kubernetes stacks.",
                if *action == StackAction::Stop { "stop" } else { "start" }
            ),
            Self::NotFromGit => {
                "This stack was not deployed from a git repository, so there is nothing to redeploy."
                    .into()
            }
            Self::AlreadyActive => "The stack is already running.".into(),
            Self::AlreadyInactive => "The stack is already inactive.".into(),
            Self::Orphaned { endpoint_id } => format!(
                "Environment #{endpoint_id} no longer exists: this stack is orphaned and Portainer cannot act on it."
            ),
            Self::EnvironmentNotAccessible { environment } => format!(
                "This token has no access to {environment}, so Portainer refuses actions on its stacks."
            ),
            Self::ResourceControl { environment } => format!(
                "The stack's access control on {environment} grants neither this token's user nor any of its teams."
            ),
            Self::StackManagementDisabled { environment } => format!(
                "Stack management is disabled for non-admin users on {environment}."
            ),
            Self::EnvironmentDown { environment } => {
                format!("{} is down: Portainer cannot reach it.", capitalise(environment))
            }
        }
    }

    /// The HTTP status Portainer answers the action with; `None` for a down environment.
    pub const fn portainer_status(&self) -> Option<u16> {
        match self {
            Self::Kubernetes(_) | Self::NotFromGit | Self::AlreadyInactive => Some(400),
            Self::AlreadyActive => Some(409),
            Self::Orphaned { .. } => Some(404),
            Self::EnvironmentNotAccessible { .. }
            | Self::ResourceControl { .. }
            | Self::StackManagementDisabled { .. } => Some(403),
            Self::EnvironmentDown { .. } => None,
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason())
    }
}

/// Each distinct reason once, after the actions it blocks: "Start, Stop: …".
pub fn shared_reasons(gates: &[(StackAction, Option<String>)]) -> Vec<(String, String)> {
    let mut shared: Vec<(String, String)> = Vec::new();
    for (action, reason) in gates {
        let Some(reason) = reason else { continue };
        match shared.iter_mut().find(|(_, r)| r == reason) {
            Some((actions, _)) => {
                actions.push_str(", ");
                actions.push_str(action.label());
            }
            None => shared.push((action.label().to_string(), reason.clone())),
        }
    }
    shared
}

/// `environment “local”`, or `environment #7` when the token cannot see it.
pub fn environment_label(env: Option<&Environment>, endpoint_id: u32) -> String {
    match env {
        Some(env) if !env.name.is_empty() => format!("environment “{}”", env.name),
        _ => format!("environment #{endpoint_id}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the gate needs to know about a stack, from a [`Stack`] or a list row.
struct GateFacts {
    kind: StackType,
    status: StackStatus,
    from_git: bool,
    /// The ResourceControl grants the viewer access (admins included).
    granted: bool,
    endpoint_id: u32,
}

/// Whether `viewer` may run `action` on `stack`.
///
/// `env` is the stack's environment when the token could fetch it; `env_accessible` says
/// whether the viewer passes Portainer's environment access check (for a non-admin: the
/// environment is in its own `GET /api/endpoints`). Admins bypass that check: for them a
/// missing `env` means the stack is orphaned.
pub fn action_gate(
    viewer: &Viewer,
    stack: &Stack,
    env: Option<&Environment>,
    env_accessible: bool,
    action: StackAction,
) -> Result<(), Blocked> {
    let facts = GateFacts {
        kind: stack.kind,
        status: stack.status,
        from_git: stack.git_config.is_some(),
        granted: why_visible(viewer, stack.resource_control.as_ref()).is_some(),
        endpoint_id: stack.endpoint_id,
    };
    gate(viewer, &facts, env, env_accessible, action)
}

/// [`action_gate`] for a list row. `env` is the row's environment from the token's list; the
/// row's [`EnvInfo`] says whether the token can access it.
pub fn row_action_gate(
    viewer: &Viewer,
    row: &StackRow,
    env: Option<&Environment>,
    action: StackAction,
) -> Result<(), Blocked> {
    let facts = GateFacts {
        kind: row.kind,
        status: row.status,
        from_git: row.source.is_git(),
        granted: row.ownership.grants(viewer),
        endpoint_id: row.endpoint_id,
    };
    let accessible = matches!(row.env, EnvInfo::Known { .. });
    gate(viewer, &facts, env, accessible, action)
}

fn gate(
    viewer: &Viewer,
    stack: &GateFacts,
    env: Option<&Environment>,
    env_accessible: bool,
    action: StackAction,
) -> Result<(), Blocked> {
    // What the action cannot do to this kind of stack, checked before anything else.
    match action {
        StackAction::Start | StackAction::Stop if stack.kind == StackType::Kubernetes => {
            return Err(Blocked::Kubernetes(action));
        }
        StackAction::Redeploy if !stack.from_git => return Err(Blocked::NotFromGit),
        _ => {}
    }
    let environment = || environment_label(env, stack.endpoint_id);
    // Environment lookup, then AuthorizedEndpointOperation.
    let env = match env {
        Some(env) if viewer.is_admin || env_accessible => env,
        None if viewer.is_admin => {
            return Err(Blocked::Orphaned {
                endpoint_id: stack.endpoint_id,
            })
        }
        _ => {
            return Err(Blocked::EnvironmentNotAccessible {
                environment: environment(),
            })
        }
    };
    // The checks in each handler's order (docs/portainer-api.md §4): start runs the
    // management gate and the name check in Docker (a stack that runs collides with itself)
    // before the ResourceControl; stop and redeploy check the ResourceControl first, and
    // redeploy and update only for Docker stacks (Portainer CE gives Kubernetes stacks none).
    let resource_control = || {
        let checked = action == StackAction::Start
            || action == StackAction::Stop
            || stack.kind != StackType::Kubernetes;
        if viewer.is_admin || stack.granted || !checked {
            Ok(())
        } else {
            Err(Blocked::ResourceControl {
                environment: environment(),
            })
        }
    };
    let management = || {
        let disabled = env.kind.is_docker()
            && !env
                .security_settings
                .allow_stack_management_for_regular_users;
        if viewer.is_admin || !disabled {
            Ok(())
        } else {
            Err(Blocked::StackManagementDisabled {
                environment: environment(),
            })
        }
    };
    // Portainer only refuses the current state; an unknown status passes both ways.
    match action {
        StackAction::Start => {
            management()?;
            if stack.status == StackStatus::Active {
                return Err(Blocked::AlreadyActive);
            }
            resource_control()?;
        }
        StackAction::Stop => {
            resource_control()?;
            management()?;
            if stack.status == StackStatus::Inactive {
                return Err(Blocked::AlreadyInactive);
            }
        }
        // `stack_update.go`: the ResourceControl, then "Stack editing is disabled for
        // non-admin users" (the same setting); a git stack's redeploy checks the same.
        StackAction::Redeploy | StackAction::Update => {
            resource_control()?;
            management()?;
        }
    }
    if env.status == EndpointStatus::Down {
        return Err(Blocked::EnvironmentDown {
            environment: environment(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{environment, public, restricted_to, stack as web, viewer};
    use crate::portainer::EndpointType;

    fn admin() -> Viewer {
        viewer(1, "admin", true, &[])
    }

    fn bob() -> Viewer {
        viewer(2, "bob", false, &[1])
    }

    fn env(kind: EndpointType, status: EndpointStatus, manage: bool) -> Environment {
        environment(1, "local")
            .of_kind(kind)
            .with_status(status)
            .stack_management(manage)
    }

    fn docker_up() -> Environment {
        env(EndpointType::Docker, EndpointStatus::Up, true)
    }

    /// Stack 3 "web" on environment 1, restricted to bob.
    fn stack(kind: StackType, status: StackStatus, git: bool) -> Stack {
        let stack = web(3, "web")
            .of_kind(kind)
            .with_status(status)
            .controlled_by(restricted_to(&[2], &[]));
        if git {
            stack.from_git("https://example.com/o/r.git")
        } else {
            stack
        }
    }

    fn compose(status: StackStatus) -> Stack {
        stack(StackType::DockerCompose, status, true)
    }

    use StackAction::{Redeploy, Start, Stop};
    use StackStatus::{Active, Inactive};

    #[test]
    fn start_only_when_inactive_stop_only_when_active() {
        let e = docker_up();
        for v in [admin(), bob()] {
            assert_eq!(
                action_gate(&v, &compose(Inactive), Some(&e), true, Start),
                Ok(())
            );
            assert_eq!(
                action_gate(&v, &compose(Active), Some(&e), true, Start),
                Err(Blocked::AlreadyActive)
            );
            assert_eq!(
                action_gate(&v, &compose(Active), Some(&e), true, Stop),
                Ok(())
            );
            assert_eq!(
                action_gate(&v, &compose(Inactive), Some(&e), true, Stop),
                Err(Blocked::AlreadyInactive)
            );
            // Redeploy does not depend on the status.
            assert_eq!(
                action_gate(&v, &compose(Inactive), Some(&e), true, Redeploy),
                Ok(())
            );
            assert_eq!(
                action_gate(&v, &compose(Active), Some(&e), true, Redeploy),
                Ok(())
            );
        }
    }

    #[test]
    fn unknown_status_is_not_refused() {
        let s = compose(StackStatus::Unknown(0));
        let e = docker_up();
        assert_eq!(action_gate(&bob(), &s, Some(&e), true, Start), Ok(()));
        assert_eq!(action_gate(&bob(), &s, Some(&e), true, Stop), Ok(()));
    }

    #[test]
    fn kubernetes_stacks_cannot_be_started_or_stopped_even_by_admins() {
        let e = env(EndpointType::KubernetesLocal, EndpointStatus::Up, false);
        let s = stack(StackType::Kubernetes, Inactive, true);
        let b = action_gate(&admin(), &s, Some(&e), true, Start).unwrap_err();
        assert_eq!(b, Blocked::Kubernetes(Start));
        assert_eq!(b.portainer_status(), Some(400));
        assert!(b.reason().contains("start Kubernetes"), "{}", b.reason());
        let s = stack(StackType::Kubernetes, Active, true);
        let b = action_gate(&admin(), &s, Some(&e), true, Stop).unwrap_err();
        assert!(b.reason().contains("stop Kubernetes"));
        // A git-backed Kubernetes stack can be redeployed, and the stack management setting
        // only applies to Docker environments.
        assert_eq!(action_gate(&bob(), &s, Some(&e), true, Redeploy), Ok(()));
    }

    #[test]
    fn redeploy_only_for_git_stacks() {
        let s = stack(StackType::DockerSwarm, Active, false);
        let e = docker_up();
        let b = action_gate(&admin(), &s, Some(&e), true, Redeploy).unwrap_err();
        assert_eq!(b, Blocked::NotFromGit);
        assert_eq!(b.portainer_status(), Some(400));
        assert_eq!(action_gate(&admin(), &s, Some(&e), true, Stop), Ok(()));
    }

    #[test]
    fn missing_environment_is_orphaned_for_admins_and_not_accessible_for_others() {
        let s = compose(Inactive);
        let b = action_gate(&admin(), &s, None, false, Start).unwrap_err();
        assert_eq!(b, Blocked::Orphaned { endpoint_id: 1 });
        assert_eq!(b.portainer_status(), Some(404));
        assert!(b.reason().contains("#1") && b.reason().contains("orphaned"));

        let b = action_gate(&bob(), &s, None, false, Start).unwrap_err();
        assert_eq!(
            b,
            Blocked::EnvironmentNotAccessible {
                environment: "environment #1".into()
            }
        );
        assert_eq!(b.portainer_status(), Some(403));
        assert!(!b.reason().contains("orphan"));
    }

    #[test]
    fn known_but_inaccessible_environment_blocks_non_admins_only() {
        let s = compose(Inactive);
        let e = docker_up();
        let b = action_gate(&bob(), &s, Some(&e), false, Start).unwrap_err();
        assert_eq!(
            b,
            Blocked::EnvironmentNotAccessible {
                environment: "environment “local”".into()
            }
        );
        assert!(b.reason().contains("“local”"));
        assert_eq!(action_gate(&admin(), &s, Some(&e), false, Start), Ok(()));
    }

    #[test]
    fn resource_control_must_grant_non_admins() {
        let e = docker_up();
        let mut s = compose(Inactive);
        for (rc, ok) in [
            (None, false),
            (Some(restricted_to(&[], &[])), false),
            (Some(restricted_to(&[7], &[9])), false),
            (Some(restricted_to(&[2], &[])), true),
            (Some(restricted_to(&[], &[1])), true),
            (Some(public()), true),
        ] {
            s.resource_control = rc;
            let got = action_gate(&bob(), &s, Some(&e), true, Start);
            if ok {
                assert_eq!(got, Ok(()), "{:?}", s.resource_control);
            } else {
                let b = got.unwrap_err();
                assert_eq!(
                    b,
                    Blocked::ResourceControl {
                        environment: "environment “local”".into()
                    }
                );
                assert_eq!(b.portainer_status(), Some(403));
            }
            // Admins bypass resource controls.
            assert_eq!(action_gate(&admin(), &s, Some(&e), true, Start), Ok(()));
        }
    }

    #[test]
    fn stack_management_setting_blocks_non_admins_on_docker_environments() {
        let s = compose(Inactive);
        for kind in [
            EndpointType::Docker,
            EndpointType::AgentOnDocker,
            EndpointType::EdgeAgentOnDocker,
        ] {
            let off = env(kind, EndpointStatus::Up, false);
            let b = action_gate(&bob(), &s, Some(&off), true, Start).unwrap_err();
            assert_eq!(
                b,
                Blocked::StackManagementDisabled {
                    environment: "environment “local”".into()
                }
            );
            assert_eq!(b.portainer_status(), Some(403));
            assert!(b
                .reason()
                .contains("disabled for non-admin users on environment “local”"));
            assert_eq!(action_gate(&admin(), &s, Some(&off), true, Start), Ok(()));
            let on = env(kind, EndpointStatus::Up, true);
            assert_eq!(action_gate(&bob(), &s, Some(&on), true, Start), Ok(()));
        }
        for kind in [
            EndpointType::KubernetesLocal,
            EndpointType::AgentOnKubernetes,
            EndpointType::EdgeAgentOnKubernetes,
            EndpointType::Azure,
        ] {
            let off = env(kind, EndpointStatus::Up, false);
            assert_eq!(
                action_gate(&bob(), &s, Some(&off), true, Start),
                Ok(()),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn each_action_checks_in_portainers_order() {
        let off = env(EndpointType::Docker, EndpointStatus::Up, false);
        let mut s = compose(Active);
        s.resource_control = None;
        // Start: the management gate, then the name in Docker (409), then the ResourceControl.
        assert!(matches!(
            action_gate(&bob(), &s, Some(&off), true, Start),
            Err(Blocked::StackManagementDisabled { .. })
        ));
        let on = docker_up();
        assert_eq!(
            action_gate(&bob(), &s, Some(&on), true, Start),
            Err(Blocked::AlreadyActive)
        );
        assert_eq!(Blocked::AlreadyActive.portainer_status(), Some(409));
        s.status = Inactive;
        assert!(matches!(
            action_gate(&bob(), &s, Some(&on), true, Start),
            Err(Blocked::ResourceControl { .. })
        ));
        // Stop and redeploy: the ResourceControl before the management gate and the status.
        assert!(matches!(
            action_gate(&bob(), &s, Some(&off), true, Stop),
            Err(Blocked::ResourceControl { .. })
        ));
        let mut git = stack(StackType::DockerCompose, Active, true);
        git.resource_control = None;
        assert!(matches!(
            action_gate(&bob(), &git, Some(&off), true, Redeploy),
            Err(Blocked::ResourceControl { .. })
        ));
    }

    #[test]
    fn kubernetes_redeploy_needs_no_resource_control() {
        // Portainer CE gives Kubernetes stacks no ResourceControl and skips the check.
        let e = env(EndpointType::KubernetesLocal, EndpointStatus::Up, false);
        let mut s = stack(StackType::Kubernetes, Active, true);
        s.resource_control = None;
        assert_eq!(action_gate(&bob(), &s, Some(&e), true, Redeploy), Ok(()));
        // The environment must still be the user's.
        assert!(matches!(
            action_gate(&bob(), &s, Some(&e), false, Redeploy),
            Err(Blocked::EnvironmentNotAccessible { .. })
        ));
        // A Docker git stack without one is refused.
        let mut d = stack(StackType::DockerCompose, Active, true);
        d.resource_control = None;
        assert!(matches!(
            action_gate(&bob(), &d, Some(&docker_up()), true, Redeploy),
            Err(Blocked::ResourceControl { .. })
        ));
    }

    #[test]
    fn update_follows_stack_update_go() {
        use StackAction::Update;
        let (on, off) = (
            docker_up(),
            env(EndpointType::Docker, EndpointStatus::Up, false),
        );
        // Any status, file or git: only access and the management setting decide.
        for s in [
            compose(Active),
            stack(StackType::DockerSwarm, Inactive, false),
        ] {
            assert_eq!(action_gate(&bob(), &s, Some(&on), true, Update), Ok(()));
            assert!(matches!(
                action_gate(&bob(), &s, Some(&off), true, Update),
                Err(Blocked::StackManagementDisabled { .. })
            ));
            assert_eq!(action_gate(&admin(), &s, Some(&off), true, Update), Ok(()));
        }
        // The ResourceControl is checked before the setting, as the handler does.
        let mut theirs = compose(Active);
        theirs.resource_control = Some(restricted_to(&[9], &[]));
        assert!(matches!(
            action_gate(&bob(), &theirs, Some(&off), true, Update),
            Err(Blocked::ResourceControl { .. })
        ));
        // Kubernetes stacks skip it, and their environments skip the setting.
        let k8s_env = env(EndpointType::KubernetesLocal, EndpointStatus::Up, false);
        let mut k8s = stack(StackType::Kubernetes, Active, false);
        k8s.resource_control = None;
        assert_eq!(
            action_gate(&bob(), &k8s, Some(&k8s_env), true, Update),
            Ok(())
        );
        assert!(matches!(
            action_gate(&bob(), &compose(Active), Some(&on), false, Update),
            Err(Blocked::EnvironmentNotAccessible { .. })
        ));
    }

    #[test]
    fn down_environment_blocks_everyone_with_its_name() {
        let e = env(EndpointType::AgentOnDocker, EndpointStatus::Down, true);
        for v in [admin(), bob()] {
            for a in StackAction::ALL {
                let s = compose(if a == Stop { Active } else { Inactive });
                let b = action_gate(&v, &s, Some(&e), true, a).unwrap_err();
                assert_eq!(
                    b,
                    Blocked::EnvironmentDown {
                        environment: "environment “local”".into()
                    }
                );
                assert_eq!(b.portainer_status(), None);
                assert_eq!(
                    b.reason(),
                    "Environment “local” is down: Portainer cannot reach it."
                );
            }
        }
        // An already-active stack says so rather than blaming the environment.
        assert_eq!(
            action_gate(&admin(), &compose(Active), Some(&e), true, Start),
            Err(Blocked::AlreadyActive)
        );
    }

    #[test]
    fn row_gate_agrees_with_stack_gate() {
        use crate::domain::stack_rows::build_stack_rows;
        let envs = [
            docker_up(),
            Environment {
                id: 2,
                name: "locked".into(),
                ..env(EndpointType::Docker, EndpointStatus::Up, false)
            },
        ];
        let mut stacks = Vec::new();
        for (i, endpoint_id) in [1, 2, 9].into_iter().enumerate() {
            for (j, rc) in [
                None,
                Some(restricted_to(&[2], &[])),
                Some(restricted_to(&[], &[1])),
                Some(restricted_to(&[5], &[]).and_public()),
                Some(restricted_to(&[5], &[])),
            ]
            .into_iter()
            .enumerate()
            {
                for (k, s) in [
                    compose(Active),
                    compose(Inactive),
                    stack(StackType::Kubernetes, Active, false),
                    stack(StackType::DockerSwarm, Inactive, false),
                ]
                .into_iter()
                .enumerate()
                {
                    stacks.push(Stack {
                        id: (i * 100 + j * 10 + k) as u32,
                        endpoint_id,
                        resource_control: rc.clone(),
                        ..s
                    });
                }
            }
        }
        for v in [admin(), bob()] {
            let rows = build_stack_rows(&stacks, &envs, v.is_admin);
            for (s, row) in stacks.iter().zip(&rows) {
                let e = envs.iter().find(|e| e.id == s.endpoint_id);
                for a in StackAction::ALL {
                    assert_eq!(
                        row_action_gate(&v, row, e, a),
                        action_gate(&v, s, e, e.is_some(), a),
                        "{v:?} {s:?} {a:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_reason_shared_by_actions_is_given_once() {
        let orphaned = Blocked::Orphaned { endpoint_id: 9 }.reason();
        let gates = [
            (StackAction::Start, Some(orphaned.clone())),
            (StackAction::Stop, Some(orphaned.clone())),
            (StackAction::Redeploy, None),
        ];
        assert_eq!(
            shared_reasons(&gates),
            [("Start, Stop".to_string(), orphaned.clone())]
        );
        let gates = [
            (
                StackAction::Start,
                Some("The stack is already running.".to_string()),
            ),
            (StackAction::Stop, None),
            (StackAction::Redeploy, Some(orphaned.clone())),
        ];
        assert_eq!(shared_reasons(&gates).len(), 2);
    }

    #[test]
    fn environment_labels() {
        let e = docker_up();
        assert_eq!(environment_label(Some(&e), 1), "environment “local”");
        assert_eq!(environment_label(None, 9), "environment #9");
        let unnamed = Environment {
            id: 4,
            ..Environment::default()
        };
        assert_eq!(environment_label(Some(&unnamed), 4), "environment #4");
    }

    #[test]
    fn every_reason_is_a_sentence() {
        let env = "environment “local”".to_string();
        let all = [
            Blocked::Kubernetes(Start),
            Blocked::NotFromGit,
            Blocked::AlreadyActive,
            Blocked::AlreadyInactive,
            Blocked::Orphaned { endpoint_id: 4 },
            Blocked::EnvironmentNotAccessible {
                environment: env.clone(),
            },
            Blocked::ResourceControl {
                environment: env.clone(),
            },
            Blocked::StackManagementDisabled {
                environment: env.clone(),
            },
            Blocked::EnvironmentDown { environment: env },
        ];
        for b in all {
            let r = b.to_string();
            assert!(r.ends_with('.'), "{r}");
            assert!(r.chars().next().unwrap().is_uppercase(), "{r}");
        }
    }
}
