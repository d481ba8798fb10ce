//! Real web servers for the deployment tests: Debian's nginx and Caddy, run from the recipes in
//! `deploy/` with their placeholders filled in, each in its own temporary folder (config, logs,
//! temp files, pid), listening on free loopback ports and stopped when dropped.

use crate::workspace_root;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const NGINX: &str = "/usr/sbin/nginx";
pub const CADDY: &str = "/usr/bin/caddy";
pub const OPENSSL: &str = "/usr/bin/openssl";
/// Debian's MIME table, included the way Debian's own nginx.conf does.
pub const NGINX_MIME_TYPES: &str = "/etc/nginx/mime.types";
/// Debian's CA bundle: what an operator's `PORTAINER_CA_FILE` usually is.
pub const SYSTEM_CA_FILE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// How long a server may take to answer on its port after it was started.
const START: Duration = Duration::from_secs(20);

/// `deploy/` in the workspace.
pub fn deploy_dir() -> PathBuf {
    workspace_root().join("deploy")
}

/// The text of a recipe, by its path under `deploy/` (e.g. `nginx/portlight.conf`).
pub fn recipe(path: &str) -> String {
    let file = deploy_dir().join(path);
    std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read the recipe {}: {e}", file.display()))
}

/// The `${NAME}` placeholders of a recipe, in order of first use.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_string());
        }
        rest = &after[end..];
    }
    names
}

/// Fills a recipe's `${NAME}` placeholders the way `envsubst '${A} ${B}'` does. Fails the test
/// when the recipe has a placeholder without a value, or a value has no placeholder: the test
/// and the recipe must agree on the names an operator fills in.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let used = placeholders(text);
    let mut missing: Vec<&String> = used
        .iter()
        .filter(|name| !values.iter().any(|(n, _)| n == name))
        .collect();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "no value for the placeholders {missing:?} (the recipe uses {used:?})"
    );
    let unused: Vec<&str> = values
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !used.iter().any(|u| u == n))
        .collect();
    assert!(
        unused.is_empty(),
        "the recipe has no placeholders {unused:?} (it uses {used:?})"
    );
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    out
}

