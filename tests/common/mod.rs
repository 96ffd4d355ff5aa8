//! Hermetic test infrastructure shared by the integration tests.
//!
//! Input: scenario files in `fixtures/scenarios/*.toml` (or releases built in code). Output: a
//! [`FakeIndex`] on `127.0.0.1:0` serving real generated wheels through the Simple API (PEP 503
//! HTML, PEP 691 JSON, PEP 658 metadata) with fault [`Knobs`] and a request log, plus helpers to
//! write requirement files, find-links folders, and run pip as an oracle.
//!
//! ```ignore
//! let scenario = common::Scenario::load("extras");
//! let index = common::FakeIndex::start(&scenario);
//! index.knobs().fail_next("/files/a-1.0-py3-none-any.whl", 2, 503);
//! let (reqs, cons) = scenario.write_inputs(dir.path());
//! // … run nbwheel with `--index-url index.url()` …
//! assert_eq!(index.count("/files/"), 3);
//! ```
// Each test binary uses only part of this module tree.
#![allow(
    dead_code,
    unused_imports,
    reason = "shared by several test binaries, each using a part"
)]

pub mod catalog;
pub mod knobs;
pub mod pip;
pub mod scenario;
pub mod server;
pub mod wheel;

pub use catalog::{Catalog, PublishedFile, write_find_links_dir};
pub use knobs::Knobs;
pub use scenario::{Expect, Release, Scenario};
pub use server::{FakeIndex, Request};
pub use wheel::WheelSpec;

/// The built `nbwheel` binary with a clean environment: every `NBWHEEL_*` variable of the
/// caller removed (one list to keep current, not one per test file), no `SOURCE_DATE_EPOCH` or
/// `RUST_LOG`, no colour.
pub fn nbwheel() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_nbwheel"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("NBWHEEL_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}
