//! HTTPS: a self-signed certificate from Debian's openssl, and a Portainer on HTTPS made of
//! nginx terminating TLS in front of the simulator.

use super::nginx::Nginx;
use super::process::{free_port, set_mode, TempDir};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const OPENSSL: &str = "/usr/bin/openssl";
/// Debian's CA bundle: what an operator's `PORTAINER_CA_FILE` usually is.
pub const SYSTEM_CA_FILE: &str = "/etc/ssl/certs/ca-certificates.crt";

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
