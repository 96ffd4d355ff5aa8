//! Fixture tests: every file under `fixtures/requirements/` is parsed three ways (as is, with
//! CRLF line endings, with a UTF-8 BOM); the three results must be identical, and the first is
//! snapshotted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;

const SECRET: &str = "s3cr3t-t0ken";

fn env(name: &str) -> Option<String> {
    match name {
        "TOKEN" => Some(SECRET.to_string()),
        "INDEX_URL" => Some("https://idx.example.com/simple".to_string()),
        "PLUGIN_VERSION" => Some("1.2.3".to_string()),
        "EMPTY" => Some(String::new()),
        _ => None,
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/requirements")
}

/// Root fixtures and how each is read; every other `.txt` is reached through an include.
const ROOTS: &[(&str, FileKind)] = &[
    ("basic.txt", FileKind::Requirements),
    ("continuations.txt", FileKind::Requirements),
    ("includes-a.txt", FileKind::Requirements),
    ("cycle-a.txt", FileKind::Requirements),
    ("options.txt", FileKind::Requirements),
    ("hashes.txt", FileKind::Requirements),
    ("markers-extras.txt", FileKind::Requirements),
    ("direct-wheels.txt", FileKind::Requirements),
    ("env-vars.txt", FileKind::Requirements),
    ("netbox-4.6.6-constraints.txt", FileKind::Constraints),
    ("direct-wheel-constraints.txt", FileKind::Constraints),
    ("editable.txt", FileKind::Requirements),
    ("vcs.txt", FileKind::Requirements),
    ("vcs-bare.txt", FileKind::Requirements),
    ("sdist.txt", FileKind::Requirements),
    ("sdist-path.txt", FileKind::Requirements),
    ("local-dir.txt", FileKind::Requirements),
    ("bad-hash-alg.txt", FileKind::Requirements),
    ("bad-hash-foo.txt", FileKind::Requirements),
    ("bad-hash-length.txt", FileKind::Requirements),
    ("extras-in-constraints.txt", FileKind::Constraints),
    ("unknown-option.txt", FileKind::Requirements),
    ("bad-pep508.txt", FileKind::Requirements),
    ("name-mismatch.txt", FileKind::Requirements),
    ("missing-include.txt", FileKind::Requirements),
    ("hash-unpinned.txt", FileKind::Requirements),
    ("hash-missing.txt", FileKind::Requirements),
    ("misplaced-option.txt", FileKind::Requirements),
];

/// Files only read through an include.
const INCLUDED: &[&str] = &[
    "includes-b.txt",
    "includes-constraints.txt",
    "sub/includes-c.txt",
    "cycle-b.txt",
];

/// Copies the fixtures into a temporary folder, transforming each file.
fn copy_fixtures(transform: fn(&str) -> Vec<u8>) -> tempfile::TempDir {
    fn walk(from: &Path, to: &Path, transform: fn(&str) -> Vec<u8>) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &target, transform);
            } else {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                std::fs::write(target, transform(&text)).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    walk(&fixtures_dir(), dir.path(), transform);
    dir
}

fn as_is(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn crlf(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n").into_bytes()
}

fn bom(text: &str) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

fn describe_entry(out: &mut String, entry: &Entry) {
    let _ = write!(out, "  {}  {}", entry.location, entry.render());
    if let EntryKind::DirectWheel { wheel, url, .. } = &entry.kind {
        let _ = write!(out, "  <- {url} ({})", wheel.filename());
    }
    out.push('\n');
    for hash in &entry.hashes {
        let _ = writeln!(out, "      {hash}");
    }
}

/// A stable, readable rendering of a parse result.
fn describe(result: &Result<RequirementsSet, RequirementsError>) -> String {
    let set = match result {
        Ok(set) => set,
        Err(err) => return describe_error(err),
    };
    let mut out = String::from("requirements:\n");
    for entry in &set.requirements {
        describe_entry(&mut out, entry);
    }
    out.push_str("constraints:\n");
    for entry in &set.constraints {
        describe_entry(&mut out, entry);
    }
    let urls = |name: &str, list: &[(String, Location)], out: &mut String| {
        for (url, location) in list {
            let _ = writeln!(out, "{name}: {url} ({location})");
        }
    };
    if let Some((url, location)) = &set.index_url {
        let _ = writeln!(out, "index_url: {url} ({location})");
    }
    urls("extra_index_url", &set.extra_index_urls, &mut out);
    urls("find_links", &set.find_links, &mut out);
    let _ = writeln!(
        out,
        "no_index: {}, pre: {}, prefer_binary: {}, require_hashes: {}, hash_mode: {}",
        set.no_index,
        set.pre,
        set.prefer_binary,
        set.require_hashes,
        set.hash_mode()
    );
    let _ = writeln!(
        out,
        "only_binary: {:?}, no_binary: {:?}, trusted_hosts: {:?}",
        set.only_binary, set.no_binary, set.trusted_hosts
    );
    for path in &set.files_read {
        let _ = writeln!(out, "read: {}", path.display());
    }
    let _ = write!(
        out,
        "--- requirements.txt\n{}--- constraints.txt\n{}",
        set.render_requirements(),
        set.render_constraints()
    );
    out
}

fn describe_error(err: &RequirementsError) -> String {
    let mut out = format!("error: {err}\n");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let _ = writeln!(out, "Caused by: {cause}");
        source = cause.source();
    }
    if let Some(hint) = err.hint() {
        let _ = writeln!(out, "hint: {hint}");
    }
    out
}

