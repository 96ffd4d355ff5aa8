//! A wheel's license from its core metadata: `License-Expression` (PEP 639) first, then a
//! short `License` field, then the `License ::` trove classifiers mapped to SPDX ids. Long
//! `License` values (the full text pasted in) and unmapped classifiers give no license.

/// Trove classifiers and their SPDX ids (the common ones).
const CLASSIFIERS: &[(&str, &str)] = &[
    ("License :: OSI Approved :: MIT License", "MIT"),
    (
        "License :: OSI Approved :: MIT No Attribution License (MIT-0)",
        "MIT-0",
    ),
    ("License :: OSI Approved :: BSD License", "BSD-3-Clause"),
    (
        "License :: OSI Approved :: Apache Software License",
        "Apache-2.0",
    ),
    ("License :: OSI Approved :: ISC License (ISCL)", "ISC"),
    (
        "License :: OSI Approved :: Python Software Foundation License",
        "PSF-2.0",
    ),
    (
        "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)",
        "MPL-2.0",
    ),
    (
        "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
        "GPL-2.0-only",
    ),
    (
        "License :: OSI Approved :: GNU General Public License v3 (GPLv3)",
        "GPL-3.0-only",
    ),
    (
        "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)",
        "GPL-2.0-or-later",
    ),
    (
        "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)",
        "GPL-3.0-or-later",
    ),
    (
        "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)",
        "LGPL-2.0-or-later",
    ),
    (
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "LGPL-3.0-only",
    ),
    (
        "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)",
        "LGPL-3.0-or-later",
    ),
    (
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "AGPL-3.0-only",
    ),
    (
        "License :: OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)",
        "EPL-2.0",
    ),
    (
        "License :: OSI Approved :: The Unlicense (Unlicense)",
        "Unlicense",
    ),
    ("License :: OSI Approved :: zlib/libpng License", "Zlib"),
    (
        "License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication",
        "CC0-1.0",
    ),
];

/// The longest `License` value taken as a name rather than a pasted text.
const MAX_LICENSE_NAME: usize = 80;

/// The license of a `METADATA` header block, `None` when unknown.
pub fn from_metadata(metadata: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(header_block(metadata));
    let mut expression = None;
    let mut license = None;
    let mut classifiers = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "license-expression" if !value.is_empty() => expression = Some(value.to_string()),
            "license" if !value.is_empty() && license.is_none() => {
                license = Some(value.to_string());
            }
            "classifier" if value.starts_with("License ::") => classifiers.push(value.to_string()),
            _ => {}
        }
    }
    if expression.is_some() {
        return expression;
    }
    if let Some(spdx) = license.as_deref().and_then(spdx_of) {
        return Some(spdx);
    }
    let mapped: Vec<&str> = classifiers
        .iter()
        .filter_map(|c| CLASSIFIERS.iter().find(|(k, _)| k == c).map(|(_, v)| *v))
        .collect();
    if !mapped.is_empty() {
        let mut mapped = mapped;
        mapped.dedup();
        return Some(mapped.join(" OR "));
    }
    license.filter(|l| l.len() <= MAX_LICENSE_NAME && !l.eq_ignore_ascii_case("unknown"))
}

/// A `License` value that is already an SPDX expression (`MIT`, `Apache-2.0`, `BSD-3-Clause`).
fn spdx_of(value: &str) -> Option<String> {
    spdx::Expression::parse(value)
        .ok()
        .map(|_| value.to_string())
}

/// True when `expression` is a valid SPDX expression.
pub fn is_spdx(expression: &str) -> bool {
    spdx::Expression::parse(expression).is_ok()
}

/// True when the license is satisfied by the allow-list: an SPDX expression evaluated with
/// `OR` taking any allowed branch and `AND` needing all; a non-SPDX name must be listed as is.
pub fn allowed(license: &str, allow: &[String]) -> bool {
    match spdx::Expression::parse(license) {
        Ok(expr) => expr.evaluate(|req| {
            let id = req.license.to_string();
            allow.iter().any(|a| a.eq_ignore_ascii_case(&id))
        }),
        Err(_) => allow.iter().any(|a| a.eq_ignore_ascii_case(license)),
    }
}

/// Each wheel's license in an archive, by file name (`None` when unknown or unreadable).
pub fn of_archive(
    path: &std::path::Path,
) -> Result<std::collections::BTreeMap<String, Option<String>>, crate::commands::Error> {
    let opened = crate::archive::open_archive(path)?;
    Ok(opened
        .wheel_files()
        .into_iter()
        .map(|(file, wheel, wheel_path)| {
            let license = crate::index::metadata::read_metadata_from_wheel(&wheel_path, &wheel)
                .ok()
                .and_then(|m| from_metadata(&m));
            (file, license)
        })
        .collect())
}

/// The header block of an RFC 822 style file: up to the first blank line.
fn header_block(bytes: &[u8]) -> &[u8] {
    let mut start = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line == b"\n" || line == b"\r\n" {
            return &bytes[..start];
        }
        start += line.len();
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expression_then_license_then_classifiers() {
        let m = b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: BSD\n\nbody";
        assert_eq!(from_metadata(m).as_deref(), Some("MIT OR Apache-2.0"));
        let m = b"Metadata-Version: 2.1\nName: a\nVersion: 1\nLicense: Apache-2.0\n";
        assert_eq!(from_metadata(m).as_deref(), Some("Apache-2.0"));
        let m = b"Metadata-Version: 2.1\nName: a\nVersion: 1\nLicense: Copyright (c) 2020 Someone\n  Permission is hereby granted\nClassifier: License :: OSI Approved :: BSD License\n";
        assert_eq!(from_metadata(m).as_deref(), Some("BSD-3-Clause"));
        let m = b"Metadata-Version: 2.1\nName: a\nVersion: 1\nLicense: UNKNOWN\n";
        assert_eq!(from_metadata(m), None);
    }

    #[test]
    fn allow_list_evaluates_expressions() {
        let allow = vec!["MIT".to_string(), "BSD-3-Clause".to_string()];
        assert!(allowed("MIT OR GPL-3.0-only", &allow));
        assert!(!allowed("MIT AND GPL-3.0-only", &allow));
        assert!(!allowed("Apache-2.0", &allow));
        assert!(!allowed("Some Custom License", &allow));
    }
}
