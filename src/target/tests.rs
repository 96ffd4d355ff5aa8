use super::*;

fn target(arch: Arch, minor: u16) -> Target {
    let mut t = Target::new(arch);
    t.glibc = Glibc { major: 2, minor };
    t
}

#[test]
fn platform_counts_match_pep_600() {
    assert_eq!(target(Arch::X86_64, 17).platforms().len(), 16);
    assert_eq!(target(Arch::Aarch64, 17).platforms().len(), 2);
    assert_eq!(target(Arch::X86_64, 28).platforms().len(), 27);
    assert_eq!(target(Arch::Aarch64, 28).platforms().len(), 13);
    let p = target(Arch::X86_64, 17).platforms();
    assert_eq!(p[0], "manylinux_2_17_x86_64");
    assert_eq!(p[1], "manylinux2014_x86_64");
    assert_eq!(p.last().unwrap(), "manylinux1_x86_64");
}

#[test]
fn tag_order_for_aarch64_2_17() {
    let t = target(Arch::Aarch64, 17);
    let tags: Vec<String> = t
        .tags()
        .into_iter()
        .map(|(a, b, c)| format!("{a}-{b}-{c}"))
        .collect();
    insta::assert_snapshot!(tags.join("\n"));
}

#[test]
fn ranks_choose_between_files() {
    let ranks = target(Arch::X86_64, 28).tag_ranks();
    let rank = |f: &str| ranks.rank(&f.parse().unwrap());
    let native = rank("a-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").unwrap();
    let abi3 = rank("a-1-cp38-abi3-manylinux_2_28_x86_64.whl").unwrap();
    let pure = rank("a-1-py2.py3-none-any.whl").unwrap();
    assert!(native < abi3 && abi3 < pure);
    assert_eq!(rank("a-1-cp313-abi3-manylinux_2_17_x86_64.whl"), None);
    assert_eq!(rank("a-1-cp312-cp312-manylinux_2_31_x86_64.whl"), None);
    assert_eq!(rank("a-1-cp312-cp312-musllinux_1_2_x86_64.whl"), None);
    assert_eq!(rank("a-1-cp312-cp312-manylinux_2_17_aarch64.whl"), None);
    assert_eq!(rank("a-1-cp312-cp312-linux_x86_64.whl"), None);
    assert_eq!(rank("a-1-cp311-cp311-manylinux_2_17_x86_64.whl"), None);
    assert!(rank("a-1-cp312-none-any.whl").unwrap() < pure);
}

#[test]
fn markers_are_the_targets() {
    let env = target(Arch::Aarch64, 28).marker_environment();
    assert_eq!(env.platform_machine(), "aarch64");
    assert_eq!(env.sys_platform(), "linux");
    assert_eq!(env.python_full_version().to_string(), "3.12.0");
}

#[test]
fn pip_platform_spelling() {
    assert_eq!(
        parse_pip_platform("manylinux_2_17_x86_64").unwrap(),
        (
            Arch::X86_64,
            Some(Glibc {
                major: 2,
                minor: 17
            })
        )
    );
    assert_eq!(
        parse_pip_platform("manylinux2014_aarch64").unwrap(),
        (
            Arch::Aarch64,
            Some(Glibc {
                major: 2,
                minor: 17
            })
        )
    );
    assert!(parse_pip_platform("macosx_11_0_arm64").is_err());
    assert!(parse_pip_platform("musllinux_1_2_x86_64").is_err());
}

fn profile_target(name: &str, arch: Arch) -> Target {
    let mut t = Target::new(arch);
    Profile::builtin(name).unwrap().apply(&mut t).unwrap();
    t
}

#[test]
fn builtin_profiles_give_their_tags_and_markers() {
    let mut out = String::new();
    for name in Profile::BUILTIN {
        let p = Profile::builtin(name).unwrap();
        let t = profile_target(name, Arch::X86_64);
        let tags = t.tags();
        let env = t.marker_environment();
        out.push_str(&format!(
            "{name}: {t}; arches {:?} (default {:?}); {} tags, first {}-{}-{}, last {}-{}-{}; python_full_version {}\n",
            p.architectures,
            p.default_architectures,
            tags.len(),
            tags[0].0,
            tags[0].1,
            tags[0].2,
            tags[tags.len() - 1].0,
            tags[tags.len() - 1].1,
            tags[tags.len() - 1].2,
            env.python_full_version(),
        ));
    }
    insta::assert_snapshot!(out);
    let docker5 = profile_target("netbox-docker-5", Arch::Aarch64);
    let ranks = docker5.tag_ranks();
    let rank = |f: &str| ranks.rank(&f.parse().unwrap());
    assert!(rank("a-1-cp314-cp314-manylinux_2_43_aarch64.whl").is_some());
    assert!(rank("a-1-cp312-abi3-manylinux_2_17_aarch64.whl").is_some());
    assert_eq!(rank("a-1-cp312-cp312-manylinux_2_17_aarch64.whl"), None);
    assert_eq!(rank("a-1-cp314-cp314-manylinux_2_44_aarch64.whl"), None);
    assert_eq!(
        profile_target("netbox-docker-3", Arch::X86_64),
        profile_target("netbox-docker-4", Arch::X86_64)
    );
    assert!(Profile::builtin("netbox-docker-6").is_none());
}

#[test]
fn profile_files() {
    let p = Profile::from_toml(
        "site.toml",
        r##"
python = "3.13.2"
implementation = "cpython"
glibc = "2_35"
architectures = ["aarch64"]
[markers]
platform_release = "6.8.0-45-generic"
platform_version = "#1 SMP"
"##,
    )
    .unwrap();
    assert_eq!(p.architectures, vec![Arch::Aarch64]);
    assert_eq!(p.default_architectures, vec![Arch::Aarch64]);
    let mut t = Target::new(Arch::Aarch64);
    p.apply(&mut t).unwrap();
    assert_eq!((t.minor, t.micro, t.glibc.minor), (13, 2, 35));
    let env = t.marker_environment();
    assert_eq!(env.platform_release(), "6.8.0-45-generic");
    assert_eq!(env.platform_version(), "#1 SMP");
    assert_eq!(env.python_full_version().to_string(), "3.13.2");
    let bad = |text: &str| Profile::from_toml("x", text).unwrap_err();
    assert!(bad("python = \"3.12\"").contains("glibc"));
    assert!(bad("python = \"3.12\"\nglibc = \"2_28\"\nimplementation = \"pypy\"").contains("pypy"));
    assert!(
        bad("python = \"3.12\"\nglibc = \"2_28\"\n[markers]\nos = \"x\"")
            .contains("unknown marker `os`")
    );
    assert!(
        bad("python = \"3.12\"\nglibc = \"2_28\"\n[markers]\npython_version = \"x\"")
            .contains("not a version")
    );
    assert!(bad("python = \"3.12\"\nglibc = \"2_28\"\narchitectures = [\"x86_64\"]\ndefault_architectures = [\"aarch64\"]").contains("default architecture"));
    assert!(bad("python = \"2.7\"\nglibc = \"2_28\"").contains("Python"));
    assert!(
        Profile::load("no-such-profile")
            .unwrap_err()
            .contains("netbox-enterprise")
    );
}
