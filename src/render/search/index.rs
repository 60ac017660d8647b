//! Builds the static search index: analysis, BM25F scores, shards, and the
//! per-page fragments. The file format is described in docs-search.md.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use super::compound::Splitter;
use super::synonyms::Synonyms;
use super::text::{self, is_stop_word, Word};
use super::SearchDoc;

/// Field weights for BM25F: title > headings > keywords > description > body.
const FIELDS: usize = 5;
const TITLE: usize = 0;
const HEADINGS: usize = 1;
const KEYWORDS: usize = 2;
const DESCRIPTION: usize = 3;
const BODY: usize = 4;
const WEIGHT: [f64; FIELDS] = [10.0, 5.0, 4.0, 2.5, 1.0];
/// Length normalisation per field: short fields barely.
const B: [f64; FIELDS] = [0.4, 0.4, 0.2, 0.5, 0.75];
/// Saturation of the weighted term frequency. Higher than the usual 1.2
/// because a single title hit already weighs 10: at 1.2 a title hit and a
/// few body hits would score almost alike.
const K1: f64 = 6.0;
/// A compound counts this much for each of its parts.
const PART_OF_COMPOUND: f64 = 0.5;
/// A posting's score is the saturated term frequency tf / (K1 + tf) in
/// 1..=255; the term's idf is stored once, next to its postings.
const SCORE_SCALE: f64 = 255.0;
/// Postings kept per term: the best-scoring ones. A term on more pages
/// than this has a low idf; its tail barely moves a ranking.
const MAX_POSTINGS: usize = 2000;
/// Sub-results (sections of a page) kept per posting.
const MAX_PARTS: usize = 3;
/// A shard is closed once its JSON passes this many bytes.
const SHARD_TARGET: usize = 28 * 1024;
/// Completions stored for a short prefix whose words span several shards.
const COMPLETIONS: usize = 8;
const COMPLETION_PREFIX: usize = 4;
const COMPLETION_POSTINGS: usize = 64;
/// Characters of text kept per page section in a fragment (for snippets).
const PART_TEXT_CHARS: usize = 1200;

/// A fast hasher for the build's many short keys (the Fx hash of rustc).
/// The keys come from the site's own content, so flooding is no concern.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fx>>;
type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fx>>;

/// The words of one page, by field: slices of the page's own strings.
struct RawDoc<'a> {
    title: Vec<&'a str>,
    keywords: Vec<&'a str>,
    description: Vec<&'a str>,
    /// Per part: heading words, text words.
    parts: Vec<(Vec<&'a str>, Vec<&'a str>)>,
}

fn slices(s: &str) -> Vec<&str> {
    text::word_ranges(s)
        .into_iter()
        .map(|(a, b)| &s[a..b])
        .collect()
}

impl<'a> RawDoc<'a> {
    fn new(doc: &'a SearchDoc) -> RawDoc<'a> {
        RawDoc {
            title: slices(&doc.title),
            keywords: doc.keywords.iter().flat_map(|k| slices(k)).collect(),
            description: slices(&doc.description),
            parts: doc
                .parts
                .iter()
                .map(|p| (slices(&p.heading), slices(&p.text)))
                .collect(),
        }
    }

    fn all(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.title
            .iter()
            .chain(&self.keywords)
            .chain(&self.description)
            .chain(self.parts.iter().flat_map(|(h, t)| h.iter().chain(t)))
            .copied()
    }
}

/// How one term occurs in one page.
struct Occurrence {
    term: u32,
    tf: [f64; FIELDS],
    /// Part index → weight (a heading hit counts more than text).
    parts: Vec<(u16, f64)>,
}

struct Posting {
    doc: u32,
    score: u8,
    /// The term is in the title.
    title: bool,
    parts: [u16; MAX_PARTS],
    nparts: u8,
}

/// Everything a shard needs about the vocabulary.
struct Vocabulary {
    /// Term strings, sorted; a term's id is its index.
    terms: Vec<String>,
    idf: Vec<f64>,
    postings: Vec<Vec<Posting>>,
    /// Surface word → (exact term ids, synonym term ids), only words that
    /// lead to at least one page.
    words: BTreeMap<String, Refs>,
}

/// Per field, the (surface id, term id) of each word.
type Ids = Vec<(u32, u32)>;
/// A page as ids: title, keywords, description, and per part heading and text.
type IdDoc = (Ids, Ids, Ids, Vec<(Ids, Ids)>);
/// A vocabulary word's exact and synonym term ids.
type Refs = (Vec<u32>, Vec<u32>);

/// Builds the index files, paths relative to the output root.
pub fn build_index(docs: &[SearchDoc], synonyms: &Synonyms) -> Vec<(String, Vec<u8>)> {
    let raw_docs: Vec<RawDoc> = docs.par_iter().map(RawDoc::new).collect();

    // Each distinct spelling is analysed once; pages then refer to ids.
    let mut distinct: Vec<&str> = raw_docs
        .par_iter()
        .fold(HashSet::default, |mut set, d| {
            set.extend(d.all());
            set
        })
        .reduce(HashSet::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            a.extend(b);
            a
        })
        .into_iter()
        .collect();
    distinct.par_sort_unstable();
    let raw_id: HashMap<&str, u32> = distinct
        .iter()
        .enumerate()
        .map(|(i, w)| (*w, i as u32))
        .collect();
    // Per spelling: surface form and stem (before merging), or None for
    // stop words and words too short or long.
    let analysed: Vec<Option<(String, String)>> = distinct
        .par_iter()
        .map(|r| {
            let w = text::word(r)?;
            if is_stop_word(&w.surface) {
                return None;
            }
            let term = text::term(&w);
            Some((w.surface, term))
        })
        .collect();

