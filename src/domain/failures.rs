//! What went wrong behind Portainer, in an operator's words: the failures Portainer reports in
//! its own odd ways (docs/portainer-api.md §4, §5, §11). A Docker host that does not answer is
//! a 502 with an empty body after minutes, or a 500 naming the daemon; a refused container log
//! is a 500 "Mime: no media type" or an empty 502, never the 403 Portainer meant; starting a
//! stack that runs is a 409; a private repository cloned without credentials is a 500.

use super::connection::Diagnosis;
use super::permissions::StackAction;
use crate::portainer::ApiError;

/// What was being asked when the error came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    /// A stack action: start, stop, redeploy, update.
    Action(StackAction),
    /// A list through the Docker proxy (containers, services, tasks).
    DockerList,
    /// A container's log through the Docker proxy.
    Logs,
    /// A list through the Kubernetes proxy (pods, workloads).
    KubernetesList,
    /// A pod container's log through the Kubernetes proxy.
    PodLogs,
}

/// The explanation of `err` for what was asked, when Portainer's answer hides the cause.
pub fn explain(err: &ApiError, asked: Asked) -> Option<Diagnosis> {
    let text = err.portainer_message().unwrap_or_default();
    let lower = text.to_ascii_lowercase();
    if matches!(asked, Asked::KubernetesList | Asked::PodLogs) {
        return explain_kubernetes(err, asked, text, &lower);
    }
    if lower.contains("tunnel") {
        return Some(tunnel());
    }
    if lower.contains("mime: no media type") {
        return Some(refused_log());
    }
    if lower.contains("cannot connect to the docker daemon") || says_unreachable(&lower) {
        return Some(unreachable(asked));
    }
    match (err, asked) {
        (ApiError::Conflict { .. }, Asked::Action(StackAction::Start)) => Some(Diagnosis {
            cause: "Portainer found containers or services that carry this stack's name on the \
                    environment, so it takes the stack for running: it may have been started \
                    outside Portainer, or another stack has the same name."
                .into(),
            fix:
                "Stop the stack first (or remove what runs under its name), or redeploy it instead \
                  of starting it."
                    .into(),
        }),
        (ApiError::Server { message, .. }, Asked::Action(StackAction::Redeploy))
            if message.contains("Unable to clone git repository") =>
        {
            Some(Diagnosis {
                cause: "Portainer could not clone the stack's repository. A private repository \
                        refuses a clone without credentials, and Portainer clones with the saved \
                        ones only when they are set on the stack."
                    .into(),
                fix: "Check the stack's git credentials in Portainer (Stacks → the stack → Git \
                      settings), then redeploy again."
                    .into(),
            })
        }
        // `stack_update.go`: the deploy tool refused the file, its error text as the message
        // (docs/portainer-api.md §14); Portainer's own failures say "Unable to …".
        (ApiError::Server { message, .. }, Asked::Action(StackAction::Update))
            if !message.starts_with("Unable to") =>
        {
            Some(refused_update(message))
        }
        // The reverse proxy of an agent or TCP environment answers an unreachable host with an
        // empty 502; an answer that never comes is the same host, waited on.
        (
            ApiError::Server {
                status: 502,
                message,
            },
            _,
        ) if message.is_empty() => match asked {
            Asked::Logs => Some(Diagnosis {
                cause: "Portainer answered with an empty 502: either it could not reach this \
                        environment's Docker host, or it refused this container's log to this \
                        token (Portainer reports such a refusal this way on agent environments)."
                    .into(),
                fix: "If the containers list of this stack loads, the host is reachable and the \
                      log was refused: only containers of stacks whose access control names this \
                      user or a team of theirs can be read. Otherwise, check the Docker host."
                    .into(),
            }),
            _ => Some(unreachable(asked)),
        },
        (ApiError::Timeout { .. }, Asked::DockerList | Asked::Logs) => Some(unreachable(asked)),
        _ => None,
    }
}

/// A dial that failed, in the words Go's network errors use.
fn says_unreachable(lower: &str) -> bool {
    lower.contains("connection refused") || lower.contains("no route to host")
}

