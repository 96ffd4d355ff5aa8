//! The integration tests, in one test binary (one link, one process to start, and dead code in
//! the shared helpers is really dead): each module below was once its own file under `tests/`.
//! Shared helpers live in [`common`].
//!
//! Run them all with `cargo test --locked`, one module with `cargo test --locked --test it
//! <module>::` (e.g. `reliability::`). Tests against the real `PyPI` are opt-in:
//! `NBWHEEL_REAL_PYPI=1 cargo test --locked --test it real_pypi`.

mod common;

mod advisory;
mod allow_sdist;
mod cli;
mod cli_output;
mod cluster;
mod cluster_build;
mod cluster_check;
mod cluster_local;
mod config;
mod decided_downloads;
mod errors;
mod fake_index;
mod hardening;
mod hardening_net;
mod hardening_verify;
mod lock_cutoff_hashes;
mod netbox;
mod oddities;
mod page_cache;
mod pip_differential;
mod pod_install;
mod private_index;
mod real_pypi;
mod reliability;
mod reliability_local;
mod reliability_net;
mod reproducible;
mod scenarios;
mod upgrade;
mod upload;
mod upload_s3;
mod verify;
mod wheel_zip;
