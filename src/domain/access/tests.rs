//! The demo personas of the simulator, end to end: inputs as their token fetches them → report
//! → exports.

use super::fixtures::*;
use super::*;
use crate::domain::names::Names;
use crate::domain::viewer::Viewer;
use crate::portainer::{AccessToken, EndpointType, Environment, Status};
use AccessSource as S;

fn report(user: u32) -> AccessReport {
    build_report(&inputs(user))
}

fn sources(r: &AccessReport) -> Vec<(&str, AccessSource)> {
    let rows = r.environments.iter();
    rows.map(|e| (e.name.as_str(), e.source.clone())).collect()
}

fn env<'a>(r: &'a AccessReport, name: &str) -> &'a EnvironmentRow {
    r.environments.iter().find(|e| e.name == name).unwrap()
}

fn right(r: &AccessReport, env_name: &str, right: Right) -> (Mark, String) {
    let cell = env(r, env_name).rights.iter().find(|c| c.right == right);
    cell.map(|c| (c.mark, c.reason.clone())).unwrap()
}

fn stack<'a>(r: &'a AccessReport, name: &str) -> &'a StackAccessRow {
    let mut all = r.stacks.iter().flat_map(|g| &g.stacks);
    all.find(|s| s.name == name).unwrap()
}

fn stack_names(r: &AccessReport) -> Vec<&str> {
    let all = r.stacks.iter().flat_map(|g| &g.stacks);
    all.map(|s| s.name.as_str()).collect()
}

/// (environment, count) for each group.
fn counts(r: &AccessReport) -> Vec<(&str, usize)> {
    let groups = r.stacks.iter();
    groups.map(|g| (g.environment.as_str(), g.count)).collect()
}

fn area(r: &AccessReport, area: Area) -> &AreaRow {
    r.areas.iter().find(|a| a.area == area).unwrap()
}

fn marks(r: &AccessReport) -> Vec<(Mark, u16)> {
    let rows = r.areas.iter();
    rows.map(|a| (a.mark, a.expected_status)).collect()
}

fn team(id: u32, name: &str) -> AccessSource {
    S::TeamPolicy {
        team_id: id,
        team: format!("team {name}"),
    }
}

fn team_group(team_id: u32, team: &str, group_id: u32, group: &str) -> AccessSource {
    S::TeamGroupPolicy {
        team_id,
        team: format!("team {team}"),
        group_id,
        group: group.into(),
    }
}

fn allowed(g: &Gate) -> bool {
    g.allowed
}

const ALL_ENVS: [&str; 5] = ["local", "prod-swarm", "edge-site-7", "staging", "k8s-lab"];

// ---- environments -----------------------------------------------------------------------

#[test]
fn the_ce_rule_on_full_data_gives_each_personas_environments() {
    let names = Names::new(&all_users(), &teams());
    let groups = groups();
    let dir = NamesAndGroups {
        names: &names,
        groups: &groups,
    };
    let envs = environments();
    let expected: [(u32, &[u32]); 6] = [
        (ADMIN, &[1, 2, 3, 4, 5]),
        (ALICE, &[1, 3, 4, 5]),
        (BOB, &[1, 2, 3, 4]),
        (CAROL, &[1]),
        (DAVE, &[]),
        (ERIN, &[1, 2, 3, 4, 5]),
    ];
    for (id, want) in expected {
        let viewer = Viewer::new(&user(id), &memberships(id));
        let got: Vec<u32> = envs
            .iter()
            .filter(|e| reaches(&viewer, e, &dir))
            .map(|e| e.id)
            .collect();
        assert_eq!(got, want, "user {id}");
        // The fixtures' own answers agree with the rule.
        let listed = inputs(id).environments.unwrap();
        assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), want);
    }
    // With complete data a user policy on the environment is proven, not inferred.
    let bob = Viewer::new(&user(BOB), &memberships(BOB));
    let staging = &envs[3];
    let all = grants(&bob, staging, &dir);
    assert_eq!(all, vec![S::UserPolicy, team(1, "devs")]);
    assert_eq!(
        S::UserPolicy.sentence("bob"),
        "a policy for bob on the environment"
    );
}

