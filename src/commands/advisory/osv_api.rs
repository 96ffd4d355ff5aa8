//! The OSV API: `POST /v1/querybatch` with every public `name==version` (ecosystem `PyPI`),
//! then `GET /v1/vulns/ID` for the details of each id it returns (the batch answer holds only
//! ids). Only public projects are ever passed in.
//!
//! A package with more advisories than one answer holds gets a `next_page_token`: its query is
//! sent again with that token, at most `MAX_PAGES` (20) times.
//!
//! Every request goes through the one HTTP stack ([`Http`]): GETs through its retrying
//! transport, the POST through its client ([`Http::raw_client`]: the same trust store, `--cert`,
//! client certificate, proxy checks and timeouts, no redirects) with the same retry count.

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

/// The most pages read for one package (each holds up to 1000 advisories on api.osv.dev).
const MAX_PAGES: usize = 20;

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
    #[serde(default)]
    next_page_token: Option<String>,
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

/// The advisories affecting each `name==version`, by position in `packages`.
pub async fn query(
    http: &Http,
    base: &Url,
    packages: &[(PackageName, Version)],
) -> Result<Vec<Vec<Advisory>>, AdvisoryError> {
    let batch_url = base
        .join("v1/querybatch")
        .map_err(|e| unreachable(base, e.to_string()))?;
    let mut ids: Vec<BTreeSet<String>> = vec![BTreeSet::new(); packages.len()];
    // (position in `packages`, page token) of every query still to send.
    let mut pending: Vec<(usize, Option<String>)> =
        (0..packages.len()).map(|i| (i, None)).collect();
    let mut pages = 0;
    while !pending.is_empty() {
        if pages > MAX_PAGES {
            let (i, _) = &pending[0];
            return Err(unreachable(
                &batch_url,
                format!(
                    "more than {MAX_PAGES} pages of advisories for {}=={}",
                    packages[*i].0, packages[*i].1
                ),
            ));
        }
        pages += 1;
        let mut next = Vec::new();
        for chunk in pending.chunks(BATCH) {
            let answer = query_batch(http, &batch_url, packages, chunk).await?;
            for ((i, _), result) in chunk.iter().zip(answer.results) {
                ids[*i].extend(result.vulns.into_iter().map(|v| v.id));
                if let Some(token) = result.next_page_token.filter(|t| !t.is_empty()) {
                    next.push((*i, Some(token)));
                }
            }
        }
        pending = next;
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

/// One `POST /v1/querybatch` for `chunk` (positions in `packages`, with their page tokens);
/// the answer has exactly one result per query.
async fn query_batch(
    http: &Http,
    batch_url: &Url,
    packages: &[(PackageName, Version)],
    chunk: &[(usize, Option<String>)],
) -> Result<BatchAnswer, AdvisoryError> {
    let queries: Vec<serde_json::Value> = chunk
        .iter()
        .map(|(i, token)| {
            let (name, version) = &packages[*i];
            let mut query = serde_json::json!({
                "package": { "name": name.to_string(), "ecosystem": osv::ECOSYSTEM },
                "version": version.to_string(),
            });
            if let Some(token) = token {
                query["page_token"] = serde_json::Value::String(token.clone());
            }
            query
        })
        .collect();
    let body = serde_json::json!({ "queries": queries });
    let raw = post_json(http.raw_client(), batch_url, &body, http.retries()).await?;
    let answer: BatchAnswer = serde_json::from_slice(&raw)
        .map_err(|e| unreachable(batch_url, format!("invalid answer: {e}")))?;
    if answer.results.len() != chunk.len() {
        return Err(unreachable(
            batch_url,
            format!(
                "{} results for {} queries",
                answer.results.len(),
                chunk.len()
            ),
        ));
    }
    Ok(answer)
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
