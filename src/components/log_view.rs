//! A log view that grows without re-rendering: the page feeds a [`LogSink`] lines, the sink
//! keeps them under a byte bound ([`LogBuffer`]) and adds (or drops) exactly those elements,
//! so a followed log costs the same per line at the millionth line as at the first. Line text
//! is set as text, never parsed as HTML.

use crate::domain::log_buffer::{LogBuffer, LogChange};
use crate::portainer::{LogLine, LogStream};
use leptos::html::Div;
use leptos::prelude::*;

/// Where the page sends lines; the [`LogView`] shows them.
#[derive(Clone, Copy)]
pub struct LogSink {
    node: NodeRef<Div>,
    buffer: StoredValue<LogBuffer, LocalStorage>,
    /// Lines shown, and lines dropped to stay under the bound (for the notes around the view).
    shown: RwSignal<usize>,
    dropped: RwSignal<u64>,
}

impl LogSink {
    pub fn new(max_bytes: usize) -> Self {
        Self {
            node: NodeRef::new(),
            buffer: StoredValue::new_local(LogBuffer::new(max_bytes)),
            shown: RwSignal::new(0),
            dropped: RwSignal::new(0),
        }
    }

    /// Shows `lines` instead of what was shown.
    pub fn replace(&self, lines: Vec<LogLine>) {
        if let Some(div) = self.node.get_untracked() {
            div.set_inner_html("");
        }
        self.buffer.update_value(|b| {
            b.clear();
        });
        self.append(lines);
    }

    /// Adds lines at the bottom, dropping the oldest over the bound.
    pub fn append(&self, lines: Vec<LogLine>) {
        if lines.is_empty() {
            return;
        }
        let mut change = LogChange::default();
        self.buffer.update_value(|b| change = b.push(lines));
        let (shown, dropped) = self.buffer.with_value(|b| (b.len(), b.dropped()));
        if let Some(div) = self.node.get_untracked() {
            render(&div, change);
        }
        self.shown.set(shown);
        self.dropped.set(dropped);
    }

    /// The lines shown, as text (for a download).
    pub fn text(&self) -> String {
        self.buffer.with_value(|b| {
            let mut out = String::new();
            for line in b.lines() {
                if let Some(ts) = &line.timestamp {
                    out.push_str(ts);
                    out.push(' ');
                }
                out.push_str(&line.text);
                out.push('\n');
            }
            out
        })
    }
}

/// Applies a change to the view's element; stays at the bottom only if the reader was there.
fn render(div: &web_sys::HtmlDivElement, change: LogChange) {
    let at_bottom = div.scroll_height() - div.scroll_top() - div.client_height() < 24;
    for _ in 0..change.removed_front {
        match div.first_element_child() {
            Some(first) => first.remove(),
            None => break,
        }
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let element = |tag: &str, class: &str, text: &str| {
        let e = document.create_element(tag).ok()?;
        e.set_class_name(class);
        e.set_text_content(Some(text));
        Some(e)
    };
    for line in change.appended {
        let (class, stream) = match line.stream {
            LogStream::Stdout => ("line stdout", "stdout"),
            LogStream::Stderr => ("line stderr", "stderr"),
        };
        let Some(row) = element("div", class, "") else {
            return;
        };
        let parts = [
            element("span", "stream", stream),
            line.timestamp
                .as_deref()
                .and_then(|t| element("span", "ts", &short_timestamp(t))),
        ];
        for part in parts.into_iter().flatten() {
            let _ = row.append_child(&part);
        }
        let _ = row.append_with_str_1(&line.text);
        let _ = div.append_child(&row);
    }
    if at_bottom {
        div.set_scroll_top(div.scroll_height());
    }
}

#[component]
pub fn LogView(sink: LogSink) -> impl IntoView {
    view! {
        {move || (sink.dropped.get() > 0).then(|| view! {
            <p class="msg msg-info logs-dropped" role="status">
                {format!(
                    "Older lines dropped: {} line(s) no longer fit in the {} MB Portlight keeps.",
                    sink.dropped.get(),
                    sink.buffer.with_value(|b| b.max_bytes()) / (1024 * 1024)
                )}
            </p>
        })}
        <div class="logs" role="log" aria-live="off" node_ref=sink.node tabindex="0"></div>
        {move || (sink.shown.get() == 0).then(|| view! {
            <p class="empty no-log-lines">"No log lines for these settings."</p>
        })}
    }
}

/// `2024-05-29T16:26:03.123456789Z` → `2024-05-29 16:26:03`.
pub fn short_timestamp(ts: &str) -> String {
    let cut = ts.find(['.', 'Z', '+']).unwrap_or(ts.len());
    ts.get(..cut).unwrap_or(ts).replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_lose_nanoseconds_and_zone() {
        assert_eq!(
            short_timestamp("2024-05-29T16:26:03.123456789Z"),
            "2024-05-29 16:26:03"
        );
        assert_eq!(
            short_timestamp("2024-05-29T16:26:03Z"),
            "2024-05-29 16:26:03"
        );
        assert_eq!(short_timestamp("garbage"), "garbage");
    }
}
