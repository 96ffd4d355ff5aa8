use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use super::check::lenient_requires_python;
use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn name(s: &str) -> PackageName {
    PackageName::from_str(s).unwrap()
}

fn render(page: &ProjectPage) -> String {
    let mut out = format!(
        "name: {}\napi-version: {}\n",
        page.name,
        page.api_version.as_deref().unwrap_or("-")
    );
    for f in &page.files {
        let wheel = f.wheel.as_ref().map_or("-".to_string(), |w| {
            format!("{} {} {}", w.name, w.version, w.tag_string())
        });
        let hashes = |h: &Hashes| {
            h.0.iter()
                .map(|(a, d)| format!("{a}:{d}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        writeln!(out, "- {}", f.filename).unwrap();
        writeln!(out, "    wheel: {wheel}").unwrap();
        writeln!(out, "    url: {}", f.url).unwrap();
        writeln!(out, "    hashes: {}", hashes(&f.hashes)).unwrap();
        if let Some(rp) = &f.requires_python {
            writeln!(out, "    requires-python: {rp}").unwrap();
        }
        if let Some(y) = &f.yanked {
            writeln!(out, "    yanked: {y:?}").unwrap();
        }
        if let Some(cm) = &f.core_metadata {
            writeln!(out, "    core-metadata: [{}]", hashes(cm)).unwrap();
        }
        if let Some(t) = &f.upload_time {
            writeln!(out, "    upload-time: {t}").unwrap();
        }
        if let Some(s) = f.size {
            writeln!(out, "    size: {s}").unwrap();
        }
        writeln!(out, "    origin: {:?}", f.origin).unwrap();
    }
    out
}

/// A `tracing` writer into a shared buffer, to check warnings.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn with_logs<T>(f: impl FnOnce() -> T) -> (T, String) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    (out, text)
}

const PYPI: &str = "https://pypi.org/simple/pillow/";

fn json_page(api: &str, files: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "meta": {"api-version": api},
        "name": "x",
        "files": files,
    }))
    .unwrap()
}

fn one_json(filename: &str, file_url: &str) -> Result<ProjectPage, IndexError> {
    let body = json_page(
        "1.0",
        &serde_json::json!([{"filename": filename, "url": file_url, "hashes": {}}]),
    );
    parse_json(
        &body,
        &url("https://user:secret@example.org/simple/x/"),
        &name("x"),
        Origin::Index(0),
    )
}

fn one_html(anchor: &str, project: Option<&str>) -> Result<ProjectPage, IndexError> {
    let body = format!("<html><body>{anchor}</body></html>");
    parse_html(
        body.as_bytes(),
        &url("https://example.org/simple/x/"),
        project.map(name).as_ref(),
        Origin::Index(1),
    )
}

#[test]
fn content_types() {
    let cases = [
        None,
        Some("application/vnd.pypi.simple.v1+json"),
        Some("Application/Vnd.PyPI.Simple.V1+JSON; charset=utf-8"),
        Some("application/vnd.pypi.simple.latest+json"),
        Some("application/vnd.pypi.simple.v1+html"),
        Some("text/html; charset=utf-8"),
        Some("application/json"),
    ];
    let out: Vec<String> = cases
        .iter()
        .map(|c| format!("{c:?} -> {:?}", format_from_content_type(*c)))
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn project_status_pep_792() {
    let page_url = url("https://example.org/simple/x/");
    let json = br#"{"meta": {"api-version": "1.4"}, "name": "x", "files": [],
        "project-status": {"status": "Archived", "reason": "moved to y"}}"#;
    let page = parse_json(json, &page_url, &name("x"), Origin::Index(0)).unwrap();
    let status = page.status.unwrap();
    assert_eq!(
        (status.status.as_str(), status.reason.as_deref()),
        ("archived", Some("moved to y"))
    );
    let active = br#"{"name": "x", "files": [], "project-status": {"status": "active"}}"#;
    let page = parse_json(active, &page_url, &name("x"), Origin::Index(0)).unwrap();
    assert_eq!(page.status, None);
    let html = br#"<html><head><meta name="pypi:project-status" content="quarantined">
        <meta name="pypi:project-status-reason" content="malware &amp; spam"></head></html>"#;
    let page = parse_html(html, &page_url, Some(&name("x")), Origin::Index(0)).unwrap();
    let status = page.status.unwrap();
    assert!(status.is_quarantined());
    assert_eq!(status.reason.as_deref(), Some("malware & spam"));
}

