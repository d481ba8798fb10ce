//! A log view of several sources that grows without re-rendering: the page feeds a
//! [`LogSink`] lines, the sink keeps them under a byte bound ([`LogBuffer`]) and, once per
//! frame, adds the new rows and drops the oldest beyond [`MAX_ROWS`], so a followed log costs
//! the same per line at the millionth line as at the first, however fast lines come. Each row names its source (or swarm task) in text, with the source's
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
use std::collections::VecDeque;

/// How the lines held are shown; changing it re-renders them (nothing is fetched).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Look {
    pub filter: String,
    pub stdout: bool,
    pub stderr: bool,
    pub timestamps: bool,
}

/// How often, at most, the screen changes while lines come: fast enough to read as live,
/// slow enough that thousands of lines a second do not keep the page laying out.
const SHOW_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Rows on screen at most. The buffer may hold far more (a download saves them all): with
/// tens of thousands of rows every new line cost a layout of them all.
pub const MAX_ROWS: usize = 2_000;

/// Where the page sends lines; the [`LogView`] shows them.
#[derive(Clone, Copy)]
pub struct LogSink {
    node: NodeRef<Div>,
    buffer: StoredValue<LogBuffer, LocalStorage>,
    origins: StoredValue<Origins, LocalStorage>,
    look: StoredValue<Look, LocalStorage>,
    /// Lines that arrived since the screen last changed (the newest `MAX_ROWS` at most): it
    /// changes at most every `SHOW_EVERY` however fast lines come.
    pending: StoredValue<VecDeque<LogLine>, LocalStorage>,
    /// Lines held that the look shows (rows on screen are the newest of them).
    showable: StoredValue<usize>,
    frame_asked: StoredValue<bool>,
    /// Lines the look shows that arrived since the last update (counted while paused).
    arrived: StoredValue<usize>,
    /// The next scroll event is the view's own (following the bottom), not the reader's.
    own_scroll: StoredValue<bool>,
    /// Lines held, lines the look shows, rows on screen, lines dropped to stay under the
    /// bound: as of the last frame.
    held: RwSignal<usize>,
    matching: RwSignal<usize>,
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
            pending: StoredValue::new_local(VecDeque::new()),
            showable: StoredValue::new(0),
            frame_asked: StoredValue::new(false),
            arrived: StoredValue::new(0),
            own_scroll: StoredValue::new(false),
            held: RwSignal::new(0),
            matching: RwSignal::new(0),
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
        self.pending.update_value(VecDeque::clear);
        self.showable.set_value(0);
        if let Some(div) = self.node.get_untracked() {
            div.set_inner_html("");
        }
        self.held.set(0);
        self.matching.set(0);
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

    /// Adds lines at the bottom, dropping the oldest over the bound; the screen follows at
    /// the next frame.
    pub fn append(&self, lines: Vec<LogLine>) {
        if lines.is_empty() {
            return;
        }
        let mut change = LogChange::default();
        self.buffer.update_value(|b| change = b.push(lines));
        self.look.with_value(|look| {
            let shows = |l: &LogLine| keeps(l, look.stdout, look.stderr, &look.filter);
            let gone = change.removed.iter().filter(|l| shows(l)).count();
            let new: Vec<LogLine> = change.appended.into_iter().filter(shows).collect();
            self.showable
                .update_value(|n| *n = (*n + new.len()).saturating_sub(gone));
            self.arrived.update_value(|n| *n += new.len());
            self.pending.update_value(|p| {
                p.extend(new);
                let over = p.len().saturating_sub(MAX_ROWS);
                p.drain(..over);
            });
        });
        if !self.frame_asked.get_value() {
            self.frame_asked.set_value(true);
            let sink = *self;
            set_timeout(move || sink.show_pending(), SHOW_EVERY);
        }
    }

