//! Small streaming text helpers for the render pass: whitespace collapsing,
//! word counting, tag stripping of raw HTML, and URL classification.

/// Accumulates plain text, collapsing every run of whitespace (and every
/// [`Collapser::brk`]) into one space, with none leading or trailing.
#[derive(Debug, Default)]
pub struct Collapser {
    out: String,
    pending_space: bool,
}

/// Whether a character starting with byte `b` may be white space: ASCII
/// white space, or a lead byte of the UTF-8 encodings of the non-ASCII white
/// space characters (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000). No byte
/// inside a multi-byte character is one of these, so a byte scan finds them.
const MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8, b' ' | b'\t'..=b'\r' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    t
};

/// The first white space character (`char::is_whitespace`) of `s` at or
/// after byte `from` (a character boundary): its offset and byte length,
/// or `(s.len(), 0)` when there is none. Decodes only where one may start.
#[inline]
fn next_space(s: &str, from: usize) -> (usize, usize) {
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if MAY_BE_SPACE[b as usize] {
            if b < 0x80 {
                return (i, 1);
            }
            if let Some(c) = s[i..].chars().next().filter(|c| c.is_whitespace()) {
                return (i, c.len_utf8());
            }
        }
        i += 1;
    }
    (bytes.len(), 0)
}

impl Collapser {
    pub fn push(&mut self, s: &str) {
        let mut i = 0;
        while i < s.len() {
            // a run of anything but white space, copied whole, then one
            // white space character
            let (j, w) = next_space(s, i);
            if j > i {
                if self.pending_space && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.pending_space = false;
                self.out.push_str(&s[i..j]);
            }
            if w == 0 {
                break;
            }
            self.pending_space = true;
            i = j + w;
        }
    }

    /// A boundary between blocks or lines: words on either side stay apart.
    pub fn brk(&mut self) {
        self.pending_space = true;
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Where [`super::PlainText`] puts the text it reads: pieces of text, and
/// breaks between blocks or lines.
pub trait TextSink: Default {
    fn push(&mut self, s: &str);
    fn brk(&mut self);
    fn finish(self) -> String;
}

impl TextSink for Collapser {
    fn push(&mut self, s: &str) {
        Collapser::push(self, s);
    }
    fn brk(&mut self) {
        Collapser::brk(self);
    }
    fn finish(self) -> String {
        Collapser::finish(self)
    }
}

/// Joins text pieces as they are, with a space at each break between two
/// of them: what a [`Collapser`] makes, its white space not collapsed.
#[derive(Debug, Default)]
pub struct Joiner {
    out: String,
    pending_space: bool,
}

impl Joiner {
    /// A joiner with room for `n` bytes of text.
    pub fn with_capacity(n: usize) -> Joiner {
        Joiner { out: String::with_capacity(n), pending_space: false }
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }
}

impl TextSink for Joiner {
    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.pending_space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.pending_space = false;
        self.out.push_str(s);
    }
    fn brk(&mut self) {
        self.pending_space = true;
    }
    fn finish(self) -> String {
        self.out
    }
}

/// Counts words in a stream of text pieces: a word is a run of
/// non-whitespace holding at least one letter or digit (so a lone dash or
/// punctuation mark is not a word). Pieces are joined without a break, so
/// `foo**bar**` is one word; call [`WordCounter::brk`] between blocks.
#[derive(Debug, Default)]
pub struct WordCounter {
    pub count: usize,
    counted_current: bool,
}

impl WordCounter {
    pub fn push(&mut self, s: &str) {
        // a word counted, the rest of it up to the next white space is
        // skipped by a byte scan; until then, character by character
        let letters = small_letters();
        let bytes = s.as_bytes();
        let (mut count, mut counted) = (self.count, self.counted_current);
        let mut i = 0;
        while i < bytes.len() {
            if counted {
                let (j, w) = next_space(s, i);
                if w == 0 {
                    break;
                }
                counted = false;
                i = j + w;
                continue;
            }
            let b = bytes[i];
            let (letter, len) = if b < 0x80 {
                (letters[usize::from(b)], 1)
            } else if b < 0xE0 {
                // the lead byte of a two-byte character (`i` is always on a
                // character boundary, so its continuation byte follows)
                let cp = usize::from(b & 0x1F) << 6 | usize::from(bytes[i + 1] & 0x3F);
                (letters[cp], 2)
            } else {
                match s[i..].chars().next() {
                    Some(c) => (is_letter_or_digit(c), c.len_utf8()),
                    None => break,
                }
            };
            if letter {
                count += 1;
                counted = true;
            }
            i += len;
        }
        self.count = count;
        self.counted_current = counted;
    }

    pub fn brk(&mut self) {
        self.counted_current = false;
    }
}

/// Whether each character U+0000–U+07FF (those of one or two bytes in
/// UTF-8: ASCII, Latin, Arabic) is a letter or digit, worked out once.
fn small_letters() -> &'static [bool; 2048] {
    static LETTERS: std::sync::OnceLock<[bool; 2048]> = std::sync::OnceLock::new();
    LETTERS.get_or_init(|| {
        let mut t = [false; 2048];
        for (cp, letter) in (0u32..).zip(t.iter_mut()) {
            *letter = char::from_u32(cp).is_some_and(is_letter_or_digit);
        }
        t
    })
}

