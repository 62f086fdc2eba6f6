//! Markdown body → sections of safe blocks. Raw HTML is never kept (only `<br>` survives, as a
//! line break), so whatever renders these blocks cannot be handed markup from a runbook.

#[cfg(feature = "markdown")]
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::walk::{walk_blocks, walk_inlines};
#[cfg(feature = "markdown")]
use super::Problem;

/// How many lists, quotes, emphasis and links may sit inside one another in a section (the
/// deepest page of the Armada corpus has 8). The parser flattens what lies deeper, and a pack
/// holding deeper nesting is refused (`crate::pack`), so every pack `runbook-lens pack` writes
/// loads: at this depth its JSON stays under serde_json's limit of 128 levels (a list costs
/// three, a link three, a table four: 6 + 3 × 32 + 4 + 1 = 107).
pub const MAX_NESTING: usize = 32;

/// Inline content of a paragraph, heading, list item or table cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Link { url: String, children: Vec<Inline> },
    Break,
}

/// A block of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "t")]
pub enum Block {
    Para {
        inlines: Vec<Inline>,
    },
    Code {
        lang: String,
        text: String,
        line: usize,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Table {
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A heading below the section level that appeared inside a list or quote.
    Heading {
        inlines: Vec<Inline>,
    },
}

/// A heading and everything up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// 1–6 for `#`…`######`; 0 for the text before the first heading.
    pub level: u8,
    pub heading: String,
    /// The kramdown anchor (`errorunclassified-in-deleteclientid`).
    pub anchor: String,
    /// Index of the enclosing section (the nearest earlier one with a lower level).
    pub parent: Option<usize>,
    /// 1-based page line of the heading.
    pub line: usize,
    pub blocks: Vec<Block>,
}

/// Plain text of inlines.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inline_text(inlines, &mut out);
    out
}

fn push_inline_text(inlines: &[Inline], out: &mut String) {
    for i in walk_inlines(inlines) {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Break => out.push(' '),
            Inline::Strong(_) | Inline::Emph(_) | Inline::Link { .. } => {}
        }
    }
}

/// Plain text of blocks (code included), one block per line.
pub fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in walk_blocks(blocks) {
        match b {
            Block::Para { inlines } | Block::Heading { inlines } => {
                push_inline_text(inlines, &mut out);
                out.push('\n');
            }
            Block::Code { text, .. } => {
                out.push_str(text);
                out.push('\n');
            }
            Block::Table { rows } => {
                for row in rows {
                    for cell in row {
                        push_inline_text(cell, &mut out);
                        out.push('\t');
                    }
                    out.push('\n');
                }
            }
            Block::List { .. } | Block::Quote { .. } => {}
        }
    }
    out
}

/// The inlines of a block's own text: a paragraph's or heading's, or a table's cells. Lists and
/// quotes have none of their own (their blocks come next in [`walk_blocks`]), nor has code.
pub fn own_inlines(block: &Block) -> impl Iterator<Item = &[Inline]> {
    let (single, rows): (Option<&[Inline]>, &[Vec<Vec<Inline>>]) = match block {
        Block::Para { inlines } | Block::Heading { inlines } => (Some(inlines), &[]),
        Block::Table { rows } => (None, rows),
        Block::Code { .. } | Block::List { .. } | Block::Quote { .. } => (None, &[]),
    };
    single
        .into_iter()
        .chain(rows.iter().flatten().map(Vec::as_slice))
}

/// Inline code spans of blocks, trimmed (not fenced code blocks).
pub fn code_spans(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for inlines in walk_blocks(blocks).flat_map(own_inlines) {
        for i in walk_inlines(inlines) {
            if let Inline::Code(c) = i {
                out.push(c.trim().to_string());
            }
        }
    }
    out
}

