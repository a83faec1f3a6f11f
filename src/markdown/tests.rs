//! Tests of rendering: extensions, heading ids, links, text facts.

use super::*;

pub(super) fn safe(md: &str) -> Rendered {
    render(md, &Options::default())
}

pub(super) fn unsafe_(md: &str) -> Rendered {
    render(md, &Options { unsafe_html: true })
}

fn ids(r: &Rendered) -> Vec<&str> {
    r.headings.iter().map(|h| h.id.as_str()).collect()
}

// ---- extensions ------------------------------------------------------------

#[test]
fn table_renders_with_alignment() {
    let md = "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n";
    let h = safe(md).html;
    assert!(h.contains("<table>"), "{h}");
    assert!(
        h.contains("<thead><tr><th class=\"align-left\">a</th><th class=\"align-center\">b</th>"),
        "{h}"
    );
    assert!(h.contains("<tr><td class=\"align-left\">1</td><td class=\"align-center\">2</td><td class=\"align-right\">3</td></tr>"), "{h}");
    assert!(!h.contains("style"), "{h}");
    // Through the sanitizer (raw HTML present) alignment survives too.
    let h = safe(&format!("{md}\n<b>x</b>\n")).html;
    assert!(h.contains("<th class=\"align-center\">b</th>"), "{h}");
    // Unaligned columns get no class.
    let h = safe("| a | b |\n|---|--:|\n| 1 | 2 |\n").html;
    assert!(
        h.contains("<th>a</th><th class=\"align-right\">b</th>"),
        "{h}"
    );
    assert!(
        h.contains("<td>1</td><td class=\"align-right\">2</td>"),
        "{h}"
    );
}

#[test]
fn footnotes_render_with_matching_ids() {
    for md in ["Claim[^1] and [^Big Note].\n\n[^1]: Source.\n[^big note]: Other.\n"] {
        for h in [safe(md).html, safe(&format!("{md}\n<i>x</i>")).html] {
            assert!(
                h.contains("<sup class=\"footnote-reference\"><a href=\"#fn-1\">1</a></sup>"),
                "{h}"
            );
            assert!(h.contains("<a href=\"#fn-big-note\">2</a>"), "{h}");
            assert!(
                h.contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
                "{h}"
            );
            assert!(h.contains("id=\"fn-big-note\""), "{h}");
        }
    }
}

#[test]
fn strikethrough_renders() {
    assert!(safe("~~old~~ new").html.contains("<del>old</del>"));
}

#[test]
fn smart_punctuation_is_off() {
    let h = safe("\"quoted\" -- it's...").html;
    assert!(h.contains("\"quoted\" -- it's..."), "{h}");
}

#[test]
fn code_blocks_keep_language_class() {
    let md = "```rust\nfn main() {}\n```\n";
    assert!(safe(md).html.contains("<code class=\"language-rust\">"));
    let h = safe(&format!("{md}\n<b>x</b>")).html;
    assert!(h.contains("<code class=\"language-rust\">"), "{h}");
}

// ---- heading ids -----------------------------------------------------------

#[test]
fn arabic_heading_id() {
    let r = safe("## مارالاجو يشهد المصالحة\n");
    assert_eq!(ids(&r), ["مارالاجو-يشهد-المصالحة"]);
    assert!(r
        .html
        .contains("<h2 id=\"مارالاجو-يشهد-المصالحة\">مارالاجو يشهد المصالحة</h2>"));
    assert_eq!(
        r.headings[0],
        Heading {
            level: 2,
            id: "مارالاجو-يشهد-المصالحة".into(),
            text: "مارالاجو يشهد المصالحة".into()
        }
    );
}

#[test]
fn latin_heading_id() {
    assert_eq!(ids(&safe("## Hello, World!\n")), ["hello-world"]);
    assert_eq!(
        ids(&safe("# Trump's U.S. Café: 2024–2025\n")),
        ["trumps-u-s-café-2024-2025"]
    );
}

#[test]
fn tashkeel_and_tatweel_are_stripped() {
    assert_eq!(ids(&safe("## مُحَمَّــد رَسُولٌ\n")), ["محمد-رسول"]);
    assert_eq!(slugify("القُرْآنُ"), "القرآن");
    assert_eq!(slugify("الرحمٰن"), "الرحمن"); // superscript alef
}

