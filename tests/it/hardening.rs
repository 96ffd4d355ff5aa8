//! Hostile inputs through the binary: lock files, plugin settings, secrets in URLs, a planted
//! cache, unbounded requirement files. Each test here failed before its fix.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::tools::{self, require};
use crate::common::{self, FakeIndex, Release, nbwheel};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every path under `dir` (recursively, symlinks not followed), relative to it.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `build` against `index` in `dir` with its own cache, extra arguments appended.
fn build(index: &FakeIndex, dir: &Path, reqs: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(dir)
        .args([
            "build",
            "-q",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
            "-r",
            "requirements.txt",
        ])
        .arg("--cache-dir")
        .arg(dir.join("work").join("cache"))
        .args(extra)
        .output()
        .unwrap()
}

fn lock_text(name: &str, version: &str, file: &str, url: &str, sha: &str) -> String {
    format!(
        "lock-version = \"1.0\"\ncreated-by = \"nbwheel\"\n\n[[packages]]\nname = \"{name}\"\nversion = \"{version}\"\n\n[[packages.wheels]]\nname = \"{file}\"\nurl = \"{url}\"\nsize = 10\nhashes = {{ sha256 = \"{sha}\" }}\n"
    )
}

#[test]
fn item1_lock_fields_are_validated_before_use() {
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let file = "a-1.0-py3-none-any.whl";
    let good_sha = index.sha256(file);
    let url = index.file_url(file);
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep"), b"x").unwrap();
    let abs = outside.join("planted");
    let bad: Vec<(String, &str)> = vec![
        (lock_text("a", "1.0", file, &url, "../../../x"), "sha256"),
        (
            lock_text("a", "1.0", file, &url, abs.to_str().unwrap()),
            "sha256",
        ),
        (
            lock_text("a", "1.0", file, &url, &good_sha.to_uppercase()),
            "sha256",
        ),
        (
            lock_text("a", "1.0", "../../a-1.0-py3-none-any.whl", &url, &good_sha),
            "name",
        ),
        (lock_text("A_", "1.0", file, &url, &good_sha), "name"),
        (
            lock_text("a", "not a version", file, &url, &good_sha),
            "version",
        ),
        (
            lock_text("a", "1.0", file, "file:///etc/passwd", &good_sha),
            "url",
        ),
        (
            lock_text("a", "1.0", "b-1.0-py3-none-any.whl", &url, &good_sha),
            "project",
        ),
    ];
    let before = tree(dir.path());
    for (lock, field) in &bad {
        let path = dir.path().join("work/lock.toml");
        std::fs::write(&path, lock).unwrap();
        let o = build(
            &index,
            &dir.path().join("work"),
            "a\n",
            &["--lock", path.to_str().unwrap(), "-o", "out.tar.gz"],
        );
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{lock}\n{t}");
        assert!(t.contains(field) && t.contains("[[packages]] #1"), "{t}");
        let after: Vec<PathBuf> = tree(dir.path())
            .into_iter()
            .filter(|p| !p.starts_with("work"))
            .collect();
        let before: Vec<PathBuf> = before
            .iter()
            .filter(|p| !p.starts_with("work"))
            .cloned()
            .collect();
        assert_eq!(after, before, "{lock}");
        assert!(!dir.path().join("x").exists() && !abs.exists());
        assert!(!dir.path().join("work/out.tar.gz").exists());
    }
    // The same lock with honest values builds.
    let path = dir.path().join("work/lock.toml");
    // (The lock's `size` caps the download, so it is the real one here.)
    let real_size = format!("size = {}", index.file(file).bytes.len());
    let honest = lock_text("a", "1.0", file, &url, &good_sha).replace("size = 10", &real_size);
    std::fs::write(&path, honest).unwrap();
    let o = build(
        &index,
        &dir.path().join("work"),
        "a\n",
        &["--lock", path.to_str().unwrap(), "-o", "out.tar.gz"],
    );
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn item5_requirement_files_and_lines_are_bounded() {
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    let work = dir.path().join("work");
    let run = |reqs: &str| {
        let t = std::time::Instant::now();
        let o = build(&index, &work, reqs, &["-o", "out.tar.gz"]);
        (o, t.elapsed())
    };
    // An endless file.
    let (o, took) = run("-r /dev/zero\n");
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("/dev/zero") && t.contains("too large"), "{t}");
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    // A million extras.
    let (o, took) = run(&format!("a[{}\n", "x,".repeat(1_000_000)));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{}", &t[..t.len().min(2000)]);
    assert!(
        t.len() < 10_000 && t.contains("requirements.txt:1"),
        "{}",
        &t[..t.len().min(2000)]
    );
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    // Deeply nested parentheses in a marker: refused by depth, or by length beyond it.
    for (depth, says) in [(5_000, "nested"), (50_000, "bytes long")] {
        let (o, _) = run(&format!(
            "a ; {}python_version > '3'{}\n",
            "(".repeat(depth),
            ")".repeat(depth)
        ));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{}", &t[..t.len().min(2000)]);
        assert!(
            t.contains(says) && t.len() < 10_000,
            "{}",
            &t[..t.len().min(2000)]
        );
    }
}

