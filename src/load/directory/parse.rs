//! One institution file: YAML → key and type checks over the whole file →
//! typed structs → the checks of each value. Every problem is reported with
//! file, line and column, and a file's problems are all reported at once.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{Months, NaiveDate};
use serde_yaml::{Mapping, Value};

use super::schema::{self, ContactFile, Field, InstitutionFile, Ty};
use crate::diagnostics::{suggestion, Diagnostic};
use crate::load::positions::{self, Positions};
use crate::load::yaml::{self, describe};
use crate::model::directory::{slugify, Contact, Document, Institution, Location};
use crate::model::directory::{Kind, Region, Role};
use crate::phone;

/// The slug of a file: its name without extension.
pub(crate) fn slug_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Parses and checks one file. The institution is returned when the file
/// could be read into one, even if some values are wrong (the caller drops
/// files with errors).
pub(crate) fn parse_file(
    file: &Path,
    text: &str,
    today: NaiveDate,
) -> (Option<Institution>, Vec<Diagnostic>) {
    let pos = positions::scan(text);
    let mut cx = Cx {
        file,
        pos: &pos,
        diags: Vec::new(),
        bad: HashSet::new(),
    };

    let slug = slug_of(file);
    if slug == crate::model::directory::CHOOSER_SLUG {
        cx.diags.push(
            Diagnostic::error(
                "directory-slug",
                file,
                format!("the file name `{slug}` is taken by the school chooser pages"),
            )
            .at(1, 1)
            .hint("rename the file after the school, e.g. `roc-voorbeeldstad.yaml`"),
        );
    } else if slug.is_empty() || slugify(&slug) != slug {
        let good = slugify(&slug);
        cx.diags.push(
            Diagnostic::error(
                "directory-slug",
                file,
                format!("the file name `{slug}` cannot be part of a URL"),
            )
            .at(1, 1)
            .hint(format!(
                "rename the file to `{}.yaml`: lower-case letters, digits and dashes",
                if good.is_empty() {
                    "naam-van-de-school"
                } else {
                    &good
                }
            )),
        );
    }

    let value: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            cx.diags.push(yaml_error(&e, text, file, &pos));
            return (None, cx.diags);
        }
    };
    let top = match &value {
        Value::Mapping(m) => m,
        Value::Null => {
            cx.diags.push(
                Diagnostic::error("yaml", file, "the file is empty")
                    .at(1, 1)
                    .hint("copy an existing institution file and change it"),
            );
            return (None, cx.diags);
        }
        other => {
            cx.diags.push(
                Diagnostic::error(
                    "yaml",
                    file,
                    format!(
                        "an institution file must be a list of `key: value` lines, not {}",
                        describe(other)
                    ),
                )
                .at(1, 1),
            );
            return (None, cx.diags);
        }
    };

    let clean = cx.map(top, schema::TOP, "");
    let raw: InstitutionFile = match serde_yaml::from_value(Value::Mapping(clean)) {
        Ok(r) => r,
        Err(e) => {
            // The walk checks what the structs need, so this is a bug; still
            // say something useful.
            cx.diags
                .push(Diagnostic::error("yaml", file, e.to_string()).at(1, 1));
            return (None, cx.diags);
        }
    };
    let inst = cx.institution(raw, slug, today);
    (Some(inst), cx.diags)
}

/// A YAML syntax error as a diagnostic, through the project's one converter;
/// a duplicate key is placed at its second occurrence, which serde_yaml does
/// not say.
fn yaml_error(e: &serde_yaml::Error, text: &str, file: &Path, pos: &Positions) -> Diagnostic {
    let mut d = yaml::error_diagnostic(e, text, file, 1);
    if d.message.contains("appears twice") {
        if let Some((path, p)) = pos.duplicates.first() {
            let key = path.rsplit(['.', ']']).next().unwrap_or(path);
            d.message = format!("the key `{key}` appears twice");
            d.line = Some(p.line);
            d.column = Some(p.key_col);
        }
    } else if d.message.contains("more than one document") {
        d.hint = Some("remove the `---` line: one institution per file".into());
    }
    d
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn key_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

struct Cx<'a> {
    file: &'a Path,
    pos: &'a Positions,
    diags: Vec<Diagnostic>,
    /// Paths already reported as missing or of the wrong type: their values
    /// are placeholders, and are not checked again.
    bad: HashSet<String>,
}

