//! Readability of Dutch body text: sentences, words, syllables, and the
//! Flesch-Douma score
//!
//! ```text
//! score = 206.835 − 0.93 × (words / sentences) − 77 × (syllables / words)
//! ```
//!
//! **Sentences.** Each paragraph, list item and quote ends a sentence.
//! Inside a block, a word that ends in `.`, `!`, `?` or `…` (closing quotes,
//! brackets and emphasis marks after it do not matter) ends one, except
//! after a known abbreviation (`bijv.`, `o.a.`, `nr.`, …), an abbreviation
//! with inner dots (`d.w.z.`) or a single letter (`M.`). Headings, code,
//! tables and image descriptions are not body text and are left out, and so
//! is the part under a heading that starts with "Bron" ("Bronnen"): source
//! citations are not prose.
//!
//! **Words.** Everything between spaces that has a letter or digit.
//! Web addresses and e-mail addresses are left out. `mbo-school` is one
//! word.
//!
//! **Syllables** (see [`syllables`]): one per group of vowels (a, e, i, o,
//! u, y), where a group is split into the Dutch vowel sounds it is made of.
//! These count as one: `aa ee oo uu ie oe eu ui ei ou au`, `aai ooi oei eeu
//! ieu`, and from loanwords `ai oi ay ey oy uy` (`mail`, `toilet`, `hockey`);
//! `ij` is one because `j` is not a vowel. Any other pair of
//! vowels counts as two: `ideaal` = i-de-aal, `situatie` = si-tu-a-tie. A
//! vowel with a diaeresis (`ë ï ü ö ä`) always starts a new syllable:
//! `ideeën`, `geïnteresseerd`, `coördinator`. Other accents do not change the
//! count (`één` = 1). A `y` at the start of a word before a vowel is a
//! consonant (`yoga`). Each part of a hyphenated word is counted on its own.
//! A number counts one syllable per digit, at most four (`112` = 3).
//! Every word has at least one syllable. Loanwords (`coach`, `team`) are
//! counted as if they were Dutch: the score is an aid, not a verdict.

use serde::Serialize;

use crate::render::markdown::Block;

