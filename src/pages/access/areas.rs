//! Portainer's areas × allowed / denied / partial, derived without a request; and the explicit
//! "verify" that checks them with one safe GET each, never a mutating request.

use super::mark_view;
use crate::domain::access::{verify_outcome, Agreement, AreaRow};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;

/// What one verifying GET answered.
#[derive(Clone, Debug, PartialEq)]
enum VerifyAnswer {
    Pending,
    /// An HTTP status; 0 when there was no answer (network, timeout).
    Answered {
        status: u16,
        detail: String,
    },
}

/// The probes of the last verification, by area; cleared when the connection changes.
#[derive(Clone, Copy)]
pub struct Verified {
    session: Session,
    probes: RwSignal<BTreeMap<&'static str, VerifyAnswer>>,
}

impl Verified {
    pub fn new(session: Session) -> Self {
        let probes = RwSignal::new(BTreeMap::new());
        Effect::new(move |_| {
            session.epoch.track();
            probes.set(BTreeMap::new());
        });
        Self { session, probes }
    }

    /// Sends every probe at once (each is a separate task, so they run side by side).
    fn run(&self, rows: &[AreaRow]) {
        let session = self.session;
        let epoch = session.epoch_now();
        let Some(client) = session.client_for(epoch) else {
            return;
        };
        let probes = self.probes;
        // Built by insertion: `collect` into a map sorts, compiling a sort for this one type.
        let mut pending = BTreeMap::new();
        pending.extend(rows.iter().map(|r| (r.area.label(), VerifyAnswer::Pending)));
        probes.set(pending);
        for row in rows {
            let (client, area, path) = (client.clone(), row.area, row.probe);
            spawn_local(async move {
                let answer = client.get_status(path).await;
                // A verification of an earlier connection says nothing about this one.
                if session.epoch_now() != epoch {
                    return;
                }
                let probe = match session.checked(epoch, answer) {
                    Ok(status) => VerifyAnswer::Answered {
                        status,
                        detail: String::new(),
                    },
                    Err(e) => VerifyAnswer::Answered {
                        status: e.status().unwrap_or(0),
                        detail: e.to_string(),
                    },
                };
                probes.update(|p| {
                    p.insert(area.label(), probe);
                });
            });
        }
    }
}

#[component]
pub fn AreasCard(rows: Vec<AreaRow>, verified: Verified) -> impl IntoView {
    let probes = verified.probes;
    let running = move || probes.with(|p| p.values().any(|v| *v == VerifyAnswer::Pending));
    let verify = {
        let rows = rows.clone();
        move |_| verified.run(&rows)
    };
    let body = rows
        .into_iter()
        .map(|row| {
            let label = row.area.label();
            let expected = row.expected_status;
            let result = move || probes.with(|p| p.get(label).cloned());
            view! {
                <tr data-area=label>
                    <th scope="row">{label}</th>
                    <td class="area-mark" title=row.reason.clone()>{mark_view(row.mark)}</td>
                    <td class="area-reason">{row.reason.clone()}</td>
                    <td><code>{format!("GET {}", row.probe)}</code></td>
                    <td class="expected">{expected}</td>
                    <td class="actual">{move || actual(result())}</td>
                    <td class="agreement">{move || agreement(expected, result())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="card access-areas">
            <h2>"Areas of Portainer"</h2>
            <p class="hint">
                "Derived from the role and team memberships, without asking Portainer. “Verify” \
                 sends one GET per area (read-only, never a change) and compares the status with \
                 the expected one; a browser console logs each expected 403 as an error."
            </p>
            <div class="toolbar">
                <button class="verify" on:click=verify disabled=running>
                    "Verify with safe GET requests"
                </button>
            </div>
            <div class="table-wrap" role="region" aria-label="Areas" tabindex="0">
                <table class="data areas-grid">
                    <thead>
                        <tr>
                            <th scope="col">"Area"</th>
                            <th scope="col">"Access"</th>
                            <th scope="col">"Reason"</th>
                            <th scope="col">"Checked by"</th>
                            <th scope="col">"Expected"</th>
                            <th scope="col">"Actual"</th>
                            <th scope="col">"Result"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </div>
    }
}

fn actual(probe: Option<VerifyAnswer>) -> AnyView {
    match probe {
        None => view! { <span class="muted">"not verified"</span> }.into_any(),
        Some(VerifyAnswer::Pending) => view! { <span class="muted">"…"</span> }.into_any(),
        Some(VerifyAnswer::Answered { status: 0, detail }) => {
            view! { <span title=detail>"no answer"</span> }.into_any()
        }
        Some(VerifyAnswer::Answered { status, detail }) => {
            view! { <span class="status" title=detail>{status}</span> }.into_any()
        }
    }
}

fn agreement(expected: u16, probe: Option<VerifyAnswer>) -> Option<AnyView> {
    let Some(VerifyAnswer::Answered { status, .. }) = probe else {
        return None;
    };
    let (class, text) = match verify_outcome(expected, status) {
        Agreement::Agrees => ("mark-yes", "✔ agrees"),
        Agreement::Differs => ("mark-no", "✘ differs"),
        Agreement::Inconclusive => ("mark-part", "? inconclusive"),
    };
    Some(view! { <span class=class>{text}</span> }.into_any())
}
