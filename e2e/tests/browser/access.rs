//! `/access`, the token permission view: each demo persona's page states the right facts on
//! Portainer 2.23 and 2.19, its Markdown and JSON downloads hold them and never the token, and
//! "verify" sends safe GETs only.

use super::connect::connect_as;
use portlight_e2e::sim::{demo, Config, PortainerVersion, SimHandle};
use portlight_e2e::{artifacts_dir, sim_with, Browser};
use serde_json::Value;

/// What a persona's page must state (from the simulator's demo data, sim/README.md).
struct Persona {
    user: &'static str,
    id: u32,
    role: &'static str,
    /// Text of the teams fact.
    teams: &'static str,
    /// (environment, part of its access source), in Portainer's order.
    envs: &'static [(&'static str, &'static str)],
    /// (environment, Portainer's setting name, mark) in the rights grid.
    rights: &'static [(&'static str, &'static str, &'static str)],
    stacks: usize,
    /// (stack, part of why it is visible, stop verdict, part of its reason).
    stack_facts: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// (area, mark).
    areas: &'static [(&'static str, &'static str)],
    /// (description, prefix) of the user's other tokens.
    others: &'static [(&'static str, &'static str)],
}

const ALLOWED: &str = "✔ allowed";
const DENIED: &str = "✘ denied";
const PARTIAL: &str = "◐ partial";
const NOT_APPLICABLE: &str = "– not applicable";
const STACK_MANAGEMENT: &str = "allowStackManagementForRegularUsers";
const VOLUME_BROWSER: &str = "allowVolumeBrowserForRegularUsers";
const HOST_MANAGEMENT: &str = "enableHostManagementFeatures";
const ADMIN_SOURCE: &str = "administrator: administrators reach every environment";

const ADMIN: Persona = Persona {
    user: "admin",
    id: 1,
    role: "administrator",
    teams: "none",
    envs: &[
        ("local", ADMIN_SOURCE),
        ("prod-swarm", ADMIN_SOURCE),
        ("edge-site-7", ADMIN_SOURCE),
        ("staging", ADMIN_SOURCE),
        ("k8s-lab", ADMIN_SOURCE),
        ("lab", ADMIN_SOURCE),
    ],
    rights: &[
        ("staging", STACK_MANAGEMENT, ALLOWED),
        ("local", VOLUME_BROWSER, ALLOWED),
        ("k8s-lab", STACK_MANAGEMENT, NOT_APPLICABLE),
    ],
    stacks: 12,
    stack_facts: &[
        (
            "db-admin",
            "administrator (stack administrators only)",
            ALLOWED,
            "",
        ),
        ("old-reports", "administrator", DENIED, "orphaned"),
        (
            "staging-web",
            "administrator",
            ALLOWED,
            "the environment is down",
        ),
    ],
    areas: &[
        ("settings", ALLOWED),
        ("users", ALLOWED),
        ("roles", ALLOWED),
        ("registries", ALLOWED),
    ],
    others: &[],
};

const ERIN: Persona = Persona {
    user: "erin",
    id: 6,
    ..ADMIN
};

const ALICE: Persona = Persona {
    user: "alice",
    id: 2,
    role: "standard user",
    teams: "devs (leader)",
    envs: &[
        ("local", "through team devs (a policy on the environment)"),
        (
            "edge-site-7",
            "through group Edge sites (a policy for team devs on the group)",
        ),
        ("staging", "through team devs"),
        ("k8s-lab", "a policy for alice on the environment (inferred"),
    ],
    rights: &[
        ("local", STACK_MANAGEMENT, ALLOWED),
        ("local", VOLUME_BROWSER, DENIED),
        ("staging", STACK_MANAGEMENT, DENIED),
        ("edge-site-7", HOST_MANAGEMENT, DENIED),
        ("k8s-lab", STACK_MANAGEMENT, NOT_APPLICABLE),
    ],
    // Not k8s-demo on k8s-lab: Portainer CE gives Kubernetes stacks no ResourceControl,
    // so only administrators list it.
    stacks: 4,
    stack_facts: &[
        (
            "web-frontend",
            "team access: through team devs",
            ALLOWED,
            "",
        ),
        ("monitoring", "public", ALLOWED, ""),
        (
            "staging-web",
            "team access",
            DENIED,
            "Stack management is disabled",
        ),
    ],
    areas: &[
        ("settings", DENIED),
        ("users", PARTIAL),
        ("team memberships", PARTIAL),
        ("roles", DENIED),
    ],
    others: &[("ci-deploy", "ptr_Pom")],
};

