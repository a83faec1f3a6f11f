//! The event pass behind [`super::render`]: one parse, then one walk over the
//! events that rewrites them for output (heading ids, link rel, unsafe URLs,
//! footnote ids) and gathers the text facts, then pulldown-cmark's writer.

use std::borrow::Cow;

use pulldown_cmark::{html, Alignment, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::sanitize::EXTERNAL_REL;
use super::slug::IdRegistry;
use super::text::{is_external_url, is_safe_url, Collapser, Joiner, TagStripper, WordCounter};
use super::{is_inline, is_inline_end, parser_options, BodyText, Heading, Options, PlainText, Rendered, Span};

/// Reading speed used for [`Rendered::reading_minutes`].
const WORDS_PER_MINUTE: usize = 200;

/// Parses and renders once. With `raw_as_text`, raw HTML is shown as text.
/// Returns the result, whether its HTML holds raw HTML to sanitize, and with
/// `want_text` the body's plain text (as `super::plain_text` gives it, its
/// white space not collapsed). With `leave_count` (and `want_text`), a body
/// without raw HTML is not counted: see [`BodyText::uncounted`].
pub fn run(markdown: &str, opts: &Options, raw_as_text: bool, want_text: bool, leave_count: bool) -> (Rendered, bool, Option<BodyText>) {
    let markdown = &*without_nul(markdown);
    // sized from the text (bodies of the benchmark's corpus make one event
    // per 40 to 145 bytes): collected unsized, the list was grown and
    // copied half a dozen times per body
    let mut events: Vec<Event<'_>> = Vec::with_capacity(markdown.len() / 32 + 16);
    events.extend(Parser::new_ext(markdown, parser_options()));

    // First walk: ids that generated ones must avoid, footnote labels made
    // into valid ids, and whether the author wrote any raw HTML.
    let mut pass = Pass::new(opts, raw_as_text);
    let mut has_raw_html = false;
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => pass.ids.reserve(id),
            Event::Start(Tag::FootnoteDefinition(name)) | Event::FootnoteReference(name) => {
                *name = footnote_id(name).into();
                pass.ids.reserve(name);
            }
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            _ => {}
        }
    }

    // without raw HTML, the words counted are those of the plain text
    let uncounted = leave_count && want_text && !has_raw_html;
    if uncounted {
        pass.words = None;
    }

    // Second walk: rewrite for output and gather text facts (and, for the
    // text's spans, which output events are text written as it is).
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    // the plain text is at most about as long as the markdown (it leaves
    // the markup out): room for it at once, not grown by doubling (its
    // copies were 2% of a 10,000-pair build's time in perf)
    let mut text = want_text.then(|| PlainText::new(Joiner::with_capacity(markdown.len())));
    let mut pieces = (want_text && !has_raw_html && !raw_as_text).then(|| Pieces { at: Vec::with_capacity(events.len()), ..Pieces::default() });
    for i in 0..events.len() {
        // Take the event out; later ones stay for the heading look-ahead.
        let event = std::mem::replace(&mut events[i], Event::SoftBreak);
        let before = text.as_ref().map_or(0, PlainText::len);
        if let Some(text) = text.as_mut() {
            text.event(&event);
        }
        pass.observe(&event);
        // (an external link's start is written as raw HTML: known by the event read)
        let closing = Pieces::closing(&event);
        if let Some(event) = pass.rewrite(event, &events[i + 1..]) {
            if let (Some(p), Some(text)) = (pieces.as_mut(), text.as_ref()) {
                p.add(&event, closing, before, text.len());
            }
            out.push(event);
        }
    }
    // written into the thread's buffer, then copied out at its size: every
    // body is kept until the pages are made, and a guessed capacity left a
    // third of them unused (54 of 183 MiB at 10,000 pairs)
    let (body, spans) = BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.clear();
        buffer.reserve(markdown.len() + markdown.len() / 2);
        let spans = match pieces {
            None => {
                html::push_html(&mut *buffer, out.into_iter());
                None
            }
            Some(pieces) => Some(pieces.write(&mut buffer, out)),
        };
        let body = buffer.as_str().to_owned();
        if buffer.capacity() > BUFFER_KEPT {
            *buffer = String::new();
        }
        (body, spans)
    });

    let mut rendered = Rendered {
        html: body,
        first_paragraph: pass.first_top.or(pass.first_any).unwrap_or_default(),
        word_count: 0,
        reading_minutes: 1,
        headings: pass.headings,
    };
    rendered.set_word_count(pass.words.map_or(0, |w| w.count));
    let text = text.map(|t| BodyText { text: t.finish(), spans, uncounted });
    (rendered, has_raw_html && !opts.unsafe_html && !raw_as_text, text)
}

