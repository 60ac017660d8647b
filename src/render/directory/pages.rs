//! The data of the directory's pages, for the templates: plain JSON values,
//! never HTML (the templates escape everything).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::config::Topic;
use crate::model::directory::{Contact, Directory, Institution};
use crate::model::directory::{Group, Region};

/// A page that has no Markdown file: its URL (from the root, with the base
/// path), template and context, to be rendered by the core.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratedPage {
    pub url: String,
    pub template: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub context: Map<String, Value>,
}

pub(crate) use crate::render::dutch_date;

/// Up to this many schools, the "Jouw school" chooser lists them on the
/// page itself; above it, it links to a chooser page per theme. There are
/// about 60 mbo schools in the Netherlands.
pub const CHOOSER_INLINE_MAX: usize = 100;

/// The folder of the chooser pages below `instellingen/`: no school file
/// may have this name.
pub use crate::model::directory::CHOOSER_SLUG;

pub(crate) fn institution_url(base: &str, slug: &str) -> String {
    format!("{base}instellingen/{slug}/")
}

/// A school's route page on a theme.
fn institution_theme_url(base: &str, slug: &str, theme: &str) -> String {
    format!("{}{theme}/", institution_url(base, slug))
}

/// A theme as directory pages give it to templates.
fn theme_json(theme: &Topic, base: &str) -> Value {
    json!({
        "key": theme.key,
        "title": theme.title,
        "description": theme.description,
        "url": format!("{base}{}/", theme.key),
    })
}

pub(crate) fn vcard_path(slug: &str, contact_id: &str) -> String {
    format!("instellingen/{slug}/{contact_id}.vcf")
}

