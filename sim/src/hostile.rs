//! Hostile answers, for the browser tests of how Portlight survives a broken or malicious
//! server: a test installs a [`Hostile`] rule and the matching `/api` requests get that answer
//! instead of Portainer's (or Portainer's answer, rewritten). Not reachable from the command
//! line: it is a seam for tests, not something Portainer does.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::stream;

/// Rewrites Portainer's JSON answer (e.g. puts `null` in one stack's `EndpointId`).
pub type Rewrite = Arc<dyn Fn(serde_json::Value) -> serde_json::Value + Send + Sync>;

/// What the server sends instead.
#[derive(Clone)]
pub enum Answer {
    /// This status, these headers, this body.
    Fixed {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Headers at once, then `chunk` again and again every `every_ms`, without end.
    Endless {
        content_type: String,
        chunk: Vec<u8>,
        every_ms: u64,
    },
    /// `size` bytes of `fill`, streamed as fast as the client reads.
    Huge {
        content_type: String,
        size: usize,
        fill: u8,
    },
    /// Headers at once, then `body` one byte every `every_ms`.
    Drip {
        content_type: String,
        body: Vec<u8>,
        every_ms: u64,
    },
    /// No answer at all: the connection stays open and silent.
    NeverStart,
    /// Portainer's own answer, with its JSON body passed through `rewrite`.
    Rewritten(Rewrite),
}

/// Which requests a rule answers: the method (any if `None`), the path without its query (each
/// `*` matches any run of characters), and optionally a piece of the query.
#[derive(Clone)]
pub struct Hostile {
    pub method: Option<String>,
    pub path: String,
    pub query: Option<String>,
    pub answer: Answer,
    /// How many requests it answers; `None` for all of them.
    pub times: Option<usize>,
}

impl Hostile {
    pub fn on(path: &str, answer: Answer) -> Self {
        Hostile {
            method: None,
            path: path.to_string(),
            query: None,
            answer,
            times: None,
        }
    }

    /// Only requests whose query contains `piece` (e.g. `follow=1`).
    pub fn when_query(mut self, piece: &str) -> Self {
        self.query = Some(piece.to_string());
        self
    }

    /// Only for `method` requests.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Only the next `n` matching requests.
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    fn matches(&self, method: &str, path: &str, query: &str) -> bool {
        glob(&self.path, path)
            && self.method.as_deref().is_none_or(|m| m == method)
            && self.query.as_deref().is_none_or(|q| query.contains(q))
    }
}

impl Answer {
    /// A complete answer with one `Content-Type`.
    pub fn body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Answer::Fixed {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// A redirect to `location`, with an empty body.
    pub fn redirect(status: u16, location: &str) -> Self {
        Answer::Fixed {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// A JSON answer of Portainer's shape, any status.
    pub fn json(status: u16, body: &str) -> Self {
        Answer::body(status, "application/json", body)
    }

    pub fn rewritten(
        rewrite: impl Fn(serde_json::Value) -> serde_json::Value + Send + Sync + 'static,
    ) -> Self {
        Answer::Rewritten(Arc::new(rewrite))
    }
}

/// The rules in force, first match wins.
#[derive(Default)]
pub struct Rules(Mutex<Vec<Hostile>>);

impl Rules {
    pub fn add(&self, rule: Hostile) {
        self.lock().push(rule);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The answer for this request, if a rule takes it (and counts it).
    pub fn take(&self, method: &str, path: &str, query: &str) -> Option<Answer> {
        let mut rules = self.lock();
        let index = rules.iter().position(|r| r.matches(method, path, query))?;
        let rule = &mut rules[index];
        let answer = rule.answer.clone();
        if let Some(left) = rule.times.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                rules.remove(index);
            }
        }
        Some(answer)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Hostile>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Builds the response of every answer but [`Answer::Rewritten`] (which needs Portainer's).
pub async fn respond(answer: Answer) -> Response {
    match answer {
        Answer::Fixed {
            status,
            headers,
            body,
        } => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = status_code(status);
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (
                    HeaderName::try_from(name.as_str()),
                    HeaderValue::try_from(value.as_str()),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            response
        }
        Answer::Endless {
            content_type,
            chunk,
            every_ms,
        } => {
            let chunk = Bytes::from(chunk);
            let body = stream::unfold(chunk, move |chunk| async move {
                tokio::time::sleep(Duration::from_millis(every_ms)).await;
                Some((Ok::<_, std::io::Error>(chunk.clone()), chunk))
            });
            streamed(&content_type, Body::from_stream(body))
        }
        Answer::Huge {
            content_type,
            size,
            fill,
        } => {
            const CHUNK: usize = 64 * 1024;
            let body = stream::unfold(size, move |left| async move {
                (left > 0).then(|| {
                    let n = left.min(CHUNK);
                    (
                        Ok::<_, std::io::Error>(Bytes::from(vec![fill; n])),
                        left - n,
                    )
                })
            });
            streamed(&content_type, Body::from_stream(body))
        }
        Answer::Drip {
            content_type,
            body,
            every_ms,
        } => {
            let body = stream::unfold(0usize, move |at| {
                let body = body.clone();
                async move {
                    if at > 0 {
                        tokio::time::sleep(Duration::from_millis(every_ms)).await;
                    }
                    let byte = *body.get(at)?;
                    Some((Ok::<_, std::io::Error>(Bytes::from(vec![byte])), at + 1))
                }
            });
            streamed(&content_type, Body::from_stream(body))
        }
        Answer::NeverStart => std::future::pending().await,
        Answer::Rewritten(_) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

/// Portainer's JSON answer passed through `rewrite`; a body that is not JSON is left as it is.
pub async fn rewrite(response: Response, rewrite: &Rewrite) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) => serde_json::to_vec(&rewrite(value)).unwrap_or_default(),
        Err(_) => bytes.to_vec(),
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

fn streamed(content_type: &str, body: Body) -> Response {
    let mut response = Response::new(body);
    if let Ok(value) = HeaderValue::try_from(content_type) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, value);
    }
    response
}

/// `pattern` with each `*` standing for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn paths_match_exactly_or_by_glob() {
        assert!(glob("/api/stacks", "/api/stacks"));
        assert!(!glob("/api/stacks", "/api/stacks/1"));
        assert!(glob("/api/stacks*", "/api/stacks/1/file"));
        assert!(glob(
            "/api/endpoints/1/docker/containers/*/logs",
            "/api/endpoints/1/docker/containers/abc/logs"
        ));
        assert!(!glob(
            "/api/endpoints/1/docker/containers/*/logs",
            "/api/endpoints/1/docker/containers/json"
        ));
        assert!(glob("*", "/anything"));
    }
}
