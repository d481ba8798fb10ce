//! JSON request bodies read the way Portainer's Go decoder reads them.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// Decodes a JSON object payload the way Go's decoder fills a struct: keys match field names
/// case-insensitively. Errors are Portainer's 400 "Invalid request payload".
pub fn decode_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let invalid =
        |details: String| ApiError::bad_request("Invalid request payload").details(details);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("EOF".into()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(invalid(format!(
            "json: cannot unmarshal {} into Go value of type struct",
            go_kind(&other)
        ))),
        Err(err) => Err(invalid(format!("invalid JSON: {err}"))),
    }
}

pub fn go_kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "null",
    }
}

/// A field of a decoded payload, matched case-insensitively.
pub fn field<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Go's `json.UnmarshalTypeError` for a struct field: it names the struct without its package
/// (`stackGitRedployPayload.Env`), the field's type with it (`[]portainer.Pair`).
fn type_error(value: &Value, owner: &str, name: &str, go_type: &str) -> ApiError {
    let owner = owner.rsplit('.').next().unwrap_or(owner);
    ApiError::bad_request("Invalid request payload").details(format!(
        "json: cannot unmarshal {} into Go struct field {owner}.{name} of type {go_type}",
        go_kind(value)
    ))
}

/// A string field; absent or null is "".
pub fn string_field(map: &Map<String, Value>, owner: &str, name: &str) -> Result<String, ApiError> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(type_error(other, owner, name, "string")),
    }
}

/// A boolean field; absent or null is false.
pub fn bool_field(map: &Map<String, Value>, owner: &str, name: &str) -> Result<bool, ApiError> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(type_error(other, owner, name, "bool")),
    }
}

/// A `[]portainer.Pair` field; absent or null is a nil slice (`None`, serialised as null).
pub fn pairs_field(
    map: &Map<String, Value>,
    owner: &str,
    name: &str,
) -> Result<Option<Vec<crate::model::Pair>>, ApiError> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(pair) => Ok(crate::model::Pair {
                    name: string_field(pair, "portainer.Pair", "name")?,
                    value: string_field(pair, "portainer.Pair", "value")?,
                }),
                other => Err(type_error(other, owner, name, "portainer.Pair")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(type_error(other, owner, name, "[]portainer.Pair")),
    }
}

/// A field holding a pointer to a struct; absent or null is `None` (a nil pointer).
pub fn object_field<'a>(
    map: &'a Map<String, Value>,
    owner: &str,
    name: &str,
    go_type: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(type_error(other, owner, name, go_type)),
    }
}
