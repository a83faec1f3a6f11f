//! Arabic plural categories on real pages: topic pages whose counts are 0, 1,
//! 2, 3, 11 and 100 show six different forms of the count phrase.

mod common;
use common::*;

#[test]
fn six_arabic_plural_forms_on_topic_pages() {
    let s = Site::copy("basic");
    // topic `c<n>` gets n Arabic articles; `c0` has only an English one
    let counts = [1usize, 2, 3, 11, 100];
    let mut topics = String::new();
    for n in [0usize, 1, 2, 3, 11, 100] {
        topics.push_str(&format!("c{n}: {{ ar: \"موضوع {n}\", en: \"Topic {n}\" }}\n"));
    }
    s.write("content/topics.yaml", &format!("{}{topics}", s.read("content/topics.yaml")));
    for n in counts {
        for k in 0..n {
            s.write(&format!("content/ar/c{n}-{k}.md"), &format!("---\ntitle: \"مقال {k}\"\ndate: 2024-03-{:02}\ntopics: [c{n}]\n---\n\nنص.\n", k % 28 + 1));
        }
    }
    s.write("content/en/c0-only.md", "---\ntitle: \"English only\"\ndate: 2024-03-01\ntopics: [c0]\n---\n\nText.\n");
    s.build_ok();

    let mut forms = Vec::new();
    for n in [0usize, 1, 2, 3, 11, 100] {
        let doc = s.page(&format!("ar/topics/c{n}/"));
        let h1 = texts(&doc, "h1");
        assert_eq!(h1, vec![format!("موضوع {n}")]);
        let count = texts(&doc, ".count");
        assert_eq!(count.len(), 1, "c{n}: {count:?}");
        forms.push(count[0].clone());
    }
    // each form is distinct, and the numbers that appear are Arabic-Indic
    let mut distinct = forms.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 6, "{forms:?}");
    assert!(forms[3].contains("٣"), "{forms:?}");
    assert!(forms[4].contains("١١"), "{forms:?}");
    assert!(forms[5].contains("١٠٠"), "{forms:?}");
    assert!(!forms.iter().any(|f| f.contains('\u{2068}') || f.contains('\u{2069}')), "no isolation marks");

    // the English pages use one/other
    let en1 = texts(&s.page("en/topics/c1/"), ".count");
    let en0 = texts(&s.page("en/topics/c0/"), ".count");
    assert_ne!(en1, en0);
    // pagination of the 100-article topic: 50 pages of 2 (the fixture's `paginate`),
    // page numbers in Arabic-Indic digits
    let p50 = s.page("ar/topics/c100/page/50/");
    assert_eq!(texts(&p50, ".card-title").len(), 2);
    assert!(!s.exists("ar/topics/c100/page/51/index.html"));
    assert_eq!(texts(&p50, ".pagination [aria-current=page]"), vec!["٥٠"]);
}
