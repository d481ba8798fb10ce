//! Environments (endpoints) and environment groups (§2.4, §2.5, §3.2).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::Response;

use super::Q;
use crate::auth::{Admin, Caller};
use crate::clock;
use crate::error::{atoi, atoi_error, json, route_id, ApiError};
use crate::model::docker::{Health, LABEL_COMPOSE_PROJECT, LABEL_STACK_NAMESPACE};
use crate::model::endpoint::{Endpoint, ENV_DOWN, ENV_UP};
use crate::query::Query;
use crate::state::{Sim, State as Db};
use crate::PortainerVersion;

/// `EdgeAgentCheckinInterval` of the settings, used when an environment has none.
const DEFAULT_CHECKIN_INTERVAL: i64 = 5;
/// The compose syntax the bundled docker compose accepts.
const COMPOSE_SYNTAX_MAX_VERSION: &str = "3.9";

/// Live container figures of one environment, replacing the stored snapshot's counts.
#[derive(Default)]
struct Counts {
    total: i64,
    running: i64,
    healthy: i64,
    unhealthy: i64,
    stacks: BTreeSet<String>,
    services: i64,
}

fn live_counts(db: &Db) -> HashMap<i64, Counts> {
    let mut counts: HashMap<i64, Counts> = HashMap::new();
    for c in &db.containers {
        let entry = counts.entry(c.env_id).or_default();
        entry.total += 1;
        if c.is_running() {
            entry.running += 1;
            match c.health {
                Some(Health::Healthy) => entry.healthy += 1,
                Some(Health::Unhealthy) => entry.unhealthy += 1,
                None => {}
            }
        }
        if let Some(project) = c
            .labels
            .get(LABEL_COMPOSE_PROJECT)
            .or_else(|| c.labels.get(LABEL_STACK_NAMESPACE))
        {
            entry.stacks.insert(project.clone());
        }
    }
    for s in &db.services {
        counts.entry(s.env_id).or_default().services += 1;
    }
    counts
}

/// The Edge agent of a trusted Edge environment checks in every few seconds.
fn edge_check_in(sim: &Sim, env: &mut Endpoint, now: i64) {
    if !env.is_edge() {
        return;
    }
    let interval = if env.edge_checkin_interval > 0 {
        env.edge_checkin_interval
    } else {
        DEFAULT_CHECKIN_INTERVAL
    };
    if env.trusted && env.status == ENV_UP {
        env.last_check_in_date = now - (now - sim.boot).rem_euclid(interval);
    }
    // `UpdateEdgeEndpointHeartbeat`.
    env.query_date = now;
    env.heartbeat = env.query_date - env.last_check_in_date <= interval * 2 + 20;
}

/// The environment as a response shows it (`hideFields`, compose version, snapshots).
fn render(
    sim: &Sim,
    env: &Endpoint,
    counts: Option<&Counts>,
    with_snapshots: bool,
    now: i64,
) -> Endpoint {
    let mut view = env.view(sim.version);
    view.compose_syntax_max_version = COMPOSE_SYNTAX_MAX_VERSION.into();
    edge_check_in(sim, &mut view, now);
    if !with_snapshots {
        view.snapshots.clear();
        view.kubernetes.snapshots.clear();
    } else if let (Some(snapshot), Some(c)) = (view.snapshots.first_mut(), counts) {
        snapshot.container_count = c.total;
        snapshot.running_container_count = c.running;
        snapshot.stopped_container_count = c.total - c.running;
        snapshot.healthy_container_count = c.healthy;
        snapshot.unhealthy_container_count = c.unhealthy;
        snapshot.stack_count = c.stacks.len() as i64;
        snapshot.service_count = c.services;
    }
    view
}

/// `sortEnvironmentsByField`.
/// The order of `sort=key`. 2.23 (`api/http/handler/endpoints/sort.go`
/// `sortEnvironmentsByField`): `Name` and `EdgeID` in natural order, case-sensitive; `Group`
/// by group name, "Unassigned" (group 1) as an empty name; `Status` and `LastCheckIn` by
/// number. 2.19 (`endpoint_list.go` `sortEndpointsByField`): only `Name`, `Group` and `Status`,
/// names lower-cased and "Unassigned" as it is; any other key leaves the database order.
fn compare_by(
    key: &str,
    version: PortainerVersion,
    db: &Db,
    a: &Endpoint,
    b: &Endpoint,
) -> Ordering {
    let old = version == PortainerVersion::V2_19;
    let group_name = |e: &Endpoint| {
        let name = match e.group_id {
            1 if !old => String::new(),
            id => db.group(id).map(|g| g.name.clone()).unwrap_or_default(),
        };
        if old {
            name.to_lowercase()
        } else {
            name
        }
    };
    let name = |e: &Endpoint| {
        if old {
            e.name.to_lowercase()
        } else {
            e.name.clone()
        }
    };
    match key {
        "Name" => natural_cmp(&name(a), &name(b)),
        "Group" => natural_cmp(&group_name(a), &group_name(b)),
        "Status" => a.status.cmp(&b.status),
        "LastCheckIn" if !old => a.last_check_in_date.cmp(&b.last_check_in_date),
        "EdgeID" if !old => natural_cmp(
            a.edge_id.as_deref().unwrap_or(""),
            b.edge_id.as_deref().unwrap_or(""),
        ),
        _ => Ordering::Equal,
    }
}

