//! `--find-links` folders: a flat (non-recursive) folder of wheels on the user's disk.
//!
//! Input: a folder path and the [`Origin`] to record. Output: one [`DistFile`] per wheel or
//! sdist in it, sorted by file name, with `file://` URLs, no hashes (they are computed when the
//! file is copied), no `requires-python` and the size from the file system, plus the files
//! that were skipped. A file whose name looks like a wheel but does not parse (or is not
//! UTF-8) is skipped, logged once at `-v` and named if a requirement has nothing else: the
//! folder is the user's own, so a stray file never stops the build. Sub-folders, dangling
//! links and other files (`.egg`, `.exe`, `README`) are ignored.
//!
//! `--find-links` URLs of flat HTML pages are read with
//! [`simple::parse_html`](super::simple::parse_html) (with no project) and
//! [`simple::group_by_project`](super::simple::group_by_project).

use std::path::Path;
use std::str::FromStr;

use url::Url;

use super::simple::{is_safe_component, is_sdist_filename};
use super::{DistFile, Hashes, IndexError, Origin, SkippedFile};
use crate::wheel_name::WheelName;

/// Lists the wheels and sdists directly inside `dir`, and the files skipped.
pub fn scan_dir(
    dir: &Path,
    origin: Origin,
) -> Result<(Vec<DistFile>, Vec<SkippedFile>), IndexError> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io {
            action,
            path,
            source,
        }
    };
    let dir = dir
        .canonicalize()
        .map_err(io("Cannot open the find-links folder", dir))?;
    let mut names = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(io("Cannot read the find-links folder", &dir))? {
        let entry = entry.map_err(io("Cannot read the find-links folder", &dir))?;
        let Ok(name) = entry.file_name().into_string() else {
            let shown = entry.file_name().to_string_lossy().into_owned();
            tracing::info!(
                "Skipping `{}` in the find-links folder: its name is not UTF-8",
                entry.path().display()
            );
            skipped.push(SkippedFile {
                filename: shown,
                reason: "its name is not UTF-8".to_string(),
            });
            continue;
        };
        names.push(name);
    }
    names.sort_unstable();

    let mut files = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let wheel = if name.to_ascii_lowercase().ends_with(".whl") {
            match WheelName::from_str(&name) {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::info!("Skipping `{}`: {e}", path.display());
                    skipped.push(SkippedFile {
                        filename: name,
                        reason: e.to_string(),
                    });
                    continue;
                }
            }
        } else if is_sdist_filename(&name) && is_safe_component(&name) {
            None
        } else {
            tracing::debug!(
                "Ignoring `{}`: neither a wheel nor an sdist",
                path.display()
            );
            continue;
        };
        // Follows symbolic links: a link to a wheel elsewhere is the user's choice. A dangling
        // link or an unreadable entry is ignored like any other stray file.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                tracing::debug!("Ignoring `{}`: {e}", path.display());
                continue;
            }
        };
        if !meta.is_file() {
            tracing::debug!("Ignoring `{}`: not a regular file", path.display());
            continue;
        }
        let url = Url::from_file_path(&path).map_err(|()| IndexError::Io {
            action: "Cannot make a `file://` URL for",
            path: path.clone(),
            source: std::io::Error::other("not an absolute path"),
        })?;
        files.push(DistFile {
            filename: name,
            wheel,
            url,
            hashes: Hashes::default(),
            requires_python: None,
            yanked: None,
            core_metadata: None,
            upload_time: None,
            size: Some(meta.len()),
            origin,
        });
    }
    Ok((files, skipped))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn scans_a_flat_folder() {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 8] = [
            ("netbox_dns-1.1.0-py3-none-any.whl", b"wheel"),
            (
                "Pillow-10.4.0-cp312-cp312-manylinux_2_28_x86_64.whl",
                b"binary wheel",
            ),
            ("django-4.2.11.tar.gz", b"sdist"),
            ("not-a-wheel.whl", b""),
            ("README.txt", b""),
            ("x-1.0-py3-none-any.WHL", b""),
            (".hidden-1.0-py3-none-any.whl", b""),
            ("x-1.0+local-py3-none-any.whl", b"local"),
        ];
        for (name, data) in files {
            std::fs::write(dir.path().join(name), data).unwrap();
        }
        std::fs::create_dir(dir.path().join("sub-1.0-py3-none-any.whl")).unwrap();
        std::fs::write(
            dir.path()
                .join("sub-1.0-py3-none-any.whl/inner-1.0-py3-none-any.whl"),
            b"",
        )
        .unwrap();

        let (found, skipped) = scan_dir(dir.path(), Origin::FindLinks(1)).unwrap();
        let root = Url::from_directory_path(dir.path().canonicalize().unwrap()).unwrap();
        let mut out = String::new();
        for f in &found {
            let rel = f.url.as_str().strip_prefix(root.as_str()).unwrap();
            writeln!(
                out,
                "{} wheel={} url=<dir>/{rel} size={:?} no_hashes={} origin={:?}",
                f.filename,
                f.wheel
                    .as_ref()
                    .map_or("-".to_string(), |w| format!("{}=={}", w.name, w.version)),
                f.size,
                f.hashes.is_empty(),
                f.origin
            )
            .unwrap();
            assert!(f.requires_python.is_none() && f.yanked.is_none());
        }
        for s in &skipped {
            writeln!(out, "skipped {s}").unwrap();
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn missing_folder_is_an_error() {
        let err = scan_dir(Path::new("/nonexistent/wheels"), Origin::FindLinks(0)).unwrap_err();
        insta::assert_snapshot!(err.to_string(), @"Cannot open the find-links folder `/nonexistent/wheels`");
    }
}
