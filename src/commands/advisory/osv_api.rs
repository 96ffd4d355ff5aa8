//! The OSV API: `POST /v1/querybatch` with every public `name==version` (ecosystem `PyPI`),
//! then `GET /v1/vulns/ID` for the details of each id it returns (the batch answer holds only
//! ids). Only public projects are ever passed in.
//!
//! GETs go through the shared transport ([`Http`]); the one POST uses a small client of its
//! own with the same timeout, retries and `--cert` (the shared transport only GETs).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures_util::{StreamExt, stream};
use pep440_rs::Version;
use pep508_rs::PackageName;
use url::Url;

use super::osv::{self, Vulnerability};
use super::{Advisory, AdvisoryError};
use crate::index::Redacted;
use crate::index::http::Http;

/// The public OSV API.
pub const DEFAULT_URL: &str = "https://api.osv.dev/";

/// At most this many queries per batch (OSV accepts 1000).
const BATCH: usize = 500;

/// The largest answer read.
const MAX_BODY: usize = 64 << 20;

#[derive(serde::Deserialize)]
struct BatchAnswer {
    #[serde(default)]
    results: Vec<BatchResult>,
}

#[derive(serde::Deserialize, Default)]
struct BatchResult {
    #[serde(default)]
    vulns: Vec<BatchVuln>,
}

#[derive(serde::Deserialize)]
struct BatchVuln {
    id: String,
}

fn unreachable(url: &Url, reason: impl Into<String>) -> AdvisoryError {
    AdvisoryError::Unreachable {
        url: Redacted::new(url).to_string(),
        reason: reason.into(),
    }
}

/// POSTs JSON and reads the JSON answer, retrying transport errors and 5xx/429.
async fn post_json(
    client: &reqwest::Client,
    url: &Url,
    body: &serde_json::Value,
    retries: u32,
) -> Result<Vec<u8>, AdvisoryError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let outcome = client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await;
        let retry_reason = match outcome {
            Ok(response) if response.status().is_success() => {
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| unreachable(url, format!("reading the answer: {e}")))?;
                if bytes.len() > MAX_BODY {
                    return Err(unreachable(url, "the answer is larger than 64 MiB"));
                }
                return Ok(bytes.to_vec());
            }
            Ok(response) => {
                let status = response.status();
                if !(status.is_server_error() || status.as_u16() == 429) {
                    return Err(unreachable(url, format!("HTTP {status}")));
                }
                format!("HTTP {status}")
            }
            Err(e) => e.to_string(),
        };
        if attempt > retries {
            return Err(unreachable(
                url,
                format!("{retry_reason} (after {attempt} attempts)"),
            ));
        }
        tokio::time::sleep(Duration::from_millis(250 << attempt.min(5))).await;
    }
}

/// A client for the POST, with the transport's timeout and extra CA.
fn post_client(http: &Http) -> Result<reqwest::Client, AdvisoryError> {
    let options = http.options();
    let mut builder = reqwest::Client::builder()
        .user_agent(options.user_agent.clone())
        .connect_timeout(options.timeout)
        .read_timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(cert) = &options.cert {
        let pem = std::fs::read(cert).map_err(|e| AdvisoryError::Unreachable {
            url: cert.display().to_string(),
            reason: format!("cannot read `--cert`: {e}"),
        })?;
        if let Ok(certs) = reqwest::Certificate::from_pem_bundle(&pem) {
            builder = builder.tls_certs_merge(certs);
        }
    }
    if !options.proxy_from_env {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| AdvisoryError::Unreachable {
        url: "(client)".into(),
        reason: e.to_string(),
    })
}

/// The advisories affecting each `name==version`, by position in `packages`.
pub async fn query(
    http: &Http,
    base: &Url,
    packages: &[(PackageName, Version)],
) -> Result<Vec<Vec<Advisory>>, AdvisoryError> {
    let client = post_client(http)?;
    let batch_url = base
        .join("v1/querybatch")
        .map_err(|e| unreachable(base, e.to_string()))?;
    let mut ids: Vec<BTreeSet<String>> = Vec::with_capacity(packages.len());
    for chunk in packages.chunks(BATCH) {
        let queries: Vec<serde_json::Value> = chunk
            .iter()
            .map(|(name, version)| {
                serde_json::json!({
                    "package": { "name": name.to_string(), "ecosystem": osv::ECOSYSTEM },
                    "version": version.to_string(),
                })
            })
            .collect();
        let body = serde_json::json!({ "queries": queries });
        let raw = post_json(&client, &batch_url, &body, http.options().retries).await?;
        let answer: BatchAnswer = serde_json::from_slice(&raw)
            .map_err(|e| unreachable(&batch_url, format!("invalid answer: {e}")))?;
        if answer.results.len() != chunk.len() {
            return Err(unreachable(
                &batch_url,
                format!(
                    "{} results for {} queries",
                    answer.results.len(),
                    chunk.len()
                ),
            ));
        }
        ids.extend(
            answer
                .results
                .into_iter()
                .map(|r| r.vulns.into_iter().map(|v| v.id).collect()),
        );
    }
    let unique: BTreeSet<&String> = ids.iter().flatten().collect();
    let details = fetch_all(http, base, unique.into_iter().cloned().collect()).await?;
    Ok(packages
        .iter()
        .zip(&ids)
        .map(|((name, _), ids)| {
            ids.iter()
                .filter_map(|id| details.get(id))
                .filter(|v| !v.is_withdrawn())
                .map(|v| Advisory::from_osv(v, name))
                .collect()
        })
        .collect())
}

/// `GET /v1/vulns/ID` for every id, eight at a time.
async fn fetch_all(
    http: &Http,
    base: &Url,
    ids: Vec<String>,
) -> Result<BTreeMap<String, Vulnerability>, AdvisoryError> {
    let results: Vec<Result<Vulnerability, AdvisoryError>> = stream::iter(ids)
        .map(|id| async move {
            if !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
            {
                return Err(unreachable(base, format!("invalid advisory id {id:?}")));
            }
            let url = base
                .join(&format!("v1/vulns/{id}"))
                .map_err(|e| unreachable(base, e.to_string()))?;
            let body = super::pypi_json::get_json(http, &url).await?;
            serde_json::from_slice::<Vulnerability>(&body)
                .map_err(|e| unreachable(&url, format!("invalid OSV record: {e}")))
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let mut out = BTreeMap::new();
    for r in results {
        let v = r?;
        out.insert(v.id.clone(), v);
    }
    Ok(out)
}
