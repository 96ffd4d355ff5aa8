//! The inputs, target and sources shared by `build`, `resolve`, `upgrade` and `audit`.

use std::path::PathBuf;

use clap::Args;

use crate::index::client::IndexStrategy;

/// Inputs, target and sources shared by `build` and `resolve`.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// A requirements file in pip's format; repeatable (default: `requirements.txt`).
    #[arg(short = 'r', long = "requirement", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,
    /// A constraints file in pip's format; repeatable (default: `constraints.txt` when present).
    #[arg(short = 'c', long = "constraint", value_name = "FILE")]
    pub constraints: Vec<PathBuf>,

    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,

    /// The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every
    /// extra index.
    #[arg(
        short = 'i',
        long,
        value_name = "URL",
        env = "NBWHEEL_INDEX_URL",
        help_heading = "Sources"
    )]
    pub index_url: Option<String>,
    /// An extra index URL, searched before `--index-url`, in the order given; repeatable.
    #[arg(
        long,
        value_name = "URL",
        env = "NBWHEEL_EXTRA_INDEX_URL",
        value_delimiter = ' ',
        help_heading = "Sources"
    )]
    pub extra_index_url: Vec<String>,
    /// A folder of wheels or a URL of a flat HTML page of links; repeatable.
    #[arg(
        short = 'f',
        long,
        value_name = "DIR|URL",
        env = "NBWHEEL_FIND_LINKS",
        value_delimiter = ' ',
        help_heading = "Sources"
    )]
    pub find_links: Vec<String>,
    /// Use no index, only `--find-links` sources.
    #[arg(long, env = "NBWHEEL_NO_INDEX", help_heading = "Sources")]
    pub no_index: bool,
    /// How projects on several indexes are treated.
    #[arg(
        long,
        value_enum,
        value_name = "STRATEGY",
        default_value_t,
        env = "NBWHEEL_INDEX_STRATEGY",
        help_heading = "Sources"
    )]
    pub index_strategy: IndexStrategy,
    /// A project-name prefix whose projects may come only from a private source (see
    /// --private-index); repeatable.
    #[arg(long, value_name = "PREFIX", help_heading = "Sources")]
    pub private_prefix: Vec<String>,
    /// Allow pre-release versions.
    #[arg(long, env = "NBWHEEL_PRE", help_heading = "Resolution")]
    pub pre: bool,
    /// Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a
    /// duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown).
    #[arg(
        long,
        alias = "exclude-newer",
        value_name = "DATE|DURATION",
        env = "NBWHEEL_UPLOADED_PRIOR_TO",
        help_heading = "Resolution"
    )]
    pub uploaded_prior_to: Option<String>,
    /// Require a `--hash` for every requirement (pip's hash-checking mode).
    #[arg(long, help_heading = "Resolution")]
    pub require_hashes: bool,
    /// Refuse files for which the index gives no sha256 (by default: a warning, and the
    /// sha256 is computed while downloading).
    #[arg(long, help_heading = "Sources")]
    pub strict: bool,

    /// The cache directory (default: `nbwheel` in the user's cache directory, e.g.
    /// `~/.cache/nbwheel`).
    #[arg(
        long,
        value_name = "DIR",
        env = "NBWHEEL_CACHE_DIR",
        help_heading = "Network and cache"
    )]
    pub cache_dir: Option<PathBuf>,
    /// Do not read or write the cache (a temporary one is used for the run).
    #[arg(long, env = "NBWHEEL_NO_CACHE", help_heading = "Network and cache")]
    pub no_cache: bool,
    /// Use only the cache; fail naming what is missing.
    #[arg(long, env = "NBWHEEL_OFFLINE", help_heading = "Network and cache")]
    pub offline: bool,
    /// Maximum number of concurrent downloads.
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 16,
        env = "NBWHEEL_JOBS",
        help_heading = "Network and cache"
    )]
    pub jobs: usize,
    /// Seconds to wait for a connection, and for more data during a transfer.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        env = "NBWHEEL_TIMEOUT",
        help_heading = "Network and cache"
    )]
    pub timeout: u64,
    /// How many times to retry after a transient network failure.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        env = "NBWHEEL_RETRIES",
        help_heading = "Network and cache"
    )]
    pub retries: u32,
    /// A PEM file of CA certificates to trust besides the system store (a private CA).
    #[arg(
        long,
        value_name = "FILE",
        env = "NBWHEEL_CERT",
        help_heading = "Network and cache"
    )]
    pub cert: Option<PathBuf>,
    /// A PEM file with a client certificate and key, for mutual TLS.
    #[arg(
        long,
        value_name = "FILE",
        env = "NBWHEEL_CLIENT_CERT",
        help_heading = "Network and cache"
    )]
    pub client_cert: Option<PathBuf>,
    /// A private index: searched first, before every extra index, and one of the sources a
    /// project matching --private-prefix may come from (like an --extra-index-url given here,
    /// in nbwheel.toml or in the environment; an index named only in a requirements file never
    /// is); repeatable.
    #[arg(
        long,
        value_name = "URL",
        env = "NBWHEEL_PRIVATE_INDEX",
        value_delimiter = ' ',
        help_heading = "Sources"
    )]
    pub private_index: Vec<String>,
    /// The largest wheel a download accepts when the index declares no size (a wheel is
    /// always capped at the size its index declares): bytes, or with a K, M or G suffix
    /// (powers of 1024).
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "1G",
        value_parser = parse_byte_size,
        env = "NBWHEEL_MAX_WHEEL_SIZE",
        help_heading = "Network and cache"
    )]
    pub max_wheel_size: u64,
    /// The total time one request may take, besides the idle --timeout: a server sending one
    /// byte a second cannot hold a download longer than this.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 900,
        env = "NBWHEEL_MAX_REQUEST_TIME",
        help_heading = "Network and cache"
    )]
    pub max_request_time: u64,
}