/// Flesch-Douma for the given counts; `None` without words or sentences.
pub fn flesch_douma(words: usize, sentences: usize, syllables: usize) -> Option<f64> {
    if words == 0 || sentences == 0 {
        return None;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    Some(206.835 - 0.93 * (w / s) - 77.0 * (y / w))
}

const TRIGRAPHS: &[&str] = &["aai", "ooi", "oei", "eeu", "ieu"];
const DIGRAPHS: &[&str] = &[
    "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ou", "au", "ai", "oi", "ay", "ey", "oy",
    "uy",
];

/// A letter as the syllable counter sees it: its base vowel (if it is a
/// vowel) and whether it starts a new syllable (a diaeresis).
fn vowel(c: char) -> Option<(char, bool)> {
    Some(match c {
        'a' | 'á' | 'à' | 'â' => ('a', false),
        'e' | 'é' | 'è' | 'ê' => ('e', false),
        'i' | 'í' | 'ì' | 'î' => ('i', false),
        'o' | 'ó' | 'ò' | 'ô' => ('o', false),
        'u' | 'ú' | 'ù' | 'û' => ('u', false),
        'y' | 'ý' => ('y', false),
        'ä' => ('a', true),
        'ë' => ('e', true),
        'ï' => ('i', true),
        'ö' => ('o', true),
        'ü' => ('u', true),
        'ÿ' => ('y', true),
        _ => return None,
    })
}

/// The vowel sounds in one run of vowels, longest match first.
fn units(run: &str) -> usize {
    let mut n = 0;
    let mut rest = run;
    while !rest.is_empty() {
        let step = if TRIGRAPHS.iter().any(|t| rest.starts_with(t)) {
            3
        } else if DIGRAPHS.iter().any(|d| rest.starts_with(d)) {
            2
        } else {
            1
        };
        n += 1;
        rest = &rest[step.min(rest.len())..];
    }
    n
}

/// Syllables of a word without hyphens.
fn part_syllables(part: &str) -> usize {
    let letters: Vec<char> = part.chars().flat_map(char::to_lowercase).collect();
    if !letters.iter().any(|c| c.is_alphabetic()) {
        let digits = letters.iter().filter(|c| c.is_ascii_digit()).count();
        return digits.min(4);
    }
    let mut count = 0;
    let mut run = String::new();
    for (i, &c) in letters.iter().enumerate() {
        let v = vowel(c).filter(|&(base, _)| {
            // `y` before a vowel at the start is a consonant: yoga, yes.
            !(base == 'y' && i == 0 && letters.get(1).and_then(|&n| vowel(n)).is_some())
        });
        match v {
            Some((base, brk)) => {
                if brk && !run.is_empty() {
                    count += units(&run);
                    run.clear();
                }
                run.push(base);
            }
            None => {
                if !run.is_empty() {
                    count += units(&run);
                    run.clear();
                }
            }
        }
    }
    if !run.is_empty() {
        count += units(&run);
    }
    count.max(1)
}

/// The number of syllables of one Dutch word (rules in the module docs).
pub fn syllables(word: &str) -> usize {
    word.split(['-', '/', '–'])
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .map(part_syllables)
        .sum()
}

/// Abbreviations that end in a dot without ending the sentence (lower case,
/// without the last dot).
const ABBREVIATIONS: &[&str] = &[
    "bijv", "bv", "enz", "etc", "nr", "ca", "incl", "excl", "evt", "mr", "dr", "drs", "ir", "ing",
    "prof", "jl", "mw", "mevr", "dhr", "vs", "blz", "art", "tel", "max", "min", "resp", "vgl",
    "zgn", "ong", "afd", "e.d", "o.a", "d.w.z", "i.p.v", "t.a.v", "z.s.m", "a.u.b", "m.b.v",
    "m.b.t", "i.v.m", "o.b.v", "n.a.v", "t.z.t", "e.a",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    if ABBREVIATIONS.contains(&w.as_str()) {
        return true;
    }
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && w.chars().count() == 1 {
        return true;
    }
    // `d.w.z`, `o.i.d`: short letter groups with dots between them.
    w.contains('.')
        && w.split('.')
            .all(|s| !s.is_empty() && s.len() <= 2 && s.chars().all(char::is_alphabetic))
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '"' | '\'' | '”' | '’' | '»' | '*' | '_' | '“'
    )
}

/// Whether a token ends a sentence.
fn ends_sentence(token: &str) -> bool {
    let t = token.trim_end_matches(is_closing);
    if t.ends_with(['!', '?', '…']) {
        return true;
    }
    if t.ends_with("...") {
        return true;
    }
    match t.strip_suffix('.') {
        Some(rest) => {
            let core = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
            // A lone `.` follows inline code, which is not counted: `melden`.
            core.is_empty() || !is_abbreviation(core)
        }
        None => false,
    }
}

/// A web or e-mail address: not a word of the text.
fn is_address(token: &str) -> bool {
    token.contains("://") || token.contains('@') || token.to_lowercase().starts_with("www.")
}

/// The token without leading and trailing punctuation.
fn core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

/// One sentence of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    /// The line of its first word.
    pub line: usize,
    pub words: usize,
    pub syllables: usize,
    /// The start of the sentence, for messages.
    pub text: String,
    /// In a list item, not a paragraph.
    #[serde(skip)]
    pub item: bool,
}

/// A long word where it is first used on a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LongWord {
    pub word: String,
    pub letters: usize,
    pub line: usize,
    /// Directly followed by an explanation in brackets somewhere on the page.
    #[serde(skip)]
    pub explained_inline: bool,
    /// Every use starts with a capital in the middle of a sentence: a name.
    #[serde(skip)]
    pub name: bool,
}

/// The words of a page's text, split into sentences.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    pub sentences: Vec<Sentence>,
    /// Words over [`LONG_WORD`] letters, in order of first use, each once.
    pub long_words: Vec<LongWord>,
}

/// Words with more letters than this are long.
pub const LONG_WORD: usize = 15;
/// Sentences with more words than this are long.
pub const LONG_SENTENCE: usize = 20;

