//! `wegwijzer import instellingen FILE.csv`: YAML stubs from DUO's open-data
//! list of mbo institutions, for an editor to complete.
//!
//! The CSV is `;`-separated, in cp1252 or UTF-8 (with or without BOM), and
//! its columns are found by header name. A quoted field may not span lines:
//! DUO's fields never do, and so an unclosed quote spoils one row, not the
//! rest of the file.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::load::directory::{check_brin, check_postcode, check_url};
use crate::model::directory::slugify;
use crate::model::directory::Region;
use crate::phone;

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportReport {
    /// New stub files.
    pub written: Vec<PathBuf>,
    /// Institutions not written, because a file exists already.
    pub skipped: Vec<Skipped>,
    /// Rows that could not be read; the other rows were imported.
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// The 1-based line of the CSV file.
    pub line: usize,
    pub message: String,
}

impl ImportReport {
    /// Some rows could not be read.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.written {
            writeln!(f, "written: {}", p.display())?;
        }
        for s in &self.skipped {
            writeln!(f, "skipped: {} ({})", s.path.display(), s.reason)?;
        }
        for e in &self.errors {
            writeln!(f, "line {}: {}", e.line, e.message)?;
        }
        write!(
            f,
            "{} written, {} skipped, {} rows with errors",
            self.written.len(),
            self.skipped.len(),
            self.errors.len()
        )
    }
}

const CODE: &str = "INSTELLINGSCODE";
const NAME: &str = "INSTELLINGSNAAM";
const STREET: &str = "STRAATNAAM";
const NUMBER: &str = "HUISNUMMER-TOEVOEGING";
const POSTCODE: &str = "POSTCODE";
const CITY: &str = "PLAATSNAAM";
const PROVINCE: &str = "PROVINCIE";
const PHONE: &str = "TELEFOONNUMMER";
const WEBSITE: &str = "INTERNETADRES";

/// Reads `csv_path` and writes one stub per institution into `out_dir`
/// (created if needed). An existing file is never overwritten. Errors only
/// when the file as a whole cannot be used.
pub fn import_csv(csv_path: &Path, out_dir: &Path) -> Result<ImportReport, String> {
    let bytes = fs::read(csv_path).map_err(|e| format!("{}: {e}", csv_path.display()))?;
    let text = decode(&bytes);
    let source = csv_path.file_name().map_or_else(
        || csv_path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );

    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((n, l)) => {
                break split_row(l)
                    .map_err(|e| format!("{}:{n}: the header: {e}", csv_path.display()))?
            }
            None => return Err(format!("{}: the file is empty", csv_path.display())),
        }
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_uppercase(), i))
        .collect();
    for required in [CODE, NAME] {
        if !columns.contains_key(required) {
            return Err(format!(
                "{}: there is no column {required}; the columns are: {}",
                csv_path.display(),
                header.join(", ")
            ));
        }
    }

    fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let mut known_brins = existing_brins(out_dir);
    let mut report = ImportReport::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut slugs: HashMap<String, String> = HashMap::new();

    for (line, raw) in lines {
        if raw.trim().is_empty() {
            continue;
        }
        let mut error = |message: String| report.errors.push(RowError { line, message });
        let fields = match split_row(raw) {
            Ok(f) => f,
            Err(e) => {
                error(e);
                continue;
            }
        };
        let extra_empty =
            fields.len() > header.len() && fields[header.len()..].iter().all(|f| f.is_empty());
        if fields.len() != header.len() && !extra_empty {
            error(format!(
                "the row has {} fields, the header has {}",
                fields.len(),
                header.len()
            ));
            continue;
        }
        let get = |col: &str| {
            columns
                .get(col)
                .and_then(|&i| fields.get(i))
                .map_or("", |s| s.as_str())
        };
        let code = get(CODE).to_uppercase();
        if let Err(hint) = check_brin(&code) {
            error(format!(
                "`{}` in {CODE} is not a BRIN code: {hint}",
                get(CODE)
            ));
            continue;
        }
        let name = tidy_name(get(NAME));
        if name.is_empty() {
            error(format!("{NAME} is empty"));
            continue;
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            error(format!("BRIN code {code} is already on line {first}"));
            continue;
        }
        let mut slug = slugify(&name);
        if slugs.get(&slug).is_some_and(|other| *other != code) {
            slug = format!("{slug}-{}", code.to_lowercase());
        }
        slugs.insert(slug.clone(), code.clone());
        let path = out_dir.join(format!("{slug}.yaml"));
        if let Some(existing) = known_brins.get(&code) {
            report.skipped.push(Skipped {
                path,
                reason: format!("BRIN code {code} is already in {}", existing.display()),
            });
            continue;
        }

        let stub = Stub {
            source: &source,
            line,
            name: &name,
            brin: &code,
            street: format!("{} {}", tidy_place(get(STREET)), get(NUMBER))
                .trim()
                .to_string(),
            postcode: tidy_postcode(get(POSTCODE)),
            city: tidy_place(get(CITY)),
            province: get(PROVINCE),
            phone: get(PHONE),
            website: get(WEBSITE),
        }
        .render();
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(stub.as_bytes())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                known_brins.insert(code, path.clone());
                report.written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                report.skipped.push(Skipped {
                    path,
                    reason: "the file exists already".into(),
                });
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
    }
    Ok(report)
}