    // Surface words, sorted.
    let mut surface_list: Vec<&str> = analysed.iter().flatten().map(|(s, _)| s.as_str()).collect();
    surface_list.par_sort_unstable();
    surface_list.dedup();
    let surface_id: HashMap<&str, u32> = surface_list
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();

    // Stems: "bedreigt" joins "bedreig" where the site has both.
    let raw_terms: BTreeSet<&str> = analysed.iter().flatten().map(|(_, t)| t.as_str()).collect();
    let final_term =
        |t: &str| -> String { merge_verb_ending(t, &raw_terms).unwrap_or_else(|| t.to_string()) };
    // The stems themselves are looked up too: the client strips endings
    // off a word the site never uses ("doorsturen" → "doorstuur").
    let stem_keys: BTreeMap<String, String> = raw_terms
        .iter()
        .flat_map(|raw| {
            let t = final_term(raw);
            [(raw.to_string(), t.clone()), (t.clone(), t)]
        })
        .collect();

    // Synonym words that the pages never use still need a term.
    let synonym_words: BTreeSet<String> = synonyms
        .groups
        .iter()
        .flatten()
        .flat_map(|m| text::words(m))
        .filter(|w| !is_stop_word(&w.surface))
        .map(|w| w.surface)
        .collect();
    let synonym_terms: BTreeMap<&str, String> = synonym_words
        .iter()
        .filter(|w| !surface_id.contains_key(w.as_str()))
        .map(|w| {
            let t = text::term(&Word {
                surface: w.clone(),
                lower: w.clone(),
            });
            (w.as_str(), final_term(&t))
        })
        .collect();
    let mut all_terms: BTreeSet<String> = stem_keys.values().cloned().collect();
    all_terms.extend(synonym_terms.values().cloned());
    let terms: Vec<String> = all_terms.into_iter().collect();
    let term_id: HashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    let id = |t: &str| term_id.get(t).copied();

    // Per spelling: (surface id, term id).
    let raw_info: Vec<Option<(u32, u32)>> = analysed
        .iter()
        .map(|a| {
            let (s, t) = a.as_ref()?;
            Some((surface_id[s.as_str()], id(&final_term(t))?))
        })
        .collect();
    // Per surface: its terms (a surface can have several spellings).
    let mut surface_terms: Vec<Vec<u32>> = vec![Vec::new(); surface_list.len()];
    for &(s, t) in raw_info.iter().flatten() {
        let list = &mut surface_terms[s as usize];
        if !list.contains(&t) {
            list.push(t);
            list.sort_unstable();
        }
    }
    let terms_of = |s: &str| -> Vec<u32> {
        match surface_id.get(s) {
            Some(&i) => surface_terms[i as usize].clone(),
            None => synonym_terms
                .get(s)
                .and_then(|t| id(t))
                .into_iter()
                .collect(),
        }
    };

    // Pages as ids.
    let to_ids = |words: &[&str]| -> Ids {
        words
            .iter()
            .filter_map(|w| raw_id.get(w).and_then(|&r| raw_info[r as usize]))
            .collect()
    };
    let id_docs: Vec<IdDoc> = raw_docs
        .par_iter()
        .map(|d| {
            (
                to_ids(&d.title),
                to_ids(&d.keywords),
                to_ids(&d.description),
                d.parts
                    .iter()
                    .map(|(h, t)| (to_ids(h), to_ids(t)))
                    .collect(),
            )
        })
        .collect();

