//! Docker Engine objects behind the proxy (`/api/endpoints/{id}/docker/...`): containers,
//! swarm services and tasks, rendered in Docker's own JSON (API 1.46 shapes).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::clock::{human_duration, rfc3339_nano};

pub const LABEL_COMPOSE_PROJECT: &str = "com.docker.compose.project";
pub const LABEL_COMPOSE_SERVICE: &str = "com.docker.compose.service";
pub const LABEL_STACK_NAMESPACE: &str = "com.docker.stack.namespace";
pub const LABEL_SWARM_SERVICE_ID: &str = "com.docker.swarm.service.id";
pub const LABEL_SWARM_SERVICE_NAME: &str = "com.docker.swarm.service.name";
pub const LABEL_SWARM_TASK_ID: &str = "com.docker.swarm.task.id";

/// Lower-case hex SHA-256 of `seed`: stable 64-character Docker-style ids.
pub fn hex_id(seed: &str) -> String {
    // Without a `format!` per byte: `--scale` makes tens of thousands of these.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digits: Vec<u8> = Sha256::digest(seed.as_bytes())
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .collect();
    String::from_utf8(digits).unwrap_or_default()
}

/// A 25-character swarm object id (services, tasks, nodes).
pub fn swarm_id(seed: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    Sha256::digest(seed.as_bytes())
        .iter()
        .take(25)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Running,
    Exited(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Healthy,
    Unhealthy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    pub private: u16,
    pub public: Option<u16>,
    pub proto: &'static str,
}

#[derive(Clone, Debug)]
pub enum Mount {
    Volume { name: String, destination: String },
    Bind { source: String, destination: String },
}

/// Which kind of deterministic log lines a container writes (see `seed::logs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Nginx,
    App,
    Worker,
    Redis,
    Postgres,
    Prometheus,
    Generic,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub id: String,
    pub name: String,
    pub env_id: i64,
    /// The stack whose start/stop/redeploy changes this container.
    pub stack_id: Option<i64>,
    pub image: String,
    pub image_id: String,
    pub command: Vec<String>,
    pub created: i64,
    pub labels: BTreeMap<String, String>,
    pub state: RunState,
    pub started_at: i64,
    pub finished_at: i64,
    pub health: Option<Health>,
    pub tty: bool,
    pub ports: Vec<Port>,
    pub network: String,
    pub ip: String,
    /// Agent node name (swarm environments); the agent adds `Portainer.Agent.NodeName`.
    pub node: Option<String>,
    pub env: Vec<String>,
    pub mounts: Vec<Mount>,
    pub log_kind: LogKind,
    pub restart_count: i64,
}

impl Container {
    pub fn is_running(&self) -> bool {
        self.state == RunState::Running
    }

