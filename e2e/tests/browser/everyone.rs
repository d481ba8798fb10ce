//! Everyone's access (`/access/everyone`): the matrix of users and environments with each path,
//! filters in the URL, a person's view equal to their own Access page, team leaders limited to
//! their teams, standard users told why not, and exports that hold the facts and no token.

use crate::access::{downloads, keep_downloads};
use crate::connect::connect_as;
use portlight_e2e::sim::{demo, Config, SimHandle};
use portlight_e2e::{sim_with, Browser};

/// The text of user `who`'s cell under environment `env`.
fn cell(b: &Browser, who: &str, env: &str) -> String {
    let text = b.exec(
        "const heads = [...document.querySelectorAll('.everyone-matrix thead th')]
           .map(th => th.firstChild ? th.firstChild.textContent : '');
         const k = heads.indexOf(arguments[1]);
         const row = document.querySelector(`.everyone-matrix tr[data-user='${arguments[0]}']`);
         return k < 0 || !row ? null : row.children[k].textContent;",
        vec![who.into(), env.into()],
    );
    text.as_str()
        .unwrap_or_else(|| panic!("no cell {who} × {env}"))
        .to_string()
}

/// The users the matrix shows, read in one script: the matrix may be re-rendered (a search
/// applied after its pause) between reading one row and the next.
fn users_shown(b: &Browser) -> Vec<String> {
    let users = b.exec(
        "return [...document.querySelectorAll('.everyone-matrix tr.person')]
           .map(r => r.dataset.user);",
        vec![],
    );
    serde_json::from_value(users).unwrap_or_default()
}

fn open(b: &Browser, sim: &SimHandle, query: &str) {
    b.goto(&format!("{}/access/everyone{query}", sim.url()));
    b.wait(".everyone-matrix tr.person");
}

#[test]
fn an_administrator_sees_each_users_paths_filters_them_and_opens_a_person() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    // erin's tokens are refused to another administrator (below).
    b.expect_console("status of 403");
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/access", sim.url()));
    b.click(".everyone-link a");
    b.wait(".everyone-matrix tr.person");
    assert_eq!(cell(&b, "admin", "staging"), "✔ administrator");
    // Every path, with the role its policy records where it is not 0.
    assert_eq!(
        cell(&b, "bob", "staging"),
        "✔ user policy; team devs (Standard user)"
    );
    let prod = cell(&b, "bob", "prod-swarm");
    assert!(prod.starts_with("✔ team ops on group Production"), "{prod}");
    assert_eq!(cell(&b, "carol", "local"), "✔ user policy (Read-only user)");
    assert_eq!(cell(&b, "dave", "local"), "–no access");
    // Every demo user × environment: the paths, as the simulator's README states them.
    const NONE: &str = "–no access";
    let expected: [(&str, [&str; 6]); 5] = [
        (
            "alice",
            [
                "✔ team devs (Standard user)",
                NONE,
                "✔ team devs on group Edge sites",
                "✔ team devs (Standard user)",
                "✔ user policy (Standard user)",
                NONE,
            ],
        ),
        (
            "bob",
            [
                "✔ team devs (Standard user)",
                "✔ team ops on group Production",
                "✔ team devs on group Edge sites",
                "✔ user policy; team devs (Standard user)",
                NONE,
                NONE,
            ],
        ),
        (
            "carol",
            [
                "✔ user policy (Read-only user)",
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
            ],
        ),
        ("dave", [NONE; 6]),
        (
            "grace",
            [
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
                "✔ user policy (Read-only user)",
            ],
        ),
    ];
    let envs = [
        "local",
        "prod-swarm",
        "edge-site-7",
        "staging",
        "k8s-lab",
        "lab",
    ];
    for (user, cells) in expected {
        for (env, want) in envs.iter().zip(cells) {
            let got = cell(&b, user, env);
            let ok = if want == NONE {
                got == want
            } else {
                got.starts_with(want)
            };
            assert!(ok, "{user} × {env}: {got:?}, expected {want:?}");
        }
    }
    for admin in ["admin", "erin"] {
        for env in envs {
            assert_eq!(cell(&b, admin, env), "✔ administrator");
        }
    }
    // grace reaches lab three ways at once; her group Retired holds no environment.
    assert_eq!(
        cell(&b, "grace", "lab"),
        "✔ user policy (Read-only user); team research (Standard user); user policy on group Labs"
    );
    assert_eq!(cell(&b, "grace", "local"), "–no access");
    let stacks_seen = b
        .wait(".everyone-matrix tr[data-user='dave'] .stack-count")
        .text();
    assert_eq!(stacks_seen, "1", "dave sees the public stack only");

    // Filters live in the URL and survive a reload.
    b.fill("#everyone-search", "BO");
    b.wait_until("bob alone", || users_shown(&b) == ["bob"]);
    b.wait_url("the search in the URL", |u| u.contains("q=BO"));
    b.refresh();
    b.wait_until("bob alone again", || users_shown(&b) == ["bob"]);
    open(&b, &sim, "?reach=2");
    assert_eq!(
        users_shown(&b),
        ["admin", "bob", "erin"],
        "prod-swarm's users"
    );
    open(&b, &sim, "?group=2");
    let columns = b.texts(".everyone-matrix thead th");
    assert_eq!(columns.len(), 3, "{columns:?}");

    // Teams: members and what their policies open; qa opens nothing.
    b.click("button.view-teams");
    let qa = b.wait(".everyone-teams tr[data-team='qa']").text();
    assert!(qa.contains("none"), "{qa}");
    let devs = b.wait(".everyone-teams tr[data-team='devs']").text();
    assert!(
        devs.contains("alice") && devs.contains("bob") && devs.contains("staging"),
        "{devs}"
    );

    // A person's view: what bob's own Access page shows.
    open(&b, &sim, "");
    b.click(".everyone-matrix tr[data-user='bob'] th a");
    b.wait(".person-view");
    b.wait_url("the person in the URL", |u| u.contains("user=3"));
    let envs = b.texts(".access-envs tbody th");
    let stacks = b.texts(".stacks-grid tbody th");
    b.wait_text(".person-tokens", "portlight");
    let own = Browser::start();
    connect_as(&own, &sim.url(), "bob");
    own.goto(&format!("{}/access", sim.url()));
    own.wait(".access-stacks");
    assert_eq!(envs, own.texts(".access-envs tbody th"));
    assert_eq!(stacks, own.texts(".stacks-grid tbody th"));
    // Another administrator's tokens are not Portainer's to list.
    b.click("button.close-person");
    b.wait_gone(".person-view");
    b.click(".everyone-matrix tr[data-user='erin'] th a");
    b.wait_text(".person-tokens", "another administrator's tokens");
}