/// `char::is_alphanumeric` with fast paths for ASCII and the Arabic letters
/// and digits (U+0620–U+064A, U+0660–U+0669), the common cases here.
#[inline]
pub fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        matches!(c, '\u{0620}'..='\u{064A}' | '\u{0660}'..='\u{0669}') || c.is_alphanumeric()
    }
}

/// Removes tags, comments and the content of `<script>`/`<style>` from raw
/// HTML given in pieces (tags may span pieces), handing the text on. A rough
/// extractor for counting and search text, not a parser: entities are left as
/// written.
#[derive(Debug, Default)]
pub struct TagStripper {
    in_tag: bool,
    quote: Option<char>,
    /// Name of the tag being read (lowercase, capped), to spot script/style.
    name: String,
    reading_name: bool,
    /// Inside `<script>` or `<style>`: text is dropped until the closing tag.
    skip_raw: bool,
}

impl TagStripper {
    /// Feeds `html`, calling `text` with each run of text outside tags.
    pub fn feed(&mut self, html: &str, mut text: impl FnMut(&str)) {
        let mut start = 0usize;
        for (i, c) in html.char_indices() {
            if self.in_tag {
                match self.quote {
                    Some(q) if c == q => self.quote = None,
                    Some(_) => {}
                    None => match c {
                        '"' | '\'' if !self.reading_name => self.quote = Some(c),
                        '>' => {
                            self.in_tag = false;
                            self.end_tag();
                            start = i + 1;
                        }
                        _ if self.reading_name => {
                            if c.is_whitespace() || c == '/' && !self.name.is_empty() {
                                self.reading_name = false;
                            } else if self.name.len() < 8 {
                                self.name.push(c.to_ascii_lowercase());
                            }
                        }
                        _ => {}
                    },
                }
            } else if c == '<' {
                if !self.skip_raw && start < i {
                    text(&html[start..i]);
                }
                self.in_tag = true;
                self.quote = None;
                self.name.clear();
                self.reading_name = true;
            }
        }
        if !self.in_tag && !self.skip_raw && start < html.len() {
            text(&html[start..]);
        }
    }

    /// Inside a raw `<script>`/`<style>`/`<iframe>` element: markdown text
    /// events between raw HTML pieces belong to it and are not prose.
    pub fn is_skipping(&self) -> bool {
        self.skip_raw
    }

    fn end_tag(&mut self) {
        match self.name.as_str() {
            "script" | "style" | "iframe" => self.skip_raw = true,
            "/script" | "/style" | "/iframe" => self.skip_raw = false,
            _ => {}
        }
    }
}

/// URL schemes allowed in markdown links and images (and by the sanitizer);
/// anything else (`javascript:`, `data:`, `vbscript:`, ...) is dropped.
pub const SAFE_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "sms", "ftp", "ftps", "geo", "irc", "ircs", "xmpp", "news",
    "nntp", "magnet", "webcal",
];

/// True when the URL is relative or uses a scheme in [`SAFE_SCHEMES`].
/// Mirrors browsers: leading spaces/control characters are ignored and tabs
/// and newlines anywhere are removed before the scheme is read.
pub fn is_safe_url(url: &str) -> bool {
    let head: String = url
        .trim_matches(|c: char| c.is_ascii_control() || c == ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|c| !matches!(c, '/' | '?' | '#'))
        .collect();
    match head.find(':') {
        None => true,
        Some(i) => SAFE_SCHEMES
            .iter()
            .any(|s| head[..i].eq_ignore_ascii_case(s)),
    }
}

/// True for links that leave the site: `http://`, `https://` and
/// protocol-relative `//host` (browsers also read `\` as `/` there).
pub fn is_external_url(url: &str) -> bool {
    let u = url.trim_start_matches(|c: char| c.is_ascii_control() || c == ' ');
    let head: String = u
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(8)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    head.starts_with("http://")
        || head.starts_with("https://")
        || head.starts_with("http:\\")
        || head.starts_with("https:\\")
        || matches!(head.as_bytes(), [b'/' | b'\\', b'/' | b'\\', ..])
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The run-copying `Collapser` and `WordCounter` give
        /// what a character-by-character reading gives.
        #[test]
        fn fast_paths_agree_with_the_definitions(pieces in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(vec![
            'a', 'Z', '7', '-', '.', ' ', '\t', '\n', '\r', '\u{B}', '\u{85}', '\u{A0}', '\u{1680}', '\u{2003}', '\u{2028}', '\u{202F}',
            '\u{3000}', '\u{200B}', 'é', '¿', 'ب', '٣', '\u{64B}', '—', '€', '中', '𝔸',
        ]), 0..12), 0..5)) {
            let pieces: Vec<String> = pieces.into_iter().map(|p| p.into_iter().collect()).collect();
            let (mut c, mut w) = (Collapser::default(), WordCounter::default());
            let (mut out, mut pending, mut count, mut counted) = (String::new(), false, 0, false);
            for p in &pieces {
                c.push(p);
                w.push(p);
                for ch in p.chars() {
                    if ch.is_whitespace() {
                        pending = true;
                        counted = false;
                    } else {
                        if pending && !out.is_empty() {
                            out.push(' ');
                        }
                        pending = false;
                        out.push(ch);
                        if !counted && ch.is_alphanumeric() {
                            count += 1;
                            counted = true;
                        }
                    }
                }
            }
            proptest::prop_assert_eq!(c.finish(), out);
            proptest::prop_assert_eq!(w.count, count);
        }
    }
}
