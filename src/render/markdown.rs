//! Markdown → HTML with pulldown-cmark: heading ids and the table of
//! contents, internal links rewritten to URLs, external links marked, code
//! highlighted, raw HTML sanitised, and the plain text for search.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::contacts::contact_link;
use super::links::{has_unsafe_scheme, is_external, resolve, Target};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::Page;
use crate::render::highlight;
use crate::render::search::DocPart;

pub use super::contacts::{InlineContact, CONTACT_VARIANTS};
pub use super::links::LinkIndex;
pub use super::outline::{outline, Block, Outliner};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link to `#anchor` on another page, checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: usize,
    pub anchor: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub anchor_refs: Vec<AnchorRef>,
    pub parts: Vec<DocPart>,
    pub word_count: usize,
    pub has_code: bool,
    /// Lines of images without alt text (for `check`).
    pub images_without_alt: Vec<usize>,
    /// Lines and targets of external links (for `check`).
    pub external_links: Vec<(usize, String)>,
    /// Lines and keys of `[](contact:key)` references.
    pub contacts: Vec<(usize, String)>,
    /// The page's blocks as `check` reads them; only when asked for.
    pub blocks: Vec<Block>,
    /// How many words of text come before the first way to reach someone:
    /// a phone, mail, web or contact link, or the school directory.
    pub first_contact_word: Option<usize>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A stable id from heading text: lowercase, accents folded, every run of
/// other characters a single `-`. "Wat doet een vertrouwenspersoon?" →
/// `wat-doet-een-vertrouwenspersoon`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    // Most headings are ASCII, and decomposing is the slow part.
    let chars: Box<dyn Iterator<Item = char>> = if text.is_ascii() {
        Box::new(text.chars())
    } else {
        Box::new(text.nfd())
    };
    for c in chars {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Wat is 'n ..." and "jouw school's" stay one word.
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "kop".into()
    } else {
        out
    }
}

pub(super) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Events borrow the page's body: they live only while it is rendered.
struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
    text: String,
}

pub(super) struct LineIndex {
    newlines: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    pub(super) fn new(text: &str, first_line: usize) -> Self {
        LineIndex {
            newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
            first_line,
        }
    }
    pub(super) fn line(&self, offset: usize) -> usize {
        self.first_line + self.newlines.partition_point(|&n| n < offset)
    }
    /// The 1-based column, in characters, of `offset` in `text`.
    fn column(&self, text: &str, offset: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < offset);
        let start = if i == 0 { 0 } else { self.newlines[i - 1] + 1 };
        text.get(start..offset).map_or(1, |s| s.chars().count() + 1)
    }
}

pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub(super) fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Renders one page's Markdown. Links to other pages' anchors are returned
/// for checking once all pages are rendered.
pub fn render<'a>(page: &'a Page, index: &LinkIndex, outline: bool) -> Rendered {
    let mut out = Rendered::default();
    let mut outliner = outline.then(Outliner::default);
    let lines = LineIndex::new(&page.body, page.body_line);
    let mut events: Vec<Event<'a>> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut has_raw_html = false;

    // A heading is buffered until its end, to derive its id from its text.
    let mut heading: Option<PendingHeading<'a>> = None;
    let mut code: Option<(String, String)> = None;
    let mut image_alt: Option<(usize, String)> = None;
    let mut here_anchors: Vec<(String, usize)> = Vec::new();
    // `[](contact:key)` replaces the whole link, its end included.
    let mut swallow_link_end = false;
    // Whether a space is due before the next word of `part.text`, which
    // holds the part's words with single spaces between them.
    let mut gap = false;
    let mut part = DocPart {
        anchor: None,
        heading: String::new(),
        level: 0,
        text: String::new(),
    };

    let push = |ev: Event<'a>,
                heading: &mut Option<PendingHeading<'a>>,
                events: &mut Vec<Event<'a>>| match heading {
        Some(h) => h.inner.push(ev),
        None => events.push(ev),
    };

    for (ev, range) in Parser::new_ext(&page.body, options()).into_offset_iter() {
        let line = lines.line(range.start);
        if let Some(o) = &mut outliner {
            o.feed(&ev, line);
        }
        if let Some((_, text)) = &mut code {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    out.has_code = true;
                    push(
                        Event::Html(highlight::highlight(&text, &lang).into()),
                        &mut heading,
                        &mut events,
                    );
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner,
                    text,
                }) = heading.take()
                else {
                    continue;
                };
                let title = text.trim().to_string();
                let base = id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&title));
                let n = used_ids.entry(base.clone()).or_insert(0);
                let id = if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                *n += 1;
                used_ids.entry(id.clone()).or_insert(1);
                out.headings.push(Heading {
                    level: level_number(level),
                    id: id.clone(),
                    title: title.clone(),
                });
                gap = false;
                if !part.text.is_empty() || part.anchor.is_some() {
                    out.parts.push(std::mem::replace(
                        &mut part,
                        DocPart {
                            anchor: None,
                            heading: String::new(),
                            level: 0,
                            text: String::new(),
                        },
                    ));
                }
                part = DocPart {
                    anchor: Some(id.clone()),
                    heading: title,
                    level: level_number(level),
                    text: String::new(),
                };
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs,
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if matches!(link_type, LinkType::Email) {
                    push(
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }),
                        &mut heading,
                        &mut events,
                    );
                    continue;
                }
                let reaches = dest_url.starts_with("contact:")
                    || is_external(&dest_url)
                    || dest_url.trim_start_matches('/').starts_with("instellingen");
                if reaches && out.first_contact_word.is_none() {
                    out.first_contact_word = Some(out.word_count);
                }
                if let Some(spec) = dest_url.strip_prefix("contact:") {
                    let bare = page.body[range.clone()].starts_with("[]");
                    let at = (line, lines.column(&page.body, range.start));
                    let (html, words) = contact_link(index, page, spec, bare, at, &mut out);
                    if !words.is_empty() {
                        if gap {
                            part.text.push(' ');
                        }
                        part.text.push_str(&words);
                        gap = true;
                    }
                    out.contacts
                        .push((line, spec.split('?').next().unwrap_or(spec).to_string()));
                    swallow_link_end = bare;
                    push(Event::InlineHtml(html.into()), &mut heading, &mut events);
                    continue;
                }
                let title_attr = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_attr(&title))
                };
                if is_external(&dest_url) {
                    out.external_links.push((line, dest_url.to_string()));
                    push(
                        Event::InlineHtml(
                            format!(
                                "<a href=\"{}\" class=\"external\"{title_attr}>",
                                escape_attr(&dest_url)
                            )
                            .into(),
                        ),
                        &mut heading,
                        &mut events,
                    );
                    continue;
                }
                if has_unsafe_scheme(&dest_url) {
                    out.diagnostics.push(
                        Diagnostic::error(
                            "unsafe-link",
                            &page.file,
                            format!("the link `{dest_url}` uses a scheme that is not allowed"),
                        )
                        .at_line(line)
                        .hint("link to a page, or to an https:, mailto: or tel: address"),
                    );
                    push(Event::InlineHtml("<a>".into()), &mut heading, &mut events);
                    continue;
                }
                let href = match resolve(index, &page.dir, &dest_url) {
                    Ok(Target::Page(i, anchor)) => {
                        let url = index.url(&index.page_urls[i]);
                        match anchor {
                            Some(a) => {
                                out.anchor_refs.push(AnchorRef {
                                    target: i,
                                    anchor: a.clone(),
                                    line,
                                });
                                format!("{url}#{a}")
                            }
                            None => url,
                        }
                    }
                    Ok(Target::Url(u)) => index.url(&u),
                    Ok(Target::Here(a)) => {
                        here_anchors.push((a.clone(), line));
                        format!("#{a}")
                    }
                    Err(why) => {
                        let mut d = Diagnostic::error("broken-link", &page.file, why.message)
                            .at(line, lines.column(&page.body, range.start));
                        d.hint = why.hint;
                        d.cause = why.cause;
                        out.diagnostics.push(d);
                        dest_url.to_string()
                    }
                };
                push(
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: href.into(),
                        title,
                        id,
                    }),
                    &mut heading,
                    &mut events,
                );
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image_alt = Some((line, String::new()));
                let src = if is_external(&dest_url) || has_unsafe_scheme(&dest_url) {
                    if has_unsafe_scheme(&dest_url) {
                        out.diagnostics.push(
                            Diagnostic::error(
                                "unsafe-link",
                                &page.file,
                                format!("the image `{dest_url}` uses a scheme that is not allowed"),
                            )
                            .at_line(line)
                            .hint("put the image next to the page and link to it by name"),
                        );
                        String::new()
                    } else {
                        dest_url.to_string()
                    }
                } else {
                    match resolve(index, &page.dir, &dest_url) {
                        Ok(Target::Url(u)) => index.url(&u),
                        Ok(_) | Err(_) => {
                            out.diagnostics.push(
                                Diagnostic::error(
                                    "broken-link",
                                    &page.file,
                                    format!("the image `{dest_url}` does not exist"),
                                )
                                .at_line(line)
                                .hint("put the image in the page's folder and check the name"),
                            );
                            dest_url.to_string()
                        }
                    }
                };
                push(
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: src.into(),
                        title,
                        id,
                    }),
                    &mut heading,
                    &mut events,
                );
            }
            Event::End(TagEnd::Image) => {
                if let Some((l, alt)) = image_alt.take() {
                    if alt.trim().is_empty() {
                        out.images_without_alt.push(l);
                    }
                }
                push(Event::End(TagEnd::Image), &mut heading, &mut events);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, alt)) = &mut image_alt {
                    alt.push_str(t);
                }
                out.word_count += match &mut heading {
                    Some(h) => {
                        h.text.push_str(t);
                        t.split_whitespace().count()
                    }
                    None => push_words(&mut part.text, &mut gap, t),
                };
                push(ev, &mut heading, &mut events);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                push(Event::Html(h), &mut heading, &mut events);
            }
            Event::SoftBreak | Event::HardBreak => {
                gap = true;
                push(ev, &mut heading, &mut events);
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell) => {
                gap = true;
                push(ev, &mut heading, &mut events);
            }
            Event::End(TagEnd::Link) if swallow_link_end => swallow_link_end = false,
            other => push(other, &mut heading, &mut events),
        }
    }
    if let Some(h) = heading.take() {
        events.extend(h.inner);
    }
    if !part.text.is_empty() || part.anchor.is_some() {
        out.parts.push(part);
    }

    let ids: HashSet<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    for (a, line) in here_anchors {
        if !a.is_empty() && a != "top" && !ids.contains(a.as_str()) {
            let hint =
                did_you_mean(&a, ids.iter().copied()).map(|k| format!("did you mean `#{k}`?"));
            let mut d = Diagnostic::error(
                "broken-anchor",
                &page.file,
                format!("the anchor `#{a}` does not exist on this page"),
            )
            .at_line(line);
            d.hint = hint.or(Some(
                "headings get ids from their text, e.g. `## Wat kun je doen?` → `#wat-kun-je-doen`"
                    .into(),
            ));
            out.diagnostics.push(d);
        }
    }

    out.blocks = outliner.map(Outliner::finish).unwrap_or_default();
    let mut html = String::with_capacity(page.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = if has_raw_html { sanitize(&html) } else { html };
    out
}

