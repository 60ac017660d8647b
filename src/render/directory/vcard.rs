//! One vCard per contact, so a student can save it to their phone.
//!
//! vCard 3.0 (RFC 2426), not 4.0: Android's contacts importer reads 2.1 and
//! 3.0 only, and iOS reads 3.0 fully; 4.0 would be lost or half-read on many
//! phones. So `TEL` carries the number as text (`+31…`), not a `tel:` URI.

use crate::model::directory::{Contact, Institution};

/// The vCard text: CRLF line endings, lines folded at 75 octets.
pub(crate) fn vcard(inst: &Institution, c: &Contact) -> String {
    let org_name = inst.short_name.as_deref().unwrap_or(&inst.name);
    let full_name = match &c.name {
        Some(n) => n.clone(),
        None => format!("{} {org_name}", c.role.title()),
    };
    let mut lines = vec![
        "BEGIN:VCARD".to_string(),
        "VERSION:3.0".to_string(),
        format!("FN:{}", escape(&full_name)),
        // N is required in 3.0; the name is not split into given and family
        // names, since we cannot know how.
        format!("N:{};;;;", escape(&full_name)),
        format!("ORG:{}", escape(&inst.name)),
        format!(
            "TITLE:{}{}",
            escape(c.role.title()),
            if c.external { " (extern)" } else { "" }
        ),
    ];
    if let Some(email) = &c.email {
        lines.push(format!("EMAIL;TYPE=INTERNET:{}", escape(email)));
    }
    if let Some(phone) = &c.phone {
        let number = phone.href.strip_prefix("tel:").unwrap_or(&phone.href);
        lines.push(format!("TEL;TYPE=WORK,VOICE:{}", escape(number)));
    }
    // A URL is not escaped (RFC 6350 §3.4); it was checked to be https with
    // no spaces or line breaks.
    lines.push(format!(
        "URL:{}",
        c.form.as_deref().unwrap_or(&inst.website)
    ));
    let mut note = Vec::new();
    if let Some(hours) = &c.hours {
        note.push(format!("Bereikbaar: {hours}"));
    }
    if !c.languages.is_empty() {
        note.push(format!("Talen: {}", c.languages.join(", ")));
    }
    let places: Vec<&str> = c
        .locations
        .iter()
        .map(|k| inst.location_name(k).unwrap_or(k))
        .collect();
    if !places.is_empty() {
        note.push(format!("Locaties: {}", places.join(", ")));
    }
    if !note.is_empty() {
        lines.push(format!("NOTE:{}", escape(&note.join("\n"))));
    }
    lines.push("END:VCARD".to_string());

    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// Escapes a text value: backslash, comma, semicolon and line breaks.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a UTF-8 character),
/// each continuation starting with a space, and CRLF after each part.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_special_characters() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("NOTE:{}", "é".repeat(100));
        fold(&line, &mut out);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }
}
