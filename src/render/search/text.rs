//! Text handling shared by the index and (mirrored in JS) the client:
//! folding, tokenising, stop words, and the term of a word.
//!
//! The client (`search.js`) repeats `fold` and the tokeniser exactly, so a
//! query word and an indexed word meet as the same "surface" string. Only
//! the build stems: the index maps surface words to terms.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::stem;

/// Lowercase, drop diacritics and compatibility forms: "Coördinator" →
/// "coordinator", "één" → "een", "ĳ" → "ij". Mirrors `fold` in search.js.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    // Decompose first: a compatibility form can be upper case (`𝕀` → `I`)
    // even where the character itself has no lower case. Decompose again
    // after lowercasing, as the client does with `normalize`.
    let lower = s.nfkd().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            '’' | '‘' | 'ʼ' => out.push('\''),
            _ => out.push(c),
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ')
}

/// Words are longer than this only by accident (URLs, glued text).
pub const MAX_WORD_CHARS: usize = 40;

/// The byte ranges of the words of `s`: runs of letters and digits, with an
/// apostrophe inside a word kept ("foto's"). Hyphens split ("e-mail").
pub fn word_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for_each_word(s, |a, b| out.push((a, b)));
    out
}

/// The character at byte `i` of `s` (a char boundary), and its length.
#[inline]
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((char::from(b), 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Byte classes of the tokeniser: other ASCII, ASCII letters and digits,
/// the ASCII apostrophe, and the bytes of non-ASCII characters.
const SEPARATOR: u8 = 0;
const ALNUM: u8 = 1;
const APOSTROPHE: u8 = 2;
const NON_ASCII: u8 = 3;
static CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = if b >= 0x80 {
            NON_ASCII
        } else if b.is_ascii_alphanumeric() {
            ALNUM
        } else if b == b'\'' {
            APOSTROPHE
        } else {
            SEPARATOR
        };
        i += 1;
    }
    table
};

/// Bytes whose high bit is set in the result: those of `v` that are not
/// ASCII letters or digits (eight at a time; each byte's low seven bits
/// plus a constant below 0x81 cannot carry into the next byte).
#[cfg(test)]
fn not_alnum(v: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn rep(b: u8) -> u64 {
        b as u64 * 0x0101_0101_0101_0101
    }
    let x = v & !HIGH;
    let at_least = |lo: u8| x.wrapping_add(rep(0x80 - lo)) & HIGH;
    let digit = at_least(b'0') & !at_least(b'9' + 1);
    let upper = at_least(b'A') & !at_least(b'Z' + 1);
    let lower = at_least(b'a') & !at_least(b'z' + 1);
    !((digit | upper | lower) & !v) & HIGH
}

/// Bytes whose high bit is set in the result: those of `v` that are not
/// ASCII lower-case letters (as `not_alnum`, for one range).
#[inline(always)]
fn not_lower(v: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = v & !HIGH;
    let lower = x.wrapping_add(0x1f1f_1f1f_1f1f_1f1f) & !x.wrapping_add(0x0505_0505_0505_0505);
    !(lower & !v) & HIGH
}

/// Calls `f(start, end)` with the byte range of each word of `s`, as
/// `word_ranges` gives them, without allocating. Runs of ASCII letters and
/// digits are read eight bytes at a time; only other characters are decoded.
#[inline(always)]
pub fn for_each_word(s: &str, mut f: impl FnMut(usize, usize)) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        match CLASS[usize::from(b[i])] {
            ALNUM => {}
            NON_ASCII => {
                let Some((c, len)) = char_at(s, i) else {
                    return;
                };
                if !is_word_char(c) {
                    i += len;
                    continue;
                }
            }
            _ => {
                i += 1;
                continue;
            }
        }
        let start = i;
        let end;
        loop {
            while i + 8 <= n {
                let mut chunk = [0u8; 8];
                chunk.copy_from_slice(&b[i..i + 8]);
                // Most words are lower case: find the first other byte, and
                // only if that is a capital or digit, the full test.
                let stop = not_lower(u64::from_le_bytes(chunk));
                if stop == 0 {
                    i += 8;
                    continue;
                }
                i += (stop.trailing_zeros() / 8) as usize;
                if CLASS[usize::from(b[i])] != ALNUM {
                    break;
                }
                i += 1;
            }
            while i < n && CLASS[usize::from(b[i])] == ALNUM {
                i += 1;
            }
            if i == n {
                end = n;
                break;
            }
            let (c, len) = match CLASS[usize::from(b[i])] {
                NON_ASCII => match char_at(s, i) {
                    Some(x) => x,
                    None => {
                        end = i;
                        i = n;
                        break;
                    }
                },
                APOSTROPHE => ('\'', 1),
                _ => {
                    end = i;
                    i += 1;
                    break;
                }
            };
            let joins = is_word_char(c)
                || (is_apostrophe(c) && char_at(s, i + len).is_some_and(|(x, _)| is_word_char(x)));
            i += len;
            if !joins {
                end = i - len;
                break;
            }
        }
        f(start, end);
    }
}

