//! The glossary, `content/woordenlijst.yaml`: the long words that the site
//! explains, so that `check` does not flag them on every page.
//!
//! ```yaml
//! woorden:
//!   vertrouwenspersoon: Iemand op school die naar je luistert en geheimhouding heeft.
//! ```
//!
//! It is an ordinary data file as well (`data.woordenlijst` in templates).

use std::path::Path;

use crate::diagnostics::{suggestion, Diagnostic};
use crate::load::positions::Positions;
use crate::load::yaml;

/// The glossary's name among the data files of `content/`.
pub const DATA_NAME: &str = "woordenlijst";
/// Where the glossary lives, relative to the site root.
pub const FILE: &str = "content/woordenlijst.yaml";
const TOP_KEY: &str = "woorden";

/// The glossary's words. Problems name the file and line.
pub fn parse(text: &str, positions: &Positions, file: &Path) -> (Vec<String>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let value = match yaml::parse_value(text, file, 1) {
        Ok(v) => v,
        Err(d) => return (out, vec![d]),
    };
    let line_of = |path: &str| positions.key(path).0;
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
                        .at(line_of(&format!("{TOP_KEY}.{word}")), 1)
                        .hint("write after the colon what the word means, in one short sentence"),
                );
            }
            out.push(word.to_string());
        }
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> (Vec<String>, Vec<Diagnostic>) {
        parse(text, &crate::load::positions::scan(text), Path::new(FILE))
    }

    #[test]
    fn reads_the_words() {
        let (w, diags) = words("woorden:\n  vertrouwenspersoon: Iemand die luistert.\n  studieloopbaanbegeleider: Je mentor.\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(w, ["vertrouwenspersoon", "studieloopbaanbegeleider"]);
    }

    #[test]
    fn reports_wrong_shapes_at_their_line() {
        let (_, diags) = words("woorde:\n  x: y\n");
        assert_eq!(diags[0].code, "unknown-key");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `woorden`? (the glossary has one key, `woorden`)")
        );
        let (_, diags) = words("woorden:\n  a: Uitleg.\n  lang:\n");
        assert_eq!(diags[0].message, "`lang` has no explanation");
        assert_eq!(diags[0].line, Some(3));
        let (_, diags) = words("woorden: [a, b]\n");
        assert_eq!(diags[0].code, "glossary");
    }
}
