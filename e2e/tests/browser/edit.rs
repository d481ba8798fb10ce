//! Editing a stack: the diff before the update, the update itself, a change by somebody else
//! caught before it is overwritten, drafts kept across a reload, and no edit path where
//! Portainer would refuse it or in read-only mode.

use crate::connect::connect_as;
use portlight_e2e::sim::{demo, Config, SimHandle};
use portlight_e2e::{sim_with, Browser};
use serde_json::{json, Value};

/// Replaces the editor's text as typing would (one input event).
fn set_file(b: &Browser, text: &str) {
    b.exec(
        "const a = document.getElementById('compose-file'); a.value = arguments[0]; \
         a.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(text)],
    );
}

fn editor_text(b: &Browser) -> String {
    b.wait("#compose-file").value()
}

/// Opens the editor of stack `id` from its page, and returns the deployed file.
fn open_editor(b: &Browser, sim: &SimHandle, id: u32) -> String {
    b.goto(&format!("{}/stacks/{id}", sim.url()));
    b.click("a.action-edit");
    b.wait_url("the edit page", |u| {
        u.ends_with(&format!("/stacks/{id}/edit"))
    });
    b.wait_until("the file", || !editor_text(b).is_empty());
    editor_text(b)
}

/// What Portainer stores for stack `id` (its entry point), read as an administrator.
fn stored_file(sim: &SimHandle, id: u32) -> String {
    let answer: Value = ureq::get(&format!("{}/api/stacks/{id}/file", sim.url()))
        .header("X-API-Key", demo::token_for("admin"))
        .call()
        .expect("the stack file")
        .body_mut()
        .read_json()
        .expect("JSON");
    answer["StackFileContent"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Another user updates the stack through Portainer's API, as Portainer's own UI would.
fn update_as(sim: &SimHandle, user: &str, id: u32, endpoint: u32, file: &str, env: Value) {
    ureq::put(&format!(
        "{}/api/stacks/{id}?endpointId={endpoint}",
        sim.url()
    ))
    .header("X-API-Key", demo::token_for(user))
    .send_json(json!({ "StackFileContent": file, "Env": env, "PullImage": false }))
    .expect("the other user's update");
}

fn puts(sim: &SimHandle, path: &str) -> usize {
    sim.requests()
        .into_iter()
        .filter(|(m, p)| m == "PUT" && p == path)
        .count()
}

#[test]
fn editing_a_compose_stack_shows_the_diff_and_updates_it() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    let deployed = open_editor(&b, &sim, 2);
    assert!(deployed.contains("grafana/grafana:11.1.0"), "{deployed}");
    set_file(
        &b,
        &deployed.replace("grafana/grafana:11.1.0", "grafana/grafana:11.2.0"),
    );
    b.wait(".yaml-check .ok");
    // A variable changed and one added; values stay masked.
    b.click("button.add-var");
    b.wait_until("a new row", || b.all("tr.env-row").len() == 3);
    b.all("tr.env-row input.env-name")[2].fill("LOG_LEVEL");
    b.all("tr.env-row input.env-value")[2].fill("debug");
    b.all("tr.env-row input.env-value")[1].fill("30d");
    assert!(b.exists("tr.env-row input.env-value.masked"));

    b.click("button.review");
    let added = b.wait(".diff tr.diff-add").text();
    assert!(added.contains("grafana/grafana:11.2.0"), "{added}");
    assert!(b
        .wait(".diff tr.diff-del")
        .text()
        .contains("grafana/grafana:11.1.0"));
    b.wait_text(".diff-summary", "1 line added, 1 removed");
    let changed = b.wait(".env-diff .env-changed").text();
    assert!(
        changed.contains("RETENTION") && !changed.contains("30d"),
        "{changed}"
    );
    b.click(".review-card button.reveal-values");
    b.wait_text(".env-diff .env-changed", "15d → 30d");
    b.wait_text(".env-diff .env-added", "LOG_LEVEL = debug");
    // Compose stacks offer "pull", not "prune".
    assert!(b.exists(".update-options .pull-images"));
    assert!(!b.exists(".update-options .prune"));

    b.click("button.update-stack");
    let question = b.wait("dialog.confirm h2").text();
    assert!(
        question.contains("monitoring")
            && question.contains("local")
            && question.contains("Portainer “"),
        "{question}"
    );
    b.click("button.confirm-yes");
    b.wait_url("the stack's file", |u| u.ends_with("/stacks/2?tab=compose"));
    b.wait_text(".action-result", "updated.");
    b.wait_text(".compose .code", "grafana/grafana:11.2.0");
    assert!(stored_file(&sim, 2).contains("grafana/grafana:11.2.0"));
    let stack = sim.stack(2).expect("stack 2");
    let env = stack["Env"].to_string();
    assert!(
        env.contains("\"30d\"") && env.contains("LOG_LEVEL"),
        "{env}"
    );
    assert_eq!(stack["UpdatedBy"], "admin");
    assert_eq!(puts(&sim, "/api/stacks/2"), 1);
    // The draft is gone once sent.
    assert!(!b.local_storage().to_string().contains("portlight.draft."));
}

#[test]
fn a_swarm_stack_offers_prune_and_a_yaml_mistake_stops_the_update() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    let deployed = open_editor(&b, &sim, 7);
    // A tab in the indentation: Portainer would refuse the file.
    set_file(&b, &format!("{deployed}\tbroken: true\n"));
    b.wait_text(".yaml-check .bad", "tab");
    b.click("button.review");
    b.wait_text(".review-problems", "tab");
    assert_eq!(b.wait("button.update-stack").prop("disabled"), json!(true));
    b.click("button.back-to-edit");
    set_file(&b, &format!("{deployed}# scaled by hand\n"));
    b.click("button.review");
    b.click(".update-options .prune");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_url("the stack's file", |u| u.ends_with("/stacks/7?tab=compose"));
    b.wait_text(".action-result", "updated.");
    assert!(stored_file(&sim, 7).ends_with("# scaled by hand\n"));
}

