//! Builds the static search index: analysis, BM25F scores, shards, and the
//! fragments that results show. The file format is described in the
//! README (section "Search").
//!
//! The build is two passes over the pages, in parallel blocks of pages.
//! The first tokenises each block into ids of its own small vocabulary and
//! writes the block's fragments; the pages' text is freed right after. The
//! blocks' vocabularies are then merged and every distinct spelling is
//! analysed once. The second pass turns each page's ids into postings.
//! Everything a page contributes is keyed by global ids, so the output
//! does not depend on how the blocks were scheduled.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

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
/// Term frequencies are counted in halves: a word counts 2 for its own
/// term and 1 for each part of a compound (half weight), so sums stay
/// exact integers.
const OWN: u32 = 2;
const PART_OF_COMPOUND: u32 = 1;
/// A heading hit weighs this much more than a text hit when choosing a
/// posting's best sections.
const HEADING_PART_WEIGHT: u32 = 3;
/// A posting's score is the saturated term frequency tf / (K1 + tf) in
/// 1..=255; the term's idf is stored once, next to its postings.
const SCORE_SCALE: f64 = 255.0;
/// Postings kept per term: the best-scoring ones. A term on more pages
/// than this has a low idf; its tail barely moves a ranking.
const MAX_POSTINGS: usize = 2000;
/// Sub-results (sections of a page) kept per posting.
const MAX_PARTS: usize = 3;
/// A shard is closed once its JSON passes this many bytes (postings are
/// packed, so this is about 7 KB gzipped).
const SHARD_TARGET: usize = 14 * 1024;
/// Completions stored for a short prefix whose words span several shards.
const COMPLETIONS: usize = 8;
const COMPLETION_PREFIX: usize = 4;
const COMPLETION_POSTINGS: usize = 64;
/// Characters of text kept per page section in a fragment (for snippets).
const PART_TEXT_CHARS: usize = 1200;
/// Fragments are grouped into files of about this many bytes: fewer files
/// to write, while the ten results of a first query still fetch little.
const FRAGMENT_TARGET: usize = 9 * 1024;
const MAX_PAGES_PER_FRAGMENT_FILE: usize = 64;
/// Pages per block of the first pass (rounded to whole fragment files).
const BLOCK_PAGES: usize = 512;
/// Marks the end of a field in a block's stream of word ids.
const END: u32 = u32::MAX;

/// A fast hasher for the build's many short keys (the Fx hash of rustc).
/// The keys come from the site's own content, so flooding is no concern.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

const FX_K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fx_bytes(self.0, bytes);
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
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_K);
    }
}

#[inline]
fn fx_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(FX_K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(FX_K);
    }
    (h.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(FX_K)
}

type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fx>>;
type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fx>>;

/// A word of up to 16 bytes as two numbers and its length: reads that
/// overlap, so every byte is covered (as in wyhash). Together with the
/// length, equal keys mean equal words.
#[inline(always)]
fn small_key(w: &[u8]) -> (u64, u64) {
    let n = w.len();
    if n >= 8 {
        let mut a = [0u8; 8];
        let mut b = [0u8; 8];
        a.copy_from_slice(&w[..8]);
        b.copy_from_slice(&w[n - 8..]);
        (u64::from_le_bytes(a), u64::from_le_bytes(b))
    } else if n >= 4 {
        let mut a = [0u8; 4];
        let mut b = [0u8; 4];
        a.copy_from_slice(&w[..4]);
        b.copy_from_slice(&w[n - 4..]);
        (
            u64::from(u32::from_le_bytes(a)) | u64::from(u32::from_le_bytes(b)) << 32,
            0,
        )
    } else if n > 0 {
        (
            u64::from(w[0]) | u64::from(w[n / 2]) << 8 | u64::from(w[n - 1]) << 16,
            0,
        )
    } else {
        (0, 0)
    }
}

/// One slot of the interner's table.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// The word's key (see `small_key`), and its length + 1 (0: empty).
    key: (u64, u64),
    len: u32,
    id: u32,
}

/// The distinct spellings of a block, each with a small id: one hash per
/// word of text, no allocation once a spelling is known.
struct Interner {
    arena: Vec<u8>,
    spans: Vec<(usize, usize)>,
    /// Indexable: not a stop word, and of a length that is indexed.
    keep: Vec<bool>,
    /// How often the block uses the spelling (indexable words only).
    count: Vec<u32>,
    /// Open addressing, linear probing.
    table: Vec<Slot>,
    shift: u32,
}

const SMALL: usize = 16;

impl Interner {
    fn new() -> Interner {
        Interner {
            arena: Vec::new(),
            spans: Vec::new(),
            keep: Vec::new(),
            count: Vec::new(),
            table: vec![Slot::default(); 1 << 10],
            shift: 64 - 10,
        }
    }

    /// A spelling; always valid UTF-8, as it was cut from a `str` at
    /// character boundaries.
    fn get(&self, id: u32) -> &str {
        let (a, b) = self.spans[id as usize];
        std::str::from_utf8(&self.arena[a..b]).unwrap_or_default()
    }

    #[inline]
    fn hash(w: &[u8], key: (u64, u64)) -> u64 {
        let h = if w.len() <= SMALL {
            (key.0 ^ key.1.rotate_left(31)).wrapping_mul(FX_K)
        } else {
            fx_bytes(0, w)
        };
        (h ^ (h >> 29) ^ w.len() as u64).wrapping_mul(FX_K)
    }

