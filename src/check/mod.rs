//! `wegwijzer check`: every validation of `build`, without writing, plus
//! the checks an editor needs before publishing: links, the directory and
//! the organisations, readability, and content hygiene.
//!
//! Every problem is a [`Diagnostic`] with a severity: an **error** (the site is
//! wrong), a **warning** (fix it before publishing; `--strict` fails on it)
//! or a **note** (information that never fails). Readability only ever
//! warns.
//!
//! The JSON output (`--format json`) is [`Report::to_json`]; its structure
//! is versioned by `"version"` and described there.

pub mod glossary;
pub mod readability;
mod report;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Site;
use crate::render::markdown::Block;
use crate::render::{NullSink, PageFacts, RenderStats};
use crate::BuildOptions;
use glossary::Explained;
use readability::{LongWord, Stats};

pub use report::Format;

/// A finding of `check`: a [`Diagnostic`] at a line, with a hint.
fn finding(
    severity: Severity,
    code: &'static str,
    file: impl Into<PathBuf>,
    line: usize,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Diagnostic {
    Diagnostic {
        severity,
        ..Diagnostic::error(code, file, message)
    }
    .at_line(line)
    .hint(hint)
}

/// The readability of one page, and its long words that nothing explains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageReport {
    pub file: PathBuf,
    pub url: String,
    /// For students (its own `audience`, or its section's).
    pub student: bool,
    #[serde(flatten)]
    pub readability: Stats,
    pub long_words: Vec<LongWord>,
}

/// An external host and how often the site links to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Domain {
    pub domain: String,
    pub links: usize,
    pub files: Vec<PathBuf>,
}

/// Contact data not checked for more than 12 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// `institution` or `organisation`.
    pub kind: &'static str,
    pub name: String,
    pub file: PathBuf,
    pub line: usize,
    /// `None`: never checked.
    pub checked: Option<NaiveDate>,
}

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct Report {
    /// Sorted by file, line, column.
    pub findings: Vec<Diagnostic>,
    pub pages: Vec<PageReport>,
    /// Most links first.
    pub domains: Vec<Domain>,
    /// Oldest first; never checked before all.
    pub stale: Vec<Stale>,
    pub threshold: f64,
    pub stats: RenderStats,
    pub today: NaiveDate,
}

impl Report {
    pub fn count(&self, level: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == level).count()
    }

    /// 1 on errors, and with `strict` also on warnings; 0 otherwise.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let fail = self.count(Severity::Error) > 0 || strict && self.count(Severity::Warning) > 0;
        u8::from(fail)
    }
}

/// Runs the whole pipeline into a [`NullSink`] and every check on top.
pub fn check(opts: &BuildOptions) -> Report {
    let mut opts = opts.clone();
    opts.render.outline = true;
    let crate::Run {
        site,
        facts,
        report: build,
    } = crate::run(&opts, &NullSink);
    let mut out: Vec<Diagnostic> = build.diagnostics.into_vec();
    let mut report = Report {
        findings: Vec::new(),
        pages: Vec::new(),
        domains: Vec::new(),
        stale: Vec::new(),
        threshold: site.config.readability_threshold,
        stats: build.stats,
        today: site.today,
    };
    let glossary = Explained::from_words(&site.glossary);
    out.extend(site.glossary_problems.iter().cloned());
    pages(&site, &facts, &glossary, &mut out, &mut report);
    links(&site, &facts, &mut out, &mut report);
    aliases(&site, &mut out);
    organisations(&site, &mut out, &mut report);
    institutions(&site, &mut out, &mut report);
    report
        .stale
        .sort_by(|a, b| (a.checked, &a.file, a.line).cmp(&(b.checked, &b.file, b.line)));
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, b.code, &b.message))
    });
    out.dedup();
    report.findings = out;
    report
}

/// A date more than 12 months before `today`.
fn is_stale(date: NaiveDate, today: NaiveDate) -> bool {
    today
        .checked_sub_months(Months::new(12))
        .is_some_and(|limit| date < limit)
}

/// Whether a page is for students: its own `audience`, or the nearest
/// section's that has one.
fn for_students(site: &Site, i: usize) -> bool {
    let mut p = Some(i);
    while let Some(j) = p {
        let page = &site.pages[j];
        if !page.meta.audience.is_empty() {
            return page.meta.audience.iter().any(|a| a == "student");
        }
        p = page.parent;
    }
    false
}