/// UTF-8 when it has a BOM or is valid UTF-8; otherwise cp1252, which DUO
/// uses (every byte sequence is valid cp1252).
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// One row's fields: `;`-separated, optionally in double quotes (a quote in
/// a quoted field is doubled). Fields are trimmed.
fn split_row(line: &str) -> Result<Vec<String>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quote (\") is opened but not closed".into()),
                }
            }
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(';') => {}
                Some(c) => {
                    return Err(format!(
                        "`{c}` after a closing quote; a field in quotes must end at the quote"
                    ))
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field.trim().to_string());
                        return Ok(fields);
                    }
                    Some(';') => break,
                    Some(c) => field.push(c),
                }
            }
            field = field.trim().to_string();
        }
        fields.push(field);
    }
}

/// The BRIN codes of the institution files already there, so that an
/// institution that an editor renamed is not imported twice.
fn existing_brins(dir: &Path) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            if let Some(v) = line.strip_prefix("brin:") {
                let v = v
                    .split('#')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\'']);
                out.insert(v.to_uppercase(), path.clone());
            }
        }
    }
    out
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// DUO writes places and streets in capitals: `'S-HERTOGENBOSCH` →
/// `'s-Hertogenbosch`, `ALPHEN AAN DEN RIJN` → `Alphen aan den Rijn`.
fn tidy_place(s: &str) -> String {
    let s = s.trim();
    if !is_all_caps(s) {
        return s.to_string();
    }
    const SMALL: &[&str] = &[
        "aan", "de", "den", "der", "het", "in", "op", "bij", "van", "ter", "ten", "en", "'s", "'t",
    ];
    let mut out = String::new();
    let mut first = true;
    for word in s.split_inclusive([' ', '-']) {
        let lower = word.to_lowercase();
        let bare = lower.trim_end_matches([' ', '-']);
        if (!first || bare.starts_with('\'')) && SMALL.contains(&bare) {
            out.push_str(&lower);
        } else {
            let mut cs = lower.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        }
        first = false;
    }
    out
}

