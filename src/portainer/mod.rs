//! Typed Portainer client: the only place in Portlight that talks HTTP.
//!
//! `models` are the JSON shapes, `paths` builds every URL, `error` maps answers to [`ApiError`],
//! `logs` demultiplexes Docker log streams and `whoami` finds a token's user on 2.19; all of it
//! is pure and tested natively. [`Client`] only performs fetch (in `fetch`).

pub mod error;
mod fetch;
mod kubernetes;
pub mod listed;
pub mod logs;
pub mod models;
pub mod paths;
pub mod version;
pub mod whoami;

pub use error::{check_token, decode, error_from_response, ApiError};
pub use fetch::CancelHandle;
pub use kubernetes::KubeStackObjects;
pub use listed::{decode_kube_list, decode_list, decode_long_list, Listed, Skipped};
pub use logs::{LogDemuxer, LogFraming, LogLine, LogStream, LogTarget};
pub(crate) use models::ListedStack;
pub use models::{
    token_prefix, AccessPolicies, AccessPolicy, AccessToken, AuthenticationMethod, AutoUpdate,
    BuildInfo, ContainerConfig, ContainerHealth, ContainerInspect, ContainerState,
    ContainerSummary, DockerSnapshot, EndpointGroup, EndpointStatus, EndpointType, Environment,
    EnvironmentPage, GitAuthentication, GitConfig, GitRedeployPayload, GitSettingsPayload,
    GlobalDeploymentOptions, InternalAuthSettings, KubeWorkload, LabelSelector, MembershipRole,
    Motd, NodeDescription, NodeSummary, ObjectMeta, Pair, Pod, PodContainer, PodContainerState,
    PodContainerStatus, Port, PortainerDecoration, PublicSettings, RedeployOptions,
    ResourceControl, ResourceControlType, Role, SecuritySettings, ServiceMode, ServiceSpec,
    ServiceSummary, Settings, Stack, StackEdit, StackFile, StackOption, StackStatus, StackType,
    StackUpdatePayload, Status, SystemVersion, TaskContainerStatus, TaskStatus, TaskSummary, Team,
    TeamMembership, TeamResourceAccess, User, UserResourceAccess, UserRole,
};
pub use paths::{EndpointQuery, LogOptions, Since};
pub use version::ServerVersion;
pub use whoami::TokenUser;

use fetch::{Answer, Call};
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;

/// How long a request may take before it fails with [`ApiError::Timeout`].
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// Stack actions wait for Portainer to pull images, clone and deploy: they get at least this.
pub const ACTION_TIMEOUT_MS: u32 = 300_000;

/// A Portainer address and access token. Cheap to clone; `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    base_url: Arc<str>,
    token: Arc<str>,
    timeout_ms: u32,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("token", &"<hidden>")
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

