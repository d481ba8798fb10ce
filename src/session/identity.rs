//! Who a token is, on which Portainer: found before anything is saved, and shown in the top bar.

use crate::portainer::{ApiError, Client, ServerVersion, Status, User};

/// Who the token is, on which Portainer.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    pub status: Status,
    pub version: Option<ServerVersion>,
    pub user: User,
    /// Requests it took to find the user on a Portainer without `/api/users/me` (2.19); 0
    /// where it answers in one.
    pub probes: u32,
}

impl Identity {
    /// "Connected to Portainer 2.23.0 as admin (administrator)".
    pub fn summary(&self) -> String {
        format!(
            "Connected to Portainer {} as {} ({})",
            display_version(&self.status.version),
            self.user.username,
            role_label(&self.user)
        )
    }

    /// "admin (administrator) · Portainer 2.23.0", for the top bar.
    pub fn short(&self) -> String {
        format!(
            "{} ({}) · Portainer {}",
            self.user.username,
            role_label(&self.user),
            display_version(&self.status.version)
        )
    }
}

pub fn display_version(version: &str) -> &str {
    if version.is_empty() {
        "(unknown version)"
    } else {
        version
    }
}

pub fn role_label(user: &User) -> &'static str {
    if user.is_admin() {
        "administrator"
    } else {
        "standard user"
    }
}

/// Checks a token against a Portainer: public status first (so an unreachable server or a
/// wrong address is told apart from a bad token), then the token's user.
pub async fn identify(client: &Client) -> Result<Identity, ApiError> {
    let status = client.system_status().await?;
    let version = ServerVersion::parse(&status.version);
    let found = client.current_user(version).await?;
    Ok(Identity {
        status,
        version,
        user: found.user,
        probes: found.probes,
    })
}
