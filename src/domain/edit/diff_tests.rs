use super::*;
use proptest::prelude::*;

fn line(change: Change, old: Option<u32>, new: Option<u32>, text: &str) -> DiffLine {
    DiffLine {
        change,
        old,
        new,
        text: text.into(),
    }
}

/// The diff as "+x", "-x", " x" strings, for compact assertions.
fn marks(lines: &[DiffLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let sign = match l.change {
                Change::Same => ' ',
                Change::Added => '+',
                Change::Removed => '-',
            };
            format!("{sign}{}", l.text)
        })
        .collect()
}

/// The text on one side of the diff: Same and Added lines for the new text, Same and Removed
/// for the old one.
fn side(lines: &[DiffLine], skip: Change) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| l.change != skip)
        .map(|l| l.text.as_str())
        .collect()
}

fn lcs(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

#[test]
fn a_changed_line_is_removed_then_added_with_numbers_on_each_side() {
    let diff = line_diff("a\nb\nc\n", "a\nx\nc\nd\n");
    assert_eq!(
        diff,
        vec![
            line(Change::Same, Some(1), Some(1), "a"),
            line(Change::Removed, Some(2), None, "b"),
            line(Change::Added, None, Some(2), "x"),
            line(Change::Same, Some(3), Some(3), "c"),
            line(Change::Added, None, Some(4), "d"),
        ]
    );
    assert_eq!(counts(&diff), (2, 1));
}

#[test]
fn identical_texts_have_no_changes() {
    let diff = line_diff("services:\n  web:\n", "services:\n  web:\n");
    assert_eq!(marks(&diff), [" services:", "   web:"]);
    assert_eq!(counts(&diff), (0, 0));
    assert!(line_diff("", "").is_empty());
}

#[test]
fn line_ends_and_the_final_newline_are_not_differences() {
    let diff = line_diff("a\r\nb\r\n", "a\nb");
    assert_eq!(marks(&diff), [" a", " b"]);
    // A lone "\n" is one empty line, not two.
    assert_eq!(marks(&line_diff("", "\n")), ["+"]);
    assert_eq!(marks(&line_diff("x\n\n", "x\n")), [" x", "-"]);
    // Only one '\r' is a line end; a second belongs to the text.
    assert_eq!(marks(&line_diff("a\r\r\n", "a\n")), ["-a\r", "+a"]);
}

#[test]
fn one_side_empty() {
    assert_eq!(marks(&line_diff("", "a\nb\n")), ["+a", "+b"]);
    assert_eq!(marks(&line_diff("a\nb", "")), ["-a", "-b"]);
}

#[test]
fn removals_come_before_additions_within_a_change() {
    let diff = line_diff("k\na\nb\nk", "k\nc\nd\nk");
    assert_eq!(marks(&diff), [" k", "-a", "-b", "+c", "+d", " k"]);
}

#[test]
fn the_diff_is_minimal_and_keeps_the_common_lines() {
    // A naive prefix/suffix diff would replace everything between the two "x" lines.
    let diff = line_diff("x\na\nb\nc\nd\nx", "x\nb\nc\ne\nd\nx");
    assert_eq!(marks(&diff), [" x", "-a", " b", " c", "+e", " d", " x"]);
    // Nothing in common: the search runs to its end on both sides.
    assert_eq!(marks(&line_diff("c\na", "b")), ["-c", "-a", "+b"]);
}

#[test]
fn past_the_limit_the_middle_is_replaced_wholesale() {
    // Four edits are needed; "s" is kept only when the limit allows them.
    let (old, new) = ("top\nx\ns\ny\nend", "top\np\ns\nq\nend");
    let minimal = [" top", "-x", "+p", " s", "-y", "+q", " end"];
    assert_eq!(marks(&diff_bounded(old, new, 4)), minimal);
    assert_eq!(
        marks(&diff_bounded(old, new, 3)),
        [" top", "-x", "-s", "-y", "+p", "+s", "+q", " end"]
    );
    let numbers: Vec<_> = diff_bounded(old, new, 3)
        .iter()
        .map(|l| (l.old, l.new))
        .collect();
    assert_eq!(
        numbers[1..4],
        [(Some(2), None), (Some(3), None), (Some(4), None)]
    );
    assert_eq!(
        numbers[4..7],
        [(None, Some(2)), (None, Some(3)), (None, Some(4))]
    );
}

#[test]
fn a_whole_new_file_is_diffed_quickly() {
    let old: String = (0..6_000).map(|i| format!("old {i}\n")).collect();
    let new: String = (0..6_000).map(|i| format!("new {i}\n")).collect();
    let diff = line_diff(&old, &new);
    assert_eq!(counts(&diff), (6_000, 6_000));
    assert_eq!(diff[0].text, "old 0");
    assert_eq!(diff[6_000].text, "new 0");
    // Within the limit, a long file with scattered edits stays minimal.
    let edited: String = (0..6_000)
        .map(|i| match i % 5 {
            0 => format!("changed {i}\n"),
            _ => format!("old {i}\n"),
        })
        .collect();
    assert_eq!(counts(&line_diff(&old, &edited)), (1_200, 1_200));
}

fn numbered(changes: &[Change]) -> Vec<DiffLine> {
    changes
        .iter()
        .enumerate()
        .map(|(i, &c)| line(c, None, None, &i.to_string()))
        .collect()
}

fn shown(items: &[Shown]) -> Vec<String> {
    items
        .iter()
        .map(|s| match s {
            Shown::Line(l) => l.text.clone(),
            Shown::Skipped { lines } => format!("…{lines}"),
        })
        .collect()
}

#[test]
fn context_folds_long_unchanged_runs() {
    use Change::{Added as A, Same as S};
    // 4 leading, a change, 5 between, a change, 3 trailing; context 2.
    let lines = numbered(&[S, S, S, S, A, S, S, S, S, S, A, S, S, S]);
    assert_eq!(
        shown(&with_context(lines, 2)),
        ["…2", "2", "3", "4", "5", "6", "…1", "8", "9", "10", "11", "12", "…1"]
    );
    // A run of exactly twice the context stays whole.
    let lines = numbered(&[A, S, S, S, S, A]);
    assert_eq!(
        shown(&with_context(lines, 2)),
        ["0", "1", "2", "3", "4", "5"]
    );
    // Context 0 shows changes only.
    let lines = numbered(&[S, A, S, S, A, S]);
    assert_eq!(shown(&with_context(lines, 0)), ["…1", "1", "…2", "4", "…1"]);
}

#[test]
fn context_of_a_file_without_changes_is_one_fold() {
    let lines = numbered(&[Change::Same; 3]);
    assert_eq!(with_context(lines, 5), vec![Shown::Skipped { lines: 3 }]);
    assert!(with_context(Vec::new(), 3).is_empty());
}

/// Lines from a small alphabet, so texts share many lines and diffs are not trivial.
fn text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(&["a", "b", "c", "d", "", "a\r"][..]);
    (prop::collection::vec(words, 0..40), any::<bool>()).prop_map(|(lines, end)| {
        let mut text = lines.join("\n");
        if end && !text.is_empty() {
            text.push('\n');
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_diff_rebuilds_both_texts_minimally(old in text(), new in text()) {
        let diff = line_diff(&old, &new);
        let (a, b) = (split_lines(&old), split_lines(&new));
        prop_assert_eq!(side(&diff, Change::Added), a.clone());
        prop_assert_eq!(side(&diff, Change::Removed), b.clone());
        let (added, removed) = counts(&diff);
        prop_assert_eq!(added + removed, a.len() + b.len() - 2 * lcs(&a, &b));
        // Numbers count up from 1 on each side.
        let olds: Vec<u32> = diff.iter().filter_map(|l| l.old).collect();
        let news: Vec<u32> = diff.iter().filter_map(|l| l.new).collect();
        prop_assert_eq!(olds, (1..=a.len() as u32).collect::<Vec<_>>());
        prop_assert_eq!(news, (1..=b.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn the_fallback_still_rebuilds_both_texts(old in text(), new in text(), limit in 0usize..6) {
        let diff = diff_bounded(&old, &new, limit);
        prop_assert_eq!(side(&diff, Change::Added), split_lines(&old));
        prop_assert_eq!(side(&diff, Change::Removed), split_lines(&new));
    }

    #[test]
    fn context_keeps_every_change_and_counts_every_fold(old in text(), new in text(), context in 0usize..4) {
        let diff = line_diff(&old, &new);
        let total = diff.len();
        let changes = diff.iter().filter(|l| l.change != Change::Same).count();
        let view = with_context(diff, context);
        let mut lines = 0;
        let mut shown_changes = 0;
        for item in &view {
            match item {
                Shown::Line(l) => {
                    lines += 1;
                    shown_changes += usize::from(l.change != Change::Same);
                }
                Shown::Skipped { lines: n } => lines += *n as usize,
            }
        }
        prop_assert_eq!(lines, total);
        prop_assert_eq!(shown_changes, changes);
        // Two folds are never adjacent.
        let folds_apart = view
            .windows(2)
            .all(|w| !matches!(w, [Shown::Skipped { .. }, Shown::Skipped { .. }]));
        prop_assert!(folds_apart);
    }
}
