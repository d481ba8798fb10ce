//! deploy/caddy/Caddyfile: the same origin as the nginx recipe, with Caddy. Caddy fills the
//! file's placeholders from the environment, so the test runs the file as it is.
//!
//! Where Debian has no Caddy package, each test writes a note saying it did not run and why
//! (to the terminal, past the test harness's output capture). Where Caddy is installed, the
//! tests run and fail like any other.

use crate::{
    connect_list_and_reload, portainer, proxies_the_api, serves_the_release, streams_followed_logs,
    CADDY_RECIPE,
};
use portlight_e2e::servers::{caddy_binary, deploy_dir, free_port, get, Caddy, HttpsPortainer};
use portlight_e2e::{dist, Browser};
use std::io::Write;

/// False, with a note on the terminal, when this machine has no usable Caddy.
fn caddy_here(test: &str) -> bool {
    match caddy_binary() {
        Ok(_) => true,
        Err(why) => {
            let _ = writeln!(
                std::io::stderr(),
                "\nNOTE: {test} did NOT run: {why}. The Caddy recipe is untested on this machine."
            );
            false
        }
    }
}

struct Site {
    caddy: Caddy,
    url: String,
}

fn site(upstream: &str, tls_verify: Option<&str>) -> Site {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let dist = dist();
    let mut env = vec![
        ("PORTLIGHT_SITE", url.as_str()),
        ("PORTLIGHT_DIST", dist.to_str().expect("a UTF-8 path")),
        ("PORTAINER_UPSTREAM", upstream),
    ];
    if let Some(verify) = tls_verify {
        env.push(("PORTAINER_TLS_VERIFY", verify));
    }
    let caddy = Caddy::start("caddy-recipe", &deploy_dir().join(CADDY_RECIPE), &env, port);
    Site { caddy, url }
}

#[test]
fn caddy_serves_portlight_and_portainers_api_on_one_origin() {
    if !caddy_here("caddy_serves_portlight_and_portainers_api_on_one_origin") {
        return;
    }
    let sim = portainer();
    let site = site(&sim.url(), None);
    let b = Browser::start();
    connect_list_and_reload(&b, &site.url, None);
}

#[test]
fn caddy_sends_the_release_with_the_right_types_and_cache_headers() {
    if !caddy_here("caddy_sends_the_release_with_the_right_types_and_cache_headers") {
        return;
    }
    let sim = portainer();
    let site = site(&sim.url(), None);
    serves_the_release(&site.url, &dist());
    proxies_the_api(&site.url);
    let page = get(&format!("{}/stacks", site.url));
    assert_eq!(page.header("x-frame-options"), Some("DENY"), "{page:?}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
}

#[test]
fn caddy_passes_followed_logs_on_as_they_are_written() {
    if !caddy_here("caddy_passes_followed_logs_on_as_they_are_written") {
        return;
    }
    let sim = portainer();
    let site = site(&sim.url(), None);
    streams_followed_logs(&site.url);
}

#[test]
fn caddy_reaches_a_portainer_with_a_self_signed_certificate_only_when_told_to() {
    if !caddy_here("caddy_reaches_a_portainer_with_a_self_signed_certificate_only_when_told_to") {
        return;
    }
    let sim = portainer();
    let https = HttpsPortainer::start(&sim.url());

    let lenient = site(&https.url(), Some("off"));
    proxies_the_api(&lenient.url);
    streams_followed_logs(&lenient.url);

    // The default checks the certificate against the system's CAs: refused.
    let strict = site(&https.url(), None);
    let refused = get(&format!("{}/api/status", strict.url));
    assert_eq!(refused.status, 502, "{refused:?}");
    let log = strict.caddy.logs();
    assert!(
        log.contains("certificate"),
        "Caddy says why in its log: {log}"
    );
}
