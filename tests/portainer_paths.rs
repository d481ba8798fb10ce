//! Exact paths and query strings, server versions, and the 2.19 search for a token's user.

use portlight::portainer::paths::{self, EndpointQuery, LogOptions};
use portlight::portainer::whoami::{Next, Probe, ProbeAnswer, TokenUserSearch};
use portlight::portainer::*;

#[test]
fn base_urls_are_normalised() {
    assert_eq!(paths::url("", "/api/stacks"), "/api/stacks");
    assert_eq!(
        paths::url("https://ops.example.com", "/api/stacks"),
        "https://ops.example.com/api/stacks"
    );
    assert_eq!(
        paths::url("https://ops.example.com/", "/api/stacks"),
        "https://ops.example.com/api/stacks"
    );
    assert_eq!(
        paths::url(" https://ops.example.com/api/ ", "/api/stacks"),
        "https://ops.example.com/api/stacks"
    );
    assert_eq!(
        paths::url("https://h/portainer/api", "/api/motd"),
        "https://h/portainer/api/motd"
    );
    assert_eq!(paths::url("/", "/api/motd"), "/api/motd");
    assert_eq!(paths::url("/api", "/api/motd"), "/api/motd");
}

#[test]
fn system_user_and_team_paths() {
    assert_eq!(paths::system_status(), "/api/system/status");
    assert_eq!(paths::legacy_status(), "/api/status");
    assert_eq!(paths::system_version(), "/api/system/version");
    assert_eq!(paths::public_settings(), "/api/settings/public");
    assert_eq!(paths::settings(), "/api/settings");
    assert_eq!(paths::motd(), "/api/motd");
    assert_eq!(paths::roles(), "/api/roles");
    assert_eq!(paths::users(), "/api/users");
    assert_eq!(paths::users_me(), "/api/users/me");
    assert_eq!(paths::user(7), "/api/users/7");
    assert_eq!(paths::user_tokens(7), "/api/users/7/tokens");
    assert_eq!(paths::user_memberships(7), "/api/users/7/memberships");
    assert_eq!(paths::teams(), "/api/teams");
    assert_eq!(paths::team_memberships(), "/api/team_memberships");
    assert_eq!(paths::endpoint(3), "/api/endpoints/3");
    assert_eq!(paths::endpoint_groups(), "/api/endpoint_groups");
}

#[test]
fn endpoint_list_queries_use_brackets() {
    assert_eq!(
        paths::endpoints(&EndpointQuery::default()),
        "/api/endpoints?excludeSnapshots=true"
    );
    let query = EndpointQuery {
        start: Some(1),
        limit: Some(100),
        search: Some("prod eu/1".into()),
        types: vec![EndpointType::Docker, EndpointType::AgentOnDocker],
        group_ids: vec![2],
        include_snapshots: false,
    };
    assert_eq!(
        paths::endpoints(&query),
        "/api/endpoints?excludeSnapshots=true&start=1&limit=100&search=prod%20eu%2F1&types[]=1&types[]=2&groupIds[]=2"
    );
    let with_snapshots = EndpointQuery {
        include_snapshots: true,
        ..EndpointQuery::default()
    };
    assert_eq!(paths::endpoints(&with_snapshots), "/api/endpoints");
}

#[test]
fn stack_paths_always_carry_the_endpoint_id() {
    assert_eq!(paths::stacks(), "/api/stacks");
    assert_eq!(paths::stack(3), "/api/stacks/3");
    assert_eq!(paths::stack_file(3), "/api/stacks/3/file");
    assert_eq!(paths::stack_start(3, 1), "/api/stacks/3/start?endpointId=1");
    assert_eq!(paths::stack_stop(3, 1), "/api/stacks/3/stop?endpointId=1");
    assert_eq!(
        paths::stack_git_redeploy(3, 12),
        "/api/stacks/3/git/redeploy?endpointId=12"
    );
}

#[test]
fn compose_project_names_are_normalised_like_portainer() {
    assert_eq!(paths::normalize_stack_name("My App_2!"), "myapp_2");
    assert_eq!(paths::normalize_stack_name("web-prod"), "web-prod");
    assert_eq!(paths::normalize_stack_name("Ünïcode Stack"), "ncodestack");
    assert_eq!(paths::normalize_stack_name("a.b/c:d"), "abcd");
    assert_eq!(paths::normalize_stack_name(""), "");
}

