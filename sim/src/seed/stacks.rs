//! The demo stacks of `local` and `prod-swarm`, with their files, ResourceControls and Docker
//! objects.

use super::builders::{
    add_stack, compose_containers, git, stack, standalone_container, ContainerSpec, StackSeed,
};
use super::files;
use super::swarm::{swarm_objects, ServiceSpec};
use crate::demo::*;
use crate::model::docker::{Health, LogKind, RunState};
use crate::model::stack::{AutoUpdate, ResourceControl, STACK_COMPOSE, STACK_SWARM};
use crate::state::State;

/// Five compose stacks and two standalone containers on `local`.
pub fn local(state: &mut State, boot: i64) {
    let rc = ResourceControl::for_stack;
    let mut web = stack(StackSeed {
        id: STACK_WEB_FRONTEND,
        name: "web-frontend",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_718_611_200),
        updated: ("alice", 1_736_847_000),
        env: &[
            ("API_URL", "https://api.acme.example"),
            ("SESSION_SECRET", "f3a9c1e7b2d84a6f9e0c5b7a1d3f8e2c"),
            ("LOG_LEVEL", "info"),
        ],
        active: true,
    });
    web.git_config = Some(git(
        "https://github.com/acme/web-frontend.git",
        "refs/heads/main",
        "docker-compose.yml",
        None,
    ));
    web.auto_update = Some(AutoUpdate {
        interval: "5m".into(),
        webhook: String::new(),
        job_id: "3".into(),
        force_update: false,
        force_pull_image: false,
    });
    compose_containers(
        state,
        &web,
        &[
            ContainerSpec {
                health: Some(Health::Healthy),
                ports: &[(80, Some(8080))],
                command: &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
                ..ContainerSpec::running("web", "nginx:1.27-alpine", LogKind::Nginx)
            },
            ContainerSpec {
                command: &["docker-entrypoint.sh", "node", "dist/server.js"],
                ports: &[(3000, None)],
                env: &[
                    "NODE_ENV=production",
                    "API_URL=https://api.acme.example",
                    "SESSION_SECRET=f3a9c1e7b2d84a6f9e0c5b7a1d3f8e2c",
                    "REDIS_URL=redis://redis:6379/0",
                ],
                ..ContainerSpec::running("app", "ghcr.io/acme/web-frontend:2.4.1", LogKind::App)
            },
            ContainerSpec {
                command: &["node", "dist/worker.js"],
                tty: true,
                env: &["REDIS_URL=redis://redis:6379/0"],
                ..ContainerSpec::running(
                    "worker",
                    "ghcr.io/acme/web-frontend:2.4.1",
                    LogKind::Worker,
                )
            },
            ContainerSpec {
                command: &[
                    "docker-entrypoint.sh",
                    "redis-server",
                    "--appendonly",
                    "yes",
                ],
                ports: &[(6379, None)],
                volume: Some(("redis-data", "/data")),
                ..ContainerSpec::running("redis", "redis:7.2-alpine", LogKind::Redis)
            },
        ],
        boot,
        1,
    );
    add_stack(
        state,
        web,
        files::WEB_FRONTEND,
        Some(rc(1, ENV_LOCAL, "web-frontend").teams(&[TEAM_DEVS])),
    );

    let mut monitoring = stack(StackSeed {
        id: STACK_MONITORING,
        name: "monitoring",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_715_594_400),
        updated: ("admin", 1_729_000_000),
        env: &[
            ("GRAFANA_ADMIN_PASSWORD", "Gr4f4na-Adm1n!"),
            ("RETENTION", "15d"),
        ],
        active: true,
    });
    monitoring.additional_files = Some(vec!["docker-compose.alerting.yml".into()]);
    compose_containers(
        state,
        &monitoring,
        &[
            ContainerSpec {
                command: &[
                    "/bin/prometheus",
                    "--config.file=/etc/prometheus/prometheus.yml",
                    "--storage.tsdb.retention.time=15d",
                ],
                ports: &[(9090, Some(9090))],
                volume: Some(("prometheus-data", "/prometheus")),
                age: 6 * 86_400,
                ..ContainerSpec::running(
                    "prometheus",
                    "prom/prometheus:v2.53.0",
                    LogKind::Prometheus,
                )
            },
            ContainerSpec {
                command: &["/run.sh"],
                ports: &[(3000, Some(3000))],
                health: Some(Health::Unhealthy),
                env: &[
                    "GF_SECURITY_ADMIN_PASSWORD=Gr4f4na-Adm1n!",
                    "GF_SERVER_ROOT_URL=https://grafana.acme.example",
                ],
                volume: Some(("grafana-data", "/var/lib/grafana")),
                ..ContainerSpec::running("grafana", "grafana/grafana:11.1.0", LogKind::Generic)
            },
            ContainerSpec {
                command: &["/bin/node_exporter", "--path.rootfs=/host"],
                state: RunState::Exited(1),
                volume: Some(("/", "/host")),
                age: 5 * 3600,
                ..ContainerSpec::running(
                    "node-exporter",
                    "prom/node-exporter:v1.8.1",
                    LogKind::Generic,
                )
            },
            ContainerSpec {
                command: &[
                    "/bin/alertmanager",
                    "--config.file=/etc/alertmanager/alertmanager.yml",
                ],
                ports: &[(9093, Some(9093))],
                ..ContainerSpec::running(
                    "alertmanager",
                    "prom/alertmanager:v0.27.0",
                    LogKind::Generic,
                )
            },
        ],
        boot,
        2,
    );
    add_stack(
        state,
        monitoring,
        files::MONITORING,
        Some(rc(2, ENV_LOCAL, "monitoring").public()),
    );
    // An administrator restricted alertmanager to administrators (its own RC, type 1, which
    // `findResourceControl` prefers to the stack's): the public stack shows non-admins three
    // of its four containers, and its log is refused to them (§5.3, §5.4). The RC holds the
    // container's id, so a container recreated by a stop and start escapes it, as in Portainer.
    if let Some(alertmanager) = state
        .containers
        .iter()
        .find(|c| c.env_id == ENV_LOCAL && c.name == "monitoring-alertmanager-1")
    {
        let own = ResourceControl::for_container(RC_ALERTMANAGER, &alertmanager.id);
        state.resource_controls.push(own.administrators_only());
    }

    let db_admin = stack(StackSeed {
        id: STACK_DB_ADMIN,
        name: "db-admin",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("erin", 1_720_000_000),
        updated: ("erin", 1_733_300_000),
        env: &[
            ("DB_PASSWORD", "s3cr3t-Pg-2024"),
            ("ADMINER_DESIGN", "pepa-linha"),
        ],
        active: true,
    });
    compose_containers(
        state,
        &db_admin,
        &[
            ContainerSpec {
                command: &["docker-entrypoint.sh", "postgres"],
                ports: &[(5432, None)],
                health: Some(Health::Healthy),
                env: &[
                    "POSTGRES_USER=app",
                    "POSTGRES_PASSWORD=s3cr3t-Pg-2024",
                    "POSTGRES_DB=app",
                ],
                volume: Some(("pg-data", "/var/lib/postgresql/data")),
                age: 3 * 86_400,
                ..ContainerSpec::running("postgres", "postgres:16.3", LogKind::Postgres)
            },
            ContainerSpec {
                command: &[
                    "entrypoint.sh",
                    "php",
                    "-S",
                    "[::]:8080",
                    "-t",
                    "/var/www/html",
                ],
                ports: &[(8080, Some(8081))],
                ..ContainerSpec::running("adminer", "adminer:4.8.1", LogKind::Generic)
            },
        ],
        boot,
        3,
    );
    add_stack(
        state,
        db_admin,
        files::DB_ADMIN,
        Some(rc(3, ENV_LOCAL, "db-admin").administrators_only()),
    );

    let sandbox = stack(StackSeed {
        id: STACK_CAROL_SANDBOX,
        name: "carol-sandbox",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("carol", 1_738_000_000),
        updated: ("carol", 1_741_000_000),
        env: &[("JUPYTER_TOKEN", "c4r0l-n0t3b00k-t0k3n")],
        active: false,
    });
    compose_containers(
        state,
        &sandbox,
        &[
            ContainerSpec {
                command: &["tini", "-g", "--", "start-notebook.py"],
                ports: &[(8888, Some(8888))],
                state: RunState::Exited(0),
                age: 4 * 86_400,
                volume: Some(("notebooks", "/home/jovyan/work")),
                ..ContainerSpec::running(
                    "notebook",
                    "jupyter/base-notebook:2024-05-27",
                    LogKind::Generic,
                )
            },
            ContainerSpec {
                command: &["sh"],
                tty: true,
                state: RunState::Exited(137),
                age: 4 * 86_400,
                ..ContainerSpec::running("shell", "alpine:3.20", LogKind::Worker)
            },
        ],
        boot,
        4,
    );
    add_stack(
        state,
        sandbox,
        files::CAROL_SANDBOX,
        Some(rc(4, ENV_LOCAL, "carol-sandbox").users(&[CAROL_ID])),
    );

    let legacy = stack(StackSeed {
        id: STACK_LEGACY_APP,
        name: "legacy-app",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_706_000_000),
        updated: ("admin", 1_712_000_000),
        env: &[
            ("DB_PASSWORD", "legacy-Db-pass"),
            ("MYSQL_ROOT_PASSWORD", "r00t-My5ql!"),
        ],
        active: true,
    });
    compose_containers(
        state,
        &legacy,
        &[
            ContainerSpec {
                command: &["docker-php-entrypoint", "apache2-foreground"],
                ports: &[(80, Some(8082))],
                age: 12 * 86_400,
                ..ContainerSpec::running("php", "php:7.4-apache", LogKind::Nginx)
            },
            ContainerSpec {
                command: &["docker-entrypoint.sh", "mysqld"],
                ports: &[(3306, None), (33060, None)],
                age: 12 * 86_400,
                volume: Some(("mysql-data", "/var/lib/mysql")),
                ..ContainerSpec::running("mysql", "mysql:5.7", LogKind::Generic)
            },
            ContainerSpec {
                command: &["php", "/app/cron.php"],
                state: RunState::Exited(2),
                age: 40 * 60,
                ..ContainerSpec::running("cron", "php:7.4-cli", LogKind::Generic)
            },
        ],
        boot,
        5,
    );
    add_stack(state, legacy, files::LEGACY_APP, None);

    // Containers outside any stack: admins only.
    let portainer = ContainerSpec {
        command: &["/portainer"],
        ports: &[(9443, Some(9443)), (8000, Some(8000))],
        volume: Some(("portainer_data", "/data")),
        age: 9 * 86_400,
        ..ContainerSpec::running(
            "portainer",
            "portainer/portainer-ce:2.23.0",
            LogKind::Generic,
        )
    };
    standalone_container(state, ENV_LOCAL, "portainer", &portainer, boot);
    let watchtower = ContainerSpec {
        command: &["/watchtower", "--schedule", "0 0 4 * * *"],
        volume: Some(("/var/run/docker.sock", "/var/run/docker.sock")),
        age: 9 * 86_400,
        ..ContainerSpec::running(
            "watchtower",
            "containrrr/watchtower:1.7.1",
            LogKind::Generic,
        )
    };
    standalone_container(state, ENV_LOCAL, "watchtower", &watchtower, boot);
}

