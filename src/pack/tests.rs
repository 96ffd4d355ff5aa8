use std::fmt::Write as _;
use std::process::Command;

use proptest::prelude::*;

use super::*;
use sha2::{Digest as _, Sha256};

const LONG: &str = "a_very_long_project_name_that_goes_on_and_on-1.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";

/// Writes a few wheel-like files into `dir` and returns an input naming them.
fn sample(dir: &Path) -> PackInput {
    let mut wheels = Vec::new();
    for (i, name) in [
        "zeta-2.0-py3-none-any.whl",
        LONG,
        "alpha-1.0-py3-none-any.whl",
    ]
    .into_iter()
    .enumerate()
    {
        let path = dir.join(name);
        let data: Vec<u8> = (0..(700 * (i + 1)))
            .map(|j| u8::try_from(j * 31 % 251).unwrap())
            .collect();
        std::fs::write(&path, data).unwrap();
        wheels.push((name.to_string(), path));
    }
    PackInput {
        wheels,
        files: vec![
            ("requirements.txt".into(), b"zeta==2.0\n".to_vec()),
            ("constraints.txt".into(), b"alpha==1.0\n".to_vec()),
        ],
    }
}

fn listing(archive: &Path) -> String {
    let file = File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = String::new();
    for entry in tar.entries().unwrap() {
        let entry = entry.unwrap();
        let h = entry.header();
        writeln!(
            out,
            "{:?} {:o} {}:{} {:?}:{:?} mtime={} size={} {}",
            h.entry_type(),
            h.mode().unwrap(),
            h.uid().unwrap(),
            h.gid().unwrap(),
            String::from_utf8_lossy(h.username_bytes().unwrap()),
            String::from_utf8_lossy(h.groupname_bytes().unwrap()),
            h.mtime().unwrap(),
            h.size().unwrap(),
            entry.path().unwrap().display(),
        )
        .unwrap();
    }
    out
}

fn no_temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".nbwheel-tmp-"))
        .collect()
}

#[test]
fn writes_the_documented_layout() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample(dir.path());
    let out = dir.path().join("wheelhouse.tar.gz");
    let info = pack(&out, &input, &PackOptions::default()).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(info.size, bytes.len() as u64);
    assert_eq!(info.sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(info.entries, 6);
    // gzip: magic, deflate, FLG=0 (no name), MTIME=0, XFL=4 (level 0), OS=255.
    assert_eq!(bytes[..10], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
    insta::assert_snapshot!(format!("sha256={}\n{}", info.sha256, listing(&out)));
    assert!(no_temps(dir.path()).is_empty());

    // The only PAX record is the long name's `path`.
    let mut raw = tar::Archive::new(flate2::read::GzDecoder::new(File::open(&out).unwrap()));
    let mut pax = Vec::new();
    for entry in raw.entries().unwrap().raw(true) {
        let mut entry = entry.unwrap();
        if entry.header().entry_type() == tar::EntryType::XHeader {
            let mut s = String::new();
            entry.read_to_string(&mut s).unwrap();
            pax.push(s);
        }
    }
    assert_eq!(
        pax,
        [format!("{} path=wheelhouse/{LONG}\n", 21 + LONG.len())]
    );
}

#[test]
fn mtime_comes_from_source_date_epoch() {
    let options = PackOptions::from_source_date_epoch(Some(OsStr::new("1700000000"))).unwrap();
    assert_eq!(options.mtime, 1_700_000_000);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.tar.gz");
    pack(&out, &sample(dir.path()), &options).unwrap();
    assert!(
        listing(&out)
            .lines()
            .all(|l| l.contains("mtime=1700000000 "))
    );
    assert_eq!(
        PackOptions::from_source_date_epoch(Some(OsStr::new(""))).unwrap(),
        PackOptions::default()
    );
    let mut report = String::new();
    for bad in ["abc", "-1", "8589934592", "1.5", " 1"] {
        let e = PackOptions::from_source_date_epoch(Some(OsStr::new(bad))).unwrap_err();
        assert_eq!(e.exit_code(), ExitCode::Usage);
        writeln!(report, "{e}").unwrap();
    }
    insta::assert_snapshot!(report);
}

#[test]
fn refuses_names_the_builder_cannot_emit() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = dir.path().join("w");
    std::fs::write(&wheel, b"x").unwrap();
    let mut report = String::new();
    let cases: Vec<PackInput> = vec![
        PackInput {
            wheels: vec![("../x-1.0-py3-none-any.whl".into(), wheel.clone())],
            files: vec![],
        },
        PackInput {
            wheels: vec![("sub/x-1.0-py3-none-any.whl".into(), wheel.clone())],
            files: vec![],
        },
        PackInput {
            wheels: vec![("notes.txt".into(), wheel.clone())],
            files: vec![],
        },
        PackInput {
            wheels: vec![],
            files: vec![("../requirements.txt".into(), vec![])],
        },
        PackInput {
            wheels: vec![],
            files: vec![("setup.py".into(), vec![])],
        },
        PackInput {
            wheels: vec![
                ("x-1.0-py3-none-any.whl".into(), wheel.clone()),
                ("x-1.0-py3-none-any.whl".into(), wheel.clone()),
            ],
            files: vec![],
        },
    ];
    for input in cases {
        let out = dir.path().join("out.tar.gz");
        let e = pack(&out, &input, &PackOptions::default()).unwrap_err();
        assert_eq!(e.exit_code(), ExitCode::Integrity);
        assert!(!out.exists());
        writeln!(report, "{e}").unwrap();
    }
    insta::assert_snapshot!(report);
}

