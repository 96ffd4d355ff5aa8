use std::fmt::Write as _;
use std::io::Write as _;

use sha2::Digest as _;

use super::*;
use crate::verify::dist_info::top_level;
use crate::verify::record;

const NAME: &str = "demo_pkg-1.0-py3-none-any.whl";
const DIST: &str = "demo_pkg-1.0.dist-info";

type Files = Vec<(String, Vec<u8>)>;

fn good_files() -> Files {
    let text: Vec<u8> = (0..4000u32)
        .map(|i| b"abcdefghij\n"[(i % 11) as usize])
        .collect();
    vec![
        ("demo_pkg/__init__.py".into(), b"VALUE = 1\n".to_vec()),
        ("demo_pkg/a.py".into(), b"A = 1\n".to_vec()),
        ("demo_pkg/b.py".into(), b"B = 2\n".to_vec()),
        ("demo_pkg/data.txt".into(), text),
        ("demo_mod.py".into(), b"import demo_pkg\n".to_vec()),
        (
            format!("{DIST}/METADATA"),
            b"Metadata-Version: 2.1\nName: Demo.Pkg\nVersion: 1.0\nSummary: demo\n\nBody: not a header\n"
                .to_vec(),
        ),
        (
            format!("{DIST}/WHEEL"),
            b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .to_vec(),
        ),
    ]
}

fn record_for(files: &Files) -> String {
    let mut out = String::new();
    for (name, data) in files {
        let digest = record::encode(&sha2::Sha256::digest(data));
        writeln!(out, "{name},sha256={digest},{}", data.len()).unwrap();
    }
    writeln!(out, "{DIST}/RECORD,,").unwrap();
    out
}

