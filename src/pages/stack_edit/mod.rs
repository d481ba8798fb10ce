//! `/stacks/<id>/edit`: change a stack's compose file (or git reference) and variables, review
//! the difference with what is deployed, and update it without overwriting anyone's change:
//! Portainer's copy is read again just before sending, and a change made since the edit
//! began stops the update and is shown (Portainer itself has no version check).
//!
//! No edit path exists in read-only mode, nor where Portainer would refuse the update.

mod changes;
mod conflict;
mod editor;
mod env_rows;
mod leave_guard;
mod review;

use crate::components::{ErrorMessage, Loading};
use crate::domain::draft::{changed_since, Deployed, Draft};
use crate::domain::permissions::{action_gate, environment_label, StackAction};
use crate::portainer::{ApiError, Client, EndpointQuery, Environment, Stack, StackType};
use crate::routes::Page;
use crate::session::directory::use_directory;
use crate::session::{drafts, use_session, Instance};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The stack as the edit began: read from Portainer with its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Editing {
    pub stack: Stack,
    pub env: Option<Environment>,
    pub env_accessible: bool,
    /// The connection it was read from: the update goes only there.
    pub epoch: u32,
    pub deployed: Deployed,
}

/// Where the edit stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Editing,
    Reviewing,
    /// Portainer's copy changed since the edit began: theirs, as read just now.
    Conflict(Deployed),
}

/// Reads the stack and the file it deploys (a git stack's file lives in its repository).
async fn read_deployed(client: &Client, id: u32) -> Result<(Stack, Deployed), ApiError> {
    let stack = client.stack(id).await?;
    let file = match stack.git_config {
        Some(_) => String::new(),
        None => client.stack_file(id).await?,
    };
    let deployed = Deployed::of(&stack, file);
    Ok((stack, deployed))
}

/// Needs a token (see the route table).
#[component]
pub fn StackEditPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<u32>().ok())));
    let loaded = session.resource(move |client| {
        let id = id.get();
        let epoch = session.epoch_now();
        async move {
            let id = id.ok_or_else(|| ApiError::BadRequest {
                message: "this address has no valid stack id".into(),
            })?;
            let (stack, deployed) = read_deployed(&client, id).await?;
            let envs = client.endpoints(&EndpointQuery::default()).await?;
            let env = envs
                .environments
                .items
                .into_iter()
                .find(|e| e.id == stack.endpoint_id);
            Ok(Editing {
                env_accessible: env.is_some(),
                env,
                stack,
                epoch,
                deployed,
            })
        }
    });
    let back = move || id.get().map_or(Page::Stacks, Page::Stack).href();
    view! {
        <section class="page stack-edit">
            <p class="crumbs"><A href=back>"← The stack"</A></p>
            {move || {
                if session.read_only() {
                    return view! {
                        <h1>"Edit stack"</h1>
                        <p class="msg msg-info read-only-note">
                            "Read-only mode is on: Portlight sends no changes, so stacks cannot be \
                             edited here. Turn it off in Settings to edit."
                        </p>
                    }
                    .into_any();
                }
                match loaded.get() {
                    None => view! { <Loading what="Loading the stack…"/> }.into_any(),
                    Some(Err(error)) => view! {
                        <h1>"Edit stack"</h1>
                        <ErrorMessage doing="Loading the stack" error/>
                    }
                    .into_any(),
                    Some(Ok(editing)) => view! { <Gated editing/> }.into_any(),
                }
            }}
        </section>
    }
}

/// The editor, where Portainer would accept the update; its reason otherwise.
#[component]
fn Gated(editing: Editing) -> impl IntoView {
    let directory = use_directory();
    let session = use_session();
    move || {
        let viewer = match directory.get() {
            None => return view! { <Loading what="Finding out who this token is…"/> }.into_any(),
            Some(d) => d.viewer,
        };
        let Some(viewer) = viewer else {
            return view! {
                <p class="msg msg-error">"Portlight could not tell who this token is, so it cannot tell whether Portainer would accept an update."</p>
            }
            .into_any();
        };
        let gate = action_gate(
            &viewer,
            &editing.stack,
            editing.env.as_ref(),
            editing.env_accessible,
            StackAction::Update,
        );
        let Some(instance) = session.current() else {
            return ().into_any();
        };
        match gate {
            Err(blocked) => view! {
                <h1>"Edit stack"</h1>
                <p class="msg msg-error edit-refused">{blocked.reason()}</p>
            }
            .into_any(),
            Ok(()) => view! { <Editor editing=editing.clone() instance/> }.into_any(),
        }
    }
}

