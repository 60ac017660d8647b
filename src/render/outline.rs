//! A page's blocks as `check` reads them: headings, prose with the line of
//! each run of text, and everything else. Collected from the same Markdown
//! events the page is rendered from.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::markdown::{level_number, options, LineIndex};

/// One block of a page's body as `check` reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        line: usize,
        title: String,
    },
    /// A paragraph, list item or quote: its text runs, each with the line
    /// it is on. Inline code, image descriptions and tables are left out.
    Prose {
        line: usize,
        runs: Vec<(usize, String)>,
        /// A list item rather than a paragraph: often a fragment, which
        /// readability reports apart.
        item: bool,
    },
    /// Anything else that is content: code, a table, raw HTML, an image.
    Other { line: usize },
}

/// Builds a page's [`Block`]s from its Markdown events, as the render
/// loop sees them, so that `check` needs no second parse.
#[derive(Default)]
pub struct Outliner {
    out: Vec<Block>,
    open: Option<OpenBlock>,
    heading: Option<(u8, usize, String)>,
    /// Inside code, tables or image descriptions: not body text.
    skip: usize,
}

struct OpenBlock {
    line: usize,
    runs: Vec<(usize, String)>,
    media: bool,
    item: bool,
}

impl Outliner {
    fn flush(&mut self) {
        if let Some(o) = self.open.take() {
            if o.runs.iter().any(|(_, t)| !t.trim().is_empty()) {
                self.out.push(Block::Prose {
                    line: o.line,
                    runs: o.runs,
                    item: o.item,
                });
            } else if o.media {
                self.out.push(Block::Other { line: o.line });
            }
        }
    }

    /// Takes the next event, found at `line`.
    pub fn feed(&mut self, ev: &Event, line: usize) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some((level_number(*level), line, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, line, title)) = self.heading.take() {
                    self.out.push(Block::Heading {
                        level,
                        line,
                        title: title.trim().to_string(),
                    });
                }
            }
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Item) => {
                // The paragraph of a loose list item is part of the item.
                let item = matches!(ev, Event::Start(Tag::Item))
                    || (self
                        .open
                        .as_ref()
                        .is_some_and(|o| o.item && o.runs.is_empty()));
                self.flush();
                if self.skip == 0 {
                    self.open = Some(OpenBlock {
                        line,
                        runs: Vec::new(),
                        media: false,
                        item,
                    });
                }
            }
            // The text of an item ends where its nested list starts.
            Event::Start(Tag::List(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => self.flush(),
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::Table(_))
            | Event::Start(Tag::HtmlBlock) => {
                self.flush();
                self.out.push(Block::Other { line });
                self.skip += 1;
            }
            Event::Start(Tag::Image { .. }) => {
                match &mut self.open {
                    Some(o) => o.media = true,
                    None => self.out.push(Block::Other { line }),
                }
                self.skip += 1;
            }
            Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::Table)
            | Event::End(TagEnd::HtmlBlock)
            | Event::End(TagEnd::Image) => self.skip = self.skip.saturating_sub(1),
            Event::Text(t) if self.skip == 0 => match (&mut self.heading, &mut self.open) {
                (Some(h), _) => h.2.push_str(t),
                (None, Some(o)) => o.runs.push((line, t.to_string())),
                _ => {}
            },
            Event::Code(t) => match (&mut self.heading, &mut self.open) {
                (Some(h), _) => h.2.push_str(t),
                (None, Some(o)) => o.runs.push((line, " ".into())),
                _ => {}
            },
            Event::SoftBreak | Event::HardBreak => {
                if let Some(o) = &mut self.open {
                    o.runs.push((line, " ".into()));
                }
            }
            _ => {}
        }
    }

    pub fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.out
    }
}

/// The blocks of a Markdown text on its own (for tests and tools).
pub fn outline(body: &str, first_line: usize) -> Vec<Block> {
    let lines = LineIndex::new(body, first_line);
    let mut o = Outliner::default();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        o.feed(&ev, lines.line(range.start));
    }
    o.finish()
}
