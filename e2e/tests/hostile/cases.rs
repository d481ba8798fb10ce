//! The cases, by the page that reads the endpoint: the stack list (`/api/stacks`,
//! `/api/endpoints`), a stack's page (inspect, file, containers, logs), the access page, and
//! the token check every page starts with (`/api/system/status`, `/api/users/me`).

use crate::{Case, Env, Then};
use portlight_e2e::sim::hostile::{Answer, Hostile};
use portlight_e2e::Browser;
use serde_json::{json, Value};

const STACKS: &str = "/api/stacks";
const ENDPOINTS: &str = "/api/endpoints";
const STACK_1: &str = "/api/stacks/1";
const STACK_1_FILE: &str = "/api/stacks/1/file";
const CONTAINERS: &str = "/api/endpoints/1/docker/containers/json";
const LOGS: &str = "/api/endpoints/1/docker/containers/*/logs";
const TEAMS: &str = "/api/teams";
const GROUPS: &str = "/api/endpoint_groups";
const STATUS: &str = "/api/system/status";

/// Stacks that must still be listed when one item of the list is broken.
const OTHERS: &[&str] = &["web-frontend", "db-admin", "payments"];

const LIST_ERROR: (&str, &str) = (".msg-error", "Loading stacks failed");
const UNREADABLE: (&str, &str) = (".unreadable", "could not be read");

fn on(path: &str, answer: Answer) -> Vec<Hostile> {
    vec![Hostile::on(path, answer)]
}

/// The JSON list's item with this `Id`, changed by `change`.
fn item(id: u64, change: impl Fn(&mut Value) + Send + Sync + 'static) -> Answer {
    Answer::rewritten(move |mut list| {
        if let Some(items) = list.as_array_mut() {
            for entry in items.iter_mut() {
                if entry["Id"] == json!(id) {
                    change(entry);
                }
            }
        }
        list
    })
}

fn set(id: u64, field: &'static str, value: Value) -> Answer {
    item(id, move |e| e[field] = value.clone())
}

/// A Docker log stream of framed lines (stdout).
fn frames(lines: &[&str]) -> Vec<u8> {
    let stdout: Vec<(u8, &str)> = lines.iter().map(|l| (1, *l)).collect();
    portlight_e2e::log_frames(&stdout)
}

fn no_elements(b: &Browser, css: &str) {
    let n = b.exec(
        &format!("return document.querySelectorAll({css:?}).length"),
        vec![],
    );
    assert_eq!(n, 0, "{css} must not exist");
}

fn redirect_cases() -> Vec<Case> {
    // Same-origin and cross-origin, each of the four redirect statuses: never followed.
    let mut cases = Vec::new();
    for (name, status, cross) in [
        ("stacks 301 to the same origin", 301, false),
        ("stacks 302 to the same origin", 302, false),
        ("stacks 307 to the same origin", 307, false),
        ("stacks 308 to the same origin", 308, false),
        ("stacks 301 to another origin", 301, true),
        ("stacks 302 to another origin", 302, true),
        ("stacks 307 to another origin", 307, true),
        ("stacks 308 to another origin", 308, true),
    ] {
        let rules: fn(&Env) -> Vec<Hostile> = match (status, cross) {
            (301, false) => |_| on(STACKS, Answer::redirect(301, "/api/stacks?again=1")),
            (302, false) => |_| on(STACKS, Answer::redirect(302, "/api/stacks?again=1")),
            (307, false) => |_| on(STACKS, Answer::redirect(307, "/api/stacks?again=1")),
            (308, false) => |_| on(STACKS, Answer::redirect(308, "/api/stacks?again=1")),
            (301, _) => |e| {
                on(
                    STACKS,
                    Answer::redirect(301, &format!("{}/api/stacks", e.elsewhere)),
                )
            },
            (302, _) => |e| {
                on(
                    STACKS,
                    Answer::redirect(302, &format!("{}/api/stacks", e.elsewhere)),
                )
            },
            (307, _) => |e| {
                on(
                    STACKS,
                    Answer::redirect(307, &format!("{}/api/stacks", e.elsewhere)),
                )
            },
            _ => |e| {
                on(
                    STACKS,
                    Answer::redirect(308, &format!("{}/api/stacks", e.elsewhere)),
                )
            },
        };
        cases.push(Case {
            name,
            page: "/stacks",
            rules,
            shows: (".msg-error", "does not follow"),
            then: Then::Navigate,
        });
    }
    cases
}