    /// The id of `bytes`, a word cut from a `str` at character boundaries.
    #[inline]
    fn intern(&mut self, bytes: &[u8]) -> u32 {
        let key = if bytes.len() <= SMALL {
            small_key(bytes)
        } else {
            (0, 0)
        };
        let len = bytes.len() as u32 + 1;
        let mask = self.table.len() - 1;
        let mut i = (Self::hash(bytes, key) >> self.shift) as usize;
        loop {
            let slot = self.table[i];
            if slot.len == 0 {
                break;
            }
            if slot.len == len && slot.key == key {
                if bytes.len() <= SMALL {
                    return slot.id;
                }
                let (a, b) = self.spans[slot.id as usize];
                if self.arena[a..b] == *bytes {
                    return slot.id;
                }
            }
            i = (i + 1) & mask;
        }
        let id = self.spans.len() as u32;
        let start = self.arena.len();
        self.arena.extend_from_slice(bytes);
        self.spans.push((start, self.arena.len()));
        self.keep.push(
            std::str::from_utf8(bytes)
                .ok()
                .and_then(text::word)
                .is_some_and(|x| !is_stop_word(&x.surface)),
        );
        self.count.push(0);
        self.table[i] = Slot { key, len, id };
        if self.spans.len() * 2 > self.table.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let size = self.table.len() * 2;
        self.shift -= 1;
        let mask = size - 1;
        let mut table = vec![Slot::default(); size];
        for slot in self.table.iter().filter(|s| s.len > 0) {
            let (a, b) = self.spans[slot.id as usize];
            let bytes = &self.arena[a..b];
            let mut i = (Self::hash(bytes, slot.key) >> self.shift) as usize;
            while table[i].len != 0 {
                i = (i + 1) & mask;
            }
            table[i] = *slot;
        }
        self.table = table;
    }
}

/// A word id in a block's stream; `END` closes a field.
trait WordId: Copy + Eq {
    const END: Self;
    fn index(self) -> usize;
}

impl WordId for u16 {
    const END: u16 = u16::MAX;
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl WordId for u32 {
    const END: u32 = u32::MAX;
    fn index(self) -> usize {
        self as usize
    }
}

/// A block's stream of word ids: two bytes each when the block has fewer
/// than 65,535 spellings, as blocks usually do.
enum Stream {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// What the first pass keeps of a block of pages.
struct Block {
    words: Interner,
    /// Per page: per field (title, keywords, description, then heading and
    /// text of each part) the ids of its indexable words, then `END`.
    stream: Stream,
    /// Per page: its number of parts, and its field lengths.
    pages: Vec<(u32, [u32; FIELDS])>,
    /// The block's fragment files, in page order.
    fragments: Vec<Vec<u8>>,
}

fn push_words(words: &mut Interner, stream: &mut Vec<u32>, len: &mut u32, s: &str) {
    let bytes = s.as_bytes();
    text::for_each_word(s, |a, b| {
        let id = words.intern(&bytes[a..b]);
        if words.keep[id as usize] {
            words.count[id as usize] += 1;
            stream.push(id);
            *len += 1;
        }
    });
}

/// The first pass over a block: word ids and fragments. Takes the pages
/// by value so that their text is freed as soon as the block is done.
fn scan(docs: Vec<SearchDoc>, per_file: usize) -> Block {
    let mut words = Interner::new();
    let mut stream = Vec::new();
    let mut pages = Vec::with_capacity(docs.len());
    let mut fragments = Vec::new();
    let mut file = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let mut len = [0u32; FIELDS];
        push_words(&mut words, &mut stream, &mut len[TITLE], &doc.title);
        stream.push(END);
        for k in &doc.keywords {
            push_words(&mut words, &mut stream, &mut len[KEYWORDS], k);
        }
        stream.push(END);
        push_words(
            &mut words,
            &mut stream,
            &mut len[DESCRIPTION],
            &doc.description,
        );
        stream.push(END);
        for p in &doc.parts {
            push_words(&mut words, &mut stream, &mut len[HEADINGS], &p.heading);
            stream.push(END);
            push_words(&mut words, &mut stream, &mut len[BODY], &p.text);
            stream.push(END);
        }
        pages.push((doc.parts.len() as u32, len));

        file.push(if i % per_file == 0 { b'[' } else { b',' });
        fragment(doc, &mut file);
        if i % per_file == per_file - 1 || i + 1 == docs.len() {
            file.push(b']');
            // An exact copy: the buffer is reused, no capacity is wasted.
            fragments.push(file.clone());
            file.clear();
        }
    }
    drop(docs);
    let stream = if words.spans.len() < usize::from(u16::MAX) {
        Stream::Narrow(
            stream
                .into_iter()
                .map(|id| if id == END { u16::END } else { id as u16 })
                .collect(),
        )
    } else {
        stream.shrink_to_fit();
        Stream::Wide(stream)
    };
    Block {
        words,
        stream,
        pages,
        fragments,
    }
}

/// How one term occurs in one page, while the page is read.
struct Occurrence {
    term: u32,
    /// Per field, in halves (see `OWN`).
    tf: [u32; FIELDS],
    /// First and last of the term's parts in `PartHit`s, or `END`.
    first: u32,
    last: u32,
}

/// A term's weight in one part of a page; a linked list per occurrence.
struct PartHit {
    part: u16,
    weight: u32,
    next: u32,
}

#[derive(Clone, Copy)]
struct Posting {
    doc: u32,
    score: u8,
    /// 4 if the term is in the title, plus the number of parts.
    flags: u8,
    parts: [u16; MAX_PARTS],
}

impl Posting {
    fn nparts(&self) -> usize {
        usize::from(self.flags & 3)
    }
}

/// Everything a shard needs about the vocabulary.
struct Vocabulary {
    /// Term strings, sorted; a term's id is its index.
    terms: Vec<String>,
    idf: Vec<f64>,
    /// Per term: its number of postings (after `MAX_POSTINGS`), and the
    /// postings packed in full and, if there are more, the best
    /// `COMPLETION_POSTINGS` of them.
    kept: Vec<u32>,
    encoded: Vec<String>,
    encoded_short: Vec<Option<String>>,
    /// Surface word → (exact term ids, synonym term ids), only words that
    /// lead to at least one page.
    words: BTreeMap<String, Refs>,
}

/// A vocabulary word's exact and synonym term ids.
type Refs = (Vec<u32>, Vec<u32>);

/// How many pages share a fragment file: about `FRAGMENT_TARGET` bytes,
/// estimated from the pages' sizes so that files can be written per block.
fn pages_per_fragment_file(docs: &[SearchDoc]) -> usize {
    if docs.is_empty() {
        return 1;
    }
    let total: usize = docs
        .iter()
        .map(|d| {
            80 + d.url.len()
                + d.title.len()
                + d.section.len()
                + d.description.len()
                + d.parts
                    .iter()
                    .map(|p| {
                        16 + p.anchor.as_ref().map_or(0, |a| a.len())
                            + p.heading.len()
                            + p.text.len().min(PART_TEXT_CHARS)
                    })
                    .sum::<usize>()
        })
        .sum();
    let average = (total / docs.len()).max(1);
    ((FRAGMENT_TARGET + average / 2) / average).clamp(1, MAX_PAGES_PER_FRAGMENT_FILE)
}

/// Builds the index files, paths relative to the output root. Takes the
/// pages by value: their text is freed while the fragments are written.
pub fn build_index(docs: Vec<SearchDoc>, synonyms: &Synonyms) -> Vec<(String, Vec<u8>)> {
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if std::env::var_os("SE_LAPS").is_some() {
            eprintln!(
                "lap {what:10} {:7.1} ms",
                t0.elapsed().as_secs_f64() * 1000.0
            );
        }
    };
    let n_docs = docs.len();
    let (codes, themes) = filters(&docs);
    let per_file = pages_per_fragment_file(&docs);
    let block_pages = per_file * (BLOCK_PAGES / per_file).max(1);

