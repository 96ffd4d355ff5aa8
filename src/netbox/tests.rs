use std::fmt::Write as _;
use std::io::{Cursor, Write as _};
use std::path::Path;

use zip::write::SimpleFileOptions;

use super::*;

fn wheel_name(filename: &str) -> WheelName {
    filename.parse().unwrap()
}

/// A wheel in memory: the given files, a METADATA, and a RECORD listing them all.
fn wheel_bytes(dist_info: &str, files: &[(&str, &str)], top_level: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    let mut record = String::new();
    for (path, text) in files {
        zip.start_file(*path, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        writeln!(record, "{path},sha256=x,{}", text.len()).unwrap();
    }
    if let Some(t) = top_level {
        zip.start_file(format!("{dist_info}/top_level.txt"), options)
            .unwrap();
        zip.write_all(t.as_bytes()).unwrap();
    }
    zip.start_file(format!("{dist_info}/METADATA"), options)
        .unwrap();
    zip.write_all(b"Metadata-Version: 2.1\n").unwrap();
    writeln!(record, "{dist_info}/RECORD,,").unwrap();
    zip.start_file(format!("{dist_info}/RECORD"), options)
        .unwrap();
    zip.write_all(record.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/netbox")
}

/// Every fixture `__init__.py`, read as the plugin package `netbox_fixture` of a wheel.
#[test]
fn fixture_modules() {
    let mut entries: Vec<_> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    entries.sort();
    let mut out = String::new();
    let wheel = wheel_name("netbox_fixture-1.0-py3-none-any.whl");
    for path in entries {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let found = python::parse_plugin_module(&source)
            .map(|class| plugin_from_class("netbox_fixture".into(), &wheel, &class));
        let rendered = match found {
            Some(p) => format!("class → {}", serde_json::to_string_pretty(&p).unwrap()),
            None => "not a plugin".to_string(),
        };
        writeln!(out, "## {name}\n{rendered}\n").unwrap();
    }
    insta::assert_snapshot!(out);
}

#[test]
fn packages_of_a_wheel() {
    let dns = std::fs::read_to_string(fixture_dir().join("01-netbox_dns.py")).unwrap();
    let floorplan = std::fs::read_to_string(fixture_dir().join("02-netbox_floorplan.py")).unwrap();
    let not_plugin = std::fs::read_to_string(fixture_dir().join("05-not_a_plugin.py")).unwrap();
    let inline = std::fs::read_to_string(fixture_dir().join("03-inline_class.py")).unwrap();
    let bytes = wheel_bytes(
        "netbox_multi-2.0.dist-info",
        &[
            ("netbox_dns/__init__.py", &dns),
            ("netbox_dns/models.py", "class Zone: pass\n"),
            ("helpers/__init__.py", &not_plugin),
            // A namespace package: `acme` has no `__init__.py`.
            ("acme/netbox_floorplan/__init__.py", &floorplan),
            ("acme/netbox_floorplan/views.py", ""),
            // Installed to purelib: a top-level package once installed.
            (
                "netbox_multi-2.0.data/purelib/netbox_inline/__init__.py",
                &inline,
            ),
            (
                "netbox_multi-2.0.data/scripts/netbox_fake/__init__.py",
                &dns,
            ),
            ("single_module.py", "PluginConfig = None\n"),
        ],
        None,
    );
    let wheel = wheel_name("netbox_multi-2.0-py3-none-any.whl");
    let found = detect_plugins_in(Cursor::new(bytes), &wheel).unwrap();
    let modules: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|p| (p.module.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(
        modules,
        vec![
            ("acme.netbox_floorplan", Some("0.6.0")),
            ("netbox_dns", None),
            ("netbox_inline", Some("1.2.3")),
        ]
    );
    assert!(found.iter().all(|p| p.package == "netbox-multi"));
    assert!(found.iter().all(|p| p.package_version == "2.0"));
}

#[test]
fn top_level_txt_adds_packages_record_misses() {
    let dns = std::fs::read_to_string(fixture_dir().join("01-netbox_dns.py")).unwrap();
    let mut bytes = wheel_bytes(
        "x-1.dist-info",
        &[("x/__init__.py", "")],
        Some("x\nother\n"),
    );
    // Add a package that RECORD does not list (a sloppy wheel): found through top_level.txt.
    let mut zip = zip::ZipWriter::new_append(Cursor::new(&mut bytes)).unwrap();
    zip.start_file("other/__init__.py", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(dns.as_bytes()).unwrap();
    zip.finish().unwrap();
    let found = detect_plugins_in(Cursor::new(bytes), &wheel_name("x-1-py3-none-any.whl")).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].module, "other");
}

fn split_fixture(case: &str, file: &str) -> String {
    std::fs::read_to_string(fixture_dir().join("split").join(case).join(file)).unwrap()
}

/// netbox-cvexplorer 1.0.31: `__init__.py` only says `from .plugin import config`.
#[test]
fn config_imported_from_a_module_of_the_package() {
    let init = split_fixture("config_in_submodule", "__init__.py");
    let plugin = split_fixture("config_in_submodule", "plugin.py");
    let bytes = wheel_bytes(
        "netbox_cvexplorer-1.0.31.dist-info",
        &[
            ("cvexplorer/__init__.py", &init),
            ("cvexplorer/plugin.py", &plugin),
        ],
        None,
    );
    let wheel = wheel_name("netbox_cvexplorer-1.0.31-py3-none-any.whl");
    let found = detect_plugins_in(Cursor::new(bytes), &wheel).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].module, "cvexplorer");
    assert_eq!(found[0].name.as_deref(), Some("cvexplorer"));
    assert_eq!(found[0].version.as_deref(), Some("0.1.0"));
    assert!(found[0].dynamic.is_empty(), "{:?}", found[0].dynamic);
    // The same `__init__.py` without the module it names is not a plugin.
    let bytes = wheel_bytes(
        "netbox_cvexplorer-1.0.31.dist-info",
        &[("cvexplorer/__init__.py", &init)],
        None,
    );
    assert!(
        detect_plugins_in(Cursor::new(bytes), &wheel)
            .unwrap()
            .is_empty()
    );
}

