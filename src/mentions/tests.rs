use super::*;
use crate::registry::{parse_entities, Registries};
use std::path::Path;

fn regs() -> Registries {
    let entities = parse_entities(Path::new("entities.yaml"), include_str!("../../content/entities.yaml")).expect("registry parses");
    Registries::new(Vec::new(), entities)
}

fn pos(r: &Registries, id: &str) -> usize {
    r.entity_pos(id).unwrap_or_else(|| panic!("no entity {id}"))
}

fn found(r: &Registries, d: &Detector, lang: &str, text: &str, named: &[&str]) -> Vec<String> {
    let named: Vec<usize> = named.iter().map(|id| pos(r, id)).collect();
    let a = d.analyze(lang, &[text], &named);
    a.counts.iter().map(|(e, _)| r.entities[*e].id.clone()).collect()
}

#[test]
fn full_names_count_with_clitics_in_front() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    assert_eq!(found(&r, &d, "ar", "قد يكون لإيلون ماسك فيها دور", &[]), ["elon-musk"]);
    assert_eq!(found(&r, &d, "ar", "التقى دونالد ترامب وميلانيا ترامب", &[]), ["donald-trump", "melania-trump"]);
    assert_eq!(found(&r, &d, "ar", "عقود مع شركات “تسلا” و”سبيس إكس”.", &[]), ["tesla", "spacex"]);
    assert_eq!(found(&r, &d, "ar", "في ولاية فلوريدا، بالولايات المتحدة", &[]), ["florida", "united-states"]);
    assert_eq!(found(&r, &d, "en", "Elon Musk met Donald Trump in Florida.", &[]), ["elon-musk", "donald-trump", "florida"]);
}

/// A name's words with another word between them are not the name: the
/// word between is not handed to the match stream, and a gap stands there;
/// read afresh and through a worker's vocabulary (twice: the second time
/// from its memory of the pieces) alike.
#[test]
fn a_word_between_a_names_words_breaks_the_name() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    let mut vocab = reader::Vocab::default();
    for (lang, whole, split) in [("en", "Donald Trump spoke", "Donald John Trump spoke"), ("ar", "قال دونالد ترامب", "قال دونالد جون ترامب")] {
        assert_eq!(found(&r, &d, lang, whole, &[]), ["donald-trump"], "{whole}");
        assert!(found(&r, &d, lang, split, &[]).is_empty(), "{split}");
        for _ in 0..2 {
            assert_eq!(d.analyze_by(lang, &[whole], &[], &[], &mut vocab).counts, [(pos(&r, "donald-trump"), 1)], "{whole}");
            assert!(d.analyze_by(lang, &[split], &[], &[], &mut vocab).counts.is_empty(), "{split}");
        }
    }
}

#[test]
fn longest_match_wins() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    let a = d.analyze("ar", &["السيدة الأولى ميلانيا ترامب"], &[]);
    assert_eq!(a.counts, [(pos(&r, "melania-trump"), 1)]);
    let a = d.analyze("ar", &["سبيس إكس"], &[]);
    assert_eq!(a.counts, [(pos(&r, "spacex"), 1)]);
    let a = d.analyze("en", &["First Lady Melania Trump"], &[]);
    assert_eq!(a.counts, [(pos(&r, "melania-trump"), 1)]);
}

#[test]
fn one_word_aliases_need_the_full_name_or_the_front_matter() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    // "ماسك" is also the ordinary word "holding"
    assert!(found(&r, &d, "ar", "كان الرجل ماسك بيده عصا", &[]).is_empty());
    assert_eq!(found(&r, &d, "ar", "وقال ماسك إن", &["elon-musk"]), ["elon-musk"]);
    assert_eq!(found(&r, &d, "ar", "إيلون ماسك، ثم وصفه بـ“ماسك” لاحقًا ولماسك رأي", &[]), ["elon-musk"]);
    let a = d.analyze("ar", &["إيلون ماسك، ثم وصفه بـ“ماسك” لاحقًا ولماسك رأي"], &[]);
    assert_eq!(a.counts, [(pos(&r, "elon-musk"), 3)]);
    assert_eq!(a.mentions[1].verdict, Verdict::NameAppears);
    let a = d.analyze("ar", &["وتابع ماسك"], &[]);
    assert_eq!(a.mentions[0].verdict, Verdict::NotAllowed);
    assert!(a.counts.is_empty());
}

