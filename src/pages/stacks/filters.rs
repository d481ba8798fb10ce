//! The filter sidebar: each facet value with how many stacks choosing it would show.

use super::SetQuery;
use crate::domain::labels::{stack_status_label, stack_type_label};
use crate::domain::ownership::OwnershipKind;
use crate::domain::stack_health::HealthClass;
use crate::domain::stack_query::{FacetCounts, StackQuery, STACK_STATUSES, STACK_TYPES};
use crate::domain::stack_rows::{push_lower, SourceKind};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One checkbox of a facet. Its value is a plain number (an environment id, or the index of a
/// type, status, source or ownership in its list), so one `Facet` serves every facet: a generic
/// one was compiled five times over.
#[derive(Clone, PartialEq)]
struct FacetOption {
    value: u32,
    /// Unique among all facets, for the checkbox id and tests.
    id: String,
    label: String,
    count: usize,
    checked: bool,
}

/// Adds or removes `value` from a facet's selection.
fn toggled<T: Ord + Copy>(set: &BTreeSet<T>, value: T) -> BTreeSet<T> {
    let mut set = set.clone();
    if !set.remove(&value) {
        set.insert(value);
    }
    set
}

/// The options of a small facet, in the given order: (checkbox id, label) from `describe`; each
/// option's value is its index in `values`.
fn options<T: Ord + Copy>(
    values: &[T],
    counts: &BTreeMap<T, usize>,
    selected: &BTreeSet<T>,
    describe: impl Fn(T) -> (String, String),
) -> Vec<FacetOption> {
    let mut list = Vec::with_capacity(values.len());
    for (index, v) in values.iter().enumerate() {
        let (id, label) = describe(*v);
        list.push(FacetOption {
            value: index as u32,
            id,
            label,
            count: counts.get(v).copied().unwrap_or(0),
            checked: selected.contains(v),
        });
    }
    list
}

/// Toggles the value at `index` of `values` in `set` (an index from [`options`]).
fn toggle_at<T: Ord + Copy>(set: &mut BTreeSet<T>, values: &[T], index: u32) {
    if let Some(v) = values.get(index as usize) {
        *set = toggled(set, *v);
    }
}

#[component]
pub fn Filters(
    query: Memo<StackQuery>,
    counts: Signal<FacetCounts>,
    env_names: Memo<BTreeMap<u32, String>>,
    set_query: SetQuery,
) -> impl IntoView {
    // Each facet: its options from the counts and the query, and what a click does.
    let set = set_query.clone();
    // Environments by name, sorted when the names change, not on every keystroke.
    let env_order = Memo::new(move |_| env_names.with(by_label));
    // Past a dozen environments the facet shows a dozen, a box to find one by name, and a button
    // for all of them: 500 checkboxes delayed the first rows at 20,000 stacks by 100 ms.
    let env_find = RwSignal::new(String::new());
    let env_all = RwSignal::new(false);
    let env_view = Memo::new(move |_| {
        env_order.with(|order| {
            query.with(|q| {
                counts.with(|c| {
                    let options = environment_options(order, &c.envs, &q.envs);
                    env_find.with(|find| shown_environments(options, find, env_all.get()))
                })
            })
        })
    });
    let env_options = move || env_view.with(|v| v.options.clone());
    let type_options = move || {
        query.with(|q| {
            counts.with(|c| {
                options(&STACK_TYPES, &c.types, &q.types, |t| {
                    let label = stack_type_label(t).into_owned();
                    (format!("type-{}", label.to_lowercase()), label)
                })
            })
        })
    };
    let status_options = move || {
        query.with(|q| {
            counts.with(|c| {
                options(&STACK_STATUSES, &c.statuses, &q.statuses, |s| {
                    let label = stack_status_label(s).into_owned();
                    (format!("status-{}", label.to_lowercase()), label)
                })
            })
        })
    };
    let source_options = move || {
        query.with(|q| {
            counts.with(|c| {
                options(&SourceKind::ALL, &c.sources, &q.sources, |s| {
                    (format!("source-{}", s.url_name()), s.label().to_string())
                })
            })
        })
    };
    let ownership_options = move || {
        query.with(|q| {
            counts.with(|c| {
                options(&OwnershipKind::ALL, &c.ownership, &q.ownership, |o| {
                    (format!("own-{}", o.url_name()), o.label().to_string())
                })
            })
        })
    };

    // Empty while health is not checked: the facet is then not shown.
    let health_options = move || {
        query.with(|q| {
            counts.with(|c| {
                if c.health.is_empty() {
                    return Vec::new();
                }
                options(&HealthClass::ALL, &c.health, &q.health, |h| {
                    (format!("health-{}", h.url_name()), h.label().to_string())
                })
            })
        })
    };
    let has_health = move || counts.with(|c| !c.health.is_empty());

    // A facet click: change the selection and go back to the first page.
    let change = {
        let set = set.clone();
        move |edit: &dyn Fn(&mut StackQuery)| {
            let mut q = query.get_untracked();
            edit(&mut q);
            q.page = 1;
            set.set(q);
        }
    };
    let (c1, c2, c3, c4, c5, c6) = (
        change.clone(),
        change.clone(),
        change.clone(),
        change.clone(),
        change.clone(),
        change,
    );
    let clear = set.clone();
    view! {
        <aside id="stack-filters" class="card filters" aria-labelledby="filters-heading">
            // Heading levels in order: the facets' h3s sit under this h2.
            <h2 id="filters-heading" class="sr-only">"Filters"</h2>
            <Facet title="Environment" options=Signal::derive(env_options) scroll=true on_toggle=Callback::new(move |id| c1(&|q| q.envs = toggled(&q.envs, id)))>
                <Show when=move || env_view.with(|v| v.total > ENVIRONMENTS_SHOWN)>
                    <input
                        type="search"
                        class="facet-find"
                        id="env-find"
                        placeholder="Find an environment"
                        aria-label="Find an environment"
                        prop:value=move || env_find.get()
                        on:input=move |ev| env_find.set(event_target_value(&ev))
                    />
                    <p class="facet-more">
                        <span>{move || env_view.with(EnvironmentsShown::summary)}</span>
                        " "
                        // Offered while some are hidden, and to go back to a dozen.
                        <Show when=move || env_all.get() || env_view.with(|v| v.shown_matching < v.matching)>
                            <button class="link small env-all" on:click=move |_| env_all.update(|a| *a = !*a)>
                                {move || if env_all.get() { "Show fewer" } else { "Show all" }}
                            </button>
                        </Show>
                    </p>
                </Show>
            </Facet>
            <Facet title="Type" options=Signal::derive(type_options) on_toggle=Callback::new(move |i| c2(&|q| toggle_at(&mut q.types, &STACK_TYPES, i)))/>
            <Facet title="Status" options=Signal::derive(status_options) on_toggle=Callback::new(move |i| c3(&|q| toggle_at(&mut q.statuses, &STACK_STATUSES, i)))/>
            <Show when=has_health>
                <Facet title="Health" options=Signal::derive(health_options) on_toggle=Callback::new({
                    let c6 = c6.clone();
                    move |i| c6(&|q| toggle_at(&mut q.health, &HealthClass::ALL, i))
                })/>
            </Show>
            <Facet title="Source" options=Signal::derive(source_options) on_toggle=Callback::new(move |i| c4(&|q| toggle_at(&mut q.sources, &SourceKind::ALL, i)))/>
            <Facet title="Ownership" options=Signal::derive(ownership_options) on_toggle=Callback::new(move |i| c5(&|q| toggle_at(&mut q.ownership, &OwnershipKind::ALL, i)))/>
            <Show when=move || query.with(StackQuery::has_filters)>
                {
                    let clear = clear.clone();
                    view! {
                        <div class="actions">
                            <button class="small clear-filters" on:click=move |_| {
                                let q = query.get_untracked();
                                clear.set(StackQuery {
                                    sort: q.sort,
                                    descending: q.descending,
                                    per_page: q.per_page,
                                    ..StackQuery::default()
                                });
                            }>"Clear search and filters"</button>
                        </div>
                    }
                }
            </Show>
        </aside>
    }
}

/// Environment ids and labels, by label (case-insensitively, without a lower-cased copy).
fn by_label(names: &BTreeMap<u32, String>) -> Vec<(u32, String)> {
    let labelled: Vec<(u32, String)> = names.iter().map(|(id, l)| (*id, l.clone())).collect();
    let order = crate::domain::order::sorted_indices(labelled.len(), &|a, b| {
        crate::domain::order::cmp_ignore_case(&labelled[a].1, &labelled[b].1)
    });
    crate::domain::order::permuted(labelled, &order)
}

/// The environment facet: each counted environment in name order, then any selected one
/// Portlight has no name for.
fn environment_options(
    by_label: &[(u32, String)],
    counts: &BTreeMap<u32, usize>,
    selected: &BTreeSet<u32>,
) -> Vec<FacetOption> {
    let option = |id: u32, label: String, count: usize| FacetOption {
        value: id,
        id: format!("env-{id}"),
        label,
        count,
        checked: selected.contains(&id),
    };
    let mut options: Vec<FacetOption> = by_label
        .iter()
        .filter_map(|(id, label)| counts.get(id).map(|c| option(*id, label.clone(), *c)))
        .collect();
    // Every environment holding a stack has a label: only a selected one can lack it.
    for id in selected {
        if !by_label.iter().any(|(known, _)| known == id) {
            let count = counts.get(id).copied().unwrap_or(0);
            options.push(option(*id, format!("environment #{id}"), count));
        }
    }
    options
}

/// How many environments the facet shows until the operator asks for all of them.
const ENVIRONMENTS_SHOWN: usize = 12;

/// The environment options on screen, and how many there are in all.
#[derive(Clone, PartialEq)]
struct EnvironmentsShown {
    options: Vec<FacetOption>,
    /// Options whose label contains what was typed in the find box (all when it is empty), and
    /// how many of them are on screen (a checked one is, found or not).
    matching: usize,
    shown_matching: usize,
    total: usize,
}

impl EnvironmentsShown {
    /// "12 of 500 shown", "3 of 40 matching shown".
    fn summary(&self) -> String {
        let of = if self.matching == self.total {
            self.total.to_string()
        } else {
            format!("{} matching", self.matching)
        };
        format!("{} of {of} shown", self.shown_matching)
    }
}

/// The checked environments always, and those whose label contains `find` (ignoring case), in
/// label order: all of them with `all`, otherwise the first [`ENVIRONMENTS_SHOWN`].
fn shown_environments(options: Vec<FacetOption>, find: &str, all: bool) -> EnvironmentsShown {
    let total = options.len();
    let mut find_lower = String::new();
    push_lower(&mut find_lower, find.trim());
    let mut matching = 0;
    let mut shown_matching = 0;
    let mut unchecked = 0;
    let mut label = String::new();
    let options = options
        .into_iter()
        .filter(|o| {
            // Nothing typed (every keystroke of the stack search): nothing to lower-case.
            let matches = find_lower.is_empty() || {
                label.clear();
                push_lower(&mut label, &o.label);
                label.contains(&find_lower)
            };
            matching += usize::from(matches);
            let keep = o.checked || (matches && (all || unchecked < ENVIRONMENTS_SHOWN));
            unchecked += usize::from(keep && !o.checked);
            shown_matching += usize::from(keep && matches);
            keep
        })
        .collect();
    EnvironmentsShown {
        options,
        matching,
        shown_matching,
        total,
    }
}

/// One facet: a titled group of checkboxes with counts, and what `children` add under its
/// title.
#[component]
fn Facet(
    title: &'static str,
    options: Signal<Vec<FacetOption>>,
    #[prop(optional)] scroll: bool,
    on_toggle: Callback<u32>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    // Options keep their DOM nodes across keystrokes (keyed by id); only counts and checks
    // change in place. Re-creating 200 environment checkboxes per keystroke was the slowest
    // part of typing with 5,000 stacks. Each option has a signal of its own, set only when its
    // count or check changes: a thousand subscribers on one shared memo made every keystroke
    // quadratic (each re-run unsubscribes in time proportional to the subscribers).
    let cells: StoredValue<BTreeMap<String, RwSignal<(usize, bool)>>> =
        StoredValue::new(BTreeMap::new());
    Effect::new(move |_| {
        options.with(|o| {
            cells.with_value(|cells| {
                for option in o {
                    let now = (option.count, option.checked);
                    if let Some(cell) = cells.get(&option.id) {
                        if cell.get_untracked() != now {
                            cell.set(now);
                        }
                    }
                }
            })
        })
    });
    let keys = Memo::new(move |_| {
        options.with(|o| {
            o.iter()
                .map(|o| (o.id.clone(), o.value, o.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="facet" class:facet-scroll=scroll role="group" aria-label=title>
            <h3>{title}</h3>
            {children.map(|c| c())}
            <For
                each=move || keys.get()
                // The label is part of the key: an environment first "#9" becomes
                // "environment #9 (deleted)" once the viewer is known to be an administrator.
                key=|(id, _, label)| (id.clone(), label.clone())
                children=move |(id, value, label)| {
                    let now = options.with_untracked(|o| {
                        o.iter().find(|o| o.id == id).map_or((0, false), |o| (o.count, o.checked))
                    });
                    let cell = RwSignal::new(now);
                    cells.update_value(|c| {
                        c.insert(id.clone(), cell);
                    });
                    // Only its own cell: a re-keyed option (a new label) may have put its
                    // successor under the same id already.
                    let gone = id.clone();
                    on_cleanup(move || {
                        cells.update_value(|c| {
                            if c.get(&gone) == Some(&cell) {
                                c.remove(&gone);
                            }
                        })
                    });
                    let label_for = id.clone();
                    let count = move || cell.get().0;
                    let checked = move || cell.get().1;
                    view! {
                        <label class="check" for=label_for>
                            <span>
                                <input
                                    type="checkbox"
                                    id=id
                                    prop:checked=checked
                                    on:change=move |_| on_toggle.run(value)
                                />
                                " "
                                {label}
                            </span>
                            <span class="count" aria-label="stacks">{count}</span>
                        </label>
                    }
                }
            />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_are_offered_by_name_then_selected_unknown_ones() {
        let mut names = BTreeMap::new();
        names.extend([
            (1, "prod".to_string()),
            (2, "Edge".to_string()),
            (3, "edge".to_string()),
            (4, "unused".to_string()),
        ]);
        let mut counts = BTreeMap::new();
        counts.extend([(1, 5), (2, 0), (3, 2), (9, 0)]);
        let mut selected = BTreeSet::new();
        selected.extend([3, 9]);
        let options = environment_options(&by_label(&names), &counts, &selected);
        let shown: Vec<(&str, usize, bool)> = options
            .iter()
            .map(|o| (o.label.as_str(), o.count, o.checked))
            .collect();
        // Case only decides between equal names; an environment without stacks is left out.
        assert_eq!(
            shown,
            vec![
                ("Edge", 0, false),
                ("edge", 2, true),
                ("prod", 5, false),
                ("environment #9", 0, true),
            ]
        );
        assert_eq!(options[1].id, "env-3");
        assert_eq!(options[1].value, 3);
    }

    fn env_options(n: u32, checked: &[u32]) -> Vec<FacetOption> {
        (1..=n)
            .map(|id| FacetOption {
                value: id,
                id: format!("env-{id}"),
                label: format!("Prod-{id:03}"),
                count: 1,
                checked: checked.contains(&id),
            })
            .collect()
    }

    fn shown_ids(shown: &EnvironmentsShown) -> Vec<u32> {
        shown.options.iter().map(|o| o.value).collect()
    }

    #[test]
    fn many_environments_show_a_dozen_the_checked_ones_and_what_is_found() {
        // A dozen, and a checked one further down stays in its place.
        let shown = shown_environments(env_options(500, &[400]), "", false);
        let mut want: Vec<u32> = (1..=12).collect();
        want.push(400);
        assert_eq!(shown_ids(&shown), want);
        assert_eq!((shown.matching, shown.total), (500, 500));
        assert_eq!(shown.summary(), "13 of 500 shown");
        // Found by name, ignoring case.
        let found = shown_environments(env_options(500, &[400]), " prod-04", false);
        assert_eq!(found.matching, 10);
        assert_eq!(
            shown_ids(&found),
            [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 400]
        );
        assert_eq!(found.summary(), "10 of 10 matching shown");
        // Everything when asked.
        let all = shown_environments(env_options(500, &[]), "", true);
        assert_eq!(all.options.len(), 500);
        let none = shown_environments(env_options(20, &[]), "staging", false);
        assert!(none.options.is_empty());
        assert_eq!(none.summary(), "0 of 0 matching shown");
    }
}