#[test]
fn administrator_reaches_every_environment_and_sees_every_policy() {
    let r = report(ADMIN);
    let names: Vec<&str> = r.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ALL_ENVS);
    assert!(r.environments.iter().all(|e| e.source == S::Administrator));
    assert_eq!(
        env(&r, "local").source_text,
        "administrator: administrators reach every environment"
    );
    assert_eq!(
        env(&r, "local").policies,
        [
            "user carol on the environment",
            "team devs on the environment"
        ]
    );
    assert_eq!(
        env(&r, "prod-swarm").policies,
        ["team ops on group Production"]
    );
    assert_eq!(
        env(&r, "k8s-lab").policies,
        ["user alice on the environment"]
    );
    let staging = env(&r, "staging");
    assert_eq!((staging.status, staging.kind.as_str()), ("down", "Docker"));
    assert_eq!(env(&r, "edge-site-7").kind, "Docker (Edge agent)");
    assert_eq!(env(&r, "k8s-lab").kind, "Kubernetes (agent)");
    assert_eq!(env(&r, "prod-swarm").group, "Production");
}

#[test]
fn team_leader_sources_name_the_team_and_group_and_infer_the_hidden_user_policy() {
    let r = report(ALICE);
    assert_eq!(
        sources(&r),
        vec![
            ("local", team(1, "devs")),
            ("edge-site-7", team_group(1, "devs", 3, "Edge sites")),
            ("staging", team(1, "devs")),
            ("k8s-lab", S::InferredUserPolicy),
        ]
    );
    let k8s = env(&r, "k8s-lab");
    assert!(k8s
        .source_text
        .starts_with("a policy for alice on the environment (inferred"));
    assert!(r.notes.iter().any(|n| n.contains("(inferred)")));
    assert_eq!(
        env(&r, "edge-site-7").source_text,
        "through group Edge sites (a policy for team devs on the group)"
    );
    assert_eq!(
        env(&r, "local").source_text,
        "through team devs (a policy on the environment)"
    );
    // Group Unassigned holds no policy of hers, so her list lacks it.
    // The default group is named even where the groups cannot be read.
    assert_eq!(env(&r, "local").group, "Unassigned");
}

#[test]
fn member_of_two_teams_gets_the_most_specific_provable_source() {
    let r = report(BOB);
    assert_eq!(
        sources(&r),
        vec![
            ("local", team(1, "devs")),
            ("prod-swarm", team_group(2, "ops", 2, "Production")),
            ("edge-site-7", team_group(1, "devs", 3, "Edge sites")),
            // His own policy on staging is stripped from his list; the team's is proof enough.
            ("staging", team(1, "devs")),
        ]
    );
    assert!(!r.notes.iter().any(|n| n.contains("(inferred)")));
    assert_eq!(
        env(&r, "staging").policies,
        ["team devs on the environment"]
    );
}

#[test]
fn user_without_team_is_inferred_and_user_without_environment_sees_none() {
    let carol = report(CAROL);
    assert_eq!(sources(&carol), vec![("local", S::InferredUserPolicy)]);
    let dave = report(DAVE);
    assert!(dave.environments.is_empty());
    assert!(dave
        .environments_note
        .starts_with("0 environment(s) reached"));
    assert!(dave
        .environments_note
        .contains("invisible to it, not merely absent"));
}

#[test]
fn an_unlisted_group_policy_for_the_user_is_named() {
    let mut i = inputs(CAROL);
    let mut envs = environments();
    envs[1].group_id = 2;
    let mut groups = groups();
    groups[1]
        .user_access_policies
        .insert(CAROL, Default::default());
    i.environments = Ok(vec![envs[1].clone()]);
    i.groups = Ok(vec![groups[1].clone()]);
    let r = build_report(&i);
    let source = S::UserGroupPolicy {
        group_id: 2,
        group: "Production".into(),
    };
    assert_eq!(sources(&r), vec![("prod-swarm", source)]);
    assert_eq!(
        r.environments[0].source_text,
        "through group Production (a policy for carol on the group)"
    );
}

// ---- rights -----------------------------------------------------------------------------

