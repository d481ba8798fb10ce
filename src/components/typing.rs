//! Text fields whose effect is costly (re-rendering a matrix, re-filtering a log): the last
//! text wins once typing pauses, so typing itself never waits.

use leptos::prelude::*;
use std::time::Duration;

/// The pending text's generation: each keystroke supersedes the one before.
#[derive(Clone, Copy)]
pub struct TypingPause {
    typed: StoredValue<u32>,
    ms: u64,
}

impl TypingPause {
    pub fn new(ms: u64) -> Self {
        Self {
            typed: StoredValue::new(0),
            ms,
        }
    }

    /// Runs `apply` with `text` if nothing is typed for the pause.
    pub fn then(&self, text: String, apply: impl Fn(String) + 'static) {
        let typed = self.typed;
        let generation = typed.get_value() + 1;
        typed.set_value(generation);
        set_timeout(
            move || {
                // The page may be gone by then: a disposed value reads as no match.
                if typed.try_get_value() == Some(generation) {
                    apply(text);
                }
            },
            Duration::from_millis(self.ms),
        );
    }
}