const BOB: Persona = Persona {
    user: "bob",
    id: 3,
    role: "standard user",
    teams: "devs (member), ops (member)",
    envs: &[
        ("local", "through team devs"),
        (
            "prod-swarm",
            "through group Production (a policy for team ops on the group)",
        ),
        ("edge-site-7", "through group Edge sites"),
        ("staging", "through team devs"),
    ],
    rights: &[
        ("local", STACK_MANAGEMENT, ALLOWED),
        ("staging", STACK_MANAGEMENT, DENIED),
    ],
    stacks: 7,
    stack_facts: &[
        ("payments", "user access: granted to bob", ALLOWED, ""),
        ("api-gateway", "team access: through team ops", ALLOWED, ""),
        (
            "old-reports",
            "team access",
            DENIED,
            "no access to environment #9",
        ),
    ],
    areas: &[
        ("settings", DENIED),
        ("users", DENIED),
        ("teams", PARTIAL),
        ("team memberships", DENIED),
    ],
    others: &[],
};

const CAROL: Persona = Persona {
    user: "carol",
    id: 4,
    role: "standard user",
    teams: "none",
    envs: &[("local", "a policy for carol on the environment (inferred")],
    rights: &[("local", STACK_MANAGEMENT, ALLOWED)],
    stacks: 2,
    stack_facts: &[
        (
            "carol-sandbox",
            "user access: granted to carol",
            ALLOWED,
            "once started: it is stopped now",
        ),
        ("monitoring", "public", ALLOWED, ""),
    ],
    areas: &[("users", DENIED), ("stacks", PARTIAL)],
    others: &[],
};

const DAVE: Persona = Persona {
    user: "dave",
    id: 5,
    role: "standard user",
    teams: "none",
    envs: &[],
    rights: &[],
    stacks: 1,
    stack_facts: &[(
        "monitoring",
        "public",
        DENIED,
        "no access to environment #1",
    )],
    areas: &[("environments", PARTIAL), ("settings", DENIED)],
    others: &[],
};

fn sim(version: PortainerVersion) -> SimHandle {
    sim_with(Config {
        version,
        ..Config::default()
    })
}

/// Connects `p`'s token and opens `/access` by its URL (a bookmark), waiting for the report.
fn open(b: &Browser, sim: &SimHandle, p: &Persona, version: PortainerVersion) {
    if version == PortainerVersion::V2_19 {
        // No /users/me on 2.19: finding the token's user probes users and token lists it may
        // not read (§6.3), at connect and again when the bookmark reloads the app.
        b.expect_console("/api/users - ");
        for id in 1..=8 {
            b.expect_console(&format!("/api/users/{id} - "));
            b.expect_console(&format!("/api/users/{id}/tokens - "));
        }
    }
    connect_as(b, &sim.url(), p.user);
    b.goto(&format!("{}/access", sim.url()));
    b.wait_text(
        ".access-who .who-user",
        &format!("{} (id {})", p.user, p.id),
    );
}

fn text(b: &Browser, css: &str) -> String {
    let texts = b.texts(css);
    assert_eq!(texts.len(), 1, "one `{css}` expected: {texts:?}");
    texts.into_iter().next().unwrap_or_default()
}

/// What "Portainer" reads: 2.19's /api/system/version has no ServerEdition.
fn portainer_line(version: &str) -> String {
    if version.starts_with("2.19") {
        format!("{version}, edition not reported")
    } else {
        format!("{version}, Community Edition (CE)")
    }
}