#[test]
fn regular_users_get_the_security_settings() {
    let r = report(ALICE);
    assert_eq!(
        right(&r, "local", Right::StackManagement),
        (
            Mark::Allowed,
            "“Disable the use of Stacks for non-administrators” is off".into()
        )
    );
    assert_eq!(
        right(&r, "local", Right::VolumeBrowser),
        (
            Mark::Denied,
            "“Enable volume management for non-administrators” is off: administrators only".into()
        )
    );
    assert_eq!(right(&r, "local", Right::PrivilegedMode).0, Mark::Denied);
    assert_eq!(right(&r, "local", Right::BindMounts).0, Mark::Allowed);
    assert_eq!(right(&r, "staging", Right::StackManagement).0, Mark::Denied);
    // Host management is an administrator feature, and needs an agent.
    assert_eq!(
        right(&r, "edge-site-7", Right::HostManagement).0,
        Mark::Denied
    );
    assert_eq!(
        right(&r, "local", Right::HostManagement).0,
        Mark::NotApplicable
    );
    let k8s = &env(&r, "k8s-lab").rights;
    assert_eq!(k8s.len(), Right::ALL.len());
    assert!(k8s.iter().all(|c| c.mark == Mark::NotApplicable));
    assert!(k8s[0].reason.contains("Docker environments only"));
}

#[test]
fn administrators_bypass_the_settings_but_not_the_host_management_switch() {
    let r = report(ADMIN);
    let staging = right(&r, "staging", Right::StackManagement);
    assert_eq!(
        staging,
        (Mark::Allowed, "administrators bypass these settings".into())
    );
    assert_eq!(right(&r, "local", Right::VolumeBrowser).0, Mark::Allowed);
    let (mark, reason) = right(&r, "prod-swarm", Right::HostManagement);
    assert_eq!(mark, Mark::Denied);
    assert!(reason.contains("off, for administrators too"));
    assert!(env(&r, "k8s-lab")
        .rights
        .iter()
        .all(|c| c.mark == Mark::NotApplicable));
    let azure = Environment {
        kind: EndpointType::Azure,
        ..Default::default()
    };
    let cells = environment_rights(true, &azure);
    assert!(cells.iter().all(|c| c.mark == Mark::NotApplicable));
    assert_eq!(cells[0].reason, "this environment type has no stacks");
}

// ---- stacks -----------------------------------------------------------------------------

#[test]
fn administrator_sees_every_stack_orphans_included() {
    let r = report(ADMIN);
    assert_eq!(r.stack_count, 11);
    assert_eq!(
        counts(&r),
        [
            ("local", 5),
            ("prod-swarm", 2),
            ("edge-site-7", 1),
            ("staging", 1),
            ("k8s-lab", 1),
            ("environment #9 (deleted)", 1),
        ]
    );
    let orphans = r.stacks.last().unwrap();
    assert!(orphans.orphaned && !orphans.reachable);
    assert!(orphans
        .note
        .as_deref()
        .unwrap()
        .contains("no longer exists"));
    let old = stack(&r, "old-reports");
    assert!(!old.start.allowed && old.start.reason.contains("orphaned"));
    assert_eq!(
        stack(&r, "legacy-app").visibility_text,
        "administrator (stack no resource control (administrators only))"
    );
    assert_eq!(
        stack(&r, "db-admin").visibility_text,
        "administrator (stack administrators only)"
    );
    assert!(r
        .stacks
        .iter()
        .flat_map(|g| &g.stacks)
        .all(|s| s.visibility == StackVisibility::Administrator));
    let web = stack(&r, "web-frontend");
    assert_eq!(web.start.reason, "allowed (once stopped: it runs now)");
    assert_eq!(web.stop.reason, "allowed");
    // Stack management off does not stop an administrator; the down environment is a caveat.
    let staging = stack(&r, "staging-web");
    assert!(staging.stop.allowed);
    assert!(staging.stop.reason.contains("the environment is down"));
    let k8s = stack(&r, "k8s-demo");
    assert!(!k8s.start.allowed && k8s.start.reason.contains("Kubernetes"));
    let sandbox = stack(&r, "carol-sandbox");
    assert_eq!(
        sandbox.stop.reason,
        "allowed (once started: it is stopped now)"
    );
}