/// Content hygiene and readability, page by page.
fn pages(
    site: &Site,
    findings: &PageFacts,
    glossary: &Explained,
    out: &mut Vec<Diagnostic>,
    report: &mut Report,
) {
    let no_alt: BTreeMap<usize, &Vec<usize>> = findings
        .images_without_alt
        .iter()
        .map(|(i, lines)| (*i, lines))
        .collect();
    for (i, page) in site.pages.iter().enumerate() {
        let file = &page.file;
        let meta = &page.meta;
        let student = for_students(site, i);
        let level = if student {
            Severity::Warning
        } else {
            Severity::Note
        };

        if meta.description.is_none() {
            out.push(finding(
                Severity::Warning,
                "no-description",
                file,
                meta.line_of("title"),
                "the page has no `description`",
                "add `description:` with one or two sentences; lists, search results and search engines show it",
            ));
        }
        if let Some(updated) = meta.updated {
            if is_stale(updated, site.today) {
                out.push(finding(
                    Severity::Warning,
                    "stale-page",
                    file,
                    meta.line_of("updated"),
                    format!("`updated` is {updated}, more than 12 months ago"),
                    "read the page again, check its facts and links, then set `updated` to today",
                ));
            } else if updated > site.today {
                out.push(finding(
                    Severity::Warning,
                    "future-date",
                    file,
                    meta.line_of("updated"),
                    format!("`updated` is in the future ({updated})"),
                    "use the date on which you last checked the page",
                ));
            }
        }
        if page.is_section
            && page.url != "/"
            && page.children.is_empty()
            && page.subsections.is_empty()
        {
            out.push(finding(
                Severity::Warning,
                "empty-section",
                file,
                1,
                "this section has no pages",
                "add pages to its folder (`wegwijzer new page …`), or remove the section",
            ));
        }
        if let Some(lines) = no_alt.get(&i) {
            for &line in lines.iter() {
                out.push(finding(
                    Severity::Warning,
                    "image-no-alt",
                    file,
                    line,
                    "this image has no alt text",
                    "describe the image between the brackets: `![Wat er op de foto staat](foto.jpg)`",
                ));
            }
        }

        if site.is_situation(i) {
            contact_early(site, i, findings.first_contact_word[i], out);
        }
        let blocks = &findings.blocks[i];
        headings(file, blocks, out);
        for b in blocks {
            if let Some(line) = placeholder_line(b) {
                out.push(finding(
                    Severity::Warning,
                    "placeholder",
                    file,
                    line,
                    "the page still has a `[[…]]` placeholder from `wegwijzer new`",
                    "replace the text between `[[` and `]]` with your own",
                ));
            }
        }

        let text = readability::analyse(blocks);
        let stats = text.stats();
        let mut explained = glossary.clone();
        for k in &meta.keywords {
            explained.add(k);
        }
        let long_words: Vec<LongWord> = text
            .long_words
            .into_iter()
            .filter(|w| !w.explained_inline && !w.name && !explained.explains(&w.word))
            .collect();
        for w in &long_words {
            out.push(finding(
                level,
                "long-word",
                file,
                w.line,
                format!("`{}` has {} letters and is not explained", w.word, w.letters),
                "explain it in brackets where it first appears, or add it to the page's `keywords` or to content/woordenlijst.yaml",
            ));
        }
        for s in &stats.long_sentences {
            out.push(finding(
                level,
                "long-sentence",
                file,
                s.line,
                format!(
                    "a sentence of {} words (B1: at most {}): \"{}\"",
                    s.words,
                    readability::LONG_SENTENCE,
                    s.text
                ),
                "split it into shorter sentences: one idea per sentence",
            ));
        }
        if let (true, Some(score)) = (student, stats.flesch_douma) {
            if score < report.threshold {
                let line = text.sentences.first().map_or(page.body_line, |s| s.line);
                out.push(finding(
                    Severity::Warning,
                    "readability",
                    file,
                    line,
                    format!(
                        "Flesch-Douma score {score:.1} is below {} for a student page ({:.1} words per sentence, {:.2} syllables per word)",
                        report.threshold,
                        stats.words_per_sentence.unwrap_or(0.0),
                        stats.syllables as f64 / stats.words.max(1) as f64
                    ),
                    "write shorter sentences and use shorter, everyday words",
                ));
            }
        }
        if stats.sentences > 0 {
            report.pages.push(PageReport {
                file: file.clone(),
                url: page.url.clone(),
                student,
                readability: stats,
                long_words,
            });
        }
    }
}

/// How many words a student reads, at most, before the way to reach
/// someone (CONTENT.md: help first, in the first screen of a phone).
pub const CONTACT_WITHIN_WORDS: usize = 150;