/// Every fact of `p` the page must state.
fn check_page(b: &Browser, p: &Persona, version: &str) {
    let raw = demo::token_for(p.user);
    assert_eq!(text(b, ".who-role"), p.role);
    assert!(
        text(b, ".who-teams").starts_with(p.teams),
        "{}",
        text(b, ".who-teams")
    );
    let portainer = text(b, ".who-portainer");
    assert_eq!(portainer, portainer_line(version));

    // This token, by its prefix only.
    let statement = text(b, ".rights-statement");
    assert!(statement.contains("never expires"), "{statement}");
    assert!(
        statement.contains(&format!("carries all of {}'s rights", p.user)),
        "{statement}"
    );
    assert_eq!(text(b, ".token-prefix"), &raw[..7]);
    assert_eq!(text(b, ".token-description"), "portlight");
    assert_eq!(
        text(b, ".token-lookup"),
        format!("Found by its prefix {}.", &raw[..7])
    );
    let others = b.texts(".other-tokens li");
    let want: Vec<String> = p
        .others
        .iter()
        .map(|(d, pre)| format!("{d} {pre}"))
        .collect();
    assert_eq!(others, want);

    // Environments: each reached one with its source; the others are invisible.
    let note = text(b, ".environments-note");
    assert!(
        note.starts_with(&format!("{} environment(s) reached", p.envs.len())),
        "{note}"
    );
    assert!(
        note.contains("invisible to it, not merely absent"),
        "{note}"
    );
    let shown: Vec<String> = b
        .all(".access-envs tbody tr")
        .iter()
        .filter_map(|row| row.attr("data-env"))
        .collect();
    let names: Vec<&str> = p.envs.iter().map(|(n, _)| *n).collect();
    assert_eq!(shown, names);
    for (env, source) in p.envs {
        let cell = text(
            b,
            &format!(".access-envs tr[data-env=\"{env}\"] .env-source"),
        );
        assert!(cell.starts_with(source), "{env}: {cell}");
    }
    if p.envs.is_empty() {
        assert!(text(b, ".access-environments .empty").contains("reaches no environment"));
        assert!(!b.exists("table.rights-grid"));
    } else {
        // A real table: a header per right and per environment, a mark in words per cell.
        let cols = b.all("table.rights-grid thead th[scope=col]").len();
        assert_eq!(cols, 10);
        let heads = b.all("table.rights-grid tbody th[scope=row]").len();
        assert_eq!(heads, p.envs.len());
        assert_eq!(
            b.all("table.rights-grid td.mark-cell").len(),
            9 * p.envs.len()
        );
    }
    for (env, setting, mark) in p.rights {
        let css = format!("table.rights-grid tr[data-env=\"{env}\"] td[data-key=\"{setting}\"]");
        let cell = b.wait(&css);
        assert!(
            cell.text().starts_with(mark),
            "{env} {setting}: {}",
            cell.text()
        );
        let reason = cell.attr("title").unwrap_or_default();
        assert!(!reason.is_empty(), "{env} {setting} has no reason");
        let spoken = b.exec(
            "return document.querySelector(arguments[0]).textContent;",
            vec![Value::from(css.as_str())],
        );
        let spoken = spoken.as_str().unwrap_or_default();
        assert!(spoken.contains(&format!(": {reason}")), "{spoken}");
    }

    // Stacks, with why each is visible and whether the token may stop it.
    let heading = text(b, ".access-stacks h2");
    assert_eq!(heading, format!("Stacks ({} visible)", p.stacks));
    assert_eq!(b.all(".access-stacks tr[data-stack]").len(), p.stacks);
    for (stack, why, stop, reason) in p.stack_facts {
        let row = format!(".access-stacks tr[data-stack=\"{stack}\"]");
        let visible = text(b, &format!("{row} .why-visible"));
        assert!(visible.starts_with(why), "{stack}: {visible}");
        let cell = text(b, &format!("{row} .gate-stop"));
        assert!(cell.starts_with(stop), "{stack}: {cell}");
        assert!(cell.contains(reason), "{stack}: {cell}");
    }

    for (area, mark) in p.areas {
        let cell = text(
            b,
            &format!(".areas-grid tr[data-area=\"{area}\"] .area-mark"),
        );
        assert_eq!(&cell, mark, "{area}");
    }
    let html = b.exec("return document.documentElement.outerHTML;", vec![]);
    assert!(
        !html.as_str().unwrap_or_default().contains(raw),
        "the page shows the token"
    );
}

