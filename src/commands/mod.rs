//! The commands floor: each subcommand's work, built from the stages below, and the top-level
//! [`Error`] every command returns.
//!
//! Modules here may import the foundations, the stages and [`crate::cli`] (the argument
//! definitions); nothing below this floor imports them (see `docs/ARCHITECTURE.md`).
//! [`build`] strings the stages together for `build` and `resolve`; [`verify`] audits a finished
//! archive for `verify` and `inspect`; [`diff`] compares two archives; [`gate`] is the
//! `--netbox` hook of `build`; [`cluster`], [`upload`] and [`local_build`] cover the vendor's
//! steps before and after the build; [`sdist`] builds pure sdists for `--allow-sdist`; [`settings`] and [`config`] turn the command line and the
//! configuration file into the settings the commands take; [`wiring`] builds the one HTTP stack
//! and index client every network command uses.

pub mod advisory;
pub mod build;
pub mod cluster;
pub mod config;
pub mod diff;
pub mod error;
pub mod gate;
pub mod local_build;
pub mod probe;
pub mod sbom;
pub mod sdist;
pub mod settings;
pub mod upgrade;
pub mod upload;
pub mod verify;
pub mod wiring;

pub use error::Error;

/// A tokio runtime (see [`crate::runtime::async_runtime`]), its failure as a command error.
pub fn async_runtime(workers: Option<usize>) -> Result<tokio::runtime::Runtime, Error> {
    crate::runtime::async_runtime(workers).map_err(|e| {
        Error::io(
            "Failed to start the async runtime in",
            std::env::temp_dir(),
            e,
        )
    })
}
