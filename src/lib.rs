//! nbwheel builds, verifies and inspects NetBox Enterprise *wheelhouses*: `.tar.gz` archives
//! whose root folder `wheelhouse/` holds every wheel a set of plugins needs, the plugins'
//! `requirements.txt`, the base image's `constraints.txt` and a PEP 751 `pylock.toml`.
//!
//! The pipeline, in order: [`requirements`] parses pip-format requirement and constraint files;
//! [`settings`] (with [`config`]) validates the command line; [`target`] turns the target
//! (CPython version, glibc floor, architecture) into ordered wheel tags and a marker
//! environment; [`index`] reads the Simple API and find-links folders and downloads wheels
//! concurrently into the content-addressed [`cache`], checking hashes while streaming;
//! [`resolve`] runs pubgrub over that data, honouring constraints, markers, `Requires-Python`,
//! yanked files and pre-release rules; [`verify`] checks every wheel's zip structure, identity
//! and RECORD; [`pack`] writes a byte-reproducible `tar.gz` atomically with its [`lock`].
//! [`build`] strings the stages together for `build` and `resolve`.
//!
//! Around it: [`archive`] reads finished archives safely for `verify`, `inspect` and `diff`;
//! [`netbox`] finds NetBox plugins in wheels and gates them on a NetBox release; [`cluster`],
//! [`upload`] and [`local_build`] cover the vendor's steps before and after the build. The
//! library never prints: progress goes through [`reporter::Reporter`].

pub mod advisory;
pub mod archive;
pub mod build;
pub mod cache;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod error;
pub mod index;
pub mod local_build;
pub mod lock;
pub mod netbox;
pub mod pack;
pub mod reporter;
pub mod requirements;
pub mod resolve;
pub mod sbom;
pub mod settings;
pub mod target;
pub mod upload;
pub mod verify;
pub mod wheel_name;

pub use error::{Error, ExitCode};
