//! A line diff between the deployed compose file and the edited one, so the operator sees
//! exactly what a redeploy would change before sending it.
//!
//! Myers' O(ND) algorithm in its linear-space form (the "middle snake" split), after trimming
//! the common prefix and suffix, which is all most edits touch. Lines are split on '\n' and one
//! trailing '\r' is dropped: browsers hand back a textarea's text with '\n' line ends, so a file
//! Portainer stored with "\r\n" would otherwise differ on every line. For the same reason a
//! missing final newline is not a difference: "a\n" and "a" are the same single line.
//!
//! The work is bounded: when more than [`MAX_EDITS`] lines differ, the changed middle is shown
//! as all removed then all added, so pasting a whole new file cannot freeze the page.

/// Edit distance (lines added plus removed) above which the diff stops looking for a minimal
/// script.
pub const MAX_EDITS: usize = 4_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// One line of the diff; `old` and `new` are 1-based line numbers in each text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub change: Change,
    pub old: Option<u32>,
    pub new: Option<u32>,
    pub text: String,
}

/// What a diff view shows: a line, or a note standing for unchanged lines left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Line(DiffLine),
    Skipped { lines: u32 },
}

/// The minimal line diff from `old` to `new`; within a change, removed lines come first.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    diff_bounded(old, new, MAX_EDITS)
}

fn diff_bounded(old: &str, new: &str, limit: usize) -> Vec<DiffLine> {
    let a = split_lines(old);
    let b = split_lines(new);
    let mut differ = Differ {
        a: &a,
        b: &b,
        out: Vec::with_capacity(a.len().max(b.len())),
    };
    differ.diff(0, a.len(), 0, b.len(), limit);
    removals_first(differ.out)
}

/// (added, removed)
pub fn counts(lines: &[DiffLine]) -> (usize, usize) {
    let mut added = 0;
    let mut removed = 0;
    for line in lines {
        match line.change {
            Change::Added => added += 1,
            Change::Removed => removed += 1,
            Change::Same => {}
        }
    }
    (added, removed)
}

/// Keeps `context` unchanged lines on each side of every change and folds the rest into
/// [`Shown::Skipped`]; a file without changes folds entirely.
pub fn with_context(lines: Vec<DiffLine>, context: usize) -> Vec<Shown> {
    let len = lines.len();
    let changed = |i: usize| lines[i].change != Change::Same;
    // A line is kept when a change is at most `context` lines away on either side.
    let mut keep = vec![false; len];
    let mut last = None;
    for (i, kept) in keep.iter_mut().enumerate() {
        if changed(i) {
            last = Some(i);
        }
        *kept = last.is_some_and(|l| i - l <= context);
    }
    last = None;
    for i in (0..len).rev() {
        if changed(i) {
            last = Some(i);
        }
        keep[i] |= last.is_some_and(|l| l - i <= context);
    }
    let mut out = Vec::new();
    let mut skipped = 0u32;
    for (line, kept) in lines.into_iter().zip(keep) {
        if kept {
            if skipped > 0 {
                out.push(Shown::Skipped { lines: skipped });
                skipped = 0;
            }
            out.push(Shown::Line(line));
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        out.push(Shown::Skipped { lines: skipped });
    }
    out
}

fn split_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect()
}

/// Within each run of changes, removed lines before added ones (each kept in order): the
/// recursion may interleave them, and readers expect "-" lines above "+" lines.
fn removals_first(lines: Vec<DiffLine>) -> Vec<DiffLine> {
    let mut out = Vec::with_capacity(lines.len());
    let mut added = Vec::new();
    for line in lines {
        match line.change {
            Change::Added => added.push(line),
            Change::Removed => out.push(line),
            Change::Same => {
                out.append(&mut added);
                out.push(line);
            }
        }
    }
    out.append(&mut added);
    out
}

/// Marks a diagonal not reached yet in a furthest-reach array.
const NONE: isize = isize::MIN;

struct Differ<'a> {
    a: &'a [&'a str],
    b: &'a [&'a str],
    out: Vec<DiffLine>,
}