    // Compounds: split against the site's words, weighted by use.
    let mut frequency = vec![0u32; surface_list.len()];
    for (t, k, d, parts) in &id_docs {
        let words = t
            .iter()
            .chain(k)
            .chain(d)
            .chain(parts.iter().flat_map(|(h, b)| h.iter().chain(b)));
        for (s, _) in words {
            frequency[*s as usize] += 1;
        }
    }
    let splitter = Splitter::new(
        surface_list
            .iter()
            .zip(&frequency)
            .map(|(s, f)| (s.to_string(), *f))
            .collect(),
    );
    let compound_terms: Vec<Vec<u32>> = surface_list
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let Some(parts) = splitter.split(s) else {
                return Vec::new();
            };
            let own = &surface_terms[i];
            let mut terms: Vec<u32> = parts
                .iter()
                .flat_map(|p| terms_of(p))
                .filter(|t| !own.contains(t))
                .collect();
            terms.sort_unstable();
            terms.dedup();
            terms
        })
        .collect();

    // Per page: the occurrences of its terms, and field lengths.
    let per_doc: Vec<(Vec<Occurrence>, [f64; FIELDS])> = id_docs
        .par_iter()
        .map(|(title, keywords, description, parts)| {
            let mut occ: Vec<Occurrence> = Vec::new();
            let mut slot: HashMap<u32, usize> = HashMap::default();
            let mut len = [0.0; FIELDS];
            let mut add = |words: &Ids, field: usize, part: Option<(u16, f64)>| {
                for &(s, t) in words {
                    len[field] += 1.0;
                    let hits = std::iter::once((t, 1.0)).chain(
                        compound_terms[s as usize]
                            .iter()
                            .map(|&p| (p, PART_OF_COMPOUND)),
                    );
                    for (t, weight) in hits {
                        let i = *slot.entry(t).or_insert_with(|| {
                            occ.push(Occurrence {
                                term: t,
                                tf: [0.0; FIELDS],
                                parts: Vec::new(),
                            });
                            occ.len() - 1
                        });
                        let o = &mut occ[i];
                        o.tf[field] += weight;
                        if let Some((p, pw)) = part {
                            match o.parts.iter_mut().find(|(q, _)| *q == p) {
                                Some((_, w)) => *w += weight * pw,
                                None => o.parts.push((p, weight * pw)),
                            }
                        }
                    }
                }
            };
            add(title, TITLE, None);
            add(keywords, KEYWORDS, None);
            add(description, DESCRIPTION, None);
            for (i, (heading, body)) in parts.iter().enumerate() {
                let i = i.min(u16::MAX as usize) as u16;
                add(heading, HEADINGS, Some((i, 3.0)));
                add(body, BODY, Some((i, 1.0)));
            }
            occ.sort_unstable_by_key(|o| o.term);
            (occ, len)
        })
        .collect();

    let n = docs.len().max(1) as f64;
    // Average field lengths over the pages that have the field: most
    // pages have no headings, and a page's one heading is not "long".
    let mut avg = [0.0; FIELDS];
    let mut with = [0.0; FIELDS];
    for (_, len) in &per_doc {
        for f in 0..FIELDS {
            if len[f] > 0.0 {
                avg[f] += len[f];
                with[f] += 1.0;
            }
        }
    }
    for f in 0..FIELDS {
        if with[f] > 0.0 {
            avg[f] /= with[f];
        }
    }
    let mut df = vec![0u32; terms.len()];
    for (occ, _) in &per_doc {
        for o in occ {
            df[o.term as usize] += 1;
        }
    }

    // BM25F: the term frequencies of the fields are weighted and
    // length-normalised first, then saturated once.
    let scored: Vec<Vec<(u32, Posting)>> = per_doc
        .into_par_iter()
        .enumerate()
        .map(|(doc, (occ, len))| {
            occ.into_iter()
                .map(|mut o| {
                    let mut tf = 0.0;
                    for f in 0..FIELDS {
                        if o.tf[f] > 0.0 {
                            let norm = if avg[f] > 0.0 {
                                1.0 - B[f] + B[f] * len[f] / avg[f]
                            } else {
                                1.0
                            };
                            tf += WEIGHT[f] * o.tf[f] / norm;
                        }
                    }
                    let score = tf / (K1 + tf);
                    let q = (score * SCORE_SCALE).round().clamp(1.0, 255.0) as u8;
                    let parts = &mut o.parts;
                    parts.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    let mut best = [0u16; MAX_PARTS];
                    for (slot, (p, _)) in best.iter_mut().zip(parts.iter()) {
                        *slot = *p;
                    }
                    let posting = Posting {
                        doc: doc as u32,
                        score: q,
                        title: o.tf[TITLE] > 0.0,
                        parts: best,
                        nparts: parts.len().min(MAX_PARTS) as u8,
                    };
                    (o.term, posting)
                })
                .collect()
        })
        .collect();
    let mut postings: Vec<Vec<Posting>> =
        df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
    for list in scored {
        for (t, p) in list {
            postings[t as usize].push(p);
        }
    }
    postings.par_iter_mut().for_each(|list| {
        if list.len() > MAX_POSTINGS {
            list.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
            list.truncate(MAX_POSTINGS);
            list.sort_by_key(|p| p.doc);
        }
    });

    // Synonyms work on terms, so every form of a word gets them.
    let mut synonym_of: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for group in &synonyms.groups {
        let member_terms: Vec<(bool, BTreeSet<u32>)> = group
            .iter()
            .map(|m| {
                let words = text::words(m);
                let single = words.len() == 1;
                let ids = words
                    .iter()
                    .filter(|w| !is_stop_word(&w.surface))
                    .flat_map(|w| terms_of(&w.surface))
                    .collect();
                (single, ids)
            })
            .collect();
        for (i, (single, from)) in member_terms.iter().enumerate() {
            if !single {
                continue;
            }
            for (j, (_, to)) in member_terms.iter().enumerate() {
                if i == j {
                    continue;
                }
                for f in from {
                    synonym_of
                        .entry(*f)
                        .or_default()
                        .extend(to.iter().filter(|t| *t != f));
                }
            }
        }
    }

    let mut words: BTreeMap<String, Refs> = BTreeMap::new();
    let has_pages = |t: &u32| !postings[*t as usize].is_empty();
    let keys = surface_list
        .iter()
        .map(|s| (*s, None))
        .chain(synonym_words.iter().map(|s| (s.as_str(), None)))
        .chain(stem_keys.iter().map(|(k, t)| (k.as_str(), Some(t))));
    for (s, stem_of) in keys {
        if words.contains_key(s) {
            continue;
        }
        let own: Vec<u32> = match stem_of {
            Some(t) => id(t).into_iter().collect(),
            None => terms_of(s),
        };
        let syn: BTreeSet<u32> = own
            .iter()
            .filter_map(|t| synonym_of.get(t))
            .flatten()
            .filter(|t| !own.contains(t))
            .copied()
            .collect();
        let exact: Vec<u32> = own.into_iter().filter(has_pages).collect();
        let syn: Vec<u32> = syn.into_iter().filter(has_pages).collect();
        if !exact.is_empty() || !syn.is_empty() {
            words.insert(s.to_string(), (exact, syn));
        }
    }

    let idf = df
        .iter()
        .map(|&d| {
            let d = f64::from(d);
            (1.0 + (n - d + 0.5) / (d + 0.5)).ln()
        })
        .collect();
    let vocab = Vocabulary {
        terms,
        idf,
        postings,
        words,
    };
    let (mut files, firsts) = shards(&vocab);
    files.par_extend(
        docs.par_iter()
            .enumerate()
            .map(|(i, doc)| (format!("search/d/{i}.json"), fragment(doc))),
    );
    let hash = fnv_hex(&files);
    files.push(("search/meta.json".to_string(), meta(docs, firsts, &hash)));
    files.par_sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// "bedreigt" and "bedreigd" stem to themselves, "bedreiging" to
