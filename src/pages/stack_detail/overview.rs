//! Metadata, environment, ownership (with names) and git configuration of a stack.

use super::LoadedStack;
use crate::components::badges::EnvStatusBadge;
use crate::components::clock::now_secs;
use crate::domain::display::{mask_url_credentials, mask_webhook_id};
use crate::domain::git::{short_commit, short_reference};
use crate::domain::labels::environment_type_label;
use crate::domain::ownership::{visibility_reasons, Ownership};
use crate::domain::stack_rows::unnamed_environment;
use crate::domain::time::{format_utc, relative};
use crate::portainer::{GitConfig, Stack};
use crate::session::context::page_origin;
use crate::session::directory::use_directory;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn Overview(loaded: LoadedStack) -> impl IntoView {
    let directory = use_directory();
    let now = now_secs();
    let stack = loaded.stack.clone();
    let env = match &loaded.env {
        Some(env) => {
            let status = env.status;
            view! {
                {env.name.clone()} " · " {environment_type_label(env.kind)} " "
                <EnvStatusBadge status/>
                {(!env.url.is_empty()).then(|| view! { <span class="sub mono">{env.url.clone()}</span> })}
            }
            .into_any()
        }
        None if loaded.environment_deleted => view! {
            {unnamed_environment(stack.endpoint_id, true)} " "
            <span class="badge badge-bad orphaned">"orphaned"</span>
            <span class="sub">
                "The environment no longer exists, so Portainer cannot reach the stack's containers."
            </span>
        }
        .into_any(),
        None => view! {
            {unnamed_environment(stack.endpoint_id, false)} " "
            <span class="badge badge-warn">"not accessible"</span>
            <span class="sub">
                "Not in this token's environment list: no access, or the environment was removed."
            </span>
        }
        .into_any(),
    };
    let ownership = {
        let stack = stack.clone();
        move || {
            let dir = directory.get().unwrap_or_default();
            let owner = Ownership::from_resource_control(stack.resource_control.as_ref());
            let why = dir
                .viewer
                .as_ref()
                .map(|v| visibility_reasons(v, stack.resource_control.as_ref()))
                .unwrap_or_default();
            let why = if why.is_empty() {
                String::new()
            } else {
                let reasons: Vec<String> = why.iter().map(|w| w.describe(&dir.names)).collect();
                format!("Visible to this token {}.", reasons.join("; "))
            };
            view! {
                <span class="ownership">{owner.describe(&dir.names)}</span>
                <span class="sub why-visible">{why}</span>
            }
        }
    };
    view! {
        <div class="grid-2">
            <div class="card">
                <h2>"Stack"</h2>
                <dl class="facts">
                    <dt>"Id"</dt><dd>{stack.id}</dd>
                    <dt>"Environment"</dt><dd class="env">{env}</dd>
                    <dt>"Ownership"</dt><dd>{ownership}</dd>
                    <dt>"Created"</dt><dd>{when(&stack.created_by, stack.creation_date, now)}</dd>
                    <dt>"Updated"</dt><dd>{when(&stack.updated_by, stack.update_date, now)}</dd>
                    <dt>"Entry point"</dt><dd class="mono">{stack.entry_point.clone()}</dd>
                    {optional_fact("Additional files", stack.additional_files.join(", "))}
                    {optional_fact("Namespace", stack.namespace.clone())}
                    {optional_fact("Swarm", stack.swarm_id.clone())}
                </dl>
            </div>
            <GitCard stack/>
        </div>
    }
}

/// A fact shown only when it has a value.
fn optional_fact(term: &'static str, value: String) -> Option<impl IntoView> {
    (!value.is_empty()).then(|| view! { <dt>{term}</dt><dd class="mono">{value}</dd> })
}

/// "bob, 2024-05-29 16:26 UTC (3 days ago)".
fn when(by: &str, at: i64, now: i64) -> String {
    let who = if by.is_empty() { "unknown user" } else { by };
    if at <= 0 {
        return format!("{who}, date unknown");
    }
    format!("{who}, {} ({})", format_utc(at), relative(at, now))
}