#[test]
fn exports_hold_the_matrix_and_no_token() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    open(&b, &sim, "");
    keep_downloads(&b);
    b.click(".everyone-exports .export-csv");
    b.click(".everyone-exports .export-md");
    b.click(".everyone-exports .export-json");
    let files = downloads(&b);
    assert_eq!(files.len(), 3, "{files:?}");
    let text = |i: usize| files[i]["text"].as_str().unwrap_or_default().to_string();
    assert!(files[0]["name"].as_str().unwrap().ends_with(".csv"));
    assert!(
        text(0).contains("\nbob,standard user,devs; ops,"),
        "{}",
        text(0)
    );
    assert!(text(1).contains("| bob |"), "{}", text(1));
    assert!(text(2).contains("\"username\": \"carol\""), "{}", text(2));
    for user in ["admin", "alice", "bob", "carol", "dave", "erin", "grace"] {
        let token = demo::token_for(user);
        for i in 0..3 {
            assert!(!text(i).contains(token), "{user}'s token in export {i}");
        }
    }
}

#[test]
fn a_team_leader_sees_their_teams_and_a_standard_user_is_told_why_not() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    // alice leads devs: its members, through what she can see.
    connect_as(&b, &sim.url(), "alice");
    open(&b, &sim, "");
    b.wait(".leader-note");
    assert_eq!(users_shown(&b), ["alice", "bob"]);
    b.click("button.view-teams");
    assert_eq!(b.all(".everyone-teams tr.team").len(), 1);

    let b = Browser::start();
    sim.clear_requests();
    connect_as(&b, &sim.url(), "dave");
    b.goto(&format!("{}/access/everyone", sim.url()));
    b.wait_text(".needs-admin", "needs an administrator's token");
    assert!(!b.exists(".everyone-matrix"));
    // Nothing was asked that Portainer would refuse a standard user.
    assert!(!sim.requests().iter().any(|(_, p)| p == "/api/users"));
}

