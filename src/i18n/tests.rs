//! Tests of the i18n module: CLDR plurals (the fluent-bundle Arabic bug), numerals,
//! dates, fallback and overrides, diagnostics, and the shipped `.ftl` files.

use super::*;
use chrono::NaiveDate;
use std::path::Path;

fn spec(code: &str, numerals: Option<&str>) -> LangSpec {
    LangSpec { code: code.to_string(), numerals: numerals.map(str::to_string) }
}

type Built = Result<(I18n, Vec<Diagnostic>), Vec<Diagnostic>>;

/// `sources`: (lang, path, text) in override order.
fn build(langs: &[LangSpec], default: &str, sources: &[(&str, &str, &str)]) -> Built {
    let mut map: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    for (lang, path, text) in sources {
        map.entry(lang.to_string()).or_default().push((PathBuf::from(path), text.to_string()));
    }
    I18n::new(langs, default, &map)
}

fn ok(built: Built) -> I18n {
    match built {
        Ok((i, _)) => i,
        Err(e) => panic!("unexpected errors: {e:#?}"),
    }
}

/// The shipped files, Arabic with the given numerals.
fn real(ar_numerals: Option<&str>) -> I18n {
    let langs = [spec("ar", ar_numerals), spec("en", None)];
    ok(build(
        &langs,
        "ar",
        &[("ar", "<embedded>/ar.ftl", EMBEDDED_AR), ("en", "<embedded>/en.ftl", EMBEDDED_EN)],
    ))
}

fn n(name: &str, v: i64) -> (&str, Arg) {
    (name, Arg::Num(v))
}

const CLDR_AR: &[(u64, &str)] = &[
    (0, "zero"),
    (1, "one"),
    (2, "two"),
    (3, "few"),
    (10, "few"),
    (11, "many"),
    (99, "many"),
    (100, "other"),
    (102, "other"),
    (103, "few"),
    (111, "many"),
    (1011, "many"),
];

#[test]
fn arabic_plural_categories_follow_cldr() {
    let i = real(Some("arab"));
    for (num, cat) in CLDR_AR {
        assert_eq!(i.plural_category("ar", *num), *cat, "n = {num}");
    }
    for (num, cat) in [(0, "other"), (1, "one"), (2, "other"), (101, "other")] {
        assert_eq!(i.plural_category("en", num), cat, "en n = {num}");
    }
}

#[test]
fn arabic_article_count_selects_cldr_variant_with_arabic_digits() {
    let i = real(Some("arab"));
    let expected = [
        (0, "لا توجد مقالات"),
        (1, "مقال واحد"),
        (2, "مقالان"),
        (3, "٣ مقالات"),
        (10, "١٠ مقالات"),
        (11, "١١ مقالًا"),
        (99, "٩٩ مقالًا"),
        (100, "١٠٠ مقال"),
        (102, "١٠٢ مقال"),
        (103, "١٠٣ مقالات"),
        (111, "١١١ مقالًا"),
        (1011, "١٬٠١١ مقالًا"),
    ];
    for (num, text) in expected {
        assert_eq!(
            i.t("ar", "article-count", &[n("count", num)]).as_deref(),
            Ok(text),
            "n = {num}"
        );
    }
    // Without `numerals: arab`, `ar` writes Latin digits; the variants are the same.
    let latn = real(None);
    assert_eq!(latn.t("ar", "article-count", &[n("count", 1011)]).as_deref(), Ok("1,011 مقالًا"));
    assert_eq!(latn.t("ar", "article-count", &[n("count", 103)]).as_deref(), Ok("103 مقالات"));
}

#[test]
fn english_counts_and_exact_keys() {
    let i = real(Some("arab"));
    let expected =
        [(0, "No articles"), (1, "1 article"), (2, "2 articles"), (1234, "1,234 articles")];
    for (num, text) in expected {
        assert_eq!(i.t("en", "article-count", &[n("count", num)]).as_deref(), Ok(text));
    }
    assert_eq!(
        i.t("en", "reading-time", &[n("minutes", 0)]).as_deref(),
        Ok("Less than a minute to read")
    );
    assert_eq!(i.t("en", "reading-time", &[n("minutes", 1)]).as_deref(), Ok("1 minute to read"));
    assert_eq!(i.t("en", "reading-time", &[n("minutes", 7)]).as_deref(), Ok("7 minutes to read"));
}

