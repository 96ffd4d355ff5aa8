//! PEP 503 HTML pages.

use std::borrow::Cow;
use std::str::FromStr;

use pep508_rs::PackageName;
use url::Url;

use super::{
    Hashes, IndexError, Origin, PageFilter, ProjectPage, RawFile, Redacted, Sink,
    check_api_version, hashes_from_fragment, last_segment_decoded,
};

/// Parses a PEP 503 HTML page. With `project`, it is that project's page; with `None`, a flat
/// `--find-links` page listing files of any projects (split them with [`super::group_by_project`]).
///
/// For a flat page the returned `name` is only a label: the last path segment of the page URL
/// when it is a valid project name, else `find-links`.
pub fn parse_html(
    body: &[u8],
    page_url: &Url,
    project: Option<&PackageName>,
    origin: Origin,
) -> Result<ProjectPage, IndexError> {
    parse_html_filtered(body, page_url, project, origin, None)
}

/// [`parse_html`], with wheels no requested target can use summarised as [`ForeignWheel`](crate::index::ForeignWheel)s
/// when a `filter` is given. The page is held as a DOM over the borrowed body while it is
/// read (index servers that send HTML send small pages; PyPI sends JSON).
pub fn parse_html_filtered(
    body: &[u8],
    page_url: &Url,
    project: Option<&PackageName>,
    origin: Origin,
    filter: Option<&PageFilter>,
) -> Result<ProjectPage, IndexError> {
    let malformed = |reason: String| IndexError::MalformedPage {
        url: Redacted::new(page_url),
        reason,
    };
    let text =
        std::str::from_utf8(body).map_err(|e| malformed(format!("the page is not UTF-8: {e}")))?;
    let dom = tl::parse(text, tl::ParserOptions::default())
        .map_err(|e| malformed(format!("unparsable HTML: {e}")))?;
    let parser = dom.parser();
    let tags = || dom.nodes().iter().filter_map(tl::Node::as_tag);
    let is = |tag: &tl::HTMLTag<'_>, name: &str| {
        tag.name().as_bytes().eq_ignore_ascii_case(name.as_bytes())
    };

    let mut api_version = None;
    let mut base: Option<Url> = None;
    let (mut status, mut status_reason) = (None, None);
    for tag in tags() {
        let meta_name = || attr(tag, "name").map(|n| n.trim().to_ascii_lowercase());
        if is(tag, "meta") && meta_name().as_deref() == Some("pypi:project-status") {
            status = status.or_else(|| attr(tag, "content"));
        } else if is(tag, "meta") && meta_name().as_deref() == Some("pypi:project-status-reason") {
            status_reason = status_reason.or_else(|| attr(tag, "content"));
        } else if is(tag, "meta")
            && api_version.is_none()
            && attr(tag, "name").is_some_and(|n| n.trim() == "pypi:repository-version")
        {
            let v = attr(tag, "content").unwrap_or_default().trim().to_string();
            check_api_version(&v, page_url)?;
            api_version = Some(v);
        } else if is(tag, "base")
            && base.is_none()
            && let Some(href) = attr(tag, "href")
        {
            let href = href.trim();
            base = Some(
                page_url
                    .join(href)
                    .map_err(|e| malformed(format!("invalid `<base href={href:?}>`: {e}")))?,
            );
        }
    }
    let base = base.as_ref().unwrap_or(page_url);

    let mut sink = Sink {
        page_url,
        project,
        origin,
        filter,
        files: Vec::new(),
        skipped: Vec::new(),
        foreign: Vec::new(),
    };
    for tag in tags().filter(|t| is(t, "a")) {
        push_anchor(&mut sink, tag, parser, base);
    }
    let name = match project {
        Some(p) => p.clone(),
        None => page_url
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .and_then(|s| PackageName::from_str(s).ok())
            .or_else(|| PackageName::from_str("find-links").ok())
            .expect("`find-links` is a valid project name"),
    };
    Ok(ProjectPage {
        name,
        files: sink.files,
        api_version,
        skipped: sink.skipped,
        foreign: sink.foreign,
        status: status.and_then(|s| crate::index::ProjectStatus::new(&s, status_reason.as_deref())),
    })
}

/// One `<a>` of a page: its file name (the anchor text, else the URL's last segment), URL,
/// hashes and `data-*` attributes, to the sink (anchors without `href` are not files).
fn push_anchor(sink: &mut Sink<'_>, tag: &tl::HTMLTag<'_>, parser: &tl::Parser<'_>, base: &Url) {
    let Some(href) = attr(tag, "href").filter(|h| !h.trim().is_empty()) else {
        return;
    };
    let text = decode_entities(&tag.inner_text(parser)).trim().to_string();
    let mut url = match base.join(href.trim()) {
        Ok(u) => u,
        Err(e) => {
            let filename = if text.is_empty() {
                href.trim().to_string()
            } else {
                text
            };
            sink.push(Err((
                Cow::Owned(filename),
                format!("invalid URL {href:?}: {e}"),
            )));
            return;
        }
    };
    // The anchor text is the file name (PEP 503); without text, the URL's last segment.
    let filename: Cow<'_, str> = if text.is_empty() {
        match last_segment_decoded(&url) {
            Some(s) if !s.is_empty() => Cow::Owned(s),
            _ => return,
        }
    } else {
        Cow::Owned(text)
    };
    let fields = (|| -> Result<(Hashes, Option<Hashes>), String> {
        let hashes = url
            .fragment()
            .map(hashes_from_fragment)
            .transpose()?
            .unwrap_or_default();
        let core_metadata = match attr(tag, "data-core-metadata")
            .or_else(|| attr(tag, "data-dist-info-metadata"))
            .as_deref()
            .map(str::trim)
        {
            None | Some("false") => None,
            Some("true" | "") => Some(Hashes::default()),
            Some(v) => Some(hashes_from_fragment(v)?),
        };
        Ok((hashes, core_metadata))
    })();
    url.set_fragment(None);
    let requires_python = attr(tag, "data-requires-python");
    let raw = fields.map(|(hashes, core_metadata)| RawFile {
        url,
        hashes,
        requires_python: requires_python.as_deref(),
        yanked: attr(tag, "data-yanked"),
        core_metadata,
        upload_time: None,
        size: None,
        filename: filename.clone(),
    });
    sink.push(raw.map_err(|reason| (filename.clone(), reason)));
}

/// The value of an attribute (name compared case-insensitively), entities decoded; `None` when
/// absent, `Some("")` when given without a value (`<a data-yanked>`).
fn attr(tag: &tl::HTMLTag<'_>, name: &str) -> Option<String> {
    tag.attributes()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.map_or_else(String::new, |v| decode_entities(&v).into_owned()))
}

/// Decodes HTML character references: `&amp; &lt; &gt; &quot; &apos; &nbsp;`, `&#NNN;` and
/// `&#xHHH;`. Unknown or malformed references are kept as written. Linear in the input.
pub(super) fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is at most 10 characters between `&` and `;` here.
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let body = &rest[1..end];
            let c = match body {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => body.strip_prefix('#').and_then(|num| {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}
