//! Small status marks. Each says its state in words, so colour is never the only signal.

use crate::domain::display::{has_direction_controls, reveal_direction_controls};
use crate::domain::labels::environment_status_label;
use crate::domain::stack_rows::EnvInfo;
use crate::portainer::{EndpointStatus, StackStatus};
use leptos::prelude::*;

#[component]
pub fn StackStatusBadge(status: StackStatus) -> impl IntoView {
    let (class, text) = match status {
        StackStatus::Active => ("badge badge-ok", "● active".to_string()),
        StackStatus::Inactive => ("badge", "○ inactive".to_string()),
        StackStatus::Unknown(n) => ("badge badge-warn", format!("? status {n}")),
    };
    view! { <span class=class>{text}</span> }
}

#[component]
pub fn EnvStatusBadge(status: EndpointStatus) -> impl IntoView {
    let class = match status {
        EndpointStatus::Up => "badge badge-ok",
        EndpointStatus::Down => "badge badge-bad",
        EndpointStatus::Unknown(_) => "badge badge-warn",
    };
    let mark = match status {
        EndpointStatus::Up => "▲ ",
        EndpointStatus::Down => "▼ ",
        EndpointStatus::Unknown(_) => "? ",
    };
    view! { <span class=class>{mark}{environment_status_label(status)}</span> }
}

/// "orphaned" or "not accessible" for a stack whose environment the token cannot name.
#[component]
pub fn EnvProblemBadge(env: EnvInfo) -> impl IntoView {
    match env {
        EnvInfo::Known { .. } => None,
        EnvInfo::NotAccessible => Some(view! {
            <span class="badge badge-warn" title=EnvInfo::NOT_ACCESSIBLE_NOTE>"not accessible"</span>
        }),
        EnvInfo::Orphaned => Some(view! {
            <span class="badge badge-bad" title=EnvInfo::ORPHANED_NOTE>"orphaned"</span>
        }),
    }
}

/// A name as Portainer holds it, isolated from the text around it, with a warning when it holds
/// Unicode direction controls (it may not read as what it is).
#[component]
pub fn Name(#[prop(into)] name: String) -> impl IntoView {
    let warning = has_direction_controls(&name).then(|| {
        let revealed = reveal_direction_controls(&name);
        view! {
            <span class="badge badge-warn direction-controls" title=revealed>
                "⚠ direction controls"
            </span>
        }
    });
    view! { <bdi>{name}</bdi>{warning} }
}
