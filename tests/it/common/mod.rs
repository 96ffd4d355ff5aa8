//! Hermetic test infrastructure shared by the integration tests.
//!
//! Input: scenario files in `fixtures/scenarios/*.toml` (or releases built in code). Output: a
//! [`FakeIndex`] on `127.0.0.1:0` serving real generated wheels through the Simple API (PEP 503
//! HTML, PEP 691 JSON, PEP 658 metadata) with fault [`Knobs`](knobs::Knobs) and a request log, plus helpers to
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

pub mod catalog;
pub mod cluster;
pub mod command;
pub mod json_build;
pub mod knobs;
pub mod pip;
pub mod reliability;
pub mod scenario;
pub mod server;
pub mod tools;
pub mod wheel;

pub use catalog::{Catalog, write_find_links_dir};
pub use command::{build_logged, host_network, nbwheel, through_sh};
pub use scenario::{Expect, Release, Scenario};
pub use server::{FakeIndex, Reply};
pub use wheel::WheelSpec;