#[cfg(feature = "markdown")]
enum Frame {
    Root(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Quote(Vec<Block>),
    Table {
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
    },
}

#[cfg(feature = "markdown")]
enum InlineFrame {
    Para(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Cell(Vec<Inline>),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Link(String, Vec<Inline>),
    /// Image: its alt text becomes plain text.
    Image(Vec<Inline>),
}

#[cfg(feature = "markdown")]
struct Builder {
    blocks: Vec<Frame>,
    inlines: Vec<InlineFrame>,
    sections: Vec<Section>,
    code: Option<(String, String, usize)>,
    /// Where a block with no valid container goes (see `container`).
    scratch: Vec<Block>,
    /// Lists and quotes (`flat_blocks`) and emphasis and links (`flat_inlines`) opened past
    /// [`MAX_NESTING`] and not yet closed: they were left out, their contents kept in the
    /// enclosing container, so their ends must close nothing.
    flat_blocks: usize,
    flat_inlines: usize,
    /// The line of the first container left out, for the page's problem.
    flattened_at: Option<usize>,
}

#[cfg(feature = "markdown")]
impl Builder {
    /// True when a list, quote, emphasis or link opening now would lie deeper than
    /// [`MAX_NESTING`]; it is then left out (and the line remembered).
    fn too_deep(&mut self, line: usize) -> bool {
        let blocks = self.blocks.iter();
        let open = blocks.filter(|f| matches!(f, Frame::List { .. } | Frame::Quote(_)));
        let inlines = self.inlines.iter();
        let open_inlines = inlines.filter(|f| {
            matches!(
                f,
                InlineFrame::Strong(_) | InlineFrame::Emph(_) | InlineFrame::Link(..)
            )
        });
        let deep = open.count() + open_inlines.count() >= MAX_NESTING;
        if deep {
            self.flattened_at.get_or_insert(line);
        }
        deep
    }

    fn container(&mut self) -> &mut Vec<Block> {
        match self.blocks.last_mut() {
            Some(Frame::Root(b) | Frame::Item(b) | Frame::Quote(b)) => b,
            Some(Frame::List { items, .. }) => {
                if items.is_empty() {
                    items.push(Vec::new());
                }
                let last = items.len() - 1;
                &mut items[last]
            }
            // Table cells hold inlines only, so no block arrives inside a table; should one
            // ever do, it is dropped rather than breaking the table's frame.
            Some(Frame::Table { .. }) | None => {
                self.scratch.clear();
                &mut self.scratch
            }
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        if self.inlines.is_empty() {
            // Tight list items carry text without a paragraph.
            self.inlines.push(InlineFrame::Para(Vec::new()));
        }
        let idx = self.inlines.len() - 1;
        match &mut self.inlines[idx] {
            InlineFrame::Para(v)
            | InlineFrame::Heading(_, v)
            | InlineFrame::Cell(v)
            | InlineFrame::Strong(v)
            | InlineFrame::Emph(v)
            | InlineFrame::Link(_, v)
            | InlineFrame::Image(v) => {
                if let (Inline::Text(new), Some(Inline::Text(prev))) = (&inline, v.last_mut()) {
                    prev.push_str(new);
                } else {
                    v.push(inline);
                }
            }
        }
    }

    /// Closes an implicit paragraph (tight list text) before a block starts or an item ends.
    fn close_implicit_para(&mut self) {
        if self.inlines.len() == 1 {
            if let Some(InlineFrame::Para(_)) = self.inlines.last() {
                if let Some(InlineFrame::Para(v)) = self.inlines.pop() {
                    if !v.is_empty() {
                        self.container().push(Block::Para { inlines: v });
                    }
                }
            }
        }
    }

    fn close_inline(&mut self) -> Option<Inline> {
        match self.inlines.pop()? {
            InlineFrame::Strong(v) => Some(Inline::Strong(v)),
            InlineFrame::Emph(v) => Some(Inline::Emph(v)),
            InlineFrame::Link(url, v) => Some(Inline::Link { url, children: v }),
            InlineFrame::Image(v) => Some(Inline::Text(inline_text(&v))),
            InlineFrame::Para(v) | InlineFrame::Heading(_, v) | InlineFrame::Cell(v) => {
                Some(Inline::Text(inline_text(&v)))
            }
        }
    }

    fn start_section(&mut self, level: u8, heading: String, line: usize) {
        let blocks = match self.blocks.drain(..).next() {
            Some(Frame::Root(b)) => b,
            _ => Vec::new(),
        };
        self.blocks.push(Frame::Root(Vec::new()));
        if let Some(last) = self.sections.last_mut() {
            last.blocks = blocks;
        }
        let parent = self
            .sections
            .iter()
            .rposition(|s| s.level < level && (s.level > 0 || level > 0));
        let parent = parent.filter(|&p| self.sections[p].level > 0);
        let anchor = crate::text::slug(&heading);
        self.sections.push(Section {
            level,
            heading,
            anchor,
            parent,
            line,
            blocks: Vec::new(),
        });
    }
}

#[cfg(feature = "markdown")]
/// Byte offset → 1-based line number.
struct Lines(Vec<usize>);

#[cfg(feature = "markdown")]
impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }
    fn line(&self, offset: usize) -> usize {
        match self.0.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

#[cfg(feature = "markdown")]
impl Builder {
    /// A builder for a body whose first line is page line `first_line`.
    fn new(first_line: usize) -> Builder {
        Builder {
            blocks: vec![Frame::Root(Vec::new())],
            inlines: Vec::new(),
            sections: vec![Section {
                level: 0,
                heading: String::new(),
                anchor: String::new(),
                parent: None,
                line: first_line,
                blocks: Vec::new(),
            }],
            code: None,
            scratch: Vec::new(),
            flat_blocks: 0,
            flat_inlines: 0,
            flattened_at: None,
        }
    }

    /// Takes one parser event at page line `line`.
    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(tag) => self.end(tag, line),
            Event::Text(t) => {
                if let Some((_, code, _)) = &mut self.code {
                    code.push_str(&t);
                } else {
                    self.push_inline(Inline::Text(t.to_string()));
                }
            }
            Event::Code(t) => self.push_inline(Inline::Code(t.to_string())),
            Event::SoftBreak => self.push_inline(Inline::Text(" ".into())),
            Event::HardBreak => self.push_inline(Inline::Break),
            Event::InlineHtml(h) | Event::Html(h) => {
                // Raw HTML is dropped; a `<br>` still separates lines.
                let lower = h.to_ascii_lowercase();
                if lower.starts_with("<br") && !self.inlines.is_empty() {
                    self.push_inline(Inline::Break);
                }
            }
            _ => {}
        }
    }