#[test]
fn a_capitalized_name_does_not_match_an_ordinary_word() {
    let r = regs();
    let d = Detector::new(&r, ["en"]);
    // "X" is a short name: it needs the front matter, and a capital
    assert!(found(&r, &d, "en", "X marks the spot on the x axis.", &[]).is_empty());
    assert_eq!(found(&r, &d, "en", "He posted on the “X” platform.", &["x-platform"]), ["x-platform"]);
    let a = d.analyze("en", &["the x axis"], &[pos(&r, "x-platform")]);
    assert_eq!(a.mentions[0].verdict, Verdict::CaseDiffers);
    assert!(found(&r, &d, "en", "a tesla coil and a musk ox", &["elon-musk", "tesla"]).is_empty());
    assert_eq!(found(&r, &d, "en", "Musk's Tesla", &["elon-musk"]), ["elon-musk", "tesla"]);
}

#[test]
fn clitics_are_read_only_in_front_of_a_name() {
    let r = regs();
    let d = Detector::new(&r, ["ar"]);
    // "دونالد وترامب" is not the name "دونالد ترامب"
    let a = d.analyze("ar", &["دونالد وترامب"], &[]);
    assert!(a.counts.is_empty());
}

#[test]
fn the_first_mention_in_text_is_linked() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    let musk = pos(&r, "elon-musk");
    let trump = pos(&r, "donald-trump");
    let html = "<h2>Elon Musk</h2>\n<p>Here <a href=\"/x\">Elon Musk</a> and <code>Elon Musk</code>, then Elon&nbsp;Musk met <em>Donald Trump</em>; Elon Musk again.</p>";
    let out = d.link_first("en", html, &[musk, trump], &[], &[musk, trump], |e| format!("/en/entities/{}/", r.entities[e].id));
    assert_eq!(out, "<h2>Elon Musk</h2>\n<p>Here <a href=\"/x\">Elon Musk</a> and <code>Elon Musk</code>, then <a class=\"mention\" href=\"/en/entities/elon-musk/\">Elon&nbsp;Musk</a> met <em><a class=\"mention\" href=\"/en/entities/donald-trump/\">Donald Trump</a></em>; Elon Musk again.</p>");
    // attributes are never touched, and a text with no mention is unchanged
    let html = "<p title=\"Elon Musk\">nothing</p>";
    assert_eq!(d.link_first("en", html, &[musk], &[], &[musk], |_| "/e/".into()), html);
}

#[test]
fn arabic_links_take_the_whole_word() {
    let r = regs();
    let d = Detector::new(&r, ["ar"]);
    let musk = pos(&r, "elon-musk");
    let out = d.link_first("ar", "<p>قد يكون لإيلون ماسك دور</p>", &[musk], &[], &[musk], |_| "/ar/entities/elon-musk/".into());
    assert_eq!(out, "<p>قد يكون <a class=\"mention\" href=\"/ar/entities/elon-musk/\">لإيلون ماسك</a> دور</p>");
}

/// A markdown body's links placed from its analysis (`None`: not placed),
/// then written in, and the body's HTML.
fn placed_links(r: &Registries, d: &Detector, lang: &str, md: &str) -> (Option<String>, String) {
    let (rendered, body) = crate::markdown::render_with_text(md, &crate::markdown::Options::default());
    let mut a = d.analyze(lang, &["", "", &body.text], &[]);
    a.place_links(2, &body.text, &rendered.html, body.spans.as_deref().expect("no raw HTML: spans"));
    let out = a.links.map(|links| {
        assert_eq!(links.html_len, rendered.html.len());
        splice(&rendered.html, &links.at, |e| format!("/{lang}/entities/{}/", r.entities[e].id))
    });
    (out, rendered.html)
}

