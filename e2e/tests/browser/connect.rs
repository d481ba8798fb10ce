//! The walking skeleton: connect, a wrong token, an unreachable server, reload, sign out.

use portlight_e2e::sim::{demo, Config, PortainerVersion};
use portlight_e2e::{artifacts_dir, demo_sim, sim_with, Browser};

/// Connects `user`'s demo token on `/connect` and waits for the stacks page to say who the
/// token is.
pub fn connect_as(b: &Browser, base: &str, user: &str) {
    b.goto(&format!("{base}/connect"));
    b.fill("#access-token", demo::token_for(user));
    b.click("button.connect");
    b.wait_text(".arrival .connected-summary", &format!(" as {user} "));
}

fn stored_tokens(b: &Browser) -> Vec<String> {
    let all = b.local_storage();
    let mut session = b.session_storage().as_object().cloned().unwrap_or_default();
    let mut values: Vec<String> = all
        .as_object()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .chain(std::mem::take(&mut session))
        .filter(|(k, _)| k.starts_with("portlight.token."))
        .filter_map(|(_, v)| {
            // Each token is stored with the address it was given for.
            let bound: serde_json::Value = serde_json::from_str(v.as_str()?).ok()?;
            assert!(bound["url"].is_string(), "{bound}");
            bound["token"].as_str().map(str::to_string)
        })
        .collect();
    values.sort();
    values
}

#[test]
fn a_valid_token_connects_and_stays_connected_after_a_reload() {
    let sim = demo_sim();
    let b = Browser::start();
    b.goto(&format!("{}/connect", sim.url()));
    // The address defaults to the page's own origin: Portainer sends no CORS headers.
    assert_eq!(b.wait("#portainer-url").value(), sim.url());
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    // Connect leads to the stacks, which say once who the token is.
    b.wait_text(
        ".arrival .connected-summary",
        "Connected to Portainer 2.23.0 as admin (administrator)",
    );
    assert!(b.url().ends_with("/stacks"), "{}", b.url());
    b.wait("tr.stack-row");
    assert_eq!(
        stored_tokens(&b),
        vec![demo::token_for("admin").to_string()]
    );
    assert!(b
        .wait(".topbar .who")
        .text()
        .contains("admin (administrator)"));

    b.refresh();
    b.wait_text(".topbar .who", "admin (administrator)");
    b.wait("tr.stack-row");
    b.screenshot(&artifacts_dir().join("connected.png"));
    // Said once: not again after a reload, nor on Connect's own summary twice.
    assert!(!b.exists(".arrival"));
    b.goto(&format!("{}/connect", sim.url()));
    b.wait_text(".connected .connected-summary", "as admin (administrator)");
    // The token is sent as a header only: never in the address bar.
    assert!(!b.url().contains(demo::token_for("admin")));
}

#[test]
fn a_standard_user_is_named_with_their_role() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "bob");
    b.wait_text(".connected-summary", "as bob (standard user)");
    assert!(
        !b.exists(".no-environment"),
        "bob reaches four environments"
    );
    // The note goes once dismissed, and does not come back on the next page.
    b.click(".arrival .dismiss");
    b.wait_gone(".arrival");
    connect_as(&b, &sim.url(), "bob");
    b.click("tr.stack-row[data-stack='payments'] a");
    b.wait_text("h1", "payments");
    assert!(!b.exists(".arrival"));
}

#[test]
fn a_token_that_reaches_no_environment_is_warned_at_once() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "dave");
    let warning = b
        .wait_text(".no-environment", "This token reaches no environment")
        .text();
    assert!(warning.contains("open none of them"), "{warning}");
    // The public stack is still listed.
    b.wait("tr.stack-row[data-stack='monitoring']");
    b.click(".no-environment a");
    b.wait_url("the Access page", |u| u.ends_with("/access"));
}

#[test]
fn a_wrong_token_shows_portainers_401_in_an_operators_words_and_stores_nothing() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 401");
    b.goto(&format!("{}/connect", sim.url()));
    b.fill("#access-token", demo::REVOKED_TOKEN);
    b.click("button.connect");
    let error = b.wait_text(".connect-form .msg-error", "Connecting failed (HTTP 401)");
    let text = error.text();
    assert!(
        text.contains("Portainer rejected the access token"),
        "{text}"
    );
    assert!(text.contains("Invalid JWT token"), "{text}");
    assert!(text.contains("invalid, expired or revoked"), "{text}");
    assert!(!b.page_text().contains(demo::REVOKED_TOKEN));
    assert!(stored_tokens(&b).is_empty());
    assert!(!b.exists(".connected-summary"));
}

