//! The browser's clock, for "3 days ago" (the arithmetic is in `domain::time`).

/// Now, in Unix seconds.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
