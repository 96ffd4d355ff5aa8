//! Tests of the hermetic test harness itself (`tests/it/common/`): generated wheels are valid and
//! deterministic, the fake index's pages parse and agree with the bytes it serves, HTTP details
//! (redirects, ranges, HEAD, keep-alive) work, every fault knob does what it says, and pip — the
//! reference client — downloads from the index and installs the generated wheels.

use crate::common;

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::common::tools::{self, require};
use crate::common::wheel::{self, WheelSpec, sha256_hex};
use crate::common::{FakeIndex, Release, Scenario};

/// A response as the raw test client sees it.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("valid JSON")
    }
}

/// Reads one response from a stream (body by `Content-Length`, or to EOF after a HEAD-less
/// close).
fn read_reply(stream: &mut TcpStream, head_request: bool) -> Reply {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read head");
        assert!(n == 1, "connection closed inside the head");
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = Vec::new();
    if !head_request {
        // Read up to `len` bytes; a truncated body ends early at EOF.
        let mut limited = stream.take(len as u64);
        limited.read_to_end(&mut body).expect("read body");
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// One request on a fresh connection, with extra header lines.
fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        write!(req, "{n}: {v}\r\n").expect("writing to a String");
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).expect("send");
    read_reply(&mut stream, method == "HEAD")
}

fn get(index: &FakeIndex, path: &str) -> Reply {
    request(index.addr(), "GET", path, &[])
}

fn get_json(index: &FakeIndex, path: &str) -> Reply {
    request(
        index.addr(),
        "GET",
        path,
        &[(
            "Accept",
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01",
        )],
    )
}

fn small_index() -> Vec<Release> {
    vec![
        Release::new("a", "1.0").depends(&["b>=1"]),
        Release::new("a", "2.0")
            .requires_python("<3.12,>=3.8")
            .yanked("bad <release> & \"quotes\""),
        Release::new("b", "1.0").wheels(&[
            "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
            "py3-none-any",
        ]),
        Release::new("Foo.Bar_baz", "0.1"),
        Release::new("src-only", "1.0").sdist_only(),
    ]
}

#[test]
fn every_scenario_loads_and_checks() {
    let all = Scenario::all();
    assert!(all.len() >= 15, "expected the full scenario set");
    for s in &all {
        assert!(!s.expect.is_empty(), "`{}` has no expectations", s.name);
        assert!(!s.description.is_empty(), "`{}` has no description", s.name);
        // Every wheel builds and has a valid RECORD.
        for f in common::Catalog::build(&s.packages).files() {
            if f.metadata.is_some() {
                wheel::check_record(&f.bytes).unwrap_or_else(|e| panic!("{}: {e}", f.filename));
            }
        }
    }
}

#[test]
fn scenario_checks_catch_typos() {
    let bad = r#"
        requirements = ["a"]
        [[package]]
        name = "a"
        version = "1.0"
        [[expect]]
        pins = ["a==1.1"]
    "#;
    let err = std::panic::catch_unwind(|| Scenario::from_toml("bad", bad)).expect_err("typo");
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("a==1.1"), "{msg}");
}

