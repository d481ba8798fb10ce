//! The stack list's health: each environment holding compose or swarm stacks is asked for its
//! containers (and a swarm's services and tasks), a few environments at a time, and each
//! answer fills the column as it comes. Asked again with every answer of the stack list (the
//! automatic refresh included); the last counts stay on screen meanwhile. Off by a setting.

use crate::domain::display::counted;
use crate::domain::stack_health::{
    classes, EnvCounts, EnvHealth, HealthClass, Probe, StackHealth, Unanswered,
    AUTO_MAX_ENVIRONMENTS, CONCURRENT_ENVIRONMENTS,
};
use crate::domain::stack_rows::StackRow;
use crate::portainer::paths::STACK_NAMESPACE;
use crate::portainer::{ApiError, Client};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// What the list reads of health.
#[derive(Clone, Copy)]
pub struct HealthChecks {
    /// Environment id → its answer, filled as answers arrive.
    pub envs: RwSignal<BTreeMap<u32, EnvHealth>>,
    /// Whether health is checked (the setting, or the operator asked).
    pub on: Memo<bool>,
    /// The environments that would be asked, for the offer to check when the setting waits.
    wanted: Memo<usize>,
    asked: RwSignal<bool>,
}

impl HealthChecks {
    /// Starts checking with every answer of the list (`answered` changes with each one, see
    /// the page's `updated_at`), while the setting allows.
    pub fn start(rows: Signal<Option<Vec<Probe>>>, answered: Signal<Option<f64>>) -> Self {
        let session = use_session();
        let envs = RwSignal::new(BTreeMap::new());
        let asked = RwSignal::new(false);
        let wanted = Memo::new(move |_| rows.with(|p| p.as_ref().map_or(0, Vec::len)));
        let setting = Memo::new(move |_| session.preferences.with(|p| p.health));
        let on = Memo::new(move |_| asked.get() || setting.get().checks(wanted.get()));
        // Numbers each round: a newer round (or leaving the page) ends the older one.
        let round = Arc::new(AtomicU64::new(0));
        // The environments with a request under way, whatever its round.
        let busy = StoredValue::new(BTreeSet::new());
        let ended = round.clone();
        on_cleanup(move || {
            ended.fetch_add(1, Relaxed);
        });
        Effect::new(move |_| {
            answered.track();
            if !on.get() {
                round.fetch_add(1, Relaxed);
                return;
            }
            if let Some(probes) = rows.get_untracked() {
                ask_all(session, probes, envs, round.clone(), busy);
            }
        });
        Self {
            envs,
            on,
            wanted,
            asked,
        }
    }

    /// Each row's class for the filter, while checking.
    pub fn classes(self, rows: &[StackRow]) -> Option<Vec<Option<HealthClass>>> {
        self.on.get().then(|| self.envs.with(|e| classes(rows, e)))
    }
}

/// One round: every probe, `CONCURRENT_ENVIRONMENTS` at a time. Answers for an older round or
/// connection are dropped.
fn ask_all(
    session: Session,
    probes: Vec<Probe>,
    envs: RwSignal<BTreeMap<u32, EnvHealth>>,
    round: Arc<AtomicU64>,
    busy: StoredValue<BTreeSet<u32>>,
) {
    let this = round.fetch_add(1, Relaxed) + 1;
    let epoch = session.epoch_now();
    let Some(client) = session.client_for(epoch) else {
        return;
    };
    // Each environment keeps its last answer until the new one comes (an environment no
    // longer holding a stack keeps it too: no row reads it). One still answering an older
    // round is not asked again: an unreachable host holds its request for minutes, and
    // refreshes must not pile them up.
    let queue = Rc::new(RefCell::new(probes.into_iter()));
    for _ in 0..CONCURRENT_ENVIRONMENTS {
        let (queue, round, client) = (queue.clone(), round.clone(), client.clone());
        spawn_local(async move {
            loop {
                let next = queue.borrow_mut().next();
                let Some(probe) = next.filter(|_| round.load(Relaxed) == this) else {
                    return;
                };
                let id = probe.endpoint_id;
                if !busy.try_update_value(|b| b.insert(id)).unwrap_or(false) {
                    continue;
                }
                let answer = ask(&client, &probe).await;
                busy.try_update_value(|b| b.remove(&id));
                if round.load(Relaxed) != this || session.epoch_now() != epoch {
                    return;
                }
                let answer = session
                    .checked(epoch, answer)
                    .map_err(|e| Unanswered::from_error(&e));
                envs.try_update(|e| e.insert(probe.endpoint_id, answer));
            }
        });
    }
}