fn stack_list_cases() -> Vec<Case> {
    vec![
        Case {
            name: "stacks as an HTML page with 200",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::body(
                        200,
                        "text/html",
                        "<!doctype html><title>Portainer</title><p>hi",
                    ),
                )
            },
            shows: (".msg-error", "HTML page titled \"Portainer\""),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as an HTML 502 from a proxy",
            page: "/stacks",
            rules: |_| {
                on(STACKS, Answer::body(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"))
            },
            shows: (".msg-error", "HTTP 502"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks with an empty body",
            page: "/stacks",
            rules: |_| on(STACKS, Answer::json(200, "")),
            shows: LIST_ERROR,
            then: Then::Check(|b, _| {
                b.wait_text(".msg-error", "the answer was empty");
            }),
        },
        Case {
            name: "stacks as truncated JSON",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::json(200, r#"[{"Id":1,"Name":"web","EndpointId":1},{"Id":2,"Na"#),
                )
            },
            shows: (".msg-error", "could not be read as Stack list"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as invalid UTF-8",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::Fixed {
                        status: 200,
                        headers: vec![("Content-Type".into(), "application/json".into())],
                        body: b"[{\"Id\":1,\"Name\":\"\xff\xfe\",\"EndpointId\":1}]".to_vec(),
                    },
                )
            },
            shows: (".stack-summary", "1 stack in 1 environment"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks behind a byte order mark",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::json(
                        200,
                        "\u{FEFF}[{\"Id\":1,\"Name\":\"bom-stack\",\"EndpointId\":1}]",
                    ),
                )
            },
            shows: ("tr.stack-row", "bom-stack"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as a 100 MB body",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::Huge {
                        content_type: "application/json".into(),
                        size: 100 * 1024 * 1024,
                        fill: b' ',
                    },
                )
            },
            shows: (".msg-error", "64 MB"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as a body that never ends",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::Endless {
                        content_type: "application/json".into(),
                        chunk: b"[[[[[[[[".to_vec(),
                        every_ms: 50,
                    },
                )
            },
            shows: (".msg-error", "did not answer within 3 seconds"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks never answered",
            page: "/stacks",
            rules: |_| on(STACKS, Answer::NeverStart),
            shows: (".msg-error", "did not answer within 3 seconds"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks in a slow drip",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::Drip {
                        content_type: "application/json".into(),
                        body: br#"[{"Id":1,"Name":"drip","EndpointId":1}]"#.to_vec(),
                        every_ms: 200,
                    },
                )
            },
            shows: (".msg-error", "did not answer within 3 seconds"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as null",
            page: "/stacks",
            rules: |_| on(STACKS, Answer::json(200, "null")),
            shows: (".no-stacks", "This token sees no stacks"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as an object",
            page: "/stacks",
            rules: |_| on(STACKS, Answer::json(200, r#"{"Id":1,"Name":"web"}"#)),
            shows: (".msg-error", "could not be read as Stack list"),
            then: Then::Navigate,
        },
        Case {
            name: "a stack whose EndpointId is null",
            page: "/stacks",
            rules: |_| on(STACKS, set(2, "EndpointId", Value::Null)),
            shows: (".unreadable", "stack 2: EndpointId is null"),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "a stack whose Id is beyond 32 bits",
            page: "/stacks",
            rules: |_| on(STACKS, set(2, "Id", json!(5_000_000_000u64))),
            shows: (".unreadable", "does not fit"),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "a stack with a negative Id",
            page: "/stacks",
            rules: |_| on(STACKS, set(2, "Id", json!(-4))),
            shows: UNREADABLE,
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "a stack listed twice",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::rewritten(|mut list| {
                        if let Some(items) = list.as_array_mut() {
                            let twin = items[0].clone();
                            items.push(twin);
                        }
                        list
                    }),
                )
            },
            shows: (".unreadable", "listed twice"),
            then: Then::Check(|b, _| {
                b.wait_text(".stack-summary", "12 stacks");
                assert_eq!(b.all("tr.stack-row[data-stack=\"web-frontend\"]").len(), 1);
            }),
        },
        Case {
            name: "a stack whose environment does not exist",
            page: "/stacks",
            rules: |_| on(STACKS, set(2, "EndpointId", json!(4242))),
            shows: ("tr.stack-row[data-stack=\"monitoring\"]", "orphaned"),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "a stack of a wrong type in every field",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    item(2, |e| {
                        e["Name"] = json!(42);
                        e["Type"] = json!("compose");
                        e["Status"] = json!([]);
                        e["CreationDate"] = json!("yesterday");
                    }),
                )
            },
            shows: UNREADABLE,
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "a stack of an unknown type and status",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    item(2, |e| {
                        e["Type"] = json!(7);
                        e["Status"] = json!(9);
                    }),
                )
            },
            shows: ("tr.stack-row[data-stack=\"monitoring\"]", "Unknown (7)"),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "a stack named with HTML and script",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    set(
                        2,
                        "Name",
                        json!("<img src=x onerror=alert(1)><script>alert(2)</script>"),
                    ),
                )
            },
            shows: ("table.stacks", "<img src=x onerror=alert(1)>"),
            then: Then::Check(|b, _| no_elements(b, "table.stacks img, table.stacks script")),
        },
        Case {
            name: "a stack named with a right-to-left override",
            page: "/stacks",
            rules: |_| on(STACKS, set(2, "Name", json!("report\u{202E}gnp.exe"))),
            shows: (".direction-controls", "direction controls"),
            then: Then::Check(|b, _| {
                let title = b
                    .wait(".direction-controls")
                    .attr("title")
                    .unwrap_or_default();
                assert!(title.contains("U+202E"), "{title}");
                b.wait("tr.stack-row bdi");
            }),
        },
        Case {
            name: "a git URL with credentials",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    item(1, |e| {
                        e["GitConfig"]["URL"] =
                            json!("https://deploy:hunter2@git.example.com/acme/web.git")
                    }),
                )
            },
            shows: ("tr.stack-row[data-stack=\"web-frontend\"]", "acme/web"),
            then: Then::Check(|b, _| {
                let html = b.exec("return document.body.innerHTML", vec![]).to_string();
                assert!(!html.contains("hunter2"), "credentials shown in the list");
            }),
        },
        Case {
            name: "stacks answered 401 in the middle of a session",
            page: "/stacks",
            rules: |_| {
                vec![Hostile::on(
                    STACKS,
                    Answer::json(
                        401,
                        r#"{"message":"Invalid API key","details":"Unauthorized"}"#,
                    ),
                )
                .times(1)]
            },
            shows: (".reauth", "no longer accepts this token"),
            then: Then::Check(|b, _| {
                b.wait(".reauth bdi.instance-name");
                b.click(".reauth button[type=button]");
                b.wait_gone(".reauth");
                // Signed out: connect again for the next cases.
                b.fill(
                    "#access-token",
                    portlight_e2e::sim::demo::token_for("admin"),
                );
                b.click("button.connect");
                // Connect returns to the page the operator was on.
                b.wait_text(".topbar .who", "admin (administrator)");
                b.wait("tr.stack-row");
            }),
        },
        Case {
            name: "stacks refused with a plain-text CSRF 403",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::body(
                        403,
                        "text/plain; charset=utf-8",
                        "Forbidden - CSRF token not found in request\n",
                    ),
                )
            },
            shows: (".msg-error", "CSRF check"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks as a plain-text 404",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::body(404, "text/plain; charset=utf-8", "404 page not found\n"),
                )
            },
            shows: (".msg-error", "404 page not found"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks refused with 429",
            page: "/stacks",
            rules: |_| {
                vec![Hostile::on(
                    STACKS,
                    Answer::Fixed {
                        status: 429,
                        headers: vec![
                            ("Retry-After".into(), "30".into()),
                            ("Content-Type".into(), "text/plain".into()),
                        ],
                        body: b"Too Many Requests".to_vec(),
                    },
                )]
            },
            shows: (".msg-error", "HTTP 429"),
            then: Then::Navigate,
        },
        Case {
            name: "stacks failing with Portainer's JSON 500",
            page: "/stacks",
            rules: |_| {
                on(
                    STACKS,
                    Answer::json(
                        500,
                        r#"{"message":"Unable to retrieve stacks","details":"database is locked"}"#,
                    ),
                )
            },
            shows: (
                ".msg-error",
                "Unable to retrieve stacks: database is locked",
            ),
            then: Then::Navigate,
        },
    ]
}