#[test]
fn a_change_by_somebody_else_is_caught_before_it_is_overwritten() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    let deployed = open_editor(&b, &sim, 2);
    let ours = deployed.replace("prom/prometheus:v2.53.0", "prom/prometheus:v2.54.0");
    assert_ne!(ours, deployed);
    set_file(&b, &ours);
    // Meanwhile erin, another administrator, updates the same stack.
    let theirs = deployed.replace("prom/node-exporter:v1.8.1", "prom/node-exporter:v1.9.0");
    update_as(
        &sim,
        "erin",
        2,
        1,
        &theirs,
        json!([{ "name": "RETENTION", "value": "7d" }]),
    );

    b.click("button.review");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_text(".conflict", "Somebody changed this stack");
    b.wait_text(".conflict", "updated by erin");
    b.wait_text(
        ".conflict-side.theirs .diff-add",
        "prom/node-exporter:v1.9.0",
    );
    b.wait_text(".conflict-side.yours .diff-add", "prom/prometheus:v2.54.0");
    assert!(b
        .wait(".conflict-side.theirs .env-diff")
        .text()
        .contains("RETENTION"));
    // Nothing of ours was sent: erin's update stands.
    assert_eq!(puts(&sim, "/api/stacks/2"), 1);
    assert!(stored_file(&sim, 2).contains("prom/node-exporter:v1.9.0"));

    // The two touch different lines: ours applied on top of theirs changes only our line.
    assert!(!b.exists(".clash"));
    b.click("button.merge-mine");
    b.wait_text(".diff-summary", "1 line added, 1 removed");
    assert!(b.wait(".diff tr.diff-add").text().contains("v2.54.0"));
    b.wait_text(".env-none", "no change");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_text(".action-result", "updated.");
    let stored = stored_file(&sim, 2);
    assert!(stored.contains("prom/prometheus:v2.54.0"), "{stored}");
    assert!(
        stored.contains("prom/node-exporter:v1.9.0"),
        "theirs kept: {stored}"
    );
    assert_eq!(
        sim.stack(2).unwrap()["Env"],
        json!([{ "name": "RETENTION", "value": "7d" }])
    );
    assert_eq!(puts(&sim, "/api/stacks/2"), 2);

    // Both change the same line: no merge is offered, and what clashed is named.
    let deployed = open_editor(&b, &sim, 2);
    set_file(
        &b,
        &deployed.replace("grafana/grafana:11.1.0", "grafana/grafana:11.2.0"),
    );
    let theirs = deployed.replace("grafana/grafana:11.1.0", "grafana/grafana:12.0.0");
    update_as(&sim, "erin", 2, 1, &theirs, json!([]));
    b.click("button.review");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_text(".clash", "You both changed line");
    assert!(!b.exists("button.merge-mine"));
    b.click("button.take-theirs");
    b.wait_until("their file", || editor_text(&b) == theirs);
}