#[component]
fn Editor(editing: Editing, instance: Instance) -> impl IntoView {
    let stack = editing.stack.clone();
    let id = stack.id;
    let restored = drafts::load(&instance, id);
    let restored_note = restored.is_some();
    let draft = RwSignal::new(
        restored
            .clone()
            .unwrap_or_else(|| Draft::fresh(id, editing.deployed.clone())),
    );
    // A kept draft that began from an older copy meets Portainer's change at once.
    let stage = RwSignal::new(match &restored {
        Some(d) if changed_since(&d.base, &editing.deployed).is_some() => {
            Stage::Conflict(editing.deployed.clone())
        }
        _ => Stage::Editing,
    });
    let storage_problem = RwSignal::new(None::<String>);
    {
        let instance = instance.clone();
        Effect::new(move |_| {
            let result = draft.with(|d| drafts::save(&instance, d));
            storage_problem.set(result.err());
        });
    }
    let dirty = Signal::derive(move || draft.with(|d| !d.is_unchanged()));
    leave_guard::guard_leaving(dirty);

    let git = stack.git_config.is_some();
    let what = if git { "git reference" } else { "compose file" };
    let env_label = environment_label(editing.env.as_ref(), stack.endpoint_id);
    let discard = {
        let instance = instance.clone();
        let deployed = editing.deployed.clone();
        move |_| {
            drafts::discard(&instance, id);
            draft.set(Draft::fresh(id, deployed.clone()));
            stage.set(Stage::Editing);
        }
    };
    let docker = stack.kind != StackType::Kubernetes;
    let body = {
        let editing = editing.clone();
        let instance = instance.clone();
        move || match stage.get() {
            Stage::Editing => view! {
                <EditFields draft git docker entry=editing.stack.entry_point.clone()/>
                <div class="actions">
                    <button
                        class="primary review"
                        disabled=move || !dirty.get()
                        on:click=move |_| stage.set(Stage::Reviewing)
                    >
                        "Review changes"
                    </button>
                </div>
            }
            .into_any(),
            Stage::Reviewing => view! {
                <review::Review editing=editing.clone() instance=instance.clone() draft stage/>
            }
            .into_any(),
            Stage::Conflict(theirs) => view! {
                <conflict::Conflict draft theirs stage/>
            }
            .into_any(),
        }
    };
    view! {
        <div class="page-head">
            <h1>"Edit “" <bdi>{stack.name.clone()}</bdi> "”"</h1>
            <span class="sub">{format!("the {what} and environment variables, on ")}<bdi>{env_label}</bdi></span>
        </div>
        {restored_note.then(|| view! {
            <p class="msg msg-info draft-restored" role="status">
                "Your unsent edit of this stack was kept on this device and is restored. "
                <button class="small discard-draft" on:click=discard>"Discard it"</button>
            </p>
        })}
        {move || storage_problem.get().map(|p| view! {
            <p class="msg msg-error draft-unsaved">{format!("The draft is not kept: {p}")}</p>
        })}
        {body}
    }
}

/// The file (or reference) and the variables, bound to the draft.
#[component]
fn EditFields(draft: RwSignal<Draft>, git: bool, docker: bool, entry: String) -> impl IntoView {
    let file = Signal::derive(move || draft.with(|d| d.file.clone()));
    let set_file = Callback::new(move |text: String| draft.update(|d| d.file = text));
    let env = Signal::derive(move || draft.with(|d| d.env.clone()));
    let set_env = Callback::new(move |env| draft.update(|d| d.env = env));
    let source = if git {
        view! {
            <div class="card edit-git">
                <label for="git-reference">"Git reference"</label>
                <input
                    id="git-reference"
                    class="mono"
                    type="text"
                    spellcheck="false"
                    prop:value=move || draft.with(|d| d.reference.clone())
                    on:input=move |ev| draft.update(|d| d.reference = event_target_value(&ev))
                />
                <p class="muted">
                    "A branch (refs/heads/main) or tag (refs/tags/v1.2). The update clones it and \
                     deploys its latest commit; the file itself is changed in the repository."
                </p>
            </div>
        }
        .into_any()
    } else {
        view! { <editor::CodeEditor text=file on_change=set_file label=entry/> }.into_any()
    };
    view! {
        {source}
        {docker.then(|| view! { <env_rows::EnvEditor env on_change=set_env/> })}
    }
}