/// A wheel with `files` and, when given, `record` as RECORD (written last).
fn zip_bytes(files: &Files, record: Option<&str>) -> Vec<u8> {
    let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(data).unwrap();
    }
    if let Some(record) = record {
        w.start_file(format!("{DIST}/RECORD"), options).unwrap();
        w.write_all(record.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn good_wheel() -> Vec<u8> {
    let files = good_files();
    zip_bytes(&files, Some(&record_for(&files)))
}

fn check_with(bytes: &[u8], check: &WheelCheck) -> Result<ValidatedWheel, WheelError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(NAME);
    std::fs::write(&path, bytes).unwrap();
    validate_wheel(&path, &NAME.parse().unwrap(), check)
}

fn check(bytes: &[u8]) -> Result<ValidatedWheel, WheelError> {
    check_with(bytes, &WheelCheck::default())
}

/// The offset of the header with signature `sig` whose name (at `name_at`, length at
/// `len_at`) is `name`.
fn find(bytes: &[u8], sig: [u8; 4], name_at: usize, len_at: usize, name: &str) -> usize {
    (0..bytes.len() - name_at)
        .find(|&i| {
            bytes[i..i + 4] == sig
                && usize::from(u16::from_le_bytes([
                    bytes[i + len_at],
                    bytes[i + len_at + 1],
                ])) == name.len()
                && bytes[i + name_at..].starts_with(name.as_bytes())
        })
        .unwrap_or_else(|| panic!("no header for {name}"))
}

fn local(bytes: &[u8], name: &str) -> usize {
    find(bytes, *b"PK\x03\x04", 30, 26, name)
}

fn central(bytes: &[u8], name: &str) -> usize {
    find(bytes, *b"PK\x01\x02", 46, 28, name)
}

fn put_u16(bytes: &mut [u8], at: usize, v: u16) {
    bytes[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(bytes: &mut [u8], at: usize, v: u32) {
    bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn get_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn rename(bytes: &mut [u8], from: &str, to: &str, in_local: bool) {
    assert_eq!(from.len(), to.len());
    let c = central(bytes, from) + 46;
    bytes[c..c + to.len()].copy_from_slice(to.as_bytes());
    if in_local {
        let l = local(bytes, from) + 30;
        bytes[l..l + to.len()].copy_from_slice(to.as_bytes());
    }
}

fn eocd(bytes: &[u8]) -> usize {
    bytes.len() - 22
}

/// Gives `name` a ZIP64 extra field in the central directory declaring these sizes.
fn declare_zip64(bytes: &mut Vec<u8>, name: &str, uncompressed: u64, compressed: u64) {
    let c = central(bytes, name);
    put_u32(bytes, c + 20, 0xFFFF_FFFF);
    put_u32(bytes, c + 24, 0xFFFF_FFFF);
    let name_len = usize::from(u16::from_le_bytes([bytes[c + 28], bytes[c + 29]]));
    let extra_len = u16::from_le_bytes([bytes[c + 30], bytes[c + 31]]);
    let mut extra = vec![1, 0, 16, 0];
    extra.extend_from_slice(&uncompressed.to_le_bytes());
    extra.extend_from_slice(&compressed.to_le_bytes());
    let at = c + 46 + name_len;
    bytes.splice(at..at, extra);
    put_u16(bytes, c + 30, extra_len + 20);
    let e = eocd(bytes);
    let cd_size = get_u32(bytes, e + 12);
    put_u32(bytes, e + 12, cd_size + 20);
}

fn with_files(edit: impl FnOnce(&mut Files)) -> Vec<u8> {
    let mut files = good_files();
    edit(&mut files);
    zip_bytes(&files, Some(&record_for(&files)))
}

fn set_file(files: &mut Files, name: &str, data: &str) {
    let entry = files.iter_mut().find(|(n, _)| n.ends_with(name)).unwrap();
    entry.1 = data.as_bytes().to_vec();
}

#[test]
fn accepts_a_good_wheel() {
    let v = check(&good_wheel()).unwrap();
    assert_eq!(v.dist_info, DIST);
    assert_eq!(v.top_level, ["demo_mod", "demo_pkg"]);
    assert_eq!(v.members, 8);
    assert_eq!(v.wheel_tags, ["py3-none-any"]);
    assert!(v.metadata.starts_with(b"Metadata-Version: 2.1"));
}

/// The hash taken in passing equals the file's sha256, for a sound wheel, a damaged one
/// (validation stops early) and one padded with bytes no member covers.
#[test]
fn hash_from_the_validation_reads_is_the_file_hash() {
    let good = good_wheel();
    let mut damaged = good.clone();
    let at = local(&damaged, "demo_pkg/__init__.py");
    damaged[at + 40] ^= 0xff;
    let mut padded = b"garbage before the zip".to_vec();
    padded.extend_from_slice(&good);
    let mut big = Vec::new();
    let mut files = good_files();
    let blob: String = (0..1_000_000u64)
        .map(|i| char::from(b'a' + u8::try_from(i * i * 7919 % 26).unwrap()))
        .collect();
    set_file(&mut files, "demo_pkg/data.txt", &blob);
    big.extend_from_slice(&zip_bytes(&files, Some(&record_for(&files))));
    for (i, bytes) in [good, damaged, padded, big].iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(NAME);
        std::fs::write(&path, bytes).unwrap();
        let (validated, sha256, size) =
            validate_and_hash(&path, &NAME.parse().unwrap(), &WheelCheck::default()).unwrap();
        assert_eq!(
            (sha256, size),
            crate::index::cache::sha256_file(&path).unwrap(),
            "case {i}"
        );
        assert_eq!(
            validated.is_ok(),
            validate_wheel(&path, &NAME.parse().unwrap(), &WheelCheck::default()).is_ok(),
            "case {i}"
        );
    }
}

#[test]
fn accepts_data_descriptors_stored_members_and_directories() {
    let mut w = ::zip::ZipWriter::new_stream(Vec::new());
    let files = good_files();
    let deflated = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    let stored = deflated.compression_method(::zip::CompressionMethod::Stored);
    w.add_directory("demo_pkg/", stored).unwrap();
    for (i, (name, data)) in files.iter().enumerate() {
        w.start_file(name.as_str(), if i % 2 == 0 { stored } else { deflated })
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.start_file(format!("{DIST}/RECORD"), deflated).unwrap();
    w.write_all(record_for(&files).as_bytes()).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let v = check(&bytes).unwrap();
    assert_eq!(v.members, 9);
}

/// Forms that real wheels use and pip and uv install without complaint: each is accepted.
#[test]
fn accepts_unusual_but_sound_forms() {
    let plain = |files: &Files| zip_bytes(files, Some(&record_for(files)));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "compressed Tag line (rpds-py 0.27.0)",
            check_bytes_named(
                "demo_pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                "Tag: cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64\n",
            ),
        ),
        (
            "duplicate and compressed Tag lines",
            with_files(|f| {
                set_file(
                    f,
                    "WHEEL",
                    "Wheel-Version: 1.0\nTag: py3-none-any\nTag: py3-none-any\n",
                );
            }),
        ),
        (
            "CRLF in WHEEL and METADATA, Root-Is-Purelib in upper case, Wheel-Version 1.9",
            with_files(|f| {
                set_file(
                    f,
                    "WHEEL",
                    "Wheel-Version: 1.9\r\nRoot-Is-Purelib: TRUE\r\nTag: py3-none-any\r\n",
                );
                set_file(
                    f,
                    "METADATA",
                    "Metadata-Version: 2.1\r\nName: demo-pkg\r\nVersion: 1.0\r\n\r\nbody\r\n",
                );
            }),
        ),
        (
            "METADATA body with bytes that are not UTF-8, and a line without `:` ending the headers",
            with_files(|f| {
                let m = f.iter_mut().find(|(n, _)| n.ends_with("METADATA")).unwrap();
                m.1 = b"Metadata-Version: 2.1\nName: DEMO_pkg\nVersion: 1.0.0\nLicense: MIT\nCopyright (c) someone\n\n\xff\xfe body\n".to_vec();
            }),
        ),
        (
            "RECORD with `./` paths, a directory row, quoting and no row for itself",
            {
                let files = good_files();
                let mut record = String::new();
                for (name, data) in &files {
                    let digest = record::encode(&sha2::Sha256::digest(data));
                    writeln!(record, "\"./{name}\",sha256={digest},{}", data.len()).unwrap();
                }
                record.push_str("demo_pkg/,,\n");
                zip_bytes(&files, Some(&record))
            },
        ),
        ("an extra `.data` directory and `__pycache__`", {
            let mut files = good_files();
            files.push((
                "demo_pkg-1.0.data/scripts/run".into(),
                b"#!python\n".to_vec(),
            ));
            files.push(("demo_pkg-1.0.data/headers/x.h".into(), b"int x;\n".to_vec()));
            files.push((
                "demo_pkg/__pycache__/a.cpython-312.pyc".into(),
                b"\0\0".to_vec(),
            ));
            plain(&files)
        }),
    ];
    for (case, bytes) in cases {
        let name = if case.starts_with("compressed") {
            "demo_pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
        } else {
            NAME
        };
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&bytes).unwrap();
        let result = validate_wheel(f.path(), &name.parse().unwrap(), &WheelCheck::default());
        assert!(result.is_ok(), "{case}: {}", result.unwrap_err());
    }
}

/// A good wheel whose WHEEL holds `tags` (the file name is the caller's).
/// A wheel retagged after its build (`WHEEL` tags differ from the file name's) is accepted,
/// with a note naming both sides: pip and uv install it by its file name. Real cases from
/// the sweep: playwright 1.65.2 and ray 2.60.0.
#[test]
fn retagged_wheel_is_accepted_with_a_note() {
    let cases = [
        (
            "demo_pkg-1.0-py3-none-manylinux1_x86_64.whl",
            "Tag: py3-none-any\n",
            "only in `WHEEL`: `py3-none-any`; only in the file name: `py3-none-manylinux1_x86_64`",
        ),
        (
            "demo_pkg-1.0-cp312-cp312-manylinux2014_x86_64.whl",
            "Tag: cp312-cp312-linux_x86_64\n",
            "only in `WHEEL`: `cp312-cp312-linux_x86_64`; only in the file name: `cp312-cp312-manylinux2014_x86_64`",
        ),
        (
            NAME,
            "Tag: py2-none-any\nTag: py3-none-any\n",
            "only in `WHEEL`: `py2-none-any`; only in the file name: none",
        ),
    ];
    for (name, tags, expected) in cases {
        let bytes = check_bytes_named(name, tags);
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&bytes).unwrap();
        let v = validate_wheel(f.path(), &name.parse().unwrap(), &WheelCheck::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.notes.len(), 1, "{name}: {:?}", v.notes);
        assert!(v.notes[0].contains(expected), "{name}: {}", v.notes[0]);
    }
    // Matching tags give no note.
    assert!(check(&good_wheel()).unwrap().notes.is_empty());
}

