//! A three-way merge for an edit that met somebody else's update: the operator's changes
//! (deployed → ours) applied on top of theirs (deployed → theirs), when the two touch
//! different lines and different variables. Anything both changed is a conflict, left to the
//! operator: nothing is guessed.

use super::diff::{line_diff, Change};
use super::dotenv::{env_changes, EnvChange};
use crate::portainer::Pair;

/// One changed stretch of the deployed file: its lines `start..end` (0-based, `end`
/// exclusive; `start == end` for an insertion) become `lines`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Hunk {
    start: usize,
    end: usize,
    lines: Vec<String>,
}

fn hunks(base: &str, changed: &str) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let mut open: Option<Hunk> = None;
    let mut at = 0;
    for line in line_diff(base, changed) {
        match line.change {
            Change::Same => {
                out.extend(open.take());
                at += 1;
            }
            Change::Removed => {
                let hunk = open.get_or_insert_with(|| Hunk {
                    start: at,
                    end: at,
                    lines: Vec::new(),
                });
                at += 1;
                hunk.end = at;
            }
            Change::Added => {
                let hunk = open.get_or_insert_with(|| Hunk {
                    start: at,
                    end: at,
                    lines: Vec::new(),
                });
                hunk.lines.push(line.text);
            }
        }
    }
    out.extend(open);
    out
}

/// Both change the same lines, or lines next to each other (as git counts a conflict).
fn overlap(a: &Hunk, b: &Hunk) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// What could not be merged, for the operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    /// 1-based lines of the deployed file that both changed (first, last).
    pub lines: Vec<(usize, usize)>,
    /// Variables both changed differently.
    pub variables: Vec<String>,
    /// Both changed the git reference differently.
    pub reference: bool,
}