/// A folder of its own under the system temp dir, removed on drop. Readable by everyone, so
/// nginx workers (user `nobody` when the tests run as root) can reach the files in it.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "portlight-deploy-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        set_mode(&path, 0o755);
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a file in this folder and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let file = self.path.join(name);
        std::fs::write(&file, contents)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        set_mode(&file, 0o644);
        file
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// The `http { }` block around a recipe, as Debian's /etc/nginx/nginx.conf sets it up (MIME
/// types, sendfile, gzip), with every path nginx writes inside `dir`. gzip is on for every
/// type, as many sites configure it: a proxied stream that nginx does not flush piece by piece
/// then stalls in the compressor, so the log-follow tests notice a buffering recipe.
pub fn nginx_main_conf(dir: &Path, include: &Path) -> String {
    let d = dir.display();
    format!(
        "worker_processes 1;
error_log {d}/error.log notice;

events {{
    worker_connections 256;
}}

http {{
    include {NGINX_MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    gzip on;
    gzip_types *;
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;

    include {};
}}
",
        include.display()
    )
}

/// The command line that runs nginx on the config in `dir`, in the foreground.
fn nginx_command(dir: &Path, main: &Path) -> Command {
    let mut c = Command::new(NGINX);
    c.arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(main)
        .arg("-g")
        .arg(format!("daemon off; pid {}/nginx.pid;", dir.display()));
    c
}

/// `nginx -t` on an http-context config (e.g. a rendered recipe); Err holds nginx's words.
pub fn nginx_check(conf: &str) -> Result<(), String> {
    let dir = TempDir::new("nginx-check");
    let site = dir.write("site.conf", conf);
    let main = dir.write("nginx.conf", &nginx_main_conf(dir.path(), &site));
    let out = nginx_command(dir.path(), &main)
        .arg("-t")
        .output()
        .map_err(|e| format!("cannot run {NGINX}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A running nginx; stopped (and its folder removed) on drop.
pub struct Nginx {
    child: Child,
    dir: TempDir,
}

impl Nginx {
    /// Starts nginx with `conf`, an http-context config (a filled recipe: `map`s and
    /// `server`s), and waits until each of `ports` accepts connections on 127.0.0.1.
    pub fn start(label: &str, conf: &str, ports: &[u16]) -> Nginx {
        assert!(
            Path::new(NGINX).exists(),
            "{NGINX} is missing: `cargo xtask test install` installs Debian's nginx"
        );
        let dir = TempDir::new(label);
        let site = dir.write("site.conf", conf);
        let main = dir.write("nginx.conf", &nginx_main_conf(dir.path(), &site));
        let stderr = std::fs::File::create(dir.path().join("stderr.log")).expect("stderr log");
        let child = nginx_command(dir.path(), &main)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {NGINX}: {e}"));
        let mut nginx = Nginx { child, dir };
        let what = format!("nginx ({label})");
        wait_for_ports(&what, &mut nginx.child, ports, || {
            nginx_logs(nginx.dir.path())
        });
        nginx
    }

    /// The folder with the config, logs and temp files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// nginx's error log so far, for failure messages.
    pub fn logs(&self) -> String {
        nginx_logs(self.dir.path())
    }
}

fn nginx_logs(dir: &Path) -> String {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    format!("{}{}", read("stderr.log"), read("error.log"))
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its workers; SIGKILL would leave them running.
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            if pid > 1 {
                // SAFETY: kill(2) on the one process this handle started; nothing is shared.
                unsafe {
                    libc::kill(pid, libc::SIGTERM);
                }
            }
        }
        stop(&mut self.child);
    }
}

/// Waits up to a few seconds for a child to exit, then kills it.
fn stop(child: &mut Child) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn wait_for_ports(what: &str, child: &mut Child, ports: &[u16], logs: impl Fn() -> String) {
    let start = Instant::now();
    for port in ports {
        let addr = SocketAddr::from(([127, 0, 0, 1], *port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{what} exited at start ({status}):\n{}", logs());
            }
            if start.elapsed() > START {
                let _ = child.kill();
                panic!(
                    "{what} did not listen on {addr} within {START:?}:\n{}",
                    logs()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Where Caddy is, or why the Caddy tests cannot run on this machine.
pub fn caddy_binary() -> Result<PathBuf, String> {
    let path = PathBuf::from(CADDY);
    if !path.exists() {
        return Err(format!(
            "{CADDY} is not installed (Debian's `caddy` package; `cargo xtask test install` tries \
             to install it, and some Debian releases have none)"
        ));
    }
    match Command::new(&path).arg("version").output() {
        Ok(out) if out.status.success() => Ok(path),
        Ok(out) => Err(format!(
            "`{CADDY} version` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("cannot run {CADDY}: {e}")),
    }
}

/// A running Caddy; stopped (and its folder removed) on drop.
pub struct Caddy {
    child: Child,
    dir: TempDir,
}

impl Caddy {
    /// Runs the Caddyfile at `caddyfile` (imported as it is, placeholders filled by Caddy from
    /// `env`) with test-only global options: no admin endpoint, storage and HOME in a temp
    /// folder. Waits until `port` accepts connections.
    pub fn start(label: &str, caddyfile: &Path, env: &[(&str, &str)], port: u16) -> Caddy {
        let caddy = caddy_binary().unwrap_or_else(|why| panic!("{why}"));
        let dir = TempDir::new(label);
        let d = dir.path().display();
        let config = dir.write(
            "Caddyfile",
            &format!(
                "{{\n\tadmin off\n\tskip_install_trust\n\tstorage file_system {{\n\t\troot {d}/data\n\t}}\n}}\n\nimport {}\n",
                caddyfile.display()
            ),
        );
        let log = std::fs::File::create(dir.path().join("caddy.log")).expect("caddy log");
        let mut command = Command::new(caddy);
        command
            .arg("run")
            .arg("--config")
            .arg(&config)
            .arg("--adapter")
            .arg("caddyfile")
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("caddy log"))
            .stderr(log);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CADDY}: {e}"));
        let mut caddy = Caddy { child, dir };
        let log_file = caddy.dir.path().join("caddy.log");
        wait_for_ports(
            &format!("caddy ({label})"),
            &mut caddy.child,
            &[port],
            || std::fs::read_to_string(&log_file).unwrap_or_default(),
        );
        caddy
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("caddy.log")).unwrap_or_default()
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A self-signed certificate for `localhost` and 127.0.0.1, like the one Portainer makes for
/// itself on port 9443, written into `dir` by Debian's openssl.
pub struct SelfSigned {
    pub cert: PathBuf,
    pub key: PathBuf,
}

pub fn self_signed_certificate(dir: &Path) -> SelfSigned {
    let cert = dir.join("portainer.crt");
    let key = dir.join("portainer.key");
    let out = Command::new(OPENSSL)
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .arg("ec_paramgen_curve:prime256v1")
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {OPENSSL}: {e}"));
    assert!(
        out.status.success(),
        "openssl could not make a certificate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    set_mode(&key, 0o644);
    set_mode(&cert, 0o644);
    SelfSigned { cert, key }
}

/// A stand-in for a Portainer on HTTPS with a self-signed certificate: nginx terminating TLS in
/// front of `upstream` (the simulator), streaming as Portainer does.
pub struct HttpsPortainer {
    pub nginx: Nginx,
    pub port: u16,
    pub certificate: SelfSigned,
    _dir: TempDir,
}

impl HttpsPortainer {
    pub fn start(upstream: &str) -> HttpsPortainer {
        let dir = TempDir::new("tls-cert");
        let certificate = self_signed_certificate(dir.path());
        let port = free_port();
        let conf = format!(
            "server {{
    listen 127.0.0.1:{port} ssl;
    server_name localhost;
    ssl_certificate {};
    ssl_certificate_key {};
    location / {{
        proxy_pass {upstream};
        proxy_http_version 1.1;
        proxy_set_header Connection \"\";
        proxy_buffering off;
        proxy_read_timeout 1h;
    }}
}}
",
            certificate.cert.display(),
            certificate.key.display()
        );
        let nginx = Nginx::start("tls-portainer", &conf, &[port]);
        HttpsPortainer {
            nginx,
            port,
            certificate,
            _dir: dir,
        }
    }

    /// `https://localhost:PORT`: the name its certificate is for.
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }
}

/// One plain HTTP answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of a header (the first one of that name), case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.text();
        let shown: String = body.chars().take(300).collect();
        write!(f, "{} {:?} {shown:?}", self.status, self.headers)
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// Sends one request with these headers and no body; any status is an answer.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> Reply {
    let method: ureq::http::Method = method.parse().expect("an HTTP method");
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(()).expect("a valid request");
    let mut response = agent(Duration::from_secs(30))
        .run(request)
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str) -> Reply {
    request("GET", url, &[])
}

/// The demo admin's token, as an `X-API-Key` header.
pub fn admin_key() -> (&'static str, &'static str) {
    ("X-API-Key", portainer_sim::demo::token_for("admin"))
}

/// The id of a running container of environment 1, found through `base`'s API.
pub fn running_container(base: &str) -> String {
    let reply = request(
        "GET",
        &format!("{base}/api/endpoints/1/docker/containers/json?all=1"),
        &[admin_key()],
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let list: serde_json::Value = serde_json::from_slice(&reply.body).expect("a JSON list");
    list.as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["State"] == "running")
                .and_then(|c| c["Id"].as_str())
        })
        .unwrap_or_else(|| panic!("no running container in {list}"))
        .to_string()
}

/// What a followed log stream delivered while it was still open.
pub struct LiveLog {
    pub status: u16,
    pub content_type: String,
    /// `gzip` when the server compressed the stream.
    pub content_encoding: String,
    /// The first two lines written after the request (`tail=0`), decompressed.
    pub bytes: Vec<u8>,
    /// True when the server ended the response: a follow must stay open.
    pub ended: bool,
}

/// Follows a running container's logs through `base` with `tail=0`, so that nothing is sent
/// until the container writes (the simulator: a line about every second), and reads until two
/// lines have arrived, with the response still open. It accepts gzip as a browser does: a
/// server that compresses the stream must flush each piece, or nothing arrives until the
/// stream ends, which for a follow is never.
pub fn follow_logs(base: &str) -> LiveLog {
    let id = running_container(base);
    let url = format!(
        "{base}/api/endpoints/1/docker/containers/{id}/logs?follow=1&stdout=1&stderr=1&tail=0"
    );
    let (key, token) = admin_key();
    let response = agent(Duration::from_secs(30))
        .get(&url)
        .header(key, token)
        .header("Accept-Encoding", "gzip")
        .call()
        .unwrap_or_else(|e| {
            panic!("{url}: {e} (a proxy that buffers the stream never passes a follow on)")
        });
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let content_type = header("content-type");
    let content_encoding = header("content-encoding");
    let raw = response.into_body().into_reader();
    let mut reader: Box<dyn Read> = if content_encoding == "gzip" {
        Box::new(flate2::read::GzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut ended = false;
    while bytes.iter().filter(|b| **b == b'\n').count() < 2 {
        match reader.read(&mut chunk) {
            Ok(0) => {
                ended = true;
                break;
            }
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) => panic!(
                "reading the followed logs of {id} through {base}: {e} (after {:?})",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
    LiveLog {
        status,
        content_type,
        content_encoding,
        bytes,
        ended,
    }
}

/// The cargo target folder of this workspace (`CARGO_TARGET_DIR` when set).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                workspace_root().join(p)
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The release build for the sub-path `/portlight/` (`trunk build --release --public-url
/// /portlight/`), built once per test run into `<target>/e2e-subpath-dist`.
/// `PORTLIGHT_SUBPATH_DIST` names an existing build instead.
pub fn subpath_dist() -> PathBuf {
    static DIST: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIST.get_or_init(build_subpath_dist)
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn build_subpath_dist() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("PORTLIGHT_SUBPATH_DIST") {
        return Ok(PathBuf::from(dir));
    }
    let dist = target_dir().join("e2e-subpath-dist");
    let started = Instant::now();
    let out = Command::new("trunk")
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            "/portlight/",
        ])
        .arg("--dist")
        .arg(&dist)
        .current_dir(workspace_root())
        .env("PATH", tool_path())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run trunk: {e} (`cargo xtask test install` installs it)"))?;
    if !out.status.success() {
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "trunk build --public-url /portlight/ failed ({}):\n{}",
            out.status,
            tail.join("\n")
        ));
    }
    eprintln!(
        "built the /portlight/ sub-path release into {} in {:?}",
        dist.display(),
        started.elapsed()
    );
    Ok(dist)
}

/// PATH with npm's binaryen first (Debian's wasm-opt breaks the app) and cargo's bin folder,
/// as `cargo xtask` runs trunk.
fn tool_path() -> String {
    let mut parts = vec![workspace_root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        parts.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(rest) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&rest));
    }
    std::env::join_paths(parts)
        .expect("tool folders contain no path separator")
        .into_string()
        .unwrap_or_default()
}