fn check_bytes_named(_name: &str, tags: &str) -> Vec<u8> {
    with_files(|f| set_file(f, "WHEEL", &format!("Wheel-Version: 1.0\n{tags}")))
}

#[test]
fn allow_invalid_record_downgrades_record_problems_only() {
    let mut files = good_files();
    let record = record_for(&files);
    set_file(&mut files, "a.py", "A = 666\n");
    let bytes = zip_bytes(&files, Some(&record));
    let allow = WheelCheck {
        allow_invalid_record: true,
        ..WheelCheck::default()
    };
    assert!(check(&bytes).is_err());
    assert!(check_with(&bytes, &allow).is_ok());
    assert!(check_with(&zip_bytes(&files, None), &allow).is_ok());
    let mut bad_zip = good_wheel();
    bad_zip.extend_from_slice(b"junk");
    assert!(check_with(&bad_zip, &allow).is_err());
}

#[test]
fn top_level_names() {
    let got = top_level(
        [
            "pkg/__init__.py",
            "mod.py",
            "ext.cpython-312-x86_64-linux-gnu.so",
            "x.pth",
            "x-1.0.dist-info/METADATA",
            "x-1.0.data/purelib/other/__init__.py",
            "x-1.0.data/scripts/tool",
            "1bad/x.py",
        ]
        .into_iter(),
    );
    assert_eq!(got, ["ext", "mod", "other", "pkg"]);
}

