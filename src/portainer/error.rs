//! `ApiError` and the pure mapping from an HTTP answer to it, so every case is testable natively.
//! Messages keep Portainer's own words; tokens that a body might echo are redacted.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::fmt;

/// Everything that can go wrong talking to Portainer. Holds only strings and numbers, so it is
/// `Send + Sync` and can sit in any signal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the token is invalid, expired or revoked (or its user was deleted).
    Unauthorized { message: String },
    /// 403: the token's user may not do this (or a CSRF check fired).
    Forbidden { message: String },
    /// 404, from Portainer or from Docker through the proxy.
    NotFound { message: String },
    /// 400 or 422.
    BadRequest { message: String },
    /// 409, e.g. a stack with that name is already running.
    Conflict { message: String },
    /// Any other status: 5xx, or an unexpected code such as 405.
    Server { status: u16, message: String },
    /// fetch rejected without a status: server down, or a CORS block.
    Network { detail: String },
    /// No answer within the client's timeout.
    Timeout { after_ms: u32 },
    /// A Portainer JSON answer that does not have the expected shape.
    Decode { model: String, detail: String },
    /// An answer that is not Portainer JSON at all (an HTML page, typically the SPA's own
    /// index.html because `/api` is not proxied to Portainer).
    NotPortainer { status: u16, detail: String },
    /// The server answered with a redirect, which Portlight never follows: a browser keeps
    /// `X-API-Key` on a redirect, even to another origin.
    Redirected,
    /// The answer was larger than Portlight reads (a broken or hostile server).
    TooLarge { limit_bytes: u64 },
    /// The token cannot go into a request header as it is (a space, line break or invisible
    /// character came with the paste): nothing was sent.
    UnusableToken { reason: String },
    /// Portlight holds no token for this Portainer (never connected, signed out, or the view
    /// belongs to a connection that is no longer current): nothing was sent.
    NotConnected,
}

impl ApiError {
    /// The token no longer works: the UI should ask for a new one.
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    pub fn is_forbidden(&self) -> bool {
        matches!(self, Self::Forbidden { .. })
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::NotFound { .. } => Some(404),
            Self::BadRequest { .. } => Some(400),
            Self::Conflict { .. } => Some(409),
            Self::Server { status, .. } | Self::NotPortainer { status, .. } => Some(*status),
            Self::Network { .. }
            | Self::Timeout { .. }
            | Self::Decode { .. }
            | Self::Redirected
            | Self::TooLarge { .. }
            | Self::UnusableToken { .. }
            | Self::NotConnected => None,
        }
    }

    /// Portainer's (or Docker's) own message, if it sent one.
    pub fn portainer_message(&self) -> Option<&str> {
        let message = match self {
            Self::Unauthorized { message }
            | Self::Forbidden { message }
            | Self::NotFound { message }
            | Self::BadRequest { message }
            | Self::Conflict { message }
            | Self::Server { message, .. } => message,
            _ => return None,
        };
        (!message.is_empty()).then_some(message.as_str())
    }
}

