//! The stack file check the deploy tools make before they use the Docker host: what the docker
//! compose plugin (`up`, `pull`) and `docker stack deploy` print on stderr for a file they
//! refuse (docs/portainer-api.md §14). Portainer runs the versions its `binary-version.json`
//! names: compose v2.29.2 and docker v27.1.2 in 2.23.0, compose v2.20.2 and docker v20.10.21 in
//! 2.19.4.

mod raw;
mod schema;
mod yaml;

use schema::Schema;
use yaml::{Dialect, Node};

use crate::PortainerVersion;

/// The tool Portainer runs on a stack's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// The docker compose plugin (compose stacks): compose-go v2.1.6 on 2.23, v1.17.0 on 2.19.
    Compose(PortainerVersion),
    /// The docker CLI's `stack deploy` (swarm stacks).
    StackDeploy(PortainerVersion),
}

/// A file the tool refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The tool's stderr, trailing newline included, as Portainer passes it on.
    pub stderr: String,
    /// Only `compose up` refuses it (the project loads but has nothing to start), so a `compose
    /// pull` run first gets through.
    pub up_only: bool,
}

/// Checks `file`, the stack's entry point, at `path` (`filesystem.JoinPaths(ProjectPath,
/// EntryPoint)`, which compose names in its messages).
pub fn check(tool: Tool, file: &str, path: &str) -> Result<(), Refusal> {
    let refused = |text: String, up_only| Refusal {
        stderr: format!("{text}\n"),
        up_only,
    };
    match tool {
        Tool::Compose(PortainerVersion::V2_23) => compose_v2(file, path),
        Tool::Compose(PortainerVersion::V2_19) => compose_v1(file, path),
        Tool::StackDeploy(version) => {
            stack_deploy(file, version == PortainerVersion::V2_23).map_err(Failure::Load)
        }
    }
    .map_err(|failure| match failure {
        Failure::Load(text) => refused(text, false),
        Failure::NoService => refused("no service selected".into(), true),
    })
}

enum Failure {
    /// The project does not load (`compose up` and `compose pull` alike).
    Load(String),
    /// `up`: `no service selected` (cmd/compose/up.go), every service disabled or none at all.
    NoService,
}

impl From<String> for Failure {
    fn from(text: String) -> Failure {
        Failure::Load(text)
    }
}

/// compose-go v2.1.6 `loader.loadYamlFile`: each document in turn, yaml.v3's errors as they
/// are, `Top-level object must be a mapping`, then `ApplyExtends` (`services must be a
/// mapping`, `services.<name> must be a mapping` for a value that is neither a mapping nor
/// null), then the schema (`validating <file>: ...`). `version` is dropped after validation, and
/// nothing left is `empty compose file` (`loader.load`).
fn compose_v2(file: &str, path: &str) -> Result<(), Failure> {
    let schema = Schema::Compose {
        develop: true,
        name_pattern: false,
    };
    let mut project = Project::default();
    yaml::documents(file, Dialect::V3, true, |document| {
        let Node::Map(top) = document else {
            return Err(Failure::from(
                "Top-level object must be a mapping".to_string(),
            ));
        };
        match top.iter().find(|(k, _)| k == "services") {
            Some((_, Node::Map(services))) => {
                if let Some((name, _)) = services
                    .iter()
                    .find(|(_, s)| !matches!(s, Node::Map(_) | Node::Null))
                {
                    return Err(format!("services.{name} must be a mapping").into());
                }
            }
            Some(_) => return Err("services must be a mapping".to_string().into()),
            None => {}
        }
        if let Some(text) = schema.most_specific(&top) {
            return Err(format!("validating {path}: {text}").into());
        }
        project.add(&top);
        Ok(())
    })?;
    if project.keys.iter().all(|k| k == "version") {
        return Err(Failure::Load("empty compose file".into()));
    }
    project.services()
}

/// compose-go v1.17.0 `loader.load`: `yaml.Unmarshal` reads the first document only (an empty
/// one is not a mapping either), its failures prefixed `parsing <file>: `; then the schema.
fn compose_v1(file: &str, path: &str) -> Result<(), Failure> {
    let schema = Schema::Compose {
        develop: false,
        name_pattern: true,
    };
    let mut project = Project::default();
    let parsed = yaml::documents(file, Dialect::V3, false, |document| {
        let Node::Map(top) = document else {
            return Err(V1::Parsing("Top-level object must be a mapping".into()));
        };
        if let Some(text) = schema.most_specific(&top) {
            return Err(V1::Validating(text));
        }
        project.add(&top);
        Ok(())
    });
    match parsed {
        Ok(0) => Err(format!("parsing {path}: Top-level object must be a mapping").into()),
        Ok(_) => project.services(),
        Err(V1::Parsing(text)) => Err(format!("parsing {path}: {text}").into()),
        Err(V1::Validating(text)) => Err(format!("validating {path}: {text}").into()),
    }
}

/// compose-go v1.17.0 names the step that failed: `parseConfig` or `schema.Validate`.
enum V1 {
    Parsing(String),
    Validating(String),
}

impl From<String> for V1 {
    fn from(text: String) -> V1 {
        V1::Parsing(text)
    }
}

/// docker/cli `stack/loader.LoadComposefile`: yaml.v2 on the first document, a mapping at the
/// top (`top-level object must be a mapping`, capitalised on 20.10), the forbidden service keys,
/// then the schema of the declared version (`unsupported Compose file version: <v>` when the CLI
/// has none). The CLI prints the error as it is (`cmd/docker/docker.go`).
fn stack_deploy(file: &str, newest: bool) -> Result<(), String> {
    let not_mapping = if newest {
        "top-level object must be a mapping"
    } else {
        "Top-level object must be a mapping"
    };
    let documents = yaml::documents(file, Dialect::V2, false, |document| {
        let Node::Map(top) = document else {
            return Err(not_mapping.into());
        };
        if let Some(text) = schema::stack_forbidden(&top) {
            return Err(text);
        }
        let version = schema::stack_version(&top, newest);
        let Some(minor) = schema::stack_schema(&version, newest) else {
            return Err(format!("unsupported Compose file version: {version}"));
        };
        match (Schema::Stack { minor }).most_specific(&top) {
            Some(text) => Err(text),
            None => Ok(()),
        }
    })?;
    if documents == 0 {
        return Err(not_mapping.into());
    }
    Ok(())
}

/// What the documents add up to: top-level keys and each service's last definition.
#[derive(Default)]
struct Project {
    keys: Vec<String>,
    services: Vec<(String, Node)>,
}

impl Project {
    fn add(&mut self, top: &[(String, Node)]) {
        for (key, value) in top {
            self.keys.push(key.clone());
            if let ("services", Node::Map(services)) = (key.as_str(), value) {
                for (name, service) in services {
                    self.services.retain(|(n, _)| n != name);
                    self.services.push((name.clone(), service.clone()));
                }
            }
        }
    }

    /// A service with `profiles` is disabled unless a profile is asked for, and Portainer asks
    /// for none.
    fn services(&self) -> Result<(), Failure> {
        let enabled = self.services.iter().any(|(_, service)| match service {
            Node::Map(keys) => keys
                .iter()
                .all(|(k, v)| k != "profiles" || matches!(v, Node::Seq(p) if p.is_empty())),
            _ => true,
        });
        if enabled {
            Ok(())
        } else {
            Err(Failure::NoService)
        }
    }
}

#[cfg(test)]
mod tests;