#[test]
fn validates_a_real_wheel_when_present() {
    // pip's own wheel ships with CPython; skip quietly where it is absent.
    let Some(path) = glob_pip_wheel() else { return };
    let name: WheelName = path.file_name().unwrap().to_str().unwrap().parse().unwrap();
    let v = validate_wheel(&path, &name, &WheelCheck::default()).unwrap();
    assert_eq!(v.top_level, ["pip"]);
}

fn glob_pip_wheel() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import ensurepip, os; print(os.path.dirname(ensurepip.__file__))",
        ])
        .output()
        .ok()?;
    let root = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).join("_bundled");
    std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("pip-"))
        })
}

/// Validates every wheel in `$NBWHEEL_TEST_WHEELS` (a folder): a check against real wheels.
#[test]
#[ignore = "needs NBWHEEL_TEST_WHEELS"]
fn validates_wheels_from_env() {
    let dir = std::env::var_os("NBWHEEL_TEST_WHEELS").expect("NBWHEEL_TEST_WHEELS");
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(Ok(name)) = path
            .file_name()
            .map(|n| n.to_string_lossy().parse::<WheelName>())
        else {
            continue;
        };
        if let Err(e) = validate_wheel(&path, &name, &WheelCheck::default()) {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 64,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    /// Damaged wheels never panic.
    #[test]
    fn damaged_wheels_never_panic(
        flips in proptest::collection::vec((proptest::prelude::any::<usize>(), 1u8..), 1..4),
        cut in proptest::prelude::any::<Option<usize>>(),
    ) {
        let mut b = good_wheel();
        for (at, x) in flips {
            let i = at % b.len();
            b[i] ^= x;
        }
        if let Some(cut) = cut {
            b.truncate(cut % b.len());
        }
        let _ = check(&b);
    }
}

/// Wheels whose zip structure is unsound, labelled.
fn zip_faults() -> Vec<(&'static str, Vec<u8>)> {
    let mut cases = Vec::new();
    let mut add = |label, bytes| cases.push((label, bytes));

    let mut b = good_wheel();
    let l = local(&b, "demo_pkg/a.py");
    b[l + 14] ^= 0x01;
    add("crc flipped in local header", b);

    let mut b = good_wheel();
    let (l, c) = (local(&b, "demo_pkg/a.py"), central(&b, "demo_pkg/a.py"));
    b[l + 14] ^= 0x01;
    b[c + 16] ^= 0x01;
    add("crc flipped in both headers", b);

    let mut b = good_wheel();
    let (l, c) = (local(&b, "demo_pkg/a.py"), central(&b, "demo_pkg/a.py"));
    put_u32(&mut b, l + 22, 3);
    put_u32(&mut b, c + 24, 3);
    add("uncompressed size understated in both headers", b);

    let mut b = good_wheel();
    rename(&mut b, "demo_mod.py", "demo_mox.py", false);
    add("name changed in central directory only", b);

    let mut b = good_wheel();
    b.extend_from_slice(b"trailing junk");
    add("bytes after the end record", b);

    let mut b = vec![0u8; 16];
    b.extend_from_slice(&good_wheel());
    add("prepended bytes", b);

    let mut b = good_wheel();
    rename(&mut b, "demo_pkg/b.py", "demo_pkg/a.py", true);
    add("duplicate entry", b);

    let mut b = good_wheel();
    let c = central(&b, "demo_mod.py");
    b[c + 5] = 3;
    put_u32(&mut b, c + 38, 0o120_777 << 16);
    add("symlink attribute", b);

    let mut b = good_wheel();
    let c = central(&b, "demo_mod.py");
    b[c + 5] = 3;
    put_u32(&mut b, c + 38, 0o010_644 << 16);
    add("fifo attribute", b);

    for (label, to) in [
        ("parent component", "../demo_.py"),
        ("absolute name", "/demo_mo.py"),
        ("drive prefix", "C:demo_m.py"),
        ("backslash", "demo\\mod.py"),
        ("control character", "demo\u{1}mod.py"),
    ] {
        let mut b = good_wheel();
        rename(&mut b, "demo_mod.py", to, true);
        add(label, b);
    }

    let mut b = good_wheel();
    let c = central(&b, "demo_mod.py");
    let l = local(&b, "demo_mod.py");
    b[c + 46 + 4] = 0xC3;
    b[l + 30 + 4] = 0xC3;
    add("non-ASCII name without UTF-8 flag", b);

    let mut b = good_wheel();
    let c = central(&b, "demo_mod.py");
    let l = local(&b, "demo_mod.py");
    for at in [c + 8, l + 6] {
        b[at + 1] |= 0x08;
    }
    b[c + 46 + 4] = 0xFF;
    b[l + 30 + 4] = 0xFF;
    add("invalid UTF-8 name", b);

    let mut b = good_wheel();
    let c = central(&b, "demo_mod.py");
    let l = local(&b, "demo_mod.py");
    b[c + 8] |= 1;
    b[l + 6] |= 1;
    add("encrypted entry", b);

    let mut b = good_wheel();
    let c = central(&b, "demo_mod.py");
    let l = local(&b, "demo_mod.py");
    put_u16(&mut b, c + 10, 12);
    put_u16(&mut b, l + 8, 12);
    add("bzip2 method", b);

    let mut b = good_wheel();
    let first = central(&b, "demo_pkg/__init__.py");
    let c = central(&b, "demo_pkg/a.py");
    let offset = get_u32(&b, first + 42);
    put_u32(&mut b, c + 42, offset);
    add("overlapping entries", b);

    let mut b = good_wheel();
    let c = central(&b, "demo_pkg/data.txt");
    let compressed = get_u32(&b, c + 20);
    put_u32(&mut b, c + 24, compressed * 2000);
    add("compression ratio over 1000", b);

    let mut b = good_wheel();
    declare_zip64(&mut b, "demo_pkg/data.txt", 100_000_000_000, 100_000_000);
    add("declared 100 GB member", b);
    cases
}

/// Wheels whose RECORD or identity is wrong, labelled.
fn content_faults() -> Vec<(&'static str, Vec<u8>)> {
    let record_row = |files: &Files, name: &str| -> String {
        record_for(files)
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    let mut cases = Vec::new();
    let mut add = |label, bytes| cases.push((label, bytes));

    let mut files = good_files();
    set_file(&mut files, "a.py", "A = 666\n");
    let record = record_for(&good_files());
    add("wrong RECORD hash", zip_bytes(&files, Some(&record)));

    let files = good_files();
    let record = record_for(&files).replace(&record_row(&files, "demo_mod.py"), "");
    add("unlisted file", zip_bytes(&files, Some(&record)));

    let files = good_files();
    let record = format!(
        "{}demo_pkg/ghost.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n",
        record_for(&files)
    );
    add("RECORD row without file", zip_bytes(&files, Some(&record)));

    let files = good_files();
    let row = record_row(&files, "demo_mod.py");
    let record = record_for(&files).replace(&row, "demo_mod.py,md5=x6Ypw6bWZoAtn2-nNOWWlQ,16");
    add("md5 in RECORD", zip_bytes(&files, Some(&record)));

    let files = good_files();
    let row = record_row(&files, "demo_mod.py");
    let record = record_for(&files).replace(&row, "demo_mod.py,,16");
    add("RECORD row without hash", zip_bytes(&files, Some(&record)));

    let files = good_files();
    let row = record_row(&files, "demo_mod.py");
    let record = record_for(&files).replace(&row, &row.replace(",16", ",17"));
    add("RECORD size mismatch", zip_bytes(&files, Some(&record)));

    add("no RECORD", zip_bytes(&good_files(), None));

    let files: Files = good_files()
        .into_iter()
        .map(|(n, d)| (n.replace(DIST, "other-1.0.dist-info"), d))
        .collect();
    add("dist-info name mismatch", zip_bytes(&files, None));

    let files: Files = good_files()
        .into_iter()
        .map(|(n, d)| (n.replace(DIST, "demo_pkg-1.1.dist-info"), d))
        .collect();
    add("dist-info version mismatch", zip_bytes(&files, None));

    add(
        "two dist-info directories",
        with_files(|f| f.push(("extra-2.0.dist-info/METADATA".into(), b"x".to_vec()))),
    );
    add(
        "no dist-info directory",
        zip_bytes(&vec![("demo_mod.py".into(), b"x".to_vec())], None),
    );
    add(
        "missing WHEEL",
        with_files(|f| f.retain(|(n, _)| !n.ends_with("/WHEEL"))),
    );
    add(
        "Wheel-Version 2.0",
        with_files(|f| set_file(f, "WHEEL", "Wheel-Version: 2.0\nTag: py3-none-any\n")),
    );
    add(
        "METADATA version mismatch",
        with_files(|f| set_file(f, "METADATA", "Name: demo-pkg\nVersion: 1.1\n")),
    );
    add(
        "METADATA name mismatch",
        with_files(|f| set_file(f, "METADATA", "Name: demo-pkh\nVersion: 1.0\n")),
    );
    cases
}

#[test]
fn every_fault_is_rejected_with_facts() {
    let mut cases: Vec<(&str, Vec<u8>, WheelCheck)> = zip_faults()
        .into_iter()
        .chain(content_faults())
        .map(|(label, bytes)| (label, bytes, WheelCheck::default()))
        .collect();
    cases.push((
        "entry count over limit",
        good_wheel(),
        WheelCheck {
            limits: WheelLimits {
                max_members: 3,
                ..WheelLimits::default()
            },
            ..WheelCheck::default()
        },
    ));
    cases.push((
        "METADATA over limit",
        good_wheel(),
        WheelCheck {
            limits: WheelLimits {
                max_metadata: 10,
                ..WheelLimits::default()
            },
            ..WheelCheck::default()
        },
    ));

    let mut report = String::new();
    for (label, bytes, options) in &cases {
        let message = match check_with(bytes, options) {
            Ok(_) => "ACCEPTED".to_string(),
            Err(e) => e.to_string(),
        };
        writeln!(report, "{label}:\n    {message}").unwrap();
    }
    insta::assert_snapshot!(report);
}