#[test]
fn arabic_reading_time() {
    let i = real(Some("arab"));
    let expected = [
        (0, "أقل من دقيقة قراءة"),
        (1, "دقيقة قراءة واحدة"),
        (2, "دقيقتا قراءة"),
        (3, "٣ دقائق قراءة"),
        (11, "١١ دقيقة قراءة"),
        (100, "١٠٠ دقيقة قراءة"),
    ];
    for (num, text) in expected {
        assert_eq!(i.t("ar", "reading-time", &[n("minutes", num)]).as_deref(), Ok(text));
    }
}

#[test]
fn exact_numeric_keys_match_before_categories() {
    let ftl = "x = { $n ->\n    [1] exactly one\n    [11] eleven\n    [one] cat-one\n    \
               [many] cat-many\n   *[other] other { $n }\n}\n";
    let i = ok(build(&[spec("ar", Some("arab"))], "ar", &[("ar", "x.ftl", ftl)]));
    assert_eq!(i.t("ar", "x", &[n("n", 1)]).as_deref(), Ok("exactly one"));
    assert_eq!(i.t("ar", "x", &[n("n", 11)]).as_deref(), Ok("eleven"));
    assert_eq!(i.t("ar", "x", &[n("n", 12)]).as_deref(), Ok("cat-many"));
    assert_eq!(i.t("ar", "x", &[n("n", 100)]).as_deref(), Ok("other ١٠٠"));
}

#[test]
fn number_function_ordinals_literals_and_string_selectors() {
    let ftl = "\
ord = { NUMBER($n, type: \"ordinal\") ->
    [one] { NUMBER($n) }st
    [two] { $n }nd
    [few] { $n }rd
   *[other] { $n }th
}
lit = { 3 ->
    [few] few
   *[other] other
}
kind = { $kind ->
    [person] P
   *[other] O
}
a = { $count ->
    [one] one
   *[other] many
}
b = Result: { a }
";
    let i = ok(build(&[spec("en", None)], "en", &[("en", "x.ftl", ftl)]));
    for (num, text) in [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (21, "21st"),
        (102, "102nd"),
        (111, "111th"),
    ] {
        assert_eq!(i.t("en", "ord", &[n("n", num)]).as_deref(), Ok(text));
    }
    assert_eq!(i.t("en", "lit", &[]).as_deref(), Ok("other"));
    assert_eq!(i.t("en", "kind", &[("kind", Arg::from("person"))]).as_deref(), Ok("P"));
    assert_eq!(i.t("en", "kind", &[("kind", Arg::from("nashra-exact-0"))]).as_deref(), Ok("O"));
    assert_eq!(i.t("en", "b", &[n("count", 1)]).as_deref(), Ok("Result: one"));
    assert_eq!(i.t("en", "b", &[n("count", 5)]).as_deref(), Ok("Result: many"));
    let ar = ok(build(&[spec("ar", None)], "ar", &[("ar", "x.ftl", ftl)]));
    assert_eq!(ar.t("ar", "lit", &[]).as_deref(), Ok("few"));
}

#[test]
fn numbers_use_the_language_numerals() {
    let i = real(Some("arab"));
    assert_eq!(i.format_number("ar", 1_234_567), "١٬٢٣٤٬٥٦٧");
    assert_eq!(i.format_number("en", 1_234_567), "1,234,567");
    assert_eq!(real(None).format_number("ar", 1_234_567), "1,234,567");
    assert_eq!(real(Some("latn")).format_number("ar", 42), "42");
    // An unknown language uses the default language's numerals, without panicking.
    assert_eq!(i.format_number("xx", 7), "٧");
}

#[test]
fn long_dates() {
    let date = NaiveDate::from_ymd_opt(2026, 1, 4).expect("valid date");
    let i = real(Some("arab"));
    assert_eq!(i.format_date("ar", date).as_deref(), Ok("٤ يناير ٢٠٢٦"));
    assert_eq!(i.format_date("en", date).as_deref(), Ok("4 January 2026"));
    assert_eq!(real(None).format_date("ar", date).as_deref(), Ok("4 يناير 2026"));
    let dec = NaiveDate::from_ymd_opt(1999, 12, 31).expect("valid date");
    assert_eq!(i.format_date("ar", dec).as_deref(), Ok("٣١ ديسمبر ١٩٩٩"));
}

