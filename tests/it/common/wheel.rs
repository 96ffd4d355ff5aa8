//! Real wheel and sdist bytes for tests, built in memory.
//!
//! Input: a [`WheelSpec`] (project name, version, compressed tag triple, optional build tag,
//! core-metadata fields, extra files). Output: the PEP 427 file name and the bytes of a valid
//! wheel: `{pkg}/__init__.py` (or the caller's files), `{dist}-{ver}.dist-info/METADATA`
//! (Metadata-Version 2.1), `WHEEL` (one `Tag:` line per expanded tag) and `RECORD` (csv rows
//! `path,sha256=<urlsafe base64, no padding>,size`; RECORD's own row has empty hash and size).
//! The bytes are deterministic: fixed entry order, fixed 1980-01-01 timestamps, fixed modes, so
//! a file's sha256 is the same on every run. [`sdist`] writes a `.tar.gz` stub with `PKG-INFO`,
//! equally deterministic. [`check_record`] re-verifies a wheel's RECORD, for the harness's own
//! tests.

use std::fmt::Write as _;
use std::io::{Cursor, Read, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Everything needed to build one wheel file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelSpec {
    /// The project name as written in METADATA (`Foo.Bar` stays `Foo.Bar` there).
    pub name: String,
    /// The version, as written in the file name and METADATA.
    pub version: String,
    /// The compressed tag triple, e.g. `py3-none-any` or
    /// `cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64`.
    pub tags: String,
    /// The optional build tag (starts with a digit).
    pub build: Option<String>,
    /// `Requires-Dist` lines (PEP 508).
    pub requires_dist: Vec<String>,
    /// `Requires-Python`, when any.
    pub requires_python: Option<String>,
    /// `Provides-Extra` lines.
    pub provides_extra: Vec<String>,
    /// Extra files `(path inside the wheel, contents)`; unless one of them is
    /// `{import_name}/__init__.py`, a one-line one (`__version__ = "…"`) is added first.
    pub files: Vec<(String, Vec<u8>)>,
    /// The import package name; defaults to the escaped project name.
    pub import_name: Option<String>,
}

impl WheelSpec {
    /// A pure `py3-none-any` wheel with no dependencies.
    pub fn new(name: &str, version: &str) -> Self {
        WheelSpec {
            name: name.to_string(),
            version: version.to_string(),
            tags: "py3-none-any".to_string(),
            build: None,
            requires_dist: Vec::new(),
            requires_python: None,
            provides_extra: Vec::new(),
            files: Vec::new(),
            import_name: None,
        }
    }

    /// Sets the compressed tag triple.
    #[must_use]
    pub fn tags(mut self, tags: &str) -> Self {
        self.tags = tags.to_string();
        self
    }

    /// Sets the `Requires-Dist` lines.
    #[must_use]
    pub fn requires(mut self, deps: &[&str]) -> Self {
        self.requires_dist = deps.iter().map(ToString::to_string).collect();
        self
    }

    /// Adds a file to the wheel.
    #[must_use]
    pub fn file(mut self, path: &str, contents: &[u8]) -> Self {
        self.files.push((path.to_string(), contents.to_vec()));
        self
    }

    /// The PEP 427 file name: `{escaped name}-{version}(-{build})?-{tags}.whl`.
    pub fn filename(&self) -> String {
        let build = self
            .build
            .as_deref()
            .map(|b| format!("-{b}"))
            .unwrap_or_default();
        format!(
            "{}-{}{build}-{}.whl",
            escape_name(&self.name),
            self.version,
            self.tags
        )
    }

    /// The `.dist-info` folder name.
    pub fn dist_info(&self) -> String {
        format!("{}-{}.dist-info", escape_name(&self.name), self.version)
    }

    /// The METADATA text.
    pub fn metadata(&self) -> String {
        core_metadata(
            &self.name,
            &self.version,
            self.requires_python.as_deref(),
            &self.requires_dist,
            &self.provides_extra,
        )
    }

    /// True when every platform tag is `any` (Root-Is-Purelib).
    pub fn is_pure(&self) -> bool {
        self.tags
            .rsplit('-')
            .next()
            .is_some_and(|plats| plats.split('.').all(|p| p == "any"))
    }

    /// The WHEEL text with one `Tag:` line per expanded tag.
    pub fn wheel_file(&self) -> String {
        let mut out = format!(
            "Wheel-Version: 1.0\nGenerator: nbwheel-tests (0.1)\nRoot-Is-Purelib: {}\n",
            self.is_pure()
        );
        for tag in expand_tags(&self.tags) {
            out.push_str("Tag: ");
            out.push_str(&tag);
            out.push('\n');
        }
        if let Some(build) = &self.build {
            out.push_str("Build: ");
            out.push_str(build);
            out.push('\n');
        }
        out
    }

    /// Builds the wheel bytes.
    pub fn build(&self) -> Vec<u8> {
        let import = self
            .import_name
            .clone()
            .unwrap_or_else(|| escape_name(&self.name).to_ascii_lowercase());
        let mut entries: Vec<(String, Vec<u8>)> = self.files.clone();
        let init_path = format!("{import}/__init__.py");
        if !entries.iter().any(|(p, _)| *p == init_path) {
            let init = format!("__version__ = \"{}\"\n", self.version);
            entries.insert(0, (init_path, init.into_bytes()));
        }
        let dist_info = self.dist_info();
        entries.push((
            format!("{dist_info}/METADATA"),
            self.metadata().into_bytes(),
        ));
        entries.push((format!("{dist_info}/WHEEL"), self.wheel_file().into_bytes()));
        let record_path = format!("{dist_info}/RECORD");
        let mut record = String::new();
        for (path, data) in &entries {
            record.push_str(&record_row(path, data));
        }
        writeln!(record, "{record_path},,").expect("writing to a String");
        entries.push((record_path, record.into_bytes()));
        zip_bytes(&entries)
    }
}

/// PEP 427 escaping of a project name for file and folder names: runs of `-`, `_`, `.` become
/// one `_` (case is kept, as `wheel` does; installers compare names normalised).
pub fn escape_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('_');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn normalize(name: &str) -> String {
    escape_name(name).replace('_', "-").to_ascii_lowercase()
}

/// Expands a compressed tag triple (`py2.py3-none-any`) into every `py-abi-plat` tag.
pub fn expand_tags(compressed: &str) -> Vec<String> {
    let parts: Vec<&str> = compressed.splitn(3, '-').collect();
    let [py, abi, plat] = parts.as_slice() else {
        panic!("tag triple `{compressed}` must have three `-`-separated parts");
    };
    let mut out = Vec::new();
    for p in py.split('.') {
        for a in abi.split('.') {
            for l in plat.split('.') {
                out.push(format!("{p}-{a}-{l}"));
            }
        }
    }
    out
}

/// Core metadata text, Metadata-Version 2.1.
pub fn core_metadata(
    name: &str,
    version: &str,
    requires_python: Option<&str>,
    requires_dist: &[String],
    provides_extra: &[String],
) -> String {
    let mut out = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    writeln!(out, "Summary: Test package {name}").expect("writing to a String");
    if let Some(rp) = requires_python {
        writeln!(out, "Requires-Python: {rp}").expect("writing to a String");
    }
    for extra in provides_extra {
        writeln!(out, "Provides-Extra: {extra}").expect("writing to a String");
    }
    for dep in requires_dist {
        writeln!(out, "Requires-Dist: {dep}").expect("writing to a String");
    }
    out
}

/// Lower-case hex sha256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Lower-case hex md5 (for md5-only index listings).
pub fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    hex::encode(md5::Md5::digest(data))
}