/// Appends the words of `text` to `words`, one space between words, as if
/// all text were joined and then split on white space; `gap` says that
/// white space came since the last word. Returns the number of words.
fn push_words(words: &mut String, gap: &mut bool, text: &str) -> usize {
    *gap |= text.starts_with(char::is_whitespace);
    let mut n = 0;
    for word in text.split_whitespace() {
        if *gap && !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
        *gap = true;
        n += 1;
    }
    *gap = if n == 0 {
        *gap
    } else {
        text.ends_with(char::is_whitespace)
    };
    n
}

/// Raw HTML in content is reduced to a safe subset: no scripts, styles,
/// frames, event handlers or unsafe URL schemes ever reach the output.
pub fn sanitize(html: &str) -> String {
    use std::sync::OnceLock;
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["id", "class", "lang", "dir", "title"])
                .add_tags([
                    "details",
                    "summary",
                    "mark",
                    "figure",
                    "figcaption",
                    "input",
                    "section",
                    "span",
                    "div",
                ])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("ol", ["start"])
                .add_tag_attributes("td", ["align", "style"])
                .add_tag_attributes("th", ["align", "style"])
                .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
                .link_rel(Some("noopener noreferrer"));
            b
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::links::normalize;
    use super::*;

    #[test]
    fn words_are_joined_as_if_split_after_joining() {
        for pieces in [
            &["Hallo ", "wereld"][..],
            &["**vet**", "gedrukt", " en  ", "\u{a0}niet "],
            &["", " ", "a", "b", " c\n", "\td "],
        ] {
            let (mut words, mut gap, mut n) = (String::new(), false, 0);
            for p in pieces {
                n += push_words(&mut words, &mut gap, p);
            }
            let joined = pieces.concat();
            let expected: Vec<&str> = joined.split_whitespace().collect();
            assert_eq!(words, expected.join(" "), "{pieces:?}");
            // The count is per text event, as the reading time always was.
            let per_piece: usize = pieces.iter().map(|p| p.split_whitespace().count()).sum();
            assert_eq!(n, per_piece);
        }
    }

    #[test]
    fn slugs_for_dutch_headings() {
        assert_eq!(
            slugify("Wat doet een vertrouwenspersoon?"),
            "wat-doet-een-vertrouwenspersoon"
        );
        assert_eq!(slugify("De coördinator"), "de-coordinator");
        assert_eq!(slugify("Één keer—twee"), "een-keer-twee");
        assert_eq!(slugify("?!"), "kop");
    }

    #[test]
    fn unsafe_schemes() {
        assert!(has_unsafe_scheme("javascript:alert(1)"));
        assert!(has_unsafe_scheme("data:text/html,x"));
        assert!(!has_unsafe_scheme("../melden/x.md"));
        assert!(!has_unsafe_scheme("https://x.nl"));
        assert!(!has_unsafe_scheme("/a/b:c"));
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(
            normalize("melden/../inclusie/x.md").as_deref(),
            Some("inclusie/x.md")
        );
        assert_eq!(normalize("../x.md"), None);
    }

    #[test]
    fn sanitize_removes_scripts_and_handlers() {
        let s = sanitize("<p onclick=\"x()\">a</p><script>alert(1)</script><a href=\"javascript:x\">b</a><iframe src=\"https://e.nl\"></iframe>");
        assert!(!s.contains("script"), "{s}");
        assert!(!s.contains("onclick"), "{s}");
        assert!(!s.contains("javascript"), "{s}");
        assert!(!s.contains("iframe"), "{s}");
    }
}
