//! When a page fetches its data again by itself, and how old what it shows is, in words.

/// Why an automatic refresh waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paused {
    /// The operator switched automatic refresh off (Settings).
    Off,
    /// The tab is hidden: nobody reads it, and Portainer is spared the requests.
    Hidden,
    /// The focus is in a field: a refresh must not move what is being typed against.
    Typing,
    /// A dialog is open (a confirmation): what it names must not change under it.
    Dialog,
}

impl Paused {
    pub const fn words(self) -> &'static str {
        match self {
            Self::Off => "automatic refresh is off (Settings)",
            Self::Hidden => "paused while the tab is hidden",
            Self::Typing => "paused while you type",
            Self::Dialog => "paused while a dialog is open",
        }
    }
}

/// What the page is doing about freshness at one tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conditions {
    /// Seconds between refreshes; 0 is off.
    pub interval_secs: u32,
    pub hidden: bool,
    pub typing: bool,
    pub dialog: bool,
}

impl Conditions {
    /// The first reason to wait, if any.
    pub fn paused(&self) -> Option<Paused> {
        if self.interval_secs == 0 {
            Some(Paused::Off)
        } else if self.hidden {
            Some(Paused::Hidden)
        } else if self.dialog {
            Some(Paused::Dialog)
        } else if self.typing {
            Some(Paused::Typing)
        } else {
            None
        }
    }

    /// Whether to fetch again now, `since_secs` after the last fetch was asked for.
    pub fn due(&self, since_secs: f64) -> bool {
        self.paused().is_none() && since_secs >= f64::from(self.interval_secs)
    }
}

/// What a page shows after an answer: the answer, unless it failed (or is not there yet)
/// while the page already shows a good one, which it then keeps.
pub fn kept<T: Clone, E>(
    now: Option<Result<T, E>>,
    previous: Option<&Option<Result<T, E>>>,
) -> Option<Result<T, E>> {
    match (now, previous) {
        (None | Some(Err(_)), Some(Some(Ok(good)))) => Some(Ok(good.clone())),
        (now, _) => now,
    }
}

/// "just now", "12 s ago", "3 min ago", "2 h ago".
pub fn age(secs: f64) -> String {
    let secs = secs.max(0.0) as u64;
    match secs {
        0..=4 => "just now".into(),
        5..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(interval_secs: u32) -> Conditions {
        Conditions {
            interval_secs,
            hidden: false,
            typing: false,
            dialog: false,
        }
    }

    #[test]
    fn a_refresh_is_due_after_the_interval_unless_something_pauses_it() {
        let c = every(30);
        assert!(!c.due(29.9));
        assert!(c.due(30.0));
        assert_eq!(every(0).paused(), Some(Paused::Off));
        assert!(!every(0).due(1e9));
        let hidden = Conditions {
            hidden: true,
            typing: true,
            ..c
        };
        assert_eq!(hidden.paused(), Some(Paused::Hidden));
        assert!(!hidden.due(300.0));
        let typing = Conditions { typing: true, ..c };
        assert_eq!(typing.paused(), Some(Paused::Typing));
        let dialog = Conditions {
            dialog: true,
            typing: true,
            ..c
        };
        assert_eq!(dialog.paused(), Some(Paused::Dialog));
        assert!(!dialog.due(300.0));
    }

    #[test]
    fn a_failed_refresh_keeps_what_the_page_shows() {
        type Shown = Option<Result<u8, &'static str>>;
        let good: Shown = Some(Ok(1));
        assert_eq!(kept(Some(Err("down")), Some(&good)), Some(Ok(1)));
        assert_eq!(kept(None, Some(&good)), Some(Ok(1)));
        assert_eq!(kept(Some(Ok(2)), Some(&good)), Some(Ok(2)));
        // Without a good answer yet, the failure is what there is to show.
        assert_eq!(kept::<u8, _>(Some(Err("down")), None), Some(Err("down")));
        let failed: Shown = Some(Err("down"));
        assert_eq!(kept(Some(Err("again")), Some(&failed)), Some(Err("again")));
    }

    #[test]
    fn ages_in_words() {
        assert_eq!(age(-3.0), "just now");
        assert_eq!(age(4.9), "just now");
        assert_eq!(age(12.0), "12 s ago");
        assert_eq!(age(61.0), "1 min ago");
        assert_eq!(age(7300.0), "2 h ago");
    }
}
