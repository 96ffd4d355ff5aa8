//! The `--netbox VERSION` gate during `build`: an incompatible plugin version is treated as
//! unavailable, so the resolver picks a compatible one where the requirements allow it.
//!
//! Input: the target `NetBox` release (or none), a [`Probe`], a closure that resolves with a set
//! of excluded `(project, version)` pairs and one that downloads a resolution. Output: the final
//! resolutions and downloads and the plugins of each target's closure. Each round resolves and
//! asks the probe which chosen plugin versions refuse the target; the probe reads only each
//! wheel's `__init__.py` files (and the modules they take their bounds from) by range requests
//! (remembered per sha256) and, for each refusing plugin, excludes every older incompatible
//! version down to the newest compatible one at once (with the reason, which a failed
//! resolution prints). The probes and walks start as the resolver decides on each file
//! ([`Probe::decided`]), so most of them are answered when the round asks. Only a resolution the probe accepts is
//! downloaded; the plugins are then detected in the downloaded wheels as a last check (a
//! disagreement starts another round). At most [`MAX_ROUNDS`] rounds. An exact `==` pin on an
//! excluded version therefore ends in the resolver's "no solution" error naming the plugin, its
//! range and the target.

use std::collections::{BTreeMap, HashMap};

use pep440_rs::Version;
use pep508_rs::PackageName;
use url::Url;

use super::probe::Probe;
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

/// Resolves until every plugin chosen supports `netbox` (when given), then downloads.
pub fn resolve_compatible<R, D>(
    netbox: Option<&Version>,
    probe: &Probe,
    mut resolve: R,
    mut download: D,
) -> Result<Gated, Error>
where
    R: FnMut(&Excluded) -> Result<Vec<Resolution>, Error>,
    D: FnMut(&[Resolution]) -> Result<BTreeMap<Url, Downloaded>, Error>,
{
    let mut excluded = Excluded::new();
    let mut memo: HashMap<String, Vec<Plugin>> = HashMap::new();
    let mut round = 0;
    loop {
        round += 1;
        let resolutions = resolve(&excluded)?;
        if let Some(netbox) = netbox {
            let new = probe.prune(&resolutions, netbox, &excluded)?;
            if !new.is_empty() {
                give_up_after(round, netbox, &new)?;
                excluded.extend(new);
                continue;
            }
        }
        let downloaded = download(&resolutions)?;
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
        let new = refused(&resolutions, &plugins, netbox, &excluded);
        if new.is_empty() {
            return Ok(Gated {
                resolutions,
                downloaded,
                plugins,
            });
        }
        give_up_after(round, netbox, &new)?;
        excluded.extend(new);
    }
}

/// The error once [`MAX_ROUNDS`] rounds still leave incompatible plugin versions.
fn give_up_after(round: usize, netbox: &Version, new: &Excluded) -> Result<(), Error> {
    if round < MAX_ROUNDS {
        return Ok(());
    }
    let details: Vec<String> = new
        .iter()
        .map(|((name, version), why)| format!("  `{name}` {version} {why}"))
        .collect();
    Err(crate::netbox::NetboxError::Incompatible {
        netbox: netbox.to_string(),
        rounds: round,
        details: details.join("\n"),
    }
    .into())
}

/// The chosen plugin versions that refuse `netbox`, by the plugins found in the downloads.
fn refused(
    resolutions: &[Resolution],
    plugins: &[Vec<Plugin>],
    netbox: &Version,
    excluded: &Excluded,
) -> Excluded {
    let mut new = Excluded::new();
    for (r, found) in resolutions.iter().zip(plugins) {
        for plugin in found {
            let Err(reason) = check_compatible(plugin, netbox) else {
                continue;
            };
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
                new.insert(key, reason);
            }
        }
    }
    new
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
