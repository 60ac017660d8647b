//! The schema of one institution file, `content/instellingen/<slug>.yaml`:
//! the keys an editor may write, their types, and the fixed vocabularies.

use serde::Deserialize;

/// One file as written, before validation. `parse` has already checked keys
/// and types against [`TOP`], so deserialising this never fails on them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionFile {
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub brin: String,
    pub kind: String,
    pub region: String,
    pub website: String,
    #[serde(default)]
    pub demo: bool,
    pub locations: Vec<LocationFile>,
    pub contacts: Vec<ContactFile>,
    #[serde(default)]
    pub documents: Vec<DocumentFile>,
    #[serde(default)]
    pub checked: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationFile {
    pub key: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactFile {
    pub role: String,
    #[serde(default)]
    pub external: bool,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub locations: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    pub title: String,
    pub url: String,
}

/// The type of a key's value, as the key walk checks it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Text,
    Bool,
    TextList,
    Items(&'static [Field]),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}

pub const LOCATION: &[Field] = &[
    req("key", Ty::Text),
    req("name", Ty::Text),
    req("street", Ty::Text),
    req("postcode", Ty::Text),
    req("city", Ty::Text),
];

pub const CONTACT: &[Field] = &[
    req("role", Ty::Text),
    opt("external", Ty::Bool),
    opt("name", Ty::Text),
    opt("email", Ty::Text),
    opt("phone", Ty::Text),
    opt("form", Ty::Text),
    opt("hours", Ty::Text),
    opt("locations", Ty::TextList),
    opt("languages", Ty::TextList),
];

pub const DOCUMENT: &[Field] = &[req("title", Ty::Text), req("url", Ty::Text)];

/// The top level of an institution file.
pub const TOP: &[Field] = &[
    req("name", Ty::Text),
    opt("short_name", Ty::Text),
    req("brin", Ty::Text),
    req("kind", Ty::Text),
    req("region", Ty::Text),
    req("website", Ty::Text),
    opt("demo", Ty::Bool),
    req("locations", Ty::Items(LOCATION)),
    req("contacts", Ty::Items(CONTACT)),
    opt("documents", Ty::Items(DOCUMENT)),
    opt("checked", Ty::Text),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The key tables and the serde structs must agree, or a key would be
    /// accepted by one and refused by the other.
    #[test]
    fn tables_match_the_structs() {
        let full = "name: a\nshort_name: b\nbrin: 99XA\nkind: roc\nregion: west\nwebsite: https://a.example/\n\
demo: true\nchecked: 2026-01-01\nlocations:\n  - {key: a, name: b, street: c, postcode: d, city: e}\n\
contacts:\n  - {role: a, external: true, name: b, email: c, phone: d, form: e, hours: f, locations: [a], languages: [b]}\n\
documents:\n  - {title: a, url: b}\n";
        let v: serde_yaml::Value = serde_yaml::from_str(full).unwrap();
        let names = |fields: &[Field]| fields.iter().map(|f| f.name).collect::<Vec<_>>();
        let keys = |v: &serde_yaml::Value| {
            v.as_mapping()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let mut top = keys(&v);
        top.sort();
        let mut want = names(TOP);
        want.sort();
        assert_eq!(top, want);
        assert_eq!(keys(&v["locations"][0]).len(), LOCATION.len());
        assert_eq!(keys(&v["contacts"][0]).len(), CONTACT.len());
        assert_eq!(keys(&v["documents"][0]).len(), DOCUMENT.len());
        let parsed: InstitutionFile = serde_yaml::from_value(v).unwrap();
        assert_eq!(parsed.contacts[0].languages, ["b"]);
    }
}