fn parse_fixture(dir: &Path, name: &str, kind: FileKind) -> String {
    let path = dir.join(name);
    let result = match kind {
        FileKind::Requirements => parse(&[path], &[], &env),
        FileKind::Constraints => parse(&[], &[path], &env),
    };
    let text = describe(&result);
    let dir = dir.to_string_lossy();
    text.replace(dir.as_ref(), "[DIR]")
}

#[test]
fn fixtures_parse_the_same_with_lf_crlf_and_bom() {
    let variants = [
        copy_fixtures(as_is),
        copy_fixtures(crlf),
        copy_fixtures(bom),
    ];
    for (name, kind) in ROOTS {
        let outputs: Vec<String> = variants
            .iter()
            .map(|dir| parse_fixture(dir.path(), name, *kind))
            .collect();
        assert_eq!(outputs[0], outputs[1], "{name}: CRLF differs");
        assert_eq!(outputs[0], outputs[2], "{name}: BOM differs");
        // Secrets never appear in errors or rendered files (only in the URL kept for download).
        for line in outputs[0].lines() {
            if !line.contains("<- ") && !line.starts_with("extra_index_url") {
                assert!(!line.contains(SECRET), "{name}: secret in `{line}`");
            }
        }
        let snapshot = name.trim_end_matches(".txt").replace('.', "_");
        insta::assert_snapshot!(snapshot, outputs[0]);
    }
}

#[test]
fn every_fixture_is_used() {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut files = Vec::new();
    walk(&fixtures_dir(), &fixtures_dir(), &mut files);
    for file in files {
        assert!(
            ROOTS.iter().any(|(n, _)| *n == file) || INCLUDED.contains(&file.as_str()),
            "fixture {file} is not tested"
        );
    }
}

#[test]
fn parse_str_reads_includes_relative_to_its_path() {
    let path = fixtures_dir().join("from-stdin.txt");
    let set = parse_str(
        "-r includes-b.txt\nlocal==1\n",
        &path,
        FileKind::Requirements,
        &env,
    )
    .unwrap();
    assert_eq!(set.render_requirements(), "from-b==2.0\nlocal==1\n");
    assert_eq!(set.files_read, vec![fixtures_dir().join("includes-b.txt")]);
}

#[test]
fn self_include_is_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("self.txt");
    std::fs::write(&path, "a==1\n-r ./self.txt\n").unwrap();
    let err = parse(&[path], &[], &env).unwrap_err();
    let text = err
        .to_string()
        .replace(&*dir.path().to_string_lossy(), "[DIR]");
    assert_eq!(
        text,
        "Include cycle in requirements files: `[DIR]/self.txt` (line 2) -> `[DIR]/self.txt`"
    );
}

#[test]
fn the_same_file_twice_is_not_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("common.txt"), "c==1\n").unwrap();
    std::fs::write(dir.path().join("a.txt"), "-r common.txt\n-r common.txt\n").unwrap();
    let set = parse(&[dir.path().join("a.txt")], &[], &env).unwrap();
    assert_eq!(set.render_requirements(), "c==1\nc==1\n");
    assert_eq!(set.files_read.len(), 2);
}

#[test]
fn utf16_with_bom_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ps.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "django==5.2\r\nrequests\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let set = parse(&[path], &[], &env).unwrap();
    assert_eq!(set.render_requirements(), "django==5.2\nrequests\n");
}

