//! The stack browser: list, search, filters, sort, bookmarks, detail, env masking, containers,
//! logs, actions per persona and read-only mode.

use crate::connect::connect_as;
use portlight_e2e::sim::{demo, Config, SimHandle};
use portlight_e2e::{artifacts_dir, demo_sim, sim_with, Browser};

/// The stack names of the rows on screen, in order (read in one script, so a re-render between
/// two WebDriver calls cannot leave a stale element).
fn names(b: &Browser) -> Vec<String> {
    let v = b.exec(
        "return Array.from(document.querySelectorAll('tr.stack-row')).map(r => r.dataset.stack);",
        vec![],
    );
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn open_stacks(b: &Browser, sim: &SimHandle, user: &str, query: &str) {
    connect_as(b, &sim.url(), user);
    b.goto(&format!("{}/stacks{query}", sim.url()));
    b.wait("tr.stack-row");
}

fn wait_names(b: &Browser, what: &str, expected: &[&str]) {
    b.wait_until(what, || names(b) == expected);
}

#[test]
fn an_admin_sees_every_stack_of_every_environment_from_two_requests() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    sim.clear_requests();
    b.goto(&format!("{}/stacks", sim.url()));
    // Seven environments hold them: six the token lists and the deleted one (as on /access).
    b.wait_text(".stack-summary", "12 stacks in 7 environments");
    assert_eq!(
        names(&b),
        [
            "api-gateway",
            "carol-sandbox",
            "db-admin",
            "edge-collector",
            "k8s-demo",
            "lab-wiki",
            "legacy-app",
            "monitoring",
            "old-reports",
            "payments",
            "staging-web",
            "web-frontend",
        ]
    );
    // The list itself costs two requests; the rest is who-is-who, fetched once per connection.
    let requests = sim.requests();
    let list: Vec<_> = requests
        .iter()
        .filter(|(_, p)| p == "/api/stacks" || p == "/api/endpoints")
        .collect();
    assert_eq!(list.len(), 2, "{requests:?}");
    // Other Docker requests are the health column's lists (see health.rs), never per stack.
    assert!(
        requests
            .iter()
            .filter(|(_, p)| p.contains("/docker/"))
            .all(|(_, p)| ["/containers/json", "/services", "/tasks"]
                .iter()
                .any(|list| p.ends_with(list))),
        "{requests:?}"
    );

    b.wait_text("tr.stack-row[data-stack='old-reports']", "orphaned");
    // Names arrive after the list: wait for the team's name, then read the row.
    let web = b
        .wait_text("tr.stack-row[data-stack='web-frontend']", "team devs")
        .text();
    for fact in [
        "local",
        "Docker",
        "Up",
        "Compose",
        "active",
        "acme/web-frontend",
        "main",
        "team devs",
        "admin",
        "alice",
    ] {
        assert!(web.contains(fact), "{fact} missing from {web}");
    }
    let legacy = b
        .wait_text("tr.stack-row[data-stack='legacy-app']", "legacy-app")
        .text();
    assert!(
        legacy.contains("administrators only") || legacy.contains("no access control"),
        "{legacy}"
    );
    b.screenshot(&artifacts_dir().join("stacks.png"));
}

#[test]
fn a_standard_user_sees_only_what_resource_controls_grant_and_hidden_environments_are_named() {
    let sim = demo_sim();
    let b = Browser::start();
    open_stacks(&b, &sim, "dave", "");
    wait_names(&b, "dave's one public stack", &["monitoring"]);
    // dave has no environment: the stack is listed, its environment is not accessible.
    let row = b
        .wait_text("tr.stack-row[data-stack='monitoring']", "not accessible")
        .text();
    assert!(row.contains("public"), "{row}");
}

#[test]
fn search_filters_as_you_type_across_name_environment_creator_and_git_url() {
    let sim = demo_sim();
    let b = Browser::start();
    open_stacks(&b, &sim, "admin", "");
    b.fill("#stack-search", "web");
    wait_names(&b, "search by name", &["staging-web", "web-frontend"]);
    // The URL follows once typing pauses, so a bookmark or a reload keeps the search.
    b.wait_until("the URL holds the search", || b.url().contains("q=web"));
    b.refresh();
    wait_names(
        &b,
        "the search after a reload",
        &["staging-web", "web-frontend"],
    );
    assert_eq!(b.wait("#stack-search").value(), "web");
    b.fill("#stack-search", "prod-swarm");
    wait_names(&b, "search by environment", &["api-gateway", "payments"]);
    b.fill("#stack-search", "github.com/acme/web");
    wait_names(&b, "search by git URL", &["web-frontend"]);
    b.fill("#stack-search", "nothing-matches-this");
    b.wait_text(".no-match", "No stack matches");
}