#[test]
fn a_search_typed_just_before_leaving_the_page_is_dropped() {
    let sim = sim_with(Config::default());
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    open(&b, &sim, "");
    // Typed, then the Stacks link followed within the search's pause, in one script.
    b.exec(
        "const box = document.querySelector('#everyone-search');
         box.value = 'BO';
         box.dispatchEvent(new Event('input', { bubbles: true }));
         document.querySelector('nav.nav a[href$=\"/stacks\"]').click();",
        vec![],
    );
    b.wait("tr.stack-row");
    // Past the pause: the search went with its page, neither applied nor a crash.
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(!b.url().contains("q=BO"), "{}", b.url());
    let errors = b.unexpected_errors();
    assert!(errors.is_empty(), "{errors:?}");
    b.click("nav.nav a[href$='/access']");
    b.click(".everyone-link a");
    b.wait(".everyone-matrix tr.person");
    assert!(users_shown(&b).len() > 1, "the matrix is not searched");
}

/// The header's environment cells: (aria-colindex, name).
fn header_columns(b: &Browser) -> Vec<(u32, String)> {
    let columns = b.exec(
        "return [...document.querySelectorAll('.everyone-matrix thead th[aria-colindex]')]
           .map(th => [Number(th.getAttribute('aria-colindex')), th.firstChild.textContent]);",
        vec![],
    );
    serde_json::from_value(columns).unwrap_or_default()
}

#[test]
fn a_wide_matrix_renders_the_columns_in_view_and_keeps_who_in_sight() {
    let sim = sim_with(Config {
        scale: Some((200, 60)),
        scale_people: (30, 5),
        ..Config::default()
    });
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    open(&b, &sim, "");
    let total: u32 = b
        .wait(".everyone-matrix")
        .attr("aria-colcount")
        .and_then(|n| n.parse().ok())
        .expect("aria-colcount");
    let environments = total - 2;
    assert!(environments >= 60, "{environments} environments");
    let first = header_columns(&b);
    assert_eq!(first.first().map(|c| c.0), Some(3), "{first:?}");
    assert!(first.len() < 20, "{} columns rendered", first.len());
    // The box scrolls the whole matrix's width, every column counted.
    let width = b.exec(
        "return document.querySelector('.everyone-matrix').getBoundingClientRect().width;",
        vec![],
    );
    assert_eq!(
        width.as_f64(),
        Some(f64::from(200 + 88 + 176 * environments))
    );

    // Scrolled to the 41st environment: its neighbours are rendered, the first ones not.
    b.exec(
        "document.querySelector('.matrix-wrap').scrollLeft = 288 + 40 * 176;",
        vec![],
    );
    b.wait_until("columns around the 41st", || {
        header_columns(&b).iter().any(|c| c.0 == 43)
    });
    let shown = header_columns(&b);
    let indexes: Vec<u32> = shown.iter().map(|c| c.0).collect();
    assert!(indexes.windows(2).all(|w| w[1] == w[0] + 1), "{indexes:?}");
    assert!(indexes[0] > 3 && shown.len() < 20, "{indexes:?}");
    assert!(!shown.iter().any(|c| first.contains(c)), "{shown:?}");
    // Each row renders the same columns, and who the row is stays at the box's left edge.
    let cells = b.exec(
        "return [...document.querySelectorAll('.everyone-matrix tbody tr')]
           .map(r => r.querySelectorAll('td[aria-colindex]').length);",
        vec![],
    );
    let cells: Vec<usize> = serde_json::from_value(cells).unwrap_or_default();
    assert!(cells.iter().all(|&n| n == shown.len()), "{cells:?}");
    let offset = b.exec(
        "const wrap = document.querySelector('.matrix-wrap').getBoundingClientRect();
         const who = document.querySelector(\".everyone-matrix tr[data-user='bob'] th\").getBoundingClientRect();
         return Math.abs(who.left - wrap.left);",
        vec![],
    );
    assert!(offset.as_f64().is_some_and(|d| d < 2.0), "{offset:?}");
    // Rows render the scrolled-to columns: an administrator reaches each of them.
    let admin = b.exec(
        "return document.querySelector(\".everyone-matrix tr[data-user='admin'] td[aria-colindex='43']\").textContent;",
        vec![],
    );
    assert_eq!(admin.as_str(), Some("✔ administrator"));
}