/// "bedreig". Where the site has the shorter stem, a stem ending in a
/// consonant plus "t" or "d" (or "dt") joins it. Checking against the
/// site's own stems keeps "kind" from becoming "kin".
fn merge_verb_ending(t: &str, known: &BTreeSet<&str>) -> Option<String> {
    let last = t.chars().last()?;
    let base = &t[..t.len() - last.len_utf8()];
    let before = base.chars().last()?;
    let consonant = before.is_alphabetic() && !matches!(before, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    (t.chars().count() >= 5 && matches!(last, 't' | 'd') && consonant && known.contains(base))
        .then(|| base.to_string())
}

/// Postings as a flat list: doc delta, then score × 8 + 4 if the term is in
/// the title + the number of parts, then the parts.
fn encode_postings(list: &[Posting], limit: usize, out: &mut String) {
    let chosen: Vec<&Posting> = if list.len() > limit {
        let mut best: Vec<&Posting> = list.iter().collect();
        best.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        best.truncate(limit);
        best.sort_by_key(|p| p.doc);
        best
    } else {
        list.iter().collect()
    };
    out.push('[');
    let mut prev = 0;
    for (i, p) in chosen.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{},{}",
            p.doc - prev,
            u32::from(p.score) * 8 + if p.title { 4 } else { 0 } + u32::from(p.nparts)
        );
        for part in &p.parts[..usize::from(p.nparts)] {
            let _ = write!(out, ",{part}");
        }
        prev = p.doc;
    }
    out.push(']');
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A shard: a range of surface words (sorted), with the postings of every
/// term they lead to.
struct ShardPlan<'a> {
    words: Vec<(&'a String, &'a Refs)>,
    /// Prefix → its most used words, for prefixes whose words span several
    /// shards (so typing "ge" needs one shard, not twenty).
    completions: BTreeMap<String, Vec<&'a String>>,
}

