//! An offline OSV database: a folder of OSV JSON records (`*.json`, searched recursively) or the
//! `.zip` OSV publishes per ecosystem (`PyPI/all.zip`, one record per member). Only records
//! with a `PyPI` entry for a project asked about are kept in memory.
//!
//! Bounds: at most 2,000,000 records, each at most 16 MiB; a record that does not parse is
//! skipped with a debug log (the published archives hold only valid records).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use pep440_rs::Version;
use pep508_rs::PackageName;

use super::osv::Vulnerability;
use super::{Advisory, AdvisoryError};

const MAX_RECORDS: usize = 2_000_000;
const MAX_RECORD: u64 = 16 << 20;

fn db_error(path: &Path, reason: impl Into<String>) -> AdvisoryError {
    AdvisoryError::Database {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Collects the records that name one of `wanted`.
struct Collector<'a> {
    wanted: &'a BTreeSet<PackageName>,
    found: Vec<Vulnerability>,
    seen: usize,
}

impl Collector<'_> {
    fn add(&mut self, bytes: &[u8], origin: &str, path: &Path) -> Result<(), AdvisoryError> {
        self.seen += 1;
        if self.seen > MAX_RECORDS {
            return Err(db_error(path, format!("more than {MAX_RECORDS} records")));
        }
        match serde_json::from_slice::<Vulnerability>(bytes) {
            Ok(v) if self.wanted.iter().any(|n| v.names(n)) => self.found.push(v),
            Ok(_) => {}
            Err(e) => tracing::debug!("Skipping OSV record `{origin}`: {e}"),
        }
        Ok(())
    }
}

fn read_zip(path: &Path, c: &mut Collector<'_>) -> Result<(), AdvisoryError> {
    let file = std::fs::File::open(path).map_err(|e| db_error(path, e.to_string()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| db_error(path, e.to_string()))?;
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).map_err(|e| db_error(path, e.to_string()))?;
        let name = member.name().map(|n| n.to_string()).unwrap_or_default();
        if !member.is_file()
            || !Path::new(&name)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        {
            continue;
        }
        if member.size() > MAX_RECORD {
            return Err(db_error(path, format!("`{name}` is larger than 16 MiB")));
        }
        let mut bytes = Vec::new();
        (&mut member)
            .take(MAX_RECORD)
            .read_to_end(&mut bytes)
            .map_err(|e| db_error(path, format!("`{name}`: {e}")))?;
        c.add(&bytes, &name, path)?;
    }
    Ok(())
}

fn read_dir(root: &Path, c: &mut Collector<'_>) -> Result<(), AdvisoryError> {
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| db_error(&dir, e.to_string()))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let p = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(p);
            } else if kind.is_file() && p.extension().is_some_and(|x| x == "json") {
                let len = entry.metadata().map_or(0, |m| m.len());
                if len > MAX_RECORD {
                    return Err(db_error(&p, "larger than 16 MiB"));
                }
                let bytes = std::fs::read(&p).map_err(|e| db_error(&p, e.to_string()))?;
                c.add(&bytes, &p.display().to_string(), root)?;
            }
        }
    }
    Ok(())
}

/// The advisories affecting each `name==version`, by position in `packages`.
pub fn query(
    path: &Path,
    packages: &[(PackageName, Version)],
) -> Result<Vec<Vec<Advisory>>, AdvisoryError> {
    let wanted: BTreeSet<PackageName> = packages.iter().map(|(n, _)| n.clone()).collect();
    let mut c = Collector {
        wanted: &wanted,
        found: Vec::new(),
        seen: 0,
    };
    if path.is_dir() {
        read_dir(path, &mut c)?;
    } else if path.is_file() {
        read_zip(path, &mut c)?;
    } else {
        return Err(db_error(path, "no such folder or file"));
    }
    if c.seen == 0 {
        return Err(db_error(path, "it holds no OSV record"));
    }
    let mut by_id: BTreeMap<&str, &Vulnerability> = BTreeMap::new();
    for v in &c.found {
        by_id.entry(v.id.as_str()).or_insert(v);
    }
    Ok(packages
        .iter()
        .map(|(name, version)| {
            by_id
                .values()
                .filter(|v| v.affects(name, version))
                .map(|v| Advisory::from_osv(v, name))
                .collect()
        })
        .collect())
}
