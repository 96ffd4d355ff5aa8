//! `nbwheel upload --to s3://…` against moto's S3 server on 127.0.0.1 (installed by
//! `.ci/test-tools` into a venv under the target dir; skipped with a message when it is missing, failed under `CI`):
//! a single PUT, the previous object kept and rolled back, a multipart upload with credentials
//! from a shared profile file, web identity through STS. A 403 is answered by a scripted server
//! (moto's enforced authentication reads only an `Authorization` header and fails with a 500 on
//! presigned requests, which S3 and the S3-compatible servers accept).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::cluster::{FakeCluster, text};
use crate::common::tools::{self, require};

struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(bin: &Path) -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = Command::new(bin.join("moto_server"));
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = cmd.spawn().unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "moto did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto { child, port }
}

/// Runs boto3 (installed with moto) against the server.
fn boto(bin: &Path, port: u16, code: &str) -> String {
    let script = format!(
        "import boto3,hashlib\ns3=boto3.client('s3',endpoint_url='http://127.0.0.1:{port}',region_name='us-east-1',aws_access_key_id='test',aws_secret_access_key='test')\n{code}"
    );
    let o = Command::new(bin.join("python"))
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn sha256(p: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(p).unwrap()))
}

#[test]
fn s3_uploads_checks_keeps_previous_and_rolls_back() {
    let bin = require!(tools::test_tools("moto_server"));
    let moto = start(&bin);
    let endpoint = format!("http://127.0.0.1:{}", moto.port);
    boto(&bin, moto.port, "s3.create_bucket(Bucket='plugins')");
    let c = FakeCluster::new();
    let work = c.dir.path();
    let small = work.join("small.tar.gz");
    std::fs::write(&small, b"first archive").unwrap();
    let s3 = |archive: &Path, extra: &[&str]| {
        c.nbwheel()
            .arg("upload")
            .arg(archive)
            .args([
                "--to",
                "s3://plugins/media/wheelhouse.tar.gz",
                "--no-verify",
            ])
            .args(["--endpoint-url", &endpoint])
            .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
            .env("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")
            .args(extra)
            .output()
            .unwrap()
    };

    // A single PUT, checked.
    let o = s3(&small, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("s3cr3t-value"));
    let got = boto(
        &bin,
        moto.port,
        "print(hashlib.sha256(s3.get_object(Bucket='plugins',Key='media/wheelhouse.tar.gz')['Body'].read()).hexdigest())",
    );
    assert_eq!(got, sha256(&small));

    // Multipart (11 MiB in 5 MiB parts), credentials from a profile file; the previous object
    // is kept as `.previous`.
    let big = work.join("big.tar.gz");
    let bytes: Vec<u8> = (0..11 * 1024 * 1024u32)
        .map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[2])
        .collect();
    std::fs::write(&big, &bytes).unwrap();
    let creds = work.join("aws-credentials");
    std::fs::write(
        &creds,
        "[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = other-secret\n",
    )
    .unwrap();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&big)
        .args([
            "--to",
            "s3://plugins/media/wheelhouse.tar.gz",
            "--no-verify",
        ])
        .args([
            "--endpoint-url",
            &endpoint,
            "--profile",
            "ci",
            "--part-size",
            "5",
            "-vv",
        ])
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .env("AWS_CONFIG_FILE", work.join("no-config"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("kept aside"), "{}", text(&o));
    assert!(!text(&o).contains("other-secret"));
    let got = boto(
        &bin,
        moto.port,
        "o=s3.get_object(Bucket='plugins',Key='media/wheelhouse.tar.gz')\nprint(hashlib.sha256(o['Body'].read()).hexdigest(), o['ETag'])",
    );
    assert!(got.starts_with(&sha256(&big)), "{got}");
    assert!(got.ends_with("-3\""), "three parts: {got}");
    let prev = boto(
        &bin,
        moto.port,
        "print(hashlib.sha256(s3.get_object(Bucket='plugins',Key='media/wheelhouse.tar.gz.previous')['Body'].read()).hexdigest())",
    );
    assert_eq!(prev, sha256(&small));

    // Rollback, with credentials from web identity through STS.
    let token = work.join("token");
    std::fs::write(&token, "eyJhbGciOiJIUzI1NiJ9.e30.sig").unwrap();
    let o = c
        .nbwheel()
        .args([
            "upload",
            "--rollback",
            "--to",
            "s3://plugins/media/wheelhouse.tar.gz",
        ])
        .args(["--endpoint-url", &endpoint])
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci")
        .env("AWS_ENDPOINT_URL_STS", &endpoint)
        .env("AWS_SHARED_CREDENTIALS_FILE", work.join("none"))
        .env("AWS_CONFIG_FILE", work.join("none"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let got = boto(
        &bin,
        moto.port,
        "print(hashlib.sha256(s3.get_object(Bucket='plugins',Key='media/wheelhouse.tar.gz')['Body'].read()).hexdigest())",
    );
    assert_eq!(got, sha256(&small));
}

#[test]
fn s3_403_names_the_request_and_s3s_code_without_secrets() {
    use crate::common::FakeIndex;
    use crate::common::server::Reply;

    // No object yet (a `HEAD` answer has no body), then the `PUT` refused with S3's XML.
    let server = FakeIndex::scripted(|r| {
        match r.method.as_str() {
        "HEAD" => Reply::Full {
            status: 404,
            headers: Vec::new(),
            body: Vec::new(),
        },
        _ => Reply::Full {
            status: 403,
            headers: vec![("content-type".into(), "application/xml".into())],
            body: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><RequestId>1</RequestId></Error>".to_vec(),
        },
    }
    });
    let c = FakeCluster::new();
    let small = c.dir.path().join("small.tar.gz");
    std::fs::write(&small, b"first archive").unwrap();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&small)
        .args([
            "--to",
            "s3://plugins/media/wheelhouse.tar.gz",
            "--no-verify",
        ])
        .args(["--endpoint-url", &server.base_url()])
        .env("AWS_ACCESS_KEY_ID", "AKIDUNKNOWN")
        .env("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")
        .env("AWS_SESSION_TOKEN", "session-token-value")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("HTTP 403 InvalidAccessKeyId"), "{t}");
    assert!(t.contains("/plugins/media/wheelhouse.tar.gz"), "{t}");
    assert!(t.contains("hint:"), "{t}");
    for secret in ["s3cr3t-value", "session-token-value", "X-Amz-Signature"] {
        assert!(!t.contains(secret), "{secret}: {t}");
    }
    // Each request was presigned for the object it names, with the session token.
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    for r in &requests {
        assert!(
            r.path.starts_with("/plugins/media/wheelhouse.tar.gz?"),
            "{}",
            r.path
        );
        assert!(r.path.contains("X-Amz-Security-Token=session-token-value"));
    }
}

