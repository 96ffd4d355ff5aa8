//! Real index pages with their oddities (issue: one odd file never fails a build), through the
//! binary against a local server: trimmed copies of PyPI pages (`pydantic`, `pytz`,
//! `setuptools`, `numpy`, `pyyaml`), a hand-made page with every oddity pip and uv tolerate
//! (`odd-ball`), and pages in the styles of pypiserver, devpi and Artifactory. Each case asserts
//! the build succeeds, the archive holds exactly the expected wheel, and no other file was
//! ever requested. The hostile-file cases assert "skipped, not chosen, nothing written", and a
//! failure when nothing usable is left names the skipped files.
//!
//! Fixtures live in `fixtures/index/oddities/`. Absolute `https://files.pythonhosted.org` URLs
//! are pointed at the local server; `@@SHA256@@` (the case's expected file) and
//! `@@SHA256:<file name>@@` are replaced with the sha256 of a wheel generated for that name.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;

use crate::common::reliability::{Run, Work, files_under};
use crate::common::{self, FakeIndex, Reply, WheelSpec};

/// True when `name` ends in `.{ext}`.
fn has_ext(name: &str, ext: &str) -> bool {
    Path::new(name).extension().is_some_and(|e| e == ext)
}

/// A generated wheel served under a listed file name.
struct Served {
    bytes: Vec<u8>,
    metadata: Vec<u8>,
    sha256: String,
}

/// Builds a wheel whose file name, once listed, is `filename`.
fn wheel_for(filename: &str) -> Served {
    let stem = filename.strip_suffix(".whl").expect("a wheel file name");
    let parts: Vec<&str> = stem.split('-').collect();
    let (name, version, build, tags) = match parts.as_slice() {
        [n, v, py, abi, plat] => (*n, *v, None, format!("{py}-{abi}-{plat}")),
        [n, v, b, py, abi, plat] => (*n, *v, Some(*b), format!("{py}-{abi}-{plat}")),
        _ => panic!("unexpected wheel name {filename}"),
    };
    let mut spec = WheelSpec::new(name, version).tags(&tags);
    spec.build = build.map(str::to_string);
    let bytes = spec.build();
    Served {
        sha256: common::wheel::sha256_hex(&bytes),
        metadata: spec.metadata().into_bytes(),
        bytes,
    }
}

/// Every wheel file name a placeholder in `page` names.
fn placeholders(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("@@SHA256:") {
        let tail = &rest[at + 9..];
        let end = tail.find("@@").expect("closed placeholder");
        out.push(tail[..end].to_string());
        rest = &tail[end + 2..];
    }
    out.sort();
    out.dedup();
    out
}

/// A local index serving one fixture page and the wheels it names.
struct Index {
    server: FakeIndex,
    project: String,
}

impl Index {
    /// Serves `fixtures/index/oddities/<fixture>`.
    fn start(fixture: &str, project: &str, expected: Option<&str>) -> Index {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/index/oddities")
            .join(fixture);
        let raw = std::fs::read_to_string(&path).expect("fixture page");
        Index::serve(raw, has_ext(fixture, "json"), project, expected)
    }

    /// Serves a page given as text.
    fn serve(raw: String, json: bool, project: &str, expected: Option<&str>) -> Index {
        let mut wheels: BTreeMap<String, Served> = BTreeMap::new();
        for name in placeholders(&raw) {
            wheels.insert(name.clone(), wheel_for(&name));
        }
        if let Some(e) = expected {
            wheels.entry(e.to_string()).or_insert_with(|| wheel_for(e));
        }
        let mut page = raw;
        for (name, w) in &wheels {
            page = page.replace(&format!("@@SHA256:{name}@@"), &w.sha256);
        }
        if let Some(e) = expected {
            page = page.replace("@@SHA256@@", &wheels[e].sha256);
        }
        let content_type = if json {
            "application/vnd.pypi.simple.v1+json"
        } else {
            "text/html; charset=utf-8"
        };
        let page = Arc::new(std::sync::Mutex::new(page));
        let wheels = Arc::new(wheels);
        let project_path = format!("/simple/{project}/");
        let (p, w, pp) = (Arc::clone(&page), Arc::clone(&wheels), project_path.clone());
        let server = FakeIndex::scripted(move |seen| {
            let path = seen.path.split(['?', '#']).next().unwrap_or_default();
            if path == pp {
                let body = p.lock().expect("page").clone().into_bytes();
                return Reply::ok(content_type, body);
            }
            let last = path.rsplit('/').next().unwrap_or_default();
            let last = percent_encoding::percent_decode_str(last)
                .decode_utf8_lossy()
                .into_owned();
            if let Some(wheel) = last.strip_suffix(".metadata")
                && let Some(served) = w.get(wheel)
            {
                return Reply::ok("application/octet-stream", served.metadata.clone());
            }
            match w.get(&last) {
                Some(served) => Reply::ok("application/octet-stream", served.bytes.clone()),
                None => Reply::Full {
                    status: 404,
                    headers: Vec::new(),
                    body: b"Not Found\n".to_vec(),
                },
            }
        });
        // Point every absolute PyPI file URL at this server.
        {
            let mut text = page.lock().expect("page");
            *text = text.replace("https://files.pythonhosted.org", &server.base_url());
        }
        Index {
            server,
            project: project.to_string(),
        }
    }

