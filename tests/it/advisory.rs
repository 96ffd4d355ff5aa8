//! `nbwheel audit` and `nbwheel sbom` end to end, hermetic: a fake index on 127.0.0.1 for the
//! public projects, a find-links folder for the private plugin, and a local advisory server
//! speaking the OSV API (`/v1/querybatch`, `/v1/vulns/ID`) and the `PyPI` JSON API
//! (`/pypi/NAME/VERSION/json`) from OSV records in the real schema, recording every request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::common::{self, FakeIndex, Release, WheelSpec, nbwheel};
use serde_json::{Value, json};

/// The advisories the server knows, in the OSV schema.
fn records() -> Vec<Value> {
    vec![
        json!({
            "schema_version": "1.6.0",
            "id": "PYSEC-2099-1",
            "modified": "2099-01-02T00:00:00Z",
            "published": "2099-01-01T00:00:00Z",
            "aliases": ["CVE-2099-1001", "GHSA-aaaa-bbbb-cccc"],
            "summary": "SQL injection in QuerySet.order_by",
            "details": "Crafted column names reach the SQL unescaped.",
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": "Django", "purl": "pkg:pypi/django"},
                "ranges": [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "0"}, {"fixed": "3.1.1"},
                    {"introduced": "3.2"}, {"fixed": "3.2.1"}]}],
                "versions": ["3.1.0", "3.2"],
                "database_specific": {"source": "https://example.invalid/PYSEC-2099-1.yaml"}
            }],
            "references": [{"type": "ADVISORY", "url": "https://example.invalid/a"}]
        }),
        json!({
            "schema_version": "1.6.0",
            "id": "GHSA-jjjj-kkkk-llll",
            "modified": "2099-02-01T00:00:00Z",
            "aliases": ["CVE-2099-2002"],
            "summary": "Sandbox escape in templates",
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": "jinja2"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.1"}]}],
                "versions": ["2.0"],
                "database_specific": {"severity": "HIGH", "cwe_ids": ["CWE-1336"]}
            }]
        }),
        json!({
            "id": "PYSEC-2099-9",
            "modified": "2099-03-01T00:00:00Z",
            "withdrawn": "2099-03-01T00:00:00Z",
            "summary": "Withdrawn: not a vulnerability",
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": "jinja2"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
                "versions": ["2.0"]
            }]
        }),
        json!({
            "id": "PYSEC-2099-5",
            "modified": "2099-01-01T00:00:00Z",
            "summary": "A public project that shares the private plugin's name",
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": "netbox-acme"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
                "versions": ["1.0"]
            }]
        }),
    ]
}

fn normalize(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The ids of the records affecting `name==version` (the server matches on `versions`).
fn matching<'a>(records: &'a [Value], name: &str, version: &str) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| {
            r["affected"].as_array().into_iter().flatten().any(|a| {
                normalize(a["package"]["name"].as_str().unwrap_or_default()) == normalize(name)
                    && a["versions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|v| v == version)
            })
        })
        .collect()
}

/// One request the advisory server received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    body: String,
}

/// A local OSV API + PyPI JSON API.
struct Advisories {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Advisories {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve(stream, &log));
            }
        });
        Advisories { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut length = 0;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body = String::from_utf8_lossy(&body).into_owned();
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        body: body.clone(),
    });
    let (status, answer) = route(&method, &path, &body);
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