#[test]
fn each_filter_narrows_the_list_and_shows_its_counts() {
    let sim = demo_sim();
    let b = Browser::start();
    open_stacks(&b, &sim, "admin", "");
    // Counts are shown beside each option before choosing it.
    let swarm = b.wait("label[for='type-swarm']").text();
    assert!(swarm.ends_with('2'), "{swarm}");
    b.click("#type-swarm");
    wait_names(&b, "type filter", &["api-gateway", "payments"]);
    b.click("#type-swarm");
    b.click("#status-inactive");
    wait_names(&b, "status filter", &["carol-sandbox"]);
    b.click("#status-inactive");
    b.click("#source-git");
    wait_names(
        &b,
        "source filter",
        &["api-gateway", "k8s-demo", "web-frontend"],
    );
    b.click("#source-git");
    b.click("#own-public");
    wait_names(&b, "ownership filter", &["monitoring"]);
    b.click("#own-public");
    b.click("#env-2");
    wait_names(&b, "environment filter", &["api-gateway", "payments"]);
    assert!(b.url().contains("env=2"), "{}", b.url());
    b.click(".clear-filters");
    b.wait_until("all stacks back", || names(&b).len() == 12);
}

/// How many environment checkboxes the facet shows.
fn environment_checkboxes(b: &Browser) -> usize {
    b.all("#stack-filters [aria-label='Environment'] input[type='checkbox']")
        .len()
}

#[test]
fn many_environments_show_a_dozen_in_the_facet_and_the_rest_on_demand() {
    let sim = sim_with(Config {
        scale: Some((400, 60)),
        ..Config::default()
    });
    let b = Browser::start();
    open_stacks(&b, &sim, "admin", "");
    b.wait_text("#stack-filters .facet-more", "12 of 60 shown");
    assert_eq!(environment_checkboxes(&b), 12);
    // Found by name: docker-011 to docker-016 (docker-010 is a Kubernetes one, k8s-010).
    b.fill("#env-find", "DOCKER-01");
    b.wait_text("#stack-filters .facet-more", "6 of 6 matching shown");
    assert_eq!(environment_checkboxes(&b), 6);
    assert!(
        !b.exists("#stack-filters button.env-all"),
        "nothing is hidden, so nothing to show"
    );
    b.click("#env-13");
    b.wait_until("only docker-013's stacks", || {
        b.url().contains("env=13") && !names(&b).is_empty()
    });
    let summary = b.wait(".page-label").text();
    // A checked environment stays on screen whatever is typed.
    b.fill("#env-find", "edge");
    b.wait_text("#stack-filters .facet-more", "6 of 6 matching shown");
    assert!(b.exists("#env-13"), "the checked environment stays");
    assert_eq!(environment_checkboxes(&b), 7);
    assert_eq!(b.wait(".page-label").text(), summary);
    // Emptied as a person does, with Backspace (clearing by WebDriver sends no input event).
    b.fill("#env-find", "e");
    b.wait("#env-find").send_keys("\u{E003}");
    b.wait_text("#stack-filters .facet-more", "13 of 60 shown");
    b.click("#stack-filters button.env-all");
    b.wait_text("#stack-filters .facet-more", "60 of 60 shown");
    assert_eq!(environment_checkboxes(&b), 60);
    b.wait_text("#stack-filters button.env-all", "Show fewer");
}

