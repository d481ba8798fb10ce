//! The in-memory Portainer database and the access rules every handler shares.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::clock;
use crate::faults::Faults;
use crate::model::docker::{Container, Service, Task};
use crate::model::endpoint::{Endpoint, EndpointGroup, Policies};
use crate::model::kubernetes::Cluster;
use crate::model::node::Node;
use crate::model::roles::Role;
use crate::model::stack::{stack_resource_id, AutoUpdate, ResourceControl, Stack, RC_STACK};
use crate::model::user::{ApiKey, EndpointAuthorizations, Team, TeamMembership, User};
use crate::{Config, PortainerVersion};

mod stack_objects;

pub use stack_objects::Parked;

/// Everything Portainer would keep in its database, plus the Docker objects behind the proxy.
#[derive(Default)]
pub struct State {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    pub memberships: Vec<TeamMembership>,
    pub api_keys: Vec<ApiKey>,
    pub roles: Vec<Role>,
    pub groups: Vec<EndpointGroup>,
    pub endpoints: Vec<Endpoint>,
    pub stacks: Vec<Stack>,
    /// Stack id → content of its entry point file.
    pub stack_files: HashMap<i64, String>,
    pub resource_controls: Vec<ResourceControl>,
    pub containers: Vec<Container>,
    pub services: Vec<Service>,
    pub tasks: Vec<Task>,
    /// Swarm nodes, for the environments that run a swarm.
    pub nodes: Vec<Node>,
    /// The Kubernetes clusters behind Kubernetes environments, by environment.
    pub kubernetes: Vec<Cluster>,
    /// What a stopped stack would run again: `compose down` and `stack rm` remove its Docker
    /// objects, so they are kept here, out of Docker's sight, until the stack starts.
    pub parked: HashMap<i64, Parked>,
    /// Source of auto-update job ids (Portainer's scheduler hands out increasing ids).
    pub next_job_id: i64,
    /// The credentials each git clone was sent with, in order (`None`: anonymous).
    pub git_clones: Vec<Option<(String, String)>>,
}

/// base64(SHA-256(raw)): how Portainer's `HashRaw` stores an API key.
pub fn api_key_digest(raw: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(raw.as_bytes()))
}