#[test]
fn a_draft_survives_a_reload_and_leaving_asks_first() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    let deployed = open_editor(&b, &sim, 3);
    let edited = format!("{deployed}# a note for later\n");
    set_file(&b, &edited);
    b.wait_until("the draft kept", || {
        b.local_storage().to_string().contains("portlight.draft.")
    });
    let drafts: Vec<String> = b
        .local_storage()
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with("portlight.draft."))
        .map(|(_, v)| v.to_string())
        .collect();
    assert_eq!(drafts.len(), 1);
    assert!(
        !drafts[0].contains(demo::token_for("admin")),
        "a draft never holds the token"
    );

    b.refresh();
    b.wait(".draft-restored");
    b.wait_until("the edit back", || editor_text(&b) == edited);

    // Leaving through a link asks; the draft stays.
    b.click(".crumbs a");
    b.session().accept_alert().expect("the leave question");
    b.wait_url("the stack", |u| u.ends_with("/stacks/3"));
    b.wait_text("a.action-edit", "Continue the edit");
    b.click("a.action-edit");
    b.wait(".draft-restored");
    b.click("button.discard-draft");
    b.wait_until("the deployed file back", || editor_text(&b) == deployed);
    assert!(!b.local_storage().to_string().contains("portlight.draft."));
    assert_eq!(b.wait("button.review").prop("disabled"), json!(true));
}

#[test]
fn no_edit_where_portainer_would_refuse_it_nor_in_read_only_mode() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    // An administrator reads staging-web, but its environment is down: Portainer would fail.
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/8", sim.url()));
    assert_eq!(b.wait("button.action-edit").prop("disabled"), json!(true));
    b.wait_text(".blocked-reason", "is down");
    b.goto(&format!("{}/stacks/8/edit", sim.url()));
    b.wait_text(".edit-refused", "is down");
    assert!(!b.exists("#compose-file"));

    // Stack management off for regular users on local: bob may not even read web-frontend.
    assert!(sim.set_stack_management(1, false));
    let b = Browser::start();
    connect_as(&b, &sim.url(), "bob");
    b.expect_console("status of 403");
    b.goto(&format!("{}/stacks/1", sim.url()));
    b.wait(".forbidden-note");
    assert!(!b.exists(".action-edit"));
    b.goto(&format!("{}/stacks/1/edit", sim.url()));
    b.wait_text(".msg-error", "Stack management is disabled");
    assert!(!b.exists("#compose-file"));

    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    crate::stacks::turn_on_read_only(&b, &sim.url());
    b.goto(&format!("{}/stacks/2", sim.url()));
    b.wait(".read-only-note");
    assert!(!b.exists(".action-edit"));
    b.goto(&format!("{}/stacks/2/edit", sim.url()));
    b.wait(".stack-edit .read-only-note");
    assert!(!b.exists("#compose-file"));
    assert!(sim.requests().iter().all(|(m, _)| m == "GET"));
}

