//! One page of a list.

/// One page of a list: 1-based `number` of `pages`, rows `start..end` of `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pagination {
    pub number: u32,
    pub pages: u32,
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Pagination {
    /// Clamps `requested` to `1..=pages` (an empty list has one, empty, page). `per_page` 0
    /// counts as 1.
    pub fn new(total: usize, requested: u32, per_page: u32) -> Self {
        let per = per_page.max(1) as usize;
        let pages = total.div_ceil(per).max(1);
        let pages = u32::try_from(pages).unwrap_or(u32::MAX);
        let number = requested.clamp(1, pages);
        let start = (number as usize - 1).saturating_mul(per).min(total);
        let end = start.saturating_add(per).min(total);
        Self {
            number,
            pages,
            start,
            end,
            total,
        }
    }

    /// "41–60 of 213"; "0 of 0" for an empty list.
    pub fn label(&self) -> String {
        if self.total == 0 {
            return "0 of 0".into();
        }
        format!("{}–{} of {}", self.start + 1, self.end, self.total)
    }

    pub fn has_previous(&self) -> bool {
        self.number > 1
    }

    pub fn has_next(&self) -> bool {
        self.number < self.pages
    }
}
