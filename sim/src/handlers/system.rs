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

/// `GET /api/system/version` (`api/http/handler/system/version.go` `version`): authenticated.
/// 2.23 has `ServerEdition`, `Build.GitCommit` and, for administrators only, `Build.Env` (the
/// server's environment: a plausible container's here, never the simulator's own); 2.19's
/// `versionResponse` has none of the three.
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
    let mut answer = json!({
        "UpdateAvailable": false,
        "LatestVersion": "",
        "ServerVersion": version,
        "DatabaseVersion": version,
    });
    if sim.version == PortainerVersion::V2_23 {
        build["GitCommit"] = json!("cc7516743");
        if caller.is_admin() {
            build["Env"] = json!([
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=portainer",
                "DOCKER_HOST=unix:///var/run/docker.sock",
                "TZ=UTC",
            ]);
        }
        answer["ServerEdition"] = json!("CE");
    }
    answer["Build"] = build;
    json(&answer)
}

/// `GET /api/settings/public` (`api/http/handler/settings/settings_public.go`): public. 2.23 has
/// `GlobalDeploymentOptions` where 2.19 has `ShowKomposeBuildOption`, and 2.19 adds
/// `IsFDOEnabled`.
pub async fn settings_public(State(sim): State<Arc<Sim>>) -> Response {
    let mut answer = json!({
        "LogoURL": "",
        "AuthenticationMethod": 1,
        "RequiredPasswordLength": 12,
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
    });
    match sim.version {
        PortainerVersion::V2_23 => {
            answer["GlobalDeploymentOptions"] = json!({ "hideStacksFunctionality": false });
        }
        PortainerVersion::V2_19 => {
            answer["ShowKomposeBuildOption"] = json!(false);
            answer["IsFDOEnabled"] = json!(false);
        }
    }
    json(&answer)
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

/// `GET /api/registries`: the route sits behind `bouncer.AdminAccess`
/// (`api/http/handler/registries/handler.go` `initRouter`), so a non-admin gets the bouncer's
/// 403 `Access denied` before `registryList` runs (its own message is unreachable). For an
/// administrator, `registryList` returns the stored registries without `hideFields`: passwords
/// as stored, in clear (2.19 and 2.23). CE has registry types 1 to 7 and no GitHub one.
pub async fn registries(_admin: Admin) -> Result<Response, ApiError> {
    let registry = |id: i64, kind: i64, name: &str, url: &str, user: &str, password: &str| {
        json!({
            "Id": id, "Type": kind, "Name": name, "URL": url, "BaseURL": "",
            "Authentication": !user.is_empty(), "Username": user, "Password": password,
            "ManagementConfiguration": null,
            "Gitlab": { "ProjectId": 0, "InstanceURL": "", "ProjectPath": "" },
            "Quay": { "OrganisationName": "" },
            "Ecr": { "Region": "" },
            "RegistryAccesses": {}, "UserAccessPolicies": null, "TeamAccessPolicies": null,
            "AuthorizedUsers": null, "AuthorizedTeams": null
        })
    };
    Ok(json(&json!([
        registry(
            1,
            3,
            "acme",
            "registry.acme.example",
            "ci-bot",
            "acme-r3g1stry-pa55"
        ),
        registry(
            2,
            6,
            "dockerhub",
            "docker.io",
            "acmebot",
            "dckr_pat_N0tR3al"
        )
    ])))
}
