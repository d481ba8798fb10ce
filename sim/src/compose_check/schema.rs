//! The JSON-schema half of the file check, the part operators trip on: top-level keys, the
//! `version` and `name` types, service names, services that are not mappings and unknown keys
//! inside a service. compose-go and the docker CLI both validate with gojsonschema v1.2.0 and
//! report its most specific error (`schema/schema.go` `getMostSpecificError`, the same in both).

use super::yaml::{text_of, Node};

/// compose-spec `schema/compose-spec.json` as compose-go embeds it: v2.1.6 (compose v2.29.2,
/// Portainer 2.23) and v1.17.0 (compose v2.20.2, Portainer 2.19) have the same lists, except
/// `develop`, which v1.17.0 lacks. `^x-` keys are allowed at the top and in a service.
const COMPOSE_TOP_LEVEL: &str = "version name include services networks volumes secrets configs";
const COMPOSE_SERVICE: &str = "\
    annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command \
    configs container_name cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period \
    cpu_rt_runtime cpu_shares cpus cpuset credential_spec depends_on deploy develop \
    device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file \
    environment expose extends external_links extra_hosts group_add healthcheck hostname \
    image init ipc isolation labels links logging mac_address mem_limit mem_reservation \
    mem_swappiness memswap_limit network_mode networks oom_kill_disable oom_score_adj pid \
    pids_limit platform ports privileged profiles pull_policy read_only restart runtime \
    scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt \
    sysctls tmpfs tty ulimits user userns_mode uts volumes volumes_from working_dir";
/// compose-go v1.17.0's project name pattern (v2.1.6 has none).
const COMPOSE_NAME_PATTERN: &str = "^[a-z0-9][a-z0-9_-]*$";

/// docker/cli `cli/compose/schema/data/config_schema_v3.N.json` (v27.1.2 has 3.0 to 3.13, v20.10.21
/// 3.0 to 3.9, the shared ones identical): what 3.0 allows, then what later versions add.
const STACK_TOP_LEVEL_V3_0: &str = "version services networks volumes";
const STACK_TOP_LEVEL_ADDED: &[(&str, u32)] = &[("secrets", 1), ("configs", 3)];
const STACK_SERVICE_V3_0: &str = "\
    build cap_add cap_drop cgroup_parent command container_name depends_on deploy devices \
    dns dns_search domainname entrypoint env_file environment expose external_links \
    extra_hosts healthcheck hostname image ipc labels links logging mac_address network_mode \
    networks pid ports privileged read_only restart security_opt shm_size stdin_open \
    stop_grace_period stop_signal sysctls tmpfs tty ulimits user userns_mode volumes \
    working_dir";
const STACK_SERVICE_ADDED: &[(&str, u32)] = &[
    ("secrets", 1),
    ("configs", 3),
    ("credential_spec", 3),
    ("isolation", 5),
    ("init", 7),
    ("cgroupns_mode", 9),
    ("oom_score_adj", 13),
];
/// `^x-` keys: allowed at the top from 3.4, in a service from 3.7.
const STACK_TOP_LEVEL_X_FROM: u32 = 4;
const STACK_SERVICE_X_FROM: u32 = 7;

/// Which schema a file is held to.
pub enum Schema {
    /// compose-spec; `develop` is a service key (compose-go v2).
    Compose { develop: bool, name_pattern: bool },
    /// docker CLI `config_schema_v3.<minor>.json`.
    Stack { minor: u32 },
}

/// One gojsonschema error: where (`Field()`, `(root)` at the top) and what.
struct Found {
    field: String,
    invalid_type: bool,
    text: String,
}

impl Found {
    fn additional(field: &str, key: &str) -> Found {
        Found {
            field: field.into(),
            invalid_type: false,
            text: format!("Additional property {key} is not allowed"),
        }
    }

    fn must_be(field: &str, kind: &str) -> Found {
        Found {
            field: field.into(),
            invalid_type: true,
            text: format!("must be a {kind}"),
        }
    }
}

impl Schema {
    fn name_pattern(&self) -> bool {
        matches!(
            self,
            Schema::Compose {
                name_pattern: true,
                ..
            }
        )
    }

    fn top_level(&self, key: &str) -> bool {
        match self {
            Schema::Compose { .. } => listed(COMPOSE_TOP_LEVEL, key) || key.starts_with("x-"),
            Schema::Stack { minor } => {
                listed(STACK_TOP_LEVEL_V3_0, key)
                    || STACK_TOP_LEVEL_ADDED
                        .iter()
                        .any(|(k, from)| *k == key && *from <= *minor)
                    || (key.starts_with("x-") && *minor >= STACK_TOP_LEVEL_X_FROM)
            }
        }
    }

    fn service_key(&self, key: &str) -> bool {
        match self {
            Schema::Compose { develop, .. } => {
                (listed(COMPOSE_SERVICE, key) && (key != "develop" || *develop))
                    || key.starts_with("x-")
            }
            Schema::Stack { minor } => {
                listed(STACK_SERVICE_V3_0, key)
                    || STACK_SERVICE_ADDED
                        .iter()
                        .any(|(k, from)| *k == key && *from <= *minor)
                    || (key.starts_with("x-") && *minor >= STACK_SERVICE_X_FROM)
            }
        }
    }

