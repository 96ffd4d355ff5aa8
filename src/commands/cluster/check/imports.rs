//! The plugins as the running pod sees them: a fixed script imports each plugin module, reads
//! its distribution's installed version and `PLUGINS`; each must import, have the archive's
//! version and be listed.

use serde::Deserialize;

use super::{CheckReport, PluginCheck, a, clean, json};
use crate::commands::Error;
use crate::commands::cluster::Kubectl;
use crate::netbox::Plugin;

/// Run in the pod as `python3 -c IMPORT_SCRIPT MODULE=DIST…`: prints one JSON object with
/// `PLUGINS` and, per module, whether it imports and its distribution's version. Without
/// arguments it checks the modules listed in `PLUGINS`.
pub const IMPORT_SCRIPT: &str = r"import importlib,json,os,sys
import importlib.metadata as md
sys.path.insert(0,'/opt/netbox/netbox')
os.environ.setdefault('DJANGO_SETTINGS_MODULE','netbox.settings')
def err(e): return (type(e).__name__+': '+str(e))[:400]
out={'plugins':None,'plugins_error':None,'setup_error':None,'modules':{}}
try:
    from netbox.configuration import PLUGINS
    out['plugins']=[str(p) for p in PLUGINS]
except Exception as e:
    out['plugins_error']=err(e)
try:
    import django
    django.setup()
except Exception as e:
    out['setup_error']=err(e)
todo=sys.argv[1:] or [p+'=' for p in (out['plugins'] or [])]
for a in todo:
    mod,_,dist=a.partition('=')
    r={'imported':False,'version':None,'error':None}
    if dist:
        try: r['version']=md.version(dist)
        except Exception as e: r['error']=err(e)
    try:
        importlib.import_module(mod); r['imported']=True
    except Exception as e:
        r['error']=err(e)
    out['modules'][mod]=r
print(json.dumps(out))
";

#[derive(Deserialize)]
struct Imports {
    plugins: Option<Vec<String>>,
    plugins_error: Option<String>,
    setup_error: Option<String>,
    #[serde(default)]
    modules: std::collections::BTreeMap<String, ModuleState>,
}

#[derive(Deserialize)]
struct ModuleState {
    imported: bool,
    version: Option<String>,
    error: Option<String>,
}

/// Every plugin imports in `pod`, at the archive's version, and is in `PLUGINS`.
pub(super) fn check_imports(
    k: &Kubectl,
    ns: &str,
    pod: &str,
    expected: Option<&[Plugin]>,
    report: &mut CheckReport,
) -> Result<(), Error> {
    let mut args = a(&["exec", "-n", ns, pod, "--", "python3", "-c", IMPORT_SCRIPT]);
    for p in expected.unwrap_or_default() {
        args.push(format!("{}={}", p.module, p.package));
    }
    let out = k.read(&args)?;
    let state: Imports = json(k, &args, out.trim())?;
    if let Some(e) = &state.plugins_error {
        report.findings.push(format!(
            "`PLUGINS` could not be read in pod `{pod}`: {}",
            clean(e, 400)
        ));
    }
    if let Some(e) = &state.setup_error {
        report.findings.push(format!(
            "Django does not start in pod `{pod}` with this configuration: {}",
            clean(e, 400)
        ));
    }
    let listed = state.plugins.unwrap_or_default();
    let wanted: Vec<(String, String, Option<String>)> = match expected {
        Some(plugins) => plugins
            .iter()
            .map(|p| {
                (
                    p.module.clone(),
                    p.package.clone(),
                    Some(p.package_version.clone()),
                )
            })
            .collect(),
        None => listed
            .iter()
            .map(|m| (clean(m, 200), String::new(), None))
            .collect(),
    };
    for (module, package, version) in wanted {
        let got = state.modules.get(&module);
        let check = PluginCheck {
            in_plugins: listed.contains(&module),
            imported: got.is_some_and(|g| g.imported),
            installed: got.and_then(|g| g.version.as_deref()).map(|v| clean(v, 64)),
            expected: version.clone(),
            module: module.clone(),
            package,
        };
        plugin_findings(&check, got.and_then(|g| g.error.as_deref()), pod, report);
        report.plugins.push(check);
    }
    Ok(())
}

fn plugin_findings(c: &PluginCheck, error: Option<&str>, pod: &str, report: &mut CheckReport) {
    let m = &c.module;
    if !c.imported {
        report.findings.push(format!(
            "`import {m}` fails in pod `{pod}`: {}",
            error.map_or_else(|| "no answer".to_string(), |e| clean(e, 400))
        ));
    }
    if let Some(want) = &c.expected {
        let same = match (c.installed.as_deref(), want) {
            (Some(have), want) => {
                have.parse::<pep440_rs::Version>().ok() == want.parse::<pep440_rs::Version>().ok()
            }
            (None, _) => false,
        };
        if !same {
            report.findings.push(format!(
                "`{}` in pod `{pod}` is {}, the archive has {want}",
                c.package,
                c.installed
                    .as_deref()
                    .map_or_else(|| "not installed".to_string(), |v| format!("version {v}"))
            ));
        }
    }
    if !c.in_plugins {
        report.findings.push(format!(
            "`{m}` is not in `PLUGINS` of the running configuration (`nbwheel config ARCHIVE --patch` prints the patch)"
        ));
    }
}
