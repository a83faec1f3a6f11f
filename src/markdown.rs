//! Markdown → HTML for article bodies. This module owns: the pulldown-cmark
//! configuration (tables, footnotes, strikethrough, heading attributes; no
//! smart punctuation), heading ids (Unicode/Arabic-aware, unique per page),
//! `rel="noopener noreferrer"` on external links, neutralizing unsafe link and
//! image URLs, sanitizing raw HTML with ammonia (unless `unsafe_html`), and the
//! text facts derived in the same pass: first paragraph, word count, reading
//! time, headings. It also owns [`plain_text`] for search and snippets.
//! Pure functions: no I/O, no panics on any input.

mod guard;
mod render;
mod sanitize;
mod slug;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_safety;
mod text;

use pulldown_cmark::{Event, Options as CmarkOptions, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use text::{Collapser, TagStripper, TextSink};

pub use slug::slugify;

/// How markdown is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Let raw HTML through untouched (site.yaml `unsafe_html: true`).
    pub unsafe_html: bool,
}

/// One heading of a rendered body, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    /// The `id` attribute written on the heading (explicit or generated).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// A rendered body and the facts gathered while rendering it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    /// Body HTML (sanitized unless `unsafe_html`).
    pub html: String,
    /// Plain text of the first paragraph (top-level preferred, footnotes
    /// excluded), whitespace collapsed, no markup; empty if there is none.
    pub first_paragraph: String,
    /// Words in the body text (runs of non-whitespace with a letter or digit).
    pub word_count: usize,
    /// `ceil(word_count / 200)`, at least 1.
    pub reading_minutes: u32,
    pub headings: Vec<Heading>,
}

fn parser_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a markdown body to HTML and gathers its text facts in one pass.
pub fn render(markdown: &str, opts: &Options) -> Rendered {
    render_inner(markdown, opts, false, false).0
}

/// The plain text of a rendered body ([`render_with_text`]) and where its
/// pieces are in the body's HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyText {
    /// [`plain_text`]'s text with its white space as written.
    pub text: String,
    /// Each piece of `text` that the HTML holds as text a link may be made
    /// in (not in a link, heading, code or image), in order; `None` when
    /// the author wrote raw HTML (it may open any element, and sanitizing
    /// moves the text).
    pub spans: Option<Vec<Span>>,
    /// The body's words were left for the caller to count ([`render_for_index`]):
    /// [`Rendered::word_count`] (and the reading time) wait for
    /// [`Rendered::set_word_count`] with [`count_words`] of `text`. Only a
    /// body without raw HTML is left so: its words are those of its text.
    pub uncounted: bool,
}

/// One piece of a body's plain text (a markdown text event) and where the
/// HTML holds it, escaped (`&`, `<` and `>` as entities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Its byte range in the plain text.
    pub text: u32,
    pub text_end: u32,
    /// Where it starts in the HTML.
    pub html: u32,
    /// The HTML text node holding it: pieces with nothing but a line break
    /// between them share one (a tag, or text no link may be made in, starts another).
    pub node: u32,
}

/// [`render`] and the words of [`plain_text`] of the same body from one
/// parse: the text is `plain_text`'s with its white space as written
/// (collapsing it gives `plain_text`), for readers of words, which do not
/// care (collapsing was a fortieth of a large build), with where its
/// pieces are in the HTML.
pub fn render_with_text(markdown: &str, opts: &Options) -> (Rendered, BodyText) {
    let (rendered, text) = render_inner(markdown, opts, true, false);
    (rendered, text.unwrap_or_default())
}

/// [`render_with_text`] for a caller that reads every word of the text
/// anyway (the index's mention detection, through
/// [`crate::normalize::memo`]): a body without raw HTML is not counted
/// here, see [`BodyText::uncounted`]. Counting was a twenty-fifth of a
/// large build, in a pass of its own over the text.
pub fn render_for_index(markdown: &str, opts: &Options) -> (Rendered, BodyText) {
    let (rendered, text) = render_inner(markdown, opts, true, true);
    (rendered, text.unwrap_or_default())
}

/// The words of `text` as [`Rendered::word_count`] counts a body's: runs
/// of non-white space holding a letter or digit.
pub fn count_words(text: &str) -> usize {
    let mut w = text::WordCounter::default();
    w.push(text);
    w.count
}

fn render_inner(markdown: &str, opts: &Options, want_text: bool, leave_count: bool) -> (Rendered, Option<BodyText>) {
    let (rendered, needs_sanitizing, text) = render::run(markdown, opts, false, want_text, leave_count);
    if !needs_sanitizing {
        // No raw HTML (or `unsafe_html`): pulldown-cmark escaped all text and
        // attributes, and the pass dropped unsafe URLs and heading attributes.
        return (rendered, text);
    }
    if guard::too_deep(&rendered.html, guard::MAX_DEPTH) {
        // Too deep for the HTML parser to be quick: show the raw HTML as text
        // (the plain text, from the same events, stays as it is).
        return (render::run(markdown, opts, true, false, false).0, text);
    }
    (Rendered { html: sanitize::sanitize(&rendered.html), ..rendered }, text)
}

/// Plain text of a markdown document, for search and snippets: text of every
/// block (code included, image alt text and raw HTML tags excluded),
/// whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    let markdown = render::without_nul(markdown);
    let mut text = PlainText::<Collapser>::default();
    for event in Parser::new_ext(&markdown, parser_options()) {
        text.event(&event);
    }
    text.finish()
}

/// [`plain_text`] built event by event (the render pass feeds one too, to
/// a [`Joiner`](text::Joiner)).
#[derive(Default)]
struct PlainText<S> {
    out: S,
    stripper: TagStripper,
    image_depth: usize,
}

impl<S: TextSink> PlainText<S> {
    fn new(out: S) -> PlainText<S> {
        PlainText { out, stripper: TagStripper::default(), image_depth: 0 }
    }

    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) if self.image_depth == 0 => self.out.push(t),
            Event::Html(h) | Event::InlineHtml(h) => {
                let out = &mut self.out;
                self.stripper.feed(h, |s| out.push(s));
            }
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            Event::Start(tag) if !is_inline(tag) => self.out.brk(),
            Event::End(tag) if !is_inline_end(*tag) => self.out.brk(),
            Event::SoftBreak | Event::HardBreak | Event::Rule => self.out.brk(),
            _ => {}
        }
    }

    fn finish(self) -> String {
        self.out.finish()
    }
}

impl PlainText<text::Joiner> {
    /// Bytes of text so far.
    fn len(&self) -> usize {
        self.out.len()
    }
}

/// Inline tags do not separate words (`foo**bar**` is one word).
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Ends of the inline tags of [`is_inline`].
fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}
