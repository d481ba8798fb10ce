//! Every page on a phone and on a laptop, in light and dark: no sideways scrolling at 360 px,
//! the phone's menu, filter sheet and stack cards, tap targets of 44 px, and axe-core's
//! critical, serious and moderate violations (none; moderate covers headings out of order and
//! landmarks) on each page and tab. The pictures the README shows are taken here.

use crate::connect::connect_as;
use portlight_e2e::{artifacts_dir, demo_sim, Browser};

/// Each page with what shows it has rendered: the stack tabs of a compose, a swarm and a
/// Kubernetes stack included.
const PAGES: [(&str, &str, &str); 17] = [
    ("stacks", "/stacks", "tr.stack-row"),
    ("compose", "/stacks/1", ".stack-detail .facts"),
    ("compose-file", "/stacks/1?tab=compose", ".code"),
    ("env", "/stacks/1?tab=env", ".stack-detail table.data"),
    ("containers", "/stacks/1?tab=containers", "tr.container"),
    ("logs", "/stacks/2/logs", ".logs .line"),
    ("swarm", "/stacks/6?tab=containers", "table.services"),
    ("kubernetes", "/stacks/10", ".stack-detail .facts"),
    ("pods", "/stacks/10?tab=containers", "table.pods tr.pod"),
    ("pod-logs", "/stacks/10/logs", ".logs .line"),
    ("edit", "/stacks/2/edit", "#compose-file"),
    ("edit-git", "/stacks/1/edit", "#git-reference"),
    ("access", "/access", ".access-stacks"),
    ("everyone", "/access/everyone", ".everyone-matrix tr.person"),
    (
        "person",
        "/access/everyone?user=3",
        ".person-cards .access-envs",
    ),
    ("settings", "/settings", "form.settings"),
    ("connections", "/connect", ".saved-instances"),
];

fn open(b: &Browser, base: &str, path: &str, ready: &str) {
    b.goto(&format!("{base}{path}"));
    b.wait(ready);
}

fn height(b: &Browser, css: &str) -> f64 {
    b.exec(
        "const e = document.querySelector(arguments[0]); \
         return e ? e.getBoundingClientRect().height : 0;",
        vec![css.into()],
    )
    .as_f64()
    .unwrap_or(0.0)
}

#[test]
fn every_page_fits_a_phone_and_the_list_becomes_cards() {
    let sim = demo_sim();
    let b = Browser::start();
    b.viewport(Some(360));
    b.goto(&format!("{}/connect", sim.url()));
    b.wait("#access-token");
    assert_eq!(b.overflow_x(), 0, "/connect: {:?}", b.too_wide());
    connect_as(&b, &sim.url(), "admin");
    for (name, path, ready) in PAGES {
        open(&b, &sim.url(), path, ready);
        assert_eq!(
            b.overflow_x(),
            0,
            "{name} ({path}) scrolls sideways at 360 px: {:?}",
            b.too_wide()
        );
    }

    // The top bar keeps the instance and the user in view; the pages are behind the menu.
    open(&b, &sim.url(), "/stacks", "tr.stack-row");
    let who = b.wait(".topbar-who").text();
    assert!(who.contains("admin (administrator)"), "{who}");
    assert!(!nav_shown(&b), "the pages are behind the menu");
    b.click(".menu-toggle");
    b.wait_until("the menu opens", || nav_shown(&b));
    b.click(".topbar .nav a[href$='/access']");
    b.wait(".access-stacks");
    assert!(!nav_shown(&b), "the menu folds after a navigation");

    // The list as cards: name, environment, status, ownership; the filters as a sheet.
    open(&b, &sim.url(), "/stacks?status=active", "tr.stack-row");
    assert!(b
        .all("tr.stack-row td.type")
        .iter()
        .all(|t| t.text().is_empty()));
    let toggle = b.wait(".filters-toggle").text();
    assert!(
        toggle.contains("Filters") && toggle.contains('1'),
        "{toggle}"
    );
    assert!(!filters_shown(&b), "the filters wait behind their button");
    b.click(".filters-toggle");
    b.wait_until("the filter sheet opens", || filters_shown(&b));

    // One thumb: tap targets of at least 44 px.
    for target in [
        ".menu-toggle",
        ".filters-toggle",
        "tr.stack-row td.name a",
        "#stack-search",
    ] {
        assert!(
            height(&b, target) >= 44.0,
            "{target}: {} px",
            height(&b, target)
        );
    }
    open(&b, &sim.url(), "/stacks/1", ".stack-detail .facts");
    assert!(height(&b, ".tabs a") >= 44.0);
    b.screenshot(&artifacts_dir().join("pictures/phone-stack.png"));
    open(&b, &sim.url(), "/stacks", "tr.stack-row");
    b.screenshot(&artifacts_dir().join("pictures/phone-stacks.png"));
}

