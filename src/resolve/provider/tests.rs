//! The prefetch follower: which dependencies a background prefetch goes on to fetch.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use pep508_rs::{PackageName, Requirement};

use super::Provider;
use crate::index::metadata::CoreMetadata;
use crate::index::{DistFile, IndexError, ProjectPage};
use crate::requirements::{FileKind, parse_str};
use crate::resolve::{Follow, Pick, ResolveOptions, Source};
use crate::target::{Arch, Target};

/// Records the prefetches it is asked for; serves nothing.
#[derive(Default)]
struct Recorder {
    asked: Mutex<Vec<PackageName>>,
    follow: Mutex<Option<Follow>>,
}

impl Source for Recorder {
    fn project(&self, _: &PackageName) -> Result<Option<Arc<ProjectPage>>, Arc<IndexError>> {
        Ok(None)
    }
    fn metadata(&self, file: &DistFile) -> Result<Arc<CoreMetadata>, Arc<IndexError>> {
        Err(Arc::new(IndexError::Metadata {
            file: file.filename.clone(),
            reason: "not served".into(),
        }))
    }
    fn prefetch(&self, name: &PackageName, _: Pick, follow: Option<Follow>) {
        self.asked.lock().unwrap().push(name.clone());
        *self.follow.lock().unwrap() = follow;
    }
}

fn name(s: &str) -> PackageName {
    PackageName::from_str(s).unwrap()
}

fn page(project: &str, versions: &[&str]) -> ProjectPage {
    let files = versions
        .iter()
        .map(|v| {
            crate::resolve::candidates::tests::file(&format!("{project}-{v}-py3-none-any.whl"))
        })
        .collect();
    ProjectPage {
        name: name(project),
        files,
        api_version: None,
        skipped: Vec::new(),
        foreign: Vec::new(),
        status: None,
    }
}

#[test]
fn a_prefetch_follows_the_dependencies_the_target_needs_once_each() {
    let none = |_: &str| None;
    let reqs = parse_str(
        "a\n",
        Path::new("requirements.txt"),
        FileKind::Requirements,
        &none,
    )
    .unwrap();
    let cons = parse_str(
        "c<2\n",
        Path::new("constraints.txt"),
        FileKind::Constraints,
        &none,
    )
    .unwrap();
    let source = Recorder::default();
    let target = Target::new(Arch::X86_64);
    let provider = Provider::new(
        &source,
        &reqs.requirements,
        &cons.constraints,
        &target,
        &ResolveOptions::default(),
    );
    provider.prefetch_roots();
    assert_eq!(*source.asked.lock().unwrap(), [name("a")]);
    let follow = source.follow.lock().unwrap().clone().unwrap();
    let meta = CoreMetadata {
        name: name("a"),
        version: "1.0".parse().unwrap(),
        requires_dist: [
            "b>=1",
            "c",
            "winonly ; sys_platform == 'win32'",
            "extraonly ; extra == 'docs'",
            "byurl @ https://example.org/byurl-1.0-py3-none-any.whl",
            "a",
        ]
        .iter()
        .map(|r| Requirement::from_str(r).unwrap())
        .collect(),
        requires_python: None,
        provides_extra: Vec::new(),
    };
    let next = follow(&meta);
    let names: Vec<&str> = next.iter().map(|(n, _)| n.as_ref()).collect();
    // Not the Windows-only, extra-only or URL dependency; not `a` itself (prefetched already).
    assert_eq!(names, ["b", "c"]);
    // Each pick takes the newest release its range (and the constraints) allow.
    let mut picks = next.into_iter();
    let (_, pick_b) = picks.next().unwrap();
    let chosen = pick_b(&page("b", &["0.5", "1.0", "2.0"])).unwrap();
    assert_eq!(chosen.filename, "b-2.0-py3-none-any.whl");
    let (_, pick_c) = picks.next().unwrap();
    let chosen = pick_c(&page("c", &["1.0", "1.5", "2.0"])).unwrap();
    assert_eq!(chosen.filename, "c-1.5-py3-none-any.whl");
    // A second wheel naming the same projects follows none of them again.
    assert!(follow(&meta).is_empty());
}
