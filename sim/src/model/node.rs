//! Swarm nodes (`GET /nodes`, `GET /nodes/{id}`), in Docker's `swarm.Node` shape
//! (`api/types/swarm/node.go`, filled by `daemon/cluster/convert/node.go` `NodeFromGRPC`).

use serde_json::{json, Value};

use super::docker::{hex_id, swarm_id};
use crate::clock::rfc3339_nano;

/// The plugins a Docker 27 engine reports in `Description.Engine.Plugins`.
const PLUGINS: &[(&str, &str)] = &[
    ("Log", "awslogs"),
    ("Log", "fluentd"),
    ("Log", "gcplogs"),
    ("Log", "gelf"),
    ("Log", "journald"),
    ("Log", "json-file"),
    ("Log", "local"),
    ("Log", "splunk"),
    ("Log", "syslog"),
    ("Network", "bridge"),
    ("Network", "host"),
    ("Network", "ipvlan"),
    ("Network", "macvlan"),
    ("Network", "null"),
    ("Network", "overlay"),
    ("Volume", "local"),
];

#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub env_id: i64,
    pub hostname: String,
    /// The first node of a swarm is its only manager, and the leader.
    pub manager: bool,
    pub addr: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub nano_cpus: i64,
    pub memory_bytes: i64,
}

impl Node {
    /// The id tasks carry in `NodeID` and their containers in `com.docker.swarm.node.id`.
    pub fn id_for(env_id: i64, hostname: &str) -> String {
        swarm_id(&format!("node/{env_id}/{hostname}"))
    }

    pub fn role(&self) -> &'static str {
        if self.manager {
            "manager"
        } else {
            "worker"
        }
    }

    pub fn json(&self) -> Value {
        let plugins: Vec<Value> = PLUGINS
            .iter()
            .map(|(kind, name)| json!({ "Type": kind, "Name": name }))
            .collect();
        // One CA per swarm: every node reports the same trust root.
        let ca = hex_id(&format!("swarm-ca/{}", self.env_id));
        let mut object = json!({
            "ID": self.id,
            "Version": { "Index": self.version },
            "CreatedAt": rfc3339_nano(self.created_at, 0),
            "UpdatedAt": rfc3339_nano(self.updated_at, 0),
            "Spec": { "Labels": {}, "Role": self.role(), "Availability": "active" },
            "Description": {
                "Hostname": self.hostname,
                "Platform": { "Architecture": "x86_64", "OS": "linux" },
                "Resources": { "NanoCPUs": self.nano_cpus, "MemoryBytes": self.memory_bytes },
                "Engine": { "EngineVersion": "27.1.2", "Plugins": plugins },
                "TLSInfo": {
                    "TrustRoot": format!(
                        "-----BEGIN CERTIFICATE-----\nMIIBajCCARCgAwIBAgIU{}\n-----END CERTIFICATE-----\n",
                        &ca[..40]
                    ),
                    "CertIssuerSubject": "MBMxETAPBgNVBAMTCHN3YXJtLWNh",
                    "CertIssuerPublicKey": format!("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE{}", &ca[..48]),
                }
            },
            "Status": { "State": "ready", "Addr": self.addr },
        });
        if self.manager {
            object["ManagerStatus"] = json!({
                "Leader": true,
                "Reachability": "reachable",
                "Addr": format!("{}:2377", self.addr),
            });
        }
        object
    }
}