    pub fn state_name(&self) -> &'static str {
        match self.state {
            RunState::Running => "running",
            RunState::Exited(_) => "exited",
        }
    }

    /// Docker's `Status` column: "Up 2 hours (unhealthy)", "Exited (1) 3 days ago".
    pub fn status_text(&self, now: i64) -> String {
        match self.state {
            RunState::Running => {
                let health = match self.health {
                    Some(Health::Healthy) => " (healthy)",
                    Some(Health::Unhealthy) => " (unhealthy)",
                    None => "",
                };
                format!("Up {}{health}", human_duration(now - self.started_at))
            }
            RunState::Exited(code) => format!(
                "Exited ({code}) {} ago",
                human_duration(now - self.finished_at)
            ),
        }
    }

    fn ports_json(&self) -> Vec<Value> {
        let mut ports = Vec::new();
        for p in &self.ports {
            match p.public {
                Some(public) => {
                    for ip in ["0.0.0.0", "::"] {
                        ports.push(json!({
                            "IP": ip, "PrivatePort": p.private, "PublicPort": public, "Type": p.proto
                        }));
                    }
                }
                None => ports.push(json!({ "PrivatePort": p.private, "Type": p.proto })),
            }
        }
        ports
    }

    fn mounts_json(&self) -> Vec<Value> {
        self.mounts
            .iter()
            .map(|m| match m {
                Mount::Volume { name, destination } => json!({
                    "Type": "volume", "Name": name,
                    "Source": format!("/var/lib/docker/volumes/{name}/_data"),
                    "Destination": destination, "Driver": "local", "Mode": "z", "RW": true,
                    "Propagation": ""
                }),
                Mount::Bind {
                    source,
                    destination,
                } => json!({
                    "Type": "bind", "Source": source, "Destination": destination, "Mode": "",
                    "RW": true, "Propagation": "rprivate"
                }),
            })
            .collect()
    }

    fn network_json(&self) -> Value {
        let last: u8 = self
            .ip
            .rsplit('.')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2);
        let gateway = match self.ip.rsplit_once('.') {
            Some((net, _)) => format!("{net}.1"),
            None => String::new(),
        };
        let mut networks = Map::new();
        networks.insert(
            self.network.clone(),
            json!({
                "IPAMConfig": null, "Links": null, "Aliases": null,
                "MacAddress": format!("02:42:ac:12:00:{last:02x}"),
                "DriverOpts": null,
                "NetworkID": hex_id(&format!("network/{}/{}", self.env_id, self.network)),
                "EndpointID": hex_id(&format!("endpoint/{}", self.id)),
                "Gateway": gateway, "IPAddress": self.ip, "IPPrefixLen": 16,
                "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
                "DNSNames": null
            }),
        );
        Value::Object(networks)
    }

    fn agent_decoration(&self, object: &mut Map<String, Value>) {
        if let Some(node) = &self.node {
            object.insert("Portainer".into(), json!({ "Agent": { "NodeName": node } }));
        }
    }

    /// An item of `GET /containers/json`.
    pub fn summary_json(&self, now: i64) -> Value {
        let mut object = json!({
            "Id": self.id,
            "Names": [format!("/{}", self.name)],
            "Image": self.image,
            "ImageID": self.image_id,
            "Command": self.command.join(" "),
            "Created": self.created,
            "Ports": self.ports_json(),
            "Labels": self.labels,
            "State": self.state_name(),
            "Status": self.status_text(now),
            "HostConfig": { "NetworkMode": self.network },
            "NetworkSettings": { "Networks": self.network_json() },
            "Mounts": self.mounts_json(),
        });
        if let Value::Object(map) = &mut object {
            self.agent_decoration(map);
        }
        object
    }

    /// `GET /containers/{id}/json`.
    pub fn inspect_json(&self) -> Value {
        let running = self.is_running();
        let exit_code = match self.state {
            RunState::Exited(code) => code,
            RunState::Running => 0,
        };
        let mut state = json!({
            "Status": self.state_name(), "Running": running, "Paused": false,
            "Restarting": false, "OOMKilled": false, "Dead": false,
            "Pid": if running { 1000 + (self.created % 30_000) } else { 0 },
            "ExitCode": exit_code, "Error": "",
            "StartedAt": rfc3339_nano(self.started_at, 0),
            "FinishedAt": if running {
                "0001-01-01T00:00:00Z".to_string()
            } else {
                rfc3339_nano(self.finished_at, 0)
            },
        });
        if let (Some(health), Value::Object(map)) = (self.health, &mut state) {
            let (status, streak) = match health {
                Health::Healthy => ("healthy", 0),
                Health::Unhealthy => ("unhealthy", 3),
            };
            map.insert(
                "Health".into(),
                json!({ "Status": status, "FailingStreak": streak, "Log": [] }),
            );
        }
        let mut exposed = Map::new();
        let mut bindings = Map::new();
        for p in &self.ports {
            let key = format!("{}/{}", p.private, p.proto);
            exposed.insert(key.clone(), json!({}));
            let binding = match p.public {
                Some(public) => json!([
                    { "HostIp": "0.0.0.0", "HostPort": public.to_string() },
                    { "HostIp": "::", "HostPort": public.to_string() }
                ]),
                None => Value::Null,
            };
            bindings.insert(key, binding);
        }
        let dir = format!("/var/lib/docker/containers/{}", self.id);
        let mut object = json!({
            "Id": self.id,
            "Created": rfc3339_nano(self.created, 0),
            "Path": self.command.first().cloned().unwrap_or_default(),
            "Args": self.command.iter().skip(1).collect::<Vec<_>>(),
            "State": state,
            "Image": self.image_id,
            "ResolvConfPath": format!("{dir}/resolv.conf"),
            "HostnamePath": format!("{dir}/hostname"),
            "HostsPath": format!("{dir}/hosts"),
            "LogPath": format!("{dir}/{}-json.log", self.id),
            "Name": format!("/{}", self.name),
            "RestartCount": self.restart_count,
            "Driver": "overlay2",
            "Platform": "linux",
            "MountLabel": "",
            "ProcessLabel": "",
            "AppArmorProfile": "docker-default",
            "ExecIDs": null,
            "HostConfig": {
                "NetworkMode": self.network,
                "PortBindings": bindings,
                "RestartPolicy": { "Name": "unless-stopped", "MaximumRetryCount": 0 },
                "LogConfig": { "Type": "json-file", "Config": {} },
                "AutoRemove": false,
                "Privileged": false,
            },
            "Mounts": self.mounts_json(),
            "Config": {
                "Hostname": &self.id[..12],
                "Domainname": "",
                "User": "",
                "AttachStdin": false,
                "AttachStdout": true,
                "AttachStderr": true,
                "ExposedPorts": exposed,
                "Tty": self.tty,
                "OpenStdin": self.tty,
                "StdinOnce": false,
                "Env": self.env,
                "Cmd": self.command,
                "Image": self.image,
                "Volumes": null,
                "WorkingDir": "",
                "Entrypoint": null,
                "OnBuild": null,
                "Labels": self.labels,
            },
            "NetworkSettings": {
                "Bridge": "",
                "SandboxID": hex_id(&format!("sandbox/{}", self.id)),
                "SandboxKey": format!("/var/run/docker/netns/{}", &self.id[..12]),
                "Ports": Value::Object(Map::new()),
                "Networks": self.network_json(),
            },
        });
        if let Value::Object(map) = &mut object {
            self.agent_decoration(map);
        }
        object
    }
}

