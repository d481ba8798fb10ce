//! Lines of several sources as one list: fetched tails interleaved by Docker's timestamps,
//! the filter's matches, and the download's text.

use super::sources::Origins;
use crate::portainer::{LogLine, LogStream};
use std::cmp::Ordering;
use std::ops::Range;

/// Each source's lines (already in time order) as one list by timestamp; lines with equal
/// timestamps keep their sources' order. Docker writes UTC with nine fraction digits
/// (`RFC3339NanoFixed`), so the text orders as the time does.
pub fn merge_by_time(batches: Vec<Vec<LogLine>>) -> Vec<LogLine> {
    let mut all: Vec<LogLine> = batches.into_iter().flatten().collect();
    crate::domain::order::sort_with(&mut all, &|a, b| by_time(a, b));
    all
}

fn by_time(a: &LogLine, b: &LogLine) -> Ordering {
    a.timestamp
        .as_deref()
        .unwrap_or("")
        .cmp(b.timestamp.as_deref().unwrap_or(""))
}

/// The first place at or after `from` where `needle` occurs in `text`, ignoring ASCII case
/// (a log's keywords, `ERROR`, `warn`, are ASCII; other letters must match exactly). No
/// allocation, so a filter can test every line on each change.
pub fn next_match(text: &str, needle: &str, from: usize) -> Option<Range<usize>> {
    let n = needle.len();
    if n == 0 {
        return None;
    }
    let bytes = text.as_bytes();
    (from..(bytes.len() + 1).saturating_sub(n)).find_map(|i| {
        (text.is_char_boundary(i)
            && text.is_char_boundary(i + n)
            && bytes[i..i + n].eq_ignore_ascii_case(needle.as_bytes()))
        .then_some(i..i + n)
    })
}

/// Every place `needle` occurs in `text` (see [`next_match`]), without overlaps.
pub fn matches(text: &str, needle: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    while let Some(m) = next_match(
        text,
        needle,
        found.last().map_or(0, |r: &Range<usize>| r.end),
    ) {
        found.push(m);
    }
    found
}

/// Whether a line is shown: its stream is, and the filter (if any) occurs in it.
pub fn keeps(line: &LogLine, stdout: bool, stderr: bool, filter: &str) -> bool {
    let stream = match line.stream {
        LogStream::Stdout => stdout,
        LogStream::Stderr => stderr,
    };
    stream && (filter.is_empty() || next_match(&line.text, filter, 0).is_some())
}

/// The lines as a text file: `<timestamp> <prefix> <out|err> <text>` per line, so a download
/// says where each line came from even when timestamps are hidden on the page.
pub fn as_text<'a>(lines: impl Iterator<Item = &'a LogLine>, origins: &Origins) -> String {
    let mut out = String::new();
    for line in lines {
        if let Some(ts) = &line.timestamp {
            out.push_str(ts);
            out.push(' ');
        }
        out.push_str(origins.label(line.origin));
        out.push_str(match line.stream {
            LogStream::Stdout => " out ",
            LogStream::Stderr => " err ",
        });
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}