#[test]
fn no_isolation_marks() {
    let i = real(Some("arab"));
    let out = i.t("en", "byline", &[("author", Arg::from("نورة"))]).unwrap_or_default();
    assert_eq!(out, "By نورة");
    let out = i.t("ar", "pagination-page", &[n("page", 2), n("total", 12)]).unwrap_or_default();
    assert_eq!(out, "الصفحة ٢ من ١٢");
    assert!(!out.contains(['\u{2068}', '\u{2069}']));
}

#[test]
fn fallback_override_and_errors() {
    let langs = [spec("ar", None), spec("en", None)];
    let site_en = "only-ar = overridden in English\nbyline = Written by { $author }\n";
    let i = ok(build(
        &langs,
        "ar",
        &[
            ("ar", "a.ftl", "only-ar = عربي\nbyline = بقلم { $author }\n"),
            ("en", "e.ftl", "byline = By { $author }\n"),
            ("en", "site/en.ftl", site_en),
        ],
    ));
    assert_eq!(i.t("en", "byline", &[("author", Arg::from("X"))]).as_deref(), Ok("Written by X"));
    assert_eq!(i.t("en", "only-ar", &[]).as_deref(), Ok("overridden in English"));
    let partial =
        ok(build(&langs, "ar", &[("ar", "a.ftl", "only-ar = عربي\n"), ("en", "e.ftl", "x = y\n")]));
    assert_eq!(partial.t("en", "only-ar", &[]).as_deref(), Ok("عربي"));
    assert!(partial.has_message("ar", "only-ar") && !partial.has_message("en", "only-ar"));
    assert_eq!(partial.missing_ids("en", &["only-ar", "x"]), vec!["only-ar".to_string()]);
    assert!(partial.t("en", "nowhere", &[]).unwrap_err().contains("nowhere"));
    assert!(partial.t("fr", "x", &[]).unwrap_err().contains("unknown language"));
    let real = real(None);
    assert!(real.t("en", "byline", &[]).unwrap_err().contains("$author"));
    let err = real.t("ar", "article-count", &[]).unwrap_err();
    assert!(err.contains("$count") && !err.contains("nashra"), "{err}");
}

#[test]
fn attributes_and_terms() {
    let ftl = "-t = { $n ->\n    [one] single\n   *[other] plural\n}\n\
               m = { -t(n: 1) }\n    .title = Title { $x }\n";
    // `xx` has no plural rules in intl_pluralrules: this must not panic.
    let i = ok(build(&[spec("xx", None)], "xx", &[("xx", "x.ftl", ftl)]));
    assert_eq!(i.t("xx", "m", &[]).as_deref(), Ok("plural"));
    assert_eq!(i.t("xx", "m.title", &[("x", Arg::from(3))]).as_deref(), Ok("Title 3"));
    assert!(i.has_message("xx", "m.title") && !i.has_message("xx", "m.nope"));
}

#[test]
fn rewritten_resources_keep_text_exactly() {
    let ftl = "ml =\n    first\n      indented { $n }\n    last\nlit = { \"[\" }x{ \"}\" } .dot\n\
               sel = { $n ->\n    [one] a\n       b\n   *[other] {\"*\"}c\n}\n";
    let i = ok(build(&[spec("en", None)], "en", &[("en", "x.ftl", ftl)]));
    assert_eq!(i.t("en", "ml", &[n("n", 5)]).as_deref(), Ok("first\n  indented 5\nlast"));
    assert_eq!(i.t("en", "lit", &[]).as_deref(), Ok("[x} .dot"));
    assert_eq!(i.t("en", "sel", &[n("n", 1)]).as_deref(), Ok("a\nb"));
    assert_eq!(i.t("en", "sel", &[n("n", 2)]).as_deref(), Ok("*c"));
}

