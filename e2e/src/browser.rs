//! Headless Debian Chromium driven over WebDriver, with the waits and checks our tests share.
//!
//! Each `Browser` owns its chromedriver process and a fresh profile, so tests never share
//! localStorage. When it is dropped, it fails the test on any SEVERE console entry the test
//! did not declare with `expect_console`, and saves a screenshot of failing tests.

use crate::webdriver::{ElementId, Session, WebDriverError};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod page_checks;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long a wait polls before the test fails: generous, because CI machines are slow and
/// the first wasm compile of a page takes a moment. Waits end as soon as the page is ready.
const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

pub struct Browser {
    session: Session,
    driver: Child,
    profile: PathBuf,
    console: RefCell<Vec<Value>>,
    allowed: RefCell<Vec<String>>,
}

/// An element found in the page, with the session to act on it.
pub struct Element<'a> {
    browser: &'a Browser,
    id: ElementId,
}

/// The demo's environments 3 (`edge-site-7`: its agent never opens a tunnel) and 4
/// (`staging`: its host is down) fail every Docker request by design, and the stack list asks
/// each environment for its containers (its health column): the browser logs those failures
/// wherever a test opens the list.
const DEMO_UNREACHABLE: [&str; 2] = ["/api/endpoints/3/docker/", "/api/endpoints/4/docker/"];

