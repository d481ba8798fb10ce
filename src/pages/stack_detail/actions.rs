//! Start, stop and git redeploy: each behind a confirmation naming the stack and environment,
//! disabled with Portainer's reason where the token may not act, and absent in read-only mode
//! (no mutating request can be sent from this page then).

use super::LoadedStack;
use crate::components::ErrorMessage;
use crate::domain::permissions::{action_gate, environment_label, StackAction};
use crate::portainer::{ApiError, Stack};
use crate::session::directory::use_directory;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn Actions(
    loaded: LoadedStack,
    updated: RwSignal<Option<Stack>>,
    /// Owned by the page: this component is rebuilt with the updated stack.
    outcome: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let session = use_session();
    let directory = use_directory();
    let asking = RwSignal::new(None::<StackAction>);
    let stack = loaded.stack.clone();
    let run = Action::new_local(move |action: &StackAction| {
        let action = *action;
        let stack = stack.clone();
        let client = session.client();
        async move {
            let client = client.ok_or(ApiError::NotConnected)?;
            // The guard of last resort: read-only mode never sends a mutating request.
            if session.read_only() {
                return Err(ApiError::BadRequest {
                    message: "read-only mode is on: Portlight sends no changes".into(),
                });
            }
            let result = match action {
                StackAction::Start => client.start_stack(stack.id, stack.endpoint_id).await,
                StackAction::Stop => client.stop_stack(stack.id, stack.endpoint_id).await,
                StackAction::Redeploy => client.redeploy_git_stack(&stack, true).await,
            };
            session.checked(result).map(|mut new| {
                // Action answers carry no ResourceControl; the stack's did not change.
                if new.resource_control.is_none() {
                    new.resource_control = stack.resource_control.clone();
                }
                (action, new)
            })
        }
    });
    Effect::new(move |_| match run.value().get() {
        Some(Ok((action, new))) => {
            outcome.set(Some(Ok(done_message(action, &new))));
            updated.set(Some(new));
        }
        Some(Err(e)) => outcome.set(Some(Err(e))),
        None => {}
    });

    let env_label = environment_label(loaded.env.as_ref(), loaded.stack.endpoint_id);
    let stack_name = loaded.stack.name.clone();
    let buttons = {
        let loaded = loaded.clone();
        move || {
            let viewer = directory.get().and_then(|d| d.viewer)?;
            let list = StackAction::ALL
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
                            disabled=gate.is_err() || run.pending().get()
                            title=reason.clone().unwrap_or_default()
                            on:click=move |_| asking.set(Some(action))
                        >
                            {action.label()}
                        </button>
                        {reason.map(|r| view! { <span class="muted blocked-reason">{r}</span> })}
                    }
                })
                .collect_view();
            Some(list)
        }
    };
    let confirm = {
        let env_label = env_label.clone();
        move || {
            asking.get().map(|action| {
                let question = format!(
                    "{} stack “{}” on {}?",
                    action.label(),
                    stack_name,
                    env_label
                );
                let consequence = match action {
                    StackAction::Start => "Portainer deploys the stack's services again.",
                    StackAction::Stop => "Portainer stops and removes the stack's containers; volumes are kept.",
                    StackAction::Redeploy => "Portainer pulls the stack's git reference and the latest images, then redeploys with the current environment variables.",
                };
                view! {
                    <div class="overlay">
                        <div class="card confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">
                            <h2 id="confirm-title">{question}</h2>
                            <p>{consequence}</p>
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
                }
            })
        }
    };
    view! {
        <Show
            when=move || !session.read_only()
            fallback=|| view! {
                <p class="muted read-only-note">"Read-only mode: actions are hidden and Portlight sends no changes (Settings)."</p>
            }
        >
            <div class="actions stack-actions">{buttons.clone()}</div>
            {move || run.pending().get().then(|| view! {
                <p class="loading" role="status">"Waiting for Portainer to finish…"</p>
            })}
            {move || match outcome.get() {
                Some(Ok(message)) => view! { <p class="msg msg-ok action-result" role="status">{message}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorMessage doing="The action" error/> }.into_any(),
                None => ().into_any(),
            }}
            {confirm.clone()}
        </Show>
    }
}

fn action_name(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "start",
        StackAction::Stop => "stop",
        StackAction::Redeploy => "redeploy",
    }
}

fn done_message(action: StackAction, stack: &Stack) -> String {
    match action {
        StackAction::Start => format!("Stack “{}” started.", stack.name),
        StackAction::Stop => format!("Stack “{}” stopped.", stack.name),
        StackAction::Redeploy => format!("Stack “{}” redeployed from git.", stack.name),
    }
}
