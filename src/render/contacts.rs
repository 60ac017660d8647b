//! Organisations named in Markdown: `[](contact:key)`, `?phone`, `?name`,
//! or `[own words](contact:key)`, filled from `content/organisaties.yaml`
//! through the theme's `contact-inline.html`.

use std::collections::HashMap;
use std::path::Path;

use super::links::LinkIndex;
use super::markdown::{escape_attr, Rendered};
use super::templates::Templates;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Page, Site};

/// An organisation's inline forms, rendered once per build from the
/// theme's `contact-inline.html`.
#[derive(Debug, Clone, Default)]
pub struct InlineContact {
    /// `[](contact:key)`: the name and the ways to reach them.
    pub full: String,
    /// `[](contact:key?phone)`, when it has a phone number.
    pub phone: Option<String>,
    /// `[](contact:key?name)`.
    pub name: String,
    /// Where `[own words](contact:key)` links to: the first channel.
    pub href: String,
    /// The words the search index gets for the full form.
    pub text: String,
}

/// The forms of `[](contact:key?variant)`.
pub const CONTACT_VARIANTS: &[&str] = &["phone", "name"];

/// The HTML of a `contact:key?variant` link and the words it adds for
/// search. `bare` is `[](contact:…)`, which the data fills; otherwise the
/// link's own words stay and link to the organisation's first channel.
pub(super) fn contact_link(
    index: &LinkIndex,
    page: &Page,
    spec: &str,
    bare: bool,
    (line, column): (usize, usize),
    out: &mut Rendered,
) -> (String, String) {
    let (key, variant) = spec.split_once('?').unwrap_or((spec, ""));
    let mut error = |msg: String, hint: String| {
        out.diagnostics.push(
            Diagnostic::error("unknown-contact", &page.file, msg)
                .at(line, column)
                .hint(hint),
        );
    };
    let Some(c) = index.contacts.get(key) else {
        let near = did_you_mean(key, index.contacts.keys().map(String::as_str));
        error(
            format!("unknown organisation `{key}` in the link `contact:{spec}`"),
            match near {
                Some(k) => format!("did you mean `contact:{k}`?"),
                None => "use a key of content/organisaties.yaml".into(),
            },
        );
        return (
            if bare { String::new() } else { "<a>".into() },
            String::new(),
        );
    };
    if !bare {
        if !variant.is_empty() {
            error(
                format!("`?{variant}` only works in an empty link: `[](contact:{spec})`"),
                format!("write `[](contact:{spec})`, or `[your words](contact:{key})`"),
            );
        }
        return (
            format!("<a href=\"{}\">", escape_attr(&c.href)),
            String::new(),
        );
    }
    match variant {
        "" => (c.full.clone(), c.text.clone()),
        "name" => (c.name.clone(), String::new()),
        "phone" => match &c.phone {
            Some(p) => (p.clone(), String::new()),
            None => {
                error(
                    format!("`{key}` has no phone number in content/organisaties.yaml"),
                    format!("write `[](contact:{key})` to show how to reach them"),
                );
                (c.full.clone(), c.text.clone())
            }
        },
        other => {
            error(
                format!("unknown form `?{other}` in the link `contact:{spec}`"),
                crate::diagnostics::suggestion(other, CONTACT_VARIANTS),
            );
            (c.full.clone(), c.text.clone())
        }
    }
}

/// Every organisation's inline forms, from the theme's `contact-inline.html`.
pub(super) fn inline_contacts(
    site: &Site,
    templates: &Templates,
) -> Result<HashMap<String, InlineContact>, Diagnostic> {
    let file = Path::new("content/organisaties.yaml");
    let mut out = HashMap::new();
    for (key, o) in &site.organisations {
        let phone = o.channels.iter().find(|c| c.kind == "phone");
        let Some(link) = o.channels.first() else {
            continue;
        };
        let website = ["website", "chat", "form"]
            .iter()
            .find_map(|k| o.channels.iter().find(|c| c.kind == *k))
            .unwrap_or(link);
        let form = |variant: &str| {
            let mut ctx = tera::Context::new();
            ctx.insert("o", o);
            ctx.insert("variant", variant);
            ctx.insert("phone", &phone);
            ctx.insert("website", website);
            templates
                .render("contact-inline.html", &ctx, file)
                .map(|s| s.trim().to_string())
        };
        let mut text = o.name.clone();
        for c in o.channels.iter().take(2) {
            text.push(' ');
            text.push_str(&c.display);
        }
        out.insert(
            key.clone(),
            InlineContact {
                full: form("")?,
                phone: phone.map(|_| form("phone")).transpose()?,
                name: form("name")?,
                href: link.href.clone(),
                text,
            },
        );
    }
    Ok(out)
}