#[test]
fn docker_proxy_paths_encode_filters() {
    assert_eq!(
        paths::compose_stack_containers(2, "My App_2!"),
        "/api/endpoints/2/docker/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3Dmyapp_2%22%5D%7D"
    );
    assert_eq!(
        paths::swarm_stack_services(3, "monitoring"),
        "/api/endpoints/3/docker/services?filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dmonitoring%22%5D%7D"
    );
    assert_eq!(
        paths::swarm_stack_tasks(3, "monitoring"),
        "/api/endpoints/3/docker/tasks?filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dmonitoring%22%5D%7D"
    );
    // The stack list's health: every project's containers, every stack's services and the
    // tasks that should run.
    assert_eq!(
        paths::containers(2, paths::COMPOSE_PROJECT),
        "/api/endpoints/2/docker/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%22%5D%7D"
    );
    assert_eq!(
        paths::all_containers(2),
        "/api/endpoints/2/docker/containers/json?all=1"
    );
    assert_eq!(
        paths::running_stack_tasks(3),
        "/api/endpoints/3/docker/tasks?filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%22%5D%2C%22desired-state%22%3A%5B%22running%22%5D%7D"
    );
    assert_eq!(paths::nodes(3), "/api/endpoints/3/docker/nodes");
    // JSON escaping happens before URL encoding.
    assert_eq!(
        paths::label_filter("k", "a\"b"),
        "%7B%22label%22%3A%5B%22k%3Da%5C%22b%22%5D%7D"
    );
    assert_eq!(
        paths::container_inspect(1, "8dfafdbc3a40"),
        "/api/endpoints/1/docker/containers/8dfafdbc3a40/json"
    );
    assert_eq!(
        paths::container_inspect(1, "../x y"),
        "/api/endpoints/1/docker/containers/..%2Fx%20y/json"
    );
}

#[test]
fn log_paths() {
    let default = LogOptions::default();
    let abc = LogTarget::Container { id: "abc".into() };
    assert_eq!(
        paths::logs(1, &abc, &default, false),
        "/api/endpoints/1/docker/containers/abc/logs?stdout=1&stderr=1&tail=200&timestamps=1"
    );
    assert_eq!(
        paths::logs(1, &abc, &default, true),
        "/api/endpoints/1/docker/containers/abc/logs?stdout=1&stderr=1&tail=200&timestamps=1&follow=1"
    );
    let custom = LogOptions {
        tail: None,
        timestamps: false,
        stdout: true,
        stderr: false,
        since: Some(Since {
            at: 1_717_000_000,
            ago: 3_600,
        }),
        node: Some("node-2".into()),
    };
    assert_eq!(
        paths::logs(4, &abc, &custom, false),
        "/api/endpoints/4/docker/containers/abc/logs?stdout=1&stderr=0&tail=all&timestamps=0&since=1717000000"
    );
    // A service's log names each line's task.
    let service = LogTarget::Service { id: "s 1".into() };
    assert_eq!(
        paths::logs(2, &service, &default, true),
        "/api/endpoints/2/docker/services/s%201/logs?stdout=1&stderr=1&tail=200&timestamps=1&follow=1&details=1"
    );
    // A pod container's log: Kubernetes' own parameters, a duration for `since`, no streams.
    let pod = LogTarget::Pod {
        namespace: "demo".into(),
        pod: "web-1".into(),
        container: "side car".into(),
    };
    assert_eq!(
        paths::logs(5, &pod, &custom, false),
        "/api/endpoints/5/kubernetes/api/v1/namespaces/demo/pods/web-1/log?container=side%20car&sinceSeconds=3600"
    );
    let follow = LogOptions {
        tail: Some(0),
        ..default.clone()
    };
    assert_eq!(
        paths::logs(5, &pod, &follow, true),
        "/api/endpoints/5/kubernetes/api/v1/namespaces/demo/pods/web-1/log?container=side%20car&tailLines=0&timestamps=true&follow=true"
    );
    let just_now = LogOptions {
        since: Some(Since { at: 1, ago: 0 }),
        ..default
    };
    assert!(paths::logs(5, &pod, &just_now, false).ends_with("&sinceSeconds=1&timestamps=true"));
}

#[test]
fn kubernetes_paths_go_through_portainers_proxy() {
    assert_eq!(
        paths::namespace_pods(5, "demo"),
        "/api/endpoints/5/kubernetes/api/v1/namespaces/demo/pods"
    );
    assert_eq!(
        paths::stack_workloads(5, "demo", "deployments", 10),
        "/api/endpoints/5/kubernetes/apis/apps/v1/namespaces/demo/deployments?labelSelector=io.portainer.kubernetes.application.stackid%3D10"
    );
}