/// From now on, keeps each downloaded Blob and its file name instead of letting Chromium save
/// the file. The Blob is read directly: the page's CSP rightly keeps `fetch` from blob: URLs.
pub fn keep_downloads(b: &Browser) {
    b.exec(
        "window.__blobs = {}; window.__downloads = [];
         const create = URL.createObjectURL;
         URL.createObjectURL = blob => { const url = create(blob); window.__blobs[url] = blob; return url; };
         HTMLAnchorElement.prototype.click = function () {
           window.__downloads.push({ name: this.download, blob: window.__blobs[this.href] });
         };",
        vec![],
    );
}

/// Every download since [`keep_downloads`]: `{name, type, text}` each.
pub fn downloads(b: &Browser) -> Vec<serde_json::Value> {
    let files = b.exec(
        "return Promise.all(window.__downloads.map(d =>
           d.blob.text().then(text => ({ name: d.name, type: d.blob.type, text }))));",
        vec![],
    );
    files.as_array().cloned().unwrap_or_default()
}

/// Downloads both exports for real (the Blob behind each click) and checks their facts.
fn check_exports(b: &Browser, p: &Persona, version: &str) {
    keep_downloads(b);
    b.click(".access-exports .export-md");
    b.click(".access-exports .export-json");
    let files = downloads(b);
    assert_eq!(files.len(), 2, "{files:?}");
    let file = |i: usize| {
        let name = files[i]["name"].as_str().unwrap_or_default().to_string();
        let text = files[i]["text"].as_str().unwrap_or_default().to_string();
        (name, text)
    };
    let (md_name, md) = file(0);
    let (json_name, json) = file(1);
    assert_eq!(files[0]["type"], "text/markdown");
    assert_eq!(files[1]["type"], "application/json");
    let stem = format!("portlight-access-{}-", p.user);
    assert!(
        md_name.starts_with(&stem) && md_name.ends_with(".md"),
        "{md_name}"
    );
    assert!(
        json_name.starts_with(&stem) && json_name.ends_with(".json"),
        "{json_name}"
    );
    assert_eq!(
        md_name.len(),
        stem.len() + "yyyy-mm-dd.md".len(),
        "{md_name}"
    );

    // The token itself, or any other of the user's tokens, is never written down.
    for t in demo::TOKENS.iter().filter(|t| t.username == p.user) {
        assert!(
            !md.contains(t.raw) && !json.contains(t.raw),
            "{} leaked",
            t.description
        );
    }
    let raw = demo::token_for(p.user);
    assert!(md.contains(&format!("- Prefix: `{}`", &raw[..7])), "{md}");

    assert!(md.starts_with(&format!("# What this Portainer token can do: {}", p.user)));
    assert!(
        md.contains(&format!("| User | {} (id {}) |", p.user, p.id)),
        "{md}"
    );
    assert!(md.contains(&format!("| Role | {} |", p.role)), "{md}");
    let portainer = portainer_line(version);
    assert!(md.contains(&format!("| Portainer | {portainer} |")), "{md}");
    assert!(md.contains("never expires"));
    assert!(
        md.contains(&format!("## Stacks ({} visible)", p.stacks)),
        "{md}"
    );
    for (env, source) in p.envs {
        let line = md.lines().find(|l| l.starts_with(&format!("| {env} (#")));
        assert!(line.is_some_and(|l| l.contains(source)), "{env}: {line:?}");
    }
    for (stack, why, _, _) in p.stack_facts {
        let line = md.lines().find(|l| l.starts_with(&format!("| {stack} |")));
        assert!(line.is_some_and(|l| l.contains(why)), "{stack}: {line:?}");
    }
    for (description, prefix) in p.others {
        assert!(
            md.contains(&format!("| {description} | `{prefix}` |")),
            "{md}"
        );
    }

    let report: Value = serde_json::from_str(&json).expect("the JSON export parses");
    assert_eq!(report["format"], "portlight-access-report/1");
    assert_eq!(report["who"]["username"], p.user);
    assert_eq!(report["who"]["user_id"], p.id);
    assert_eq!(report["who"]["role"], p.role);
    assert_eq!(report["who"]["version"], version);
    assert_eq!(report["token"]["prefix"], &raw[..7]);
    assert_eq!(report["token"]["lookup"]["outcome"], "found");
    assert_eq!(report["stack_count"], p.stacks);
    let envs: Vec<&str> = report["environments"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["name"].as_str()).collect())
        .unwrap_or_default();
    let want: Vec<&str> = p.envs.iter().map(|(n, _)| *n).collect();
    assert_eq!(envs, want);
    assert_eq!(report["areas"].as_array().map(Vec::len), Some(9));
}

