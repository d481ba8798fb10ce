//! What an edit sends: `PUT /api/stacks/{id}` with the payload of the stack's type
//! (docs/portainer-api.md §4.7), or, for a stack deployed from git, a redeploy with the new
//! reference and variables (a file update would detach it from its repository), or only its
//! settings saved (`POST /api/stacks/{id}/git`, §13).

use super::{AutoUpdate, Pair, Stack, StackType};
use serde::Serialize;

/// The operator's edit of a stack, whatever its type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackEdit {
    /// The entry point's new content (file stacks).
    pub file: String,
    pub env: Vec<Pair>,
    /// The git reference to deploy (git stacks), e.g. `refs/heads/main`.
    pub reference: String,
    /// Pull the images again even when their tags did not change.
    pub pull_image: bool,
    /// Swarm: remove services the file no longer names.
    pub prune: bool,
    /// A git stack: clone and deploy now (`true`), or only save reference and variables for
    /// the next redeploy or auto-update.
    pub redeploy: bool,
}

/// `stackGitUpdatePayload` (§13). Portainer overwrites every field, an omitted one with its
/// zero value, so TLS, credentials and auto-update are echoed from the stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GitSettingsPayload {
    pub repository_reference_name: String,
    pub repository_authentication: bool,
    pub repository_username: String,
    /// Empty: with authentication on, Portainer keeps the saved password.
    pub repository_password: String,
    #[serde(rename = "TLSSkipVerify")]
    pub tls_skip_verify: bool,
    pub env: Vec<Pair>,
    pub prune: bool,
    pub auto_update: Option<AutoUpdate>,
}

impl GitSettingsPayload {
    /// `None` when the stack was not deployed from git.
    pub fn for_stack(stack: &Stack, edit: &StackEdit) -> Option<Self> {
        let git = stack.git_config.as_ref()?;
        let (repository_authentication, repository_username) = git.saved_credentials();
        Some(Self {
            repository_reference_name: edit.reference.clone(),
            repository_authentication,
            repository_username,
            repository_password: String::new(),
            tls_skip_verify: git.tls_skip_verify,
            env: edit.env.clone(),
            prune: edit.prune && stack.kind == StackType::DockerSwarm,
            auto_update: stack.auto_update.clone(),
        })
    }
}

/// `updateComposeStackPayload` `{StackFileContent, Env, PullImage}`, `updateSwarmStackPayload`
/// (adds `Prune`), `kubernetesFileStackUpdatePayload` `{StackFileContent, StackName}`: only the
/// fields of the stack's type are sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackUpdatePayload {
    pub stack_file_content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<Pair>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_image: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prune: Option<bool>,
    /// Kubernetes: Portainer 2.22+ renames the stack to this whenever it differs (an absent
    /// one blanks the name), so the current name is echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_name: Option<String>,
}

impl StackUpdatePayload {
    /// For a stack deployed from a file (a git stack is redeployed instead).
    pub fn for_stack(stack: &Stack, edit: &StackEdit) -> Self {
        let docker = stack.kind != StackType::Kubernetes;
        Self {
            stack_file_content: edit.file.clone(),
            env: docker.then(|| edit.env.clone()),
            pull_image: docker.then_some(edit.pull_image),
            prune: (stack.kind == StackType::DockerSwarm).then_some(edit.prune),
            stack_name: (!docker).then(|| stack.name.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(kind: StackType) -> Stack {
        Stack {
            id: 3,
            name: "web".into(),
            kind,
            endpoint_id: 1,
            ..Stack::default()
        }
    }

    fn edit() -> StackEdit {
        StackEdit {
            file: "services: {}\n".into(),
            env: vec![Pair {
                name: "TAG".into(),
                value: "1.2".into(),
            }],
            reference: String::new(),
            pull_image: true,
            prune: true,
            redeploy: false,
        }
    }

    fn json(stack: &Stack) -> String {
        serde_json::to_string(&StackUpdatePayload::for_stack(stack, &edit())).unwrap()
    }

    #[test]
    fn each_type_sends_its_own_fields() {
        assert_eq!(
            json(&stack(StackType::DockerCompose)),
            r#"{"StackFileContent":"services: {}\n","Env":[{"name":"TAG","value":"1.2"}],"PullImage":true}"#
        );
        assert_eq!(
            json(&stack(StackType::DockerSwarm)),
            r#"{"StackFileContent":"services: {}\n","Env":[{"name":"TAG","value":"1.2"}],"PullImage":true,"Prune":true}"#
        );
        assert_eq!(
            json(&stack(StackType::Kubernetes)),
            r#"{"StackFileContent":"services: {}\n","StackName":"web"}"#
        );
    }

    #[test]
    fn saving_git_settings_echoes_what_portainer_would_otherwise_wipe() {
        let mut git = stack(StackType::DockerSwarm);
        git.git_config = Some(crate::portainer::GitConfig {
            url: "https://git.example/o/r.git".into(),
            reference_name: "refs/heads/main".into(),
            tls_skip_verify: true,
            authentication: Some(crate::portainer::GitAuthentication {
                username: "deploy".into(),
                git_credential_id: 0,
            }),
            ..Default::default()
        });
        git.auto_update = Some(AutoUpdate {
            interval: "5m".into(),
            job_id: "7".into(),
            ..Default::default()
        });
        let mut e = edit();
        e.reference = "refs/tags/v2".into();
        let json =
            serde_json::to_string(&GitSettingsPayload::for_stack(&git, &e).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"RepositoryReferenceName":"refs/tags/v2","RepositoryAuthentication":true,"RepositoryUsername":"deploy","RepositoryPassword":"","TLSSkipVerify":true,"Env":[{"name":"TAG","value":"1.2"}],"Prune":true,"AutoUpdate":{"Interval":"5m","Webhook":"","JobID":"7","ForceUpdate":false,"ForcePullImage":false}}"#
        );
        assert_eq!(
            GitSettingsPayload::for_stack(&stack(StackType::DockerCompose), &e),
            None
        );
    }
}