#[test]
fn server_versions_parse_and_compare() {
    let v = |s: &str| ServerVersion::parse(s);
    assert_eq!(v("2.23.0"), Some(ServerVersion::new(2, 23, 0)));
    assert_eq!(v(" v2.19.4 "), Some(ServerVersion::new(2, 19, 4)));
    assert_eq!(v("2.27.0-rc1"), Some(ServerVersion::new(2, 27, 0)));
    assert_eq!(v("2.21"), Some(ServerVersion::new(2, 21, 0)));
    assert_eq!(v("2.39.1 LTS"), Some(ServerVersion::new(2, 39, 1)));
    assert_eq!(v(""), None);
    assert_eq!(v("2"), None);
    assert_eq!(v("latest"), None);
    assert_eq!(v("99999999999.1.0"), None);
    assert!(!v("2.19.4").unwrap().has_users_me());
    assert!(v("2.20.0").unwrap().has_users_me());
    assert!(v("2.23.0").unwrap().has_users_me());
    assert!(v("3.0.0").unwrap().has_users_me());
    assert!(v("2.9.0") < v("2.19.0"));
    assert!(v("2.20.3") < v("2.21.0"));
    assert_eq!(ServerVersion::new(2, 23, 0).to_string(), "2.23.0");
    assert_eq!(
        "2.20.1".parse::<ServerVersion>(),
        Ok(ServerVersion::new(2, 20, 1))
    );
    assert!("x".parse::<ServerVersion>().is_err());
}

// ---- 2.19: finding the token's user ---------------------------------------------------------

const TOKEN: &str = "ptr_Xy1Qk9s0mZ8vB2l";

fn user(id: u32, role: u32) -> User {
    User {
        id,
        username: format!("user{id}"),
        role: UserRole::from_u32(role),
        ..User::default()
    }
}

fn token(prefix: &str) -> AccessToken {
    AccessToken {
        id: 1,
        prefix: prefix.into(),
        ..AccessToken::default()
    }
}

fn denied() -> ApiError {
    ApiError::Forbidden {
        message: "Permission denied inspect user".into(),
    }
}

fn ask(search: &mut TokenUserSearch) -> Vec<Probe> {
    match search.next_step() {
        Next::Ask(probes) => probes,
        other => panic!("expected a question, got {other:?}"),
    }
}

#[test]
fn admin_is_found_through_its_own_token_list() {
    let mut search = TokenUserSearch::new(TOKEN);
    assert_eq!(ask(&mut search), vec![Probe::ListUsers]);
    search.record(
        Probe::ListUsers,
        Ok(ProbeAnswer::Users(vec![
            user(1, 1),
            user(2, 2),
            user(5, 1),
            user(9, 1),
        ])),
    );
    assert_eq!(
        ask(&mut search),
        vec![Probe::Tokens(1), Probe::Tokens(5), Probe::Tokens(9)]
    );
    search.record(
        Probe::Tokens(1),
        Err(ApiError::Forbidden {
            message: "Permission denied to get user access tokens".into(),
        }),
    );
    search.record(
        Probe::Tokens(5),
        Ok(ProbeAnswer::Tokens(vec![
            token("ptr_Ab9"),
            token("ptr_Xy1"),
        ])),
    );
    search.record(Probe::Tokens(9), Err(denied()));
    assert_eq!(search.next_step(), Next::Found { id: 5, user: None });
    assert_eq!(Probe::Tokens(5).path(), "/api/users/5/tokens");
}

#[test]
fn admin_whose_list_lacks_the_prefix_is_still_found_last() {
    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(
        Probe::ListUsers,
        Ok(ProbeAnswer::Users(vec![user(1, 1), user(3, 1)])),
    );
    ask(&mut search);
    search.record(Probe::Tokens(1), Ok(ProbeAnswer::Tokens(vec![])));
    search.record(Probe::Tokens(3), Err(denied()));
    assert_eq!(search.next_step(), Next::Found { id: 1, user: None });
}