#[test]
fn wheel_contents_are_valid_and_deterministic() {
    let spec = WheelSpec {
        requires_python: Some(">=3.10".into()),
        provides_extra: vec!["cli".into()],
        ..WheelSpec::new("Foo.Bar-baz", "1.2.3")
            .tags("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")
            .requires(&["click>=8 ; extra == 'cli'", "requests"])
            .file("foo_bar_baz/plugin.py", b"X = 1\n")
    };
    let bytes = spec.build();
    assert_eq!(bytes, spec.build(), "wheel bytes must be deterministic");
    assert_eq!(
        spec.filename(),
        "Foo_Bar_baz-1.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    );
    wheel::check_record(&bytes).expect("valid RECORD");
    let entries = wheel::unzip(&bytes);
    let mut listing = String::new();
    for (name, data) in &entries {
        writeln!(listing, "== {name} ({} bytes)", data.len()).expect("writing to a String");
        if name.contains(".dist-info/") {
            listing.push_str(&String::from_utf8_lossy(data));
        }
    }
    insta::assert_snapshot!(listing);
    // Stable across runs and machines: pin the hash.
    insta::assert_snapshot!("wheel_sha256", sha256_hex(&bytes));
}

#[test]
fn record_check_detects_tampering() {
    let spec = WheelSpec::new("a", "1.0");
    let mut entries = wheel::unzip(&spec.build());
    entries[0].1.extend_from_slice(b"# tampered\n");
    let tampered = wheel::zip_bytes(&entries);
    assert!(wheel::check_record(&tampered).is_err());
}

#[test]
fn sdist_is_deterministic_tar_gz() {
    let (name, bytes) = wheel::sdist("Src.Only", "1.0", "Metadata-Version: 2.1\n");
    assert_eq!(name, "src_only-1.0.tar.gz");
    assert_eq!(
        bytes,
        wheel::sdist("Src.Only", "1.0", "Metadata-Version: 2.1\n").1
    );
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    let names: Vec<String> = archive
        .entries()
        .expect("tar")
        .map(|e| {
            e.expect("entry")
                .path()
                .expect("path")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        ["src_only-1.0/PKG-INFO", "src_only-1.0/pyproject.toml"]
    );
}

#[test]
fn json_page_matches_served_bytes() {
    let index = FakeIndex::start(small_index());
    let reply = get_json(&index, "/simple/a/");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/vnd.pypi.simple.v1+json")
    );
    let page = reply.json();
    assert_eq!(page["meta"]["api-version"], "1.1");
    assert_eq!(page["name"], "a");
    assert_eq!(page["versions"], serde_json::json!(["1.0", "2.0"]));
    let files = page["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    for f in files {
        let url = f["url"].as_str().expect("url");
        let path = url.strip_prefix(&index.base_url()).expect("absolute URL");
        let body = get(&index, path).body;
        assert_eq!(f["hashes"]["sha256"], sha256_hex(&body));
        assert_eq!(f["size"], body.len());
        assert_eq!(f["upload-time"], "2024-01-01T00:00:00.000000Z");
        let meta = get(&index, &format!("{path}.metadata")).body;
        assert_eq!(f["core-metadata"]["sha256"], sha256_hex(&meta));
        assert_eq!(f["core-metadata"], f["data-dist-info-metadata"]);
        let inside = wheel::unzip(&body)
            .into_iter()
            .find(|(n, _)| n.ends_with(".dist-info/METADATA"))
            .expect("METADATA")
            .1;
        assert_eq!(meta, inside, "PEP 658 metadata equals the wheel's METADATA");
    }
    assert_eq!(files[0]["yanked"], false);
    assert!(files[0].get("requires-python").is_none());
    assert_eq!(files[1]["yanked"], "bad <release> & \"quotes\"");
    assert_eq!(files[1]["requires-python"], "<3.12,>=3.8");

    let sdist = get_json(&index, "/simple/src-only/").json();
    let f = &sdist["files"][0];
    assert_eq!(f["filename"], "src_only-1.0.tar.gz");
    assert!(
        f.get("core-metadata").is_none(),
        "sdists have no PEP 658 metadata"
    );

    let root = get_json(&index, "/simple/").json();
    let names: Vec<&str> = root["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["a", "b", "Foo.Bar_baz", "src-only"]);
}

#[test]
fn html_page_is_pep_503() {
    let index = FakeIndex::start(small_index());
    let reply = get(&index, "/simple/a/");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = reply.text();
    let sha = index.sha256("a-1.0-py3-none-any.whl");
    assert!(html.contains(&format!("a-1.0-py3-none-any.whl#sha256={sha}")));
    insta::with_settings!({filters => vec![(r"127\.0\.0\.1:\d+", "[HOST]"), (r"[0-9a-f]{64}", "[SHA256]")]}, {
        insta::assert_snapshot!(html);
    });
    let v1 = request(
        index.addr(),
        "GET",
        "/simple/",
        &[("Accept", "application/vnd.pypi.simple.v1+html")],
    );
    assert_eq!(
        v1.header("content-type"),
        Some("application/vnd.pypi.simple.v1+html")
    );
    assert!(
        v1.text()
            .contains("<a href=\"foo-bar-baz/\">Foo.Bar_baz</a>")
    );
}

#[test]
fn non_normalised_names_redirect() {
    let index = FakeIndex::start(small_index());
    let r = get(&index, "/simple/Foo_Bar.BAZ/");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/simple/foo-bar-baz/"));
    let r = get(&index, "/simple/a");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/simple/a/"));
    assert_eq!(get(&index, "/simple/foo-bar-baz/").status, 200);
    assert_eq!(get(&index, "/simple/nope/").status, 404);
    assert_eq!(get(&index, "/files/nope.whl").status, 404);
}

#[test]
fn ranges_head_and_keep_alive() {
    let index = FakeIndex::start(small_index());
    let name = "b-1.0-py3-none-any.whl";
    let path = format!("/files/{name}");
    let full = index.file(name).bytes.to_vec();
    let len = full.len();

    let r = request(index.addr(), "GET", &path, &[("Range", "bytes=0-9")]);
    assert_eq!(r.status, 206);
    assert_eq!(r.body, &full[..10]);
    assert_eq!(
        r.header("content-range"),
        Some(&*format!("bytes 0-9/{len}"))
    );
    let r = request(index.addr(), "GET", &path, &[("Range", "bytes=-5")]);
    assert_eq!((r.status, &r.body[..]), (206, &full[len - 5..]));
    let r = request(index.addr(), "GET", &path, &[("Range", "bytes=10-")]);
    assert_eq!((r.status, &r.body[..]), (206, &full[10..]));
    let r = request(index.addr(), "GET", &path, &[("Range", "bytes=999999-")]);
    assert_eq!(r.status, 416);
    let etag = format!("\"{}\"", index.sha256(name));
    let r = request(
        index.addr(),
        "GET",
        &path,
        &[("Range", "bytes=0-9"), ("If-Range", &etag)],
    );
    assert_eq!(r.status, 206);
    let r = request(
        index.addr(),
        "GET",
        &path,
        &[("Range", "bytes=0-9"), ("If-Range", "\"other\"")],
    );
    assert_eq!((r.status, r.body.len()), (200, len));

    let r = request(index.addr(), "HEAD", &path, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some(&*len.to_string()));
    assert!(r.body.is_empty());

    // Two requests on one connection.
    let mut stream = TcpStream::connect(index.addr()).expect("connect");
    for _ in 0..2 {
        stream
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .expect("send");
        let r = read_reply(&mut stream, false);
        assert_eq!((r.status, r.body.len()), (200, len));
        assert_eq!(r.header("connection"), Some("keep-alive"));
    }
}

#[test]
fn hash_knobs() {
    let index = FakeIndex::start(small_index());
    let name = "a-1.0-py3-none-any.whl";
    let real = index.sha256(name);
    index.knobs().wrong_hash(name);
    let page = get_json(&index, "/simple/a/").json();
    assert_ne!(page["files"][0]["hashes"]["sha256"], real.as_str());
    assert_eq!(
        page["files"][1]["hashes"]["sha256"],
        index.sha256("a-2.0-py3-none-any.whl")
    );
    assert!(!get(&index, "/simple/a/").text().contains(&real));

    index.knobs().reset();
    index.knobs().no_hash("a");
    let page = get_json(&index, "/simple/a/").json();
    assert_eq!(page["files"][0]["hashes"], serde_json::json!({}));
    assert!(!get(&index, "/simple/a/").text().contains("#sha256="));

    index.knobs().md5_only("a");
    let page = get_json(&index, "/simple/a/").json();
    let md5 = wheel::md5_hex(&index.file(name).bytes);
    assert_eq!(
        page["files"][0]["hashes"],
        serde_json::json!({ "md5": md5 })
    );
    assert!(
        get(&index, "/simple/a/")
            .text()
            .contains(&format!("#md5={md5}"))
    );
}

#[test]
fn metadata_knobs() {
    let index = FakeIndex::start(small_index());
    let name = "a-1.0-py3-none-any.whl";
    let meta_path = format!("/files/{name}.metadata");
    index.knobs().metadata_wrong_hash(name);
    let page = get_json(&index, "/simple/a/").json();
    let served = get(&index, &meta_path).body;
    assert_ne!(
        page["files"][0]["core-metadata"]["sha256"],
        sha256_hex(&served)
    );

    index.knobs().metadata_differs(name);
    let page = get_json(&index, "/simple/a/").json();
    let served = get(&index, &meta_path).body;
    assert_eq!(
        page["files"][0]["core-metadata"]["sha256"],
        sha256_hex(&served)
    );
    assert!(String::from_utf8_lossy(&served).contains("injected-by-fake-index"));

    index.knobs().reset();
    index.knobs().no_metadata("a");
    let page = get_json(&index, "/simple/a/").json();
    assert_eq!(page["files"][0]["core-metadata"], false);
    assert_eq!(get(&index, &meta_path).status, 404);
    assert!(
        !get(&index, "/simple/a/")
            .text()
            .contains("data-core-metadata")
    );
}

#[test]
fn failure_knobs() {
    let index = FakeIndex::start(small_index());
    let path = "/files/a-1.0-py3-none-any.whl";
    index.knobs().fail_next(path, 2, 503);
    let first = get(&index, path);
    assert_eq!(first.status, 503);
    assert_eq!(first.header("retry-after"), Some("1"));
    assert_eq!(get(&index, path).status, 503);
    assert_eq!(get(&index, path).status, 200);
    assert_eq!(index.count(path), 3);

    index
        .knobs()
        .fail_next_retry_after("/simple/", 1, 429, Some(7));
    let r = get(&index, "/simple/a/");
    assert_eq!((r.status, r.header("retry-after")), (429, Some("7")));
    index.knobs().fail_next("/simple/b/", 1, 404);
    assert_eq!(get(&index, "/simple/b/").status, 404);
    index.knobs().fail_next("/simple/b/", 1, 401);
    assert!(
        get(&index, "/simple/b/")
            .header("www-authenticate")
            .is_some()
    );
    assert_eq!(get(&index, "/simple/b/").status, 200);
}

#[test]
fn auth_knob() {
    let index = FakeIndex::start(small_index());
    index.knobs().require_auth("alice", "s3cret");
    let r = get(&index, "/simple/a/");
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"fake-index\"")
    );
    // base64("alice:s3cret")
    let ok = request(
        index.addr(),
        "GET",
        "/files/a-1.0-py3-none-any.whl",
        &[("Authorization", "Basic YWxpY2U6czNjcmV0")],
    );
    assert_eq!(ok.status, 200);
    let log = index.requests();
    assert_eq!(log[1].authorization(), Some("Basic YWxpY2U6czNjcmV0"));
    assert!(
        index
            .url_with_auth("alice", "s3cret")
            .starts_with("http://alice:s3cret@127.0.0.1:")
    );
}

