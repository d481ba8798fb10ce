//! Operator preferences, kept in localStorage (no secrets here).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Read-only mode: Portlight sends no mutating request at all, and shows no action button.
    pub read_only: bool,
    /// Per-request timeout for reads, in seconds (stack actions get longer: they deploy).
    pub timeout_secs: u32,
    /// How many log lines to fetch by default.
    pub log_tail: u32,
    /// Seconds between automatic refreshes of the stack list and a stack's page; 0 is off.
    pub refresh_secs: u32,
    /// Whether the stack list checks each stack's containers (see `domain::stack_health`).
    pub health: HealthChecks,
}

/// When the stack list asks each environment for its containers, to show stack health.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthChecks {
    Always,
    /// Not one request.
    Never,
    /// Up to `AUTO_MAX_ENVIRONMENTS` environments; beyond, when the operator asks. What an
    /// unknown stored value reads as.
    #[default]
    #[serde(other)]
    Auto,
}

impl HealthChecks {
    pub const ALL: [Self; 3] = [Self::Auto, Self::Always, Self::Never];

    pub const fn value(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Always => "always",
            Self::Never => "never",
        }
    }

    /// Whether to check `environments` environments without asking.
    pub fn checks(self, environments: usize) -> bool {
        match self {
            Self::Auto => environments <= crate::domain::stack_health::AUTO_MAX_ENVIRONMENTS,
            Self::Always => true,
            Self::Never => false,
        }
    }
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            read_only: false,
            timeout_secs: 15,
            log_tail: 200,
            refresh_secs: 30,
            health: HealthChecks::Auto,
        }
    }
}

impl Preferences {
    pub const STORAGE_KEY: &'static str = "portlight.settings";
    pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 3..=300;
    pub const LOG_TAIL_RANGE: std::ops::RangeInclusive<u32> = 10..=5000;
    /// Automatic refresh, when on (0 is off): not more often than every 10 s.
    pub const REFRESH_RANGE: std::ops::RangeInclusive<u32> = 10..=3600;

    /// Keeps values in range whatever storage held.
    pub fn clamped(mut self) -> Self {
        self.timeout_secs = self
            .timeout_secs
            .clamp(*Self::TIMEOUT_RANGE.start(), *Self::TIMEOUT_RANGE.end());
        self.log_tail = self
            .log_tail
            .clamp(*Self::LOG_TAIL_RANGE.start(), *Self::LOG_TAIL_RANGE.end());
        if self.refresh_secs != 0 {
            self.refresh_secs = self
                .refresh_secs
                .clamp(*Self::REFRESH_RANGE.start(), *Self::REFRESH_RANGE.end());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_defaults_and_out_of_range_values_are_clamped() {
        let s: Preferences =
            serde_json::from_str(r#"{"read_only":true,"timeout_secs":0}"#).unwrap();
        assert!(s.read_only);
        let s = s.clamped();
        assert_eq!(s.timeout_secs, 3);
        assert_eq!(s.log_tail, 200);
        assert_eq!(s.refresh_secs, 30);
        let s = Preferences {
            log_tail: 1_000_000,
            ..Preferences::default()
        }
        .clamped();
        assert_eq!(s.log_tail, 5000);
        let refresh = |refresh_secs| {
            Preferences {
                refresh_secs,
                ..Preferences::default()
            }
            .clamped()
            .refresh_secs
        };
        assert_eq!(refresh(0), 0, "off stays off");
        let health = |json: &str| serde_json::from_str::<Preferences>(json).unwrap().health;
        assert_eq!(health(r#"{"health":"never"}"#), HealthChecks::Never);
        assert_eq!(
            health(r#"{"health":"someday"}"#),
            HealthChecks::Auto,
            "unknown → auto"
        );
        assert!(HealthChecks::Auto.checks(50) && !HealthChecks::Auto.checks(51));
        assert!(HealthChecks::Always.checks(5000) && !HealthChecks::Never.checks(1));
        assert_eq!(refresh(1), 10);
        assert_eq!(refresh(100_000), 3600);
    }
}
