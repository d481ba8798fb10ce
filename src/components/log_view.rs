//! A log view of several sources that grows without re-rendering: the page feeds a
//! [`LogSink`] lines, the sink keeps them under a byte bound ([`LogBuffer`]) and adds (or
//! drops) exactly those rows, so a followed log costs the same per line at the millionth line
//! as at the first. Each row names its source (or swarm task) in text, with the source's
//! colour beside it, and its stream. Line text is set as text, never parsed as HTML.
//!
//! Following never fights the reader: scrolled up, the view stays where it is (even as old
//! rows leave the top) and counts the lines below, until "Jump to latest".

use crate::domain::log_buffer::{LogBuffer, LogChange};
use crate::domain::stack_logs::merge::{as_text, keeps, next_match};
use crate::domain::stack_logs::sources::Origins;
use crate::portainer::{LogLine, LogStream};
use leptos::html::Div;
use leptos::prelude::*;

/// How the lines held are shown; changing it re-renders them (nothing is fetched).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Look {
    pub filter: String,
    pub stdout: bool,
    pub stderr: bool,
    pub timestamps: bool,
}

/// Where the page sends lines; the [`LogView`] shows them.
#[derive(Clone, Copy)]
pub struct LogSink {
    node: NodeRef<Div>,
    buffer: StoredValue<LogBuffer, LocalStorage>,
    origins: StoredValue<Origins, LocalStorage>,
    look: StoredValue<Look, LocalStorage>,
    /// Lines held, rows shown, lines dropped to stay under the bound.
    held: RwSignal<usize>,
    rows: RwSignal<usize>,
    dropped: RwSignal<u64>,
    /// The reader scrolled up: new rows wait below, counted.
    paused: RwSignal<bool>,
    unseen: RwSignal<usize>,
}

impl LogSink {
    pub fn new(max_bytes: usize, look: Look) -> Self {
        Self {
            node: NodeRef::new(),
            buffer: StoredValue::new_local(LogBuffer::new(max_bytes)),
            origins: StoredValue::new_local(Origins::default()),
            look: StoredValue::new_local(look),
            held: RwSignal::new(0),
            rows: RwSignal::new(0),
            dropped: RwSignal::new(0),
            paused: RwSignal::new(false),
            unseen: RwSignal::new(0),
        }
    }

    /// Empties the view for a new set of sources.
    pub fn reset(&self, origins: Origins) {
        self.origins.set_value(origins);
        self.buffer.update_value(|b| {
            b.clear();
        });
        if let Some(div) = self.node.get_untracked() {
            div.set_inner_html("");
        }
        self.held.set(0);
        self.rows.set(0);
        self.dropped.set(0);
        self.unseen.set(0);
        self.paused.set(false);
    }

    /// The origin for a swarm task's prefix under `source`.
    pub fn intern(&self, source: u32, label: String) -> u32 {
        let mut origin = source;
        self.origins
            .update_value(|o| origin = o.intern(source, label));
        origin
    }

    /// Adds lines at the bottom, dropping the oldest over the bound.
    pub fn append(&self, lines: Vec<LogLine>) {
        if lines.is_empty() {
            return;
        }
        let mut change = LogChange::default();
        self.buffer.update_value(|b| change = b.push(lines));
        let (held, dropped) = self.buffer.with_value(|b| (b.len(), b.dropped()));
        if let Some(div) = self.node.get_untracked() {
            let (removed, added) = self.look.with_value(|look| {
                let removed = remove_rows(&div, &change.removed, look);
                let added = self
                    .origins
                    .with_value(|o| add_rows(&div, change.appended.iter(), look, o));
                (removed, added)
            });
            self.rows
                .update(|r| *r = (*r + added).saturating_sub(removed));
            if self.paused.get_untracked() {
                self.unseen.update(|n| *n += added);
            } else {
                div.set_scroll_top(div.scroll_height());
            }
        }
        self.held.set(held);
        self.dropped.set(dropped);
    }

    /// Shows the lines held another way.
    pub fn set_look(&self, look: Look) {
        if self.look.with_value(|l| *l == look) {
            return;
        }
        self.look.set_value(look.clone());
        let Some(div) = self.node.get_untracked() else {
            return;
        };
        div.set_inner_html("");
        let added = self.buffer.with_value(|b| {
            self.origins
                .with_value(|o| add_rows(&div, b.lines(), &look, o))
        });
        self.rows.set(added);
        self.unseen.set(0);
        self.paused.set(false);
        div.set_scroll_top(div.scroll_height());
    }

