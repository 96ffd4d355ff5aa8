//! The streamed HTML reader on odd markup: what a browser's tokenizer makes of a page is what
//! nbwheel lists.

use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

const PAGE: &str = "https://example.org/simple/x/";

fn page(body: &str) -> Result<ProjectPage, IndexError> {
    parse_html(
        body.as_bytes(),
        &url(PAGE),
        Some(&PackageName::from_str("x").unwrap()),
        Origin::Index(0),
    )
}

/// One line per kept file (`name url` and its `data-*` fields) and per skipped file.
fn summary(page: &ProjectPage) -> Vec<String> {
    let mut out: Vec<String> = page
        .files
        .iter()
        .map(|f| {
            let mut line = format!("{} {}", f.filename, f.url);
            if let Some(y) = &f.yanked {
                line += &format!(" yanked={y:?}");
            }
            if let Some(rp) = &f.requires_python {
                line += &format!(" requires-python={rp}");
            }
            if f.core_metadata.is_some() {
                line += " core-metadata";
            }
            for (alg, digest) in &f.hashes.0 {
                line += &format!(" {alg}={digest}");
            }
            line
        })
        .collect();
    out.extend(page.skipped.iter().map(|s| format!("skipped {s}")));
    out
}

fn files(body: &str) -> Vec<String> {
    summary(&page(body).unwrap())
}

const W10: &str = "x-1.0-py3-none-any.whl";

#[test]
fn base_applies_to_anchors_before_it() {
    let body = format!(
        r#"<a href="{W10}">{W10}</a>
        <!-- <base href="https://comment.example.org/"> -->
        <script>document.write('<base href="https://script.example.org/">')</script>
        <base target="_blank">
        <BASE HREF=https://mirror.example.org/d/>
        <base href="https://second.example.org/">
        <a href="x-1.1-py3-none-any.whl">x-1.1-py3-none-any.whl</a>"#
    );
    assert_eq!(
        files(&body),
        [
            format!("{W10} https://mirror.example.org/d/{W10}"),
            "x-1.1-py3-none-any.whl https://mirror.example.org/d/x-1.1-py3-none-any.whl".into(),
        ]
    );
    // A bad `<base>` makes the page unusable wherever it stands.
    let err = page(&format!(
        r#"<a href="{W10}">{W10}</a><base href="https://[::1">"#
    ))
    .unwrap_err();
    assert!(err.to_string().contains("invalid `<base href"), "{err}");
}

#[test]
fn anchor_text_is_all_its_text_with_references_decoded() {
    let body = format!(
        r#"<a href="{W10}"> <b>x-1.0</b>-py3-<!-- none -->none<span>-any</span>&#46;whl </a>
        <a href="x-1.1-py3-none-any.whl">x&#x2d;1.1-py3&minus;none-any.whl</a>"#
    );
    let page = page(&body).unwrap();
    assert_eq!(
        summary(&page)[0],
        format!("{W10} https://example.org/simple/x/{W10}")
    );
    // `&minus;` is U+2212, not `-`: the name differs from the URL's.
    assert_eq!(page.skipped[0].filename, "x-1.1-py3\u{2212}none-any.whl");
}

#[test]
fn anchors_in_comments_scripts_and_raw_text_are_not_files() {
    let body = format!(
        r#"<!-- <a href="x-2.0-py3-none-any.whl">x-2.0-py3-none-any.whl</a> -->
        <script>var a = '<a href="x-3.0-py3-none-any.whl">x-3.0-py3-none-any.whl</a>';</script>
        <SCRIPT type="text/template"><a href="x-3.1-py3-none-any.whl">t</a></SCRIPT>
        <style>a::after {{ content: '<a href="x-4.0-py3-none-any.whl">' }}</style>
        <title>Links for <a href="x-5.0-py3-none-any.whl">x</a></title>
        <textarea><a href="x-6.0-py3-none-any.whl">x</a></textarea>
        <![CDATA[<a href="x-7.0-py3-none-any.whl">]]>
        <!DOCTYPE <a href="x-8.0-py3-none-any.whl">>
        <a href="{W10}">{W10}</a>"#
    );
    assert_eq!(
        files(&body),
        [format!("{W10} https://example.org/simple/x/{W10}")]
    );
}