/// A situation page must show a contact early: its first-help box (from
/// `first_help` or `organisations`), or a contact link in its first words.
fn contact_early(
    site: &Site,
    i: usize,
    first_contact_word: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let (first, emergency) = site.first_help(i);
    if !first.is_empty() || emergency.is_some() {
        return;
    }
    if first_contact_word.is_some_and(|w| w <= CONTACT_WITHIN_WORDS) {
        return;
    }
    let page = &site.pages[i];
    let seen = match first_contact_word {
        Some(w) => format!("the first contact comes after {w} words"),
        None => "the page names no way to reach anyone".to_string(),
    };
    out.push(finding(
        Severity::Warning,
        "contact-late",
        &page.file,
        page.body_line,
        format!("this situation page shows no contact in its first {CONTACT_WITHIN_WORDS} words: {seen}"),
        "name the organisation that helps first in `organisations` or `first_help` (the page then starts with a first-help box), or put a [](contact:…) link in the first lines",
    ));
}

/// The line of a `[[` in a prose block. The parser splits text at
/// brackets, so the runs are read as one text.
fn placeholder_line(block: &Block) -> Option<usize> {
    let Block::Prose { runs, .. } = block else {
        return None;
    };
    let mut prev_bracket = false;
    for (line, t) in runs {
        if t.contains("[[") || prev_bracket && t.starts_with('[') {
            return Some(*line);
        }
        prev_bracket = t.ends_with('[');
    }
    None
}

/// Heading levels that skip, `#` headings in the text, and headings with
/// nothing under them.
fn headings(file: &Path, blocks: &[Block], out: &mut Vec<Diagnostic>) {
    let mut prev = 1u8;
    for (j, b) in blocks.iter().enumerate() {
        let Block::Heading { level, line, title } = b else {
            continue;
        };
        if *level == 1 {
            out.push(finding(
                Severity::Warning,
                "heading-h1",
                file,
                *line,
                format!("`# {title}` is a level-1 heading, but the page title is already one"),
                "start the headings in the text at `##`",
            ));
        } else if *level > prev + 1 {
            out.push(finding(
                Severity::Warning,
                "heading-skip",
                file,
                *line,
                format!("the heading `{title}` jumps from level {prev} to level {level}"),
                format!(
                    "use `{}` here; screen readers use heading levels to find their way",
                    "#".repeat(usize::from(prev) + 1)
                ),
            ));
        }
        prev = *level;
        let empty = match blocks.get(j + 1) {
            None => true,
            Some(Block::Heading { level: next, .. }) => next <= level,
            Some(_) => false,
        };
        if empty {
            out.push(finding(
                Severity::Warning,
                "empty-heading",
                file,
                *line,
                format!("the heading `{title}` has no text under it"),
                "write the text for it, or remove the heading",
            ));
        }
    }
}

/// Why an external link is wrong, or its host (for web links).
enum LinkCheck {
    Ok(Option<String>),
    Insecure(String),
    Bad(String),
}

/// A host name: dot-separated labels of letters, digits and `-`, ending
/// in a top-level domain of letters.
fn valid_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic))
}

