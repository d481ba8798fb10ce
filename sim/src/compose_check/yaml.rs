//! The YAML half of the file check: the file is parsed by libyaml (serde_yaml runs
//! unsafe-libyaml, a line-by-line translation of libyaml 0.2.5) and refused in go-yaml's words.
//! go-yaml v2 and v3 are ports of that same libyaml, so the problem texts and marks are theirs;
//! each port then picks the line it prints its own way (`decode.go` `parser.fail`), and v3 alone
//! refuses duplicate keys.

use std::cell::Cell;

use serde::de::DeserializeSeed;

use super::raw::{key_line, Builder, Raw};

/// Which go-yaml decodes the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `gopkg.in/yaml.v2`: the docker CLI's `cli/compose/loader` (`docker stack deploy`).
    V2,
    /// `gopkg.in/yaml.v3`: compose-go, inside the docker compose plugin.
    V3,
}

/// A document as go-yaml decodes it into `interface{}`: aliases expanded, merge keys (`<<`)
/// applied, keys as text, mappings in file order.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(String),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// Calls `each` with the documents in order (the first only unless `all`), stopping at the first
/// refusal, go-yaml's or `each`'s. An empty stream gives `each` nothing: `Ok(0)`.
pub fn documents<E: From<String>>(
    text: &str,
    dialect: Dialect,
    all: bool,
    mut each: impl FnMut(Node) -> Result<(), E>,
) -> Result<usize, E> {
    let mut count = 0;
    for (index, document) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let keys = Cell::new(0);
        let raw = match (Builder {
            keys: &keys,
            fail_at: None,
        })
        .deserialize(document)
        {
            Ok(Raw::Absent) => return Ok(count),
            Ok(raw) => raw,
            Err(err) => return refusal(&err, dialect, text).map(|_| count).map_err(E::from),
        };
        let mut decoder = Decode {
            dialect,
            duplicates: Vec::new(),
        };
        let node = decoder.node(&raw).map_err(E::from)?;
        if !decoder.duplicates.is_empty() {
            return Err(duplicate_keys(text, index, &decoder.duplicates).into());
        }
        each(node)?;
        count += 1;
        if !all {
            break;
        }
    }
    Ok(count)
}

/// serde_yaml's error as go-yaml words it. Anything go-yaml would not have refused (serde_yaml's
/// own recursion and alias limits) is let through: `Ok`.
fn refusal(err: &serde_yaml::Error, dialect: Dialect, text: &str) -> Result<(), String> {
    if err.to_string().starts_with("unknown anchor") {
        // `parser.alias` (v2 and v3): `failf("unknown anchor '%s' referenced", ...)`.
        let name = err
            .location()
            .map_or(String::new(), |l| alias_at(text, l.index()));
        return Err(format!("yaml: unknown anchor '{name}' referenced"));
    }
    match Libyaml::from_debug(&format!("{err:?}")) {
        Some(libyaml) => Err(libyaml.go_yaml(dialect)),
        None => Ok(()),
    }
}