#[test]
fn item5_deep_requires_dist_is_refused_not_a_crash() {
    for (depth, says) in [(5_000, "nested"), (50_000, "bytes long")] {
        let deep = format!(
            "b ; {}python_version > '3'{}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let index = FakeIndex::start(vec![Release::new("a", "1.0").depends(&[deep.as_str()])]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        let o = build(
            &index,
            &dir.path().join("work"),
            "a\n",
            &["-o", "out.tar.gz"],
        );
        let t = text(&o);
        assert!(
            matches!(o.status.code(), Some(c) if (1..=4).contains(&c)),
            "{:?} {}",
            o.status,
            &t[..t.len().min(2000)]
        );
        assert!(t.contains(says), "{}", &t[..t.len().min(2000)]);
    }
}

/// A plugin's `__init__.py` with `required_settings` given as Python source text.
fn hostile_plugin(dist: &str, module: &str, required: &str) -> Release {
    let init = format!(
        "from netbox.plugins import PluginConfig\n\nclass Cfg(PluginConfig):\n    name = {module:?}\n    version = \"1.0\"\n    required_settings = {required}\n\nconfig = Cfg\n"
    );
    Release {
        import_name: Some(module.to_string()),
        ..Release::new(dist, "1.0")
    }
    .file(&format!("{module}/__init__.py"), &init)
}

