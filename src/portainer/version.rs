//! Portainer server versions, from `/api/system/status` `Version` (e.g. `"2.23.0"`).

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl ServerVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Reads `"2.23.0"`, `"v2.19.4"`, `"2.27.0-rc1"` or `"2.21"`. Suffixes after the numbers are
    /// ignored; `None` unless at least major and minor are numbers.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = text.splitn(3, '.');
        let major = leading_number(parts.next()?)?;
        let minor = leading_number(parts.next()?)?;
        let patch = parts.next().and_then(leading_number).unwrap_or(0);
        Some(Self::new(major, minor, patch))
    }

    /// `GET /api/users/me` exists from 2.20.
    pub fn has_users_me(&self) -> bool {
        *self >= Self::new(2, 20, 0)
    }

    /// The Portainer session cookie (and so the CSRF check that API-key calls avoid by sending
    /// no cookie) exists from 2.20.
    pub fn has_csrf(&self) -> bool {
        *self >= Self::new(2, 20, 0)
    }
}

fn leading_number(part: &str) -> Option<u32> {
    let end = part
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(part.len());
    part[..end].parse().ok()
}

impl FromStr for ServerVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| format!("\"{s}\" is not a Portainer version"))
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}
