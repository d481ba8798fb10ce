//! Docker's `filters` query parameter, as the list endpoints read it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::query::Query;

/// Docker's `filters` parameter: `{"key":["v",...]}` or the legacy `{"key":{"v":true}}`.
/// Errors are Docker's 400 message.
pub fn parse_docker_filters(
    query: &Query,
    allowed: &[&str],
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let raw = query.get("filters");
    let mut filters = BTreeMap::new();
    if raw.is_empty() {
        return Ok(filters);
    }
    let value: Value = serde_json::from_str(raw).map_err(|err| format!("invalid filter: {err}"))?;
    let Value::Object(map) = value else {
        return Err("invalid filter: expected a JSON object".into());
    };
    for (key, values) in map {
        if !allowed.contains(&key.as_str()) {
            return Err(format!("invalid filter '{key}'"));
        }
        let list: Vec<String> = match values {
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(format!("invalid filter '{key}={other}'")),
                })
                .collect::<Result<_, _>>()?,
            Value::Object(set) => set
                .into_iter()
                .filter(|(_, on)| on.as_bool().unwrap_or(false))
                .map(|(k, _)| k)
                .collect(),
            other => return Err(format!("invalid filter '{key}={other}'")),
        };
        filters.insert(key, list);
    }
    Ok(filters)
}

/// Every `label` filter (`key` or `key=value`) must match.
pub fn labels_match(
    filters: &BTreeMap<String, Vec<String>>,
    labels: &BTreeMap<String, String>,
) -> bool {
    filters.get("label").is_none_or(|wanted| {
        wanted.iter().all(|w| match w.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|actual| actual == v),
            None => labels.contains_key(w.as_str()),
        })
    })
}

/// Any value of a filter matches (`None` when the filter is absent).
pub fn any_of(
    filters: &BTreeMap<String, Vec<String>>,
    key: &str,
    test: impl Fn(&str) -> bool,
) -> bool {
    filters
        .get(key)
        .is_none_or(|values| values.is_empty() || values.iter().any(|v| test(v)))
}
