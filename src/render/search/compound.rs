//! Compound splitting against the site's own vocabulary.
//!
//! Dutch writes compounds as one word: "stagediscriminatie",
//! "vertrouwenspersoon". A word is split when it can be cut into parts that
//! the site itself uses as words, with an optional linking "s"
//! ("vertrouwen|s|persoon"). The index then also files the word under its
//! parts, at a lower weight, so "discriminatie" finds "stagediscriminatie"
//! and "stage discriminatie" finds it too. Using the site's vocabulary
//! instead of a dictionary keeps splits to words a reader would also type.

use std::collections::HashMap;

use super::text::is_stop_word;

/// Shortest word that is tried, and shortest parts.
const MIN_WORD: usize = 7;
const MIN_LEFT: usize = 3;
const MIN_RIGHT: usize = 4;
/// A first part that the site never uses alone must be at least this long.
const MIN_UNKNOWN_LEFT: usize = 4;

/// Prefixes that are not words of their own, even if the text happens to
/// use them alone ("te ver gaan" must not split "vertrouwen").
const NOT_A_PART: &[&str] = &["be", "er", "ge", "her", "ont", "ver"];

pub struct Splitter<'a> {
    /// Surface word → how often the site uses it.
    vocab: HashMap<&'a str, u32>,
}

/// A candidate split: its parts and the score of their frequencies.
type Split<'w> = (Vec<&'w str>, f64);