    /// The lines shown, as a text file (source, stream and timestamp on each line).
    pub fn text(&self) -> String {
        let look = self.look.get_value();
        self.buffer.with_value(|b| {
            self.origins.with_value(|o| {
                let shown = b
                    .lines()
                    .filter(|l| keeps(l, look.stdout, look.stderr, &look.filter));
                as_text(shown, o)
            })
        })
    }

    fn jump_to_latest(&self) {
        if let Some(div) = self.node.get_untracked() {
            div.set_scroll_top(div.scroll_height());
        }
        self.paused.set(false);
        self.unseen.set(0);
    }

    /// The reader scrolled: at the bottom follows, anywhere else holds still.
    fn scrolled(&self) {
        if let Some(div) = self.node.get_untracked() {
            let at_bottom = div.scroll_height() - div.scroll_top() - div.client_height() < 24;
            self.paused.set(!at_bottom);
            if at_bottom {
                self.unseen.set(0);
            }
        }
    }
}

/// The colour class of each source's prefix, by source modulo 8.
const SOURCE_CLASSES: [&str; 8] = [
    "src c0", "src c1", "src c2", "src c3", "src c4", "src c5", "src c6", "src c7",
];

/// Removes the rows of `gone` (the oldest lines, dropped from the buffer) that were shown;
/// returns how many. They leave the top and the reader keeps their place: the scroll moves
/// up by their height.
fn remove_rows(div: &web_sys::HtmlDivElement, gone: &[LogLine], look: &Look) -> usize {
    let leaving = gone
        .iter()
        .filter(|l| keeps(l, look.stdout, look.stderr, &look.filter))
        .count();
    if leaving > 0 {
        let (height, top) = (div.scroll_height(), div.scroll_top());
        for _ in 0..leaving {
            match div.first_element_child() {
                Some(first) => first.remove(),
                None => break,
            }
        }
        div.set_scroll_top(top - (height - div.scroll_height()));
    }
    leaving
}

/// Adds a row for each of `lines` the look shows; returns how many.
fn add_rows<'a>(
    div: &web_sys::HtmlDivElement,
    lines: impl Iterator<Item = &'a LogLine>,
    look: &Look,
    o: &Origins,
) -> usize {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let element = |tag: &str, class: &str, text: &str| {
        let e = document.create_element(tag).ok()?;
        e.set_class_name(class);
        e.set_text_content(Some(text));
        Some(e)
    };
    let mut added = 0;
    for line in lines.filter(|l| keeps(l, look.stdout, look.stderr, &look.filter)) {
        let (class, stream) = match line.stream {
            LogStream::Stdout => ("line stdout", "stdout"),
            LogStream::Stderr => ("line stderr", "stderr"),
        };
        let Some(row) = element("div", class, "") else {
            break;
        };
        let source = SOURCE_CLASSES[(o.source(line.origin) % 8) as usize];
        let parts = [
            element("span", source, o.label(line.origin)),
            line.timestamp
                .as_deref()
                .filter(|_| look.timestamps)
                .and_then(|t| element("span", "ts", &short_timestamp(t))),
            element("span", "stream", stream),
        ];
        for part in parts.into_iter().flatten() {
            let _ = row.append_child(&part);
        }
        // The text, with the filter's matches marked.
        let mut at = 0;
        while let Some(found) = next_match(&line.text, &look.filter, at) {
            let _ = row.append_with_str_1(&line.text[at..found.start]);
            if let Some(mark) = element("mark", "", &line.text[found.clone()]) {
                let _ = row.append_child(&mark);
            }
            at = found.end;
        }
        let _ = row.append_with_str_1(&line.text[at..]);
        let _ = div.append_child(&row);
        added += 1;
    }
    added
}

#[component]
pub fn LogView(sink: LogSink, wrap: Signal<bool>) -> impl IntoView {
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
        <div class="logs-frame">
            <div class="logs" class:nowrap=move || !wrap.get() role="log" aria-live="off"
                node_ref=sink.node tabindex="0" on:scroll=move |_| sink.scrolled()></div>
            {move || sink.paused.get().then(|| view! {
                <button class="small jump-latest" on:click=move |_| sink.jump_to_latest()>
                    {move || match sink.unseen.get() {
                        0 => "Jump to latest".to_string(),
                        1 => "Jump to latest: 1 new line".to_string(),
                        n => format!("Jump to latest: {n} new lines"),
                    }}
                </button>
            })}
        </div>
        {move || (sink.rows.get() == 0).then(|| view! {
            <p class="empty no-log-lines">
                {if sink.held.get() == 0 { "No log lines for these settings." } else { "No line matches the filter." }}
            </p>
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
