//! Serde models of Portainer's JSON, holding only the fields Portlight uses (the wasm size budget
//! is tight). Unknown fields are ignored; missing or `null` lists and maps decode as empty.
//! Field casing follows the Go struct tags, which are inconsistent on purpose (see docs/portainer-api.md §1).

mod docker;
mod enums;
mod environment;
mod kubernetes;
mod resource_control;
mod stack;
mod stack_update;
mod system;
mod team;
mod user;

pub use docker::{
    ContainerConfig, ContainerHealth, ContainerInspect, ContainerState, ContainerSummary,
    NodeDescription, NodeSummary, Port, PortainerDecoration, ServiceMode, ServiceSpec,
    ServiceSummary, TaskContainerStatus, TaskStatus, TaskSummary,
};
pub use enums::{
    AuthenticationMethod, EndpointStatus, EndpointType, MembershipRole, ResourceControlType,
    StackStatus, StackType, UserRole,
};
pub use environment::{
    AccessPolicies, AccessPolicy, DockerSnapshot, EndpointGroup, Environment, EnvironmentPage,
    SecuritySettings,
};
pub use kubernetes::{
    KubeWorkload, LabelSelector, ObjectMeta, Pod, PodContainer, PodContainerState,
    PodContainerStatus,
};
pub use resource_control::{ResourceControl, TeamResourceAccess, UserResourceAccess};
pub(crate) use stack::ListedStack;
pub use stack::{
    AutoUpdate, GitAuthentication, GitConfig, GitRedeployPayload, Pair, RedeployOptions, Stack,
    StackFile, StackOption,
};
pub use stack_update::{GitSettingsPayload, StackEdit, StackUpdatePayload};
pub use system::{
    BuildInfo, GlobalDeploymentOptions, InternalAuthSettings, Motd, PublicSettings, Settings,
    Status, SystemVersion,
};
pub use team::{Role, Team, TeamMembership};
pub use user::{token_prefix, AccessToken, User};

use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet};

/// `null` (or a missing field, with `#[serde(default)]`) becomes `T::default()`: Go writes nil
/// slices and maps as `null`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Portainer's `Authorizations` (`{"DockerContainerList": true, ...}`) as the set of granted keys.
pub(crate) fn authorization_set<'de, D>(deserializer: D) -> Result<BTreeSet<String>, D::Error>
where
    D: Deserializer<'de>,
{
    let map: Option<BTreeMap<String, bool>> = Option::deserialize(deserializer)?;
    Ok(granted(map))
}

/// `EndpointAuthorizations`: string-keyed environment ids → authorization objects.
pub(crate) fn authorizations_by_environment<'de, D>(
    deserializer: D,
) -> Result<BTreeMap<u32, BTreeSet<String>>, D::Error>
where
    D: Deserializer<'de>,
{
    let map: Option<BTreeMap<u32, Option<BTreeMap<String, bool>>>> =
        Option::deserialize(deserializer)?;
    let mut by_env = BTreeMap::new();
    by_env.extend(
        map.unwrap_or_default()
            .into_iter()
            .map(|(env, auths)| (env, granted(auths))),
    );
    Ok(by_env)
}

fn granted(map: Option<BTreeMap<String, bool>>) -> BTreeSet<String> {
    map.unwrap_or_default()
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect()
}