/// `" (message)"`, or nothing when Portainer said nothing.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " ({})", self.0)
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthorized { message } => write!(
                f,
                "Portainer rejected the access token{}: it is invalid, expired or revoked.",
                Quoted(message)
            ),
            Self::Forbidden { message } if message.contains("CSRF") || message.contains("origin invalid") => write!(
                f,
                "Portainer refused the request{}: a Portainer session cookie reached it, which switches on its CSRF check. Log out of Portainer's own UI in this browser or serve Portlight from another host name.",
                Quoted(message)
            ),
            Self::Forbidden { message } => write!(
                f,
                "Portainer refused the request{}: the token's user is not permitted to do this.",
                Quoted(message)
            ),
            Self::NotFound { message } => write!(
                f,
                "Portainer could not find what was asked for{}.",
                Quoted(message)
            ),
            Self::BadRequest { message } => {
                write!(f, "Portainer refused the request as invalid{}.", Quoted(message))
            }
            Self::Conflict { message } => write!(
                f,
                "Portainer reported a conflict{}: something with that name already exists or is running.",
                Quoted(message)
            ),
            Self::Server { status, message } if *status >= 500 => write!(
                f,
                "Portainer failed with HTTP {status}{}. Try again later or check Portainer's logs.",
                Quoted(message)
            ),
            Self::Server { status, message } => write!(
                f,
                "Portainer answered with the unexpected HTTP status {status}{}.",
                Quoted(message)
            ),
            Self::Network { detail } => write!(
                f,
                "Could not reach Portainer{}. Either the server is down or unreachable, or the browser blocked the request because Portlight is not served from the same origin as Portainer's /api (Portainer sends no CORS headers): serve both behind one reverse proxy.",
                Quoted(detail)
            ),
            Self::Timeout { after_ms } if after_ms % 1000 == 0 => write!(
                f,
                "Portainer did not answer within {} seconds.",
                after_ms / 1000
            ),
            Self::Timeout { after_ms } => {
                write!(f, "Portainer did not answer within {after_ms} milliseconds.")
            }
            Self::Decode { model, detail } => write!(
                f,
                "Portainer's answer could not be read as {model}: {detail}. This Portainer version may not be supported."
            ),
            Self::NotPortainer { status, detail } => write!(
                f,
                "Expected Portainer's JSON API but the server answered HTTP {status} with {detail}. Check that /api is proxied to Portainer."
            ),
            Self::Redirected => write!(
                f,
                "The server answered with a redirect, which Portlight does not follow: the access token would travel with it to wherever it points. Enter the address the redirect leads to (often https:// instead of http://), or serve Portlight where /api is answered directly."
            ),
            Self::TooLarge { limit_bytes } => write!(
                f,
                "The answer was larger than the {} MB Portlight reads, so it was not read. Something between Portlight and Portainer (or Portainer itself) sent far more than any Portainer answer holds.",
                limit_bytes / (1024 * 1024)
            ),
            Self::UnusableToken { reason } => write!(
                f,
                "The access token cannot be sent as it is: {reason}. Copy it again from Portainer (My account → Access tokens)."
            ),
            Self::NotConnected => write!(
                f,
                "Nothing was sent: Portlight is not connected to this page's Portainer (never connected, signed out, or switched to another one since the page loaded)."
            ),
        }
    }
}

impl std::error::Error for ApiError {}

/// Refuses a token a request header cannot carry, before anything is sent, and says where the
/// odd character is (never the token itself). Portainer's tokens are visible ASCII.
pub fn check_token(token: &str) -> Result<(), ApiError> {
    if token.is_empty() {
        return Err(ApiError::UnusableToken {
            reason: "it is empty".into(),
        });
    }
    match token.chars().position(|c| !c.is_ascii_graphic()) {
        None => Ok(()),
        Some(at) => {
            let what = match token.chars().nth(at) {
                Some(' ') => "a space",
                Some('\n' | '\r') => "a line break",
                Some('\t') => "a tab",
                Some(c) if c.is_ascii_control() => "a control character",
                _ => "a character outside plain ASCII (often an invisible one)",
            };
            Err(ApiError::UnusableToken {
                reason: format!("it contains {what} at position {}", at + 1),
            })
        }
    }
}

/// Messages are cut to this many characters: a page shows them whole.
const MAX_MESSAGE_CHARS: usize = 300;

/// Portainer's `{message, details}`; Docker sends only `message`; Kubernetes' `Status` has a
/// `message` and an object as `details` (its kind and name, which the message repeats).
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default, deserialize_with = "text_only")]
    details: Option<String>,
}

/// A string, or nothing for any other JSON value.
fn text_only<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = <Box<serde_json::value::RawValue>>::deserialize(d)?;
    Ok(serde_json::from_str(raw.get()).ok())
}

