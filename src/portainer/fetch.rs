//! The browser part: one fetch with `X-API-Key`, no cookies, a timeout and cancellation.
//! Everything that interprets an answer lives in the pure modules.

use super::error::{check_token, error_from_response, ApiError};
use gloo_net::http::{Method, RequestBuilder};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestCache, RequestCredentials,
    RequestRedirect, ResponseType,
};

/// No answer Portlight reads is larger: a bigger body is refused, not buffered.
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// An error answer to a log stream is a sentence, not a log.
const MAX_ERROR_BODY_BYTES: u64 = 1024 * 1024;

/// What one request needs.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: String,
    /// The access token, sent as `X-API-Key`; `None` for Portainer's public routes, which
    /// need none and so get none.
    pub token: Option<&'a str>,
    pub json_body: Option<String>,
    /// `X-PortainerAgent-Target`, for node-specific Docker calls on an agent swarm.
    pub agent_target: Option<&'a str>,
    pub timeout_ms: u32,
}

/// A complete answer, any status.
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub total_count: Option<u32>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text; bytes that are not UTF-8 become U+FFFD. Checked first as it is, in one
    /// pass: the lossy reading walks a 14 MB stack list character by character.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&self.body),
        }
    }
}

/// Aborts its request when dropped, so a page that goes away (dropping the future) cancels its
/// requests, and when the timer fires, which it records so the error says Timeout, not Network.
struct AbortGuard {
    controller: Option<AbortController>,
    timer: Option<(i32, Closure<dyn FnMut()>)>,
    timed_out: Rc<Cell<bool>>,
    timeout_ms: u32,
}

impl AbortGuard {
    fn new(timeout_ms: u32) -> Self {
        let controller = AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let timer = match (&controller, web_sys::window()) {
            (Some(controller), Some(window)) if timeout_ms > 0 => {
                let controller = controller.clone();
                let flag = timed_out.clone();
                let on_timeout = Closure::<dyn FnMut()>::new(move || {
                    flag.set(true);
                    controller.abort();
                });
                window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        on_timeout.as_ref().unchecked_ref(),
                        i32::try_from(timeout_ms).unwrap_or(i32::MAX),
                    )
                    .ok()
                    .map(|handle| (handle, on_timeout))
            }
            _ => None,
        };
        Self {
            controller,
            timer,
            timed_out,
            timeout_ms,
        }
    }

    /// Once a log stream has started, only the caller decides when it ends.
    fn stop_timer(&mut self) {
        if let Some((handle, _closure)) = self.timer.take() {
            if let Some(window) = web_sys::window() {
                window.clear_timeout_with_handle(handle);
            }
        }
    }

    fn fail(&self, detail: String) -> ApiError {
        if self.timed_out.get() {
            ApiError::Timeout {
                after_ms: self.timeout_ms,
            }
        } else {
            ApiError::Network { detail }
        }
    }
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        self.stop_timer();
        // A no-op once the body has been read.
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }
}

/// Lets a caller stop a log stream it cannot drop (e.g. one spawned with `spawn_local`).
/// Clones share the same state.
#[derive(Clone, Default)]
pub struct CancelHandle(Rc<CancelState>);

#[derive(Default)]
struct CancelState {
    cancelled: Cell<bool>,
    controllers: RefCell<Vec<AbortController>>,
}

impl CancelHandle {
    pub fn new() -> Self {
        Self::default()
    }