#[test]
fn syntax_errors_are_all_reported_with_positions() {
    let bad_ar = "good = ok\nbroken = { $count ->\n    [one] x\n}\nalso bad\n";
    let bad_en = "fine = ok\n= no id\n";
    let langs = [spec("ar", None), spec("en", None)];
    let errs = build(&langs, "ar", &[("ar", "i18n/ar.ftl", bad_ar), ("en", "i18n/en.ftl", bad_en)])
        .unwrap_err();
    assert!(errs.len() >= 3, "{errs:#?}");
    assert!(errs.iter().all(|d| d.is_error()
        && d.line > 0
        && d.col > 0
        && d.source_line.is_some()
        && d.hint.is_some()));
    let ar: Vec<_> = errs.iter().filter(|d| d.path == Path::new("i18n/ar.ftl")).collect();
    assert!(ar.iter().any(|d| d.line == 4 && d.message.contains("default variant")), "{ar:#?}");
    assert!(ar.iter().any(|d| d.line == 5), "{ar:#?}");
    assert!(errs.iter().any(|d| d.path == Path::new("i18n/en.ftl") && d.line == 2));
    assert!(errs[0].to_string().starts_with("i18n/ar.ftl:"), "{}", errs[0]);
}

#[test]
fn configuration_errors_and_warnings() {
    let errs = build(&[spec("not a code!", None)], "ar", &[]).unwrap_err();
    assert!(errs.iter().any(|d| d.message.contains("not a valid language code")));
    assert!(errs.iter().any(|d| d.message.contains("default language `ar`")));
    let errs = build(&[spec("ar", Some("no good"))], "ar", &[]).unwrap_err();
    assert!(errs[0].message.contains("numbering system"), "{errs:#?}");
    let dup = "x = one\ny = y\nx = two\n";
    let (i, warnings) =
        build(&[spec("en", None)], "en", &[("en", "d.ftl", dup), ("fr", "fr.ftl", "x = un\n")])
            .expect("builds");
    assert_eq!(i.t("en", "x", &[]).as_deref(), Ok("two"));
    assert!(
        warnings.iter().any(|w| w.line == 3 && w.message.contains("more than once")),
        "{warnings:#?}"
    );
    assert!(warnings.iter().any(|w| w.path == Path::new("fr.ftl")), "{warnings:#?}");
    // A language without any .ftl falls back to the default for every message.
    let (i, _) = build(&[spec("en", None), spec("de", None)], "en", &[("en", "e.ftl", "x = y\n")])
        .expect("builds");
    assert_eq!(i.t("de", "x", &[]).as_deref(), Ok("y"));
    assert_eq!(i.missing_ids("de", &["x"]), vec!["x".to_string()]);
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!("x = {}{}\n", "{".repeat(10_000), "}".repeat(10_000));
    let calls = format!("y = {{ {}$a{} }}\n", "F(".repeat(5_000), ")".repeat(5_000));
    let garbage = "\u{0}\u{FEFF}{{{ -> [ *[\n.x =\n-\n\"\\u{ZZ\n";
    for text in [deep.as_str(), calls.as_str(), garbage, "", "x = { $n -> *[other] a }\n"] {
        let _ = build(&[spec("ar", Some("arab"))], "ar", &[("ar", "h.ftl", text)]);
    }
    let errs = build(&[spec("ar", None)], "ar", &[("ar", "h.ftl", &deep)]).unwrap_err();
    assert!(errs[0].message.contains("nested"), "{errs:#?}");
    let i = real(Some("arab"));
    assert!(!i.format_number("ar", i64::MIN).is_empty());
    let _ = i.t("ar", "article-count", &[n("count", i64::MIN)]);
    let _ = i.t("ar", "article-count", &[("count", Arg::from("3"))]);
}

#[test]
fn text_direction_defaults() {
    for code in [
        "ar", "ar-EG", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "ckb-IQ", "az-Arab",
        "AR_sa",
    ] {
        assert_eq!(default_dir(code), "rtl", "{code}");
    }
    for code in ["en", "en-GB", "fr", "tr", "sd-Deva", "", "arn", "-"] {
        assert_eq!(default_dir(code), "ltr", "{code}");
    }
}

