//! Loading, empty and error states that explain themselves.

use crate::domain::connection::diagnose;
use crate::domain::failures::{explain, Asked};
use crate::portainer::ApiError;
use crate::session::context::page_origin;
use crate::session::fetching::Fetching;
use crate::session::use_session;
use leptos::prelude::*;

/// A failed request: Portainer's message in words an operator understands, plus the likely
/// cause and fix when the failure is about how Portlight reaches Portainer.
#[component]
pub fn ErrorMessage(
    /// What was being done, e.g. "Loading stacks".
    #[prop(into)]
    doing: String,
    error: ApiError,
    /// The Portainer address the request went to; by default the current instance's.
    #[prop(optional, into)]
    api_url: Option<String>,
    /// What was asked, when Portainer's answer to it can hide the cause (see
    /// `domain::failures`).
    #[prop(optional)]
    asked: Option<Asked>,
) -> impl IntoView {
    let session = use_session();
    let api_url = api_url
        .or_else(|| session.current().map(|i| i.url))
        .unwrap_or_default();
    let explained = asked.and_then(|asked| explain(&error, asked));
    // Where Portainer's words hide the cause ("Mime: no media type"), the explanation leads
    // and the words stay one click away. A timeout is no answer at all: its words are
    // Portlight's own and say how long it waited, so they stay in view.
    let folded = explained.is_some() && !matches!(error, ApiError::Timeout { .. });
    let words = if folded {
        view! {
            <details class="portainer-words">
                <summary>"Portainer's answer"</summary>
                <p class="error-text">{error.to_string()}</p>
            </details>
        }
        .into_any()
    } else {
        view! { <p class="error-text">{error.to_string()}</p> }.into_any()
    };
    let diagnosis = explained.or_else(|| diagnose(&error, &api_url, &page_origin(), &page_csp()));
    let status = error
        .status()
        .map(|s| format!(" (HTTP {s})"))
        .unwrap_or_default();
    view! {
        <div class="msg msg-error" role="alert" data-error-kind=error_kind(&error)>
            <strong>{format!("{doing} failed{status}")}</strong>
            {words}
            {diagnosis.map(|d| view! {
                <p class="diagnosis"><strong>"Why: "</strong>{d.cause}</p>
                <p class="fix"><strong>"Fix: "</strong>{d.fix}</p>
            })}
        </div>
    }
}

/// The page's Content-Security-Policy (its `<meta>`), for telling a refused origin apart.
pub fn page_csp() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[http-equiv='Content-Security-Policy']")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default()
}

/// A stable name per error kind, for styling and tests.
fn error_kind(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthorized { .. } => "unauthorized",
        ApiError::Forbidden { .. } => "forbidden",
        ApiError::NotFound { .. } => "not-found",
        ApiError::BadRequest { .. } => "bad-request",
        ApiError::Conflict { .. } => "conflict",
        ApiError::Server { .. } => "server",
        ApiError::Network { .. } => "network",
        ApiError::Timeout { .. } => "timeout",
        ApiError::Decode { .. } => "decode",
        ApiError::NotPortainer { .. } => "not-portainer",
        ApiError::Redirected => "redirected",
        ApiError::TooLarge { .. } => "too-large",
        ApiError::UnusableToken { .. } => "unusable-token",
        ApiError::NotConnected => "not-connected",
    }
}

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status">{what}</p> }
}

/// A card whose body comes from one request: a title with a refresh button, then the loading
/// text, the error explained, or `render`'s view of the answer.
#[component]
pub fn RefreshCard<T, F>(
    /// The card's class, e.g. "containers".
    class: &'static str,
    title: &'static str,
    /// Shown while the request runs, e.g. "Loading containers…".
    loading: &'static str,
    /// What failed, e.g. "Loading containers".
    doing: &'static str,
    resource: Fetching<Result<T, ApiError>>,
    /// What the request asks, for explaining its failures.
    #[prop(optional)]
    asked: Option<Asked>,
    render: F,
) -> impl IntoView
where
    T: Clone + 'static,
    F: Fn(T) -> AnyView + Send + Sync + 'static,
{
    view! {
        <div class=format!("card {class}")>
            <div class="toolbar">
                <h2>{title}</h2>
                <span class="grow"></span>
                <button class="small refresh" on:click=move |_| resource.refetch()>"↻ Refresh"</button>
            </div>
            {move || match resource.get() {
                None => view! { <Loading what=loading/> }.into_any(),
                Some(Err(error)) => match asked {
                    Some(asked) => view! { <ErrorMessage doing error asked/> }.into_any(),
                    None => view! { <ErrorMessage doing error/> }.into_any(),
                },
                Some(Ok(answer)) => render(answer),
            }}
        </div>
    }
}