    /// The errors in an order gojsonschema may give them: the root's `properties` (descending
    /// into `services`), then its additional properties. Go walks maps in random order, so among
    /// equally specific errors the real pick varies; file order stands in for it here.
    fn errors(&self, top: &[(String, Node)]) -> Vec<Found> {
        let mut found = Vec::new();
        for (key, value) in top {
            match (key.as_str(), value) {
                ("version", Node::Str(_)) => {}
                ("version", _) => found.push(Found::must_be("version", "string")),
                ("name", Node::Str(name)) if self.name_pattern() && !valid_project_name(name) => {
                    found.push(Found {
                        field: "name".into(),
                        invalid_type: false,
                        text: format!("Does not match pattern '{COMPOSE_NAME_PATTERN}'"),
                    })
                }
                ("name", Node::Str(_)) => {}
                ("name", _) if matches!(self, Schema::Compose { .. }) => {
                    found.push(Found::must_be("name", "string"))
                }
                ("services", Node::Map(services)) => self.services(services, &mut found),
                ("services", _) => found.push(Found::must_be("services", "mapping")),
                _ => {}
            }
        }
        for (key, _) in top {
            if !self.top_level(key) {
                found.push(Found::additional("(root)", key));
            }
        }
        found
    }

    fn services(&self, services: &[(String, Node)], found: &mut Vec<Found>) {
        for (name, service) in services {
            let valid_name = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
            if !valid_name {
                found.push(Found::additional("services", name));
                continue;
            }
            let field = format!("services.{name}");
            let Node::Map(keys) = service else {
                found.push(Found::must_be(&field, "mapping"));
                continue;
            };
            for (key, _) in keys {
                if !self.service_key(key) {
                    found.push(Found::additional(&field, key));
                }
            }
        }
    }

    /// `getMostSpecificError`: the error with the most dotted segments in its field, the first
    /// one on a tie unless a later one is an `invalid_type` and it is not; written as
    /// `validationError.Error()`, `<field> <description>`.
    pub fn most_specific(&self, top: &[(String, Node)]) -> Option<String> {
        let found = self.errors(top);
        let depth = |f: &Found| f.field.split('.').count();
        let mut best: Option<&Found> = None;
        for f in &found {
            best = match best {
                Some(b) if depth(f) > depth(b) => Some(f),
                Some(b) if depth(f) == depth(b) && f.invalid_type && !b.invalid_type => Some(f),
                None => Some(f),
                keep => keep,
            };
        }
        best.map(|f| format!("{} {}", f.field, f.text))
    }
}

/// Whether a space-separated list names `key`.
fn listed(list: &str, key: &str) -> bool {
    list.split_whitespace().any(|k| k == key)
}

/// `^[a-z0-9][a-z0-9_-]*$`.
fn valid_project_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// docker/cli `types.ForbiddenProperties`: service keys `docker stack deploy` refuses before it
/// validates (`loader.validateForbidden`), with the advice it prints for each.
const STACK_FORBIDDEN: &[(&str, &str)] = &[
    ("extends", "Support for `extends` is not implemented yet."),
    ("volume_driver", "Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there."),
    ("volumes_from", "To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option."),
    ("cpu_quota", "Set resource limits using deploy.resources"),
    ("cpu_shares", "Set resource limits using deploy.resources"),
    ("cpuset", "Set resource limits using deploy.resources"),
    ("mem_limit", "Set resource limits using deploy.resources"),
    ("memswap_limit", "Set resource limits using deploy.resources"),
];

/// `LoadComposefile`'s message for forbidden service keys (`propertyWarnings`: sorted lines).
pub fn stack_forbidden(top: &[(String, Node)]) -> Option<String> {
    let Some((_, Node::Map(services))) = top.iter().find(|(k, _)| k == "services") else {
        return None;
    };
    let mut lines: Vec<String> = STACK_FORBIDDEN
        .iter()
        .filter(|(key, _)| {
            services
                .iter()
                .any(|(_, s)| matches!(s, Node::Map(keys) if keys.iter().any(|(k, _)| k == key)))
        })
        .map(|(key, advice)| format!("{key}: {advice}"))
        .collect();
    if lines.is_empty() {
        return None;
    }
    lines.sort();
    Some(format!(
        "Compose file contains unsupported options:\n\n{}\n",
        lines.join("\n\n")
    ))
}

/// The `version` a stack file declares, as the docker CLI reads it (`schema.Version`: Go's `%v`
/// of the value, the default when absent, `3` meaning the newest 3.x on 27, 3.0 on 20.10).
pub fn stack_version(top: &[(String, Node)], newest: bool) -> String {
    let declared = top
        .iter()
        .find(|(k, _)| k == "version")
        .map(|(_, v)| text_of(v));
    match (declared.as_deref(), newest) {
        (None, true) | (Some("" | "3"), true) => "3.13".into(),
        (None, false) => "1.0".into(),
        (Some("3"), false) => "3.0".into(),
        (Some(v), _) => v.into(),
    }
}

/// The minor version of a schema the CLI embeds, if it has one for `version`.
pub fn stack_schema(version: &str, newest: bool) -> Option<u32> {
    let minor: u32 = version.strip_prefix("3.")?.parse().ok()?;
    let last = if newest { 13 } else { 9 };
    (version == format!("3.{minor}") && minor <= last).then_some(minor)
}
