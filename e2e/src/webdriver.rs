//! A small W3C WebDriver client for chromedriver: only the commands our tests use.
//! Blocking calls keep the tests plain `#[test]` functions.

use serde_json::{json, Value};
use std::time::Duration;

/// The W3C key under which an element reference travels.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug)]
pub struct WebDriverError {
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

pub type Result<T> = std::result::Result<T, WebDriverError>;

/// One WebDriver session.
pub struct Session {
    agent: ureq::Agent,
    base: String,
}

/// A reference to an element in the page.
#[derive(Clone, Debug)]
pub struct ElementId(pub String);

impl Session {
    /// Opens a session on the driver at `driver_url` with these capabilities.
    pub fn create(driver_url: &str, capabilities: Value) -> Result<Session> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let value = call(
            &agent,
            "POST",
            &format!("{driver_url}/session"),
            Some(json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| protocol("no sessionId in the new-session answer"))?;
        Ok(Session {
            agent,
            base: format!("{driver_url}/session/{id}"),
        })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        call(&self.agent, method, &format!("{}{path}", self.base), body)
    }

    pub fn navigate(&self, url: &str) -> Result<()> {
        self.cmd("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    pub fn current_url(&self) -> Result<String> {
        Ok(self
            .cmd("GET", "/url", None)?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    pub fn refresh(&self) -> Result<()> {
        self.cmd("POST", "/refresh", Some(json!({}))).map(drop)
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<ElementId>> {
        let value = self.cmd(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        Ok(value
            .as_array()
            .map(|items| items.iter().filter_map(element_id).collect())
            .unwrap_or_default())
    }

    pub fn click(&self, el: &ElementId) -> Result<()> {
        self.cmd("POST", &format!("/element/{}/click", el.0), Some(json!({})))
            .map(drop)
    }

    pub fn clear(&self, el: &ElementId) -> Result<()> {
        self.cmd("POST", &format!("/element/{}/clear", el.0), Some(json!({})))
            .map(drop)
    }

    pub fn send_keys(&self, el: &ElementId, text: &str) -> Result<()> {
        self.cmd(
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({ "text": text })),
        )
        .map(drop)
    }

    pub fn text(&self, el: &ElementId) -> Result<String> {
        let v = self.cmd("GET", &format!("/element/{}/text", el.0), None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub fn property(&self, el: &ElementId, name: &str) -> Result<Value> {
        self.cmd("GET", &format!("/element/{}/property/{name}", el.0), None)
    }

    pub fn attribute(&self, el: &ElementId, name: &str) -> Result<Option<String>> {
        let v = self.cmd("GET", &format!("/element/{}/attribute/{name}", el.0), None)?;
        Ok(v.as_str().map(str::to_string))
    }

    pub fn displayed(&self, el: &ElementId) -> Result<bool> {
        let v = self.cmd("GET", &format!("/element/{}/displayed", el.0), None)?;
        Ok(v.as_bool().unwrap_or(false))
    }

    /// Runs a synchronous script; `arguments[i]` are the values of `args`.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs a script that calls `arguments[arguments.length - 1](result)` when done.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// A Chrome DevTools Protocol command, through chromedriver's extension.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// PNG bytes of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        use base64::Engine;
        let v = self.cmd("GET", "/screenshot", None)?;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .map_err(|e| protocol(&format!("screenshot is not base64: {e}")))
    }

    /// Browser console entries since the last call (chromedriver's log extension).
    pub fn browser_log(&self) -> Result<Vec<Value>> {
        let v = self.cmd("POST", "/se/log", Some(json!({ "type": "browser" })))?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    pub fn window_handles(&self) -> Result<Vec<String>> {
        let v = self.cmd("GET", "/window/handles", None)?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Opens a new tab and returns its handle (not switched to).
    pub fn new_tab(&self) -> Result<String> {
        let v = self.cmd("POST", "/window/new", Some(json!({ "type": "tab" })))?;
        v["handle"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| protocol("no handle for the new tab"))
    }

    pub fn switch_to(&self, handle: &str) -> Result<()> {
        self.cmd("POST", "/window", Some(json!({ "handle": handle })))
            .map(drop)
    }

    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .map(drop)
    }

    pub fn accept_alert(&self) -> Result<()> {
        self.cmd("POST", "/alert/accept", Some(json!({}))).map(drop)
    }

    pub fn delete(&self) -> Result<()> {
        self.cmd("DELETE", "", None).map(drop)
    }
}

fn element_id(v: &Value) -> Option<ElementId> {
    v.get(ELEMENT_KEY)
        .and_then(Value::as_str)
        .map(|s| ElementId(s.to_string()))
}

fn protocol(message: &str) -> WebDriverError {
    WebDriverError {
        error: "protocol".into(),
        message: message.into(),
    }
}

/// One HTTP round trip; WebDriver errors come back as `{"value":{"error","message"}}`.
fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let sent = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, Some(body)) => agent.post(url).send_json(body),
        (_, None) => agent.post(url).send_empty(),
    };
    let mut response = sent.map_err(|e| WebDriverError {
        error: "transport".into(),
        message: format!("{method} {url}: {e}"),
    })?;
    let status = response.status().as_u16();
    let value: Value = response.body_mut().read_json().map_err(|e| {
        protocol(&format!(
            "{method} {url} answered {status} without JSON: {e}"
        ))
    })?;
    let value = value.get("value").cloned().unwrap_or(Value::Null);
    if status >= 400 {
        return Err(WebDriverError {
            error: value["error"]
                .as_str()
                .unwrap_or("unknown error")
                .to_string(),
            message: value["message"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        });
    }
    Ok(value)
}