    // First pass: blocks of pages, each with its own vocabulary.
    let mut blocks_in: Vec<Vec<SearchDoc>> = Vec::with_capacity(n_docs / block_pages + 1);
    let mut rest = docs.into_iter();
    loop {
        let block: Vec<SearchDoc> = rest.by_ref().take(block_pages).collect();
        if block.is_empty() {
            break;
        }
        blocks_in.push(block);
    }
    let mut blocks: Vec<Block> = blocks_in
        .into_par_iter()
        .map(|b| scan(b, per_file))
        .collect();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for b in &mut blocks {
        for bytes in std::mem::take(&mut b.fragments) {
            files.push((format!("search/d/{}.json", files.len()), bytes));
        }
    }

    lap("scan");
    // The blocks' spellings, merged and sorted: global ids.
    let mut seen: HashMap<&str, u32> = HashMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    let mut local_to_seen: Vec<Vec<u32>> = Vec::with_capacity(blocks.len());
    for b in &blocks {
        let ids = (0..b.words.spans.len() as u32)
            .map(|id| {
                if !b.words.keep[id as usize] {
                    return END;
                }
                let w = b.words.get(id);
                *seen.entry(w).or_insert_with(|| {
                    distinct.push(w);
                    distinct.len() as u32 - 1
                })
            })
            .collect();
        local_to_seen.push(ids);
    }
    let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
    order.par_sort_unstable_by_key(|&i| distinct[i as usize]);
    let mut rank = vec![0u32; distinct.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let raws: Vec<&str> = order.iter().map(|&i| distinct[i as usize]).collect();
    let mut raw_count = vec![0u32; raws.len()];
    let remaps: Vec<Vec<u32>> = local_to_seen
        .into_iter()
        .zip(&blocks)
        .map(|(ids, b)| {
            ids.into_iter()
                .enumerate()
                .map(|(local, s)| {
                    if s == END {
                        return END;
                    }
                    let g = rank[s as usize];
                    raw_count[g as usize] += b.words.count[local];
                    g
                })
                .collect()
        })
        .collect();
    drop(seen);

    lap("merge");
    // Each distinct spelling is analysed once: surface form and stem.
    let analysed: Vec<(String, String)> = raws
        .par_iter()
        .map(|r| match text::word(r) {
            Some(w) => {
                let term = text::term(&w);
                (w.surface, term)
            }
            None => (String::new(), String::new()),
        })
        .collect();

    // Surface words, sorted.
    let mut surface_list: Vec<&str> = analysed.iter().map(|(s, _)| s.as_str()).collect();
    surface_list.par_sort_unstable();
    surface_list.dedup();
    let surface_id: HashMap<&str, u32> = surface_list
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();

    // Stems: "bedreigt" joins "bedreig" where the site has both.
    let raw_terms: BTreeSet<&str> = analysed.iter().map(|(_, t)| t.as_str()).collect();
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
    let raw_info: Vec<(u32, u32)> = analysed
        .iter()
        .map(|(s, t)| (surface_id[s.as_str()], id(&final_term(t)).unwrap_or(0)))
        .collect();
    // Per surface: its terms (a surface can have several spellings).
    let mut surface_terms: Vec<Vec<u32>> = vec![Vec::new(); surface_list.len()];
    for &(s, t) in &raw_info {
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

    // Compounds: split against the site's words, weighted by use.
    let mut frequency = vec![0u32; surface_list.len()];
    for (r, &(s, _)) in raw_info.iter().enumerate() {
        frequency[s as usize] += raw_count[r];
    }
    let splitter = Splitter::new(
        surface_list
            .iter()
            .zip(&frequency)
            .map(|(s, f)| (*s, *f))
            .collect(),
    );
    let compound_terms: Vec<Vec<u32>> = surface_list
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let Some(parts) = splitter.split_parts(s) else {
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

    // Per spelling, the terms one use of it adds to, in halves.
    let mut hit_start: Vec<u32> = Vec::with_capacity(raws.len() + 1);
    let mut hits: Vec<(u32, u32)> = Vec::new();
    for &(s, t) in &raw_info {
        hit_start.push(hits.len() as u32);
        hits.push((t, OWN));
        hits.extend(
            compound_terms[s as usize]
                .iter()
                .map(|&p| (p, PART_OF_COMPOUND)),
        );
    }
    hit_start.push(hits.len() as u32);

    // Average field lengths over the pages that have the field: most
    // pages have no headings, and a page's one heading is not "long".
    let mut avg = [0.0; FIELDS];
    let mut with = [0.0; FIELDS];
    // Per page, its title's number of indexed words (one character of
    // `CODE`, at most 63), so that the client can tell a title that the
    // query matches as a whole.
    let mut title_lengths = String::with_capacity(n_docs);
    for b in &blocks {
        for (_, len) in &b.pages {
            title_lengths.push(CODE[len[TITLE].min(63) as usize] as char);
            for f in 0..FIELDS {
                if len[f] > 0 {
                    avg[f] += f64::from(len[f]);
                    with[f] += 1.0;
                }
            }
        }
    }
    for f in 0..FIELDS {
        if with[f] > 0.0 {
            avg[f] /= with[f];
        }
    }

    lap("vocab");
    // Second pass: the postings of each page.
    let mut first_doc = Vec::with_capacity(blocks.len());
    let mut next = 0u32;
    for b in &blocks {
        first_doc.push(next);
        next += b.pages.len() as u32;
    }
    let scorer = Scorer {
        hit_start: &hit_start,
        hits: &hits,
        avg,
        terms: terms.len(),
    };
    let scored: Vec<BlockPostings> = blocks
        .into_par_iter()
        .zip(remaps)
        .zip(first_doc)
        .map(|((b, remap), first)| match &b.stream {
            Stream::Narrow(ids) => scorer.block(ids, &b.pages, &remap, first),
            Stream::Wide(ids) => scorer.block(ids, &b.pages, &remap, first),
        })
        .collect();
    lap("score");
    // Per term, its runs in the blocks, in page order.
    let mut df = vec![0u32; terms.len()];
    let mut run_start = vec![0u32; terms.len() + 1];
    for b in &scored {
        let mut start = 0;
        for &(t, end) in &b.terms {
            df[t as usize] += end - start;
            run_start[t as usize + 1] += 1;
            start = end;
        }
    }
    for t in 0..terms.len() {
        run_start[t + 1] += run_start[t];
    }
    let mut runs = vec![(0u32, 0u32, 0u32); run_start[terms.len()] as usize];
    let mut cursor = run_start.clone();
    for (i, b) in scored.iter().enumerate() {
        let mut start = 0;
        for &(t, end) in &b.terms {
            let c = &mut cursor[t as usize];
            runs[*c as usize] = (i as u32, start, end);
            *c += 1;
            start = end;
        }
    }
    drop(cursor);
    // A term keeps its best postings, in page order, packed once: in full
    // for the shards of its words, and its best few for completions.
    let packed: Vec<(u32, String, Option<String>)> = (0..terms.len())
        .into_par_iter()
        .map(|t| {
            let mut list: Vec<Posting> = Vec::with_capacity(df[t] as usize);
            for &(b, start, end) in &runs[run_start[t] as usize..run_start[t + 1] as usize] {
                list.extend_from_slice(&scored[b as usize].postings[start as usize..end as usize]);
            }
            if list.len() > MAX_POSTINGS {
                list.select_nth_unstable_by(MAX_POSTINGS - 1, by_score);
                list.truncate(MAX_POSTINGS);
                list.sort_unstable_by_key(|p| p.doc);
            }
            let mut full = String::with_capacity(list.len() * 5 + 8);
            encode_postings(&list, usize::MAX, &mut full);
            let short = (list.len() > COMPLETION_POSTINGS).then(|| {
                let mut s = String::new();
                encode_postings(&list, COMPLETION_POSTINGS, &mut s);
                s
            });
            (list.len() as u32, full, short)
        })
        .collect();
    drop(scored);
    drop(runs);
    let mut kept = Vec::with_capacity(packed.len());
    let mut encoded = Vec::with_capacity(packed.len());
    let mut encoded_short = Vec::with_capacity(packed.len());
    for (n, full, short) in packed {
        kept.push(n);
        encoded.push(full);
        encoded_short.push(short);
    }
    lap("postings");
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
    let has_pages = |t: &u32| kept[*t as usize] > 0;
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

    let n = n_docs.max(1) as f64;
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
        kept,
        encoded,
        encoded_short,
        words,
    };
    lap("words");
    let (shard_files, firsts) = shards(&vocab);
    files.extend(shard_files);
    lap("shards");
    let hash = content_hash(&files);
    files.push((
        "search/meta.json".to_string(),
        meta(
            n_docs,
            per_file,
            firsts,
            codes,
            title_lengths,
            themes,
            &hash,
        ),
    ));
    lap("hash");
    files.par_sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A block's postings, grouped by term: (term, end of its run), and the
/// runs.
struct BlockPostings {
    terms: Vec<(u32, u32)>,
    postings: Vec<Posting>,
}

/// Best score first, then the first page.
fn by_score(a: &Posting, b: &Posting) -> std::cmp::Ordering {
    b.score.cmp(&a.score).then(a.doc.cmp(&b.doc))
}

/// What the second pass needs to score a page.
struct Scorer<'a> {
    hit_start: &'a [u32],
    hits: &'a [(u32, u32)],
    avg: [f64; FIELDS],
    terms: usize,
}

impl Scorer<'_> {
    /// The postings of a block's pages, grouped by term, in page order.
    #[inline(never)]
    fn block<T: WordId>(
        &self,
        stream: &[T],
        pages: &[(u32, [u32; FIELDS])],
        remap: &[u32],
        first: u32,
    ) -> BlockPostings {
        // Per block word: its hits, a range of `self.hits`.
        let ranges: Vec<(u32, u32)> = remap
            .iter()
            .map(|&g| match g {
                END => (0, 0),
                g => (self.hit_start[g as usize], self.hit_start[g as usize + 1]),
            })
            .collect();
        // Per term: the page that last used it, and its occurrence there.
        let mut stamp = vec![u32::MAX; self.terms];
        let mut slot = vec![0u32; self.terms];
        let mut occ: Vec<Occurrence> = Vec::new();
        let mut part_hits: Vec<PartHit> = Vec::new();
        let mut out: Vec<(u32, Posting)> = Vec::new();
        let mut at = 0;
        // The occurrence of term `t` in the current page.
        #[inline(always)]
        fn occurrence(
            t: u32,
            page: u32,
            stamp: &mut [u32],
            slot: &mut [u32],
            occ: &mut Vec<Occurrence>,
        ) -> usize {
            let tu = t as usize;
            if stamp[tu] == page {
                return slot[tu] as usize;
            }
            stamp[tu] = page;
            slot[tu] = occ.len() as u32;
            occ.push(Occurrence {
                term: t,
                tf: [0; FIELDS],
                first: END,
                last: END,
            });
            occ.len() - 1
        }
        for (i, (nparts, len)) in pages.iter().enumerate() {
            occ.clear();
            part_hits.clear();
            let page = i as u32;
            for field in [TITLE, KEYWORDS, DESCRIPTION] {
                loop {
                    let id = stream[at];
                    at += 1;
                    if id == T::END {
                        break;
                    }
                    let (from, to) = ranges[id.index()];
                    for &(t, halves) in &self.hits[from as usize..to as usize] {
                        let k = occurrence(t, page, &mut stamp, &mut slot, &mut occ);
                        occ[k].tf[field] += halves;
                    }
                }
            }
            for p in 0..*nparts as usize {
                let part = p.min(usize::from(u16::MAX)) as u16;
                for (field, w) in [(HEADINGS, HEADING_PART_WEIGHT), (BODY, 1)] {
                    loop {
                        let id = stream[at];
                        at += 1;
                        if id == T::END {
                            break;
                        }
                        let (from, to) = ranges[id.index()];
                        for &(t, halves) in &self.hits[from as usize..to as usize] {
                            let k = occurrence(t, page, &mut stamp, &mut slot, &mut occ);
                            let o = &mut occ[k];
                            o.tf[field] += halves;
                            let weight = halves * w;
                            match o.last {
                                END => {
                                    o.first = part_hits.len() as u32;
                                }
                                last if part_hits[last as usize].part == part => {
                                    part_hits[last as usize].weight += weight;
                                    continue;
                                }
                                last => {
                                    part_hits[last as usize].next = part_hits.len() as u32;
                                }
                            }
                            o.last = part_hits.len() as u32;
                            part_hits.push(PartHit {
                                part,
                                weight,
                                next: END,
                            });
                        }
                    }
                }
            }
            let doc = first + page;
            let mut norm = [1.0; FIELDS];
            for f in 0..FIELDS {
                if self.avg[f] > 0.0 {
                    norm[f] = 1.0 - B[f] + B[f] * f64::from(len[f]) / self.avg[f];
                }
            }
            for o in &occ {
                out.push((o.term, posting(o, &norm, &part_hits, doc)));
            }
        }
        // Grouped by term (a counting sort keeps the page order).
        let mut count = stamp;
        count.fill(0);
        for (t, _) in &out {
            count[*t as usize] += 1;
        }
        let mut terms = Vec::new();
        let mut end = 0u32;
        for (t, c) in count.iter_mut().enumerate() {
            if *c > 0 {
                let start = end;
                end += *c;
                terms.push((t as u32, end));
                *c = start;
            }
        }
        let mut postings = vec![
            Posting {
                doc: 0,
                score: 0,
                flags: 0,
                parts: [0; MAX_PARTS],
            };
            out.len()
        ];
        for (t, p) in out {
            let c = &mut count[t as usize];
            postings[*c as usize] = p;
            *c += 1;
        }
        BlockPostings { terms, postings }
    }
}

/// BM25F: the term frequencies of the fields are weighted and
/// length-normalised (`norm`, per field of the page) first, then saturated
/// once.
fn posting(o: &Occurrence, norm: &[f64; FIELDS], part_hits: &[PartHit], doc: u32) -> Posting {
    let mut tf = 0.0;
    for f in 0..FIELDS {
        if o.tf[f] > 0 {
            tf += WEIGHT[f] * (f64::from(o.tf[f]) / 2.0) / norm[f];
        }
    }
    let score = tf / (K1 + tf);
    let q = (score * SCORE_SCALE).round().clamp(1.0, 255.0) as u8;
    // The best parts: highest weight first, then the earliest part.
    let mut best: [(u16, u32); MAX_PARTS] = [(0, 0); MAX_PARTS];
    let mut n = 0;
    let mut h = o.first;
    while h != END {
        let hit = &part_hits[h as usize];
        let at = best[..n].iter().position(|b| b.1 < hit.weight).unwrap_or(n);
        if at < MAX_PARTS {
            let end = (n + 1).min(MAX_PARTS);
            best.copy_within(at..end - 1, at + 1);
            best[at] = (hit.part, hit.weight);
            n = end;
        }
        h = hit.next;
    }
    let mut parts = [0u16; MAX_PARTS];
    for (p, b) in parts.iter_mut().zip(&best[..n]) {
        *p = b.0;
    }
    Posting {
        doc,
        score: q,
        flags: if o.tf[TITLE] > 0 { 4 } else { 0 } + n as u8,
        parts,
    }
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

/// The 64 characters of the packed formats: JSON-safe, no escaping.
const CODE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A number in characters of `CODE`, five bits each, low bits first; the
/// characters from the second half say that more follow.
fn push_varint(mut v: u32, out: &mut String) {
    while v >= 32 {
        out.push(CODE[32 + (v & 31) as usize] as char);
        v >>= 5;
    }
    out.push(CODE[v as usize] as char);
}

/// Postings packed in one string, column by column (which compresses
/// better than posting by posting): the count, the doc deltas, then two
/// characters per posting for score × 8 + 4 if in the title + the number
/// of parts, then the parts.
fn encode_postings(list: &[Posting], limit: usize, out: &mut String) {
    let chosen: Vec<&Posting> = if list.len() > limit {
        let mut best: Vec<&Posting> = list.iter().collect();
        if limit > 0 {
            best.select_nth_unstable_by(limit - 1, |a, b| by_score(a, b));
        }
        best.truncate(limit);
        best.sort_unstable_by_key(|p| p.doc);
        best
    } else {
        list.iter().collect()
    };
    out.push('"');
    push_varint(chosen.len() as u32, out);
    let mut prev = 0;
    for p in &chosen {
        push_varint(p.doc - prev, out);
        prev = p.doc;
    }
    for p in &chosen {
        let x = usize::from(p.score) * 8 + usize::from(p.flags);
        out.push(CODE[x >> 6] as char);
        out.push(CODE[x & 63] as char);
    }
    for p in &chosen {
        for part in &p.parts[..p.nparts()] {
            push_varint(u32::from(*part), out);
        }
    }
    out.push('"');
}

fn json_str(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

/// Byte classes for writing JSON text: copied as is, white space (ASCII),
/// escaped, and the bytes of non-ASCII characters.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const ESCAPE: u8 = 2;
const HIGH: u8 = 3;
static JSON_CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match i as u8 {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => SPACE,
            b'"' | b'\\' | 0..=0x1f => ESCAPE,
            0x80.. => HIGH,
            _ => PLAIN,
        };
        i += 1;
    }
    table
};

fn push_escaped(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        }
    }
}

