//! What got in a new operator's way: orphaned stacks named, searched, filtered and counted
//! alike on every page; stacks the token cannot open marked in the list and named on their
//! page; the confirmation dialog held by keyboard; the redeploy's options and the commit it
//! deployed.

use crate::connect::connect_as;
use portlight_e2e::sim::hostile::{Answer, Hostile};
use portlight_e2e::{demo_sim, Browser};

/// WebDriver's key code for Escape.
const ESCAPE: &str = "\u{E00C}";

#[test]
fn an_orphaned_stack_is_named_searched_filtered_and_counted_alike() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait_text(".stack-summary", "12 stacks in 7 environments");
    // Named so once the viewer is known to be an administrator, who sees every environment.
    let row = b
        .wait_text(
            "tr.stack-row[data-stack='old-reports'] td.env",
            "environment #9 (deleted)",
        )
        .text();
    // Not "#9" alone, which reads as a stack's id.
    assert!(row.starts_with("environment #9"), "{row}");

    // The word on its badge finds it, and so does its environment's label.
    b.fill("#stack-search", "orphaned");
    b.wait_until("only the orphan matches", || {
        b.texts("tr.stack-row td.name a") == ["old-reports"]
    });
    b.fill("#stack-search", "deleted");
    b.wait_until("the label matches too", || {
        b.texts("tr.stack-row td.name a") == ["old-reports"]
    });
    b.fill("#stack-search", "");

    // The environment filter offers it under the same name.
    b.wait_text("label[for='env-9']", "environment #9 (deleted)");
    b.click("#env-9");
    b.wait_until("the filter keeps the orphan", || {
        b.texts("tr.stack-row td.name a") == ["old-reports"]
    });

    // The access page counts the same seven environments and names the deleted one alike.
    b.goto(&format!("{}/access", sim.url()));
    b.wait_text(".stacks-summary", "12 stacks visible in 7 environments");
    b.wait_text(
        "tbody.stack-group[data-env-id='9'] .group-head",
        "environment #9 (deleted): 1 stack(s)",
    );
}

#[test]
fn a_stack_the_token_cannot_open_is_marked_in_the_list_and_named_on_its_page() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 403");
    // bob's team devs is given staging-web, but regular users may not manage stacks on
    // staging: Portainer lists it and refuses its details.
    connect_as(&b, &sim.url(), "bob");
    b.goto(&format!("{}/stacks", sim.url()));
    let refused = b.wait("tr.stack-row[data-stack='staging-web'] .refused");
    assert_eq!(refused.text(), "cannot open");
    let why = refused.attr("title").unwrap_or_default();
    assert!(
        why.contains("Stack management is disabled for non-admin users on staging"),
        "{why}"
    );
    // A stack bob may open carries no such mark.
    assert!(!b.exists("tr.stack-row[data-stack='payments'] .refused"));

    b.goto(&format!("{}/stacks/8", sim.url()));
    b.wait_text("h1", "staging-web");
    b.wait_text(".msg-error", "Stack management is disabled");
    b.click(".forbidden-note a");
    b.wait_url("the access page", |u| u.ends_with("/access"));
    b.wait(".access-stacks");
}

#[test]
fn the_confirmation_takes_the_focus_and_escape_cancels_it() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/2", sim.url()));
    b.wait_text("h1", "monitoring");
    b.click("button.action-stop");
    b.wait("dialog.confirm[open]");
    // The safe answer has the focus at once: no Tab needed before a key works.
    b.wait_until("Cancel has the focus", || {
        b.exec(
            "return document.activeElement && document.activeElement.className",
            vec![],
        ) == serde_json::json!("confirm-no")
    });
    b.wait("button.confirm-no").send_keys(ESCAPE);
    b.wait_gone("dialog.confirm");
    assert!(!sim.requests().iter().any(|(m, _)| m == "POST"));
    // The page behind is untouched and the action can be asked again.
    b.click("button.action-stop");
    b.wait("dialog.confirm[open]");
    b.click("button.confirm-no");
    b.wait_gone("dialog.confirm");
}