/// netbox-quicklinks 0.1.1: `from netbox_quicklinks.config import NetboxQuickLinksConfig as
/// config`, and `version = __about__.__version__` from another module.
#[test]
fn config_class_imported_from_a_module_of_the_package() {
    let case = "config_class_imported";
    let files = ["__init__.py", "config.py", "__about__.py"].map(|f| split_fixture(case, f));
    let bytes = wheel_bytes(
        "netbox_quicklinks-0.1.1.dist-info",
        &[
            ("netbox_quicklinks/__init__.py", &files[0]),
            ("netbox_quicklinks/config.py", &files[1]),
            ("netbox_quicklinks/__about__.py", &files[2]),
        ],
        None,
    );
    let wheel = wheel_name("netbox_quicklinks-0.1.1-py3-none-any.whl");
    let found = detect_plugins_in(Cursor::new(bytes), &wheel).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let p = &found[0];
    assert_eq!(p.module, "netbox_quicklinks");
    assert_eq!(p.version.as_deref(), Some("0.1.1"));
    assert_eq!(p.min_version.as_deref(), Some("3.6"));
    assert_eq!(p.max_version, None);
    // `__namespace__ = __title__.replace("-", "_")` is not a literal.
    assert_eq!(p.name, None);
    assert!(p.dynamic.contains(&"name".to_string()), "{:?}", p.dynamic);
    assert!(check_compatible(p, &v("4.6.6")).is_ok());
    assert!(check_compatible(p, &v("3.5.9")).is_err());
}

/// netbox-geoview 0.9.0: `min_version = NETBOX_MIN_VERSION`, imported from `version.py`, so the
/// `--netbox` gate can check it.
#[test]
fn bounds_imported_from_a_module_of_the_package() {
    let init = split_fixture("constants_in_version_module", "__init__.py");
    let version = split_fixture("constants_in_version_module", "version.py");
    let bytes = wheel_bytes(
        "netbox_geoview-0.9.0.dist-info",
        &[
            ("netbox_geoview/__init__.py", &init),
            ("netbox_geoview/version.py", &version),
        ],
        None,
    );
    let wheel = wheel_name("netbox_geoview-0.9.0-py3-none-any.whl");
    let found = detect_plugins_in(Cursor::new(bytes), &wheel).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let p = &found[0];
    assert_eq!(p.module, "netbox_geoview");
    assert_eq!(p.min_version.as_deref(), Some("4.5.4"));
    assert_eq!(p.max_version.as_deref(), Some("4.7.3"));
    assert_eq!(p.version.as_deref(), Some("0.9.0"));
    // `verbose_name = _("Geo-View")` is a call: still unknown, and not a version attribute.
    assert!(
        !p.dynamic.iter().any(|a| a.ends_with("_version")),
        "{:?}",
        p.dynamic
    );
    assert!(check_compatible(p, &v("4.6.6")).is_ok());
    assert!(check_compatible(p, &v("4.5.3")).is_err());
    assert!(check_compatible(p, &v("4.8.0")).is_err());

    // Without `version.py` the bounds are unknown, as before: reported, never guessed.
    let bytes = wheel_bytes(
        "netbox_geoview-0.9.0.dist-info",
        &[("netbox_geoview/__init__.py", &init)],
        None,
    );
    let found = detect_plugins_in(Cursor::new(bytes), &wheel).unwrap();
    assert_eq!(found[0].min_version, None);
    assert!(found[0].dynamic.contains(&"min_version".to_string()));
}

