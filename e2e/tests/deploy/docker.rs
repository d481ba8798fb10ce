//! deploy/Dockerfile: no container engine runs here, so these tests check what the image is
//! made of: the nginx config it copies is the tested recipe, the template mechanism of nginx's
//! image fills every placeholder of it, and the result is a config nginx accepts.

use crate::{DOCKERFILE, NGINX_RECIPE};
use portlight_e2e::servers::{deploy_dir, nginx_check, placeholders, recipe};
use portlight_e2e::workspace_root;
use std::collections::BTreeMap;
use std::process::Command;

/// Where nginx's image looks for templates, and what it renders them into.
const TEMPLATE_DIR: &str = "/etc/nginx/templates/";
const TEMPLATE_SUFFIX: &str = ".template";
const RENDERED_DIR: &str = "/etc/nginx/conf.d/";
/// The one variable the operator must pass with `docker run -e`.
const REQUIRED_AT_RUN: &str = "PORTAINER_UPSTREAM";
const START_SCRIPT: &str = "docker/15-portlight-upstream.sh";

/// The Dockerfile's instructions, continuation lines joined, comments dropped.
struct Dockerfile {
    instructions: Vec<(String, String)>,
}

impl Dockerfile {
    fn read() -> Dockerfile {
        let text = recipe(DOCKERFILE);
        let mut instructions = Vec::new();
        let mut current = String::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
                continue;
            }
            if let Some(head) = trimmed.strip_suffix('\\') {
                current.push_str(head);
                current.push(' ');
                continue;
            }
            current.push_str(trimmed);
            let (keyword, args) = current.split_once(' ').unwrap_or((current.as_str(), ""));
            instructions.push((keyword.to_ascii_uppercase(), args.trim().to_string()));
            current.clear();
        }
        Dockerfile { instructions }
    }

    fn args(&self, keyword: &str) -> Vec<&str> {
        self.instructions
            .iter()
            .filter(|(k, _)| k == keyword)
            .map(|(_, a)| a.as_str())
            .collect()
    }

    /// `ENV A=1 B=2` lines, as a map.
    fn env(&self) -> BTreeMap<String, String> {
        self.args("ENV")
            .iter()
            .flat_map(|a| a.split_whitespace())
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect()
    }

    /// `COPY [--flag…] SRC DST` as (SRC, DST) pairs.
    fn copies(&self) -> Vec<(String, String)> {
        self.args("COPY")
            .iter()
            .map(|a| {
                let parts: Vec<&str> = a
                    .split_whitespace()
                    .filter(|p| !p.starts_with("--"))
                    .collect();
                assert_eq!(parts.len(), 2, "one source per COPY: {a}");
                (parts[0].to_string(), parts[1].to_string())
            })
            .collect()
    }

    fn copy_to(&self, dst_prefix: &str) -> Vec<(String, String)> {
        self.copies()
            .into_iter()
            .filter(|(_, d)| d.starts_with(dst_prefix))
            .collect()
    }
}

#[test]
fn the_image_copies_the_tested_nginx_recipe_as_its_only_template() {
    let file = Dockerfile::read();
    let from = file.args("FROM");
    assert_eq!(from.len(), 1, "{from:?}");
    assert!(
        from[0].starts_with("nginx:"),
        "an official nginx image: {from:?}"
    );

    let templates = file.copy_to(TEMPLATE_DIR);
    assert_eq!(
        templates.len(),
        1,
        "one template, the tested recipe: {templates:?}"
    );
    let (src, dst) = &templates[0];
    assert_eq!(
        src,
        &format!("deploy/{NGINX_RECIPE}"),
        "the image's nginx config is the one the nginx tests run"
    );
    let rendered = dst
        .strip_prefix(TEMPLATE_DIR)
        .and_then(|name| name.strip_suffix(TEMPLATE_SUFFIX))
        .unwrap_or_else(|| panic!("{dst} is not a {TEMPLATE_DIR}*{TEMPLATE_SUFFIX}"));
    assert_eq!(
        rendered, "default.conf",
        "rendered over the image's default server ({RENDERED_DIR}default.conf)"
    );

    // The app: dist/ where PORTLIGHT_DIST says, and the port nginx listens on is exposed.
    let env = file.env();
    let dist = file
        .copies()
        .into_iter()
        .find(|(s, _)| s.trim_end_matches('/') == "dist")
        .expect("the image copies dist/");
    assert_eq!(
        dist.1.trim_end_matches('/'),
        env["PORTLIGHT_DIST"].trim_end_matches('/'),
        "dist/ is copied where the config's root points"
    );
    assert_eq!(file.args("EXPOSE"), vec![env["PORTLIGHT_LISTEN"].as_str()]);

    // Everything copied exists in the repository (dist/ is built first) and is in the build
    // context that deploy/Dockerfile.dockerignore leaves.
    let ignore = std::fs::read_to_string(deploy_dir().join("Dockerfile.dockerignore"))
        .expect("deploy/Dockerfile.dockerignore");
    let kept: Vec<&str> = ignore
        .lines()
        .filter_map(|l| l.trim().strip_prefix('!'))
        .collect();
    for (src, _) in file.copies() {
        if src != "dist/" {
            assert!(
                workspace_root().join(&src).exists(),
                "{src} is copied but missing"
            );
        }
        assert!(
            kept.iter()
                .any(|k| src.starts_with(k.trim_end_matches('/'))),
            "{src} is left out of the build context by the .dockerignore ({kept:?})"
        );
    }
}

