//! Each keystroke's work: one pass over the rows in sort order that filters them, counts every
//! facet and cuts the page, reading only each row's precomputed fields.

use super::{Pagination, StackQuery, STACK_STATUSES, STACK_TYPES};
use crate::domain::ownership::OwnershipKind;
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

/// Filters `rows`, visiting them in `order` (from [`super::sort_order`]) so the result keeps it,
/// counts facets in the same single pass, and cuts the requested page. Indices in `order`
/// outside `rows` are skipped.
pub fn list_view(rows: &[StackRow], order: &[usize], q: &StackQuery) -> ListView {
    let terms = search_terms(&q.search);
    // Maps filled by insertion: `collect` into a map sorts, compiling a sort per key type.
    let mut counts = FacetCounts::default();
    counts.envs.extend(q.envs.iter().map(|e| (*e, 0)));
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
    let page = Pagination::new(matching.len(), q.page, q.per_page);
    ListView {
        total_matching: matching.len(),
        visible: matching[page.start..page.end].to_vec(),
        counts,
        page,
    }
}
