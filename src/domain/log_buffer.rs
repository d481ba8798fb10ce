//! The log lines a page holds, bounded by bytes: a chatty container (or a hostile server) can
//! send without end, and the page keeps only the newest lines, saying how many it dropped.
//! Each change says exactly what to add and what to remove, so the view appends new lines
//! and never re-renders what it already shows.

use crate::portainer::LogLine;
use std::collections::VecDeque;

/// Followed logs keep at most this many bytes of lines (text, timestamps and bookkeeping).
pub const DEFAULT_MAX_BYTES: usize = 8 * 1024 * 1024;

/// What a line costs besides its text: the stream, the timestamp and the view's element.
const LINE_OVERHEAD: usize = 64;

/// The lines shown, oldest first.
#[derive(Clone, Debug)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    bytes: usize,
    max_bytes: usize,
    dropped: u64,
}

/// How the shown lines change: remove `removed_front` lines from the top, then add `appended`
/// at the bottom.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogChange {
    pub removed_front: usize,
    /// The lines that left the top (as many as `removed_front`), so a view that shows only
    /// some lines knows how many of its own rows go.
    pub removed: Vec<LogLine>,
    pub appended: Vec<LogLine>,
}

impl LogBuffer {
    pub fn new(max_bytes: usize) -> Self {
        Self {
            lines: VecDeque::new(),
            bytes: 0,
            max_bytes: max_bytes.max(1),
            dropped: 0,
        }
    }

    /// What one line costs against the bound.
    pub fn cost(line: &LogLine) -> usize {
        line.text.len() + line.timestamp.as_ref().map_or(0, String::len) + LINE_OVERHEAD
    }

    /// Adds lines at the end and drops the oldest ones over the bound. A single line over the
    /// bound is kept alone: the demuxer already cuts lines to a bounded length.
    pub fn push(&mut self, new: Vec<LogLine>) -> LogChange {
        let shown_before = self.lines.len();
        for line in new {
            self.bytes += Self::cost(&line);
            self.lines.push_back(line);
        }
        let mut gone = Vec::new();
        while self.bytes > self.max_bytes && self.lines.len() > 1 {
            if let Some(old) = self.lines.pop_front() {
                self.bytes -= Self::cost(&old);
                self.dropped += 1;
                gone.push(old);
            }
        }
        // New lines dropped at once were never shown: only the old ones leave the view.
        let removed_front = gone.len().min(shown_before);
        gone.truncate(removed_front);
        let appended = self
            .lines
            .iter()
            .skip(shown_before - removed_front)
            .cloned()
            .collect();
        LogChange {
            removed_front,
            removed: gone,
            appended,
        }
    }

    /// Starts again (a new container, new options): the view is emptied.
    pub fn clear(&mut self) -> usize {
        let shown = self.lines.len();
        self.lines.clear();
        self.bytes = 0;
        self.dropped = 0;
        shown
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Lines dropped to stay under the bound since the last [`LogBuffer::clear`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn lines(&self) -> impl Iterator<Item = &LogLine> {
        self.lines.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portainer::LogStream;

    fn line(text: &str) -> LogLine {
        LogLine {
            stream: LogStream::Stdout,
            timestamp: None,
            text: text.into(),
            origin: 0,
        }
    }

    fn texts(lines: &[LogLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn lines_are_appended_while_under_the_bound() {
        let mut b = LogBuffer::new(10_000);
        let c = b.push(vec![line("a"), line("b")]);
        assert_eq!(c.removed_front, 0);
        assert_eq!(texts(&c.appended), ["a", "b"]);
        let c = b.push(vec![line("c")]);
        assert_eq!(texts(&c.appended), ["c"]);
        assert_eq!(b.len(), 3);
        assert_eq!(b.dropped(), 0);
    }

    #[test]
    fn the_oldest_lines_go_first_and_are_counted() {
        // Room for exactly three one-byte lines.
        let mut b = LogBuffer::new(3 * (1 + LINE_OVERHEAD));
        b.push(vec![line("a"), line("b"), line("c")]);
        let c = b.push(vec![line("d")]);
        assert_eq!(c.removed_front, 1);
        assert_eq!(texts(&c.appended), ["d"]);
        assert_eq!(b.dropped(), 1);
        let shown: Vec<&str> = b.lines().map(|l| l.text.as_str()).collect();
        assert_eq!(shown, ["b", "c", "d"]);
        assert!(b.bytes() <= 3 * (1 + LINE_OVERHEAD));
    }

    #[test]
    fn a_burst_larger_than_the_bound_removes_everything_shown_and_appends_only_its_tail() {
        let mut b = LogBuffer::new(2 * (1 + LINE_OVERHEAD));
        b.push(vec![line("a")]);
        let c = b.push((0..10).map(|i| line(&i.to_string())).collect());
        assert_eq!(
            c.removed_front, 1,
            "only the one line shown is removed from the view"
        );
        assert_eq!(texts(&c.appended), ["8", "9"]);
        assert_eq!(b.dropped(), 9);
    }

    #[test]
    fn memory_stays_under_the_bound_whatever_arrives() {
        let max = 64 * 1024;
        let mut b = LogBuffer::new(max);
        for i in 0..5_000 {
            b.push(vec![line(&"x".repeat(i % 700))]);
            assert!(b.bytes() <= max);
        }
        assert!(b.dropped() > 0);
        // One huge line alone is kept (the demuxer bounds its length).
        let mut b = LogBuffer::new(100);
        let c = b.push(vec![line(&"y".repeat(1_000))]);
        assert_eq!(c.appended.len(), 1);
        assert_eq!(b.len(), 1);
        assert_eq!(b.clear(), 1);
        assert!(b.is_empty() && b.dropped() == 0 && b.bytes() == 0);
    }
}
