//! `NetBox` awareness through the binary: the `PLUGINS` line after `build`, plugins in
//! `inspect --format json`, the `--netbox` gate in `build` (an older compatible plugin version is
//! chosen; an exact pin fails naming the range) and `verify`, and `diff` between two archives.
//! Plugin wheels are generated with realistic `__init__.py` files; `real_pypi_plugins` (opt-in,
//! `NBWHEEL_REAL_PYPI=1`) checks published plugins.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{FakeIndex, Release, WheelSpec};

use crate::common::{self, nbwheel};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A plugin package's `__init__.py`, written the way published plugins write it.
fn plugin_init(module: &str, version: &str, min: &str, max: &str, required: &[&str]) -> String {
    let required: Vec<String> = required.iter().map(|r| format!("\"{r}\"")).collect();
    format!(
        r#""""NetBox plugin {module}."""
from importlib.metadata import version as dist_version

from netbox.plugins import PluginConfig

__version__ = "{version}"

class PluginSettings(PluginConfig):
    name = "{module}"
    verbose_name = "{module} for NetBox"
    version = __version__
    min_version = "{min}"
    max_version = "{max}"
    base_url = "{module}"
    required_settings = [{required}]
    default_settings = {{
        "top_level_menu": True,  # show it in the top menu
    }}

    def ready(self):
        super().ready()

config = PluginSettings
"#,
        required = required.join(", ")
    )
}

fn plugin_release(dist: &str, module: &str, version: &str, min: &str, max: &str) -> Release {
    Release {
        import_name: Some(module.to_string()),
        ..Release::new(dist, version)
    }
    .file(
        &format!("{module}/__init__.py"),
        &plugin_init(module, version, min, max, &[]),
    )
}

/// netbox-plugin-dns (1.0 for `NetBox` 4.1-4.2, 1.1 for 4.3), netbox-floorplan-plugin (with a
/// required setting, depending on a helper whose package binds a non-plugin `config`), and a
/// plugin in a namespace package.
fn releases() -> Vec<Release> {
    vec![
        plugin_release("netbox-plugin-dns", "netbox_dns", "1.0.0", "4.1.0", "4.2.99"),
        plugin_release("netbox-plugin-dns", "netbox_dns", "1.1.0", "4.3.0", "4.3.99"),
        Release {
            import_name: Some("netbox_floorplan".into()),
            ..Release::new("netbox-floorplan-plugin", "0.6.0")
        }
        .depends(&["floorplan-helpers>=1"])
        .file(
            "netbox_floorplan/__init__.py",
            &plugin_init("netbox_floorplan", "0.6.0", "4.1.0", "4.3.99", &["storage_backend"]),
        ),
        Release {
            import_name: Some("floorplan_helpers".into()),
            ..Release::new("floorplan-helpers", "1.0")
        }
        .file(
            "floorplan_helpers/__init__.py",
            "# Not a NetBox plugin, though it mentions PluginConfig.\nconfig = {\"units\": \"metric\"}\n",
        ),
        Release {
            import_name: Some("acme/netbox_rack".into()),
            ..Release::new("acme-netbox-rack", "2.0")
        }
        .file(
            "acme/netbox_rack/__init__.py",
            "from netbox.plugins import PluginConfig as Base\nclass RackConfig(Base): name = 'acme.netbox_rack'; min_version = '4.0'\nconfig = RackConfig\n",
        ),
    ]
}