/// Names imported from outside the wheel, from above the top package, or bound to something
/// that is not a literal stay unknown.
#[test]
fn imported_names_that_cannot_be_followed_stay_unknown() {
    let init = "from netbox.plugins import PluginConfig\n\
                from netbox.settings import VERSION\n\
                from ...outside import LOW\n\
                from .limits import HIGH, NOT_LITERAL\n\
                from . import limits\n\
                class C(PluginConfig):\n\
                \x20   name = 'x'\n\
                \x20   min_version = VERSION\n\
                \x20   max_version = LOW\n\
                \x20   version = NOT_LITERAL\n\
                \x20   base_url = limits.HIGH\n\
                config = C\n";
    let limits = "HIGH = '4.9'\nNOT_LITERAL = compute()\nif True:\n    HIGH = '9'\n";
    let bytes = wheel_bytes(
        "x-1.dist-info",
        &[("x/__init__.py", init), ("x/limits.py", limits)],
        None,
    );
    let found = detect_plugins_in(Cursor::new(bytes), &wheel_name("x-1-py3-none-any.whl")).unwrap();
    assert_eq!(found.len(), 1);
    let p = &found[0];
    assert_eq!(
        (p.min_version.as_deref(), p.max_version.as_deref()),
        (None, None)
    );
    assert_eq!(p.version, None);
    for attr in ["min_version", "max_version", "version"] {
        assert!(
            p.dynamic.contains(&attr.to_string()),
            "{attr}: {:?}",
            p.dynamic
        );
    }
}

#[test]
fn a_file_that_is_not_a_zip_is_an_integrity_error() {
    let e = detect_plugins_in(
        Cursor::new(b"not a zip".to_vec()),
        &wheel_name("x-1-py3-none-any.whl"),
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Integrity);
    assert!(
        e.to_string()
            .starts_with("`x-1-py3-none-any.whl` is not a readable zip")
    );
}

fn plugin(min: Option<&str>, max: Option<&str>) -> Plugin {
    Plugin {
        module: "netbox_x".into(),
        package: "netbox-x".into(),
        package_version: "1.0".into(),
        name: Some("netbox_x".into()),
        version: Some("1.0".into()),
        min_version: min.map(Into::into),
        max_version: max.map(Into::into),
        required_settings: Some(vec!["token".into()]),
        default_settings: None,
        dynamic: Vec::new(),
    }
}

fn v(s: &str) -> Version {
    Version::from_str(s).unwrap()
}

/// `NetBox` compares with `packaging.version`: `current < min` or `current > max` refuses.
#[test]
fn compatibility_follows_netbox_validate() {
    let p = plugin(Some("4.2.0"), Some("4.2.99"));
    assert!(check_compatible(&p, &v("4.2.0")).is_ok());
    assert!(check_compatible(&p, &v("4.2.3")).is_ok());
    assert!(check_compatible(&p, &v("4.2")).is_ok());
    assert!(check_compatible(&p, &v("4.1.11")).is_err());
    assert!(check_compatible(&p, &v("4.3.0")).is_err());
    // `max_version = "4.2"` admits 4.2.0 only: 4.2.3 > 4.2.
    let short = plugin(None, Some("4.2"));
    assert!(check_compatible(&short, &v("4.2.0")).is_ok());
    assert!(check_compatible(&short, &v("4.2.3")).is_err());
    // Pre-releases compare as PEP 440 says: 4.3.0b1 < 4.3.0.
    let min = plugin(Some("4.3.0"), None);
    assert!(check_compatible(&min, &v("4.3.0b1")).is_err());
    assert!(check_compatible(&min, &v("5.0")).is_ok());
    // Bounds that are not versions are not guessed at.
    assert!(check_compatible(&plugin(Some("four"), None), &v("4.0")).is_ok());
    assert_eq!(
        check_compatible(&p, &v("4.3.1")).unwrap_err(),
        "is NetBox plugin `netbox_x` for NetBox 4.2.0 to 4.2.99 (`min_version`/`max_version`), not the target NetBox 4.3.1"
    );
    assert!(parse_netbox_version("v4.2.3").is_ok());
    assert!(parse_netbox_version("latest").is_err());
}

#[test]
fn configuration_lines() {
    let mut a = plugin(None, None);
    a.module = "netbox_secrets".into();
    a.required_settings = Some(vec!["public_key".into(), "top_level_menu".into()]);
    let mut b = plugin(None, None);
    b.module = "netbox_dns".into();
    b.required_settings = Some(Vec::new());
    let mut c = plugin(None, None);
    c.module = "netbox_dynamic".into();
    c.required_settings = None;
    insta::assert_snapshot!(render_configuration(&[a, b.clone(), c, b]));
    assert_eq!(render_configuration(&[]), "");
}

#[test]
fn a_wheel_with_hidden_bytes_is_refused_before_any_member_is_read() {
    let good = wheel_bytes(
        "netbox_x-1.0.dist-info",
        &[(
            "netbox_x/__init__.py",
            "from netbox.plugins import PluginConfig\nclass C(PluginConfig):\n    name = 'netbox_x'\nconfig = C\n",
        )],
        None,
    );
    let wheel = wheel_name("netbox_x-1.0-py3-none-any.whl");
    assert_eq!(
        detect_plugins_in(Cursor::new(good.clone()), &wheel)
            .unwrap()
            .len(),
        1
    );
    // Bytes before the first member, which the `zip` crate would read past.
    let mut hidden = vec![0u8; 16];
    hidden.extend_from_slice(&good);
    let e = detect_plugins_in(Cursor::new(hidden), &wheel).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Integrity);
    assert!(e.to_string().contains("prepended or hidden data"), "{e}");
}
