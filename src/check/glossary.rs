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

use crate::render::search::text;

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

    /// The words of the site's glossary (`Site::glossary`).
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a String>) -> Explained {
        let mut e = Explained::default();
        for w in words {
            e.add(w);
        }
        e
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_by_word_and_stem() {
        let g = Explained::from_words(&[
            "vertrouwenspersoon".to_string(),
            "studieloopbaanbegeleider".to_string(),
        ]);
        assert!(g.explains("Vertrouwenspersoon"));
        assert!(g.explains("studieloopbaanbegeleiders"));
        assert!(!g.explains("arbeidsvoorwaardenregeling"));
    }
}
