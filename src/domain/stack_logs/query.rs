//! The stack logs page's options, as bookmarked: `tail`, `since`, `follow`, `ts`, `wrap`,
//! `stream`, `q` and the sources shown (`only=` or `hide=`, comma lists of source keys).
//! Only `tail`, `since`, `follow` and the sources change what is asked of Portainer; the rest
//! is how the lines already fetched are shown.

use crate::percent;

/// The "since" choices: URL name, label, seconds back.
pub const SINCE_CHOICES: [(&str, &str, u32); 4] = [
    ("15m", "last 15 minutes", 15 * 60),
    ("1h", "last hour", 3_600),
    ("24h", "last 24 hours", 86_400),
    ("7d", "last 7 days", 7 * 86_400),
];

/// Tail bounds: at least one line, at most what a page can hold per source.
pub const MAX_TAIL: u32 = 5_000;

/// Which sources are shown. Kept as the shorter of the two lists, so a link that opens one
/// container among twenty stays short.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    All,
    Only(Vec<String>),
    Except(Vec<String>),
}

impl Selection {
    pub fn shows(&self, key: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(keys) => keys.iter().any(|k| k == key),
            Selection::Except(keys) => !keys.iter().any(|k| k == key),
        }
    }

    /// The selection with `key` shown if it was hidden and hidden if it was shown, among
    /// `all` (the stack's sources).
    pub fn toggled(&self, key: &str, all: &[&str]) -> Selection {
        let shown: Vec<&str> = all
            .iter()
            .copied()
            .filter(|k| self.shows(k) != (*k == key))
            .collect();
        Self::of(&shown, all)
    }

    /// Only `key` shown.
    pub fn only(key: &str) -> Selection {
        Selection::Only(vec![key.to_string()])
    }

    fn of(shown: &[&str], all: &[&str]) -> Selection {
        let hidden: Vec<String> = all
            .iter()
            .filter(|k| !shown.contains(k))
            .map(|k| k.to_string())
            .collect();
        if hidden.is_empty() {
            Selection::All
        } else if shown.len() <= hidden.len() {
            Selection::Only(shown.iter().map(|k| k.to_string()).collect())
        } else {
            Selection::Except(hidden)
        }
    }
}

/// The options of the stack logs page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackLogsQuery {
    /// Lines per source; `None` uses the operator's preference.
    pub tail: Option<u32>,
    /// Seconds back (one of [`SINCE_CHOICES`]); `None` for all the log.
    pub since: Option<u32>,
    pub follow: bool,
    pub timestamps: bool,
    pub wrap: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// Plain text, any case.
    pub filter: String,
    pub sources: Selection,
    /// An older link's `?container=<id>` (the Logs tab before this page): shown alone.
    pub container: Option<String>,
}

impl Default for StackLogsQuery {
    fn default() -> Self {
        Self {
            tail: None,
            since: None,
            follow: false,
            timestamps: true,
            wrap: true,
            stdout: true,
            stderr: true,
            filter: String::new(),
            sources: Selection::All,
            container: None,
        }
    }
}

fn keys(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(String::from)
        .collect()
}

impl StackLogsQuery {
    /// From the URL's parameters; unknown or malformed ones are ignored.
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = Self::default();
        for (key, value) in pairs {
            match key {
                "tail" => q.tail = value.parse::<u32>().ok().map(|n| n.clamp(1, MAX_TAIL)),
                "since" => {
                    q.since = SINCE_CHOICES
                        .iter()
                        .find(|(name, ..)| *name == value)
                        .map(|c| c.2)
                }
                "follow" => q.follow = value == "1",
                "ts" => q.timestamps = value != "0",
                "wrap" => q.wrap = value != "0",
                "stream" => {
                    q.stdout = value != "stderr";
                    q.stderr = value != "stdout";
                }
                "q" => q.filter = value.to_string(),
                "only" => q.sources = Selection::Only(keys(value)),
                "hide" => q.sources = Selection::Except(keys(value)),
                "container" if !value.is_empty() => q.container = Some(value.to_string()),
                _ => {}
            }
        }
        q
    }

    /// The query string, defaults left out (`container` is never written back: the page
    /// turns it into `only=`).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(tail) = self.tail {
            parts.push(format!("tail={tail}"));
        }
        if let Some((name, ..)) = self
            .since
            .and_then(|s| SINCE_CHOICES.iter().find(|c| c.2 == s))
        {
            parts.push(format!("since={name}"));
        }
        if self.follow {
            parts.push("follow=1".into());
        }
        if !self.timestamps {
            parts.push("ts=0".into());
        }
        if !self.wrap {
            parts.push("wrap=0".into());
        }
        match (self.stdout, self.stderr) {
            (true, false) => parts.push("stream=stdout".into()),
            (false, true) => parts.push("stream=stderr".into()),
            _ => {}
        }
        if !self.filter.is_empty() {
            parts.push(format!("q={}", percent::encode(&self.filter)));
        }
        match &self.sources {
            Selection::All => {}
            Selection::Only(k) => parts.push(format!("only={}", percent::encode(&k.join(",")))),
            Selection::Except(k) => parts.push(format!("hide={}", percent::encode(&k.join(",")))),
        }
        parts.join("&")
    }

    /// What is asked of Portainer: a change here fetches again; any other change only
    /// re-renders the lines held.
    pub fn fetch_key(&self) -> (Option<u32>, Option<u32>, bool, Selection) {
        (self.tail, self.since, self.follow, self.sources.clone())
    }
}