    /// Opens the frame a tag starts.
    fn start(&mut self, tag: Tag<'_>, line: usize) {
        match tag {
            Tag::List(_) | Tag::BlockQuote(_) if self.too_deep(line) => {
                self.close_implicit_para();
                self.flat_blocks += 1;
            }
            Tag::Strong | Tag::Emphasis | Tag::Link { .. } if self.too_deep(line) => {
                self.flat_inlines += 1;
            }
            Tag::Heading { level, .. } => {
                self.close_implicit_para();
                self.inlines
                    .push(InlineFrame::Heading(level as u8, Vec::new()));
            }
            Tag::Paragraph => {
                self.close_implicit_para();
                self.inlines.push(InlineFrame::Para(Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.close_implicit_para();
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new(), line + 1));
            }
            Tag::List(start) => {
                self.close_implicit_para();
                self.blocks.push(Frame::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.close_implicit_para();
                self.blocks.push(Frame::Item(Vec::new()));
            }
            Tag::BlockQuote(_) => {
                self.close_implicit_para();
                self.blocks.push(Frame::Quote(Vec::new()));
            }
            Tag::Table(_) => {
                self.close_implicit_para();
                self.blocks.push(Frame::Table {
                    rows: Vec::new(),
                    row: Vec::new(),
                });
            }
            Tag::TableCell => self.inlines.push(InlineFrame::Cell(Vec::new())),
            Tag::Strong => self.inlines.push(InlineFrame::Strong(Vec::new())),
            Tag::Emphasis => self.inlines.push(InlineFrame::Emph(Vec::new())),
            Tag::Link { dest_url, .. } => self
                .inlines
                .push(InlineFrame::Link(dest_url.to_string(), Vec::new())),
            Tag::Image { .. } => self.inlines.push(InlineFrame::Image(Vec::new())),
            _ => {}
        }
    }

    /// Closes the frame a tag ends and puts what it built into its container.
    fn end(&mut self, tag: TagEnd, line: usize) {
        match tag {
            // Events nest, so while containers were left out, the next list or quote end is
            // one of theirs (likewise for emphasis and links).
            TagEnd::List(_) | TagEnd::BlockQuote(_) if self.flat_blocks > 0 => {
                self.close_implicit_para();
                self.flat_blocks -= 1;
            }
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link if self.flat_inlines > 0 => {
                self.flat_inlines -= 1;
            }
            TagEnd::Heading(_) => {
                if let Some(InlineFrame::Heading(level, v)) = self.inlines.pop() {
                    let text = inline_text(&v).trim().to_string();
                    if self.blocks.len() == 1 {
                        self.start_section(level, text, line);
                    } else {
                        self.container().push(Block::Heading { inlines: v });
                    }
                }
            }
            TagEnd::Paragraph => {
                if let Some(InlineFrame::Para(v)) = self.inlines.pop() {
                    if !v.is_empty() {
                        self.container().push(Block::Para { inlines: v });
                    }
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text, l)) = self.code.take() {
                    self.container().push(Block::Code {
                        lang,
                        text,
                        line: l,
                    });
                }
            }
            TagEnd::Item => {
                self.close_implicit_para();
                if let Some(Frame::Item(blocks)) = self.blocks.pop() {
                    if let Some(Frame::List { items, .. }) = self.blocks.last_mut() {
                        items.push(blocks);
                    } else {
                        self.container().extend(blocks);
                    }
                }
            }
            TagEnd::List(_) => {
                self.close_implicit_para();
                if let Some(Frame::List {
                    ordered,
                    start,
                    items,
                }) = self.blocks.pop()
                {
                    self.container().push(Block::List {
                        ordered,
                        start,
                        items,
                    });
                }
            }
            TagEnd::BlockQuote(_) => {
                self.close_implicit_para();
                if let Some(Frame::Quote(blocks)) = self.blocks.pop() {
                    self.container().push(Block::Quote { blocks });
                }
            }
            TagEnd::TableCell => {
                if let Some(InlineFrame::Cell(v)) = self.inlines.pop() {
                    if let Some(Frame::Table { row, .. }) = self.blocks.last_mut() {
                        row.push(v);
                    }
                }
            }
            TagEnd::TableRow | TagEnd::TableHead => {
                if let Some(Frame::Table { rows, row }) = self.blocks.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table { rows, .. }) = self.blocks.pop() {
                    self.container().push(Block::Table { rows });
                }
            }
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link | TagEnd::Image => {
                if let Some(inline) = self.close_inline() {
                    self.push_inline(inline);
                }
            }
            _ => {}
        }
    }

