//! Hostile servers through the binary: pages pointing at local files, credentials leaving their
//! origin, private projects from public sources, unbounded bodies. Each test here failed before
//! its fix. Every server is a local one on 127.0.0.1.

use std::path::Path;
use std::process::Output;

use crate::common::wheel::WheelSpec;
use crate::common::{FakeIndex, Reply, nbwheel};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `build` of `reqs` in `dir` with its own cache and the given source arguments.
fn build(dir: &Path, reqs: &str, args: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(dir)
        .args(["build", "-v", "--retries", "0", "-r", "requirements.txt"])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(["-o", "out.tar.gz"])
        .args(args)
        .output()
        .unwrap()
}

/// A project page listing one wheel at `href`, in HTML or JSON.
fn page(project: &str, filename: &str, href: &str, json: bool) -> Reply {
    if json {
        let body = serde_json::json!({
            "meta": {"api-version": "1.1"},
            "name": project,
            "files": [{"filename": filename, "url": href, "hashes": {}}],
        });
        Reply::ok(
            "application/vnd.pypi.simple.v1+json",
            serde_json::to_vec(&body).unwrap(),
        )
    } else {
        Reply::ok(
            "text/html",
            format!("<html><body><a href=\"{href}\">{filename}</a></body></html>").into_bytes(),
        )
    }
}

#[test]
fn item6_a_remote_page_never_points_at_a_local_file() {
    let dir = tempfile::tempdir().unwrap();
    let spec = WheelSpec::new("a", "1.0");
    let filename = spec.filename();
    let local = dir.path().join("planted");
    std::fs::create_dir_all(&local).unwrap();
    let wheel_path = local.join(&filename);
    std::fs::write(&wheel_path, spec.build()).unwrap();
    let href = url::Url::from_file_path(&wheel_path).unwrap().to_string();
    for json in [false, true] {
        let (f, h) = (filename.clone(), href.clone());
        let server = FakeIndex::scripted(move |_| page("a", &f, &h, json));
        let index = server.url();
        // As an index page and as a find-links page.
        for args in [
            vec!["--index-url", index.as_str()],
            vec!["--index-url", index.as_str(), "--find-links", index.as_str()],
        ] {
            let out = build(dir.path(), "a\n", &args);
            let all = text(&out);
            assert_ne!(out.status.code(), Some(0), "json={json} {args:?}: {all}");
            assert!(!dir.path().join("out.tar.gz").exists(), "{all}");
            assert!(all.contains(&filename), "the skipped file is named: {all}");
            assert!(all.contains("local `file:` URL"), "{all}");
        }
    }
    // The same wheel from a local source the user gave is fine.
    let out = build(
        dir.path(),
        "a\n",
        &["--no-index", "--find-links", local.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