#[test]
fn links_are_placed_on_whole_mentions_in_linkable_text() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    // not in a heading, a link or code; a line break inside a name and
    // escaped text before it keep their place
    let md = "## Elon Musk\n\n[Elon Musk](https://x.example/) and `Elon Musk`, AT&T <3 Elon\nMusk met **Donald Trump**; Elon Musk again.\n";
    let (placed, _) = placed_links(&r, &d, "en", md);
    assert_eq!(placed.as_deref(), Some("<h2 id=\"elon-musk\">Elon Musk</h2>\n<p><a href=\"https://x.example/\" rel=\"noopener noreferrer\">Elon Musk</a> and <code>Elon Musk</code>, AT&amp;T &lt;3 <a class=\"mention\" href=\"/en/entities/elon-musk/\">Elon\nMusk</a> met <strong><a class=\"mention\" href=\"/en/entities/donald-trump/\">Donald Trump</a></strong>; Elon Musk again.</p>\n"));
    // two links in one text node, escapes before, between and after them
    let (placed, _) = placed_links(&r, &d, "en", "AT&T: Elon Musk & co. > Donald Trump & co. > Elon Musk\n");
    assert_eq!(placed.as_deref(), Some("<p>AT&amp;T: <a class=\"mention\" href=\"/en/entities/elon-musk/\">Elon Musk</a> &amp; co. &gt; <a class=\"mention\" href=\"/en/entities/donald-trump/\">Donald Trump</a> &amp; co. &gt; Elon Musk</p>\n"));
    let (placed, _) = placed_links(&r, &d, "ar", "قال دونالد ترامب لإيلون ماسك\n");
    assert_eq!(placed.as_deref(), Some("<p>قال <a class=\"mention\" href=\"/ar/entities/donald-trump/\">دونالد ترامب</a> <a class=\"mention\" href=\"/ar/entities/elon-musk/\">لإيلون ماسك</a></p>\n"));
}

#[test]
fn a_name_split_by_markup_leaves_the_links_to_the_html_pass() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    let (musk, trump) = (pos(&r, "elon-musk"), pos(&r, "donald-trump"));
    // split by emphasis, or by a link's end: the pass over the HTML's text
    // nodes links what it finds in them, as it does for raw HTML
    for (lang, md, e) in [("en", "Elon *Musk* spoke; Elon Musk again.\n", musk), ("ar", "قال [الرئيس دونالد](/x) ترامب إن دونالد ترامب\n", trump)] {
        let (placed, html) = placed_links(&r, &d, lang, md);
        assert_eq!(placed, None, "{md}");
        let out = d.link_first(lang, &html, &[e], &[], &[e], |_| "/e/".into());
        assert_eq!(out.matches("class=\"mention\"").count(), 1, "{out}");
    }
}

#[test]
fn a_body_whose_text_moved_is_linked_by_reading_its_html() {
    let r = regs();
    let d = Detector::new(&r, ["en"]);
    // raw HTML: no spans, so no placed links; the HTML is read instead
    let (rendered, body) = crate::markdown::render_with_text("Elon Musk <b>spoke</b>\n", &crate::markdown::Options::default());
    assert!(body.spans.is_none());
    let musk = pos(&r, "elon-musk");
    let out = d.link_first("en", &rendered.html, &[musk], &[], &[musk], |_| "/e/".into());
    assert!(out.starts_with("<p><a class=\"mention\" href=\"/e/\">Elon Musk</a> <b>spoke</b>"), "{out}");
}

#[test]
fn known_words_pass_the_bit_table_and_others_mostly_do_not() {
    let words: Vec<String> = ["ماسك", "ترامب", "musk", "x", "تسلا", "سبيس", "اكس"].iter().map(|w| w.to_string()).collect();
    let known = Known::new(words.iter().cloned().collect());
    assert!(words.iter().all(|w| known.contains(w)));
    let others = ["ماسكا", "قال", "the", "", "xx", "ترامبي", "وماسك"];
    assert!(others.iter().all(|w| !known.contains(w)));
    let text = "قال الرئيس في بيان صدر اليوم إن المحادثات مستمرة مع الجانب الآخر بشأن الاتفاق الجديد the said and of to in";
    let passed = text.split(' ').filter(|w| {
        let h = quick_hash(w);
        known.bits[h / 64] & (1 << (h % 64)) != 0
    }).count();
    assert!(passed <= 2, "{passed} ordinary words passed the bit table");
}

