//! Search synonyms that editors keep in `content/synoniemen.yaml`.
//!
//! ```yaml
//! synonyms:
//!   - [nudes, naaktfoto, naaktfoto's]
//!   - [aangifte, politie]
//!   - [ongewenste intimiteiten, grensoverschrijdend gedrag, aanraken]
//! ```
//!
//! Each line is a group of words that mean the same to a reader. A word of
//! a group finds the pages of every other member (at a lower weight than
//! its own pages). A member of several words ("grensoverschrijdend gedrag")
//! is found by the one-word members of its group, but does not itself
//! point to the others: a query is matched word by word.

use std::path::Path;

use crate::diagnostics::Diagnostic;

use super::text::fold;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Each group: its members, folded, each at least one character.
    pub(crate) groups: Vec<Vec<String>>,
}

impl Synonyms {
    pub fn empty() -> Synonyms {
        Synonyms::default()
    }

    /// From the parsed YAML: `{"synonyms": [[...], ...]}`, or the list alone.
    pub fn from_data(value: &serde_json::Value, file: &Path) -> (Synonyms, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let list = match value {
            serde_json::Value::Object(map) => {
                for key in map.keys().filter(|k| k.as_str() != "synonyms") {
                    diags.push(
                        Diagnostic::error(
                            "unknown-key",
                            file,
                            format!("unknown key `{key}` in the synonyms file"),
                        )
                        .hint("the file has one key, `synonyms`: a list of groups"),
                    );
                }
                map.get("synonyms")
            }
            serde_json::Value::Null => None,
            other => Some(other),
        };
        let groups_in = match list {
            None | Some(serde_json::Value::Null) => return (Synonyms::empty(), diags),
            Some(serde_json::Value::Array(groups)) => groups,
            Some(_) => {
                diags.push(
                    Diagnostic::error("synonyms", file, "`synonyms` must be a list of groups")
                        .hint("write each group as a list: `- [nudes, naaktfoto]`"),
                );
                return (Synonyms::empty(), diags);
            }
        };
        let mut groups = Vec::new();
        for (i, group) in groups_in.iter().enumerate() {
            let n = i + 1;
            let serde_json::Value::Array(members) = group else {
                diags.push(
                    Diagnostic::error("synonyms", file, format!("synonym group {n} is not a list"))
                        .hint("write each group as a list: `- [nudes, naaktfoto]`"),
                );
                continue;
            };
            let mut folded: Vec<String> = Vec::new();
            for member in members {
                let text = match member {
                    serde_json::Value::String(s) => s.clone(),
                    // YAML reads `112` as a number; it is still a word here.
                    serde_json::Value::Number(num) => num.to_string(),
                    _ => {
                        diags.push(Diagnostic::error(
                            "synonyms",
                            file,
                            format!("synonym group {n} has a member that is not text"),
                        ));
                        continue;
                    }
                };
                let f = fold(text.trim())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if f.is_empty() {
                    diags.push(Diagnostic::warning(
                        "synonyms",
                        file,
                        format!("synonym group {n} has an empty member"),
                    ));
                } else if folded.contains(&f) {
                    diags.push(Diagnostic::warning(
                        "synonyms",
                        file,
                        format!("synonym group {n} names `{text}` twice"),
                    ));
                } else {
                    folded.push(f);
                }
            }
            if folded.len() < 2 {
                diags.push(
                    Diagnostic::warning(
                        "synonyms",
                        file,
                        format!("synonym group {n} has fewer than two words"),
                    )
                    .hint("a group needs at least two words that mean the same"),
                );
                continue;
            }
            groups.push(folded);
        }
        (Synonyms { groups }, diags)
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_groups_and_folds_them() {
        let v =
            json!({"synonyms": [["Nudes", "naaktfoto"], ["aangifte", "politie", "Coördinator"]]});
        let (s, d) = Synonyms::from_data(&v, Path::new("content/synoniemen.yaml"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            s.groups,
            vec![
                vec!["nudes".to_string(), "naaktfoto".into()],
                vec!["aangifte".into(), "politie".into(), "coordinator".into()]
            ]
        );
    }

    #[test]
    fn a_bare_list_and_numbers_are_accepted() {
        let v = json!([["alarm", 112]]);
        let (s, d) = Synonyms::from_data(&v, Path::new("s.yaml"));
        assert!(d.is_empty());
        assert_eq!(s.groups, vec![vec!["alarm".to_string(), "112".into()]]);
    }

    #[test]
    fn reports_bad_groups_and_keeps_the_good_ones() {
        let v = json!({"synonyms": [["alleen"], "los", ["a", "a", "b"], ["x", {"y": 1}, "z"]], "synoniemen": 1});
        let (s, d) = Synonyms::from_data(&v, Path::new("content/synoniemen.yaml"));
        assert_eq!(
            s.groups,
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x".into(), "z".into()]
            ]
        );
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.is_error())).collect();
        assert_eq!(
            codes,
            [
                ("unknown-key", true),
                ("synonyms", false),
                ("synonyms", true),
                ("synonyms", false),
                ("synonyms", true)
            ]
        );
        assert!(d
            .iter()
            .all(|d| d.file == Path::new("content/synoniemen.yaml")));
    }

    #[test]
    fn wrong_shape_is_an_error() {
        let (s, d) = Synonyms::from_data(&json!({"synonyms": "nudes"}), Path::new("s.yaml"));
        assert!(s.is_empty());
        assert!(d[0].is_error());
        let (s, d) = Synonyms::from_data(&json!(null), Path::new("s.yaml"));
        assert!(s.is_empty() && d.is_empty());
    }
}
