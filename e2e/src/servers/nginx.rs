//! Debian's nginx, run in the foreground on a config of the test's own, everything it writes
//! inside a temporary folder.

use super::process::{terminate, wait_for_ports, TempDir};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const NGINX: &str = "/usr/sbin/nginx";
/// Debian's MIME table, included the way Debian's own nginx.conf does.
pub const NGINX_MIME_TYPES: &str = "/etc/nginx/mime.types";

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
        terminate(&mut self.child);
    }
}
