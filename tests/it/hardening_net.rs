//! Hostile servers through the binary: pages pointing at local files, credentials leaving their
//! origin, private projects from public sources, unbounded bodies. Each test here failed before
//! its fix. Every server is a local one on 127.0.0.1.

use std::path::Path;
use std::process::Output;

use base64::Engine as _;

use crate::common::wheel::WheelSpec;
use crate::common::{FakeIndex, Release, Reply, nbwheel};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `build` of `reqs` in `dir` with its own cache and the given source arguments.
fn build(dir: &Path, reqs: &str, args: &[&str]) -> Output {
    build_env(dir, reqs, args, &[])
}

/// [`build`] with extra environment variables.
fn build_env(dir: &Path, reqs: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    let _ = std::fs::remove_dir_all(dir.join("cache"));
    let _ = std::fs::remove_file(dir.join("out.tar.gz"));
    nbwheel()
        .current_dir(dir)
        .envs(env.iter().copied())
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
            vec![
                "--index-url",
                index.as_str(),
                "--find-links",
                index.as_str(),
            ],
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

/// `Basic` of `user:password`.
fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// The `Authorization` values a server received.
fn auths(server: &FakeIndex) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter_map(|r| r.authorization().map(str::to_string))
        .collect()
}

#[test]
fn item2_netrc_credentials_stay_with_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    // `files` serves the wheel on another port of the same host; `index` lists it there, or
    // lists a URL of its own that redirects there.
    let files = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let filename = "a-1.0-py3-none-any.whl";
    let sha = files.sha256(filename);
    let target = files.file_url(filename);
    let netrc = dir.path().join("netrc");
    for (entries, redirect) in [
        ("machine 127.0.0.1 login m password mpass\n", false),
        ("machine 127.0.0.1 login m password mpass\n", true),
        ("default login d password dpass\n", false),
        ("default login d password dpass\n", true),
    ] {
        std::fs::write(&netrc, entries).unwrap();
        let (t, s) = (target.clone(), sha.clone());
        let index = FakeIndex::scripted(move |req| {
            if req.path == "/simple/a/" {
                let base = format!("http://{}", req.header("host").unwrap_or_default());
                let href = if redirect {
                    format!("{base}/go/{filename}")
                } else {
                    t.clone()
                };
                let body = serde_json::json!({
                    "meta": {"api-version": "1.1"},
                    "name": "a",
                    "files": [{"filename": filename, "url": href, "hashes": {"sha256": s}}],
                });
                Reply::ok(
                    "application/vnd.pypi.simple.v1+json",
                    serde_json::to_vec(&body).unwrap(),
                )
            } else if req.path.starts_with("/go/") {
                Reply::redirect(302, &t)
            } else {
                Reply::Full {
                    status: 404,
                    headers: Vec::new(),
                    body: Vec::new(),
                }
            }
        });
        files.clear_log();
        let out = build_env(
            dir.path(),
            "a\n",
            &["--index-url", &index.url()],
            &[("NETRC", netrc.to_str().unwrap())],
        );
        let case = format!("netrc {entries:?}, redirect {redirect}");
        assert_eq!(out.status.code(), Some(0), "{case}: {}", text(&out));
        let expected = if entries.starts_with("machine") {
            basic("m", "mpass")
        } else {
            basic("d", "dpass")
        };
        let sent = auths(&index);
        assert!(
            !sent.is_empty() && sent.iter().all(|a| *a == expected),
            "{case}: the index gets its netrc entry: {sent:?}"
        );
        assert!(
            auths(&files).is_empty(),
            "{case}: another port of the same host gets nothing: {:?}",
            auths(&files)
        );
        assert!(files.count_get("/files/") > 0, "{case}");
    }
}