fn route(method: &str, path: &str, body: &str) -> (&'static str, String) {
    let records = records();
    if method == "POST" && path == "/v1/querybatch" {
        let q: Value = serde_json::from_str(body).unwrap();
        let results: Vec<Value> = q["queries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let vulns: Vec<Value> = matching(
                    &records,
                    q["package"]["name"].as_str().unwrap(),
                    q["version"].as_str().unwrap(),
                )
                .iter()
                .map(|r| json!({"id": r["id"], "modified": r["modified"]}))
                .collect();
                // One advisory per page, as OSV pages a long list: `page_token` is the index
                // of the next one.
                let at: usize = q["page_token"].as_str().map_or(0, |t| t.parse().unwrap());
                match vulns.get(at) {
                    None => json!({}),
                    Some(v) if at + 1 < vulns.len() => {
                        json!({"vulns": [v], "next_page_token": (at + 1).to_string()})
                    }
                    Some(v) => json!({"vulns": [v]}),
                }
            })
            .collect();
        return ("200 OK", json!({ "results": results }).to_string());
    }
    if let Some(id) = path.strip_prefix("/v1/vulns/") {
        return match records.iter().find(|r| r["id"] == id) {
            Some(r) => ("200 OK", r.to_string()),
            None => ("404 Not Found", "{}".into()),
        };
    }
    if let Some(rest) = path.strip_prefix("/pypi/") {
        let parts: Vec<&str> = rest.split('/').collect();
        if let [name, version, "json"] = parts[..] {
            let vulns: Vec<Value> = matching(&records, name, version)
                .iter()
                .map(|r| {
                    let fixed: Vec<Value> = r["affected"][0]["ranges"][0]["events"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(|e| e.get("fixed").cloned())
                        .collect();
                    json!({"id": r["id"], "aliases": r["aliases"], "summary": r["summary"],
                           "details": r["details"], "fixed_in": fixed,
                           "link": "https://osv.dev/", "source": "osv",
                           "withdrawn": r.get("withdrawn")})
                })
                .collect();
            return (
                "200 OK",
                json!({"info": {"name": name, "version": version}, "urls": [], "vulnerabilities": vulns})
                    .to_string(),
            );
        }
    }
    ("404 Not Found", "{}".into())
}

/// The private plugin: a wheel whose METADATA declares `License-Expression: MIT`.
fn write_private_plugin(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let spec = WheelSpec::new("netbox-acme", "1.0");
    let dist_info = spec.dist_info();
    let metadata = "Metadata-Version: 2.4\nName: netbox-acme\nVersion: 1.0\nLicense-Expression: MIT\nRequires-Dist: django>=3\nRequires-Dist: jinja2\nRequires-Dist: pytest; extra == \"test\"\n";
    let mut entries = vec![
        ("netbox_acme/__init__.py".to_string(), b"".to_vec()),
        (
            format!("{dist_info}/METADATA"),
            metadata.as_bytes().to_vec(),
        ),
        (format!("{dist_info}/WHEEL"), spec.wheel_file().into_bytes()),
    ];
    let mut record: String = entries
        .iter()
        .map(|(p, d)| common::wheel::record_row(p, d))
        .collect();
    record.push_str(&format!("{dist_info}/RECORD,,\n"));
    entries.push((format!("{dist_info}/RECORD"), record.into_bytes()));
    std::fs::write(
        dir.join(spec.filename()),
        common::wheel::zip_bytes(&entries),
    )
    .unwrap();
}

struct Setup {
    _tmp: tempfile::TempDir,
    work: PathBuf,
    index: FakeIndex,
    archive: PathBuf,
}

fn public_index() -> FakeIndex {
    FakeIndex::start(vec![
        Release::new("django", "3.1.0"),
        Release::new("django", "3.2.1"),
        Release::new("jinja2", "2.0"),
        Release::new("oldlib", "1.0"),
    ])
}