/// Appends `s` as a JSON string.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x20 || JSON_CLASS[usize::from(b)] == ESCAPE {
            out.extend_from_slice(&bytes[start..i]);
            push_escaped(out, b);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends `s` as a JSON string, with runs of white space as one space,
/// cut after `max` characters at a word boundary (if one is past half)
/// with " …". One pass: only the start of a long text is read.
fn push_shortened(out: &mut Vec<u8>, s: &str, max: usize) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut i = 0;
    // Characters and bytes written (unescaped), a space owed, and the last
    // space written: its byte offset in the text and in `out`.
    let (mut chars, mut bytes) = (0, 0);
    let mut space = false;
    let mut last_space: Option<(usize, usize)> = None;
    let mut cut = false;
    while i < b.len() {
        let class = JSON_CLASS[usize::from(b[i])];
        let (len, white) = match class {
            SPACE => (1, true),
            HIGH => match s.get(i..).and_then(|r| r.chars().next()) {
                Some(c) => (c.len_utf8(), c.is_whitespace()),
                None => break,
            },
            _ => (1, false),
        };
        if white {
            space = chars > 0;
            i += len;
            continue;
        }
        if space {
            if chars == max {
                cut = true;
                break;
            }
            last_space = Some((bytes, out.len()));
            out.push(b' ');
            chars += 1;
            bytes += 1;
            space = false;
        }
        if chars == max {
            cut = true;
            break;
        }
        match class {
            PLAIN => {
                // A run of plain ASCII with single spaces between words, as
                // far as the limit allows: copied as it is.
                let mut j = i + 1;
                let end = b.len().min(i + (max - chars));
                while j < end {
                    match JSON_CLASS[usize::from(b[j])] {
                        PLAIN => j += 1,
                        SPACE
                            if b[j] == b' '
                                && j + 1 < end
                                && JSON_CLASS[usize::from(b[j + 1])] == PLAIN =>
                        {
                            last_space = Some((bytes + j - i, out.len() + j - i));
                            j += 2;
                        }
                        _ => break,
                    }
                }
                out.extend_from_slice(&b[i..j]);
                chars += j - i;
                bytes += j - i;
                i = j;
            }
            ESCAPE => {
                push_escaped(out, b[i]);
                chars += 1;
                bytes += 1;
                i += 1;
            }
            _ => {
                out.extend_from_slice(&b[i..i + len]);
                chars += 1;
                bytes += len;
                i += len;
            }
        }
    }
    if cut {
        if let Some((at, end)) = last_space {
            if at > max / 2 {
                out.truncate(end);
            }
        }
        out.extend_from_slice(" …".as_bytes());
    }
    out.push(b'"');
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
    let encoded = &vocab.encoded;
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
            .map(|t| vocab.kept[*t as usize] as usize)
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
                shard_json(vocab, plan).into_bytes(),
            )
        })
        .collect();
    let firsts = firsts[1..].iter().map(|s| s.to_string()).collect();
    (files, firsts)
}

