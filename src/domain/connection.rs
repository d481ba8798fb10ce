//! Why a connection failed, and the exact fix, from what the browser lets us know: the error,
//! the page's origin and the Portainer address. Portainer sends no CORS headers, so a page on
//! another origin fails the same way a stopped server does; only the addresses tell them apart.

use crate::portainer::ApiError;

/// A cause and its fix, in an operator's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    pub cause: String,
    pub fix: String,
}

/// `scheme://host[:port]` of an absolute URL, lower-cased; None for a relative one.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if scheme.is_empty() || host.is_empty() {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    let mut host = host.to_ascii_lowercase();
    // Default ports are not part of the origin the browser compares.
    for default in [("http", ":80"), ("https", ":443")] {
        if scheme == default.0 {
            if let Some(stripped) = host.strip_suffix(default.1) {
                host = stripped.to_string();
            }
        }
    }
    Some(format!("{scheme}://{host}"))
}

/// The origins a page's Content-Security-Policy lets it call besides its own (`connect-src`).
pub fn connect_src(csp: &str) -> Vec<String> {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix("connect-src"))
        .map(|sources| {
            sources
                .split_whitespace()
                .filter(|s| !s.starts_with('\''))
                .filter_map(origin_of)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the page's policy lets it call `api_url` ("" = its own origin).
pub fn csp_allows(csp: &str, api_url: &str, page_origin: &str) -> bool {
    let page = origin_of(page_origin).unwrap_or_default();
    match origin_of(api_url) {
        None => true,
        Some(api) => api == page || connect_src(csp).contains(&api),
    }
}

/// Explains `err` for a Portainer at `api_url` ("" = the page's own origin) seen from a page at
/// `page_origin` whose Content-Security-Policy is `csp`. None when Portainer's own message says
/// it all (e.g. a 403 on one stack).
pub fn diagnose(err: &ApiError, api_url: &str, page_origin: &str, csp: &str) -> Option<Diagnosis> {
    let page = origin_of(page_origin).unwrap_or_default();
    let api = origin_of(api_url).unwrap_or_else(|| page.clone());
    let cross_origin = !api.is_empty() && api != page;
    match err {
        ApiError::Network { .. } if cross_origin && !csp_allows(csp, api_url, page_origin) => {
            Some(Diagnosis {
                cause: format!(
                    "This Portlight may send requests only to {page} (its Content Security Policy), \
                     so the browser refused to send anything to {api}: the token cannot reach an \
                     origin Portlight was not set up for. Portainer sends no CORS headers either, so \
                     a page on {page} could not read {api} anyway (portainer#1939)."
                ),
                fix: format!(
                    "Serve Portlight and Portainer's /api from one origin: put both behind one reverse \
                     proxy (deploy/nginx or deploy/Caddyfile), or install Portlight under /portlight/ \
                     beside Portainer's own UI. If Portlight must stay on {page}, put the CORS proxy \
                     recipe (deploy/cors-proxy) in front of Portainer with Access-Control-Allow-Origin: \
                     {page}, and list the proxy's origin in Portlight's connect-src when building or \
                     deploying it (deploy/README.md, \"Other origins\")."
                ),
            })
        }
        ApiError::Network { .. } if page.starts_with("https://") && api.starts_with("http://") => {
            Some(Diagnosis {
                cause: format!(
                    "This page is served over HTTPS but Portainer's address {api} is plain HTTP: \
                     browsers block such mixed content."
                ),
                fix: "Use Portainer's HTTPS address (port 9443 by default), or serve Portlight and \
                      Portainer behind the same HTTPS reverse proxy (see deploy/ in Portlight's repository)."
                    .into(),
            })
        }
        ApiError::Network { .. } if cross_origin => {
            let certificate = if api.starts_with("https://") {
                " If Portainer uses a self-signed certificate, the browser may also be refusing it: \
                 open the address once in a tab and accept it, or give Portainer a trusted certificate."
            } else {
                ""
            };
            Some(Diagnosis {
                cause: format!(
                    "Portlight is served from {page} but Portainer is at {api}. Portainer sends no CORS \
                     headers, so the browser blocks every call from another origin (portainer#1939), \
                     the same way it would if the server were down.{certificate}"
                ),
                fix: format!(
                    "Serve Portlight and Portainer's /api from one origin: put both behind one reverse \
                     proxy (deploy/nginx or deploy/Caddyfile), or install Portlight under /portlight/ \
                     beside Portainer's own UI. If Portlight must stay on {page}, put the CORS proxy \
                     recipe (deploy/cors-proxy) in front of Portainer with Access-Control-Allow-Origin: {page}."
                ),
            })
        }
        ApiError::Network { .. } => Some(Diagnosis {
            cause: format!(
                "Nothing answered at {}: the server or its reverse proxy is down, or the address is wrong.",
                if api.is_empty() { "this address" } else { &api }
            ),
            fix: "Check that Portainer (or the proxy in front of it) is running and reachable from this browser."
                .into(),
        }),
        ApiError::NotPortainer { .. } => Some(Diagnosis {
            cause: "The address answered with a web page instead of Portainer's JSON API: /api is not \
                    being passed to Portainer."
                .into(),
            fix: "Proxy /api to Portainer on the server that serves Portlight (see deploy/), or enter \
                  Portainer's own address."
                .into(),
        }),
        ApiError::Timeout { .. } => Some(Diagnosis {
            cause: "Portainer (or a proxy in front of it) accepted the request but did not answer in time."
                .into(),
            fix: "Try again; if it keeps happening, raise the timeout in Settings or check the server's load."
                .into(),
        }),
        ApiError::Unauthorized { .. } => Some(Diagnosis {
            cause: "Portainer does not accept this access token.".into(),
            fix: "Create a new token in Portainer (My account → Access tokens) and paste it here. \
                  Tokens never expire on their own, so this one was revoked or its user was removed."
                .into(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SELF_ONLY: &str = "default-src 'self'; connect-src 'self'; object-src 'none'";
    /// The policy of a build that lists the other origins the tests use.
    const ALLOWS_ALL: &str =
        "connect-src 'self' http://10.0.0.5:9000 https://portainer:9443 http://portainer:9000";

    fn network() -> ApiError {
        ApiError::Network {
            detail: "TypeError: Failed to fetch".into(),
        }
    }

    #[test]
    fn origins_ignore_paths_case_and_default_ports() {
        assert_eq!(
            origin_of("HTTPS://Ops.Example.com:443/portlight/?x").as_deref(),
            Some("https://ops.example.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:9000").as_deref(),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(origin_of(""), None);
        assert_eq!(origin_of("/api"), None);
    }

    #[test]
    fn a_network_failure_on_another_origin_is_explained_as_cors_with_the_fix() {
        let d = diagnose(
            &network(),
            "http://10.0.0.5:9000",
            "http://127.0.0.1:8080",
            ALLOWS_ALL,
        )
        .unwrap();
        assert!(d.cause.contains("http://127.0.0.1:8080"), "{}", d.cause);
        assert!(d.cause.contains("http://10.0.0.5:9000"));
        assert!(d.cause.contains("CORS"));
        assert!(d
            .fix
            .contains("Access-Control-Allow-Origin: http://127.0.0.1:8080"));
        assert!(!d.cause.contains("certificate"));
    }

    #[test]
    fn an_https_portainer_on_another_origin_also_mentions_certificates() {
        let d = diagnose(
            &network(),
            "https://portainer:9443",
            "https://ops.example.com",
            ALLOWS_ALL,
        )
        .unwrap();
        assert!(d.cause.contains("certificate"));
    }

    #[test]
    fn http_api_from_an_https_page_is_mixed_content() {
        let d = diagnose(
            &network(),
            "http://portainer:9000",
            "https://ops.example.com",
            ALLOWS_ALL,
        )
        .unwrap();
        assert!(d.cause.contains("mixed content"), "{}", d.cause);
    }

    #[test]
    fn same_origin_network_failure_means_the_server_is_down_not_cors() {
        for api in ["", "http://127.0.0.1:9000/"] {
            let d = diagnose(&network(), api, "http://127.0.0.1:9000", SELF_ONLY).unwrap();
            assert!(!d.cause.contains("CORS"), "{}", d.cause);
            assert!(d.cause.contains("down"));
        }
    }

    #[test]
    fn an_html_answer_means_api_is_not_proxied() {
        let err = ApiError::NotPortainer {
            status: 200,
            detail: "an HTML page".into(),
        };
        assert!(diagnose(&err, "", "http://x", SELF_ONLY)
            .unwrap()
            .cause
            .contains("/api"));
    }

    #[test]
    fn portainer_permission_errors_need_no_diagnosis() {
        let err = ApiError::Forbidden {
            message: "Access denied to resource".into(),
        };
        assert_eq!(diagnose(&err, "", "http://x", SELF_ONLY), None);
    }

    #[test]
    fn connect_src_lists_only_origins() {
        assert_eq!(
            connect_src("default-src 'self'; connect-src 'self' https://P.example.com:9444/ http://a; img-src data:"),
            ["https://p.example.com:9444", "http://a"]
        );
        assert!(connect_src(SELF_ONLY).is_empty());
        assert!(connect_src("").is_empty());
        assert!(csp_allows(SELF_ONLY, "", "http://x"));
        assert!(csp_allows(SELF_ONLY, "http://x:80/", "http://x"));
        assert!(!csp_allows(SELF_ONLY, "http://y", "http://x"));
        assert!(csp_allows(
            ALLOWS_ALL,
            "http://10.0.0.5:9000/api",
            "http://x"
        ));
    }

    #[test]
    fn another_origin_the_policy_does_not_list_is_explained_as_such() {
        let d = diagnose(
            &network(),
            "http://10.0.0.5:9000",
            "http://127.0.0.1:8080",
            SELF_ONLY,
        )
        .unwrap();
        assert!(d.cause.contains("Content Security Policy"), "{}", d.cause);
        assert!(d.cause.contains("cannot reach"), "{}", d.cause);
        assert!(d.fix.contains("Other origins"), "{}", d.fix);
    }
}
