//! The stack browser's view state (search, filters, sort, page, selection) and the URL query
//! that holds it, so a bookmark or a pasted link reopens exactly the same view.
//!
//! Per keystroke the page calls [`apply`]: one pass over the rows in the order [`sort_order`]
//! computed once per sort change, reading only each row's precomputed fields.

use super::ownership::OwnershipKind;
use super::stack_rows::{push_lower, Source, SourceKind, StackRow};
use crate::portainer::{StackStatus, StackType};
use std::collections::{BTreeMap, BTreeSet};

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 500;

/// One per column of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SortKey {
    #[default]
    Name,
    Environment,
    Type,
    Status,
    Source,
    Ownership,
    /// Creation date, then creator.
    Created,
    /// Update date, then updater.
    Updated,
}

impl SortKey {
    pub const ALL: [Self; 8] = [
        Self::Name,
        Self::Environment,
        Self::Type,
        Self::Status,
        Self::Source,
        Self::Ownership,
        Self::Created,
        Self::Updated,
    ];

    /// Stable name in URLs (`sort=updated`).
    pub const fn url_name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Environment => "env",
            Self::Type => "type",
            Self::Status => "status",
            Self::Source => "source",
            Self::Ownership => "own",
            Self::Created => "created",
            Self::Updated => "updated",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.url_name() == name)
    }

    /// Column header.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Environment => "Environment",
            Self::Type => "Type",
            Self::Status => "Status",
            Self::Source => "Source",
            Self::Ownership => "Ownership",
            Self::Created => "Created",
            Self::Updated => "Updated",
        }
    }
}

/// Stack types as filter values (`type=compose`).
pub const STACK_TYPES: [StackType; 3] = [
    StackType::DockerSwarm,
    StackType::DockerCompose,
    StackType::Kubernetes,
];
pub const STACK_STATUSES: [StackStatus; 2] = [StackStatus::Active, StackStatus::Inactive];

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

/// Everything that decides what the list shows. An empty filter set means "any".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackQuery {
    /// As typed (whitespace kept, so the search box is not rewritten under the cursor).
    pub search: String,
    pub envs: BTreeSet<u32>,
    pub types: BTreeSet<StackType>,
    pub statuses: BTreeSet<StackStatus>,
    pub sources: BTreeSet<SourceKind>,
    pub ownership: BTreeSet<OwnershipKind>,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based; [`apply`] clamps it to the last page.
    pub page: u32,
    pub per_page: u32,
    /// Stack id of the selected row.
    pub selected: Option<u32>,
}

impl Default for StackQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            envs: BTreeSet::new(),
            types: BTreeSet::new(),
            statuses: BTreeSet::new(),
            sources: BTreeSet::new(),
            ownership: BTreeSet::new(),
            sort: SortKey::Name,
            descending: false,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            selected: None,
        }
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
            q.set(&percent_decode(key), &percent_decode(value));
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

    /// The canonical query: `?q=…&env=…&type=…&status=…&source=…&own=…&sort=…&desc=1&page=…&per=…&sel=…`,
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
        put("q", &percent_encode(&self.search));
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

    /// A column header click: the same column flips direction, another starts ascending.
    /// Either way the list goes back to its first page.
    pub fn toggle_sort(&mut self, key: SortKey) {
        if self.sort == key {
            self.descending = !self.descending;
        } else {
            self.sort = key;
            self.descending = false;
        }
        self.page = 1;
    }

    pub fn has_filters(&self) -> bool {
        !(self.search.trim().is_empty()
            && self.envs.is_empty()
            && self.types.is_empty()
            && self.statuses.is_empty()
            && self.sources.is_empty()
            && self.ownership.is_empty())
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

fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// `%XX` and `+` (a space, as HTML forms write it). A malformed escape stays as it is, and
/// bytes that are not UTF-8 become U+FFFD.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).map(|d| d as u8)
}

/// Per facet value: how many rows match the search and every other facet's selection (the
/// facet's own selection is ignored, so each option shows what choosing it would give).
/// Every value of the small facets is present, zero or not; `envs` holds every environment of
/// the rows plus any selected one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub envs: BTreeMap<u32, usize>,
    pub types: BTreeMap<StackType, usize>,
    pub statuses: BTreeMap<StackStatus, usize>,
    pub sources: BTreeMap<SourceKind, usize>,
    pub ownership: BTreeMap<OwnershipKind, usize>,
}

/// What [`apply`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filtered {
    /// Row indices of the current page, in sort order.
    pub visible: Vec<usize>,
    pub counts: FacetCounts,
    /// Rows matching the search and every filter, on all pages.
    pub total_matching: usize,
    /// The page shown (the requested one, clamped).
    pub page: Page,
}

/// Search terms: split on whitespace, lower-cased the way row haystacks are.
pub fn search_terms(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .map(|t| {
            let mut s = String::with_capacity(t.len());
            push_lower(&mut s, t);
            s
        })
        .collect()
}

fn allows<T: Ord>(selected: &BTreeSet<T>, value: &T) -> bool {
    selected.is_empty() || selected.contains(value)
}