#[test]
fn delay_truncate_throttle_and_gauge() {
    let index = FakeIndex::start(small_index());
    let path = "/files/a-1.0-py3-none-any.whl";
    let full_len = index.file("a-1.0-py3-none-any.whl").bytes.len();

    index.knobs().delay("/files/", Duration::from_millis(300));
    let started = Instant::now();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let addr = index.addr();
            std::thread::spawn(move || request(addr, "GET", path, &[]).status)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("thread"), 200);
    }
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(index.max_concurrent(), 4);
    index.knobs().reset();

    index.knobs().truncate_next(path, 1, 100);
    let r = get(&index, path);
    assert_eq!(r.header("content-length"), Some(&*full_len.to_string()));
    assert_eq!(r.body.len(), 100, "closed after 100 bytes");
    assert_eq!(get(&index, path).body.len(), full_len, "only the next one");

    // About 250 ms for the whole file.
    let rate = full_len as u64 * 4;
    index.knobs().throttle(path, rate);
    let started = Instant::now();
    assert_eq!(get(&index, path).body.len(), full_len);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(150),
        "throttled: {elapsed:?}"
    );
}

#[test]
fn format_and_encoding_knobs() {
    let index = FakeIndex::start(small_index());
    index.knobs().json_only();
    assert!(get(&index, "/simple/a/").json()["files"].is_array());
    index.knobs().html_only();
    assert!(
        get_json(&index, "/simple/a/")
            .text()
            .starts_with("<!DOCTYPE html>")
    );
    index.knobs().reset();

    index.knobs().api_version("2.0");
    assert_eq!(
        get_json(&index, "/simple/a/").json()["meta"]["api-version"],
        "2.0"
    );
    assert!(
        get(&index, "/simple/a/")
            .text()
            .contains("<meta name=\"pypi:repository-version\" content=\"2.0\">")
    );
    index.knobs().reset();

    index.knobs().relative_urls(true);
    let page = get_json(&index, "/simple/a/").json();
    assert_eq!(
        page["files"][0]["url"],
        "../../files/a-1.0-py3-none-any.whl"
    );
    index.knobs().reset();

    index.knobs().gzip("/files/");
    let r = get(&index, "/files/a-1.0-py3-none-any.whl");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..])
        .read_to_end(&mut decoded)
        .expect("gzip body");
    assert_eq!(decoded, &*index.file("a-1.0-py3-none-any.whl").bytes);
}

