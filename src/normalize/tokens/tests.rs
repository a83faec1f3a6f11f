//! Tests of the tokenizer's tables and fast paths against its general path.

use super::*;

/// An ASCII word character folds to its lowercase: `ascii_word` copies
/// runs of them and lowercases them in place.
#[test]
fn ascii_word_characters_fold_to_their_lowercase() {
    let ascii = ascii_table();
    for b in 0..128u8 {
        let folded = ascii[b as usize];
        assert!(folded == 0 || folded == b.to_ascii_lowercase(), "{b}: {folded}");
    }
    assert_eq!(ascii[b'Q' as usize], b'q');
    assert_eq!(ascii[b'7' as usize], b'7');
    let mut words = Vec::new();
    scan("Elon MUSK's x2 café", |w| words.push(w.text.to_string()));
    assert_eq!(words, ["elon", "musk", "s", "x2", "café"]);
}

/// The table gives what the general path gives, for every character it covers.
#[test]
fn quick_table_agrees_with_the_general_path() {
    for u in 0..TABLE_END {
        let Some(c) = char::from_u32(u) else { continue };
        let s = c.to_string();
        let mut general: Vec<String> = Vec::new();
        let mut cur = String::new();
        each_output(&s, |ch, w| {
            if w {
                cur.push(ch);
            } else if !cur.is_empty() {
                general.push(std::mem::take(&mut cur));
            }
        });
        if !cur.is_empty() {
            general.push(cur);
        }
        let fast: Vec<String> = tokens(&s).into_iter().map(|t| t.text).collect();
        assert_eq!(fast, general, "U+{u:04X}");
    }
}

/// The words of `text` taken the slow way: every segment (a character and
/// the combining marks after it) through the general path.
fn reference(text: &str) -> Vec<(String, usize, usize, bool)> {
    reference_with_origins(text).into_iter().map(|(w, _)| w).collect()
}

/// [`reference`], with each word's origins (per byte of its text).
fn reference_with_origins(text: &str) -> Vec<((String, usize, usize, bool), Vec<usize>)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut origins: Vec<usize> = Vec::new();
    let (mut cur, mut start, mut end, mut hard, mut emitted) = (String::new(), 0, 0, false, false);
    let mut k = 0;
    while k < chars.len() {
        let i = chars[k].0;
        let mut m = k + 1;
        while m < chars.len() && canonical_combining_class(chars[m].1) != 0 {
            m += 1;
        }
        let j = chars.get(m).map_or(text.len(), |c| c.0);
        each_output(&text[i..j], |ch, w| {
            if w {
                if cur.is_empty() {
                    start = i;
                }
                cur.push(ch);
                origins.extend(std::iter::repeat_n(i, ch.len_utf8()));
                end = j;
            } else {
                if !cur.is_empty() {
                    out.push(((std::mem::take(&mut cur), start, end, hard && emitted), std::mem::take(&mut origins)));
                    hard = false;
                    emitted = true;
                }
                hard |= !is_soft(ch);
            }
        });
        k = m;
    }
    if !cur.is_empty() {
        out.push(((cur, start, end, hard && emitted), origins));
    }
    out
}

proptest::proptest! {
    /// The fast paths (the table, ASCII runs) change nothing.
    #[test]
    fn scan_agrees_with_the_slow_way(chars in proptest::collection::vec(proptest::sample::select(vec![
        'a', 'Z', 'q', '7', '0', ' ', '\n', '.', ',', '-', '\'', '_', ':', '(', '“', '\u{A0}', 'é', 'ß', 'İ', 'Ａ', '²',
        'ا', 'ب', 'ت', 'ة', 'ى', 'ي', 'أ', 'إ', 'آ', 'ٱ', '٣', 'ـ', 'ﻻ', '\u{64B}', '\u{650}', '\u{651}', '\u{652}',
        '\u{654}', '\u{301}', '\u{308}', '\u{200C}', '\u{200F}',
    ]), 0..48)) {
        let text: String = chars.into_iter().collect();
        let mut fast = Vec::new();
        scan(&text, |w| fast.push((w.text.to_string(), w.start, w.end, w.hard_before)));
        proptest::prop_assert_eq!(&fast, &reference(&text), "{:?}", text);
        let toks: Vec<((String, usize, usize, bool), Vec<usize>)> = tokens(&text).into_iter()
            .map(|t| ((t.text.clone(), t.start, t.end, t.hard_before), (0..t.text.len()).map(|k| t.origin(k)).collect())).collect();
        proptest::prop_assert_eq!(toks, reference_with_origins(&text));
    }
}

#[test]
fn scan_and_tokens_see_the_same_words() {
    let text = "قال لإيلون ماسك: “X” Musk’s ﻻ Nicola\u{0301}s ٢٠٢٦ ﷲ Straße";
    let a: Vec<(String, usize, usize, bool)> = tokens(text).into_iter().map(|t| (t.text, t.start, t.end, t.hard_before)).collect();
    let mut b = Vec::new();
    scan(text, |w| b.push((w.text.to_string(), w.start, w.end, w.hard_before)));
    assert_eq!(a, b);
}