/// Filters `rows`, visiting them in `order` (from [`sort_order`]) so the result keeps it, and
/// counts facets in the same single pass. Indices in `order` outside `rows` are skipped.
pub fn apply(rows: &[StackRow], order: &[usize], q: &StackQuery) -> Filtered {
    let terms = search_terms(&q.search);
    let mut counts = FacetCounts {
        envs: q.envs.iter().map(|e| (*e, 0)).collect(),
        types: STACK_TYPES.iter().map(|t| (*t, 0)).collect(),
        statuses: STACK_STATUSES.iter().map(|s| (*s, 0)).collect(),
        sources: SourceKind::ALL.iter().map(|s| (*s, 0)).collect(),
        ownership: OwnershipKind::ALL.iter().map(|o| (*o, 0)).collect(),
    };
    let mut matching = Vec::new();
    for &i in order {
        let Some(row) = rows.get(i) else { continue };
        let env_count = counts.envs.entry(row.endpoint_id).or_insert(0);
        if !terms.iter().all(|t| row.haystack.contains(t.as_str())) {
            continue;
        }
        let own = row.ownership.kind();
        let source = row.source.kind();
        let pass = [
            allows(&q.envs, &row.endpoint_id),
            allows(&q.types, &row.kind),
            allows(&q.statuses, &row.status),
            allows(&q.sources, &source),
            allows(&q.ownership, &own),
        ];
        let failing = pass.iter().filter(|p| !**p).count();
        // A row counts for facet F when it passes every facet but (maybe) F.
        let counts_for = |f: usize| failing == 0 || (failing == 1 && !pass[f]);
        if counts_for(0) {
            *env_count += 1;
        }
        // Values without a URL name (unknown to this version) cannot be chosen: not counted.
        let bump = |count: Option<&mut usize>, f: usize| {
            if let (Some(c), true) = (count, counts_for(f)) {
                *c += 1;
            }
        };
        bump(counts.types.get_mut(&row.kind), 1);
        bump(counts.statuses.get_mut(&row.status), 2);
        bump(counts.sources.get_mut(&source), 3);
        bump(counts.ownership.get_mut(&own), 4);
        if failing == 0 {
            matching.push(i);
        }
    }
    let page = Page::new(matching.len(), q.page, q.per_page);
    Filtered {
        total_matching: matching.len(),
        visible: matching[page.start..page.end].to_vec(),
        counts,
        page,
    }
}

/// Alphabetical by label: Compose, Kubernetes, Swarm, then unknown numbers.
fn type_rank(kind: StackType) -> i64 {
    match kind {
        StackType::DockerCompose => 0,
        StackType::Kubernetes => 1,
        StackType::DockerSwarm => 2,
        StackType::Unknown(n) => 3 + i64::from(n),
    }
}

/// Active, Inactive, then unknown numbers.
fn status_rank(status: StackStatus) -> i64 {
    match status {
        StackStatus::Active => 0,
        StackStatus::Inactive => 1,
        StackStatus::Unknown(n) => 2 + i64::from(n),
    }
}

/// A row's sort key, built once per sort: compared field by field, text case-insensitively
/// first and exactly second, so the order is total.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct RowKey {
    rank: i64,
    text: String,
    raw: String,
    number: i64,
}

fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_lower(&mut out, s);
    out
}

fn row_key(row: &StackRow, key: SortKey) -> RowKey {
    let (rank, text, number): (i64, &str, i64) = match key {
        SortKey::Name => (0, &row.name, 0),
        SortKey::Environment => (
            i64::from(row.env.rank()),
            row.env.name().unwrap_or(""),
            i64::from(row.endpoint_id),
        ),
        SortKey::Type => (type_rank(row.kind), "", 0),
        SortKey::Status => (status_rank(row.status), "", 0),
        SortKey::Source => {
            let rank = row.source.kind() as i64;
            return match &row.source {
                // NUL sorts before any character: by URL, then reference.
                Source::Git { url, reference } => RowKey {
                    rank,
                    text: format!("{}\0{}", lower(url), lower(reference)),
                    raw: format!("{url}\0{reference}"),
                    number: 0,
                },
                Source::File { entry_point } => RowKey {
                    rank,
                    text: lower(entry_point),
                    raw: entry_point.clone(),
                    number: 0,
                },
            };
        }
        SortKey::Ownership => (row.ownership.kind() as i64, &row.ownership_label, 0),
        SortKey::Created => (row.created_at, &row.created_by, 0),
        SortKey::Updated => (row.updated_at, &row.updated_by, 0),
    };
    RowKey {
        rank,
        text: lower(text),
        raw: text.to_owned(),
        number,
    }
}

/// Row indices sorted by `key`. `descending` reverses the key only: ties are always broken by
/// name (case-insensitive, then exact), then id, ascending, so equal rows keep a predictable
/// order both ways. Keys are built once, so the comparisons allocate nothing.
pub fn sort_order(rows: &[StackRow], key: SortKey, descending: bool) -> Vec<usize> {
    let keys: Vec<(RowKey, String)> = rows
        .iter()
        .map(|r| (row_key(r, key), lower(&r.name)))
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| {
        let primary = keys[i].0.cmp(&keys[j].0);
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| keys[i].1.cmp(&keys[j].1))
            .then_with(|| rows[i].name.cmp(&rows[j].name))
            .then(rows[i].id.cmp(&rows[j].id))
    });
    order
}

