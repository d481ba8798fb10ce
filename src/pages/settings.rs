//! `/settings`: read-only mode, request timeout, log lines, automatic refresh, stack health.
//! Kept in this browser only.

use crate::domain::stack_health::AUTO_MAX_ENVIRONMENTS;
use crate::session::preferences::HealthChecks;
use crate::session::{use_session, Preferences};
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let current = session.preferences.get_untracked();
    let read_only = RwSignal::new(current.read_only);
    let timeout = RwSignal::new(current.timeout_secs.to_string());
    let log_tail = RwSignal::new(current.log_tail.to_string());
    let refresh = RwSignal::new(current.refresh_secs.to_string());
    let health = RwSignal::new(current.health.value().to_string());
    let saved = RwSignal::new(None::<Result<(), String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let defaults = Preferences::default();
        let settings = Preferences {
            read_only: read_only.get(),
            timeout_secs: timeout
                .get()
                .trim()
                .parse()
                .unwrap_or(defaults.timeout_secs),
            log_tail: log_tail.get().trim().parse().unwrap_or(defaults.log_tail),
            refresh_secs: refresh
                .get()
                .trim()
                .parse()
                .unwrap_or(defaults.refresh_secs),
            health: health.with(|h| {
                HealthChecks::ALL
                    .into_iter()
                    .find(|c| c.value() == h)
                    .unwrap_or_default()
            }),
        }
        .clamped();
        // Show what was actually stored (values are clamped to their ranges).
        timeout.set(settings.timeout_secs.to_string());
        log_tail.set(settings.log_tail.to_string());
        refresh.set(settings.refresh_secs.to_string());
        saved.set(Some(session.save_preferences(settings)));
    };
    let (t_min, t_max) = (
        *Preferences::TIMEOUT_RANGE.start(),
        *Preferences::TIMEOUT_RANGE.end(),
    );
    let (l_min, l_max) = (
        *Preferences::LOG_TAIL_RANGE.start(),
        *Preferences::LOG_TAIL_RANGE.end(),
    );
    let (r_min, r_max) = (
        *Preferences::REFRESH_RANGE.start(),
        *Preferences::REFRESH_RANGE.end(),
    );
    view! {
        <section class="page page-narrow">
            <h1>"Settings"</h1>
            <form class="card settings" on:submit=save>
                <label class="check" for="read-only">
                    <input type="checkbox" id="read-only" bind:checked=read_only/>
                    "Read-only mode"
                </label>
                <p class="hint">
                    "Portlight then sends no mutating request at all: start, stop and redeploy are \
                     hidden and refused. Useful with an administrator's token when you only mean to look."
                </p>
                <label for="timeout">"Request timeout (seconds)"</label>
                <input id="timeout" type="number" min=t_min max=t_max bind:value=timeout/>
                <p class="hint">
                    {format!("Reads fail with a clear message after this long ({t_min}–{t_max}). Start, stop and redeploy wait at least 5 minutes: Portainer answers only after deploying.")}
                </p>
                <label for="log-tail-default">"Log lines to fetch"</label>
                <input id="log-tail-default" type="number" min=l_min max=l_max bind:value=log_tail/>
                <label for="refresh-every">"Refresh the stacks every (seconds)"</label>
                <input id="refresh-every" type="number" min=0 max=r_max bind:value=refresh/>
                <p class="hint">
                    {format!("0 is off; otherwise {r_min}–{r_max}. The stack list and a stack's page fetch their data again by themselves, with the same requests as the first load, and wait while the tab is hidden, a dialog is open or you type.")}
                </p>
                <label for="health-checks">"Stack health in the list"</label>
                <select id="health-checks" on:change=move |ev| health.set(event_target_value(&ev))>
                    {HealthChecks::ALL
                        .into_iter()
                        .map(|c| {
                            let label = match c {
                                HealthChecks::Auto => format!("Up to {AUTO_MAX_ENVIRONMENTS} environments"),
                                HealthChecks::Always => "Always".into(),
                                HealthChecks::Never => "Never".into(),
                            };
                            view! {
                                <option value=c.value() selected=move || health.with(|h| h == c.value())>{label}</option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="hint">
                    "The stack list asks each environment for its containers (and a swarm's services and \
                     tasks) to show how many run and how many fail their health check: a few requests \
                     per environment, four environments at a time. \"Never\" sends none of them."
                </p>
                <div class="actions">
                    <button type="submit" class="primary save-settings">"Save"</button>
                    <span role="status" class="save-result">
                        {move || match saved.get() {
                            Some(Ok(())) => "Saved in this browser.".to_string(),
                            Some(Err(e)) => e,
                            None => String::new(),
                        }}
                    </span>
                </div>
            </form>
        </section>
    }
}