/// Turns a non-2xx answer into an [`ApiError`], keeping Portainer's own message.
pub fn error_from_response(status: u16, content_type: Option<&str>, body: &str) -> ApiError {
    let text = body.trim();
    if looks_like_html(content_type, text) {
        return ApiError::NotPortainer {
            status,
            detail: describe_html(text),
        };
    }
    let (message, details) = match parse_error_body(text) {
        Some(parsed) => parsed,
        None => (one_line(text), String::new()),
    };
    // For 401/403 the details only repeat the message ("Unauthorized"); elsewhere they say why.
    let short = clean(if message.is_empty() {
        &details
    } else {
        &message
    });
    let long = clean(&match (message.is_empty(), details.is_empty()) {
        (false, false) if !message.eq_ignore_ascii_case(&details) => {
            format!("{message}: {details}")
        }
        (true, _) => details,
        _ => message,
    });
    match status {
        401 => ApiError::Unauthorized { message: short },
        403 => ApiError::Forbidden { message: short },
        404 => ApiError::NotFound { message: long },
        400 | 422 => ApiError::BadRequest { message: long },
        409 => ApiError::Conflict { message: long },
        _ => ApiError::Server {
            status,
            message: long,
        },
    }
}

/// Decodes a Portainer answer as `T`, or says precisely why not. `model` names `T` for the
/// message (e.g. `"Stack"`).
pub fn decode<T: DeserializeOwned>(
    model: &str,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(error_from_response(status, content_type, body));
    }
    // A byte order mark is no part of JSON, but a proxy may add one.
    let text = body.trim().trim_start_matches('\u{FEFF}');
    if looks_like_html(content_type, text) {
        return Err(ApiError::NotPortainer {
            status,
            detail: describe_html(text),
        });
    }
    if text.is_empty() {
        return Err(ApiError::Decode {
            model: model.to_owned(),
            detail: "the answer was empty".to_owned(),
        });
    }
    serde_json::from_str(text).map_err(|err| {
        let json_like = text.starts_with(['{', '[', '"']);
        let json_type = content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("json"));
        if !json_like && !json_type {
            ApiError::NotPortainer {
                status,
                detail: format!(
                    "a {} body ({})",
                    content_type.unwrap_or("non-JSON"),
                    clean(&one_line(text))
                ),
            }
        } else {
            ApiError::Decode {
                model: model.to_owned(),
                detail: clean(&err.to_string()),
            }
        }
    })
}

fn parse_error_body(text: &str) -> Option<(String, String)> {
    if !text.starts_with('{') {
        return None;
    }
    let body: ErrorBody = serde_json::from_str(text).ok()?;
    Some((
        body.message.unwrap_or_default().trim().to_owned(),
        body.details.unwrap_or_default().trim().to_owned(),
    ))
}

fn looks_like_html(content_type: Option<&str>, text: &str) -> bool {
    content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html")) || text.starts_with('<')
}

/// "an HTML page titled "502 Bad Gateway"", or "an HTML page".
fn describe_html(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|start| {
        let open_end = start + lower[start..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        Some(clean(&one_line(&text[open_end..close])))
    });
    match title {
        Some(t) if !t.is_empty() => format!("an HTML page titled \"{t}\""),
        _ => "an HTML page".to_owned(),
    }
}

/// Collapses whitespace (plain-text bodies end with a newline, HTML titles span lines).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Redacts secrets and bounds the length of any text that goes into an error.
fn clean(text: &str) -> String {
    let redacted = redact_secrets(text);
    match redacted.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &redacted[..cut]),
        None => redacted,
    }
}

/// Replaces anything that looks like a Portainer access token (`ptr_…`) or a JWT (`eyJ…`) with
/// a marker, in case a proxy or Portainer echoes one back into an error body.
pub fn redact_secrets(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "+/=_-.".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['p', 'e']) {
        let candidate = &rest[pos..];
        let marker = if candidate.starts_with("ptr_") {
            Some("ptr_…")
        } else if candidate.starts_with("eyJ") {
            Some("eyJ…")
        } else {
            None
        };
        let run = candidate
            .find(|c: char| !is_token_char(c))
            .unwrap_or(candidate.len());
        // A real token is long; "ptr_" alone in prose is not one.
        match marker {
            Some(marker) if run >= 12 => {
                out.push_str(&rest[..pos]);
                out.push_str(marker);
                rest = &candidate[run..];
            }
            _ => {
                out.push_str(&rest[..pos + 1]);
                rest = &rest[pos + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
