//! Portlight as an installed app: a manifest a phone can add to its home screen, and a service
//! worker that keeps the app's own files, so a repeat visit starts without them (here: with
//! the server gone), and that never keeps an answer from Portainer.

use crate::connect::connect_as;
use portlight_e2e::{demo_sim, Browser};
use serde_json::Value;

/// Runs `body` (a promise expression) in the page and returns what it resolves to.
fn resolve(b: &Browser, body: &str) -> Value {
    b.exec_async(&format!(
        "const done = arguments[arguments.length - 1];
         Promise.resolve().then(() => {body}).then(done, e => done('failed: ' + e));"
    ))
}

fn cached_urls(b: &Browser) -> Vec<String> {
    let urls = resolve(
        b,
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)
           .then(c => c.keys()).then(ks => ks.map(k => k.url))))).then(l => l.flat())",
    );
    urls.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_installed_portlight_starts_from_its_own_files_and_keeps_nothing_from_portainer() {
    let sim = demo_sim();
    let b = Browser::start();
    b.goto(&format!("{}/connect", sim.url()));
    b.wait("#access-token");

    // The manifest names the app, its start page and its icon.
    let manifest = resolve(&b, "fetch('manifest.webmanifest').then(r => r.json())");
    assert_eq!(manifest["name"], "Portlight", "{manifest}");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "./");
    assert_eq!(manifest["icons"][0]["src"], "favicon.svg");

    // The service worker takes the page over once installed.
    b.wait_until("the service worker controls the page", || {
        resolve(
            &b,
            "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)",
        ) == Value::Bool(true)
    });
    // Pages seen with a token: Portainer's answers pass through, none is kept.
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("tr.stack-row");
    b.goto(&format!("{}/stacks/1?tab=logs", sim.url()));
    b.wait(".logs .line");
    let kept = cached_urls(&b);
    assert!(kept.iter().any(|u| u.ends_with("_bg.wasm")), "{kept:?}");
    assert!(kept.iter().any(|u| u.ends_with(".css")), "{kept:?}");
    assert!(
        !kept.iter().any(|u| u.contains("/api")),
        "an answer from Portainer was kept: {kept:?}"
    );

    // The server is gone: the app still starts, from its own files, and says Portainer is out
    // of reach instead of showing a browser error page.
    let url = sim.url();
    drop(sim);
    b.expect_console("Failed to load resource");
    b.expect_console("net::ERR_CONNECTION_REFUSED");
    b.goto(&format!("{url}/stacks"));
    b.wait(".topbar");
    b.wait(".msg-error");
    assert!(!b.exists("#boot"), "the app did not start");
}
