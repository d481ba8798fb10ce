//! The character-level reading behind the YAML check: blanks, node properties, quoted
//! scalars, where a key's ':' is, and the inside of quotes and flow collections, which may run
//! over several lines. Positions are byte offsets; the characters looked for are all ASCII, so
//! multi-byte text passes through untouched.

use super::{problem, Checked, Checker};

pub(super) fn blank_or_end(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), None | Some(b' ' | b'\t'))
}

pub(super) fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Past any anchors (`&a`) and tags (`!t`, `!!str`) and the blanks after them. An anchor's
/// name is letters, digits, '-' and '_' (so `&a:` is an anchored empty key); a tag runs to a
/// blank.
pub(super) fn skip_properties(b: &[u8], mut i: usize) -> usize {
    i = skip_blanks(b, i);
    while let Some(&c @ (b'&' | b'!')) = b.get(i) {
        i += 1;
        while i < b.len()
            && (b[i].is_ascii_alphanumeric()
                || matches!(b[i], b'-' | b'_')
                || (c == b'!' && !blank_or_end(b, i)))
        {
            i += 1;
        }
        i = skip_blanks(b, i);
    }
    i
}

pub(super) fn is_item(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'-') && blank_or_end(b, i + 1)
}

/// The index just past the quote closing a scalar whose text starts at `i`, on this line.
pub(super) fn quote_end(b: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    while i < b.len() {
        if quote == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// In plain text from `i`: the first ':' that ends a key (a blank or the line end follows),
/// unless a comment starts before it.
pub(super) fn plain_colon(b: &[u8], i: usize) -> Option<usize> {
    for j in i..b.len() {
        match b[j] {
            b'#' if j > i && matches!(b[j - 1], b' ' | b'\t') => return None,
            b':' if blank_or_end(b, j + 1) => return Some(j),
            _ => {}
        }
    }
    None
}

/// When the node at `i` is a `key: ...` entry: where its key starts and ends, and its ':'.
pub(super) fn key_colon(b: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    let start = skip_properties(b, i);
    match b.get(start)? {
        &quote @ (b'"' | b'\'') => {
            let end = quote_end(b, start + 1, quote)?;
            let colon = skip_blanks(b, end);
            (b.get(colon) == Some(&b':') && blank_or_end(b, colon + 1))
                .then_some((start, end, colon))
        }
        b'[' | b'{' | b'|' | b'>' | b'#' => None,
        _ => {
            let colon = plain_colon(b, start)?;
            let mut end = colon;
            while end > start && matches!(b[end - 1], b' ' | b'\t') {
                end -= 1;
            }
            Some((start, end, colon))
        }
    }
}

pub(super) fn quote_name(q: u8) -> &'static str {
    if q == b'"' {
        "double"
    } else {
        "single"
    }
}

impl Checker<'_> {
    /// Scans from byte `i` inside an open quote or flow collection until both close or the
    /// line ends.
    pub(super) fn resume(&mut self, s: &str, mut i: usize, n: u32) -> Checked {
        let b = s.as_bytes();
        'scan: loop {
            if let Some((quote, line, at)) = self.quote {
                let Some(end) = quote_end(b, i, quote) else {
                    return Ok(());
                };
                self.quote = None;
                i = end;
                if self.flow.is_empty() {
                    return self.closed(s, i, n, (quote, line, at));
                }
                self.flow_start = false;
                self.after_node = true;
            }
            while i < b.len() {
                let c = b[i];
                match c {
                    b' ' | b'\t' => {
                        i += 1;
                        continue;
                    }
                    b'#' if i == 0
                        || matches!(b[i - 1], b' ' | b'\t')
                        || self.flow_start
                        || self.after_node =>
                    {
                        return Ok(())
                    }
                    b'"' | b'\'' if self.flow_start => {
                        self.quote = Some((c, n, i));
                        i += 1;
                        continue 'scan;
                    }
                    b'[' | b'{' => {
                        self.flow.push((c, n, i));
                        self.flow_start = true;
                    }
                    b']' | b'}' => {
                        let Some(open) = self.flow.pop() else {
                            return Ok(());
                        };
                        // In ASCII ']' and '}' come two after '[' and '{'.
                        if open.0 + 2 != c {
                            let message = format!(
                                "line {n} closes the “{}” of line {} with “{}”",
                                open.0 as char, open.1, c as char
                            );
                            return Err(problem(n, i, message));
                        }
                        if self.flow.is_empty() {
                            return self.closed(s, i + 1, n, open);
                        }
                        self.flow_start = false;
                        self.after_node = true;
                        i += 1;
                        continue;
                    }
                    b',' => self.flow_start = true,
                    b':' => self.flow_start = self.after_node || blank_or_end(b, i + 1),
                    b'?' => self.flow_start = blank_or_end(b, i + 1),
                    _ => self.flow_start = false,
                }
                self.after_node = false;
                i += 1;
            }
            return Ok(());
        }
    }

    /// After the quote or bracket that closes a value (`opener` says what opened it and
    /// where), only a comment may follow; a flow collection may also be a key.
    fn closed(&mut self, s: &str, end: usize, n: u32, opener: (u8, u32, usize)) -> Checked {
        let b = s.as_bytes();
        let (open, line, at) = opener;
        let j = skip_blanks(b, end);
        let quoted = matches!(open, b'"' | b'\'');
        // After a closing quote or bracket '#' starts a comment even without a blank.
        if j == b.len() || b[j] == b'#' {
            return Ok(());
        }
        if b[j] == b':' && !quoted {
            // A flow collection as a key, as rare as `? `.
            self.lenient = true;
            return Ok(());
        }
        if quoted && line != n {
            let message = format!(
                "the {} quote on line {line} is not closed on that line; where it ends, on line \
                 {n}, more text follows, so a closing quote is probably missing",
                quote_name(open)
            );
            return Err(problem(line, at, message));
        }
        let what = match open {
            b'[' => "“]”",
            b'{' => "“}”",
            _ => "quote",
        };
        let message = format!("line {n} has text after the closing {what}");
        Err(problem(n, j, message))
    }
}