#[test]
fn item4_config_never_emits_code_it_did_not_write() {
    // The Python text of each setting, and the value Python gives it.
    let hostile: &[(&str, &str)] = &[
        (r#""a'b""#, "a'b"),
        (r#"'q"uote'"#, "q\"uote"),
        (r#""back\\slash\\""#, "back\\slash\\"),
        (r#""new\nline = 1\nimport os""#, "new\nline = 1\nimport os"),
        (r#""hash # not a comment""#, "hash # not a comment"),
        (r#"'tri""" """ple'"#, "tri\"\"\" \"\"\"ple"),
        (
            r#""'}, '__import__(\"os\")': {'""#,
            "'}, '__import__(\"os\")': {'",
        ),
    ];
    let required = format!(
        "[{}]",
        hostile
            .iter()
            .map(|(py, _)| *py)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let index = FakeIndex::start(vec![
        hostile_plugin("evil-plugin", "evil_plugin", &required),
        hostile_plugin("dash-plugin", "dash-plugin", "[]"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let o = build(
        &index,
        &work,
        "evil-plugin\ndash-plugin\n",
        &["-o", "w.tar.gz"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = nbwheel()
        .current_dir(&work)
        .args(["config", "w.tar.gz", "--patch"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        stderr.contains("dash-plugin") && stderr.contains("not a Python module name"),
        "{stderr}"
    );
    let (python, patch) = stdout.split_once("\nkubectl patch").unwrap();
    assert!(!python.contains("dash-plugin"), "{python}");
    // The JSON of the patch carries exactly the same text.
    let json = patch
        .rsplit_once(" -p '")
        .unwrap()
        .1
        .trim_end()
        .strip_suffix('\'')
        .unwrap()
        .replace("'\\''", "'");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["spec"]["netbox"]["config"]["customPythonConfig"].as_str(),
        Some(python)
    );
    let py = require!(tools::python3());
    // Python reads back exactly the plugin's strings, and the text runs no code.
    let script = "import ast, json, sys\nsrc = sys.stdin.read()\ntree = ast.parse(src)\nassert all(isinstance(n, ast.Assign) for n in tree.body), ast.dump(tree)\nns = {}\nexec(compile(tree, 'c', 'exec'), {'__builtins__': {}}, ns)\nprint(json.dumps([ns['PLUGINS'], ns['PLUGINS_CONFIG']]))\n";
    let mut child = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(python.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}\n{python}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0], serde_json::json!(["evil_plugin"]));
    let keys: Vec<String> = v[1]["evil_plugin"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut expected: Vec<String> = hostile.iter().map(|(_, s)| (*s).to_string()).collect();
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
}

/// The members of a `.tar.gz` as (name, text).
fn archive_texts(archive: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        out.push((name, String::from_utf8_lossy(&bytes).to_string()));
    }
    out
}

const SECRETS: [&str; 6] = [
    "AZSECRET",
    "AMZSECRET",
    "GOOGSECRET",
    "TOKSECRET",
    "PWSECRET",
    "MARKSECRET",
];

#[test]
fn item7_secrets_never_reach_an_archive_a_lock_or_a_message() {
    let index = FakeIndex::start(vec![Release::new("a", "1.0"), Release::new("b", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let base = index.base_url().replace("http://", "http://user:PWSECRET@");
    let query = "sv=2024&sig=AZSECRET&X-Amz-Signature=AMZSECRET&X-Goog-Signature=GOOGSECRET&token=TOKSECRET";
    let o = {
        std::fs::write(
            work.join("requirements.txt"),
            format!(
                "a @ ${{BASE}}/files/a-1.0-py3-none-any.whl?{query}\nb ; platform_machine != '${{MARK}}'\n"
            ),
        )
        .unwrap();
        nbwheel()
            .current_dir(&work)
            .env("BASE", &base)
            .env("MARK", "MARKSECRET")
            .args(["build", "--index-url", &index.url(), "--retries", "0"])
            .args([
                "-r",
                "requirements.txt",
                "-o",
                "w.tar.gz",
                "--cache-dir",
                "cache",
            ])
            .output()
            .unwrap()
    };
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    for s in SECRETS {
        assert!(!t.contains(s), "{s} in output: {t}");
    }
    let members = archive_texts(&work.join("w.tar.gz"));
    let find = |n: &str| {
        members
            .iter()
            .find(|(name, _)| name.ends_with(n))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert_eq!(find("requirements.txt"), "a==1.0\nb==1.0\n");
    let lock = find("pylock.toml");
    for (name, body) in &members {
        if Path::new(name).extension().is_some_and(|e| e == "whl") {
            continue;
        }
        for s in SECRETS {
            assert!(!body.contains(s), "{s} in {name}: {body}");
        }
    }
    assert!(
        lock.contains(&format!(
            "url = \"{}/files/a-1.0-py3-none-any.whl\"",
            index.base_url()
        )),
        "{lock}"
    );
    // A failing signed URL: the message names the file, never the signature.
    std::fs::write(
        work.join("requirements.txt"),
        format!(
            "c @ {}/files/c-1.0-py3-none-any.whl?{query}\n",
            index.base_url()
        ),
    )
    .unwrap();
    let o = nbwheel()
        .current_dir(&work)
        .args(["build", "--index-url", &index.url(), "--retries", "0", "-v"])
        .args([
            "-r",
            "requirements.txt",
            "-o",
            "w2.tar.gz",
            "--cache-dir",
            "cache",
        ])
        .output()
        .unwrap();
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("c-1.0-py3-none-any.whl"), "{t}");
    for s in SECRETS {
        assert!(!t.contains(s), "{s} in output: {t}");
    }
}

/// `build` of `reqs` against `index` with the cache `cache`, in `work`.
fn build_with_cache(index: &FakeIndex, work: &Path, cache: &Path, reqs: &str) -> Output {
    std::fs::write(work.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(work)
        .args(["build", "-q", "--index-url", &index.url(), "--retries", "0"])
        .args(["-r", "requirements.txt", "-o", "w.tar.gz"])
        .arg("--cache-dir")
        .arg(cache)
        .output()
        .unwrap()
}

#[test]
fn item9_a_planted_or_renamed_validation_marker_skips_no_check() {
    let dir = tempfile::tempdir().unwrap();
    let (work, cache) = (dir.path().join("work"), dir.path().join("cache"));
    std::fs::create_dir_all(&work).unwrap();
    // A file that is not a wheel at all, with a marker planted where nbwheel once kept them.
    let garbage = b"not a zip".to_vec();
    let mut catalog = common::Catalog::build(&[]);
    catalog.add(
        "a",
        common::catalog::PublishedFile::raw("a", "1.0", "a-1.0-py3-none-any.whl", garbage.clone()),
    );
    let index = FakeIndex::start_catalog(catalog);
    let sha = nbwheel::index::cache::sha256_hex(&garbage);
    std::fs::create_dir_all(cache.join("v1/validated")).unwrap();
    std::fs::write(cache.join("v1/validated").join(&sha), b"").unwrap();
    let o = build_with_cache(&index, &work, &cache, "a\n");
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    // A wheel checked under one name, then served under another: checked again. (The other
    // name has another version: a name with other tags only would be a retagged wheel, which
    // is sound.)
    let good = FakeIndex::start(vec![Release::new("b", "1.0")]);
    let o = build_with_cache(&good, &work, &cache, "b\n");
    assert!(o.status.success(), "{}", text(&o));
    let bytes = good.file("b-1.0-py3-none-any.whl").bytes.to_vec();
    let mut catalog = common::Catalog::build(&[]);
    catalog.add(
        "b",
        common::catalog::PublishedFile::raw("b", "2.0", "b-2.0-py3-none-any.whl", bytes),
    );
    let renamed = FakeIndex::start_catalog(catalog);
    let o = build_with_cache(&renamed, &work, &cache, "b\n");
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
}

#[test]
fn item9_unhashed_cache_entries_are_checked_against_their_recorded_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let (work, cache) = (dir.path().join("work"), dir.path().join("cache"));
    std::fs::create_dir_all(&work).unwrap();
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    index.knobs().no_hash("a");
    let o = build_with_cache(&index, &work, &cache, "a\n");
    assert!(o.status.success(), "{}", text(&o));
    // Replace the cached bytes.
    let mut cached = Vec::new();
    for p in tree(&cache.join("v1/wheels-by-url")) {
        if p.to_string_lossy().ends_with(".whl") {
            cached.push(cache.join("v1/wheels-by-url").join(p));
        }
    }
    assert_eq!(cached.len(), 1, "{cached:?}");
    std::fs::write(&cached[0], b"planted bytes").unwrap();
    let fetched = index.count_get("/files/a-1.0-py3-none-any.whl");
    let o = build_with_cache(&index, &work, &cache, "a\n");
    assert!(o.status.success(), "{}", text(&o));
    let packed = archive_texts(&work.join("w.tar.gz"));
    assert!(packed.iter().all(|(_, t)| !t.contains("planted bytes")));
    assert!(index.count_get("/files/a-1.0-py3-none-any.whl") > fetched);
}

#[test]
fn item9_cleanup_never_follows_a_symlinked_tmp() {
    let dir = tempfile::tempdir().unwrap();
    let (work, cache) = (dir.path().join("work"), dir.path().join("cache"));
    let victim = dir.path().join("victim");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(cache.join("v1")).unwrap();
    std::fs::create_dir_all(&victim).unwrap();
    for name in ["precious.txt", "part-abc123"] {
        std::fs::write(victim.join(name), b"keep").unwrap();
    }
    std::os::unix::fs::symlink(&victim, cache.join("v1/tmp")).unwrap();
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let o = build_with_cache(&index, &work, &cache, "a\n");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        tree(&victim),
        [PathBuf::from("part-abc123"), PathBuf::from("precious.txt")]
    );
    // In the real folder, only nbwheel's own temp names are removed.
    let tmp = cache.join("v1/tmp");
    assert!(
        !std::fs::symlink_metadata(&tmp)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    for name in ["notes.txt", "part-abc123"] {
        std::fs::write(tmp.join(name), b"x").unwrap();
    }
    let o = build_with_cache(&index, &work, &cache, "a\n");
    assert!(o.status.success(), "{}", text(&o));
    assert!(tmp.join("notes.txt").exists() && !tmp.join("part-abc123").exists());
}

mod properties {
    use std::path::{Component, Path};

    use proptest::prelude::*;

    /// `path` is `folder` plus exactly `n` normal components.
    fn inside(path: &Path, folder: &Path, n: usize) -> bool {
        path.strip_prefix(folder).is_ok_and(|rest| {
            let parts: Vec<Component<'_>> = rest.components().collect();
            parts.len() == n && parts.iter().all(|c| matches!(c, Component::Normal(_)))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn lock_text_gives_a_lock_or_an_error(text in "\\PC{0,300}") {
            let _ = nbwheel::lock::Lock::parse(&text, Path::new("pylock.toml"));
        }

        #[test]
        fn lock_fields_give_a_lock_or_an_error(
            name in "\\PC{0,20}",
            version in "\\PC{0,10}",
            file in "\\PC{0,40}",
            url in "\\PC{0,40}",
            sha in "\\PC{0,70}",
        ) {
            let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
            let text = format!(
                "lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"{}\"\nversion = \"{}\"\n[[packages.wheels]]\nname = \"{}\"\nurl = \"{}\"\nsize = 1\nhashes = {{ sha256 = \"{}\" }}\n",
                esc(&name), esc(&version), esc(&file), esc(&url), esc(&sha)
            );
            if let Ok(lock) = nbwheel::lock::Lock::parse(&text, Path::new("pylock.toml")) {
                // Whatever a lock that passed says, its paths stay one component.
                let w = &lock.packages[0].wheels[0];
                prop_assert!(nbwheel::lock::is_safe_file_name(&w.name));
                prop_assert!(nbwheel::lock::is_sha256_hex(&w.hashes["sha256"]));
            }
        }

        #[test]
        fn wheel_names_give_a_name_or_an_error(text in "\\PC{0,120}") {
            if let Ok(w) = text.parse::<nbwheel::wheel_name::WheelName>() {
                prop_assert!(!w.filename().is_empty());
            }
        }

        #[test]
        fn pep508_gives_a_requirement_or_an_error(text in "\\PC{0,200}") {
            let _ = nbwheel::requirements::parse_pep508::<url::Url>(&text);
        }

        #[test]
        fn cache_paths_are_one_component_inside_their_folder(
            sha in "\\PC{0,80}|[0-9a-f]{64}",
            file in "\\PC{0,60}|\\.\\.|/tmp/x|\\.\\./\\.\\./x",
            url_path in "[a-z/.%]{0,30}",
        ) {
            let root = Path::new("/cache");
            let cache = nbwheel::index::cache::Cache::at(root.to_path_buf());
            let p = cache.wheel_path(&sha, &file);
            prop_assert!(inside(&p, &root.join("v1/wheels"), 3), "{}", p.display());
            let url = url::Url::parse(&format!("https://h/{url_path}")).unwrap();
            let p = cache.unhashed_wheel_path(&url, &file);
            prop_assert!(inside(&p, &root.join("v1/wheels-by-url"), 2), "{}", p.display());
        }
    }
}

#[test]
fn fuzz_found_a_requires_dist_name_ending_in_a_dot_is_an_error_not_a_panic() {
    let index = FakeIndex::start(vec![Release::new("a", "1.0").depends(&["django.=4.2,<5"])]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    let o = build(
        &index,
        &dir.path().join("work"),
        "a\n",
        &["-o", "out.tar.gz"],
    );
    let t = text(&o);
    assert!(
        matches!(o.status.code(), Some(c) if (1..=4).contains(&c)),
        "{:?} {t}",
        o.status
    );
    assert!(!t.contains("panicked"), "{t}");
}

#[test]
fn fuzz_found_a_multibyte_token_after_a_marker_is_an_error_not_a_panic() {
    // `pep508_rs` 0.9 sliced the token after a marker expression by its character count and
    // panicked inside `\u{249}`; from a wheel's `Requires-Dist` and from a requirements file.
    let line = "django>=4.2,<5 ; python_version >= \"4\" a$$\"linux\"?h\"\u{249} x";
    let index = FakeIndex::start(vec![Release::new("a", "1.0").depends(&[line])]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    for requirements in ["a\n".to_string(), format!("{line}\n")] {
        let o = build(
            &index,
            &dir.path().join("work"),
            &requirements,
            &["-o", "out.tar.gz"],
        );
        let t = text(&o);
        assert!(
            matches!(o.status.code(), Some(c) if (1..=4).contains(&c)),
            "{:?} {t}",
            o.status
        );
        assert!(!t.contains("panicked"), "{t}");
        assert!(t.contains("non-ASCII"), "{t}");
    }
}