/// One RECORD row: `path,sha256=<urlsafe b64 nopad>,size\n`.
pub fn record_row(path: &str, data: &[u8]) -> String {
    let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(data));
    format!("{path},sha256={digest},{}\n", data.len())
}

/// Zips entries in the given order with fixed timestamps and modes (deflate).
pub fn zip_bytes(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (path, data) in entries {
        zip.start_file(path.as_str(), options)
            .expect("in-memory zip accepts a new entry");
        zip.write_all(data).expect("in-memory zip accepts data");
    }
    zip.finish().expect("in-memory zip finishes").into_inner()
}

/// Reads every entry of a zip as `(name, bytes)`, in central-directory order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("valid zip");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("zip entry");
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("zip entry data");
        out.push((file.name().expect("UTF-8 zip entry name").to_string(), data));
    }
    out
}

/// Checks a wheel's RECORD against its entries: every entry but RECORD has exactly one row with
/// the right sha256 and size, RECORD's own row has empty hash and size, and no row names a
/// missing file. Returns what is wrong.
pub fn check_record(wheel: &[u8]) -> Result<(), String> {
    let entries = unzip(wheel);
    let record_name = entries
        .iter()
        .map(|(n, _)| n)
        .find(|n| n.ends_with(".dist-info/RECORD"))
        .ok_or("no RECORD")?
        .clone();
    let record = entries
        .iter()
        .find(|(n, _)| *n == record_name)
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .ok_or("no RECORD")?;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for line in record.lines().filter(|l| !l.is_empty()) {
        let mut it = line.rsplitn(3, ',');
        let size = it.next().ok_or("short row")?.to_string();
        let hash = it.next().ok_or("short row")?.to_string();
        let path = it.next().ok_or("short row")?.to_string();
        rows.push((path, hash, size));
    }
    for (name, data) in &entries {
        let matching: Vec<_> = rows.iter().filter(|(p, _, _)| p == name).collect();
        if matching.len() != 1 {
            return Err(format!("`{name}` has {} RECORD rows", matching.len()));
        }
        let (_, hash, size) = matching[0];
        if *name == record_name {
            if !hash.is_empty() || !size.is_empty() {
                return Err("RECORD's own row must have empty hash and size".into());
            }
            continue;
        }
        let want = record_row(name, data);
        let got = format!("{name},{hash},{size}\n");
        if want != got {
            return Err(format!("RECORD row `{got}` should be `{want}`"));
        }
    }
    for (path, _, _) in &rows {
        if !entries.iter().any(|(n, _)| n == path) {
            return Err(format!("RECORD names missing file `{path}`"));
        }
    }
    Ok(())
}

/// A deterministic sdist stub: `{name}-{version}.tar.gz` holding `PKG-INFO` and a
/// `pyproject.toml`. Returns `(file name, bytes)`.
pub fn sdist(name: &str, version: &str, metadata: &str) -> (String, Vec<u8>) {
    let base = format!("{}-{version}", escape_name(name).to_ascii_lowercase());
    let pyproject = format!(
        "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"{name}\"\nversion = \"{version}\"\n"
    );
    let mut tar = tar::Builder::new(Vec::new());
    for (path, data) in [
        (format!("{base}/PKG-INFO"), metadata.as_bytes()),
        (format!("{base}/pyproject.toml"), pyproject.as_bytes()),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.append_data(&mut header, &path, data)
            .expect("in-memory tar accepts data");
    }
    let raw = tar.into_inner().expect("in-memory tar finishes");
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).expect("in-memory gzip");
    (
        format!("{base}.tar.gz"),
        gz.finish().expect("in-memory gzip finishes"),
    )
}
