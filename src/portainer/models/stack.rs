//! `Stack` (docs/portainer-api.md §2.2) and the git redeploy payload (§4).

use super::{null_default, ResourceControl, StackStatus, StackType};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stack {
    pub id: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Portainer's `Type`.
    #[serde(default, rename = "Type")]
    pub kind: StackType,
    /// Compose stacks belong to this environment; swarm stacks too, plus `swarm_id`.
    #[serde(default)]
    pub endpoint_id: u32,
    /// Non-empty only for swarm stacks.
    #[serde(default, deserialize_with = "null_default")]
    pub swarm_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub entry_point: String,
    #[serde(default, deserialize_with = "null_default")]
    pub env: Vec<Pair>,
    /// Filled in by Portainer on list and inspect when one exists.
    #[serde(default)]
    pub resource_control: Option<ResourceControl>,
    #[serde(default)]
    pub status: StackStatus,
    /// Unix seconds.
    #[serde(default)]
    pub creation_date: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub created_by: String,
    #[serde(default)]
    pub update_date: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub updated_by: String,
    #[serde(default, deserialize_with = "null_default")]
    pub additional_files: Vec<String>,
    #[serde(default)]
    pub auto_update: Option<AutoUpdate>,
    #[serde(default)]
    pub option: Option<StackOption>,
    #[serde(default)]
    pub git_config: Option<GitConfig>,
    /// Kubernetes namespace; empty for Docker stacks.
    #[serde(default, deserialize_with = "null_default")]
    pub namespace: String,
}

/// Portainer's `Pair`, lower-case on the wire (stack `Env`, `BlackListedLabels`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Pair {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub value: String,
}

/// `AutoUpdateSettings` (no json tags, so Go names).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoUpdate {
    /// e.g. `"5m"`; empty when only the webhook is used.
    #[serde(default, deserialize_with = "null_default")]
    pub interval: String,
    /// Webhook id; empty when none.
    #[serde(default, deserialize_with = "null_default")]
    pub webhook: String,
    #[serde(default, rename = "JobID", deserialize_with = "null_default")]
    pub job_id: String,
    #[serde(default)]
    pub force_update: bool,
    #[serde(default)]
    pub force_pull_image: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackOption {
    #[serde(default)]
    pub prune: bool,
}

/// `RepoConfig` of a stack deployed from git. The password is always blanked by Portainer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GitConfig {
    #[serde(default, rename = "URL", deserialize_with = "null_default")]
    pub url: String,
    /// e.g. `refs/heads/main`. Must be echoed back on redeploy or Portainer overwrites it.
    #[serde(default, deserialize_with = "null_default")]
    pub reference_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub config_file_path: String,
    #[serde(default)]
    pub authentication: Option<GitAuthentication>,
    /// Commit hash of the last deployment.
    #[serde(default, deserialize_with = "null_default")]
    pub config_hash: String,
    #[serde(default, rename = "TLSSkipVerify")]
    pub tls_skip_verify: bool,
}

impl GitConfig {
    /// Whether credentials are saved, and their username, to echo back: with authentication
    /// on and an empty password, Portainer keeps the saved password.
    pub fn saved_credentials(&self) -> (bool, String) {
        match self
            .authentication
            .as_ref()
            .filter(|a| !a.username.is_empty() || a.git_credential_id != 0)
        {
            Some(auth) => (true, auth.username.clone()),
            None => (false, String::new()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GitAuthentication {
    #[serde(default, deserialize_with = "null_default")]
    pub username: String,
    #[serde(default, rename = "GitCredentialID")]
    pub git_credential_id: u32,
}

/// `GET /api/stacks/{id}/file`: the entry point file only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackFile {
    #[serde(default, deserialize_with = "null_default")]
    pub stack_file_content: String,
}

/// Body of `PUT /api/stacks/{id}/git/redeploy` (`stackGitRedployPayload`, no json tags).
/// Portainer overwrites the stored reference and env with whatever is sent, so this is built
/// from the current stack ([`GitRedeployPayload::for_stack`]) rather than by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GitRedeployPayload {
    pub repository_reference_name: String,
    pub repository_authentication: bool,
    pub repository_username: String,
    /// Empty: with authentication on, Portainer keeps the saved password.
    pub repository_password: String,
    pub env: Vec<Pair>,
    pub prune: bool,
    pub pull_image: bool,
    /// The stack's own name. From 2.22 Portainer renames a Kubernetes stack to this,
    /// unconditionally (an absent one blanks the name); other stacks and 2.19 ignore it.
    pub stack_name: String,
}

/// What the operator chose in the redeploy confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedeployOptions {
    /// Pull the images again even when their tags did not change.
    pub pull_image: bool,
    /// Swarm: remove services the new compose file no longer names (stored by Portainer as
    /// the stack's `Option.Prune`).
    pub prune: bool,
}

impl RedeployOptions {
    /// Pull images, and prune as the stack was last deployed.
    pub fn for_stack(stack: &Stack) -> Self {
        Self {
            pull_image: true,
            prune: stack.option.as_ref().is_some_and(|o| o.prune),
        }
    }
}

impl GitRedeployPayload {
    /// `None` when the stack was not deployed from git.
    pub fn for_stack(stack: &Stack, options: RedeployOptions) -> Option<Self> {
        let git = stack.git_config.as_ref()?;
        let (repository_authentication, repository_username) = git.saved_credentials();
        Some(Self {
            repository_reference_name: git.reference_name.clone(),
            repository_authentication,
            repository_username,
            repository_password: String::new(),
            env: stack.env.clone(),
            // Portainer reads Prune for swarm stacks only (`Option = {Prune}`).
            prune: options.prune && stack.kind == StackType::DockerSwarm,
            pull_image: options.pull_image,
            stack_name: stack.name.clone(),
        })
    }
}
