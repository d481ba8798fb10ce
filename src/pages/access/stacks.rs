//! The stacks the token sees, per environment: why each is visible and whether it may be
//! started or stopped.

use super::mark_view;
use crate::domain::access::{AccessReport, Gate, Mark, StackAccessRow, StackGroup};
use crate::domain::display::counted;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn StacksCard(report: AccessReport) -> impl IntoView {
    let envs = report.stacks.iter().filter(|g| g.count > 0).count();
    let summary = format!(
        "{} visible in {}. Visibility comes from each stack's resource control; starting or \
         stopping one also needs access to its environment.",
        counted(report.stack_count, "stack", "stacks"),
        counted(envs, "environment", "environments"),
    );
    // One table, a row group per environment, so the columns line up across environments.
    let table = (!report.stacks.is_empty()).then(|| {
        view! {
            <div class="table-wrap" role="region" aria-label="Stacks and their gates" tabindex="0">
                <table class="data stacks-grid">
                    <thead>
                        <tr>
                            <th scope="col">"Stack"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Why visible"</th>
                            <th scope="col">"Start"</th>
                            <th scope="col">"Stop"</th>
                        </tr>
                    </thead>
                    {report.stacks.iter().map(group).collect_view()}
                </table>
            </div>
        }
    });
    view! {
        <div class="card access-stacks">
            <h2>{format!("Stacks ({} visible)", report.stack_count)}</h2>
            <p class="hint stacks-summary">{summary}</p>
            {table}
        </div>
    }
}

fn group(g: &StackGroup) -> impl IntoView {
    let heading = g.heading();
    let note = g.note.clone().or_else(|| {
        g.stacks
            .is_empty()
            .then(|| "No stack of this environment is visible to this token.".to_owned())
    });
    view! {
        <tbody class="stack-group" data-env-id=g.environment_id>
            <tr class="group-head">
                <th scope="rowgroup" colspan="6">
                    {heading}
                    {note.map(|n| view! { <span class="sub group-note">{n}</span> })}
                </th>
            </tr>
            {g.stacks.iter().map(row).collect_view()}
        </tbody>
    }
}

fn row(s: &StackAccessRow) -> impl IntoView {
    let name = s.name.clone();
    view! {
        <tr data-stack=s.name.clone()>
            <th scope="row"><A href=Page::Stack(s.id).href()>{name.clone()}</A></th>
            <td>{s.kind}</td>
            <td>{s.status}</td>
            <td class="why-visible">{s.visibility_text.clone()}</td>
            <td class="gate-start">{gate(&s.start)}</td>
            <td class="gate-stop">{gate(&s.stop)}</td>
        </tr>
    }
}

/// "✔ allowed" with any caveat, or "✘ denied" and Portainer's reason.
fn gate(g: &Gate) -> impl IntoView {
    let mark = if g.allowed {
        Mark::Allowed
    } else {
        Mark::Denied
    };
    let detail = match g.reason.strip_prefix("allowed") {
        Some(rest) if g.allowed => rest.trim_start_matches([',', ' ']).to_owned(),
        _ => g.reason.clone(),
    };
    view! {
        {mark_view(mark)}
        {(!detail.is_empty()).then(|| view! { <span class="sub">{detail}</span> })}
    }
}
