//! Status, version, settings and motd (§2.10).

use super::{null_default, AuthenticationMethod, Pair};
use serde::Deserialize;

/// `GET /api/system/status` (public; `/api/status` on old servers).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Status {
    #[serde(default, rename = "Version", deserialize_with = "null_default")]
    pub version: String,
    #[serde(default, rename = "InstanceID", deserialize_with = "null_default")]
    pub instance_id: String,
}

/// `GET /api/system/version`. `Build.Env` (the server's whole environment, for admins) is
/// deliberately not modelled so it can never be shown or logged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SystemVersion {
    #[serde(default)]
    pub update_available: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub latest_version: String,
    #[serde(default, deserialize_with = "null_default")]
    pub server_version: String,
    /// `"CE"` or `"BE"`.
    #[serde(default, deserialize_with = "null_default")]
    pub server_edition: String,
    #[serde(default, deserialize_with = "null_default")]
    pub database_version: String,
    #[serde(default, deserialize_with = "null_default")]
    pub build: BuildInfo,
    /// `"STS"` or `"LTS"`, newer servers only.
    #[serde(default)]
    pub version_support: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BuildInfo {
    #[serde(deserialize_with = "null_default")]
    pub build_number: String,
    #[serde(deserialize_with = "null_default")]
    pub image_tag: String,
    #[serde(deserialize_with = "null_default")]
    pub go_version: String,
    #[serde(deserialize_with = "null_default")]
    pub git_commit: String,
}

/// `GET /api/settings/public` (no token needed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicSettings {
    #[serde(default, rename = "LogoURL", deserialize_with = "null_default")]
    pub logo_url: String,
    #[serde(default)]
    pub authentication_method: AuthenticationMethod,
    #[serde(default)]
    pub required_password_length: u32,
    #[serde(default, deserialize_with = "null_default")]
    pub global_deployment_options: GlobalDeploymentOptions,
    #[serde(default)]
    pub enable_edge_compute_features: bool,
    #[serde(default)]
    pub enable_telemetry: bool,
    #[serde(default, rename = "OAuthLoginURI", deserialize_with = "null_default")]
    pub oauth_login_uri: String,
    #[serde(default)]
    pub team_sync: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GlobalDeploymentOptions {
    #[serde(rename = "hideStacksFunctionality")]
    pub hide_stacks_functionality: bool,
}

/// `GET /api/settings` (admin only), reduced to what explains access and visibility.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Settings {
    #[serde(default, rename = "LogoURL", deserialize_with = "null_default")]
    pub logo_url: String,
    #[serde(default)]
    pub authentication_method: AuthenticationMethod,
    /// Containers with these labels are hidden from non-admins.
    #[serde(default, deserialize_with = "null_default")]
    pub black_listed_labels: Vec<Pair>,
    #[serde(default, deserialize_with = "null_default")]
    pub internal_auth_settings: InternalAuthSettings,
    #[serde(default, deserialize_with = "null_default")]
    pub global_deployment_options: GlobalDeploymentOptions,
    /// e.g. `"5m"`.
    #[serde(default, deserialize_with = "null_default")]
    pub snapshot_interval: String,
    /// e.g. `"8h"`.
    #[serde(default, deserialize_with = "null_default")]
    pub user_session_timeout: String,
    #[serde(default, deserialize_with = "null_default")]
    pub kubeconfig_expiry: String,
    #[serde(default, rename = "TemplatesURL", deserialize_with = "null_default")]
    pub templates_url: String,
    #[serde(default)]
    pub enable_edge_compute_features: bool,
    #[serde(default)]
    pub enable_telemetry: bool,
    #[serde(default)]
    pub enforce_edge_id: bool,
    #[serde(default)]
    pub trust_on_first_connect: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InternalAuthSettings {
    pub required_password_length: u32,
}

/// `GET /api/motd`. All empty (and `Hash` null) when Portainer could not fetch it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Motd {
    #[serde(default, deserialize_with = "null_default")]
    pub title: String,
    /// HTML written by Portainer's maintainers: render as text, not markup.
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
    #[serde(default, deserialize_with = "null_default")]
    pub style: String,
    /// Base64; identifies the message so a dismissal can be remembered.
    #[serde(default)]
    pub hash: Option<String>,
}