#[test]
fn request_log_records_headers() {
    let index = FakeIndex::start(small_index());
    request(
        index.addr(),
        "GET",
        "/simple/a/",
        &[("User-Agent", "nbwheel-test/1"), ("Accept", "text/html")],
    );
    request(
        index.addr(),
        "HEAD",
        "/files/b-1.0-py3-none-any.whl",
        &[("Range", "bytes=0-1")],
    );
    let log = index.requests();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].method.as_str(), log[0].status), ("GET", 200));
    assert_eq!(log[0].user_agent(), Some("nbwheel-test/1"));
    assert_eq!(log[0].accept(), Some("text/html"));
    assert_eq!(
        (log[1].method.as_str(), log[1].range()),
        ("HEAD", Some("bytes=0-1"))
    );
    assert_eq!(index.count("/files/"), 1);
    assert_eq!(index.count_get("/files/"), 0);
    index.clear_log();
    assert!(index.requests().is_empty());
}

#[test]
fn put_file_publishes_arbitrary_bytes() {
    let index = FakeIndex::start(small_index());
    index.put_file("a", "3.0", "a-3.0-py3-none-any.whl", b"not a zip".to_vec());
    let page = get_json(&index, "/simple/a/").json();
    assert_eq!(page["files"][2]["filename"], "a-3.0-py3-none-any.whl");
    assert_eq!(
        get(&index, "/files/a-3.0-py3-none-any.whl").body,
        b"not a zip"
    );
}