/// One environment's lists, read into counts by stack.
async fn ask(client: &Client, probe: &Probe) -> Result<EnvCounts, ApiError> {
    let id = probe.endpoint_id;
    let containers = client.containers(id, probe.containers_label).await?;
    let (services, tasks) = if probe.swarm {
        let services = client.services(id, STACK_NAMESPACE).await?;
        let tasks = client.running_stack_tasks(id).await?;
        (services.items, tasks.items)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(EnvCounts::read(&containers.items, &services, &tasks))
}

/// The row's cell: "2/3 running" and the unhealthy count, "checking…" until its environment
/// answers, "unknown" with the reason when it did not.
#[component]
pub fn HealthCell(row: StackRow, envs: RwSignal<BTreeMap<u32, EnvHealth>>) -> impl IntoView {
    let swarm = row.kind == crate::portainer::StackType::DockerSwarm;
    let stopped = row.status == crate::portainer::StackStatus::Inactive;
    let health = Memo::new(move |_| envs.with(|e| StackHealth::of(&row, e)));
    move || match health.get() {
        StackHealth::Pending => {
            view! { <span class="sub health-pending">"checking…"</span> }.into_any()
        }
        StackHealth::NotChecked => {
            view! { <span class="sub" title="Not read through Docker">"—"</span> }.into_any()
        }
        StackHealth::Unknown(why) => view! {
            <span class="badge badge-warn health-unknown">"unknown"</span>
            <span class="sub health-why" title=why.whole.clone()>
                {why.brief}<span class="sr-only">{format!(": {}", why.whole)}</span>
            </span>
        }
        .into_any(),
        counted @ StackHealth::Counted(c) => {
            // A stopped stack running nothing is as it should be: not a warning.
            let class = match counted.class() {
                Some(HealthClass::Down) if stopped => "stopped",
                class => class.map_or("", |c| c.url_name()),
            };
            view! {
                <span class=format!("health-count health-{class}")>{counted.running_label(swarm)}</span>
                {(c.unhealthy > 0).then(|| view! {
                    " " <span class="badge badge-bad unhealthy">{format!("{} unhealthy", c.unhealthy)}</span>
                })}
            }
            .into_any()
        }
    }
}

/// Shown when the automatic setting leaves health unchecked (too many environments): the
/// operator may ask once for this page.
#[component]
pub fn HealthOffer(checks: HealthChecks) -> impl IntoView {
    let session = use_session();
    let waiting = move || {
        !checks.on.get()
            && checks.wanted.get() > 0
            && session
                .preferences
                .with(|p| p.health == crate::session::preferences::HealthChecks::Auto)
    };
    move || {
        waiting().then(|| {
            let n = checks.wanted.get();
            view! {
                <p class="msg msg-warn health-offer" role="status">
                    {format!(
                        "Stack health is not checked: the stacks are in {}, more than the {} the setting checks by itself. ",
                        counted(n, "environment", "environments"),
                        AUTO_MAX_ENVIRONMENTS
                    )}
                    <button class="small check-health" on:click=move |_| checks.asked.set(true)>
                        {format!("Check {}", counted(n, "environment", "environments"))}
                    </button>
                </p>
            }
        })
    }
}
