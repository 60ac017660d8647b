//! Finds where each key of a block-style YAML file is: the one way the
//! program places YAML keys, for front matter, `site.yaml`, data files,
//! organisations and institutions alike.
//!
//! This is a line scanner for the block style that editors write, not a YAML
//! parser: what it cannot place (flow style, complex keys) falls back to the
//! nearest enclosing key that it did place.

use std::collections::hash_map::Entry;

pub use crate::model::positions::{Pos, Positions};

struct Frame {
    indent: usize,
    path: String,
    seq: bool,
    next: usize,
}

struct Scanner {
    out: Positions,
    stack: Vec<Frame>,
    /// A key or item whose value starts on a later line: its path and indent.
    pending: Option<(String, usize)>,
}

/// The positions of `text`'s keys, lines counted from 1.
pub fn scan(text: &str) -> Positions {
    let mut s = Scanner {
        out: Positions::default(),
        stack: vec![Frame {
            indent: 0,
            path: String::new(),
            seq: false,
            next: 0,
        }],
        pending: None,
    };
    let mut block: Option<usize> = None;
    for (i, raw_line) in text.lines().enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];
        if let Some(b) = block {
            if content.trim().is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        if content.trim().is_empty()
            || content.starts_with('#')
            || (indent == 0 && (content.starts_with("---") || content.starts_with("...")))
        {
            continue;
        }
        if s.node(i + 1, indent, content) {
            block = Some(indent);
        }
    }
    s.out
}

/// As [`scan`], for a text whose first line is line `first_line` of its file
/// (front matter after its `---`).
pub fn scan_from(text: &str, first_line: usize) -> Positions {
    let mut p = scan(text);
    let shift = first_line.saturating_sub(1);
    for pos in p.map.values_mut() {
        pos.line += shift;
    }
    for (_, pos) in &mut p.duplicates {
        pos.line += shift;
    }
    p
}

impl Scanner {
    fn top(&mut self) -> &mut Frame {
        // The root frame is never popped.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn pop_to(&mut self, col: usize, seq: bool) {
        while self.stack.len() > 1 {
            let top = &self.stack[self.stack.len() - 1];
            if top.indent > col || (top.indent == col && top.seq != seq) {
                self.stack.pop();
            } else {
                break;
            }
        }
    }

    fn record(&mut self, path: String, pos: Pos) {
        match self.out.map.entry(path) {
            Entry::Occupied(e) => self.out.duplicates.push((e.key().clone(), pos)),
            Entry::Vacant(e) => {
                e.insert(pos);
            }
        }
    }

    /// One node starting at 0-based column `col`. Returns true when a block
    /// scalar (`|`, `>`) starts, whose lines must be skipped.
    fn node(&mut self, line: usize, col: usize, text: &str) -> bool {
        if text == "-" || text.starts_with("- ") {
            let pending = self.pending.take();
            match pending {
                Some((path, indent)) if col >= indent => self.stack.push(Frame {
                    indent: col,
                    path,
                    seq: true,
                    next: 0,
                }),
                _ => self.pop_to(col, true),
            }
            let top = self.top();
            if !(top.seq && top.indent == col) {
                return false;
            }
            let item = format!("{}[{}]", top.path, top.next);
            top.next += 1;
            self.record(
                item.clone(),
                Pos {
                    line,
                    key_col: col + 1,
                    value_col: None,
                    raw: None,
                },
            );
            let rest = &text[1..];
            let offset = 1 + rest.len() - rest.trim_start().len();
            let rest = rest.trim_start();
            self.pending = Some((item, col));
            if rest.is_empty() || rest.starts_with('#') {
                return false;
            }
            return self.node(line, col + offset, rest);
        }

        let Some((key, after)) = split_key(text) else {
            // A scalar (or flow value) on its own line: it is the value of
            // the pending key, if any.
            self.pending = None;
            return false;
        };
        match self.pending.take() {
            Some((path, indent)) if col > indent => self.stack.push(Frame {
                indent: col,
                path,
                seq: false,
                next: 0,
            }),
            _ => self.pop_to(col, false),
        }
        let top = self.top();
        if top.seq || top.indent != col {
            return false;
        }
        let path = if top.path.is_empty() {
            key
        } else {
            format!("{}.{key}", top.path)
        };
        let value = &text[after..];
        let lead = value.len() - value.trim_start().len();
        let value = strip_comment(value.trim_start());
        let value_col = (!value.is_empty()).then_some(col + after + lead + 1);
        let raw = (!value.is_empty()).then(|| value.to_string());
        let block = value.starts_with('|') || value.starts_with('>');
        if value.is_empty() {
            self.pending = Some((path.clone(), col));
        }
        self.record(
            path,
            Pos {
                line,
                key_col: col + 1,
                value_col,
                raw,
            },
        );
        block
    }
}

