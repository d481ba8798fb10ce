//! `/access`: what this token is, what it can see and do, and why. Portainer has no such view:
//! its tokens have no scope and no expiry. The facts are one [`AccessReport`] built by
//! `domain::access` from what `load` fetched; the page and its Markdown/JSON exports render that
//! same value, and it holds only the token's 7-character prefix.

mod areas;
pub(crate) mod environments;
mod export;
mod load;
pub(crate) mod stacks;
pub(crate) mod who;

use crate::components::{ErrorMessage, Loading};
use crate::domain::access::{AccessReport, Mark};
use crate::routes::Page;
use crate::session::{use_session, Connection};
use leptos::prelude::*;
use leptos_router::components::A;

/// Needs a token (see the route table).
#[component]
pub fn AccessPage() -> impl IntoView {
    let session = use_session();
    let sources = load::Sources::new(session);
    let report = Memo::new(move |_| sources.report());
    // Kept across reloads of the report: a verification is the operator's explicit act.
    let verified = areas::Verified::new(session);
    let refresh = move |_| sources.refetch();
    view! {
        <section class="page access">
            <div class="page-head">
                <h1>"Token access"</h1>
                <span class="sub">"What this token can see and do in Portainer, and why"</span>
                <button class="small refresh" on:click=refresh title="Fetch everything again">
                    "↻ Refresh"
                </button>
            </div>
            {move || match (session.connection.get(), report.get()) {
                (Connection::Failed(error), _) => {
                    view! { <ErrorMessage doing="Finding the token's user" error/> }.into_any()
                }
                (_, None) => view! { <Loading what="Reading what this token can see…"/> }.into_any(),
                (_, Some(report)) => view! { <Report report verified/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Report(report: AccessReport, verified: areas::Verified) -> impl IntoView {
    let notes = (!report.notes.is_empty()).then(|| {
        let items = report.notes.iter().map(|n| view! { <li>{n.clone()}</li> });
        view! {
            <div class="msg msg-info access-notes">
                <strong>"Notes"</strong>
                <ul>{items.collect_view()}</ul>
            </div>
        }
    });
    // Administrators and team leaders may also see everyone else's access.
    let everyone = (report.who.is_admin || report.who.teams.iter().any(|t| t.leader)).then(|| {
        view! {
            <p class="everyone-link">
                <A href=Page::Everyone.href()>"Everyone's access: who reaches what, and why →"</A>
            </p>
        }
    });
    view! {
        {everyone}
        <export::Exports report=report.clone()/>
        <div class="grid-2">
            <who::WhoCard who=report.who.clone()/>
            <who::TokenCard token=report.token.clone() username=report.who.username.clone()/>
        </div>
        <environments::EnvironmentsCard report=report.clone()/>
        <stacks::StacksCard report=report.clone()/>
        <areas::AreasCard rows=report.areas.clone() verified/>
        {notes}
    }
}

/// Colour for a mark; the symbol and the word carry the meaning without it.
fn mark_class(mark: Mark) -> &'static str {
    match mark {
        Mark::Allowed => "mark mark-yes",
        Mark::Denied => "mark mark-no",
        Mark::Partial => "mark mark-part",
        Mark::NotApplicable => "mark muted",
    }
}

/// "✔ allowed": screen readers get the word, not the symbol's name.
fn mark_view(mark: Mark) -> impl IntoView {
    view! {
        <span class=mark_class(mark)>
            <span aria-hidden="true">{mark.symbol()}</span>
            " "
            {mark.word()}
        </span>
    }
}

/// A grid cell: the mark, its reason on hover and read out after it by screen readers.
fn mark_cell(mark: Mark, reason: String, key: &'static str) -> impl IntoView {
    let spoken = format!(": {reason}");
    view! {
        <td class="mark-cell" title=reason data-key=key>
            {mark_view(mark)}
            <span class="sr-only">{spoken}</span>
        </td>
    }
}