/// Two swarm stacks on `prod-swarm`, spread over three nodes.
pub fn prod_swarm(state: &mut State, boot: i64) {
    let rc = ResourceControl::for_stack;
    let nodes = ["swarm-manager-1", "swarm-worker-1", "swarm-worker-2"];
    let mut gateway = stack(StackSeed {
        id: STACK_API_GATEWAY,
        name: "api-gateway",
        kind: STACK_SWARM,
        endpoint_id: ENV_PROD_SWARM,
        created: ("admin", 1_722_470_400),
        updated: ("bob", 1_745_000_000),
        env: &[
            ("JWT_SIGNING_KEY", "hs256-9d8c7b6a5f4e3d2c1b0a"),
            ("OIDC_CLIENT_SECRET", "oidc-Cl13nt-S3cr3t"),
        ],
        active: true,
    });
    gateway.swarm_id = PROD_SWARM_ID.into();
    gateway.git_config = Some(git(
        "https://github.com/acme/api-gateway.git",
        "refs/heads/production",
        "stack/docker-compose.yml",
        Some(("deploy-bot", "ghp_3xAmPl3T0k3nN0tR3al000000000000")),
    ));
    gateway.entry_point = "stack/docker-compose.yml".into();
    swarm_objects(
        state,
        &gateway,
        &[
            ServiceSpec {
                service: "traefik",
                image: "traefik:v3.1",
                replicas: 2,
                ports: &[(80, Some(80)), (443, Some(443))],
                log: LogKind::Generic,
                env: &[],
                failed_slot: None,
                health: None,
            },
            ServiceSpec {
                service: "auth",
                image: "ghcr.io/acme/auth-service:1.9.0",
                replicas: 2,
                ports: &[],
                log: LogKind::App,
                env: &["LOG_LEVEL=info"],
                failed_slot: Some(2),
                health: Some(Health::Healthy),
            },
        ],
        &nodes,
        boot,
    );
    add_stack(
        state,
        gateway,
        files::API_GATEWAY,
        Some(rc(6, ENV_PROD_SWARM, "api-gateway").teams(&[TEAM_OPS])),
    );

    let mut payments = stack(StackSeed {
        id: STACK_PAYMENTS,
        name: "payments",
        kind: STACK_SWARM,
        endpoint_id: ENV_PROD_SWARM,
        created: ("bob", 1_725_148_800),
        updated: ("bob", 1_748_000_000),
        env: &[
            ("DB_PASSWORD", "p4yments-Db!"),
            ("STRIPE_API_KEY", "sk_live_51Hx3xAmPl3N0tR3al"),
        ],
        active: true,
    });
    payments.swarm_id = PROD_SWARM_ID.into();
    swarm_objects(
        state,
        &payments,
        &[
            ServiceSpec {
                service: "api",
                image: "ghcr.io/acme/payments-api:3.2.0",
                replicas: 3,
                ports: &[(8443, Some(8443))],
                log: LogKind::App,
                env: &[],
                failed_slot: None,
                health: Some(Health::Healthy),
            },
            ServiceSpec {
                service: "worker",
                image: "ghcr.io/acme/payments-worker:3.2.0",
                replicas: 1,
                ports: &[],
                log: LogKind::Worker,
                env: &[],
                failed_slot: None,
                health: Some(Health::Unhealthy),
            },
        ],
        &nodes,
        boot,
    );
    add_stack(
        state,
        payments,
        files::PAYMENTS,
        Some(rc(7, ENV_PROD_SWARM, "payments").users(&[BOB_ID])),
    );

    // The Portainer agent itself, deployed with `docker stack deploy` outside Portainer, one
    // replica per node: Portainer holds no stack record for it, so no ResourceControl either,
    // and only administrators see its containers (or may read their logs).
    let agent = stack(StackSeed {
        id: 0,
        name: "portainer-agent",
        kind: STACK_SWARM,
        endpoint_id: ENV_PROD_SWARM,
        created: ("admin", 1_722_470_000),
        updated: ("admin", 1_722_470_000),
        env: &[],
        active: true,
    });
    swarm_objects(
        state,
        &agent,
        &[ServiceSpec {
            service: "agent",
            image: "portainer/agent:2.23.0",
            replicas: 3,
            ports: &[],
            log: LogKind::Generic,
            env: &["AGENT_CLUSTER_ADDR=tasks.agent"],
            failed_slot: None,
            health: None,
        }],
        &nodes,
        boot,
    );
}