/// nginx's image fills, in each template, the `${NAME}`s of the environment variables whose
/// names match NGINX_ENVSUBST_FILTER (an awk regular expression). Does the same with
/// Debian's awk and envsubst.
fn render_like_the_image(template: &str, env: &BTreeMap<String, String>) -> String {
    let filter = env
        .get("NGINX_ENVSUBST_FILTER")
        .cloned()
        .unwrap_or_else(|| ".*".into());
    let names = Command::new("awk")
        .arg("-v")
        .arg(format!("filter={filter}"))
        .arg("END { for (name in ENVIRON) if (name ~ filter) print name }")
        .env_clear()
        .envs(env)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("awk runs");
    let names = String::from_utf8_lossy(&names.stdout);
    let shell_format: Vec<String> = names
        .split_whitespace()
        .map(|n| format!("${{{n}}}"))
        .collect();
    let mut child = Command::new("envsubst")
        .arg(shell_format.join(" "))
        .env_clear()
        .envs(env)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("envsubst runs (Debian's gettext-base)");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(template.as_bytes())
        .expect("write the template");
    let out = child.wait_with_output().expect("envsubst output");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_image_fills_every_placeholder_and_leaves_nginx_variables_alone() {
    let file = Dockerfile::read();
    let mut env = file.env();
    let template = recipe(NGINX_RECIPE);

    let mut needed = placeholders(&template);
    needed.sort();
    let mut provided: Vec<String> = env
        .keys()
        .filter(|k| !k.starts_with("NGINX_"))
        .cloned()
        .chain([REQUIRED_AT_RUN.to_string()])
        .collect();
    provided.sort();
    assert_eq!(
        needed, provided,
        "the Dockerfile's ENV plus `-e {REQUIRED_AT_RUN}` are exactly the recipe's placeholders"
    );

    // A name nginx can resolve here (it resolves upstreams when it loads the config).
    env.insert(REQUIRED_AT_RUN.into(), "https://localhost:9443".into());
    env.insert("PORTAINER_TLS_VERIFY".into(), "off".into());
    // Variables the image's environment has anyway must not be substituted into the config.
    env.insert("PATH".into(), "/usr/bin:/bin".into());
    env.insert("HOSTNAME".into(), "portlight".into());
    let rendered = render_like_the_image(&template, &env);
    assert!(
        placeholders(&rendered).is_empty(),
        "left unfilled: {:?}",
        placeholders(&rendered)
    );
    assert!(rendered.contains("proxy_pass https://localhost:9443;"));
    assert!(rendered.contains("root /usr/share/nginx/portlight;"));
    assert!(rendered.contains("listen 8080;"));
    for nginx_variable in ["$uri", "$proxy_host", "$scheme"] {
        assert!(rendered.contains(nginx_variable), "{nginx_variable} kept");
    }
    nginx_check(&rendered).unwrap_or_else(|e| panic!("nginx rejects the image's config: {e}"));
}

#[test]
fn the_image_refuses_to_start_without_a_usable_portainer_upstream() {
    let file = Dockerfile::read();
    let script = deploy_dir().join(START_SCRIPT);
    let copied = file.copies().into_iter().any(|(s, d)| {
        s == format!("deploy/{START_SCRIPT}") && d.starts_with("/docker-entrypoint.d/")
    });
    assert!(copied, "the image runs {START_SCRIPT} at start");
    let run = |upstream: Option<&str>| {
        let mut c = Command::new("sh");
        c.arg(&script).env_remove(REQUIRED_AT_RUN);
        if let Some(u) = upstream {
            c.env(REQUIRED_AT_RUN, u);
        }
        let out = c.output().expect("sh runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, said) = run(None);
    assert!(!ok && said.contains("set PORTAINER_UPSTREAM"), "{said}");
    let (ok, said) = run(Some("portainer:9443"));
    assert!(!ok && said.contains("http:// or https://"), "{said}");
    let (ok, said) = run(Some("https://portainer:9443/"));
    assert!(!ok && said.contains("slash"), "{said}");
    let (ok, said) = run(Some("https://portainer:9443"));
    assert!(ok, "{said}");
}