/// A swarm service of a stack (`com.docker.stack.namespace` label).
#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub env_id: i64,
    pub stack_id: Option<i64>,
    pub name: String,
    pub namespace: String,
    pub image: String,
    pub replicas: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub ports: Vec<Port>,
    pub env: Vec<String>,
}

impl Service {
    pub fn labels(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("com.docker.stack.image".to_string(), self.image.clone()),
            (LABEL_STACK_NAMESPACE.to_string(), self.namespace.clone()),
        ])
    }

    fn container_spec(&self) -> Value {
        json!({
            "Image": format!("{}@sha256:{}", self.image, hex_id(&format!("digest/{}", self.image))),
            "Labels": { LABEL_STACK_NAMESPACE: self.namespace },
            "Env": self.env,
            "Privileges": { "CredentialSpec": null, "SELinuxContext": null },
            "StopGracePeriod": 10_000_000_000_i64,
            "DNSConfig": {},
            "Isolation": "default"
        })
    }

    pub fn json(&self) -> Value {
        let ports: Vec<Value> = self
            .ports
            .iter()
            .filter_map(|p| {
                p.public.map(|public| {
                    json!({
                        "Protocol": p.proto, "TargetPort": p.private, "PublishedPort": public,
                        "PublishMode": "ingress"
                    })
                })
            })
            .collect();
        let spec = json!({
            "Name": self.name,
            "Labels": self.labels(),
            "TaskTemplate": {
                "ContainerSpec": self.container_spec(),
                "Resources": {},
                "RestartPolicy": { "Condition": "any", "Delay": 5_000_000_000_i64, "MaxAttempts": 0 },
                "Placement": { "Platforms": [{ "Architecture": "amd64", "OS": "linux" }] },
                "Networks": [{ "Target": swarm_id(&format!("net/{}", self.namespace)), "Aliases": [self.name.rsplit('_').next().unwrap_or("")] }],
                "ForceUpdate": 0,
                "Runtime": "container"
            },
            "Mode": { "Replicated": { "Replicas": self.replicas } },
            "UpdateConfig": { "Parallelism": 1, "FailureAction": "pause", "Monitor": 5_000_000_000_i64, "MaxFailureRatio": 0, "Order": "stop-first" },
            "EndpointSpec": { "Mode": "vip", "Ports": ports }
        });
        json!({
            "ID": self.id,
            "Version": { "Index": self.version },
            "CreatedAt": rfc3339_nano(self.created_at, 0),
            "UpdatedAt": rfc3339_nano(self.updated_at, 0),
            "Spec": spec.clone(),
            "Endpoint": {
                "Spec": spec["EndpointSpec"],
                "Ports": spec["EndpointSpec"]["Ports"],
                "VirtualIPs": [{ "NetworkID": swarm_id(&format!("net/{}", self.namespace)), "Addr": "10.0.1.2/24" }]
            }
        })
    }
}

/// A swarm task; its state follows the container it runs.
#[derive(Clone, Debug)]
pub struct Task {
    pub id: String,
    pub env_id: i64,
    pub stack_id: Option<i64>,
    pub service_id: String,
    pub namespace: String,
    pub slot: i64,
    pub node_id: String,
    pub container_id: String,
    pub image: String,
    pub created_at: i64,
    /// "running" or "shutdown" (after the stack was stopped).
    pub desired_state: &'static str,
}

impl Task {
    pub fn spec_labels(&self) -> BTreeMap<String, String> {
        BTreeMap::from([(LABEL_STACK_NAMESPACE.to_string(), self.namespace.clone())])
    }

    pub fn json(&self, container: Option<&Container>) -> Value {
        let (state, message, exit_code, since) = match container.map(|c| (c.state, c)) {
            Some((RunState::Running, c)) => ("running", "started", 0, c.started_at),
            Some((RunState::Exited(code), c)) => {
                let state = if self.desired_state == "shutdown" {
                    "shutdown"
                } else if code == 0 {
                    "complete"
                } else {
                    "failed"
                };
                (state, "finished", code, c.finished_at)
            }
            _ => ("pending", "pending task scheduling", 0, self.created_at),
        };
        json!({
            "ID": self.id,
            "Version": { "Index": 100 + self.slot },
            "CreatedAt": rfc3339_nano(self.created_at, 0),
            "UpdatedAt": rfc3339_nano(since, 0),
            "Labels": {},
            "Spec": {
                "ContainerSpec": {
                    "Image": self.image,
                    "Labels": self.spec_labels(),
                    "Isolation": "default"
                },
                "ForceUpdate": 0
            },
            "ServiceID": self.service_id,
            "Slot": self.slot,
            "NodeID": self.node_id,
            "Status": {
                "Timestamp": rfc3339_nano(since, 0),
                "State": state,
                "Message": message,
                "ContainerStatus": {
                    "ContainerID": self.container_id,
                    "PID": if state == "running" { 4000 + self.slot } else { 0 },
                    "ExitCode": exit_code
                },
                "PortStatus": {}
            },
            "DesiredState": self.desired_state,
        })
    }
}