fn opt(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

impl Directory {
    /// One entry per institution, A–Z: for the `institutions()` template
    /// function and the "Jouw school" chooser.
    pub fn summaries(&self, base_path: &str) -> Value {
        Value::Array(
            self.institutions
                .iter()
                .map(|i| summary(i, base_path))
                .collect(),
        )
    }

    /// The pages of the directory: the index, one page per institution, and
    /// per institution one route page for each theme.
    pub fn pages(
        &self,
        base_path: &str,
        themes: &[Topic],
        theme_organisations: &BTreeMap<String, Vec<Value>>,
    ) -> Vec<GeneratedPage> {
        let mut pages = Vec::with_capacity(1 + self.institutions.len() * (1 + themes.len()));
        pages.push(self.index_page(base_path, None));
        if self.chooser_has_own_pages() {
            pages.extend(themes.iter().map(|t| self.index_page(base_path, Some(t))));
        }
        // Each school's pages on all cores: with many schools this is a
        // noticeable serial step before the pages can be rendered.
        let per_school: Vec<Vec<GeneratedPage>> = self
            .institutions
            .par_iter()
            .map(|inst| {
                let full = institution_json(inst, base_path, themes);
                let mut own = vec![institution_page(inst, base_path, &full)];
                for theme in themes {
                    let orgs = theme_organisations
                        .get(&theme.key)
                        .cloned()
                        .unwrap_or_default();
                    own.push(theme_page(inst, base_path, &full, theme, orgs));
                }
                own
            })
            .collect();
        pages.extend(per_school.into_iter().flatten());
        pages
    }

    /// Whether the "Jouw school" chooser links to a page of its own instead
    /// of listing every school on every page of a theme, which would make
    /// each page too heavy for a phone with little data.
    pub fn chooser_has_own_pages(&self) -> bool {
        self.institutions.len() > CHOOSER_INLINE_MAX
    }

    /// The URL of the chooser page of `theme`, or of the A–Z list.
    pub fn chooser_url(base: &str, theme: Option<&str>) -> String {
        match theme {
            Some(t) => format!("{base}instellingen/{CHOOSER_SLUG}/{t}/"),
            None => format!("{base}instellingen/"),
        }
    }

    /// The A–Z list of schools by region: of all schools, or, for a theme,
    /// with each school linking to its page on that theme.
    fn index_page(&self, base: &str, theme: Option<&Topic>) -> GeneratedPage {
        let summaries = self.summaries(base);
        let entry = |i: &Institution| {
            let mut v = summary(i, base);
            if let Some(t) = theme {
                v["url"] = Value::String(institution_theme_url(base, &i.slug, &t.key));
            }
            v
        };
        let regions: Vec<Value> = Region::ALL
            .iter()
            .filter_map(|r| {
                let members: Vec<Value> = self
                    .institutions
                    .iter()
                    .filter(|i| i.region == *r)
                    .map(entry)
                    .collect();
                (!members.is_empty())
                    .then(|| json!({"key": r.key(), "title": r.title(), "institutions": members}))
            })
            .collect();
        let mut context = Map::new();
        context.insert("institutions".into(), summaries);
        context.insert("regions".into(), Value::Array(regions));
        context.insert(
            "demo".into(),
            Value::Bool(self.institutions.iter().any(|i| i.demo)),
        );
        if let Some(t) = theme {
            context.insert("theme".into(), theme_json(t, base));
            return GeneratedPage {
                url: Self::chooser_url(base, Some(&t.key)),
                template: "instellingen.html".into(),
                title: format!("Jouw school: {}", t.title),
                description: format!(
                    "Kies je school. Dan zie je wie je daar helpt bij {}.",
                    t.title.to_lowercase()
                ),
                keywords: vec!["school".into(), t.title.clone()],
                context,
            };
        }
        GeneratedPage {
            url: Self::chooser_url(base, None),
            template: "instellingen.html".into(),
            title: "Jouw school".into(),
            description:
                "Zoek je school. Dan zie je met wie je daar kunt praten en waar je iets meldt."
                    .into(),
            keywords: [
                "school",
                "instelling",
                "roc",
                "aoc",
                "vertrouwenspersoon",
                "meldpunt",
            ]
            .map(String::from)
            .to_vec(),
            context,
        }
    }
}

fn summary(i: &Institution, base: &str) -> Value {
    json!({
        "slug": i.slug,
        "name": i.name,
        "short_name": opt(&i.short_name),
        "city": i.city(),
        "region": i.region.key(),
        "region_title": i.region.title(),
        "kind": i.kind.key(),
        "url": institution_url(base, &i.slug),
    })
}

fn contact_json(inst: &Institution, c: &Contact, base: &str) -> Value {
    json!({
        "id": c.id,
        "role": c.role.key(),
        "role_title": c.role.title(),
        "role_summary": c.role.summary(),
        "group": c.role.group().key(),
        "external": c.external,
        "name": opt(&c.name),
        "email": opt(&c.email),
        "email_href": c.email.as_ref().map(|e| format!("mailto:{e}")),
        "phone": c.phone.as_ref().map(|p| json!({"display": p.display, "href": p.href, "dutch": p.dutch})),
        "form": opt(&c.form),
        "hours": opt(&c.hours),
        "locations": c.locations.iter().map(|k| inst.location_name(k).unwrap_or(k)).collect::<Vec<_>>(),
        "location_keys": c.locations,
        "languages": c.languages,
        "vcard_url": format!("{base}{}", vcard_path(&inst.slug, &c.id)),
    })
}

/// Every field of an institution, for its pages.
fn institution_json(i: &Institution, base: &str, themes: &[Topic]) -> Value {
    let contacts: Vec<Value> = i
        .contacts
        .iter()
        .map(|c| contact_json(i, c, base))
        .collect();
    let groups: Vec<Value> = Group::ALL
        .iter()
        .filter_map(|g| {
            let members: Vec<Value> = i
                .contacts
                .iter()
                .zip(&contacts)
                .filter(|(c, _)| c.role.group() == *g)
                .map(|(_, j)| j.clone())
                .collect();
            (!members.is_empty())
                .then(|| json!({"key": g.key(), "title": g.title(), "contacts": members}))
        })
        .collect();
    let url = institution_url(base, &i.slug);
    json!({
        "slug": i.slug,
        "name": i.name,
        "short_name": opt(&i.short_name),
        "brin": i.brin,
        "kind": i.kind.key(),
        "kind_title": i.kind.title(),
        "region": i.region.key(),
        "region_title": i.region.title(),
        "website": i.website,
        "demo": i.demo,
        "url": url,
        "city": i.city(),
        "locations": i.locations.iter().map(|l| json!({
            "key": l.key, "name": l.name, "street": l.street, "postcode": l.postcode, "city": l.city,
        })).collect::<Vec<_>>(),
        "contacts": contacts,
        "groups": groups,
        "documents": i.documents.iter().map(|d| json!({"title": d.title, "url": d.url})).collect::<Vec<_>>(),
        "checked": i.checked.map(|d| d.to_string()),
        "checked_display": i.checked.map(dutch_date),
        "themes": theme_links(&url, themes),
    })
}

fn theme_links(institution_url: &str, themes: &[Topic]) -> Vec<Value> {
    themes
        .iter()
        .map(|t| {
            json!({
                "key": t.key,
                "title": t.title,
                "description": t.description,
                "url": format!("{institution_url}{}/", t.key),
            })
        })
        .collect()
}

fn keywords(i: &Institution) -> Vec<String> {
    let mut k = vec![i.name.clone()];
    k.extend(i.short_name.clone());
    for l in &i.locations {
        if !k.contains(&l.city) {
            k.push(l.city.clone());
        }
    }
    k.push(i.brin.clone());
    k
}

fn institution_page(i: &Institution, base: &str, full: &Value) -> GeneratedPage {
    let mut context = Map::new();
    context.insert("institution".into(), full.clone());
    // The most used parts also at the top, for short template code.
    for key in ["groups", "themes", "checked", "checked_display", "demo"] {
        context.insert(key.into(), full[key].clone());
    }
    let url = institution_url(base, &i.slug);
    let city = i.city().map(|c| format!(" in {c}")).unwrap_or_default();
    GeneratedPage {
        url,
        template: "instelling.html".into(),
        title: i.name.clone(),
        description: format!(
            "Vertrouwenspersoon, meldpunt en klachtencommissie van {}{city}: met wie je kunt praten en waar je iets meldt.",
            i.name
        ),
        keywords: keywords(i),
        context,
    }
}

fn theme_page(
    i: &Institution,
    base: &str,
    full: &Value,
    theme: &Topic,
    organisations: Vec<Value>,
) -> GeneratedPage {
    let mut relevant: Vec<(usize, usize, Value)> = i
        .contacts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.role.serves_theme(&theme.key))
        .map(|(n, c)| (c.role.route_order(), n, contact_json(i, c, base)))
        .collect();
    relevant.sort_by_key(|(order, n, _)| (*order, *n));
    let contacts: Vec<Value> = relevant.into_iter().map(|(_, _, c)| c).collect();

    let url = institution_theme_url(base, &i.slug, &theme.key);
    let mut context = Map::new();
    context.insert("institution".into(), full.clone());
    context.insert("theme".into(), theme_json(theme, base));
    context.insert("contacts".into(), Value::Array(contacts));
    context.insert("organisations".into(), Value::Array(organisations));
    context.insert("demo".into(), Value::Bool(i.demo));
    let mut keywords = keywords(i);
    keywords.push(theme.title.clone());
    GeneratedPage {
        url,
        template: "instelling-thema.html".into(),
        title: format!("{}: {}", theme.title, i.name),
        description: format!(
            "Wie helpt je bij {} met {}? Eerst je school, dan landelijke organisaties.",
            i.name,
            theme.title.to_lowercase()
        ),
        keywords,
        context,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert_eq!(dutch_date(d), "1 oktober 2026");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 28).unwrap();
        assert_eq!(dutch_date(d), "28 maart 2026");
    }
}
