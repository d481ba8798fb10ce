//! `cargo xtask bench`: measured figures for BENCHMARKS.md (never asserted in tests).

pub fn run(_args: &[String]) -> Result<(), String> {
    let report = crate::build::release_build()?;
    println!("{report}");
    Ok(())
}