#[test]
fn a_token_whose_user_was_deleted_is_refused_too() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 401");
    b.goto(&format!("{}/connect", sim.url()));
    b.fill("#access-token", demo::DELETED_USER_TOKEN);
    b.click("button.connect");
    b.wait_text(
        ".connect-form .msg-error",
        "An authorization token is invalid",
    );
}

#[test]
fn another_origin_is_refused_by_the_pages_policy_and_explained_with_the_fix() {
    let sim = demo_sim();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let b = Browser::start();
    b.expect_console("Content Security Policy");
    b.goto(&format!("{}/connect", sim.url()));
    b.fill("#portainer-url", &format!("http://127.0.0.1:{closed}"));
    // Said before anything is sent: this build may call only its own origin.
    b.wait_text(".origin-refused", &format!("http://127.0.0.1:{closed}"));
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    let error = b.wait_text(".connect-form .msg-error", "Could not reach Portainer");
    let text = error.text();
    // Another origin: the page names both addresses and the exact fix.
    assert!(
        text.contains(&format!("http://127.0.0.1:{closed}")),
        "{text}"
    );
    assert!(text.contains("Content Security Policy"), "{text}");
    assert!(text.contains("CORS"), "{text}");
    assert!(text.contains("Access-Control-Allow-Origin"), "{text}");
    assert!(text.contains("Other origins"), "{text}");
    assert!(stored_tokens(&b).is_empty());
}

#[test]
fn signing_out_returns_to_connect_and_leaves_no_token_in_storage() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "alice");
    assert_eq!(stored_tokens(&b).len(), 1);
    b.goto(&format!("{}/connect", sim.url()));
    b.click(".connected .sign-out");
    b.wait("#access-token");
    b.wait_gone(".connected-summary");
    assert!(b.url().contains("/connect"));
    assert!(stored_tokens(&b).is_empty(), "{:?}", b.local_storage());
    let storage = b.local_storage().to_string();
    assert!(!storage.contains(demo::token_for("alice")), "{storage}");
    b.refresh();
    b.wait("#access-token");
    assert!(!b.exists(".connected-summary"));
}

#[test]
fn routes_are_real_urls_that_reload_and_come_back_after_connecting() {
    let sim = demo_sim();
    let b = Browser::start();
    // Without a token, a deep link goes to Connect and returns afterwards.
    b.goto(&format!("{}/stacks?q=web", sim.url()));
    b.wait_url("go to /connect with next", |u| u.contains("/connect?next="));
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    b.wait_url("come back to the deep link", |u| {
        u.ends_with("/stacks?q=web")
    });
    b.refresh();
    b.wait_url("stay on the deep link", |u| u.ends_with("/stacks?q=web"));
    b.goto(&format!("{}/no/such/page", sim.url()));
    b.wait_text("h1", "Page not found");
}

#[test]
fn portainer_2_19_without_users_me_still_finds_the_tokens_user() {
    let sim = sim_with(Config {
        version: PortainerVersion::V2_19,
        ..Config::default()
    });
    let b = Browser::start();
    // 2.19 answers /users/me with 400; the fallback probes users it may not read (403).
    b.expect_console("status of 400");
    b.expect_console("status of 403");
    connect_as(&b, &sim.url(), "bob");
    b.wait_text(
        ".connected-summary",
        "Connected to Portainer 2.19.4 as bob (standard user)",
    );
}

#[test]
fn the_public_status_check_carries_no_token_and_every_other_request_does() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "bob");
    let keyed = sim.keyed_paths();
    let all = sim.requests();
    assert!(
        all.iter().any(|(_, p)| p == "/api/system/status"),
        "{all:?}"
    );
    assert!(
        !keyed.iter().any(|p| p == "/api/system/status"),
        "the public status check sent the token: {keyed:?}"
    );
    assert!(keyed.iter().any(|p| p == "/api/users/me"), "{keyed:?}");
}