impl Cx<'_> {
    fn error_at_value(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
    ) -> &mut Diagnostic {
        let (line, col) = self.pos.value(path);
        self.diags
            .push(Diagnostic::error(code, self.file, message).at(line, col));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn hint_last(&mut self, hint: impl Into<String>) {
        if let Some(d) = self.diags.last_mut() {
            d.hint = Some(hint.into());
        }
    }

    /// Checks a map against its fields: every unknown key, wrong type and
    /// missing required key is reported. Returns the map with only the
    /// known, well-typed keys, and placeholders for missing required ones.
    fn map(&mut self, m: &Mapping, fields: &[Field], path: &str) -> Mapping {
        let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
        let mut out = Mapping::new();
        for (k, v) in m {
            let name = match k {
                Value::String(s) => s.clone(),
                other => describe(other),
            };
            let child = join(path, &name);
            let Some(field) = fields.iter().find(|f| f.name == name) else {
                let (line, col) = self.pos.key(&child);
                self.diags.push(
                    Diagnostic::error("unknown-key", self.file, format!("unknown key `{name}`"))
                        .at(line, col)
                        .hint(suggestion(&name, &known)),
                );
                continue;
            };
            if let Some(clean) = self.value(v, field, &child) {
                out.insert(Value::String(name), clean);
            }
        }
        for f in fields.iter().filter(|f| f.required) {
            let key = Value::String(f.name.to_string());
            if out.contains_key(&key) {
                continue;
            }
            let child = join(path, f.name);
            if self.bad.insert(child.clone()) {
                if m.contains_key(&key) {
                    self.error_at_value("missing-key", &child, format!("`{}` is empty", f.name));
                } else {
                    let (line, col) = self.pos.key(path);
                    let within = if path.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " in this item of `{}`",
                            key_name(path.split('[').next().unwrap_or(path))
                        )
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "missing-key",
                            self.file,
                            format!("missing key `{}`{within}", f.name),
                        )
                        .at(line, col),
                    );
                }
            }
            out.insert(
                key,
                match f.ty {
                    Ty::Text => Value::String(String::new()),
                    Ty::Bool => Value::Bool(false),
                    Ty::TextList | Ty::Items(_) => Value::Sequence(Vec::new()),
                },
            );
        }
        out
    }

    /// A scalar as text: numbers and booleans as the editor wrote them.
    fn scalar_text(&self, v: &Value, path: &str) -> Option<String> {
        let written = || self.pos.get(path).and_then(|p| p.raw.clone());
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(written().unwrap_or_else(|| n.to_string())),
            Value::Bool(b) => Some(written().unwrap_or_else(|| b.to_string())),
            _ => None,
        }
    }

    fn value(&mut self, v: &Value, field: &Field, path: &str) -> Option<Value> {
        if v.is_null() {
            return None;
        }
        let expected = match field.ty {
            Ty::Text => {
                if let Some(s) = self.scalar_text(v, path) {
                    return (!s.is_empty()).then_some(Value::String(s));
                }
                "text"
            }
            Ty::Bool => {
                if let Value::Bool(_) = v {
                    return Some(v.clone());
                }
                "`true` or `false`"
            }
            Ty::TextList => {
                if let Value::Sequence(items) = v {
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let p = format!("{path}[{i}]");
                        match self.scalar_text(item, &p) {
                            Some(s) if !s.is_empty() => out.push(Value::String(s)),
                            _ => {
                                self.error_at_value(
                                    "yaml-type",
                                    &p,
                                    format!(
                                        "each item of `{}` must be text, not {}",
                                        field.name,
                                        describe(item)
                                    ),
                                );
                            }
                        }
                    }
                    return Some(Value::Sequence(out));
                }
                "a list of text, e.g. `[Nederlands, Engels]`"
            }
            Ty::Items(fields) => {
                if let Value::Sequence(items) = v {
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let p = format!("{path}[{i}]");
                        match item {
                            Value::Mapping(m) => out.push(Value::Mapping(self.map(m, fields, &p))),
                            other => {
                                self.error_at_value(
                                    "yaml-type",
                                    &p,
                                    format!(
                                        "each item of `{}` must be a map of keys (`{}: …`), not {}",
                                        field.name,
                                        fields[0].name,
                                        describe(other)
                                    ),
                                );
                            }
                        }
                    }
                    return Some(Value::Sequence(out));
                }
                "a list of items, each starting with `- `"
            }
        };
        self.bad.insert(path.to_string());
        self.error_at_value(
            "yaml-type",
            path,
            format!("`{}` must be {expected}, not {}", field.name, describe(v)),
        );
        None
    }

    /// The checks of each value, on the typed file.
    fn institution(&mut self, raw: InstitutionFile, slug: String, today: NaiveDate) -> Institution {
        let brin = raw.brin.trim().to_string();
        if !self.bad.contains("brin") {
            if let Err(hint) = check_brin(&brin) {
                self.error_at_value(
                    "directory-brin",
                    "brin",
                    format!("`{brin}` is not a BRIN code"),
                );
                self.hint_last(hint);
            }
        }
        let kind = self.vocab(
            "kind",
            &raw.kind,
            Kind::KEYS,
            "directory-kind",
            Kind::from_key,
        );
        let region = self.vocab(
            "region",
            &raw.region,
            Region::KEYS,
            "directory-region",
            Region::from_key,
        );
        self.url("website", &raw.website);

        let mut locations = Vec::new();
        let mut location_keys: HashMap<String, usize> = HashMap::new();
        for (i, l) in raw.locations.into_iter().enumerate() {
            let p = format!("locations[{i}]");
            let key_path = format!("{p}.key");
            if !self.bad.contains(&key_path) {
                if slugify(&l.key) != l.key {
                    self.error_at_value(
                        "directory-location",
                        &key_path,
                        format!("the location key `{}` may only have lower-case letters, digits and dashes", l.key),
                    );
                    self.hint_last(format!("for example `{}`", slugify(&l.key)));
                } else if location_keys.insert(l.key.clone(), i).is_some() {
                    self.error_at_value(
                        "directory-duplicate",
                        &key_path,
                        format!("the location key `{}` is used twice", l.key),
                    );
                }
            }
            let pc_path = format!("{p}.postcode");
            if !self.bad.contains(&pc_path) {
                if let Err(hint) = check_postcode(&l.postcode) {
                    self.error_at_value(
                        "directory-postcode",
                        &pc_path,
                        format!("`{}` is not a Dutch postcode", l.postcode),
                    );
                    self.hint_last(hint);
                }
            }
            locations.push(Location {
                key: l.key,
                name: l.name,
                street: l.street,
                postcode: l.postcode,
                city: l.city,
            });
        }
        if locations.is_empty() && !self.bad.contains("locations") {
            let (line, col) = self.pos.key("locations");
            self.diags.push(
                Diagnostic::error(
                    "missing-key",
                    self.file,
                    "`locations` needs at least one location",
                )
                .at(line, col),
            );
        }

        let mut contacts = Vec::new();
        let mut per_role: HashMap<Role, usize> = HashMap::new();
        for (i, c) in raw.contacts.into_iter().enumerate() {
            if let Some(contact) = self.contact(c, i, &location_keys, &mut per_role) {
                contacts.push(contact);
            }
        }
        if !self.bad.contains("contacts") {
            let (line, col) = self.pos.key("contacts");
            for role in Role::REQUIRED {
                if !per_role.contains_key(&role) {
                    let why = match role {
                        Role::MeldpuntStagediscriminatie => {
                            "the Stagepact commits every school to a meldpunt stagediscriminatie"
                        }
                        _ => "every student must be able to find a vertrouwenspersoon",
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "directory-missing-role",
                            self.file,
                            format!("no contact with role `{}`", role.key()),
                        )
                        .at(line, col)
                        .hint(format!("add a contact with `role: {}`: {why}", role.key())),
                    );
                }
            }
        }

        let mut documents = Vec::new();
        for (i, d) in raw.documents.into_iter().enumerate() {
            self.url(&format!("documents[{i}].url"), &d.url);
            documents.push(Document {
                title: d.title,
                url: d.url,
            });
        }

        let checked = self.checked(raw.checked.as_deref(), today);

        Institution {
            slug,
            file: self.file.to_path_buf(),
            name: raw.name,
            short_name: raw.short_name,
            brin,
            kind: kind.unwrap_or(Kind::Roc),
            region: region.unwrap_or(Region::West),
            website: raw.website,
            demo: raw.demo,
            locations,
            contacts,
            documents,
            checked,
            positions: self.pos.clone(),
        }
    }

    fn contact(
        &mut self,
        c: ContactFile,
        i: usize,
        location_keys: &HashMap<String, usize>,
        per_role: &mut HashMap<Role, usize>,
    ) -> Option<Contact> {
        let p = format!("contacts[{i}]");
        let role_path = format!("{p}.role");
        let role = self.vocab(
            &role_path,
            &c.role,
            Role::KEYS,
            "directory-role",
            Role::from_key,
        );

        if let Some(email) = &c.email {
            if let Err(why) = check_email(email) {
                self.error_at_value(
                    "directory-email",
                    &format!("{p}.email"),
                    format!("`{email}` is not an e-mail address: {why}"),
                );
            }
        }
        let mut phone = None;
        if let Some(raw) = &c.phone {
            let path = format!("{p}.phone");
            match phone::parse(raw) {
                Ok(ph) => {
                    if !ph.dutch {
                        let (line, col) = self.pos.value(&path);
                        self.diags.push(
                            Diagnostic::warning(
                                "directory-phone",
                                self.file,
                                format!("`{raw}` is not a Dutch number"),
                            )
                            .at(line, col)
                            .hint("students call from a Dutch phone; add a Dutch number if there is one"),
                        );
                    }
                    phone = Some(ph);
                }
                Err(e) => {
                    self.error_at_value("directory-phone", &path, e);
                }
            }
        }
        if let Some(form) = &c.form {
            self.url(&format!("{p}.form"), form);
        }
        for (j, key) in c.locations.iter().enumerate() {
            if !location_keys.contains_key(key) {
                let mut keys: Vec<&str> = location_keys.keys().map(String::as_str).collect();
                keys.sort_unstable();
                self.error_at_value(
                    "directory-location",
                    &format!("{p}.locations[{j}]"),
                    format!("there is no location with key `{key}`"),
                );
                self.hint_last(if keys.is_empty() {
                    "add the location under `locations:` first".to_string()
                } else {
                    suggestion(key, &keys)
                });
            }
        }
        if c.email.is_none() && c.phone.is_none() && c.form.is_none() {
            let (line, col) = self.pos.key(&p);
            self.diags.push(
                Diagnostic::error(
                    "directory-contact",
                    self.file,
                    "this contact has no `email`, `phone` or `form`",
                )
                .at(line, col)
                .hint("a student must be able to reach them: add at least one"),
            );
        }

        let role = role?;
        let n = per_role.entry(role).or_insert(0);
        *n += 1;
        let id = if *n == 1 {
            role.key().to_string()
        } else {
            format!("{}-{n}", role.key())
        };
        Some(Contact {
            id,
            role,
            external: c.external,
            name: c.name,
            email: c.email,
            phone,
            form: c.form,
            hours: c.hours,
            locations: c.locations,
            languages: c.languages,
        })
    }

    /// A value from a fixed vocabulary, with a suggestion when it is not.
    fn vocab<T>(
        &mut self,
        path: &str,
        value: &str,
        keys: &[&str],
        code: &'static str,
        from_key: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        if self.bad.contains(path) {
            return None;
        }
        let found = from_key(value);
        if found.is_none() {
            self.error_at_value(
                code,
                path,
                format!("`{value}` is not a valid `{}`", key_name(path)),
            );
            self.hint_last(suggestion(value, keys));
        }
        found
    }

    fn url(&mut self, path: &str, url: &str) {
        if self.bad.contains(path) {
            return;
        }
        if let Err(why) = check_url(url) {
            self.error_at_value("directory-url", path, why);
            self.hint_last("links must start with `https://`, e.g. `https://www.school.example/`");
        }
    }

    fn checked(&mut self, raw: Option<&str>, today: NaiveDate) -> Option<NaiveDate> {
        let file = self.file.display().to_string();
        let Some(raw) = raw else {
            self.diags.push(
                Diagnostic::warning(
                    "directory-stale",
                    self.file,
                    format!("{file} has no `checked` date: the contacts were never verified"),
                )
                .at(1, 1)
                .hint("check every contact, then add `checked: YYYY-MM-DD` with today's date"),
            );
            return None;
        };
        if self.bad.contains("checked") {
            return None;
        }
        let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") else {
            self.error_at_value(
                "directory-date",
                "checked",
                format!("`{raw}` is not a date"),
            );
            self.hint_last("write the date as YYYY-MM-DD, e.g. `2026-11-28`");
            return None;
        };
        let (line, col) = self.pos.value("checked");
        if date > today {
            self.diags.push(
                Diagnostic::warning(
                    "directory-date",
                    self.file,
                    format!("{file}: `checked` is in the future ({date})"),
                )
                .at(line, col)
                .hint("use the date on which you checked the contacts"),
            );
        } else if today
            .checked_sub_months(Months::new(12))
            .is_some_and(|limit| date < limit)
        {
            self.diags.push(
                Diagnostic::warning(
                    "directory-stale",
                    self.file,
                    format!("{file} was last checked on {date}, more than 12 months ago"),
                )
                .at(line, col)
                .hint("check every contact with the school, then update `checked`"),
            );
        }
        Some(date)
    }
}

