//! Each keystroke's work: one pass over the rows in sort order that filters them, counts every
//! facet and cuts the page, reading only each row's precomputed fields.

use super::{Pagination, StackQuery, STACK_STATUSES, STACK_TYPES};
use crate::domain::ownership::OwnershipKind;
use crate::domain::stack_health::HealthClass;
use crate::domain::stack_rows::{push_lower, SourceKind, StackRow};
use crate::portainer::{StackStatus, StackType};
use std::collections::{BTreeMap, BTreeSet};

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
    /// Empty while health is not checked.
    pub health: BTreeMap<HealthClass, usize>,
}

/// What the list shows for a query: the page's rows, the facet counts and the totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListView {
    /// Row indices of the current page, in sort order.
    pub visible: Vec<usize>,
    pub counts: FacetCounts,
    /// Rows matching the search and every filter, on all pages.
    pub total_matching: usize,
    /// The page shown (the requested one, clamped).
    pub page: Pagination,
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

/// The rows, in sort order, whose haystack holds every term of a search: the costly half of a
/// keystroke. Kept from one keystroke to the next, so typing on narrows the last answer
/// instead of searching every row again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Searched {
    /// Which rows and order this answer is about: it must change whenever either does.
    pub generation: u64,
    pub search: String,
    pub rows: Vec<usize>,
}

impl Searched {
    /// The rows of `order` matching `search`. When `previous` is about the same rows and order
    /// and `search` only adds to its text, only its rows are searched: every term of the
    /// longer text contains the matching term of the shorter one, so nothing else can match.
    pub fn new(
        rows: &[StackRow],
        order: &[usize],
        generation: u64,
        search: &str,
        previous: Option<&Searched>,
    ) -> Self {
        let previous = previous.filter(|p| p.generation == generation);
        let candidates = match previous {
            Some(p) if p.search == search => return p.clone(),
            Some(p) if search.starts_with(p.search.as_str()) => p.rows.as_slice(),
            _ => order,
        };
        let terms = search_terms(search);
        let matching = candidates
            .iter()
            .copied()
            .filter(|&i| {
                rows.get(i)
                    .is_some_and(|r| terms.iter().all(|t| r.haystack.contains(t.as_str())))
            })
            .collect();
        Searched {
            generation,
            search: search.to_owned(),
            rows: matching,
        }
    }
}

/// Filters `rows`, visiting them in `order` (from [`super::sort_order`]) so the result keeps it,
/// counts facets in the same single pass, and cuts the requested page. Indices in `order`
/// outside `rows` are skipped.
pub fn list_view(rows: &[StackRow], order: &[usize], q: &StackQuery) -> ListView {
    let searched = Searched::new(rows, order, 0, &q.search, None);
    let envs = crate::domain::stack_rows::environments_holding(rows);
    list_view_of(rows, &searched.rows, &envs, None, q)
}

/// [`list_view`] from the rows that match the search (see [`Searched`]), the environments
/// of all rows (each is offered in the environment filter, with its count) and, when health
/// is checked, each row's health class by row index (`None` for a row not counted, which no
/// health filter matches).
pub fn list_view_of(
    rows: &[StackRow],
    searched: &[usize],
    envs: &[u32],
    health: Option<&[Option<HealthClass>]>,
    q: &StackQuery,
) -> ListView {
    // Maps filled by insertion: `collect` into a map sorts, compiling a sort per key type.
    let mut counts = FacetCounts::default();
    counts
        .envs
        .extend(q.envs.iter().chain(envs).map(|e| (*e, 0)));
    counts.types.extend(STACK_TYPES.iter().map(|t| (*t, 0)));
    counts
        .statuses
        .extend(STACK_STATUSES.iter().map(|s| (*s, 0)));
    counts
        .sources
        .extend(SourceKind::ALL.iter().map(|s| (*s, 0)));
    counts
        .ownership
        .extend(OwnershipKind::ALL.iter().map(|o| (*o, 0)));
    if health.is_some() {
        counts
            .health
            .extend(HealthClass::ALL.iter().map(|h| (*h, 0)));
    }
    let no_health = BTreeSet::new();
    let wanted_health = if health.is_some() {
        &q.health
    } else {
        &no_health
    };
    let mut matching = Vec::new();
    for &i in searched {
        let Some(row) = rows.get(i) else { continue };
        let own = row.ownership.kind();
        let source = row.source.kind();
        let class = health.and_then(|h| h.get(i).copied().flatten());
        let pass = [
            allows(&q.envs, &row.endpoint_id),
            allows(&q.types, &row.kind),
            allows(&q.statuses, &row.status),
            allows(&q.sources, &source),
            allows(&q.ownership, &own),
            wanted_health.is_empty() || class.is_some_and(|c| wanted_health.contains(&c)),
        ];
        let failing = pass.iter().filter(|p| !**p).count();
        // A row counts for facet F when it passes every facet but (maybe) F.
        let counts_for = |f: usize| failing == 0 || (failing == 1 && !pass[f]);
        if let (true, Some(c)) = (counts_for(0), counts.envs.get_mut(&row.endpoint_id)) {
            *c += 1;
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
        if let Some(class) = class {
            bump(counts.health.get_mut(&class), 5);
        }
        if failing == 0 {
            matching.push(i);
        }
    }
    let page = Pagination::new(matching.len(), q.page, q.per_page);
    ListView {
        total_matching: matching.len(),
        visible: matching[page.start..page.end].to_vec(),
        counts,
        page,
    }
}