#[test]
fn failures_leave_the_output_unchanged_and_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut input = sample(dir.path());
    let out = dir.path().join("w.tar.gz");
    std::fs::write(&out, b"previous archive").unwrap();

    // A wheel that vanished: the failure comes after the temp file has data in it.
    input.wheels.push((
        "zz-1.0-py3-none-any.whl".into(),
        dir.path().join("missing.whl"),
    ));
    let e = pack(&out, &input, &PackOptions::default()).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Environment);
    assert!(e.to_string().contains("missing.whl"), "{e}");
    assert_eq!(std::fs::read(&out).unwrap(), b"previous archive");
    assert!(no_temps(dir.path()).is_empty());

    // The output path is a non-empty directory: the final rename fails.
    let input = sample(dir.path());
    let out_dir = dir.path().join("taken.tar.gz");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::write(out_dir.join("keep"), b"").unwrap();
    let e = pack(&out_dir, &input, &PackOptions::default()).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Environment);
    assert!(out_dir.join("keep").exists());
    assert!(no_temps(dir.path()).is_empty());

    // The destination folder does not exist.
    let e = pack(
        &dir.path().join("nope/w.tar.gz"),
        &input,
        &PackOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Environment);
}

#[cfg(unix)]
#[test]
fn read_only_destination_gives_exit_5_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let input = sample(dir.path());
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        // Running as root: permissions are not enforced, nothing to test.
        return;
    }
    let e = pack(&ro.join("w.tar.gz"), &input, &PackOptions::default()).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Environment);
    assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
    let chain = std::error::Error::source(&e).map(ToString::to_string);
    assert!(chain.unwrap().contains("os error 13"));
}

#[test]
fn removes_stale_temps_but_not_live_ones() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".w.tar.gz.nbwheel-tmp-stale1");
    let live = dir.path().join(".w.tar.gz.nbwheel-tmp-live01");
    let other = dir.path().join(".x.tar.gz.nbwheel-tmp-other1");
    for p in [&stale, &live, &other] {
        std::fs::write(p, b"partial").unwrap();
    }
    let held = File::open(&live).unwrap();
    held.lock().unwrap();
    remove_stale_temps(dir.path(), "w.tar.gz");
    assert!(!stale.exists());
    assert!(live.exists());
    assert!(other.exists());
    drop(held);
    // pack() cleans up too.
    pack(
        &dir.path().join("w.tar.gz"),
        &sample(dir.path()),
        &PackOptions::default(),
    )
    .unwrap();
    assert!(!live.exists());
}