/// The body's words handed on by the mention pass are those a reading of
/// the body alone finds, with the same counts, in every language (one
/// without names to detect included).
#[test]
fn the_mention_pass_hands_on_every_body_word() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    let sorted = |b: &crate::search::BodyWords| {
        let mut v: Vec<(String, u32, u8)> = b.iter().map(|(w, n, f)| (w.to_string(), n, f)).collect();
        v.sort();
        v
    };
    for (lang, body) in [("ar", "قال إيلون ماسك: إن «تسلا» وتسلا و تسلا، ماسك."), ("en", "Elon Musk said Musk's Tesla, tesla and TESLA."), ("fr", "Elon Musk a dit « oui » oui.")] {
        let mut words: Vec<String> = Vec::new();
        d.analyze_reading(lang, &["a title", "", body], &[], &mut |w| words.push(w.to_string()));
        let mut tally = crate::search::Tally::default();
        for w in &words {
            let (id, _) = tally.id(w);
            tally.count(id);
        }
        let shared = tally.finish();
        assert_eq!(sorted(&shared), sorted(&crate::search::BodyWords::of(body)), "{lang}");
        assert!(shared.iter().count() > 3);
    }
}

/// One worker's vocabularies, kept from article to article, find what a
/// fresh reading of each article finds, and count each body on its own:
/// readings worked out for an earlier text (clitics included) are reused,
/// and a title's and a summary's words are read and marked as theirs,
/// never counted.
#[test]
fn a_kept_vocabulary_reads_each_article_as_a_fresh_reading_does() {
    let r = regs();
    let d = Detector::new(&r, ["ar", "en"]);
    let articles = [
        ("ar", "ماسك وتسلا", "قال إيلون ماسك: إن «تسلا» وتسلا و تسلا، ماسك."),
        ("en", "Musk", "Elon Musk said Musk's Tesla, tesla and TESLA."),
        ("ar", "تسلا", "وتسلا لإيلون ماسك ثم ماسك وماسك قال."),
        ("fr", "oui", "Elon Musk a dit « oui » oui."),
        ("ar", "خبر", "قال ماسك وتسلا."),
        ("en", "Tesla", "Musk: Tesla, Musk."),
    ];
    let seen = |a: &Analysis| {
        let mentions: Vec<(usize, usize, usize, usize, Verdict)> = a.mentions.iter().map(|m| (m.field, m.start, m.end, m.entity, m.verdict)).collect();
        format!("{:?} {:?} {mentions:?}", a.counts, a.licensed)
    };
    let mut vocabs = Vocabs::default();
    let (t, s) = (crate::search::TITLE, crate::search::SUMMARY);
    for (k, (lang, title, body)) in articles.into_iter().enumerate() {
        // every other article has a summary, of words of its title and body
        let summary = if k % 2 == 0 { "" } else { "Tesla: ماسك، وتسلا" };
        let texts = [title, summary, body];
        let vocab = vocabs.0.entry(lang.to_string()).or_default();
        let kept = d.analyze_by(lang, &texts, &[], &[t, s], vocab);
        let (words, count) = vocab.finish();
        assert_eq!(count, crate::markdown::count_words(body), "{lang}: {body}");
        assert_eq!(seen(&kept), seen(&d.analyze(lang, &texts, &[])), "{lang}: {body}");
        assert!(!kept.mentions.is_empty() || lang == "fr", "{lang}: {body}");
        assert_eq!(words, crate::search::BodyWords::of_fields(&[(title, t), (summary, s)], body), "{lang}: {body}");
    }
    assert_eq!(vocabs.0.len(), 3);
}

use proptest::prelude::*;

proptest! {
    /// The mention pass counts a body's words as `markdown::count_words`
    /// does (piece by piece, each piece counted once), in a language with
    /// names and one without, for texts of words, punctuation alone, white
    /// space of every kind and combining marks after white space.
    #[test]
    fn the_mention_pass_counts_words_as_the_renderer_would(bodies in proptest::collection::vec(
        proptest::collection::vec(proptest::sample::select(vec![
            "Musk", "ماسك", "وتسلا", "x", "7", " ", "  ", "\n", "\t", "\u{A0}", "\u{2009}", "\u{3000}",
            "-", "—", "«", "»", ",", "\u{0301}", "\u{0651}", "é", "ـ",
        ]), 0..20).prop_map(|p| p.concat()), 1..5)) {
        let r = regs();
        let d = Detector::new(&r, ["en"]);
        let mut vocabs = Vocabs::default();
        for body in &bodies {
            for lang in ["en", "fr"] {
                let vocab = vocabs.0.entry(lang.to_string()).or_default();
                d.analyze_by(lang, &["a title", body], &[], &[crate::search::TITLE], vocab);
                let (_, count) = vocab.finish();
                prop_assert_eq!(count, crate::markdown::count_words(body), "{}: {:?}", lang, body);
            }
        }
    }
}
