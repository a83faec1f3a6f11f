//! A fast hasher for the word sets and maps of mention detection and search
//! (short strings, looked up millions of times a build, never from an
//! attacker's choosing at run time): the multiply-rotate scheme of rustc's
//! FxHash, eight bytes at a time.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type WordMap<V> = std::collections::HashMap<String, V, BuildHasherDefault<WordHasher>>;
pub type WordSet = std::collections::HashSet<String, BuildHasherDefault<WordHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hash_apart() {
        let mut s = WordSet::default();
        for w in ["ماسك", "لماسك", "musk", "musk's", "", "a", "ab", "abcdefgh", "abcdefghi"] {
            assert!(s.insert(w.to_string()));
        }
        assert!(s.contains("لماسك") && !s.contains("ماس"));
    }
}
