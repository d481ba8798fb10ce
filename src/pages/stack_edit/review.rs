//! Review before update: what changes against what is deployed, the options Portainer offers
//! for the stack's type, and a confirmation naming the stack, environment and instance. On
//! confirmation Portainer's copy is read again; a change made since the edit began stops the
//! update and is shown instead.

use super::changes::{reference_change, EnvDiff, FileDiff};
use super::{read_deployed, Editing, Stage};
use crate::components::deploy_options::DeployOptions;
use crate::components::ErrorMessage;
use crate::domain::draft::{changed_since, without_blank_rows, Deployed, Draft};
use crate::domain::edit::dotenv::env_problems;
use crate::domain::edit::yaml::check_yaml;
use crate::domain::failures::Asked;
use crate::domain::permissions::{environment_label, StackAction};
use crate::pages::stack_detail::{Done, JustUpdated, Tab};
use crate::portainer::{ApiError, Stack, StackEdit, StackType};
use crate::session::{drafts, use_session, Instance};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// What the confirmed update came to.
enum Sent {
    Updated(Box<Stack>),
    /// Portainer's copy, changed since the edit began.
    Conflict(Deployed),
}

#[component]
pub fn Review(
    editing: Editing,
    instance: Instance,
    draft: RwSignal<Draft>,
    stage: RwSignal<Stage>,
) -> impl IntoView {
    let session = use_session();
    let instance_name = instance.name.clone();
    let stack = editing.stack.clone();
    let d = draft.get_untracked();
    let git = stack.git_config.is_some();
    let swarm = stack.kind == StackType::DockerSwarm;
    let docker = stack.kind != StackType::Kubernetes;
    let revealed = RwSignal::new(false);
    let pull = RwSignal::new(false);
    // A git stack: deploy now, or only save the reference and variables.
    let redeploy = RwSignal::new(true);
    let prune = RwSignal::new(stack.option.as_ref().is_some_and(|o| o.prune));
    let asking = RwSignal::new(false);

    // What stops an update before it is sent.
    let mut problems: Vec<String> = env_problems(&without_blank_rows(&d.env));
    if !git {
        if let Some(p) = check_yaml(&d.file) {
            problems.insert(
                0,
                format!("The compose file: {} (column {}).", p.message, p.column),
            );
        }
    } else if d.reference.trim().is_empty() {
        problems.insert(0, "The git reference is empty.".into());
    }
    let unchanged = d.is_unchanged();
    let blocked = unchanged || !problems.is_empty();

    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let just_updated = use_context::<JustUpdated>();
    // What the answer leads to, unless the page is gone or belongs to an earlier connection.
    let (epoch, id) = (editing.epoch, editing.stack.id);
    let settle = StoredValue::new_local(move |sent: Result<Sent, ApiError>| {
        if pending.try_set(false).is_some() || session.epoch_now() != epoch {
            return;
        }
        match sent {
            Ok(Sent::Conflict(theirs)) => stage.set(Stage::Conflict(theirs)),
            Ok(Sent::Updated(new)) => {
                drafts::discard(&instance, new.id);
                let detail = (git && !redeploy.get_untracked()).then(|| {
                    "Saved without a redeploy: the next redeploy or auto-update deploys it."
                        .to_string()
                });
                if let Some(flash) = just_updated {
                    let done = Done {
                        action: StackAction::Update,
                        name: new.name.clone(),
                        detail,
                    };
                    flash.0.set(Some((new.id, done)));
                }
                navigate(&Tab::Compose.href(new.id), Default::default());
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    // Reads Portainer's copy again, then sends the edit only if nobody changed it.
    let send_edit = move |edit: StackEdit| {
        let base = draft.get_untracked().base;
        let client = session.client_for(epoch);
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let sent = async {
                let client = client.ok_or(ApiError::NotConnected)?;
                // The guard of last resort: read-only mode never sends a mutating request.
                if session.read_only() {
                    return Err(ApiError::BadRequest {
                        message: "read-only mode is on: Portlight sends no changes".into(),
                    });
                }
                let (now, theirs) = read_deployed(&client, id).await?;
                if changed_since(&base, &theirs).is_some() {
                    return Ok(Sent::Conflict(theirs));
                }
                client
                    .update_stack(&now, &edit)
                    .await
                    .map(|s| Sent::Updated(Box::new(s)))
            };
            let sent = sent.await;
            // Gone with the page: nothing to settle.
            settle.try_with_value(|settle| settle(sent));
        });
    };

    let before = d.base.clone();
    let file_diff = (!git).then(|| view! { <FileDiff before=before.file.clone() after=d.file.clone() label="Compose file"/> });
    let reference = git
        .then(|| reference_change(&before.reference, &d.reference))
        .flatten();
    let env_diff = docker.then(|| view! { <EnvDiff before=before.env.clone() after=d.env.clone() revealed=revealed.into()/> });
    let env_label = environment_label(editing.env.as_ref(), stack.endpoint_id);

    let stack_name = stack.name.clone();
    let send = move |_| {
        asking.set(false);
        failure.set(None);
        let d = draft.get_untracked();
        send_edit(d.to_edit(
            pull.get_untracked(),
            prune.get_untracked(),
            redeploy.get_untracked(),
        ));
    };
    view! {
        <div class="card review-card">
            <div class="toolbar">
                <h2>"Review the changes"</h2>
                <span class="grow"></span>
                {docker.then(|| view! {
                    <button class="small reveal-values" on:click=move |_| revealed.update(|r| *r = !*r)>
                        {move || if revealed.get() { "Hide values" } else { "Reveal values" }}
                    </button>
                })}
            </div>
            {reference.map(|r| view! { <p class="reference-change">{r}</p> })}
            {file_diff}
            {env_diff}
            {unchanged.then(|| view! { <p class="msg msg-info nothing-changed">"Nothing changed: there is nothing to update."</p> })}
            <ul class="review-problems">
                {problems.into_iter().map(|p| view! { <li class="msg msg-error">{p}</li> }).collect_view()}
            </ul>
            {docker.then(|| view! {
                <fieldset class="update-options">
                    <legend>"Options"</legend>
                    {git.then(|| view! {
                        <label>
                            <input type="checkbox" class="redeploy-now" prop:checked=redeploy
                                on:change=move |ev| redeploy.set(event_target_checked(&ev))/>
                            " Redeploy now: clone the reference and deploy it (otherwise only saved, for the next redeploy or auto-update)"
                        </label>
                    })}
                    <DeployOptions pull prune swarm/>
                </fieldset>
            })}
            <div class="actions">
                <button class="back-to-edit" on:click=move |_| stage.set(Stage::Editing)>"Back to editing"</button>
                <button
                    class="primary update-stack"
                    disabled=move || blocked || pending.get()
                    on:click=move |_| asking.set(true)
                >
                    "Update the stack…"
                </button>
            </div>
            {move || pending.get().then(|| view! {
                <p class="loading" role="status">"Checking Portainer's copy, then updating…"</p>
            })}
            {move || failure.get().map(|error| view! {
                <ErrorMessage doing="Updating the stack" error asked=Asked::Action(StackAction::Update)/>
            })}
            {move || asking.get().then(|| {
                let dialog = NodeRef::<leptos::html::Dialog>::new();
                dialog.on_load(|d| {
                    let _ = d.show_modal();
                });
                view! {
                    <dialog node_ref=dialog class="card confirm" role="alertdialog" aria-labelledby="confirm-title"
                        on:close=move |_| asking.set(false)>
                        <h2 id="confirm-title">
                            "Update stack “" <bdi>{stack_name.clone()}</bdi> "” on " <bdi>{env_label.clone()}</bdi>
                            " (Portainer “" <bdi>{instance_name.clone()}</bdi> "”)?"
                        </h2>
                        <p>{move || if git && redeploy.get() {
                            "Portainer clones the reference and redeploys the stack with these variables."
                        } else if git {
                            "Portainer saves the reference and variables; nothing is deployed until the next redeploy or auto-update."
                        } else {
                            "Portainer deploys the stack with the new file and variables. Portlight first checks that nobody changed it since you began."
                        }}</p>
                        <div class="actions">
                            <button class="confirm-no" autofocus on:click=move |_| asking.set(false)>"Cancel"</button>
                            <button class="primary confirm-yes" on:click=send>"Update"</button>
                        </div>
                    </dialog>
                }
            })}
        </div>
    }
}