/// `key: value` → the key (unquoted) and the byte offset just after the `:`.
fn split_key(text: &str) -> Option<(String, usize)> {
    let first = text.chars().next()?;
    if first == '"' || first == '\'' {
        let mut key = String::new();
        let mut chars = text.char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            if c == first {
                if first == '\'' && chars.peek().map(|(_, c)| *c) == Some('\'') {
                    chars.next();
                    key.push('\'');
                    continue;
                }
                let rest = &text[i + 1..];
                let spaces = rest.len() - rest.trim_start().len();
                let after = &rest[spaces..];
                return after
                    .strip_prefix(':')
                    .filter(|r| r.is_empty() || r.starts_with(' '))
                    .map(|_| (key, i + 1 + spaces + 1));
            }
            if c == '\\' && first == '"' {
                if let Some((_, n)) = chars.next() {
                    key.push(n);
                }
                continue;
            }
            key.push(c);
        }
        return None;
    }
    if "[]{}#&*!|>%@`?,".contains(first) {
        return None;
    }
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => {
                let key = text[..i].trim_end();
                return (!key.is_empty()).then(|| (key.to_string(), i + 1));
            }
            _ => {}
        }
    }
    None
}

/// A value without a trailing ` # comment` (outside quotes).
fn strip_comment(value: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == '#' && prev == ' ' => return value[..i].trim_end(),
            None => {}
        }
        prev = c;
    }
    value.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# comment
name: ROC Voorbeeldstad  # the name
locations:
  - key: centrum
    name: Centrum
  - key: noord
contacts:
- role: vertrouwenspersoon
  languages:
    - Nederlands
  hours: |
    ma: 9-17
    di: 9-17
- role: klachtencommissie
  email: 'a@b.example'
\"quoted key\": x
checked: 2026-01-01
";

    #[test]
    fn finds_keys_and_items_by_path() {
        let p = scan(TEXT);
        assert_eq!(p.key("name"), (2, 1));
        assert_eq!(p.value("name"), (2, 7));
        assert_eq!(
            p.get("name").and_then(|x| x.raw.as_deref()),
            Some("ROC Voorbeeldstad")
        );
        assert_eq!(p.key("locations[0]"), (4, 3));
        assert_eq!(p.key("locations[0].key"), (4, 5));
        assert_eq!(p.key("locations[0].name"), (5, 5));
        assert_eq!(p.key("locations[1].key"), (6, 5));
        assert_eq!(p.key("contacts[0].role"), (8, 3));
        assert_eq!(p.key("contacts[0].languages[0]"), (10, 5));
        assert_eq!(p.key("contacts[0].hours"), (11, 3));
        assert_eq!(p.key("contacts[1].role"), (14, 3));
        assert_eq!(p.value("contacts[1].email"), (15, 10));
        assert_eq!(p.key("quoted key"), (16, 1));
        assert_eq!(p.key("checked"), (17, 1));
        assert!(p.duplicates.is_empty());
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let p = scan("contacts:\n  - {role: x, email: y}\n");
        assert_eq!(p.key("contacts[0].email"), (2, 3));
        assert_eq!(p.key("nothing"), (1, 1));
    }

    #[test]
    fn a_nested_key_is_not_the_top_level_one() {
        let p = scan("a: 1\n  title: x\ntitle: y\n");
        assert_eq!(p.key("title"), (3, 1));
        assert_eq!(scan_from("x: 1\ntitle: y\n", 2).key("title"), (3, 1));
    }

    #[test]
    fn reports_duplicate_keys() {
        let p = scan("a: 1\nb:\n  c: 1\n  c: 2\n");
        assert_eq!(p.duplicates.len(), 1);
        assert_eq!(p.duplicates[0].0, "b.c");
        assert_eq!(p.duplicates[0].1.line, 4);
    }
}