/// Two digits and two capital letters, e.g. `25LG`.
pub(crate) fn check_brin(brin: &str) -> Result<(), String> {
    let b = brin.as_bytes();
    let shape = |upper: bool| {
        b.len() == 4
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2..].iter().all(|c| {
                if upper {
                    c.is_ascii_uppercase()
                } else {
                    c.is_ascii_alphabetic()
                }
            })
    };
    if shape(true) {
        Ok(())
    } else if shape(false) {
        Err(format!(
            "write the letters as capitals: `{}`",
            brin.to_ascii_uppercase()
        ))
    } else {
        Err("a BRIN code is two digits and two letters, e.g. `25LG`".into())
    }
}

/// `1234 AB`: four digits (not starting with 0), a space, two capitals.
/// SA, SD and SS are not used in Dutch postcodes.
pub(crate) fn check_postcode(pc: &str) -> Result<(), String> {
    let b = pc.as_bytes();
    let ok = b.len() == 7
        && (b'1'..=b'9').contains(&b[0])
        && b[1..4].iter().all(u8::is_ascii_digit)
        && b[4] == b' '
        && b[5..].iter().all(u8::is_ascii_uppercase)
        && !matches!(&pc[5..], "SA" | "SD" | "SS");
    if ok {
        return Ok(());
    }
    let compact: String = pc.chars().filter(|c| !c.is_whitespace()).collect();
    let c = compact.as_bytes();
    if c.len() == 6
        && c[..4].iter().all(u8::is_ascii_digit)
        && c[4..].iter().all(u8::is_ascii_alphabetic)
    {
        Err(format!(
            "write it as `{} {}`",
            &compact[..4],
            compact[4..].to_ascii_uppercase()
        ))
    } else {
        Err("a postcode is four digits, a space and two capitals, e.g. `1234 AB`".into())
    }
}

