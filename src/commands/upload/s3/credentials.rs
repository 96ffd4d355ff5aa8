//! The AWS credentials and settings for an upload, looked up in the AWS CLI's order.
//!
//! Input: `--profile`/`--region`/`--endpoint-url` and the environment. Output: the region, the
//! endpoint and [`Credentials`] for `rusty-s3` to sign with, with where they came from (for
//! messages; secrets never appear in them). The order, as the AWS SDKs and CLI follow it:
//! 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
//! 2. web identity from the environment (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`,
//!    exchanged at STS `AssumeRoleWithWebIdentity`, as CI systems and EKS provide);
//! 3. the profile (`--profile`, `AWS_PROFILE`, else `default`) in `~/.aws/credentials` and
//!    `~/.aws/config` (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`): static keys, then the
//!    profile's `web_identity_token_file` + `role_arn`.
//!
//! Why this chain is written here: `rusty-s3` signs but looks nothing up (only the three
//! environment variables), and the crates that implement the AWS chain (`aws-config`,
//! `reqsign`) bring the AWS SDK's runtime, their own HTTP clients and TLS stacks (with IMDS,
//! SSO and process providers an upload from a build machine does not use) around our one
//! HTTP stack. The chain is a few ordered look-ups; the files are read by `configparser`
//! (Python's `configparser` rules, which the AWS CLI reads them with), and STS's XML answer by
//! `instant-xml`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rusty_s3::Credentials;
use url::Url;

use super::S3Error;
use super::xml;
use crate::redact::Redacted;

/// Reads a variable, treating an empty value as unset (as the AWS CLI does).
pub(super) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn home_file(var: &str, rel: &str) -> Option<PathBuf> {
    env(var)
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(rel)))
}