/// Which output events of a body are pieces of its plain text written as
/// they are, in text a link may be made in, for the text's [`Span`]s.
#[derive(Default)]
struct Pieces {
    /// Per output event: the plain text range it wrote, and its text node.
    at: Vec<Option<(u32, u32, u32)>>,
    /// Open links, headings, code blocks and images.
    closed: usize,
    node: u32,
}

impl Pieces {
    /// Whether `event` (as read) opens (1) or closes (-1) an element whose
    /// text no link may be made in: a link, heading, code block or image.
    fn closing(event: &Event<'_>) -> i8 {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Image { .. }) => 1,
            Event::End(TagEnd::Link | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Image) => -1,
            _ => 0,
        }
    }

    /// The next output event: `closing` is what [`Pieces::closing`] said of
    /// the event it was written for, which the plain text read as `text[from..to]`.
    fn add(&mut self, event: &Event<'_>, closing: i8, from: usize, to: usize) {
        match closing {
            1 => self.closed += 1,
            -1 => self.closed = self.closed.saturating_sub(1),
            _ => {}
        }
        let piece = match event {
            Event::Text(t) if self.closed == 0 && !t.is_empty() && to >= t.len() => {
                // the text, after the space a break may have put before it
                u32::try_from(to - t.len()).ok().zip(u32::try_from(to).ok()).filter(|&(a, _)| a as usize >= from)
            }
            // a line break is written as one: the node goes on
            Event::SoftBreak => {
                self.at.push(None);
                return;
            }
            _ => None,
        };
        if piece.is_none() {
            self.node += 1;
        }
        self.at.push(piece.map(|(a, b)| (a, b, self.node)));
    }

    /// Write `out` as HTML into `buffer`, noting where each piece starts.
    fn write(self, buffer: &mut String, out: Vec<Event<'_>>) -> Vec<Span> {
        let len = std::cell::Cell::new(buffer.len());
        let mut spans = Vec::new();
        // pulldown-cmark's writer takes each event once it has written the
        // ones before it: the length so far is where the event starts
        let events = out.into_iter().zip(self.at).map(|(event, piece)| {
            if let Some((text, text_end, node)) = piece {
                if let Ok(html) = u32::try_from(len.get()) {
                    spans.push(Span { text, text_end, html, node });
                }
            }
            event
        });
        // writing into a String cannot fail
        let _ = html::write_html_fmt(Counting { out: buffer, len: &len }, events);
        spans
    }
}

/// A writer into a string that keeps its length where the event iterator sees it.
struct Counting<'a> {
    out: &'a mut String,
    len: &'a std::cell::Cell<usize>,
}

impl std::fmt::Write for Counting<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.push_str(s);
        self.len.set(self.out.len());
        Ok(())
    }
}

