//! What the Kubernetes API server writes, and its `Status` errors
//! (`k8s.io/apimachinery/pkg/api/errors` `NewForbidden`, `NewNotFound`, `NewBadRequest`,
//! `NewInvalid`; `metav1.Status` field order), passed through Portainer's proxy unchanged.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::PortainerVersion;

/// How the API server encodes JSON for this request (`apiserver`
/// `pkg/endpoints/handlers/negotiation/negotiate.go` `isPrettyPrint`): indented, with no
/// final newline, for `?pretty=true` or a User-Agent starting with `curl`, `Wget` or
/// `Mozilla/5.0` (every browser); otherwise compact, ended by the newline of Go's
/// `json.Encoder` (`runtime/serializer/json/json.go` `doEncode`). The proxy and the agent pass
/// the User-Agent on.
#[derive(Clone, Copy, Debug)]
pub struct Encoding {
    pub pretty: bool,
    pub version: PortainerVersion,
}

impl Encoding {
    pub fn of(headers: &HeaderMap, pretty_query: Option<&str>, version: PortainerVersion) -> Self {
        let pretty = match pretty_query {
            Some(value) if !value.is_empty() => go_parse_bool(value),
            _ => headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ua| {
                    ["curl", "Wget", "Mozilla/5.0"]
                        .iter()
                        .any(|p| ua.starts_with(p))
                }),
        };
        Encoding { pretty, version }
    }

    /// A JSON answer of the API server.
    pub fn json<T: Serialize>(self, status: StatusCode, value: &T) -> Response {
        let mut body = if self.pretty {
            serde_json::to_vec_pretty(value).unwrap_or_default()
        } else {
            serde_json::to_vec(value).unwrap_or_default()
        };
        // The simulator's 2.19 layer (`server.rs` `as_2_19`) ends every JSON body outside the
        // Docker proxy with a newline itself; on 2.23 nothing touches a proxied body.
        if !self.pretty && self.version == PortainerVersion::V2_23 {
            body.push(b'\n');
        }
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        cache_control(headers);
        response
    }
}

/// The API server's `WithCacheControl` filter, on every answer.
pub fn cache_control(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
}

/// Go's `strconv.ParseBool`, failures counting as false.
fn go_parse_bool(raw: &str) -> bool {
    matches!(raw, "1" | "t" | "T" | "TRUE" | "true" | "True")
}

/// `metav1.ListMeta` of a `Status`: always empty, `{}`.
#[derive(Clone, Debug, Serialize)]
struct ListMeta {}

/// `metav1.StatusCause`, in its field order.
#[derive(Clone, Debug, Serialize)]
pub struct StatusCause {
    pub reason: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub field: &'static str,
}

/// `metav1.StatusDetails`, in its field order; empty parts are omitted (`{}` when all are).
#[derive(Clone, Debug, Default, Serialize)]
pub struct StatusDetails {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub group: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<StatusCause>,
}

/// A `metav1.Status` failure, serialised in the struct's field order: `kind`, `apiVersion`,
/// `metadata`, `status`, `message`, `reason`, `details` (omitted when nil), `code`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    kind: &'static str,
    api_version: &'static str,
    metadata: ListMeta,
    status: &'static str,
    pub message: String,
    pub reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<StatusDetails>>,
    pub code: u16,
}

impl Status {
    fn failure(code: StatusCode, reason: &'static str, message: String) -> Self {
        Status {
            kind: "Status",
            api_version: "v1",
            metadata: ListMeta {},
            status: "Failure",
            message,
            reason,
            details: None,
            code: code.as_u16(),
        }
    }