fn environment_cases() -> Vec<Case> {
    vec![
        Case {
            name: "environments as an HTML page",
            page: "/stacks",
            rules: |_| {
                on(
                    ENDPOINTS,
                    Answer::body(
                        200,
                        "text/html; charset=utf-8",
                        "<html><title>Login</title></html>",
                    ),
                )
            },
            shows: (".msg-error", "Loading environments failed"),
            then: Then::Navigate,
        },
        Case {
            name: "an environment whose Id is null",
            page: "/stacks",
            rules: |_| on(ENDPOINTS, set(2, "Id", Value::Null)),
            shows: (
                ".unreadable",
                "1 environment from Portainer could not be read",
            ),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "an environment named with a list",
            page: "/stacks",
            rules: |_| on(ENDPOINTS, set(1, "Name", json!(["local"]))),
            shows: (".unreadable", "Name: invalid type"),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "an environment listed twice",
            page: "/stacks",
            rules: |_| {
                on(
                    ENDPOINTS,
                    Answer::rewritten(|mut list| {
                        if let Some(items) = list.as_array_mut() {
                            let twin = items[0].clone();
                            items.push(twin);
                        }
                        list
                    }),
                )
            },
            shows: (".unreadable", "listed twice"),
            then: Then::Rows(OTHERS),
        },
        Case {
            name: "an environment named with HTML",
            page: "/stacks",
            rules: |_| {
                on(
                    ENDPOINTS,
                    set(1, "Name", json!("<b onmouseover=alert(1)>local</b>")),
                )
            },
            shows: (
                "tr.stack-row[data-stack=\"web-frontend\"] td.env",
                "<b onmouseover=alert(1)>local</b>",
            ),
            then: Then::Check(|b, _| no_elements(b, "td.env b")),
        },
    ]
}

