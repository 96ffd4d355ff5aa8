//! How a loaded file fills the command line: a value from the file is used only when the
//! option was given neither as a flag nor through its environment variable.

use std::path::PathBuf;

use clap::ArgMatches;
use clap::parser::ValueSource;

use super::{ByteSizeValue, Config, IgnoreEntry, OneOrMany, parse_strategy};
use crate::cli::{BuildArgs, InputArgs, TargetArgs};

/// True when the user gave `id` neither on the command line nor through its environment
/// variable, so a file value may fill it.
fn unset(m: &ArgMatches, id: &str) -> bool {
    !matches!(
        m.value_source(id),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

fn fill<T: Clone>(slot: &mut T, value: Option<&T>, m: &ArgMatches, id: &str) {
    if let Some(v) = value
        && unset(m, id)
    {
        *slot = v.clone();
    }
}

fn fill_opt<T: Clone>(slot: &mut Option<T>, value: Option<&T>, m: &ArgMatches, id: &str) {
    if let Some(v) = value
        && unset(m, id)
    {
        *slot = Some(v.clone());
    }
}

impl Config {
    /// How an option from this file is named in messages: "`key` in `path`".
    pub fn label(&self, key: &str) -> String {
        format!("`{}{key}` in `{}`", self.prefix, self.path.display())
    }

    /// Fills the target flags the user left unset; `m` holds the subcommand's matches.
    pub fn apply_target(&self, args: &mut TargetArgs, m: &ArgMatches) {
        let o = &self.options;
        fill_opt(
            &mut args.arch,
            o.arch.as_ref().map(OneOrMany::joined).as_ref(),
            m,
            "arch",
        );
        fill_opt(&mut args.manylinux, o.manylinux.as_ref(), m, "manylinux");
        fill_opt(&mut args.python, o.python.as_ref(), m, "python");
        fill(&mut args.platform, o.platform.as_ref(), m, "platform");
        fill_opt(
            &mut args.target_profile,
            o.target_profile.as_ref(),
            m,
            "target_profile",
        );
        fill(
            &mut args.allow_linux_tag,
            o.allow_linux_tag.as_ref(),
            m,
            "allow_linux_tag",
        );
    }

    /// Fills the input, source and network flags the user left unset.
    pub fn apply_input(&self, args: &mut InputArgs, m: &ArgMatches) {
        let o = &self.options;
        fill(
            &mut args.requirements,
            o.requirement.as_ref(),
            m,
            "requirements",
        );
        fill(
            &mut args.constraints,
            o.constraint.as_ref(),
            m,
            "constraints",
        );
        self.apply_target(&mut args.target, m);
        fill_opt(&mut args.index_url, o.index_url.as_ref(), m, "index_url");
        fill(
            &mut args.extra_index_url,
            o.extra_index_url.as_ref(),
            m,
            "extra_index_url",
        );
        fill(&mut args.find_links, o.find_links.as_ref(), m, "find_links");
        fill(&mut args.no_index, o.no_index.as_ref(), m, "no_index");
        if let Some(Ok(strategy)) = o.index_strategy.as_deref().map(parse_strategy) {
            fill(
                &mut args.index_strategy,
                Some(&strategy),
                m,
                "index_strategy",
            );
        }
        fill(
            &mut args.private_prefix,
            o.private_prefix.as_ref(),
            m,
            "private_prefix",
        );
        fill(
            &mut args.private_index,
            o.private_index.as_ref(),
            m,
            "private_index",
        );
        if let Some(Ok(size)) = o.max_wheel_size.as_ref().map(ByteSizeValue::bytes) {
            fill(&mut args.max_wheel_size, Some(&size), m, "max_wheel_size");
        }
        fill(
            &mut args.max_request_time,
            o.max_request_time.as_ref(),
            m,
            "max_request_time",
        );
        fill(&mut args.pre, o.pre.as_ref(), m, "pre");
        fill_opt(
            &mut args.uploaded_prior_to,
            o.uploaded_prior_to.as_ref(),
            m,
            "uploaded_prior_to",
        );
        fill(
            &mut args.require_hashes,
            o.require_hashes.as_ref(),
            m,
            "require_hashes",
        );
        fill(&mut args.strict, o.strict.as_ref(), m, "strict");
        fill_opt(&mut args.cache_dir, o.cache_dir.as_ref(), m, "cache_dir");
        fill(&mut args.no_cache, o.no_cache.as_ref(), m, "no_cache");
        fill(&mut args.offline, o.offline.as_ref(), m, "offline");
        fill(&mut args.jobs, o.jobs.as_ref(), m, "jobs");
        fill(&mut args.timeout, o.timeout.as_ref(), m, "timeout");
        fill(&mut args.retries, o.retries.as_ref(), m, "retries");
        fill_opt(&mut args.cert, o.cert.as_ref(), m, "cert");
        fill_opt(
            &mut args.client_cert,
            o.client_cert.as_ref(),
            m,
            "client_cert",
        );
    }

    /// Fills `nbwheel build`'s flags the user left unset.
    pub fn apply_build(&self, args: &mut BuildArgs, m: &ArgMatches) {
        let o = &self.options;
        self.apply_input(&mut args.input, m);
        fill_opt(&mut args.output, o.output.as_ref(), m, "output");
        fill_opt(
            &mut args.compression_level,
            o.compression_level.as_ref(),
            m,
            "compression_level",
        );
        fill(
            &mut args.allow_invalid_record,
            o.allow_invalid_record.as_ref(),
            m,
            "allow_invalid_record",
        );
        fill_opt(&mut args.netbox, o.netbox.as_ref(), m, "netbox");
        self.apply_allow_sdist(&mut args.allow_sdist, m);
        self.apply_advisory(&mut args.advisory);
    }

    /// Fills `--allow-sdist` (of `build` and `resolve`) when the user left it unset.
    pub fn apply_allow_sdist(&self, slot: &mut Vec<String>, m: &ArgMatches) {
        fill(slot, self.options.allow_sdist.as_ref(), m, "allow_sdist");
    }

    /// Fills `nbwheel verify`'s flags the user left unset.
    pub fn apply_verify(&self, args: &mut crate::cli::VerifyArgs, m: &ArgMatches) {
        self.apply_target(&mut args.target, m);
        fill_opt(&mut args.netbox, self.options.netbox.as_ref(), m, "netbox");
    }

    /// Fills the audit flags: the file's `ignore` and `allow-license` entries are added to
    /// the command line's.
    pub fn apply_advisory(&self, args: &mut crate::cli::AdvisoryArgs) {
        let o = &self.options;
        args.ignore
            .extend(o.ignore.iter().flatten().map(IgnoreEntry::as_flag));
        args.allow_license
            .extend(o.allow_license.iter().flatten().cloned());
    }

    /// Fills `nbwheel audit`'s flags the user left unset.
    pub fn apply_audit(&self, args: &mut crate::cli::AuditArgs, m: &ArgMatches) {
        self.apply_input(&mut args.input, m);
        self.apply_advisory(&mut args.advisory);
    }

    /// Fills `cache`'s `--cache-dir` when the user left it unset.
    pub fn apply_cache_dir(&self, slot: &mut Option<PathBuf>, m: &ArgMatches) {
        fill_opt(slot, self.options.cache_dir.as_ref(), m, "cache_dir");
    }
}