fn number_array(query: &Query, name: &str) -> Result<Vec<i64>, ApiError> {
    query
        .array(name)
        .into_iter()
        .map(|raw| {
            atoi(raw).ok_or_else(|| {
                ApiError::bad_request("Invalid query parameters").details(format!(
                    "Unable to parse parameter {name}: {}",
                    atoi_error(raw)
                ))
            })
        })
        .collect()
}

/// `github.com/fvbommel/sortorder` `NaturalLess` (v1.0.2, both versions) as a comparison:
/// a digit sorts before any other byte; digit runs compare by value, and at equal value the
/// one with fewer leading zeros first; other bytes compare as bytes; a prefix sorts first.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    if natural_less(a, b) {
        Ordering::Less
    } else if natural_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn natural_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let (dx, dy) = (x.is_ascii_digit(), y.is_ascii_digit());
        if dx != dy {
            return dx;
        }
        if !dx {
            if x != y {
                return x < y;
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (start_a, start_b) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let (na, nb) = (&a[start_a..i], &b[start_b..j]);
        if na.len() != nb.len() {
            return na.len() < nb.len();
        }
        if na != nb {
            return na < nb;
        }
        if start_a != start_b {
            return start_a < start_b;
        }
    }
    a.len() < b.len()
}

/// `GET /api/endpoints`: the environments the caller may access, filtered, sorted and
/// paginated, with `X-Total-Count` and `X-Total-Available`.
pub async fn list(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let mut start = query.lenient_number("start");
    if start != 0 {
        start -= 1;
    }
    let limit = query.lenient_number("limit");
    let search = query.get("search").to_lowercase();
    let statuses = number_array(&query, "status")?;
    let group_ids = number_array(&query, "groupIds")?;
    let types = number_array(&query, "types")?;
    let tag_ids = number_array(&query, "tagIds")?;
    let endpoint_ids = number_array(&query, "endpointIds")?;
    let exclude_ids = number_array(&query, "excludeIds")?;
    let name = query.get("name");
    let edge_device_untrusted = query.bool("edgeDeviceUntrusted");
    let with_snapshots = !query.bool("excludeSnapshots");
    let now = clock::now();

    let db = sim.read();
    let mut envs: Vec<Endpoint> = db
        .endpoints
        .iter()
        .filter(|e| db.authorized_endpoint(&caller, e))
        .cloned()
        .map(|mut e| {
            if !caller.is_admin() {
                e.user_access_policies = None;
            }
            e
        })
        .collect();
    let total_available = envs.len();
    let group_name = |id: i64| {
        db.group(id)
            .map(|g| g.name.to_lowercase())
            .unwrap_or_default()
    };

    if !endpoint_ids.is_empty() {
        envs.retain(|e| endpoint_ids.contains(&e.id));
    }
    if !exclude_ids.is_empty() {
        envs.retain(|e| !exclude_ids.contains(&e.id));
    }
    if !group_ids.is_empty() {
        envs.retain(|e| group_ids.contains(&e.group_id));
    }
    if !name.is_empty() {
        envs.retain(|e| e.name == name);
    }
    envs.retain(|e| !e.is_edge() || e.trusted != edge_device_untrusted);
    if !statuses.is_empty() {
        envs.retain(|e| {
            let mut probe = e.clone();
            edge_check_in(&sim, &mut probe, now);
            let status = if e.is_edge() {
                if probe.heartbeat {
                    ENV_UP
                } else {
                    ENV_DOWN
                }
            } else {
                e.status
            };
            statuses.contains(&status)
        });
    }
    if !search.is_empty() {
        envs.retain(|e| {
            e.name.to_lowercase().contains(&search)
                || e.url.to_lowercase().contains(&search)
                || (e.status == ENV_UP && search == "up")
                || (e.status == ENV_DOWN && search == "down")
                || group_name(e.group_id).contains(&search)
        });
    }
    if !types.is_empty() {
        envs.retain(|e| types.contains(&e.kind));
    }
    if !tag_ids.is_empty() {
        let partial = query.bool("tagsPartialMatch");
        envs.retain(|e| {
            let group_tags = db
                .group(e.group_id)
                .map(|g| g.tag_ids.clone())
                .unwrap_or_default();
            let has = |t: &i64| e.tag_ids.contains(t) || group_tags.contains(t);
            if partial {
                tag_ids.iter().any(has)
            } else {
                tag_ids.iter().all(has)
            }
        });
    }

    let sort = query.get("sort");
    if matches!(sort, "Name" | "Group" | "Status" | "LastCheckIn" | "EdgeID") {
        let descending = query.get("order") == "desc";
        envs.sort_by(|a, b| {
            let order = compare_by(sort, sim.version, &db, a, b);
            if descending {
                order.reverse()
            } else {
                order
            }
        });
    }

    let total_count = envs.len();
    let page: Vec<Endpoint> = if limit == 0 {
        envs
    } else {
        let start = (start.max(0) as usize).min(total_count);
        let end = (start + limit.max(0) as usize).min(total_count);
        envs[start..end].to_vec()
    };
    let counts = if with_snapshots {
        live_counts(&db)
    } else {
        HashMap::new()
    };
    let rendered: Vec<Endpoint> = page
        .iter()
        .map(|e| {
            let mut view = render(&sim, e, counts.get(&e.id), with_snapshots, now);
            if view.edge_checkin_interval == 0 {
                view.edge_checkin_interval = DEFAULT_CHECKIN_INTERVAL;
            }
            view
        })
        .collect();

    let mut response = json(&rendered);
    let headers = response.headers_mut();
    headers.insert("X-Total-Count", HeaderValue::from(total_count as u64));
    headers.insert(
        "X-Total-Available",
        HeaderValue::from(total_available as u64),
    );
    Ok(response)
}