#[test]
fn slug_keeps_other_scripts_and_digits() {
    assert_eq!(slugify("عام ٢٠٢٤ / 2024"), "عام-٢٠٢٤-2024");
    assert_eq!(slugify("می‌خواهم"), "میخواهم"); // ZWNJ does not split
    assert_eq!(slugify("Ελλάδα Россия 日本"), "ελλάδα-россия-日本");
    assert_eq!(slugify("\u{202B}نص\u{202C}"), "نص"); // bidi controls dropped
    assert_eq!(slugify("  --a__b--  "), "a-b");
    assert_eq!(slugify("e\u{0301}te\u{0301}"), "été"); // NFC
    assert!(slugify(&"word ".repeat(500)).chars().count() <= 100);
}

#[test]
fn heading_ids_are_unique_and_never_empty() {
    let r = safe("# X\n## x\n### X!\n## !!!\n## ???\n## ...\n");
    assert_eq!(
        ids(&r),
        ["x", "x-1", "x-2", "section", "section-1", "section-2"]
    );
    let r = safe("## عنوان\n\n## عنوان\n");
    assert_eq!(ids(&r), ["عنوان", "عنوان-1"]);
    // "x 1" slugs to an id already handed out as a suffix.
    let r = safe("# x\n# x\n# x 1\n# x\n");
    assert_eq!(ids(&r), ["x", "x-1", "x-1-1", "x-2"]);
    // Many equal headings stay fast and unique.
    let r = safe(&"## Same\n".repeat(20_000));
    assert_eq!(r.headings.last().map(|h| h.id.as_str()), Some("same-19999"));
}

#[test]
fn explicit_ids_are_kept_and_avoided() {
    let r = safe("## Intro\n\n## Other {#intro}\n\n## Intro\n\n## Custom {#my-id .lead}\n");
    assert_eq!(ids(&r), ["intro-1", "intro", "intro-2", "my-id"]);
    assert!(
        r.html
            .contains("<h2 id=\"my-id\" class=\"lead\">Custom</h2>"),
        "{}",
        r.html
    );
    assert_eq!(r.headings[1].text, "Other");
    // Generated ids avoid footnote ids too.
    let r = safe("## fn 1\n\nx[^1]\n\n[^1]: y\n");
    assert_eq!(ids(&r), ["fn-1-1"]);
}

#[test]
fn heading_text_is_plain() {
    let r = safe("## The `code` and [link](/x) *em* <span>raw</span>\n");
    assert_eq!(r.headings[0].text, "The code and link em raw");
    assert_eq!(r.headings[0].id, "the-code-and-link-em-raw");
    assert_eq!(r.headings[0].level, 2);
}

#[test]
fn heading_ids_survive_the_sanitizer() {
    let h = safe("<div dir=\"rtl\">\n\n## مرحبا بكم\n\n</div>\n").html;
    assert!(h.contains("<h2 id=\"مرحبا-بكم\">"), "{h}");
}

#[test]
fn heading_attributes_cannot_inject_handlers() {
    let md = "## Title {#t .c onclick=alert(1)}\n";
    let h = safe(md).html;
    assert!(!h.contains("onclick"), "{h}");
    assert!(h.contains("<h2 id=\"t\" class=\"c\">"), "{h}");
    assert!(unsafe_(md).html.contains("onclick"));
}

// ---- links -------------------------------------------------------------------

#[test]
fn external_links_get_rel() {
    let md =
        "[a](https://example.org \"T\") [b](http://x.org) [c](//cdn.org/x) <https://auto.org>\n";
    for h in [safe(md).html, unsafe_(md).html] {
        assert!(
            h.contains(
                "<a href=\"https://example.org\" title=\"T\" rel=\"noopener noreferrer\">a</a>"
            ),
            "{h}"
        );
        assert!(
            h.contains("<a href=\"http://x.org\" rel=\"noopener noreferrer\">b</a>"),
            "{h}"
        );
        assert!(
            h.contains("<a href=\"//cdn.org/x\" rel=\"noopener noreferrer\">c</a>"),
            "{h}"
        );
        assert!(
            h.contains("<a href=\"https://auto.org\" rel=\"noopener noreferrer\">"),
            "{h}"
        );
        assert!(!h.contains("target"), "{h}");
    }
}

#[test]
fn internal_links_are_untouched() {
    let h = safe("[a](/ar/2024/01/x/) [b](../y) [c](#sec) [d](mailto:a@b.org) <me@x.org>").html;
    assert!(h.contains("<a href=\"/ar/2024/01/x/\">a</a>"), "{h}");
    assert!(h.contains("<a href=\"../y\">b</a>"), "{h}");
    assert!(h.contains("<a href=\"#sec\">c</a>"), "{h}");
    assert!(h.contains("<a href=\"mailto:a@b.org\">d</a>"), "{h}");
    assert!(
        h.contains("<a href=\"mailto:me@x.org\">me@x.org</a>"),
        "{h}"
    );
    assert!(!h.contains("rel="), "{h}");
}