    /// Aborts every request attached to this handle, now and later.
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        for controller in self.0.controllers.borrow_mut().drain(..) {
            controller.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    fn attach(&self, controller: &AbortController) {
        if self.is_cancelled() {
            controller.abort();
        } else {
            self.0.controllers.borrow_mut().push(controller.clone());
        }
    }
}

impl fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelHandle")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

fn js_detail(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the request failed".to_owned())
}

/// The request's headers, built so that a value a header cannot hold (a node name from
/// Portainer's data, a pasted token) becomes an error instead of an exception.
fn headers(call: &Call<'_>) -> Result<Headers, ApiError> {
    let unusable = |what: &str| ApiError::UnusableToken {
        reason: format!("the browser refused it as a header ({what})"),
    };
    let headers = Headers::new().map_err(|e| unusable(&js_detail(&e)))?;
    if let Some(token) = call.token {
        check_token(token)?;
        // Never an Authorization header beside the key.
        headers
            .set("X-API-Key", token)
            .map_err(|e| unusable(&js_detail(&e)))?;
    }
    if let Some(node) = call.agent_target {
        headers
            .set("X-PortainerAgent-Target", node)
            .map_err(|_| ApiError::Decode {
                model: "swarm node name".into(),
                detail: "it cannot be sent as a header".into(),
            })?;
    }
    if call.json_body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    Ok(headers)
}

async fn start(call: &Call<'_>, guard: &AbortGuard) -> Result<gloo_net::http::Response, ApiError> {
    let signal = guard.controller.as_ref().map(AbortController::signal);
    // credentials: omit, because a Portainer session cookie on the same origin would switch on
    // its CSRF check and break every write. redirect: manual, because fetch keeps X-API-Key
    // on a redirect, even to another origin: a redirect is reported, never followed.
    // cache: no-store, because an answer read with a token is nobody's to keep, and a cached
    // permanent redirect would be served again without asking the server.
    let builder = RequestBuilder::new(&call.url)
        .method(call.method.clone())
        .headers(gloo_net::http::Headers::from_raw(headers(call)?))
        .credentials(RequestCredentials::Omit)
        .redirect(RequestRedirect::Manual)
        .cache(RequestCache::NoStore)
        .abort_signal(signal.as_ref());
    let request = match &call.json_body {
        Some(json) => builder.body(json.as_str()),
        None => builder.build(),
    }
    .map_err(|e| guard.fail(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| guard.fail(e.to_string()))?;
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(ApiError::Redirected);
    }
    Ok(response)
}

/// Hands each chunk of the body to `on_chunk` until it ends (`Ok`), `on_chunk` fails, or the
/// handle is cancelled (`Ok`).
async fn read_chunks(
    response: &gloo_net::http::Response,
    guard: &AbortGuard,
    cancel: Option<&CancelHandle>,
    on_chunk: &mut dyn FnMut(&[u8]) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let cancelled = || cancel.is_some_and(CancelHandle::is_cancelled);
    let Some(body) = response.body() else {
        return Ok(());
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    // Each chunk is copied once, into a buffer kept for the next.
    let mut scratch = Vec::new();
    loop {
        let result = match wasm_bindgen_futures::JsFuture::from(reader.read()).await {
            Ok(result) => result,
            Err(_) if cancelled() => return Ok(()),
            Err(err) => return Err(guard.fail(js_detail(&err))),
        };
        let done = js_sys::Reflect::get(&result, &JsValue::from_str("done"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(());
        }
        if let Ok(value) = js_sys::Reflect::get(&result, &JsValue::from_str("value")) {
            if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
                scratch.resize(bytes.length() as usize, 0);
                bytes.copy_to(&mut scratch);
                if let Err(e) = on_chunk(&scratch) {
                    let _ = reader.cancel();
                    return Err(e);
                }
            }
        }
    }
}

/// The whole body, refused once it passes `limit` bytes (announced or read).
async fn read_bounded(
    response: &gloo_net::http::Response,
    guard: &AbortGuard,
    limit: u64,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::TooLarge { limit_bytes: limit };
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    // Room for the announced length at once: growing to 14 MB by doubling copied it all again.
    let mut body = Vec::with_capacity(announced.unwrap_or(0) as usize);
    read_chunks(response, guard, None, &mut |chunk| {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(chunk);
        Ok(())
    })
    .await?;
    Ok(body)
}

/// Sends one request and reads the whole answer, whatever its status, up to
/// [`MAX_BODY_BYTES`]. The timeout covers the whole answer, body included.
pub(crate) async fn send(call: Call<'_>) -> Result<Answer, ApiError> {
    let guard = AbortGuard::new(call.timeout_ms);
    let response = start(&call, &guard).await?;
    let headers = response.headers();
    let body = read_bounded(&response, &guard, MAX_BODY_BYTES).await?;
    Ok(Answer {
        status: response.status(),
        content_type: headers.get("content-type"),
        total_count: headers
            .get("x-total-count")
            .and_then(|v| v.trim().parse().ok()),
        body,
    })
}

/// Sends one request and hands each chunk of a 2xx body to `on_chunk` as it arrives, until the
/// body ends, the handle is cancelled (`Ok`) or the future is dropped. The timeout covers only
/// the wait for the answer's headers; an error answer is read up to a bound.
pub(crate) async fn stream(
    call: Call<'_>,
    cancel: &CancelHandle,
    on_chunk: &mut dyn FnMut(&[u8]),
) -> Result<(), ApiError> {
    let mut guard = AbortGuard::new(call.timeout_ms);
    if let Some(controller) = &guard.controller {
        cancel.attach(controller);
    }
    let response = match start(&call, &guard).await {
        Err(_) if cancel.is_cancelled() => return Ok(()),
        other => other?,
    };
    if !(200..300).contains(&response.status()) {
        let body = read_bounded(&response, &guard, MAX_ERROR_BODY_BYTES).await?;
        let content_type = response.headers().get("content-type");
        return Err(error_from_response(
            response.status(),
            content_type.as_deref(),
            &String::from_utf8_lossy(&body),
        ));
    }
    guard.stop_timer();
    read_chunks(&response, &guard, Some(cancel), &mut |chunk| {
        on_chunk(chunk);
        Ok(())
    })
    .await
}
