use super::*;
use crate::domain::access::build_report;
use crate::domain::access::everyone_view::{
    cell_text, columns_in_view, shown, to_csv, to_markdown, EveryoneQuery,
};
use crate::domain::access::fixtures::{
    all_users, environments, groups, inputs, memberships, stacks, teams, ADMIN, ALICE, BOB, CAROL,
    DAVE, ERIN,
};

struct Lists {
    users: Vec<User>,
    teams: Vec<Team>,
    memberships: Vec<TeamMembership>,
    environments: Vec<Environment>,
    groups: Vec<EndpointGroup>,
    stacks: Vec<Stack>,
}

/// What an administrator's token lists, as the simulator's demo answers it.
fn admin_lists() -> Lists {
    Lists {
        users: all_users(),
        teams: teams(),
        memberships: all_users().iter().flat_map(|u| memberships(u.id)).collect(),
        environments: environments(),
        groups: groups(),
        stacks: stacks(),
    }
}

fn with<T>(l: &Lists, f: impl FnOnce(&EveryoneInputs) -> T) -> T {
    f(&EveryoneInputs {
        users: &l.users,
        teams: &l.teams,
        memberships: &l.memberships,
        environments: &l.environments,
        groups: &l.groups,
        stacks: &l.stacks,
        roles: &[],
    })
}

fn person<'a>(e: &'a Everyone, name: &str) -> &'a Person {
    e.people.iter().find(|p| p.username == name).unwrap()
}

fn cell<'a>(e: &'a Everyone, who: &str, env: &str) -> &'a Cell {
    let k = e.environments.iter().position(|c| c.name == env).unwrap();
    &person(e, who).cells[k]
}

#[test]
fn each_cell_names_every_path_and_admins_reach_everything() {
    let l = admin_lists();
    let e = with(&l, everyone);
    assert_eq!(cell_text(cell(&e, "admin", "staging")), "administrator");
    // bob reaches staging by his own policy and through team devs.
    assert_eq!(
        cell_text(cell(&e, "bob", "staging")),
        "user policy; team devs"
    );
    // prod-swarm only through its group's policy for ops.
    assert_eq!(
        cell_text(cell(&e, "bob", "prod-swarm")),
        "team ops on group Production"
    );
    assert!(cell(&e, "dave", "local").paths.is_empty());
    assert_eq!(person(&e, "dave").reached(), 0);
    assert_eq!(person(&e, "alice").teams, vec!["devs (leader)".to_string()]);
    // Stacks: dave sees the public one only, and why.
    let dave: Vec<(&str, &str)> = person(&e, "dave")
        .stacks
        .iter()
        .map(|s| (s.name.as_str(), s.why.as_str()))
        .collect();
    assert_eq!(dave, vec![("monitoring", "because it is public")]);
    // Teams: who is in them and what they open.
    let devs = e.teams.iter().find(|t| t.name == "devs").unwrap();
    assert_eq!(
        (devs.leaders.clone(), devs.members.clone()),
        (vec!["alice".into()], vec!["bob".into()])
    );
    assert!(devs.environments.iter().any(|env| env == "staging"));
    let qa = e.teams.iter().find(|t| t.name == "qa").unwrap();
    assert!(qa.environments.is_empty() && qa.members.is_empty());
}

#[test]
fn a_persons_view_is_their_own_token_page() {
    let l = admin_lists();
    for user in [ADMIN, ALICE, BOB, CAROL, DAVE, ERIN] {
        let own = build_report(&inputs(user));
        let derived = with(&l, |i| {
            person_inputs(i, user, own_tokens(user), Err("none".into()), 0)
        })
        .map(|i| build_report(&i))
        .unwrap();
        let envs = |r: &crate::domain::access::AccessReport| -> Vec<String> {
            r.environments.iter().map(|e| e.name.clone()).collect()
        };
        let stack_names = |r: &crate::domain::access::AccessReport| -> Vec<String> {
            r.stacks
                .iter()
                .flat_map(|g| g.stacks.iter().map(|s| s.name.clone()))
                .collect()
        };
        assert_eq!(envs(&derived), envs(&own), "user {user}");
        assert_eq!(stack_names(&derived), stack_names(&own), "user {user}");
        assert_eq!(derived.who.teams, own.who.teams, "user {user}");
        assert_eq!(derived.who.is_admin, own.who.is_admin);
    }
}