/// The offline syntax check of one external link.
fn check_link(url: &str) -> LinkCheck {
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("mailto:") {
        let address = rest.split('?').next().unwrap_or("");
        return if crate::load::organisations::is_email(address) {
            LinkCheck::Ok(None)
        } else {
            LinkCheck::Bad(format!("`{address}` is not an e-mail address"))
        };
    }
    if lower.starts_with("tel:") {
        return match crate::phone::parse(url) {
            Ok(_) => LinkCheck::Ok(None),
            Err(e) => LinkCheck::Bad(e),
        };
    }
    let (rest, secure) = match (
        lower.strip_prefix("https://"),
        lower.strip_prefix("http://"),
    ) {
        (Some(r), _) => (r, true),
        (None, Some(r)) => (r, false),
        _ => return LinkCheck::Ok(None),
    };
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(*c))
    {
        return LinkCheck::Bad(format!(
            "it contains `{c}`, which a web address cannot have"
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return LinkCheck::Bad("it has a user name before the host (`…@`)".into());
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    if !valid_host(host) {
        return LinkCheck::Bad(format!("`{host}` is not a host name like `www.example.nl`"));
    }
    if secure {
        LinkCheck::Ok(Some(host.to_string()))
    } else {
        LinkCheck::Insecure(host.to_string())
    }
}

/// External links: syntax, and the list of domains.
fn links(site: &Site, findings: &PageFacts, out: &mut Vec<Diagnostic>, report: &mut Report) {
    let mut domains: BTreeMap<String, (usize, Vec<PathBuf>)> = BTreeMap::new();
    let mut count = |host: String, file: &Path| {
        let e = domains.entry(host).or_default();
        e.0 += 1;
        if !e.1.iter().any(|f| f == file) {
            e.1.push(file.to_path_buf());
        }
    };
    for (file, line, url) in &findings.external_links {
        match check_link(url) {
            LinkCheck::Ok(host) => {
                if let Some(h) = host {
                    count(h, file);
                }
            }
            LinkCheck::Insecure(h) => {
                out.push(finding(
                    Severity::Warning,
                    "insecure-link",
                    file,
                    *line,
                    format!("the link `{url}` uses http, not https"),
                    "use the https address; check in a browser that it works",
                ));
                count(h, file);
            }
            LinkCheck::Bad(why) => out.push(finding(
                Severity::Error,
                "bad-external-link",
                file,
                *line,
                format!("the link `{url}` is not valid: {why}"),
                "copy the address from the browser's address bar",
            )),
        }
    }
    let org_file =
        PathBuf::from("content").join(format!("{}.yaml", crate::load::organisations::DATA_NAME));
    for o in site.organisations.values() {
        let urls = o
            .channels
            .iter()
            .filter(|c| c.href.starts_with("https://"))
            .map(|c| c.href.as_str())
            .chain(std::iter::once(o.source.as_str()));
        for u in urls {
            if let LinkCheck::Ok(Some(h)) = check_link(u) {
                count(h, &org_file);
            }
        }
    }
    for inst in &site.directory.institutions {
        let urls = std::iter::once(inst.website.as_str())
            .chain(inst.contacts.iter().filter_map(|c| c.form.as_deref()))
            .chain(inst.documents.iter().map(|d| d.url.as_str()));
        for u in urls {
            if let LinkCheck::Ok(Some(h)) = check_link(u) {
                count(h, &inst.file);
            }
        }
    }
    let mut list: Vec<Domain> = domains
        .into_iter()
        .map(|(domain, (links, mut files))| {
            files.sort();
            Domain {
                domain,
                links,
                files,
            }
        })
        .collect();
    list.sort_by(|a, b| b.links.cmp(&a.links).then_with(|| a.domain.cmp(&b.domain)));
    report.domains = list;
}

/// Aliases that would overwrite a generated page, or that end in a file
/// name (the redirect is a folder, so the old file URL would not be caught).
fn aliases(site: &Site, out: &mut Vec<Diagnostic>) {
    let mut generated: HashSet<String> = HashSet::from(["/zoeken/".to_string()]);
    if !site.directory.institutions.is_empty() {
        generated.insert("/instellingen/".into());
        for inst in &site.directory.institutions {
            generated.insert(format!("/instellingen/{}/", inst.slug));
            for t in &site.config.themes {
                generated.insert(format!("/instellingen/{}/{}/", inst.slug, t.key));
            }
        }
    }
    for page in &site.pages {
        for alias in &page.meta.aliases {
            let line = page.meta.line_of("aliases");
            let url = format!("/{}/", alias.trim_matches('/')).replace("//", "/");
            if generated.contains(&url) {
                out.push(finding(
                    Severity::Error,
                    "alias-collision",
                    &page.file,
                    line,
                    format!("the alias `{alias}` is the address of a page the site makes itself ({url})"),
                    "remove the alias, or choose another old address",
                ));
            }
            let last = alias.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if last.contains('.') {
                out.push(finding(
                    Severity::Warning,
                    "alias-file",
                    &page.file,
                    line,
                    format!("the alias `{alias}` ends in a file name; the redirect is written to {url}, so `{alias}` itself is not redirected"),
                    "aliases work for folder addresses such as `/oud/pad/`; redirect file addresses on the web server",
                ));
            }
        }
    }
}

/// National organisations: old `checked` dates, foreign phone numbers.
fn organisations(site: &Site, out: &mut Vec<Diagnostic>, report: &mut Report) {
    let Some(data) = site.data_files.get(crate::load::organisations::DATA_NAME) else {
        return;
    };
    let rel = &data.file;
    let line_of = |path: String| data.positions.value(&path).0;
    for (key, o) in &site.organisations {
        if is_stale(o.checked, site.today) {
            let line = line_of(format!("{key}.checked"));
            out.push(finding(
                Severity::Warning,
                "organisation-stale",
                rel,
                line,
                format!(
                    "`{key}` was last checked on {}, more than 12 months ago",
                    o.checked
                ),
                format!(
                    "check the facts on {} and the organisation's own site, then update `checked`",
                    o.source
                ),
            ));
            report.stale.push(Stale {
                kind: "organisation",
                name: o.name.clone(),
                file: rel.clone(),
                line,
                checked: Some(o.checked),
            });
        }
        for (i, c) in o.channels.iter().enumerate() {
            if c.kind != "phone" && c.kind != "whatsapp" {
                continue;
            }
            if let Ok(p) = crate::phone::parse(&c.value) {
                if !p.dutch {
                    out.push(finding(
                        Severity::Warning,
                        "phone-not-dutch",
                        rel,
                        line_of(format!("{key}.channels[{i}].value")),
                        format!("`{key}`: `{}` is not a Dutch number", c.value),
                        "students call from a Dutch phone; give a Dutch number if there is one",
                    ));
                }
            }
        }
    }
}

/// The directory: contacts not checked for 12 months (the loader already
/// warns per file; this collects them oldest first), and example data in
/// files that are not marked as demo data.
fn institutions(site: &Site, out: &mut Vec<Diagnostic>, report: &mut Report) {
    for inst in &site.directory.institutions {
        let stale = inst.checked.is_none_or(|d| is_stale(d, site.today));
        if !stale && inst.demo {
            continue;
        }
        if stale {
            report.stale.push(Stale {
                kind: "institution",
                name: inst.name.clone(),
                file: inst.file.clone(),
                line: inst.positions.key("checked").0,
                checked: inst.checked,
            });
        }
        if !inst.demo {
            // The first value that is example data.
            let example = inst
                .positions
                .iter()
                .filter(|(_, p)| p.raw.as_deref().is_some_and(|v| v.contains(".example")))
                .map(|(_, p)| p.line)
                .min();
            if let Some(line) = example {
                out.push(finding(
                    Severity::Warning,
                    "example-data",
                    &inst.file,
                    line,
                    "this institution is not marked `demo: true`, but still has example data (`.example`)",
                    "replace every example value with the school's real data",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_link_syntax() {
        assert!(
            matches!(check_link("https://www.politie.nl/x?y#z"), LinkCheck::Ok(Some(h)) if h == "www.politie.nl")
        );
        assert!(matches!(
            check_link("https://www.politie.nl:443/"),
            LinkCheck::Ok(Some(_))
        ));
        assert!(matches!(
            check_link("http://www.politie.nl/"),
            LinkCheck::Insecure(_)
        ));
        assert!(matches!(
            check_link("mailto:info@school.example?subject=Hoi"),
            LinkCheck::Ok(None)
        ));
        assert!(matches!(check_link("tel:0800-7000"), LinkCheck::Ok(None)));
        for bad in [
            "https://www..nl/",
            "https:///pad",
            "https://user@www.politie.nl/",
            "https://www.politie.n1/",
            "mailto:info",
            "tel:abc",
        ] {
            assert!(matches!(check_link(bad), LinkCheck::Bad(_)), "{bad}");
        }
    }

    #[test]
    fn heading_checks() {
        let blocks = crate::render::markdown::outline(
            "## A\n\ntekst\n\n#### B\n\n## C\n\n# D\n\ntekst\n",
            5,
        );
        let mut out = Vec::new();
        headings(Path::new("p.md"), &blocks, &mut out);
        let got: Vec<(&str, Option<usize>)> = out.iter().map(|f| (f.code, f.line)).collect();
        assert_eq!(
            got,
            [
                ("heading-skip", Some(9)),
                ("empty-heading", Some(9)),
                ("empty-heading", Some(11)),
                ("heading-h1", Some(13)),
            ]
        );
    }

    #[test]
    fn outline_keeps_lines_and_leaves_out_code() {
        let blocks = crate::render::markdown::outline(
            "Eerste zin\nloopt door.\n\n- punt `code` een\n  - dieper\n\n```yaml\na: b\n```\n\n| a |\n|---|\n| b |\n\n![](x.png)\n",
            10,
        );
        assert_eq!(
            blocks,
            [
                Block::Prose {
                    line: 10,
                    runs: vec![
                        (10, "Eerste zin".into()),
                        (10, " ".into()),
                        (11, "loopt door.".into())
                    ],
                    item: false,
                },
                Block::Prose {
                    line: 13,
                    runs: vec![(13, "punt ".into()), (13, " ".into()), (13, " een".into())],
                    item: true,
                },
                Block::Prose {
                    line: 14,
                    runs: vec![(14, "dieper".into())],
                    item: true,
                },
                Block::Other { line: 16 },
                Block::Other { line: 20 },
                Block::Other { line: 24 },
            ]
        );
    }
}