impl Client {
    /// `base_url` is where `/api` is served: empty for the page's own origin (the normal,
    /// proxied setup), or e.g. `https://ops.example.com`. A trailing `/api` is tolerated.
    pub fn new(base_url: &str, token: &str) -> Self {
        Self {
            base_url: paths::normalize_base_url(base_url).into(),
            token: token.trim().into(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// Per-request timeout; 0 disables it.
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// The token's first 7 characters, as `AccessToken::prefix` shows them (not secret).
    pub fn token_prefix(&self) -> &str {
        token_prefix(&self.token)
    }

    fn call(&self, method: Method, path: &str) -> Call<'_> {
        Call {
            method,
            url: paths::url(&self.base_url, path),
            token: Some(&self.token),
            json_body: None,
            agent_target: None,
            timeout_ms: self.timeout_ms,
        }
    }

    /// A stack action, whose answer comes only after the deployment.
    fn action(&self, method: Method, path: &str) -> Call<'_> {
        let mut call = self.call(method, path);
        if call.timeout_ms != 0 {
            call.timeout_ms = call.timeout_ms.max(ACTION_TIMEOUT_MS);
        }
        call
    }

    async fn send(&self, call: Call<'_>) -> Result<Answer, ApiError> {
        fetch::send(call).await
    }

    async fn json<T: DeserializeOwned>(&self, model: &str, call: Call<'_>) -> Result<T, ApiError> {
        let answer = self.send(call).await?;
        decode(
            model,
            answer.status,
            answer.content_type.as_deref(),
            &answer.text(),
        )
    }

    async fn get<T: DeserializeOwned>(&self, model: &str, path: &str) -> Result<T, ApiError> {
        self.json(model, self.call(Method::GET, path)).await
    }

    /// A list, item by item: one item that does not decode is skipped and counted.
    async fn list<T: DeserializeOwned>(
        &self,
        model: &str,
        path: &str,
    ) -> Result<Listed<T>, ApiError> {
        let answer = self.send(self.call(Method::GET, path)).await?;
        decode_list(
            model,
            answer.status,
            answer.content_type.as_deref(),
            &answer.text(),
        )
    }

    /// The status code of a `GET` to `path` (an `/api/...` path), whatever it is: for checking
    /// what a token may read. Only network failures and timeouts are errors. There is no way to
    /// send another method through here, so a check can never change anything.
    pub async fn get_status(&self, path: &str) -> Result<u16, ApiError> {
        Ok(self.send(self.call(Method::GET, path)).await?.status)
    }

    // ---- system -------------------------------------------------------------------------

    /// `GET /api/system/status`, or the deprecated `/api/status` where it is missing: public
    /// routes, so they are asked without the token (the first thing Connect sends to an address
    /// the operator just typed carries no secret).
    pub async fn system_status(&self) -> Result<Status, ApiError> {
        let public = |path: String| {
            let mut call = self.call(Method::GET, &path);
            call.token = None;
            self.json("Status", call)
        };
        match public(paths::system_status()).await {
            Err(ApiError::NotFound { .. }) => public(paths::legacy_status()).await,
            other => other,
        }
    }

    /// The server's version, from [`Client::system_status`].
    pub async fn server_version(&self) -> Result<ServerVersion, ApiError> {
        let status = self.system_status().await?;
        ServerVersion::parse(&status.version).ok_or_else(|| ApiError::Decode {
            model: "Status".into(),
            detail: format!("\"{}\" is not a version number", status.version),
        })
    }

    pub async fn system_version(&self) -> Result<SystemVersion, ApiError> {
        self.get("SystemVersion", &paths::system_version()).await
    }

    pub async fn public_settings(&self) -> Result<PublicSettings, ApiError> {
        self.get("PublicSettings", &paths::public_settings()).await
    }

    /// Admin only.
    pub async fn settings(&self) -> Result<Settings, ApiError> {
        self.get("Settings", &paths::settings()).await
    }

    pub async fn motd(&self) -> Result<Motd, ApiError> {
        self.get("Motd", &paths::motd()).await
    }

    /// Admin only.
    pub async fn roles(&self) -> Result<Listed<Role>, ApiError> {
        self.list("Role list", &paths::roles()).await
    }

    // ---- users and teams ----------------------------------------------------------------

    /// `GET /api/users/me` (2.20+). On 2.19 use [`Client::current_user`].
    pub async fn users_me(&self) -> Result<User, ApiError> {
        self.get("User", &paths::users_me()).await
    }

    /// The token's user on any version: `/api/users/me`, or the 2.19 search of
    /// [`Client::find_token_user`] when the version is below 2.20 or `/users/me` is missing
    /// (2.19 answers 400 "Invalid user identifier route variable").
    pub async fn current_user(
        &self,
        version: Option<ServerVersion>,
    ) -> Result<TokenUser, ApiError> {
        if version.is_some_and(|v| !v.has_users_me()) {
            return self.find_token_user().await;
        }
        match self.users_me().await {
            Err(ApiError::BadRequest { .. } | ApiError::NotFound { .. }) => {
                self.find_token_user().await
            }
            other => other.map(|user| TokenUser { user, probes: 0 }),
        }
    }

    /// Self or admin.
    pub async fn user(&self, id: u32) -> Result<User, ApiError> {
        self.get("User", &paths::user(id)).await
    }

    /// Admins and team leaders only; entries carry only Id, Username and Role.
    pub async fn users(&self) -> Result<Listed<User>, ApiError> {
        self.list("User list", &paths::users()).await
    }

    /// Self, or an admin asking about a non-admin.
    pub async fn user_tokens(&self, user_id: u32) -> Result<Listed<AccessToken>, ApiError> {
        self.list("AccessToken list", &paths::user_tokens(user_id))
            .await
    }

    pub async fn user_memberships(&self, user_id: u32) -> Result<Listed<TeamMembership>, ApiError> {
        self.list("TeamMembership list", &paths::user_memberships(user_id))
            .await
    }

    /// Non-admins see only their own teams.
    pub async fn teams(&self) -> Result<Listed<Team>, ApiError> {
        self.list("Team list", &paths::teams()).await
    }

    /// Admins and team leaders only.
    pub async fn team_memberships(&self) -> Result<Listed<TeamMembership>, ApiError> {
        self.list("TeamMembership list", &paths::team_memberships())
            .await
    }

    // ---- environments -------------------------------------------------------------------

    /// `GET /api/endpoints` with `X-Total-Count`.
    pub async fn endpoints(&self, query: &EndpointQuery) -> Result<EnvironmentPage, ApiError> {
        let answer = self
            .send(self.call(Method::GET, &paths::endpoints(query)))
            .await?;
        let environments: Listed<Environment> = decode_list(
            "Environment list",
            answer.status,
            answer.content_type.as_deref(),
            &answer.text(),
        )?;
        let environments = environments.dedupe_by(|e| e.id);
        Ok(EnvironmentPage {
            environments,
            total_count: answer.total_count,
        })
    }

    pub async fn endpoint(&self, id: u32) -> Result<Environment, ApiError> {
        self.get("Environment", &paths::endpoint(id)).await
    }

    pub async fn endpoint_groups(&self) -> Result<Listed<EndpointGroup>, ApiError> {
        self.list("EndpointGroup list", &paths::endpoint_groups())
            .await
    }

    // ---- stacks -------------------------------------------------------------------------

    /// Every stack the token may see, in every environment; a stack listed twice is kept once.
    /// Only what the list pages read is decoded ([`ListedStack`]): `Env`, `AutoUpdate` and the
    /// other details stay empty; [`Client::listed_stack`] reads one stack of the list whole.
    pub async fn stacks(&self) -> Result<Listed<Stack>, ApiError> {
        let answer = self.send(self.call(Method::GET, &paths::stacks())).await?;
        let listed: Listed<ListedStack> = decode_long_list(
            "Stack list",
            answer.status,
            answer.content_type.as_deref(),
            &answer.text(),
        )?;
        let listed = Listed {
            // The same layout: the list is reused in place, not copied.
            items: listed.items.into_iter().map(|s| s.0).collect(),
            skipped: listed.skipped,
        };
        Ok(listed.dedupe_by(|s| s.id))
    }

    /// One stack as the list shows it, every field read: the stack's page falls back on it
    /// where Portainer's inspect refuses a stack its list admits. `None` when not listed.
    pub async fn listed_stack(&self, id: u32) -> Result<Option<Stack>, ApiError> {
        let listed: Listed<Stack> = self.list("Stack list", &paths::stacks()).await?;
        Ok(listed.items.into_iter().find(|s| s.id == id))
    }

    pub async fn stack(&self, id: u32) -> Result<Stack, ApiError> {
        self.get("Stack", &paths::stack(id)).await
    }

    /// The entry point file's content.
    pub async fn stack_file(&self, id: u32) -> Result<String, ApiError> {
        let file: StackFile = self.get("StackFile", &paths::stack_file(id)).await?;
        Ok(file.stack_file_content)
    }

    /// Returns the updated stack.
    pub async fn start_stack(&self, id: u32, endpoint_id: u32) -> Result<Stack, ApiError> {
        let call = self.action(Method::POST, &paths::stack_start(id, endpoint_id));
        self.json("Stack", call).await
    }

    /// Returns the updated stack.
    pub async fn stop_stack(&self, id: u32, endpoint_id: u32) -> Result<Stack, ApiError> {
        let call = self.action(Method::POST, &paths::stack_stop(id, endpoint_id));
        self.json("Stack", call).await
    }

    /// Pulls the stack's git reference and redeploys, echoing its current reference and env
    /// (Portainer would otherwise wipe them). Waits for the clone and deploy.
    pub async fn redeploy_git_stack(
        &self,
        stack: &Stack,
        options: RedeployOptions,
    ) -> Result<Stack, ApiError> {
        let payload =
            GitRedeployPayload::for_stack(stack, options).ok_or_else(|| ApiError::BadRequest {
                message: "Stack is not created from git".into(),
            })?;
        let mut call = self.action(
            Method::PUT,
            &paths::stack_git_redeploy(stack.id, stack.endpoint_id),
        );
        call.json_body = Some(
            serde_json::to_string(&payload).map_err(|e| ApiError::Decode {
                model: "GitRedeployPayload".into(),
                detail: e.to_string(),
            })?,
        );
        self.json("Stack", call).await
    }

    /// Sends an edit: `PUT /api/stacks/{id}` for a file stack; for a git stack a redeploy with
    /// the new reference and variables, or only those saved (`POST /api/stacks/{id}/git`).
    /// Waits for the deploy; returns the stack.
    pub async fn update_stack(&self, stack: &Stack, edit: &StackEdit) -> Result<Stack, ApiError> {
        if !edit.redeploy {
            if let Some(settings) = GitSettingsPayload::for_stack(stack, edit) {
                let mut call = self.action(
                    Method::POST,
                    &paths::stack_git_settings(stack.id, stack.endpoint_id),
                );
                call.json_body =
                    Some(
                        serde_json::to_string(&settings).map_err(|e| ApiError::Decode {
                            model: "GitSettingsPayload".into(),
                            detail: e.to_string(),
                        })?,
                    );
                return self.json("Stack", call).await;
            }
        }
        let options = RedeployOptions {
            pull_image: edit.pull_image,
            prune: edit.prune,
        };
        let (path, body) = match GitRedeployPayload::for_stack(stack, options) {
            Some(mut payload) => {
                payload.repository_reference_name = edit.reference.clone();
                payload.env = edit.env.clone();
                (
                    paths::stack_git_redeploy(stack.id, stack.endpoint_id),
                    serde_json::to_string(&payload),
                )
            }
            None => (
                paths::stack_update(stack.id, stack.endpoint_id),
                serde_json::to_string(&StackUpdatePayload::for_stack(stack, edit)),
            ),
        };
        let mut call = self.action(Method::PUT, &path);
        call.json_body = Some(body.map_err(|e| ApiError::Decode {
            model: "StackUpdatePayload".into(),
            detail: e.to_string(),
        })?);
        self.json("Stack", call).await
    }

    // ---- Docker proxy -------------------------------------------------------------------

    /// Containers of a compose stack (running or not).
    pub async fn compose_stack_containers(
        &self,
        endpoint_id: u32,
        stack_name: &str,
    ) -> Result<Listed<ContainerSummary>, ApiError> {
        let path = paths::compose_stack_containers(endpoint_id, stack_name);
        self.list("Docker container list", &path).await
    }

    pub async fn swarm_stack_services(
        &self,
        endpoint_id: u32,
        stack_name: &str,
    ) -> Result<Listed<ServiceSummary>, ApiError> {
        let path = paths::swarm_stack_services(endpoint_id, stack_name);
        self.list("Docker service list", &path).await
    }

    pub async fn swarm_stack_tasks(
        &self,
        endpoint_id: u32,
        stack_name: &str,
    ) -> Result<Listed<TaskSummary>, ApiError> {
        let path = paths::swarm_stack_tasks(endpoint_id, stack_name);
        self.list("Docker task list", &path).await
    }

    /// Containers (running or not) carrying `label` (`key` or `key=value`); every container
    /// without one.
    pub async fn containers(
        &self,
        endpoint_id: u32,
        label: Option<&str>,
    ) -> Result<Listed<ContainerSummary>, ApiError> {
        let path = match label {
            Some(label) => paths::containers(endpoint_id, label),
            None => paths::all_containers(endpoint_id),
        };
        self.list("Docker container list", &path).await
    }

    /// Services carrying `label` (`key` or `key=value`).
    pub async fn services(
        &self,
        endpoint_id: u32,
        label: &str,
    ) -> Result<Listed<ServiceSummary>, ApiError> {
        let path = paths::services(endpoint_id, label);
        self.list("Docker service list", &path).await
    }

    /// A swarm's nodes, for the hostnames of tasks.
    pub async fn nodes(&self, endpoint_id: u32) -> Result<Listed<NodeSummary>, ApiError> {
        self.list("Docker node list", &paths::nodes(endpoint_id))
            .await
    }

    /// The tasks of every swarm stack that should be running.
    pub async fn running_stack_tasks(
        &self,
        endpoint_id: u32,
    ) -> Result<Listed<TaskSummary>, ApiError> {
        let path = paths::running_stack_tasks(endpoint_id);
        self.list("Docker task list", &path).await
    }

    /// `node`: the swarm node name when the environment is an agent on a swarm.
    pub async fn container_inspect(
        &self,
        endpoint_id: u32,
        container_id: &str,
        node: Option<&str>,
    ) -> Result<ContainerInspect, ApiError> {
        let path = paths::container_inspect(endpoint_id, container_id);
        let mut call = self.call(Method::GET, &path);
        call.agent_target = node;
        self.json("Docker container", call).await
    }

    /// The raw log bytes of a container or a service (multiplexed unless it has a TTY):
    /// feed them to a [`LogDemuxer`].
    pub async fn logs(
        &self,
        endpoint_id: u32,
        target: &LogTarget,
        options: &LogOptions,
    ) -> Result<Vec<u8>, ApiError> {
        let path = paths::logs(endpoint_id, target, options, false);
        let mut call = self.call(Method::GET, &path);
        call.agent_target = options.node.as_deref();
        let answer = self.send(call).await?;
        if (200..300).contains(&answer.status) {
            Ok(answer.body)
        } else {
            Err(error_from_response(
                answer.status,
                answer.content_type.as_deref(),
                &answer.text(),
            ))
        }
    }

    /// Follows a container's or service's log: `on_chunk` gets the raw bytes as they arrive
    /// (feed them to a [`LogDemuxer`]) until the log ends (`Ok`), `cancel` is cancelled
    /// (`Ok`), or this future is dropped.
    pub async fn follow_logs(
        &self,
        endpoint_id: u32,
        target: &LogTarget,
        options: &LogOptions,
        cancel: &CancelHandle,
        mut on_chunk: impl FnMut(&[u8]),
    ) -> Result<(), ApiError> {
        let path = paths::logs(endpoint_id, target, options, true);
        let mut call = self.call(Method::GET, &path);
        call.agent_target = options.node.as_deref();
        // No timeout, not even for the headers: Portainer's proxy of a local Docker socket
        // never flushes, so a followed log sends nothing at all until about 4 KiB of lines
        // have gathered. The caller's cancel handle ends it.
        call.timeout_ms = 0;
        fetch::stream(call, cancel, &mut on_chunk).await
    }
}
