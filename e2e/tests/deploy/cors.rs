//! deploy/nginx/cors-proxy.conf: Portlight on one origin, Portainer's API on another behind the
//! CORS proxy, which lets exactly the configured origin read the answers.

use crate::{list_stacks, portainer, NGINX_CORS_RECIPE};
use portlight_e2e::servers::{
    admin_key, fill, free_port, recipe, request, Nginx, TempDir, SYSTEM_CA_FILE,
};
use portlight_e2e::sim::SimHandle;
use portlight_e2e::{dist_allowing, Browser};

/// Portlight's origin: a plain static host with the app's fallback, nothing else, serving a
/// build whose page may call `api` (the proxy's origin) besides its own.
fn static_app(api: &str) -> (Nginx, String, TempDir) {
    let port = free_port();
    let dist = dist_allowing(api);
    let conf = format!(
        "server {{
    listen 127.0.0.1:{port};
    root {};
    location / {{
        try_files $uri $uri/ /index.html;
    }}
}}
",
        dist.path().display()
    );
    (
        Nginx::start("static-app", &conf, &[port]),
        format!("http://127.0.0.1:{port}"),
        dist,
    )
}

/// The CORS proxy as an operator fills it in: `allowed` may read `upstream`'s API.
fn cors_proxy(upstream: &str, allowed: &str) -> (Nginx, String) {
    cors_proxy_on(free_port(), upstream, allowed)
}

fn cors_proxy_on(port: u16, upstream: &str, allowed: &str) -> (Nginx, String) {
    let conf = fill(
        &recipe(NGINX_CORS_RECIPE),
        &[
            ("CORS_PROXY_LISTEN", &format!("127.0.0.1:{port}")),
            ("ALLOWED_ORIGIN", allowed),
            ("PORTAINER_UPSTREAM", upstream),
            ("PORTAINER_TLS_VERIFY", "on"),
            ("PORTAINER_CA_FILE", SYSTEM_CA_FILE),
        ],
    );
    (
        Nginx::start("cors-proxy", &conf, &[port]),
        format!("http://127.0.0.1:{port}"),
    )
}

struct Setup {
    sim: SimHandle,
    _app: Nginx,
    _dist: TempDir,
    app: String,
    _proxy: Nginx,
    proxy: String,
}

fn setup() -> Setup {
    let sim = portainer();
    let proxy_port = free_port();
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let (app_server, app, dist) = static_app(&proxy);
    let (proxy_server, proxy) = cors_proxy_on(proxy_port, &sim.url(), &app);
    Setup {
        sim,
        _app: app_server,
        _dist: dist,
        app,
        _proxy: proxy_server,
        proxy,
    }
}

fn preflight(url: &str, origin: &str) -> portlight_e2e::servers::Reply {
    request(
        "OPTIONS",
        url,
        &[
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type,x-api-key"),
        ],
    )
}

#[test]
fn portlight_on_another_origin_works_through_the_cors_proxy() {
    let s = setup();
    let b = Browser::start();
    crate::connect(&b, &s.app, Some(&s.proxy));
    list_stacks(&b, &s.app);
    // Every API call went through the proxy, and no preflight reached Portainer.
    let requests = s.sim.requests();
    assert!(
        requests
            .iter()
            .any(|(m, p)| m == "GET" && p == "/api/stacks"),
        "{requests:?}"
    );
    assert!(
        !requests.iter().any(|(m, _)| m == "OPTIONS"),
        "{requests:?}"
    );
}

#[test]
fn the_cors_proxy_answers_preflights_for_the_configured_origin_only() {
    let s = setup();
    let url = format!("{}/api/stacks/1/start?endpointId=1", s.proxy);

    let allowed = preflight(&url, &s.app);
    assert_eq!(allowed.status, 204, "{allowed:?}");
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some(s.app.as_str())
    );
    let headers = allowed
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        headers.contains("x-api-key") && headers.contains("content-type"),
        "{allowed:?}"
    );
    assert_eq!(
        allowed.header("access-control-allow-methods"),
        Some("GET, POST, PUT, OPTIONS"),
        "only the methods Portlight sends"
    );
    assert_eq!(allowed.header("vary"), Some("Origin"));
    assert!(allowed.body.is_empty(), "{allowed:?}");

    for other in ["http://evil.example", "null", &s.proxy] {
        let refused = preflight(&url, other);
        assert!(
            refused.header("access-control-allow-origin").is_none(),
            "{other} must get no Access-Control-Allow-Origin: {refused:?}"
        );
    }
    assert!(
        !s.sim.requests().iter().any(|(m, _)| m == "OPTIONS"),
        "preflights never reach Portainer (it would answer 405)"
    );
}