fn persona(p: &Persona, version: PortainerVersion) {
    let label = match version {
        PortainerVersion::V2_19 => "2.19.4",
        _ => "2.23.0",
    };
    let sim = sim(version);
    let b = Browser::start();
    open(&b, &sim, p, version);
    check_page(&b, p, label);
    // The whole page, for a reviewer's eye (e2e/artifacts/ is not committed).
    let _ = b.session().set_window_size(1280, 4200);
    b.screenshot(&artifacts_dir().join(format!("access-{}-{label}.png", p.user)));
    check_exports(&b, p, label);
    // Connecting, reading the page and exporting it changed nothing in Portainer.
    let requests = sim.requests();
    assert!(requests.iter().all(|(m, _)| m == "GET"), "{requests:?}");
}

#[test]
fn administrator_on_2_23() {
    persona(&ADMIN, PortainerVersion::V2_23);
}

#[test]
fn team_leader_on_2_23() {
    persona(&ALICE, PortainerVersion::V2_23);
}

#[test]
fn member_of_two_teams_on_2_23() {
    persona(&BOB, PortainerVersion::V2_23);
}

#[test]
fn user_without_team_on_2_23() {
    persona(&CAROL, PortainerVersion::V2_23);
}

#[test]
fn user_without_environment_on_2_23() {
    persona(&DAVE, PortainerVersion::V2_23);
}

#[test]
fn second_administrator_on_2_19() {
    persona(&ERIN, PortainerVersion::V2_19);
}

#[test]
fn team_leader_on_2_19() {
    persona(&ALICE, PortainerVersion::V2_19);
}

#[test]
fn member_of_two_teams_on_2_19() {
    persona(&BOB, PortainerVersion::V2_19);
}

#[test]
fn user_without_team_on_2_19() {
    persona(&CAROL, PortainerVersion::V2_19);
}

#[test]
fn user_without_environment_on_2_19() {
    persona(&DAVE, PortainerVersion::V2_19);
}

#[test]
fn administrator_on_2_19() {
    persona(&ADMIN, PortainerVersion::V2_19);
}

/// Runs "verify" and returns (area, actual, result) per row once every probe answered.
fn verify(b: &Browser) -> Vec<(String, String, String)> {
    b.click("button.verify");
    b.wait_until("every probe to answer", || {
        let actual = b.texts(".areas-grid td.actual");
        actual.len() == 9 && actual.iter().all(|a| a != "…" && a != "not verified")
    });
    let areas = b
        .all(".areas-grid tbody tr")
        .into_iter()
        .map(|row| row.attr("data-area").unwrap_or_default());
    let actual = b.texts(".areas-grid td.actual");
    let result = b.texts(".areas-grid td.agreement");
    areas
        .zip(actual)
        .zip(result)
        .map(|((a, s), r)| (a, s, r))
        .collect()
}

#[test]
fn verify_checks_a_plain_members_areas_with_gets_only() {
    let sim = sim(PortainerVersion::V2_23);
    let b = Browser::start();
    open(&b, &sim, &BOB, PortainerVersion::V2_23);
    // The areas bob may not use answer 403, as expected: the browser logs them.
    for path in [
        "settings",
        "users",
        "team_memberships",
        "roles",
        "registries",
    ] {
        b.expect_console(&format!("/api/{path} - "));
    }
    sim.clear_requests();
    let rows = verify(&b);
    let row = |area: &str| rows.iter().find(|r| r.0 == area).cloned().unwrap();
    assert_eq!(
        row("settings"),
        ("settings".into(), "403".into(), "✔ agrees".into())
    );
    assert_eq!(
        row("users"),
        ("users".into(), "403".into(), "✔ agrees".into())
    );
    assert_eq!(
        row("teams"),
        ("teams".into(), "200".into(), "✔ agrees".into())
    );
    assert_eq!(row("stacks").1, "200");
    // Non-admins are sent to the per-environment registry route.
    assert_eq!(
        row("registries"),
        ("registries".into(), "403".into(), "✔ agrees".into())
    );
    for r in &rows {
        assert_eq!(r.2, "✔ agrees", "{r:?}");
    }
    let requests = sim.requests();
    assert_eq!(requests.len(), 9, "{requests:?}");
    assert!(
        requests.iter().all(|(method, _)| method == "GET"),
        "{requests:?}"
    );
}