fn shard_json(vocab: &Vocabulary, plan: &ShardPlan) -> String {
    let encoded = &vocab.encoded;
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
    let refs_json = |refs: &Refs, out: &mut String| {
        out.push('[');
        for (k, t) in refs.0.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", local[t].0);
        }
        for (k, t) in refs.1.iter().enumerate() {
            if k > 0 || !refs.0.is_empty() {
                out.push(',');
            }
            let _ = write!(out, "-{}", local[t].0 + 1);
        }
        out.push(']');
    };
    let size: usize = local
        .keys()
        .map(|t| encoded[*t as usize].len() + 24)
        .sum::<usize>()
        + plan.words.len() * 24;
    let mut out = String::with_capacity(size);
    out.push_str("{\"w\":{");
    for (k, (word, refs)) in plan.words.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&json_str(word));
        out.push(':');
        refs_json(refs, &mut out);
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
        match (&vocab.encoded_short[*t as usize], *full) {
            (Some(short), false) => out.push_str(short),
            _ => out.push_str(&encoded[*t as usize]),
        }
        out.push(']');
    }
    out.push_str("],\"c\":{");
    for (k, (prefix, words)) in plan.completions.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&json_str(prefix));
        out.push_str(":[");
        let mut first = true;
        for w in words {
            if let Some(r) = vocab.words.get(*w) {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push('[');
                out.push_str(&json_str(w));
                out.push(',');
                refs_json(r, &mut out);
                out.push(']');
            }
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

/// A page as the client shows it in a result: URL, title, section, theme,
/// audience, description, and per part anchor ("" for none), heading,
/// level and the start of its text.
#[inline(never)]
fn fragment(doc: &SearchDoc, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"u\":");
    push_json_str(out, &doc.url);
    out.extend_from_slice(b",\"t\":");
    push_json_str(out, &doc.title);
    out.extend_from_slice(b",\"s\":");
    push_json_str(out, &doc.section);
    if let Some(th) = &doc.theme {
        out.extend_from_slice(b",\"th\":");
        push_json_str(out, th);
    }
    out.extend_from_slice(b",\"a\":[");
    for (i, a) in doc.audience.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_str(out, a);
    }
    out.extend_from_slice(b"],\"d\":");
    push_json_str(out, &doc.description);
    out.extend_from_slice(b",\"p\":[");
    for (i, p) in doc.parts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_json_str(out, p.anchor.as_deref().unwrap_or(""));
        out.push(b',');
        push_json_str(out, &p.heading);
        let _ = std::io::Write::write_fmt(out, format_args!(",{},", p.level));
        push_shortened(out, &p.text, PART_TEXT_CHARS);
        out.push(b']');
    }
    out.extend_from_slice(b"]}");
}

