//! A plain, fast editor for the compose file: a textarea with line numbers, Tab for two
//! spaces, search in the file, and the YAML checked as it is typed. No editor bundle: the
//! browser's own text area does the editing.

use crate::domain::edit::yaml::check_yaml;
use leptos::html::{Pre, Textarea};
use leptos::prelude::*;

#[component]
pub fn CodeEditor(
    text: Signal<String>,
    on_change: Callback<String>,
    /// The file's name, e.g. "docker-compose.yml".
    label: String,
) -> impl IntoView {
    let area = NodeRef::<Textarea>::new();
    let gutter = NodeRef::<Pre>::new();
    // The text area keeps its own value while typing; it is set only when the text changed
    // elsewhere (a discarded draft), so the caret never jumps.
    Effect::new(move |_| {
        let Some(area) = area.get() else { return };
        text.with(|t| {
            if area.value() != *t {
                area.set_value(t);
            }
        });
    });
    let lines = Memo::new(move |_| text.with(|t| t.split('\n').count()));
    let numbers = move || {
        let mut out = String::new();
        for n in 1..=lines.get() {
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    };
    let problem = Memo::new(move |_| text.with(|t| check_yaml(t)));
    // Esc, then Tab, leaves the editor: Tab alone inserts spaces, and must not trap the focus.
    let escaped = StoredValue::new(false);
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        let leave = escaped.get_value();
        escaped.set_value(key == "Escape");
        if key != "Tab" || leave || ev.shift_key() || ev.ctrl_key() || ev.alt_key() {
            return;
        }
        let Some(el) = area.get_untracked() else {
            return;
        };
        ev.prevent_default();
        // Replaces the selection, if any; the caret goes after the spaces.
        let start = el.selection_start().ok().flatten().unwrap_or(0);
        let _ = el.set_range_text("  ");
        let _ = el.set_selection_range(start + 2, start + 2);
        on_change.run(el.value());
    };
    let search = RwSignal::new(String::new());
    let found = RwSignal::new(None::<(usize, usize)>);
    let find_next = move || {
        let (Some(el), needle) = (area.get_untracked(), search.get_untracked()) else {
            return;
        };
        let hits = text.with_untracked(|t| matches_ignore_case(t, &needle));
        if hits.is_empty() {
            found.set(Some((0, 0)));
            return;
        }
        let next = found
            .get_untracked()
            .map_or(0, |(i, n)| if n == hits.len() { (i + 1) % n } else { 0 });
        let (start, end) = hits[next];
        let _ = el.focus();
        let _ = el.set_selection_range(start, end);
        found.set(Some((next, hits.len())));
    };
    view! {
        <div class="card editor-card">
            <div class="toolbar">
                <span class="mono">{label.clone()}</span>
                <span class="muted">{move || format!("{} lines", lines.get())}</span>
                <span class="grow"></span>
                <label class="sr-only" for="file-search">"Search in the file"</label>
                <input
                    id="file-search"
                    type="search"
                    placeholder="Search in the file"
                    prop:value=search
                    on:input=move |ev| {
                        search.set(event_target_value(&ev));
                        found.set(None);
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            find_next();
                        }
                    }
                />
                <button class="small find-next" on:click=move |_| find_next()>"Find next"</button>
                <span class="find-result" role="status">
                    {move || found.get().map(|(i, n)| match n {
                        0 => "Not found".to_string(),
                        n => format!("{} of {n}", i + 1),
                    })}
                </span>
            </div>
            <div class="editor">
                <pre class="gutter" aria-hidden="true" node_ref=gutter>{numbers}</pre>
                <textarea
                    id="compose-file"
                    node_ref=area
                    aria-label=label
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    on:input=move |ev| on_change.run(event_target_value(&ev))
                    on:scroll=move |_| {
                        if let (Some(a), Some(g)) = (area.get_untracked(), gutter.get_untracked()) {
                            g.set_scroll_top(a.scroll_top());
                        }
                    }
                    on:keydown=on_keydown
                ></textarea>
            </div>
            <p class="muted editor-help">"Tab inserts two spaces; Esc then Tab leaves the editor."</p>
            <p class="yaml-check" role="status">
                {move || match problem.get() {
                    None => view! { <span class="ok">"YAML: no syntax problem found."</span> }.into_any(),
                    Some(p) => view! {
                        <span class="bad">{format!("YAML: {} (column {}).", p.message, p.column)}</span>
                    }
                    .into_any(),
                }}
            </p>
        </div>
    }
}

/// Where `needle` occurs in `text`, ASCII case ignored, as the UTF-16 offsets a text area's
/// selection uses.
fn matches_ignore_case(text: &str, needle: &str) -> Vec<(u32, u32)> {
    let (hay, pin) = (text.as_bytes(), needle.as_bytes());
    let mut hits = Vec::new();
    if pin.is_empty() || pin.len() > hay.len() {
        return hits;
    }
    let (mut at, mut utf16, mut counted) = (0, 0u32, 0);
    while at + pin.len() <= hay.len() {
        if text.is_char_boundary(at) && hay[at..at + pin.len()].eq_ignore_ascii_case(pin) {
            utf16 += utf16_len(&text[counted..at]);
            let len = utf16_len(&text[at..at + pin.len()]);
            hits.push((utf16, utf16 + len));
            utf16 += len;
            counted = at + pin.len();
            at = counted;
        } else {
            at += 1;
        }
    }
    hits
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::matches_ignore_case;

    #[test]
    fn search_finds_each_match_in_text_area_offsets() {
        assert_eq!(
            matches_ignore_case("image: NGINX\n# nginx", "nginx"),
            vec![(7, 12), (15, 20)]
        );
        // "é" is one UTF-16 unit but two bytes: offsets count units.
        assert_eq!(matches_ignore_case("é web", "WEB"), vec![(2, 5)]);
        assert_eq!(matches_ignore_case("aaa", "aa"), vec![(0, 2)]);
        assert!(matches_ignore_case("web", "").is_empty());
    }
}