/// One page of a list: 1-based `number` of `pages`, rows `start..end` of `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub number: u32,
    pub pages: u32,
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Page {
    /// Clamps `requested` to `1..=pages` (an empty list has one, empty, page). `per_page` 0
    /// counts as 1.
    pub fn new(total: usize, requested: u32, per_page: u32) -> Self {
        let per = per_page.max(1) as usize;
        let pages = total.div_ceil(per).max(1);
        let pages = u32::try_from(pages).unwrap_or(u32::MAX);
        let number = requested.clamp(1, pages);
        let start = (number as usize - 1).saturating_mul(per).min(total);
        let end = start.saturating_add(per).min(total);
        Self {
            number,
            pages,
            start,
            end,
            total,
        }
    }

    /// "41–60 of 213"; "0 of 0" for an empty list.
    pub fn label(&self) -> String {
        if self.total == 0 {
            return "0 of 0".into();
        }
        format!("{}–{} of {}", self.start + 1, self.end, self.total)
    }

    pub fn has_previous(&self) -> bool {
        self.number > 1
    }

    pub fn has_next(&self) -> bool {
        self.number < self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ownership::{Names, Ownership};
    use crate::domain::stack_rows::{join, EnvInfo};
    use crate::portainer::{
        EndpointStatus, EndpointType, Environment, GitConfig, ResourceControl, Stack,
    };
    use std::cmp::Ordering;

    // ---- fixtures -----------------------------------------------------------------------

    fn env(id: u32, name: &str, kind: EndpointType) -> Environment {
        Environment {
            id,
            name: name.into(),
            kind,
            status: EndpointStatus::Up,
            ..Environment::default()
        }
    }

    fn rc(users: &[u32], teams: &[u32], public: bool) -> Option<ResourceControl> {
        let admins_only = !public && users.is_empty() && teams.is_empty();
        Some(ResourceControl::for_test(users, teams, public, admins_only))
    }

    #[allow(clippy::too_many_arguments)]
    fn stack(
        id: u32,
        name: &str,
        endpoint_id: u32,
        kind: StackType,
        status: StackStatus,
        git: Option<&str>,
        rc: Option<ResourceControl>,
        created_by: &str,
        created: i64,
        updated: i64,
    ) -> Stack {
        Stack {
            id,
            name: name.into(),
            kind,
            endpoint_id,
            entry_point: "docker-compose.yml".into(),
            status,
            resource_control: rc,
            creation_date: created,
            created_by: created_by.into(),
            update_date: updated,
            updated_by: if updated > 0 {
                "bob".into()
            } else {
                String::new()
            },
            git_config: git.map(|url| GitConfig {
                url: url.into(),
                reference_name: "refs/heads/main".into(),
                ..GitConfig::default()
            }),
            ..Stack::default()
        }
    }

    use StackStatus::{Active, Inactive};
    use StackType::{DockerCompose as Compose, DockerSwarm as Swarm, Kubernetes};

    /// Six stacks over three environments plus an orphan (seen by an admin).
    fn small() -> Vec<StackRow> {
        let envs = [
            env(1, "local", EndpointType::Docker),
            env(2, "prod", EndpointType::AgentOnDocker),
            env(3, "k8s", EndpointType::KubernetesLocal),
        ];
        let stacks = vec![
            stack(
                1,
                "web",
                1,
                Compose,
                Active,
                Some("https://github.com/acme/web.git"),
                rc(&[], &[], true),
                "alice",
                100,
                500,
            ),
            stack(
                2,
                "db",
                1,
                Compose,
                Inactive,
                None,
                rc(&[2], &[], false),
                "bob",
                200,
                0,
            ),
            stack(
                3,
                "api",
                2,
                Swarm,
                Active,
                Some("https://gitlab.com/acme/api.git"),
                rc(&[], &[], false),
                "alice",
                300,
                400,
            ),
            stack(
                4,
                "Web-Admin",
                2,
                Compose,
                Inactive,
                None,
                None,
                "admin",
                300,
                300,
            ),
            stack(
                5,
                "cluster",
                3,
                Kubernetes,
                Active,
                Some("https://github.com/acme/k8s.git"),
                rc(&[], &[1], false),
                "carol",
                50,
                600,
            ),
            stack(
                6,
                "legacy",
                9,
                Compose,
                Active,
                None,
                rc(&[], &[], true),
                "bob",
                10,
                0,
            ),
        ];
        let mut names = Names::default();
        names.insert_user(2, "bob");
        names.insert_team(1, "devs");
        join(stacks, &envs, true, &names)
    }

    fn ids(rows: &[StackRow], idx: &[usize]) -> Vec<u32> {
        idx.iter().map(|&i| rows[i].id).collect()
    }

    fn run(rows: &[StackRow], q: &StackQuery) -> Filtered {
        apply(rows, &sort_order(rows, q.sort, q.descending), q)
    }

    fn query(s: &str) -> StackQuery {
        StackQuery::parse(s)
    }

    // ---- URL ----------------------------------------------------------------------------

    #[test]
    fn parses_and_writes_the_documented_example() {
        let s = "?q=web&env=1,3&type=compose&status=active&source=git&own=public&sort=updated&desc=1&page=2&sel=12";
        let q = query(s);
        assert_eq!(q.search, "web");
        assert_eq!(q.envs, BTreeSet::from([1, 3]));
        assert_eq!(q.types, BTreeSet::from([Compose]));
        assert_eq!(q.statuses, BTreeSet::from([Active]));
        assert_eq!(q.sources, BTreeSet::from([SourceKind::Git]));
        assert_eq!(q.ownership, BTreeSet::from([OwnershipKind::Public]));
        assert_eq!(q.sort, SortKey::Updated);
        assert!(q.descending);
        assert_eq!(q.page, 2);
        assert_eq!(q.per_page, DEFAULT_PER_PAGE);
        assert_eq!(q.selected, Some(12));
        assert_eq!(q.to_query_string(), s);
    }

    #[test]
    fn default_view_has_an_empty_query() {
        assert_eq!(StackQuery::default().to_query_string(), "");
        assert_eq!(query(""), StackQuery::default());
        assert_eq!(query("?"), StackQuery::default());
        assert_eq!(
            query("sort=name&desc=0&page=1&per=50"),
            StackQuery::default()
        );
        assert_eq!(query("sort=name&desc=0&page=1").to_query_string(), "");
    }

    #[test]
    fn canonical_order_and_sorted_lists() {
        let q =
            query("sel=4&own=none,public&env=30,2,30&type=kubernetes,swarm&per=20&status=inactive");
        assert_eq!(
            q.to_query_string(),
            "?env=2,30&type=swarm,kubernetes&status=inactive&own=public,none&per=20&sel=4"
        );
    }

    #[test]
    fn search_text_is_percent_encoded_and_round_trips() {
        for text in [
            "a b",
            "a+b",
            "x&y=z",
            "100%",
            "é ü 日本",
            "  lead",
            "trail ",
            "#frag?",
            "a,b",
        ] {
            let q = StackQuery {
                search: text.into(),
                ..StackQuery::default()
            };
            let s = q.to_query_string();
            // Only unreserved characters and escapes: nothing a browser or router re-reads.
            let value = s.strip_prefix("?q=").unwrap();
            assert!(
                value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
                "{s}"
            );
            assert_eq!(query(&s).search, text, "{s}");
        }
        assert_eq!(query("q=a+b").search, "a b");
        assert_eq!(query("q=a%2Bb").search, "a+b");
        assert_eq!(query("q=%C3%A9t%C3%A9").search, "été");
    }

    #[test]
    fn garbage_is_ignored_without_panicking() {
        let q = query(
            "%%%&&==&q=%ZZ%4&env=a,1,-3,99999999999,,%20%37&type=COMPOSE,foo&status=on&source=svn\
             &own=everyone&sort=nope&desc=maybe&page=0&page=-1&per=0&sel=x&unknown=1&=5&env",
        );
        assert_eq!(q.search, "%ZZ%4");
        assert_eq!(q.envs, BTreeSet::from([1, 7]));
        assert_eq!(q.types, BTreeSet::from([Compose]));
        assert!(q.statuses.is_empty() && q.sources.is_empty() && q.ownership.is_empty());
        assert_eq!(q.sort, SortKey::Name);
        assert!(!q.descending);
        assert_eq!(
            (q.page, q.per_page, q.selected),
            (1, DEFAULT_PER_PAGE, None)
        );
        assert_eq!(query("per=100000").per_page, MAX_PER_PAGE);
        assert_eq!(query("q=%FF%FE").search, "\u{FFFD}\u{FFFD}");
        // A later value wins for single values; lists accumulate.
        assert_eq!(
            query("q=a&q=b&env=1&env=2").to_query_string(),
            "?q=b&env=1,2"
        );
    }

    #[test]
    fn from_decoded_pairs() {
        let q = StackQuery::from_pairs([
            ("q", "a b&c"),
            ("env", "3"),
            ("own", "restricted"),
            ("desc", "true"),
        ]);
        assert_eq!(q.search, "a b&c");
        assert_eq!(q.envs, BTreeSet::from([3]));
        assert_eq!(q.ownership, BTreeSet::from([OwnershipKind::Restricted]));
        assert!(q.descending);
        assert_eq!(StackQuery::parse(&q.to_query_string()), q);
    }

    /// xorshift64*: deterministic pseudo-random numbers for the property tests.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len() as u64) as usize]
        }
        fn subset<T: Copy + Ord>(&mut self, items: &[T]) -> BTreeSet<T> {
            items.iter().copied().filter(|_| self.chance(30)).collect()
        }
    }

    const SEARCH_CHARS: &[char] = &[
        'a', 'Z', '0', ' ', '+', '&', '=', '%', ',', '?', '#', 'é', '日', '/', '\t', '~',
    ];

    fn random_query(rng: &mut Rng) -> StackQuery {
        let len = rng.below(8);
        StackQuery {
            search: (0..len).map(|_| rng.pick(SEARCH_CHARS)).collect(),
            envs: (0..rng.below(4)).map(|_| rng.next() as u32).collect(),
            types: rng.subset(&STACK_TYPES),
            statuses: rng.subset(&STACK_STATUSES),
            sources: rng.subset(&SourceKind::ALL),
            ownership: rng.subset(&OwnershipKind::ALL),
            sort: rng.pick(&SortKey::ALL),
            descending: rng.chance(50),
            page: if rng.chance(50) {
                1
            } else {
                1 + rng.below(1000) as u32
            },
            per_page: if rng.chance(50) {
                DEFAULT_PER_PAGE
            } else {
                1 + rng.below(u64::from(MAX_PER_PAGE)) as u32
            },
            selected: rng.chance(50).then(|| rng.next() as u32),
        }
    }

    #[test]
    fn property_every_valid_query_round_trips() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..5_000 {
            let q = random_query(&mut rng);
            let s = q.to_query_string();
            assert_eq!(StackQuery::parse(&s), q, "{s}");
            // Canonical: writing the parsed query again gives the same text.
            assert_eq!(StackQuery::parse(&s).to_query_string(), s);
        }
    }

    #[test]
    fn property_any_text_parses_to_a_canonical_query() {
        const ALPHABET: &[&str] = &[
            "q", "env", "type", "status", "source", "own", "sort", "desc", "page", "per", "sel",
            "=", "&", ",", "%", "%2", "%41", "+", "1", "0", "-1", "compose", "git", "public",
            "updated", "é", "\u{0}", "?",
        ];
        let mut rng = Rng(42);
        for _ in 0..5_000 {
            let s: String = (0..rng.below(24)).map(|_| rng.pick(ALPHABET)).collect();
            let q = StackQuery::parse(&s);
            let canonical = q.to_query_string();
            assert_eq!(StackQuery::parse(&canonical), q, "{s:?} → {canonical}");
        }
    }

    #[test]
    fn toggling_sort() {
        let mut q = query("page=3");
        q.toggle_sort(SortKey::Updated);
        assert_eq!((q.sort, q.descending, q.page), (SortKey::Updated, false, 1));
        q.toggle_sort(SortKey::Updated);
        assert_eq!((q.sort, q.descending), (SortKey::Updated, true));
        q.toggle_sort(SortKey::Name);
        assert_eq!((q.sort, q.descending), (SortKey::Name, false));
        for k in SortKey::ALL {
            assert_eq!(SortKey::from_url_name(k.url_name()), Some(k));
        }
        assert!(!StackQuery::default().has_filters());
        assert!(!query("q=%20%20&sort=env").has_filters());
        assert!(query("own=none").has_filters());
    }

    // ---- apply --------------------------------------------------------------------------

    #[test]
    fn search_matches_every_term_case_insensitively_in_any_field() {
        let rows = small();
        let found = |s: &str| {
            ids(
                &rows,
                &run(
                    &rows,
                    &StackQuery {
                        search: s.into(),
                        ..StackQuery::default()
                    },
                )
                .visible,
            )
        };
        assert_eq!(found(""), [3, 5, 2, 6, 1, 4]);
        assert_eq!(found("web"), [1, 4]);
        assert_eq!(found("  WEB   alice "), [1]);
        assert_eq!(found("acme"), [3, 5, 1]); // git URLs
        assert_eq!(found("prod"), [3, 4]); // environment name
        assert_eq!(found("carol"), [5]); // creator
        assert_eq!(found("gitlab.com/acme"), [3]);
        assert_eq!(found("weblocal"), Vec::<u32>::new()); // never across fields
        assert_eq!(found("web nothing"), Vec::<u32>::new());
        // The updater and the entry point are not searched.
        assert_eq!(found("docker-compose"), Vec::<u32>::new());
    }

    #[test]
    fn each_filter() {
        let rows = small();
        let found = |s: &str| ids(&rows, &run(&rows, &query(s)).visible);
        assert_eq!(found("env=1"), [2, 1]);
        assert_eq!(found("env=2,9"), [3, 6, 4]);
        assert_eq!(found("env=77"), Vec::<u32>::new());
        assert_eq!(found("type=compose"), [2, 6, 1, 4]);
        assert_eq!(found("type=swarm,kubernetes"), [3, 5]);
        assert_eq!(found("status=inactive"), [2, 4]);
        assert_eq!(found("status=active,inactive"), [3, 5, 2, 6, 1, 4]);
        assert_eq!(found("source=git"), [3, 5, 1]);
        assert_eq!(found("source=file"), [2, 6, 4]);
        assert_eq!(found("own=public"), [6, 1]);
        assert_eq!(found("own=administrators"), [3]);
        assert_eq!(found("own=restricted"), [5, 2]);
        assert_eq!(found("own=none"), [4]);
        assert_eq!(found("type=compose&status=active&own=public&q=leg"), [6]);
    }

    #[test]
    fn facet_counts_ignore_their_own_selection_only() {
        let rows = small();
        let f = run(&rows, &query("status=active"));
        assert_eq!(f.total_matching, 4);
        let c = &f.counts;
        assert_eq!(c.statuses, BTreeMap::from([(Active, 4), (Inactive, 2)]));
        assert_eq!(
            c.types,
            BTreeMap::from([(Swarm, 1), (Compose, 2), (Kubernetes, 1)])
        );
        assert_eq!(c.envs, BTreeMap::from([(1, 1), (2, 1), (3, 1), (9, 1)]));
        assert_eq!(
            c.sources,
            BTreeMap::from([(SourceKind::File, 1), (SourceKind::Git, 3)])
        );

        let f = run(&rows, &query("status=active&type=compose"));
        assert_eq!(ids(&rows, &f.visible), [6, 1]);
        let c = &f.counts;
        assert_eq!(c.statuses, BTreeMap::from([(Active, 2), (Inactive, 2)]));
        assert_eq!(
            c.types,
            BTreeMap::from([(Swarm, 1), (Compose, 2), (Kubernetes, 1)])
        );
        assert_eq!(
            c.sources,
            BTreeMap::from([(SourceKind::File, 1), (SourceKind::Git, 1)])
        );
        assert_eq!(
            c.ownership,
            BTreeMap::from([
                (OwnershipKind::Public, 2),
                (OwnershipKind::Restricted, 0),
                (OwnershipKind::Administrators, 0),
                (OwnershipKind::None, 0)
            ])
        );
        // Environments without a match still show (with 0), and so does a selected one.
        assert_eq!(c.envs, BTreeMap::from([(1, 1), (2, 0), (3, 0), (9, 1)]));
        let c = run(&rows, &query("env=42&q=web")).counts;
        assert_eq!(
            c.envs,
            BTreeMap::from([(1, 1), (2, 1), (3, 0), (9, 0), (42, 0)])
        );
        // Search applies to every facet.
        assert_eq!(c.types[&Compose], 0);
        assert_eq!(run(&rows, &query("q=web")).counts.types[&Compose], 2);
    }

    #[test]
    fn pagination_clamps_and_keeps_sort_order() {
        let rows = small();
        let f = run(&rows, &query("per=4&page=2"));
        assert_eq!(ids(&rows, &f.visible), [1, 4]);
        assert_eq!(f.total_matching, 6);
        assert_eq!(f.page.label(), "5–6 of 6");
        let f = run(&rows, &query("per=4&page=99&desc=1"));
        assert_eq!(f.page.number, 2);
        assert_eq!(ids(&rows, &f.visible), [5, 3]);
        let f = run(&rows, &query("q=zzz&page=3"));
        assert!(f.visible.is_empty());
        assert_eq!(
            (f.page.number, f.page.pages, f.page.label().as_str()),
            (1, 1, "0 of 0")
        );
    }

    #[test]
    fn page_helper() {
        let p = Page::new(213, 3, 20);
        assert_eq!((p.number, p.pages, p.start, p.end), (3, 11, 40, 60));
        assert_eq!(p.label(), "41–60 of 213");
        assert!(p.has_previous() && p.has_next());
        let last = Page::new(213, 11, 20);
        assert_eq!(last.label(), "201–213 of 213");
        assert!(!last.has_next());
        assert_eq!(Page::new(213, 0, 20).number, 1);
        assert_eq!(Page::new(213, u32::MAX, 20).number, 11);
        assert_eq!(Page::new(5, 1, 0).pages, 5);
        assert_eq!(Page::new(40, 2, 20).label(), "21–40 of 40");
        let first = Page::new(0, 1, 20);
        assert!(!first.has_previous() && !first.has_next());
    }

    #[test]
    fn stale_order_indices_are_skipped() {
        let rows = small();
        let f = apply(&rows, &[5, 99, 0], &StackQuery::default());
        assert_eq!(ids(&rows, &f.visible), [6, 1]);
    }

    // ---- sort ---------------------------------------------------------------------------

    #[test]
    fn sorts_the_small_set_by_every_key() {
        let rows = small();
        let by = |k: SortKey, desc: bool| ids(&rows, &sort_order(&rows, k, desc));
        assert_eq!(by(SortKey::Name, false), [3, 5, 2, 6, 1, 4]);
        assert_eq!(by(SortKey::Name, true), [4, 1, 6, 2, 5, 3]);
        // Known environments by name, then the orphan.
        assert_eq!(by(SortKey::Environment, false), [5, 2, 1, 3, 4, 6]);
        assert_eq!(by(SortKey::Environment, true), [6, 3, 4, 2, 1, 5]);
        // Compose, Kubernetes, Swarm; ties by name.
        assert_eq!(by(SortKey::Type, false), [2, 6, 1, 4, 5, 3]);
        assert_eq!(by(SortKey::Type, true), [3, 5, 2, 6, 1, 4]);
        assert_eq!(by(SortKey::Status, false), [3, 5, 6, 1, 2, 4]);
        assert_eq!(by(SortKey::Status, true), [2, 4, 3, 5, 6, 1]);
        // Files (all docker-compose.yml, so by name), then git URLs.
        assert_eq!(by(SortKey::Source, false), [2, 6, 4, 5, 1, 3]);
        assert_eq!(by(SortKey::Source, true), [3, 1, 5, 2, 6, 4]);
        // Public, restricted (team devs < user bob… by label), administrators, none.
        assert_eq!(by(SortKey::Ownership, false), [6, 1, 2, 5, 3, 4]);
        assert_eq!(by(SortKey::Ownership, true), [4, 3, 5, 2, 6, 1]);
        assert_eq!(by(SortKey::Created, false), [6, 5, 1, 2, 4, 3]);
        assert_eq!(by(SortKey::Created, true), [3, 4, 2, 1, 5, 6]);
        // Never updated (0) first; updater names break the tie before the stack name.
        assert_eq!(by(SortKey::Updated, false), [2, 6, 4, 3, 1, 5]);
        assert_eq!(by(SortKey::Updated, true), [5, 1, 3, 4, 2, 6]);
    }

    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
    enum K {
        N(i64),
        S(String),
    }

    fn text(s: &str) -> [K; 2] {
        [K::S(s.to_lowercase()), K::S(s.to_owned())]
    }

    /// The sort key written independently of `compare`.
    fn key_of(r: &StackRow, key: SortKey) -> Vec<K> {
        let label_rank = |labels: &[&str], l: &str| {
            K::N(labels.iter().position(|x| *x == l).unwrap_or(99) as i64)
        };
        let mut k = Vec::new();
        match key {
            SortKey::Name => k.extend(text(&r.name)),
            SortKey::Environment => {
                k.push(K::N(match r.env {
                    EnvInfo::Known { .. } => 0,
                    EnvInfo::NotAccessible => 1,
                    EnvInfo::Orphaned => 2,
                }));
                k.extend(text(r.env.name().unwrap_or("")));
                k.push(K::N(r.endpoint_id.into()));
            }
            SortKey::Type => {
                let mut labels = ["Swarm", "Compose", "Kubernetes"];
                labels.sort();
                k.push(label_rank(
                    &labels,
                    &crate::domain::stack_rows::stack_type_label(r.kind),
                ));
            }
            SortKey::Status => k.push(label_rank(
                &["Active", "Inactive"],
                &crate::domain::stack_rows::stack_status_label(r.status),
            )),
            SortKey::Source => match &r.source {
                Source::File { entry_point } => {
                    k.push(K::N(0));
                    k.extend(text(entry_point));
                }
                Source::Git { url, reference } => {
                    k.push(K::N(1));
                    k.push(K::S(url.to_lowercase()));
                    k.push(K::S(reference.to_lowercase()));
                    k.push(K::S(url.clone()));
                    k.push(K::S(reference.clone()));
                }
            },
            SortKey::Ownership => {
                k.push(label_rank(
                    &["public", "restricted", "administrators", "none"],
                    r.ownership.kind().url_name(),
                ));
                k.extend(text(&r.ownership_label));
            }
            SortKey::Created => {
                k.push(K::N(r.created_at));
                k.extend(text(&r.created_by));
            }
            SortKey::Updated => {
                k.push(K::N(r.updated_at));
                k.extend(text(&r.updated_by));
            }
        }
        k
    }

    fn check_sorted(rows: &[StackRow], order: &[usize], key: SortKey, desc: bool) {
        let mut seen = order.to_vec();
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..rows.len()).collect::<Vec<_>>(),
            "not a permutation"
        );
        for w in order.windows(2) {
            let (a, b) = (&rows[w[0]], &rows[w[1]]);
            let (ka, kb) = (key_of(a, key), key_of(b, key));
            let want = if desc { kb.cmp(&ka) } else { ka.cmp(&kb) };
            match want {
                Ordering::Less => {}
                Ordering::Equal => {
                    let ta = (text(&a.name), a.id);
                    let tb = (text(&b.name), b.id);
                    assert!(
                        ta < tb,
                        "{key:?} desc={desc}: tie {} #{} before {} #{}",
                        a.name,
                        a.id,
                        b.name,
                        b.id
                    );
                }
                Ordering::Greater => panic!("{key:?} desc={desc}: {} before {}", a.name, b.name),
            }
        }
    }

    // ---- scale --------------------------------------------------------------------------

    const SYLLABLES: &[&str] = &[
        "web", "db", "api", "Cache", "queue", "auth", "mail", "log", "Édge", "proxy", "ml",
        "search",
    ];
    const PEOPLE: &[&str] = &["alice", "Bob", "carol", "dave", "", "ops-bot"];

    /// 5,000 stacks over 200 environments, of which the token's list misses every 37th.
    fn big(rng: &mut Rng, admin: bool) -> Vec<StackRow> {
        let kinds = [
            EndpointType::Docker,
            EndpointType::AgentOnDocker,
            EndpointType::KubernetesLocal,
            EndpointType::EdgeAgentOnDocker,
        ];
        let envs: Vec<Environment> = (1..=200)
            .filter(|id| id % 37 != 0)
            .map(|id| {
                env(
                    id,
                    &format!("{}-{id}", rng.pick(SYLLABLES)),
                    rng.pick(&kinds),
                )
            })
            .collect();
        let stacks = (1..=5_000)
            .map(|id| {
                let name = format!(
                    "{}-{}-{}",
                    rng.pick(SYLLABLES),
                    rng.pick(SYLLABLES),
                    rng.below(50)
                );
                let kind = rng.pick(&[Swarm, Compose, Kubernetes, StackType::Unknown(0)]);
                let status = rng.pick(&[Active, Inactive, StackStatus::Unknown(0)]);
                let git_url = format!(
                    "https://git.example.com/{}/{}.git",
                    rng.pick(PEOPLE),
                    rng.pick(SYLLABLES)
                );
                let git = rng.chance(40).then_some(git_url.as_str());
                let rc = match rng.below(6) {
                    0 => None,
                    1 => rc(&[], &[], true),
                    2 => rc(&[], &[], false),
                    3 => rc(&[rng.below(5) as u32], &[], false),
                    4 => rc(&[], &[rng.below(5) as u32], false),
                    _ => rc(&[rng.below(5) as u32], &[rng.below(5) as u32], false),
                };
                let mut s = stack(
                    id,
                    &name,
                    1 + rng.below(200) as u32,
                    kind,
                    status,
                    git,
                    rc,
                    rng.pick(PEOPLE),
                    rng.below(1_000) as i64,
                    rng.below(1_000) as i64,
                );
                s.updated_by = rng.pick(PEOPLE).into();
                s
            })
            .collect();
        let mut names = Names::default();
        names.insert_user(1, "alice");
        names.insert_team(2, "devs");
        join(stacks, &envs, admin, &names)
    }

    /// `apply` written the obvious way: one scan per facet instead of one pass for all.
    fn reference(rows: &[StackRow], order: &[usize], q: &StackQuery) -> (Vec<usize>, FacetCounts) {
        let terms: Vec<String> = q.search.split_whitespace().map(str::to_lowercase).collect();
        let fields = |r: &StackRow| {
            let git = match &r.source {
                Source::Git { url, .. } => url.to_lowercase(),
                Source::File { .. } => String::new(),
            };
            [
                r.name.to_lowercase(),
                r.env.name().unwrap_or("").to_lowercase(),
                r.created_by.to_lowercase(),
                git,
            ]
        };
        let searched = |r: &StackRow| {
            let f = fields(r);
            terms
                .iter()
                .all(|t| f.iter().any(|x| x.contains(t.as_str())))
        };
        let ok_env = |r: &StackRow| q.envs.is_empty() || q.envs.contains(&r.endpoint_id);
        let ok_type = |r: &StackRow| q.types.is_empty() || q.types.contains(&r.kind);
        let ok_status = |r: &StackRow| q.statuses.is_empty() || q.statuses.contains(&r.status);
        let ok_source = |r: &StackRow| q.sources.is_empty() || q.sources.contains(&r.source.kind());
        let ok_own =
            |r: &StackRow| q.ownership.is_empty() || q.ownership.contains(&r.ownership.kind());
        let all = |r: &StackRow| {
            searched(r) && ok_env(r) && ok_type(r) && ok_status(r) && ok_source(r) && ok_own(r)
        };
        let visible = order.iter().copied().filter(|&i| all(&rows[i])).collect();
        // Facet by facet: the rows passing the search and every other facet, tallied by value.
        let tally = |others: &dyn Fn(&StackRow) -> bool| -> Vec<&StackRow> {
            rows.iter().filter(|r| searched(r) && others(r)).collect()
        };
        let mut env_ids: BTreeSet<u32> = rows.iter().map(|r| r.endpoint_id).collect();
        env_ids.extend(&q.envs);
        let mut counts = FacetCounts {
            envs: env_ids.into_iter().map(|e| (e, 0)).collect(),
            types: STACK_TYPES.into_iter().map(|t| (t, 0)).collect(),
            statuses: STACK_STATUSES.into_iter().map(|s| (s, 0)).collect(),
            sources: SourceKind::ALL.into_iter().map(|s| (s, 0)).collect(),
            ownership: OwnershipKind::ALL.into_iter().map(|o| (o, 0)).collect(),
        };
        for r in tally(&|r| ok_type(r) && ok_status(r) && ok_source(r) && ok_own(r)) {
            *counts.envs.get_mut(&r.endpoint_id).unwrap() += 1;
        }
        for r in tally(&|r| ok_env(r) && ok_status(r) && ok_source(r) && ok_own(r)) {
            if let Some(c) = counts.types.get_mut(&r.kind) {
                *c += 1;
            }
        }
        for r in tally(&|r| ok_env(r) && ok_type(r) && ok_source(r) && ok_own(r)) {
            if let Some(c) = counts.statuses.get_mut(&r.status) {
                *c += 1;
            }
        }
        for r in tally(&|r| ok_env(r) && ok_type(r) && ok_status(r) && ok_own(r)) {
            *counts.sources.get_mut(&r.source.kind()).unwrap() += 1;
        }
        for r in tally(&|r| ok_env(r) && ok_type(r) && ok_status(r) && ok_source(r)) {
            *counts.ownership.get_mut(&r.ownership.kind()).unwrap() += 1;
        }
        (visible, counts)
    }

    #[test]
    fn five_thousand_rows_match_the_reference() {
        let mut rng = Rng(7);
        for admin in [true, false] {
            let rows = big(&mut rng, admin);
            assert_eq!(rows.len(), 5_000);
            let orphans = rows.iter().filter(|r| r.env == EnvInfo::Orphaned).count();
            let hidden = rows
                .iter()
                .filter(|r| r.env == EnvInfo::NotAccessible)
                .count();
            if admin {
                assert!(orphans > 0 && hidden == 0);
            } else {
                assert!(hidden > 0 && orphans == 0);
            }
            for key in SortKey::ALL {
                for desc in [false, true] {
                    let order = sort_order(&rows, key, desc);
                    check_sorted(&rows, &order, key, desc);
                }
            }
            for round in 0..10 {
                let mut q = StackQuery {
                    search: (0..rng.below(3))
                        .map(|_| {
                            let s = rng.pick(SYLLABLES);
                            s[..s.len().min(1 + rng.below(4) as usize)].to_uppercase()
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                    envs: (0..rng.below(30))
                        .map(|_| 1 + rng.below(210) as u32)
                        .collect(),
                    types: rng.subset(&STACK_TYPES),
                    statuses: rng.subset(&STACK_STATUSES),
                    sources: rng.subset(&SourceKind::ALL),
                    ownership: rng.subset(&OwnershipKind::ALL),
                    sort: rng.pick(&SortKey::ALL),
                    descending: rng.chance(50),
                    page: 1,
                    per_page: MAX_PER_PAGE,
                    selected: None,
                };
                if round == 0 {
                    q.envs.clear(); // at least one broad query
                    q.search.clear();
                }
                let order = sort_order(&rows, q.sort, q.descending);
                let (want, want_counts) = reference(&rows, &order, &q);
                let mut got = Vec::new();
                let mut page = 1;
                loop {
                    q.page = page;
                    let f = apply(&rows, &order, &q);
                    assert_eq!(f.total_matching, want.len());
                    assert_eq!(f.counts, want_counts, "{q:?}");
                    got.extend(f.visible);
                    if !f.page.has_next() {
                        break;
                    }
                    page += 1;
                }
                assert_eq!(got, want, "{q:?}");
                if round == 0 {
                    assert_eq!(want.len(), rows.iter().filter(|r| q.types.is_empty() || q.types.contains(&r.kind)).filter(|r| q.statuses.is_empty() || q.statuses.contains(&r.status)).filter(|r| q.sources.is_empty() || q.sources.contains(&r.source.kind())).filter(|r| q.ownership.is_empty() || q.ownership.contains(&r.ownership.kind())).count());
                }
            }
        }
    }

    #[test]
    fn ownership_is_derived_per_row() {
        let rows = small();
        assert_eq!(rows[3].ownership, Ownership::NoResourceControl);
        assert_eq!(rows[1].ownership_label, "restricted to bob");
        assert_eq!(rows[4].ownership_label, "restricted to team devs");
    }
}