impl Differ<'_> {
    fn push(&mut self, change: Change, i: usize, j: usize) {
        let text = if change == Change::Added {
            self.b[j]
        } else {
            self.a[i]
        };
        let number = |k: usize| Some(u32::try_from(k + 1).unwrap_or(u32::MAX));
        self.out.push(DiffLine {
            change,
            old: if change == Change::Added {
                None
            } else {
                number(i)
            },
            new: if change == Change::Removed {
                None
            } else {
                number(j)
            },
            text: text.to_owned(),
        });
    }

    /// Diffs `a[a0..a1]` against `b[b0..b1]`, appending to `out` in order.
    fn diff(&mut self, mut a0: usize, a1: usize, mut b0: usize, b1: usize, limit: usize) {
        while a0 < a1 && b0 < b1 && self.a[a0] == self.b[b0] {
            self.push(Change::Same, a0, b0);
            a0 += 1;
            b0 += 1;
        }
        let mut suffix = 0;
        while a0 + suffix < a1
            && b0 + suffix < b1
            && self.a[a1 - 1 - suffix] == self.b[b1 - 1 - suffix]
        {
            suffix += 1;
        }
        let (a1, b1) = (a1 - suffix, b1 - suffix);
        let split = if a0 < a1 && b0 < b1 {
            self.middle_snake(a0, a1, b0, b1, limit)
        } else {
            None
        };
        match split {
            // Both halves cost less than the whole, so the recursion ends; the check only
            // guards against a bug turning into a hang.
            Some((x, y, u, v)) if (x, y) != (a1, b1) && (u, v) != (a0, b0) => {
                self.diff(a0, x, b0, y, limit);
                for k in 0..u - x {
                    self.push(Change::Same, x + k, y + k);
                }
                self.diff(u, a1, v, b1, limit);
            }
            _ => {
                for i in a0..a1 {
                    self.push(Change::Removed, i, 0);
                }
                for j in b0..b1 {
                    self.push(Change::Added, 0, j);
                }
            }
        }
        for k in 0..suffix {
            self.push(Change::Same, a1 + k, b1 + k);
        }
    }

    /// The middle snake of a shortest edit script from `a[a0..a1]` to `b[b0..b1]`, as
    /// absolute (x, y) to (u, v), or None when the script is longer than `limit`.
    ///
    /// Searches forward from the top-left and backward from the bottom-right at once,
    /// keeping per diagonal k (x - y) the furthest x reached with d edits; the paths meet
    /// after about half the edits. Moves never leave the grid, so every reach is a real path.
    fn middle_snake(
        &self,
        a0: usize,
        a1: usize,
        b0: usize,
        b1: usize,
        limit: usize,
    ) -> Option<(usize, usize, usize, usize)> {
        let (a, b) = (&self.a[a0..a1], &self.b[b0..b1]);
        let (n, m) = (a.len() as isize, b.len() as isize);
        let delta = n - m;
        let odd = delta & 1 == 1;
        let steps = (n + m + 1) / 2 + 1;
        // Forward diagonal k lives at `off + k`; backward diagonal c at `off + c - delta`.
        let off = steps + 1;
        let mut fwd = vec![NONE; (2 * off + 1) as usize];
        let mut bwd = vec![NONE; (2 * off + 1) as usize];
        // Seeds: a virtual step into (0, 0) and out of (n, m).
        fwd[(off + 1) as usize] = 0;
        bwd[(off + 1) as usize] = n + 1;
        let at = |v: &[isize], i: isize| v[(off + i) as usize];
        let done = |x: isize, y: isize, u: isize, v: isize| {
            Some((
                a0 + x as usize,
                b0 + y as usize,
                a0 + u as usize,
                b0 + v as usize,
            ))
        };
        for d in 0..steps {
            if 2 * d - 1 > limit as isize {
                return None;
            }
            let mut k = -d;
            while k <= d {
                let down = at(&fwd, k + 1);
                let down = (down != NONE && down - (k + 1) < m).then_some(down);
                let right = at(&fwd, k - 1);
                let right = if right != NONE && right < n {
                    Some(right + 1)
                } else {
                    None
                };
                let slot = (off + k) as usize;
                fwd[slot] = NONE;
                if let Some(x0) = down.max(right) {
                    let mut x = x0;
                    while x < n && x - k < m && a[x as usize] == b[(x - k) as usize] {
                        x += 1;
                    }
                    fwd[slot] = x;
                    let c = k - delta;
                    if odd && c.abs() < d && at(&bwd, c) != NONE && x >= at(&bwd, c) {
                        return done(x0, x0 - k, x, x - k);
                    }
                }
                k += 2;
            }
            if 2 * d > limit as isize {
                return None;
            }
            let mut c = -d;
            while c <= d {
                let k = c + delta;
                let left = at(&bwd, c + 1);
                let left = if left != NONE && left > 0 {
                    Some(left - 1)
                } else {
                    None
                };
                let up = at(&bwd, c - 1);
                let up = (up != NONE && up - (k - 1) > 0).then_some(up);
                let slot = (off + c) as usize;
                bwd[slot] = NONE;
                let start = match (left, up) {
                    (Some(l), Some(u)) => Some(l.min(u)),
                    (l, u) => l.or(u),
                };
                if let Some(x0) = start {
                    let mut x = x0;
                    while x > 0 && x - k > 0 && a[(x - 1) as usize] == b[(x - k - 1) as usize] {
                        x -= 1;
                    }
                    bwd[slot] = x;
                    if !odd && k.abs() <= d && at(&fwd, k) != NONE && at(&fwd, k) >= x {
                        return done(x, x - k, x0, x0 - k);
                    }
                }
                c += 2;
            }
        }
        None
    }
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