fn own_tokens(user: u32) -> Fetched<Vec<AccessToken>> {
    Ok(crate::domain::access::fixtures::tokens(user))
}

#[test]
fn filters_and_exports_show_what_the_query_leaves() {
    let l = admin_lists();
    let e = with(&l, everyone);
    let local = e
        .environments
        .iter()
        .find(|c| c.name == "local")
        .unwrap()
        .id;
    let q = EveryoneQuery {
        reach: Some(local),
        ..Default::default()
    };
    let (_, rows) = shown(&e, &q);
    let names: Vec<&str> = rows.iter().map(|p| p.username.as_str()).collect();
    assert_eq!(names, ["admin", "alice", "bob", "carol", "erin"]);
    let q = EveryoneQuery {
        q: "AL".into(),
        group: Some(2),
        ..Default::default()
    };
    let (columns, rows) = shown(&e, &q);
    assert_eq!(rows.len(), 1);
    assert_eq!(columns.len(), 1, "Production holds prod-swarm only");
    assert_eq!(
        EveryoneQuery::from_pairs([("q", "AL"), ("group", "2")].into_iter()),
        q
    );
    assert_eq!(q.to_query(), "q=AL&group=2");

    let csv = to_csv(&e, &EveryoneQuery::default());
    assert!(csv.starts_with("user,role,teams,stacks seen,"), "{csv}");
    assert!(csv.contains("\nbob,standard user,devs; ops,"), "{csv}");
    let md = to_markdown(&e, &EveryoneQuery::default(), "2026-01-01 00:00 UTC");
    assert!(md.contains("| dave |") && md.contains("✘ none"), "{md}");
    for (_, _, token) in crate::domain::access::fixtures::TOKENS {
        assert!(!csv.contains(token) && !md.contains(token));
    }
}

#[test]
fn names_cannot_become_formulas_or_markup() {
    let mut l = admin_lists();
    l.users[3].username = "=HYPERLINK(\"x\")".into();
    l.users[4].username = "![x](https://x.example/p.png)".into();
    let e = with(&l, everyone);
    let csv = to_csv(&e, &EveryoneQuery::default());
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    let md = to_markdown(&e, &EveryoneQuery::default(), "now");
    assert!(md.contains("!\\[x\\](https://x.example/p.png)"), "{md}");
}

#[test]
fn only_the_columns_in_view_are_rendered() {
    // 1280 px of box at the start: user and stacks columns, then 6 environments fully or
    // partly in view, and 3 beyond.
    assert_eq!(columns_in_view(0.0, 1280.0, 200), 0..9);
    // Scrolled to environment 100's left edge: 3 before it, what fits, 3 after.
    let at_100 = 288.0 + 100.0 * 176.0;
    assert_eq!(columns_in_view(at_100, 1280.0, 200), 97..111);
    // The far end: never past the last column, and a position left over from a wider
    // matrix still shows its last columns.
    assert_eq!(columns_in_view(1e9, 1280.0, 200), 185..200);
    assert_eq!(
        columns_in_view(at_100 + 176.0 * 95.0, 1280.0, 200),
        185..200
    );
    // Seven environments: a phone's box shows the first and three beyond; a desktop's all.
    assert_eq!(columns_in_view(0.0, 375.0, 7), 0..4);
    assert_eq!(columns_in_view(0.0, 1280.0, 7), 0..7);
    assert_eq!(columns_in_view(-20.0, 0.0, 0), 0..0);
}
