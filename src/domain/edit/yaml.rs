//! A small syntax check for compose files, run as the operator types, so the usual YAML
//! mistakes are named with their line before Portainer answers a deploy with a parser error.
//!
//! Not a YAML parser: one pass over the lines that tracks block indentation, quotes and flow
//! brackets, and reports the first of these problems:
//! - an empty file (or one with only comments): Portainer refuses it;
//! - a tab in a line's indentation;
//! - a quote never closed, or closed on a later line where more text follows it (a missing
//!   closing quote usually shows up that way: the next quote in the file closes it);
//! - flow brackets (`[`, `{`) that do not match or are never closed, and text after the one
//!   that closes a value;
//! - a line indented more than the line before when that one already has its value (except
//!   the continuation of a plain multi-line value), or indented to no enclosing block's level;
//! - a key given twice in one block, a list item among keys or a key among list items;
//! - a plain value containing ": ", a value starting with a reserved character (`@`, `` ` ``,
//!   `%`), text after a block scalar's `|`/`>` header, a list item after `key:` on one line.
//!
//! It errs towards silence: what it does not understand it lets through. It does not look
//! inside flow collections beyond quotes and brackets, nor at the indentation of their lines or
//! of quoted values' continuation lines, nor at a block scalar's lines; it stops checking a
//! document at a complex key (`? `, or a flow collection used as a key); it compares keys as
//! written, tags included (`a` and `"a"` count as different keys), and lets `<<` merge keys
//! repeat; and it knows nothing of compose's own schema. Each document of a multi-document
//! file is checked on its own.

/// The first problem found; `line` and `column` are 1-based, the column in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlProblem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The first syntax problem in `text`, if any.
pub fn check_yaml(text: &str) -> Option<YamlProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut checker = Checker::default();
    checker.reset();
    let mut found = lines
        .iter()
        .zip(1..)
        .find_map(|(line, n)| checker.line(line, n).err())
        .or_else(|| checker.finish().err())?;
    // Problems carry a byte offset until here; the operator counts characters.
    let line = lines.get(found.line as usize - 1).copied().unwrap_or("");
    let byte = (found.column as usize).min(line.len());
    found.column = line.get(..byte).map_or(byte, |p| p.chars().count()) as u32 + 1;
    Some(found)
}

#[path = "yaml_scan.rs"]
mod scan;

use scan::{
    blank_or_end, is_item, key_colon, plain_colon, quote_name, skip_blanks, skip_properties,
};

type Checked = Result<(), YamlProblem>;

/// A problem at byte `at` of line `line`; `check_yaml` turns the byte into a column.
fn problem(line: u32, at: usize, message: String) -> YamlProblem {
    YamlProblem {
        line,
        column: at as u32,
        message,
    }
}

/// One block mapping or sequence that lines may still add entries to.
#[derive(Default)]
struct Level<'a> {
    indent: isize,
    seq: bool,
    /// A sequence written at its parent key's own indentation (`ports:` then `- 80:80`).
    compact: bool,
    /// The last entry has no value yet, so more indented lines give it one.
    open: bool,
    keys: Vec<(&'a str, u32)>,
}

/// A plain value that later, more indented lines may continue.
struct Continued {
    /// The indentation of the block the value belongs to; continuation lines are deeper.
    owner: isize,
    /// Its line's indentation, and whether a continuation line has been seen.
    indent: isize,
    more: bool,
}

#[derive(Default)]
struct Checker<'a> {
    levels: Vec<Level<'a>>,
    /// Open flow brackets: the bracket, its line and byte.
    flow: Vec<(u8, u32, usize)>,
    /// An open quote: the quote character, its line and byte.
    quote: Option<(u8, u32, usize)>,
    /// In a flow collection, whether the next character starts a node (so a quote opens one).
    flow_start: bool,
    /// A quote or bracket just closed in a flow, so ':' right after it is a key's.
    after_node: bool,
    /// Lines indented more than this belong to a block scalar (`|`, `>`).
    block_scalar: Option<isize>,
    continued: Option<Continued>,
    /// This line's indentation.
    indent: isize,
    content: bool,
    comments: bool,
    /// A complex key (`? `) was seen: the rest of the document's structure is not checked.
    lenient: bool,
}

impl<'a> Checker<'a> {
    /// A new document: a virtual root entry waiting for its value.
    fn reset(&mut self) {
        self.levels.clear();
        self.levels.push(Level {
            indent: -1,
            open: true,
            ..Level::default()
        });
        self.continued = None;
        self.block_scalar = None;
        self.lenient = false;
    }