fn build(index: &FakeIndex, dir: &Path, reqs: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(dir)
        .args(["build", "-q", "--index-url", &index.url(), "--retries", "0"])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

fn versions(report: &serde_json::Value) -> Vec<String> {
    report["archives"][0]["wheels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            format!(
                "{}=={}",
                w["name"].as_str().unwrap(),
                w["version"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn build_ends_with_the_plugins_line_and_inspect_shows_the_same() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns\nnetbox-floorplan-plugin\nacme-netbox-rack\n",
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let tail = &stdout[stdout
        .find("# NetBox configuration")
        .expect("the PLUGINS block")..];
    insta::assert_snapshot!("build_plugins_block", tail);

    let archive = dir.path().join("wheelhouse.tar.gz");
    let o = nbwheel()
        .args(["inspect", "--format", "json"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let report = json(&o);
    let plugins: Vec<serde_json::Value> = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            serde_json::json!({
                "module": p["module"],
                "package": p["package"],
                "version": p["version"],
                "min_version": p["min_version"],
                "max_version": p["max_version"],
            })
        })
        .collect();
    insta::assert_snapshot!(
        "inspect_plugins",
        serde_json::to_string_pretty(&plugins).unwrap()
    );

    let o = nbwheel().arg("inspect").arg(&archive).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let inspect_tail = &stdout[stdout.find("# NetBox configuration").unwrap()..];
    assert_eq!(inspect_tail, tail);

    // JSON build output has the same plugins at the top level.
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns\n",
        &["--format", "json", "-o", "dns.tar.gz"],
    );
    let report = json(&o);
    assert_eq!(report["plugins"][0]["module"], "netbox_dns");
    assert_eq!(report["plugins"][0]["package_version"], "1.1.0");
}

#[test]
fn netbox_gate_picks_an_older_compatible_plugin_and_refuses_an_exact_pin() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    // Without the gate the newest release wins; with NetBox 4.2.3 the 4.3-only one is skipped.
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns\n",
        &["--format", "json"],
    );
    assert_eq!(versions(&json(&o)), ["netbox-plugin-dns==1.1.0"]);
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns\nnetbox-floorplan-plugin\n",
        &["--format", "json", "--netbox", "4.2.3"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        versions(&json(&o)),
        [
            "floorplan-helpers==1.0",
            "netbox-floorplan-plugin==0.6.0",
            "netbox-plugin-dns==1.0.0"
        ]
    );

    // An exact pin on the 4.3-only release cannot be honoured: exit 1, naming plugin, range and
    // target.
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns==1.1.0\n",
        &["--netbox", "4.2.3", "-o", "pinned.tar.gz"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!dir.path().join("pinned.tar.gz").exists());
    let stderr =
        String::from_utf8_lossy(&o.stderr).replace(&dir.path().display().to_string(), "[TMP]");
    insta::assert_snapshot!("exact_pin_for_another_netbox", stderr);

    // `max_version = "4.3.99"` admits 4.3.5, `min_version = "4.3.0"` refuses 4.2.
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns\n",
        &["--format", "json", "--netbox", "4.3.5"],
    );
    assert_eq!(versions(&json(&o)), ["netbox-plugin-dns==1.1.0"]);
    let o = build(
        &index,
        dir.path(),
        "netbox-plugin-dns\n",
        &["--netbox", "five"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// Five releases of a plugin: the oldest two for NetBox 4.1-4.2, the newer three for 4.3-4.9.
const SPLIT_RELEASES: [(&str, &str, &str); 5] = [
    ("1.0.0", "4.1.0", "4.2.99"),
    ("2.0.0", "4.1.0", "4.2.99"),
    ("3.0.0", "4.3.0", "4.9.99"),
    ("4.0.0", "4.3.0", "4.9.99"),
    ("5.0.0", "4.3.0", "4.9.99"),
];

/// Several plugins each need to walk down several releases: every refusing release of each is
/// excluded in one round, down to its newest compatible one, and nothing older is probed past
/// it; the archive holds the newest compatible release of each.
#[test]
fn netbox_gate_walks_every_refusing_plugin_down_in_one_round() {
    let mut releases = Vec::new();
    for (dist, module) in [
        ("netbox-alpha", "netbox_alpha"),
        ("netbox-beta", "netbox_beta"),
    ] {
        for (version, min, max) in SPLIT_RELEASES {
            releases.push(plugin_release(dist, module, version, min, max));
        }
    }
    releases.push(plugin_release(
        "netbox-gamma",
        "netbox_gamma",
        "1.0.0",
        "4.1.0",
        "4.9.99",
    ));
    let index = FakeIndex::start(releases);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "netbox-alpha\nnetbox-beta\nnetbox-gamma\n",
    )
    .unwrap();
    let o = nbwheel()
        .current_dir(dir.path())
        .args(["build", "-v", "--index-url", &index.url(), "--retries", "0"])
        .args([
            "--cache-dir",
            "cache",
            "--format",
            "json",
            "--netbox",
            "4.2.3",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        versions(&json(&o)),
        [
            "netbox-alpha==2.0.0",
            "netbox-beta==2.0.0",
            "netbox-gamma==1.0.0"
        ]
    );
    let log = String::from_utf8_lossy(&o.stderr);
    for dist in ["netbox-alpha", "netbox-beta"] {
        for v in ["5.0.0", "4.0.0", "3.0.0"] {
            assert_eq!(
                log.matches(&format!("Excluding `{dist}` {v}:")).count(),
                1,
                "{log}"
            );
        }
        assert!(!log.contains(&format!("Excluding `{dist}` 2.0.0")), "{log}");
    }
    assert!(!log.contains("Excluding `netbox-gamma`"), "{log}");
}

/// The gate judges a plugin file as soon as the resolver decides on it and walks the refusing
/// plugin's older releases while the resolution still waits (here for a slow page), each
/// release read with one range request for the whole (small) file, none twice.
#[test]
fn netbox_gate_walks_older_releases_while_the_resolution_runs() {
    let mut releases = Vec::new();
    for (version, min, max) in SPLIT_RELEASES {
        releases.push(
            plugin_release("netbox-alpha", "netbox_alpha", version, min, max)
                .depends(&["slow-helper"])
                .file("netbox_alpha/static/data.txt", &noise(version)),
        );
    }
    releases.push(Release::new("slow-helper", "1.0"));
    let index = FakeIndex::start(releases);
    index.knobs().delay(
        "/simple/slow-helper",
        std::time::Duration::from_millis(1500),
    );
    let o = gated_build_logged(&index, "netbox-alpha\n");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        versions(&json(&o)),
        ["netbox-alpha==2.0.0", "slow-helper==1.0"]
    );
    let log = String::from_utf8_lossy(&o.stderr);
    let walk = log
        .find("`netbox-alpha` 5.0.0 is NetBox plugin `netbox_alpha` for NetBox 4.3.0 to 4.9.99")
        .unwrap_or_else(|| panic!("no walk during the resolution:\n{log}"));
    let resolved = log.find("Resolved 2 projects").expect("resolved");
    assert!(
        walk < resolved,
        "the walk started after the resolution:\n{log}"
    );
    for v in ["5.0.0", "4.0.0", "3.0.0"] {
        assert_eq!(
            log.matches(&format!("Excluding `netbox-alpha` {v}:"))
                .count(),
            1,
            "{log}"
        );
    }
    // One range request for the whole file per probed release (the index lists each file's
    // size: small, but more than the usual tail), shared by the walk during the resolution and
    // the gate's step after it.
    for v in ["1.0.0", "2.0.0", "3.0.0", "4.0.0", "5.0.0"] {
        let file = format!("netbox_alpha-{v}-py3-none-any.whl");
        let ranges = range_requests(&index, &file);
        let size = index.file(&file).bytes.len();
        assert!(size > 100_000, "{size}");
        assert_eq!(ranges, [format!("bytes=-{size}")], "{file}");
    }
}

/// The newest release of a requested plugin is probed as soon as its page is there (the file
/// the prefetch picks), not when the resolver decides on it: here its metadata is slow, and
/// the walk of the older releases is done before that metadata arrives.
#[test]
fn netbox_gate_probes_the_likely_release_before_the_resolver_decides() {
    let releases: Vec<Release> = SPLIT_RELEASES
        .iter()
        .map(|(version, min, max)| {
            plugin_release("netbox-alpha", "netbox_alpha", version, min, max)
        })
        .collect();
    let index = FakeIndex::start(releases);
    let slow = "/files/netbox_alpha-5.0.0-py3-none-any.whl.metadata";
    index
        .knobs()
        .delay(slow, std::time::Duration::from_millis(1500));
    let o = gated_build_logged(&index, "netbox-alpha\n");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(versions(&json(&o)), ["netbox-alpha==2.0.0"]);
    // Requests are recorded as they are answered.
    let answered = index.requests();
    let position = |path: &str| answered.iter().position(|r| r.path.ends_with(path));
    let metadata = position(slow).expect("the newest release's metadata");
    for v in ["4.0.0", "3.0.0", "2.0.0"] {
        let probe = position(&format!("netbox_alpha-{v}-py3-none-any.whl"))
            .unwrap_or_else(|| panic!("{v} was not probed"));
        assert!(
            probe < metadata,
            "{v} was probed after the newest release's metadata: {:?}",
            answered.iter().map(|r| &r.path).collect::<Vec<_>>()
        );
    }
}

/// A plugin whose `__init__.py` takes its version and bounds from `version.py` is still judged
/// by range requests (the central directory, `__init__.py`, then `version.py`), not downloaded.
#[test]
fn netbox_gate_reads_the_module_a_plugin_takes_its_bounds_from_by_ranges() {
    let release = |version: &str, min: &str, max: &str| {
        let init = plugin_init("netbox_beta", version, min, max, &[])
            .replace(
                "__version__ = \"",
                "from .version import NETBOX_MIN, NETBOX_MAX, __version__\n_ = \"",
            )
            .replace(
                &format!("min_version = \"{min}\""),
                "min_version = NETBOX_MIN",
            )
            .replace(
                &format!("max_version = \"{max}\""),
                "max_version = NETBOX_MAX",
            );
        Release {
            import_name: Some("netbox_beta".into()),
            ..Release::new("netbox-beta", version)
        }
        .file("netbox_beta/__init__.py", &init)
        .file(
            "netbox_beta/version.py",
            &format!(
                "__version__ = \"{version}\"\nNETBOX_MIN = \"{min}\"\nNETBOX_MAX = \"{max}\"\n"
            ),
        )
        // Members are stored in name order: the payload goes last, `version.py` stays out of
        // the tail that the first request fetches.
        .file("netbox_beta/zz_static/data.txt", &noise(version).repeat(4))
    };
    let index = FakeIndex::start([
        release("1.0.0", "4.1.0", "4.2.99"),
        release("2.0.0", "4.3.0", "4.9.99"),
    ]);
    let o = gated_build_logged(&index, "netbox-beta\n");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(versions(&json(&o)), ["netbox-beta==1.0.0"]);
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(
        log.contains(
            "Excluding `netbox-beta` 2.0.0: it is NetBox plugin `netbox_beta` for NetBox 4.3.0 to 4.9.99"
        ),
        "{log}"
    );
    for v in ["1.0.0", "2.0.0"] {
        let file = format!("netbox_beta-{v}-py3-none-any.whl");
        assert!(index.file(&file).bytes.len() > 600_000);
        assert!(
            log.contains(&format!("Probed `{file}` by range requests")),
            "{file} was not read by ranges:\n{log}"
        );
        let ranges = range_requests(&index, &file).len();
        assert_eq!(ranges, 3, "{file}: the tail, `__init__.py`, `version.py`");
    }
}

/// `nbwheel build -vv --netbox 4.2.3 --format json` of `reqs` in a fresh directory.
fn gated_build_logged(index: &FakeIndex, reqs: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    crate::common::build_logged(&index.url(), dir.path(), reqs, &["--netbox", "4.2.3"])
}

/// The `Range` headers of the requests made for `file`.
fn range_requests(index: &FakeIndex, file: &str) -> Vec<String> {
    index
        .requests()
        .iter()
        .filter(|r| r.path.ends_with(file))
        .filter_map(|r| r.range().map(str::to_string))
        .collect()
}

/// About 300 kB of text that deflate cannot shrink much (hex digits of a simple generator).
fn noise(seed: &str) -> String {
    let mut x: u64 = seed.bytes().fold(0x9e37_79b9_7f4a_7c15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut out = String::with_capacity(300_000);
    while out.len() < 300_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(&format!("{x:016x}"));
    }
    out
}

#[test]
fn verify_netbox_refuses_a_plugin_for_another_release() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    let o = build(&index, dir.path(), "netbox-plugin-dns==1.0.0\n", &[]);
    assert!(o.status.success(), "{}", text(&o));
    let archive = dir.path().join("wheelhouse.tar.gz");
    let verify = |netbox: &str| {
        nbwheel()
            .arg("verify")
            .arg(&archive)
            .args(["--netbox", netbox])
            .output()
            .unwrap()
    };
    let ok = verify("4.2.3");
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let refused = verify("4.3.0");
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let out = String::from_utf8_lossy(&refused.stdout)
        .replace(&archive.display().to_string(), "[ARCHIVE]");
    let out: String = out
        .lines()
        .map(|l| match l.find("sha256:") {
            Some(at) => format!("{}sha256:[SHA]\n", &l[..at]),
            None => format!("{l}\n"),
        })
        .collect();
    insta::assert_snapshot!("verify_netbox_refused", out);
}

