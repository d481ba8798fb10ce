//! Decoding of every model from fixtures in the 2.19 and 2.23 shapes, and from Portainer's own
//! datastore output.

use portlight::portainer::*;
use std::collections::BTreeSet;

fn fixture(dir: &str, name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/portainer/{dir}/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load<T: serde::de::DeserializeOwned>(dir: &str, name: &str) -> T {
    decode(name, 200, Some("application/json"), &fixture(dir, name))
        .unwrap_or_else(|e| panic!("{dir}/{name}: {e}"))
}

const VERSIONS: [&str; 2] = ["2.19", "2.23"];

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn stacks_decode_in_both_shapes() {
    for v in VERSIONS {
        let stacks: Vec<Stack> = load(v, "stacks");
        assert_eq!(stacks.len(), 4, "{v}");
        let web = &stacks[0];
        assert_eq!(web.id, 3);
        assert_eq!(web.name, "web");
        assert_eq!(web.kind, StackType::DockerCompose);
        assert_eq!(web.status, StackStatus::Active);
        assert_eq!(web.endpoint_id, 1);
        assert_eq!(web.swarm_id, "");
        assert_eq!(web.entry_point, "docker-compose.yml");
        assert_eq!(
            web.env,
            vec![Pair {
                name: "FOO".into(),
                value: "bar".into()
            }]
        );
        assert_eq!(web.creation_date, 1_717_000_000);
        assert_eq!(web.created_by, "admin");
        assert_eq!(web.update_date, 1_717_000_500);
        assert_eq!(web.updated_by, "bob");
        assert!(web.additional_files.is_empty());
        assert!(web.auto_update.is_none() && web.git_config.is_none() && web.option.is_none());
        let rc = web.resource_control.as_ref().expect("resource control");
        assert_eq!(rc.id, 7);
        assert_eq!(rc.kind, ResourceControlType::Stack);
        assert!(rc.grants_user(2) && !rc.grants_user(3));
        assert!(rc.grants_team(1) && !rc.grants_team(2));
        assert_eq!(rc.user_accesses[0].access_level, 1);
        assert!(!rc.public && !rc.administrators_only && !rc.system);

        let swarm = &stacks[2];
        assert_eq!(swarm.kind, StackType::DockerSwarm);
        assert_eq!(swarm.swarm_id, "s3fd604zdba7z13tbq2x6lyue");
        assert!(swarm.env.is_empty(), "null Env is empty");
        assert!(swarm.resource_control.is_none());

        let k8s = &stacks[3];
        assert_eq!(k8s.kind, StackType::Kubernetes);
        assert_eq!(k8s.namespace, "shop");
        assert_eq!(k8s.option, Some(StackOption { prune: false }));
    }
}

#[test]
fn git_stack_decodes_with_auto_update_and_git_config() {
    for v in VERSIONS {
        let stack: Stack = load(v, "stack");
        assert_eq!(stack.name, "My App_2!");
        assert_eq!(stack.status, StackStatus::Inactive);
        assert_eq!(stack.additional_files, vec!["override.yml".to_string()]);
        let git = stack.git_config.as_ref().expect("git config");
        assert_eq!(git.url, "https://github.com/o/r.git");
        assert_eq!(git.reference_name, "refs/heads/main");
        assert_eq!(git.config_file_path, "docker-compose.yml");
        assert_eq!(git.config_hash, "bc4c18a1e2b3c4d5e6f708192a3b4c5d6e7f8091");
        assert!(!git.tls_skip_verify);
        let auth = git.authentication.as_ref().expect("auth");
        assert_eq!(auth.username, "u");
        assert_eq!(auth.git_credential_id, 0);
        let auto = stack.auto_update.as_ref().expect("auto update");
        assert_eq!(auto.interval, "5m");
        assert_eq!(auto.webhook, "05de31a2-79fa-4644-9c12-faa67e5c49f0");
        assert_eq!(auto.job_id, "15");
        assert!(!auto.force_update && auto.force_pull_image);
        assert!(stack.resource_control.as_ref().unwrap().public);
    }
}

#[test]
fn git_redeploy_payload_echoes_reference_and_env() {
    let stack: Stack = load("2.23", "stack");
    let options = RedeployOptions::for_stack(&stack);
    assert_eq!(
        options,
        RedeployOptions {
            pull_image: true,
            prune: true
        },
        "prune as last deployed"
    );
    let payload = GitRedeployPayload::for_stack(&stack, options).expect("git stack");
    let json = serde_json::to_string(&payload).unwrap();
    // A compose stack: Portainer reads Prune for swarm stacks only, so none is sent.
    assert_eq!(
        json,
        r#"{"RepositoryReferenceName":"refs/heads/main","RepositoryAuthentication":true,"RepositoryUsername":"u","RepositoryPassword":"","Env":[{"name":"A","value":"1"},{"name":"B","value":""}],"Prune":false,"PullImage":true,"StackName":"My App_2!"}"#
    );
    let mut swarm = stack.clone();
    swarm.kind = StackType::DockerSwarm;
    let no_pull = RedeployOptions {
        pull_image: false,
        prune: true,
    };
    let json =
        serde_json::to_value(GitRedeployPayload::for_stack(&swarm, no_pull).unwrap()).unwrap();
    assert_eq!(
        (&json["Prune"], &json["PullImage"]),
        (&serde_json::json!(true), &serde_json::json!(false))
    );
    // A Kubernetes stack keeps its name: from 2.22 Portainer takes it from the payload.
    let mut k8s = stack.clone();
    k8s.kind = StackType::Kubernetes;
    k8s.name = "k8s-demo".into();
    let json = serde_json::to_value(GitRedeployPayload::for_stack(&k8s, no_pull).unwrap()).unwrap();
    assert_eq!(json["StackName"], "k8s-demo");
    let plain: Vec<Stack> = load("2.23", "stacks");
    assert!(GitRedeployPayload::for_stack(&plain[0], no_pull).is_none());
}

#[test]
fn stack_file_decodes() {
    for v in VERSIONS {
        let file: StackFile = load(v, "stack_file");
        assert_eq!(
            file.stack_file_content,
            "services:\n  web:\n    image: nginx:1.27\n"
        );
    }
}

#[test]
fn environments_decode_in_both_shapes() {
    for v in VERSIONS {
        let envs: Vec<Environment> = load(v, "endpoints_admin");
        assert_eq!(envs.len(), 4);
        let local = &envs[0];
        assert_eq!(local.id, 1);
        assert_eq!(local.name, "local");
        assert_eq!(local.kind, EndpointType::Docker);
        assert_eq!(local.status, EndpointStatus::Up);
        assert_eq!(local.url, "unix:///var/run/docker.sock");
        assert_eq!(local.group_id, 1);
        assert_eq!(
            local.user_access_policies.get(&2),
            Some(&AccessPolicy { role_id: 0 })
        );
        assert_eq!(
            local
                .team_access_policies
                .keys()
                .copied()
                .collect::<Vec<_>>(),
            vec![1]
        );
        let s = local.security_settings;
        assert!(s.allow_bind_mounts_for_regular_users);
        assert!(s.allow_stack_management_for_regular_users);
        assert!(!s.allow_volume_browser_for_regular_users);
        assert!(s.allow_sysctl_setting_for_regular_users);
        assert!(!s.enable_host_management_features);
        assert!(local.edge_id.is_none());
        if v == "2.19" {
            assert_eq!(
                local.container_engine, None,
                "no ContainerEngine before 2.22"
            );
        } else {
            assert_eq!(local.container_engine.as_deref(), Some("docker"));
        }
        let edge = &envs[1];
        assert_eq!(edge.kind, EndpointType::EdgeAgentOnDocker);
        assert!(edge.kind.is_edge() && edge.kind.is_docker());
        assert_eq!(edge.status, EndpointStatus::Down);
        assert_eq!(edge.edge_id.as_deref(), Some("7e2b0d5a-edge"));
        assert_eq!(edge.last_check_in_date, 1_717_000_100);
        assert!(edge.heartbeat);
        assert_eq!(envs[2].kind, EndpointType::AgentOnDocker);
        assert_eq!(envs[3].kind, EndpointType::KubernetesLocal);
        assert!(envs[3].kind.is_kubernetes());

        // Non-admin lists carry "UserAccessPolicies": null.
        let mine: Vec<Environment> = load(v, "endpoints_nonadmin");
        assert!(mine[0].user_access_policies.is_empty());
        assert_eq!(mine[0].team_access_policies.len(), 1);
    }
}

#[test]
fn environment_snapshot_summary_decodes() {
    for v in VERSIONS {
        let env: Environment = load(v, "endpoint");
        let snap = &env.snapshots[0];
        assert_eq!(snap.time, 1_717_000_000);
        assert_eq!(snap.docker_version, "27.1.2");
        assert!(!snap.swarm);
        assert_eq!(snap.total_cpu, 8);
        assert_eq!(snap.total_memory, 16_000_000_000);
        assert_eq!(snap.container_count, 12);
        assert_eq!(snap.running_container_count, 10);
        assert_eq!(snap.stopped_container_count, 2);
        assert_eq!(snap.healthy_container_count, 3);
        assert_eq!(snap.unhealthy_container_count, 0);
        assert_eq!(snap.volume_count, 5);
        assert_eq!(snap.image_count, 20);
        assert_eq!(snap.service_count, 0);
        assert_eq!(snap.stack_count, 3);
        assert_eq!(snap.node_count, 1);
        assert!(!snap.is_podman);
    }
}

#[test]
fn endpoint_groups_decode() {
    for v in VERSIONS {
        let groups: Vec<EndpointGroup> = load(v, "endpoint_groups");
        assert_eq!(groups[0].name, "Unassigned");
        assert_eq!(groups[0].description, "Unassigned environments");
        assert!(groups[0].user_access_policies.is_empty());
        let prod = &groups[1];
        assert_eq!(prod.id, 2);
        assert_eq!(
            prod.user_access_policies.get(&3),
            Some(&AccessPolicy { role_id: 0 })
        );
        assert_eq!(
            prod.team_access_policies.get(&1),
            Some(&AccessPolicy { role_id: 2 })
        );
        assert_eq!(prod.tag_ids, vec![1, 2]);
    }
}

#[test]
fn users_decode_with_endpoint_authorizations() {
    for v in VERSIONS {
        let bob: User = load(v, "user");
        assert_eq!(bob.id, 2);
        assert_eq!(bob.username, "bob");
        assert_eq!(bob.role, UserRole::StandardUser);
        assert!(!bob.is_admin());
        assert!(!bob.force_change_password);
        assert_eq!(
            bob.endpoint_authorizations.get(&1),
            Some(&set(&[
                "DockerContainerList",
                "DockerContainerLogs",
                "PortainerStackList"
            ]))
        );
        // The trailing space of Portainer's constant is kept; false entries are not granted.
        assert_eq!(
            bob.endpoint_authorizations.get(&3),
            Some(&set(&["PortainerEndpointGroupAccess "]))
        );
        let admin: User = load(v, "user_admin");
        assert!(admin.is_admin());
        assert!(admin.endpoint_authorizations.is_empty());

        let users: Vec<User> = load(v, "users");
        let names: Vec<_> = users
            .iter()
            .map(|u| (u.id, u.username.as_str(), u.role))
            .collect();
        assert_eq!(
            names,
            vec![
                (1, "admin", UserRole::Administrator),
                (2, "bob", UserRole::StandardUser),
                (3, "carol", UserRole::StandardUser)
            ]
        );
    }
    let me: User = load("2.23", "users_me");
    assert_eq!(me.username, "bob");
    assert!(!me.force_change_password);
    let me_admin: User = load("2.23", "users_me_admin");
    assert!(me_admin.force_change_password);
}

#[test]
fn access_tokens_decode_and_match_prefix() {
    for v in VERSIONS {
        let tokens: Vec<AccessToken> = load(v, "user_tokens");
        assert_eq!(tokens.len(), 2);
        let t = &tokens[0];
        assert_eq!(t.id, 4);
        assert_eq!(t.user_id, 2);
        assert_eq!(t.description, "leptos-spa");
        assert_eq!(t.prefix, "ptr_Xy1");
        assert_eq!(t.date_created, 1_717_000_000);
        assert_eq!(t.last_used, 1_717_003_600);
        assert!(t.matches("ptr_Xy1Qk9s0mZ8vB2l+aBcDeFgHiJkLmNoPqRsTuVw="));
        assert!(!t.matches("ptr_Ab9Qk9s0mZ8vB2l"));
        assert_eq!(tokens[1].last_used, 0);
    }
    assert_eq!(token_prefix("ptr_Xy1Qk9"), "ptr_Xy1");
    assert_eq!(token_prefix("short"), "short");
    assert_eq!(token_prefix("ptr_é€xyz"), "ptr_é€x");
}

#[test]
fn teams_memberships_and_roles_decode() {
    for v in VERSIONS {
        let teams: Vec<Team> = load(v, "teams");
        assert_eq!(
            teams,
            vec![
                Team {
                    id: 1,
                    name: "devs".into()
                },
                Team {
                    id: 2,
                    name: "ops".into()
                }
            ]
        );
        let mine: Vec<TeamMembership> = load(v, "user_memberships");
        assert_eq!(
            mine,
            vec![TeamMembership {
                id: 1,
                user_id: 2,
                team_id: 1,
                role: MembershipRole::TeamMember
            }]
        );
        let all: Vec<TeamMembership> = load(v, "team_memberships");
        assert_eq!(all[1].role, MembershipRole::TeamLeader);
        assert_eq!((all[1].user_id, all[1].team_id), (3, 1));

        let roles: Vec<Role> = load(v, "roles");
        assert_eq!(roles[0].id, 1);
        assert_eq!(roles[0].name, "Endpoint administrator");
        assert_eq!(roles[0].priority, 1);
        assert!(roles[0].authorizations.contains("PortainerStackList"));
        assert_eq!(roles[1].authorizations, set(&["DockerContainerList"]));
    }
}

#[test]
fn status_version_and_settings_decode() {
    for v in VERSIONS {
        let status: Status = load(v, "system_status");
        assert_eq!(status.instance_id, "299ab403-70a8-4c05-92f7-bf7a994d50df");
        let parsed = ServerVersion::parse(&status.version).unwrap();
        assert_eq!(parsed.has_users_me(), v == "2.23");

        let version: SystemVersion = load(v, "system_version");
        assert_eq!(version.server_version, status.version);
        assert_eq!(version.database_version, status.version);
        assert_eq!(version.server_edition, "CE");
        assert_eq!(version.build.go_version, "go1.21.9");
        assert_eq!(version.build.git_commit, "abc1234");
        // Build.Env is not modelled: nothing of it survives decoding.
        assert!(!format!("{version:?}").contains("PORTAINER_SECRET"));
        if v == "2.19" {
            assert!(version.update_available);
            assert_eq!(version.latest_version, "2.21.4");
        }

        let public: PublicSettings = load(v, "settings_public");
        assert_eq!(public.required_password_length, 12);
        assert!(!public.global_deployment_options.hide_stacks_functionality);
        assert!(public.enable_telemetry);
        if v == "2.19" {
            assert_eq!(public.authentication_method, AuthenticationMethod::Ldap);
            assert!(public.team_sync);
        } else {
            assert_eq!(public.authentication_method, AuthenticationMethod::Internal);
        }

        let settings: Settings = load(v, "settings");
        assert_eq!(
            settings.authentication_method,
            AuthenticationMethod::Internal
        );
        assert_eq!(
            settings.black_listed_labels,
            vec![Pair {
                name: "com.example.hidden".into(),
                value: "true".into()
            }]
        );
        assert_eq!(settings.internal_auth_settings.required_password_length, 12);
        assert!(settings.global_deployment_options.hide_stacks_functionality);
        assert_eq!(settings.snapshot_interval, "5m");
        assert_eq!(settings.user_session_timeout, "8h");
        assert!(!settings.enable_telemetry);

        let motd: Motd = load(v, "motd");
        assert_eq!(motd.title, "Portainer 2.21 is out");
        assert_eq!(motd.hash.as_deref(), Some("ZmFrZWhhc2g="));
        let empty: Motd = load(v, "motd_unavailable");
        assert_eq!(empty, Motd::default());
    }
}

#[test]
fn docker_containers_decode_with_portainer_decoration() {
    for v in VERSIONS {
        let containers: Vec<ContainerSummary> = load(v, "docker_containers");
        let web = &containers[0];
        assert!(web.id.starts_with("8dfafdbc3a40"));
        assert_eq!(web.display_name(), "myapp_2-web-1");
        assert_eq!(web.image, "nginx:1.27");
        assert_eq!(web.state, "running");
        assert_eq!(web.status, "Up 3 hours (healthy)");
        assert_eq!(web.created, 1_717_000_300);
        assert_eq!(
            web.ports[0],
            Port {
                ip: Some("0.0.0.0".into()),
                private_port: 80,
                public_port: Some(8080),
                protocol: "tcp".into()
            }
        );
        assert_eq!(web.ports[1].public_port, None);
        assert_eq!(
            web.labels
                .get("com.docker.compose.project")
                .map(String::as_str),
            Some("myapp_2")
        );
        let rc = web.resource_control().expect("decorated");
        assert_eq!(rc.kind, ResourceControlType::Stack);
        assert!(rc.public);
        let db = &containers[1];
        assert!(db.labels.is_empty(), "null Labels is empty");
        assert!(db.resource_control().is_none());
        assert_eq!(db.state, "exited");

        let inspect: ContainerInspect = load(v, "docker_container_inspect");
        assert_eq!(inspect.name, "/myapp_2-web-1");
        assert_eq!(inspect.created, "2024-05-29T16:25:00.123456789Z");
        assert_eq!(inspect.restart_count, 2);
        assert!(inspect.state.running);
        assert_eq!(inspect.state.status, "running");
        assert_eq!(inspect.state.exit_code, 0);
        assert_eq!(inspect.state.health.as_ref().unwrap().status, "healthy");
        assert!(inspect.config.tty);
        assert_eq!(inspect.config.image, "nginx:1.27");
        assert!(
            !format!("{inspect:?}").contains("hunter2"),
            "Config.Env is not kept"
        );
        assert_eq!(inspect.portainer.unwrap().resource_control, None);
    }
}

#[test]
fn docker_services_and_tasks_decode() {
    for v in VERSIONS {
        let services: Vec<ServiceSummary> = load(v, "docker_services");
        assert_eq!(services[0].id, "9mnpnzenvg8p8tdbtq4wvbkcz");
        assert_eq!(services[0].spec.name, "monitoring_prometheus");
        assert_eq!(
            services[0].spec.mode,
            ServiceMode::Replicated { replicas: 2 }
        );
        assert_eq!(
            services[0]
                .spec
                .labels
                .get("com.docker.stack.namespace")
                .map(String::as_str),
            Some("monitoring")
        );
        let rc = services[0]
            .portainer
            .as_ref()
            .unwrap()
            .resource_control
            .as_ref()
            .unwrap();
        assert_eq!(rc.kind, ResourceControlType::Service);
        assert!(rc.grants_user(2));
        assert_eq!(services[1].spec.mode, ServiceMode::Global);

        let tasks: Vec<TaskSummary> = load(v, "docker_tasks");
        let t = &tasks[0];
        assert_eq!(t.id, "0kzzo1i0y4jz6027t0k7aezc7");
        assert_eq!(t.service_id, "9mnpnzenvg8p8tdbtq4wvbkcz");
        assert_eq!(t.node_id, "60gvrl6tm78dmak4yl7srz94v");
        assert_eq!(t.slot, Some(1));
        assert_eq!(t.desired_state, "running");
        assert_eq!(t.status.state, "running");
        assert_eq!(t.status.message, "started");
        assert_eq!(
            t.container_id(),
            Some("e5d62702a1b48d01c3e02ca1e0212a250801fa8d67caca0b6f35919ebc12f035")
        );
        let pending = &tasks[1];
        assert_eq!(pending.slot, None);
        assert_eq!(pending.container_id(), None);
        assert_eq!(pending.status.err, "no suitable node");
    }
}

#[test]
fn service_modes_decode() {
    let mode = |json: &str| -> ServiceMode { serde_json::from_str(json).unwrap() };
    assert_eq!(
        mode(r#"{"Replicated":{}}"#),
        ServiceMode::Replicated { replicas: 1 }
    );
    assert_eq!(
        mode(r#"{"Replicated":{"Replicas":0}}"#),
        ServiceMode::Replicated { replicas: 0 }
    );
    assert_eq!(
        mode(r#"{"ReplicatedJob":{"MaxConcurrent":1}}"#),
        ServiceMode::ReplicatedJob
    );
    assert_eq!(mode(r#"{"GlobalJob":{}}"#), ServiceMode::GlobalJob);
    assert_eq!(mode(r#"{}"#), ServiceMode::Unknown);
}

#[test]
fn enums_keep_unknown_numbers() {
    let parse = |json: &str| -> Vec<EndpointType> { serde_json::from_str(json).unwrap() };
    assert_eq!(
        parse("[1,2,3,4,5,6,7,8,0,null]"),
        vec![
            EndpointType::Docker,
            EndpointType::AgentOnDocker,
            EndpointType::Azure,
            EndpointType::EdgeAgentOnDocker,
            EndpointType::KubernetesLocal,
            EndpointType::AgentOnKubernetes,
            EndpointType::EdgeAgentOnKubernetes,
            EndpointType::Unknown(8),
            EndpointType::Unknown(0),
            EndpointType::Unknown(0),
        ]
    );
    for n in 0..12 {
        assert_eq!(ResourceControlType::from_u32(n).as_u32(), n);
        assert_eq!(StackType::from(n).as_u32(), n);
    }
    assert_eq!(ResourceControlType::from_u32(6), ResourceControlType::Stack);
    assert_eq!(MembershipRole::from_u32(1), MembershipRole::TeamLeader);
    assert_eq!(UserRole::from_u32(1), UserRole::Administrator);
    assert_eq!(StackStatus::from_u32(2), StackStatus::Inactive);
    assert_eq!(EndpointStatus::from_u32(2), EndpointStatus::Down);
    assert_eq!(
        AuthenticationMethod::from_u32(3),
        AuthenticationMethod::OAuth
    );
    assert!(serde_json::from_str::<StackType>("-1").is_err());
    assert!(serde_json::from_str::<StackType>("\"2\"").is_err());
}

// ---- Portainer's own output (datastore form) ----------------------------------------------

#[test]
fn datastore_stacks_and_resource_controls_decode() {
    let stacks: Vec<Stack> = load("datastore-2.23", "stacks");
    let summary: Vec<_> = stacks
        .iter()
        .map(|s| (s.id, s.name.as_str(), s.kind, s.status, s.endpoint_id))
        .collect();
    assert_eq!(
        summary,
        vec![
            (2, "alpine", StackType::DockerSwarm, StackStatus::Active, 1),
            (5, "redis", StackType::DockerCompose, StackStatus::Active, 1),
            (6, "nginx", StackType::DockerCompose, StackStatus::Active, 1),
        ]
    );
    assert_eq!(stacks[0].swarm_id, "s3fd604zdba7z13tbq2x6lyue");
    assert_eq!(stacks[0].entry_point, "docker/alpine37-compose.yml");
    assert!(stacks
        .iter()
        .all(|s| s.env.is_empty() && s.git_config.is_none()));

    let rcs: Vec<ResourceControl> = load("datastore-2.23", "resource_control");
    assert_eq!(rcs.len(), 4);
    assert_eq!(rcs[0].kind, ResourceControlType::Secret);
    assert_eq!(rcs[1].kind, ResourceControlType::Stack);
    assert!(rcs[1].public);
    let nginx = &rcs[3];
    assert!(!nginx.public);
    assert!(nginx.grants_team(1));
    assert!(nginx.user_accesses.is_empty());
}

#[test]
fn datastore_environments_groups_and_teams_decode() {
    let envs: Vec<Environment> = load("datastore-2.23", "endpoints");
    let local = &envs[0];
    assert_eq!((local.id, local.name.as_str()), (1, "local"));
    assert_eq!(local.kind, EndpointType::Docker);
    assert_eq!(local.status, EndpointStatus::Up);
    assert_eq!(local.group_id, 1);
    assert_eq!(local.container_engine.as_deref(), Some(""));
    assert!(
        local
            .security_settings
            .allow_stack_management_for_regular_users
    );
    assert!(
        !local
            .security_settings
            .allow_sysctl_setting_for_regular_users
    );
    assert!(local.user_access_policies.is_empty());

    let groups: Vec<EndpointGroup> = load("datastore-2.23", "endpoint_groups");
    assert_eq!(groups[0].name, "Unassigned");
    assert_eq!(groups[0].description, "Unassigned endpoints");

    let teams: Vec<Team> = load("datastore-2.23", "teams");
    assert_eq!(teams[0].name, "hello");
}

#[test]
fn datastore_users_roles_and_settings_decode() {
    let users: Vec<User> = load("datastore-2.23", "users");
    assert_eq!(users.len(), 2);
    assert_eq!(users[1].username, "prabhat");
    assert!(users.iter().all(User::is_admin));
    assert!(users[0].endpoint_authorizations.is_empty(), "null is empty");
    assert!(
        !format!("{users:?}").contains("$2a$"),
        "the password hash is never kept"
    );

    let roles: Vec<Role> = load("datastore-2.23", "roles");
    let names: Vec<_> = roles
        .iter()
        .map(|r| (r.id, r.name.as_str(), r.priority))
        .collect();
    assert_eq!(
        names,
        vec![
            (1, "Endpoint administrator", 1),
            (2, "Helpdesk", 2),
            (3, "Standard user", 3),
            (4, "Read-only user", 4)
        ]
    );
    assert_eq!(roles[0].authorizations.len(), 130);
    assert!(roles[1].authorizations.contains("DockerContainerList"));

    let settings: Settings = load("datastore-2.23", "settings");
    assert_eq!(
        settings.authentication_method,
        AuthenticationMethod::Internal
    );
    assert_eq!(settings.snapshot_interval, "5m");
    assert_eq!(settings.internal_auth_settings.required_password_length, 12);
    assert!(settings.black_listed_labels.is_empty());
    assert!(settings.enable_telemetry);
}

#[test]
fn nodes_decode_to_their_hostname() {
    // Docker's `GET /nodes` entry, trimmed to what surrounds the two fields read.
    let json = r#"[
        {"ID":"24ifsmvkjbyhk","Version":{"Index":8},"Spec":{"Role":"manager","Availability":"active"},
         "Description":{"Hostname":"swarm-manager-1","Platform":{"Architecture":"x86_64","OS":"linux"}},
         "Status":{"State":"ready","Addr":"172.17.0.2"}},
        {"ID":"9nh3y8bz0qf2m","Description":null},
        {"ID":"x1"}
    ]"#;
    let nodes: Vec<NodeSummary> = serde_json::from_str(json).unwrap();
    assert_eq!(nodes[0].id, "24ifsmvkjbyhk");
    assert_eq!(nodes[0].description.hostname, "swarm-manager-1");
    assert_eq!(nodes[1].description.hostname, "");
    assert_eq!(nodes[2].description.hostname, "");
}