#[test]
fn a_redeploy_offers_pull_and_prune_and_says_which_commit_it_deployed() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    let before = sim.stack(6).expect("api-gateway");
    let old = before["GitConfig"]["ConfigHash"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(before["Option"]["Prune"], serde_json::json!(false));

    b.goto(&format!("{}/stacks/6", sim.url()));
    b.wait_text("h1", "api-gateway");
    b.click("button.action-redeploy");
    b.wait("dialog.confirm[open]");
    // Pull is on by default; prune follows the stack's last deploy (off).
    assert_eq!(
        b.wait("input.pull-images").prop("checked"),
        serde_json::json!(true)
    );
    assert_eq!(
        b.wait("input.prune").prop("checked"),
        serde_json::json!(false)
    );
    b.click("input.prune");
    b.click("button.confirm-yes");
    let done = b.wait_text(".action-result", "redeployed from git").text();
    let after = sim.stack(6).expect("api-gateway");
    assert_eq!(after["Option"]["Prune"], serde_json::json!(true));
    let new = after["GitConfig"]["ConfigHash"]
        .as_str()
        .unwrap_or_default();
    assert_ne!(
        new, old,
        "the simulator deploys the reference's latest commit"
    );
    assert!(
        done.contains(&format!(
            "Now at commit {} (was {})",
            &new[..12],
            &old[..12]
        )),
        "{done}"
    );

    // Again: nothing new on the reference, and the page says so.
    b.click("button.action-redeploy");
    b.wait("dialog.confirm[open]");
    assert_eq!(
        b.wait("input.prune").prop("checked"),
        serde_json::json!(true)
    );
    b.click("button.confirm-yes");
    b.wait_text(".action-result", "Still at commit");

    // A compose stack has no prune to offer.
    b.goto(&format!("{}/stacks/1", sim.url()));
    b.wait_text("h1", "web-frontend");
    b.click("button.action-redeploy");
    b.wait("input.pull-images");
    assert!(!b.exists("input.prune"));
}

/// Presses `keys` where the focus is (the page itself when nothing has it).
fn press(b: &Browser, keys: &str) {
    let active = b.exec(
        "const a = document.activeElement; \
         return a && a !== document.body ? null : 'body'",
        vec![],
    );
    let css = if active.is_null() { ":focus" } else { "body" };
    b.wait(css).send_keys(keys);
}

fn selected_stack(b: &Browser) -> String {
    b.all("tr.stack-row[aria-selected='true']")
        .first()
        .and_then(|r| r.attr("data-stack"))
        .unwrap_or_default()
}

#[test]
fn the_keyboard_reaches_search_selection_stacks_and_pages() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks", sim.url()));
    b.wait("tr.stack-row");
    b.wait_gone(".arrival");

    // "/" puts the cursor in the search; Esc clears it, then leaves it.
    press(&b, "/");
    b.wait("#stack-search:focus");
    press(&b, "monit");
    b.wait_until("the search narrows the list", || {
        b.texts("tr.stack-row td.name a") == ["monitoring"]
    });
    press(&b, ESCAPE);
    b.wait_until("Esc clears the search", || {
        b.all("tr.stack-row").len() == 12
    });
    assert_eq!(b.wait("#stack-search").value(), "");
    b.wait("#stack-search:focus");
    press(&b, ESCAPE);
    b.wait_gone("#stack-search:focus");

    // j and k move a visible selection; Enter opens it.
    press(&b, "j");
    b.wait_until("j selects the first stack", || {
        selected_stack(&b) == "api-gateway"
    });
    press(&b, "jj");
    b.wait_until("j moves down", || selected_stack(&b) == "db-admin");
    press(&b, "k");
    b.wait_until("k moves up", || selected_stack(&b) == "carol-sandbox");
    // The selection is seen, not only announced: its row looks unlike the others.
    let looks = b.exec(
        "const look = r => { const s = getComputedStyle(r); return [s.backgroundColor, s.boxShadow]; }; \
         const sel = document.querySelector(\"tr.stack-row[aria-selected='true']\"); \
         const other = document.querySelector(\"tr.stack-row[aria-selected='false']\"); \
         return [look(sel), look(other)];",
        vec![],
    );
    assert_ne!(
        looks[0], looks[1],
        "the selected row looks like the others: {looks}"
    );
    assert_ne!(looks[0][1], "none", "the selected row has no bar: {looks}");
    assert!(
        b.url().contains("sel=4"),
        "the selection is in the address: {}",
        b.url()
    );
    press(&b, "\u{E007}");
    b.wait_url("the selected stack's page", |u| u.contains("/stacks/4"));
    b.wait_text("h1", "carol-sandbox");

    // g a, g s: the pages, from anywhere.
    press(&b, "ga");
    b.wait_url("the access page", |u| u.ends_with("/access"));
    b.wait(".access-stacks");
    press(&b, "gs");
    b.wait_url("the stacks", |u| {
        u.contains("/stacks") && !u.contains("/stacks/")
    });

    // ? lists the keys, in a dialog Esc closes.
    b.wait("tr.stack-row");
    press(&b, "?");
    let help = b.wait("dialog.key-help[open]").text();
    for key in ["g s", "g a", "j", "Enter", "Esc"] {
        assert!(help.contains(key), "{key}: {help}");
    }
    press(&b, ESCAPE);
    b.wait_gone("dialog.key-help");
}