#[test]
fn team_leader_stacks_and_verdicts() {
    let r = report(ALICE);
    // No k8s-demo: Portainer CE gives Kubernetes stacks no ResourceControl, so only
    // administrators list them, though alice reaches k8s-lab.
    assert_eq!(
        stack_names(&r),
        [
            "web-frontend",
            "monitoring",
            "edge-collector",
            "staging-web"
        ]
    );
    assert_eq!(
        counts(&r),
        [
            ("local", 2),
            ("edge-site-7", 1),
            ("staging", 1),
            ("k8s-lab", 0)
        ]
    );
    let web = stack(&r, "web-frontend");
    assert_eq!(
        web.visibility,
        StackVisibility::Team {
            teams: vec!["team devs".into()]
        }
    );
    assert_eq!(web.visibility_text, "team access: through team devs");
    assert!(allowed(&web.start) && allowed(&web.stop));
    let monitoring = stack(&r, "monitoring");
    assert_eq!(monitoring.visibility, StackVisibility::Public);
    assert!(allowed(&monitoring.stop));
    let staging = stack(&r, "staging-web");
    assert!(!staging.stop.allowed);
    assert!(staging.stop.reason.contains("Stack management is disabled"));
    assert!(allowed(&stack(&r, "edge-collector").stop));
}

#[test]
fn member_sees_a_stack_of_an_environment_it_cannot_reach() {
    let r = report(BOB);
    assert_eq!(r.stack_count, 7);
    assert_eq!(
        counts(&r),
        [
            ("local", 2),
            ("prod-swarm", 2),
            ("edge-site-7", 1),
            ("staging", 1),
            ("environment #9", 1),
        ]
    );
    let payments = stack(&r, "payments");
    assert_eq!(payments.visibility, StackVisibility::User);
    assert!(allowed(&payments.start) && allowed(&payments.stop));
    let gateway = stack(&r, "api-gateway");
    assert_eq!(gateway.visibility_text, "team access: through team ops");
    assert!(allowed(&gateway.stop));
    let unreachable = r.stacks.last().unwrap();
    assert!(!unreachable.reachable && !unreachable.orphaned);
    assert!(unreachable
        .note
        .as_deref()
        .unwrap()
        .contains("not reachable by this token"));
    let old = stack(&r, "old-reports");
    assert!(!old.stop.allowed);
    assert!(old.stop.reason.contains("no access to environment #9"));
    assert!(!stack(&r, "staging-web").stop.allowed);
}

#[test]
fn no_team_and_no_environment_personas() {
    let carol = report(CAROL);
    assert_eq!(stack_names(&carol), ["monitoring", "carol-sandbox"]);
    let sandbox = stack(&carol, "carol-sandbox");
    assert_eq!(sandbox.status, "inactive");
    assert_eq!(sandbox.visibility, StackVisibility::User);
    assert_eq!(sandbox.start.reason, "allowed");
    assert!(allowed(&sandbox.stop));

    let dave = report(DAVE);
    assert_eq!(counts(&dave), [("environment #1", 1)]);
    let group = &dave.stacks[0];
    assert!(!group.reachable && group.note.as_deref().unwrap().contains("not reachable"));
    let monitoring = stack(&dave, "monitoring");
    assert_eq!(monitoring.visibility, StackVisibility::Public);
    assert!(!monitoring.start.allowed && !monitoring.stop.allowed);
    assert!(monitoring
        .stop
        .reason
        .contains("no access to environment #1"));
}

#[test]
fn reached_environments_without_stacks_still_get_a_zero_count() {
    let mut i = inputs(ALICE);
    i.stacks = Ok(Vec::new());
    let r = build_report(&i);
    assert_eq!(r.stacks.len(), 4);
    assert!(r.stacks.iter().all(|g| g.count == 0 && g.reachable));
}

#[test]
fn a_stack_the_memberships_do_not_explain_is_flagged_not_dropped() {
    let mut i = inputs(BOB);
    i.memberships = Err("500 Internal Server Error".into());
    let r = build_report(&i);
    assert_eq!(
        stack(&r, "web-frontend").visibility,
        StackVisibility::Unexplained
    );
    assert_eq!(stack(&r, "payments").visibility, StackVisibility::User);
    assert!(r.notes[0].starts_with("The team memberships could not be read (500"));
}

// ---- areas ------------------------------------------------------------------------------