    /// One update: the rows of the lines that came and the oldest rows out (beyond
    /// `MAX_ROWS`, or no longer held), the scroll kept at the bottom. A reader scrolled up is
    /// left alone: the rows stay as they are and the new lines are only counted until the
    /// view follows again. Nothing once the page is gone.
    fn show_pending(&self) {
        if self.frame_asked.try_set_value(false).is_some() {
            return;
        }
        let Some(div) = self.node.get_untracked() else {
            return;
        };
        let arrived = self.arrived.try_update_value(std::mem::take).unwrap_or(0);
        let (held, dropped) = self.buffer.with_value(|b| (b.len(), b.dropped()));
        let showable = self.showable.get_value();
        self.matching.set(showable);
        self.held.set(held);
        self.dropped.set(dropped);
        // A reader who scrolled up since the last update (its scroll event may not have come
        // yet) is not pulled back down. Nothing changed the rows since: this reads a clean
        // layout.
        if !self.paused.get_untracked() && !at_bottom(&div) {
            self.paused.set(true);
        }
        if self.paused.get_untracked() {
            self.pending.update_value(VecDeque::clear);
            self.unseen.update(|n| *n += arrived);
            return;
        }
        let lines: Vec<LogLine> = self
            .pending
            .try_update_value(|p| p.drain(..).collect())
            .unwrap_or_default();
        let added = self.look.with_value(|look| {
            self.origins
                .with_value(|o| add_rows(&div, lines.iter(), look, o))
        });
        let keep = showable.min(MAX_ROWS);
        while div.child_element_count() as usize > keep {
            match div.first_element_child() {
                Some(first) => first.remove(),
                None => break,
            }
        }
        if added > 0 {
            // Clamped to the bottom; the scroll event it causes is not the reader's.
            self.own_scroll.set_value(true);
            div.set_scroll_top(i32::MAX);
        }
        self.rows.set(div.child_element_count() as usize);
    }

    /// Shows the lines held another way: the newest `MAX_ROWS` it shows.
    pub fn set_look(&self, look: Look) {
        if self.look.with_value(|l| *l == look) {
            return;
        }
        self.look.set_value(look);
        self.show_newest();
    }

    /// Renders the newest `MAX_ROWS` lines the look shows, at the bottom, following.
    fn show_newest(&self) {
        self.pending.update_value(VecDeque::clear);
        self.arrived.set_value(0);
        let Some(div) = self.node.get_untracked() else {
            return;
        };
        div.set_inner_html("");
        let (added, showable) = self.look.with_value(|look| {
            self.buffer.with_value(|b| {
                let shown: Vec<&LogLine> = b
                    .lines()
                    .filter(|l| keeps(l, look.stdout, look.stderr, &look.filter))
                    .collect();
                let newest = &shown[shown.len().saturating_sub(MAX_ROWS)..];
                let added = self
                    .origins
                    .with_value(|o| add_rows(&div, newest.iter().copied(), look, o));
                (added, shown.len())
            })
        });
        self.showable.set_value(showable);
        self.matching.set(showable);
        self.rows.set(added);
        self.unseen.set(0);
        self.paused.set(false);
        self.own_scroll.set_value(true);
        div.set_scroll_top(i32::MAX);
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

    /// Back to following: the rows as they are now.
    fn jump_to_latest(&self) {
        self.show_newest();
    }

    /// The reader scrolled: at the bottom follows again (with what came meanwhile), anywhere
    /// else holds still. The view's own scroll to the bottom is not measured: reading the
    /// height forces a layout, once per update while following.
    fn scrolled(&self) {
        if self.own_scroll.get_value() {
            self.own_scroll.set_value(false);
            return;
        }
        if let Some(div) = self.node.get_untracked() {
            match (self.paused.get_untracked(), at_bottom(&div)) {
                (true, true) if self.unseen.get_untracked() > 0 => self.show_newest(),
                (true, true) => self.paused.set(false),
                (false, false) => self.paused.set(true),
                _ => {}
            }
        }
    }
}

/// Within a few pixels of the bottom.
fn at_bottom(div: &web_sys::HtmlDivElement) -> bool {
    div.scroll_height() - div.scroll_top() - div.client_height() < 24
}

/// The colour class of each source's prefix, by source modulo 8.
const SOURCE_CLASSES: [&str; 8] = [
    "src c0", "src c1", "src c2", "src c3", "src c4", "src c5", "src c6", "src c7",
];

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
        {move || (sink.matching.get() > sink.rows.get() && sink.rows.get() > 0).then(|| view! {
            <p class="sub logs-cut">
                {format!(
                    "Showing the newest {} of {} lines held; the download has them all.",
                    sink.rows.get(),
                    sink.matching.get()
                )}
            </p>
        })}
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
