use super::*;
use crate::cli::Cli;
use crate::index::client::IndexStrategy;
use clap::CommandFactory;

fn parse_str(text: &str) -> Result<Option<Config>, Error> {
    parse(Path::new("/p/nbwheel.toml"), text, false)
}

#[test]
fn keys_match_the_options_struct() {
    // serde lists the expected fields when it meets an unknown one.
    let err = toml::Value::Table(toml::toml! { zzz-unknown = 1 })
        .try_into::<Options>()
        .unwrap_err()
        .to_string();
    let listed = err.split("expected one of").nth(1).unwrap();
    let mut fields: Vec<&str> = listed
        .split('`')
        .enumerate()
        .filter_map(|(i, s)| (i % 2 == 1).then_some(s))
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, KEYS);
}

#[test]
fn every_key_is_a_build_flag() {
    let cmd = Cli::command();
    let build = cmd.find_subcommand("build").unwrap();
    for key in KEYS {
        assert!(
            build.get_arguments().any(|a| a.get_long() == Some(*key)),
            "`{key}` is not a long flag of `nbwheel build`"
        );
    }
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let err = parse_str("index-url = \"https://x/simple/\"\nindex_urll = 1\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Unknown key `index_urll` in `/p/nbwheel.toml:2`"
    );
    let err = parse_str("arhc = \"x86_64\"\n").unwrap_err();
    assert!(
        err.hint().unwrap().starts_with("Did you mean `arch`?"),
        "{:?}",
        err.hint()
    );
    let err = parse(
        Path::new("/p/pyproject.toml"),
        "[project]\nname = \"x\"\n[tool.nbwheel]\ncolor = true\n",
        true,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Unknown key `tool.nbwheel.color` in `/p/pyproject.toml:4`"
    );
}

#[test]
fn values_are_typed_and_paths_relative_to_the_file() {
    let c = parse_str(
        "arch = [\"x86_64\", \"aarch64\"]\ncache-dir = \"cache\"\nfind-links = [\"wheels\", \"https://h/links.html\"]\njobs = 4\n",
    )
    .unwrap()
    .unwrap();
    assert_eq!(c.options.arch.unwrap().joined(), "x86_64,aarch64");
    assert_eq!(c.options.cache_dir.unwrap(), Path::new("/p/cache"));
    assert_eq!(
        c.options.find_links.unwrap(),
        vec!["/p/wheels".to_string(), "https://h/links.html".to_string()]
    );
    assert_eq!(c.options.jobs, Some(4));
    assert!(parse_str("jobs = \"many\"\n").is_err());
    assert!(parse_str("index-strategy = \"best\"\n").is_err());
    assert!(parse_str("compression-level = 12\n").is_err());
    assert!(parse_str("not toml").is_err());
}

#[test]
fn pyproject_without_the_table_is_skipped() {
    let p = Path::new("/p/pyproject.toml");
    assert_eq!(parse(p, "[project]\nname = \"x\"\n", true).unwrap(), None);
    assert_eq!(
        parse(p, "[tool.black]\nline-length = 1\n", true).unwrap(),
        None
    );
    let c = parse(p, "[tool.nbwheel]\narch = \"all\"\n", true)
        .unwrap()
        .unwrap();
    assert_eq!(
        c.label("arch"),
        "`tool.nbwheel.arch` in `/p/pyproject.toml`"
    );
}

#[test]
fn discovery_walks_up_and_prefers_nbwheel_toml() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.nbwheel]\npre = true\n",
    )
    .unwrap();
    let found = load(None, false, &sub).unwrap().unwrap();
    assert_eq!(found.path, dir.path().join("pyproject.toml"));
    std::fs::write(dir.path().join("a/nbwheel.toml"), "pre = false\n").unwrap();
    std::fs::write(dir.path().join("a/pyproject.toml"), "[tool.nbwheel]\n").unwrap();
    let found = load(None, false, &sub).unwrap().unwrap();
    assert_eq!(found.path, dir.path().join("a/nbwheel.toml"));
    assert_eq!(load(None, true, &sub).unwrap(), None);
    let explicit = load(Some(Path::new("../../pyproject.toml")), false, &sub)
        .unwrap()
        .unwrap();
    assert_eq!(explicit.options.pre, Some(true));
    assert!(load(Some(Path::new("missing.toml")), false, &sub).is_err());
}

#[test]
fn file_fills_only_what_the_command_line_left_at_its_default() {
    let config = parse_str(
        "jobs = 4\ntimeout = 7\nno-index = true\nindex-strategy = \"unsafe-best-match\"\n",
    )
    .unwrap()
    .unwrap();
    let run = |argv: &[&str]| {
        let m = crate::cli::command()
            .try_get_matches_from(["nbwheel", "resolve", "-r", "r.txt"].iter().chain(argv))
            .unwrap();
        let mut cli = <Cli as clap::FromArgMatches>::from_arg_matches(&m).unwrap();
        let crate::cli::Command::Resolve(args) = &mut cli.command else {
            unreachable!()
        };
        config.apply_input(&mut args.input, m.subcommand_matches("resolve").unwrap());
        args.input.clone()
    };
    let filled = run(&[]);
    assert_eq!((filled.jobs, filled.timeout, filled.no_index), (4, 7, true));
    assert_eq!(filled.index_strategy, IndexStrategy::UnsafeBestMatch);
    let kept = run(&[
        "-j",
        "16",
        "--timeout",
        "30",
        "--index-strategy",
        "first-index",
    ]);
    assert_eq!((kept.jobs, kept.timeout), (16, 30));
    assert_eq!(kept.index_strategy, IndexStrategy::FirstIndex);
}

#[test]
fn typo_distance() {
    assert!(close("arch", "arhc"));
    assert!(close("timeout", "timeot"));
    assert!(!close("jobs", "python"));
}