#[test]
fn areas_per_persona() {
    use Mark::{Allowed as A, Denied as D, Partial as P};
    let admin = vec![(A, 200); 9];
    assert_eq!(marks(&report(ADMIN)), admin);
    assert_eq!(marks(&report(ERIN)), admin);
    assert_eq!(
        marks(&report(ALICE)),
        [
            (D, 403),
            (P, 200),
            (P, 200),
            (P, 200),
            (D, 403),
            (P, 200),
            (P, 200),
            (P, 200),
            (P, 403)
        ]
    );
    let plain = [
        (D, 403),
        (D, 403),
        (P, 200),
        (D, 403),
        (D, 403),
        (P, 200),
        (P, 200),
        (P, 200),
        (P, 403),
    ];
    assert_eq!(marks(&report(BOB)), plain);
    assert_eq!(marks(&report(CAROL)), plain);
    assert_eq!(marks(&report(DAVE)), plain);

    let alice = report(ALICE);
    assert!(area(&alice, Area::Users)
        .reason
        .contains("leader of team devs"));
    assert!(area(&alice, Area::TeamMemberships)
        .reason
        .contains("team devs"));
    let bob = report(BOB);
    assert_eq!(
        area(&bob, Area::Teams).reason,
        "lists only the teams the user belongs to: team devs and team ops"
    );
    assert!(area(&report(CAROL), Area::Teams).reason.ends_with(": none"));
    assert!(area(&bob, Area::Settings)
        .reason
        .contains("/api/settings/public"));
    let admin = report(ADMIN);
    assert!(area(&admin, Area::Stacks).reason.contains("orphans"));
    let probes: Vec<&str> = admin.areas.iter().map(|a| a.probe).collect();
    assert_eq!(
        probes,
        [
            "/api/settings",
            "/api/users",
            "/api/teams",
            "/api/team_memberships",
            "/api/roles",
            "/api/endpoint_groups",
            "/api/endpoints?limit=1",
            "/api/stacks",
            "/api/registries",
        ]
    );
}

#[test]
fn verify_compares_status_codes() {
    assert_eq!(verify_outcome(200, 200), Agreement::Agrees);
    assert_eq!(verify_outcome(200, 204), Agreement::Agrees);
    assert_eq!(verify_outcome(403, 403), Agreement::Agrees);
    assert_eq!(verify_outcome(403, 200), Agreement::Differs);
    assert_eq!(verify_outcome(200, 403), Agreement::Differs);
    assert_eq!(verify_outcome(200, 404), Agreement::Differs);
    for status in [0, 401, 429, 500, 502] {
        assert_eq!(
            verify_outcome(403, status),
            Agreement::Inconclusive,
            "{status}"
        );
    }
}

// ---- token ------------------------------------------------------------------------------

#[test]
fn the_token_is_found_by_its_prefix_and_the_others_listed() {
    let r = report(ALICE);
    let t = &r.token;
    assert_eq!(t.lookup, TokenLookup::Found);
    assert_eq!(t.prefix.as_str(), "ptr_IX1");
    let this = t.this.as_ref().unwrap();
    assert_eq!(this.description, "portlight");
    assert_eq!(this.created_utc, "2024-05-29 16:26 UTC");
    assert_eq!(this.last_used_utc, "2024-05-29 17:26 UTC");
    assert_eq!(t.others.len(), 1);
    assert_eq!(
        (
            t.others[0].description.as_str(),
            t.others[0].prefix.as_str()
        ),
        ("ci-deploy", "ptr_Pom")
    );
    let ci = tokens(ALICE)
        .into_iter()
        .find(|t| t.description == "ci-deploy")
        .unwrap();
    assert_eq!(TokenInfo::from(&ci).last_used_utc, "never");
    assert!(t.rights_statement.contains("never expires"));
    assert!(t.rights_statement.contains("all of alice's rights"));
    for id in [ADMIN, BOB, CAROL, DAVE, ERIN] {
        assert_eq!(report(id).token.lookup, TokenLookup::Found, "user {id}");
    }
}

#[test]
fn the_token_lookup_says_why_it_did_not_find_one() {
    let prefix = TokenPrefix::of(token_of(ALICE));
    // An administrator cannot list another administrator's tokens.
    let denied: Fetched<Vec<AccessToken>> =
        Err("403 Permission denied to get user access tokens".into());
    let r = identify_token(&prefix, "erin", &denied);
    assert!(matches!(r.lookup, TokenLookup::ListFailed { .. }));
    assert!(r.lookup_text.contains("403") && r.lookup_text.contains("non-administrators only"));
    assert!(r.this.is_none() && r.rights_statement.contains("erin"));

    let r = identify_token(&prefix, "bob", &Ok(tokens(BOB)));
    assert_eq!(r.lookup, TokenLookup::NotListed);
    assert_eq!(r.others.len(), 1);

    let mut clash = tokens(ALICE);
    clash[1].prefix = clash[0].prefix.clone();
    let r = identify_token(&prefix, "alice", &Ok(clash));
    assert_eq!(r.lookup, TokenLookup::Collision { count: 2 });
    assert!(r.this.is_none() && r.others.len() == 2);
    assert!(r
        .lookup_text
        .contains("2 tokens of alice start with ptr_IX1"));
}