#[component]
fn GitCard(stack: Stack) -> impl IntoView {
    let Some(git) = stack.git_config.clone() else {
        return view! {
            <div class="card git">
                <h2>"Source"</h2>
                <p>"Deployed from a file (uploaded or written in Portainer's editor), not from git."</p>
            </div>
        }
        .into_any();
    };
    view! {
        <div class="card git">
            <h2>"Git"</h2>
            <dl class="facts">
                <dt>"Repository"</dt><dd class="mono repository"><Secret shown=mask_url_credentials(&git.url) full=git.url.clone()/></dd>
                <dt>"Reference"</dt><dd class="mono">{short_reference(&git.reference_name).to_string()}</dd>
                <dt>"Compose path"</dt><dd class="mono">{git.config_file_path.clone()}</dd>
                <dt>"Last deployed commit"</dt><dd class="mono">{short_commit(&git.config_hash)}</dd>
                <dt>"Authentication"</dt><dd>{authentication(&git)}</dd>
                {git.tls_skip_verify.then(|| view! {
                    <dt>"TLS"</dt><dd>"certificate verification skipped"</dd>
                })}
                <dt>"Auto update"</dt><dd class="auto-update">{auto_update(&stack)}</dd>
                {webhook_url(&stack).map(|url| view! {
                    <dt>"Webhook"</dt>
                    <dd class="mono webhook">
                        <Secret shown=url.0 full=url.1/>
                        <span class="sub">"Anyone with this address can redeploy the stack: Portainer asks no token for it."</span>
                    </dd>
                })}
            </dl>
        </div>
    }
    .into_any()
}

fn authentication(git: &GitConfig) -> String {
    match &git.authentication {
        Some(a) if a.git_credential_id != 0 => {
            format!("saved git credential #{}", a.git_credential_id)
        }
        Some(a) if !a.username.is_empty() => {
            format!("as {} (password kept by Portainer)", a.username)
        }
        _ => "none (public repository)".into(),
    }
}

/// A value shown masked until the operator reveals it (a URL with credentials, a webhook).
#[component]
fn Secret(shown: String, full: String) -> impl IntoView {
    if shown == full {
        return view! { <span>{full}</span> }.into_any();
    }
    let revealed = RwSignal::new(false);
    view! {
        <span class="secret">{move || if revealed.get() { full.clone() } else { shown.clone() }}</span>
        " "
        <button
            type="button"
            class="small reveal"
            aria-pressed=move || revealed.get().to_string()
            on:click=move |_| revealed.update(|r| *r = !*r)
        >
            {move || if revealed.get() { "Hide" } else { "Reveal" }}
        </button>
    }
    .into_any()
}

/// The stack's webhook address, masked and whole, when it has one.
fn webhook_url(stack: &Stack) -> Option<(String, String)> {
    let id = stack.auto_update.as_ref().map(|a| a.webhook.as_str())?;
    if id.is_empty() {
        return None;
    }
    let base = use_session()
        .current()
        .map(|i| i.url)
        .filter(|u| !u.is_empty())
        .unwrap_or_else(page_origin);
    let path = format!("{base}/api/stacks/webhooks/");
    Some((
        format!("{path}{}", mask_webhook_id(id)),
        format!("{path}{id}"),
    ))
}

/// "polls every 5m", "by webhook", both, or "off".
fn auto_update(stack: &Stack) -> String {
    let Some(auto) = &stack.auto_update else {
        return "off".into();
    };
    let mut parts = Vec::new();
    if !auto.interval.is_empty() {
        parts.push(format!("polls every {}", auto.interval));
    }
    if !auto.webhook.is_empty() {
        parts.push("by webhook (below)".into());
    }
    if auto.force_update {
        parts.push("force update".into());
    }
    if auto.force_pull_image {
        parts.push("always pull images".into());
    }
    if parts.is_empty() {
        "off".into()
    } else {
        parts.join("; ")
    }
}