#[test]
fn shipped_files_define_every_required_id_and_format_cleanly() {
    let i = real(Some("arab"));
    let date = Arg::from("٤ يناير ٢٠٢٦");
    let args = [
        ("language", Arg::from("English")),
        ("date", date),
        ("author", Arg::from("X")),
        ("minutes", Arg::Num(3)),
        ("count", Arg::Num(3)),
        ("page", Arg::Num(1)),
        ("total", Arg::Num(2)),
        ("day", Arg::Num(4)),
        ("month", Arg::from("يناير")),
        ("year", Arg::from("٢٠٢٦")),
        ("query", Arg::from("ماسك")),
    ];
    for lang in ["ar", "en"] {
        assert_eq!(i.missing_ids(lang, REQUIRED_IDS), Vec::<String>::new(), "{lang}");
        for id in REQUIRED_IDS {
            let out = i.t(lang, id, &args);
            assert!(out.as_ref().is_ok_and(|s| !s.trim().is_empty()), "{lang} {id}: {out:?}");
        }
    }
    assert_eq!(embedded_ftl("ar"), Some(EMBEDDED_AR));
    assert_eq!(embedded_ftl("fr"), None);
}

#[test]
fn required_ids_match_docs_themes_md() {
    let doc = include_str!("../../docs/themes.md");
    let Some(start) = doc.find("## Message ids the default theme uses") else { return };
    let block = doc[start..].split("```").nth(1).unwrap_or_default();
    let mut ids: Vec<String> = Vec::new();
    for word in block.split([',', '\n', ' ', '…']).map(str::trim) {
        if word.contains('-')
            && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            ids.push(word.to_string());
        }
    }
    assert!(ids.len() > 30, "could not read the id list: {ids:?}");
    for id in &ids {
        assert!(
            REQUIRED_IDS.contains(&id.as_str()),
            "docs/themes.md lists `{id}`, REQUIRED_IDS does not"
        );
    }
}

/// `plain_messages` (a template's `ui`): the messages that need no
/// variables, the language's own or else the default language's; not those
/// taking variables, nor ids holding `_` (which `ui` could not tell from
/// the same id written with `-`).
#[test]
fn plain_messages_are_the_messages_without_variables() {
    let langs = [spec("ar", None), spec("en", None)];
    let i = ok(build(&langs, "ar", &[
        ("ar", "ar.ftl", "nav-home = الرئيسية\nonly-ar = عربي\nbyline = بقلم { $author }\nnav_home = تحت\n"),
        ("en", "en.ftl", "nav-home = Home\nbyline = By { $author }\ncount = { $n ->\n [one] one\n *[other] many\n}\n"),
    ]));
    assert_eq!(i.plain_messages("en"), vec![
        ("nav-home".to_string(), "Home".to_string()),
        ("only-ar".to_string(), "عربي".to_string()),
    ]);
    assert_eq!(i.plain_messages("ar"), vec![
        ("nav-home".to_string(), "الرئيسية".to_string()),
        ("only-ar".to_string(), "عربي".to_string()),
    ]);
}

#[test]
fn formatted_messages_kept_are_the_messages_formatted_afresh() {
    let i = real(Some("arab"));
    // a number and the same digits as text: plural forms differ in Arabic
    let three = i.t("ar", "reading-time", &[n("minutes", 3)]).unwrap();
    assert_eq!(three, "٣ دقائق قراءة");
    assert_eq!(i.t("ar", "reading-time", &[("minutes", Arg::Str("3".into()))]).unwrap(), "3 دقيقة قراءة");
    assert_eq!(i.t("ar", "reading-time", &[n("minutes", 3)]).unwrap(), three);
    for _ in 0..2 {
        for (lang, minutes) in [("ar", 1), ("ar", 11), ("en", 1), ("en", 5)] {
            assert_eq!(i.t(lang, "reading-time", &[n("minutes", minutes)]), i.provider(lang, "reading-time").unwrap().format("reading-time", &[n("minutes", minutes)]));
        }
        for date in [NaiveDate::from_ymd_opt(2025, 3, 9).unwrap(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()] {
            for lang in ["ar", "en"] {
                assert_eq!(i.format_date(lang, date), i.format_date_afresh(lang, date));
            }
        }
    }
    // arguments in any order make one key; a text's length keeps lists apart
    assert_eq!(memo_key("en", "m", &[n("a", 1), n("b", 2)]), memo_key("en", "m", &[n("b", 2), n("a", 1)]));
    assert_ne!(memo_key("en", "m", &[("a", Arg::Str("1".into()))]), memo_key("en", "m", &[n("a", 1)]));
    assert_ne!(memo_key("en", "m", &[("a", Arg::Str("x1:by".into()))]), memo_key("en", "m", &[("a", Arg::Str("x".into())), ("b", Arg::Str("y".into()))]));
}

