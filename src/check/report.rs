//! The two outputs of `check`: text for editors, JSON for CI.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{json, Value};

use super::Report;
use crate::diagnostics::{Diagnostic, Severity};

/// The output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format `{other}`: use `text` or `json`")),
        }
    }
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// The findings, grouped by file in order.
    pub fn by_file(&self) -> BTreeMap<&PathBuf, Vec<&Diagnostic>> {
        let mut map: BTreeMap<&PathBuf, Vec<&Diagnostic>> = BTreeMap::new();
        for f in &self.findings {
            map.entry(&f.file).or_default().push(f);
        }
        map
    }

    fn student_scores(&self) -> Vec<f64> {
        self.pages
            .iter()
            .filter(|p| p.student)
            .filter_map(|p| p.readability.flesch_douma)
            .collect()
    }

    /// The JSON report, version 1:
    ///
    /// ```text
    /// {
    ///   "version": 1,
    ///   "strict": bool, "passed": bool, "exit_code": 0 | 1,
    ///   "today": "YYYY-MM-DD",
    ///   "summary": { "errors", "warnings", "notes", "files", "pages", "sections",
    ///                "external_links", "readability_threshold",
    ///                "student_pages", "student_pages_below_threshold",
    ///                "average_flesch_douma_students": number | null },
    ///   "files": [ { "file", "findings": [ { "level": "error" | "warning" | "note",
    ///                "code", "line": n | null, "column": n | null,
    ///                "message", "hint": text | null } ] } ],
    ///   "pages": [ { "file", "url", "student", "words", "sentences", "syllables",
    ///                "flesch_douma": n | null, "words_per_sentence": n | null,
    ///                "list_sentences", "flesch_douma_with_lists": n | null,
    ///                "long_sentences": [ { "line", "words", "syllables", "text" } ],
    ///                "long_words": [ { "word", "letters", "line" } ] } ],
    ///   "external_domains": [ { "domain", "links", "files": [..] } ],
    ///   "stale": [ { "kind": "institution" | "organisation", "name", "file",
    ///                "line", "checked": "YYYY-MM-DD" | null } ]
    /// }
    /// ```
    ///
    /// Files are relative to the site root with `/`; lists are sorted
    /// (files and pages by path, domains by links then name, stale oldest
    /// first); scores are rounded to one decimal. New keys may be added
    /// within a version; none is removed or changed.
    pub fn to_json(&self, strict: bool) -> Value {
        let path = |p: &PathBuf| p.to_string_lossy().replace('\\', "/");
        let files: Vec<Value> = self
            .by_file()
            .into_iter()
            .map(|(file, list)| {
                json!({
                    "file": path(file),
                    "findings": list.iter().map(|f| json!({
                        "level": f.severity,
                        "code": f.code,
                        "line": f.line,
                        "column": f.column,
                        "message": f.message,
                        "hint": f.hint,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut pages: Vec<&super::PageReport> = self.pages.iter().collect();
        pages.sort_by(|a, b| a.file.cmp(&b.file));
        let pages: Vec<Value> = pages
            .into_iter()
            .map(|p| {
                let r = &p.readability;
                json!({
                    "file": path(&p.file),
                    "url": p.url,
                    "student": p.student,
                    "words": r.words,
                    "sentences": r.sentences,
                    "syllables": r.syllables,
                    "flesch_douma": r.flesch_douma.map(|x| round(x, 1)),
                    "flesch_douma_with_lists": r.flesch_douma_with_lists.map(|x| round(x, 1)),
                    "list_sentences": r.list_sentences,
                    "words_per_sentence": r.words_per_sentence.map(|x| round(x, 1)),
                    "long_sentences": r.long_sentences,
                    "long_words": p.long_words,
                })
            })
            .collect();
        let scores = self.student_scores();
        let below = scores.iter().filter(|s| **s < self.threshold).count();
        let average = (!scores.is_empty())
            .then(|| round(scores.iter().sum::<f64>() / scores.len() as f64, 1));
        json!({
            "version": 1,
            "strict": strict,
            "passed": self.exit_code(strict) == 0,
            "exit_code": self.exit_code(strict),
            "today": self.today.to_string(),
            "summary": {
                "errors": self.count(Severity::Error),
                "warnings": self.count(Severity::Warning),
                "notes": self.count(Severity::Note),
                "files": files.len(),
                "pages": self.stats.pages,
                "sections": self.stats.sections,
                "external_links": self.domains.iter().map(|d| d.links).sum::<usize>(),
                "readability_threshold": self.threshold,
                "student_pages": scores.len(),
                "student_pages_below_threshold": below,
                "average_flesch_douma_students": average,
            },
            "files": files,
            "pages": pages,
            "external_domains": self.domains.iter().map(|d| json!({
                "domain": d.domain,
                "links": d.links,
                "files": d.files.iter().map(path).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "stale": self.stale.iter().map(|s| json!({
                "kind": s.kind,
                "name": s.name,
                "file": path(&s.file),
                "line": s.line,
                "checked": s.checked.map(|d| d.to_string()),
            })).collect::<Vec<_>>(),
        })
    }

    /// The text report: findings grouped by file with line numbers, the
    /// linked domains, stale contact data, and a summary line.
    pub fn to_text(&self, strict: bool) -> String {
        let mut s = String::new();
        let readability: BTreeMap<&PathBuf, &super::PageReport> =
            self.pages.iter().map(|p| (&p.file, p)).collect();
        for (file, list) in self.by_file() {
            let _ = writeln!(s, "{}", file.display());
            for f in list {
                let at = match (f.line, f.column) {
                    (Some(l), Some(c)) => format!("{l}:{c}"),
                    (Some(l), None) => l.to_string(),
                    _ => "-".into(),
                };
                let _ = writeln!(
                    s,
                    "  {at:<6} {}[{}]: {}",
                    f.severity.name(),
                    f.code,
                    f.message
                );
                if let Some(h) = &f.hint {
                    let _ = writeln!(s, "         help: {h}");
                }
            }
            if let Some(p) = readability.get(file) {
                if let Some(score) = p.readability.flesch_douma {
                    let _ = writeln!(
                        s,
                        "  readability: Flesch-Douma {score:.1}{}, {:.1} words per sentence, {}",
                        if p.student {
                            format!(" (student page, threshold {})", self.threshold)
                        } else {
                            String::new()
                        },
                        p.readability.words_per_sentence.unwrap_or(0.0),
                        plural(
                            p.readability.long_sentences.len(),
                            "sentence over 20 words",
                            "sentences over 20 words"
                        ),
                    );
                }
            }
            s.push('\n');
        }
        if !self.domains.is_empty() {
            let links: usize = self.domains.iter().map(|d| d.links).sum();
            let _ = writeln!(
                s,
                "External links: {} to {}",
                plural(links, "link", "links"),
                plural(self.domains.len(), "domain", "domains")
            );
            let width = self
                .domains
                .iter()
                .map(|d| d.domain.len())
                .max()
                .unwrap_or(0);
            for d in &self.domains {
                let _ = writeln!(s, "  {:<width$}  {}", d.domain, d.links);
            }
            s.push('\n');
        }
        if !self.stale.is_empty() {
            let _ = writeln!(s, "Not checked for more than 12 months (oldest first):");
            for st in &self.stale {
                let date = st
                    .checked
                    .map_or("never     ".to_string(), |d| d.to_string());
                let _ = writeln!(
                    s,
                    "  {date}  {}:{}  {} ({})",
                    st.file.display(),
                    st.line,
                    st.name,
                    st.kind
                );
            }
            s.push('\n');
        }
        let scores = self.student_scores();
        let reading = if scores.is_empty() {
            String::new()
        } else {
            let avg = scores.iter().sum::<f64>() / scores.len() as f64;
            let below = scores.iter().filter(|x| **x < self.threshold).count();
            format!(
                "; student pages: average Flesch-Douma {avg:.1}, {below} below {}",
                self.threshold
            )
        };
        let files = self.by_file().len();
        let verdict = if self.exit_code(strict) == 0 {
            "passed"
        } else {
            "failed"
        };
        let _ = writeln!(
            s,
            "check {verdict}{}: {}, {}, {} in {} ({}, {}{reading})",
            if strict { " (strict)" } else { "" },
            plural(self.count(Severity::Error), "error", "errors"),
            plural(self.count(Severity::Warning), "warning", "warnings"),
            plural(self.count(Severity::Note), "note", "notes"),
            plural(files, "file", "files"),
            plural(self.stats.pages, "page", "pages"),
            plural(self.stats.sections, "section", "sections"),
        );
        s
    }
}
