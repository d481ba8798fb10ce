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

/// A stack as the list pages read it: [`Stack`] without `Env`, `SwarmId`, `AdditionalFiles`,
/// `AutoUpdate`, `Option` and the git details a row never shows, which stay empty. At 20,000
/// stacks, allocating those cost a quarter of the list's decoding; the stack's own page reads
/// it whole. Decoded as the `Stack` it becomes, so every list page keeps one type.
#[derive(Deserialize)]
#[serde(from = "ListedFields")]
pub(crate) struct ListedStack(pub Stack);

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListedFields {
    id: u32,
    #[serde(default, deserialize_with = "null_default")]
    name: String,
    #[serde(default, rename = "Type")]
    kind: StackType,
    #[serde(default)]
    endpoint_id: u32,
    #[serde(default, deserialize_with = "null_default")]
    entry_point: String,
    #[serde(default)]
    resource_control: Option<ResourceControl>,
    #[serde(default)]
    status: StackStatus,
    #[serde(default)]
    creation_date: i64,
    #[serde(default, deserialize_with = "null_default")]
    created_by: String,
    #[serde(default)]
    update_date: i64,
    #[serde(default, deserialize_with = "null_default")]
    updated_by: String,
    #[serde(default)]
    git_config: Option<ListedGit>,
    #[serde(default, deserialize_with = "null_default")]
    namespace: String,
}

/// What a row shows of a git stack's `GitConfig`: where it comes from.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListedGit {
    #[serde(default, rename = "URL", deserialize_with = "null_default")]
    url: String,
    #[serde(default, deserialize_with = "null_default")]
    reference_name: String,
}

impl From<ListedFields> for ListedStack {
    fn from(f: ListedFields) -> Self {
        Self(Stack {
            id: f.id,
            name: f.name,
            kind: f.kind,
            endpoint_id: f.endpoint_id,
            entry_point: f.entry_point,
            resource_control: f.resource_control,
            status: f.status,
            creation_date: f.creation_date,
            created_by: f.created_by,
            update_date: f.update_date,
            updated_by: f.updated_by,
            git_config: f.git_config.map(|git| GitConfig {
                url: git.url,
                reference_name: git.reference_name,
                ..GitConfig::default()
            }),
            namespace: f.namespace,
            ..Stack::default()
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Portainer's answers in both shapes, and the git stack with auto update, as lists.
    fn lists() -> [(&'static str, String); 4] {
        let one = |stack: &str| format!("[{stack}]");
        [
            (
                "2.19",
                include_str!("../../../tests/fixtures/portainer/2.19/stacks.json").into(),
            ),
            (
                "2.23",
                include_str!("../../../tests/fixtures/portainer/2.23/stacks.json").into(),
            ),
            (
                "2.19 git",
                one(include_str!(
                    "../../../tests/fixtures/portainer/2.19/stack.json"
                )),
            ),
            (
                "2.23 git",
                one(include_str!(
                    "../../../tests/fixtures/portainer/2.23/stack.json"
                )),
            ),
        ]
    }

    #[test]
    fn a_listed_stack_is_the_whole_stack_without_the_details_a_row_never_shows() {
        for (shape, body) in lists() {
            let whole: Vec<Stack> = serde_json::from_str(&body).unwrap();
            let listed: Vec<ListedStack> = serde_json::from_str(&body).unwrap();
            assert_eq!(whole.len(), listed.len(), "{shape}");
            for (whole, ListedStack(listed)) in whole.into_iter().zip(listed) {
                let expected = Stack {
                    swarm_id: String::new(),
                    env: Vec::new(),
                    additional_files: Vec::new(),
                    auto_update: None,
                    option: None,
                    git_config: whole.git_config.as_ref().map(|git| GitConfig {
                        url: git.url.clone(),
                        reference_name: git.reference_name.clone(),
                        ..GitConfig::default()
                    }),
                    ..whole.clone()
                };
                assert_eq!(listed, expected, "{shape}: stack {}", whole.id);
            }
        }
    }

    #[test]
    fn the_fixtures_hold_every_detail_the_listed_stack_leaves_out() {
        // Otherwise the test above would compare empty with empty.
        let all: Vec<Stack> = lists()
            .iter()
            .flat_map(|(_, body)| serde_json::from_str::<Vec<Stack>>(body).unwrap())
            .collect();
        assert!(all.iter().any(|s| !s.env.is_empty()));
        assert!(all.iter().any(|s| !s.swarm_id.is_empty()));
        assert!(all.iter().any(|s| s.auto_update.is_some()));
        assert!(all.iter().any(|s| s.option.is_some()));
        assert!(all.iter().any(|s| !s.additional_files.is_empty()));
        assert!(all
            .iter()
            .filter_map(|s| s.git_config.as_ref())
            .any(|g| !g.config_hash.is_empty() && !g.config_file_path.is_empty()));
    }
}