/// The shard files, and the first word of each shard but the first.
fn shards(vocab: &Vocabulary) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    // Each term's postings, encoded once.
    let encoded: Vec<String> = vocab
        .postings
        .par_iter()
        .map(|list| {
            let mut s = String::new();
            encode_postings(list, usize::MAX, &mut s);
            s
        })
        .collect();
    let term_bytes = |t: u32| encoded[t as usize].len() + vocab.terms[t as usize].len() + 14;

    // Greedy ranges in word order, each term counted once per shard.
    let mut plans: Vec<ShardPlan> = Vec::new();
    let mut current: Vec<(&String, &Refs)> = Vec::new();
    let mut in_shard: HashSet<u32> = HashSet::default();
    let mut size = 0;
    for (word, refs) in &vocab.words {
        let cost = |in_shard: &HashSet<u32>| {
            word.len()
                + 12
                + refs
                    .0
                    .iter()
                    .chain(&refs.1)
                    .filter(|t| !in_shard.contains(t))
                    .map(|t| term_bytes(*t))
                    .sum::<usize>()
        };
        let mut c = cost(&in_shard);
        if !current.is_empty() && size + c > SHARD_TARGET {
            plans.push(ShardPlan {
                words: std::mem::take(&mut current),
                completions: BTreeMap::new(),
            });
            in_shard.clear();
            size = 0;
            c = cost(&in_shard);
        }
        in_shard.extend(refs.0.iter().chain(&refs.1));
        current.push((word, refs));
        size += c;
    }
    if !current.is_empty() || plans.is_empty() {
        plans.push(ShardPlan {
            words: current,
            completions: BTreeMap::new(),
        });
    }
    let firsts: Vec<&str> = plans
        .iter()
        .map(|p| p.words.first().map_or("", |w| w.0.as_str()))
        .collect();
    let shard_of = |w: &str| firsts[1..].partition_point(|f| *f <= w);

    // Completions for short prefixes whose words span 3+ shards. Words are
    // sorted, so the words of a prefix are one run.
    let popularity = |refs: &Refs| -> usize {
        refs.0
            .iter()
            .map(|t| vocab.postings[*t as usize].len())
            .max()
            .unwrap_or(0)
    };
    let sorted: Vec<(&String, &Refs)> = vocab.words.iter().collect();
    let mut shard_index = Vec::with_capacity(sorted.len());
    for (i, plan) in plans.iter().enumerate() {
        shard_index.extend(std::iter::repeat_n(i, plan.words.len()));
    }
    for len in 1..=COMPLETION_PREFIX {
        let mut k = 0;
        while k < sorted.len() {
            let w = sorted[k].0.as_str();
            let Some(prefix) = w.char_indices().nth(len).map(|(i, _)| &w[..i]) else {
                k += 1;
                continue;
            };
            let mut end = k + 1;
            while end < sorted.len() && sorted[end].0.starts_with(prefix) {
                end += 1;
            }
            let first = shard_of(prefix);
            if shard_index[end - 1] >= first + 2 {
                let mut run: Vec<(&String, usize)> = sorted[k..end]
                    .iter()
                    .filter(|(w, _)| w.len() > prefix.len())
                    .map(|(w, r)| (*w, popularity(r)))
                    .collect();
                run.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                plans[first].completions.insert(
                    prefix.to_string(),
                    run.into_iter().take(COMPLETIONS).map(|(w, _)| w).collect(),
                );
            }
            k = end;
        }
    }

    let files = plans
        .par_iter()
        .enumerate()
        .map(|(i, plan)| {
            (
                format!("search/s/{i}.json"),
                shard_json(vocab, plan, &encoded).into_bytes(),
            )
        })
        .collect();
    let firsts = firsts[1..].iter().map(|s| s.to_string()).collect();
    (files, firsts)
}