fn unreachable(asked: Asked) -> Diagnosis {
    if matches!(asked, Asked::KubernetesList | Asked::PodLogs) {
        return Diagnosis {
            cause: "Portainer could not reach this environment's Kubernetes API (or the agent in \
                    front of it): an unreachable cluster is an empty 502, or no answer at all."
                .into(),
            fix: "Check that the cluster and Portainer's agent on it are running and reachable \
                  from Portainer, then retry."
                .into(),
        };
    }
    let nothing_changed = match asked {
        Asked::Action(_) => " Nothing was changed.",
        _ => "",
    };
    Diagnosis {
        cause: format!(
            "Portainer could not reach this environment's Docker host: it dials the host on every \
             request, and a host that is down answers only after the system's connect timeout \
             (up to about two minutes).{nothing_changed}"
        ),
        fix: "Check that the environment's Docker host (or its agent) is running and reachable \
              from Portainer, then retry."
            .into(),
    }
}

/// A compose `up` that fails is followed by `compose down` (`deployer.go`
/// `DeployComposeStack`, portainer#8008): the file is put back, but the containers are gone.
/// A failed pull, or a swarm deploy, changes nothing.
fn refused_update(message: &str) -> Diagnosis {
    let cause = if message.starts_with("failed to deploy a stack") {
        "Docker Compose refused the new file (its words are below). Portainer put the previous \
         file back, but, as it does after any failed compose deploy, it also removed the \
         stack's containers: the stack runs nothing now, though Portainer still lists it as \
         active."
    } else if message.starts_with("failed to pull images") {
        "An image of the new file could not be pulled (Docker's words are below): Portainer put \
         the previous file back and the stack was not changed."
    } else {
        "Docker refused the new file (its words are below), so Portainer put the previous file \
         back: the stack was not changed."
    };
    Diagnosis {
        cause: cause.into(),
        fix: "Correct the file and update again: your edit is kept as a draft.".into(),
    }
}

/// Portainer passes the cluster's answers on unchanged (docs/portainer-api.md §15.1); a
/// standard user's requests reach it as a service account bound to the namespaces the user
/// may use (§15.2), so a refusal is the API server's own 403 naming that account.
fn explain_kubernetes(err: &ApiError, asked: Asked, text: &str, lower: &str) -> Option<Diagnosis> {
    let silent = match err {
        ApiError::Server {
            status: 502,
            message,
        } => message.is_empty(),
        ApiError::Timeout { .. } => true,
        _ => false,
    };
    if silent || lower.contains("tunnel") || says_unreachable(lower) {
        return Some(unreachable(asked));
    }
    match err {
        ApiError::Forbidden { .. } if text.contains("system:serviceaccount:portainer:") => {
            Some(Diagnosis {
                cause:
                    "The cluster refused this token's user in this namespace. Portainer sends a \
                        standard user's requests to Kubernetes as a service account that may use \
                        only the namespaces Portainer's namespace access names the user or one of \
                        their teams in (and default, unless it is restricted)."
                        .into(),
                fix: "Ask an administrator to give this user or a team of theirs access to the \
                      namespace in Portainer (Namespaces, Manage access), or use an \
                      administrator's token."
                    .into(),
            })
        }
        _ => None,
    }
}

fn tunnel() -> Diagnosis {
    Diagnosis {
        cause: "This Edge environment's agent has not opened its tunnel to Portainer, so Portainer \
                cannot reach its Docker host; it gives up after twice the agent's check-in interval."
            .into(),
        fix: "Check that the Edge agent runs and can reach Portainer, wait for its next check-in, \
              then retry."
            .into(),
    }
}