/// An all-capitals name in normal case, keeping ROC, AOC and MBO.
fn tidy_name(s: &str) -> String {
    let s = s.trim();
    if !is_all_caps(s) {
        return s.to_string();
    }
    tidy_place(s)
        .split(' ')
        .map(|w| match w.to_uppercase().as_str() {
            up @ ("ROC" | "AOC" | "MBO" | "BV") => up.to_string(),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn tidy_postcode(s: &str) -> String {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.len() == 6 && compact.is_ascii() {
        let pc = format!("{} {}", &compact[..4], &compact[4..]);
        if check_postcode(&pc).is_ok() {
            return pc;
        }
    }
    s.trim().to_string()
}

/// A YAML double-quoted string, safe for any text.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comment's text on one line.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

struct Stub<'a> {
    source: &'a str,
    line: usize,
    name: &'a str,
    brin: &'a str,
    street: String,
    postcode: String,
    city: String,
    province: &'a str,
    phone: &'a str,
    website: &'a str,
}

impl Stub<'_> {
    fn render(&self) -> String {
        let upper = self.name.to_uppercase();
        let kind = if upper.contains("ROC") || upper.contains("REGIONAAL OPLEIDING") {
            "roc"
        } else if upper.contains("AOC") || upper.contains("AGRARISCH") {
            "aoc"
        } else {
            "vakinstelling"
        };
        let region = match Region::from_province(self.province) {
            Some(r) => format!("region: {}", r.key()),
            None => format!(
                "region: \"\"  # fill in noord, oost, zuid or west (DUO: {})",
                comment(if self.province.is_empty() {
                    "no province"
                } else {
                    self.province
                })
            ),
        };
        let website = {
            let w = self.website.trim();
            let w = w
                .strip_prefix("http://")
                .or_else(|| w.strip_prefix("https://"))
                .unwrap_or(w);
            let url = if w.is_empty() {
                String::new()
            } else if w.contains('/') {
                format!("https://{w}")
            } else {
                format!("https://{w}/")
            };
            if !url.is_empty() && check_url(&url).is_ok() {
                format!("website: {}  # from DUO: check that it opens", quote(&url))
            } else {
                "website: \"\"  # fill in: https://…".to_string()
            }
        };
        let phone = match phone::parse(self.phone) {
            Ok(p) => format!(
                "#     phone: \"{}\"  # DUO's general number; use the contact's own",
                p.display
            ),
            Err(_) if !self.phone.trim().is_empty() => {
                format!(
                    "#     phone: \"\"  # DUO's general number: {}",
                    comment(self.phone)
                )
            }
            Err(_) => "#     phone: \"\"".to_string(),
        };
        format!(
            "\
# {name_comment}: imported from DUO's open data ({source}, line {line}).
# To do for the editor: fill in the contacts (at least a vertrouwenspersoon
# and a meldpunt-stagediscriminatie), check every value with the school, and
# add `checked:` with the date. The keys are explained in README.md,
# \"Directory\". Until then the build reports what is missing.
name: {name}
# short_name: \"\"
brin: {brin}
kind: {kind}  # guessed from the name: roc, aoc or vakinstelling
{region}
{website}
locations:
  - key: hoofdlocatie
    name: Hoofdlocatie
    street: {street}
    postcode: {postcode}
    city: {city}
contacts: []
# Replace `contacts: []` with the school's contacts, for example:
# contacts:
#   - role: vertrouwenspersoon
#     external: false
#     name: \"\"
#     email: \"\"
{phone}
#     hours: \"\"
#   - role: meldpunt-stagediscriminatie
#     email: \"\"
#     form: \"https://\"
#   - role: klachtencommissie
#     email: \"\"
# documents:
#   - title: Klachtenregeling
#     url: \"https://\"
# checked: YYYY-MM-DD
",
            name_comment = comment(self.name),
            source = comment(self.source),
            line = self.line,
            name = quote(self.name),
            brin = self.brin,
            street = quote(&self.street),
            postcode = quote(&self.postcode),
            city = quote(&self.city),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_fields() {
        assert_eq!(
            split_row("a; \"b;c\" ;\"d \"\"e\"\"\";").unwrap(),
            ["a", "b;c", "d \"e\"", ""]
        );
        assert!(split_row("a;\"b;c").unwrap_err().contains("not closed"));
        assert!(split_row("a;\"b\"x;c").is_err());
    }

    #[test]
    fn decodes_cp1252_and_utf8_with_bom() {
        assert_eq!(decode(b"Caf\xe9"), "Café");
        assert_eq!(decode(b"\xEF\xBB\xBFCaf\xC3\xA9"), "Café");
        assert_eq!(decode("Zeeën".as_bytes()), "Zeeën");
    }

    #[test]
    fn tidies_capitals() {
        assert_eq!(tidy_place("'S-HERTOGENBOSCH"), "'s-Hertogenbosch");
        assert_eq!(tidy_place("ALPHEN AAN DEN RIJN"), "Alphen aan den Rijn");
        assert_eq!(tidy_place("Den Haag"), "Den Haag");
        assert_eq!(tidy_name("ROC VAN VOORBEELDSTAD"), "ROC van Voorbeeldstad");
        assert_eq!(tidy_postcode("1234ab"), "1234 AB");
        assert_eq!(tidy_postcode("B-1000"), "B-1000");
    }

    #[test]
    fn quotes_any_text_for_yaml() {
        let s = "a \"b\" \\ c: # d\n<script>";
        let v: String = serde_yaml::from_str(&quote(s)).unwrap();
        assert_eq!(v, s);
    }
}