fn stack_page_cases() -> Vec<Case> {
    vec![
        Case {
            name: "a stack inspect cut short",
            page: "/stacks/1",
            rules: |_| on(STACK_1, Answer::json(200, r#"{"Id":1,"Name":"web-fr"#)),
            shows: (".msg-error", "Loading the stack failed"),
            then: Then::Navigate,
        },
        Case {
            name: "a stack inspect refused as plain text",
            page: "/stacks/1",
            rules: |_| on(STACK_1, Answer::body(403, "text/plain", "Access denied")),
            shows: (".msg-error", "not permitted"),
            then: Then::Navigate,
        },
        Case {
            name: "a stack file of the wrong type",
            page: "/stacks/1?tab=compose",
            rules: |_| on(STACK_1_FILE, Answer::json(200, r#"{"StackFileContent":5}"#)),
            shows: (".msg-error", "StackFile"),
            then: Then::Navigate,
        },
        Case {
            name: "a webhook URL and git credentials on the stack",
            page: "/stacks/1",
            rules: |_| {
                on(
                    STACK_1,
                    Answer::rewritten(|mut s| {
                        s["GitConfig"]["URL"] =
                            json!("https://deploy:hunter2@git.example.com/acme/web.git");
                        s["AutoUpdate"]["Webhook"] = json!("5ecret-webhook-id-1234");
                        s
                    }),
                )
            },
            shows: (".repository", "deploy:•••@git.example.com"),
            then: Then::Check(|b, _| {
                let text = b.page_text();
                assert!(
                    !text.contains("hunter2") && !text.contains("5ecret-webhook"),
                    "{text}"
                );
                b.wait_text(".webhook", "•••1234");
                b.click(".repository button.reveal");
                b.wait_text(".repository", "hunter2");
            }),
        },
        Case {
            name: "containers as an HTML 502",
            page: "/stacks/1?tab=containers",
            rules: |_| {
                on(
                    CONTAINERS,
                    Answer::body(
                        502,
                        "text/html",
                        "<html><title>502 Bad Gateway</title></html>",
                    ),
                )
            },
            shows: (".msg-error", "Loading containers failed"),
            then: Then::Navigate,
        },
        Case {
            name: "a container whose Id is null",
            page: "/stacks/1?tab=containers",
            rules: |_| {
                on(
                    CONTAINERS,
                    Answer::rewritten(|mut list| {
                        if let Some(items) = list.as_array_mut() {
                            items[0]["Id"] = Value::Null;
                        }
                        list
                    }),
                )
            },
            shows: (
                ".unreadable",
                "1 container from Portainer could not be read",
            ),
            then: Then::Check(|b, _| {
                b.wait("tr.container");
            }),
        },
        Case {
            name: "a container named with HTML",
            page: "/stacks/1?tab=containers",
            rules: |_| {
                on(
                    CONTAINERS,
                    Answer::rewritten(|mut list| {
                        if let Some(items) = list.as_array_mut() {
                            items[0]["Names"] = json!(["/<iframe src=//evil.example>"]);
                            items[0]["Image"] = json!("<svg onload=alert(1)>");
                        }
                        list
                    }),
                )
            },
            shows: ("table.containers", "<iframe src=//evil.example>"),
            then: Then::Check(|b, _| {
                no_elements(b, "table.containers iframe, table.containers svg")
            }),
        },
        Case {
            name: "logs of a container that is not the stack's",
            page: "/stacks/1?tab=logs&container=deadbeefdeadbeef",
            rules: |_| Vec::new(),
            shows: (".not-of-this-stack", "deadbeefdead"),
            then: Then::Check(|_, env| {
                let asked = env.sim.requests();
                assert!(
                    !asked.iter().any(|(_, p)| p.contains("deadbeef")),
                    "the foreign container was asked for: {asked:?}"
                );
            }),
        },
        Case {
            name: "logs with broken multiplexed frames",
            page: "/stacks/1?tab=logs",
            rules: |_| {
                on(
                    LOGS,
                    Answer::Fixed {
                        status: 200,
                        headers: vec![(
                            "Content-Type".into(),
                            "application/vnd.docker.raw-stream".into(),
                        )],
                        body: {
                            let mut b = frames(&["first line"]);
                            // A header with a huge length and a stream byte Docker never sends.
                            b.extend_from_slice(&[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
                            b.extend_from_slice(b"cut");
                            b.extend_from_slice(&[9, 9, 9]);
                            b
                        },
                    },
                )
            },
            shows: (".logs", "first line"),
            then: Then::Navigate,
        },
        Case {
            name: "a log line of 1 MB",
            page: "/stacks/1?tab=logs",
            rules: |_| {
                on(
                    LOGS,
                    Answer::body(200, "application/vnd.docker.raw-stream", {
                        let mut b = b"start ".to_vec();
                        b.extend(std::iter::repeat_n(b'x', 1024 * 1024));
                        b.extend_from_slice(b"\nafter\n");
                        b
                    }),
                )
            },
            shows: (".logs", "after"),
            then: Then::Check(|b, _| {
                let lines = b.all(".logs .line").len();
                assert!(
                    lines >= 5,
                    "the long line is shown in bounded pieces: {lines}"
                );
            }),
        },
        Case {
            name: "logs answered with a body that never ends",
            page: "/stacks/1?tab=logs",
            rules: |_| {
                on(
                    LOGS,
                    Answer::Endless {
                        content_type: "application/vnd.docker.raw-stream".into(),
                        chunk: frames(&["again"]),
                        every_ms: 20,
                    },
                )
            },
            shows: (".msg-error", "did not answer within 3 seconds"),
            then: Then::Navigate,
        },
        Case {
            name: "a followed log that never ends",
            page: "/stacks/1?tab=logs",
            rules: |_| {
                vec![Hostile::on(
                    LOGS,
                    Answer::Endless {
                        content_type: "application/vnd.docker.raw-stream".into(),
                        chunk: frames(&["tick", "tock"]),
                        every_ms: 10,
                    },
                )
                .when_query("follow=1")]
            },
            shows: (".logs .line", ""),
            then: Then::Check(|b, _| {
                b.click("#log-follow");
                b.wait_text(".logs", "tock");
                let before = b.all(".logs .line").len();
                b.wait_until("more followed lines", || {
                    b.all(".logs .line").len() > before + 50
                });
                // The page keeps answering while the stream runs.
                b.click("#log-follow");
                b.wait_text(".logs-card", "Last");
            }),
        },
        Case {
            name: "logs refused with Docker's JSON 500",
            page: "/stacks/1?tab=logs",
            rules: |_| {
                on(
                    LOGS,
                    Answer::json(500, r#"{"message":"No such container: abc"}"#),
                )
            },
            shows: (".msg-error", "No such container"),
            then: Then::Navigate,
        },
        Case {
            name: "logs answered 502 with an empty body",
            page: "/stacks/1?tab=logs",
            rules: |_| {
                on(
                    LOGS,
                    Answer::Fixed {
                        status: 502,
                        headers: Vec::new(),
                        body: Vec::new(),
                    },
                )
            },
            shows: (".msg-error", "HTTP 502"),
            then: Then::Navigate,
        },
    ]
}

fn access_cases() -> Vec<Case> {
    vec![
        Case {
            name: "teams with one unreadable team",
            page: "/access",
            rules: |_| on(TEAMS, set(2, "Id", Value::Null)),
            shows: (".access-notes", "1 team from Portainer could not be read"),
            then: Then::Navigate,
        },
        Case {
            name: "environment groups as an HTML page",
            page: "/access",
            rules: |_| {
                on(
                    GROUPS,
                    Answer::body(200, "text/html", "<html><title>x</title></html>"),
                )
            },
            shows: (".access-notes", "environment groups"),
            then: Then::Navigate,
        },
        Case {
            name: "a team named with Markdown and HTML",
            page: "/stacks",
            rules: |_| {
                on(
                    TEAMS,
                    set(1, "Name", json!("![x](https://x.example/p.png)<img src=x>")),
                )
            },
            shows: (
                "tr.stack-row[data-stack=\"web-frontend\"] td.ownership",
                "team ![x](https://x.example/p.png)<img src=x>",
            ),
            then: Then::Check(|b, _| no_elements(b, "td.ownership img")),
        },
    ]
}

fn connection_cases() -> Vec<Case> {
    vec![
        Case {
            name: "the status check as an HTML page",
            page: "/connect",
            rules: |_| {
                on(
                    STATUS,
                    Answer::body(
                        200,
                        "text/html",
                        "<!doctype html><title>Welcome to nginx!</title>",
                    ),
                )
            },
            shows: (".msg-error", "Welcome to nginx!"),
            then: Then::Navigate,
        },
        Case {
            name: "the status check redirected to another origin",
            page: "/connect",
            rules: |e| {
                on(
                    STATUS,
                    Answer::redirect(302, &format!("{}/api/system/status", e.elsewhere)),
                )
            },
            shows: (".msg-error", "does not follow"),
            then: Then::Navigate,
        },
        Case {
            name: "the status check never answered",
            page: "/connect",
            rules: |_| on(STATUS, Answer::NeverStart),
            shows: (".msg-error", "did not answer within 3 seconds"),
            then: Then::Navigate,
        },
        Case {
            name: "the status with a version of the wrong type",
            page: "/connect",
            rules: |_| {
                on(
                    STATUS,
                    Answer::json(200, r#"{"Version":["2.23.0"],"InstanceID":7}"#),
                )
            },
            shows: (".msg-error", "could not be read as Status"),
            then: Then::Navigate,
        },
    ]
}

pub fn all() -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(stack_list_cases());
    all.extend(redirect_cases());
    all.extend(environment_cases());
    all.extend(stack_page_cases());
    all.extend(access_cases());
    all.extend(connection_cases());
    all
}