    fn with_details(mut self, details: StatusDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    pub fn respond(&self, encoding: Encoding) -> Response {
        let code = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        encoding.json(code, self)
    }

    /// `StatusDetails` of a resource: `name`, `group` and `kind` (the resource); empty ones
    /// are omitted.
    fn details(resource: GroupResource, name: &str) -> StatusDetails {
        StatusDetails {
            name: name.into(),
            group: resource.group,
            kind: resource.resource.into(),
            causes: Vec::new(),
        }
    }

    /// RBAC's refusal (`apiserver` `responsewriters.ForbiddenStatusError` and
    /// `forbiddenMessage`, then `apimachinery` `NewForbidden`) in a namespace: `pods is
    /// forbidden: User "…" cannot list resource "pods" in API group "" in the namespace "ops"`;
    /// with a name, `pods "x" is forbidden: … cannot get resource "pods/log" …`; outside the
    /// core group the resource is qualified first (`deployments.apps is forbidden: … cannot
    /// list resource "deployments" in API group "apps" …`).
    pub fn forbidden(
        user: &str,
        verb: &str,
        resource: GroupResource,
        subresource: Option<&str>,
        name: &str,
        namespace: &str,
    ) -> Self {
        let plain = resource.resource;
        let full = match subresource {
            Some(sub) => format!("{plain}/{sub}"),
            None => plain.to_string(),
        };
        let group = resource.group;
        let reason = format!(
            "User {user:?} cannot {verb} resource {full:?} in API group {group:?} in the namespace {namespace:?}"
        );
        let qualified = resource.qualified();
        let message = if name.is_empty() {
            format!("{qualified} is forbidden: {reason}")
        } else {
            format!("{qualified} {name:?} is forbidden: {reason}")
        };
        Self::failure(StatusCode::FORBIDDEN, "Forbidden", message)
            .with_details(Self::details(resource, name))
    }

    /// `NewNotFound`: `pods "x" not found`.
    pub fn not_found(resource: GroupResource, name: &str) -> Self {
        let message = format!("{} {name:?} not found", resource.qualified());
        Self::failure(StatusCode::NOT_FOUND, "NotFound", message)
            .with_details(Self::details(resource, name))
    }

    /// A path the API server serves nothing at (`genericapiserver`'s not-found handler).
    pub fn no_such_path() -> Self {
        let message = "the server could not find the requested resource".into();
        Self::failure(StatusCode::NOT_FOUND, "NotFound", message)
            .with_details(StatusDetails::default())
    }

    /// A verb the resource does not serve.
    pub fn method_not_allowed() -> Self {
        let message = "the server does not allow this method on the requested resource".into();
        Self::failure(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", message)
            .with_details(StatusDetails::default())
    }

    /// `NewBadRequest`: no details at all.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::failure(StatusCode::BAD_REQUEST, "BadRequest", message.into())
    }

    /// `NewInvalid`: each cause a `field.Invalid` (`FieldValueInvalid`, "Invalid value: v:
    /// …") or, without a value, a `field.Forbidden` (`FieldValueForbidden`, "Forbidden: …").
    /// A cause's empty `field` is omitted, but the message still writes it
    /// (`field.Error.Error`: "<field>: <body>"); several errors are aggregated as "[a, b]".
    pub fn invalid(kind: &str, name: &str, errors: &[Cause]) -> Self {
        let mut causes = Vec::new();
        let mut texts = Vec::new();
        for cause in errors {
            let (reason, message) = match cause.value {
                Some(v) => (
                    "FieldValueInvalid",
                    format!("Invalid value: {v}: {}", cause.detail),
                ),
                None => (
                    "FieldValueForbidden",
                    format!("Forbidden: {}", cause.detail),
                ),
            };
            texts.push(format!("{}: {message}", cause.field));
            causes.push(StatusCause {
                reason,
                message,
                field: cause.field,
            });
        }
        let aggregate = match texts.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let message = format!("{kind} {name:?} is invalid: {aggregate}");
        Self::failure(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", message).with_details(
            StatusDetails {
                name: name.into(),
                group: "",
                kind: kind.into(),
                causes,
            },
        )
    }
}

/// `schema.GroupResource`: a resource and its API group (`""` for the core group).
#[derive(Clone, Copy, Debug)]
pub struct GroupResource {
    pub group: &'static str,
    pub resource: &'static str,
}

impl GroupResource {
    pub const PODS: GroupResource = GroupResource {
        group: "",
        resource: "pods",
    };

    /// `GroupResource.String`: `deployments.apps`, or `pods` in the core group.
    fn qualified(self) -> String {
        if self.group.is_empty() {
            self.resource.to_string()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// One validation error of [`Status::invalid`].
pub struct Cause {
    pub field: &'static str,
    pub value: Option<i64>,
    pub detail: &'static str,
}

#[cfg(test)]
mod tests {
    use super::{GroupResource, Status};

    #[test]
    fn forbidden_reads_like_rbac() {
        let s = Status::forbidden(
            "system:serviceaccount:portainer:portainer-sa-user-x-2",
            "list",
            GroupResource::PODS,
            None,
            "",
            "ops",
        );
        assert_eq!(
            s.message,
            "pods is forbidden: User \"system:serviceaccount:portainer:portainer-sa-user-x-2\" cannot list resource \"pods\" in API group \"\" in the namespace \"ops\""
        );
        assert_eq!(
            serde_json::to_string(&s.details).unwrap(),
            r#"{"kind":"pods"}"#
        );
        let text = serde_json::to_string(&Status::bad_request("no")).unwrap();
        assert_eq!(
            text,
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"no","reason":"BadRequest","code":400}"#
        );
        let log = Status::forbidden("u", "get", GroupResource::PODS, Some("log"), "p", "ops");
        assert!(log
            .message
            .starts_with("pods \"p\" is forbidden: User \"u\" cannot get resource \"pods/log\""));
        let deployments = GroupResource {
            group: "apps",
            resource: "deployments",
        };
        let apps = Status::forbidden("u", "list", deployments, None, "", "ops");
        assert_eq!(
            apps.message,
            "deployments.apps is forbidden: User \"u\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"ops\""
        );
        assert_eq!(
            serde_json::to_string(&apps.details).unwrap(),
            r#"{"group":"apps","kind":"deployments"}"#
        );
    }
}
