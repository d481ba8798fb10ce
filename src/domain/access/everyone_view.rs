//! What `/access/everyone` shows of the matrix, from its URL (`?q=`, `?group=`, `?reach=`,
//! `?view=teams`), and the matrix as CSV, Markdown and JSON for audits. No token is in the
//! matrix, so none can be in an export.

use super::environments::AccessSource;
use super::everyone::{Cell, Column, Everyone, Person};
use super::export::cell as md;
use crate::domain::order::cmp_ignore_case;
use std::fmt::Write;

/// The page's filters, as bookmarked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EveryoneQuery {
    /// Part of a username, any case.
    pub q: String,
    /// Only the environments of this group.
    pub group: Option<u32>,
    /// Only the users who reach this environment.
    pub reach: Option<u32>,
    /// Teams instead of users.
    pub teams: bool,
}

impl EveryoneQuery {
    /// From the URL's parameters (unknown or malformed ones are ignored).
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = Self::default();
        for (key, value) in pairs {
            match key {
                "q" => q.q = value.to_string(),
                "group" => q.group = value.parse().ok(),
                "reach" => q.reach = value.parse().ok(),
                "view" => q.teams = value == "teams",
                _ => {}
            }
        }
        q
    }

    /// `q=…&group=…`, empty values left out; the text percent-encoded.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", crate::percent::encode(&self.q)));
        }
        if let Some(g) = self.group {
            parts.push(format!("group={g}"));
        }
        if let Some(e) = self.reach {
            parts.push(format!("reach={e}"));
        }
        if self.teams {
            parts.push("view=teams".into());
        }
        parts.join("&")
    }
}

/// The environments (positions in `e.environments`) the query's group leaves.
pub fn shown_columns(e: &Everyone, q: &EveryoneQuery) -> Vec<usize> {
    (0..e.environments.len())
        .filter(|&k| q.group.is_none_or(|g| e.environments[k].group_id == g))
        .collect()
}

/// The columns and rows the query leaves, rows by username.
pub fn shown<'a>(e: &'a Everyone, q: &EveryoneQuery) -> (Vec<usize>, Vec<&'a Person>) {
    let rows = shown_people(e, q).into_iter().map(|k| &e.people[k]);
    (shown_columns(e, q), rows.collect())
}

/// The people (positions in `e.people`) the query's search and reach leave, by username.
pub fn shown_people(e: &Everyone, q: &EveryoneQuery) -> Vec<usize> {
    let needle = q.q.to_lowercase();
    let mut rows: Vec<usize> = (0..e.people.len())
        .filter(|&k| {
            let p = &e.people[k];
            (needle.is_empty() || p.username.to_lowercase().contains(&needle))
                && q.reach.is_none_or(|env| {
                    p.cells
                        .iter()
                        .any(|c| c.environment_id == env && !c.paths.is_empty())
                })
        })
        .collect();
    let name = |k: &usize| e.people[*k].username.as_str();
    crate::domain::order::sort_with(&mut rows, &|a, b| cmp_ignore_case(name(a), name(b)));
    rows
}

/// Widths of the matrix's columns in CSS pixels: fixed, so the browser lays out a wide
/// matrix without measuring every cell, and the columns in view follow from the scroll.
/// Integers: formatting an `f64` would bring the float printer into the wasm.
pub const USER_COLUMN_PX: usize = 200;
pub const STACKS_COLUMN_PX: usize = 88;
pub const ENVIRONMENT_COLUMN_PX: usize = 176;
/// Columns rendered beyond each edge of the box, so a short scroll shows no blank.
const OVERSCAN: usize = 3;

