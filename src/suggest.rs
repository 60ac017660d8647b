//! Did-you-mean: the known name closest to an unknown one, for every hint
//! of the program (keys, links, anchors, organisations, schools, templates).
//!
//! A name is close enough when its Damerau–Levenshtein distance to the
//! unknown one, case folded, is at most a third of its length (and at least
//! 2). Short lists are searched whole. A long list (a site's page URLs) gets
//! a trigram index: only the names that share the most rare trigrams with
//! the unknown one are measured, so a build with thousands of broken links
//! fails about as fast as a good one builds, instead of measuring every link
//! against every page.

use std::collections::HashMap;
use std::sync::Mutex;

/// Up to this many names, every one is measured.
const EXHAUSTIVE_UP_TO: usize = 64;
/// How many of the best trigram matches are measured in a long list.
const CANDIDATES: usize = 16;

const BUCKETS: usize = 64;
type Bag = [u16; BUCKETS];

/// The characters of `s`, counted by bucket.
fn bag(s: &str) -> Bag {
    let mut b = [0u16; BUCKETS];
    for c in s.chars() {
        let slot = &mut b[c as usize % BUCKETS];
        *slot = slot.saturating_add(1);
    }
    b
}

/// A lower bound of the edit distance: an edit adds at most one character
/// and takes away at most one, so the distance is at least what one bag has
/// more than the other. Sharing buckets only makes that smaller.
fn bag_distance(a: &Bag, b: &Bag) -> usize {
    let (mut more, mut less) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            less += usize::from(y - x);
        }
    }
    more.max(less)
}

pub struct Suggester {
    names: Vec<String>,
    /// Lower-cased, as measured, and its length in characters.
    folded: Vec<(String, usize)>,
    /// Each folded name's characters, counted in [`BUCKETS`] buckets.
    bags: Vec<Bag>,
    /// Trigram → the names that have it, for long lists.
    grams: Option<HashMap<u32, Vec<u32>>>,
    /// Answers so far: one broken target is often linked many times.
    answers: Mutex<HashMap<String, Option<u32>>>,
}

/// The distinct byte trigrams of `s`, with a start and end marker so that
/// short names and their ends count too.
fn trigrams(s: &str) -> Vec<u32> {
    let mut bytes = Vec::with_capacity(s.len() + 3);
    bytes.push(0u8);
    bytes.extend_from_slice(s.as_bytes());
    bytes.push(0u8);
    let mut out: Vec<u32> = bytes
        .windows(3)
        .map(|w| u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2]))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The largest distance at which `known` (of `len` characters) is a likely typo.
fn threshold(len: usize) -> usize {
    (len / 3).max(2)
}