/// A hash of every file, for cache busting (`?v=`). Not cryptographic:
/// it only has to change when a file changes. Four lanes of multiply and
/// rotate over eight-byte words, so it runs at memory speed.
fn content_hash(files: &[(String, Vec<u8>)]) -> String {
    fn lanes(bytes: &[u8], seed: u64) -> u64 {
        const K: [u64; 4] = [
            0x9e37_79b9_7f4a_7c15,
            0xc2b2_ae3d_27d4_eb4f,
            0x1656_67b1_9e37_79f9,
            0x27d4_eb2f_1656_67c5,
        ];
        let mut h = [seed, seed ^ K[0], seed ^ K[1], seed ^ K[2]];
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            for (lane, word) in h.iter_mut().zip(block.chunks_exact(8)) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                *lane = (*lane ^ u64::from_le_bytes(w))
                    .wrapping_mul(K[3])
                    .rotate_left(29);
            }
        }
        let mut tail = [0u8; 32];
        let rest = blocks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        for (lane, word) in h.iter_mut().zip(tail.chunks_exact(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            *lane = (*lane ^ u64::from_le_bytes(w))
                .wrapping_mul(K[3])
                .rotate_left(29);
        }
        let mut out = bytes.len() as u64;
        for (lane, k) in h.iter().zip(K) {
            out = (out ^ lane.wrapping_mul(k))
                .rotate_left(31)
                .wrapping_mul(K[0]);
        }
        out ^ (out >> 32)
    }
    let each: Vec<u64> = files
        .par_iter()
        .map(|(path, bytes)| lanes(bytes, lanes(path.as_bytes(), 0)))
        .collect();
    let mut all = Vec::with_capacity(each.len() * 8);
    for h in each {
        all.extend_from_slice(&h.to_le_bytes());
    }
    format!("{:016x}", lanes(&all, 1))
}

