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
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            read_only: false,
            timeout_secs: 15,
            log_tail: 200,
        }
    }
}

impl Preferences {
    pub const STORAGE_KEY: &'static str = "portlight.settings";
    pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 3..=300;
    pub const LOG_TAIL_RANGE: std::ops::RangeInclusive<u32> = 10..=5000;

    /// Keeps values in range whatever storage held.
    pub fn clamped(mut self) -> Self {
        self.timeout_secs = self
            .timeout_secs
            .clamp(*Self::TIMEOUT_RANGE.start(), *Self::TIMEOUT_RANGE.end());
        self.log_tail = self
            .log_tail
            .clamp(*Self::LOG_TAIL_RANGE.start(), *Self::LOG_TAIL_RANGE.end());
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
        let s = Preferences {
            log_tail: 1_000_000,
            ..Preferences::default()
        }
        .clamped();
        assert_eq!(s.log_tail, 5000);
    }
}
