//! The escapers' shared loop: a string with some byte runs replaced, the
//! text between them copied whole. It runs over every printed value of
//! every page, and over whole article bodies in the feeds, so the search
//! for the next byte to replace looks at 16 bytes at a time (SSE2, which
//! every x86-64 processor has; a byte loop on other processors).

/// A set of bytes to look for: up to eight listed bytes and, if asked, the
/// C0 controls other than tab, newline and return.
pub(crate) struct ByteSet {
    table: [bool; 256],
    /// The listed bytes, the first repeated to fill the eight places.
    listed: [u8; 8],
    controls: bool,
}

impl ByteSet {
    /// The bytes of `listed` (one to eight of them), and with `controls`
    /// every byte below 0x20 but tab, newline and return.
    pub(crate) const fn new(listed: &[u8], controls: bool) -> ByteSet {
        assert!(!listed.is_empty() && listed.len() <= 8, "a ByteSet lists one to eight bytes");
        let mut table = [false; 256];
        let mut padded = [listed[0]; 8];
        let mut k = 0;
        while k < listed.len() {
            table[listed[k] as usize] = true;
            padded[k] = listed[k];
            k += 1;
        }
        if controls {
            let mut b = 0;
            while b < 0x20 {
                table[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
                b += 1;
            }
        }
        ByteSet { table, listed: padded, controls }
    }

    pub(crate) fn contains(&self, b: u8) -> bool {
        self.table[b as usize]
    }

    /// Where the first byte of the set is in `bytes` at or after `i`, else `bytes.len()`.
    #[inline]
    pub(crate) fn find(&self, bytes: &[u8], mut i: usize) -> usize {
        while i + 16 <= bytes.len() {
            // bit k: byte i + k may be one of the set (a control byte
            // there may be tab, newline or return, which the table rules out)
            let mut mask = self.candidates(&bytes[i..i + 16]);
            while mask != 0 {
                let k = i + mask.trailing_zeros() as usize;
                if self.contains(bytes[k]) {
                    return k;
                }
                mask &= mask - 1;
            }
            i += 16;
        }
        while i < bytes.len() && !self.contains(bytes[i]) {
            i += 1;
        }
        i
    }

    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn candidates(&self, block: &[u8]) -> u32 {
        use std::arch::x86_64::*;
        debug_assert_eq!(block.len(), 16);
        // SAFETY: SSE2 is part of the x86-64 baseline, so these intrinsics
        // are always available; the one load reads the 16 bytes of `block`.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let mut hit = _mm_setzero_si128();
            for &b in &self.listed {
                hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
            }
            if self.controls {
                // v <= 0x1F (unsigned): min(v, 0x1F) == v
                hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));
            }
            _mm_movemask_epi8(hit) as u32
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn candidates(&self, block: &[u8]) -> u32 {
        block.iter().enumerate().fold(0, |m, (k, &b)| m | (u32::from(self.contains(b)) << k))
    }
}

/// `s` with some byte runs replaced, the text between them copied whole: at
/// a byte of `special`, `at(bytes, i)` says what to write instead of the
/// `len` bytes starting at `i`, or `None` to keep the byte. A replaced run
/// must be ASCII or whole characters, so every cut falls on a boundary.
pub(crate) fn replace_runs(s: &str, special: &ByteSet, at: impl Fn(&[u8], usize) -> Option<(&'static str, usize)>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let pushed: Result<(), std::convert::Infallible> = each_piece(s, special, at, |piece| {
        out.push_str(piece);
        Ok(())
    });
    match pushed {
        Ok(()) => out,
    }
}

/// [`replace_runs`] written to `out`, piece by piece.
pub(crate) fn write_runs(s: &str, special: &ByteSet, at: impl Fn(&[u8], usize) -> Option<(&'static str, usize)>,
    out: &mut dyn std::io::Write) -> std::io::Result<()> {
    each_piece(s, special, at, |piece| out.write_all(piece.as_bytes()))
}

/// The pieces [`replace_runs`] joins, in order, to `push` (no empty ones).
fn each_piece<E>(s: &str, special: &ByteSet, at: impl Fn(&[u8], usize) -> Option<(&'static str, usize)>,
    mut push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = s.as_bytes();
    let (mut from, mut i) = (0, 0);
    loop {
        i = special.find(bytes, i);
        if i >= bytes.len() {
            break;
        }
        match at(bytes, i) {
            None => i += 1,
            Some((with, len)) => {
                if from < i {
                    push(&s[from..i])?;
                }
                push(with)?;
                i += len;
                from = i;
            }
        }
    }
    if from < s.len() {
        push(&s[from..])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETS: [ByteSet; 3] = [
        ByteSet::new(b"&<>\"'/", false),
        ByteSet::new(b"&<>\"'\xEF", true),
        ByteSet::new(b"<", false),
    ];

    #[test]
    fn the_table_holds_the_listed_bytes_and_the_controls() {
        let xml = &SETS[1];
        let held: Vec<u8> = (0..=255u8).filter(|&b| xml.contains(b)).collect();
        let mut want: Vec<u8> = (0..0x20u8).filter(|b| !matches!(b, 0x09 | 0x0A | 0x0D)).collect();
        want.extend(b"\"&'<>\xEF");
        want.sort_unstable();
        assert_eq!(held, want);
        assert_eq!((0..=255u8).filter(|&b| SETS[2].contains(b)).collect::<Vec<_>>(), vec![b'<']);
    }

    proptest::proptest! {
        /// `find` stops where a byte-by-byte search stops, from every start,
        /// at every place in and across the 16-byte blocks.
        #[test]
        fn find_agrees_with_a_byte_by_byte_search(bytes in proptest::collection::vec(proptest::sample::select(vec![
            // plain bytes half the time, so that some blocks hold no special byte
            b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x', b'x',
            b'a', b' ', b'&', b'<', b'>', b'"', b'\'', b'/', b'\t', b'\n', b'\r', 0x01, 0x1F, 0x20, 0x7F, 0xEF, 0xBF, 0xD8,
        ]), 0..70)) {
            for set in &SETS {
                for start in 0..=bytes.len() {
                    let want = (start..bytes.len()).find(|&k| set.contains(bytes[k])).unwrap_or(bytes.len());
                    proptest::prop_assert_eq!(set.find(&bytes, start), want);
                }
            }
        }
    }
}
