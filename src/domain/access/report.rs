//! The whole "what can this token do" view as one value, built by one pure function from what
//! the page fetched (§6.3). A failed fetch becomes a sentence in the report, never a failure.

use super::areas::{area_grid, AreaRow};
use super::environments::{environment_rows, EnvironmentRow, NamesAndGroups};
use super::stacks::{stack_groups, StackGroup};
use super::token::{identify_token, TokenPrefix, TokenReport};
use super::Fetched;
use crate::domain::names::Names;
use crate::domain::time::format_utc;
use crate::domain::viewer::Viewer;
use crate::portainer::{
    AccessToken, EndpointGroup, Environment, ServerVersion, Stack, Status, SystemVersion, Team,
    TeamMembership, User,
};
use serde::Serialize;

/// What the page fetched for the token's user. Only `user` is required: without it there is
/// nobody to report on. Nothing here reads `/users/me`-only fields (`forceChangePassword`), so
/// a user found by 2.19's fallbacks works the same.
#[derive(Clone, Debug)]
pub struct AccessInputs {
    /// Not the token: [`TokenPrefix::of`] keeps only what Portainer shows anyway.
    pub prefix: TokenPrefix,
    pub user: User,
    /// `GET /api/users/{id}/memberships`.
    pub memberships: Fetched<Vec<TeamMembership>>,
    /// `GET /api/teams` (a non-admin's own teams).
    pub teams: Fetched<Vec<Team>>,
    /// `GET /api/users`, fetched only by admins and team leaders (others get 403), for names.
    pub users: Option<Vec<User>>,
    /// `GET /api/users/{id}/tokens`.
    pub tokens: Fetched<Vec<AccessToken>>,
    /// `GET /api/endpoints`: the token's own list.
    pub environments: Fetched<Vec<Environment>>,
    /// `GET /api/endpoint_groups`.
    pub groups: Fetched<Vec<EndpointGroup>>,
    /// `GET /api/stacks` without filters.
    pub stacks: Fetched<Vec<Stack>>,
    /// `GET /api/system/status` (public).
    pub status: Fetched<Status>,
    /// `GET /api/system/version`, for the edition.
    pub system_version: Fetched<SystemVersion>,
    /// Unix seconds.
    pub generated_at: i64,
    /// What Portainer sent that could not be read (items left out of a list), in words.
    pub unreadable: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamRow {
    pub id: u32,
    pub name: String,
    pub leader: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Who {
    pub user_id: u32,
    pub username: String,
    pub is_admin: bool,
    /// "administrator" or "standard user".
    pub role: &'static str,
    pub teams: Vec<TeamRow>,
    /// e.g. "2.23.0"; `None` when neither status nor version answered.
    pub version: Option<String>,
    /// e.g. "Community Edition (CE)"; 2.19 does not report it.
    pub edition: Option<String>,
}

impl Who {
    /// "2.23.0, Community Edition (CE)", as the page and the Markdown export show it.
    pub fn portainer(&self) -> String {
        format!(
            "{}, {}",
            self.version.as_deref().unwrap_or("version unknown"),
            self.edition.as_deref().unwrap_or("edition not reported")
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessReport {
    /// Names this JSON's shape; changes only when a field changes meaning or goes away.
    pub format: &'static str,
    /// Unix seconds.
    pub generated_at: i64,
    pub generated_at_utc: String,
    pub who: Who,
    pub token: TokenReport,
    pub environments: Vec<EnvironmentRow>,
    /// Environments outside the list are invisible to the token, not merely absent.
    pub environments_note: String,
    pub stacks: Vec<StackGroup>,
    pub stack_count: usize,
    pub areas: Vec<AreaRow>,
    /// Failed fetches and caveats, in plain sentences.
    pub notes: Vec<String>,
}

/// Builds the report. Pure: the same inputs give the same report.
pub fn build_report(inputs: &AccessInputs) -> AccessReport {
    let mut notes = Vec::new();
    let i = inputs;
    failure(
        &mut notes,
        "team memberships",
        &i.memberships,
        "team access is not shown",
    );
    failure(&mut notes, "teams", &i.teams, "teams are shown by id");
    failure(
        &mut notes,
        "environment list",
        &i.environments,
        "environments are not shown",
    );
    failure(
        &mut notes,
        "environment groups",
        &i.groups,
        "group access shows as inferred",
    );
    failure(&mut notes, "stack list", &i.stacks, "stacks are not shown");
    notes.extend(i.unreadable.iter().cloned());

    let user = &inputs.user;
    let memberships = inputs.memberships.as_deref().unwrap_or_default();
    let viewer = Viewer::new(user, memberships);
    let teams = inputs.teams.as_deref().unwrap_or_default();
    let mut names = Names::new(inputs.users.as_deref().unwrap_or_default(), teams);
    names.insert_user(user.id, &user.username);
    let groups = inputs.groups.as_deref().unwrap_or_default();
    let dir = NamesAndGroups {
        names: &names,
        groups,
    };

    let environments = inputs.environments.as_deref().ok();
    let env_rows = environment_rows(&viewer, environments.unwrap_or_default(), &dir);
    let stacks = stack_groups(
        &viewer,
        inputs.stacks.as_deref().unwrap_or_default(),
        environments,
        &dir,
    );

    let (version, edition) = version_and_edition(inputs);
    if version
        .as_deref()
        .and_then(ServerVersion::parse)
        .is_some_and(|v| !v.has_users_me())
    {
        notes.push(
            "Portainer before 2.20 has no /api/users/me: the token's user was found by probing \
             (§6.3)."
                .into(),
        );
    }
    if edition.as_deref().is_some_and(|e| !e.contains("CE")) {
        notes.push(
            "This is not the Community Edition: its roles can narrow what a policy allows \
             inside an environment; this view shows the CE rules."
                .into(),
        );
    }
    if viewer.is_admin {
        notes.push(
            "Administrators bypass environment, resource control and security-setting checks \
             (their EndpointAuthorizations is empty for that reason)."
                .into(),
        );
    }
    if env_rows.iter().any(|e| e.source.is_inferred()) {
        notes.push(
            "Portainer hides user policies from non-administrators: an environment listed for \
             no team or group reason is reached through a policy for the user (inferred)."
                .into(),
        );
    }

    AccessReport {
        format: "portlight-access-report/1",
        generated_at: inputs.generated_at,
        generated_at_utc: format_utc(inputs.generated_at),
        who: Who {
            user_id: user.id,
            username: user.username.clone(),
            is_admin: viewer.is_admin,
            role: if viewer.is_admin {
                "administrator"
            } else {
                "standard user"
            },
            teams: viewer
                .team_ids
                .iter()
                .map(|&id| TeamRow {
                    id,
                    name: teams
                        .iter()
                        .find(|t| t.id == id && !t.name.is_empty())
                        .map_or_else(|| format!("#{id}"), |t| t.name.clone()),
                    leader: viewer.led_team_ids.contains(&id),
                })
                .collect(),
            version,
            edition,
        },
        token: identify_token(&inputs.prefix, &user.username, &inputs.tokens),
        environments_note: format!(
            "{} environment(s) reached. Environments this token cannot reach are invisible to \
             it, not merely absent: Portainer leaves them out of every answer.",
            env_rows.len()
        ),
        environments: env_rows,
        stack_count: stacks.iter().map(|g| g.count).sum(),
        stacks,
        areas: area_grid(&viewer, &dir),
        notes,
    }
}

fn failure<T>(notes: &mut Vec<String>, what: &str, fetched: &Fetched<T>, consequence: &str) {
    if let Err(error) = fetched {
        notes.push(format!(
            "The {what} could not be read ({error}): {consequence}."
        ));
    }
}

fn version_and_edition(inputs: &AccessInputs) -> (Option<String>, Option<String>) {
    let system = inputs.system_version.as_ref().ok();
    let version = system
        .map(|v| v.server_version.clone())
        .filter(|v| !v.is_empty())
        .or_else(|| inputs.status.as_ref().ok().map(|s| s.version.clone()))
        .filter(|v| !v.is_empty());
    let edition = system
        .map(|v| v.server_edition.as_str())
        .filter(|e| !e.is_empty())
        .map(|e| match e {
            "CE" => "Community Edition (CE)".to_owned(),
            "BE" => "Business Edition (BE)".to_owned(),
            "EE" => "Enterprise Edition (EE)".to_owned(),
            other => other.to_owned(),
        });
    (version, edition)
}