/// The anchor name after the `*` at byte `index`: libyaml's `is_alpha` characters.
fn alias_at(text: &str, index: usize) -> String {
    let rest = text.get(index..).unwrap_or("");
    let rest = rest.strip_prefix('*').unwrap_or(rest);
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// libyaml's error fields. serde_yaml keeps them private and shows them only in its `Debug`
/// output (`Error { kind: SCANNER, problem: "...", problem_mark: Mark { line: 4, column: 17 },
/// context: "...", context_mark: Mark { .. } }`, lines counted from 1), so they are read back
/// from there; the version is pinned and the tests hold the shape.
struct Libyaml {
    scanner: bool,
    problem: String,
    /// 0-based, as go-yaml's marks are.
    problem_line: u64,
    context_line: u64,
}

impl Libyaml {
    fn from_debug(debug: &str) -> Option<Libyaml> {
        let kind = after(debug, "kind: ")?;
        let kind: String = kind.chars().take_while(char::is_ascii_alphabetic).collect();
        let problem = after(debug, "problem: \"")?;
        let problem = problem[..problem.find('"')?].to_string();
        let problem_line = mark_line(debug, "problem_mark: ");
        // libyaml sets no context mark of its own for an error without context: the mark then
        // equals the problem's (scanner) or is zero (parser), and go-yaml ends up on the
        // problem's line either way.
        let context_line = if debug.contains("context: \"") {
            mark_line(debug, "context_mark: ")
        } else {
            problem_line
        };
        Some(Libyaml {
            scanner: kind == "SCANNER",
            problem,
            problem_line,
            context_line,
        })
    }

    /// `parser.fail`: v3 prefers the context mark, v2 the problem mark; a scanner error's line is
    /// then counted from 1 but a parser error's from 0 (both keep that quirk), and a line 0 is
    /// not printed.
    fn go_yaml(&self, dialect: Dialect) -> String {
        let scanner = u64::from(self.scanner);
        let line = match dialect {
            Dialect::V3 if self.context_line != 0 => self.context_line + scanner,
            Dialect::V3 if self.problem_line != 0 => self.problem_line + scanner,
            Dialect::V2 if self.problem_line != 0 => self.problem_line + scanner,
            Dialect::V2 => self.context_line,
            Dialect::V3 => 0,
        };
        match line {
            0 => format!("yaml: {}", self.problem),
            line => format!("yaml: line {line}: {}", self.problem),
        }
    }
}

fn after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.find(key).map(|at| &text[at + key.len()..])
}