thread_local! {
    /// Where a thread writes the HTML of the body it renders.
    static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Largest buffer a thread keeps between bodies (a huge article's is let go).
const BUFFER_KEPT: usize = 1 << 20;

struct Pass {
    unsafe_html: bool,
    raw_as_text: bool,
    ids: IdRegistry,
    headings: Vec<Heading>,
    /// The text's words, unless left to the caller.
    words: Option<WordCounter>,
    stripper: TagStripper,
    /// The paragraph being captured for `first_paragraph`.
    para: Option<Collapser>,
    first_top: Option<String>,
    first_any: Option<String>,
    /// Open block quotes, lists and footnote definitions.
    containers: usize,
    /// Open footnote definitions (not summary material).
    footnotes: usize,
    /// Inside an image: its alt text is not body text.
    image_depth: usize,
    /// Per open link/image outside images: was its tag dropped?
    dropped: Vec<bool>,
    /// Column alignments of the table being written, its current column,
    /// and whether the header row is being written.
    table_aligns: Vec<Alignment>,
    table_cell: usize,
    table_head: bool,
}

impl Rendered {
    /// Set the body's word count, and its reading time from it.
    pub fn set_word_count(&mut self, words: usize) {
        self.word_count = words;
        self.reading_minutes = u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX);
    }
}

impl Pass {
    fn new(opts: &Options, raw_as_text: bool) -> Self {
        Pass {
            unsafe_html: opts.unsafe_html,
            raw_as_text,
            ids: IdRegistry::default(),
            headings: Vec::new(),
            words: Some(WordCounter::default()),
            stripper: TagStripper::default(),
            para: None,
            first_top: None,
            first_any: None,
            containers: 0,
            footnotes: 0,
            image_depth: 0,
            dropped: Vec::new(),
            table_aligns: Vec::new(),
            table_cell: 0,
            table_head: false,
        }
    }

    /// Text facts: words and the paragraph being captured.
    fn observe(&mut self, event: &Event<'_>) {
        let (words, para) = (&mut self.words, &mut self.para);
        match event {
            Event::Text(t) | Event::Code(t) if self.image_depth == 0 && !self.stripper.is_skipping() => {
                if let Some(w) = words.as_mut() {
                    w.push(t);
                }
                if let Some(p) = para.as_mut() {
                    p.push(t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if self.image_depth == 0 => {
                self.stripper.feed(h, |s| {
                    if let Some(w) = words.as_mut() {
                        w.push(s);
                    }
                    if let Some(p) = para.as_mut() {
                        p.push(s);
                    }
                });
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(w) = words.as_mut() {
                    w.brk();
                }
                if let Some(p) = para.as_mut() {
                    p.brk();
                }
            }
            Event::Start(tag) if !is_inline(tag) => {
                if let Some(w) = words.as_mut() {
                    w.brk();
                }
            }
            Event::End(tag) if !is_inline_end(*tag) => {
                if let Some(w) = words.as_mut() {
                    w.brk();
                }
            }
            _ => {}
        }
    }

    /// The event to write instead of `event` (`None`: write nothing).
    /// `rest` holds the events after it.
    fn rewrite<'a>(&mut self, event: Event<'a>, rest: &[Event<'a>]) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                mut attrs,
            }) => {
                let text = heading_text(rest);
                let id = id.unwrap_or_else(|| self.ids.generate(&text).into());
                self.headings.push(Heading {
                    level: level as u8,
                    id: id.to_string(),
                    text,
                });
                if !self.unsafe_html {
                    attrs.clear(); // `{onclick=...}` would bypass the sanitizer
                }
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(id),
                    classes,
                    attrs,
                }))
            }
            Event::Start(Tag::Paragraph) => {
                if self.first_top.is_none() && self.footnotes == 0 {
                    self.para = Some(Collapser::default());
                }
                Some(event)
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = self.para.take().filter(|p| !p.is_empty()) {
                    if self.containers == 0 {
                        self.first_top = Some(p.finish());
                    } else if self.first_any.is_none() {
                        self.first_any = Some(p.finish());
                    }
                }
                Some(event)
            }
            // Inside an image only the text is written: leave links alone.
            Event::Start(Tag::Link { .. }) if self.image_depth > 0 => Some(event),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if !is_safe_url(&dest_url) {
                    self.dropped.push(true); // keep the link text as text
                    return None;
                }
                self.dropped.push(false);
                let external = link_type != LinkType::Email && is_external_url(&dest_url);
                let start = Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                });
                Some(if external {
                    external_link_start(start)
                } else {
                    start
                })
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if self.image_depth == 0 {
                    if !is_safe_url(dest_url) {
                        self.dropped.push(true); // keep the alt text as text
                        return None;
                    }
                    self.dropped.push(false);
                }
                self.image_depth += 1;
                Some(event)
            }
            Event::End(TagEnd::Image) if self.image_depth > 0 => {
                self.image_depth -= 1;
                if self.image_depth == 0 {
                    self.dropped.pop();
                }
                Some(event)
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) if self.image_depth == 0 => {
                if self.dropped.pop().unwrap_or(false) {
                    None
                } else {
                    Some(event)
                }
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                self.containers += 1;
                Some(event)
            }
            Event::Start(Tag::FootnoteDefinition(_)) => {
                self.containers += 1;
                self.footnotes += 1;
                Some(event)
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                self.containers = self.containers.saturating_sub(1);
                Some(event)
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.containers = self.containers.saturating_sub(1);
                self.footnotes = self.footnotes.saturating_sub(1);
                Some(event)
            }
            // Cell alignment as a class (`align-left|center|right`), not the
            // inline `style` pulldown-cmark would write: no inline styles in
            // pages (CSP, validators), and the theme chooses how to align.
            Event::Start(Tag::Table(aligns)) => {
                self.table_aligns = aligns;
                Some(Event::Start(Tag::Table(Vec::new())))
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                self.table_head = matches!(event, Event::Start(Tag::TableHead));
                self.table_cell = 0;
                Some(event)
            }
            Event::Start(Tag::TableCell) => {
                let class = match self.table_aligns.get(self.table_cell) {
                    Some(Alignment::Left) => "align-left",
                    Some(Alignment::Center) => "align-center",
                    Some(Alignment::Right) => "align-right",
                    Some(Alignment::None) | None => return Some(event),
                };
                let cell = if self.table_head { "th" } else { "td" };
                Some(Event::InlineHtml(
                    format!("<{cell} class=\"{class}\">").into(),
                ))
            }
            Event::End(TagEnd::TableCell) => {
                self.table_cell += 1;
                Some(event)
            }
            Event::End(TagEnd::TableHead) => {
                self.table_head = false;
                Some(event)
            }
            Event::Html(h) | Event::InlineHtml(h) if self.raw_as_text => Some(Event::Text(h)),
            other => Some(other),
        }
    }
}