/// Writes `wheelhouse/` with the given wheels and packs it with `tar`.
fn hand_packed(dir: &Path, name: &str, wheels: &[WheelSpec]) -> PathBuf {
    let root = dir.join(name);
    let wh = root.join("wheelhouse");
    std::fs::create_dir_all(&wh).unwrap();
    std::fs::write(wh.join("requirements.txt"), "").unwrap();
    std::fs::write(wh.join("constraints.txt"), "").unwrap();
    for w in wheels {
        std::fs::write(wh.join(w.filename()), w.build()).unwrap();
    }
    let out = dir.join(format!("{name}.tar.gz"));
    let status = Command::new("tar")
        .arg("czf")
        .arg(&out)
        .arg("-C")
        .arg(&root)
        .arg("wheelhouse")
        .status()
        .unwrap();
    assert!(status.success());
    out
}

fn plugin_wheel(dist: &str, module: &str, version: &str) -> WheelSpec {
    let mut spec = WheelSpec::new(dist, version).file(
        &format!("{module}/__init__.py"),
        plugin_init(module, version, "4.0.0", "4.9.99", &[]).as_bytes(),
    );
    spec.import_name = Some(module.to_string());
    spec
}

#[test]
fn diff_lists_version_file_and_plugin_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old = hand_packed(
        dir.path(),
        "old",
        &[
            WheelSpec::new("django-tables", "1.0"),
            WheelSpec::new("pyyaml", "6.0.2"),
            WheelSpec::new("removed-lib", "1.0"),
            WheelSpec::new("rebuilt", "2.0"),
            WheelSpec::new("unchanged", "3.0"),
            plugin_wheel("netbox-plugin-dns", "netbox_dns", "1.0.0"),
            plugin_wheel("netbox-old-plugin", "netbox_old", "0.1"),
        ],
    );
    let new = hand_packed(
        dir.path(),
        "new",
        &[
            WheelSpec::new("django-tables", "1.2"),
            WheelSpec::new("pyyaml", "6.0.1"),
            WheelSpec::new("added-lib", "0.9"),
            WheelSpec::new("rebuilt", "2.0").tags("py2.py3-none-any"),
            WheelSpec::new("unchanged", "3.0"),
            plugin_wheel("netbox-plugin-dns", "netbox_dns", "1.1.0"),
            plugin_wheel("netbox-floorplan-plugin", "netbox_floorplan", "0.6.0"),
        ],
    );
    let filter = |s: &str| s.replace(&dir.path().display().to_string(), "[TMP]");
    let o = nbwheel().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    insta::assert_snapshot!("diff_text", filter(&String::from_utf8_lossy(&o.stdout)));
    let o = nbwheel()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    insta::assert_snapshot!("diff_json", filter(&String::from_utf8_lossy(&o.stdout)));
    let o = nbwheel().arg("diff").arg(&old).arg(&old).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("No changes"));
}