#[test]
fn json_pillow() {
    let body = include_bytes!("../../../fixtures/index/pillow.json");
    let page = parse_json(body, &url(PYPI), &name("pillow"), Origin::Index(0)).unwrap();
    insta::assert_snapshot!(render(&page));
}

#[test]
fn html_pillow() {
    let body = include_bytes!("../../../fixtures/index/pillow.html");
    let page = parse_html(body, &url(PYPI), Some(&name("pillow")), Origin::Index(0)).unwrap();
    insta::assert_snapshot!(render(&page));
}

#[test]
fn json_and_html_agree_on_pillow() {
    let json = parse_json(
        include_bytes!("../../../fixtures/index/pillow.json"),
        &url(PYPI),
        &name("pillow"),
        Origin::Index(0),
    )
    .unwrap();
    let html = parse_html(
        include_bytes!("../../../fixtures/index/pillow.html"),
        &url(PYPI),
        Some(&name("pillow")),
        Origin::Index(0),
    )
    .unwrap();
    assert_eq!(json.files.len(), html.files.len());
    for (j, h) in json.files.iter().zip(&html.files) {
        assert_eq!(j.filename, h.filename);
        assert_eq!(j.url, h.url);
        assert_eq!(j.hashes, h.hashes);
        assert_eq!(j.requires_python, h.requires_python);
        assert_eq!(j.yanked.is_some(), h.yanked.is_some());
        assert_eq!(j.core_metadata, h.core_metadata);
    }
}

#[test]
fn relative_urls_and_base() {
    let body = json_page(
        "1.1",
        &serde_json::json!([
            {"filename": "x-1.0-py3-none-any.whl", "url": "../../packages/x-1.0-py3-none-any.whl#sha256=AB12", "hashes": {"SHA256": "AB12", "md5": "00ff"}},
            {"filename": "x-1.1-py3-none-any.whl", "url": "/files/x-1.1-py3-none-any.whl", "hashes": {}},
            {"filename": "x-1.2-py3-none-any.whl", "url": "x-1.2-py3-none-any.whl", "hashes": {}, "requires-python": ""},
            {"filename": "x-1.3+local-py3-none-any.whl", "url": "files/x-1.3%2Blocal-py3-none-any.whl", "hashes": {}, "requires-python": null},
            {"filename": "x-1.4-py3-none-any.whl", "url": "file:///srv/wheels/x-1.4-py3-none-any.whl", "hashes": {}},
        ]),
    );
    let json = parse_json(
        &body,
        &url("https://user:secret@example.org/simple/x/"),
        &name("x"),
        Origin::Index(2),
    )
    .unwrap();
    let html = parse_html(
        br#"<!DOCTYPE html><html><head><BASE HREF="https://mirror.example.org/base/dir/"></head><body>
        <a href="x-1.0-py3-none-any.whl#sha384=CAFE&amp;egg=x">x-1.0-py3-none-any.whl</a>
        <A HREF="../up/x-1.1-py3-none-any.whl#SHA512=beef&sha1=0a" data-yanked>
           x-1.1-py3-none-any.whl
        </A>
        <a href="/abs/x-1.2-py3-none-any.whl" data-requires-python="&gt;=3.8,&#60;4,!=3.9.&#x2A;">x-1.2-py3-none-any.whl</a>
        <a href="x-2.0.tar.gz" data-core-metadata data-dist-info-metadata="sha256=11">x-2.0.tar.gz</a>
        <a href="x-2.1-py3-none-any.whl" data-core-metadata="true"></a>
        <a href="x-2.2-py3-none-any.whl" data-core-metadata="false">x-2.2-py3-none-any.whl</a>
        <a href="x-2.2.exe">x-2.2.exe</a>
        <a href="x-2.2.egg">x-2.2.egg</a>
        <a name="no-href">anchor</a>
        </body></html>"#,
        &url("https://example.org/simple/x/"),
        Some(&name("x")),
        Origin::FindLinks(0),
    )
    .unwrap();
    insta::assert_snapshot!(format!("{}\n{}", render(&json), render(&html)));
}