#[test]
fn sorting_by_a_column_both_ways_and_the_view_survives_a_reload() {
    let sim = demo_sim();
    let b = Browser::start();
    open_stacks(&b, &sim, "admin", "");
    b.click("th[data-col='name'] button.sort");
    b.wait_until("descending by name", || {
        names(&b).first().map(String::as_str) == Some("web-frontend")
    });
    b.click("th[data-col='env'] button.sort");
    b.wait_until("ascending by environment", || {
        names(&b).first().map(String::as_str) == Some("edge-collector")
    });
    let th = b.wait("th[data-col='env']");
    assert_eq!(th.attr("aria-sort").as_deref(), Some("ascending"));

    // A bookmark reopens exactly the same view.
    b.goto(&format!(
        "{}/stacks?q=a&type=compose&sort=updated&desc=1",
        sim.url()
    ));
    b.wait("tr.stack-row");
    let before = names(&b);
    b.refresh();
    b.wait("tr.stack-row");
    b.wait_until("the same rows after a reload", || names(&b) == before);
    assert_eq!(b.wait("#stack-search").value(), "a");
    assert_eq!(
        b.wait("#type-compose").prop("checked"),
        serde_json::json!(true)
    );
}

#[test]
fn the_detail_page_shows_metadata_git_compose_and_masked_variables() {
    let sim = demo_sim();
    let b = Browser::start();
    open_stacks(&b, &sim, "admin", "");
    b.click("tr.stack-row[data-stack='web-frontend'] td.name a");
    b.wait_text("h1", "web-frontend");
    let overview = b.page_text();
    for fact in [
        "https://github.com/acme/web-frontend.git",
        "main",
        "docker-compose.yml",
        "polls every 5m",
        "team devs",
    ] {
        assert!(overview.contains(fact), "{fact} missing");
    }
    // Bookmarkable tabs.
    b.click("a[data-tab='compose']");
    b.wait_text(".code", "services");
    assert!(b.url().ends_with("/stacks/1?tab=compose"), "{}", b.url());
    b.refresh();
    b.wait_text(".code", "services");

    b.click("a[data-tab='env']");
    let secret = "f3a9c1e7b2d84a6f9e0c5b7a1d3f8e2c";
    b.wait("tr.env-var[data-name='SESSION_SECRET']");
    assert!(
        !b.page_text().contains(secret),
        "values are masked by default"
    );
    b.click("tr.env-var[data-name='SESSION_SECRET'] button.reveal");
    b.wait_text("tr.env-var[data-name='SESSION_SECRET'] td.value", secret);
    assert!(
        !b.page_text().contains("https://api.acme.example"),
        "only the one revealed"
    );
    b.click("button.reveal-all");
    b.wait_text(
        "tr.env-var[data-name='API_URL'] td.value",
        "https://api.acme.example",
    );
    b.click("button.reveal-all");
    b.wait_until("all hidden again", || !b.page_text().contains(secret));
}

#[test]
fn containers_and_logs_of_a_compose_stack() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/2?tab=containers", sim.url()));
    b.wait("tr.container");
    let text = b.wait("table.containers").text();
    assert!(text.contains("unhealthy"), "{text}");
    assert!(text.contains("exited"), "{text}");
    assert!(
        text.contains("0.0.0.0:3000→3000/tcp") || text.contains("3000→3000/tcp"),
        "{text}"
    );
    b.click("tr.container a.button");
    b.wait(".logs .line");
    assert!(b.url().contains("/stacks/2/logs?only="), "{}", b.url());
    // That container's lines alone.
    let prefixes: std::collections::BTreeSet<String> =
        b.texts(".logs .line .src").into_iter().collect();
    assert_eq!(prefixes.len(), 1, "{prefixes:?}");
    assert!(
        !b.all(".logs .line .ts").is_empty(),
        "timestamps shown by default"
    );
    b.click("#log-timestamps");
    b.wait_until("timestamps off", || {
        b.all(".logs .line .ts").is_empty() && !b.all(".logs .line").is_empty()
    });
}

#[test]
fn logs_tell_stdout_from_stderr() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    // Every container of web-frontend at once: some lines are on stderr, marked in words.
    b.goto(&format!("{}/stacks/1/logs", sim.url()));
    b.wait(".logs .line");
    assert!(b.exists(".logs .line.stdout"));
    let stderr = b.wait(".logs .line.stderr .stream").text();
    assert_eq!(stderr, "stderr");
    // stderr only, from the URL.
    b.goto(&format!("{}/stacks/1/logs?stream=stderr", sim.url()));
    b.wait(".logs .line.stderr");
    assert!(!b.exists(".logs .line.stdout"));
}

