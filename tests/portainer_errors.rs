//! Mapping of Portainer's answers to ApiError: every row of docs/portainer-api.md §6.2, Docker's
//! errors, non-Portainer answers, and Display texts that never leak a token.

use portlight::portainer::*;

const JSON: Option<&str> = Some("application/json");
const TEXT: Option<&str> = Some("text/plain; charset=utf-8");
const TOKEN: &str = "ptr_Xy1Qk9s0mZ8vB2l+aBcDeFgHiJkLmNoPqRsTuVw=";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MX0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

fn err(status: u16, content_type: Option<&str>, body: &str) -> ApiError {
    error_from_response(status, content_type, body)
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::Unauthorized {
        message: message.into(),
    }
}

fn forbidden(message: &str) -> ApiError {
    ApiError::Forbidden {
        message: message.into(),
    }
}

#[test]
fn unauthorized_rows() {
    assert_eq!(
        err(
            401,
            JSON,
            r#"{"message":"A valid authorization token is missing","details":"Unauthorized"}"#
        ),
        unauthorized("A valid authorization token is missing")
    );
    // 2.19 spelling.
    assert_eq!(
        err(
            401,
            JSON,
            r#"{"message":"A valid authorisation token is missing","details":"Unauthorized"}"#
        ),
        unauthorized("A valid authorisation token is missing")
    );
    // Also what a bad or revoked API key gets.
    let invalid = err(
        401,
        JSON,
        r#"{"message":"Invalid JWT token","details":"Unauthorized"}"#,
    );
    assert_eq!(invalid, unauthorized("Invalid JWT token"));
    assert!(invalid.is_auth_failure());
    assert_eq!(
        invalid.to_string(),
        "Portainer rejected the access token (Invalid JWT token): it is invalid, expired or revoked."
    );
    assert_eq!(
        err(
            401,
            JSON,
            r#"{"message":"An authorization token is invalid","details":"Unauthorized"}"#
        ),
        unauthorized("An authorization token is invalid")
    );
    assert_eq!(
        err(
            401,
            JSON,
            r#"{"message":"The authorization token is invalid","details":"Unauthorized"}"#
        ),
        unauthorized("The authorization token is invalid")
    );
    // 2.19, deleted user: details only.
    assert_eq!(
        err(401, JSON, r#"{"details":"Unauthorized"}"#),
        unauthorized("Unauthorized")
    );
    assert_eq!(
        err(
            401,
            JSON,
            r#"{"message":"Auth not supported","details":"Authentication required"}"#
        ),
        unauthorized("Auth not supported")
    );
}

#[test]
fn forbidden_rows() {
    let rows = [
        (
            r#"{"message":"api key and auth header are not allowed at the same time","details":"Api key and auth header are not allowed at the same time"}"#,
            "api key and auth header are not allowed at the same time",
        ),
        (
            r#"{"message":"Access denied","details":"Unauthorized"}"#,
            "Access denied",
        ),
        (
            r#"{"message":"Permission denied to access environment","details":"Access denied to environment"}"#,
            "Permission denied to access environment",
        ),
        (
            r#"{"message":"Access denied to resource","details":"Access denied to resource"}"#,
            "Access denied to resource",
        ),
        (
            r#"{"message":"Stack management is disabled for non-admin users","details":"Stack management is disabled for non-admin users"}"#,
            "Stack management is disabled for non-admin users",
        ),
        (
            r#"{"message":"Permission denied to get user access tokens","details":"Unauthorized"}"#,
            "Permission denied to get user access tokens",
        ),
        // Docker proxy: message only.
        (
            r#"{"message":"access denied to resource"}"#,
            "access denied to resource",
        ),
    ];
    for (body, message) in rows {
        let e = err(403, JSON, body);
        assert_eq!(e, forbidden(message), "{body}");
        assert!(e.is_forbidden() && !e.is_auth_failure());
        assert_eq!(e.status(), Some(403));
        assert_eq!(e.portainer_message(), Some(message));
        assert!(e.to_string().contains(message));
        assert!(e.to_string().contains("not permitted"));
    }
}

#[test]
fn csrf_plain_text_is_forbidden_with_its_text() {
    for (body, message) in [
        (
            "Forbidden - CSRF token invalid\n",
            "Forbidden - CSRF token invalid",
        ),
        ("Forbidden - origin invalid\n", "Forbidden - origin invalid"),
        ("Forbidden\n", "Forbidden"),
    ] {
        let e = err(403, TEXT, body);
        assert_eq!(e, forbidden(message));
    }
    let shown = err(403, TEXT, "Forbidden - CSRF token invalid\n").to_string();
    assert!(shown.contains("Forbidden - CSRF token invalid"), "{shown}");
    assert!(shown.contains("session cookie"), "{shown}");
}

#[test]
fn not_found_bad_request_conflict_and_server_rows() {
    assert_eq!(
        err(
            404,
            JSON,
            r#"{"message":"Unable to find a stack with the specified identifier inside the database","details":"Object not found inside the database"}"#
        ),
        ApiError::NotFound {
            message: "Unable to find a stack with the specified identifier inside the database: Object not found inside the database".into()
        }
    );
    // Docker through the proxy.
    let docker = err(404, JSON, r#"{"message":"No such container: abc"}"#);
    assert_eq!(
        docker,
        ApiError::NotFound {
            message: "No such container: abc".into()
        }
    );
    assert!(docker.is_not_found());
    // gorilla/mux's own 404 for an unknown route.
    assert_eq!(
        err(404, TEXT, "404 page not found\n"),
        ApiError::NotFound {
            message: "404 page not found".into()
        }
    );
    assert_eq!(
        err(
            400,
            JSON,
            r#"{"message":"Invalid query parameter: endpointId","details":"Invalid query parameter: endpointId"}"#
        ),
        ApiError::BadRequest {
            message: "Invalid query parameter: endpointId".into()
        }
    );
    assert_eq!(
        err(
            400,
            JSON,
            r#"{"message":"Invalid user identifier route variable","details":"strconv.Atoi: parsing \"me\": invalid syntax"}"#
        ),
        ApiError::BadRequest {
            message: "Invalid user identifier route variable: strconv.Atoi: parsing \"me\": invalid syntax".into()
        }
    );
    assert_eq!(
        err(
            400,
            JSON,
            r#"{"message":"Stack is already active","details":"Stack is already active"}"#
        ),
        ApiError::BadRequest {
            message: "Stack is already active".into()
        }
    );
    assert_eq!(
        err(
            422,
            JSON,
            r#"{"message":"Invalid credentials","details":"Unauthorized"}"#
        ),
        ApiError::BadRequest {
            message: "Invalid credentials: Unauthorized".into()
        }
    );
    let conflict = err(
        409,
        JSON,
        r#"{"message":"A stack with the name 'web' is already running","details":"A stack with the name 'web' is already running"}"#,
    );
    assert_eq!(
        conflict,
        ApiError::Conflict {
            message: "A stack with the name 'web' is already running".into()
        }
    );
    assert_eq!(conflict.status(), Some(409));
    assert_eq!(
        err(
            500,
            JSON,
            r#"{"message":"Unable to get the active tunnel","details":"No Edge agent registered with the environment"}"#
        ),
        ApiError::Server {
            status: 500,
            message:
                "Unable to get the active tunnel: No Edge agent registered with the environment"
                    .into()
        }
    );
    // Unknown method / OPTIONS: empty body.
    let method = err(405, None, "");
    assert_eq!(
        method,
        ApiError::Server {
            status: 405,
            message: String::new()
        }
    );
    assert_eq!(method.portainer_message(), None);
    assert_eq!(
        method.to_string(),
        "Portainer answered with the unexpected HTTP status 405."
    );
}

#[test]
fn empty_and_odd_bodies_keep_the_status() {
    assert_eq!(err(401, None, ""), unauthorized(""));
    assert_eq!(
        err(401, None, "").to_string(),
        "Portainer rejected the access token: it is invalid, expired or revoked."
    );
    assert_eq!(err(403, JSON, "{}"), forbidden(""));
    assert_eq!(err(403, JSON, "[1,2]"), forbidden("[1,2]"));
    assert_eq!(
        err(403, JSON, r#"{"message":"#),
        forbidden(r#"{"message":"#)
    );
    assert_eq!(
        err(502, TEXT, "bad gateway"),
        ApiError::Server {
            status: 502,
            message: "bad gateway".into()
        }
    );
    let long = "x".repeat(5000);
    match err(500, TEXT, &long) {
        ApiError::Server { message, .. } => assert!(message.chars().count() <= 301),
        other => panic!("{other:?}"),
    }
}

#[test]
fn html_answers_are_not_portainer() {
    let index = "<!DOCTYPE html>\n<html><head><title>Portlight</title></head><body></body></html>";
    let e = err(404, Some("text/html"), index);
    assert_eq!(
        e,
        ApiError::NotPortainer {
            status: 404,
            detail: "an HTML page titled \"Portlight\"".into()
        }
    );
    assert!(e.to_string().contains("/api is proxied to Portainer"));
    // nginx in front of a Portainer that is down.
    let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body></body></html>";
    assert_eq!(
        err(502, Some("text/html"), nginx),
        ApiError::NotPortainer {
            status: 502,
            detail: "an HTML page titled \"502 Bad Gateway\"".into()
        }
    );
    // The SPA fallback page answering 200 where JSON was expected.
    assert_eq!(
        decode::<Vec<Stack>>("Stack list", 200, Some("text/html; charset=utf-8"), index),
        Err(ApiError::NotPortainer {
            status: 200,
            detail: "an HTML page titled \"Portlight\"".into()
        })
    );
    // Without a content type, the body still gives it away.
    assert_eq!(
        decode::<Status>("Status", 200, None, "<html><body>hi</body></html>"),
        Err(ApiError::NotPortainer {
            status: 200,
            detail: "an HTML page".into()
        })
    );
    assert_eq!(
        decode::<Status>("Status", 200, TEXT, "hello world"),
        Err(ApiError::NotPortainer {
            status: 200,
            detail: "a text/plain; charset=utf-8 body (hello world)".into()
        })
    );
}

#[test]
fn decode_errors_name_the_model() {
    assert_eq!(
        decode::<Stack>("Stack", 200, JSON, ""),
        Err(ApiError::Decode {
            model: "Stack".into(),
            detail: "the answer was empty".into()
        })
    );
    match decode::<Stack>("Stack", 200, JSON, r#"{"Id": 3, "Name": "web""#) {
        Err(ApiError::Decode { model, detail }) => {
            assert_eq!(model, "Stack");
            assert!(detail.contains("EOF"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    match decode::<Vec<Stack>>("Stack list", 200, JSON, r#"[{"Id": "three"}]"#) {
        Err(e @ ApiError::Decode { .. }) => {
            let shown = e.to_string();
            assert!(
                shown.starts_with(
                    "Portainer's answer could not be read as Stack list: invalid type"
                ),
                "{shown}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A 2xx with the wrong top-level shape.
    assert!(matches!(
        decode::<Vec<Team>>("Team list", 200, JSON, r#"{"Id":1}"#),
        Err(ApiError::Decode { .. })
    ));
    // Non-2xx goes through error_from_response.
    assert_eq!(
        decode::<Stack>(
            "Stack",
            403,
            JSON,
            r#"{"message":"Access denied to resource"}"#
        ),
        Err(forbidden("Access denied to resource"))
    );
    assert_eq!(
        decode::<Team>("Team", 200, JSON, r#" {"Id":1,"Name":"devs"} "#),
        Ok(Team {
            id: 1,
            name: "devs".into()
        })
    );
}

#[test]
fn display_never_shows_a_token() {
    let bodies = [
        (
            401,
            JSON,
            format!(r#"{{"message":"Invalid API key {TOKEN}","details":"Unauthorized"}}"#),
        ),
        (403, TEXT, format!("Forbidden - bad key {TOKEN}\n")),
        (
            400,
            JSON,
            format!(r#"{{"message":"Invalid header","details":"X-API-Key: {TOKEN}"}}"#),
        ),
        (
            500,
            JSON,
            format!(r#"{{"message":"oops","details":"Bearer {JWT}"}}"#),
        ),
        (
            502,
            Some("text/html"),
            format!("<html><title>{TOKEN}</title></html>"),
        ),
    ];
    for (status, content_type, body) in &bodies {
        let e = err(*status, *content_type, body);
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("Qk9s0mZ8vB2l"), "{shown}");
        assert!(!shown.contains("c2lnbmF0dXJl"), "{shown}");
    }
    let shown = err(
        401,
        JSON,
        &format!(r#"{{"message":"Invalid API key {TOKEN}"}}"#),
    )
    .to_string();
    assert_eq!(
        shown,
        "Portainer rejected the access token (Invalid API key ptr_…): it is invalid, expired or revoked."
    );
    // Decoding errors quote values: those are redacted too.
    let e = decode::<Stack>("Stack", 200, JSON, &format!(r#"{{"Id":"{TOKEN}"}}"#)).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("Qk9s0mZ8vB2l"), "{e}");
    let e = decode::<Status>("Status", 200, TEXT, &format!("token={TOKEN}")).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("Qk9s0mZ8vB2l"), "{e}");
    // Prose with the word ptr_ is left alone.
    assert_eq!(error::redact_secrets("uses ptr_ keys"), "uses ptr_ keys");
}

#[test]
fn network_and_timeout_explain_themselves() {
    let network = ApiError::Network {
        detail: "TypeError: Failed to fetch".into(),
    };
    let shown = network.to_string();
    assert!(shown.contains("TypeError: Failed to fetch"));
    assert!(shown.contains("down"), "{shown}");
    assert!(
        shown.contains("same origin") && shown.contains("CORS"),
        "{shown}"
    );
    assert_eq!(network.status(), None);
    assert_eq!(
        ApiError::Timeout { after_ms: 15_000 }.to_string(),
        "Portainer did not answer within 15 seconds."
    );
    assert_eq!(
        ApiError::Timeout { after_ms: 2500 }.to_string(),
        "Portainer did not answer within 2500 milliseconds."
    );
    assert!(!ApiError::Timeout { after_ms: 1 }.is_auth_failure());
}

#[test]
fn every_display_is_a_sentence() {
    let all = [
        err(401, JSON, r#"{"message":"Invalid JWT token"}"#),
        err(403, JSON, r#"{"message":"Access denied"}"#),
        err(404, JSON, r#"{"message":"No such container: abc"}"#),
        err(400, JSON, r#"{"message":"Invalid request payload"}"#),
        err(
            409,
            JSON,
            r#"{"message":"A stack with the name 'x' is already running"}"#,
        ),
        err(503, JSON, r#"{"message":"unavailable"}"#),
        err(418, None, ""),
        ApiError::Network {
            detail: String::new(),
        },
        ApiError::Timeout { after_ms: 15_000 },
        ApiError::Decode {
            model: "Stack".into(),
            detail: "missing field `Id`".into(),
        },
        ApiError::NotPortainer {
            status: 200,
            detail: "an HTML page".into(),
        },
        ApiError::NotConnected,
        ApiError::Redirected,
        ApiError::TooLarge {
            limit_bytes: 64 * 1024 * 1024,
        },
        ApiError::UnusableToken {
            reason: "it contains a space at position 4".into(),
        },
    ];
    for e in all {
        let shown = e.to_string();
        assert!(shown.ends_with('.'), "{shown}");
        assert!(shown.chars().next().unwrap().is_uppercase(), "{shown}");
        assert!(!shown.contains("()"), "{shown}");
    }
}

#[test]
fn not_connected_blames_neither_portainer_nor_the_network() {
    let e = ApiError::NotConnected;
    let shown = e.to_string();
    assert!(shown.contains("not connected"), "{shown}");
    for blame in ["rejected", "token is invalid", "reach", "CORS", "down"] {
        assert!(!shown.contains(blame), "{shown}");
    }
    assert!(!e.is_auth_failure());
    assert_eq!(e.status(), None);
    assert_eq!(e.portainer_message(), None);
}

#[test]
fn api_error_is_a_shareable_std_error() {
    fn assert_traits<T: std::error::Error + Clone + PartialEq + Send + Sync + 'static>() {}
    assert_traits::<ApiError>();
}

#[test]
fn client_debug_hides_the_token() {
    let client = Client::new(" https://ops.example.com/api/ ", TOKEN);
    let shown = format!("{client:?}");
    assert!(!shown.contains("Qk9s0mZ8vB2l"), "{shown}");
    assert!(shown.contains("https://ops.example.com"), "{shown}");
    assert_eq!(client.base_url(), "https://ops.example.com");
    assert_eq!(client.token_prefix(), "ptr_Xy1");
    assert_eq!(client.timeout_ms(), DEFAULT_TIMEOUT_MS);
    assert_eq!(client.clone().with_timeout_ms(500).timeout_ms(), 500);
    assert_eq!(client, client.clone());
}

#[test]
fn a_redirect_is_refused_and_explained_without_following_it() {
    let shown = ApiError::Redirected.to_string();
    assert!(shown.contains("does not follow"), "{shown}");
    assert!(shown.contains("token"), "{shown}");
    assert_eq!(ApiError::Redirected.status(), None);
}

#[test]
fn an_answer_over_the_limit_says_the_limit() {
    let shown = ApiError::TooLarge {
        limit_bytes: 64 * 1024 * 1024,
    }
    .to_string();
    assert!(shown.contains("64 MB"), "{shown}");
}

#[test]
fn a_token_a_header_cannot_carry_is_refused_before_sending_and_never_shown() {
    assert_eq!(check_token(TOKEN), Ok(()));
    for (token, what) in [
        ("ptr_abc\u{200B}def", "outside plain ASCII"),
        ("ptr_abc def", "a space at position 8"),
        ("ptr_abc\ndef", "a line break"),
        ("ptr_abc\u{7}", "a control character"),
        ("", "empty"),
    ] {
        let err = check_token(token).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(what), "{shown}");
        assert!(
            !token.is_empty() && !shown.contains("ptr_abc") || token.is_empty(),
            "{shown}"
        );
    }
}

#[test]
fn kubernetes_status_errors_keep_their_message() {
    // The API server's `Status`, passed on by Portainer's proxy (§15.2, §15.4): `details` is an
    // object, which must not turn the whole body into the message.
    let refused = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"demo-worker\" is forbidden: User \"system:serviceaccount:portainer:portainer-sa-user-9f2c-2\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"ops\"","reason":"Forbidden","details":{"name":"demo-worker","kind":"pods"},"code":403}"#;
    assert_eq!(
        err(403, JSON, refused),
        forbidden("pods \"demo-worker\" is forbidden: User \"system:serviceaccount:portainer:portainer-sa-user-9f2c-2\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"ops\"")
    );
    let missing = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"gone\" not found","reason":"NotFound","details":{"name":"gone","kind":"pods"},"code":404}"#;
    assert_eq!(
        err(404, JSON, missing),
        ApiError::NotFound {
            message: "pods \"gone\" not found".into()
        }
    );
    // Portainer's own string details still count.
    assert_eq!(
        err(
            400,
            JSON,
            r#"{"message":"Invalid request payload","details":"EndpointID is required"}"#
        ),
        ApiError::BadRequest {
            message: "Invalid request payload: EndpointID is required".into()
        }
    );
}