/// CommonMark asks for U+0000 to become U+FFFD; pulldown-cmark misses some
/// (inside code blocks), and HTML forbids it.
pub fn without_nul(markdown: &str) -> Cow<'_, str> {
    if markdown.contains('\0') {
        Cow::Owned(markdown.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(markdown)
    }
}

/// Plain text of a heading whose start tag precedes `rest`.
fn heading_text(rest: &[Event<'_>]) -> String {
    let mut text = Collapser::default();
    let mut stripper = TagStripper::default();
    let mut image_depth = 0usize;
    for event in rest {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) if image_depth == 0 => text.push(t),
            Event::InlineHtml(h) => stripper.feed(h, |s| text.push(s)),
            Event::SoftBreak | Event::HardBreak => text.brk(),
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            _ => {}
        }
    }
    text.finish()
}

/// Footnote labels as ids: `fn-` + the label lowercased with whitespace as
/// `-` (a raw label may hold spaces, and references may differ in case).
fn footnote_id(label: &str) -> String {
    let mut id = String::with_capacity(label.len() + 3);
    id.push_str("fn-");
    for word in label.split_whitespace() {
        if id.len() > 3 {
            id.push('-');
        }
        id.extend(word.chars().flat_map(char::to_lowercase));
    }
    id
}

/// The HTML of an external link's start tag, written by pulldown-cmark (so
/// escaped as usual), with `rel="noopener noreferrer"` added.
fn external_link_start(start: Event<'_>) -> Event<'_> {
    let mut tag = String::new();
    html::push_html(&mut tag, std::iter::once(start));
    // pulldown-cmark writes `<a href="..." title="...">`: insert before `>`.
    if tag.ends_with('>') {
        tag.insert_str(tag.len() - 1, &format!(" rel=\"{EXTERNAL_REL}\""));
    }
    Event::InlineHtml(CowStr::from(tag))
}