#[test]
fn api_versions() {
    let files = serde_json::json!([
        {"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "hashes": {}}
    ]);
    let page_url = url("https://example.org/simple/x/");
    let mut out = String::new();
    for v in ["1.0", "1.4", "1.99", "2.0", "0.9", "1", "one.two"] {
        let (result, logs) = with_logs(|| {
            parse_json(
                &json_page(v, &files),
                &page_url,
                &name("x"),
                Origin::Index(0),
            )
        });
        let result = match result {
            Ok(p) => format!("ok, {} file(s)", p.files.len()),
            Err(e) => format!("error: {e}"),
        };
        writeln!(out, "json {v}: {result}\n  logs: {}", logs.trim()).unwrap();
    }
    for v in ["1.0", "1.99", "2.0"] {
        let body = format!(
            r#"<html><head><meta name="pypi:repository-version" content="{v}"></head>
            <body><a href="x-1.0-py3-none-any.whl">x-1.0-py3-none-any.whl</a></body></html>"#
        );
        let (result, logs) =
            with_logs(|| parse_html(body.as_bytes(), &page_url, None, Origin::Index(0)));
        let result = match result {
            Ok(p) => format!(
                "ok, {} file(s), version {:?}, name {}",
                p.files.len(),
                p.api_version,
                p.name
            ),
            Err(e) => format!("error: {e}"),
        };
        writeln!(out, "html {v}: {result}\n  logs: {}", logs.trim()).unwrap();
    }
    // A JSON page without `meta` is read as version 1.0.
    let body = br#"{"name": "x", "files": []}"#;
    let page = parse_json(body, &page_url, &name("x"), Origin::Index(0)).unwrap();
    writeln!(out, "json without meta: {:?}", page.api_version).unwrap();
    insta::assert_snapshot!(out);
}

#[test]
fn lenient_requires_python_keeps_the_file() {
    let body = json_page(
        "1.0",
        &serde_json::json!([
            {"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "hashes": {}, "requires-python": ">=3.6.*"},
            {"filename": "x-1.1-py3-none-any.whl", "url": "x-1.1-py3-none-any.whl", "hashes": {}, "requires-python": " >=3.8 "},
        ]),
    );
    let (page, logs) = with_logs(|| {
        parse_json(
            &body,
            &url("https://example.org/simple/x/"),
            &name("x"),
            Origin::Index(0),
        )
    });
    insta::assert_snapshot!(format!("{}\nlogs: {}", render(&page.unwrap()), logs.trim()));
}

#[test]
fn requires_python_is_read_as_pip_and_uv_read_it() {
    let cases = [
        ">=3.8",
        ">=3.6.*",
        ">= '3.6'",
        ">=3.6,",
        ">=3.6, <4,",
        "=>3.7",
        ">=3.6<4",
        ">=2.7, !=3.0*, !=3.1.*",
        ">=2.7 !=3.0.*",
        "\">=3.8\"",
        ">=3.8.0.*",
        "3.6",
        "python>=3",
        "~=3",
        ">=",
    ];
    let out: Vec<String> = cases
        .iter()
        .map(|c| {
            format!(
                "{c:?} -> {}",
                lenient_requires_python(c).map_or("(ignored)".to_string(), |s| s.to_string())
            )
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn malformed_pages() {
    let page_url = url("https://token@example.org/simple/x/?X-Amz-Signature=abc");
    let mut out = String::new();
    let json_cases: [(&str, &[u8]); 8] = [
        ("empty", b""),
        ("not json", b"<html></html>"),
        ("truncated", br#"{"meta": {"api-version": "1.0"}, "files": [{"filename": "x"#),
        ("array", b"[]"),
        ("no files", br#"{"meta": {"api-version": "1.0"}, "name": "x"}"#),
        ("filename not a string", br#"{"files": [{"filename": 1, "url": "a"}]}"#),
        ("negative size", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "size": -1}]}"#),
        ("other project", br#"{"name": "Y", "files": []}"#),
    ];
    for (case, body) in json_cases {
        let err = parse_json(body, &page_url, &name("x"), Origin::Index(0)).unwrap_err();
        writeln!(out, "json {case}: {err}").unwrap();
    }
    let html_cases: [(&str, &[u8]); 2] = [
        ("not utf-8", b"<a href=\"x\xff\">x</a>"),
        (
            "bad base",
            br#"<base href="https://[::1"><a href="x-1.0-py3-none-any.whl">x</a>"#,
        ),
    ];
    for (case, body) in html_cases {
        let err = parse_html(body, &page_url, Some(&name("x")), Origin::Index(0)).unwrap_err();
        writeln!(out, "html {case}: {err}").unwrap();
    }
    // One unusable field makes one file unusable, not the page.
    let file_cases: [(&str, &[u8]); 4] = [
        ("bad upload time", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "upload-time": "yesterday"}]}"#),
        ("bad hash", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "hashes": {"sha256": "zz"}}]}"#),
        ("bad metadata hash", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "core-metadata": {"sha256": ""}}]}"#),
        ("bad url", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "https://[::1"}]}"#),
    ];
    for (case, body) in file_cases {
        let page = parse_json(body, &page_url, &name("x"), Origin::Index(0)).unwrap();
        assert!(page.files.is_empty(), "{case}");
        writeln!(out, "json {case}: skipped {}", page.skipped[0]).unwrap();
    }
    let page = parse_html(
        br#"<a href="x-1.0-py3-none-any.whl#sha256=xyz">x-1.0-py3-none-any.whl</a>"#,
        &page_url,
        Some(&name("x")),
        Origin::Index(0),
    )
    .unwrap();
    assert!(page.files.is_empty());
    writeln!(out, "html bad fragment hash: skipped {}", page.skipped[0]).unwrap();
    // Garbage HTML is not an error: it lists no files.
    let page = parse_html(b"<<<a href=>></a <a", &page_url, None, Origin::Index(0)).unwrap();
    writeln!(out, "html garbage: {} file(s)", page.files.len()).unwrap();
    insta::assert_snapshot!(out);
}

