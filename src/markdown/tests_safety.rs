//! Tests of safety: sanitizer, URL checks, odd, deep and huge input.

use super::guard::{too_deep, MAX_DEPTH};
use super::tests::{safe, unsafe_};
use super::text::{is_external_url, is_safe_url};
use super::*;

#[test]
fn url_classification() {
    for u in [
        "/a",
        "a/b:c",
        "#x",
        "?q=1",
        "https://x",
        "HTTP://x",
        "mailto:a@b",
        "tel:+1",
        "",
        "a.png",
    ] {
        assert!(is_safe_url(u), "{u}");
    }
    for u in [
        "javascript:x",
        " JAVASCRIPT:x",
        "java\tscript:x",
        "\u{1}javascript:x",
        "data:x",
        "vbscript:x",
        "file:///etc",
    ] {
        assert!(!is_safe_url(u), "{u}");
    }
    for u in ["http://x", "HTTPS://x", "//x", " //x", "\\\\x", "/\\x"] {
        assert!(is_external_url(u), "{u}");
    }
    for u in ["/x", "x", "#a", "mailto:a@b", "./http://x"] {
        assert!(!is_external_url(u), "{u}");
    }
}
// ---- sanitizer -----------------------------------------------------------------

#[test]
fn sanitizer_removes_dangerous_html() {
    let md = "<script>alert('s')</script>\n\n\
              <p onclick=\"x()\">hi <img src=\"x.png\" onerror=\"alert(1)\" alt=\"a\"></p>\n\n\
              <a href=\"javascript:alert(1)\">j</a> <a href=\" JaVaScRiPt:alert(1)\">k</a> <img src=\"data:image/png;base64,AA\">\n\n\
              <iframe src=\"https://evil.org\">frame</iframe>\n\n\
              <object data=\"x\">o</object><embed src=\"x\"><form action=\"/x\"><input name=\"q\"></form>\n\n\
              <style>body{}</style><div style=\"position:fixed\">s</div>\n\n\
              <table><tr><td style=\"background:url(x)\">c</td></tr></table>\n\n\
              Inline <span onmouseover=\"x\">span</span> <svg><script>alert(2)</script></svg>\n";
    let h = safe(md).html;
    let lower = h.to_lowercase();
    for bad in [
        "<script",
        "alert",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript",
        "data:",
        "<iframe",
        "frame<",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<style",
        "position",
        "style=",
        "background",
        "<svg",
    ] {
        assert!(!lower.contains(bad), "found {bad} in {h}");
    }
    assert!(h.contains("<p>hi <img src=\"x.png\" alt=\"a\"></p>"), "{h}");
    assert!(h.contains("<span>span</span>"), "{h}");
}

#[test]
fn sanitizer_keeps_article_markup() {
    let md = "<figure dir=\"rtl\" lang=\"ar\"><img src=\"/a.png\" alt=\"صورة\" width=\"640\" height=\"480\"><figcaption>تعليق</figcaption></figure>\n\n\
              <table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>\n\n\
              <details><summary>more</summary>text</details>\n\n\
              <blockquote cite=\"https://x.org\">q</blockquote>\n\n\
              Some <abbr title=\"World Health Organization\">WHO</abbr>, H<sub>2</sub>O, x<sup>2</sup>, <a href=\"/p\" title=\"t\">p</a>, <bdi>Musk</bdi>, <span dir=\"ltr\">ltr</span>.\n";
    let h = safe(md).html;
    for good in [
        "<figure dir=\"rtl\" lang=\"ar\">",
        "<img src=\"/a.png\" alt=\"صورة\" width=\"640\" height=\"480\">",
        "<figcaption>تعليق</figcaption>",
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        "<details><summary>more</summary>text</details>",
        "<blockquote cite=\"https://x.org\">q</blockquote>",
        "<abbr title=\"World Health Organization\">WHO</abbr>",
        "H<sub>2</sub>O",
        "x<sup>2</sup>",
        "<a href=\"/p\" title=\"t\">p</a>",
        "<bdi>Musk</bdi>",
        "<span dir=\"ltr\">ltr</span>",
    ] {
        assert!(h.contains(good), "missing {good} in {h}");
    }
}

