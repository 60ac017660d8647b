//! `content/organisaties.yaml`: parsed, checked and turned into
//! [`Organisation`]s, each channel with a safe `href`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{suggestion, Diagnostic};
use crate::load::positions::Positions;
use crate::load::yaml;
use crate::model::organisation::{Channel, Organisation};

pub const DATA_NAME: &str = "organisaties";
pub const CHANNEL_KINDS: &[&str] = &["phone", "chat", "form", "website", "email", "whatsapp"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    name: String,
    summary: String,
    #[serde(default)]
    channels: Vec<RawChannel>,
    hours: Option<String>,
    cost: Option<String>,
    anonymous: bool,
    #[serde(default)]
    emergency: bool,
    age_min: Option<u32>,
    age_max: Option<u32>,
    #[serde(default)]
    themes: Vec<String>,
    source: String,
    checked: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    kind: String,
    value: String,
    label: Option<String>,
}

/// An `https:` URL with a host, or `None`.
pub fn https_url(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
    ok.then_some(s)
}

/// A plausible e-mail address: one `@`, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@.-_+'".contains(c))
}

fn channel(raw: &RawChannel) -> Result<Channel, String> {
    let value = raw.value.trim().to_string();
    let (href, display) = match raw.kind.as_str() {
        "phone" | "whatsapp" => {
            let phone = crate::phone::parse(&value)?;
            let href = if raw.kind == "whatsapp" {
                let digits: String = phone.href.chars().filter(char::is_ascii_digit).collect();
                format!("https://wa.me/{digits}")
            } else {
                phone.href
            };
            (href, phone.display)
        }
        "email" => {
            if !is_email(&value) {
                return Err(format!("`{value}` is not an e-mail address"));
            }
            (format!("mailto:{value}"), value.clone())
        }
        "chat" | "form" | "website" => {
            let url = https_url(&value).ok_or_else(|| {
                format!("`{value}` is not an https:// address; only https links are allowed")
            })?;
            let display = url
                .trim_start_matches("https://")
                .trim_start_matches("www.")
                .trim_end_matches('/')
                .to_string();
            (url.to_string(), display)
        }
        other => {
            return Err(format!(
                "unknown channel kind `{other}`; {}",
                suggestion(other, CHANNEL_KINDS)
            ))
        }
    };
    Ok(Channel {
        kind: raw.kind.clone(),
        value,
        label: raw.label.clone(),
        href,
        display,
    })
}

/// Parses and validates the organisations file.
/// `positions` are the file's, from [`crate::load::positions::scan`].
pub fn load(
    text: &str,
    positions: &Positions,
    file: &Path,
) -> (BTreeMap<String, Organisation>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let raw: BTreeMap<String, RawOrganisation> = match yaml::from_str(text, file) {
        Ok(r) => r,
        Err(mut d) => {
            if let Some(rest) = d.message.split_once("unknown field `").map(|(_, r)| r) {
                let field = rest.split('`').next().unwrap_or("").to_string();
                d.message = format!("unknown key `{field}`");
                d.code = "unknown-key";
                let keys = [
                    "name",
                    "summary",
                    "channels",
                    "hours",
                    "cost",
                    "anonymous",
                    "emergency",
                    "age_min",
                    "age_max",
                    "themes",
                    "source",
                    "checked",
                    "kind",
                    "value",
                    "label",
                ];
                d.hint = Some(suggestion(&field, &keys));
            }
            return (BTreeMap::new(), vec![d]);
        }
    };
    let mut out = BTreeMap::new();
    for (key, r) in raw {
        let mut err = |field: &str, msg: String, hint: &str| {
            let (line, col) = positions.value(&format!("{key}.{field}"));
            diags.push(
                Diagnostic::error("organisation", file, format!("`{key}`: {msg}"))
                    .at(line, col)
                    .hint(hint.to_string()),
            );
        };
        let checked = match crate::load::frontmatter::parse_date(&r.checked) {
            Ok(d) => d,
            Err(e) => {
                err("checked", e, "write the date the facts were checked");
                continue;
            }
        };
        if https_url(&r.source).is_none() {
            err(
                "source",
                format!("source `{}` is not an https:// address", r.source),
                "give the official page where you checked these facts",
            );
        }
        if r.channels.is_empty() {
            err("name", "has no channels".into(), "add at least a website");
        }
        let mut channels = Vec::new();
        for (i, c) in r.channels.iter().enumerate() {
            match channel(c) {
                Ok(ch) => channels.push(ch),
                Err(e) => err(
                    &format!("channels[{i}].value"),
                    e,
                    "fix the value, or leave the channel out",
                ),
            }
        }
        if let (Some(a), Some(b)) = (r.age_min, r.age_max) {
            if a > b {
                err(
                    "age_min",
                    format!("age_min {a} is above age_max {b}"),
                    "swap them",
                );
            }
        }
        out.insert(
            key.clone(),
            Organisation {
                key,
                name: r.name,
                summary: r.summary,
                channels,
                hours: r.hours,
                cost: r.cost,
                anonymous: r.anonymous,
                emergency: r.emergency,
                age_min: r.age_min,
                age_max: r.age_max,
                themes: r.themes,
                source: r.source,
                checked,
            },
        );
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::positions::scan;

    const GOOD: &str = "politie:\n  name: Politie\n  summary: Aangifte.\n  channels:\n    - kind: phone\n      value: \"0900-8844\"\n    - kind: website\n      value: https://www.politie.nl/\n  anonymous: false\n  source: https://www.politie.nl/\n  checked: 2026-11-28\n";

    #[test]
    fn loads_and_normalises() {
        let (orgs, diags) = load(GOOD, &scan(GOOD), Path::new("content/organisaties.yaml"));
        assert!(diags.is_empty(), "{diags:?}");
        let p = &orgs["politie"];
        assert_eq!(p.channels[0].href, "tel:09008844");
        assert_eq!(p.channels[1].display, "politie.nl");
    }

    #[test]
    fn refuses_unsafe_urls_and_unknown_keys() {
        let bad = GOOD.replace(
            "https://www.politie.nl/\n  anonymous",
            "javascript:alert(1)\n  anonymous",
        );
        let (_, diags) = load(&bad, &scan(&bad), Path::new("o.yaml"));
        assert!(diags[0].message.contains("not an https"), "{diags:?}");
        assert_eq!(diags[0].line, Some(8));
        let bad = GOOD.replace("summary:", "sumary:");
        let (_, diags) = load(&bad, &scan(&bad), Path::new("o.yaml"));
        assert_eq!(diags[0].message, "unknown key `sumary`");
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `summary`?"));
        assert_eq!(diags[0].line, Some(3));
    }

    #[test]
    fn email_syntax() {
        assert!(is_email("info@mensenrechten.nl"));
        assert!(!is_email("info@"));
        assert!(!is_email("a b@c.nl"));
        assert!(!is_email("<x>@c.nl"));
    }
}
