//! PEP 503 HTML pages, read in one forward pass of an HTML tokenizer: no tree is built, and
//! each anchor goes to the [`Sink`] (which keeps, summarises or skips it) as soon as its end is
//! read, so a page costs its body plus the files kept.
//!
//! The tokenizer is `html5gum`, which implements the WHATWG tokenization rules (and passes the
//! html5lib tokenizer tests), so odd pages read as a browser reads them: tag and attribute names
//! in any case, unquoted or valueless attributes (`<a data-yanked href=...>`), the first of
//! duplicate attributes, comments, bogus comments (`<![CDATA[...]]>` outside SVG/MathML), stray
//! `<` and `&`, and every character reference (named, numeric, and the legacy ones without `;`,
//! with the attribute-value exception for `&name=`), in attribute values and text alike. What a
//! tokenizer alone does not know is which elements hold raw text; `<script>`, `<style>`,
//! `<title>`, `<textarea>`, `<noscript>` and the like are switched by tag name, as a browser
//! with scripting does, so an `<a` inside them is not an anchor. The crate has no dependencies
//! of its own, no unsafe code, and is fuzzed upstream; a tokenizer written here would need the
//! same states and the 2,231 named references to be as exact.
//!
//! What is kept: the first `<base href>` (it applies to the whole document, even when it comes
//! after the anchors, so a body that contains `<base` at all is first scanned for it, up to the
//! first one), the `pypi:repository-version`, `pypi:project-status` and
//! `pypi:project-status-reason` `<meta>`s (the first of each), and each `<a>` with an `href`:
//! its `href`, `data-*` attributes and text, which is all the text up to its `</a>`, the next
//! `<a>` or the end of the page, nested tags included (`<a href=x><b>x</b>-1.0.tar.gz</a>`).

use std::borrow::Cow;
use std::str::FromStr;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
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
/// when a `filter` is given. The page is read as a stream of tokens over the borrowed body
/// (see the module documentation): memory is the body plus the files kept.
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
    let base = match first_base_href(text) {
        Some(href) => {
            let href = href.trim();
            page_url
                .join(href)
                .map_err(|e| malformed(format!("invalid `<base href={href:?}>`: {e}")))?
        }
        None => page_url.clone(),
    };
    let mut reader = PageReader {
        base: &base,
        sink: Sink {
            page_url,
            project,
            origin,
            filter,
            files: Vec::new(),
            skipped: Vec::new(),
            foreign: Vec::new(),
        },
        tag: Tag::Other,
        attrs: Attrs::default(),
        attr: None,
        anchor: None,
        api_version: None,
        status: None,
        status_reason: None,
    };
    if let Some(err) = tokenize(text, |event| reader.event(&event)) {
        return Err(err);
    }
    reader.close_anchor();

    let name = match project {
        Some(p) => p.clone(),
        None => page_url
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .and_then(|s| PackageName::from_str(s).ok())
            .or_else(|| PackageName::from_str("find-links").ok())
            .expect("`find-links` is a valid project name"),
    };
    let status = reader
        .status
        .and_then(|s| crate::index::ProjectStatus::new(&s, reader.status_reason.as_deref()));
    Ok(ProjectPage {
        name,
        files: reader.sink.files,
        api_version: reader.api_version,
        skipped: reader.sink.skipped,
        foreign: reader.sink.foreign,
        status,
    })
}

/// Runs the tokenizer over `text`, handing every event to `on_event`, and stops at the first
/// `Some` it returns (a few more events may reach `on_event` before it stops). Raw-text
/// elements (`<script>`, `<style>`, `<title>`…) are switched to by tag name.
fn tokenize<T>(text: &str, mut on_event: impl FnMut(CallbackEvent<'_>) -> Option<T>) -> Option<T> {
    let mut emitter =
        CallbackEmitter::new(move |event: CallbackEvent<'_>, _: Span<()>| on_event(event));
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(text, emitter)
        .next()
        .map(|token| match token {
            Ok(t) => t,
            Err(never) => match never {},
        })
}

/// The `href` of the first `<base>` that has one, entities decoded. The tokenizer only runs for
/// it when the body contains `<base` (in any case), and stops at the first.
fn first_base_href(text: &str) -> Option<String> {
    let mentions_base = text.match_indices('<').any(|(i, _)| {
        text.as_bytes()
            .get(i + 1..i + 5)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"base"))
    });
    if !mentions_base {
        return None;
    }
    let (mut in_base, mut in_href) = (false, false);
    let mut href: Option<String> = None;
    tokenize(text, |event| {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                in_base = name == b"base";
                href = None;
            }
            CallbackEvent::AttributeName { name } => {
                in_href = in_base && name == b"href" && href.is_none();
                if in_href {
                    href = Some(String::new());
                }
            }
            CallbackEvent::AttributeValue { value } if in_href => {
                href = Some(String::from_utf8_lossy(value).into_owned());
            }
            CallbackEvent::CloseStartTag { .. } if in_base => {
                in_base = false;
                return href.take();
            }
            _ => {}
        }
        None
    })
}

/// The kind of the start tag being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    A,
    Meta,
    Other,
}

/// The attributes kept from `<a>` and `<meta>`, by index in [`Attrs`].
#[derive(Clone, Copy)]
enum Attr {
    Href,
    RequiresPython,
    Yanked,
    CoreMetadata,
    DistInfoMetadata,
    Name,
    Content,
}