/// A size in bytes: digits, optionally followed by `K`, `M` or `G` (powers of 1024, an optional
/// `B` or `iB` after the letter).
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let upper = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, shift) = match upper.chars().last() {
        Some('K') => (&upper[..upper.len() - 1], 10),
        Some('M') => (&upper[..upper.len() - 1], 20),
        Some('G') => (&upper[..upper.len() - 1], 30),
        _ => (upper, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{t}` is not a size (expected bytes, or a number with K, M or G)"))?;
    n.checked_mul(1 << shift)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{t}` is not a usable size (must be above 0 and below 16 EiB)"))
}

/// The target platform, shared by `build`, `resolve` and `verify`.
#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// Target architecture: `x86_64`, `aarch64`, a comma list, or `all`.
    #[arg(
        long,
        value_name = "ARCH",
        env = "NBWHEEL_ARCH",
        help_heading = "Target"
    )]
    pub arch: Option<String>,
    /// The target's glibc floor as `2_N` (default `2_28`; `2_17` is the vendor's documented floor).
    #[arg(
        long,
        value_name = "2_N",
        env = "NBWHEEL_MANYLINUX",
        help_heading = "Target"
    )]
    pub manylinux: Option<String>,
    /// The target's Python version, `3.12` or `3.12.N`.
    #[arg(
        long,
        value_name = "VERSION",
        env = "NBWHEEL_PYTHON",
        help_heading = "Target"
    )]
    pub python: Option<String>,
    /// pip's spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable.
    #[arg(long, value_name = "PLATFORM", help_heading = "Target")]
    pub platform: Vec<String>,
    /// Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice.
    #[arg(long, help_heading = "Target")]
    pub allow_linux_tag: bool,
    /// A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`),
    /// `netbox-docker-5`, or a TOML file; the other target flags override it.
    #[arg(
        long,
        value_name = "NAME|FILE",
        env = "NBWHEEL_TARGET_PROFILE",
        help_heading = "Target"
    )]
    pub target_profile: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_sizes() {
        assert_eq!(super::parse_byte_size("100"), Ok(100));
        assert_eq!(super::parse_byte_size("1K"), Ok(1024));
        assert_eq!(super::parse_byte_size("64MiB"), Ok(64 << 20));
        assert_eq!(super::parse_byte_size("1g"), Ok(1 << 30));
        assert_eq!(super::parse_byte_size("2GB"), Ok(2 << 30));
        for bad in ["", "0", "K", "-1", "1T", "99999999999999999999G", "1.5G"] {
            assert!(super::parse_byte_size(bad).is_err(), "{bad}");
        }
    }
}
