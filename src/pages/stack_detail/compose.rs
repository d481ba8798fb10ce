//! The stack's compose file, or a Kubernetes stack's manifest (`GET /api/stacks/{id}/file`:
//! the entry point only).

use super::LoadedStack;
use crate::components::code::CodeView;
use crate::components::{ErrorMessage, Loading};
use crate::portainer::StackType;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn ComposeFile(loaded: LoadedStack) -> impl IntoView {
    let session = use_session();
    let id = loaded.stack.id;
    let file = session.resource(move |client| async move { client.stack_file(id).await });
    let entry = loaded.stack.entry_point.clone();
    let extra = loaded.stack.additional_files.clone();
    // A Kubernetes stack's file is its manifest.
    let what = if loaded.stack.kind == StackType::Kubernetes {
        "manifest"
    } else {
        "compose file"
    };
    view! {
        <div class="card compose">
            <h2 class="mono">{entry.clone()}</h2>
            {(!extra.is_empty()).then(|| view! {
                <p class="muted">
                    {format!(
                        "Portainer's API returns only the entry point; this stack also has: {}.",
                        extra.join(", ")
                    )}
                </p>
            })}
            {move || match file.get() {
                None => view! { <Loading what=format!("Loading the {what}…")/> }.into_any(),
                Some(Err(error)) => view! { <ErrorMessage doing=format!("Loading the {what}") error/> }.into_any(),
                Some(Ok(text)) if text.trim().is_empty() => view! {
                    <p class="empty">"Portainer returned an empty file."</p>
                }
                .into_any(),
                Some(Ok(text)) => view! { <CodeView text label=entry.clone()/> }.into_any(),
            }}
        </div>
    }
}