#[test]
fn the_cors_proxy_lets_the_allowed_origin_read_answers_and_errors() {
    let s = setup();
    let origin = ("Origin", s.app.as_str());

    let stacks = request(
        "GET",
        &format!("{}/api/stacks", s.proxy),
        &[origin, admin_key()],
    );
    assert_eq!(stacks.status, 200, "{stacks:?}");
    assert_eq!(
        stacks.header("access-control-allow-origin"),
        Some(s.app.as_str())
    );
    assert_eq!(
        stacks.header("access-control-expose-headers"),
        Some("X-Total-Count, X-Total-Available")
    );
    assert!(stacks.text().contains("web-frontend"), "{stacks:?}");

    // Portainer's refusals are readable too, so Portlight can say what went wrong.
    let refused = request(
        "GET",
        &format!("{}/api/stacks", s.proxy),
        &[
            origin,
            ("X-API-Key", portlight_e2e::sim::demo::REVOKED_TOKEN),
        ],
    );
    assert_eq!(refused.status, 401, "{refused:?}");
    assert_eq!(
        refused.header("access-control-allow-origin"),
        Some(s.app.as_str())
    );

    // Another origin reads nothing, and `*` is never sent.
    let other = request(
        "GET",
        &format!("{}/api/stacks", s.proxy),
        &[("Origin", "http://evil.example"), admin_key()],
    );
    assert!(
        other.header("access-control-allow-origin").is_none(),
        "{other:?}"
    );

    // Portainer's UI is not behind this proxy.
    let ui = request("GET", &format!("{}/", s.proxy), &[origin]);
    assert_eq!(ui.status, 404, "{ui:?}");
}

#[test]
fn the_cors_proxy_keeps_its_headers_when_portainer_is_down() {
    let (app_server, app, _dist) = static_app("http://127.0.0.1:1");
    let closed = format!("http://127.0.0.1:{}", free_port());
    let (_proxy_server, proxy) = cors_proxy(&closed, &app);
    let down = request(
        "GET",
        &format!("{proxy}/api/status"),
        &[("Origin", app.as_str())],
    );
    assert_eq!(down.status, 502, "{down:?}");
    assert_eq!(
        down.header("access-control-allow-origin"),
        Some(app.as_str()),
        "Portlight can tell a down Portainer from a CORS refusal"
    );
    drop(app_server);
}

/// Two Portainers saved side by side: this page's own (same origin) and a 2.19 one behind the
/// CORS proxy. One click switches; each keeps its own token; signing out of one keeps the other.
#[test]
fn two_saved_portainers_switch_in_one_click_and_keep_their_own_tokens() {
    use portlight_e2e::sim::{demo, Config, PortainerVersion};
    let lab = portlight_e2e::sim::spawn(Config {
        version: PortainerVersion::V2_19,
        ..Config::default()
    });
    // The page on main's origin may call the proxy, and only it, besides its own origin.
    let proxy_port = free_port();
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let dist = dist_allowing(&proxy);
    let main = portlight_e2e::sim::spawn(Config {
        assets: Some(dist.path().to_path_buf()),
        ..Config::default()
    });
    let (_proxy_server, proxy) = cors_proxy_on(proxy_port, &lab.url(), &main.url());
    let b = Browser::start();
    // 2.19 has no /users/me: the token's user is found by probing (400, then 403s).
    b.expect_console("status of 400");
    b.expect_console("status of 403");

    b.goto(&format!("{}/connect", main.url()));
    b.fill("#instance-name", "main");
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    b.wait_text(".connected-summary", "Portainer 2.23.0 as admin");
    b.goto(&format!("{}/connect", main.url()));
    b.fill("#portainer-url", &proxy);
    b.fill("#instance-name", "lab");
    b.fill("#access-token", demo::token_for("bob"));
    b.click("button.connect");
    b.wait_text(".connected-summary", "Portainer 2.19.4 as bob");
    b.goto(&format!("{}/connect", main.url()));
    b.wait_until("two saved connections", || b.all("tr.instance").len() == 2);

    b.goto(&format!("{}/stacks", main.url()));
    b.wait_text(".stack-summary", "7 stacks");
    b.wait_text(".topbar .who", "bob (standard user) · Portainer 2.19.4");
    b.click("#instance-switch option[data-instance='main']");
    b.wait_text(".topbar .who", "admin (administrator) · Portainer 2.23.0");
    b.wait_text(".stack-summary", "12 stacks");
    assert!(b.url().ends_with("/stacks"), "the page stays: {}", b.url());
    b.click("#instance-switch option[data-instance='lab']");
    b.wait_text(".stack-summary", "7 stacks");

    // Signing out of lab wipes lab's token only.
    b.click(".topbar .sign-out-top");
    b.wait("#access-token");
    let storage = b.local_storage().to_string();
    assert!(!storage.contains(demo::token_for("bob")), "{storage}");
    assert!(storage.contains(demo::token_for("admin")), "{storage}");
    b.click("#instance-switch option[data-instance='main']");
    b.wait_text(".topbar .who", "admin (administrator)");
}