#[test]
fn the_prefix_keeps_seven_characters_only() {
    let raw = token_of(BOB);
    let prefix = TokenPrefix::of(&format!("  {raw}\n"));
    assert_eq!(prefix.as_str(), "ptr_7SJ");
    assert_eq!(TokenPrefix::of("ptr").as_str(), "ptr");
}

// ---- the whole report -------------------------------------------------------------------

#[test]
fn who_is_reported() {
    let r = report(ALICE);
    assert_eq!((r.who.user_id, r.who.username.as_str()), (2, "alice"));
    assert_eq!((r.who.is_admin, r.who.role), (false, "standard user"));
    assert_eq!(
        r.who.teams,
        [TeamRow {
            id: 1,
            name: "devs".into(),
            leader: true
        }]
    );
    assert_eq!(r.who.version.as_deref(), Some("2.23.0"));
    assert_eq!(r.who.edition.as_deref(), Some("Community Edition (CE)"));
    let bob = report(BOB);
    let teams: Vec<(&str, bool)> = bob
        .who
        .teams
        .iter()
        .map(|t| (t.name.as_str(), t.leader))
        .collect();
    assert_eq!(teams, [("devs", false), ("ops", false)]);
    let admin = report(ADMIN);
    assert_eq!(admin.who.role, "administrator");
    assert!(admin
        .notes
        .iter()
        .any(|n| n.contains("EndpointAuthorizations is empty")));
}

#[test]
fn portainer_2_19_and_failed_answers_are_stated_not_fatal() {
    let mut i = inputs(BOB);
    i.status = Ok(Status {
        version: "2.19.4".into(),
        instance_id: String::new(),
    });
    i.system_version = Err("403".into());
    i.tokens = Err("401 Invalid JWT token".into());
    i.environments = Err("timeout".into());
    i.groups = Err("timeout".into());
    // EndpointAuthorizations is informational: whatever it says changes nothing.
    i.user
        .endpoint_authorizations
        .insert(4, ["DockerContainerList".to_owned()].into());
    let r = build_report(&i);
    assert_eq!(r.who.version.as_deref(), Some("2.19.4"));
    assert_eq!(r.who.edition, None);
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("before 2.20 has no /api/users/me")));
    assert!(r
        .notes
        .iter()
        .any(|n| n.starts_with("The environment list could not be read (timeout)")));
    assert!(matches!(r.token.lookup, TokenLookup::ListFailed { .. }));
    assert!(r.environments.is_empty());
    // Stacks are still listed; their environments cannot be told reachable.
    assert_eq!(r.stack_count, 7);
    assert!(r.stacks.iter().all(|g| !g.reachable));
    assert!(r.stacks[0]
        .note
        .as_deref()
        .unwrap()
        .contains("could not be read"));
    assert!(!stack(&r, "payments").stop.allowed);
    let md = to_markdown(&r);
    assert!(md.contains("2.19.4, edition not reported"));
}

#[test]
fn a_failed_environment_list_leaves_actions_undecided() {
    let mut i = inputs(ADMIN);
    i.environments = Err("timeout".into());
    let r = build_report(&i);
    assert!(r.stacks.iter().all(|g| g.reachable && !g.orphaned));
    // Without the environment Portainer's checks cannot be evaluated: said, not guessed.
    let stop = &stack(&r, "web-frontend").stop;
    assert!(!stop.allowed && stop.reason.starts_with("cannot tell"));
}

#[test]
fn business_edition_is_flagged() {
    let mut i = inputs(BOB);
    if let Ok(v) = &mut i.system_version {
        v.server_edition = "BE".into();
    }
    let r = build_report(&i);
    assert_eq!(r.who.edition.as_deref(), Some("Business Edition (BE)"));
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("not the Community Edition")));
}

// ---- exports ----------------------------------------------------------------------------

#[test]
fn exports_never_contain_a_token() {
    for (_, _, raw) in TOKENS {
        for id in [ADMIN, ALICE, BOB, CAROL, DAVE, ERIN] {
            let r = report(id);
            for text in [to_markdown(&r), to_json(&r)] {
                // Eight characters are already more than Portainer itself shows.
                assert!(!text.contains(&raw[..8]), "user {id} leaks {raw}");
            }
        }
    }
}