#[test]
fn item3_private_prefix_holds_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let private = FakeIndex::start(vec![Release::new("acme-plugin", "1.0")]);
    let public = FakeIndex::start(vec![
        Release::new("acme-plugin", "99.0"),
        Release::new("acme-other", "1.0"),
    ]);
    let (pv, pb) = (private.url(), public.url());
    let prefix = ["--private-prefix", "acme-"];

    // A single index is no private source: refused before the name is even asked for.
    let out = build(
        d,
        "acme-plugin\n",
        &[&["-i", pb.as_str()][..], &prefix].concat(),
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "single index: {all}");
    assert!(all.contains("no source is declared private"), "{all}");
    assert_eq!(public.count("/simple/acme-plugin/"), 0, "{all}");

    // An index written in a requirements file neither outranks the command line's indexes nor
    // counts as private.
    let reqs = format!("--extra-index-url {pb}\nacme-plugin\n");
    let out = build(d, &reqs, &[&["-i", pv.as_str()][..], &prefix].concat());
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "index from a file: {all}");
    assert_eq!(public.count_get("/files/"), 0, "{all}");
    let out = build(
        d,
        &reqs,
        &[
            &["-i", pv.as_str(), "--private-index", pv.as_str()][..],
            &prefix,
        ]
        .concat(),
    );
    let all = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "--private-index beats a file: {all}"
    );
    assert_eq!(public.count("/simple/acme-plugin/"), 0, "{all}");
    assert!(private.count_get("/files/acme_plugin-1.0") > 0, "{all}");

    // --private-index beside a public -i: the private project comes from the private index;
    // merged with a public index that also has it, it is refused naming that index.
    let both = [
        &["-i", pb.as_str(), "--private-index", pv.as_str()][..],
        &prefix,
    ]
    .concat();
    let out = build(d, "acme-plugin\n", &both);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let merged = [&both[..], &["--index-strategy", "unsafe-best-match"]].concat();
    let out = build(d, "acme-plugin\n", &merged);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "merged: {all}");
    assert!(all.contains(&format!("was found on {pb}")), "{all}");
    assert!(all.contains(&format!("private sources: {pv}")), "{all}");
    // Found only on the public index.
    let out = build(d, "acme-other\n", &both);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "public only: {all}");
    assert!(all.contains(&format!("was found on {pb}")), "{all}");

    // A find-links source named in a requirements file is never private.
    let wheels = d.join("wheels");
    crate::common::write_find_links_dir(&wheels, vec![Release::new("acme-other", "1.0")]);
    let reqs = format!("--find-links {}\nacme-other\n", wheels.display());
    let out = build(d, &reqs, &["--private-index", pv.as_str(), "--no-index"]);
    let out2 = build(
        d,
        &reqs,
        &[
            &["--private-index", pv.as_str(), "-i", pv.as_str()][..],
            &prefix,
        ]
        .concat(),
    );
    let all = text(&out2);
    assert_eq!(out.status.code(), Some(0), "no prefix: {}", text(&out));
    assert_eq!(out2.status.code(), Some(4), "find-links from a file: {all}");
    assert!(all.contains(&wheels.display().to_string()), "{all}");
    // The same folder given on the command line is private.
    let out = build(
        d,
        "acme-other\n",
        &[
            &["-i", pv.as_str(), "--find-links", wheels.to_str().unwrap()][..],
            &prefix,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn item5_download_and_page_bodies_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let url = index.url();
    let base = ["-i", url.as_str()];

    // A wheel gzipped by the server is never decoded: its raw bytes fail the hash.
    index.knobs().gzip("/files/");
    let out = build(d, "a\n", &base);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "gzip: {all}");
    assert!(all.contains("sha256"), "{all}");
    assert!(!d.join("out.tar.gz").exists());
    index.knobs().reset();

    // No declared size: the --max-wheel-size cap.
    let out = build(
        d,
        "a\n",
        &[&base[..], &["--max-wheel-size", "100"]].concat(),
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "cap: {all}");
    assert!(all.contains("exceeds the limit of 100 bytes"), "{all}");
    let out = build_env(d, "a\n", &base, &[("NBWHEEL_MAX_WHEEL_SIZE", "200")]);
    assert!(
        text(&out).contains("exceeds the limit of 200 bytes"),
        "{}",
        text(&out)
    );
    assert!(!d.join("out.tar.gz").exists());

    // A page body over NBWHEEL_MAX_PAGE_SIZE.
    let out = build_env(d, "a\n", &base, &[("NBWHEEL_MAX_PAGE_SIZE", "100")]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "page: {all}");
    assert!(all.contains("exceeds the limit of 100 bytes"), "{all}");

    // The size the index declares caps the body.
    let filename = "a-1.0-py3-none-any.whl";
    let (bytes, sha) = (index.file(filename).bytes, index.sha256(filename));
    let server = FakeIndex::scripted(move |req| {
        if req.path == "/simple/a/" {
            let body = serde_json::json!({
                "meta": {"api-version": "1.1"},
                "name": "a",
                "files": [{"filename": filename, "url": format!("/files/{filename}"),
                           "hashes": {"sha256": sha}, "size": 100}],
            });
            Reply::ok(
                "application/vnd.pypi.simple.v1+json",
                serde_json::to_vec(&body).unwrap(),
            )
        } else {
            Reply::ok("application/octet-stream", bytes.to_vec())
        }
    });
    let out = build(d, "a\n", &["-i", &server.url()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "declared size: {all}");
    assert!(all.contains("exceeds the limit of 100 bytes"), "{all}");

    // A server trickling the wheel cannot hold the request past --max-request-time.
    index.knobs().throttle("/files/", 20);
    let started = std::time::Instant::now();
    let out = build(
        d,
        "a\n",
        &[&base[..], &["--max-request-time", "1"]].concat(),
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(3), "trickle: {all}");
    assert!(all.contains("total deadline"), "{all}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{all}"
    );
}