#[test]
fn hostile_files_in_json() {
    let cases = [
        (
            "too few parts",
            "x-1.0-py3-any.whl",
            "https://files.example.org/x-1.0-py3-any.whl",
        ),
        (
            "parent folders",
            "../../x-1.0-py3-none-any.whl",
            "https://files.example.org/..%2F..%2Fx-1.0-py3-none-any.whl",
        ),
        (
            "%2F in the name",
            "a%2Fx-1.0-py3-none-any.whl",
            "https://files.example.org/a%252Fx-1.0-py3-none-any.whl",
        ),
        (
            "%2F in the URL",
            "x-1.0-py3-none-any.whl",
            "https://files.example.org/a%2Fx-1.0-py3-none-any.whl",
        ),
        (
            "%252F in the URL",
            "x-1.0-py3-none-any.whl",
            "https://files.example.org/%252E%252E%252Fx-1.0-py3-none-any.whl",
        ),
        (
            "backslash",
            "..\\x-1.0-py3-none-any.whl",
            "https://files.example.org/..%5Cx-1.0-py3-none-any.whl",
        ),
        (
            "NUL",
            "x-1.0-py3-none-any.whl\u{0}",
            "https://files.example.org/x-1.0-py3-none-any.whl%00",
        ),
        (
            "control character",
            "x\u{1b}-1.0-py3-none-any.whl",
            "https://files.example.org/x%1B-1.0-py3-none-any.whl",
        ),
        (
            "name differs from URL",
            "x-1.0-py3-none-any.whl",
            "https://files.example.org/x-2.0-py3-none-any.whl",
        ),
        (
            "URL ends in a slash",
            "x-1.0-py3-none-any.whl",
            "https://files.example.org/x-1.0-py3-none-any.whl/",
        ),
        (
            "another project",
            "evil-1.0-py3-none-any.whl",
            "https://files.example.org/evil-1.0-py3-none-any.whl",
        ),
        (
            "trailing newline",
            "x-1.0-py3-none-any.whl\n",
            "https://files.example.org/x-1.0-py3-none-any.whl%0A",
        ),
        (
            "upper-case extension",
            "x-1.0-py3-none-any.WHL",
            "https://files.example.org/x-1.0-py3-none-any.WHL",
        ),
        (
            "leading dot",
            ".x-1.0-py3-none-any.whl",
            "https://files.example.org/.x-1.0-py3-none-any.whl",
        ),
        (
            "ftp scheme",
            "x-1.0-py3-none-any.whl",
            "ftp://files.example.org/x-1.0-py3-none-any.whl",
        ),
        (
            "data scheme",
            "x-1.0-py3-none-any.whl",
            "data:text/plain,x-1.0-py3-none-any.whl",
        ),
        (
            "sdist over ftp",
            "x-1.0.tar.gz",
            "ftp://files.example.org/x-1.0.tar.gz",
        ),
    ];
    let mut out = String::new();
    for (case, filename, file_url) in cases {
        let page = one_json(filename, file_url).expect(case);
        assert!(page.files.is_empty(), "{case}: {:?}", page.files);
        let [skipped] = &page.skipped[..] else {
            panic!("{case}: {:?}", page.skipped);
        };
        writeln!(out, "{case}: skipped {skipped}").unwrap();
    }
    insta::assert_snapshot!(out);
}

