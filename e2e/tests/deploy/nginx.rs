//! deploy/nginx/portlight.conf: Portlight and Portainer's /api on one origin, with Portainer
//! on plain HTTP and on HTTPS with a self-signed certificate.

use crate::{
    connect_list_and_reload, portainer, proxies_the_api, serves_the_release, streams_followed_logs,
    NGINX_RECIPE,
};
use portlight_e2e::servers::{fill, free_port, get, recipe, HttpsPortainer, Nginx, SYSTEM_CA_FILE};
use portlight_e2e::{dist, Browser};

/// The recipe as an operator fills it in, in front of `upstream`.
pub struct Site {
    pub nginx: Nginx,
    pub url: String,
}

pub fn site(upstream: &str, tls_verify: &str, ca_file: &str) -> Site {
    let port = free_port();
    let dist = dist();
    let conf = fill(
        &recipe(NGINX_RECIPE),
        &[
            ("PORTLIGHT_LISTEN", &format!("127.0.0.1:{port}")),
            ("PORTLIGHT_DIST", dist.to_str().expect("a UTF-8 path")),
            ("PORTAINER_UPSTREAM", upstream),
            ("PORTAINER_TLS_VERIFY", tls_verify),
            ("PORTAINER_CA_FILE", ca_file),
        ],
    );
    Site {
        nginx: Nginx::start("nginx-recipe", &conf, &[port]),
        url: format!("http://127.0.0.1:{port}"),
    }
}

#[test]
fn nginx_serves_portlight_and_portainers_api_on_one_origin() {
    let sim = portainer();
    let site = site(&sim.url(), "on", SYSTEM_CA_FILE);
    let b = Browser::start();
    connect_list_and_reload(&b, &site.url, None);
}

#[test]
fn nginx_sends_the_release_with_the_right_types_and_cache_headers() {
    let sim = portainer();
    let site = site(&sim.url(), "on", SYSTEM_CA_FILE);
    serves_the_release(&site.url, &dist());
    proxies_the_api(&site.url);
    // Every page of the app comes with the security headers.
    let index = get(&format!("{}/stacks", site.url));
    assert_eq!(index.header("x-frame-options"), Some("DENY"), "{index:?}");
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(index.header("referrer-policy"), Some("no-referrer"));
}

#[test]
fn nginx_passes_followed_logs_on_as_they_are_written() {
    let sim = portainer();
    let site = site(&sim.url(), "on", SYSTEM_CA_FILE);
    let live = streams_followed_logs(&site.url);
    // Compressed on the way (gzip for every type): each piece must still be flushed at once.
    assert_eq!(live.content_encoding, "gzip");
}

#[test]
fn nginx_reaches_a_portainer_with_a_self_signed_certificate() {
    let sim = portainer();
    let https = HttpsPortainer::start(&sim.url());
    // Portainer's own certificate on 9443 is self-signed: PORTAINER_TLS_VERIFY=off.
    let site = site(&https.url(), "off", SYSTEM_CA_FILE);
    proxies_the_api(&site.url);
    streams_followed_logs(&site.url);
    let b = Browser::start();
    connect_list_and_reload(&b, &site.url, None);
}

#[test]
fn nginx_checks_portainers_certificate_when_told_to() {
    let sim = portainer();
    let https = HttpsPortainer::start(&sim.url());

    // Trusting the certificate (as an operator trusts their own CA): the API answers.
    let cert = https.certificate.cert.to_str().expect("a UTF-8 path");
    let trusting = site(&https.url(), "on", cert);
    proxies_the_api(&trusting.url);

    // Checking against the system's CAs only: the self-signed certificate is refused.
    let strict = site(&https.url(), "on", SYSTEM_CA_FILE);
    let refused = get(&format!("{}/api/status", strict.url));
    assert_eq!(refused.status, 502, "{refused:?}");
    let log = strict.nginx.logs();
    assert!(
        log.contains("certificate"),
        "nginx says why in its error log: {log}"
    );
}
