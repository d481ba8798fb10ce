//! The environments the token reaches, why, and the per-environment rights grid.

use super::{mark_cell, mark_view};
use crate::domain::access::{AccessReport, EnvironmentRow, Mark, Right};
use leptos::prelude::*;

#[component]
pub fn EnvironmentsCard(report: AccessReport) -> impl IntoView {
    let count = report.environments.len();
    let body = if count == 0 {
        view! {
            <p class="empty">
                <strong>"This token reaches no environment."</strong>
                "It can still see stacks whose resource control allows it, but cannot manage them."
            </p>
        }
        .into_any()
    } else {
        view! {
            <div class="table-wrap" role="region" aria-label="Environments" tabindex="0">
                <table class="data access-envs">
                    <thead>
                        <tr>
                            <th scope="col">"Environment"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Access through"</th>
                        </tr>
                    </thead>
                    <tbody>{report.environments.iter().map(env_row).collect_view()}</tbody>
                </table>
            </div>
            <RightsGrid rows=report.environments.clone() is_admin=report.who.is_admin/>
        }
        .into_any()
    };
    view! {
        <div class="card access-environments">
            <h2>{format!("Environments ({count})")}</h2>
            <p class="msg msg-info environments-note">{report.environments_note.clone()}</p>
            {body}
        </div>
    }
}

fn env_row(e: &EnvironmentRow) -> impl IntoView {
    let status_class = match e.status {
        "up" => "badge badge-ok",
        "down" => "badge badge-bad",
        _ => "badge badge-warn",
    };
    let status_mark = match e.status {
        "up" => "▲ ",
        "down" => "▼ ",
        _ => "? ",
    };
    let policies = (!e.policies.is_empty())
        .then(|| format!("Policies: {}", e.policies.join(", ")))
        .map(|p| view! { <span class="sub">{p}</span> });
    view! {
        <tr data-env=e.name.clone()>
            <th scope="row">{e.name.clone()}<span class="sub">{format!("#{}", e.id)}</span></th>
            <td>{e.kind.clone()}</td>
            <td><span class=status_class>{status_mark}{e.status}</span></td>
            <td>{e.group.clone()}</td>
            <td class="env-source">{e.source_text.clone()}{policies}</td>
        </tr>
    }
}

/// Environment × right: a real table whose every cell says its mark in a word, with the reason
/// in a tooltip, read by screen readers, and listed below for keyboard and touch users.
#[component]
fn RightsGrid(rows: Vec<EnvironmentRow>, is_admin: bool) -> impl IntoView {
    let head = Right::ALL
        .iter()
        .map(|r| view! { <th scope="col" title=r.portainer_label().0>{r.label()}</th> });
    let body = rows.iter().map(|e| {
        let cells = e
            .rights
            .iter()
            .map(|c| mark_cell(c.mark, c.reason.clone(), c.right.setting()));
        view! {
            <tr data-env=e.name.clone()>
                <th scope="row">{e.name.clone()}</th>
                {cells.collect_view()}
            </tr>
        }
    });
    let legend = if is_admin {
        "Administrators bypass these settings; host management is a switch for them too."
    } else {
        "Each right is an environment security setting for regular users. Hover a mark for its reason, or open the list below the grid."
    };
    view! {
        <h3 id="rights-heading">"Rights per environment"</h3>
        <p class="hint">{legend}</p>
        <div class="table-wrap" role="region" aria-label="Rights per environment" tabindex="0">
            <table class="data rights-grid" aria-labelledby="rights-heading">
                <thead>
                    <tr>
                        <th scope="col">"Environment"</th>
                        {head.collect_view()}
                    </tr>
                </thead>
                <tbody>{body.collect_view()}</tbody>
            </table>
        </div>
        <details class="rights-reasons">
            <summary>"Why each mark that is not “allowed”"</summary>
            <ul>{rows.iter().map(reasons).collect_view()}</ul>
        </details>
    }
}

/// One line per distinct verdict of an environment that is not a plain "allowed", listing the
/// rights it covers (the grid's tooltips, readable without a mouse).
fn reasons(e: &EnvironmentRow) -> impl IntoView {
    let mut lines: Vec<(Mark, &str, Vec<&str>)> = Vec::new();
    for c in e.rights.iter().filter(|c| c.mark != Mark::Allowed) {
        match lines.iter_mut().find(|l| l.0 == c.mark && l.1 == c.reason) {
            Some(line) => line.2.push(c.right.label()),
            None => lines.push((c.mark, &c.reason, vec![c.right.label()])),
        }
    }
    lines
        .into_iter()
        .map(|(mark, reason, rights)| {
            let what = format!("{}, {}: ", e.name, rights.join(", "));
            view! { <li>{what}{mark_view(mark)}{format!(": {reason}")}</li> }
        })
        .collect_view()
}
