//! Start, stop and git redeploy: each behind a confirmation naming the stack, environment and
//! Portainer, disabled with Portainer's reason where the token may not act, and absent in
//! read-only mode (no mutating request can be sent from this page then). An action goes only
//! to the connection the page was loaded from.

use super::LoadedStack;
use crate::components::deploy_options::DeployOptions;
use crate::components::ErrorMessage;
use crate::domain::failures::Asked;
use crate::domain::git::commit_change as describe_commit_change;
use crate::domain::permissions::{action_gate, environment_label, shared_reasons, StackAction};
use crate::portainer::{ApiError, RedeployOptions, Stack, StackType};
use crate::routes::Page;
use crate::session::directory::use_directory;
use crate::session::{drafts, use_session, Session};
use leptos::prelude::*;

/// The last action's result: which action succeeded on which stack (and what changed), or
/// why it failed.
pub type Outcome = RwSignal<Option<Result<Done, (StackAction, ApiError)>>>;

/// An update sent from the edit page, said once by the stack page it leads to.
#[derive(Clone, Copy)]
pub struct JustUpdated(pub RwSignal<Option<(u32, Done)>>);

impl JustUpdated {
    pub fn provide() {
        provide_context(JustUpdated(RwSignal::new(None)));
    }

    /// The update of stack `id`, taken so that it is said once.
    pub fn take_for(id: Option<u32>) -> Option<Done> {
        let flash = use_context::<JustUpdated>()?;
        let (stack, done) = flash.0.try_update(Option::take).flatten()?;
        (Some(stack) == id).then_some(done)
    }
}

/// A successful action, as the page says it.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub action: StackAction,
    pub name: String,
    /// "Now at commit 1a2b3c4d5e6f (was 0f9e8d7c6b5a)." after a redeploy.
    pub detail: Option<String>,
}

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
    let run = Action::new_local(move |&(action, options): &(StackAction, RedeployOptions)| {
        let stack = stack.clone();
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
                StackAction::Redeploy => client.redeploy_git_stack(&stack, options).await,
                // Reviewed and sent by the edit page, never from a button here.
                StackAction::Update => return Err((action, ApiError::NotConnected)),
            };
            session
                .checked(epoch, result)
                .map(|mut new| {
                    // Action answers carry no ResourceControl; the stack's did not change.
                    if new.resource_control.is_none() {
                        new.resource_control = stack.resource_control.clone();
                    }
                    let detail = (action == StackAction::Redeploy)
                        .then(|| commit_change(&stack, &new))
                        .flatten();
                    (action, new, detail)
                })
                .map_err(|e| (action, e))
        }
    });
    Effect::new(move |_| match run.value().get() {
        // An answer that arrives after a switch belongs to the old page.
        _ if session.epoch_now() != epoch => {}
        Some(Ok((action, new, detail))) => {
            outcome.set(Some(Ok(Done {
                action,
                name: new.name.clone(),
                detail,
            })));
            updated.set(Some(new));
        }
        Some(Err(e)) => outcome.set(Some(Err(e))),
        None => {}
    });
    run
}

/// The deployed commit before and after a redeploy, in words.
fn commit_change(before: &Stack, after: &Stack) -> Option<String> {
    let hash = |s: &Stack| {
        s.git_config
            .as_ref()
            .map(|g| g.config_hash.clone())
            .unwrap_or_default()
    };
    describe_commit_change(&hash(before), &hash(after))
}

type Run = Action<
    (StackAction, RedeployOptions),
    Result<(StackAction, Stack, Option<String>), (StackAction, ApiError)>,