    fn url(&self) -> String {
        format!("{}/simple/", self.server.base_url())
    }

    /// The file names of every request that was not for the project page.
    fn file_requests(&self) -> Vec<String> {
        let page = format!("/simple/{}/", self.project);
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.path != page)
            .map(|r| {
                let last = r.path.rsplit('/').next().unwrap_or_default().to_string();
                percent_encoding::percent_decode_str(&last)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect()
    }
}

/// The member names of a `.tar.gz` archive.
fn archive_members(path: &Path) -> Vec<String> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("archive"))
        .read_to_end(&mut bytes)
        .expect("gunzip");
    let mut archive = tar::Archive::new(&bytes[..]);
    archive
        .entries()
        .expect("tar")
        .map(|e| {
            e.expect("entry")
                .path()
                .expect("path")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn build(index: &Index, requirement: &str, extra: &[&str]) -> (Work, Run) {
    let work = Work::new(&[requirement]);
    let url = index.url();
    let mut args = vec!["--index-url", url.as_str()];
    args.extend_from_slice(extra);
    let run = work.build(&args);
    (work, run)
}

/// Builds `requirement` from `fixture` and asserts that exactly `expected` was downloaded and
/// packed, and that normal output says nothing about skipped files.
fn assert_picks(fixture: &str, project: &str, requirement: &str, expected: &str) {
    let index = Index::start(fixture, project, Some(expected));
    let (work, run) = build(&index, requirement, &[]);
    assert_eq!(run.code, 0, "{fixture} {requirement}:\n{}", run.all());
    assert!(
        !run.all().contains("Skipping"),
        "a normal run mentions skipped files:\n{}",
        run.all()
    );
    let wheels: Vec<String> = archive_members(&work.out())
        .into_iter()
        .filter(|m| m.starts_with("wheelhouse/") && has_ext(m, "whl"))
        .collect();
    assert_eq!(wheels, [format!("wheelhouse/{expected}")], "{fixture}");
    for f in index.file_requests() {
        assert!(
            f == expected || f == format!("{expected}.metadata"),
            "{fixture}: requested `{f}`, expected only `{expected}`"
        );
    }
    assert!(index.file_requests().iter().any(|f| f == expected));
}

// --- Trimmed real PyPI pages -------------------------------------------------------------

#[test]
fn pydantic_json_skips_the_unparseable_py36_plus_wheels() {
    assert_picks(
        "pydantic.json",
        "pydantic",
        "pydantic",
        "pydantic-2.14.4-py3-none-any.whl",
    );
}

#[test]
fn pydantic_html_skips_the_unparseable_py36_plus_wheels() {
    assert_picks(
        "pydantic.html",
        "pydantic",
        "pydantic",
        "pydantic-2.14.4-py3-none-any.whl",
    );
}

#[test]
fn pytz_eggs_zip_and_bz2_sdists_are_ignored() {
    assert_picks(
        "pytz.json",
        "pytz",
        "pytz",
        "pytz-2026.6-py2.py3-none-any.whl",
    );
}

#[test]
fn setuptools_rpm_exe_egg_and_yanked_files_are_ignored() {
    assert_picks(
        "setuptools.json",
        "setuptools",
        "setuptools",
        "setuptools-84.2.1-py3-none-any.whl",
    );
}

#[test]
fn numpy_cp27mu_and_exe_files_are_ignored() {
    assert_picks(
        "numpy.json",
        "numpy",
        "numpy",
        "numpy-2.2.6-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    );
}

#[test]
fn pyyaml_upper_case_names_and_yanked_release_candidates() {
    for fixture in ["pyyaml.json", "pyyaml.html"] {
        assert_picks(
            fixture,
            "pyyaml",
            "PyYAML",
            "PyYAML-6.0.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        );
    }
}

// --- One oddity per case, JSON and HTML ----------------------------------------------------

const ODD: [&str; 2] = ["odd-ball.json", "odd-ball.html"];

#[test]
fn non_normalised_name_and_lenient_requires_python() {
    for f in ODD {
        assert_picks(
            f,
            "odd-ball",
            "Odd.Ball==1.0",
            "Odd.Ball-1.0-py3-none-any.whl",
        );
    }
}

#[test]
fn highest_build_tag_wins() {
    for f in ODD {
        assert_picks(
            f,
            "odd-ball",
            "odd_ball==1.1",
            "odd_ball-1.1-2-py3-none-any.whl",
        );
    }
}

#[test]
fn duplicate_file_names_legacy_tags_and_null_pep700_fields() {
    for f in ODD {
        assert_picks(
            f,
            "odd-ball",
            "odd-ball==1.2",
            "odd_ball-1.2-py2.py3-none-any.whl",
        );
    }
}

#[test]
fn core_metadata_alongside_data_dist_info_metadata() {
    for f in ODD {
        assert_picks(
            f,
            "odd-ball",
            "odd-ball==1.3",
            "odd_ball-1.3-py3-none-any.whl",
        );
    }
}

#[test]
fn yanked_with_and_without_a_reason_pinned_exactly() {
    for f in ODD {
        assert_picks(
            f,
            "odd-ball",
            "odd-ball==1.4",
            "odd_ball-1.4-py3-none-any.whl",
        );
    }
}

#[test]
fn local_version_prefers_the_file_that_is_not_yanked() {
    for f in ODD {
        assert_picks(
            f,
            "odd-ball",
            "odd-ball",
            "odd_ball-2.0+cpu-py3-none-any.whl",
        );
    }
}

// --- Private indexes ----------------------------------------------------------------------

#[test]
fn pypiserver_devpi_and_artifactory_pages() {
    for f in ["pypiserver.html", "devpi.html", "artifactory.html"] {
        assert_picks(
            f,
            "acme-plugin",
            "acme-plugin",
            "acme_plugin-1.0-py3-none-any.whl",
        );
    }
}

// --- Hostile files (RELIABILITY row 7) ------------------------------------------------------

/// A page listing one sound wheel and the hostile names given, as JSON.
fn hostile_json(hostile: &[(&str, &str)]) -> String {
    let mut files = vec![serde_json::json!({
        "filename": "victim-1.0-py3-none-any.whl",
        "url": "https://files.pythonhosted.org/p/victim-1.0-py3-none-any.whl",
        "hashes": {"sha256": "@@SHA256@@"},
    })];
    for (filename, url) in hostile {
        files.push(serde_json::json!({
            "filename": filename,
            "url": url,
            "hashes": {"sha256": "@@SHA256@@"},
        }));
    }
    serde_json::to_string(&serde_json::json!({
        "meta": {"api-version": "1.1"},
        "name": "victim",
        "files": files,
    }))
    .expect("json")
}

const HOSTILE: [(&str, &str); 11] = [
    (
        "victim-2.0-py36+-none-any.whl",
        "https://files.pythonhosted.org/p/victim-2.0-py36%2B-none-any.whl",
    ),
    (
        "../../victim-2.0-py3-none-any.whl",
        "https://files.pythonhosted.org/p/..%2F..%2Fvictim-2.0-py3-none-any.whl",
    ),
    (
        "victim-2.0-py3-none-any.whl",
        "https://files.pythonhosted.org/p/a%2Fvictim-2.0-py3-none-any.whl",
    ),
    (
        "victim-2.1-py3-none-any.whl",
        "https://files.pythonhosted.org/p/%252E%252E%252Fvictim-2.1-py3-none-any.whl",
    ),
    (
        "..\\victim-2.2-py3-none-any.whl",
        "https://files.pythonhosted.org/p/..%5Cvictim-2.2-py3-none-any.whl",
    ),
    (
        "victim-2.3-py3-none-any.whl\u{0}",
        "https://files.pythonhosted.org/p/victim-2.3-py3-none-any.whl%00",
    ),
    (
        "victim-2.4-py3-none-any.whl\n",
        "https://files.pythonhosted.org/p/victim-2.4-py3-none-any.whl%0A",
    ),
    (
        "victim-2.5-py3-none-any.whl",
        "https://files.pythonhosted.org/p/victim-9.9-py3-none-any.whl",
    ),
    (
        "evil-2.6-py3-none-any.whl",
        "https://files.pythonhosted.org/p/evil-2.6-py3-none-any.whl",
    ),
    (
        "victim\u{1b}-2.7-py3-none-any.whl",
        "https://files.pythonhosted.org/p/victim%1B-2.7-py3-none-any.whl",
    ),
    (
        "victim-2.8-py3-none-any.whl",
        "ftp://files.pythonhosted.org/p/victim-2.8-py3-none-any.whl",
    ),
];

#[test]
fn row7_hostile_files_are_skipped_not_chosen_nothing_written() {
    let index = Index::serve(
        hostile_json(&HOSTILE),
        true,
        "victim",
        Some("victim-1.0-py3-none-any.whl"),
    );
    let (work, run) = build(&index, "victim", &["-v"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let members = archive_members(&work.out());
    let wheels: Vec<&String> = members.iter().filter(|m| has_ext(m, "whl")).collect();
    assert_eq!(wheels, ["wheelhouse/victim-1.0-py3-none-any.whl"]);
    assert!(
        members
            .iter()
            .all(|m| !m.contains("..") && !m.contains('\\'))
    );
    for f in index.file_requests() {
        assert_eq!(f, "victim-1.0-py3-none-any.whl");
    }
    // `-v` names each skipped file once.
    for (filename, _) in HOSTILE {
        let shown = format!("Skipping `{}`", filename.escape_debug());
        assert_eq!(
            run.stderr.matches(&shown).count(),
            1,
            "{shown} in:\n{}",
            run.stderr
        );
    }
    // Nothing was written outside the output and the cache.
    let everything = files_under(work.path());
    assert!(
        everything.iter().all(|p| {
            p == &work.out() || p.starts_with(work.cache()) || p.ends_with("requirements.txt")
        }),
        "{everything:?}"
    );
}

#[test]
fn row7_when_only_skipped_files_are_left_the_error_names_them() {
    let page = serde_json::json!({
        "meta": {"api-version": "1.1"},
        "name": "victim",
        "files": [
            {"filename": "victim-0.18-py36+-none-any.whl", "url": "https://files.pythonhosted.org/p/victim-0.18-py36%2B-none-any.whl", "hashes": {}},
            {"filename": "../victim-0.19-py3-none-any.whl", "url": "https://files.pythonhosted.org/p/..%2Fvictim-0.19-py3-none-any.whl", "hashes": {}},
        ],
    });
    let index = Index::serve(page.to_string(), true, "victim", None);
    let (work, run) = build(&index, "victim", &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("2 listed file(s) were skipped")
            && run.stderr.contains("no usable file is left")
            && run.stderr.contains("`victim-0.18-py36+-none-any.whl`")
            && run.stderr.contains("`../victim-0.19-py3-none-any.whl`"),
        "{}",
        run.stderr
    );
    assert!(
        index.file_requests().is_empty(),
        "{:?}",
        index.file_requests()
    );
    work.assert_nothing_partial();
}

#[test]
fn find_links_folder_with_odd_files_skips_them() {
    let work = Work::new(&["victim"]);
    let links = work.path().join("links");
    std::fs::create_dir(&links).expect("mkdir");
    let good = wheel_for("victim-1.0-py3-none-any.whl");
    std::fs::write(links.join("victim-1.0-py3-none-any.whl"), &good.bytes).expect("write");
    for odd in [
        "victim-2.0-py36+-none-any.whl",
        "victim-2.0-py3-none-any.WHL",
        "victim-2.0.egg",
        "victim-2.0.win32.exe",
        "README",
        ".victim-2.0-py3-none-any.whl",
    ] {
        std::fs::write(links.join(odd), b"junk").expect("write");
    }
    std::os::unix::fs::symlink(
        "/nonexistent/victim-3.0-py3-none-any.whl",
        links.join("victim-3.0-py3-none-any.whl"),
    )
    .expect("symlink");
    let links_arg = links.to_string_lossy().into_owned();
    let run = work.build(&["--no-index", "--find-links", &links_arg, "-v"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let wheels: Vec<String> = archive_members(&work.out())
        .into_iter()
        .filter(|m| has_ext(m, "whl"))
        .collect();
    assert_eq!(wheels, ["wheelhouse/victim-1.0-py3-none-any.whl"]);
    assert!(
        run.stderr.contains("victim-2.0-py36+-none-any.whl"),
        "{}",
        run.stderr
    );
}

#[test]
fn find_links_page_with_hostile_links_skips_them() {
    let mut page = String::from("<html><body>\n");
    page.push_str(
        "<a href=\"https://files.pythonhosted.org/p/victim-1.0-py3-none-any.whl#sha256=@@SHA256@@\">victim-1.0-py3-none-any.whl</a>\n",
    );
    for (filename, url) in HOSTILE {
        let text = common::catalog::html_escape(filename);
        page.push_str(&format!("<a href=\"{url}\">{text}</a>\n"));
    }
    page.push_str("</body></html>\n");
    // Served as a flat page at the project path; used through `--find-links`.
    let index = Index::serve(page, false, "links", Some("victim-1.0-py3-none-any.whl"));
    let work = Work::new(&["victim"]);
    let links = format!("{}/simple/links/", index.server.base_url());
    let run = work.build(&["--no-index", "--find-links", &links]);
    assert_eq!(run.code, 0, "{}", run.all());
    let wheels: Vec<String> = archive_members(&work.out())
        .into_iter()
        .filter(|m| has_ext(m, "whl"))
        .collect();
    assert_eq!(wheels, ["wheelhouse/victim-1.0-py3-none-any.whl"]);
    for f in index.file_requests() {
        assert_eq!(f, "victim-1.0-py3-none-any.whl");
    }
}