#[test]
fn hostile_files_in_html() {
    let cases = [
        (
            "too few parts",
            r#"<a href="x-1.0-py3-any.whl">x-1.0-py3-any.whl</a>"#,
        ),
        (
            "parent folders in the text",
            r#"<a href="..%2F..%2Fx-1.0-py3-none-any.whl">../../x-1.0-py3-none-any.whl</a>"#,
        ),
        (
            "parent folders in the URL only",
            r#"<a href="..%2F..%2Fx-1.0-py3-none-any.whl"></a>"#,
        ),
        (
            "slash as a character reference",
            r#"<a href="x-1.0-py3-none-any.whl">a&#47;x-1.0-py3-none-any.whl</a>"#,
        ),
        ("%252F", r#"<a href="a%252Fx-1.0-py3-none-any.whl"></a>"#),
        ("backslash", r#"<a href="..%5Cx-1.0-py3-none-any.whl"></a>"#),
        ("NUL", r#"<a href="x-1.0-py3-none-any.whl%00"></a>"#),
        (
            "name differs from URL",
            r#"<a href="y/x-2.0-py3-none-any.whl">x-1.0-py3-none-any.whl</a>"#,
        ),
        (
            "another project",
            r#"<a href="evil-1.0-py3-none-any.whl">evil-1.0-py3-none-any.whl</a>"#,
        ),
        (
            "encoded newline in URL",
            r#"<a href="x-1.0-py3-none-any.whl%0A">x-1.0-py3-none-any.whl</a>"#,
        ),
        (
            "javascript scheme",
            r#"<a href="javascript:alert(1)">x-1.0-py3-none-any.whl</a>"#,
        ),
    ];
    let mut out = String::new();
    for (case, anchor) in cases {
        // Each hostile anchor sits beside a sound file, which is still used.
        let page = one_html(
            &format!(r#"{anchor}<a href="x-9.0-py3-none-any.whl">x-9.0-py3-none-any.whl</a>"#),
            Some("x"),
        )
        .expect(case);
        let kept: Vec<&str> = page.files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(kept, ["x-9.0-py3-none-any.whl"], "{case}");
        let [skipped] = &page.skipped[..] else {
            panic!("{case}: {:?}", page.skipped);
        };
        writeln!(out, "{case}: skipped {skipped}").unwrap();
    }
    insta::assert_snapshot!(out);
}

#[test]
fn flat_page_grouped_by_project() {
    let body = br#"<html><body>
        <a href="wheels/Django-4.2.11-py3-none-any.whl#sha256=ddc24a0a8280a0430baa37aff11f28574720af05888c62b7cfe71d219f4599d3">Django-4.2.11-py3-none-any.whl</a>
        <a href="wheels/django-4.2.11.tar.gz">django-4.2.11.tar.gz</a>
        <a href="wheels/netbox_plugin_dns-1.1.0-py3-none-any.whl">netbox_plugin_dns-1.1.0-py3-none-any.whl</a>
        <a href="wheels/netbox-plugin-dns-1.0.7.tar.gz">netbox-plugin-dns-1.0.7.tar.gz</a>
        <a href="wheels/asgiref-3.8.1-py3-none-any.whl">asgiref-3.8.1-py3-none-any.whl</a>
        <a href="wheels/oddname.tar.gz">oddname.tar.gz</a>
        <a href="wheels/README.txt">README.txt</a>
        </body></html>"#;
    let page = parse_html(
        body,
        &url("https://example.org/wheelhouse/index.html"),
        None,
        Origin::FindLinks(3),
    )
    .unwrap();
    let groups = group_by_project(page.files);
    let mut keys: Vec<_> = groups.keys().collect();
    keys.sort();
    let mut out = String::new();
    for k in keys {
        let names: Vec<&str> = groups[k].iter().map(|f| f.filename.as_str()).collect();
        writeln!(out, "{k}: {}", names.join(", ")).unwrap();
    }
    insta::assert_snapshot!(out);
}

#[test]
fn decodes_character_references() {
    // As WHATWG tokenization decodes them (as browsers and pip's `html.parser` do), in an
    // attribute value and in the anchor text: every named reference, the legacy ones without
    // `;` (but not `&name=` or `&nameX` inside an attribute), numeric ones with out-of-range
    // code points replaced by U+FFFD.
    let cases = [
        "plain",
        "&gt;=3.8,&lt;4",
        "&amp;amp; &quot;q&quot; &apos;a&apos;",
        "&#62;&#x3E;&#X3e;",
        "&unknown; & &#xZZ; &#1114112; &",
        "&gt",
        "&#x110000;",
        "&copy=1 &copyx &copy; &notin; &NotANamedRef; &#0; &#x80;",
    ];
    let out: Vec<String> = cases
        .iter()
        .map(|c| {
            let attr = one_html(
                &format!(r#"<a href="x-1.0-py3-none-any.whl" data-yanked="{c}">x-1.0-py3-none-any.whl</a>"#),
                Some("x"),
            )
            .unwrap();
            let text = one_html(&format!(r#"<a href="x-1.0-py3-none-any.whl">{c}.whl</a>"#), Some("x"))
                .unwrap();
            format!(
                "{c:?} -> attribute {:?}, text {:?}",
                attr.files[0].yanked.as_deref().unwrap_or_default(),
                text.skipped[0].filename.trim_end_matches(".whl"),
            )
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

fn filename_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        "(?s).{0,40}",
        "(?s).{0,30}\\.whl",
        "x-(?s).{0,8}-py3-none-any\\.whl",
        "(?s).{0,6}x-1\\.0(?s).{0,6}-py3-none-any\\.whl",
        "[a-zA-Z0-9_.%/\\\\-]{0,20}\\.(whl|tar\\.gz)",
    ]
}

proptest::proptest! {
    /// RELIABILITY row 7 as a property: whatever file names a page lists, the page is
    /// read, and every listed wheel is either skipped or becomes exactly one safe entry
    /// `wheelhouse/<valid>.whl` of this project.
    #[test]
    fn arbitrary_listed_names_are_skipped_or_one_wheelhouse_entry(
        filename in filename_strategy(),
        encode in proptest::bool::ANY,
        html in proptest::bool::ANY,
    ) {
        let segment = if encode {
            percent_encoding::utf8_percent_encode(&filename, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        } else {
            filename.clone()
        };
        let file_url = format!("https://files.example.org/p/{segment}");
        let page = if html {
            let anchor = format!(
                "<a href=\"{}\">{}</a>",
                file_url.replace('"', "%22"),
                filename.replace('&', "&amp;").replace('<', "&lt;")
            );
            one_html(&anchor, Some("x"))
        } else {
            one_json(&filename, &file_url)
        };
        let page = page.expect("a listed file never makes the page unusable");
        for f in &page.files {
            let Some(w) = &f.wheel else {
                proptest::prop_assert!(is_sdist_filename(&f.filename));
                continue;
            };
            proptest::prop_assert!(is_safe_component(&f.filename), "{:?}", f.filename);
            proptest::prop_assert_eq!(w.filename(), f.filename.as_str());
            proptest::prop_assert_eq!(w.name.as_ref(), "x");
            proptest::prop_assert!(std::path::Path::new(&f.filename).extension().is_some_and(|e| e == "whl"));
            let joined = std::path::Path::new("wheelhouse").join(&f.filename);
            let parts: Vec<_> = joined.components().collect();
            proptest::prop_assert_eq!(parts.len(), 2);
            proptest::prop_assert!(matches!(parts[1], std::path::Component::Normal(_)));
            proptest::prop_assert_eq!(joined.parent(), Some(std::path::Path::new("wheelhouse")));
        }
        // A wheel-looking name is kept or skipped, never lost silently.
        if filename.trim_end().to_ascii_lowercase().ends_with(".whl") && !html {
            proptest::prop_assert_eq!(page.files.len() + page.skipped.len(), 1);
        }
    }

    #[test]
    fn arbitrary_html_never_panics(body in "(?s).{0,200}") {
        let _ = parse_html(body.as_bytes(), &url("https://example.org/simple/x/"), None, Origin::Index(0));
        let _ = parse_html(body.as_bytes(), &url("https://example.org/simple/x/"), Some(&name("x")), Origin::Index(0));
    }

    #[test]
    fn arbitrary_json_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
        let _ = parse_json(&body, &url("https://example.org/simple/x/"), &name("x"), Origin::Index(0));
    }
}
