//! Deployment tests: every recipe in `deploy/` run for real (Debian's nginx and Caddy) in front
//! of the simulator, with the release build in headless Chromium. Each test reads the recipe
//! file itself and fills in its placeholders the way the operator's instructions say.
//! Run with `cargo xtask test deploy`.

mod caddy;
mod cors;
mod docker;
mod nginx;
mod subpath;

use portlight_e2e::servers::{get, Reply};
use portlight_e2e::sim::{demo, Config, SimHandle};
use portlight_e2e::Browser;
use std::path::Path;

/// The same-origin nginx recipe: the file the nginx tests run and the Docker image copies.
pub const NGINX_RECIPE: &str = "nginx/portlight.conf";
pub const NGINX_SUBPATH_RECIPE: &str = "nginx/portlight-subpath.conf";
pub const NGINX_CORS_RECIPE: &str = "nginx/cors-proxy.conf";
pub const CADDY_RECIPE: &str = "caddy/Caddyfile";
pub const DOCKERFILE: &str = "Dockerfile";

/// What the Connect page says once the demo admin's token is accepted.
const CONNECTED_AS_ADMIN: &str = "Connected to Portainer 2.23.0 as admin (administrator)";

/// A Portainer double without Portlight's files: the recipe under test serves those.
pub fn portainer() -> SimHandle {
    portainer_sim::spawn(Config::default())
}

/// `http://host:port` of a URL.
pub fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url[..after_scheme + i].to_string(),
        None => url.to_string(),
    }
}

/// The path part of a URL ("" for an origin).
fn path_of(url: &str) -> String {
    url[origin_of(url).len()..].to_string()
}

/// Connects as the demo admin on `{app}/connect`. `portainer` is what the operator types as
/// the Portainer URL, or None to keep the suggested one, which must be the page's origin.
pub fn connect(b: &Browser, app: &str, portainer: Option<&str>) {
    b.goto(&format!("{app}/connect"));
    let field = b.wait("#portainer-url");
    match portainer {
        None => assert_eq!(
            field.value(),
            origin_of(app),
            "the suggested Portainer URL is the page's origin"
        ),
        Some(url) => field.fill(url),
    }
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    b.wait_text(".connected-summary", CONNECTED_AS_ADMIN);
}

fn stack_row(name: &str) -> String {
    format!("table.stacks tr.stack-row[data-stack=\"{name}\"]")
}

/// The stack list shows every demo stack the admin sees, with links inside the app.
pub fn list_stacks(b: &Browser, app: &str) {
    b.goto(&format!("{app}/stacks"));
    for name in ["web-frontend", "monitoring", "api-gateway", "k8s-demo"] {
        b.wait(&stack_row(name));
    }
    let link = b.wait(&format!(
        "{} a[href$=\"/stacks/1\"]",
        stack_row("web-frontend")
    ));
    let href = link.attr("href").unwrap_or_default();
    assert_eq!(
        href,
        format!("{}/stacks/1", path_of(app)),
        "a stack's link stays inside Portlight"
    );
}

/// Bookmarked pages reload: a searched list and a stack's own page.
pub fn reload_deep_links(b: &Browser, app: &str) {
    b.goto(&format!("{app}/stacks?q=web"));
    b.wait(&stack_row("web-frontend"));
    b.wait_gone(&stack_row("monitoring"));
    b.refresh();
    b.wait(&stack_row("web-frontend"));
    b.wait_gone(&stack_row("monitoring"));
    assert!(
        b.url().ends_with(&format!("{}/stacks?q=web", path_of(app))),
        "{}",
        b.url()
    );

    b.goto(&format!("{app}/stacks/1"));
    b.wait_text("h1", "web-frontend");
    b.refresh();
    b.wait_text("h1", "web-frontend");
    assert!(
        b.url().ends_with(&format!("{}/stacks/1", path_of(app))),
        "{}",
        b.url()
    );
}

/// The whole walk an operator takes on a fresh deployment.
pub fn connect_list_and_reload(b: &Browser, app: &str, portainer: Option<&str>) {
    connect(b, app, portainer);
    list_stacks(b, app);
    reload_deep_links(b, app);
}

/// The one file of `dist` whose name ends with `suffix` (trunk adds a content hash).
pub fn dist_file(dist: &Path, prefix: &str, suffix: &str) -> String {
    let names: Vec<String> = std::fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dist.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    assert_eq!(
        names.len(),
        1,
        "expected one {prefix}*{suffix} in {}: {names:?}",
        dist.display()
    );
    names[0].clone()
}

/// The value of `attr` in the first `<tag …>` of an HTML page, quoted or not (trunk's release
/// build minifies index.html and drops the quotes).
pub fn attribute(html: &str, tag: &str, attr: &str) -> Option<String> {
    let start = html.find(&format!("<{tag} "))?;
    let element = &html[start..start + html[start..].find('>')? + 1];
    let at = element.find(&format!(" {attr}="))? + attr.len() + 2;
    let rest = &element[at..];
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        // Unquoted, the value runs to a space or the `>` (a `/` before it is part of it).
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(value.to_string())
}

fn is_no_cache(reply: &Reply) -> bool {
    reply.header("cache-control") == Some("no-cache")
}