/// pip, the reference client, downloads from the fake index (JSON, then HTML) and the file's
/// sha256 matches what the index advertises.
#[test]
fn pip_downloads_from_the_fake_index() {
    let python = require!(tools::pip());
    let scenario = Scenario::load("tag_priority");
    let index = FakeIndex::start(&scenario);
    for html in [false, true] {
        if html {
            index.knobs().html_only();
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let args: Vec<String> = [
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--index-url",
            &index.url(),
            "-d",
            &dir.path().display().to_string(),
            "native==1.0",
            "--platform",
            "manylinux_2_28_x86_64",
            "--python-version",
            "3.12",
            "--implementation",
            "cp",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let out = common::pip::run_pip(&python, &args);
        assert!(
            out.status.success(),
            "pip failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let name = "native-1.0-cp312-cp312-manylinux_2_28_x86_64.whl";
        let bytes = std::fs::read(dir.path().join(name)).expect("pip downloaded the best wheel");
        assert_eq!(sha256_hex(&bytes), index.sha256(name));
    }
    assert!(index.count_get("/simple/native/") >= 2);
}

/// The generated wheels are installable: pip installs a pure wheel and its dependency from a
/// find-links folder.
#[test]
fn pip_installs_generated_wheels() {
    let python = require!(tools::pip());
    let dir = tempfile::tempdir().expect("tempdir");
    let links = dir.path().join("links");
    let target = dir.path().join("target");
    let written = common::write_find_links_dir(
        &links,
        [
            Release::new("acme-plugin", "1.0")
                .depends(&["acme-dep>=1"])
                .file("acme_plugin/__init__.py", "from .core import X\n")
                .file("acme_plugin/core.py", "X = 42\n"),
            Release::new("acme-dep", "1.0"),
        ],
    );
    assert_eq!(written.len(), 2);
    let args: Vec<String> = [
        "install",
        "--no-index",
        "--find-links",
        &links.display().to_string(),
        "--target",
        &target.display().to_string(),
        "acme-plugin",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let out = common::pip::run_pip(&python, &args);
    assert!(
        out.status.success(),
        "pip install failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(target.join("acme_plugin/core.py")).expect("installed"),
        "X = 42\n"
    );
    assert!(target.join("acme_dep/__init__.py").exists());
    assert!(target.join("acme_plugin-1.0.dist-info/RECORD").exists());
}
