use std::fmt::Write as _;
use std::process::Command;

use super::*;
use crate::pack::{PackInput, PackOptions, pack};

/// A raw ustar header block.
fn header(name: &[u8], kind: u8, size: u64, link: &[u8]) -> [u8; 512] {
    let mut h = tar::Header::new_ustar();
    {
        let old = h.as_old_mut();
        old.name[..name.len()].copy_from_slice(name);
        old.linkname[..link.len()].copy_from_slice(link);
    }
    h.set_mode(0o644);
    h.set_size(size);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::new(kind));
    h.set_cksum();
    *h.as_bytes()
}

/// Builds a tar stream from (name, type, data, link) entries and gzips it.
struct Tar(Vec<u8>);

impl Tar {
    fn new() -> Self {
        Tar(Vec::new())
    }

    fn add(mut self, name: &str, kind: u8, data: &[u8], link: &str) -> Self {
        self.0.extend_from_slice(&header(
            name.as_bytes(),
            kind,
            data.len() as u64,
            link.as_bytes(),
        ));
        self.data(data)
    }

    /// A header whose size field says `size` but `data` follows.
    fn add_sized(mut self, name: &str, size: u64, data: &[u8]) -> Self {
        self.0
            .extend_from_slice(&header(name.as_bytes(), b'0', size, b""));
        self.data(data)
    }

    fn data(mut self, data: &[u8]) -> Self {
        self.0.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.0.extend(std::iter::repeat_n(0, pad));
        self
    }

    fn pax(self, records: &[(&str, &str)], global: bool) -> Self {
        let mut body = String::new();
        for (k, v) in records {
            let rest = format!(" {k}={v}\n");
            let mut len = rest.len() + 1;
            while len != rest.len() + len.to_string().len() {
                len = rest.len() + len.to_string().len();
            }
            write!(body, "{len}{rest}").unwrap();
        }
        let kind = if global { b'g' } else { b'x' };
        self.add("PaxHeader", kind, body.as_bytes(), "")
    }

    fn gz(mut self, trailing: &[u8]) -> Vec<u8> {
        self.0.extend_from_slice(&[0u8; 1024]);
        self.0.extend_from_slice(trailing);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&self.0).unwrap();
        enc.finish().unwrap()
    }
}

const WHEEL: &str = "wheelhouse/ok-1.0-py3-none-any.whl";

fn base() -> Tar {
    Tar::new().add("wheelhouse/", b'5', b"", "")
}

fn open(bytes: &[u8]) -> Result<OpenedArchive, ArchiveError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.tar.gz");
    std::fs::write(&path, bytes).unwrap();
    open_archive(&path)
}

fn extracted(a: &OpenedArchive) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(a.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn reads_our_own_archive_without_findings() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("{}-1.0-py3-none-any.whl", "x".repeat(120));
    let wheel = dir.path().join("src.whl");
    std::fs::write(&wheel, b"wheel bytes").unwrap();
    let input = PackInput {
        wheels: vec![
            (long.clone(), wheel.clone()),
            ("ok-1.0-py3-none-any.whl".into(), wheel),
        ],
        files: vec![("requirements.txt".into(), b"ok==1.0\n".to_vec())],
    };
    let out = dir.path().join("w.tar.gz");
    let info = pack(&out, &input, &PackOptions::default()).unwrap();
    let a = open_archive(&out).unwrap();
    assert_eq!(a.findings, []);
    assert_eq!(a.sha256, info.sha256);
    assert_eq!(a.size, info.size);
    assert_eq!(a.entries.len(), 4);
    assert_eq!(
        extracted(&a),
        ["ok-1.0-py3-none-any.whl", "requirements.txt", long.as_str()]
    );
    assert_eq!(
        std::fs::read(a.dir.path().join(&long)).unwrap(),
        b"wheel bytes"
    );
}

#[test]
fn accepts_a_hand_packed_archive_with_dot_slash_names() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wheelhouse");
    std::fs::create_dir(&wh).unwrap();
    std::fs::write(wh.join("ok-1.0-py3-none-any.whl"), b"w").unwrap();
    std::fs::write(wh.join("constraints.txt"), b"ok==1.0\n").unwrap();
    let out = dir.path().join("hand.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&out)
        .arg("-C")
        .arg(dir.path())
        .arg("./wheelhouse")
        .status()
        .unwrap();
    assert!(status.success());
    let a = open_archive(&out).unwrap();
    assert_eq!(a.findings, []);
    assert_eq!(
        extracted(&a),
        ["constraints.txt", "ok-1.0-py3-none-any.whl"]
    );
}

