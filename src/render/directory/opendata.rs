//! `/instellingen.json`: the whole directory as open data. The shape is
//! documented in the README ("Directory"); change it only together with
//! `SCHEMA_VERSION`. Keys come out in the order of these structs, whatever
//! serde_json's map type, so the file is byte-for-byte deterministic.

use serde::Serialize;

use super::pages::{institution_url, vcard_path};
use super::vcard;
use crate::model::directory::Directory;

/// Raised on any change that could break a reader (a key removed, renamed or
/// retyped). Adding a key does not raise it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct OpenData<'a> {
    schema_version: u32,
    generated_from: &'static str,
    institutions: Vec<OdInstitution<'a>>,
}

#[derive(Serialize)]
struct OdInstitution<'a> {
    slug: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    brin: &'a str,
    kind: &'static str,
    region: &'static str,
    website: &'a str,
    demo: bool,
    url: String,
    locations: Vec<OdLocation<'a>>,
    contacts: Vec<OdContact<'a>>,
    documents: Vec<OdDocument<'a>>,
    checked: Option<String>,
}

#[derive(Serialize)]
struct OdLocation<'a> {
    key: &'a str,
    name: &'a str,
    street: &'a str,
    postcode: &'a str,
    city: &'a str,
}

#[derive(Serialize)]
struct OdContact<'a> {
    id: &'a str,
    role: &'static str,
    external: bool,
    name: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<OdPhone<'a>>,
    form: Option<&'a str>,
    hours: Option<&'a str>,
    locations: &'a [String],
    languages: &'a [String],
    vcard_url: String,
}

#[derive(Serialize)]
struct OdPhone<'a> {
    display: &'a str,
    href: &'a str,
    dutch: bool,
}

#[derive(Serialize)]
struct OdDocument<'a> {
    title: &'a str,
    url: &'a str,
}

impl Directory {
    /// The files of the directory, by output path: `instellingen.json` and
    /// one vCard per contact (`instellingen/<slug>/<contact-id>.vcf`).
    pub fn files(&self, base_path: &str) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        out.push(("instellingen.json".to_string(), self.open_data(base_path)));
        for inst in &self.institutions {
            for c in &inst.contacts {
                out.push((
                    vcard_path(&inst.slug, &c.id),
                    vcard::vcard(inst, c).into_bytes(),
                ));
            }
        }
        out
    }

    /// The JSON of `/instellingen.json`, pretty-printed, ending in a newline.
    pub fn open_data(&self, base_path: &str) -> Vec<u8> {
        let data = OpenData {
            schema_version: SCHEMA_VERSION,
            generated_from: "content/instellingen",
            institutions: self
                .institutions
                .iter()
                .map(|i| OdInstitution {
                    slug: &i.slug,
                    name: &i.name,
                    short_name: i.short_name.as_deref(),
                    brin: &i.brin,
                    kind: i.kind.key(),
                    region: i.region.key(),
                    website: &i.website,
                    demo: i.demo,
                    url: institution_url(base_path, &i.slug),
                    locations: i
                        .locations
                        .iter()
                        .map(|l| OdLocation {
                            key: &l.key,
                            name: &l.name,
                            street: &l.street,
                            postcode: &l.postcode,
                            city: &l.city,
                        })
                        .collect(),
                    contacts: i
                        .contacts
                        .iter()
                        .map(|c| OdContact {
                            id: &c.id,
                            role: c.role.key(),
                            external: c.external,
                            name: c.name.as_deref(),
                            email: c.email.as_deref(),
                            phone: c.phone.as_ref().map(|p| OdPhone {
                                display: &p.display,
                                href: &p.href,
                                dutch: p.dutch,
                            }),
                            form: c.form.as_deref(),
                            hours: c.hours.as_deref(),
                            locations: &c.locations,
                            languages: &c.languages,
                            vcard_url: format!("{base_path}{}", vcard_path(&i.slug, &c.id)),
                        })
                        .collect(),
                    documents: i
                        .documents
                        .iter()
                        .map(|d| OdDocument {
                            title: &d.title,
                            url: &d.url,
                        })
                        .collect(),
                    checked: i.checked.map(|d| d.to_string()),
                })
                .collect(),
        };
        // Serialising plain structs of strings cannot fail.
        let mut bytes = serde_json::to_vec_pretty(&data).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}