#[test]
fn unclosed_anchors() {
    // Ended by the end of the page, by the next `<a>` (with or without `href`).
    let body = format!(
        r#"<a href="x-0.9-py3-none-any.whl">x-0.9-py3-none-any.whl<a name="n">not a file</a>
        <a href="x-1.1-py3-none-any.whl">x-1.1-py3-none-any.whl
        <a href="{W10}">{W10}"#
    );
    assert_eq!(
        files(&body),
        [
            "x-0.9-py3-none-any.whl https://example.org/simple/x/x-0.9-py3-none-any.whl",
            "x-1.1-py3-none-any.whl https://example.org/simple/x/x-1.1-py3-none-any.whl",
            &format!("{W10} https://example.org/simple/x/{W10}"),
        ]
    );
    // A tag cut by the end of the page is dropped, as browsers drop it.
    assert_eq!(files(&format!(r#"<a href="{W10}""#)), Vec::<String>::new());
    assert_eq!(files(&format!("<a href={W10}")), Vec::<String>::new());
    // A `/` right after an unquoted value belongs to the value (`x.whl/`: no file name).
    assert_eq!(files(&format!("<a href={W10}/>")), Vec::<String>::new());
    // `/>` does not close an `<a>`: the text that follows is its text.
    assert_eq!(
        files(&format!(
            "<a href={W10} />\n<a href=\"x-1.1-py3-none-any.whl\"/>"
        )),
        [
            format!("{W10} https://example.org/simple/x/{W10}"),
            "x-1.1-py3-none-any.whl https://example.org/simple/x/x-1.1-py3-none-any.whl".into(),
        ]
    );
}

#[test]
fn anchors_without_attributes_or_href_are_not_files() {
    let body = format!(
        r#"<a>{W10}</a><a name="x">{W10}</a><a href="">{W10}</a><a href="  ">{W10}</a>
        <a href="x-1.1-py3-none-any.whl"></a></a></a foo=bar>"#
    );
    assert_eq!(
        files(&body),
        ["x-1.1-py3-none-any.whl https://example.org/simple/x/x-1.1-py3-none-any.whl"]
    );
}

#[test]
fn attributes_as_a_browser_reads_them() {
    let body = format!(
        r#"<A DATA-YANKED HREF={W10}#SHA256=ab Data-Requires-Python=&gt;=3.8>{W10}</A>
        <a href='x-1.1-py3-none-any.whl' href="evil-1.1-py3-none-any.whl" data-yanked="first"
           data-yanked="second" data-core-metadata=true>x-1.1-py3-none-any.whl</a>
        <a href = "x-1.2-py3-none-any.whl" title="a > b" data-yanked=a&amp;b>x-1.2-py3-none-any.whl</a>
        <p>1 < 2 & 3 <4 &</p>
        <a foo href="x-1.3-py3-none-any.whl"bar=1 data-requires-python>x-1.3-py3-none-any.whl</a>"#
    );
    assert_eq!(
        files(&body),
        [
            format!(
                "{W10} https://example.org/simple/x/{W10} yanked=\"\" requires-python=>=3.8 sha256=ab"
            ),
            "x-1.1-py3-none-any.whl https://example.org/simple/x/x-1.1-py3-none-any.whl \
             yanked=\"first\" core-metadata"
                .into(),
            "x-1.2-py3-none-any.whl https://example.org/simple/x/x-1.2-py3-none-any.whl \
             yanked=\"a&b\""
                .into(),
            "x-1.3-py3-none-any.whl https://example.org/simple/x/x-1.3-py3-none-any.whl".into(),
        ]
    );
}

#[test]
fn meta_tags_anywhere() {
    let body = format!(
        r#"<a href="{W10}">{W10}</a>
        <meta content="1.1" name=" pypi:repository-version ">
        <meta name="pypi:repository-version" content="2.0">
        <META NAME="PYPI:PROJECT-STATUS" CONTENT="archived">
        <meta name="pypi:project-status" content="quarantined">
        <meta name="pypi:project-status-reason" content="moved &amp; kept">"#
    );
    let page = page(&body).unwrap();
    assert_eq!(page.api_version.as_deref(), Some("1.1"));
    let status = page.status.expect("a status");
    assert_eq!(
        (status.status.as_str(), status.reason.as_deref()),
        ("archived", Some("moved & kept"))
    );
    // An unsupported API version refuses the page, even after its files.
    let err = super::parse_html(
        format!(r#"<a href="{W10}">{W10}</a><meta name="pypi:repository-version" content="2.0">"#)
            .as_bytes(),
        &url(PAGE),
        None,
        Origin::Index(0),
    )
    .unwrap_err();
    assert!(
        matches!(err, IndexError::UnsupportedApiVersion { .. }),
        "{err}"
    );
}

#[test]
fn a_one_mebibyte_attribute_is_read_whole() {
    let big = "y".repeat(1 << 20);
    let body = format!(
        r#"<a href="{W10}" data-yanked="{big}" title='{big}' {big}={big}>{W10}</a>
        <a href="x-1.1-py3-none-any.whl" data-yanked={big}&amp;>{big}</a>"#
    );
    let page = page(&body).unwrap();
    assert_eq!(page.files.len(), 1);
    assert_eq!(page.files[0].yanked.as_deref(), Some(big.as_str()));
    // The second anchor's text is its name: 1 MiB, neither a wheel nor an sdist, so ignored.
    assert_eq!(page.skipped.len(), 0, "{:?}", summary(&page));
}

#[test]
fn a_body_that_is_not_utf8_is_a_malformed_page() {
    let mut body = format!(r#"<a href="{W10}">{W10}</a>"#)
        .repeat(1000)
        .into_bytes();
    body.extend_from_slice(b"<a href=\"x\xff\">x</a>");
    let err = parse_html(&body, &url(PAGE), None, Origin::Index(0)).unwrap_err();
    assert!(
        matches!(&err, IndexError::MalformedPage { reason, .. } if reason.starts_with("the page is not UTF-8")),
        "{err}"
    );
}

#[test]
fn find_links_page_with_base_after_anchors() {
    let body = format!(
        r#"<a href="{W10}">{W10}</a><a href="y-2.0.tar.gz">y-2.0.tar.gz</a>
        <base href="file:///srv/wheels/">"#
    );
    let page = parse_html(
        body.as_bytes(),
        &url("file:///srv/index.html"),
        None,
        Origin::FindLinks(0),
    )
    .unwrap();
    assert_eq!(
        summary(&page),
        [
            format!("{W10} file:///srv/wheels/{W10}"),
            "y-2.0.tar.gz file:///srv/wheels/y-2.0.tar.gz".into(),
        ]
    );
}

proptest::proptest! {
    /// However a sound page is spelt (tag and attribute case, quoting, references for any
    /// character of the name, comments and tags inside the text), the same files are listed.
    #[test]
    fn spelling_does_not_change_the_files(
        versions in proptest::collection::vec(0u32..50, 1..6),
        upper in proptest::bool::ANY,
        quote in 0usize..3,
        encode in proptest::collection::vec(0usize..4, 40),
        nested in proptest::bool::ANY,
    ) {
        let mut body = String::from("<!DOCTYPE html><html><body>\n");
        let mut expected = Vec::new();
        for v in &versions {
            let name = format!("x-{v}.0-py3-none-any.whl");
            expected.push(format!("{name} https://example.org/simple/x/{name}"));
            let q = ["\"", "'", ""][quote];
            let text: String = name
                .chars()
                .zip(encode.iter().cycle())
                .map(|(c, e)| match e {
                    0 => c.to_string(),
                    1 => format!("&#{};", c as u32),
                    2 => format!("&#x{:X};", c as u32),
                    _ if nested => format!("<i>{c}</i><!--{c}-->"),
                    _ => c.to_string(),
                })
                .collect();
            let (a, href) = if upper { ("A", "HREF") } else { ("a", "href") };
            body += &format!("<{a} {href}={q}{name}{q}>{text}</{a}><br/>\n");
        }
        body += "</body></html>";
        let got = files(&body);
        proptest::prop_assert_eq!(got, expected);
    }
}
