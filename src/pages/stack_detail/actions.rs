//! Start, stop and git redeploy: each behind a confirmation naming the stack, environment and
//! Portainer, disabled with Portainer's reason where the token may not act, and absent in
//! read-only mode (no mutating request can be sent from this page then). An action goes only
//! to the connection the page was loaded from.

use super::LoadedStack;
use crate::components::ErrorMessage;
use crate::domain::failures::Asked;
use crate::domain::permissions::{action_gate, environment_label, StackAction};
use crate::portainer::{ApiError, Stack};
use crate::session::directory::use_directory;
use crate::session::{use_session, Session};
use leptos::prelude::*;

/// The last action's result: which action succeeded on which stack, or why it failed.
pub type Outcome = RwSignal<Option<Result<(StackAction, String), (StackAction, ApiError)>>>;

#[component]
pub fn Actions(
    loaded: LoadedStack,
    updated: RwSignal<Option<Stack>>,
    /// Owned by the page: this component is rebuilt with the updated stack.
    outcome: Outcome,
) -> impl IntoView {
    let session = use_session();
    let asking = RwSignal::new(None::<StackAction>);
    let run = stack_action(session, &loaded, updated, outcome);
    view! {
        <Show
            when=move || !session.read_only()
            fallback=|| view! {
                <p class="muted read-only-note">"Read-only mode: actions are hidden and Portlight sends no changes (Settings)."</p>
            }
        >
            <ActionButtons loaded=loaded.clone() asking pending=run.pending()/>
            {move || run.pending().get().then(|| view! {
                <p class="loading" role="status">"Waiting for Portainer to finish…"</p>
            })}
            <ActionOutcome outcome/>
            <ConfirmAction loaded=loaded.clone() asking run outcome/>
        </Show>
    }
}

/// Sends the confirmed action through the page's own connection and publishes the result.
fn stack_action(
    session: Session,
    loaded: &LoadedStack,
    updated: RwSignal<Option<Stack>>,
    outcome: Outcome,
) -> Run {
    let (stack, epoch) = (loaded.stack.clone(), loaded.epoch);
    let run = Action::new_local(move |action: &StackAction| {
        let (action, stack) = (*action, stack.clone());
        // The stack on screen came from this connection: never another Portainer's client.
        let client = session.client_for(epoch);
        async move {
            let client = client.ok_or((action, ApiError::NotConnected))?;
            // The guard of last resort: read-only mode never sends a mutating request.
            if session.read_only() {
                return Err((
                    action,
                    ApiError::BadRequest {
                        message: "read-only mode is on: Portlight sends no changes".into(),
                    },
                ));
            }
            let result = match action {
                StackAction::Start => client.start_stack(stack.id, stack.endpoint_id).await,
                StackAction::Stop => client.stop_stack(stack.id, stack.endpoint_id).await,
                StackAction::Redeploy => client.redeploy_git_stack(&stack, true).await,
            };
            session
                .checked(epoch, result)
                .map(|mut new| {
                    // Action answers carry no ResourceControl; the stack's did not change.
                    if new.resource_control.is_none() {
                        new.resource_control = stack.resource_control.clone();
                    }
                    (action, new)
                })
                .map_err(|e| (action, e))
        }
    });
    Effect::new(move |_| match run.value().get() {
        // An answer that arrives after a switch belongs to the old page.
        _ if session.epoch_now() != epoch => {}
        Some(Ok((action, new))) => {
            outcome.set(Some(Ok((action, new.name.clone()))));
            updated.set(Some(new));
        }
        Some(Err(e)) => outcome.set(Some(Err(e))),
        None => {}
    });
    run
}

type Run = Action<StackAction, Result<(StackAction, Stack), (StackAction, ApiError)>>;

/// One button per action the stack offers, disabled with Portainer's reason where the token
/// may not act.
#[component]
fn ActionButtons(
    loaded: LoadedStack,
    asking: RwSignal<Option<StackAction>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let directory = use_directory();
    move || {
        let viewer = directory.get().and_then(|d| d.viewer)?;
        let buttons = StackAction::ALL
            .into_iter()
            .filter(|a| *a != StackAction::Redeploy || loaded.stack.git_config.is_some())
            .map(|action| {
                let gate = action_gate(
                    &viewer,
                    &loaded.stack,
                    loaded.env.as_ref(),
                    loaded.env_accessible,
                    action,
                );
                let reason = gate.as_ref().err().map(|b| b.reason());
                let class = match action {
                    StackAction::Stop => "danger",
                    _ => "primary",
                };
                view! {
                    <button
                        class=format!("{class} action-{}", action_name(action))
                        disabled=move || gate.is_err() || pending.get()
                        title=reason.clone().unwrap_or_default()
                        on:click=move |_| asking.set(Some(action))
                    >
                        {action.label()}
                    </button>
                    {reason.map(|r| view! { <span class="muted blocked-reason">{r}</span> })}
                }
            })
            .collect_view();
        Some(view! { <div class="actions stack-actions">{buttons}</div> })
    }
}

#[component]
fn ActionOutcome(outcome: Outcome) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok((action, name))) => view! {
            <p class="msg msg-ok action-result" role="status">
                "Stack “" <bdi>{name}</bdi> "” " {done(action)}
            </p>
        }
        .into_any(),
        Some(Err((action, error))) => {
            let asked = Asked::Action(action);
            view! { <ErrorMessage doing=format!("{} the stack", action.label()) error asked/> }
                .into_any()
        }
        None => ().into_any(),
    }
}

/// "Stop stack “web” on local (Portainer “prod”)?": names isolated so that no right-to-left
/// mark in a name can make it read as another stack.
#[component]
fn ConfirmAction(
    loaded: LoadedStack,
    asking: RwSignal<Option<StackAction>>,
    run: Run,
    outcome: Outcome,
) -> impl IntoView {
    let session = use_session();
    let env_label = environment_label(loaded.env.as_ref(), loaded.stack.endpoint_id);
    let stack_name = loaded.stack.name.clone();
    move || {
        let action = asking.get()?;
        let instance = session.current().map(|i| i.name).unwrap_or_default();
        Some(view! {
            <div class="overlay">
                <div class="card confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">
                    <h2 id="confirm-title">
                        {action.label()} " stack “" <bdi>{stack_name.clone()}</bdi> "” on "
                        <bdi>{env_label.clone()}</bdi> " (Portainer “" <bdi>{instance}</bdi> "”)?"
                    </h2>
                    <p>{consequence(action)}</p>
                    <div class="actions">
                        <button
                            class="primary confirm-yes"
                            on:click=move |_| {
                                asking.set(None);
                                outcome.set(None);
                                run.dispatch(action);
                            }
                        >
                            {action.label()}
                        </button>
                        <button class="confirm-no" on:click=move |_| asking.set(None)>"Cancel"</button>
                    </div>
                </div>
            </div>
        })
    }
}

fn consequence(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "Portainer deploys the stack's services again.",
        StackAction::Stop => "Portainer stops and removes the stack's containers; volumes are kept.",
        StackAction::Redeploy => "Portainer pulls the stack's git reference and the latest images, then redeploys with the current environment variables.",
    }
}

fn action_name(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "start",
        StackAction::Stop => "stop",
        StackAction::Redeploy => "redeploy",
    }
}

fn done(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "started.",
        StackAction::Stop => "stopped.",
        StackAction::Redeploy => "redeployed from git.",
    }
}
