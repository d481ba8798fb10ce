//! A stack's environment variables as Portainer stores them (a list of name/value pairs):
//! reading a pasted `.env` block the way `docker compose` reads one, comparing the edited list
//! with the deployed one, and naming what Portainer would accept but compose would not use as
//! the operator meant.
//!
//! Portainer keeps every pair it is sent, repeats included, and compose lets the last one win;
//! comparisons here do the same, so a diff shows what compose will actually see.

use crate::portainer::Pair;

/// Why a pasted block was not read; `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvBlockError {
    pub line: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvChange {
    Added {
        name: String,
        value: String,
    },
    Removed {
        name: String,
        value: String,
    },
    Changed {
        name: String,
        old: String,
        new: String,
    },
}

/// Reads a `.env` block: `NAME=value` lines, optionally `export NAME=value`; blank lines and
/// `#` comments skipped. Unquoted values are trimmed and end at " #"; single-quoted ones are
/// literal; double-quoted ones understand `\n`, `\t`, `\\` and `\"`. Quoted values may span
/// lines, as compose allows.
pub fn parse_env_block(text: &str) -> Result<Vec<Pair>, EnvBlockError> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut vars = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let number = i as u32 + 1;
        let fail = |message: String| {
            Err(EnvBlockError {
                line: number,
                message,
            })
        };
        let line = lines[i].trim_start();
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = match line.strip_prefix("export") {
            Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
            _ => line,
        };
        let Some((name, raw)) = line.split_once('=') else {
            return fail(format!(
                "line {number} has no “=”; write it as NAME=value (“{}=” for an empty value)",
                line.trim_end()
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return fail(format!("line {number} has no name before “=”"));
        }
        if name.contains(char::is_whitespace) {
            return fail(format!(
                "line {number}: the name “{name}” contains a space, which a variable name cannot"
            ));
        }
        let value = raw.trim_start();
        let value = match value.chars().next() {
            Some(quote @ ('\'' | '"')) => {
                // The value runs to the closing quote, on this line or a later one.
                let mut body = value[1..].to_owned();
                let end = loop {
                    if let Some(end) = closing_quote(&body, quote) {
                        break end;
                    }
                    let Some(next) = lines.get(i) else {
                        let kind = if quote == '"' { "double" } else { "single" };
                        return fail(format!(
                            "line {number} opens a {kind} quote that is never closed"
                        ));
                    };
                    body.push('\n');
                    body.push_str(next);
                    i += 1;
                };
                let rest = body[end + 1..].trim_start();
                if !rest.is_empty() && !rest.starts_with('#') {
                    return fail(format!(
                        "line {number} has text after the closing quote of “{name}”"
                    ));
                }
                body.truncate(end);
                if quote == '"' {
                    unescape(&body)
                } else {
                    body
                }
            }
            _ => inline_comment_cut(raw).trim().to_owned(),
        };
        vars.push(Pair {
            name: name.to_owned(),
            value,
        });
    }
    Ok(vars)
}

/// Byte index of the quote that closes `body` (which starts after the opening quote).
fn closing_quote(body: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if c == quote && !escaped {
            return Some(i);
        }
        escaped = quote == '"' && c == '\\' && !escaped;
    }
    None
}

fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(c @ ('\\' | '"')) => out.push(c),
            // Anything else keeps its backslash, as compose does.
            Some(c) => {
                out.push('\\');
                out.push(c);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// An unquoted value without its comment: one starts at '#' after a space or tab.
fn inline_comment_cut(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    match (1..bytes.len()).find(|&i| bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t')) {
        Some(i) => &raw[..i],
        None => raw,
    }
}

/// Whether a row is the empty one an operator adds before typing.
fn blank(pair: &Pair) -> bool {
    pair.name.is_empty() && pair.value.is_empty()
}

/// Names in order of first appearance, each with its last value (the one compose uses).
fn effective(vars: &[Pair]) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(vars.len());
    for pair in vars.iter().filter(|p| !blank(p)) {
        match out.iter_mut().find(|(name, _)| *name == pair.name) {
            Some(entry) => entry.1 = &pair.value,
            None => out.push((&pair.name, &pair.value)),
        }
    }
    out
}

/// What an edit changes, by name: additions and changes in the edited order, then removals
/// in the deployed order. A name given twice counts with its last value; blank rows are
/// ignored.
pub fn env_changes(deployed: &[Pair], edited: &[Pair]) -> Vec<EnvChange> {
    let before = effective(deployed);
    let after = effective(edited);
    let mut changes = Vec::new();
    for &(name, value) in &after {
        match before.iter().find(|(n, _)| *n == name) {
            None => changes.push(EnvChange::Added {
                name: name.to_owned(),
                value: value.to_owned(),
            }),
            Some(&(_, old)) if old != value => changes.push(EnvChange::Changed {
                name: name.to_owned(),
                old: old.to_owned(),
                new: value.to_owned(),
            }),
            Some(_) => {}
        }
    }
    for &(name, value) in &before {
        if !after.iter().any(|(n, _)| *n == name) {
            changes.push(EnvChange::Removed {
                name: name.to_owned(),
                value: value.to_owned(),
            });
        }
    }
    changes
}

/// Sentences for what is wrong with the variables, in list order: a missing name, a name
/// compose cannot use, a name given more than once (said once, at its first row).
pub fn env_problems(vars: &[Pair]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, pair) in vars.iter().enumerate() {
        let name = pair.name.as_str();
        if blank(pair) {
            continue;
        }
        if name.is_empty() {
            problems.push(format!("Variable {} has no name.", i + 1));
        } else if name.contains(|c: char| c.is_whitespace() || c == '=') {
            problems.push(format!(
                "Variable {} is named “{name}”; a name cannot contain spaces or “=”.",
                i + 1
            ));
        }
        let earlier = vars[..i].iter().any(|p| p.name == name);
        let times = vars[i..].iter().filter(|p| p.name == name).count();
        if !name.is_empty() && !earlier && times > 1 {
            problems.push(if times == 2 {
                format!(
                    "“{name}” is given twice; Portainer would keep both and compose the last one."
                )
            } else {
                format!(
                    "“{name}” is given {times} times; Portainer would keep them all and compose \
                     the last one."
                )
            });
        }
    }
    problems
}

/// `existing` with `pasted` merged in: a pasted value replaces the one of the same name where
/// it stands (every row of that name), new names go at the end in pasted order.
pub fn merge_pasted(existing: &[Pair], pasted: Vec<Pair>) -> Vec<Pair> {
    let mut merged = existing.to_vec();
    for pair in pasted {
        let mut found = false;
        for row in merged.iter_mut().filter(|r| r.name == pair.name) {
            row.value.clone_from(&pair.value);
            found = true;
        }
        if !found {
            merged.push(pair);
        }
    }
    merged
}

#[cfg(test)]
#[path = "dotenv_tests.rs"]
mod tests;