#[test]
fn external_links_rel_survives_sanitizer_and_covers_raw_html() {
    let md = "[md](https://a.org)\n\n<a href=\"https://b.org\" target=\"_blank\" rel=\"opener\">raw</a> <a href=\"/in\">in</a>\n";
    let h = safe(md).html;
    assert!(
        h.contains("<a href=\"https://a.org\" rel=\"noopener noreferrer\">md</a>"),
        "{h}"
    );
    assert!(
        h.contains("<a href=\"https://b.org\" rel=\"noopener noreferrer\">raw</a>"),
        "{h}"
    );
    assert!(h.contains("<a href=\"/in\">in</a>"), "{h}");
    assert!(!h.contains("target") && !h.contains("\"opener\""), "{h}");
}

#[test]
fn markdown_javascript_links_are_neutralized() {
    let cases = [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click]( javascript:alert(1) )",
        "[click](vbscript:msgbox)",
        "[click](data:text/html,<script>alert(1)</script>)",
        "[click][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ];
    for md in cases {
        for h in [
            safe(md).html,
            unsafe_(md).html,
            safe(&format!("{md}\n\n<b>x</b>")).html,
        ] {
            let lower = h.to_lowercase();
            assert!(
                !lower.contains("javascript:") || !lower.contains("href"),
                "{md} → {h}"
            );
            assert!(
                !lower.contains("href=\"javascript") && !lower.contains("href=\"vbscript"),
                "{md} → {h}"
            );
            assert!(!lower.contains("href=\"data:"), "{md} → {h}");
        }
    }
    // The link text stays, as text.
    assert_eq!(safe("[click](javascript:alert(1))").html, "<p>click</p>\n");
}

#[test]
fn markdown_unsafe_images_are_neutralized() {
    let h = safe("![pixel](data:image/png;base64,AAAA) ![ok](/a.png \"t\")").html;
    assert!(!h.contains("data:"), "{h}");
    assert!(h.contains("pixel"), "{h}");
    assert!(
        h.contains("<img src=\"/a.png\" alt=\"ok\" title=\"t\" />"),
        "{h}"
    );
}

// ---- text facts ----------------------------------------------------------------

#[test]
fn first_paragraph_skips_leading_heading() {
    let r = safe("# العنوان\n\nهذه **الفقرة**   الأولى مع [رابط](https://x.org)\nو`رمز`.\n\nالفقرة الثانية.\n");
    assert_eq!(r.first_paragraph, "هذه الفقرة الأولى مع رابط ورمز.");
    let r = safe("## Title\n\n![img](/a.png)\n\nFirst *real*   paragraph <b>with</b> html.\n");
    assert_eq!(r.first_paragraph, "First real paragraph with html.");
}

#[test]
fn first_paragraph_prefers_top_level() {
    assert_eq!(safe("> quote\n\nbody text\n").first_paragraph, "body text");
    assert_eq!(safe("- item\n\n  more\n- x\n").first_paragraph, "item");
    assert_eq!(safe("Note[^1]\n\n[^1]: footnote\n").first_paragraph, "Note");
    assert_eq!(safe("# Only a heading\n").first_paragraph, "");
    assert_eq!(safe("").first_paragraph, "");
}

#[test]
fn word_count_counts_arabic_and_latin() {
    let r = safe("# عنوان المقال\n\nقال إيلون ماسك — Elon Musk — إن foo**bar** يعمل.\n\n![alt text here](/a.png)\n\n| a | b |\n|---|---|\n| c | d |\n");
    // عنوان المقال (2) + قال إيلون ماسك Elon Musk إن foobar يعمل (8) + a b c d (4)
    assert_eq!(r.word_count, 14);
    assert_eq!(r.reading_minutes, 1);
}

#[test]
fn reading_minutes_round_up() {
    assert_eq!(safe("").reading_minutes, 1);
    assert_eq!(safe(&"word ".repeat(200)).reading_minutes, 1);
    assert_eq!(safe(&"word ".repeat(201)).reading_minutes, 2);
    let r = safe(&"كلمة ".repeat(1000));
    assert_eq!((r.word_count, r.reading_minutes), (1000, 5));
}

#[test]
fn plain_text_has_no_markup() {
    let md = "# Title\n\nSome *em* and [link](/x \"t\").\n\n<script>var x = 1;</script>\n\n<div class=\"c\">Raw   html</div>\n\n- one\n- two\n\n![alt](/a.png)\n\n```\ncode  here\n```\n";
    assert_eq!(
        plain_text(md),
        "Title Some em and link. Raw html one two code here"
    );
    assert_eq!(plain_text("مرحبا\n\n\n  بكم"), "مرحبا بكم");
}