fn nav_shown(b: &Browser) -> bool {
    b.exec(
        "const n = document.querySelector('.topbar .nav'); \
         return !!n && n.getBoundingClientRect().height > 0;",
        vec![],
    ) == serde_json::json!(true)
}

fn filters_shown(b: &Browser) -> bool {
    b.exec(
        "const f = document.getElementById('stack-filters'); \
         return !!f && f.getBoundingClientRect().height > 0;",
        vec![],
    ) == serde_json::json!(true)
}

#[test]
fn no_page_scrolls_sideways_nor_shows_axe_a_violation_in_either_scheme_or_width() {
    let sim = demo_sim();
    let b = Browser::start();
    let mut found = Vec::new();
    for dark in [false, true] {
        b.color_scheme(dark);
        for width in [None, Some(360)] {
            b.viewport(width);
            let case = format!(
                "{} {}",
                if dark { "dark" } else { "light" },
                width.map_or("1280 px".to_string(), |w| format!("{w} px"))
            );
            b.goto(&format!("{}/connect", sim.url()));
            b.wait("#access-token");
            found.extend(
                b.axe_violations()
                    .into_iter()
                    .map(|v| format!("{case} connect: {v}")),
            );
            connect_as(&b, &sim.url(), "admin");
            for (name, path, ready) in PAGES {
                open(&b, &sim.url(), path, ready);
                // No page scrolls sideways, at the laptop's width either.
                if b.overflow_x() != 0 {
                    found.push(format!(
                        "{case} {name}: scrolls sideways: {:?}",
                        b.too_wide()
                    ));
                }
                found.extend(
                    b.axe_violations()
                        .into_iter()
                        .map(|v| format!("{case} {name}: {v}")),
                );
            }
            // The README's pictures, at the laptop's width.
            if width.is_none() {
                let scheme = if dark { "dark" } else { "light" };
                for (name, path, ready) in [
                    ("stacks", "/stacks", "tr.stack-row"),
                    ("stack", "/stacks/1", ".stack-detail .facts"),
                    ("logs", "/stacks/2/logs", ".logs .line"),
                    ("pods", "/stacks/10?tab=containers", "table.pods tr.pod"),
                    ("access", "/access", ".access-stacks"),
                    ("everyone", "/access/everyone", ".everyone-matrix tr.person"),
                ] {
                    open(&b, &sim.url(), path, ready);
                    b.screenshot(&artifacts_dir().join(format!("pictures/{name}-{scheme}.png")));
                }
                // An edit under review: the diff and the variables it changes.
                open(&b, &sim.url(), "/stacks/2/edit", "#compose-file");
                let deployed = b.wait("#compose-file").value();
                let edit =
                    "const a = document.getElementById('compose-file'); a.value = arguments[0]; \
                            a.dispatchEvent(new Event('input', { bubbles: true }));";
                b.exec(
                    edit,
                    vec![serde_json::json!(deployed.replace("11.1.0", "11.2.0"))],
                );
                b.all("tr.env-row input.env-value")[1].fill("30d");
                b.click("button.review");
                b.wait(".diff tr.diff-add");
                found.extend(
                    b.axe_violations()
                        .into_iter()
                        .map(|v| format!("{case} review: {v}")),
                );
                b.screenshot(&artifacts_dir().join(format!("pictures/edit-{scheme}.png")));
                // Back as deployed: no draft is left, and leaving asks nothing.
                b.click("button.back-to-edit");
                b.exec(edit, vec![serde_json::json!(deployed)]);
                b.all("tr.env-row input.env-value")[1].fill("15d");
                b.wait_until("no draft", || {
                    !b.local_storage().to_string().contains("portlight.draft.")
                });
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