/// The deployed file with both sides' changes, or the lines both changed.
pub fn merge_files(base: &str, ours: &str, theirs: &str) -> Result<String, Vec<(usize, usize)>> {
    let (mine, other) = (hunks(base, ours), hunks(base, theirs));
    let mut clashes = Vec::new();
    let mut all: Vec<&Hunk> = Vec::with_capacity(mine.len() + other.len());
    for m in &mine {
        match other.iter().find(|o| overlap(m, o)) {
            // The same change made twice is no clash.
            Some(o) if o == m => {}
            Some(o) => clashes.push((m.start.min(o.start) + 1, m.end.max(o.end).max(m.start + 1))),
            None => all.push(m),
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    all.extend(other.iter());
    crate::domain::order::sort_with(&mut all, &|a, b| {
        a.start.cmp(&b.start).then(a.end.cmp(&b.end))
    });
    let lines: Vec<&str> = base.split('\n').collect();
    let mut merged: Vec<&str> = Vec::with_capacity(lines.len());
    let mut at = 0;
    for hunk in all {
        merged.extend(lines.get(at..hunk.start).unwrap_or_default());
        merged.extend(hunk.lines.iter().map(String::as_str));
        at = hunk.end.max(at);
    }
    merged.extend(lines.get(at..).unwrap_or_default());
    Ok(merged.join("\n"))
}

fn value_of<'a>(env: &'a [Pair], name: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find(|p| p.name == name)
        .map(|p| p.value.as_str())
}

/// Theirs variables with ours changes applied, or the names both changed differently.
pub fn merge_env(base: &[Pair], ours: &[Pair], theirs: &[Pair]) -> Result<Vec<Pair>, Vec<String>> {
    let mut merged = theirs.to_vec();
    let mut clashes = Vec::new();
    for change in env_changes(base, ours) {
        let (name, was, now) = match change {
            EnvChange::Added { name, value } => (name, None, Some(value)),
            EnvChange::Removed { name, value } => (name, Some(value), None),
            EnvChange::Changed { name, old, new } => (name, Some(old), Some(new)),
        };
        let current = value_of(&merged, &name).map(str::to_string);
        if current == now {
            continue;
        }
        if current != was {
            clashes.push(name);
            continue;
        }
        match now {
            Some(value) => match merged.iter_mut().rev().find(|p| p.name == name) {
                Some(pair) => pair.value = value,
                None => merged.push(Pair { name, value }),
            },
            None => merged.retain(|p| p.name != name),
        }
    }
    if clashes.is_empty() {
        Ok(merged)
    } else {
        Err(clashes)
    }
}

/// The merged (file, variables, reference), or what clashed.
pub fn merge_edit(
    base: (&str, &[Pair], &str),
    ours: (&str, &[Pair], &str),
    theirs: (&str, &[Pair], &str),
) -> Result<(String, Vec<Pair>, String), Clash> {
    let file = merge_files(base.0, ours.0, theirs.0);
    let env = merge_env(base.1, ours.1, theirs.1);
    let reference = match (ours.2 == base.2, theirs.2 == base.2) {
        (true, _) => Some(theirs.2),
        (false, true) => Some(ours.2),
        (false, false) if ours.2 == theirs.2 => Some(ours.2),
        (false, false) => None,
    };
    match (file, env, reference) {
        (Ok(file), Ok(env), Some(reference)) => Ok((file, env, reference.to_string())),
        (file, env, reference) => Err(Clash {
            lines: file.err().unwrap_or_default(),
            variables: env.err().unwrap_or_default(),
            reference: reference.is_none(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "services:\n  web:\n    image: nginx:1.25\n    ports:\n      - \"80:80\"\n  db:\n    image: postgres:16\n";

    fn pair(name: &str, value: &str) -> Pair {
        Pair {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn changes_to_different_lines_are_both_kept() {
        let ours = BASE.replace("nginx:1.25", "nginx:1.27");
        let theirs = BASE.replace("postgres:16", "postgres:17");
        let merged = merge_files(BASE, &ours, &theirs).unwrap();
        assert_eq!(
            merged,
            BASE.replace("nginx:1.25", "nginx:1.27")
                .replace("postgres:16", "postgres:17")
        );
        // Insertions at different places, and at the very end.
        let ours = format!("# ours\n{BASE}");
        let theirs = format!("{BASE}# theirs\n");
        assert_eq!(
            merge_files(BASE, &ours, &theirs).unwrap(),
            format!("# ours\n{BASE}# theirs\n")
        );
    }

    #[test]
    fn the_same_or_neighbouring_lines_clash() {
        let ours = BASE.replace("nginx:1.25", "nginx:1.27");
        let theirs = BASE.replace("nginx:1.25", "nginx:1.26");
        assert_eq!(merge_files(BASE, &ours, &theirs), Err(vec![(3, 3)]));
        // Next to each other: git calls that a conflict too.
        let theirs = BASE.replace("    ports:", "    expose:");
        assert!(merge_files(BASE, &ours, &theirs).is_err());
        // The same change made by both is no clash.
        assert_eq!(merge_files(BASE, &ours, &ours).unwrap(), ours);
    }

    #[test]
    fn variables_merge_by_name() {
        let base = vec![pair("TAG", "1"), pair("PORT", "80")];
        let ours = vec![pair("TAG", "2"), pair("PORT", "80"), pair("DEBUG", "1")];
        let theirs = vec![pair("TAG", "1"), pair("PORT", "8080")];
        assert_eq!(
            merge_env(&base, &ours, &theirs).unwrap(),
            vec![pair("TAG", "2"), pair("PORT", "8080"), pair("DEBUG", "1")]
        );
        let theirs = vec![pair("TAG", "3"), pair("PORT", "80")];
        assert_eq!(
            merge_env(&base, &ours, &theirs),
            Err(vec!["TAG".to_string()])
        );
        // Removing what they changed clashes; removing what they left is applied.
        let ours = vec![pair("TAG", "1")];
        assert_eq!(
            merge_env(&base, &ours, &base).unwrap(),
            vec![pair("TAG", "1")]
        );
        let theirs = vec![pair("TAG", "1"), pair("PORT", "81")];
        assert_eq!(
            merge_env(&base, &ours, &theirs),
            Err(vec!["PORT".to_string()])
        );
    }

    #[test]
    fn a_whole_edit_merges_or_says_what_clashed() {
        let env = vec![pair("TAG", "1")];
        let ours_env = vec![pair("TAG", "2")];
        let ours = BASE.replace("nginx:1.25", "nginx:1.27");
        let theirs = BASE.replace("postgres:16", "postgres:17");
        let (file, vars, reference) = merge_edit(
            (BASE, &env, "refs/heads/main"),
            (&ours, &ours_env, "refs/heads/main"),
            (&theirs, &env, "refs/tags/v2"),
        )
        .unwrap();
        assert!(file.contains("nginx:1.27") && file.contains("postgres:17"));
        assert_eq!(
            (vars, reference.as_str()),
            (ours_env.clone(), "refs/tags/v2")
        );
        let clash = merge_edit(
            (BASE, &env, "a"),
            (&ours, &ours_env, "b"),
            (&ours.replace("1.27", "1.26"), &[pair("TAG", "3")], "c"),
        )
        .unwrap_err();
        assert_eq!(clash.lines, vec![(3, 3)]);
        assert_eq!(clash.variables, vec!["TAG".to_string()]);
        assert!(clash.reference);
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop::sample::select(vec!["a", "b", "c", "  d: 1", ""]),
            0..12,
        )
        .prop_map(|lines| lines.iter().map(|l| format!("{l}\n")).collect())
    }

    proptest::proptest! {
        #[test]
        fn a_change_on_one_side_only_is_that_change(base in text(), changed in text()) {
            proptest::prop_assert_eq!(merge_files(&base, &changed, &base), Ok(changed.clone()));
            proptest::prop_assert_eq!(merge_files(&base, &base, &changed), Ok(changed.clone()));
        }
    }
}