#[test]
fn an_admin_stops_and_starts_a_stack_after_confirming_and_the_list_reflects_it() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/2", sim.url()));
    b.wait_text("h1", "monitoring");
    b.click("button.action-stop");
    b.wait_text(
        ".confirm h2",
        "Stop stack “monitoring” on environment “local” (Portainer “",
    );
    b.click("button.confirm-no");
    b.wait_gone(".confirm");
    assert!(!sim.requests().iter().any(|(m, _)| m == "POST"));
    b.click("button.action-stop");
    b.click("button.confirm-yes");
    b.wait_text(".action-result", "Stack “monitoring” stopped.");
    b.wait_text(".page-head", "inactive");
    assert!(sim
        .requests()
        .iter()
        .any(|(m, p)| m == "POST" && p == "/api/stacks/2/stop"));
    b.goto(&format!("{}/stacks?q=monitoring", sim.url()));
    b.wait_text("tr.stack-row[data-stack='monitoring']", "inactive");
    b.goto(&format!("{}/stacks/2", sim.url()));
    b.click("button.action-start");
    b.click("button.confirm-yes");
    b.wait_text(".action-result", "started");
}

#[test]
fn a_standard_user_without_the_right_sees_why_the_actions_are_disabled() {
    let sim = demo_sim();
    let b = Browser::start();
    b.expect_console("status of 403");
    // bob sees staging-web through team devs, but stack management is off for regular users
    // on staging: Portainer refuses even to show it.
    connect_as(&b, &sim.url(), "bob");
    b.goto(&format!("{}/stacks?q=staging", sim.url()));
    b.wait("tr.stack-row[data-stack='staging-web']");
    b.goto(&format!("{}/stacks/8", sim.url()));
    b.wait_text(
        ".msg-error",
        "Stack management is disabled for non-admin users",
    );
    b.wait_text(".forbidden-note", "only to administrators");

    // dave lists the public monitoring stack, but without access to its environment he may
    // neither open it nor act on it.
    connect_as(&b, &sim.url(), "dave");
    b.goto(&format!("{}/stacks/2", sim.url()));
    b.wait_text(".msg-error", "Permission denied to access environment");

    // alice opens her Kubernetes stack: start and stop are disabled with the reason.
    connect_as(&b, &sim.url(), "alice");
    b.goto(&format!("{}/stacks/10", sim.url()));
    b.wait_text("h1", "k8s-demo");
    let stop = b.wait("button.action-stop");
    assert_eq!(stop.prop("disabled"), serde_json::json!(true));
    b.wait_text(".blocked-reason", "cannot stop Kubernetes stacks");
    assert_eq!(
        b.wait("button.action-redeploy").prop("disabled"),
        serde_json::json!(false)
    );

    // carol opens the public monitoring stack and may act on it: public grants access.
    connect_as(&b, &sim.url(), "carol");
    b.goto(&format!("{}/stacks/2", sim.url()));
    b.wait_text("h1", "monitoring");
    assert_eq!(
        b.wait("button.action-stop").prop("disabled"),
        serde_json::json!(false)
    );
    assert!(!sim
        .requests()
        .iter()
        .any(|(m, _)| m == "POST" || m == "PUT"));
}

#[test]
fn an_admin_sees_actions_blocked_on_a_down_environment() {
    let sim = demo_sim();
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/8", sim.url()));
    b.wait_text("h1", "staging-web");
    assert_eq!(
        b.wait("button.action-stop").prop("disabled"),
        serde_json::json!(true)
    );
    b.wait_text(".blocked-reason", "is down");
}

/// Settings → read-only mode, saved.
pub fn turn_on_read_only(b: &Browser, base: &str) {
    b.goto(&format!("{base}/settings"));
    b.click("#read-only");
    b.click("button.save-settings");
    b.wait_text(".save-result", "Saved");
    b.wait(".topbar .read-only");
}

#[test]
fn read_only_mode_hides_actions_and_sends_no_mutating_request() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    turn_on_read_only(&b, &sim.url());
    for id in [1, 2, 4, 6] {
        b.goto(&format!("{}/stacks/{id}", sim.url()));
        b.wait(".read-only-note");
        assert!(!b.exists(".stack-actions button"));
    }
    b.refresh();
    b.wait(".read-only-note");
    let mutating: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect();
    assert!(mutating.is_empty(), "{mutating:?}");
    let _ = demo::token_for("admin");
}