/// `text` with its white space collapsed, as `plain_text` gives it.
fn collapsed(text: &str) -> String {
    let mut c = super::text::Collapser::default();
    c.push(text);
    c.finish()
}

proptest::proptest! {
    /// One parse gives what the two did: the page's HTML and the plain text
    /// (its white space as written).
    #[test]
    fn render_with_text_is_render_and_plain_text(parts in proptest::collection::vec(proptest::sample::select(vec![
        "# T\n", "para ", "*em* ", "**b**", "[l](/x)", "![alt *x*](/a.png)", "<b>raw</b>", "<script>s()</script>", "<div>\n",
        "</div>\n", "<!-- c -->", "`code`", "\n\n", "\n", "> q ", "- i\n", "1. n\n", "[^f]", "\n[^f]: note\n", "| a | b |\n|---|---|\n| c | d |\n",
        "```\nfenced\n```\n", "ماسك ", "<img alt=x src=y>", "---\n", "&amp; ", "\\\\", "  \n", "<", ">",
        "[e](https://e.example/x) ", "[bad](javascript:x) ",
    ]), 0..24)) {
        let md: String = parts.concat();
        for opts in [Options { unsafe_html: false }, Options { unsafe_html: true }] {
            let (rendered, body) = render_with_text(&md, &opts);
            proptest::prop_assert_eq!(&rendered, &render(&md, &opts), "{:?}", md);
            proptest::prop_assert_eq!(&collapsed(&body.text), &plain_text(&md), "{:?}", md);
            let raw = Parser::new_ext(&md, parser_options()).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
            proptest::prop_assert_eq!(body.spans.is_none(), raw, "{:?}", md);
            check_spans(&body, &rendered.html);
            // left uncounted only without raw HTML, and then the text's words are the body's
            let (mut indexed, text) = render_for_index(&md, &opts);
            proptest::prop_assert_eq!(text.uncounted, !raw, "{:?}", md);
            proptest::prop_assert_eq!((&text.text, &text.spans), (&body.text, &body.spans), "{:?}", md);
            if text.uncounted {
                proptest::prop_assert_eq!(indexed.word_count, 0, "{:?}", md);
                indexed.set_word_count(count_words(&text.text));
            }
            proptest::prop_assert_eq!(&indexed, &rendered, "{:?}", md);
        }
    }
}

/// Each span's text is in the HTML where it says, escaped, outside any
/// link, heading or code; spans come in order, and those sharing a node
/// have only a line break between them in the HTML (and a space in the text).
fn check_spans(body: &BodyText, html: &str) {
    let spans = body.spans.as_deref().unwrap_or_default();
    for s in spans {
        let (text, at) = (&body.text[s.text as usize..s.text_end as usize], s.html as usize);
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        assert!(html[at..].starts_with(&escaped), "{text:?} at {at} in {html:?}");
        assert_eq!(closed_at(&html[..at]), 0, "{text:?} at {at} in {html:?}");
    }
    for w in spans.windows(2) {
        assert!(w[0].text_end <= w[1].text && w[0].html < w[1].html, "{w:?}");
        if w[0].node == w[1].node {
            let gap = &body.text[w[0].text_end as usize..w[1].text as usize];
            let html_gap = &html[w[0].html as usize + escaped_len(&body.text[w[0].text as usize..w[0].text_end as usize])..w[1].html as usize];
            assert!((gap, html_gap) == ("", "") || (gap, html_gap) == (" ", "\n"), "{gap:?} {html_gap:?} in {html:?}");
        }
    }
}

fn escaped_len(s: &str) -> usize {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").len()
}

/// How many links, headings and code elements are open at the end of `html`.
fn closed_at(html: &str) -> usize {
    let mut open = 0usize;
    for tag in html.split('<').skip(1) {
        let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if matches!(name.as_str(), "a" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "code" | "pre") {
            if tag.starts_with('/') { open = open.saturating_sub(1) } else { open += 1 }
        }
    }
    open
}

#[test]
fn render_with_text_on_a_body_too_deep_to_sanitize() {
    let md = format!("{}x{}\n\nafter", "<div>".repeat(600), "</div>".repeat(600));
    let opts = Options { unsafe_html: false };
    let (rendered, body) = render_with_text(&md, &opts);
    assert_eq!(rendered, render(&md, &opts));
    assert_eq!(collapsed(&body.text), plain_text(&md));
    assert_eq!(body.spans, None, "raw HTML: no spans");
}