impl State {
    pub fn user(&self, id: i64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn memberships_of(&self, user_id: i64) -> Vec<TeamMembership> {
        self.memberships
            .iter()
            .filter(|m| m.user_id == user_id)
            .cloned()
            .collect()
    }

    pub fn team_ids_of(&self, user_id: i64) -> Vec<i64> {
        self.memberships
            .iter()
            .filter(|m| m.user_id == user_id)
            .map(|m| m.team_id)
            .collect()
    }

    pub fn endpoint(&self, id: i64) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.id == id)
    }

    pub fn group(&self, id: i64) -> Option<&EndpointGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn stack(&self, id: i64) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.id == id)
    }

    pub fn stack_mut(&mut self, id: i64) -> Option<&mut Stack> {
        self.stacks.iter_mut().find(|s| s.id == id)
    }

    /// `GetResourceControlByResourceIDAndType`: by resource id and type, or any RC listing the
    /// id among its sub-resources.
    pub fn resource_control(&self, resource_id: &str, kind: i64) -> Option<&ResourceControl> {
        self.resource_controls.iter().find(|rc| {
            (rc.resource_id == resource_id && rc.kind == kind)
                || rc.sub_resource_ids.iter().any(|s| s == resource_id)
        })
    }

    /// `docker rm -f <name>` run on the host, outside Portainer: the container goes from
    /// Docker, while Portainer keeps any ResourceControl it had (only a deletion through the
    /// proxy removes one). `name` is as Docker lists it, with or without the leading `/`.
    pub fn remove_container(&mut self, env_id: i64, name: &str) -> bool {
        let name = name.trim_start_matches('/');
        let before = self.containers.len();
        self.containers
            .retain(|c| !(c.env_id == env_id && c.name == name));
        self.containers.len() != before
    }

    /// The ResourceControl of a stack (`"<EndpointId>_<Name>"`, type 6).
    pub fn stack_resource_control(&self, stack: &Stack) -> Option<&ResourceControl> {
        self.resource_control(&stack_resource_id(stack.endpoint_id, &stack.name), RC_STACK)
    }

    /// Stack ResourceControls by resource id, for decorating long lists without a scan per
    /// stack.
    pub fn stack_resource_controls(&self) -> HashMap<&str, &ResourceControl> {
        let mut index = HashMap::new();
        // Reversed so that, as in Portainer's scan, the first matching RC wins.
        for rc in self.resource_controls.iter().rev() {
            for sub in &rc.sub_resource_ids {
                index.insert(sub.as_str(), rc);
            }
            if rc.kind == RC_STACK {
                index.insert(rc.resource_id.as_str(), rc);
            }
        }
        index
    }

    /// `AuthorizedEndpointAccess`: a user or team policy on the environment's group, or on the
    /// environment itself. Admins are checked by the callers.
    pub fn policy_access(&self, env: &Endpoint, user_id: i64, team_ids: &[i64]) -> bool {
        let has = |users: Option<&Policies>, teams: &Policies| {
            users.is_some_and(|u| u.contains_key(&user_id))
                || team_ids.iter().any(|t| teams.contains_key(t))
        };
        let group_access = self
            .group(env.group_id)
            .is_some_and(|g| has(Some(&g.user_access_policies), &g.team_access_policies));
        group_access || has(env.user_access_policies.as_ref(), &env.team_access_policies)
    }

    /// `AuthorizedEndpointOperation`: administrators, or a policy on the environment or its
    /// group.
    pub fn authorized_endpoint(&self, caller: &Caller, env: &Endpoint) -> bool {
        caller.is_admin() || self.policy_access(env, caller.user_id, &caller.team_ids)
    }

    /// Stores each user's `EndpointAuthorizations` as of the last refresh Portainer made (the
    /// last deletion of an environment with its own policies). Users created after it (dave,
    /// erin, generated ones) keep `null`, as `user_create.go` leaves it.
    pub fn store_endpoint_authorizations(&mut self) {
        let snapshots: Vec<(i64, Option<EndpointAuthorizations>)> = self
            .users
            .iter()
            .map(|u| {
                let stored = (!u.created_since_refresh).then(|| self.endpoint_authorizations(u));
                (u.id, stored)
            })
            .collect();
        for (id, stored) in snapshots {
            if let Some(user) = self.users.iter_mut().find(|u| u.id == id) {
                user.endpoint_authorizations = stored;
            }
        }
    }

    /// `EndpointAuthorizations` as Portainer computes them for a standard user: per environment,
    /// the role of the first match among user→env, user→group, team→env, team→group policies
    /// (the highest `Priority` number wins among several). Admins get `{}`.
    pub fn endpoint_authorizations(&self, user: &User) -> EndpointAuthorizations {
        let mut result = EndpointAuthorizations::new();
        if user.is_admin() {
            return result;
        }
        let team_ids = self.team_ids_of(user.id);
        let from_roles = |role_ids: Vec<i64>| {
            let mut best: Option<&Role> = None;
            for id in role_ids {
                if let Some(role) = self.roles.iter().find(|r| r.id == id) {
                    if best.is_none_or(|b| role.priority > b.priority) {
                        best = Some(role);
                    }
                }
            }
            best.map(|r| r.authorizations.clone()).unwrap_or_default()
        };
        for env in &self.endpoints {
            let group = self.group(env.group_id);
            let user_env: Vec<i64> = env
                .user_access_policies
                .as_ref()
                .and_then(|p| p.get(&user.id))
                .map(|p| p.role_id)
                .into_iter()
                .collect();
            let user_group: Vec<i64> = group
                .and_then(|g| g.user_access_policies.get(&user.id))
                .map(|p| p.role_id)
                .into_iter()
                .collect();
            let team_env: Vec<i64> = team_ids
                .iter()
                .filter_map(|t| env.team_access_policies.get(t).map(|p| p.role_id))
                .collect();
            let team_group: Vec<i64> = team_ids
                .iter()
                .filter_map(|t| {
                    group
                        .and_then(|g| g.team_access_policies.get(t))
                        .map(|p| p.role_id)
                })
                .collect();
            for candidates in [user_env, user_group, team_env, team_group] {
                let authorizations = from_roles(candidates);
                if !authorizations.is_empty() {
                    result.insert(env.id, authorizations);
                    break;
                }
            }
        }
        result
    }
}

