//! Release build, demo and dev server.

use crate::cmd::{command_line, root, run_line, run_with};
use crate::tools;
use std::io::Write;
use std::path::Path;

/// The whole app (HTML, JS, wasm, CSS) should stay under this many gzip bytes (Portlight's
/// budget; see BENCHMARKS.md for where it stands).
pub const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

/// The build fails above this: a regression guard while the app is over its budget. The
/// release build measured 685,270 B once wasm-opt stopped inlining large functions that have
/// one caller (6.2 KB less), under 1% below this, so size cannot creep back.
pub const CEILING_GZIP_BYTES: u64 = 671 * 1024;

/// One file of dist/ with its raw and gzip sizes.
pub struct Asset {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

pub struct SizeReport {
    pub assets: Vec<Asset>,
}

impl SizeReport {
    pub fn total_gzip(&self) -> u64 {
        self.assets.iter().map(|a| a.gzip).sum()
    }

    pub fn over_budget(&self) -> bool {
        self.total_gzip() > BUDGET_GZIP_BYTES
    }

    pub fn over_ceiling(&self) -> bool {
        self.total_gzip() > CEILING_GZIP_BYTES
    }
}

impl std::fmt::Display for SizeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{:<40} {:>10} {:>10}", "dist/", "raw", "gzip -9")?;
        for a in &self.assets {
            writeln!(f, "{:<40} {:>10} {:>10}", a.name, a.raw, a.gzip)?;
        }
        write!(
            f,
            "{:<40} {:>10} {:>10}  (budget {} KB: {}; the build fails above {} KB)",
            "total",
            self.assets.iter().map(|a| a.raw).sum::<u64>(),
            self.total_gzip(),
            BUDGET_GZIP_BYTES / 1024,
            if self.over_budget() { "OVER" } else { "within" },
            CEILING_GZIP_BYTES / 1024
        )
    }
}

/// `trunk build --release` into dist/, offline, with npm's wasm-opt. Origins listed in
/// `PORTLIGHT_CONNECT_SRC` (space-separated) are added to the page's `connect-src`.
pub fn release_build() -> Result<SizeReport, String> {
    release_build_while_installing(&[])
}

/// [`release_build`]; while trunk or wasm-bindgen-cli compile in the background, the app's
/// wasm is compiled meanwhile (trunk's own `cargo build` then finds it up to date), and so are
/// the workspace packages in `also` (the demo's simulator).
fn release_build_while_installing(also: &[&str]) -> Result<SizeReport, String> {
    let installing = tools::start_build_tools()?;
    run_line("cargo fetch")?;
    if !installing.is_empty() {
        run_line(&format!(
            "cargo build --release --target {} --bin portlight",
            tools::WASM_TARGET
        ))?;
        for package in also {
            run_line(&format!("cargo build --package {package}"))?;
        }
    }
    installing.finish()?;
    run_line("trunk build --release --offline")?;
    let dist = root().join("dist");
    if let Ok(extra) = std::env::var("PORTLIGHT_CONNECT_SRC") {
        let index = dist.join("index.html");
        let html =
            std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
        let html = allow_origins(&html, &extra)?;
        std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))?;
        println!("connect-src: 'self' {}", extra.trim());
    }
    size_report(&dist)
}

/// Adds `origins` (space-separated `scheme://host[:port]`) to the page's `connect-src 'self'`.
/// Anything that is not a plain origin is refused: the list goes into a security policy.
pub fn allow_origins(html: &str, origins: &str) -> Result<String, String> {
    const SELF_ONLY: &str = "connect-src 'self'";
    let mut list = Vec::new();
    for origin in origins.split_whitespace() {
        let plain = origin
            .split_once("://")
            .filter(|(scheme, _)| *scheme == "https" || *scheme == "http")
            .is_some_and(|(_, host)| {
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            });
        if !plain {
            return Err(format!(
                "PORTLIGHT_CONNECT_SRC: {origin:?} is not an origin (scheme://host[:port], no path)"
            ));
        }
        list.push(origin);
    }
    if !html.contains(SELF_ONLY) {
        return Err("index.html has no `connect-src 'self'` to extend".into());
    }
    Ok(html.replacen(SELF_ONLY, &format!("{SELF_ONLY} {}", list.join(" ")), 1))
}