    fn top(&mut self) -> &mut Level<'a> {
        let last = self.levels.len() - 1;
        &mut self.levels[last]
    }

    fn line(&mut self, s: &'a str, n: u32) -> Checked {
        let b = s.as_bytes();
        let ind = b.iter().take_while(|&&c| c == b' ').count();
        let rest = skip_blanks(b, ind);
        let blank = rest == b.len();
        if let Some(owner) = self.block_scalar {
            if blank || ind as isize > owner {
                return Ok(());
            }
            self.block_scalar = None;
        }
        if self.quote.is_some() || !self.flow.is_empty() {
            return self.resume(s, 0, n);
        }
        if blank {
            return Ok(());
        }
        if b[rest] == b'#' {
            self.comments = true;
            return Ok(());
        }
        if ind == 0 && (s.starts_with("---") || s.starts_with("...")) && blank_or_end(b, 3) {
            self.reset();
            // "--- value": the document's node starts on the marker's line.
            let node = skip_blanks(b, 3);
            if b[0] == b'-' && node < b.len() && b[node] != b'#' {
                self.content = true;
                self.indent = 0;
                self.top().open = false;
                return self.node(s, node, n);
            }
            return Ok(());
        }
        if (ind == 0 && b[0] == b'%') || self.lenient {
            return Ok(());
        }
        self.content = true;
        self.indent = ind as isize;
        if let Some(c) = &mut self.continued {
            if self.indent > c.owner {
                let more = std::mem::replace(&mut c.more, true);
                return match plain_colon(b, ind) {
                    Some(_) if !more && self.indent > c.indent => Err(problem(
                        n,
                        ind,
                        format!(
                            "line {n} is indented more than the line before, which already has \
                             a value"
                        ),
                    )),
                    Some(at) => Err(problem(
                        n,
                        at,
                        format!(
                            "line {n} has “: ” but continues the text of the lines above, so it \
                             cannot be a key; indent it like the keys it belongs with or quote it"
                        ),
                    )),
                    None => Ok(()),
                };
            }
            self.continued = None;
        }
        if b[ind] == b'\t' {
            let message = format!("line {n} is indented with a tab; YAML allows only spaces");
            return Err(problem(n, ind, message));
        }
        if matches!(b[ind], b'?' | b':') && blank_or_end(b, ind + 1) {
            self.lenient = true;
            return Ok(());
        }
        self.structure(s, ind, n)
    }

    /// Places a line that starts a node at indentation `ind` among the open blocks.
    fn structure(&mut self, s: &'a str, ind: usize, n: u32) -> Checked {
        let b = s.as_bytes();
        let item = is_item(b, ind);
        let mut dedented = false;
        while self.top().indent > self.indent {
            self.levels.pop();
            dedented = true;
        }
        let top = self.top();
        if top.seq && top.compact && top.indent == self.indent && !item {
            self.levels.pop();
        }
        let indent = self.indent;
        let top = self.top();
        if top.indent == indent {
            // Parsers also take a block scalar at its key's or item's own indentation.
            if top.open && matches!(b.get(skip_properties(b, ind)), Some(b'|' | b'>')) {
                top.open = false;
                return self.value(s, ind, n, indent).map(drop);
            }
            if !item {
                if top.seq {
                    let message =
                        format!("line {n} should start with “- ” like the other items of its list");
                    return Err(problem(n, ind, message));
                }
                return self.entry(s, ind, n);
            }
            if !top.seq {
                if !top.open {
                    let message =
                        format!("line {n} starts a list item (“- ”) among lines of “key: value”");
                    return Err(problem(n, ind, message));
                }
                top.open = false;
                self.levels.push(Level {
                    indent,
                    seq: true,
                    compact: true,
                    ..Level::default()
                });
            }
            return self.item(s, ind, n);
        }
        if dedented {
            let spaces = if ind == 1 { "space" } else { "spaces" };
            let message =
                format!("line {n}'s indentation ({ind} {spaces}) matches no enclosing block");
            return Err(problem(n, ind, message));
        }
        if !top.open {
            let message = format!(
                "line {n} is indented more than the line before, which already has a value"
            );
            return Err(problem(n, ind, message));
        }
        top.open = false;
        self.node(s, ind, n)
    }

    /// A node starting at byte `i`, the first on its line or after "- ": a nested list, a
    /// mapping, or a value for the innermost open entry.
    fn node(&mut self, s: &'a str, i: usize, n: u32) -> Checked {
        let b = s.as_bytes();
        if matches!(b[i], b'?' | b':') && blank_or_end(b, i + 1) {
            self.lenient = true;
            return Ok(());
        }
        let seq = is_item(b, i);
        if seq || key_colon(b, i).is_some() {
            self.levels.push(Level {
                indent: i as isize,
                seq,
                ..Level::default()
            });
            return if seq {
                self.item(s, i, n)
            } else {
                self.entry(s, i, n)
            };
        }
        let owner = self.top().indent;
        let open = self.value(s, i, n, owner)?;
        self.top().open = open;
        Ok(())
    }

    /// A list item: "- " at byte `i`, then its node or nothing.
    fn item(&mut self, s: &'a str, i: usize, n: u32) -> Checked {
        let b = s.as_bytes();
        let next = skip_blanks(b, i + 1);
        let empty = next == b.len() || b[next] == b'#';
        self.top().open = empty;
        if empty {
            return Ok(());
        }
        self.node(s, next, n)
    }

    /// A `key: value` line of the mapping at the top, its key starting at byte `i`.
    fn entry(&mut self, s: &'a str, i: usize, n: u32) -> Checked {
        let b = s.as_bytes();
        let Some((start, end, colon)) = key_colon(b, i) else {
            let text = s[i..].trim_end();
            let message = match text.find(':') {
                Some(_) => format!(
                    "line {n} has “:” with no space after it, so YAML does not read “{text}” as \
                     “key: value”"
                ),
                None => format!("line {n} is not “key: value” like the other lines of its block"),
            };
            return Err(problem(n, i, message));
        };
        // Compared with their tags: `!t a` and `a` are different keys.
        let key = &s[i..end];
        let level = self.top();
        if key != "<<" {
            if let Some(&(_, first)) = level.keys.iter().find(|(k, _)| *k == key) {
                let name = s[start..end].trim_matches(|c| c == '"' || c == '\'');
                let message =
                    format!("“{name}” is given twice in the same block (lines {first} and {n})");
                return Err(problem(n, start, message));
            }
            level.keys.push((key, n));
        }
        let open = self.value(s, colon + 1, n, i as isize)?;
        self.top().open = open;
        Ok(())
    }

    /// The value from byte `i` of an entry in the block indented `owner`; true when the line
    /// leaves it to the lines below.
    fn value(&mut self, s: &str, i: usize, n: u32, owner: isize) -> Result<bool, YamlProblem> {
        let b = s.as_bytes();
        let i = skip_properties(b, i);
        let Some(&c) = b.get(i) else {
            return Ok(true);
        };
        let ch = c as char;
        let fail = |message: String| Err(problem(n, i, message));
        match c {
            b'#' => return Ok(true),
            b'|' | b'>' => {
                let mut j = i + 1;
                while matches!(b.get(j), Some(b'-' | b'+' | b'0'..=b'9')) {
                    j += 1;
                }
                let k = skip_blanks(b, j);
                if k < b.len() && b[k] != b'#' {
                    return fail(format!(
                        "line {n} has text right after “{ch}”; a block of text starts on the \
                         next line"
                    ));
                }
                self.block_scalar = Some(owner);
            }
            b'"' | b'\'' => {
                self.quote = Some((c, n, i));
                self.resume(s, i + 1, n)?;
            }
            b'[' | b'{' => {
                self.flow.push((c, n, i));
                self.flow_start = true;
                self.resume(s, i + 1, n)?;
            }
            b'-' if blank_or_end(b, i + 1) => {
                return fail(format!(
                    "line {n} starts a list on the same line as its key; start it on the next line"
                ))
            }
            b'@' | b'`' | b'%' => {
                return fail(format!(
                    "line {n} has a value starting with “{ch}”, which YAML reserves; put the \
                     value in quotes"
                ))
            }
            _ => {
                if let Some(colon) = plain_colon(b, i) {
                    let message = format!(
                        "line {n} has a second “: ” after its key; put the value in quotes"
                    );
                    return Err(problem(n, colon, message));
                }
                self.continued = Some(Continued {
                    owner,
                    indent: self.indent,
                    more: false,
                });
            }
        }
        Ok(false)
    }

    fn finish(&mut self) -> Checked {
        if let Some((quote, line, at)) = self.quote {
            let message = format!(
                "the {} quote on line {line} is never closed",
                quote_name(quote)
            );
            return Err(problem(line, at, message));
        }
        if let Some(&(open, line, at)) = self.flow.last() {
            let message = format!("the “{}” on line {line} is never closed", open as char);
            return Err(problem(line, at, message));
        }
        if !self.content {
            let message = if self.comments {
                "the file has nothing but comments"
            } else {
                "the file is empty"
            };
            return Err(problem(1, 0, message.to_owned()));
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