/// The running simulator: configuration, state and request bookkeeping.
pub struct Sim {
    pub version: PortainerVersion,
    pub latency_ms: u64,
    /// See `Config::dial_timeout`.
    pub dial: std::time::Duration,
    pub assets: Option<PathBuf>,
    pub faults: Faults,
    /// Test-installed hostile answers (see `hostile`).
    pub hostile: crate::hostile::Rules,
    state: RwLock<State>,
    /// `(method, path, whether it carried X-API-Key)` of every `/api` request.
    requests: Mutex<Vec<(String, String, bool)>>,
    /// HS256 key of the JWTs from `POST /api/auth`.
    pub jwt_secret: [u8; 32],
    /// The value sent in `X-CSRF-Token` and expected back from cookie sessions.
    pub csrf_token: String,
    /// Unix time the simulator started; seeded container uptimes are relative to it.
    pub boot: i64,
    pub instance_id: String,
    /// See `Config::log_lines_per_sec`.
    pub log_lines_per_sec: u32,
}

impl Sim {
    pub fn new(config: Config) -> Self {
        let boot = clock::now();
        let mut state = match config.scale {
            Some((stacks, envs)) => {
                let (users, teams) = config.scale_people;
                let people = crate::scale::People { users, teams };
                crate::scale::generate(boot, stacks, envs, people)
            }
            None => crate::seed::demo(boot),
        };
        if config.busy_stack {
            crate::seed::busy_stack(&mut state, boot);
        }
        state.park_stopped_stacks();
        state.store_endpoint_authorizations();
        let (secs, nanos) = clock::now_nanos();
        let entropy = format!("{secs}.{nanos}.{}", std::process::id());
        let jwt_secret: [u8; 32] = Sha256::digest(format!("jwt/{entropy}")).into();
        let csrf_token = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(format!("csrf/{entropy}")));
        Sim {
            version: config.version,
            latency_ms: config.latency_ms,
            dial: config.dial_timeout,
            assets: config.assets,
            faults: Faults::new(config.fault_rate, config.seed),
            hostile: Default::default(),
            state: RwLock::new(state),
            requests: Mutex::new(Vec::new()),
            jwt_secret,
            csrf_token,
            boot,
            instance_id: "6a1f3d2e-8b4c-4f7a-9e2d-3c5b7a9d1e4f".into(),
            log_lines_per_sec: config.log_lines_per_sec,
        }
    }

    pub fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn record(&self, method: &str, path: &str, keyed: bool) {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((method.to_string(), path.to_string(), keyed));
    }

    pub fn recorded_requests(&self) -> Vec<(String, String, bool)> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn clear_recorded_requests(&self) {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn revoke_token(&self, raw: &str) -> bool {
        let digest = api_key_digest(raw);
        let mut state = self.write();
        let before = state.api_keys.len();
        state.api_keys.retain(|k| k.digest != digest);
        state.api_keys.len() != before
    }

    pub fn edit_stack(&self, id: i64, name: Option<&str>, status: Option<i64>) -> bool {
        let mut state = self.write();
        let Some(stack) = state.stack_mut(id) else {
            return false;
        };
        if let Some(name) = name {
            stack.name = name.to_string();
        }
        if let Some(status) = status {
            stack.status = status;
        }
        true
    }

    pub fn set_stack_auto_update(&self, id: i64, interval: Option<&str>) -> bool {
        let mut state = self.write();
        let Some(stack) = state.stack_mut(id) else {
            return false;
        };
        match interval {
            Some(interval) => {
                let auto = stack.auto_update.get_or_insert_with(|| AutoUpdate {
                    interval: String::new(),
                    webhook: String::new(),
                    job_id: String::new(),
                    force_update: false,
                    force_pull_image: false,
                });
                auto.interval = interval.to_string();
            }
            None => stack.auto_update = None,
        }
        true
    }

    pub fn git_clones(&self) -> Vec<Option<(String, String)>> {
        self.read().git_clones.clone()
    }

    pub fn set_host_down(&self, env_id: i64, down: bool) -> bool {
        let mut state = self.write();
        match state.endpoints.iter_mut().find(|e| e.id == env_id) {
            Some(env) => {
                env.host_down = down;
                true
            }
            None => false,
        }
    }

    pub fn remove_container(&self, env_id: i64, name: &str) -> bool {
        self.write().remove_container(env_id, name)
    }

    pub fn set_stack_management(&self, env_id: i64, allowed: bool) -> bool {
        let mut state = self.write();
        match state.endpoints.iter_mut().find(|e| e.id == env_id) {
            Some(env) => {
                env.security_settings
                    .allow_stack_management_for_regular_users = allowed;
                true
            }
            None => false,
        }
    }
}
