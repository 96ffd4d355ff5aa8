//! `verify` checks before it writes (hardening item 8) and S3 uploads say what they mean
//! (item 10). Each test here failed before its fix.

use std::io::Write as _;
use std::path::Path;
use std::process::Output;

use crate::common::nbwheel;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Bytes of every file under `dir`, recursively (symlinks not followed).
fn disk_use(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let Ok(meta) = e.path().symlink_metadata() else {
                continue;
            };
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

fn header(name: &str, size: u64, kind: tar::EntryType) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_path(name).unwrap();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(kind);
    h.set_cksum();
    h
}

/// A gzip-compressed tar written by hand: the `wheelhouse/` folder, then one member whose
/// header declares `declared` bytes followed by only `data` zero bytes.
fn lying_archive(path: &Path, member: &str, declared: u64, data: usize) {
    let out = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
    gz.write_all(header("wheelhouse/", 0, tar::EntryType::Directory).as_bytes())
        .unwrap();
    gz.write_all(header(member, declared, tar::EntryType::Regular).as_bytes())
        .unwrap();
    gz.write_all(&vec![0u8; data]).unwrap();
    gz.finish().unwrap();
}

/// A well-formed archive of `count` wheels of `size` zero bytes each (not zips: each is an
/// integrity finding, but every one is read).
fn big_wheels_archive(path: &Path, count: usize, size: usize) {
    let out = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut dir = header("wheelhouse/", 0, tar::EntryType::Directory);
    dir.set_cksum();
    tar.append(&dir, std::io::empty()).unwrap();
    let zeros = vec![0u8; size];
    for i in 0..count {
        let mut h = header(
            &format!("wheelhouse/big{i}-1.0-py3-none-any.whl"),
            size as u64,
            tar::EntryType::Regular,
        );
        h.set_cksum();
        tar.append(&h, zeros.as_slice()).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

/// Runs `nbwheel verify` with `TMPDIR` set to `tmp`, sampling the disk use of `tmp` while it
/// runs; returns the output and the largest use seen.
fn verify_sampled(archive: &Path, tmp: &Path, env: &[(&str, &str)]) -> (Output, u64) {
    let mut cmd = nbwheel();
    cmd.arg("verify")
        .arg(archive)
        .env("TMPDIR", tmp)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().unwrap();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = std::sync::Arc::clone(&done);
        let tmp = tmp.to_path_buf();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(disk_use(&tmp));
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            peak
        })
    };
    let output = child.wait_with_output().unwrap();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    (output, peak)
}

