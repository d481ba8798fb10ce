//! Connections: several saved Portainers, "this tab only" tokens, a token revoked mid-session,
//! and a Portainer on another origin (blocked by the browser: Portainer sends no CORS headers).

use crate::connect::connect_as;
use portlight_e2e::sim::demo;
use portlight_e2e::{demo_sim, Browser};

/// The same simulator under another host name: another origin for the browser.
fn other_origin(url: &str) -> String {
    url.replace("127.0.0.1", "localhost")
}

#[test]
fn a_portainer_on_another_origin_is_explained_with_the_exact_fix() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("Content Security Policy");
    b.expect_console("ERR_FAILED");
    b.goto(&format!("{}/connect", sim.url()));
    let api = other_origin(&sim.url());
    b.fill("#portainer-url", &api);
    // Said while typing, before anything is sent.
    b.wait_text(".origin-refused", &api);
    b.fill("#access-token", demo::token_for("admin"));
    b.click("button.connect");
    let text = b.wait_text(".connect-form .msg-error", "CORS").text();
    assert!(
        text.contains(&format!("may send requests only to {}", sim.url())),
        "{text}"
    );
    assert!(
        text.contains(&format!("refused to send anything to {api}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Access-Control-Allow-Origin: {}", sim.url())),
        "{text}"
    );
    assert!(!text.contains(demo::token_for("admin")));
}

#[test]
fn saved_portainers_are_named_edited_and_forgotten_and_failed_checks_are_not_saved() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("Content Security Policy");
    b.expect_console("ERR_FAILED");
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/connect", sim.url()));
    // A second Portainer whose check fails (another origin) is not saved…
    b.fill("#portainer-url", &other_origin(&sim.url()));
    b.fill("#instance-name", "elsewhere");
    b.fill("#access-token", demo::token_for("bob"));
    b.click("button.connect");
    b.wait_text(".connect-form .msg-error", "CORS");
    assert_eq!(b.all("tr.instance").len(), 1);
    // …while a working one is, under the name given.
    b.fill("#portainer-url", &sim.url());
    b.fill("#instance-name", "demo");
    b.fill("#access-token", demo::token_for("bob"));
    b.click("button.connect");
    b.wait_text(".arrival .connected-summary", "as bob (standard user)");
    // A second token for the same Portainer is a second connection: the first one is kept.
    b.goto(&format!("{}/connect", sim.url()));
    b.wait_until("two saved connections", || b.all("tr.instance").len() == 2);
    b.wait_text("tr.instance[data-instance=demo]", "current");
    let tokens = b.local_storage().to_string();
    assert!(tokens.contains(demo::token_for("admin")), "{tokens}");
    assert!(tokens.contains(demo::token_for("bob")), "{tokens}");

    b.goto(&format!("{}/stacks", sim.url()));
    b.wait_text(".topbar .who", "bob (standard user)");
    let chosen = b.exec(
        "return document.querySelector('#instance-switch').selectedOptions[0].textContent",
        vec![],
    );
    assert_eq!(chosen, "demo");
    b.wait_text(".stack-summary", "7 stacks");

    // Renaming keeps the token; forgetting wipes it and leaves the other connection alone.
    b.goto(&format!("{}/connect", sim.url()));
    b.click("tr.instance[data-instance=demo] button.edit");
    b.fill(".edit-instance input[type=text]", "lab");
    b.click(".edit-instance button[type=submit]");
    b.wait("tr.instance[data-instance=lab]");
    b.wait_text(".connected-summary", "as bob");
    b.click("tr.instance[data-instance=lab] button.forget");
    b.wait_until("one saved connection", || b.all("tr.instance").len() == 1);
    let storage = b.local_storage().to_string();
    assert!(!storage.contains(demo::token_for("bob")), "{storage}");
    assert!(storage.contains(demo::token_for("admin")), "{storage}");
    b.wait_text(".connected-summary", "as admin");
}

#[test]
fn a_changed_address_forgets_the_token_instead_of_sending_it_there() {
    let sim = demo_sim();
    let elsewhere = portlight_e2e::servers::Recorder::start();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/connect", sim.url()));
    b.click("tr.instance button.edit");
    b.fill(".edit-instance input[type=url]", &elsewhere.url());
    b.click(".edit-instance button[type=submit]");
    b.wait_text("tr.instance .token-kept", "no token");
    b.wait_text(".moved-note", "forgotten");
    b.wait_text(".topbar .who", "not connected");
    let storage = format!("{}{}", b.local_storage(), b.session_storage());
    assert!(!storage.contains(demo::token_for("admin")), "{storage}");
    // Pages that need a token go to Connect; nothing went to the new address.
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait_url("go to Connect", |u| u.contains("/connect?next="));
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );
}

#[test]
fn a_this_tab_only_token_is_not_in_local_storage_nor_in_a_new_tab() {
    let sim = demo_sim();
    let b = Browser::start();
    b.goto(&format!("{}/connect", sim.url()));
    b.click("#remember-tab");
    b.fill("#access-token", demo::token_for("carol"));
    b.click("button.connect");
    b.wait_text(".connected-summary", "as carol");
    let local = b.local_storage().to_string();
    assert!(!local.contains(demo::token_for("carol")), "{local}");
    let session = b.session_storage().to_string();
    assert!(session.contains(demo::token_for("carol")), "{session}");
    // Reloading this tab keeps it…
    b.refresh();
    b.wait_text(".topbar .who", "carol");
    // …a new tab does not have it.
    let first = b.session().window_handles().unwrap().remove(0);
    let tab = b.session().new_tab().unwrap();
    b.session().switch_to(&tab).unwrap();
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait_url("go to Connect", |u| u.contains("/connect?next="));
    b.wait("#access-token");
    b.session().switch_to(&first).unwrap();
    b.wait_text(".topbar .who", "carol");
}

#[test]
fn a_token_revoked_mid_session_asks_for_a_new_one_and_returns_to_the_same_view() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 401");
    connect_as(&b, &sim.url(), "alice");
    b.goto(&format!("{}/stacks?q=web&sort=updated", sim.url()));
    // Revoke only once the page's own requests are done (names arrive after the rows), so
    // the refresh is what meets the 401.
    b.wait_text("tr.stack-row[data-stack='web-frontend']", "team devs");
    assert!(sim.revoke_token(demo::token_for("alice")));
    b.click("button.refresh");
    b.wait_text(".reauth", "no longer accepts this token");
    b.wait_text(".reauth", "Invalid JWT token");
    assert!(
        b.url().ends_with("/stacks?q=web&sort=updated"),
        "{}",
        b.url()
    );
    b.fill("#reauth-token", demo::token("alice", "ci-deploy").unwrap());
    b.click(".reauth button[type=submit]");
    b.wait_gone(".reauth");
    b.wait("tr.stack-row[data-stack='web-frontend']");
    assert!(
        b.url().ends_with("/stacks?q=web&sort=updated"),
        "{}",
        b.url()
    );
    let storage = b.local_storage().to_string();
    assert!(storage.contains(demo::token("alice", "ci-deploy").unwrap()));
    assert!(!storage.contains(demo::token_for("alice")));
}
