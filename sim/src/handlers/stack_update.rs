//! `PUT /api/stacks/{id}?endpointId=N`: a stack's new file and Env, deployed
//! (docs/portainer-api.md §4.7, §4.8), with the checks of `stack_update.go` `stackUpdate` in
//! its order and its words.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Map, Value};

use super::stack_actions::{deploy_error, deploy_failure, git_auth, next_job_id};
use super::stacks::{check_stack_change, find_stack, STACK_NOT_FOUND};
use super::Q;
use crate::auth::Caller;
use crate::clock;
use crate::compose_check::{self, Tool};
use crate::error::{json, route_id, ApiError};
use crate::model::endpoint::Endpoint;
use crate::model::stack::{
    normalize_stack_name, AutoUpdate, GitAuthentication, Stack, STACK_ACTIVE, STACK_KUBERNETES,
    STACK_SWARM,
};
use crate::payload::{bool_field, decode_object, object_field, pairs_field, string_field};
use crate::reach::{dial, host_up};
use crate::state::Sim;
use crate::PortainerVersion;

/// What the update leaves to do once its checks have passed.
struct Plan {
    /// The new content of the stack's entry point, if the payload carries one.
    file: Option<String>,
    /// Compose: pull the images first (`PullImage`).
    pull: bool,
    /// Kubernetes git stacks: a new auto-update job is started.
    start_job: bool,
}

/// `stackUpdate`: `{id}`, the stack, a required `endpointId` that replaces the stored one
/// (and is saved with the stack), that environment, access to it, the stack's ResourceControl
/// (compose and swarm only), the editing gate; then the type's own update and deploy, and the
/// stack saved as updated by the caller, `Status` 1. A failed deploy saves nothing (the file
/// is rolled back), though a compose stack whose `up` failed has lost its containers.
pub async fn update(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let (mut stack, env, plan) = {
        let db = sim.read();
        let mut stack = find_stack(&db, id)?;
        stack.endpoint_id = query.required_number("endpointId")?;
        let env = check_stack_change(
            &db,
            &caller,
            &stack,
            "Stack editing is disabled for non-admin users",
        )?;
        let plan = if stack.kind == STACK_KUBERNETES {
            update_kubernetes(sim.version, &mut stack, &body)?
        } else {
            update_docker(&mut stack, &body)?
        };
        (stack, env, plan)
    };
    if stack.is_docker() {
        let file = plan.file.as_deref().unwrap_or_default();
        deploy_docker(&sim, &env, &stack, file, plan.pull).await?;
    }
    let now = clock::now();
    stack.updated_by = caller.username.clone();
    stack.update_date = now;
    stack.status = STACK_ACTIVE;
    let mut db = sim.write();
    if plan.start_job {
        let job_id = next_job_id(&mut db);
        if let Some(auto) = stack.auto_update.as_mut() {
            auto.job_id = job_id;
        }
    }
    let mut changed = false;
    if let Some(file) = plan.file {
        changed = db.stack_files.get(&id) != Some(&file);
        db.stack_files.insert(id, file);
    }
    if stack.is_docker() {
        // `compose up` (no forced recreation) / `docker stack deploy`: a stopped stack's
        // objects are created again; containers are replaced when the file changed.
        db.create_stack_objects(id, now);
        db.run_stack_containers(id, now, changed);
    }
    let stored = db
        .stack_mut(id)
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))?;
    *stored = stack;
    Ok(json(&stored.view(sim.version, None)))
}