impl Browser {
    /// Starts chromedriver and a headless Chromium with a new, empty profile.
    pub fn start() -> Browser {
        let port = free_port();
        // Its own process group, so Drop can stop Chromium too even when the session is stuck.
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {CHROMEDRIVER} ({e}); `cargo xtask test` installs chromium-driver")
            });
        let driver_url = format!("http://127.0.0.1:{port}");
        wait_for_driver(&driver_url, &mut driver);
        let profile =
            std::env::temp_dir().join(format!("portlight-e2e-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1280,900",
            // A runaway page fails its test instead of exhausting the machine's memory.
            "--js-flags=--max-old-space-size=512",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
            "timeouts": { "pageLoad": 30_000, "script": 30_000 },
        });
        let session = match Session::create(&driver_url, caps) {
            Ok(s) => s,
            Err(e) => {
                kill_group(&mut driver);
                panic!("chromium did not start: {e}");
            }
        };
        Browser {
            session,
            driver,
            profile,
            console: RefCell::new(Vec::new()),
            allowed: RefCell::new(Vec::new()),
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Declares console errors this test causes on purpose (e.g. "status of 401" when it
    /// sends a wrong token): SEVERE entries containing one of these do not fail the test.
    pub fn expect_console(&self, fragment: &str) {
        self.allowed.borrow_mut().push(fragment.to_string());
    }

    pub fn goto(&self, url: &str) {
        ok(self.session.navigate(url), "navigate");
    }

    pub fn refresh(&self) {
        ok(self.session.refresh(), "refresh");
    }

    pub fn url(&self) -> String {
        ok(self.session.current_url(), "current url")
    }

    /// Waits until an element matching `css` is displayed, and returns it.
    pub fn wait(&self, css: &str) -> Element<'_> {
        let mut found = None;
        self.wait_until(&format!("`{css}` to be displayed"), || {
            found = self.find_displayed(css);
            found.is_some()
        });
        found.expect("wait_until returned, so the element was found")
    }

    /// Waits until an element matching `css` shows text containing `needle`.
    pub fn wait_text(&self, css: &str, needle: &str) -> Element<'_> {
        let mut found = None;
        let mut last = String::new();
        let ok = self.poll(|| {
            for id in self.session.find_all(css).unwrap_or_default() {
                if let Ok(text) = self.session.text(&id) {
                    if text.contains(needle) {
                        found = Some(id);
                        return true;
                    }
                    last = text;
                }
            }
            false
        });
        if !ok {
            self.fail(&format!(
                "no `{css}` showed {needle:?} within {WAIT:?}; last text seen: {last:?}"
            ));
        }
        Element {
            browser: self,
            id: found.expect("found when poll succeeded"),
        }
    }

    /// Waits until no element matches `css`.
    pub fn wait_gone(&self, css: &str) {
        self.wait_until(&format!("`{css}` to disappear"), || {
            self.session
                .find_all(css)
                .map(|v| v.is_empty())
                .unwrap_or(false)
        });
    }

    /// Waits until the page URL satisfies `check`.
    pub fn wait_url(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let mut url = String::new();
        self.wait_until(&format!("the URL to {what}"), || {
            url = self.url();
            check(&url)
        });
        url
    }

    /// Polls `condition` until it holds; fails the test (with a screenshot) otherwise.
    pub fn wait_until(&self, what: &str, condition: impl FnMut() -> bool) {
        if !self.poll(condition) {
            self.fail(&format!("waited {WAIT:?} for {what}"));
        }
    }

    fn poll(&self, mut condition: impl FnMut() -> bool) -> bool {
        let start = Instant::now();
        loop {
            if condition() {
                return true;
            }
            if start.elapsed() > WAIT {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }

    fn find_displayed(&self, css: &str) -> Option<Element<'_>> {
        let ids = self.session.find_all(css).ok()?;
        ids.into_iter()
            .find(|id| self.session.displayed(id).unwrap_or(false))
            .map(|id| Element { browser: self, id })
    }

    /// Every element matching `css` right now (no wait).
    pub fn all(&self, css: &str) -> Vec<Element<'_>> {
        ok(self.session.find_all(css), css)
            .into_iter()
            .map(|id| Element { browser: self, id })
            .collect()
    }

    /// Texts of every element matching `css` right now.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css).iter().map(Element::text).collect()
    }

    pub fn exists(&self, css: &str) -> bool {
        !self.all(css).is_empty()
    }

    /// Clicks the first displayed match, finding it again if the page re-rendered it between
    /// the lookup and the click (a failed click did not happen, so trying again is safe).
    pub fn click(&self, css: &str) {
        self.act(css, "click", |id| self.session.click(id));
    }

    /// Replaces the value of an input (again on a re-rendered element, as for `click`).
    pub fn fill(&self, css: &str, text: &str) {
        self.act(css, "fill", |id| {
            self.session.clear(id)?;
            if text.is_empty() {
                Ok(())
            } else {
                self.session.send_keys(id, text)
            }
        });
    }

    fn act(
        &self,
        css: &str,
        what: &str,
        action: impl Fn(&ElementId) -> Result<(), WebDriverError>,
    ) {
        let mut last = String::from("no displayed match");
        let done = self.poll(|| match self.find_displayed(css) {
            Some(el) => match action(&el.id) {
                Ok(()) => true,
                Err(e) => {
                    last = e.to_string();
                    false
                }
            },
            None => false,
        });
        if !done {
            self.fail(&format!("could not {what} `{css}` within {WAIT:?}: {last}"));
        }
    }

    pub fn exec(&self, script: &str, args: Vec<Value>) -> Value {
        ok(self.session.execute(script, args), "execute script")
    }

    /// Runs a script that ends by calling `arguments[arguments.length - 1](result)`.
    pub fn exec_async(&self, script: &str) -> Value {
        ok(
            self.session.execute_async(script, vec![]),
            "execute async script",
        )
    }

    /// Every key and value in the page's localStorage.
    pub fn local_storage(&self) -> Value {
        self.exec(
            "const o = {}; for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); o[k] = localStorage.getItem(k); } return o;",
            vec![],
        )
    }

    pub fn session_storage(&self) -> Value {
        self.exec(
            "const o = {}; for (let i = 0; i < sessionStorage.length; i++) { const k = sessionStorage.key(i); o[k] = sessionStorage.getItem(k); } return o;",
            vec![],
        )
    }

    /// The whole visible text of the page.
    pub fn page_text(&self) -> String {
        self.exec("return document.body.innerText;", vec![])
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn screenshot(&self, path: &std::path::Path) {
        let png = ok(self.session.screenshot(), "screenshot");
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Console entries so far (kept across calls: chromedriver drains its log on read).
    pub fn console(&self) -> Vec<Value> {
        if let Ok(new) = self.session.browser_log() {
            self.console.borrow_mut().extend(new);
        }
        self.console.borrow().clone()
    }

    /// Forgets the console so far and every declared entry: a new case starts clean.
    pub fn reset_console(&self) {
        let _ = self.session.browser_log();
        self.console.borrow_mut().clear();
        self.allowed.borrow_mut().clear();
    }

    /// SEVERE console entries the test did not declare.
    pub fn unexpected_errors(&self) -> Vec<String> {
        let mut allowed = self.allowed.borrow().clone();
        allowed.extend(DEMO_UNREACHABLE.map(String::from));
        self.console()
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .filter(|m| !allowed.iter().any(|a| m.contains(a.as_str())))
            .collect()
    }

    /// Fails the test now, saving a screenshot and the page text for the post-mortem.
    pub fn fail(&self, message: &str) -> ! {
        let name = test_name();
        let dir = crate::artifacts_dir();
        self.screenshot(&dir.join(format!("{name}.png")));
        let _ = std::fs::write(dir.join(format!("{name}.txt")), self.page_text());
        panic!(
            "{message}\n  at {}\n  screenshot and page text in {}\n  console: {:?}",
            self.url(),
            dir.display(),
            self.console()
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let errors = if std::thread::panicking() {
            Vec::new()
        } else {
            self.unexpected_errors()
        };
        let _ = self.session.delete();
        kill_group(&mut self.driver);
        let _ = std::fs::remove_dir_all(&self.profile);
        if !errors.is_empty() {
            panic!("SEVERE console entries: {errors:#?}");
        }
    }
}

impl Element<'_> {
    pub fn click(&self) {
        ok(self.browser.session.click(&self.id), "click");
    }

    pub fn fill(&self, text: &str) {
        ok(self.browser.session.clear(&self.id), "clear");
        if !text.is_empty() {
            ok(self.browser.session.send_keys(&self.id, text), "type");
        }
    }

    pub fn send_keys(&self, text: &str) {
        ok(self.browser.session.send_keys(&self.id, text), "type");
    }

    pub fn text(&self) -> String {
        self.browser.session.text(&self.id).unwrap_or_default()
    }

    pub fn value(&self) -> String {
        self.prop("value").as_str().unwrap_or_default().to_string()
    }

    pub fn prop(&self, name: &str) -> Value {
        ok(self.browser.session.property(&self.id, name), "property")
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        ok(self.browser.session.attribute(&self.id, name), "attribute")
    }
}

/// Stops chromedriver and every Chromium process it started (same process group): a page
/// stuck in a loop must not outlive its test and eat the machine's memory.
fn kill_group(driver: &mut Child) {
    // A direct kill(2), not /bin/kill: procps-ng 4.0.2 misreads `kill -KILL -<pgid>` for some
    // ids and signals every process instead of the group.
    if let Ok(pgid) = libc::pid_t::try_from(driver.id()) {
        if pgid > 1 {
            // SAFETY: kill(2) with a negative id signals that process group only; no memory
            // is shared with the callee.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

fn ok<T>(r: Result<T, WebDriverError>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("WebDriver {what}: {e}"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_for_driver(url: &str, driver: &mut Child) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if agent.get(&format!("{url}/status")).call().is_ok() {
            return;
        }
        if let Ok(Some(status)) = driver.try_wait() {
            panic!("chromedriver exited at start: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = driver.kill();
    panic!("chromedriver did not answer on {url}");
}

/// libtest names each test's thread after the test.
fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("e2e")
        .replace("::", "-")
}
