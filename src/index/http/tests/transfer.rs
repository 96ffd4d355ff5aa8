//! Retries, downloads, bodies, redirects and timeouts against the local test server.

use super::*;

#[tokio::test]
async fn retries_503_twice_then_succeeds() {
    let server = Server::start(|_, n| if n < 2 { status(503) } else { ok(b"page") });
    let response = http(options(), AuthStore::default())
        .get_bytes(&server.url("/simple/foo/"), &[])
        .await
        .unwrap();
    assert_eq!(response.body, b"page");
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn honours_retry_after() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::Full {
                status: 429,
                headers: vec![("Retry-After", "1".into())],
                body: Vec::new(),
            }
        } else {
            ok(b"page")
        }
    });
    let start = Instant::now();
    let response = http(options(), AuthStore::default())
        .get_bytes(&server.url("/"), &[])
        .await
        .unwrap();
    assert_eq!(response.body, b"page");
    assert!(start.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn not_found_is_not_retried() {
    let server = Server::start(|_, _| status(404));
    let err = http(options(), AuthStore::default())
        .get_bytes(&server.url("/simple/nope/"), &[])
        .await
        .unwrap_err();
    assert!(
        matches!(err, IndexError::Status { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn exhausted_retries_name_url_and_attempts() {
    let server = Server::start(|_, _| status(500));
    let err = http(
        HttpOptions {
            retries: 2,
            ..options()
        },
        AuthStore::default(),
    )
    .get_bytes(&server.url("/simple/foo/?token=abc"), &[])
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network);
    assert_eq!(server.requests().len(), 3);
    insta::assert_snapshot!(message(&err), @"Request to http://127.0.0.1:PORT/simple/foo/ failed after 3 attempt(s): HTTP 500 Internal Server Error");
}

#[tokio::test]
async fn unauthorized_names_sources_and_is_not_retried() {
    let server = Server::start(|_, _| status(401));
    let mut url = server.url("/simple/");
    url.set_username("alice").unwrap();
    url.set_password(Some("s3cret-CANARY-a")).unwrap();
    let err = http(options(), AuthStore::default())
        .get_bytes(&url, &[])
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network);
    assert_eq!(server.requests().len(), 1);
    insta::assert_snapshot!(message(&err), @"Authentication failed for http://127.0.0.1:PORT/simple/ (HTTP 401); credential sources tried: URL");

    let server = Server::start(|_, _| status(403));
    let err = http(options(), AuthStore::default())
        .get_bytes(&server.url("/simple/"), &[])
        .await
        .unwrap_err();
    insta::assert_snapshot!(message(&err), @"Authentication failed for http://127.0.0.1:PORT/simple/ (HTTP 403); credential sources tried: none (no credentials for this host in the index URL, `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL` or netrc)");
}

#[tokio::test]
async fn truncated_download_is_retried() {
    let body: Vec<u8> = (0..1000u32)
        .map(|i| u8::try_from(i % 251).unwrap())
        .collect();
    let payload = body.clone();
    let server = Server::start(move |_, n| {
        if n == 0 {
            Reply::Truncated {
                len: payload.len(),
                body: payload[..500].to_vec(),
            }
        } else {
            ok(&payload)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("foo.whl.part");
    let expected = sha256_hex(&body);
    let done = http(options(), AuthStore::default())
        .download(
            &server.url("/foo.whl"),
            &dest,
            Some(("sha256", &expected)),
            "foo==1.0",
        )
        .await
        .unwrap();
    assert_eq!(done.sha256, expected);
    assert_eq!(done.size, 1000);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        server.requests()[0].header("accept-encoding"),
        Some("identity")
    );
}

#[tokio::test]
async fn truncated_every_time_leaves_no_file() {
    let server = Server::start(|_, _| Reply::Truncated {
        len: 1000,
        body: vec![7; 512],
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("foo.whl.part");
    let err = http(
        HttpOptions {
            retries: 2,
            ..options()
        },
        AuthStore::default(),
    )
    .download(&server.url("/foo.whl"), &dest, None, "foo==1.0")
    .await
    .unwrap_err();
    assert!(
        matches!(err, IndexError::Network { attempts: 3, ref reason, .. } if reason.starts_with("incomplete body (512 of 1000 bytes)")),
        "{err:?}"
    );
    assert!(!dest.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn hash_mismatch_is_not_retried() {
    let server = Server::start(|_, _| ok(b"tampered"));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("foo.whl.part");
    let expected = sha256_hex(b"original");
    let err = http(options(), AuthStore::default())
        .download(
            &server.url("/foo-1.0-py3-none-any.whl"),
            &dest,
            Some(("SHA256", &expected.to_ascii_uppercase())),
            "foo==1.0 (foo-1.0-py3-none-any.whl)",
        )
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Integrity);
    assert_eq!(server.requests().len(), 1);
    assert!(!dest.exists());
    insta::assert_snapshot!(message(&err), @"Hash mismatch for foo==1.0 (foo-1.0-py3-none-any.whl) from http://127.0.0.1:PORT/foo-1.0-py3-none-any.whl: expected sha256:0682c5f2076f099c34cfdd15a9e063849ed437a49677e6fcc5b4198c76575be5, computed sha256:d121be3103007b41edf96f8262925f8c7d61894afe9a041843b631f69445bc57");
}

#[tokio::test]
async fn sha512_is_checked() {
    let server = Server::start(|_, _| ok(b"wheel bytes"));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("w");
    let good = hex::encode(sha2::Sha512::digest(b"wheel bytes"));
    let client = http(options(), AuthStore::default());
    let done = client
        .download(&server.url("/w"), &dest, Some(("sha512", &good)), "w")
        .await
        .unwrap();
    assert_eq!(done.sha256, sha256_hex(b"wheel bytes"));
    let bad = hex::encode(sha2::Sha512::digest(b"other"));
    let err = client
        .download(&server.url("/w"), &dest, Some(("sha512", &bad)), "w")
        .await
        .unwrap_err();
    assert!(matches!(err, IndexError::HashMismatch { .. }), "{err:?}");
    assert!(!dest.exists());
}

#[tokio::test]
async fn gzip_content_encoding_of_a_file_is_never_decoded() {
    let wheel = b"PK\x03\x04 pretend wheel".repeat(50);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&wheel).unwrap();
    let gzipped = encoder.finish().unwrap();
    let raw = gzipped.clone();
    let server = Server::start(move |_, _| Reply::Full {
        status: 200,
        headers: vec![("Content-Encoding", "gzip".into())],
        body: gzipped.clone(),
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("w");
    // The hash of the decoded wheel does not match the raw bytes: refused, nothing kept.
    let err = http(options(), AuthStore::default())
        .download(
            &server.url("/w"),
            &dest,
            Some(("sha256", &sha256_hex(&wheel))),
            "w",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, IndexError::HashMismatch { .. }), "{err:?}");
    assert!(!dest.exists());
    // Without a hash, the raw bytes are what is written.
    let done = http(options(), AuthStore::default())
        .download(&server.url("/w"), &dest, None, "w")
        .await
        .unwrap();
    assert_eq!(done.size, raw.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), raw);
}

#[tokio::test]
async fn page_body_is_bounded() {
    let server = Server::start(|_, _| ok(&[b'x'; 2000]));
    let err = http(
        HttpOptions {
            max_body: 1000,
            ..options()
        },
        AuthStore::default(),
    )
    .get_bytes(&server.url("/big"), &[])
    .await
    .unwrap_err();
    assert!(
        matches!(err, IndexError::TooLarge { limit: 1000, .. }),
        "{err:?}"
    );
    assert_eq!(err.exit_code(), ExitCode::Integrity);
}

#[tokio::test]
async fn credentials_stay_with_their_origin_across_redirects() {
    let other = Server::start(|_, _| ok(b"elsewhere"));
    let target = other.url("/files/foo.whl").to_string();
    let index = Server::start(move |request, _| {
        if request.header("authorization").is_none() {
            status(401)
        } else {
            redirect(302, &target)
        }
    });
    let mut url = index.url("/simple/foo/");
    url.set_username("alice").unwrap();
    url.set_password(Some("s3cret-CANARY-a")).unwrap();

    let client = http(options(), AuthStore::default());
    let response = client.get_bytes(&url, &[]).await.unwrap();
    assert_eq!(response.body, b"elsewhere");
    assert_eq!(response.url, other.url("/files/foo.whl"));
    assert_eq!(
        index.requests()[0].header("authorization"),
        Some("Basic YWxpY2U6czNjcmV0LUNBTkFSWS1h")
    );
    assert_eq!(other.requests().len(), 1);
    assert_eq!(other.requests()[0].header("authorization"), None);

    // The target's own credentials are used for the target.
    let mut other_url = other.url("/");
    other_url.set_username("bob").unwrap();
    other_url.set_password(Some("s3cret-CANARY-b")).unwrap();
    let client = http(options(), AuthStore::new([&other_url], None));
    client.get_bytes(&url, &[]).await.unwrap();
    assert_eq!(
        other.requests()[1].header("authorization"),
        Some("Basic Ym9iOnMzY3JldC1DQU5BUlktYg==")
    );
    // A caller cannot smuggle an `Authorization` header.
    client
        .get_bytes(
            &other.url("/x"),
            &[(AUTHORIZATION, "Basic c3RvbGVu".to_string())],
        )
        .await
        .unwrap();
    assert_eq!(
        other.requests()[2].header("authorization"),
        Some("Basic Ym9iOnMzY3JldC1DQU5BUlktYg==")
    );
    assert!(!format!("{client:?}").contains(CANARY));
}

#[tokio::test]
async fn every_redirect_status_is_followed() {
    for code in [301, 302, 303, 307, 308] {
        let server = Server::start(move |request, _| {
            if request.path == "/old" {
                redirect(code, "/new")
            } else {
                ok(b"moved")
            }
        });
        let response = http(options(), AuthStore::default())
            .get_bytes(&server.url("/old"), &[])
            .await
            .unwrap();
        assert_eq!(response.body, b"moved", "{code}");
        assert_eq!(response.url.path(), "/new");
    }
}

#[tokio::test]
async fn redirect_to_file_is_refused() {
    let server = Server::start(|_, _| redirect(302, "file:///etc/passwd"));
    let err = http(options(), AuthStore::default())
        .get_bytes(&server.url("/simple/"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Integrity);
    assert_eq!(server.requests().len(), 1);
    insta::assert_snapshot!(message(&err), @"Refused redirect from http://127.0.0.1:PORT/simple/ to file:///etc/passwd: the `file:` scheme is not allowed");
}

#[tokio::test]
async fn redirect_loop_fails() {
    let server = Server::start(|_, _| redirect(302, "/loop"));
    let err = http(options(), AuthStore::default())
        .get_bytes(&server.url("/loop"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network);
    assert_eq!(server.requests().len(), MAX_REDIRECTS + 1);
    insta::assert_snapshot!(message(&err), @"Request to http://127.0.0.1:PORT/loop failed after 1 attempt(s): too many redirects (more than 10)");
}

#[tokio::test]
async fn stalled_server_times_out() {
    let server = Server::start(|_, _| Reply::Stall);
    let start = Instant::now();
    let err = http(
        HttpOptions {
            retries: 1,
            ..options()
        },
        AuthStore::default(),
    )
    .get_bytes(&server.url("/"), &[])
    .await
    .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests().len(), 2);
    insta::assert_snapshot!(message(&err), @"Request to http://127.0.0.1:PORT/ failed after 2 attempt(s): no data for 1s (read timeout)");
}

#[tokio::test]
async fn slow_steady_stream_does_not_time_out() {
    // 32 KiB at about 16 KiB/s: twice the 1 s idle timeout in total, never idle for long.
    let body: Vec<u8> = (0..32 * 1024u32)
        .map(|i| u8::try_from(i % 256).unwrap())
        .collect();
    let payload = body.clone();
    let server = Server::start(move |_, _| Reply::Slow {
        body: payload.clone(),
        chunk: 1024,
        delay: Duration::from_millis(60),
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("slow");
    let start = Instant::now();
    let done = http(options(), AuthStore::default())
        .download(&server.url("/slow"), &dest, None, "slow")
        .await
        .unwrap();
    assert!(start.elapsed() > Duration::from_secs(1));
    assert_eq!(done.sha256, sha256_hex(&body));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn range_reads() {
    let data: Vec<u8> = (0..100u8).collect();
    let payload = data.clone();
    let server = Server::start(move |request, _| {
        if request.path == "/ignores" {
            return ok(&payload);
        }
        let spec = request.header("range").unwrap_or_default().to_string();
        let (start, end) = if let Some(n) = spec.strip_prefix("bytes=-") {
            (100 - n.parse::<usize>().unwrap(), 99)
        } else {
            let (a, b) = spec.trim_start_matches("bytes=").split_once('-').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        };
        Reply::Full {
            status: 206,
            headers: vec![("Content-Range", format!("bytes {start}-{end}/100"))],
            body: payload[start..=end].to_vec(),
        }
    });
    let client = http(options(), AuthStore::default());
    let tail = client
        .get_range_with_total(&server.url("/w"), RangeSpec::Suffix(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tail.start, 90);
    assert_eq!(tail.total, Some(100));
    assert_eq!(tail.bytes, &data[90..]);
    let middle = client
        .get_range(&server.url("/w"), RangeSpec::Bounded { start: 5, end: 9 })
        .await
        .unwrap();
    assert_eq!(middle.as_deref(), Some(&data[5..=9]));
    let none = client
        .get_range(&server.url("/ignores"), RangeSpec::Suffix(10))
        .await
        .unwrap();
    assert_eq!(none, None);
}

#[tokio::test]
async fn offline_makes_no_request() {
    let server = Server::start(|_, _| ok(b""));
    let client = http(
        HttpOptions {
            offline: true,
            ..options()
        },
        AuthStore::default(),
    );
    let err = client.get_bytes(&server.url("/"), &[]).await.unwrap_err();
    assert!(matches!(err, IndexError::Offline { .. }), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn conditional_get_returns_304() {
    let server = Server::start(|request, _| {
        if request.header("if-none-match") == Some("\"v1\"") {
            status(304)
        } else {
            Reply::Full {
                status: 200,
                headers: vec![("ETag", "\"v1\"".into())],
                body: b"page".to_vec(),
            }
        }
    });
    let client = http(options(), AuthStore::default());
    let first = client.get_bytes(&server.url("/p"), &[]).await.unwrap();
    assert_eq!(first.etag(), Some("\"v1\""));
    let second = client
        .get_bytes(
            &server.url("/p"),
            &[(reqwest::header::IF_NONE_MATCH, "\"v1\"".to_string())],
        )
        .await
        .unwrap();
    assert_eq!(second.status, StatusCode::NOT_MODIFIED);
}