/// A `Mark { line: L, column: C }` as a 0-based line; `Mark { index: N }` is line 0.
fn mark_line(debug: &str, field: &str) -> u64 {
    let Some(mark) = after(debug, field) else {
        return 0;
    };
    let mark = &mark[..mark.find('}').unwrap_or(mark.len())];
    after(mark, "line: ")
        .map(|l| {
            l.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|l| l.parse::<u64>().ok())
        .map_or(0, |l| l.saturating_sub(1))
}

/// yaml.v3 `TypeError`: every duplicate key (`decoder.mapping`), lines counted from 1.
fn duplicate_keys(text: &str, document: usize, found: &[(String, usize, usize)]) -> String {
    let lines: Vec<String> = found
        .iter()
        .map(|(key, first, again)| {
            format!(
                "line {}: mapping key {} already defined at line {}",
                key_line(text, document, *again),
                go_quote(key),
                key_line(text, document, *first)
            )
        })
        .collect();
    format!("yaml: unmarshal errors:\n  {}", lines.join("\n  "))
}

/// Go's `%#v` of a string.
fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// go-yaml's `decoder` over one document: duplicate keys (v3), merge keys, map keys that are
/// collections.
struct Decode {
    dialect: Dialect,
    /// (key, ordinal of its first occurrence, ordinal of the repeat).
    duplicates: Vec<(String, usize, usize)>,
}

impl Decode {
    fn node(&mut self, raw: &Raw) -> Result<Node, String> {
        Ok(match raw {
            Raw::Absent | Raw::Null => Node::Null,
            Raw::Bool(v) => Node::Bool(*v),
            Raw::Int(v) => Node::Int(v.clone()),
            Raw::Float(v) => Node::Float(*v),
            Raw::Str(v) => Node::Str(v.clone()),
            Raw::Tagged(_, inner) => self.node(inner)?,
            Raw::Seq(items) => {
                let (mut out, dialect) = (Vec::new(), self.dialect);
                for item in items.iter().filter(|item| !resets(dialect, item)) {
                    out.push(self.node(item)?);
                }
                Node::Seq(out)
            }
            Raw::Map(entries) => self.mapping(entries)?,
        })
    }

    /// `decoder.mapping`: v3 first refuses repeated keys (and then skips the mapping); keys are
    /// decoded before their values, a collection as key is fatal, and the merge (`<<`, the last
    /// one given) comes after the mapping's own keys, which win.
    fn mapping(&mut self, entries: &[(Raw, Raw, usize)]) -> Result<Node, String> {
        let dialect = self.dialect;
        let entries: Vec<_> = entries
            .iter()
            .filter(|(_, v, _)| !resets(dialect, v))
            .collect();
        if self.dialect == Dialect::V3 {
            let before = self.duplicates.len();
            for (i, (key, _, first)) in entries.iter().enumerate() {
                for (again, _, ordinal) in &entries[i + 1..] {
                    if let (Some(a), Some(b)) = (scalar_text(key), scalar_text(again)) {
                        if a == b {
                            self.duplicates.push((a, *first, *ordinal));
                        }
                    }
                }
            }
            if self.duplicates.len() > before {
                return Ok(Node::Null);
            }
        }
        let mut out: Vec<(String, Node)> = Vec::new();
        let mut merge = None;
        for (key, value, _) in entries {
            if scalar_text(key).as_deref() == Some("<<") {
                merge = Some(value);
                continue;
            }
            let key = self.node(key)?;
            let name = match &key {
                Node::Map(_) | Node::Seq(_) => {
                    return Err(format!(
                        "yaml: invalid map key: {}",
                        go_syntax(&key, self.dialect)
                    ))
                }
                other => text_of(other),
            };
            let value = self.node(value)?;
            match out.iter_mut().find(|(k, _)| *k == name) {
                Some(slot) => slot.1 = value,
                None => out.push((name, value)),
            }
        }
        if let Some(merge) = merge {
            let sources = match strip_tag(merge) {
                Raw::Map(_) => vec![merge],
                Raw::Seq(items) if items.iter().all(|i| matches!(strip_tag(i), Raw::Map(_))) => {
                    items.iter().collect()
                }
                _ => {
                    return Err(
                        "yaml: map merge requires map or sequence of maps as the value".into(),
                    )
                }
            };
            for source in sources {
                if let Node::Map(merged) = self.node(source)? {
                    for (name, value) in merged {
                        if !out.iter().any(|(k, _)| *k == name) {
                            out.push((name, value));
                        }
                    }
                }
            }
        }
        Ok(Node::Map(out))
    }
}

/// compose-go's `ResetProcessor` drops `!reset` values before yaml.v3 decodes the rest.
fn resets(dialect: Dialect, raw: &Raw) -> bool {
    dialect == Dialect::V3 && matches!(raw, Raw::Tagged(tag, _) if tag == "reset")
}

fn strip_tag(raw: &Raw) -> &Raw {
    match raw {
        Raw::Tagged(_, inner) => strip_tag(inner),
        other => other,
    }
}

/// A scalar key's text, as yaml.v3 compares keys (`Node.Value`).
fn scalar_text(raw: &Raw) -> Option<String> {
    Some(match strip_tag(raw) {
        Raw::Absent | Raw::Null => String::new(),
        Raw::Bool(v) => v.to_string(),
        Raw::Int(v) | Raw::Str(v) => v.clone(),
        Raw::Float(v) => v.to_string(),
        Raw::Seq(_) | Raw::Map(_) | Raw::Tagged(..) => return None,
    })
}

/// A scalar as text (Go's `%v`, which is how a key or a `version` reads).
pub fn text_of(node: &Node) -> String {
    match node {
        Node::Null => "<nil>".into(),
        Node::Bool(v) => v.to_string(),
        Node::Int(v) | Node::Str(v) => v.clone(),
        Node::Float(v) => v.to_string(),
        Node::Seq(_) | Node::Map(_) => String::new(),
    }
}

/// Go's `%#v` of a decoded value inside `interface{}` (fmt sorts map keys).
fn go_syntax(node: &Node, dialect: Dialect) -> String {
    match node {
        Node::Null => "interface {}(nil)".into(),
        Node::Str(v) => go_quote(v),
        Node::Seq(items) => {
            let items: Vec<String> = items.iter().map(|i| go_syntax(i, dialect)).collect();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        Node::Map(entries) => {
            let mut entries: Vec<(String, String)> = entries
                .iter()
                .map(|(k, v)| (go_quote(k), go_syntax(v, dialect)))
                .collect();
            entries.sort();
            let entries: Vec<String> = entries.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            let key = match dialect {
                Dialect::V3 => "string",
                Dialect::V2 => "interface {}",
            };
            format!("map[{key}]interface {{}}{{{}}}", entries.join(", "))
        }
        scalar => text_of(scalar),
    }
}