/// The folded form that the client looks up: apostrophes are dropped, so
/// "foto's" and "fotos" meet.
pub fn surface(raw: &str) -> String {
    let mut f = fold(raw);
    f.retain(|c| c != '\'');
    f
}

/// One word of a text: its surface form and its lowercased original (which
/// the stemmer needs, since it uses accents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub surface: String,
    pub lower: String,
}

/// One word of a text (a range from `word_ranges`), or `None` if it is too
/// short or too long to index.
pub fn word(raw: &str) -> Option<Word> {
    let surface = surface(raw);
    let n = surface.chars().count();
    if !(2..=MAX_WORD_CHARS).contains(&n) {
        return None;
    }
    let lower = if raw.is_ascii() {
        raw.to_ascii_lowercase()
    } else {
        raw.to_lowercase()
            .chars()
            .map(|c| if is_apostrophe(c) { '\'' } else { c })
            .collect()
    };
    Some(Word { surface, lower })
}

/// The indexable words of `s`, stop words included (callers decide).
pub fn words(s: &str) -> Vec<Word> {
    word_ranges(s)
        .into_iter()
        .filter_map(|(a, b)| word(&s[a..b]))
        .collect()
}

/// Dutch stop words: Snowball's list plus a few pronouns and fillers that
/// students type ("jij", "jouw", "wel"), and "word" ("ik word gepest"),
/// which Snowball lists only as "wordt" and "worden". Folded. Shipped to
/// the client too.
pub const STOP_WORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe",
    "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "jij", "jou", "jouw", "jullie", "kan",
    "kon", "kun", "kunnen", "kunt", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet",
    "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op",
    "over", "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor",
    "want", "waren", "was", "wat", "we", "wel", "werd", "wezen", "wie", "wij", "wil", "word",
    "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
];

pub fn is_stop_word(surface: &str) -> bool {
    STOP_WORDS.binary_search(&surface).is_ok()
}

/// Words whose "ge" belongs to the word, not to a participle: the stemmer
/// would otherwise make "geweld" into "wel" and "gedrag" into "drag".
const KEEP_GE: &[&str] = &[
    "gebied",
    "gebouw",
    "gedachte",
    "gedrag",
    "geheim",
    "geld",
    "geloof",
    "geluk",
    "gemeente",
    "gender",
    "geschiedenis",
    "geslacht",
    "gesprek",
    "getuige",
    "gevangenis",
    "gevoel",
    "geweld",
    "gewoon",
    "gezin",
    "gezond",
];

/// Stems that Snowball 3 leaves apart although they are one word family
/// on this site ("melden" → "mel", "melding" → "meld").
const MERGE_STEMS: &[(&str, &str)] = &[
    ("mel", "meld"),
    ("pes", "pest"),
    ("ron", "ronsel"),
    ("waap", "wapen"),
];