/// Per page its filter code (one character of `CODE`: audience bits + 4 ×
/// theme number), and the themes (key, and the section most of its pages
/// are in). 15 themes fit one character; more are not filterable.
fn filters(docs: &[SearchDoc]) -> (String, Vec<(String, String)>) {
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
    let codes = docs
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
    (codes, themes)
}

fn meta(
    n: usize,
    per_file: usize,
    firsts: Vec<String>,
    codes: String,
    title_lengths: String,
    themes: Vec<(String, String)>,
    hash: &str,
) -> Vec<u8> {
    let m = serde_json::json!({
        "v": 2,
        "h": hash,
        "n": n,
        "k": per_file,
        "s": firsts,
        "f": codes,
        "l": title_lengths,
        "th": themes,
        "stop": text::STOP_WORDS,
    });
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

    /// Decodes a packed postings string, as the client does: (doc, score ×
    /// 8 + flags, parts).
    fn unpack(s: &str) -> Vec<(u64, u64, Vec<u64>)> {
        let digits: Vec<u64> = s
            .bytes()
            .map(|b| CODE.iter().position(|c| *c == b).unwrap() as u64)
            .collect();
        let mut k = 0;
        let mut num = || {
            let (mut v, mut shift) = (0, 0);
            while digits[k] >= 32 {
                v += (digits[k] - 32) << shift;
                shift += 5;
                k += 1;
            }
            v += digits[k] << shift;
            k += 1;
            v
        };
        let n = num() as usize;
        let mut doc = 0;
        let docs: Vec<u64> = (0..n)
            .map(|_| {
                doc += num();
                doc
            })
            .collect();
        let xs: Vec<u64> = (0..n)
            .map(|i| digits[k + 2 * i] * 64 + digits[k + 2 * i + 1])
            .collect();
        k += 2 * n;
        let mut out = Vec::new();
        for (doc, x) in docs.into_iter().zip(xs) {
            let mut parts = Vec::new();
            for _ in 0..(x & 3) {
                let (mut v, mut shift) = (0, 0);
                while digits[k] >= 32 {
                    v += (digits[k] - 32) << shift;
                    shift += 5;
                    k += 1;
                }
                parts.push(v + (digits[k] << shift));
                k += 1;
            }
            out.push((doc, x, parts));
        }
        assert_eq!(k, digits.len(), "{s}");
        out
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
                for (doc, x, parts) in unpack(t[2].as_str().unwrap()) {
                    out.push((doc, x >> 3, x & 4 != 0, parts, synonym));
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
        let files = build_index(docs.clone(), &Synonyms::empty());
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
        let files = build_index(docs.clone(), &Synonyms::empty());
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
        let files = build_index(docs.clone(), &synonyms);
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
        let plain = build_index(docs.clone(), &Synonyms::empty());
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
        let files = build_index(docs.clone(), &Synonyms::empty());
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
        let a = build_index(docs.clone(), &Synonyms::empty());
        let b = build_index(docs.clone(), &Synonyms::empty());
        assert_eq!(a, b);
        let paths: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        assert_eq!(paths, sorted);
        let meta: Value =
            serde_json::from_slice(&a.iter().find(|f| f.0 == "search/meta.json").unwrap().1)
                .unwrap();
        assert_eq!(meta["n"], 40);
        // Every page is in its fragment file: page i is item i % k of d/(i / k).
        let k = meta["k"].as_u64().unwrap() as usize;
        for i in 0..40 {
            let path = format!("search/d/{}.json", i / k);
            let file: Value =
                serde_json::from_slice(&a.iter().find(|f| f.0 == path).unwrap().1).unwrap();
            assert_eq!(file[i % k]["u"], format!("/p{i}/"));
        }
        assert_eq!(
            paths.iter().filter(|p| p.starts_with("search/d/")).count(),
            40usize.div_ceil(k)
        );
        // An empty site still gives a usable index.
        let empty = build_index(Vec::new(), &Synonyms::empty());
        assert!(empty.iter().any(|f| f.0 == "search/meta.json"));
        assert!(empty.iter().any(|f| f.0 == "search/s/0.json"));
    }

    #[test]
    fn meta_counts_the_indexed_words_of_each_title() {
        // Stop words do not count, so the client can tell that "De
        // vertrouwenspersoon" is matched as a whole by "vertrouwenspersoon".
        let docs = vec![
            doc("/a/", "De vertrouwenspersoon", &[], "", &[("", "tekst")]),
            doc(
                "/b/",
                "Een melding van stagediscriminatie aannemen",
                &[],
                "",
                &[("", "tekst")],
            ),
        ];
        let files = build_index(docs, &Synonyms::empty());
        let meta: Value =
            serde_json::from_slice(&files.iter().find(|f| f.0 == "search/meta.json").unwrap().1)
                .unwrap();
        assert_eq!(meta["l"], "BD");
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
        let files = build_index(docs.clone(), &Synonyms::empty());
        let file: Value =
            serde_json::from_slice(&files.iter().find(|f| f.0 == "search/d/0.json").unwrap().1)
                .unwrap();
        let f = &file[0];
        assert_eq!(f["u"], "/a/");
        assert_eq!(f["t"], "Titel");
        assert_eq!(f["p"][1], json!(["kop-1", "Kop", 2, "Tekst"]));
        let text = f["p"][0][3].as_str().unwrap();
        assert!(text.chars().count() <= PART_TEXT_CHARS + 2 && text.ends_with('…'));
    }

    #[test]
    fn the_output_does_not_depend_on_threads_or_blocks() {
        // More pages than one block, with words that only some blocks use.
        let docs: Vec<SearchDoc> = (0..1300)
            .map(|i| {
                let rare = format!("woord{}", i % 97);
                doc(
                    &format!("/p{i}/"),
                    &format!("Pagina {i} over {rare}"),
                    &["melden"],
                    "Wat je kunt doen.",
                    &[
                        ("", &format!("Praat met je mentor over {rare}.")),
                        ("Stagediscriminatie", "Meld het bij de vertrouwenspersoon."),
                    ],
                )
            })
            .collect();
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| build_index(docs.clone(), &Synonyms::empty()))
        };
        let one = build(1);
        assert_eq!(one, build(3));
        let hits = lookup(&one, "woord5");
        assert_eq!(hits.len(), 1300 / 97 + 1);
        assert!(hits.iter().all(|h| h.0 % 97 == 5 && h.2));
    }

    #[test]
    fn postings_round_trip_through_the_packed_format() {
        let list: Vec<Posting> = [(0, 255, 7, [0, 40, u16::MAX]), (33, 1, 0, [0; 3])]
            .into_iter()
            .chain((0..40).map(|d| (1000 + d * 1000, 100, 5, [d as u16, 0, 0])))
            .map(|(doc, score, flags, parts)| Posting {
                doc,
                score,
                flags,
                parts,
            })
            .collect();
        let mut s = String::new();
        encode_postings(&list, usize::MAX, &mut s);
        let back = unpack(s.trim_matches('"'));
        assert_eq!(back.len(), list.len());
        for (p, (doc, x, parts)) in list.iter().zip(back) {
            assert_eq!(doc, u64::from(p.doc));
            assert_eq!(x, u64::from(p.score) * 8 + u64::from(p.flags));
            let want: Vec<u64> = p.parts[..p.nparts()]
                .iter()
                .map(|&v| u64::from(v))
                .collect();
            assert_eq!(parts, want);
        }
        // A limit keeps the best postings, in doc order.
        let mut s = String::new();
        encode_postings(&list, 2, &mut s);
        let docs: Vec<u64> = unpack(s.trim_matches('"')).iter().map(|p| p.0).collect();
        assert_eq!(docs, [0, 1000]);
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_str("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\u0001é""#);
        let v: Value = serde_json::from_str(&json_str("x\ty\u{7f}\u{2028}")).unwrap();
        assert_eq!(v, "x\ty\u{7f}\u{2028}");
    }

    #[test]
    fn shorten_collapses_space_and_cuts_at_a_word() {
        let short = |s: &str, max: usize| -> String {
            let mut out = Vec::new();
            push_shortened(&mut out, s, max);
            serde_json::from_slice(&out).unwrap()
        };
        // The reference: what the first version did with whole strings.
        let reference = |s: &str, max: usize| -> String {
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
        };
        assert_eq!(short("  een\n twee\tdrie ", 100), "een twee drie");
        assert_eq!(short("aaaa bbbb cccc dddd", 12), "aaaa bbbb …");
        assert_eq!(short("aaaa bbbb cccc", 14), "aaaa bbbb cccc");
        assert_eq!(short("abcdefghijkl", 5), "abcde …");
        let texts = [
            "Een \"quote\" en een \\ en\u{1}controle\u{a0}nbsp\u{2003}em één coördinator",
            "  leading and trailing  ",
            "ééééé ééééé ééééé ééééé",
            "a\tb\nc\rd\u{b}e\u{c}f g\u{85}h\u{2028}i",
            "woord, woord. woord! woord? woord; woord: woord",
        ];
        for text in texts {
            for max in [0, 1, 3, 5, 8, 10, 13, 20, 40, 100] {
                assert_eq!(short(text, max), reference(text, max), "{text:?} {max}");
            }
        }
        // Random texts of words, single and double spaces, escapes and
        // accents, cut everywhere.
        let pieces = [
            "ab", "c", "  ", " ", "\t", "\"", "é", "xyz", "\\", "\n", "ó ",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            for max in 0..24 {
                assert_eq!(short(&text, max), reference(&text, max), "{text:?} {max}");
            }
        }
    }
}
