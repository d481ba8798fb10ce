//! Somebody changed the stack since the edit began: their change and yours, each against what
//! was deployed then (a three-way view), and a choice. Nothing is sent from here.

use super::changes::{reference_change, EnvDiff, FileDiff};
use super::Stage;
use crate::domain::draft::{changed_since, without_blank_rows, Deployed, Draft};
use crate::domain::edit::merge::merge_edit;
use crate::domain::time::format_utc;
use leptos::prelude::*;

#[component]
pub fn Conflict(draft: RwSignal<Draft>, theirs: Deployed, stage: RwSignal<Stage>) -> impl IntoView {
    let d = draft.get_untracked();
    let base = d.base.clone();
    let change = changed_since(&base, &theirs);
    let revealed = RwSignal::new(false);
    let who = |deployed: &Deployed| match (deployed.updated_by.as_str(), deployed.update_date) {
        (_, 0) => "never updated since its creation".to_string(),
        ("", date) => format!("updated {}", format_utc(date)),
        (by, date) => format!("updated by {by}, {}", format_utc(date)),
    };
    let same_content = change
        .as_ref()
        .is_some_and(|c| !c.file && !c.env && !c.reference);
    let git = !base.reference.is_empty() || !theirs.reference.is_empty();
    let side = |title: &'static str,
                class: &'static str,
                after_file: String,
                after_env,
                after_ref: String| {
        view! {
            <section class=format!("card conflict-side {class}")>
                <h3>{title}</h3>
                {reference_change(&base.reference, &after_ref).map(|r| view! { <p>{r}</p> })}
                {(!git).then(|| view! { <FileDiff before=base.file.clone() after=after_file label="Compose file"/> })}
                <EnvDiff before=base.env.clone() after=after_env revealed=revealed.into()/>
            </section>
        }
    };
    let theirs_side = side(
        "Their change",
        "theirs",
        theirs.file.clone(),
        theirs.env.clone(),
        theirs.reference.clone(),
    );
    let yours_side = side(
        "Your change",
        "yours",
        d.file.clone(),
        d.env.clone(),
        d.reference.clone(),
    );
    // Our change on top of theirs, where the two touch different lines and variables.
    let ours_env = without_blank_rows(&d.env);
    let merged = merge_edit(
        (&base.file, &base.env, &base.reference),
        (&d.file, &ours_env, &d.reference),
        (&theirs.file, &theirs.env, &theirs.reference),
    );
    let clash_note = merged.as_ref().err().map(|clash| {
        let mut parts: Vec<String> = clash
            .lines
            .iter()
            .map(|(first, last)| match first == last {
                true => format!("line {first}"),
                false => format!("lines {first}–{last}"),
            })
            .collect();
        parts.extend(clash.variables.iter().map(|v| format!("variable {v}")));
        if clash.reference {
            parts.push("the git reference".into());
        }
        format!(
            "You both changed {}: Portlight cannot combine the two for you.",
            parts.join(", ")
        )
    });
    let merge = merged.ok().map(|(file, env, reference)| {
        let theirs = theirs.clone();
        move |_| {
            draft.set(Draft {
                stack_id: draft.with_untracked(|d| d.stack_id),
                base: theirs.clone(),
                file: file.clone(),
                env: env.clone(),
                reference: reference.clone(),
            });
            stage.set(Stage::Reviewing);
        }
    });
    let keep_mine = {
        let theirs = theirs.clone();
        move |_| {
            draft.update(|d| d.base = theirs.clone());
            stage.set(Stage::Reviewing);
        }
    };
    let when = format!("When you began: {}. Now: {}.", who(&base), who(&theirs));
    let take_theirs = move |_| {
        draft.set(Draft::fresh(d.stack_id, theirs.clone()));
        stage.set(Stage::Editing);
    };
    view! {
        <div class="msg msg-error conflict" role="alert">
            <p><strong>"Somebody changed this stack since your edit began; nothing was sent."</strong></p>
            <p>{when}</p>
            {same_content.then(|| view! {
                <p>"The file and variables are as they were; only the update is new."</p>
            })}
        </div>
        <div class="toolbar">
            <span class="grow"></span>
            <button class="small reveal-values" on:click=move |_| revealed.update(|r| *r = !*r)>
                {move || if revealed.get() { "Hide values" } else { "Reveal values" }}
            </button>
        </div>
        <div class="conflict-sides">{theirs_side}{yours_side}</div>
        {clash_note.map(|note| view! { <p class="msg msg-warn clash">{note}</p> })}
        <div class="actions">
            {merge.map(|merge| view! {
                <button class="primary merge-mine" on:click=merge>
                    "Apply my change on top of theirs"
                </button>
            })}
            <button class="keep-mine" on:click=keep_mine>
                "Review my edit against their version"
            </button>
            <button class="danger take-theirs" on:click=take_theirs>
                "Discard my edit, start from theirs"
            </button>
        </div>
        <p class="muted">
            "Either way the review shows exactly what your update would change now: applied on \
             top, only your change; reviewed as it is, also anything of theirs it would undo."
        </p>
    }
}