/// `GET /api/endpoints/{id}`: 403 without access; policies are not stripped here.
pub async fn inspect(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let id = route_id("environment", &raw_id)?;
    let db = sim.read();
    let env = db.endpoint(id).ok_or_else(|| {
        ApiError::object_not_found(
            "Unable to find an environment with the specified identifier inside the database",
            "endpoints",
            id,
        )
    })?;
    if !db.authorized_endpoint(&caller, env) {
        return Err(ApiError::environment_denied(
            "Permission denied to access environment",
        ));
    }
    let with_snapshots = !query.bool("excludeSnapshot");
    let counts = live_counts(&db);
    Ok(json(&render(
        &sim,
        env,
        counts.get(&env.id),
        with_snapshots,
        clock::now(),
    )))
}

/// `GET /api/endpoint_groups`: non-admins see groups where they or a team of theirs have a
/// policy.
pub async fn groups(State(sim): State<Arc<Sim>>, caller: Caller) -> Response {
    let db = sim.read();
    let groups: Vec<_> = db
        .groups
        .iter()
        .filter(|g| {
            caller.is_admin()
                || g.user_access_policies.contains_key(&caller.user_id)
                || caller
                    .team_ids
                    .iter()
                    .any(|t| g.team_access_policies.contains_key(t))
        })
        .map(|g| g.view(sim.version))
        .collect();
    json(&groups)
}

/// `GET /api/endpoint_groups/{id}`: administrators only.
pub async fn group(
    State(sim): State<Arc<Sim>>,
    _admin: Admin,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = route_id("environment group", &raw_id)?;
    let db = sim.read();
    let group = db.group(id).ok_or_else(|| {
        ApiError::object_not_found(
            "Unable to find an environment group with the specified identifier inside the database",
            "endpoint_groups",
            id,
        )
    })?;
    Ok(json(&group.view(sim.version)))
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;
    use std::cmp::Ordering::{Equal, Greater, Less};

    #[test]
    fn natural_order_is_sortorders_natural_less() {
        // Digit runs by value; a digit before any other byte; fewer leading zeros first; a
        // prefix first; other bytes as bytes (so case-sensitive).
        assert_eq!(natural_cmp("env-2", "env-10"), Less);
        assert_eq!(natural_cmp("env2", "env-2"), Less);
        assert_eq!(natural_cmp("env-2", "env-02"), Less);
        assert_eq!(natural_cmp("a", "ab"), Less);
        assert_eq!(natural_cmp("B", "a"), Less);
        assert_eq!(natural_cmp("b", "a"), Greater);
        assert_eq!(natural_cmp("same", "same"), Equal);
    }
}
