//! A term's postings: the documents holding it with their scores, kept as
//! [`Posting`]s and written as the index's compact text (base-36 gaps and
//! score letters).

/// `n` in base 36, lowercase.
pub(super) fn base36(mut n: u32, out: &mut Vec<u8>) {
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// A document of a term's postings and its score, in one `u32`: the
/// document's number above the score's eight bits (a `(u32, u8)` pair takes
/// eight bytes with its padding; the postings of 10,000 pairs hold millions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Posting(u32);

/// Documents a language's index can number in a [`Posting`].
pub(super) const MAX_DOCS: usize = 1 << 24;

impl Posting {
    pub(super) fn new(doc: u32, score: u8) -> Posting {
        Posting(doc << 8 | u32::from(score))
    }

    pub(super) fn doc(self) -> u32 {
        self.0 >> 8
    }

    pub(super) fn score(self) -> u8 {
        (self.0 & 0xFF) as u8
    }
}

/// A posting list as the index writes it: per document the gap from the
/// previous one in base 36, then its score as a letter `A`-`Z`. Written as
/// bytes (all ASCII), not pushed as `char`s one at a time.
pub(super) fn encode(p: &[Posting]) -> String {
    let mut out = Vec::with_capacity(p.len() * 3);
    let mut last = 0;
    for &posting in p {
        let (doc, score) = (posting.doc(), posting.score());
        base36(doc - last, &mut out);
        out.push(b'A' + score.min(25));
        last = doc;
    }
    // base-36 digits and capital letters: ASCII
    String::from_utf8(out).unwrap_or_default()
}

pub(super) fn encoded_len(p: &[Posting]) -> usize {
    let mut last = 0;
    p.iter().map(|posting| {
        let doc = posting.doc();
        let (mut gap, mut n) = (doc - last, 1);
        last = doc;
        while gap >= 36 {
            gap /= 36;
            n += 1;
        }
        n + 1
    }).sum()
}

#[cfg(test)]
mod tests {
    use super::{encode, encoded_len, Posting, MAX_DOCS};

    #[test]
    fn a_posting_keeps_its_document_and_score() {
        let last = (MAX_DOCS - 1) as u32;
        for (doc, score) in [(0, 0), (1, 25), (36, 7), (last, 25), (last, 255)] {
            let p = Posting::new(doc, score);
            assert_eq!((p.doc(), p.score()), (doc, score));
        }
        // gaps 0, 36 and the rest, each with its score letter
        let list = [Posting::new(0, 1), Posting::new(36, 25), Posting::new(last, 3)];
        let written = encode(&list);
        assert_eq!(&written[..5], "0B10Z");
        assert_eq!(written.len(), encoded_len(&list));
    }
}