#[test]
fn markdown_states_the_facts() {
    let md = to_markdown(&report(ALICE));
    for fact in [
        "# What this Portainer token can do: alice",
        "| User | alice (id 2) |",
        "| Role | standard user |",
        "| Teams | devs (leader) |",
        "| Portainer | 2.23.0, Community Edition (CE) |",
        "never expires",
        "- Prefix: `ptr_IX1`",
        "- Created: 2024-05-29 16:26 UTC",
        "| ci-deploy | `ptr_Pom` |",
        "| local (#1) | Docker | up | Unassigned | through team devs (a policy on the environment) |",
        "| k8s-lab (#5) | Kubernetes (agent) | up | Unassigned | a policy for alice on the environment (inferred",
        "invisible to it, not merely absent",
        "| Environment | stack management | volume browser |",
        "| local | ✔ allowed | ✘ denied | ✔ allowed | ✘ denied |",
        "| k8s-lab | – not applicable |",
        "- staging, stack management: ✘ denied: “Disable the use of Stacks for non-administrators” is on",
        "- k8s-lab, volume browser, bind mounts, privileged mode, host namespaces, device mapping, \
         container capabilities, sysctl settings, host management: – not applicable: a Docker setting",
        "| monitoring | compose | active | public: every user sees it | ✔ allowed (once stopped: it runs now) | ✔ allowed |",
        "## Stacks (4 visible)",
        "### local (#1): 2 stack(s)",
        "| web-frontend | compose | active | team access: through team devs | ✔ allowed (once stopped: it runs now) | ✔ allowed |",
        "| staging-web | compose | active | team access: through team devs | ✘ denied: Stack management is disabled",
        "| settings | ✘ denied |",
        "| users | ◐ partial | as leader of team devs",
        "`GET /api/team_memberships` | 200 |",
        "`GET /api/roles` | 403 |",
    ] {
        assert!(md.contains(fact), "missing {fact:?} in\n{md}");
    }
}

#[test]
fn markdown_for_the_other_personas() {
    let admin = to_markdown(&report(ADMIN));
    assert!(admin.contains("### environment #9 (deleted): 1 stack(s)"));
    assert!(admin.contains("no longer exists"));
    assert!(admin.contains("- Administrators bypass these settings."));
    assert!(admin.contains("| settings | ✔ allowed | administrator | `GET /api/settings` | 200 |"));
    let dave = to_markdown(&report(DAVE));
    assert!(dave.contains("0 environment(s) reached"));
    assert!(!dave.contains("### Rights per environment"));
    assert!(dave.contains("| monitoring | compose | active | public: every user sees it | ✘ denied: This token has no access to environment #1"));
    let bob = to_markdown(&report(BOB));
    assert!(bob.contains(
        "| payments | swarm | active | user access: granted to bob | ✔ allowed (once stopped: it runs now) | ✔ allowed |"
    ));
    assert!(bob.contains("| Teams | devs (member), ops (member) |"));
}

#[test]
fn markdown_keeps_table_rows_intact() {
    let mut i = inputs(ALICE);
    if let Ok(tokens) = &mut i.tokens {
        tokens[1].description = "ci | deploy\nnightly".into();
    }
    let md = to_markdown(&build_report(&i));
    assert!(md.contains("| ci \\| deploy nightly | `ptr_Pom` |"));
}

#[test]
fn markdown_never_turns_a_name_into_a_link_an_image_or_html() {
    let mut i = inputs(ALICE);
    if let Ok(tokens) = &mut i.tokens {
        tokens[1].description = "![](https://x.example/p.png)".into();
    }
    if let Ok(teams) = &mut i.teams {
        teams[0].name =
            "[a](javascript:alert(1)) <img src=x onerror=alert(1)> www.evil.example".into();
    }
    let md = to_markdown(&build_report(&i));
    assert!(md.contains("!\\[\\](https://x.example/p.png)"), "{md}");
    assert!(
        md.contains("\\[a\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>"),
        "{md}"
    );
    // No bracket or angle bracket of a value is left unescaped.
    let values: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("javascript") || l.contains("x.example"))
        .collect();
    assert!(!values.is_empty());
    for line in values {
        let bytes = line.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if b"[]<>".contains(b) {
                assert_eq!(bytes[i - 1], b'\\', "unescaped {} in {line}", *b as char);
            }
        }
    }
}

