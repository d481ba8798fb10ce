//! [`StackQuery`] as the URL query: `?q=web&env=1,3&…`, canonical so that equal views have
//! equal URLs.

use super::{SortKey, StackQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE, STACK_STATUSES, STACK_TYPES};
use crate::domain::ownership::OwnershipKind;
use crate::domain::stack_health::HealthClass;
use crate::domain::stack_rows::SourceKind;
use crate::percent;
use crate::portainer::{StackStatus, StackType};

pub fn stack_type_url_name(kind: StackType) -> Option<&'static str> {
    match kind {
        StackType::DockerSwarm => Some("swarm"),
        StackType::DockerCompose => Some("compose"),
        StackType::Kubernetes => Some("kubernetes"),
        StackType::Unknown(_) => None,
    }
}

pub fn stack_status_url_name(status: StackStatus) -> Option<&'static str> {
    match status {
        StackStatus::Active => Some("active"),
        StackStatus::Inactive => Some("inactive"),
        StackStatus::Unknown(_) => None,
    }
}

impl StackQuery {
    /// Reads `?q=web&env=1,3&…` (the leading `?` is optional). Never fails: unknown keys and
    /// values are ignored, and a repeated list key adds to the list.
    pub fn parse(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut q = Self::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            q.set(&percent::decode(key), &percent::decode(value));
        }
        q
    }

    /// The same from already-decoded pairs (e.g. the router's query map).
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut q = Self::default();
        for (key, value) in pairs {
            q.set(key.as_ref(), value.as_ref());
        }
        q
    }

    fn set(&mut self, key: &str, value: &str) {
        let items = || {
            value
                .split(',')
                .map(|v| v.trim().to_ascii_lowercase())
                .filter(|v| !v.is_empty())
        };
        match key {
            "q" => self.search = value.to_owned(),
            "env" => self
                .envs
                .extend(items().filter_map(|v| v.parse::<u32>().ok())),
            "type" => self.types.extend(items().filter_map(|v| {
                STACK_TYPES
                    .into_iter()
                    .find(|t| stack_type_url_name(*t) == Some(&v))
            })),
            "status" => self.statuses.extend(items().filter_map(|v| {
                STACK_STATUSES
                    .into_iter()
                    .find(|s| stack_status_url_name(*s) == Some(&v))
            })),
            "source" => self
                .sources
                .extend(items().filter_map(|v| SourceKind::from_url_name(&v))),
            "own" => self
                .ownership
                .extend(items().filter_map(|v| OwnershipKind::from_url_name(&v))),
            "health" => self
                .health
                .extend(items().filter_map(|v| HealthClass::from_url_name(&v))),
            "sort" => {
                if let Some(k) = SortKey::from_url_name(value.trim()) {
                    self.sort = k;
                }
            }
            "desc" => match value.trim() {
                "1" | "true" => self.descending = true,
                "0" | "false" => self.descending = false,
                _ => {}
            },
            "page" => {
                if let Some(p) = value.trim().parse::<u32>().ok().filter(|p| *p >= 1) {
                    self.page = p;
                }
            }
            "per" => {
                if let Some(n) = value.trim().parse::<u32>().ok().filter(|n| *n >= 1) {
                    self.per_page = n.min(MAX_PER_PAGE);
                }
            }
            "sel" => {
                if let Ok(id) = value.trim().parse::<u32>() {
                    self.selected = Some(id);
                }
            }
            _ => {}
        }
    }

    /// The canonical query: `?q=…&env=…&type=…&status=…&source=…&own=…&health=…&sort=…&desc=1&page=…&per=…&sel=…`,
    /// each only when it differs from the default; `""` for the default view.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        let mut put = |key: &str, value: &str| {
            if !value.is_empty() {
                out.push(if out.is_empty() { '?' } else { '&' });
                out.push_str(key);
                out.push('=');
                out.push_str(value);
            }
        };
        put("q", &percent::encode(&self.search));
        put("env", &comma_list(self.envs.iter().map(u32::to_string)));
        let types = self.types.iter().filter_map(|t| stack_type_url_name(*t));
        put("type", &comma_list(types));
        let statuses = self
            .statuses
            .iter()
            .filter_map(|s| stack_status_url_name(*s));
        put("status", &comma_list(statuses));
        put(
            "source",
            &comma_list(self.sources.iter().map(|s| s.url_name())),
        );
        put(
            "own",
            &comma_list(self.ownership.iter().map(|o| o.url_name())),
        );
        put(
            "health",
            &comma_list(self.health.iter().map(|h| h.url_name())),
        );
        if self.sort != SortKey::Name {
            put("sort", self.sort.url_name());
        }
        if self.descending {
            put("desc", "1");
        }
        if self.page > 1 {
            put("page", &self.page.to_string());
        }
        if self.per_page != DEFAULT_PER_PAGE && self.per_page >= 1 {
            put("per", &self.per_page.min(MAX_PER_PAGE).to_string());
        }
        if let Some(id) = self.selected {
            put("sel", &id.to_string());
        }
        out
    }
}

fn comma_list<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(item.as_ref());
    }
    out
}
