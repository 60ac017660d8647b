//! Every problem found in a run, with where it is and how to fix it.
//!
//! Stages never stop at the first problem: they push a [`Diagnostic`] and go
//! on, so an editor sees all errors of a run at once.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information that never fails a run (`check` only).
    Note,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem, pointing at a file (relative to the site root) and, where it
/// applies, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short, stable name for the kind of problem, e.g. `unknown-key`.
    pub code: &'static str,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// What many diagnostics can share, e.g. "links point to /melden/oud/,
    /// which the site does not have": the terminal shows those as one group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            cause: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line.max(1));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// See [`Diagnostic::cause`]; written to follow a count: "412 links …".
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as far as it is known.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(col) = self.column {
                let _ = write!(s, ":{col}");
            }
        }
        s
    }
}

/// The problems of one run. Stages collect into their own `Vec` and extend
/// this one, which keeps parallel stages free of locks.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Sorted by file, then position, so that output is stable.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Prints diagnostics to stderr, in colour on a terminal unless `NO_COLOR`
/// is set. The one printer of `build`, `serve` and the rest.
pub fn print(diags: &[Diagnostic], root: &Path) {
    use std::io::IsTerminal;
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render(diags, root, color));
}

/// From this many diagnostics with one cause, the terminal groups them.
const GROUP_FROM: usize = 3;

/// Renders diagnostics rustc-style: location, the offending line with a
/// marker, and the hint. `root` is where the relative file paths start, so
/// the offending line can be shown. Diagnostics that share a cause (and
/// hint) are shown once, with the cause, the fix and every location.
pub fn render(diags: &[Diagnostic], root: &Path, color: bool) -> String {
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let key = |d: &Diagnostic| {
        d.cause
            .clone()
            .map(|c| (d.severity, d.code, c, d.hint.clone()))
    };
    let mut groups: std::collections::HashMap<_, Vec<usize>> = std::collections::HashMap::new();
    for (i, d) in diags.iter().enumerate() {
        if let Some(k) = key(d) {
            groups.entry(k).or_default().push(i);
        }
    }
    // The file last read: diagnostics come sorted by file.
    let mut source: (PathBuf, String) = (PathBuf::new(), String::new());
    for (i, d) in diags.iter().enumerate() {
        let group = key(d)
            .and_then(|k| groups.get(&k))
            .filter(|g| g.len() >= GROUP_FROM);
        if group.is_some_and(|g| g[0] != i) {
            continue;
        }
        if source.0 != d.file || i == 0 {
            let text = std::fs::read(root.join(&d.file))
                .ok()
                .filter(|b| b.len() <= 64 * 1024 * 1024)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            source = (d.file.clone(), text);
        }
        let name = d.file.display().to_string();
        let file = SimpleFile::new(name.clone(), source.1.as_str());
        let message = match (group, &d.cause) {
            (Some(g), Some(cause)) => format!("{} {cause}", g.len()),
            _ => d.message.clone(),
        };
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
            Severity::Note => CsDiagnostic::note(),
        }
        .with_code(d.code)
        .with_message(&message);
        match byte_range(&source.1, d.line, d.column) {
            Some(range) => cs = cs.with_labels(vec![Label::primary((), range)]),
            None => {
                cs = cs.with_notes(vec![format!("in {}", d.location())]);
            }
        }
        if let Some(hint) = &d.hint {
            cs.notes.push(format!("help: {hint}"));
        }
        if let Some(g) = group {
            let mut all = String::from("at each of these places:");
            for &j in g {
                let _ = write!(all, "\n  {}", diags[j].location());
            }
            cs.notes.push(all);
        }
        if term::emit(&mut buf, &config, &file, &cs).is_err() {
            let _ = std::io::Write::write_fmt(
                &mut buf,
                format_args!("{}: {}: {}\n", d.location(), d.code, message),
            );
        }
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// The byte range that a 1-based line and column point at in `source`:
/// one character at the column, or the whole line when no column is known.
fn byte_range(
    source: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> Option<std::ops::Range<usize>> {
    let line = line?;
    let start = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>();
    if start > source.len() || (start == source.len() && line > 1 && !source.is_empty()) {
        return None;
    }
    let text = source[start..].split('\n').next().unwrap_or("");
    let text = text.strip_suffix('\r').unwrap_or(text);
    match column {
        Some(col) => {
            let offset = text
                .char_indices()
                .nth(col - 1)
                .map(|(i, _)| i)
                .unwrap_or(text.len());
            // Underline the word at the column, e.g. a whole key.
            let word = text[offset..]
                .find(|c: char| c.is_whitespace() || c == ':')
                .unwrap_or(text.len() - offset);
            let width = if word == 0 {
                text[offset..].chars().next().map_or(0, char::len_utf8)
            } else {
                word
            };
            Some(start + offset..start + offset + width)
        }
        None => Some(start..start + text.len()),
    }
}

pub use crate::suggest::did_you_mean;

/// A hint that either suggests the closest name or lists the valid ones.
pub fn suggestion(unknown: &str, known: &[&str]) -> String {
    match did_you_mean(unknown, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!(
            "use one of: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_shows_the_offending_line_and_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitel: x\n---\n").unwrap();
        let d = Diagnostic::error("unknown-key", "a.md", "unknown key `titel`")
            .at(2, 1)
            .hint("did you mean `title`?");
        let out = render(&[d], dir.path(), false);
        assert!(out.contains("a.md:2:1"), "{out}");
        assert!(out.contains("titel: x"), "{out}");
        assert!(out.contains("did you mean `title`?"), "{out}");
    }

    #[test]
    fn byte_range_handles_crlf_and_past_end() {
        assert_eq!(byte_range("a\r\nbc\r\n", Some(2), Some(2)), Some(4..5));
        assert_eq!(byte_range("x\ntitel: y\n", Some(2), Some(1)), Some(2..7));
        assert_eq!(byte_range("a\n", Some(9), None), None);
    }
}