#[test]
fn the_editor_searches_the_file_and_takes_a_pasted_env_block() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    let deployed = open_editor(&b, &sim, 2);
    let images = deployed.matches("image:").count();
    assert!(images >= 3, "{deployed}");
    b.fill("#file-search", "IMAGE:");
    b.click("button.find-next");
    b.wait_text(".find-result", &format!("1 of {images}"));
    b.click("button.find-next");
    b.wait_text(".find-result", &format!("2 of {images}"));
    let selected = b.exec(
        "const a = document.getElementById('compose-file'); \
         return a.value.substring(a.selectionStart, a.selectionEnd);",
        vec![],
    );
    assert_eq!(selected, json!("image:"));
    b.fill("#file-search", "no-such-text");
    b.click("button.find-next");
    b.wait_text(".find-result", "Not found");

    // A pasted .env block: a known name is replaced in place, a new one added, comments
    // and quotes read as compose reads them.
    b.click(".paste-env summary");
    b.fill(
        "#env-block",
        "# from the vault\nRETENTION=30d\nexport SMTP_HOST=\"mail.acme.example\"\n",
    );
    b.click("button.add-pasted");
    b.wait_until("three rows", || b.all("tr.env-row").len() == 3);
    let names: Vec<String> = b
        .all("tr.env-row input.env-name")
        .iter()
        .map(|e| e.value())
        .collect();
    assert_eq!(names, ["GRAFANA_ADMIN_PASSWORD", "RETENTION", "SMTP_HOST"]);
    assert_eq!(b.all("tr.env-row input.env-value")[1].value(), "30d");
    assert_eq!(
        b.all("tr.env-row input.env-value")[2].value(),
        "mail.acme.example"
    );
    // A broken block is refused with its line, and nothing is added.
    b.fill("#env-block", "OK=1\nBROKEN\n");
    b.click("button.add-pasted");
    b.wait_text(".paste-error", "Line 2");
    assert_eq!(b.all("tr.env-row").len(), 3);
    // Two rows with one name are pointed out.
    b.all("tr.env-row input.env-name")[2].fill("RETENTION");
    b.wait_text(".env-problems", "RETENTION");
}

#[test]
fn a_git_stack_takes_a_new_reference_saved_or_redeployed() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/1", sim.url()));
    b.click("a.action-edit");
    let reference = b.wait("#git-reference");
    b.wait_until("the reference", || reference.value() == "refs/heads/main");
    assert!(
        !b.exists("#compose-file"),
        "a git stack's file lives in its repository"
    );
    reference.fill("refs/heads/release");
    b.click("button.review");
    b.wait_text(".reference-change", "refs/heads/main → refs/heads/release");
    // Saved only: Portainer keeps the reference for the next redeploy, nothing is cloned.
    b.click(".update-options .redeploy-now");
    b.click("button.update-stack");
    b.wait_text("dialog.confirm", "nothing is deployed");
    b.click("button.confirm-yes");
    b.wait_text(".action-result", "Saved without a redeploy");
    let stack = sim.stack(1).unwrap();
    assert_eq!(stack["GitConfig"]["ReferenceName"], "refs/heads/release");
    assert!(sim.git_clones().is_empty());
    assert!(sim
        .requests()
        .iter()
        .any(|(m, p)| m == "POST" && p == "/api/stacks/1/git"));
    // The auto-update Portainer would have wiped is kept.
    assert_eq!(stack["AutoUpdate"]["Interval"], "5m");

    // Redeployed: cloned and deployed at once.
    b.click("a.action-edit");
    b.wait("#git-reference").fill("refs/heads/main");
    b.click("button.review");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_text(".action-result", "updated.");
    assert_eq!(sim.git_clones().len(), 1);
    assert_eq!(
        sim.stack(1).unwrap()["GitConfig"]["ReferenceName"],
        "refs/heads/main"
    );
}

#[test]
fn an_update_portainer_refuses_is_explained_and_the_edit_kept() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    b.expect_console("status of 500");
    connect_as(&b, &sim.url(), "admin");
    let deployed = open_editor(&b, &sim, 3);
    // A service key with a typo: valid YAML, which compose refuses.
    let typo = deployed.replacen("    image:", "    imag:", 1);
    assert_ne!(typo, deployed);
    set_file(&b, &typo);
    b.click("button.review");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_text(".msg-error", "Docker Compose refused the new file");
    b.wait_text(".msg-error", "removed the stack's containers");
    b.wait_text(".msg-error", "your edit is kept as a draft");
    // Portainer's own words, one click away: compose names the key.
    b.click(".portainer-words summary");
    b.wait_text(
        ".portainer-words .error-text",
        "Additional property imag is not allowed",
    );
    assert_eq!(
        stored_file(&sim, 3),
        deployed,
        "Portainer put the file back"
    );
    assert!(b.local_storage().to_string().contains("portlight.draft."));

    // The Docker host stops answering: said so, nothing changed.
    assert!(sim.set_host_down(1, true));
    b.click("button.back-to-edit");
    set_file(&b, &format!("{deployed}# retried\n"));
    b.click("button.review");
    b.click("button.update-stack");
    b.click("button.confirm-yes");
    b.wait_text(
        ".msg-error",
        "could not reach this environment's Docker host",
    );
    assert_eq!(stored_file(&sim, 3), deployed);
}