#[test]
fn unsafe_html_passes_raw_html_through() {
    let md = "<script>alert(1)</script>\n\nText <b onclick=\"x()\">b</b> <a href=\"https://x.org\">x</a>\n";
    let h = unsafe_(md).html;
    assert!(h.contains("<script>alert(1)</script>"), "{h}");
    assert!(h.contains("<b onclick=\"x()\">b</b>"), "{h}");
    assert!(h.contains("<a href=\"https://x.org\">x</a>"), "{h}"); // untouched
}

#[test]
fn plain_markdown_skips_the_sanitizer_but_stays_escaped() {
    let h = safe("a < b & c > d \"q\" `<script>`\n\n    <i>indented</i>\n").html;
    assert_eq!(h, "<p>a &lt; b &amp; c &gt; d \"q\" <code>&lt;script&gt;</code></p>\n<pre><code>&lt;i&gt;indented&lt;/i&gt;\n</code></pre>\n");
}

// ---- robustness ----------------------------------------------------------------

#[test]
fn deep_block_quotes_finish() {
    let md = ">".repeat(10_000) + " deep";
    for r in [safe(&md), unsafe_(&md)] {
        assert!(r.html.contains("deep"));
        assert_eq!(r.word_count, 1);
    }
    // With raw HTML, too deep for the sanitizer: the raw HTML becomes text.
    let r = safe(&(">".repeat(10_000) + " deep <b onclick=x>bold</b>"));
    assert!(r.html.contains("&lt;b onclick=x&gt;bold&lt;/b&gt;"));
    assert!(!r.html.contains("<b>") && !r.html.contains("<b "));
}

#[test]
fn deep_lists_and_mixed_nesting_finish() {
    let mut md = String::new();
    for i in 0..1500 {
        md.push_str(&" ".repeat(2 * i));
        md.push_str("- x\n");
    }
    assert!(safe(&md).html.contains("<li>x"));
    let r = safe(&("> - ".repeat(5_000) + "x <i>y</i>\n"));
    assert!(r.html.contains("x &lt;i&gt;y&lt;/i&gt;"));
}

#[test]
fn deep_raw_html_finishes() {
    let r = safe(&"<div>".repeat(100_000));
    assert!(!r.html.contains("<div>"));
    let r = safe(&"x <span>".repeat(50_000));
    assert!(!r.html.contains("<span"));
    // Moderate nesting is still sanitized normally.
    let md = format!("{}deep{}", "<div>".repeat(100), "</div>".repeat(100));
    let r = safe(&md);
    assert!(r.html.starts_with("<div><div>"), "{}", &r.html[..50]);
}

#[test]
fn depth_estimate() {
    let nest = |open: &str, n: usize| open.repeat(n);
    assert!(too_deep(&nest("<div>", MAX_DEPTH + 1), MAX_DEPTH));
    assert!(!too_deep(&nest("<div>", MAX_DEPTH), MAX_DEPTH));
    assert!(!too_deep(&nest("<div></div>", 10_000), MAX_DEPTH));
    assert!(!too_deep(
        &nest("<p>x<li>y<br><img src=x>", 10_000),
        MAX_DEPTH
    ));
    // `/>` does not close a non-void HTML element.
    assert!(too_deep(&nest("<div/>", 1_000), MAX_DEPTH));
    // End tags inside attribute values, comments or raw text close nothing.
    assert!(too_deep(&nest("<div title='a>b</div>'>", 1_000), MAX_DEPTH));
    assert!(too_deep(&nest("<div><!-- </div> -->", 1_000), MAX_DEPTH));
    assert!(too_deep(
        &nest("<div><script></div></script>", 1_000),
        MAX_DEPTH
    ));
    // Stray end tags close nothing either.
    assert!(too_deep(&nest("<div></span>", 1_000), MAX_DEPTH));
    assert!(!too_deep(&nest("<DIV></div>", 1_000), MAX_DEPTH));
}

#[test]
fn big_input_finishes() {
    let para =
        "هذه فقرة عربية مع **تأكيد** و[رابط](https://example.org) and some English words.\n\n";
    let md = para.repeat(5_000_000 / para.len());
    assert!(md.len() > 4_900_000);
    let r = safe(&md);
    assert_eq!(r.word_count, 10 * (5_000_000 / para.len())); // و[رابط] is one word
                                                             // With raw HTML (sanitizer path), 1 MB.
    let para = "Paragraph with <em>raw</em> html and <a href=\"https://x.org\">a link</a>.\n\n";
    let md = para.repeat(1_000_000 / para.len());
    let r = safe(&md);
    assert!(r.html.contains("<em>raw</em>"));
}