#[test]
fn admin_search_gives_up_when_no_list_answers() {
    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(Probe::ListUsers, Ok(ProbeAnswer::Users(vec![user(1, 1)])));
    ask(&mut search);
    search.record(Probe::Tokens(1), Err(denied()));
    match search.next_step() {
        Next::GiveUp(ApiError::NotFound { message }) => {
            assert!(message.contains("token"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn team_leader_probes_listed_users() {
    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(
        Probe::ListUsers,
        Ok(ProbeAnswer::Users(vec![user(2, 2), user(4, 2), user(7, 2)])),
    );
    let probes = ask(&mut search);
    assert_eq!(probes, vec![Probe::User(2), Probe::User(4), Probe::User(7)]);
    search.record(Probe::User(2), Err(denied()));
    let me = User {
        endpoint_authorizations: [(1, ["DockerContainerList".to_string()].into())].into(),
        ..user(4, 2)
    };
    search.record(Probe::User(4), Ok(ProbeAnswer::User(me.clone())));
    search.record(Probe::User(7), Err(denied()));
    assert_eq!(
        search.next_step(),
        Next::Found {
            id: 4,
            user: Some(me)
        }
    );
}

#[test]
fn team_leader_missing_from_its_list_falls_back_to_ids() {
    let mut search = TokenUserSearch::with_limits(TOKEN, 2, 10);
    ask(&mut search);
    search.record(Probe::ListUsers, Ok(ProbeAnswer::Users(vec![user(2, 2)])));
    assert_eq!(ask(&mut search), vec![Probe::User(2)]);
    search.record(Probe::User(2), Err(denied()));
    // Id 2 was tried already.
    assert_eq!(ask(&mut search), vec![Probe::User(1), Probe::User(3)]);
}

#[test]
fn standard_user_probes_ids_in_batches_and_stops_at_the_first_hit() {
    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(
        Probe::ListUsers,
        Err(ApiError::Forbidden {
            message: "Access denied".into(),
        }),
    );
    let first = ask(&mut search);
    assert_eq!(first, (1..=5).map(Probe::User).collect::<Vec<_>>());
    for p in first {
        search.record(p, Err(denied()));
    }
    let second = ask(&mut search);
    assert_eq!(second, (6..=10).map(Probe::User).collect::<Vec<_>>());
    search.record(
        Probe::User(6),
        Err(ApiError::NotFound {
            message: String::new(),
        }),
    );
    search.record(Probe::User(8), Ok(ProbeAnswer::User(user(8, 2))));
    search.record(Probe::User(7), Err(denied()));
    assert_eq!(
        search.next_step(),
        Next::Found {
            id: 8,
            user: Some(user(8, 2))
        }
    );
    // The outcome is stable.
    search.record(Probe::User(9), Ok(ProbeAnswer::User(user(9, 2))));
    assert_eq!(
        search.next_step(),
        Next::Found {
            id: 8,
            user: Some(user(8, 2))
        }
    );
}

#[test]
fn standard_user_search_gives_up_after_the_bound() {
    let mut search = TokenUserSearch::with_limits(TOKEN, 4, 10);
    ask(&mut search);
    search.record(Probe::ListUsers, Err(denied()));
    let mut asked = Vec::new();
    loop {
        match search.next_step() {
            Next::Ask(probes) => {
                for p in probes {
                    asked.push(p);
                    search.record(p, Err(denied()));
                }
            }
            Next::GiveUp(e) => {
                assert!(e.to_string().contains("1 to 10"), "{e}");
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(asked, (1..=10).map(Probe::User).collect::<Vec<_>>());
    // Default bound: 100 ids, 5 at a time, and the message says why it stops.
    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(Probe::ListUsers, Err(denied()));
    let mut rounds = 0;
    let gave_up = loop {
        match search.next_step() {
            Next::Ask(probes) => {
                rounds += 1;
                assert!(probes.len() <= 5);
                for p in probes {
                    search.record(p, Err(denied()));
                }
            }
            other => break other,
        }
    };
    assert_eq!(rounds, 20);
    let Next::GiveUp(e) = gave_up else {
        panic!("{gave_up:?}")
    };
    let shown = e.to_string();
    assert!(
        shown.contains("1 to 100") && shown.contains("2.20"),
        "{shown}"
    );
}

#[test]
fn fatal_errors_end_the_search() {
    let revoked = ApiError::Unauthorized {
        message: "Invalid JWT token".into(),
    };
    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(Probe::ListUsers, Err(revoked.clone()));
    assert_eq!(search.next_step(), Next::GiveUp(revoked));

    let mut search = TokenUserSearch::new(TOKEN);
    ask(&mut search);
    search.record(Probe::ListUsers, Err(denied()));
    let probes = ask(&mut search);
    let offline = ApiError::Network {
        detail: "TypeError: Failed to fetch".into(),
    };
    search.record(probes[0], Err(offline.clone()));
    assert_eq!(search.next_step(), Next::GiveUp(offline));
}
