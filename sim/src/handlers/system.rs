//! Status, version, settings, motd, roles (§2.9, §2.10) and the registry list.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use crate::auth::{Admin, Caller};
use crate::error::{json, ApiError};
use crate::state::Sim;
use crate::PortainerVersion;

/// `GET /api/status` (deprecated) and `GET /api/system/status`: public.
pub async fn status(State(sim): State<Arc<Sim>>) -> Response {
    json(&json!({ "Version": sim.version.label(), "InstanceID": sim.instance_id }))
}

/// `GET /api/system/version`: authenticated; `Build.Env` only for administrators. The
/// environment shown is a plausible container's, never the simulator's own.
pub async fn version(State(sim): State<Arc<Sim>>, caller: Caller) -> Response {
    let version = sim.version.label();
    let mut build = json!({
        "BuildNumber": "",
        "ImageTag": version,
        "NodejsVersion": "v18.20.4",
        "YarnVersion": "1.22.22",
        "WebpackVersion": "5.88.2",
        "GoVersion": "go1.22.5",
    });
    if sim.version == PortainerVersion::V2_23 {
        build["GitCommit"] = json!("cc7516743");
    }
    if caller.is_admin() {
        build["Env"] = json!([
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOSTNAME=portainer",
            "DOCKER_HOST=unix:///var/run/docker.sock",
            "TZ=UTC",
        ]);
    }
    json(&json!({
        "UpdateAvailable": false,
        "LatestVersion": "",
        "ServerVersion": version,
        "ServerEdition": "CE",
        "DatabaseVersion": version,
        "Build": build,
    }))
}

/// `GET /api/settings/public`: public.
pub async fn settings_public() -> Response {
    json(&json!({
        "LogoURL": "",
        "AuthenticationMethod": 1,
        "RequiredPasswordLength": 12,
        "GlobalDeploymentOptions": { "hideStacksFunctionality": false },
        "EnableEdgeComputeFeatures": false,
        "Features": {},
        "OAuthLoginURI": "",
        "OAuthLogoutURI": "",
        "EnableTelemetry": false,
        "KubeconfigExpiry": "0",
        "TeamSync": false,
        "IsAMTEnabled": false,
        "Edge": { "PingInterval": 60, "SnapshotInterval": 60, "CommandInterval": 60, "CheckinInterval": 5 },
        "IsDockerDesktopExtension": false,
    }))
}

/// `GET /api/settings`: administrators only; secrets blanked.
pub async fn settings(State(sim): State<Arc<Sim>>, _admin: Admin) -> Response {
    json(&json!({
        "LogoURL": "",
        "BlackListedLabels": [],
        "AuthenticationMethod": 1,
        "InternalAuthSettings": { "RequiredPasswordLength": 12 },
        "LDAPSettings": {
            "AnonymousMode": true, "ReaderDN": "", "URL": "",
            "TLSConfig": { "TLS": false, "TLSSkipVerify": false },
            "StartTLS": false,
            "SearchSettings": [{ "BaseDN": "", "Filter": "", "UserNameAttribute": "" }],
            "GroupSearchSettings": [{ "GroupBaseDN": "", "GroupFilter": "", "GroupAttribute": "" }],
            "AutoCreateUsers": true
        },
        "OAuthSettings": {
            "ClientID": "", "AccessTokenURI": "", "AuthorizationURI": "", "ResourceURI": "",
            "RedirectURI": "", "UserIdentifier": "", "Scopes": "", "OAuthAutoCreateUsers": false,
            "DefaultTeamID": 0, "SSO": false, "LogoutURI": "", "KubeSecretKey": null, "AuthStyle": 0
        },
        "openAMTConfiguration": {
            "enabled": false, "mpsServer": "", "mpsUser": "", "mpsPassword": "", "mpsToken": "",
            "certFileContent": "", "certFileName": "", "certFilePassword": "", "domainName": ""
        },
        "FeatureFlagSettings": null,
        "SnapshotInterval": "5m",
        "TemplatesURL": "",
        "GlobalDeploymentOptions": { "hideStacksFunctionality": false },
        "EdgeAgentCheckinInterval": 5,
        "EnableEdgeComputeFeatures": false,
        "UserSessionTimeout": "8h",
        "KubeconfigExpiry": "0",
        "EnableTelemetry": false,
        "HelmRepositoryURL": "https://charts.bitnami.com/bitnami",
        "KubectlShellImage": format!("portainer/kubectl-shell:{}", sim.version.label()),
        "TrustOnFirstConnect": false,
        "EnforceEdgeID": false,
        "AgentSecret": "",
        "EdgePortainerUrl": "",
        "Edge": { "CommandInterval": 0, "PingInterval": 0, "SnapshotInterval": 0 },
    }))
}

/// `GET /api/motd`: the simulator is offline, so this is the "failed fetch" answer.
pub async fn motd(_caller: Caller) -> Response {
    json(&json!({ "Title": "", "Message": "", "ContentLayout": null, "Style": "", "Hash": null }))
}

/// `GET /api/roles`: administrators only.
pub async fn roles(State(sim): State<Arc<Sim>>, _admin: Admin) -> Response {
    json(&sim.read().roles)
}

/// `GET /api/registries`: administrators only (`registryList` in Portainer 2.23); others are
/// told to use the per-environment route. Credentials are blanked, as Portainer does.
pub async fn registries(caller: Caller) -> Result<Response, ApiError> {
    if !caller.is_admin() {
        return Err(ApiError::forbidden(
            "Permission denied to list registries, use /endpoints/:endpointId/registries route instead",
        )
        .details("Access denied to resource"));
    }
    Ok(json(&json!([
        {
            "Id": 1, "Type": 3, "Name": "acme", "URL": "registry.acme.example", "BaseURL": "",
            "Authentication": true, "Username": "ci-bot", "Password": "",
            "RegistryAccesses": {}, "Gitlab": {}, "Quay": {}, "Github": {}, "Ecr": {}
        },
        {
            "Id": 2, "Type": 8, "Name": "ghcr", "URL": "ghcr.io", "BaseURL": "",
            "Authentication": true, "Username": "acme-bot", "Password": "",
            "RegistryAccesses": {}, "Gitlab": {}, "Quay": {}, "Github": { "UseOrganisation": true, "OrganisationName": "acme" }, "Ecr": {}
        }
    ])))
}
