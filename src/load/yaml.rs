//! The one place that turns YAML text into values, and YAML errors into
//! diagnostics that point at the line an editor must fix.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Parses `text` (which starts at 1-based line `first_line` of `file`).
pub fn parse_value(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<serde_yaml::Value, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(serde_yaml::Value::Null);
    }
    serde_yaml::from_str(text).map_err(|e| error_diagnostic(&e, text, file, first_line))
}

/// Parses a whole YAML file into a typed value.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str, file: &Path) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| error_diagnostic(&e, text, file, 1))
}

/// A YAML error as a diagnostic, with a hint for the usual mistakes.
pub fn error_diagnostic(
    e: &serde_yaml::Error,
    text: &str,
    file: &Path,
    first_line: usize,
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml adds positions relative to the YAML text; ours are shown instead.
    let message = strip_positions(&raw);
    let (mut line, mut column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    // serde_yaml points a duplicate key at the start of its map: point at
    // the second occurrence, which is the one to remove.
    let mut message = message;
    if let Some(key) = duplicate_key(&message) {
        if let Some((l, c)) = second_key_line(text, line, &key) {
            (line, column) = (l, c);
        }
        message = format!("the key `{key}` appears twice");
    }
    let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let hint = if source_line.contains('\t')
        || raw.contains("cannot start any token") && text.contains('\t')
    {
        "YAML does not allow tabs; indent with spaces"
    } else if raw.contains("quoted scalar") {
        "a quote is opened but never closed; add the closing quote"
    } else if raw.contains("mapping values are not allowed") {
        "check the indentation, or put the value in quotes if it contains `: `"
    } else if raw.contains("did not find expected key") || raw.contains("block") {
        "check the indentation: keys at the same level must line up"
    } else if raw.contains("duplicate") || raw.contains("duplicated") {
        "each key may appear only once"
    } else if message.starts_with("invalid type") {
        "check the type of this value (text, number, true/false, list or map)"
    } else if raw.contains("recursion limit") || raw.contains("repetition limit") {
        "the YAML is nested too deeply or repeats an alias too often"
    } else {
        "check the YAML syntax on this line"
    };
    Diagnostic::error("yaml", file, message)
        .at(line + first_line - 1, column)
        .hint(hint)
}

/// The key of serde_yaml's "duplicate entry with key \"x\"".
fn duplicate_key(message: &str) -> Option<String> {
    const LEAD: &str = "duplicate entry with key \"";
    let rest = &message[message.find(LEAD)? + LEAD.len()..];
    Some(rest[..rest.rfind('"')?].to_string())
}

/// The 1-based line and column of the second line at or after `from` that
/// starts with `key:` at the same indentation as the first.
fn second_key_line(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let mut first_indent = None;
    for (i, l) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let body = l.trim_start().trim_start_matches("- ");
        let indent = l.len() - body.len();
        let is_key = [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ]
        .iter()
        .any(|k| body.starts_with(k.as_str()));
        if !is_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(f) if f == indent => return Some((i + 1, indent + 1)),
            Some(_) => {}
        }
    }
    None
}

/// Removes every ` at line L column C` from a serde_yaml message.
fn strip_positions(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// Short words for a YAML value's kind, for messages.
pub fn describe(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::Null => "nothing".into(),
        serde_yaml::Value::Bool(b) => format!("`{b}`"),
        serde_yaml::Value::Number(n) => format!("the number {n}"),
        serde_yaml::Value::String(s) => format!("the text `{s}`"),
        serde_yaml::Value::Sequence(_) => "a list".into(),
        serde_yaml::Value::Mapping(_) => "a map of keys".into(),
        serde_yaml::Value::Tagged(t) => format!("a value tagged `{}`", t.tag),
    }
}

/// YAML → JSON, for templates. Keys that are not text are written as text.
pub fn to_json(v: &serde_yaml::Value) -> serde_json::Value {
    match v {
        serde_yaml::Value::Null => serde_json::Value::Null,
        serde_yaml::Value::Bool(b) => (*b).into(),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        serde_yaml::Value::String(s) => s.clone().into(),
        serde_yaml::Value::Sequence(items) => items.iter().map(to_json).collect(),
        serde_yaml::Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| {
                let key = match k {
                    serde_yaml::Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                (key, to_json(v))
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
        serde_yaml::Value::Tagged(t) => to_json(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_quote_errors_have_hints_and_lines() {
        let e = parse_value("a: 1\n\tb: 2\n", Path::new("f.yaml"), 1).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.hint.unwrap().contains("tabs"));
        let e = parse_value("a: \"open\nb: 2\n", Path::new("f.yaml"), 5).unwrap_err();
        assert!(e.hint.unwrap().contains("quote"), "{}", e.message);
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            s.push_str(&format!("{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse_value(&s, Path::new("f.yaml"), 1).is_err());
    }

    #[test]
    fn positions_are_stripped_from_messages() {
        assert_eq!(
            strip_positions("found a tab at line 3 column 1, while scanning at line 1 column 8"),
            "found a tab, while scanning"
        );
    }
}
