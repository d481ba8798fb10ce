//! "Updated 12 s ago · refreshes every 30 s": a page's data fetched again by itself, on the
//! operator's interval, waiting while the tab is hidden, a dialog is open or a field has the
//! focus (the rules are in `domain::freshness`).

use crate::domain::freshness::{age, kept, Conditions};
use crate::portainer::ApiError;
use crate::session::use_session;
use leptos::prelude::*;
use std::time::Duration;

/// A page's answer: what failed doing what, or the data.
pub type Answer<T> = Option<Result<T, (&'static str, ApiError)>>;

/// What a page shows of `fetched`: the last good answer, kept while a refresh is under way or
/// after one failed (the memo compares, so an unchanged answer rebuilds nothing); and why the
/// last refresh failed, while a good answer is kept.
pub fn keep_last_good<T>(fetched: Memo<Answer<T>>) -> (Memo<Answer<T>>, Signal<Option<String>>)
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let shown = Memo::new(move |previous: Option<&Answer<T>>| kept(fetched.get(), previous));
    let failed = Signal::derive(move || {
        let good = shown.with(|l| matches!(l, Some(Ok(_))));
        fetched.with(|f| match f {
            Some(Err((doing, error))) if good => Some(format!("{doing}: {error}")),
            _ => None,
        })
    });
    (shown, failed)
}

/// The freshness line of a page, and the timer behind it.
#[component]
pub fn AutoRefresh(
    /// Fetches the page's data again (the same requests as its first load).
    refresh: Callback<()>,
    /// When the page last got its data, in milliseconds since the epoch.
    updated_at: Signal<Option<f64>>,
    /// Why the last refresh failed, while the page keeps showing what it had.
    #[prop(into)]
    failed: Signal<Option<String>>,
    /// "stacks", "stack": what is shown as of `updated_at`.
    what: &'static str,
) -> impl IntoView {
    let session = use_session();
    let now = RwSignal::new(js_sys::Date::now());
    let asked_at = StoredValue::new(js_sys::Date::now());
    let conditions = RwSignal::new(None::<Conditions>);
    let tick = move || {
        let t = js_sys::Date::now();
        now.set(t);
        let c = Conditions {
            interval_secs: session.preferences.with_untracked(|p| p.refresh_secs),
            hidden: document().hidden(),
            typing: focus_in_a_field(),
            dialog: document()
                .query_selector("dialog[open]")
                .ok()
                .flatten()
                .is_some(),
        };
        conditions.set(Some(c));
        let last = asked_at
            .get_value()
            .max(updated_at.get_untracked().unwrap_or(0.0));
        if c.due((t - last) / 1000.0) {
            asked_at.set_value(t);
            refresh.run(());
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    let line = move || {
        let updated = updated_at
            .get()
            .map(|at| format!("Updated {}", age((now.get() - at) / 1000.0)));
        let plan = conditions.get().map(|c| match c.paused() {
            Some(paused) => paused.words().to_string(),
            None => format!("refreshes every {} s", c.interval_secs),
        });
        [updated, plan]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! {
        <span class="freshness muted">{line}</span>
        {move || failed.get().map(|why| {
            let shown = updated_at
                .get_untracked()
                .map(|at| age((now.get_untracked() - at) / 1000.0))
                .unwrap_or_default();
            view! {
                <p class="msg msg-warn stale" role="status">
                    <strong>{format!("Showing the {what} as of {shown}: the last refresh failed.")}</strong>
                    " " {why}
                </p>
            }
        })}
    }
}

fn focus_in_a_field() -> bool {
    document()
        .active_element()
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}