>;

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
        let gates: Vec<_> = StackAction::ALL
            .into_iter()
            .filter(|a| *a != StackAction::Redeploy || loaded.stack.git_config.is_some())
            .chain([StackAction::Update])
            .map(|action| {
                let gate = action_gate(
                    &viewer,
                    &loaded.stack,
                    loaded.env.as_ref(),
                    loaded.env_accessible,
                    action,
                );
                (action, gate.err().map(|b| b.reason()))
            })
            .collect();
        let reasons = shared_reasons(&gates);
        let buttons = gates
            .into_iter()
            .map(|(action, reason)| {
                let class = match action {
                    StackAction::Stop => "danger",
                    _ => "primary",
                };
                let blocked = reason.is_some();
                if action == StackAction::Update && !blocked {
                    let href = Page::StackEdit(loaded.stack.id).href();
                    // An unsent edit kept on this device is picked up where it was left.
                    let draft = use_session()
                        .current()
                        .is_some_and(|i| drafts::load(&i, loaded.stack.id).is_some());
                    let label = if draft {
                        "Continue the edit"
                    } else {
                        action.label()
                    };
                    return view! { <a class="button action-edit" href=href>{label}</a> }
                        .into_any();
                }
                view! {
                    <button
                        class=format!("{class} action-{}", action_name(action))
                        disabled=move || blocked || pending.get()
                        title=reason.unwrap_or_default()
                        on:click=move |_| asking.set(Some(action))
                    >
                        {action.label()}
                    </button>
                }
                .into_any()
            })
            .collect_view();
        let reasons = reasons
            .into_iter()
            .map(|(actions, reason)| {
                view! {
                    <p class="muted blocked-reason"><strong>{actions}": "</strong>{reason}</p>
                }
            })
            .collect_view();
        Some(view! {
            <div class="actions stack-actions">{buttons}</div>
            {reasons}
        })
    }
}

#[component]
fn ActionOutcome(outcome: Outcome) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(Done {
            action,
            name,
            detail,
        })) => view! {
            <p class="msg msg-ok action-result" role="status">
                "Stack “" <bdi>{name}</bdi> "” " {done(action)}
                {detail.map(|d| view! { " " <span class="commit-change">{d}</span> })}
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
/// mark in a name can make it read as another stack. A modal `<dialog>`: it takes the focus
/// (Cancel first, as the safe answer), keeps it inside, and `Esc` cancels.
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
    let swarm = loaded.stack.kind == StackType::DockerSwarm;
    let defaults = RedeployOptions::for_stack(&loaded.stack);
    move || {
        let action = asking.get()?;
        let instance = session.current().map(|i| i.name).unwrap_or_default();
        let pull = RwSignal::new(defaults.pull_image);
        let prune = RwSignal::new(defaults.prune);
        let dialog = NodeRef::<leptos::html::Dialog>::new();
        dialog.on_load(|d| {
            let _ = d.show_modal();
        });
        let options = (action == StackAction::Redeploy).then(|| {
            view! {
                <fieldset class="redeploy-options">
                    <legend>"Options"</legend>
                    <DeployOptions pull prune swarm/>
                </fieldset>
            }
        });
        Some(view! {
            <dialog
                node_ref=dialog
                class="card confirm"
                role="alertdialog"
                aria-labelledby="confirm-title"
                // Esc closes a modal dialog; so does any way out: all of them cancel.
                on:close=move |_| asking.set(None)
            >
                <h2 id="confirm-title">
                    {action.label()} " stack “" <bdi>{stack_name.clone()}</bdi> "” on "
                    <bdi>{env_label.clone()}</bdi> " (Portainer “" <bdi>{instance}</bdi> "”)?"
                </h2>
                <p>{consequence(action)}</p>
                {options}
                <div class="actions">
                    <button class="confirm-no" autofocus on:click=move |_| asking.set(None)>
                        "Cancel"
                    </button>
                    <button
                        class="primary confirm-yes"
                        on:click=move |_| {
                            let options = RedeployOptions {
                                pull_image: pull.get_untracked(),
                                prune: prune.get_untracked(),
                            };
                            asking.set(None);
                            outcome.set(None);
                            run.dispatch((action, options));
                        }
                    >
                        {action.label()}
                    </button>
                </div>
            </dialog>
        })
    }
}

fn consequence(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "Portainer deploys the stack's services again.",
        StackAction::Stop => "Portainer stops and removes the stack's containers; volumes are kept.",
        StackAction::Redeploy => "Portainer pulls the stack's git reference, then redeploys it with its current environment variables.",
        StackAction::Update => "Portainer deploys the stack with the new file and variables.",
    }
}

fn action_name(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "start",
        StackAction::Stop => "stop",
        StackAction::Redeploy => "redeploy",
        StackAction::Update => "edit",
    }
}

fn done(action: StackAction) -> &'static str {
    match action {
        StackAction::Start => "started.",
        StackAction::Stop => "stopped.",
        StackAction::Redeploy => "redeployed from git.",
        StackAction::Update => "updated.",
    }
}
