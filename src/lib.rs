//! nbwheel builds, verifies and inspects NetBox Enterprise *wheelhouses*: `.tar.gz` archives
//! whose root folder `wheelhouse/` holds every wheel a set of plugins needs, the plugins'
//! `requirements.txt`, the base image's `constraints.txt` and a PEP 751 `pylock.toml`.
//!
//! The modules sit on floors; a module imports only from its own floor or the ones below
//! (`docs/ARCHITECTURE.md` draws them, `tools/modgraph.py` checks them):
//!
//! 1. Foundations, importing nothing above them: [`exit`] (exit codes), [`redact`] (URLs safe to
//!    print), [`hash`] (digests), [`runtime`] (the async runtime), [`target`] (wheel tags and
//!    marker environment), [`wheel_name`], [`reporter`] (the progress callbacks),
//!    [`wheel_zip`] (the one strict reader of a wheel's zip container), [`core_metadata`] (the
//!    one reader of `METADATA` and `WHEEL` header blocks).
//! 2. Stages, each owning its errors and their exit codes: [`requirements`] parses pip-format
//!    requirement and constraint files; [`index`] reads the Simple API and find-links folders
//!    and downloads wheels concurrently into its content-addressed cache, checking hashes while
//!    streaming; [`resolve`] runs pubgrub over that data; [`verify`] checks every wheel's zip
//!    structure, identity and RECORD; [`pack`] writes a byte-reproducible `tar.gz` atomically
//!    with its [`lock`]; [`archive`] reads finished archives safely; [`netbox`] finds `NetBox`
//!    plugins in wheels and gates them on a `NetBox` release.
//! 3. [`cli`]: the argument definitions the commands read.
//! 4. [`commands`]: one module per subcommand and the top-level [`Error`].
//!
//! The binary (`main.rs`, progress bars, rendering) sits on top. The library never prints:
//! progress goes through [`reporter::Reporter`].

pub mod archive;
pub mod cli;
pub mod commands;
pub mod core_metadata;
pub mod exit;
pub mod hash;
pub mod index;
pub mod lock;
pub mod netbox;
pub mod pack;
pub mod redact;
pub mod reporter;
pub mod requirements;
pub mod resolve;
pub mod runtime;
pub mod target;
pub mod verify;
pub mod wheel_name;
pub mod wheel_zip;

pub use commands::Error;
pub use exit::ExitCode;