impl Attr {
    /// The kept attribute of that (lower-case, as the tokenizer gives it) name.
    fn from_name(name: &[u8]) -> Option<Self> {
        Some(match name {
            b"href" => Self::Href,
            b"data-requires-python" => Self::RequiresPython,
            b"data-yanked" => Self::Yanked,
            b"data-core-metadata" => Self::CoreMetadata,
            b"data-dist-info-metadata" => Self::DistInfoMetadata,
            b"name" => Self::Name,
            b"content" => Self::Content,
            _ => return None,
        })
    }
}

/// The kept attributes of one tag: `None` when absent, `Some("")` when given without a value
/// (`<a data-yanked>`), entities decoded. The first of duplicate attributes wins.
#[derive(Default)]
struct Attrs([Option<String>; 7]);

impl Attrs {
    fn get(&self, attr: Attr) -> Option<&str> {
        self.0[attr as usize].as_deref()
    }

    fn take(&mut self, attr: Attr) -> Option<String> {
        self.0[attr as usize].take()
    }
}

/// An `<a href>` whose end has not been read yet.
struct Anchor {
    attrs: Attrs,
    text: String,
}

/// The state of one pass over a page: the tag being read, the open anchor, the `<meta>`s seen.
struct PageReader<'a> {
    base: &'a Url,
    sink: Sink<'a>,
    tag: Tag,
    attrs: Attrs,
    /// The kept attribute whose value comes next (`None` for others and for duplicates).
    attr: Option<Attr>,
    anchor: Option<Anchor>,
    api_version: Option<String>,
    status: Option<String>,
    status_reason: Option<String>,
}

impl PageReader<'_> {
    /// One tokenizer event; `Some` stops the page with that error.
    fn event(&mut self, event: &CallbackEvent<'_>) -> Option<IndexError> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag = match *name {
                    b"a" => Tag::A,
                    b"meta" => Tag::Meta,
                    _ => Tag::Other,
                };
                self.attrs = Attrs::default();
                self.attr = None;
            }
            CallbackEvent::AttributeName { name } => {
                // Attributes of other tags, and those an end tag may carry, are not kept.
                self.attr = Attr::from_name(name)
                    .filter(|&a| self.tag != Tag::Other && self.attrs.get(a).is_none());
                if let Some(a) = self.attr {
                    self.attrs.0[a as usize] = Some(String::new());
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(a) = self.attr {
                    self.attrs.0[a as usize] = Some(String::from_utf8_lossy(value).into_owned());
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                let attrs = std::mem::take(&mut self.attrs);
                self.attr = None;
                match std::mem::replace(&mut self.tag, Tag::Other) {
                    // An `<a>` ends the one before it; one without `href` is not a file.
                    Tag::A => {
                        self.close_anchor();
                        if attrs.get(Attr::Href).is_some_and(|h| !h.trim().is_empty()) {
                            self.anchor = Some(Anchor {
                                attrs,
                                text: String::new(),
                            });
                        }
                    }
                    Tag::Meta => return self.meta(attrs).err(),
                    Tag::Other => {}
                }
            }
            CallbackEvent::String { value } => {
                if let Some(anchor) = &mut self.anchor {
                    anchor.text.push_str(&String::from_utf8_lossy(value));
                }
            }
            CallbackEvent::EndTag { name } if *name == b"a" => self.close_anchor(),
            _ => {}
        }
        None
    }

    /// A `<meta>`: the first API version, project status and status reason are kept.
    fn meta(&mut self, mut attrs: Attrs) -> Result<(), IndexError> {
        let Some(name) = attrs.take(Attr::Name) else {
            return Ok(());
        };
        let lower = name.trim().to_ascii_lowercase();
        if lower == "pypi:project-status" {
            if self.status.is_none() {
                self.status = attrs.take(Attr::Content);
            }
        } else if lower == "pypi:project-status-reason" {
            if self.status_reason.is_none() {
                self.status_reason = attrs.take(Attr::Content);
            }
        } else if self.api_version.is_none() && name.trim() == "pypi:repository-version" {
            let v = attrs
                .get(Attr::Content)
                .unwrap_or_default()
                .trim()
                .to_string();
            check_api_version(&v, self.sink.page_url)?;
            self.api_version = Some(v);
        }
        Ok(())
    }

    /// Sends the open anchor, if any, to the sink.
    fn close_anchor(&mut self) {
        if let Some(anchor) = self.anchor.take() {
            push_anchor(&mut self.sink, anchor, self.base);
        }
    }
}

/// One `<a href>` of a page: its file name (the anchor text, else the URL's last segment), URL,
/// hashes and `data-*` attributes, to the sink.
fn push_anchor(sink: &mut Sink<'_>, anchor: Anchor, base: &Url) {
    let Anchor { mut attrs, text } = anchor;
    let href = attrs.take(Attr::Href).unwrap_or_default();
    let text = text.trim().to_string();
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
        let core_metadata = match attrs
            .get(Attr::CoreMetadata)
            .or_else(|| attrs.get(Attr::DistInfoMetadata))
            .map(str::trim)
        {
            None | Some("false") => None,
            Some("true" | "") => Some(Hashes::default()),
            Some(v) => Some(hashes_from_fragment(v)?),
        };
        Ok((hashes, core_metadata))
    })();
    url.set_fragment(None);
    let requires_python = attrs.take(Attr::RequiresPython);
    let raw = fields.map(|(hashes, core_metadata)| RawFile {
        url,
        hashes,
        requires_python: requires_python.as_deref(),
        yanked: attrs.take(Attr::Yanked),
        core_metadata,
        upload_time: None,
        size: None,
        filename: filename.clone(),
    });
    sink.push(raw.map_err(|reason| (filename.clone(), reason)));
}
