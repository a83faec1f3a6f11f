//! Never panic: arbitrary bytes as an article file and arbitrary YAML-ish
//! front matter go through load (decode, split, parse, resolve) and markdown
//! rendering; any input must give an article or diagnostics, never a panic.
//! Inputs that once crashed are kept below as regression cases.

use nashra::content::{decode_text, frontmatter::parse_article};
use nashra::markdown::{render, Options};
use nashra::registry::{parse_entities, parse_topics, Registries};
use proptest::prelude::*;
use std::path::Path;

fn registries() -> Registries {
    let p = Path::new("x.yaml");
    let topics = parse_topics(p, "politics: { ar: \"سياسة\", en: \"Politics\" }\n").unwrap();
    let entities = parse_entities(p, "elon-musk:\n  kind: person\n  names: { ar: \"إيلون ماسك\", en: \"Elon Musk\" }\n  aliases: { ar: [\"ماسك\"] }\n").unwrap();
    Registries::new(topics, entities)
}

/// Load one file's bytes the way a build does, then render what parsed.
fn load_and_render(bytes: Vec<u8>, regs: &Registries) {
    let path = Path::new("content/ar/x.md");
    let Ok(text) = decode_text(path, bytes) else { return };
    let (article, diags) = parse_article(path, "ar", "x", &text, regs);
    for d in &diags {
        let _ = d.to_string();
    }
    if let Some(a) = article {
        for unsafe_html in [false, true] {
            let r = render(&a.body, &Options { unsafe_html });
            if !unsafe_html {
                assert!(!r.html.to_ascii_lowercase().contains("<script"), "{:?}", a.body);
            }
        }
    }
}

/// Pieces a front-matter line may be made of, to reach deep into the parser.
fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title: ".to_string()),
        Just("date: ".to_string()),
        Just("updated: ".to_string()),
        Just("topics: ".to_string()),
        Just("entities: ".to_string()),
        Just("slug: ".to_string()),
        Just("draft: ".to_string()),
        Just("image: ".to_string()),
        Just("2026-01-04T21:30:00+03:00".to_string()),
        Just("2025-02-30".to_string()),
        Just("[politics, \"ماسك\"]".to_string()),
        Just("{ a: [b, {c: d}] }".to_string()),
        Just("\"quoted \\u0000 \\\" text\"".to_string()),
        Just("&anchor *anchor !!binary |\n  x".to_string()),
        Just("- item".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just(": ".to_string()),
        Just("---".to_string()),
        "[\\PC]{0,12}",
    ]
}

fn fuzz_cases() -> u32 {
    std::env::var("NASHRA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(384)
}

proptest! {
    // CI runs 384 cases a property; `NASHRA_FUZZ_CASES=100000 cargo test --release
    // --test never_panic` runs a longer session.
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        load_and_render(bytes, &registries());
    }

    #[test]
    fn arbitrary_front_matter_never_panics(pieces in proptest::collection::vec(yaml_piece(), 0..40), body in "[\\PC\\n]{0,300}") {
        let text = format!("---\n{}\n---\n{body}", pieces.concat());
        load_and_render(text.into_bytes(), &registries());
    }

    #[test]
    fn arbitrary_markdown_never_panics(body in "([<>\\[\\]()*_`#>|~!:\\\\ \\n-]|[a-z]|عربي|<script>|<img src=x onerror=y>){0,200}") {
        let text = format!("---\ntitle: x\ndate: 2025-01-01\n---\n{body}");
        load_and_render(text.into_bytes(), &registries());
    }
}

#[test]
fn regressions() {
    // inputs kept from earlier fuzzing runs and bug reports
    let cases: &[&[u8]] = &[
        b"",
        b"---",
        b"---\n",
        b"---\n---",
        b"\xEF\xBB\xBF---\r\n---\r\n",
        b"---\ntitle: [\n---\n",
        b"---\n: \n---\n",
        b"---\ntitle: x\ndate: 2025-01-01\nslug: \"\\0\"\n---\n",
        b"---\ntitle: x\ndate: 9999999-01-01\n---\n",
        b"---\ntitle: x\ndate: 2025-01-01T25:61:61+99:99\n---\n",
        b"---\n\xff\xfe\n---\n",
        b"---\ntitle: x\ndate: 2025-01-01\n---\n<script>alert(1)</script>\n\n<div><div><div>",
    ];
    let regs = registries();
    for c in cases {
        load_and_render(c.to_vec(), &regs);
    }
}
