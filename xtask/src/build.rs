//! Release build, demo and dev server.

use crate::cmd::{command, root, run, run_with};
use crate::tools;
use std::io::Write;
use std::path::Path;

/// The whole app (HTML, JS, wasm, CSS) should stay under this many gzip bytes (the mission's
/// budget; see BENCHMARKS.md for where it stands).
pub const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

/// The build fails above this: a regression guard while the app is over its budget.
pub const CEILING_GZIP_BYTES: u64 = 560 * 1024;

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

/// `trunk build --release` into dist/, offline, with npm's wasm-opt.
pub fn release_build() -> Result<SizeReport, String> {
    tools::ensure_build_tools()?;
    run("cargo", &["fetch"])?;
    run("trunk", &["build", "--release", "--offline"])?;
    size_report(&root().join("dist"))
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

/// Build, then serve dist/ and the demo data from the simulator, same origin, on :9000.
pub fn demo(sim_args: &[String]) -> Result<(), String> {
    let report = release_build()?;
    println!("{report}");
    let dist = root().join("dist");
    let mut args = vec![
        "run",
        "--quiet",
        "--package",
        "portainer-sim",
        "--",
        "--assets",
        dist.to_str().ok_or("dist path is not UTF-8")?,
    ];
    let has_listen = sim_args.iter().any(|a| a == "--listen");
    if !has_listen {
        args.extend(["--listen", "127.0.0.1:9000"]);
    }
    args.extend(sim_args.iter().map(String::as_str));
    println!(
        "\nPortlight demo: open the URL below in a browser and paste one of the tokens it prints.\n"
    );
    run("cargo", &args)
}

/// trunk serve with hot reload on :8080; the simulator answers /api on :9000.
pub fn dev() -> Result<(), String> {
    tools::ensure_build_tools()?;
    let mut sim = command(
        "cargo",
        &[
            "run",
            "--quiet",
            "--package",
            "portainer-sim",
            "--",
            "--listen",
            "127.0.0.1:9000",
        ],
    )
    .spawn()
    .map_err(|e| format!("could not start the simulator: {e}"))?;
    println!(
        "Simulator on http://127.0.0.1:9000 (tokens above); Portlight on http://127.0.0.1:8080"
    );
    let result = run_with(command("trunk", &["serve", "--offline"]));
    let _ = sim.kill();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

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