#[test]
fn s3_through_tls_trusts_a_private_ca_only_with_cert() {
    use crate::common::FakeIndex;
    use crate::common::reliability::{Pki, TlsFront};
    use crate::common::server::Reply;

    // An S3-compatible store behind TLS from a private CA that refuses every request, so
    // reaching it shows as S3's 403 (exit 3) and not reaching it as a TLS failure (exit 4).
    let server = FakeIndex::scripted(|_| Reply::Full {
        status: 403,
        headers: Vec::new(),
        body: Vec::new(),
    });
    let pki = Pki::new();
    let front = TlsFront::start(
        pki.config(&pki.server(&["127.0.0.1"], false), false),
        server.addr(),
    );
    let endpoint = front.url().trim_end_matches("/simple/").to_string();
    let c = FakeCluster::new();
    let ca = c.dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let small = c.dir.path().join("small.tar.gz");
    std::fs::write(&small, b"first archive").unwrap();
    let run = |extra: &[&str]| {
        c.nbwheel()
            .arg("upload")
            .arg(&small)
            .args(["--to", "s3://plugins/wheelhouse.tar.gz", "--no-verify"])
            .args(["--endpoint-url", &endpoint])
            .args(extra)
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("--cert"), "{}", text(&o));
    assert!(server.requests().is_empty());
    let o = run(&["--cert", ca.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("HTTP 403"), "{}", text(&o));
    assert!(!server.requests().is_empty());
}

#[test]
fn s3_dry_run_lists_the_requests_and_sends_none() {
    use crate::common::FakeIndex;
    use crate::common::server::Reply;

    let server = FakeIndex::scripted(|_| Reply::ok("text/plain", Vec::new()));
    let c = FakeCluster::new();
    let big = c.dir.path().join("big.tar.gz");
    std::fs::write(&big, vec![7u8; 11 * 1024 * 1024]).unwrap();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&big)
        .args([
            "--to",
            "s3://plugins/media/wheelhouse.tar.gz",
            "--no-verify",
            "--dry-run",
            "--part-size",
            "5",
        ])
        .args(["--endpoint-url", &server.base_url()])
        .env("AWS_ACCESS_KEY_ID", "AKID")
        .env("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let object = format!("{}/plugins/media/wheelhouse.tar.gz", server.base_url());
    assert!(out.contains(&format!("HEAD {object}\n")), "{out}");
    assert!(
        out.contains(&format!(
            "PUT {object} ({} bytes, multipart, 3 parts)",
            11 * 1024 * 1024
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("PUT {object}.previous (copy")),
        "{out}"
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}