/// The environment columns (positions among `total` shown) worth rendering when the matrix
/// is scrolled `scroll_left` pixels into a box `width` pixels wide: at 200 environments
/// only a dozen are in view, and rendering the rest made every search re-lay thousands of
/// cells.
pub fn columns_in_view(scroll_left: f64, width: f64, total: usize) -> std::ops::Range<usize> {
    let lead = (USER_COLUMN_PX + STACKS_COLUMN_PX) as f64;
    let column_px = ENVIRONMENT_COLUMN_PX as f64;
    let column = |px: f64| ((px - lead).max(0.0) / column_px) as usize;
    let (left, width) = (scroll_left.max(0.0), width.max(0.0));
    let last = (column(left + width) + 1 + OVERSCAN).min(total);
    // A scroll position left over from a wider matrix still shows its last columns.
    let span = (width / column_px).ceil() as usize + 1 + 2 * OVERSCAN;
    let first = column(left)
        .saturating_sub(OVERSCAN)
        .min(total.saturating_sub(span));
    first..last.max(first)
}

/// A cell in words: "administrator", each path with its role, or "" when unreachable.
pub fn cell_text(cell: &Cell) -> String {
    let parts: Vec<String> = cell
        .paths
        .iter()
        .map(|p| {
            let what = match &p.source {
                AccessSource::Administrator => "administrator".to_string(),
                AccessSource::UserPolicy | AccessSource::InferredUserPolicy => {
                    "user policy".to_string()
                }
                AccessSource::TeamPolicy { team, .. } => team.clone(),
                AccessSource::UserGroupPolicy { group, .. } => {
                    format!("user policy on group {group}")
                }
                AccessSource::TeamGroupPolicy { team, group, .. } => {
                    format!("{team} on group {group}")
                }
            };
            match &p.role {
                Some(role) => format!("{what} ({role})"),
                None => what,
            }
        })
        .collect();
    parts.join("; ")
}

/// One CSV field: quoted when needed, and a leading `=`, `+`, `-` or `@` neutralised so a
/// spreadsheet never runs a name as a formula.
fn csv(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn header<'a>(e: &'a Everyone, columns: &[usize]) -> Vec<&'a Column> {
    columns.iter().map(|&k| &e.environments[k]).collect()
}

/// The shown matrix as CSV: a row per user, a column per environment.
pub fn to_csv(e: &Everyone, q: &EveryoneQuery) -> String {
    let (columns, rows) = shown(e, q);
    let mut out = String::from("user,role,teams,stacks seen");
    for c in header(e, &columns) {
        out.push(',');
        out.push_str(&csv(&c.name));
    }
    out.push('\n');
    for p in rows {
        let role = if p.is_admin {
            "administrator"
        } else {
            "standard user"
        };
        let _ = write!(
            out,
            "{},{role},{},{}",
            csv(&p.username),
            csv(&p.teams.join("; ")),
            p.stacks.len()
        );
        for &k in &columns {
            out.push(',');
            out.push_str(&csv(&cell_text(&p.cells[k])));
        }
        out.push('\n');
    }
    out
}

/// The shown matrix as a Markdown document: the table, then each user's stacks and why.
pub fn to_markdown(e: &Everyone, q: &EveryoneQuery, generated_utc: &str) -> String {
    let (columns, rows) = shown(e, q);
    let mut out = format!("# Everyone's access\n\nGenerated {generated_utc}.\n\n| user |");
    for c in header(e, &columns) {
        let _ = write!(out, " {} |", md(&c.name));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    for p in &rows {
        let _ = write!(out, "| {} |", md(&p.username));
        for &k in &columns {
            let text = cell_text(&p.cells[k]);
            let _ = write!(
                out,
                " {} |",
                if text.is_empty() {
                    "✘ none".into()
                } else {
                    md(&text)
                }
            );
        }
        out.push('\n');
    }
    out.push_str("\n## Stacks each user sees\n");
    for p in &rows {
        let _ = writeln!(out, "\n### {}\n", md(&p.username));
        if p.stacks.is_empty() {
            out.push_str("None.\n");
        }
        for s in &p.stacks {
            let _ = writeln!(out, "- {} (stack {}): {}", md(&s.name), s.id, md(&s.why));
        }
    }
    out
}

/// The whole matrix (not only what is shown) as pretty JSON.
pub fn to_json(e: &Everyone) -> String {
    // Plain data: serialising cannot fail.
    serde_json::to_string_pretty(e).unwrap_or_default()
}