#[test]
fn json_has_stable_field_names() {
    let json = to_json(&report(BOB));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "portlight-access-report/1");
    assert_eq!(v["generated_at"], 1_717_200_000);
    assert_eq!(v["who"]["username"], "bob");
    assert_eq!(v["who"]["role"], "standard user");
    assert_eq!(v["who"]["teams"][1]["name"], "ops");
    assert_eq!(v["token"]["prefix"], "ptr_7SJ");
    assert_eq!(v["token"]["lookup"]["outcome"], "found");
    assert_eq!(v["token"]["this"]["description"], "portlight");
    let prod = &v["environments"][1];
    assert_eq!(prod["name"], "prod-swarm");
    assert_eq!(prod["source"]["kind"], "team_group_policy");
    assert_eq!(prod["source"]["group"], "Production");
    assert_eq!(prod["rights"][0]["right"], "stack_management");
    assert_eq!(prod["rights"][0]["mark"], "allowed");
    assert_eq!(prod["rights"][8]["mark"], "denied");
    assert_eq!(v["stack_count"], 7);
    let orphan = &v["stacks"][4];
    assert_eq!(orphan["environment_id"], 9);
    assert_eq!(orphan["reachable"], false);
    assert_eq!(orphan["stacks"][0]["visibility"]["kind"], "team");
    assert_eq!(orphan["stacks"][0]["visibility"]["teams"][0], "team ops");
    assert_eq!(orphan["stacks"][0]["stop"]["allowed"], false);
    assert_eq!(v["areas"][1]["area"], "users");
    assert_eq!(v["areas"][1]["mark"], "denied");
    assert_eq!(v["areas"][1]["expected_status"], 403);
    assert_eq!(v["areas"][6]["probe"], "/api/endpoints?limit=1");
    let carol: serde_json::Value = serde_json::from_str(&to_json(&report(CAROL))).unwrap();
    assert_eq!(
        carol["environments"][0]["source"]["kind"],
        "inferred_user_policy"
    );
    assert_eq!(carol["token"]["others"], serde_json::json!([]));
    let admin: serde_json::Value = serde_json::from_str(&to_json(&report(ADMIN))).unwrap();
    assert_eq!(admin["environments"][4]["source"]["kind"], "administrator");
    assert_eq!(admin["stacks"][5]["orphaned"], true);
}

#[test]
fn marks_read_without_colour() {
    let labels: Vec<String> = [
        Mark::Allowed,
        Mark::Denied,
        Mark::Partial,
        Mark::NotApplicable,
    ]
    .iter()
    .map(|m| m.label())
    .collect();
    assert_eq!(
        labels,
        ["✔ allowed", "✘ denied", "◐ partial", "– not applicable"]
    );
}

#[test]
fn a_stale_endpoint_authorizations_changes_nothing() {
    // Portainer stores `EndpointAuthorizations` and refreshes it only when an environment with
    // its own policies is deleted: it is usually `null` or stale. The report never reads it.
    for user in [ALICE, BOB, CAROL, DAVE] {
        let plain = inputs(user);
        let mut stale = inputs(user);
        stale.user.endpoint_authorizations = [
            (2, ["DockerContainerList".to_owned()].into()),
            (5, ["PortainerStackList".to_owned()].into()),
            (9, ["EndpointResourcesAccess".to_owned()].into()),
        ]
        .into();
        assert_eq!(
            to_json(&build_report(&stale)),
            to_json(&build_report(&plain)),
            "user {user}"
        );
    }
}

#[test]
fn portainer_line_says_when_the_edition_is_not_reported() {
    let mut who = Who {
        user_id: 1,
        username: "admin".into(),
        is_admin: true,
        role: "administrator",
        teams: Vec::new(),
        version: Some("2.19.4".into()),
        edition: None,
    };
    // 2.19's /api/system/version has no ServerEdition.
    assert_eq!(who.portainer(), "2.19.4, edition not reported");
    who.edition = Some("Community Edition (CE)".into());
    assert_eq!(who.portainer(), "2.19.4, Community Edition (CE)");
    who.version = None;
    assert_eq!(who.portainer(), "version unknown, Community Edition (CE)");
}