#[test]
fn hostile_archives_are_reported_and_nothing_escapes() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "parent traversal",
            base().add("../x.whl", b'0', b"x", "").gz(b""),
        ),
        (
            "traversal inside wheelhouse",
            base()
                .add("wheelhouse/../../x-1.0-py3-none-any.whl", b'0', b"x", "")
                .gz(b""),
        ),
        ("absolute", base().add("/etc/x", b'0', b"x", "").gz(b"")),
        (
            "symlink then a file through it",
            base()
                .add("wheelhouse/evil", b'2', b"", "/etc")
                .add("wheelhouse/evil/passwd", b'0', b"x", "")
                .gz(b""),
        ),
        (
            "symlinked wheelhouse",
            Tar::new()
                .add("wheelhouse", b'2', b"", "/tmp")
                .add(WHEEL, b'0', b"x", "")
                .gz(b""),
        ),
        (
            "hardlink",
            base()
                .add(
                    "wheelhouse/h-1.0-py3-none-any.whl",
                    b'1',
                    b"",
                    "/etc/passwd",
                )
                .gz(b""),
        ),
        (
            "char device",
            base().add("wheelhouse/dev", b'3', b"", "").gz(b""),
        ),
        ("fifo", base().add("wheelhouse/fifo", b'6', b"", "").gz(b"")),
        (
            "duplicate names",
            base()
                .add("wheelhouse/requirements.txt", b'0', b"first\n", "")
                .add("./wheelhouse/requirements.txt", b'0', b"second\n", "")
                .gz(b""),
        ),
        (
            "PAX path override to ../",
            base()
                .pax(&[("path", "../evil-1.0-py3-none-any.whl")], false)
                .add(WHEEL, b'0', b"x", "")
                .gz(b""),
        ),
        (
            "PAX size override",
            base()
                .pax(&[("size", "0")], false)
                .add_sized(WHEEL, 512, &[b'x'; 512])
                .gz(b""),
        ),
        (
            "PAX global path",
            base()
                .pax(&[("path", "x")], true)
                .add(WHEEL, b'0', b"x", "")
                .gz(b""),
        ),
        (
            "GNU long name with ..",
            base()
                .add(
                    "././@LongLink",
                    b'L',
                    b"wheelhouse/../../../evil-1.0-py3-none-any.whl\0",
                    "",
                )
                .add(WHEEL, b'0', b"x", "")
                .gz(b""),
        ),
        (
            "names outside or not allowed",
            base()
                .add("other/x-1.0-py3-none-any.whl", b'0', b"x", "")
                .add("wheelhouse/sub/", b'5', b"", "")
                .add("wheelhouse/setup.py", b'0', b"x", "")
                .add("wheelhouse/bad.whl", b'0', b"x", "")
                .add("wheelhouse/a\u{202e}b.whl", b'0', b"x", "")
                .add("wheelhouse\\x.whl", b'0', b"x", "")
                .gz(b""),
        ),
        (
            "wheelhouse is a file",
            Tar::new().add("wheelhouse", b'0', b"x", "").gz(b""),
        ),
        (
            "data after the end-of-archive marker",
            base().add(WHEEL, b'0', b"x", "").gz(b"hidden"),
        ),
    ];
    let mut report = String::new();
    for (label, bytes) in cases {
        let a = open(&bytes).unwrap();
        writeln!(report, "{label}:").unwrap();
        for f in &a.findings {
            writeln!(report, "    {f}").unwrap();
        }
        writeln!(report, "    extracted: {:?}", extracted(&a)).unwrap();
        assert!(!a.findings.is_empty(), "{label}: no findings");
        for name in extracted(&a) {
            assert!(!name.contains('/') && name != ".." && !name.starts_with('.'));
        }
    }
    insta::assert_snapshot!(report);
}

#[test]
fn corrupt_and_missing_archives_are_errors() {
    let mut bytes = base().add(WHEEL, b'0', b"x", "").gz(b"");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xFF;
    let corrupt = open(&bytes).unwrap_err();
    assert_eq!(corrupt.exit_code(), ExitCode::Integrity);
    let not_gzip = open(b"not a gzip file at all").unwrap_err();
    assert_eq!(not_gzip.exit_code(), ExitCode::Integrity);
    let mut truncated = base().add(WHEEL, b'0', &[7u8; 4096], "").gz(b"");
    truncated.truncate(truncated.len() - 30);
    assert_eq!(
        open(&truncated).unwrap_err().exit_code(),
        ExitCode::Integrity
    );
    let missing = open_archive(Path::new("/nonexistent/w.tar.gz")).unwrap_err();
    assert_eq!(missing.exit_code(), ExitCode::Environment);
    let mut bad_sum = Tar::new().add(WHEEL, b'0', b"x", "");
    bad_sum.0[148] = b'7';
    assert_eq!(
        open(&bad_sum.gz(b"")).unwrap_err().exit_code(),
        ExitCode::Integrity
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 64,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    /// Damaged tar streams (inside a valid gzip) never panic and never extract a path.
    #[test]
    fn damaged_tar_streams_never_panic(
        flips in proptest::collection::vec((proptest::prelude::any::<usize>(), 1u8..), 1..6),
    ) {
        let mut tar = base()
            .pax(&[("path", WHEEL)], false)
            .add(WHEEL, b'0', b"x", "")
            .add("wheelhouse/requirements.txt", b'0', b"ok\n", "");
        let len = tar.0.len();
        for (at, x) in flips {
            tar.0[at % len] ^= x;
        }
        if let Ok(a) = open(&tar.gz(b"")) {
            for name in extracted(&a) {
                proptest::prop_assert!(!name.contains('/') && !name.starts_with('.'));
            }
        }
    }
}

#[test]
fn limits_stop_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.tar.gz");
    let mut tar = base();
    for i in 0..5 {
        tar = tar.add(
            &format!("wheelhouse/p{i}-1.0-py3-none-any.whl"),
            b'0',
            b"x",
            "",
        );
    }
    std::fs::write(&path, tar.gz(b"")).unwrap();
    let limits = ArchiveLimits {
        max_entries: 3,
        ..ArchiveLimits::default()
    };
    let e = open_archive_with_limits(&path, &limits).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Integrity);
    let limits = ArchiveLimits {
        max_extracted: 2,
        ..ArchiveLimits::default()
    };
    assert!(open_archive_with_limits(&path, &limits).is_err());
}
