//! The `--netbox VERSION` gate during `build`: an incompatible plugin version is treated as
//! unavailable, so the resolver picks a compatible one where the requirements allow it.
//!
//! Input: the target `NetBox` release (or none) and a closure that resolves and downloads with a
//! set of excluded `(project, version)` pairs. Output: the final resolutions and downloads and
//! the plugins of each target's closure. Each round detects the plugins in the downloaded
//! wheels; when one's `min_version`/`max_version` excludes the target, that version is added to
//! the exclusions (with the reason, which a failed resolution prints) and the closure runs
//! again, at most [`MAX_ROUNDS`] times. An exact `==` pin on an excluded version therefore ends
//! in the resolver's "no solution" error naming the plugin, its range and the target.

use std::collections::{BTreeMap, HashMap};

use pep440_rs::Version;
use pep508_rs::PackageName;
use url::Url;

use crate::commands::Error;
use crate::index::client::Downloaded;
use crate::netbox::{Plugin, check_compatible, detect_plugins};
use crate::resolve::Resolution;

/// How many resolutions are tried before giving up.
pub const MAX_ROUNDS: usize = 40;

/// Versions the resolver must not choose, with the reason shown when it fails.
pub type Excluded = BTreeMap<(PackageName, Version), String>;

/// What the last round produced.
pub struct Gated {
    /// One resolution per target.
    pub resolutions: Vec<Resolution>,
    /// Every downloaded file, by URL.
    pub downloaded: BTreeMap<Url, Downloaded>,
    /// The plugins of each resolution, in the same order, sorted by module.
    pub plugins: Vec<Vec<Plugin>>,
}

/// Runs `attempt` until every plugin it chooses supports `netbox` (when given).
pub fn resolve_compatible<F>(netbox: Option<&Version>, mut attempt: F) -> Result<Gated, Error>
where
    F: FnMut(&Excluded) -> Result<(Vec<Resolution>, BTreeMap<Url, Downloaded>), Error>,
{
    let mut excluded = Excluded::new();
    let mut memo: HashMap<String, Vec<Plugin>> = HashMap::new();
    let mut round = 0;
    loop {
        round += 1;
        let (resolutions, downloaded) = attempt(&excluded)?;
        let plugins: Vec<Vec<Plugin>> = resolutions
            .iter()
            .map(|r| plugins_of(r, &downloaded, &mut memo))
            .collect();
        let Some(netbox) = netbox else {
            return Ok(Gated {
                resolutions,
                downloaded,
                plugins,
            });
        };
        let mut new = Vec::new();
        for (r, found) in resolutions.iter().zip(&plugins) {
            for plugin in found {
                if let Err(reason) = check_compatible(plugin, netbox) {
                    let Some(p) = r
                        .packages
                        .iter()
                        .find(|p| p.name.as_ref() == plugin.package)
                    else {
                        continue;
                    };
                    let key = (p.name.clone(), p.version.clone());
                    if !excluded.contains_key(&key) {
                        tracing::info!("Excluding `{}` {}: it {reason}", p.name, p.version);
                        new.push((key, reason));
                    }
                }
            }
        }
        if new.is_empty() {
            return Ok(Gated {
                resolutions,
                downloaded,
                plugins,
            });
        }
        if round >= MAX_ROUNDS {
            let details: Vec<String> = new
                .iter()
                .map(|((name, version), why)| format!("  `{name}` {version} {why}"))
                .collect();
            return Err(crate::netbox::NetboxError::Incompatible {
                netbox: netbox.to_string(),
                rounds: round,
                details: details.join("\n"),
            }
            .into());
        }
        excluded.extend(new);
    }
}

/// The plugins in a resolution's downloaded wheels, sorted by module; wheels that cannot be read
/// are skipped here (validation reports them).
fn plugins_of(
    resolution: &Resolution,
    downloaded: &BTreeMap<Url, Downloaded>,
    memo: &mut HashMap<String, Vec<Plugin>>,
) -> Vec<Plugin> {
    let mut out = Vec::new();
    for p in &resolution.packages {
        let (Some(wheel), Some(d)) = (&p.file.wheel, downloaded.get(&p.file.url)) else {
            continue;
        };
        if let Some(found) = memo.get(&d.sha256) {
            out.extend(found.iter().cloned());
            continue;
        }
        let found = match detect_plugins(&d.path, wheel) {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!("Plugin detection skipped `{}`: {e}", wheel.filename());
                Vec::new()
            }
        };
        out.extend(found.iter().cloned());
        memo.insert(d.sha256.clone(), found);
    }
    out.sort_by(|a, b| a.module.cmp(&b.module));
    out
}
