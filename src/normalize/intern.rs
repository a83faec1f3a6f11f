//! Numbers for words: each distinct word gets the next number the first
//! time it is met. Mention detection looks up every word of every body
//! here (tens of millions a large build), so the table is made for short
//! words: a slot holds a word of up to 16 bytes whole (two 8-byte loads
//! cover it), and a lookup compares a length and two integers in one cache
//! line, without following a pointer to the word or calling `memcmp`.
//! Longer words are compared in full once those agree.

/// A word's length and two 8-byte integers read from it: together they are
/// the word itself when it holds at most 16 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Key {
    pub(super) k0: u64,
    pub(super) k1: u64,
    pub(super) len: u32,
}

fn load8(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

fn load4(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[at..at + 4]);
    u64::from(u32::from_le_bytes(x))
}

impl Key {
    pub(super) fn of(w: &str) -> Key {
        let b = w.as_bytes();
        let n = b.len();
        // overlapping loads: every byte of a word of at most 16 is in them
        let (k0, k1) = match n {
            0 => (0, 0),
            1..=3 => (u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0),
            4..=7 => (load4(b, 0) | load4(b, n - 4) << 32, 0),
            8..=16 => (load8(b, 0), load8(b, n - 8)),
            // a longer word: its first, middle and last eight bytes
            _ => (load8(b, 0) ^ load8(b, n / 2 - 4).rotate_left(23), load8(b, n - 8)),
        };
        Key { k0, k1, len: n as u32 }
    }

    pub(super) fn hash(self) -> u64 {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        ((self.k0.wrapping_mul(K) ^ self.k1).rotate_left(26) ^ u64::from(self.len)).wrapping_mul(K)
    }
}

/// A [`Key`] and a word number, laid out flat: 24 bytes rather than 32
/// (`Key` alone is padded to 24), so more slots share a cache line.
#[derive(Clone, Copy, Default)]
struct Slot {
    k0: u64,
    k1: u64,
    len: u32,
    /// Word number + 1; 0: empty.
    id: u32,
}

impl Slot {
    fn key(self) -> Key {
        Key { k0: self.k0, k1: self.k1, len: self.len }
    }
}

/// Words met so far, numbered from 0 in order of first meeting.
#[derive(Default)]
pub struct Interner {
    slots: Vec<Slot>,
    texts: Vec<Box<str>>,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner").field("words", &self.texts.len()).finish()
    }
}

impl Interner {
    /// The number of `w`, and whether it was met only now.
    #[inline]
    pub fn id(&mut self, w: &str) -> (u32, bool) {
        if self.slots.len() < 2 * (self.texts.len() + 1) {
            self.grow();
        }
        let key = Key::of(w);
        let mask = self.slots.len() - 1;
        let mut i = (key.hash() >> 32) as usize & mask;
        loop {
            let s = self.slots[i];
            if s.id == 0 {
                let id = self.texts.len() as u32;
                self.slots[i] = Slot { k0: key.k0, k1: key.k1, len: key.len, id: id + 1 };
                self.texts.push(w.into());
                return (id, true);
            }
            if s.key() == key && (key.len <= 16 || *self.texts[(s.id - 1) as usize] == *w) {
                return (s.id - 1, false);
            }
            i = (i + 1) & mask;
        }
    }

    /// Word number `id`.
    pub fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }

    /// Every word, by number.
    pub fn texts(&self) -> &[Box<str>] {
        &self.texts
    }

    /// How many words it holds.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Twice the slots (at least 64), every taken slot placed again by the
    /// key it holds: at most half the slots are ever taken.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(64);
        let mut slots = vec![Slot::default(); n];
        for &s in self.slots.iter().filter(|s| s.id != 0) {
            let mut i = (s.key().hash() >> 32) as usize & (n - 1);
            while slots[i].id != 0 {
                i = (i + 1) & (n - 1);
            }
            slots[i] = s;
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The same numbers as a map from each word to its order of first
        /// meeting, for words of every length around the 4, 8 and 16-byte
        /// loads, Arabic and Latin, many sharing their first and last bytes.
        #[test]
        fn numbers_words_as_a_map_would(words in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(vec!["a", "b", "ب", "ت", "x", "ي", "é"]), 0..14)
                .prop_map(|p| p.concat()), 0..300)) {
            let mut t = Interner::default();
            let mut want: HashMap<String, u32> = HashMap::new();
            for w in &words {
                let next = want.len() as u32;
                let id = *want.entry(w.clone()).or_insert(next);
                prop_assert_eq!(t.id(w), (id, id == next));
                prop_assert_eq!(t.text(id), w.as_str());
            }
            prop_assert_eq!(t.len(), want.len());
        }
    }

    #[test]
    fn long_words_that_share_their_ends_stay_apart() {
        let mut t = Interner::default();
        let a = "abcdefgh-0123456789-ijklmnop";
        let b = "abcdefgh-9876543210-ijklmnop";
        assert_eq!(t.id(a), (0, true));
        assert_eq!(t.id(b), (1, true));
        assert_eq!(t.id(a), (0, false));
        assert_eq!(t.id(b), (1, false));
    }
}
