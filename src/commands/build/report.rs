//! What `build` and `resolve` report: the per-archive and per-wheel facts the binary renders
//! as text or JSON, and the text form of `resolve`'s pins.

use std::path::PathBuf;

/// One wheel of an archive.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WheelReport {
    /// The normalised project name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The file name.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// sha256, hex.
    pub sha256: String,
    /// Where it came from (index URL without credentials, find-links folder, or direct).
    pub source: String,
    /// True when it was not downloaded in this run (cache or local folder).
    #[serde(skip)]
    pub reused: bool,
}

/// One archive built for one target.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArchReport {
    /// The target, e.g. `CPython 3.12 on manylinux_2_28_x86_64`.
    pub target: String,
    /// The architecture.
    pub arch: String,
    /// Every wheel in the archive, sorted by name.
    pub wheels: Vec<WheelReport>,
    /// The archive path.
    pub archive: PathBuf,
    /// The archive's sha256.
    pub sha256: String,
    /// The archive's size in bytes.
    pub size: u64,
    /// The `NetBox` plugins among its wheels.
    pub plugins: Vec<crate::netbox::Plugin>,
}

/// Wall-clock time per stage.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    /// Resolution, all targets.
    pub resolve_ms: u128,
    /// Downloads.
    pub download_ms: u128,
    /// Checking and packing.
    pub pack_ms: u128,
    /// The whole command.
    pub total_ms: u128,
}

/// What `build` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    /// One entry per archive.
    pub archives: Vec<ArchReport>,
    /// Warnings shown to the user.
    pub warnings: Vec<String>,
    /// Timings.
    pub timings: Timings,
    /// The `NetBox` plugins of every archive, sorted by module (for `PLUGINS = [...]`).
    pub plugins: Vec<crate::netbox::Plugin>,
}

/// One resolved project, for `resolve`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PinReport {
    /// The normalised project name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The extras used.
    pub extras: Vec<String>,
    /// The chosen file.
    pub file: String,
    /// Its sha256 as the index gives it (absent when the index gives none).
    pub sha256: Option<String>,
    /// Where it comes from.
    pub source: String,
    /// The source distribution `file` was built from (`--allow-sdist`): the wheel is not a
    /// published file, and its hash is that of this machine's build. Absent for published wheels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub built_from: Option<String>,
}

/// What `resolve` found for one target.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TargetPins {
    /// The target.
    pub target: String,
    /// The architecture.
    pub arch: String,
    /// The pins, sorted by name.
    pub packages: Vec<PinReport>,
}

/// What `resolve` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResolveReport {
    /// One entry per target.
    pub targets: Vec<TargetPins>,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// Renders `resolve` output in requirements format: one line per project with its hash and,
/// as a comment, the source it comes from.
pub fn render_pins(report: &ResolveReport) -> String {
    let mut out = String::new();
    for t in &report.targets {
        out.push_str(&format!("# {} ({} projects)\n", t.target, t.packages.len()));
        for p in &t.packages {
            let extras = if p.extras.is_empty() {
                String::new()
            } else {
                format!("[{}]", p.extras.join(","))
            };
            let hash = p
                .sha256
                .as_ref()
                .map_or_else(String::new, |h| format!(" --hash=sha256:{h}"));
            let sdist = p.built_from.as_ref().map_or_else(String::new, |s| {
                format!(" (built from the source distribution {s})")
            });
            out.push_str(&format!(
                "{}{extras}=={}{hash}  # from {}{sdist}\n",
                p.name, p.version, p.source
            ));
        }
    }
    out
}