/// A plain e-mail address: `name@domain.tld`, ASCII only.
pub(crate) fn check_email(email: &str) -> Result<(), String> {
    if email.starts_with("mailto:") {
        return Err("write the address without `mailto:`".into());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("it has no `@`".into());
    };
    if domain.contains('@') {
        return Err("it has more than one `@`".into());
    }
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
    if !local_ok {
        return Err(format!(
            "the part before the `@` (`{local}`) may only have letters, digits and . _ % + - '"
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let labels_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if !labels_ok {
        return Err(format!("`{domain}` is not a domain name like `school.nl`"));
    }
    Ok(())
}

/// An https URL with a host name, and nothing that could break out of an
/// attribute or be read as another scheme.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(if url.to_ascii_lowercase().starts_with("http://") {
            format!("`{url}` uses http; only https links are allowed")
        } else {
            format!("`{url}` is not an https link")
        });
    };
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\^`{|}".contains(*c))
    {
        return Err(format!("`{url}` contains `{c}`, which a link cannot have"));
    }
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() => h,
        _ => host_port,
    };
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !host_ok {
        return Err(format!("`{url}` has no valid host name after `https://`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brin_codes() {
        assert!(check_brin("25LG").is_ok());
        assert!(check_brin("25lg").unwrap_err().contains("`25LG`"));
        assert!(check_brin("2LG").is_err());
        assert!(check_brin("25L1").is_err());
    }

    #[test]
    fn postcodes() {
        assert!(check_postcode("1234 AB").is_ok());
        assert!(check_postcode("1234AB").unwrap_err().contains("`1234 AB`"));
        assert!(check_postcode("1234 ab").unwrap_err().contains("`1234 AB`"));
        assert!(check_postcode("0234 AB").is_err());
        assert!(check_postcode("1234 SS").is_err());
        assert!(check_postcode("B-1000").is_err());
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.nl",
            "first.last+tag@sub.school.example",
            "o'brien@x.example",
        ] {
            assert!(check_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "a",
            "a@b",
            "@b.nl",
            "a@@b.nl",
            "a b@c.nl",
            "a@b..nl",
            "a.@b.nl",
            "mailto:a@b.nl",
            "<script>@x.nl",
            "a@-b.nl",
            "a@b.n1",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://www.school.example/",
            "https://a.example:8443/x?y=1#z",
            "https://a.example",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        assert!(check_url("http://a.example/")
            .unwrap_err()
            .contains("http;"));
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>",
            "//a.example/",
            "https://",
            "https://localhost/",
            "https://a.example/\"onmouseover=\"x",
            "https://a.example/<script>",
            "https://a.example/ x",
            "https://user@a.example/",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
