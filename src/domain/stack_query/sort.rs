//! The order of the rows for a sort key, computed once per sort change.

use super::SortKey;
use crate::domain::names::Names;
use crate::domain::stack_rows::{push_lower, Source, StackRow};
use crate::portainer::{StackStatus, StackType};
use std::borrow::Cow;
use std::cmp::Ordering;

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

fn row_key(row: &StackRow, key: SortKey, names: &Names) -> RowKey {
    let ownership;
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
        SortKey::Ownership => {
            ownership = row.ownership.describe(names);
            (row.ownership.kind() as i64, &ownership, 0)
        }
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

/// Each row's place in name order (case-insensitive, then exact, then id): the tie-breaker
/// of every sort, computed once per load rather than once per sort.
pub fn name_ranks(rows: &[StackRow]) -> Vec<u32> {
    let lowered: Vec<Cow<str>> = rows.iter().map(StackRow::lowered_name).collect();
    let heads: Vec<u128> = lowered.iter().map(|name| head(name)).collect();
    let order = crate::domain::order::sorted_indices(rows.len(), &|i, j| {
        heads[i]
            .cmp(&heads[j])
            .then_with(|| lowered[i].cmp(&lowered[j]))
            .then_with(|| rows[i].name.cmp(&rows[j].name))
            .then(rows[i].id.cmp(&rows[j].id))
    });
    let mut ranks = vec![0u32; rows.len()];
    for (rank, &i) in order.iter().enumerate() {
        ranks[i] = rank as u32;
    }
    ranks
}

/// A text's first 16 bytes as one number, zero-padded: heads compare as the texts do up to
/// there, so most of 20,000 names are ordered by one integer comparison each, not byte by byte.
fn head(text: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = text.len().min(16);
    bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// Row indices sorted by `key`. `descending` reverses the key only: ties are always broken by
/// name (case-insensitive, then exact), then id, ascending, so equal rows keep a predictable
/// order both ways.
pub fn sort_order(rows: &[StackRow], key: SortKey, descending: bool, names: &Names) -> Vec<usize> {
    sort_order_ranked(rows, &name_ranks(rows), key, descending, names)
}

/// [`sort_order`] with the rows' [`name_ranks`] at hand. Keys are built once, so the
/// comparisons allocate nothing; by name, only the ranks are compared. `names` are read by the
/// ownership sort alone ("restricted to alice").
pub fn sort_order_ranked(
    rows: &[StackRow],
    ranks: &[u32],
    key: SortKey,
    descending: bool,
    names: &Names,
) -> Vec<usize> {
    let rank = |i: usize| ranks.get(i).copied().unwrap_or(u32::MAX);
    if key == SortKey::Name {
        if let Some(order) = by_name(rows, ranks, descending) {
            return order;
        }
        return crate::domain::order::sorted_indices(rows.len(), &|i, j| {
            if descending && rows[i].name != rows[j].name {
                rank(j).cmp(&rank(i))
            } else {
                rank(i).cmp(&rank(j))
            }
        });
    }
    if key == SortKey::Environment {
        return by_environment(rows, &rank, descending);
    }
    let keys: Vec<RowKey> = rows.iter().map(|r| row_key(r, key, names)).collect();
    crate::domain::order::sorted_indices(rows.len(), &|i, j| {
        directed(keys[i].cmp(&keys[j]), descending).then_with(|| rank(i).cmp(&rank(j)))
    })
}

/// By name the ranks are the order: each row is placed at its rank, nothing is compared.
/// Descending reverses it, except that rows of the same name stay in ascending id order. None
/// when `ranks` is not a permutation of the rows (they are then sorted).
fn by_name(rows: &[StackRow], ranks: &[u32], descending: bool) -> Option<Vec<usize>> {
    if ranks.len() != rows.len() {
        return None;
    }
    let mut order = vec![usize::MAX; rows.len()];
    for (i, &rank) in ranks.iter().enumerate() {
        let slot = order.get_mut(rank as usize)?;
        if *slot != usize::MAX {
            return None;
        }
        *slot = i;
    }
    if descending {
        order.reverse();
        let mut start = 0;
        while start < order.len() {
            let name = &rows[order[start]].name;
            let end = start
                + order[start..]
                    .iter()
                    .take_while(|&&i| rows[i].name == *name)
                    .count();
            order[start..end].reverse();
            start = end;
        }
    }
    Some(order)
}

/// By environment: its key depends on the environment alone, so the few hundred environments
/// are ordered once and the rows compare two integers (20,000 lower-cased names were built
/// and compared for every sort).
fn by_environment(rows: &[StackRow], rank: &dyn Fn(usize) -> u32, descending: bool) -> Vec<usize> {
    let ids = crate::domain::stack_rows::environments_holding(rows);
    // One row per environment stands for it: every row of an environment has the same key.
    let mut standing: Vec<Option<&StackRow>> = vec![None; ids.len()];
    for r in rows {
        if let Ok(e) = ids.binary_search(&r.endpoint_id) {
            standing[e].get_or_insert(r);
        }
    }
    let keys: Vec<RowKey> = standing
        .iter()
        .flatten()
        .map(|r| row_key(r, SortKey::Environment, &Names::default()))
        .collect();
    let env_order = crate::domain::order::sorted_indices(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    let mut env_rank = vec![0u32; ids.len()];
    for (place, &e) in env_order.iter().enumerate() {
        env_rank[e] = place as u32;
    }
    let row_env: Vec<u32> = rows
        .iter()
        .map(|r| ids.binary_search(&r.endpoint_id).map_or(0, |e| env_rank[e]))
        .collect();
    crate::domain::order::sorted_indices(rows.len(), &|i, j| {
        directed(row_env[i].cmp(&row_env[j]), descending).then_with(|| rank(i).cmp(&rank(j)))
    })
}

/// The key's order, reversed when descending (the name tie-breaker never is).
fn directed(key: Ordering, descending: bool) -> Ordering {
    if descending {
        key.reverse()
    } else {
        key
    }
}