#[test]
fn odd_input_does_not_panic() {
    let inputs = [
        "a\0b\n\n# \0\n\n<b>\0</b>\n\n```\n\0\n```\n\n`\0`".to_string(),
        "[".repeat(100_000) + &"]".repeat(100_000),
        "[a](".repeat(30_000),
        "![".repeat(30_000) + &"](x)".repeat(30_000),
        "*a _b ".repeat(50_000),
        "<".repeat(50_000),
        "<a href=\"".repeat(10_000),
        "<!--".repeat(10_000),
        "|".repeat(10_000) + "\n" + &"|-".repeat(5_000),
        "[^".repeat(20_000),
        "\u{FEFF}\u{202E}\r\n\r\n#\t\u{0640}\u{064B}\n".to_string(),
        "- [x] task\n1. x\n   > y\n".to_string(),
        "<https://a.org/\"onmouseover=\"x>".to_string(),
    ];
    for md in &inputs {
        let r = safe(md);
        assert!(!r.html.contains('\0'));
        assert!(!plain_text(md).contains('\0'));
        let _ = unsafe_(md);
        let _ = plain_text(md);
    }
}

/// Random documents built from markdown and HTML fragments: no panic, and
/// the sanitized output never carries a script, handler or script URL.
#[test]
fn random_documents_stay_safe() {
    const PIECES: &[&str] = &[
        "<",
        ">",
        "[",
        "](",
        "]",
        ")",
        "javascript:",
        "JaVaScRiPt&#58;",
        "data:",
        "#",
        "\n",
        "\n\n",
        "|",
        "-",
        "*",
        "_",
        "`",
        "```",
        "~~",
        "<div>",
        "</div>",
        "<a href=\"",
        "\"",
        "'",
        "&",
        "\0",
        "ا",
        "\u{064B}",
        "\u{0640}",
        "{#",
        "}",
        "[^",
        "]:",
        "!",
        " ",
        "\t",
        "> ",
        "1. ",
        "- ",
        "# ",
        "<script>",
        "</script>",
        "<img src=x onerror=",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "https://x.org",
        "//y",
        "<svg>",
        "<![CDATA[",
        "]]>",
        "<iframe>",
        "=",
        "onclick",
        "<style>",
        "</",
        "word ",
        "كلمة ",
        "|:-:|",
        "\\",
        "<https://a.org>",
        "<x@y.org>",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..2_000 {
        let len = (next() % 120) as usize;
        let doc: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let r = safe(&doc);
        assert!(!r.html.contains('\0'));
        // In safe output every `<` starts a tag (text escapes it) and every
        // attribute value is double-quoted: check each tag's attributes.
        for tag in r.html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("").to_lowercase();
            let name = tag.split([' ', '/']).next().unwrap_or("").to_owned();
            assert!(
                !["script", "iframe", "svg", "style", "object", "embed"].contains(&name.as_str()),
                "<{tag}> from {doc:?}"
            );
            let attrs = tag.split('"').step_by(2).map(|p| {
                p.trim()
                    .trim_end_matches('=')
                    .rsplit(' ')
                    .next()
                    .unwrap_or("")
                    .to_owned()
            });
            let values = tag.split('"').skip(1).step_by(2);
            for (attr, value) in attrs.zip(values) {
                assert!(
                    !attr.starts_with("on") && attr != "style",
                    "{attr} in <{tag}> from {doc:?}"
                );
                if attr == "href" || attr == "src" {
                    let v = value.trim();
                    assert!(
                        !v.starts_with("javascript")
                            && !v.starts_with("data:")
                            && !v.starts_with("vbscript"),
                        "<{tag}> from {doc:?}"
                    );
                }
            }
        }
        let _ = unsafe_(&doc);
        let _ = plain_text(&doc);
    }
}

#[test]
fn inline_script_text_is_not_prose() {
    let r = super::tests::safe("Raw: <script>alert(2)</script> and <style>p{}</style> more.\n");
    assert_eq!(r.first_paragraph, "Raw: and more.");
    assert!(!r.html.contains("alert"));
}
