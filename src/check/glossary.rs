//! The glossary, `content/woordenlijst.yaml`: long words that the site
//! explains, so that `check` does not flag them on every page.
//!
//! ```yaml
//! woorden:
//!   vertrouwenspersoon: Iemand op school die naar je luistert en geheimhouding heeft.
//! ```
//!
//! It is an ordinary data file as well (`data.woordenlijst` in templates).
//! A word counts as explained when it is an entry, or has the same stem as
//! one (`vertrouwenspersonen`).

use std::collections::HashSet;
use std::path::Path;

use crate::diagnostics::{suggestion, Diagnostic};
use crate::load::yaml;
use crate::render::search::text;

/// Where the glossary lives, relative to the site root.
pub const FILE: &str = "content/woordenlijst.yaml";
const TOP_KEY: &str = "woorden";

/// Words that count as explained: exact (lower case) and by stem.
#[derive(Debug, Clone, Default)]
pub struct Explained {
    words: HashSet<String>,
    stems: HashSet<String>,
}

/// The search index's stem of a word, so that forms of one word match.
fn term_of(word: &str) -> Option<String> {
    text::words(word).first().map(text::term)
}

impl Explained {
    /// Adds a word or phrase; each word of a phrase counts on its own.
    pub fn add(&mut self, text: &str) {
        for w in text.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if w.is_empty() {
                continue;
            }
            if let Some(t) = term_of(&w) {
                self.stems.insert(t);
            }
            self.words.insert(w);
        }
    }

    pub fn explains(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        self.words.contains(&w) || term_of(&w).is_some_and(|t| self.stems.contains(&t))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Reads the glossary file. Problems name the file and line.
pub fn parse(text: &str, file: &Path) -> (Explained, Vec<Diagnostic>) {
    let mut out = Explained::default();
    let mut diags = Vec::new();
    let value = match yaml::parse_value(text, file, 1) {
        Ok(v) => v,
        Err(d) => return (out, vec![d]),
    };
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| {
                let t = l.trim_start();
                t.strip_prefix(needle)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .map_or(1, |i| i + 1)
    };
    let map = match &value {
        serde_yaml::Value::Null => return (out, diags),
        serde_yaml::Value::Mapping(m) => m,
        other => {
            diags.push(
                Diagnostic::error(
                    "glossary",
                    file,
                    format!(
                        "the glossary must start with `{TOP_KEY}:`, not {}",
                        yaml::describe(other)
                    ),
                )
                .at(1, 1)
                .hint("write `woorden:` and under it one `woord: uitleg` line per word"),
            );
            return (out, diags);
        }
    };
    for (k, v) in map {
        let key = k.as_str().map_or_else(|| yaml::describe(k), str::to_string);
        if key != TOP_KEY {
            diags.push(
                Diagnostic::error("unknown-key", file, format!("unknown key `{key}`"))
                    .at(line_of(&key), 1)
                    .hint(format!(
                        "{} (the glossary has one key, `{TOP_KEY}`)",
                        suggestion(&key, &[TOP_KEY])
                    )),
            );
            continue;
        }
        let words = match v {
            serde_yaml::Value::Mapping(m) => m,
            serde_yaml::Value::Null => continue,
            other => {
                diags.push(
                    Diagnostic::error(
                        "glossary",
                        file,
                        format!(
                            "`{TOP_KEY}` must be a list of `woord: uitleg` lines, not {}",
                            yaml::describe(other)
                        ),
                    )
                    .at(line_of(TOP_KEY), 1)
                    .hint("indent each word under `woorden:`, e.g. `  vertrouwenspersoon: Iemand die …`"),
                );
                continue;
            }
        };
        for (word, explanation) in words {
            let Some(word) = word.as_str() else {
                diags.push(
                    Diagnostic::error(
                        "glossary",
                        file,
                        format!("{} is not a word", yaml::describe(word)),
                    )
                    .at(line_of(TOP_KEY), 1)
                    .hint("put numbers and other values in quotes"),
                );
                continue;
            };
            let ok = explanation.as_str().is_some_and(|s| !s.trim().is_empty());
            if !ok {
                diags.push(
                    Diagnostic::error("glossary", file, format!("`{word}` has no explanation"))
                        .at(line_of(word), 1)
                        .hint("write after the colon what the word means, in one short sentence"),
                );
            }
            out.add(word);
        }
    }
    (out, diags)
}

/// Reads `content/woordenlijst.yaml` under `root`, when it exists.
pub fn load(root: &Path) -> (Explained, Vec<Diagnostic>) {
    let rel = Path::new(FILE);
    let abs = root.join(rel);
    if !abs.is_file() {
        return (Explained::default(), Vec::new());
    }
    match crate::load::read_text(&abs, rel) {
        Ok(text) => parse(&text, rel),
        Err(d) => (Explained::default(), vec![d]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_by_word_and_stem() {
        let (g, diags) = parse(
            "woorden:\n  vertrouwenspersoon: Iemand die luistert.\n  studieloopbaanbegeleider: Je mentor.\n",
            Path::new(FILE),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(g.explains("Vertrouwenspersoon"));
        assert!(g.explains("studieloopbaanbegeleiders"));
        assert!(!g.explains("arbeidsvoorwaardenregeling"));
    }

    #[test]
    fn reports_wrong_shapes_at_their_line() {
        let (_, diags) = parse("woorde:\n  x: y\n", Path::new(FILE));
        assert_eq!(diags[0].code, "unknown-key");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `woorden`? (the glossary has one key, `woorden`)")
        );
        let (_, diags) = parse("woorden:\n  a: Uitleg.\n  lang:\n", Path::new(FILE));
        assert_eq!(diags[0].message, "`lang` has no explanation");
        assert_eq!(diags[0].line, Some(3));
        let (_, diags) = parse("woorden: [a, b]\n", Path::new(FILE));
        assert_eq!(diags[0].code, "glossary");
    }
}