/// Opt-in (`NBWHEEL_REAL_PYPI=1`): published plugins whose import names differ from their
/// distribution names, downloaded from `PyPI` by the binary.
#[test]
fn real_pypi_plugins() {
    if std::env::var_os("NBWHEEL_REAL_PYPI").is_none_or(|v| v != "1") {
        eprintln!("skipped: set NBWHEEL_REAL_PYPI=1 to run against pypi.org");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let expected = [
        ("netbox-plugin-dns", "netbox_dns"),
        ("netbox-floorplan-plugin", "netbox_floorplan"),
        ("netbox-topology-views", "netbox_topology_views"),
        ("netbox-secrets", "netbox_secrets"),
        ("netbox-qrcode", "netbox_qrcode"),
    ];
    let reqs: Vec<&str> = expected.iter().map(|(d, _)| *d).collect();
    let reqs = reqs.join("\n") + "\n";
    std::fs::write(dir.path().join("requirements.txt"), reqs).unwrap();
    let o = common::host_network(&mut nbwheel())
        .current_dir(dir.path())
        .args(["build", "-q", "--format", "json", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let report = json(&o);
    let found: Vec<(String, String)> = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["package"].as_str().unwrap().to_string(),
                p["module"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (dist, module) in expected {
        assert!(
            found.iter().any(|(d, m)| d == dist && m == module),
            "`{dist}` should provide `{module}`; found {found:?}"
        );
    }
}