/// Sets the automatic refresh on the Settings page.
fn refresh_every(b: &Browser, sim_url: &str, secs: u32) {
    b.goto(&format!("{sim_url}/settings"));
    b.fill("#refresh-every", &secs.to_string());
    b.click("button.save-settings");
    b.wait_text(".save-result", "Saved");
}

#[test]
fn the_list_refreshes_by_itself_keeps_the_selection_and_says_when_it_is_stale() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 500");
    connect_as(&b, &sim.url(), "admin");
    refresh_every(&b, &sim.url(), 10);
    b.goto(&format!("{}/stacks?sel=2", sim.url()));
    b.wait_text(".freshness", "refreshes every 10 s");
    let status = |b: &Browser| b.texts("tr.stack-row[data-stack='monitoring'] td.status");
    b.wait_until("monitoring reads active", || status(&b) == ["● active"]);

    // Someone else stops monitoring: the next refresh shows it, with the two list requests.
    sim.clear_requests();
    assert!(sim.edit_stack(2, None, Some(2)));
    b.wait_until("the refresh shows it stopped", || {
        status(&b) == ["○ inactive"]
    });
    let asked: Vec<String> = sim.requests().into_iter().map(|(_, p)| p).collect();
    // A refresh costs what the first load did: the stacks and the environments, and the
    // health column's Docker lists (a few per environment, never one per stack).
    assert!(asked.iter().any(|p| p == "/api/stacks"), "{asked:?}");
    let health_list = |p: &str| {
        p.contains("/docker/")
            && ["/containers/json", "/services", "/tasks"]
                .iter()
                .any(|list| p.ends_with(list))
    };
    assert!(
        asked
            .iter()
            .all(|p| p == "/api/stacks" || p == "/api/endpoints" || health_list(p)),
        "{asked:?}"
    );
    b.wait_text(".freshness", "Updated");
    // The selection survives the refresh.
    assert_eq!(selected_stack(&b), "monitoring");
    assert!(b.url().contains("sel=2"), "{}", b.url());

    // A refresh that fails keeps the list and says how old it is.
    sim.answer_with(Hostile::on(
        "/api/stacks",
        Answer::Fixed {
            status: 500,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: br#"{"message":"Unable to retrieve stacks","details":"boom"}"#.to_vec(),
        },
    ));
    b.wait_text(".stale", "the last refresh failed");
    b.wait_text(".stale", "Unable to retrieve stacks");
    assert_eq!(b.all("tr.stack-row").len(), 12);
    sim.behave();
    b.wait_gone(".stale");

    // Typing pauses it; so does a hidden tab, which then sends nothing at all.
    b.click("#stack-search");
    b.wait_text(".freshness", "paused while you type");
    b.exec(
        "document.activeElement.blur(); \
         Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });",
        vec![],
    );
    b.wait_text(".freshness", "paused while the tab is hidden");
    sim.clear_requests();
    std::thread::sleep(std::time::Duration::from_secs(12));
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    b.exec("delete document.hidden;", vec![]);
    b.wait_text(".freshness", "refreshes every 10 s");
}

#[test]
fn a_stack_page_refreshes_its_status_and_containers_by_itself() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    refresh_every(&b, &sim.url(), 10);
    b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
    b.wait("tr.container");
    b.wait_until("the stack reads active", || {
        b.texts(".page-head .badge").first().map(String::as_str) == Some("● active")
    });
    sim.clear_requests();
    assert!(sim.edit_stack(2, None, Some(2)));
    b.wait_until("the refresh shows it stopped", || {
        b.texts(".page-head .badge").first().map(String::as_str) == Some("○ inactive")
    });
    // The stack, the environments and the containers, read again; the tab stays open.
    let asked: Vec<String> = sim.requests().into_iter().map(|(_, p)| p).collect();
    for path in [
        "/api/stacks/2",
        "/api/endpoints",
        "/api/endpoints/1/docker/containers/json",
    ] {
        assert!(asked.iter().any(|p| p == path), "{path} not in {asked:?}");
    }
    b.wait("tr.container");
    assert!(b.url().contains("tab=containers"));
    b.wait_text(".freshness", "Updated");
}
