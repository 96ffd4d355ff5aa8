//! nbwheel builds, verifies and inspects `NetBox` Enterprise *wheelhouses*: `.tar.gz` archives
//! whose root folder `wheelhouse/` holds every wheel a set of plugins needs, the plugins'
//! `requirements.txt` and the base image's `constraints.txt`.
//!
//! The pipeline, in module order: [`requirements`] parses pip-format requirement and constraint
//! files; [`target`] turns the target (`CPython` version, glibc floor, architecture) into ordered
//! wheel tags and a marker environment; [`index`] reads the Simple API and find-links folders;
//! [`resolve`] runs pubgrub over that data, honouring constraints, markers, `Requires-Python`,
//! yanked files and pre-release rules; [`download`] fetches the chosen wheels concurrently into a
//! content-addressed [`cache`], checking hashes while streaming; [`verify`] checks every wheel's
//! zip structure, identity and RECORD; [`pack`] writes a byte-reproducible `tar.gz` atomically.
//! [`build`] strings the stages together for the `build` and `resolve` commands. The library
//! never prints: progress goes through [`reporter::Reporter`].

pub mod archive;
pub mod build;
pub mod cache;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod download;
pub mod error;
pub mod index;
pub mod local_build;
pub mod lock;
pub mod netbox;
pub mod pack;
pub mod reporter;
pub mod requirements;
pub mod resolve;
pub mod settings;
pub mod target;
pub mod upload;
pub mod verify;
pub mod wheel_name;

pub use error::{Error, ExitCode};