/// The deploy's failures (`api/stacks/deployments/deployer.go` `DeployComposeStack` /
/// `DeploySwarmStack`), which `updateComposeStack`/`updateSwarmStack` answer with a 500 after
/// rolling the file back. The tool reads the file before it dials the host (compose's daemon
/// probes at start are non-fatal), so a refused file wins over a host that is down; Portainer
/// itself opens an Edge tunnel before it runs the tool, which fails first on 2.23, while 2.19
/// waits for it and then runs the tool anyway.
async fn deploy_docker(
    sim: &Sim,
    env: &Endpoint,
    stack: &Stack,
    file: &str,
    pull: bool,
) -> Result<(), ApiError> {
    let tool = match stack.kind {
        STACK_SWARM => Tool::StackDeploy(sim.version),
        _ => Tool::Compose(sim.version),
    };
    let path = format!(
        "{}/{}",
        stack.project_path.trim_end_matches('/'),
        stack.entry_point.trim_start_matches('/')
    );
    let refusal = compose_check::check(tool, file, &path).err();
    let tunnel_first = env.is_edge() && sim.version == PortainerVersion::V2_23;
    let Some(refusal) = refusal.filter(|_| !tunnel_first) else {
        return dial(env, sim.dial)
            .await
            .map_err(|unreachable| deploy_failure(sim, stack, pull, &unreachable));
    };
    if env.is_edge() {
        let _ = dial(env, sim.dial).await;
    }
    // `DeployComposeStack` runs `compose down` after a failed `up` (not after a failed `pull`):
    // the stack's containers go, on a host it reaches, while the stack keeps its `Status`.
    let up_failed = !pull || refusal.up_only;
    if stack.kind != STACK_SWARM && up_failed && !env.is_edge() && host_up(env) {
        sim.write().remove_stack_objects(stack.id);
    }
    Err(deploy_error(
        stack,
        pull && !refusal.up_only,
        &refusal.stderr,
    ))
}

/// `updateComposeStack` / `updateSwarmStack` (2.19 and 2.23): the name normalised, the
/// auto-update job stopped and `AutoUpdate` cleared, a git stack detached (`GitConfig` null,
/// `FromAppTemplate` true), `Env` replaced by the payload's. Swarm's `Prune` goes to the
/// deploy only; it is not stored in `Option`.
fn update_docker(stack: &mut Stack, body: &[u8]) -> Result<Plan, ApiError> {
    stack.name = normalize_stack_name(&stack.name);
    stack.auto_update = None;
    if stack.git_config.is_some() {
        stack.from_app_template = true;
    }
    let owner = if stack.kind == STACK_SWARM {
        "stacks.updateSwarmStackPayload"
    } else {
        "stacks.updateComposeStackPayload"
    };
    let payload = decode_object(body)?;
    let file = string_field(&payload, owner, "StackFileContent")?;
    let env = pairs_field(&payload, owner, "Env")?;
    let pull = bool_field(&payload, owner, "PullImage")?;
    if stack.kind == STACK_SWARM {
        bool_field(&payload, owner, "Prune")?;
    }
    require_file(&file)?;
    stack.env = env;
    stack.git_config = None;
    Ok(Plan {
        file: Some(file),
        pull,
        start_job: false,
    })
}

/// The payloads' `Validate`: an empty file is refused.
fn require_file(file: &str) -> Result<(), ApiError> {
    if file.is_empty() {
        return Err(
            ApiError::bad_request("Invalid request payload").details("Invalid stack file content")
        );
    }
    Ok(())
}

