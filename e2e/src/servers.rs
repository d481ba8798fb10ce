//! Real web servers for the deployment tests: Debian's nginx and Caddy, run from the recipes in
//! `deploy/` with their placeholders filled in, each in its own temporary folder (config, logs,
//! temp files, pid), listening on free loopback ports and stopped when dropped.
//!
//! One file per job; the deployment tests reach everything through this module:
//!
//! * `recipes`: the files of `deploy/` and their `${NAME}` placeholders;
//! * `process`: a temporary folder, a free port, waiting for a server and stopping it;
//! * `nginx`, `caddy`: the two servers;
//! * `tls`: a self-signed certificate and a Portainer on HTTPS;
//! * `http`: a plain HTTP client, and a followed log stream read while it is open;
//! * `trunk`: the release build for a sub-path;
//! * `recorder`: another origin that records what reaches it.

mod caddy;
mod http;
mod nginx;
mod process;
mod recipes;
mod recorder;
mod tls;
mod trunk;

pub use caddy::{caddy_binary, Caddy, CADDY};
pub use http::{admin_key, follow_logs, get, request, running_container, LiveLog, Reply};
pub use nginx::{nginx_check, nginx_main_conf, Nginx, NGINX, NGINX_MIME_TYPES};
pub use process::{free_port, TempDir};
pub use recipes::{deploy_dir, fill, placeholders, recipe};
pub use recorder::{Recorded, Recorder};
pub use tls::{self_signed_certificate, HttpsPortainer, SelfSigned, OPENSSL, SYSTEM_CA_FILE};
pub use trunk::{subpath_dist, target_dir};
