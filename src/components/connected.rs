//! Who the token is, said on Connect and once more on the page Connect leads to.

use crate::portainer::whoami::PROBE_LIMIT;
use crate::session::identity::{display_version, Identity};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// "Connected to Portainer 2.23.0 as admin (administrator)", the instance, and what finding
/// the user took on a Portainer without `/api/users/me`.
#[component]
pub fn ConnectedSummary(identity: Identity) -> impl IntoView {
    let session = use_session();
    let instance = session.current().map(|i| i.name).unwrap_or_default();
    view! {
        <p><strong class="connected-summary">{identity.summary()}</strong></p>
        <p class="muted">
            {format!("Instance “{instance}”, user id {}", identity.user.id)}
            {identity.user.force_change_password.then_some(
                " · Portainer asks this user to change their password.",
            )}
        </p>
        {(identity.probes > 0).then(|| view! {
            <p class="muted probes-note">
                {format!(
                    "Portainer {} has no /api/users/me, so Portlight found this token's user by asking user by user: {} requests, each carrying the token to this Portainer only (never more than {}).",
                    display_version(&identity.status.version),
                    identity.probes,
                    PROBE_LIMIT + 2,
                )}
            </p>
        })}
    }
}

/// Where Connect sent the operator, so the page there can say who they now are: `Pending`
/// until the route changes, then the path it landed on, until the operator leaves it.
#[derive(Clone, Copy)]
pub struct Arrival(RwSignal<Landing>);

#[derive(Clone, Debug, PartialEq)]
enum Landing {
    None,
    Pending,
    On(String),
}

impl Arrival {
    pub fn provide() -> Self {
        let arrival = Arrival(RwSignal::new(Landing::None));
        provide_context(arrival);
        arrival
    }

    /// Called just before Connect navigates away.
    pub fn expect(&self) {
        self.0.set(Landing::Pending);
    }
}

/// The note on the page Connect led to; gone once the operator dismisses it or moves on.
#[component]
pub fn ArrivalNote() -> impl IntoView {
    let Arrival(landing) = expect_context::<Arrival>();
    let session = use_session();
    let location = use_location();
    Effect::new(move |_| {
        let path = location.pathname.get();
        landing.update(|l| match l {
            Landing::Pending => *l = Landing::On(path),
            Landing::On(on) if *on != path => *l = Landing::None,
            _ => {}
        });
    });
    move || {
        let on = matches!(landing.get(), Landing::On(_));
        let identity = session.identity().filter(|_| on)?;
        Some(view! {
            <div class="msg msg-ok arrival" role="status">
                <button
                    class="small dismiss"
                    aria-label="Dismiss"
                    on:click=move |_| landing.set(Landing::None)
                >
                    "×"
                </button>
                <ConnectedSummary identity/>
            </div>
        })
    }
}
