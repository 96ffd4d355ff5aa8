//! docs/GUARANTEES.md rows 11-17 and 20 (plus rows 3 and 4 and `--find-links` pages), one test per
//! row, through the binary against local servers on 127.0.0.1: the exit code, the message
//! (snapshots, filtered), request counts on every server, no canary secret anywhere, and
//! nothing partial in the output directory or the cache. TLS and proxies (rows 18, 19) are in
//! `reliability_net.rs`; signals, disks and concurrency (rows 23-25) in `reliability_local.rs`.

use std::io::Write as _;
use std::time::{Duration, Instant};

use crate::common::reliability::{
    CANARY, Run, Work, assert_no_secret, error_text, files_under, filter,
};
use crate::common::{FakeIndex, Release, Reply};

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// `(name, version, source)` of every wheel of the first archive.
fn wheels(run: &Run) -> Vec<(String, String, String)> {
    json(run)["archives"][0]["wheels"]
        .as_array()
        .expect("wheels")
        .iter()
        .map(|w| {
            (
                w["name"].as_str().unwrap_or_default().to_string(),
                w["version"].as_str().unwrap_or_default().to_string(),
                w["source"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Whole-file GETs of exactly this path (`count_get` is a prefix match, which would include
/// `.metadata`; range reads for metadata are not counted).
fn gets(index: &FakeIndex, path: &str) -> usize {
    index
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == path && r.range().is_none())
        .count()
}

fn wheel_files_in_cache(work: &Work) -> Vec<String> {
    files_under(&work.cache().join("v1").join("wheels"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn row11_dependency_confusion_first_index_that_has_the_project_wins() {
    let private = FakeIndex::start(vec![
        Release::new("acme-plugin", "1.2").depends(&["shared-lib"]),
    ]);
    let public = FakeIndex::start(vec![
        Release::new("acme-plugin", "99.0"),
        Release::new("shared-lib", "1.0"),
        Release::new("acme-other", "1.0"),
    ]);
    let pairs = [
        (private.url(), "http://[PRIVATE]/simple/"),
        (public.url(), "http://[PUBLIC]/simple/"),
    ];
    let work = Work::new(&["acme-plugin"]);
    let sources = [
        "--index-url",
        &public.url(),
        "--extra-index-url",
        &private.url(),
        "--format",
        "json",
    ];
    let run = work.build(&[&sources[..], &["-v"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        wheels(&run),
        vec![
            ("acme-plugin".into(), "1.2".into(), private.url()),
            ("shared-lib".into(), "1.0".into(), public.url()),
        ]
    );
    // The public index was never even asked about the private project, and served no file of it.
    assert_eq!(public.count("/simple/acme-plugin/"), 0);
    assert_eq!(public.count_get("/files/acme"), 0);
    assert_eq!(gets(&private, "/files/acme_plugin-1.2-py3-none-any.whl"), 1);
    // `-v` says which index served each project.
    let served: Vec<String> = filter(&run.stderr, &pairs)
        .lines()
        .filter(|l| l.contains("served by"))
        .map(|l| l.trim_start_matches(" INFO ").to_string())
        .collect();
    insta::assert_snapshot!(served.join("\n"), @r"
    `acme-plugin` served by http://[PRIVATE]/simple/
    `shared-lib` served by http://[PUBLIC]/simple/
    ");

    // pip's merging only on explicit opt-in.
    let merged = Work::new(&["acme-plugin"]);
    let run = merged.build(&[&sources[..], &["--index-strategy", "unsafe-best-match"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(wheels(&run)[0].1, "99.0");

    // A private prefix found only on the public index is refused before any download.
    public.clear_log();
    let guarded = Work::new(&["acme-other"]);
    let run = guarded.build(&[&sources[..], &["--private-prefix", "acme-"]].concat());
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 4
    error: Failed to get data for `acme-other`
      Caused by: `acme-other` matches the private prefix `acme-` but was found on http://[PUBLIC]/simple/, which is not declared private (private sources: http://[PRIVATE]/simple/)
    hint: Declare the private index with `--private-index URL` (a source named only in a requirements file is never private), or check the project name for a typo.
    ");
    assert_eq!(public.count_get("/files/"), 0);
    guarded.assert_nothing_partial();
}

#[test]
fn row12_credentials_never_leave_their_realm_on_redirects() {
    let target = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let tbase = target.base_url();
    for code in [301u16, 302, 303, 307, 308] {
        let base = tbase.clone();
        let redirector = FakeIndex::scripted(move |seen| Reply::Full {
            status: code,
            headers: vec![
                ("Location".into(), format!("{base}{}", seen.path)),
                ("Set-Cookie".into(), format!("session={CANARY}")),
            ],
            body: Vec::new(),
        });
        target.clear_log();
        let work = Work::new(&["plugin"]);
        let index = format!("http://user:{CANARY}@{}/simple/", redirector.addr());
        let run = work.build(&["-vv", "--index-url", &index]);
        assert_eq!(run.code, 0, "{code}: {}", run.stderr);
        // The redirector (the credentials' realm) got them; the other origin never did.
        assert!(
            redirector.requests()[0].header("authorization").is_some(),
            "{code}"
        );
        let requests = target.requests();
        assert!(!requests.is_empty());
        for r in &requests {
            assert_eq!(r.authorization(), None, "{code}: {}", r.path);
            assert_eq!(r.header("cookie"), None, "{code}: {}", r.path);
            assert_eq!(r.header("proxy-authorization"), None, "{code}: {}", r.path);
        }
        assert_no_secret(CANARY, &[&run], &[work.path()]);
    }

    // Bad schemes are refused (exit 4) and never followed.
    for location in ["file:///etc/passwd", "ftp://127.0.0.1/simple/plugin/"] {
        let loc = location.to_string();
        let bad = FakeIndex::scripted(move |_| Reply::redirect(302, &loc));
        let pairs = [(bad.base_url(), "http://[INDEX]")];
        let work = Work::new(&["plugin"]);
        let run = work.build(&["--index-url", &format!("{}/simple/", bad.base_url())]);
        insta::assert_snapshot!(
            format!("row12_refused_{}", location.split(':').next().unwrap()),
            error_text(&run, &pairs)
        );
        assert_eq!(bad.requests().len(), 1, "not retried");
        work.assert_nothing_partial();
    }

    // A redirect loop stops after 10 hops: exit 3.
    let looping = FakeIndex::scripted(|seen| Reply::redirect(302, &format!("{}x", seen.path)));
    let pairs = [(looping.base_url(), "http://[INDEX]")];
    let work = Work::new(&["plugin"]);
    let run = work.build(&[
        "--retries",
        "0",
        "--index-url",
        &format!("{}/simple/", looping.base_url()),
    ]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 3
    error: Failed to get data for `plugin`
      Caused by: Request to http://[INDEX]/simple/plugin/ failed after 1 attempt(s): too many redirects (more than 10)
    hint: Check the network and the index URL; raise `--retries` or `--timeout` for a flaky link.
    ");
    assert_eq!(looping.requests().len(), 11);
    work.assert_nothing_partial();
}

#[test]
fn row13_no_secret_in_any_output_cache_or_archive() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").depends(&["dep"]),
        Release::new("dep", "2.0"),
    ]);
    index.knobs().require_auth("user", CANARY);
    let host = index.addr().to_string();
    let with_auth = index.url_with_auth("user", CANARY);
    let netrc_dir = tempfile::tempdir().unwrap();
    let netrc = netrc_dir.path().join("netrc");
    std::fs::write(
        &netrc,
        format!("machine 127.0.0.1 login user password {CANARY}\n"),
    )
    .unwrap();
    let netrc = netrc.display().to_string();

    // Each credential source, at the highest verbosity.
    let mut runs = Vec::new();
    let url_run = Work::new(&["plugin"]);
    runs.push((url_run.build(&["-vv", "--index-url", &with_auth]), url_run));
    let netrc_run = Work::new(&["plugin"]);
    runs.push((
        netrc_run.build_env(&["-vv", "--index-url", &index.url()], &[("NETRC", &netrc)]),
        netrc_run,
    ));
    let env_run = Work::new(&["plugin"]);
    runs.push((
        env_run.build_env(&["-vv"], &[("NBWHEEL_INDEX_URL", &with_auth)]),
        env_run,
    ));
    let file_run = Work::new(&[
        &format!("--index-url http://user:${{NB_TOKEN}}@{host}/simple/"),
        "plugin",
    ]);
    runs.push((
        file_run.build_env(&["-vv"], &[("NB_TOKEN", CANARY)]),
        file_run,
    ));
    let token_only = Work::new(&["plugin"]);
    runs.push((
        token_only.build(&[
            "-vv",
            "--index-url",
            &format!("http://{CANARY}@{host}/simple/"),
        ]),
        token_only,
    ));
    for (i, (run, work)) in runs.iter().enumerate() {
        if i < 4 {
            assert_eq!(run.code, 0, "source {i}: {}", run.stderr);
            // The archive's requirements.txt carries no index URL at all.
            let gz = flate2::read::GzDecoder::new(std::fs::File::open(work.out()).unwrap());
            let mut archive = tar::Archive::new(gz);
            let mut found = false;
            for entry in archive.entries().unwrap() {
                let mut entry = entry.unwrap();
                if entry.path().unwrap().ends_with("requirements.txt") {
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
                    assert!(!text.contains("127.0.0.1"), "source {i}: {text}");
                    found = true;
                }
            }
            assert!(found);
        } else {
            // A bare token as user name is the wrong credential here: exit 3, still no leak.
            assert_eq!(run.code, 3, "{}", run.stderr);
            work.assert_nothing_partial();
        }
        assert_no_secret(CANARY, &[run], &[work.path()]);
    }
}

#[test]
fn row14_auth_failures_name_the_sources_tried_and_are_not_retried() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    index.knobs().require_auth("user", CANARY);
    let pairs = [(index.url(), "http://[INDEX]/simple/")];
    let wrong = format!("wrong-{CANARY}");

    let none = Work::new(&["plugin"]);
    let run = none.build(&["--index-url", &index.url()]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 3
    error: Failed to get data for `plugin`
      Caused by: Authentication failed for http://[INDEX]/simple/plugin/ (HTTP 401); credential sources tried: none (no credentials for this host in the index URL, `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL` or netrc)
    hint: Put credentials in the index URL (`https://user:token@host/simple`), in `~/.netrc` (or `NETRC`), or in `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`.
    ");
    assert_eq!(index.count("/simple/plugin/"), 1, "401 is not retried");
    none.assert_nothing_partial();

    index.clear_log();
    let bad = Work::new(&["plugin"]);
    let run = bad.build(&["--index-url", &index.url_with_auth("user", &wrong)]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("credential sources tried: URL\n"),
        "{}",
        run.stderr
    );
    assert_eq!(index.count("/simple/plugin/"), 1);
    assert_no_secret(CANARY, &[&run], &[bad.path()]);

    index.clear_log();
    let env = Work::new(&["plugin"]);
    let run = env.build_env(
        &[],
        &[("NBWHEEL_INDEX_URL", &index.url_with_auth("user", &wrong))],
    );
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains(
            "credential sources tried: the URL in `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`"
        ),
        "{}",
        run.stderr
    );
    assert_no_secret(CANARY, &[&run], &[env.path()]);

    // netrc: a matching host is used, a non-matching one is not.
    let dir = tempfile::tempdir().unwrap();
    let matching = dir.path().join("matching");
    std::fs::write(
        &matching,
        format!("machine 127.0.0.1\n  login user\n  password {CANARY}\n"),
    )
    .unwrap();
    let other = dir.path().join("other");
    std::fs::write(
        &other,
        format!("machine index.example.com login user password {CANARY}\n"),
    )
    .unwrap();
    let ok = Work::new(&["plugin"]);
    let run = ok.build_env(
        &["--index-url", &index.url()],
        &[("NETRC", matching.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_no_secret(CANARY, &[&run], &[ok.path()]);
    let miss = Work::new(&["plugin"]);
    let run = miss.build_env(
        &["--index-url", &index.url()],
        &[("NETRC", other.to_str().unwrap())],
    );
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("credential sources tried: none"),
        "{}",
        run.stderr
    );

    // 403 on a file: exit 3, not retried, nothing partial.
    let open = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    open.knobs()
        .fail_next("/files/plugin-1.0-py3-none-any.whl", 5, 403);
    let forbidden = Work::new(&["plugin"]);
    let run = forbidden.build(&["--index-url", &open.url()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("(HTTP 403)"), "{}", run.stderr);
    assert_eq!(open.count_get("/files/plugin-1.0-py3-none-any.whl"), 1);
    forbidden.assert_nothing_partial();
}

#[test]
fn row15_truncated_bodies_restart_then_fail_with_nothing_partial() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let file = "/files/plugin-1.0-py3-none-any.whl";
    let size = index.file("plugin-1.0-py3-none-any.whl").bytes.len();
    let pairs = [(index.base_url(), "http://[INDEX]")];

    // Once: the download restarts and the hash is checked on the final bytes. (The knob's
    // prefix also matches the smaller `.metadata`, which is read first and left whole.)
    let metadata_len = index
        .file("plugin-1.0-py3-none-any.whl")
        .metadata
        .unwrap()
        .len();
    let after = metadata_len + 10;
    assert!(after < size);
    index.knobs().truncate_next(file, 2, after);
    let once = Work::new(&["plugin"]);
    let run = once.build(&["--index-url", &index.url()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(gets(&index, file), 2);

    // Always: exit 3 after the retries, naming how much arrived.
    index.knobs().reset();
    index.clear_log();
    index.knobs().truncate(file, after);
    let always = Work::new(&["plugin"]);
    let run = always.build(&["--index-url", &index.url()]);
    let text = error_text(&run, &pairs)
        .replace(&size.to_string(), "[SIZE]")
        .replace(&after.to_string(), "[AFTER]");
    insta::assert_snapshot!(text, @r"
    exit 3
    error: Request to http://[INDEX]/files/plugin-1.0-py3-none-any.whl failed after 2 attempt(s): incomplete body ([AFTER] of [SIZE] bytes): the connection closed early
    hint: Check the network and the index URL; raise `--retries` or `--timeout` for a flaky link.
    ");
    assert_eq!(gets(&index, file), 2);
    always.assert_nothing_partial();
    assert!(wheel_files_in_cache(&always).is_empty());
}

#[test]
fn row16_transient_errors_are_retried_and_4xx_are_not() {
    let statuses = [500u16, 502, 503, 429, 408];
    let releases: Vec<Release> = statuses
        .iter()
        .map(|s| Release::new(&format!("p{s}"), "1.0"))
        .collect();
    let index = FakeIndex::start(releases);
    for s in statuses {
        // 503 honours `Retry-After: 1`; the others use the backoff.
        let after = (s == 503).then_some(1);
        index
            .knobs()
            .fail_next_retry_after(&format!("/files/p{s}-"), 1, s, after);
    }
    let work = Work::new(&["p500", "p502", "p503", "p429", "p408"]);
    let started = Instant::now();
    let run = work.build(&["--index-url", &index.url()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    for s in statuses {
        // The knob matches the `.metadata` (fetched first, while resolving) and the wheel:
        // the first request failed, the retry succeeded, the wheel came at once.
        let seen: Vec<(String, u16)> = index
            .requests()
            .iter()
            .filter(|r| r.path.starts_with(&format!("/files/p{s}-")))
            .map(|r| (r.path.clone(), r.status))
            .collect();
        let meta = format!("/files/p{s}-1.0-py3-none-any.whl.metadata");
        let wheel = format!("/files/p{s}-1.0-py3-none-any.whl");
        assert_eq!(
            seen,
            vec![(meta.clone(), s), (meta, 200), (wheel, 200)],
            "k+1 requests for {s}"
        );
    }

    // 404 on a file: not retried, exit 1.
    let pairs = [(index.base_url(), "http://[INDEX]")];
    index.clear_log();
    index.knobs().no_metadata("p500");
    index.knobs().fail_next("/files/p500-", 5, 404);
    let gone = Work::new(&["p500"]);
    let run = gone.build(&["--index-url", &index.url()]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 1
    error: Failed to get data for `p500==1.0`
      Caused by: http://[INDEX]/files/p500-1.0-py3-none-any.whl answered HTTP 404
    ");
    assert_eq!(index.count_get("/files/p500-"), 1, "not retried");
    gone.assert_nothing_partial();

    // Retries exhausted: exit 3 naming the URL and the attempts.
    index.knobs().reset();
    index.clear_log();
    index.knobs().no_metadata("p502");
    index
        .knobs()
        .fail_next_retry_after("/files/p502-", 10, 502, None);
    let flaky = Work::new(&["p502"]);
    let run = flaky.build(&["--index-url", &index.url(), "--retries", "2"]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 3
    error: Failed to get data for `p502==1.0`
      Caused by: Request to http://[INDEX]/files/p502-1.0-py3-none-any.whl failed after 3 attempt(s): HTTP 502 Bad Gateway
    hint: Check the network and the index URL; raise `--retries` or `--timeout` for a flaky link.
    ");
    assert_eq!(index.count_get("/files/p502-"), 3);
    flaky.assert_nothing_partial();
}

/// Pseudo-random base64 text (compresses poorly), `n` bytes.
fn noise(n: usize) -> String {
    use base64::Engine as _;
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..n * 3 / 4)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn row17_idle_timeouts_fire_but_a_slow_steady_stream_does_not() {
    // Headers never come: the idle timeout fires, is retried once, then exit 3.
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0"),
        Release::new("big", "1.0").file("big/data.txt", &noise(80_000)),
    ]);
    let pairs = [(index.base_url(), "http://[INDEX]")];
    index
        .knobs()
        .delay("/simple/plugin/", Duration::from_millis(1500));
    let stalled = Work::new(&["plugin"]);
    let run = stalled.build(&["--index-url", &index.url()]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 3
    error: Failed to get data for `plugin`
      Caused by: Request to http://[INDEX]/simple/plugin/ failed after 2 attempt(s): no data for 1s (read timeout)
    hint: Check the network and the index URL; raise `--retries` or `--timeout` for a flaky link.
    ");
    // The fake index logs a request once it answers, after its delay.
    let deadline = Instant::now() + Duration::from_secs(5);
    while index.count("/simple/plugin/") < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(index.count("/simple/plugin/"), 2);
    stalled.assert_nothing_partial();

    // Headers, then a stalled body (slowloris).
    let slow = FakeIndex::scripted(|_| Reply::HeadThenStall {
        len: 1000,
        stall: Duration::from_secs(3),
    });
    let spairs = [(slow.base_url(), "http://[INDEX]")];
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &format!("{}/simple/", slow.base_url())]);
    insta::assert_snapshot!(error_text(&run, &spairs), @r"
    exit 3
    error: Failed to get data for `plugin`
      Caused by: Request to http://[INDEX]/simple/plugin/ failed after 2 attempt(s): incomplete body (0 of 1000 bytes): no data for 1s (read timeout)
    hint: Check the network and the index URL; raise `--retries` or `--timeout` for a flaky link.
    ");
    assert_eq!(slow.requests().len(), 2);
    work.assert_nothing_partial();

    // A socket that is never served (accepted by the kernel, never answered).
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let work = Work::new(&["plugin"]);
    let run = work.build(&[
        "--index-url",
        &format!("http://{}/simple/", silent.local_addr().unwrap()),
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("read timeout") || run.stderr.contains("timed out"),
        "{}",
        run.stderr
    );

    // 20 KiB/s for about three seconds with a one-second timeout: no timeout.
    let size = index.file("big-1.0-py3-none-any.whl").bytes.len();
    assert!(size > 50_000, "{size}");
    index.knobs().throttle("/files/big-", 20 * 1024);
    let steady = Work::new(&["big"]);
    let started = Instant::now();
    let run = steady.build(&["--index-url", &index.url()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(started.elapsed() > Duration::from_secs(2));
    assert_eq!(
        gets(&index, "/files/big-1.0-py3-none-any.whl"),
        1,
        "no retry"
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn row20_gzip_encoded_wheels_are_never_decoded_and_fail_their_hash() {
    // A wheel body is never decoded: gzip-encoded anyway, its raw bytes fail the hash (exit 4)
    // and nothing is stored.
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    index.knobs().gzip("/files/");
    index.knobs().no_metadata("plugin");
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &index.url(), "--format", "json"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("Hash mismatch"), "{}", run.stderr);
    assert!(wheel_files_in_cache(&work).is_empty());
    let sha = index.sha256("plugin-1.0-py3-none-any.whl");
    for r in index
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/files/"))
    {
        assert_eq!(r.header("accept-encoding"), Some("identity"), "{}", r.path);
    }

    // A server that compresses an already gzip-encoded file: the decoded entity is not the
    // wheel, so its hash fails (exit 4), never retried, never stored.
    let wheel = index.file("plugin-1.0-py3-none-any.whl").bytes.to_vec();
    let body = gzip(&gzip(&wheel));
    let page = format!(
        "<html><body><a href=\"/files/plugin-1.0-py3-none-any.whl#sha256={sha}\">plugin-1.0-py3-none-any.whl</a></body></html>"
    );
    let double = FakeIndex::scripted(move |seen| {
        if seen.path.starts_with("/files/") {
            Reply::Full {
                status: 200,
                headers: vec![("Content-Encoding".into(), "gzip".into())],
                body: body.clone(),
            }
        } else {
            Reply::ok("text/html", page.clone().into_bytes())
        }
    });
    let pairs = [(double.base_url(), "http://[INDEX]")];
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &format!("{}/simple/", double.base_url())]);
    let text = error_text(&run, &pairs).replace(&sha, "[SHA]");
    let computed = text
        .split("computed sha256:")
        .nth(1)
        .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
        .unwrap_or_default();
    insta::assert_snapshot!(text.replace(&computed, "[OTHER]"), @r"
    exit 4
    error: Failed to get data for `plugin==1.0`
      Caused by: Hash mismatch for plugin==1.0 (plugin-1.0-py3-none-any.whl) from http://[INDEX]/files/plugin-1.0-py3-none-any.whl: expected sha256:[SHA], computed sha256:[OTHER]
    hint: The file differs from what the index promised: it may have been tampered with or corrupted in transit. Do not work around this.
    ");
    let file_gets = double
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/files/") && r.header("range").is_none())
        .count();
    assert_eq!(file_gets, 1, "a hash mismatch is not retried");
    work.assert_nothing_partial();
    assert!(wheel_files_in_cache(&work).is_empty());
}

#[test]
fn find_links_accepts_a_flat_html_page() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").depends(&["dep"]),
        Release::new("dep", "2.0"),
    ]);
    let mut links = String::from("<html><body>\n");
    for f in index.catalog().files() {
        links.push_str(&format!(
            "<a href=\"{}#sha256={}\">{}</a>\n",
            index.file_url(&f.filename),
            f.sha256,
            f.filename
        ));
    }
    let page = FakeIndex::scripted(move |_| Reply::ok("text/html", links.clone().into_bytes()));
    let work = Work::new(&["plugin"]);
    let run = work.build(&[
        "--no-index",
        "--find-links",
        &format!("{}/wheels/links.html", page.base_url()),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got: Vec<(String, String)> = wheels(&run).into_iter().map(|(n, v, _)| (n, v)).collect();
    assert_eq!(
        got,
        vec![
            ("dep".into(), "2.0".into()),
            ("plugin".into(), "1.0".into())
        ]
    );
    assert_eq!(page.requests().len(), 1, "the page is read once");
    assert_eq!(index.count("/simple/"), 0, "`--no-index`");
    assert_eq!(gets(&index, "/files/plugin-1.0-py3-none-any.whl"), 1);
}

#[test]
fn row4_index_metadata_must_match_the_wheel() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0"),
        Release::new("injected-by-fake-index", "1.0"),
    ]);
    let pairs = [(index.url(), "http://[INDEX]/simple/")];
    index.knobs().metadata_differs("plugin");
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &index.url()]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r#"
    exit 4
    error: Invalid metadata for plugin-1.0-py3-none-any.whl: the metadata served by http://[INDEX]/simple/ differs from the wheel's METADATA (`Requires-Dist` only in the index metadata: ["injected-by-fake-index"], only in the wheel: [])
    "#);
    work.assert_nothing_partial();

    // The same check when the wheel was validated (and its validation cached) earlier.
    index.knobs().reset();
    let warm = Work::new(&["plugin"]);
    assert_eq!(warm.build(&["--index-url", &index.url()]).code, 0);
    std::fs::remove_file(warm.out()).unwrap();
    std::fs::remove_dir_all(warm.cache().join("v1").join("metadata")).ok();
    std::fs::remove_dir_all(warm.cache().join("v1").join("pages")).ok();
    index.knobs().metadata_differs("plugin");
    let run = warm.build(&["--index-url", &index.url()]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    warm.assert_nothing_partial();

    // A `.metadata` whose hash is wrong.
    index.knobs().reset();
    index.knobs().metadata_wrong_hash("plugin");
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &index.url()]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Hash mismatch for plugin-1.0-py3-none-any.whl.metadata")
    );
}

#[test]
fn row3_no_index_hash_warns_and_strict_refuses() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    index.knobs().no_hash("plugin");
    let pairs = [(index.url(), "http://[INDEX]/simple/")];
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &index.url(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sha = index.sha256("plugin-1.0-py3-none-any.whl");
    assert!(
        run.stderr.contains(&format!(
            "gave no sha256 for `plugin-1.0-py3-none-any.whl`; computed sha256:{sha}"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(
        json(&run)["archives"][0]["wheels"][0]["sha256"],
        sha.as_str()
    );

    index.clear_log();
    let strict = Work::new(&["plugin"]);
    let run = strict.build(&["--index-url", &index.url(), "--strict"]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 4
    error: Malformed index page http://[INDEX]/simple/: it lists `plugin-1.0-py3-none-any.whl` without a sha256, and `--strict` refuses unhashed files
    ");
    assert_eq!(gets(&index, "/files/plugin-1.0-py3-none-any.whl"), 0);
    strict.assert_nothing_partial();
}