fn is_immutable(reply: &Reply) -> bool {
    reply
        .header("cache-control")
        .is_some_and(|v| v.contains("max-age=31536000") && v.contains("immutable"))
}

/// What every recipe must do with the release build at `app` (an origin, or origin plus
/// sub-path): wasm with its MIME type, hashed files cached for long, index.html and boot.js
/// revalidated, unknown pages answered by index.html, a missing hashed file a real 404, and the
/// page's CSP sent as a header too, with `frame-ancestors 'none'`.
pub fn serves_the_release(app: &str, dist: &Path) {
    let base = format!("{}/", path_of(app));

    let index = get(&format!("{app}/"));
    assert_eq!(index.status, 200, "{index:?}");
    assert!(
        index
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{index:?}"
    );
    assert!(
        is_no_cache(&index),
        "index.html must be revalidated: {index:?}"
    );
    assert_eq!(
        attribute(&index.text(), "base", "href").as_deref(),
        Some(base.as_str()),
        "{index:?}"
    );
    // The page's own policy again, plus what only a header can say: no framing.
    let meta = portlight_e2e::csp_of(&index.text()).expect("index.html has a CSP <meta>");
    assert!(meta.contains("connect-src 'self';"), "{meta}");
    assert_eq!(
        index.header("content-security-policy"),
        Some(format!("{meta}; frame-ancestors 'none'").as_str()),
        "{index:?}"
    );

    let boot = get(&format!("{app}/boot.js"));
    assert_eq!(boot.status, 200, "{boot:?}");
    assert!(
        boot.header("content-type")
            .is_some_and(|t| t.contains("javascript")),
        "{boot:?}"
    );
    assert!(
        is_no_cache(&boot),
        "boot.js has no hash, so it is revalidated: {boot:?}"
    );

    let wasm_name = dist_file(dist, "portlight-", "_bg.wasm");
    let wasm = get(&format!("{app}/{wasm_name}"));
    assert_eq!(wasm.status, 200, "{wasm:?}");
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert!(is_immutable(&wasm), "{:?}", wasm.headers);
    let on_disk = std::fs::read(dist.join(&wasm_name)).expect("the wasm file");
    assert!(wasm.body == on_disk, "the wasm arrives byte for byte");

    let js_name = dist_file(dist, "portlight-", ".js");
    let js = get(&format!("{app}/{js_name}"));
    assert_eq!(js.status, 200, "{js:?}");
    assert!(
        js.header("content-type")
            .is_some_and(|t| t.contains("javascript")),
        "{js:?}"
    );
    assert!(is_immutable(&js), "{:?}", js.headers);

    let css_name = dist_file(dist, "base-", ".css");
    let css = get(&format!("{app}/{css_name}"));
    assert_eq!(css.status, 200, "{css:?}");
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css")),
        "{css:?}"
    );
    assert!(is_immutable(&css), "{:?}", css.headers);

    for page in ["/stacks/1", "/stacks?q=web", "/access", "/no/such/page"] {
        let reply = get(&format!("{app}{page}"));
        assert_eq!(reply.status, 200, "{page}: {reply:?}");
        assert_eq!(
            attribute(&reply.text(), "base", "href").as_deref(),
            Some(base.as_str()),
            "{page}: {reply:?}"
        );
        assert!(is_no_cache(&reply), "{page}: {reply:?}");
    }

    let missing = get(&format!("{app}/portlight-0123456789abcdef_bg.wasm"));
    assert_eq!(
        missing.status, 404,
        "a missing hashed file is not index.html: {missing:?}"
    );
}

/// Portainer's API answers through `origin`, including its own error bodies.
pub fn proxies_the_api(origin: &str) {
    let status = get(&format!("{origin}/api/status"));
    assert_eq!(status.status, 200, "{status:?}");
    let json: serde_json::Value = serde_json::from_slice(&status.body).expect("JSON status");
    assert_eq!(json["Version"], "2.23.0", "{json}");

    let unknown = get(&format!("{origin}/api/no-such-route"));
    assert_eq!(
        unknown.status, 404,
        "unknown API paths are Portainer's 404, not index.html: {unknown:?}"
    );
    assert!(!unknown.text().contains("<html"), "{unknown:?}");

    let stacks = portlight_e2e::servers::request(
        "GET",
        &format!("{origin}/api/stacks"),
        &[portlight_e2e::servers::admin_key()],
    );
    assert_eq!(stacks.status, 200, "{stacks:?}");
    assert!(stacks.text().contains("web-frontend"), "{stacks:?}");
}

/// A followed log stream arrives through `origin` line by line while it stays open.
pub fn streams_followed_logs(origin: &str) -> portlight_e2e::servers::LiveLog {
    let live = portlight_e2e::servers::follow_logs(origin);
    assert_eq!(live.status, 200);
    assert!(
        live.content_type.starts_with("application/vnd.docker"),
        "{}",
        live.content_type
    );
    assert!(
        !live.ended,
        "the follow ended: {:?}",
        String::from_utf8_lossy(&live.bytes)
    );
    let lines = live.bytes.iter().filter(|b| **b == b'\n').count();
    assert!(
        lines >= 2,
        "two live lines arrived: {:?}",
        String::from_utf8_lossy(&live.bytes)
    );
    live
}