impl Suggester {
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        let folded: Vec<(String, usize)> = names
            .iter()
            .map(|n| {
                let f = n.to_lowercase();
                let len = f.chars().count();
                (f, len)
            })
            .collect();
        let bags = folded.iter().map(|(f, _)| bag(f)).collect();
        let grams = (names.len() > EXHAUSTIVE_UP_TO).then(|| {
            let mut grams: HashMap<u32, Vec<u32>> = HashMap::new();
            for (i, (f, _)) in folded.iter().enumerate() {
                for g in trigrams(f) {
                    grams.entry(g).or_default().push(i as u32);
                }
            }
            grams
        });
        Suggester {
            names,
            folded,
            bags,
            grams,
            answers: Mutex::new(HashMap::new()),
        }
    }

    /// The known name closest to `unknown`, if one is close enough to be a
    /// typo; of equally close names, the first in sort order.
    pub fn suggest(&self, unknown: &str) -> Option<&str> {
        if let Some(&answer) = self.answers.lock().ok()?.get(unknown) {
            return answer.map(|i| self.names[i as usize].as_str());
        }
        let query = unknown.to_lowercase();
        let best = match &self.grams {
            None => self.closest(&query, 0..self.names.len()),
            Some(grams) => self.closest(&query, self.candidates(grams, &query).into_iter()),
        };
        if let Ok(mut answers) = self.answers.lock() {
            answers.insert(unknown.to_string(), best.map(|i| i as u32));
        }
        best.map(|i| self.names[i].as_str())
    }

    /// The names that share the most trigrams with `query`. Trigrams that
    /// most names have say little and cost much, so they are left out
    /// while rarer ones remain.
    fn candidates(&self, grams: &HashMap<u32, Vec<u32>>, query: &str) -> Vec<usize> {
        let common = (self.names.len() / 8).max(EXHAUSTIVE_UP_TO);
        let postings: Vec<&Vec<u32>> = trigrams(query)
            .into_iter()
            .filter_map(|g| grams.get(&g))
            .collect();
        let rare: Vec<&Vec<u32>> = postings
            .iter()
            .copied()
            .filter(|p| p.len() <= common)
            .collect();
        let used = if rare.is_empty() { postings } else { rare };
        let mut shared = vec![0u16; self.names.len()];
        let mut touched = Vec::new();
        for p in used {
            for &i in p {
                let c = &mut shared[i as usize];
                if *c == 0 {
                    touched.push(i as usize);
                }
                *c = c.saturating_add(1);
            }
        }
        let len = query.chars().count();
        let gap = |i: usize| self.folded[i].1.abs_diff(len);
        let rank = |&i: &usize| (std::cmp::Reverse(shared[i]), gap(i), i);
        if touched.len() > CANDIDATES {
            touched.select_nth_unstable_by_key(CANDIDATES, rank);
            touched.truncate(CANDIDATES);
        }
        touched.sort_unstable_by_key(rank);
        touched
    }

    fn closest(&self, query: &str, candidates: impl Iterator<Item = usize>) -> Option<usize> {
        let len = query.chars().count();
        let query_bag = bag(query);
        let mut best: Option<(usize, usize)> = None;
        for i in candidates {
            let (known, known_len) = &self.folded[i];
            let known_len = *known_len;
            // The distance is at least the difference in length.
            let floor = known_len.abs_diff(len);
            let limit = threshold(known_len).min(best.map_or(usize::MAX, |(d, _)| d));
            if floor > limit || bag_distance(&query_bag, &self.bags[i]) > limit {
                continue;
            }
            let d = strsim::damerau_levenshtein(query, known);
            let better = match best {
                None => d <= limit,
                Some((bd, bi)) => d < bd || (d == bd && self.names[i] < self.names[bi]),
            };
            if better && d <= threshold(known_len) {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// The known name closest to `unknown`: [`Suggester::suggest`] for a list
/// used once.
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let known: Vec<&'a str> = known.into_iter().collect();
    let s = Suggester::new(known.iter().copied());
    let found = s.suggest(unknown)?;
    known.into_iter().find(|k| *k == found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the program did before the index: measure every name.
    fn exhaustive<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
        let u = unknown.to_lowercase();
        known
            .iter()
            .map(|k| (strsim::damerau_levenshtein(&u, &k.to_lowercase()), *k))
            .filter(|(d, k)| *d <= threshold(k.chars().count()))
            .min_by_key(|(d, k)| (*d, *k))
            .map(|(_, k)| k)
    }

    /// Page URLs shaped like a real site's and like the benchmark's.
    fn urls() -> Vec<String> {
        let sections = [
            "melden",
            "inclusie",
            "seksuele-grenzen",
            "criminaliteit",
            "handboeken",
        ];
        let words = [
            "vertrouwenspersoon",
            "klacht",
            "stage",
            "discriminatie",
            "aangifte",
            "anoniem",
            "naaktfoto",
            "gedeeld",
            "bedreiging",
            "geweld",
            "ronselen",
            "wapens",
            "drugs",
            "grenzen",
            "aangeven",
            "wat",
            "kun",
            "je",
            "doen",
            "hulp",
            "school",
            "melding",
        ];
        let mut out = Vec::new();
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for s in sections {
            out.push(format!("/{s}/"));
            for i in 0..200 {
                let n = 2 + next(4);
                let slug: Vec<&str> = (0..n).map(|_| words[next(words.len())]).collect();
                out.push(format!("/{s}/synth-{}-{i}/", slug.join("-")));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn the_index_answers_as_the_exhaustive_search_does() {
        let urls = urls();
        let known: Vec<&str> = urls.iter().map(String::as_str).collect();
        assert!(known.len() > 900);
        let s = Suggester::new(known.iter().copied());
        let mut checked = 0;
        for (n, url) in known.iter().enumerate().step_by(11) {
            let typo_mid = {
                let mut c: Vec<char> = url.chars().collect();
                let m = c.len() / 2;
                c.swap(m, m + 1);
                c.into_iter().collect::<String>()
            };
            let cases = [
                url.replacen("synth-", "", 1),         // a renamed file
                url.replacen("/synth-", "/synht-", 1), // a transposition
                typo_mid,
                url.trim_end_matches('/').to_string(), // a lost slash
                url.to_uppercase(),                    // case
                format!("{url}x"),
                url.replacen('e', "", 1),
                url.replacen("melden", "meldne", 1), // a section typo
                format!("/oud{url}"),                // a moved tree
                format!("/iets-heel-anders-{n}/"),   // nothing close
            ];
            for case in cases {
                assert_eq!(s.suggest(&case), exhaustive(&case, &known), "for {case}");
                checked += 1;
            }
        }
        assert!(checked > 800);
    }

    #[test]
    fn short_lists_are_searched_whole() {
        let keys = ["title", "description", "updated", "weight"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("descripton", keys), Some("description"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("TITLE", keys), Some("title"));
    }

    #[test]
    fn a_repeated_question_gets_the_same_answer() {
        let urls = urls();
        let s = Suggester::new(urls.iter().cloned());
        let q = urls[10].replacen("synth-", "", 1);
        let first = s.suggest(&q).map(str::to_string);
        assert!(first.is_some());
        assert_eq!(s.suggest(&q).map(str::to_string), first);
    }
}