/// The term of a word: its Dutch stem, folded. Digits are their own term.
pub fn term(word: &Word) -> String {
    if word.surface.chars().all(|c| c.is_ascii_digit()) {
        return word.surface.clone();
    }
    let lower = word.lower.as_str();
    let keep_ge = KEEP_GE.iter().any(|k| word.surface.starts_with(k));
    let stemmed = if keep_ge {
        // Stem without the "ge" so the prefix rules cannot touch it.
        let rest = lower.strip_prefix("ge").unwrap_or(lower);
        format!("ge{}", stem::stem(rest))
    } else {
        stem::stem(lower)
    };
    let folded = surface(&stemmed);
    match MERGE_STEMS.iter().find(|(from, _)| *from == folded) {
        Some((_, to)) => (*to).to_string(),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(s: &str) -> Vec<String> {
        words(s).into_iter().map(|w| w.surface).collect()
    }

    fn t(s: &str) -> String {
        let w = &words(s)[0];
        term(w)
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Coördinator"), "coordinator");
        assert_eq!(fold("één"), "een");
        assert_eq!(fold("CAFÉ"), "cafe");
        assert_eq!(fold("ĳs"), "ijs");
        assert_eq!(fold("Straße"), "strasse");
        // Decomposed input folds the same as composed input.
        assert_eq!(fold("cafe\u{301}"), fold("café"));
    }

    #[test]
    fn tokenises_words_apostrophes_and_hyphens() {
        assert_eq!(
            surfaces("Iemand heeft mijn naaktfoto's doorgestuurd!"),
            ["iemand", "heeft", "mijn", "naaktfotos", "doorgestuurd"]
        );
        assert_eq!(surfaces("e-mail 'quote' x 112"), ["mail", "quote", "112"]);
        assert_eq!(surfaces("LHBTIQ+-studenten"), ["lhbtiq", "studenten"]);
        assert_eq!(
            surfaces("geïntimideerd—coördinator"),
            ["geintimideerd", "coordinator"]
        );
        assert!(surfaces(&"a".repeat(60)).is_empty());
    }

    /// The tokeniser as first written, char by char: the fast one must
    /// give the same ranges.
    fn reference_ranges(s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_word_char(c) {
                start.get_or_insert(i);
                continue;
            }
            if let Some(st) = start {
                let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
                if is_apostrophe(c) && next_is_word {
                    continue;
                }
                out.push((st, i));
                start = None;
            }
        }
        if let Some(st) = start {
            out.push((st, s.len()));
        }
        out
    }

    #[test]
    fn not_alnum_marks_the_other_bytes() {
        for b in 0..=255u8 {
            let v = u64::from_le_bytes([b'a', b, b'Z', b'0', b, b'9', b'z', b'A']);
            let mask = not_alnum(v);
            let want = if b.is_ascii_alphanumeric() { 0 } else { 0x80 };
            assert_eq!(mask, (want << 8) | (want << 32), "{b:#x}");
            let v = u64::from_le_bytes([b'a', b, b'q', b'm', b, b'y', b'z', b'a']);
            let want = if b.is_ascii_lowercase() { 0 } else { 0x80 };
            assert_eq!(not_lower(v), (want << 8) | (want << 32), "{b:#x}");
        }
    }

    #[test]
    fn the_fast_tokeniser_matches_the_reference() {
        for s in [
            "",
            "'",
            "a'",
            "'a",
            "foto's en foto’s, rock ‘n’ roll",
            "e-mail x 112 LHBTIQ+-studenten",
            "geïntimideerd—coördinator cafe\u{301} één ĳs",
            "naïef' 'quote' x''y a' b",
            "日本語 текст ٣٤ x\u{300}\u{301}y",
            "end'",
            "tab\tnew\nline",
            "eenheelerglangwoord-metnogeen langwoordmetcijfers1234567890 x",
            "abcdefgh'ijklmnop’qrstuvwx ﬁnale Straße ÉÉN",
        ] {
            assert_eq!(word_ranges(s), reference_ranges(s), "{s}");
        }
    }

    #[test]
    fn word_ranges_point_into_the_text() {
        let s = "Ben je gepest? Meld het.";
        let r = word_ranges(s);
        assert_eq!(&s[r[2].0..r[2].1], "gepest");
        assert_eq!(r.len(), 5);
    }

    #[test]
    fn stop_words() {
        for w in ["de", "het", "een", "ik", "jij", "mijn", "wel"] {
            assert!(is_stop_word(w), "{w}");
        }
        for w in ["stage", "pesten", "politie", "melden"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn dutch_stemming_meets_word_forms() {
        // "gepest", "pesten" and "pest" meet.
        assert_eq!(t("gepest"), t("pesten"));
        assert_eq!(t("pest"), t("pesten"));
        assert_eq!(t("melden"), t("melding"));
        assert_eq!(t("gemeld"), t("meldingen"));
        assert_eq!(t("scholen"), t("school"));
        assert_eq!(t("personen"), t("persoon"));
        assert_eq!(t("doorgestuurd"), t("doorsturen"));
        assert_eq!(t("aangerand"), t("aanranding"));
        assert_eq!(t("discriminatie"), t("discriminatie"));
        assert_eq!(t("klachten"), t("klacht"));
        assert_eq!(t("briefje"), t("brief"));
        assert_eq!(t("wapens"), t("wapen"));
        assert_eq!(t("naaktfoto's"), t("naaktfoto"));
        // Accents: stemmed before folding, so the stem is folded.
        assert_eq!(t("geïntimideerd"), "intimideer");
        assert_eq!(t("2023"), "2023");
    }

    #[test]
    fn ge_words_keep_their_ge() {
        assert_eq!(t("geweld"), "geweld");
        assert_ne!(t("geweld"), t("wel"));
        assert_eq!(t("gedrag"), "gedrag");
        assert_eq!(t("gesprekken"), t("gesprek"));
    }
}
