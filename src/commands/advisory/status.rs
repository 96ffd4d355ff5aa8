//! PEP 792 project status and PEP 592 yanks of the pinned releases, read from the Simple API
//! page of the index each project came from (private projects from their own index only).
//! `archived` and `deprecated` are findings; `quarantined` refuses the project (exit 4); a
//! pinned file that is yanked is a finding with the index's reason.

use futures_util::{StreamExt, stream};
use reqwest::header::{ACCEPT, HeaderName};
use url::Url;

use super::closure::Pinned;
use super::{Finding, FindingKind};
use crate::commands::Error;
use crate::index::http::Http;
use crate::index::simple::{self, PageFormat};
use crate::index::{IndexError, Origin, ProjectPage, Redacted};

async fn page(http: &Http, index: &str, p: &Pinned) -> Result<Option<ProjectPage>, Error> {
    let Ok(base) = Url::parse(index) else {
        return Ok(None);
    };
    let url = base
        .join(&format!("{}/", p.name))
        .map_err(|e| IndexError::MalformedPage {
            url: Redacted::new(&base),
            reason: e.to_string(),
        })?;
    let headers: [(HeaderName, String); 1] = [(ACCEPT, simple::ACCEPT.to_string())];
    let response = match http.get_bytes(&url, &headers).await {
        Ok(r) => r,
        Err(IndexError::Status { status: 404, .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let parsed = match simple::format_from_content_type(response.content_type()) {
        PageFormat::Json => {
            simple::parse_json(&response.body, &response.url, &p.name, Origin::Index(0))
        }
        PageFormat::Html => simple::parse_html(
            &response.body,
            &response.url,
            Some(&p.name),
            Origin::Index(0),
        ),
    }?;
    Ok(Some(parsed))
}

fn finding(p: &Pinned, kind: FindingKind, id: &str, summary: String) -> Finding {
    Finding {
        kind,
        package: p.name.to_string(),
        version: p.version.to_string(),
        id: id.to_string(),
        aliases: Vec::new(),
        summary,
        fixed: Vec::new(),
        fix: None,
    }
}

/// The status and yank findings of one project; a quarantined project is an error.
fn findings_of(p: &Pinned, index: &str, page: &ProjectPage) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    if let Some(status) = &page.status {
        if status.is_quarantined() {
            return Err(IndexError::Quarantined {
                project: p.name.clone(),
                url: Redacted::text(index),
                reason: status.reason.clone(),
            }
            .into());
        }
        let reason = status.reason.as_deref().unwrap_or("no reason given");
        out.push(finding(
            p,
            FindingKind::ProjectStatus,
            &status.status,
            format!("the project is {} on {index}: {reason}", status.status),
        ));
    }
    for f in &p.files {
        if let Some(reason) = page
            .files
            .iter()
            .find(|d| d.filename == f.file)
            .and_then(|d| d.yanked.as_ref())
        {
            let reason = if reason.trim().is_empty() {
                "no reason given".to_string()
            } else {
                reason.trim().to_string()
            };
            out.push(finding(
                p,
                FindingKind::Yanked,
                "yanked",
                format!("`{}` is yanked: {reason}", f.file),
            ));
            break;
        }
    }
    Ok(out)
}

/// Status and yank findings for every project that came from an index.
pub async fn check(http: &Http, packages: &[Pinned]) -> Result<Vec<Finding>, Error> {
    let results: Vec<Result<Vec<Finding>, Error>> = stream::iter(packages)
        .filter_map(|p| async move { p.index.as_deref().map(|i| (p, i)) })
        .map(|(p, index)| async move {
            match page(http, index, p).await? {
                Some(page) => findings_of(p, index, &page),
                None => Ok(Vec::new()),
            }
        })
        .buffered(8)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}