#[test]
fn extracts_cleanly_with_gnu_tar_bsdtar_and_python() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample(dir.path());
    let out = dir.path().join("w.tar.gz");
    pack(&out, &input, &PackOptions::default()).unwrap();
    let check = |root: &Path| {
        for (name, path) in &input.wheels {
            assert_eq!(
                std::fs::read(root.join("wheelhouse").join(name)).unwrap(),
                std::fs::read(path).unwrap()
            );
        }
        assert_eq!(
            std::fs::read(root.join("wheelhouse/requirements.txt")).unwrap(),
            b"zeta==2.0\n"
        );
        assert_eq!(
            std::fs::read_dir(root.join("wheelhouse")).unwrap().count(),
            5
        );
    };
    let extract = |program: &str, args: &[&str], name: &str| -> Option<()> {
        let target = dir.path().join(name);
        std::fs::create_dir(&target).unwrap();
        let output = Command::new(program)
            .args(args)
            .arg(&out)
            .current_dir(&target)
            .output()
            .ok()?;
        assert!(output.status.success(), "{program}: {output:?}");
        assert!(output.stderr.is_empty(), "{program} warned: {output:?}");
        check(&target);
        Some(())
    };
    extract("tar", &["-xzf"], "gnu").expect("GNU tar is installed");
    // bsdtar and busybox are optional on the build machine.
    let _ = extract("bsdtar", &["-xzf"], "bsd");
    let _ = extract("busybox", &["tar", "-xzf"], "busybox");
    let script = "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n    t.extractall('.', filter='data')\n";
    extract("python3", &["-c", script], "python").expect("python3 is installed");
}

/// Packs the wheels in `$NBWHEEL_PACK_SRC` (in reverse order) to `$NBWHEEL_PACK_OUT`; run
/// in a child process by `same_bytes_under_other_umask_tz_locale_and_tmpdir`.
#[test]
#[ignore = "helper run in a child process"]
fn pack_from_env() {
    let (Some(src), Some(out)) = (
        std::env::var_os("NBWHEEL_PACK_SRC"),
        std::env::var_os("NBWHEEL_PACK_OUT"),
    ) else {
        return;
    };
    let mut input = sample(Path::new(&src));
    input.wheels.reverse();
    input.files.reverse();
    pack(Path::new(&out), &input, &PackOptions::from_env().unwrap()).unwrap();
}

#[test]
fn same_bytes_under_other_umask_tz_locale_and_tmpdir() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let a = dir.path().join("a.tar.gz");
    let b = dir.path().join("b.tar.gz");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let options = PackOptions::from_source_date_epoch(Some(OsStr::new("1234567890"))).unwrap();
    pack(&a, &sample(&src), &options).unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 077; exec \"$0\" --exact pack::tests::pack_from_env --ignored --quiet")
        .arg(std::env::current_exe().unwrap())
        .env("NBWHEEL_PACK_SRC", &src)
        .env("NBWHEEL_PACK_OUT", &b)
        .env("SOURCE_DATE_EPOCH", "1234567890")
        .env("TZ", "Pacific/Chatham")
        .env("LANG", "tr_TR.UTF-8")
        .env("LC_ALL", "tr_TR.UTF-8")
        .env("TMPDIR", &tmp)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

fn wheel_name() -> impl Strategy<Value = String> {
    "[a-z]([a-z0-9_]{0,108}[a-z0-9])?".prop_map(|n| format!("{n}-1.0-py3-none-any.whl"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any order of the same inputs gives the same bytes, and the archive lists exactly
    /// the inputs, sorted.
    #[test]
    fn input_order_does_not_matter(
        names in proptest::collection::btree_set(wheel_name(), 1..6),
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut input = PackInput::default();
        for (i, name) in names.iter().enumerate() {
            let path = dir.path().join(format!("{i}.whl"));
            std::fs::write(&path, seed.wrapping_mul(i as u64 + 1).to_le_bytes()).unwrap();
            input.wheels.push((name.clone(), path));
        }
        input.files.push(("pylock.toml".into(), b"lock-version = \"1.0\"\n".to_vec()));
        let a = dir.path().join("a.tar.gz");
        pack(&a, &input, &PackOptions::default()).unwrap();
        let rotate = usize::try_from(seed % input.wheels.len() as u64).unwrap();
        input.wheels.rotate_left(rotate);
        input.wheels.reverse();
        let b = dir.path().join("b.tar.gz");
        pack(&b, &input, &PackOptions::default()).unwrap();
        prop_assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

        let mut expected: Vec<String> = names.iter().map(|n| format!("wheelhouse/{n}")).collect();
        expected.push("wheelhouse/pylock.toml".into());
        expected.sort();
        expected.insert(0, "wheelhouse/".into());
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(File::open(&a).unwrap()));
        let got: Vec<String> = tar
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let mut p = e.path().unwrap().to_string_lossy().into_owned();
                if e.header().entry_type().is_dir() && !p.ends_with('/') {
                    p.push('/');
                }
                p
            })
            .collect();
        prop_assert_eq!(got, expected);
    }
}