#[test]
fn verify_confirms_a_team_leaders_and_an_administrators_wider_areas() {
    {
        let sim = sim(PortainerVersion::V2_23);
        let b = Browser::start();
        open(&b, &sim, &ALICE, PortainerVersion::V2_23);
        for path in ["settings", "roles", "registries"] {
            b.expect_console(&format!("/api/{path} - "));
        }
        let rows = verify(&b);
        let statuses: Vec<(&str, &str)> =
            rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        assert_eq!(
            statuses,
            [
                ("settings", "403"),
                ("users", "200"),
                ("teams", "200"),
                ("team memberships", "200"),
                ("roles", "403"),
                ("environment groups", "200"),
                ("environments", "200"),
                ("stacks", "200"),
                ("registries", "403"),
            ]
        );
        assert!(rows.iter().all(|r| r.2 == "✔ agrees"), "{rows:?}");
    }
    let sim = sim(PortainerVersion::V2_23);
    let b = Browser::start();
    open(&b, &sim, &ADMIN, PortainerVersion::V2_23);
    let rows = verify(&b);
    assert!(
        rows.iter().all(|r| r.1 == "200" && r.2 == "✔ agrees"),
        "{rows:?}"
    );
    // Portainer answers an administrator's /api/registries with the passwords in clear:
    // Portlight reads the status only, and nothing of the body reaches the page or an export.
    let page = b.page_text();
    b.click("details.export-preview summary");
    let preview = b.wait("details.export-preview").text();
    for secret in ["acme-r3g1stry-pa55", "dckr_pat_N0tR3al", "ci-bot"] {
        assert!(
            !page.contains(secret) && !preview.contains(secret),
            "{secret}"
        );
    }
}

#[test]
fn refresh_reads_everything_again_keeps_open_sections_open_and_shows_what_changed() {
    let sim = sim(PortainerVersion::V2_23);
    let b = Browser::start();
    open(&b, &sim, &BOB, PortainerVersion::V2_23);
    let local =
        format!("table.rights-grid tr[data-env=\"local\"] td[data-key=\"{STACK_MANAGEMENT}\"]");
    assert!(b.wait(&local).text().starts_with(ALLOWED));
    b.click("details.export-preview summary");
    let open = || b.wait("details.export-preview").prop("open") == Value::Bool(true);
    b.wait_until("the export preview to open", open);

    // Nothing changed in Portainer: every answer comes again and the page stays as it was.
    sim.clear_requests();
    b.click(".page-head button.refresh");
    b.wait_until("every source to be read again", || {
        let paths: Vec<String> = sim.requests().into_iter().map(|(_, p)| p).collect();
        [
            "/api/users/3/tokens",
            "/api/users/3/memberships",
            "/api/teams",
            "/api/endpoints",
            "/api/endpoint_groups",
            "/api/stacks",
            "/api/system/version",
        ]
        .iter()
        .all(|wanted| paths.iter().any(|p| p == wanted))
    });
    // Let the answers land before looking: the page must not fall back to "loading" and
    // rebuild itself, which would close what the operator opened.
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert!(
        open(),
        "the refresh rebuilt the page and closed the preview"
    );

    // A changed setting shows after the next refresh.
    assert!(sim.set_stack_management(1, false));
    b.click(".page-head button.refresh");
    b.wait_until("local's stack management to read as denied", || {
        b.wait(&local).text().starts_with(DENIED)
    });
}