#[test]
fn invalid_utf8_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.txt");
    std::fs::write(&path, b"a==1\n# caf\xE9\n").unwrap();
    let err = parse(&[path], &[], &env).unwrap_err();
    assert!(matches!(err, RequirementsError::NotUtf8 { location } if location.line == 2));
}

/// Errors quote the line with `${VAR}` put back and URL credentials removed.
#[test]
fn errors_never_show_secrets() {
    let path = Path::new("/nonexistent/r.txt");
    let cases = [
        "x @ https://${TOKEN}@h.example.com/x-1.0.tar.gz",
        "x @ https://u:${TOKEN}@h.example.com/x-1.0.tar.gz",
        "https://${TOKEN}@h.example.com/x-1.0.tar.gz",
        "x ==${TOKEN}",
        "x[${TOKEN}/]==1",
        "x-${TOKEN}- ==1",
        "git+https://${TOKEN}@github.com/a/b",
        "x @ git+https://${TOKEN}@github.com/a/b",
        "-e git+https://${TOKEN}@github.com/a/b",
        "-r https://${TOKEN}@h.example.com/r.txt",
        "-r ${TOKEN}.txt",
        "x==1 --hash=${TOKEN}:00",
        "x==1 --hash=${TOKEN}",
        "--${TOKEN}",
        "./${TOKEN}/dir",
        "x @ https://h.example.com/${TOKEN}/",
        "x==1 ; python_version == ${TOKEN}",
        "./x-1.0-py3-none-any.whl ; ${TOKEN}",
    ];
    let mut shown = String::new();
    for case in cases {
        let err = parse_str(case, path, FileKind::Requirements, &env)
            .map(|set| describe(&Ok(set)))
            .expect_err(case);
        let text = describe_error(&err);
        assert!(!text.contains(SECRET), "{case}: {text}");
        let _ = writeln!(shown, "{case}\n{text}");
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn hash_mode_from_the_command_line() {
    let path = Path::new("/nonexistent/r.txt");
    let set = parse_str("a==1\n", path, FileKind::Requirements, &env).unwrap();
    assert!(!set.hash_mode());
    assert!(set.check_hashes(false).is_ok());
    assert!(matches!(
        set.check_hashes(true),
        Err(RequirementsError::HashesMissing { .. })
    ));
}

#[test]
fn empty_input_renders_empty_files() {
    let set = parse_str(
        "\n# nothing\n",
        Path::new("r.txt"),
        FileKind::Requirements,
        &env,
    )
    .unwrap();
    assert_eq!(set.render_requirements(), "");
    assert_eq!(set.render_constraints(), "");
}

/// Pieces that make interesting lines when glued together at random.
const PIECES: &[&str] = &[
    "foo",
    "==1.0",
    ">=",
    "[a,b]",
    " ; ",
    "python_version >= '3.12'",
    "@",
    " @ ",
    "https://h/x-1.0-py3-none-any.whl",
    "file:///x.whl",
    "./d/x-1-py3-none-any.whl",
    ".tar.gz",
    "-r",
    "-c",
    "-e",
    "-i",
    "--hash=sha256:",
    "--hash",
    "--pre",
    "--no",
    "--index-url=",
    "\\\n",
    "\r\n",
    "\n",
    "#",
    " # c",
    "${TOKEN}",
    "${",
    "}",
    "'",
    "\"",
    "\\",
    " ",
    "\t",
    "\u{FEFF}",
    "é",
    "git+",
    ":",
    "%2F",
    "..",
    "/",
    "[",
    "]",
    "(",
    ")",
    ";",
    "==",
    "*",
    "~=",
    "!",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        for kind in [FileKind::Requirements, FileKind::Constraints] {
            let result = parse_str(&text, Path::new("/nonexistent/r.txt"), kind, &env);
            let _ = describe(&result);
        }
    }

    #[test]
    fn glued_pieces_never_panic(indices in proptest::collection::vec(0..PIECES.len(), 0..24)) {
        let text: String = indices.iter().map(|i| PIECES[*i]).collect();
        for kind in [FileKind::Requirements, FileKind::Constraints] {
            let result = parse_str(&text, Path::new("/nonexistent/r.txt"), kind, &env);
            let _ = describe(&result);
            if let Ok(set) = result {
                // What is rendered parses again to the same rendering.
                let again = parse_str(
                    &set.render_requirements(),
                    Path::new("/nonexistent/r.txt"),
                    FileKind::Requirements,
                    &env,
                ).unwrap();
                prop_assert_eq!(again.render_requirements(), set.render_requirements());
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = lines::decode(&bytes);
    }
}