fn shard_json(vocab: &Vocabulary, plan: &ShardPlan, encoded: &[String]) -> String {
    // Local term table: full postings for the shard's own words, shortened
    // ones for words that are only completions.
    let mut local: BTreeMap<u32, (usize, bool)> = BTreeMap::new();
    for (_, refs) in &plan.words {
        for t in refs.0.iter().chain(&refs.1) {
            local.insert(*t, (0, true));
        }
    }
    for words in plan.completions.values() {
        for w in words {
            if let Some(refs) = vocab.words.get(*w) {
                for t in refs.0.iter().chain(&refs.1) {
                    local.entry(*t).or_insert((0, false));
                }
            }
        }
    }
    for (n, v) in local.values_mut().enumerate() {
        v.0 = n;
    }
    let refs_json = |refs: &Refs| -> String {
        let ids: Vec<String> = refs
            .0
            .iter()
            .map(|t| local[t].0.to_string())
            .chain(refs.1.iter().map(|t| format!("-{}", local[t].0 + 1)))
            .collect();
        format!("[{}]", ids.join(","))
    };
    let mut out = String::from("{\"w\":{");
    for (k, (word, refs)) in plan.words.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}:{}", json_str(word), refs_json(refs));
    }
    out.push_str("},\"t\":[");
    for (k, (t, (_, full))) in local.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "[{},{:.3},",
            json_str(&vocab.terms[*t as usize]),
            vocab.idf[*t as usize]
        );
        if *full {
            out.push_str(&encoded[*t as usize]);
        } else {
            encode_postings(&vocab.postings[*t as usize], COMPLETION_POSTINGS, &mut out);
        }
        out.push(']');
    }
    out.push_str("],\"c\":{");
    for (k, (prefix, words)) in plan.completions.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let entries: Vec<String> = words
            .iter()
            .filter_map(|w| {
                vocab
                    .words
                    .get(*w)
                    .map(|r| format!("[{},{}]", json_str(w), refs_json(r)))
            })
            .collect();
        let _ = write!(out, "{}:[{}]", json_str(prefix), entries.join(","));
    }
    out.push_str("}}");
    out
}

/// A page as the client shows it in a result.
#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    s: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    th: Option<&'a str>,
    a: &'a [String],
    d: &'a str,
    /// Per part: anchor ("" for none), heading, level, text.
    p: Vec<(&'a str, &'a str, u8, String)>,
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{cut} …")
}

fn fragment(doc: &SearchDoc) -> Vec<u8> {
    let f = Fragment {
        u: &doc.url,
        t: &doc.title,
        s: &doc.section,
        th: doc.theme.as_deref(),
        a: &doc.audience,
        d: &doc.description,
        p: doc
            .parts
            .iter()
            .map(|p| {
                (
                    p.anchor.as_deref().unwrap_or(""),
                    p.heading.as_str(),
                    p.level,
                    shorten(&p.text, PART_TEXT_CHARS),
                )
            })
            .collect(),
    };
    serde_json::to_vec(&f).unwrap_or_default()
}

/// 64-bit FNV-1a over every file, for cache busting (`?v=`).
fn fnv_hex(files: &[(String, Vec<u8>)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, bytes) in files {
        for b in path.as_bytes().iter().chain(bytes) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[derive(Serialize)]
struct Meta<'a> {
    v: u32,
    h: &'a str,
    n: usize,
    /// First word of every shard but the first.
    s: Vec<String>,
    /// One character per page: audience bits + 4 × theme number.
    f: String,
    /// Themes: key, title (the section most of its pages are in).
    th: Vec<(String, String)>,
    stop: &'a [&'a str],
}