/// A prose block as one string, with the line where each run starts.
struct Joined {
    text: String,
    lines: Vec<(usize, usize)>,
}

impl Joined {
    fn new(runs: &[(usize, String)]) -> Joined {
        let mut text = String::new();
        let mut lines = Vec::new();
        for (line, run) in runs {
            lines.push((text.len(), *line));
            text.push_str(run);
        }
        Joined { text, lines }
    }

    fn line_at(&self, offset: usize) -> usize {
        let i = self.lines.partition_point(|&(o, _)| o <= offset);
        self.lines
            .get(i.saturating_sub(1))
            .map_or(1, |&(_, line)| line)
    }

    /// Whitespace-separated tokens with their byte offsets.
    fn tokens(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.text.char_indices() {
            if c.is_whitespace() {
                if let Some(s) = start.take() {
                    out.push((s, &self.text[s..i]));
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            out.push((s, &self.text[s..]));
        }
        out
    }
}

fn excerpt(words: &[&str]) -> String {
    let mut s = String::new();
    for w in words {
        if s.chars().count() > 60 {
            s.push_str(" …");
            break;
        }
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

/// Splits the prose blocks of a page into sentences and finds long words.
pub fn analyse(blocks: &[Block]) -> Text {
    let mut out = Text::default();
    // The level of a "Bronnen" heading whose part is being skipped.
    let mut sources: Option<u8> = None;
    for block in blocks {
        let (runs, item) = match block {
            Block::Heading { level, title, .. } => {
                if sources.is_some_and(|l| *level <= l) {
                    sources = None;
                }
                if sources.is_none() && is_sources_heading(title) {
                    sources = Some(*level);
                }
                continue;
            }
            Block::Prose { runs, item, .. } if sources.is_none() => (runs, *item),
            _ => continue,
        };
        let joined = Joined::new(runs);
        let tokens = joined.tokens();
        let mut sentence: Vec<&str> = Vec::new();
        let mut words = 0;
        let mut syl = 0;
        let mut first_line = None;
        for (n, &(offset, token)) in tokens.iter().enumerate() {
            let line = joined.line_at(offset);
            let word = core(token);
            if !word.is_empty() && !is_address(token) {
                let first_of_sentence = words == 0;
                words += 1;
                syl += syllables(word);
                first_line.get_or_insert(line);
                let next_opens = tokens.get(n + 1).is_some_and(|(_, t)| t.starts_with('('))
                    || token[token.find(word).map_or(0, |i| i + word.len())..].starts_with('(');
                for part in word.split(['-', '/', '–']) {
                    let letters = part.chars().filter(|c| c.is_alphabetic()).count();
                    if letters <= LONG_WORD {
                        continue;
                    }
                    let is_name =
                        !first_of_sentence && part.chars().next().is_some_and(char::is_uppercase);
                    let key = part.to_lowercase();
                    match out
                        .long_words
                        .iter_mut()
                        .find(|w| w.word.to_lowercase() == key)
                    {
                        Some(w) => {
                            w.explained_inline |= next_opens;
                            w.name &= is_name;
                        }
                        None => out.long_words.push(LongWord {
                            word: part.to_string(),
                            letters,
                            line,
                            explained_inline: next_opens,
                            name: is_name,
                        }),
                    }
                }
            }
            sentence.push(token);
            if ends_sentence(token) || n + 1 == tokens.len() {
                if words > 0 {
                    out.sentences.push(Sentence {
                        line: first_line.unwrap_or(line),
                        words,
                        syllables: syl,
                        text: excerpt(&sentence),
                        item,
                    });
                }
                sentence.clear();
                words = 0;
                syl = 0;
                first_line = None;
            }
        }
    }
    out
}

/// A heading over the sources of a page ("Bronnen", "Bron"): citations
/// are not prose, so their part is left out.
fn is_sources_heading(title: &str) -> bool {
    title.trim().to_lowercase().starts_with("bron")
}

/// The readability of one page. The score counts the sentences of its
/// paragraphs: list items are often fragments ("Gratis"), which would make
/// a page look easier than it is. A page of lists only is scored on them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// `None` for a page without text.
    pub flesch_douma: Option<f64>,
    pub words_per_sentence: Option<f64>,
    /// The sentences of list items, left out of the score above.
    pub list_sentences: usize,
    /// The score with list items counted as sentences too.
    pub flesch_douma_with_lists: Option<f64>,
    pub long_sentences: Vec<Sentence>,
}

impl Text {
    pub fn stats(&self) -> Stats {
        let total = |items: bool| {
            let s = self.sentences.iter().filter(|s| items || !s.item);
            let (mut n, mut words, mut syllables) = (0, 0, 0);
            for x in s {
                n += 1;
                words += x.words;
                syllables += x.syllables;
            }
            (n, words, syllables)
        };
        let all = total(true);
        let prose = total(false);
        let (sentences, words, syllables) = if prose.0 > 0 { prose } else { all };
        Stats {
            words,
            sentences,
            syllables,
            flesch_douma: flesch_douma(words, sentences, syllables),
            words_per_sentence: (sentences > 0).then(|| words as f64 / sentences as f64),
            list_sentences: all.0 - prose.0,
            flesch_douma_with_lists: flesch_douma(all.1, all.0, all.2),
            long_sentences: self
                .sentences
                .iter()
                .filter(|s| s.words > LONG_SENTENCE)
                .cloned()
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Vec<Block> {
        text.split("\n\n")
            .enumerate()
            .map(|(i, p)| Block::Prose {
                line: i + 1,
                runs: vec![(i + 1, p.to_string())],
                item: false,
            })
            .collect()
    }

    /// Hand-counted: each word with its syllables split by `-`.
    #[test]
    fn syllables_of_dutch_words() {
        for (word, n) in [
            ("je", 1),
            ("kunt", 1),
            ("altijd", 2),                   // al-tijd
            ("vertrouwenspersoon", 5),       // ver-trou-wens-per-soon
            ("politie", 3),                  // po-li-tie
            ("situatie", 4),                 // si-tu-a-tie
            ("ideaal", 3),                   // i-de-aal
            ("ideeën", 3),                   // i-dee-ën
            ("België", 3),                   // bel-gi-ë
            ("coördinator", 5),              // co-ör-di-na-tor
            ("geïnteresseerd", 5),           // ge-ïn-te-res-seerd
            ("reünie", 3),                   // re-ü-nie
            ("nieuw", 1),                    // nieuw
            ("nieuwe", 2),                   // nieu-we
            ("mooie", 2),                    // mooi-e
            ("groeien", 2),                  // groei-en
            ("draaien", 2),                  // draai-en
            ("leeuw", 1),                    // leeuw
            ("moeilijk", 2),                 // moei-lijk
            ("vrijwillig", 3),               // vrij-wil-lig
            ("ruimte", 2),                   // ruim-te
            ("studieloopbaanbegeleider", 8), // stu-die-loop-baan-be-ge-lei-der
            ("individueel", 5),              // in-di-vi-du-eel
            ("religieuze", 4),               // re-li-gieu-ze
            ("één", 1),
            ("oké", 2),    // o-ké
            ("foto's", 2), // fo-to's
            ("e-mail", 2), // e-mail
            ("yoga", 2),   // yo-ga
            ("Iemand", 2), // ie-mand
            ("112", 3),
            ("2023", 4),
            ("0800-7000", 8),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn formula_against_hand_counts() {
        // "Je kunt altijd met de vertrouwenspersoon praten."
        // 7 words, 1 sentence; syllables 1+1+2+1+1+5+2 = 13.
        let t = analyse(&prose("Je kunt altijd met de vertrouwenspersoon praten."));
        let s = t.stats();
        assert_eq!((s.words, s.sentences, s.syllables), (7, 1, 13));
        // 206.835 − 0.93 × 7 − 77 × 13/7 = 206.835 − 6.51 − 143 = 57.325
        assert!((s.flesch_douma.unwrap() - 57.325).abs() < 1e-9);

        // "Iemand kijkt je na. Dat is niet oké! Het is nooit jouw schuld."
        // 3 sentences of 4, 4 and 5 words; syllables 2+1+1+1, 1+1+1+2, 1+1+1+1+1 = 15.
        let t = analyse(&prose(
            "Iemand kijkt je na. Dat is niet oké! Het is nooit jouw schuld.",
        ));
        let s = t.stats();
        assert_eq!((s.words, s.sentences, s.syllables), (13, 3, 15));
        // 206.835 − 0.93 × 13/3 − 77 × 15/13 = 113.9588…
        let want = 206.835 - 0.93 * 13.0 / 3.0 - 77.0 * 15.0 / 13.0;
        assert!((s.flesch_douma.unwrap() - want).abs() < 1e-9);
        assert!((want - 113.9588).abs() < 1e-3);

        // "Bel 112. Dat is gratis." 2 sentences, 5 words, 1+3+1+1+2 = 8 syllables.
        let s = analyse(&prose("**Bel 112.** Dat is gratis.")).stats();
        assert_eq!((s.words, s.sentences, s.syllables), (5, 2, 8));
        assert!((s.flesch_douma.unwrap() - 81.31).abs() < 1e-9);
        assert_eq!(flesch_douma(0, 0, 0), None);
    }

    #[test]
    fn sentences_end_at_blocks_and_not_after_abbreviations() {
        let t = analyse(&prose(
            "Je kunt bijv. bellen, d.w.z. om 9.00 uur. Of mail naar info@x.example\n\nMelden is gratis",
        ));
        let words: Vec<usize> = t.sentences.iter().map(|s| s.words).collect();
        // "Je kunt bijv. bellen, d.w.z. om 9.00 uur." = 8; "Of mail naar" = 3 (the
        // address is not a word); "Melden is gratis" = 3.
        assert_eq!(words, [8, 3, 3]);
        assert_eq!(t.sentences[2].line, 2);
    }

    #[test]
    fn a_dot_after_inline_code_ends_the_sentence() {
        let blocks = crate::render::markdown::outline("Typ `wegwijzer check`. Kijk dan.\n", 1);
        let words: Vec<usize> = analyse(&blocks).sentences.iter().map(|s| s.words).collect();
        assert_eq!(words, [1, 2]);
    }

    #[test]
    fn sources_are_left_out() {
        let blocks = crate::render::markdown::outline(
            "Kort.\n\n## Bronnen\n\n- Kamerbrief Beleidsreactie Monitor Integrale Veiligheid MBO 2023 (15 januari 2025, Kamerstuk 29 240, nr. 158): over jeugdcriminaliteit en nog veel meer woorden hier.\n\n### Sub\n\nNog een bron.\n\n## Meer\n\nWeer tekst.\n",
            1,
        );
        let t = analyse(&blocks);
        let lines: Vec<usize> = t.sentences.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 13]);
        assert!(t.long_words.is_empty());
    }

    #[test]
    fn long_sentences_and_words_with_lines() {
        let long = "Als je op je stage iets meemaakt wat niet goed voelt dan mag je dat altijd \
                    vertellen aan iemand van school die je vertrouwt en die je helpt.";
        let blocks = vec![
            Block::Prose {
                line: 3,
                runs: vec![(3, "Kort. ".into()), (4, long.into())],
                item: false,
            },
            Block::Prose {
                line: 6,
                runs: vec![(
                    6,
                    "De studieloopbaanbegeleider (je mentor) helpt. Vraag de Jongerenrechtswinkel of de arbeidsvoorwaardenregeling."
                        .into(),
                )],
                item: false,
            },
        ];
        let t = analyse(&blocks);
        let s = t.stats();
        assert_eq!(s.long_sentences.len(), 1);
        assert_eq!(s.long_sentences[0].line, 4);
        assert_eq!(s.long_sentences[0].words, 28);
        let words: Vec<(&str, usize, bool, bool)> = t
            .long_words
            .iter()
            .map(|w| (w.word.as_str(), w.line, w.explained_inline, w.name))
            .collect();
        assert_eq!(
            words,
            [
                ("studieloopbaanbegeleider", 6, true, false),
                ("Jongerenrechtswinkel", 6, false, true),
                ("arbeidsvoorwaardenregeling", 6, false, false),
            ]
        );
    }
}