/// The sections of an AWS shared file: `[section]` → key (lower-case) → value. Read as the
/// AWS CLI reads them (Python's `configparser` rules): `=` or `:` between key and value,
/// `#`/`;` comments on their own lines only (a secret may hold either), an indented line
/// continuing the value above (so a nested `s3 =` block never overwrites a top-level key),
/// section names case-sensitive. Keys before any section belong to no profile. A file that
/// does not parse counts as empty (as one that is missing), with a warning naming the file
/// and the line (never its text).
pub(super) fn parse_ini(text: &str, origin: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut defaults = configparser::ini::IniDefault::default();
    defaults.default_section = "\u{0}no section".into();
    defaults.case_sensitive = true;
    defaults.enable_inline_comments = false;
    defaults.multiline = true;
    let parsed = match configparser::ini::Ini::new_from_defaults(defaults).read(text.to_string()) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!("ignoring the AWS settings file `{origin}`: {e}");
            return BTreeMap::new();
        }
    };
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (section, props) in parsed {
        if section.starts_with('\0') {
            continue;
        }
        let entry = out.entry(section.trim().to_string()).or_default();
        for (k, v) in props {
            if let Some(v) = v {
                entry.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
    }
    out
}

/// The profile's settings from `~/.aws/config` and `~/.aws/credentials` (credentials win).
pub(super) fn profile_settings(profile: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let read = |var: &str, rel: &str| {
        let path = home_file(var, rel)?;
        let text = std::fs::read_to_string(&path).ok()?;
        Some(parse_ini(&text, &path.display().to_string()))
    };
    if let Some(ini) = read("AWS_CONFIG_FILE", ".aws/config") {
        let name = if profile == "default" {
            "default".to_string()
        } else {
            format!("profile {profile}")
        };
        if let Some(s) = ini.get(&name).or_else(|| ini.get(profile)) {
            out.extend(s.clone());
        }
    }
    if let Some(ini) = read("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
        && let Some(s) = ini.get(profile)
    {
        out.extend(s.clone());
    }
    out
}

/// Where the credentials come from, and what is needed to exchange a web identity.
pub(super) struct Lookup<'a> {
    /// The profile's name.
    pub profile: &'a str,
    /// Its settings.
    pub settings: &'a BTreeMap<String, String>,
    /// The region (for STS's regional endpoint).
    pub region: &'a str,
    /// The HTTP stack.
    pub http: &'a crate::index::http::Http,
    /// The runtime to run STS's request on.
    pub runtime: &'a tokio::runtime::Runtime,
}

impl Lookup<'_> {
    /// The first source of the chain that has credentials, and its name for messages.
    pub(super) fn credentials(&self) -> Result<(Credentials, String), S3Error> {
        let make = |id: String, secret: String, token: Option<String>| match token {
            Some(t) => Credentials::new_with_token(id, secret, t),
            None => Credentials::new(id, secret),
        };
        if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            let token = env("AWS_SESSION_TOKEN");
            return Ok((make(id, secret, token), "the environment".into()));
        }
        if let (Some(file), Some(role)) = (env("AWS_WEB_IDENTITY_TOKEN_FILE"), env("AWS_ROLE_ARN"))
        {
            return self.web_identity(&file, &role, "the environment (web identity)");
        }
        let profile = self.profile;
        let get = |k: &str| self.settings.get(k).filter(|v| !v.is_empty()).cloned();
        if let (Some(id), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key")) {
            let token = get("aws_session_token");
            return Ok((make(id, secret, token), format!("profile `{profile}`")));
        }
        if let (Some(file), Some(role)) = (get("web_identity_token_file"), get("role_arn")) {
            return self.web_identity(&file, &role, &format!("profile `{profile}` (web identity)"));
        }
        Err(S3Error::NoCredentials {
            looked: format!(
                "`AWS_ACCESS_KEY_ID`, `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, profile `{profile}` in `~/.aws/credentials` and `~/.aws/config`"
            ),
        })
    }

    /// STS `AssumeRoleWithWebIdentity` (unsigned; the token is the proof).
    fn web_identity(
        &self,
        file: &str,
        role: &str,
        source: &str,
    ) -> Result<(Credentials, String), S3Error> {
        let bad = |reason: String| S3Error::BadCredentials {
            source_name: source.to_string(),
            reason,
        };
        let token = std::fs::read_to_string(file)
            .map_err(|e| bad(format!("cannot read the token file `{file}`: {e}")))?;
        let base = env("AWS_ENDPOINT_URL_STS")
            .unwrap_or_else(|| format!("https://sts.{}.amazonaws.com/", self.region));
        let url = Url::parse(&base).map_err(|_| S3Error::BadEndpoint(base.clone()))?;
        let form: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("Action", "AssumeRoleWithWebIdentity")
            .append_pair("Version", "2011-06-15")
            .append_pair("RoleArn", role)
            .append_pair(
                "RoleSessionName",
                &env("AWS_ROLE_SESSION_NAME").unwrap_or_else(|| "nbwheel".into()),
            )
            .append_pair("WebIdentityToken", token.trim())
            .finish();
        let shown = Redacted::new(&url);
        let (status, body) = self
            .runtime
            .block_on(async {
                let r = self
                    .http
                    .raw_client()
                    .post(url.clone())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form)
                    .send()
                    .await?;
                let status = r.status().as_u16();
                let body = super::read_capped(r).await?;
                Ok::<_, reqwest::Error>((status, body))
            })
            .map_err(|source| S3Error::Transport {
                method: "POST".into(),
                url: shown.clone(),
                source: source.without_url(),
            })?;
        if status != 200 {
            let (code, message) = xml::error_code(&body);
            return Err(S3Error::Status {
                method: "POST".into(),
                url: shown,
                status,
                code,
                message,
            });
        }
        let c = xml::sts_credentials(&body)
            .ok_or_else(|| bad("STS answered without credentials".into()))?;
        let creds = match c.session_token {
            Some(t) => Credentials::new_with_token(c.access_key_id, c.secret_access_key, t),
            None => Credentials::new(c.access_key_id, c.secret_access_key),
        };
        Ok((creds, source.to_string()))
    }
}