/// Builds the archive: the private plugin (find-links) needing django (pinned by the
/// constraints) and jinja2, plus `oldlib==1.0`.
fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().to_path_buf();
    let index = public_index();
    write_private_plugin(&work.join("local"));
    std::fs::write(work.join("requirements.txt"), "netbox-acme\noldlib==1.0\n").unwrap();
    std::fs::write(
        work.join("constraints.txt"),
        "# The NetBox base image\ndjango==3.1.0\n",
    )
    .unwrap();
    let o = nbwheel()
        .current_dir(&work)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", "-q", "--index-url", &index.url(), "-f", "local"])
        .args(["--cache-dir", "cache", "-o", "wheelhouse.tar.gz"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let archive = work.join("wheelhouse.tar.gz");
    Setup {
        _tmp: tmp,
        work,
        index,
        archive,
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn audit(s: &Setup, extra: &[&str]) -> Output {
    nbwheel()
        .current_dir(&s.work)
        .args(["audit", "wheelhouse.tar.gz", "--index-url", &s.index.url()])
        .args(extra)
        .output()
        .unwrap()
}

/// Output with the ports and temp paths replaced.
fn filtered(s: &str, setup: &Setup, advisories: Option<&Advisories>) -> String {
    let mut out = s.replace(&setup.index.url(), "[INDEX]/");
    out = out.replace(
        &setup.index.url().trim_end_matches('/').to_string(),
        "[INDEX]",
    );
    out = out.replace(&setup.index.base_url(), "[INDEX-HOST]");
    if let Some(a) = advisories {
        out = out.replace(&a.url, "[ADVISORIES]/");
    }
    out.replace(&setup.work.display().to_string(), "[WORK]")
}

#[test]
fn osv_api_findings_fix_reachability_and_private_projects_never_sent() {
    let s = setup();
    let adv = Advisories::start();
    let o = audit(&s, &["--vulnerability-url", &adv.url]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    insta::assert_snapshot!("audit_osv_text", filtered(&text(&o), &s, Some(&adv)));
    let seen = adv.seen();
    assert!(
        seen.iter()
            .any(|r| r.method == "POST" && r.path == "/v1/querybatch")
    );
    // A package with two advisories came back in two pages: the second query carried the token.
    assert!(
        seen.iter()
            .any(|r| r.method == "POST" && r.body.contains("\"page_token\":\"1\"")),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .all(|r| !r.body.contains("acme") && !r.path.contains("acme")),
        "a private project was sent: {seen:?}"
    );
    let o = audit(&s, &["--vulnerability-url", &adv.url, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["not_checked_private"], json!(["netbox-acme==1.0"]));
    insta::assert_snapshot!("audit_osv_json", filtered(&stdout, &s, Some(&adv)));
}

#[test]
fn pypi_json_api_gives_the_same_findings_and_ignores_silence_them() {
    let s = setup();
    let adv = Advisories::start();
    let args = [
        "--vulnerability-service",
        "pypi",
        "--vulnerability-url",
        &adv.url,
    ];
    let o = audit(&s, &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("PYSEC-2099-1") && out.contains("GHSA-jjjj-kkkk-llll"),
        "{out}"
    );
    assert!(
        !out.contains("PYSEC-2099-9"),
        "withdrawn advisory reported: {out}"
    );
    let seen = adv.seen();
    assert!(
        seen.iter().any(|r| r.path == "/pypi/django/3.1.0/json"),
        "{seen:?}"
    );
    assert!(seen.iter().all(|r| !r.path.contains("acme")), "{seen:?}");
    // An alias silences its advisory; an expired entry in the configuration does not.
    std::fs::write(
        s.work.join("nbwheel.toml"),
        "ignore = [\"GHSA-jjjj-kkkk-llll\", { id = \"CVE-2099-1001\", until = \"2000-01-01\", reason = \"base image\" }]\n",
    )
    .unwrap();
    let o = audit(&s, &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("Ignored: jinja2 2.0 GHSA-jjjj-kkkk-llll"),
        "{out}"
    );
    assert!(
        out.contains("the ignore of `CVE-2099-1001` expired on 2000-01-01"),
        "{out}"
    );
    let o = audit(&s, &[&args[..], &["--ignore", "CVE-2099-1001"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn write_db_folder(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for r in records() {
        let id = r["id"].as_str().unwrap();
        std::fs::write(dir.join(format!("{id}.json")), r.to_string()).unwrap();
    }
}

fn write_db_zip(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for r in records() {
        let id = r["id"].as_str().unwrap();
        zip.start_file(
            format!("{id}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(r.to_string().as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn offline_osv_database_folder_or_zip_and_exit_codes() {
    let s = setup();
    write_db_folder(&s.work.join("osv"));
    write_db_zip(&s.work.join("all.zip"));
    for db in ["osv", "all.zip"] {
        let o = audit(&s, &["--offline", "--osv-db", db]);
        assert_eq!(o.status.code(), Some(1), "{db}: {}", text(&o));
        let out = text(&o);
        assert!(
            out.contains("PYSEC-2099-1") && out.contains("GHSA-jjjj-kkkk-llll"),
            "{out}"
        );
        assert!(
            !out.contains("PYSEC-2099-9") && !out.contains("PYSEC-2099-5"),
            "{out}"
        );
    }
    let o = audit(
        &s,
        &[
            "--offline",
            "--osv-db",
            "all.zip",
            "--ignore",
            "PYSEC-2099-1",
        ],
    );
    let o2 = audit(
        &s,
        &[
            "--offline",
            "--osv-db",
            "all.zip",
            "--ignore",
            "PYSEC-2099-1",
            "--ignore",
            "CVE-2099-2002",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(o2.status.code(), Some(0), "{}", text(&o2));
    insta::assert_snapshot!("audit_offline_clean", filtered(&text(&o2), &s, None));
    // The service cannot be reached: exit 3.
    let o = audit(
        &s,
        &[
            "--vulnerability-url",
            "http://127.0.0.1:9/",
            "--retries",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    // A database that is not one: exit 2.
    let o = audit(&s, &["--offline", "--osv-db", "requirements.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn project_status_and_yanks_are_findings_and_quarantine_refuses() {
    let s = setup();
    write_db_folder(&s.work.join("osv"));
    let adv = Advisories::start();
    s.index
        .knobs()
        .project_status("jinja2", "archived", Some("use jinja3"));
    s.index
        .knobs()
        .yank("oldlib-1.0-py3-none-any.whl", "broken metadata");
    let o = audit(
        &s,
        &[
            "--vulnerability-url",
            &adv.url,
            "--ignore",
            "PYSEC-2099-1",
            "--ignore",
            "GHSA-jjjj-kkkk-llll",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    insta::assert_snapshot!("audit_status", filtered(&text(&o), &s, Some(&adv)));
    // `build` warns about archived projects.
    let o = nbwheel()
        .current_dir(&s.work)
        .args(["build", "--index-url", &s.index.url(), "-f", "local"])
        .args(["--no-cache", "-o", "again.tar.gz"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("`jinja2` is archived on"), "{}", text(&o));
    // … and lists the warning in its JSON report.
    let o = nbwheel()
        .current_dir(&s.work)
        .args(["build", "--index-url", &s.index.url(), "-f", "local"])
        .args(["--no-cache", "-o", "again.tar.gz", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("`jinja2` is archived on")),
        "{report}"
    );
    // Quarantined: exit 4 naming the project, in `audit` and in `build`.
    s.index
        .knobs()
        .project_status("jinja2", "quarantined", Some("malware"));
    let o = audit(&s, &["--vulnerability-url", &adv.url]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        text(&o).contains("`jinja2` is quarantined on"),
        "{}",
        text(&o)
    );
    let o = nbwheel()
        .current_dir(&s.work)
        .args(["build", "-q", "--index-url", &s.index.url(), "-f", "local"])
        .args(["-o", "third.tar.gz", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("`jinja2` is quarantined"), "{}", text(&o));
}

#[test]
fn licenses_are_listed_against_the_allow_list() {
    let s = setup();
    write_db_folder(&s.work.join("osv"));
    let o = audit(
        &s,
        &[
            "--offline",
            "--osv-db",
            "osv",
            "--licenses",
            "--allow-license",
            "MIT",
            "--ignore",
            "PYSEC-2099-1",
            "--ignore",
            "GHSA-jjjj-kkkk-llll",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    insta::assert_snapshot!("audit_licenses", filtered(&text(&o), &s, None));
    // `inspect` shows each wheel's license.
    let o = nbwheel()
        .current_dir(&s.work)
        .args(["inspect", "wheelhouse.tar.gz"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let acme = out.lines().find(|l| l.contains("netbox-acme")).unwrap();
    assert!(acme.ends_with("  MIT"), "{out}");
    let django = out.lines().find(|l| l.contains("django")).unwrap();
    assert!(django.ends_with("license unknown"), "{out}");
    let o = nbwheel()
        .current_dir(&s.work)
        .args(["inspect", "wheelhouse.tar.gz", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["licenses"]["netbox_acme-1.0-py3-none-any.whl"], "MIT");
}

/// The official `CycloneDX` 1.5 schema, its `spdx` and `jsf` references served from
/// `fixtures/cyclonedx/`.
fn cyclonedx_validator() -> jsonschema::Validator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cyclonedx");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let bom = read("bom-1.5.SNAPSHOT.schema.json")
        .replace("spdx.SNAPSHOT.schema.json", "spdx.schema.json")
        .replace("jsf-0.82.SNAPSHOT.schema.json", "jsf-0.82.schema.json");
    let bom: Value = serde_json::from_str(&bom).unwrap();
    let spdx: Value = serde_json::from_str(&read("spdx.SNAPSHOT.schema.json")).unwrap();
    let jsf: Value = serde_json::from_str(&read("jsf-0.82.SNAPSHOT.schema.json")).unwrap();
    let registry = jsonschema::Registry::new()
        .add("http://cyclonedx.org/schema/spdx.schema.json", spdx)
        .unwrap()
        .add("http://cyclonedx.org/schema/jsf-0.82.schema.json", jsf)
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .build(&bom)
        .unwrap()
}

#[test]
fn sbom_is_valid_cyclonedx_and_reproducible() {
    let s = setup();
    let o = nbwheel()
        .current_dir(&s.work)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args([
            "sbom",
            "wheelhouse.tar.gz",
            "--netbox",
            "4.2.0",
            "-o",
            "sbom.json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let written = std::fs::read_to_string(s.work.join("sbom.json")).unwrap();
    let doc: Value = serde_json::from_str(&written).unwrap();
    let validator = cyclonedx_validator();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Same archive, same document (stdout this time).
    let o = nbwheel()
        .current_dir(&s.work)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["sbom", "wheelhouse.tar.gz", "--netbox", "4.2.0"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), written);
    let mut redacted = filtered(&written, &s, None);
    for c in doc["components"].as_array().unwrap() {
        let h = c["hashes"][0]["content"].as_str().unwrap();
        redacted = redacted.replace(h, "[SHA256]");
    }
    let archive_sha = doc["metadata"]["component"]["hashes"][0]["content"]
        .as_str()
        .unwrap();
    redacted = redacted.replace(archive_sha, "[ARCHIVE-SHA256]");
    let serial = doc["serialNumber"].as_str().unwrap();
    redacted = redacted.replace(serial, "[SERIAL]");
    insta::assert_snapshot!("sbom_json", redacted);
    // `build --sbom` writes the same document beside the archive, which does not change.
    let before = std::fs::read(&s.archive).unwrap();
    let o = nbwheel()
        .current_dir(&s.work)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", "-q", "--index-url", &s.index.url(), "-f", "local"])
        .args([
            "--cache-dir",
            "cache",
            "-o",
            "wheelhouse.tar.gz",
            "--netbox",
            "4.2.0",
        ])
        .args(["--sbom", "built.json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(&s.archive).unwrap(), before);
    let built: Value =
        serde_json::from_str(&std::fs::read_to_string(s.work.join("built.json")).unwrap()).unwrap();
    assert_eq!(built["components"], doc["components"]);
    assert_eq!(built["dependencies"], doc["dependencies"]);
}

#[test]
fn build_audit_gates_the_build() {
    let s = setup();
    write_db_folder(&s.work.join("osv"));
    let o = nbwheel()
        .current_dir(&s.work)
        .args(["build", "-q", "--index-url", &s.index.url(), "-f", "local"])
        .args([
            "--cache-dir",
            "cache",
            "-o",
            "gated.tar.gz",
            "--audit",
            "--osv-db",
            "osv",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("PYSEC-2099-1"), "{}", text(&o));
    assert!(s.work.join("gated.tar.gz").is_file());
}

#[test]
fn inputs_are_resolved_and_audited_without_an_archive() {
    let s = setup();
    write_db_folder(&s.work.join("osv"));
    let o = nbwheel()
        .current_dir(&s.work)
        .args([
            "audit",
            "-r",
            "requirements.txt",
            "-c",
            "constraints.txt",
            "-f",
            "local",
        ])
        .args([
            "--index-url",
            &s.index.url(),
            "--cache-dir",
            "cache",
            "--osv-db",
            "osv",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("`constraints.txt` line 2 pins `django==3.1.0`"),
        "{out}"
    );
    assert!(
        out.contains("Not checked (private): netbox-acme==1.0"),
        "{out}"
    );
}
