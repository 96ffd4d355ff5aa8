//! The `PyPI` JSON API: `GET /pypi/NAME/VERSION/json` and its `vulnerabilities` array (OSV
//! data `PyPI` attaches to each release, as pip-audit reads it). A release the service does not
//! know (404) has no known vulnerabilities there.

use futures_util::{StreamExt, stream};
use pep440_rs::Version;
use pep508_rs::PackageName;
use reqwest::header::{ACCEPT, HeaderName};
use std::str::FromStr;
use url::Url;

use super::{Advisory, AdvisoryError};
use crate::index::http::Http;
use crate::index::{IndexError, Redacted};

/// The public `PyPI` JSON API.
pub const DEFAULT_URL: &str = "https://pypi.org/";

#[derive(serde::Deserialize)]
struct Release {
    #[serde(default)]
    vulnerabilities: Option<Vec<JsonVuln>>,
}

#[derive(serde::Deserialize)]
struct JsonVuln {
    id: String,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    fixed_in: Option<Vec<String>>,
    #[serde(default)]
    withdrawn: Option<String>,
}

/// GETs a JSON document; `None` for a 404.
pub(crate) async fn get_json_opt(http: &Http, url: &Url) -> Result<Option<Vec<u8>>, AdvisoryError> {
    let headers: [(HeaderName, String); 1] = [(ACCEPT, "application/json".into())];
    match http.get_bytes(url, &headers).await {
        Ok(r) => Ok(Some(r.body)),
        Err(IndexError::Status { status: 404, .. }) => Ok(None),
        Err(e) => Err(AdvisoryError::Unreachable {
            url: Redacted::new(url).to_string(),
            reason: e.to_string(),
        }),
    }
}

/// GETs a JSON document; a 404 is an error.
pub(crate) async fn get_json(http: &Http, url: &Url) -> Result<Vec<u8>, AdvisoryError> {
    get_json_opt(http, url)
        .await?
        .ok_or_else(|| AdvisoryError::Unreachable {
            url: Redacted::new(url).to_string(),
            reason: "HTTP 404 Not Found".into(),
        })
}

/// The advisories affecting each `name==version`, by position in `packages`.
pub async fn query(
    http: &Http,
    base: &Url,
    packages: &[(PackageName, Version)],
) -> Result<Vec<Vec<Advisory>>, AdvisoryError> {
    let results: Vec<Result<Vec<Advisory>, AdvisoryError>> = stream::iter(packages)
        .map(|(name, version)| async move {
            let url = base
                .join(&format!("pypi/{name}/{version}/json"))
                .map_err(|e| AdvisoryError::Unreachable {
                    url: Redacted::new(base).to_string(),
                    reason: e.to_string(),
                })?;
            let Some(body) = get_json_opt(http, &url).await? else {
                return Ok(Vec::new());
            };
            let release: Release =
                serde_json::from_slice(&body).map_err(|e| AdvisoryError::Unreachable {
                    url: Redacted::new(&url).to_string(),
                    reason: format!("invalid answer: {e}"),
                })?;
            Ok(release
                .vulnerabilities
                .into_iter()
                .flatten()
                .filter(|v| v.withdrawn.as_deref().is_none_or(|w| w.trim().is_empty()))
                .map(|v| {
                    let osv = super::osv::Vulnerability {
                        id: v.id.clone(),
                        summary: v.summary,
                        details: v.details,
                        ..Default::default()
                    };
                    let mut fixed: Vec<Version> = v
                        .fixed_in
                        .iter()
                        .flatten()
                        .filter_map(|f| Version::from_str(f).ok())
                        .collect();
                    fixed.sort();
                    fixed.dedup();
                    Advisory {
                        id: v.id,
                        aliases: v.aliases.unwrap_or_default(),
                        summary: osv.headline(),
                        fixed,
                    }
                })
                .collect())
        })
        .buffered(8)
        .collect()
        .await;
    results.into_iter().collect()
}