/// `update_kubernetes_stack.go` `updateKubernetesStack`. A git stack takes the payload's
/// reference, TLS setting, credentials and `AutoUpdate` (validated, and a job started for an
/// interval); a file stack takes a new manifest and, on 2.23, the payload's `StackName` (an
/// omitted one blanks the name, as it does on a git redeploy). The simulator's Kubernetes
/// deploys always succeed.
fn update_kubernetes(
    version: PortainerVersion,
    stack: &mut Stack,
    body: &[u8],
) -> Result<Plan, ApiError> {
    let Some(git) = stack.git_config.as_mut() else {
        let owner = "stacks.kubernetesFileStackUpdatePayload";
        let payload = decode_object(body)?;
        let file = string_field(&payload, owner, "StackFileContent")?;
        let name = string_field(&payload, owner, "StackName")?;
        require_file(&file)?;
        if version == PortainerVersion::V2_23 {
            stack.name = name;
        }
        return Ok(Plan {
            file: Some(file),
            pull: false,
            start_job: false,
        });
    };
    let owner = "stacks.kubernetesGitStackUpdatePayload";
    let payload = decode_object(body)?;
    let reference = string_field(&payload, owner, "RepositoryReferenceName")?;
    let authenticate = bool_field(&payload, owner, "RepositoryAuthentication")?;
    let username = string_field(&payload, owner, "RepositoryUsername")?;
    let password = string_field(&payload, owner, "RepositoryPassword")?;
    let auto_update = match object_field(
        &payload,
        owner,
        "AutoUpdate",
        "portainer.AutoUpdateSettings",
    )? {
        Some(fields) => Some(auto_update_settings(fields)?),
        None => None,
    };
    let tls_skip_verify = bool_field(&payload, owner, "TLSSkipVerify")?;
    validate_auto_update(auto_update.as_ref())?;
    // A stack with saved credentials stands for a private repository (see `clone_allowed`).
    let private = git.authentication.is_some();
    git.reference_name = reference;
    git.tls_skip_verify = tls_skip_verify;
    // 2.23 drops the saved credentials before it reads the payload's, so an empty password
    // stays empty there; 2.19 still falls back on the saved one.
    let saved = match version {
        PortainerVersion::V2_23 => None,
        PortainerVersion::V2_19 => git.authentication.clone(),
    };
    git.authentication = None;
    if authenticate {
        let password = match saved {
            Some(saved) if password.is_empty() => saved.password,
            _ => password,
        };
        // `GitService.LatestCommitID` with the new credentials.
        if private && git_auth(&username, &password).is_none() {
            return Err(
                ApiError::internal("Unable to fetch git repository").details(
                    "authentication failed, please ensure that the git credentials are correct",
                ),
            );
        }
        git.authentication = Some(GitAuthentication {
            username,
            password,
            git_credential_id: 0,
        });
    }
    let start_job = auto_update.as_ref().is_some_and(|a| !a.interval.is_empty());
    stack.auto_update = auto_update;
    Ok(Plan {
        file: None,
        pull: false,
        start_job,
    })
}

/// `portainer.AutoUpdateSettings` as Go decodes it (no json tags).
pub(super) fn auto_update_settings(fields: &Map<String, Value>) -> Result<AutoUpdate, ApiError> {
    let owner = "portainer.AutoUpdateSettings";
    Ok(AutoUpdate {
        interval: string_field(fields, owner, "Interval")?,
        webhook: string_field(fields, owner, "Webhook")?,
        job_id: string_field(fields, owner, "JobID")?,
        force_update: bool_field(fields, owner, "ForceUpdate")?,
        force_pull_image: bool_field(fields, owner, "ForcePullImage")?,
    })
}

/// `api/git/update/validate.go` `ValidateAutoUpdateSettings` (2.19 and 2.23).
pub(super) fn validate_auto_update(settings: Option<&AutoUpdate>) -> Result<(), ApiError> {
    let Some(settings) = settings else {
        return Ok(());
    };
    let invalid = |text: &str| ApiError::bad_request("Invalid request payload").details(text);
    if settings.webhook.is_empty() && settings.interval.is_empty() {
        return Err(invalid("Webhook or Interval must be provided"));
    }
    if !settings.webhook.is_empty() && !is_uuid(&settings.webhook) {
        return Err(invalid("invalid Webhook format"));
    }
    if !settings.interval.is_empty() && clock::parse_go_duration(&settings.interval).is_err() {
        return Err(invalid("invalid Interval format"));
    }
    Ok(())
}

/// govalidator's `IsUUID`: five groups of 8-4-4-4-12 lower-case hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
            group.len() == len
                && group
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}