impl<'a> Splitter<'a> {
    pub fn new(vocab: HashMap<&'a str, u32>) -> Splitter<'a> {
        Splitter { vocab }
    }

    fn is_part(&self, w: &str) -> Option<u32> {
        if is_stop_word(w) || NOT_A_PART.contains(&w) {
            return None;
        }
        self.vocab.get(w).copied()
    }

    /// The parts of `word`, if it is a compound of known words; `None`
    /// otherwise. Prefers the fewest parts, then the most frequent parts.
    #[cfg(test)]
    pub fn split(&self, word: &str) -> Option<Vec<String>> {
        self.split_parts(word)
            .map(|parts| parts.into_iter().map(str::to_string).collect())
    }

    /// As `split`, with the parts as slices of `word`.
    pub fn split_parts<'w>(&self, word: &'w str) -> Option<Vec<&'w str>> {
        // Byte offsets of the characters, and the end.
        let bounds: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        if bounds.len() - 1 < MIN_WORD || !word.chars().all(|c| c.is_alphabetic()) {
            return None;
        }
        self.split_chars(word, &bounds, 0, 0)
            .or_else(|| self.split_head(word, &bounds))
            .map(|(parts, _)| parts)
    }

    /// A known last part after an unknown first part: "naaktfoto" when the
    /// site has "foto" but never "naakt" alone. Dutch compounds end in their
    /// head, so the head is what a reader would search for.
    fn split_head<'w>(&self, word: &'w str, bounds: &[usize]) -> Option<Split<'w>> {
        let chars = bounds.len() - 1;
        (MIN_UNKNOWN_LEFT..=chars.saturating_sub(MIN_RIGHT)).find_map(|cut| {
            let right = &word[bounds[cut]..];
            self.is_part(right)
                .map(|f| (vec![&word[..bounds[cut]], right], f64::from(f)))
        })
    }

    /// Best split of `word[bounds[from]..]` into 2+ parts, with its score
    /// (geometric mean of the part frequencies, as in Koehn & Knight 2003).
    fn split_chars<'w>(
        &self,
        word: &'w str,
        bounds: &[usize],
        from: usize,
        depth: usize,
    ) -> Option<Split<'w>> {
        if depth > 3 {
            return None;
        }
        let chars = bounds.len() - 1 - from;
        let mut best: Option<Split<'w>> = None;
        for cut in MIN_LEFT..=chars.saturating_sub(MIN_RIGHT) {
            let mid = bounds[from + cut];
            let left = &word[bounds[from]..mid];
            let right = &word[mid..];
            // The left part, or the left part without a linking "s".
            let left_part = match self.is_part(left) {
                Some(f) => Some((left, f)),
                None => left
                    .strip_suffix('s')
                    .filter(|l| l.chars().count() >= MIN_LEFT)
                    .and_then(|l| self.is_part(l).map(|f| (l, f))),
            };
            let Some((left_word, left_freq)) = left_part else {
                continue;
            };
            let mut candidates: Vec<(Vec<&'w str>, Vec<u32>)> = Vec::new();
            if let Some(f) = self.is_part(right) {
                candidates.push((vec![left_word, right], vec![left_freq, f]));
            }
            if chars - cut >= MIN_WORD {
                if let Some((rest, _)) = self.split_chars(word, bounds, from + cut, depth + 1) {
                    let mut freqs = vec![left_freq];
                    freqs.extend(rest.iter().filter_map(|p| self.vocab.get(p).copied()));
                    let mut parts = vec![left_word];
                    parts.extend(rest);
                    candidates.push((parts, freqs));
                }
            }
            for (parts, freqs) in candidates {
                let score = freqs.iter().map(|&f| f64::from(f.max(1)).ln()).sum::<f64>()
                    / freqs.len() as f64;
                let better = match &best {
                    None => true,
                    Some((b, s)) => {
                        parts.len() < b.len() || (parts.len() == b.len() && score > *s + 1e-9)
                    }
                };
                if better {
                    best = Some((parts, score));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter<'a>(words: &[&'a str]) -> Splitter<'a> {
        Splitter::new(words.iter().map(|w| (*w, 2)).collect())
    }

    #[test]
    fn splits_into_known_words() {
        let s = splitter(&[
            "stage",
            "discriminatie",
            "persoon",
            "vertrouwen",
            "meld",
            "punt",
        ]);
        assert_eq!(
            s.split("stagediscriminatie"),
            Some(vec!["stage".into(), "discriminatie".into()])
        );
        // Linking "s".
        assert_eq!(
            s.split("vertrouwenspersoon"),
            Some(vec!["vertrouwen".into(), "persoon".into()])
        );
        // More than two parts.
        assert_eq!(
            s.split("stagediscriminatiemeldpunt"),
            Some(vec![
                "stage".into(),
                "discriminatie".into(),
                "meld".into(),
                "punt".into()
            ])
        );
    }

    #[test]
    fn leaves_other_words_alone() {
        let s = splitter(&["ver", "trouwen", "aan", "gifte", "on", "veilig", "stage"]);
        // "ver" is a prefix, "aan" a stop word, "on" too short.
        assert_eq!(s.split("vertrouwen"), None);
        assert_eq!(s.split("aangifte"), None);
        assert_eq!(s.split("onveilig"), None);
        assert_eq!(s.split("stage"), None);
        assert_eq!(s.split("stage2023"), None);
    }

    #[test]
    fn an_unknown_first_part_still_gives_the_head() {
        let s = splitter(&["foto", "beelden"]);
        assert_eq!(
            s.split("naaktfoto"),
            Some(vec!["naakt".into(), "foto".into()])
        );
        // The longest known head wins: "naakt|beelden", not "naaktbeel|den".
        assert_eq!(
            s.split("naaktbeelden"),
            Some(vec!["naakt".into(), "beelden".into()])
        );
        assert_eq!(splitter(&["foto"]).split("fotograaf"), None);
    }

    #[test]
    fn prefers_frequent_parts() {
        let mut vocab: HashMap<&str, u32> = HashMap::new();
        for (w, f) in [("naakt", 5), ("foto", 9), ("naak", 1), ("tfoto", 1)] {
            vocab.insert(w, f);
        }
        let s = Splitter::new(vocab);
        assert_eq!(
            s.split("naaktfoto"),
            Some(vec!["naakt".into(), "foto".into()])
        );
    }
}
