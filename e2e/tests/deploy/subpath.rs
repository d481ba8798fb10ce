//! deploy/nginx/portlight-subpath.conf: Portlight at /portlight/ on the host that serves
//! Portainer, built with `trunk build --release --public-url /portlight/`. Same origin as
//! Portainer's /api, so no proxying of its own.

use crate::{
    attribute, connect_list_and_reload, portainer, proxies_the_api, serves_the_release,
    streams_followed_logs, NGINX_SUBPATH_RECIPE,
};
use portlight_e2e::servers::{
    fill, free_port, get, recipe, subpath_dist, Nginx, TempDir, SYSTEM_CA_FILE,
};
use portlight_e2e::sim::{demo, SimHandle};
use portlight_e2e::Browser;

struct Setup {
    _sim: SimHandle,
    _nginx: Nginx,
    _root: TempDir,
    origin: String,
}

impl Setup {
    fn app(&self) -> String {
        format!("{}/portlight", self.origin)
    }
}

/// Portainer (the simulator) behind nginx at `/`, and the sub-path build at /portlight/, laid
/// out as the recipe says: PORTLIGHT_ROOT/portlight holds the build.
fn setup() -> Setup {
    let dist = subpath_dist();
    let sim = portainer();
    let root = TempDir::new("subpath-root");
    std::os::unix::fs::symlink(&dist, root.path().join("portlight")).expect("symlink the build");
    let port = free_port();
    let conf = fill(
        &recipe(NGINX_SUBPATH_RECIPE),
        &[
            ("PORTLIGHT_LISTEN", &format!("127.0.0.1:{port}")),
            (
                "PORTLIGHT_ROOT",
                root.path().to_str().expect("a UTF-8 path"),
            ),
            ("PORTAINER_UPSTREAM", &sim.url()),
            ("PORTAINER_TLS_VERIFY", "on"),
            ("PORTAINER_CA_FILE", SYSTEM_CA_FILE),
        ],
    );
    let nginx = Nginx::start("nginx-subpath", &conf, &[port]);
    Setup {
        _sim: sim,
        _nginx: nginx,
        _root: root,
        origin: format!("http://127.0.0.1:{port}"),
    }
}

#[test]
fn portlight_under_a_sub_path_of_portainers_host_connects_lists_and_reloads() {
    let s = setup();
    let b = Browser::start();
    // The suggested Portainer URL is the origin: Portainer's /api, not /portlight/api.
    connect_list_and_reload(&b, &s.app(), None);
    // The app's own links stay under /portlight/.
    b.goto(&format!("{}/stacks", s.app()));
    b.click("table.stacks tr.stack-row[data-stack=\"web-frontend\"] a");
    b.wait_text("h1", "web-frontend");
    assert!(
        b.url().starts_with(&format!("{}/stacks/1", s.app())),
        "{}",
        b.url()
    );
}

#[test]
fn a_sub_path_deep_link_without_a_token_comes_back_after_connecting() {
    let s = setup();
    let b = Browser::start();
    b.goto(&format!("{}/stacks?q=web", s.app()));
    b.wait_url("go to /portlight/connect", |u| {
        u.starts_with(&format!("{}/connect?next=", s.app()))
    });
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    let app = s.app();
    b.wait_url("come back to /portlight/stacks?q=web", |u| {
        u == format!("{app}/stacks?q=web")
    });
    b.wait("table.stacks tr.stack-row[data-stack=\"web-frontend\"]");
}

#[test]
fn the_sub_path_build_is_served_with_its_fallback_and_portainer_keeps_the_rest() {
    let s = setup();
    serves_the_release(&s.app(), &subpath_dist());
    proxies_the_api(&s.origin);
    streams_followed_logs(&s.origin);

    let bare = get(&s.app());
    assert_eq!(bare.status, 301, "{bare:?}");
    assert_eq!(
        bare.header("location").map(|l| l.ends_with("/portlight/")),
        Some(true),
        "{bare:?}"
    );

    // The build loads its files from /portlight/.
    let index = get(&format!("{}/", s.app())).text();
    let script = |attr: &str| attribute(&index, "script", attr).unwrap_or_default();
    assert_eq!(script("src"), "/portlight/boot.js", "{index}");
    assert!(
        script("data-wasm").starts_with("/portlight/portlight-"),
        "{index}"
    );
    assert!(
        script("data-js").starts_with("/portlight/portlight-"),
        "{index}"
    );

    // Outside /portlight/, nginx is Portainer: its answers, not Portlight's index.html.
    let outside = get(&format!("{}/stacks/1", s.origin));
    assert!(
        !outside.text().contains("/portlight/boot.js"),
        "{outside:?}"
    );
}