    /// Closes whatever the document left open and returns the sections.
    fn finish(mut self, problems: &mut Vec<Problem>) -> Vec<Section> {
        if let Some(line) = self.flattened_at {
            problems.push(Problem::warning(
                line,
                &format!("lists, quotes, emphasis and links are nested more than {MAX_NESTING} levels deep here; the deeper levels are shown flattened"),
                "nest them less deeply (split the text into sections or shorter lists)",
            ));
        }
        // Close whatever the document left open (a list at end of file is closed by the parser,
        // but keep this robust).
        self.close_implicit_para();
        while self.blocks.len() > 1 {
            match self.blocks.pop() {
                Some(Frame::Item(blocks)) | Some(Frame::Quote(blocks)) => {
                    self.container().extend(blocks)
                }
                Some(Frame::List { items, .. }) => {
                    for item in items {
                        self.container().extend(item);
                    }
                }
                _ => {}
            }
        }
        let rest = match self.blocks.pop() {
            Some(Frame::Root(v)) => v,
            _ => Vec::new(),
        };
        if let Some(last) = self.sections.last_mut() {
            last.blocks = rest;
        }
        self.sections
    }
}

#[cfg(feature = "markdown")]
/// Parses a markdown body into sections. `first_line` is the page line of the body's first line;
/// nesting deeper than [`MAX_NESTING`] is flattened, with a problem in `problems`.
pub fn parse_sections(body: &str, first_line: usize, problems: &mut Vec<Problem>) -> Vec<Section> {
    let lines = Lines::new(body);
    let mut b = Builder::new(first_line);
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        b.event(
            event,
            first_line + lines.line(range.start).saturating_sub(1),
        );
    }
    b.finish(problems)
}

#[cfg(all(test, feature = "markdown"))]
mod tests {
    use super::*;

    #[test]
    fn sections_nest_and_keep_lists_and_code() {
        let md = "intro\n\n## A\n\n1. run `ls -l`\n1. two\n\n### B\n\n```bash\necho hi\n```\n\n## C\ntext <br> more <script>x</script>\n";
        let s = parse_sections(md, 1, &mut Vec::new());
        assert_eq!(s.len(), 4);
        assert_eq!(s[1].heading, "A");
        assert_eq!(s[2].heading, "B");
        assert_eq!(s[2].parent, Some(1));
        assert_eq!(s[3].parent, None);
        assert_eq!(s[1].line, 3);
        match &s[1].blocks[0] {
            Block::List { ordered, items, .. } => {
                assert!(ordered);
                assert_eq!(items.len(), 2);
            }
            other => panic!("expected list, got {other:?}"),
        }
        assert!(
            matches!(&s[2].blocks[0], Block::Code { lang, text, .. } if lang == "bash" && text == "echo hi\n")
        );
        let text = blocks_text(&s[3].blocks);
        assert!(!text.contains("script>"), "{text}");
    }
}