/// gzip -9 size of every file the browser loads from dist/.
pub fn size_report(dist: &Path) -> Result<SizeReport, String> {
    let mut assets = Vec::new();
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        assets.push(Asset {
            name: entry.file_name().to_string_lossy().into_owned(),
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes),
        });
    }
    assets.sort_by_key(|a| std::cmp::Reverse(a.gzip));
    Ok(SizeReport { assets })
}

pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory").len() as u64
}

/// The simulator, run by cargo; its options follow.
const SIMULATOR: &str = "cargo run --quiet --package portainer-sim --";

/// Build, then serve dist/ and the demo data from the simulator, same origin, on :9000.
/// `sim_args` are simulator options, checked by [`check_demo_args`].
pub fn demo(sim_args: &[String]) -> Result<(), String> {
    if sim_args.iter().any(|a| a == "-h" || a == "--help") {
        return run_line(&format!("{SIMULATOR} --help"));
    }
    let report = release_build_while_installing(&["portainer-sim"])?;
    println!("{report}");
    let mut sim = command_line(SIMULATOR);
    sim.arg("--assets").arg(root().join("dist"));
    if !sim_args.iter().any(|a| option_name(a) == "--listen") {
        sim.args(["--listen", "127.0.0.1:9000"]);
    }
    sim.args(sim_args);
    println!(
        "\nPortlight demo: open the URL below in a browser and paste one of the tokens it prints.\n"
    );
    run_with(sim)
}

/// Refuses what cannot be a simulator option before the build: a word that follows no option
/// (every simulator option takes a value, e.g. `--version 2.19` or `--version=2.19`), and
/// `--assets`, which the demo sets to dist/ itself. Unknown `--options` are left to the
/// simulator, which names them.
pub fn check_demo_args(args: &[String]) -> Result<(), String> {
    let mut after_option = false;
    for arg in args {
        if option_name(arg) == "--assets" {
            return Err(
                "`cargo xtask demo` serves dist/ itself: run `cargo run -p portainer-sim -- \
                 --assets DIR` to serve another folder"
                    .into(),
            );
        }
        if arg.starts_with('-') {
            after_option = arg.starts_with("--") && !arg.contains('=');
        } else if after_option {
            after_option = false;
        } else {
            return Err(format!(
                "`cargo xtask demo` takes simulator options (e.g. `--version 2.19`), not `{arg}`; \
                 `cargo xtask demo --help` lists them"
            ));
        }
    }
    Ok(())
}

/// `--listen` for both `--listen ADDR` and `--listen=ADDR`.
fn option_name(arg: &str) -> &str {
    arg.split('=').next().unwrap_or(arg)
}

/// trunk serve with hot reload on :8080; the simulator answers /api on :9000.
pub fn dev() -> Result<(), String> {
    tools::ensure_build_tools()?;
    let mut sim = command_line(&format!("{SIMULATOR} --listen 127.0.0.1:9000"))
        .spawn()
        .map_err(|e| format!("could not start the simulator: {e}"))?;
    println!(
        "Simulator on http://127.0.0.1:9000 (tokens above); Portlight on http://127.0.0.1:8080"
    );
    let result = run_line("trunk serve --offline");
    let _ = sim.kill();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_src_takes_plain_origins_only() {
        let html = "<meta content=\"default-src 'self'; connect-src 'self'; object-src 'none'\">";
        let out =
            allow_origins(html, " https://p.example.com:9444  http://10.0.0.5:9000 ").unwrap();
        assert!(
            out.contains(
                "connect-src 'self' https://p.example.com:9444 http://10.0.0.5:9000; object-src"
            ),
            "{out}"
        );
        for bad in [
            "https://p.example.com/api",
            "javascript:x",
            "*",
            "https://a.example; script-src *",
            "ftp://x",
        ] {
            assert!(allow_origins(html, bad).is_err(), "{bad}");
        }
        assert!(allow_origins("<meta>", "https://a").is_err());
    }

    #[test]
    fn gzip_shrinks_repetitive_bytes_and_report_sums_them() {
        let big = vec![b'a'; 100_000];
        let small = gzip_len(&big);
        assert!(small < 1_000, "{small}");
        let report = SizeReport {
            assets: vec![
                Asset {
                    name: "a".into(),
                    raw: 10,
                    gzip: 100 * 1024,
                },
                Asset {
                    name: "b".into(),
                    raw: 10,
                    gzip: 51 * 1024,
                },
            ],
        };
        assert!(report.over_budget());
        assert!(!report.over_ceiling());
        assert!(report.to_string().contains("OVER"));
    }
}
