//! The order of the rows for a sort key, computed once per sort change.

use super::SortKey;
use crate::domain::stack_rows::{push_lower, Source, StackRow};
use crate::portainer::{StackStatus, StackType};

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
    crate::domain::order::sorted_indices(rows.len(), &|i, j| {
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
    })
}