fn refused_log() -> Diagnosis {
    Diagnosis {
        cause: "Portainer refused this container's log to this token. It reports the refusal as a \
                broken error (\"Mime: no media type\") instead of a 403."
            .into(),
        fix:
            "Only containers of stacks whose access control names this user or one of their teams \
              can be read (io.portainer.accesscontrol labels do not count for logs); ask an \
              administrator, or use a token that has access."
                .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, message: &str) -> ApiError {
        ApiError::Server {
            status,
            message: message.into(),
        }
    }

    #[test]
    fn a_host_that_is_down_is_named_whatever_portainer_wraps_it_in() {
        for err in [
            server(500, "Unable to check for name collision: Cannot connect to the Docker daemon at tcp://10.0.4.21:2375. Is the docker daemon running?"),
            server(500, "Unable to stop stack: Failed to remove a stack: Cannot connect to the Docker daemon at tcp://x. Is the docker daemon running?"),
            server(502, ""),
            ApiError::Timeout { after_ms: 15_000 },
        ] {
            let d = explain(&err, Asked::DockerList).unwrap();
            assert!(d.cause.contains("could not reach this environment's Docker host"), "{err:?}");
        }
        let d = explain(
            &server(500, "Unable to stop stack: Failed to remove a stack: Cannot connect to the Docker daemon"),
            Asked::Action(StackAction::Stop),
        )
        .unwrap();
        assert!(d.cause.contains("Nothing was changed"));
    }

    #[test]
    fn the_clusters_refusal_and_silence_are_explained_in_kubernetes_words() {
        let refused = ApiError::Forbidden {
            message: "pods is forbidden: User \"system:serviceaccount:portainer:portainer-sa-user-9f2c-2\" cannot list resource \"pods\" in API group \"\" in the namespace \"ops\"".into(),
        };
        let d = explain(&refused, Asked::KubernetesList).unwrap();
        assert!(d.cause.contains("namespace access"), "{}", d.cause);
        assert!(explain(&refused, Asked::PodLogs).is_some());
        // Portainer's own refusal of the environment is not the cluster's.
        let portainer = ApiError::Forbidden {
            message: "Permission denied to access environment".into(),
        };
        assert_eq!(explain(&portainer, Asked::KubernetesList), None);
        let d = explain(&server(502, ""), Asked::PodLogs).unwrap();
        assert!(d.cause.contains("Kubernetes API"), "{}", d.cause);
        assert!(!d.cause.contains("Docker"));
        let d = explain(
            &ApiError::Timeout { after_ms: 15_000 },
            Asked::KubernetesList,
        )
        .unwrap();
        assert!(d.cause.contains("Kubernetes API"));
    }

    #[test]
    fn an_edge_tunnel_and_a_refused_log_are_told_apart() {
        let d = explain(
            &server(
                500,
                "Unable to get the active tunnel: Unable to open the tunnel",
            ),
            Asked::DockerList,
        )
        .unwrap();
        assert!(d.cause.contains("Edge"));
        let d = explain(
            &server(
                500,
                "Unable to proxy the request via the Docker socket: Mime: no media type",
            ),
            Asked::Logs,
        )
        .unwrap();
        assert!(d.cause.contains("refused this container's log"));
        let d = explain(&server(502, ""), Asked::Logs).unwrap();
        assert!(d.cause.contains("either") && d.cause.contains("refused"));
    }

    #[test]
    fn a_409_on_start_and_a_failed_clone_say_what_to_do() {
        let conflict = ApiError::Conflict {
            message: "A stack with the name 'web' is already running".into(),
        };
        let d = explain(&conflict, Asked::Action(StackAction::Start)).unwrap();
        assert!(d.fix.contains("Stop the stack first"));
        assert_eq!(explain(&conflict, Asked::DockerList), None);
        let clone = server(
            500,
            "Unable to clone git repository directory: Invalid git credential: authentication failed",
        );
        let d = explain(&clone, Asked::Action(StackAction::Redeploy)).unwrap();
        assert!(d.cause.contains("credentials"));
    }

    #[test]
    fn a_file_docker_refuses_on_update_is_told_with_what_it_cost() {
        let update = Asked::Action(StackAction::Update);
        let compose = server(
            500,
            "failed to deploy a stack: validating /data/compose/3/docker-compose.yml: \
             services.web Additional property imag is not allowed\n",
        );
        let d = explain(&compose, update).unwrap();
        assert!(
            d.cause.contains("removed the stack's containers"),
            "{}",
            d.cause
        );
        assert!(d.fix.contains("draft"));
        let swarm = server(
            500,
            "services.web Additional property imag is not allowed\n",
        );
        let d = explain(&swarm, update).unwrap();
        assert!(d.cause.contains("not changed"), "{}", d.cause);
        let pull = server(500, "failed to pull images of the stack: manifest unknown");
        assert!(explain(&pull, update)
            .unwrap()
            .cause
            .contains("not changed"));
        // Portainer's own failures, and the same words on a redeploy, are not the file's.
        let own = server(500, "Unable to persist updated Compose file on disk");
        assert_eq!(explain(&own, update), None);
        assert_eq!(
            explain(&compose, Asked::Action(StackAction::Redeploy)),
            None
        );
        // A host that is down is said as such, on an update too.
        let down = server(
            500,
            "failed to deploy a stack: Cannot connect to the Docker daemon",
        );
        assert!(explain(&down, update)
            .unwrap()
            .cause
            .contains("could not reach"));
    }

    #[test]
    fn portainers_own_refusals_need_no_explanation() {
        let forbidden = ApiError::Forbidden {
            message: "Access denied to resource".into(),
        };
        assert_eq!(explain(&forbidden, Asked::Logs), None);
        assert_eq!(
            explain(&server(500, "database is locked"), Asked::DockerList),
            None
        );
    }
}