#[test]
fn item8_verify_checks_each_member_before_it_writes() {
    let work = tempfile::tempdir().unwrap();
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();

    // A small archive whose header declares a 2 GiB wheel: refused from the header, exit 4,
    // naming the member and the cap; nothing of it is written.
    let lying = work.path().join("lying.tar.gz");
    lying_archive(
        &lying,
        "wheelhouse/huge-1.0-py3-none-any.whl",
        2 << 30,
        4 << 20,
    );
    assert!(std::fs::metadata(&lying).unwrap().len() < 2 << 20);
    let (out, peak) = verify_sampled(&lying, &tmp, &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "{all}");
    assert!(all.contains("huge-1.0-py3-none-any.whl"), "{all}");
    assert!(all.contains("wheel-size cap"), "{all}");
    assert!(peak < 64 * 1024, "verify wrote {peak} bytes to TMPDIR");
    assert_eq!(
        disk_use(&tmp),
        0,
        "{:?}",
        std::fs::read_dir(&tmp).unwrap().count()
    );

    // The cap is a setting: a 3 MB wheel over a 1 MB cap is refused the same way.
    let small = work.path().join("small.tar.gz");
    big_wheels_archive(&small, 1, 3 << 20);
    let (out, _) = verify_sampled(&small, &tmp, &[("NBWHEEL_MAX_WHEEL_SIZE", "1048576")]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(
        text(&out).contains("1048576-byte wheel-size cap"),
        "{}",
        text(&out)
    );

    // Wheels are checked one at a time and their temp files deleted: disk use stays below
    // two wheels even for many of them.
    let many = work.path().join("many.tar.gz");
    let size = 24 << 20;
    big_wheels_archive(&many, 5, size);
    let (out, peak) = verify_sampled(&many, &tmp, &[]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "{all}");
    assert!(all.contains("big4-1.0-py3-none-any.whl"), "{all}");
    assert!(
        peak < 2 * size as u64,
        "verify held {peak} bytes in TMPDIR for wheels of {size} bytes"
    );
    assert_eq!(disk_use(&tmp), 0);
}

fn s3_upload(archive: &Path, to: &str, endpoint: &str) -> Output {
    nbwheel()
        .arg("upload")
        .arg(archive)
        .args(["--to", to, "--no-verify", "--endpoint-url", endpoint])
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")
        .env("AWS_SESSION_TOKEN", "session-token-value")
        .output()
        .unwrap()
}

#[test]
fn item10_s3_destinations_address_only_what_they_name_and_never_follow_redirects() {
    use crate::common::FakeIndex;
    use crate::common::server::Reply;

    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("w.tar.gz");
    std::fs::write(&archive, b"an archive").unwrap();

    // A key that climbs out of its bucket, or an invalid bucket name: exit 2 naming the URL,
    // before any request.
    let server = FakeIndex::scripted(|_| Reply::ok("text/plain", Vec::new()));
    for to in [
        "s3://plugins/../prod-bucket/key.tar.gz",
        "s3://plugins/media/./w.tar.gz",
        "s3://plugins/media//w.tar.gz",
        "s3://plugins/media/..",
        "s3://Plugins/w.tar.gz",
        "s3://pl/w.tar.gz",
        "s3://-plugins/w.tar.gz",
        "s3://plug..ins/w.tar.gz",
        "s3://192.168.10.1/w.tar.gz",
        "s3://plug_ins/w.tar.gz",
    ] {
        let out = s3_upload(&archive, to, &server.base_url());
        let all = text(&out);
        assert_eq!(out.status.code(), Some(2), "{to}: {all}");
        assert!(all.contains(to), "{to}: {all}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // A signed request answered with a redirect is not followed (its headers carry the
    // signature and the session token).
    let elsewhere = FakeIndex::scripted(|_| Reply::ok("text/plain", Vec::new()));
    let target = format!("{}/prod-bucket/w.tar.gz", elsewhere.base_url());
    let redirecting = FakeIndex::scripted(move |_| Reply::redirect(307, &target));
    let out = s3_upload(
        &archive,
        "s3://plugins/media/w.tar.gz",
        &redirecting.base_url(),
    );
    let all = text(&out);
    assert_ne!(out.status.code(), Some(0), "{all}");
    assert!(!redirecting.requests().is_empty());
    assert!(
        elsewhere.requests().is_empty(),
        "a redirect was followed: {:?}",
        elsewhere.requests()
    );
    assert!(!all.contains("session-token-value"), "{all}");
}

/// A scripted S3: `HEAD` is 404 until a `PUT` arrived, then 200 with the archive's size, its
/// `x-amz-meta-nbwheel-sha256` (right) and, when asked with checksum mode, `checksum` as S3's
/// computed checksum.
fn fake_s3(size: usize, meta_sha: String, checksum: String) -> crate::common::FakeIndex {
    use crate::common::server::Reply;
    let put = std::sync::atomic::AtomicBool::new(false);
    crate::common::FakeIndex::scripted(move |r| match r.method.as_str() {
        "PUT" => {
            put.store(true, std::sync::atomic::Ordering::SeqCst);
            Reply::ok("application/xml", Vec::new())
        }
        "HEAD" if put.load(std::sync::atomic::Ordering::SeqCst) => {
            let mut headers = vec![("x-amz-meta-nbwheel-sha256".into(), meta_sha.clone())];
            if r.header("x-amz-checksum-mode") == Some("ENABLED") {
                headers.push(("x-amz-checksum-sha256".into(), checksum.clone()));
            }
            Reply::Full {
                status: 200,
                headers,
                body: vec![0; size],
            }
        }
        _ => Reply::Full {
            status: 404,
            headers: Vec::new(),
            body: Vec::new(),
        },
    })
}

#[test]
fn item10_s3_verifies_the_content_and_nbwheel_checks_what_s3_computed() {
    use base64::Engine as _;
    use sha2::Digest as _;

    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("w.tar.gz");
    let bytes = b"an archive of some bytes".to_vec();
    std::fs::write(&archive, &bytes).unwrap();
    let digest = sha2::Sha256::digest(&bytes);
    let hex = hex::encode(digest);
    let b64 = base64::engine::general_purpose::STANDARD.encode(digest);

    // The PUT carries S3's checksum header, signed; the check reads S3's checksum back.
    let s3 = fake_s3(bytes.len(), hex.clone(), b64.clone());
    let out = s3_upload(&archive, "s3://plugins/media/w.tar.gz", &s3.base_url());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let requests = s3.requests();
    let put = requests.iter().find(|r| r.method == "PUT").unwrap();
    assert_eq!(put.header("x-amz-checksum-sha256"), Some(b64.as_str()));
    assert_eq!(put.header("x-amz-sdk-checksum-algorithm"), Some("SHA256"));
    // Signed: named in the signature's signed headers (a presigned request carries them in
    // `X-Amz-SignedHeaders`, a header-signed one in `Authorization`).
    let signed = url::Url::parse(&format!("http://h{}", put.path))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "X-Amz-SignedHeaders")
        .map(|(_, v)| v.into_owned())
        .or_else(|| put.authorization().map(str::to_string))
        .unwrap_or_default();
    assert!(signed.contains("x-amz-checksum-sha256"), "{signed}");
    let last = requests.last().unwrap();
    assert_eq!(last.method, "HEAD");
    assert_eq!(last.header("x-amz-checksum-mode"), Some("ENABLED"));

    // Metadata nbwheel set itself proves nothing: a wrong checksum from S3 is exit 4.
    let wrong = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let s3 = fake_s3(bytes.len(), hex, wrong);
    let out = s3_upload(&archive, "s3://plugins/media/w.tar.gz", &s3.base_url());
    let all = text(&out);
    assert_eq!(out.status.code(), Some(4), "{all}");
    assert!(all.contains("does not match the archive"), "{all}");
}