const CODE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn meta(docs: &[SearchDoc], firsts: Vec<String>, hash: &str) -> Vec<u8> {
    let mut theme_sections: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for d in docs {
        if let Some(t) = &d.theme {
            *theme_sections
                .entry(t.as_str())
                .or_default()
                .entry(d.section.as_str())
                .or_default() += 1;
        }
    }
    // 15 themes fit one character; more are not filterable.
    let themes: Vec<(String, String)> = theme_sections
        .iter()
        .take(15)
        .map(|(key, sections)| {
            let title = sections
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or(*key, |(s, _)| *s);
            (key.to_string(), title.to_string())
        })
        .collect();
    let f = docs
        .iter()
        .map(|d| {
            let mut code = 0;
            if d.audience.iter().any(|a| a == "student") {
                code |= 1;
            }
            if d.audience.iter().any(|a| a == "medewerker") {
                code |= 2;
            }
            if let Some(t) = &d.theme {
                if let Some(i) = themes.iter().position(|(k, _)| k == t) {
                    code += 4 * (i + 1);
                }
            }
            CODE[code] as char
        })
        .collect();
    let m = Meta {
        v: 1,
        h: hash,
        n: docs.len(),
        s: firsts,
        f,
        th: themes,
        stop: text::STOP_WORDS,
    };
    serde_json::to_vec(&m).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::DocPart;
    use serde_json::{json, Value};

    fn doc(
        url: &str,
        title: &str,
        keywords: &[&str],
        description: &str,
        parts: &[(&str, &str)],
    ) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            section: "Sectie".into(),
            theme: None,
            audience: vec![],
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            description: description.into(),
            parts: parts
                .iter()
                .enumerate()
                .map(|(i, (h, t))| DocPart {
                    anchor: (i > 0).then(|| format!("kop-{i}")),
                    heading: h.to_string(),
                    level: if i > 0 { 2 } else { 0 },
                    text: t.to_string(),
                })
                .collect(),
        }
    }

    /// (doc, score, in title, parts) of what `word` leads to, exact and
    /// synonym, as the client reads them.
    fn lookup(files: &[(String, Vec<u8>)], word: &str) -> Vec<(u64, u64, bool, Vec<u64>, bool)> {
        let mut out = Vec::new();
        for (path, bytes) in files.iter().filter(|f| f.0.starts_with("search/s/")) {
            let shard: Value =
                serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
            let Some(refs) = shard["w"][word].as_array() else {
                continue;
            };
            for r in refs {
                let r = r.as_i64().unwrap();
                let synonym = r < 0;
                let t = &shard["t"][if synonym { -r - 1 } else { r } as usize];
                let flat: Vec<u64> = t[2]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap())
                    .collect();
                let (mut k, mut doc) = (0, 0);
                while k < flat.len() {
                    doc += flat[k];
                    let x = flat[k + 1];
                    let n = (x & 3) as usize;
                    out.push((
                        doc,
                        x >> 3,
                        x & 4 != 0,
                        flat[k + 2..k + 2 + n].to_vec(),
                        synonym,
                    ));
                    k += 2 + n;
                }
            }
        }
        out
    }

    fn score_of(hits: &[(u64, u64, bool, Vec<u64>, bool)], doc: u64) -> u64 {
        hits.iter().find(|h| h.0 == doc && !h.4).map_or(0, |h| h.1)
    }

    #[test]
    fn fields_rank_title_headings_keywords_description_body() {
        let filler = "school stage klas les";
        let docs = vec![
            doc("/a/", "Pesten", &["klas"], filler, &[("", filler)]),
            doc(
                "/b/",
                "Les",
                &["klas"],
                filler,
                &[("", filler), ("Pesten", filler)],
            ),
            doc("/c/", "Les", &["pesten"], filler, &[("", filler)]),
            doc(
                "/d/",
                "Les",
                &["klas"],
                "pesten school stage klas",
                &[("", filler)],
            ),
            doc(
                "/e/",
                "Les",
                &["klas"],
                filler,
                &[("", "pesten school stage klas les")],
            ),
            doc("/f/", "Les", &["klas"], filler, &[("", filler)]),
        ];
        let files = build_index(&docs, &Synonyms::empty());
        let hits = lookup(&files, "pesten");
        let scores: Vec<u64> = (0..6).map(|d| score_of(&hits, d)).collect();
        assert!(scores.windows(2).take(4).all(|w| w[0] > w[1]), "{scores:?}");
        assert_eq!(scores[5], 0);
        // The title flag, and the heading as the best part.
        assert!(hits.iter().any(|h| h.0 == 0 && h.2));
        assert_eq!(
            hits.iter().find(|h| h.0 == 1).map(|h| h.3.clone()),
            Some(vec![1])
        );
        // The stem is a key too, with the same postings.
        assert_eq!(lookup(&files, "pest"), hits);
    }

    #[test]
    fn compounds_are_found_by_their_parts() {
        let docs = vec![
            doc("/a/", "Stagediscriminatie", &[], "", &[("", "Melden kan.")]),
            doc(
                "/b/",
                "Discriminatie",
                &[],
                "",
                &[("", "Op stage of op school.")],
            ),
        ];
        let files = build_index(&docs, &Synonyms::empty());
        let part = lookup(&files, "discriminatie");
        assert!(score_of(&part, 1) > score_of(&part, 0), "{part:?}");
        assert!(score_of(&part, 0) > 0, "the compound is found by its part");
        assert!(score_of(&lookup(&files, "stage"), 0) > 0);
        // The compound itself finds only its own page.
        let whole = lookup(&files, "stagediscriminatie");
        assert_eq!(whole.iter().map(|h| h.0).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn synonyms_lead_to_the_other_words_pages() {
        let docs = vec![
            doc("/a/", "Naaktfoto gedeeld", &[], "", &[]),
            doc("/b/", "Aangifte doen", &[], "", &[]),
            doc("/c/", "Politie", &[], "", &[]),
        ];
        let value = json!({"synonyms": [["nudes", "naaktfoto"], ["aangifte", "politie"]]});
        let (synonyms, diags) = Synonyms::from_data(&value, std::path::Path::new("s.yaml"));
        assert!(diags.is_empty());
        let files = build_index(&docs, &synonyms);
        // "nudes" is on no page, but it leads to the naaktfoto page.
        let nudes = lookup(&files, "nudes");
        assert_eq!(
            nudes.iter().map(|h| (h.0, h.4)).collect::<Vec<_>>(),
            [(0, true)]
        );
        // Both ways, and for other forms of the word.
        let aangifte = lookup(&files, "aangifte");
        assert!(aangifte.contains(&(1, score_of(&aangifte, 1), true, vec![], false)));
        assert!(aangifte.iter().any(|h| h.0 == 2 && h.4));
        assert!(lookup(&files, "politie").iter().any(|h| h.0 == 1 && h.4));
        // Without the file, no synonym links.
        let plain = build_index(&docs, &Synonyms::empty());
        assert!(lookup(&plain, "nudes").is_empty());
    }

    #[test]
    fn stems_and_stop_words_in_the_vocabulary() {
        let docs = vec![doc(
            "/a/",
            "Doorgestuurd",
            &[],
            "",
            &[("", "Het is de naaktfoto.")],
        )];
        let files = build_index(&docs, &Synonyms::empty());
        // The stem is a key, for the client's affix stripping.
        assert_eq!(lookup(&files, "doorstuur").len(), 1);
        assert!(lookup(&files, "het").is_empty());
        assert!(lookup(&files, "de").is_empty());
    }

    #[test]
    fn the_build_is_deterministic_and_complete() {
        let docs: Vec<SearchDoc> = (0..40)
            .map(|i| {
                doc(
                    &format!("/p{i}/"),
                    &format!("Pagina {i} over pesten"),
                    &["melden"],
                    "Wat je kunt doen.",
                    &[
                        ("", "Praat met je mentor."),
                        ("Wat kun je doen?", "Meld het bij de vertrouwenspersoon."),
                    ],
                )
            })
            .collect();
        let a = build_index(&docs, &Synonyms::empty());
        let b = build_index(&docs, &Synonyms::empty());
        assert_eq!(a, b);
        let paths: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        assert_eq!(paths, sorted);
        assert_eq!(
            paths.iter().filter(|p| p.starts_with("search/d/")).count(),
            40
        );
        let meta: Value =
            serde_json::from_slice(&a.iter().find(|f| f.0 == "search/meta.json").unwrap().1)
                .unwrap();
        assert_eq!(meta["n"], 40);
        // An empty site still gives a usable index.
        let empty = build_index(&[], &Synonyms::empty());
        assert!(empty.iter().any(|f| f.0 == "search/meta.json"));
        assert!(empty.iter().any(|f| f.0 == "search/s/0.json"));
    }

    #[test]
    fn fragments_keep_what_a_result_shows() {
        let long = "woord ".repeat(400);
        let docs = vec![doc(
            "/a/",
            "Titel",
            &[],
            "Omschrijving",
            &[("", &long), ("Kop", "Tekst")],
        )];
        let files = build_index(&docs, &Synonyms::empty());
        let f: Value =
            serde_json::from_slice(&files.iter().find(|f| f.0 == "search/d/0.json").unwrap().1)
                .unwrap();
        assert_eq!(f["u"], "/a/");
        assert_eq!(f["t"], "Titel");
        assert_eq!(f["p"][1], json!(["kop-1", "Kop", 2, "Tekst"]));
        let text = f["p"][0][3].as_str().unwrap();
        assert!(text.chars().count() <= PART_TEXT_CHARS + 2 && text.ends_with('…'));
    }
}
