//! Tera setup: the theme's templates, the built-in ones, and the functions
//! templates call. Tera 1.20 is used: it is the stable, documented line; its
//! errors name the template and position, which is what editors need.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Tera, Value};

use crate::diagnostics::{suggestion, Diagnostic};
use crate::model::theme::Theme;

/// Templates every site has; a theme may override them.
const BUILTIN: &[(&str, &str)] = &[
    ("alias.html", include_str!("builtin/alias.html")),
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    ("robots.txt", include_str!("builtin/robots.txt")),
    (
        "contact-inline.html",
        include_str!("builtin/contact-inline.html"),
    ),
];

/// Templates the pipeline renders itself; a theme must have them.
pub const REQUIRED: &[&str] = &["index.html", "section.html", "page.html", "404.html"];

pub struct Templates {
    pub tera: Tera,
    pub dir: PathBuf,
    /// Every template's source, to see which context variables are used.
    sources: BTreeMap<String, String>,
    /// The names the theme has itself (the rest are built in).
    own: BTreeSet<String>,
}

/// The template names in a source's `extends`, `include` and `import` tags.
fn references(src: &str) -> impl Iterator<Item = &str> {
    src.split("{%").skip(1).filter_map(|tag| {
        let tag = tag.trim_start_matches('-').trim_start();
        let rest = ["extends", "include", "import"]
            .iter()
            .find_map(|k| tag.strip_prefix(k))?;
        let rest = rest.trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        rest[1..].split(quote).next()
    })
}

/// The message of a Tera error with all its causes.
pub fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push('\n');
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Finds ` --> L:C` in a Tera parse error.
fn parse_position(msg: &str) -> Option<(usize, usize)> {
    let i = msg.find("--> ")?;
    let rest = &msg[i + 4..];
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != ':')?;
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

impl Templates {
    /// No templates at all.
    pub fn empty() -> Templates {
        Templates {
            tera: Tera::default(),
            dir: PathBuf::new(),
            sources: BTreeMap::new(),
            own: BTreeSet::new(),
        }
    }

    /// The theme's templates, with the built-in ones it does not have.
    /// Each template with a syntax error is reported on its own, with its
    /// line and column.
    pub fn new(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let rel_dir = theme.templates_dir();
        let mut sources: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        sources.extend(theme.templates.clone());
        let mut errors = Vec::new();
        for name in REQUIRED {
            if !sources.contains_key(*name) {
                errors.push(
                    Diagnostic::error(
                        "template-missing",
                        rel_dir.join(name),
                        format!("the theme has no template `{name}`"),
                    )
                    .hint(format!("create {}", rel_dir.join(name).display())),
                );
            }
        }
        let mut tera = Tera::default();
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            // Parse each template alone (the others empty) to report each one.
            for (name, text) in &sources {
                let mut alone = Tera::default();
                let others = sources
                    .keys()
                    .filter(|n| *n != name)
                    .map(|n| (n.as_str(), ""));
                if let Err(e) =
                    alone.add_raw_templates(others.chain([(name.as_str(), text.as_str())]))
                {
                    let msg = error_chain(&e);
                    let mut d = Diagnostic::error(
                        "template-syntax",
                        rel_dir.join(name),
                        first_useful_line(&msg),
                    )
                    .hint("fix the Tera syntax at this position");
                    if let Some((l, c)) = parse_position(&msg) {
                        d = d.at(l, c);
                    }
                    errors.push(d);
                }
            }
            if errors.is_empty() {
                let msg = error_chain(&e);
                let missing_parent = msg.contains("inherit") || msg.contains("parent");
                errors.push(
                    Diagnostic::error("template", rel_dir.clone(), msg.replace('\n', " ")).hint(
                        if missing_parent {
                            "a template extends a template that does not exist"
                        } else {
                            "check the templates"
                        },
                    ),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which makes every URL unreadable.
        tera.set_escape_fn(escape_html);
        Ok(Templates {
            tera,
            dir: rel_dir,
            sources,
            own: theme.templates.keys().cloned().collect(),
        })
    }

    /// Whether any template mentions the variable `name` (as `name.`,
    /// `name[` or `name|`), so costly context can be left out.
    pub fn uses(&self, name: &str) -> bool {
        self.sources.values().any(|src| {
            src.match_indices(name).any(|(i, _)| {
                let before = src[..i].chars().next_back();
                let after = src[i + name.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
                    && after.is_some_and(|c| matches!(c, '.' | '[' | '|'))
            })
        })
    }

    /// The templates whose source differs from `old`'s, or that only one
    /// of the two has.
    pub fn changed_since(&self, old: &Templates) -> BTreeSet<String> {
        let mut changed: BTreeSet<String> = self
            .sources
            .iter()
            .filter(|(name, src)| old.sources.get(*name) != Some(*src))
            .map(|(name, _)| name.clone())
            .collect();
        changed.extend(
            old.sources
                .keys()
                .filter(|name| !self.sources.contains_key(*name))
                .cloned(),
        );
        changed
    }

    /// `changed` and every template that extends, includes or imports one
    /// of them, directly or through others.
    pub fn affected(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let mut affected = changed.clone();
        loop {
            let more: Vec<String> = self
                .sources
                .iter()
                .filter(|(name, _)| !affected.contains(*name))
                .filter(|(_, src)| references(src).any(|r| affected.contains(r)))
                .map(|(name, _)| name.clone())
                .collect();
            if more.is_empty() {
                return affected;
            }
            affected.extend(more);
        }
    }

    /// The templates that mention the variable `name` at all.
    pub fn mentioning(&self, name: &str) -> BTreeSet<String> {
        self.sources
            .iter()
            .filter(|(_, src)| src.contains(name))
            .map(|(n, _)| n.clone())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .tera
            .get_template_names()
            .filter(|n| n.ends_with(".html"))
            .collect();
        v.sort_unstable();
        v
    }

    /// An error for a page that names a template the theme lacks.
    pub fn unknown(&self, name: &str, file: &Path, line: usize) -> Diagnostic {
        Diagnostic::error(
            "template-missing",
            file,
            format!(
                "the template `{name}` does not exist in {}",
                self.dir.display()
            ),
        )
        .at_line(line)
        .hint(suggestion(name, &self.names()))
    }

    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        what: &Path,
    ) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| {
            let msg = error_chain(&e);
            let file = if !self.own.contains(name) {
                PathBuf::from(format!("(built-in template {name})"))
            } else {
                self.dir.join(name)
            };
            Diagnostic::error(
                "template-render",
                file,
                format!("rendering {}: {}", what.display(), msg.replace('\n', ": ")),
            )
            .hint("check the variables the template uses against the context in README.md")
        })
    }

    /// `asset(path="css/site.css")`: the fingerprinted URL of a theme file.
    pub fn register_asset_function(&mut self, assets: Arc<BTreeMap<String, String>>) {
        self.tera.register_function(
            "asset",
            move |args: &std::collections::HashMap<String, Value>| {
                let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
                    tera::Error::msg(
                        "asset() needs a `path` argument, e.g. asset(path=\"css/site.css\")",
                    )
                })?;
                assets
                    .get(path.trim_start_matches('/'))
                    .map(|u| Value::String(u.clone()))
                    .ok_or_else(|| {
                        let known: Vec<&str> = assets.keys().map(String::as_str).collect();
                        tera::Error::msg(format!(
                            "asset(): the theme has no file `{path}`; {}",
                            suggestion(path, &known)
                        ))
                    })
            },
        );
    }

    /// `institutions()`: the directory, A–Z.
    pub fn register_institutions_function(&mut self, list: Arc<Value>) {
        self.tera.register_function(
            "institutions",
            move |_: &std::collections::HashMap<String, Value>| Ok((*list).clone()),
        );
    }
}

/// Escapes text for HTML content and quoted attributes. Runs of safe
/// bytes are copied whole: templates escape large strings.
pub fn escape_html(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 16);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

fn first_useful_line(msg: &str) -> String {
    let mut lines = msg.lines().map(str::trim).filter(|l| !l.is_empty());
    let head = lines.next().unwrap_or("template error").to_string();
    let expected = msg
        .lines()
        .find(|l| l.trim_start().starts_with("= "))
        .map(|l| l.trim_start().trim_start_matches("= ").to_string());
    match expected {
        Some(e) => format!("{head}: {e}"),
        None => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_in_every_tag_form() {
        let src = r#"{% extends "base.html" %}{%- import 'macros.html' as m -%}
{% include "kaart.html" ignore missing %}{% if x %}{% endif %}"#;
        assert_eq!(
            references(src).collect::<Vec<_>>(),
            ["base.html", "macros.html", "kaart.html"]
        );
    }

    #[test]
    fn an_edit_affects_the_templates_that_build_on_it() {
        let t = |sources: &[(&str, &str)]| Templates {
            tera: Tera::default(),
            dir: PathBuf::new(),
            sources: sources
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            own: BTreeSet::new(),
        };
        let old = t(&[
            ("base.html", "{% import \"m.html\" as m %}"),
            ("m.html", "a"),
            ("page.html", "{% extends \"base.html\" %}"),
            ("sitemap.xml", "x"),
        ]);
        let new = t(&[
            ("base.html", "{% import \"m.html\" as m %}"),
            ("m.html", "b"),
            ("page.html", "{% extends \"base.html\" %}"),
            ("sitemap.xml", "x"),
        ]);
        let changed = new.changed_since(&old);
        assert_eq!(changed, BTreeSet::from(["m.html".to_string()]));
        assert_eq!(
            new.affected(&changed),
            BTreeSet::from(["base.html", "m.html", "page.html"].map(String::from))
        );
    }

    fn theme(templates: &[(&str, &str)]) -> Theme {
        Theme {
            dir: PathBuf::from("themes/t"),
            templates: templates
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            files: Vec::new(),
        }
    }

    #[test]
    fn syntax_errors_are_located_per_template() {
        let mut sources: Vec<(&str, &str)> = REQUIRED.iter().map(|n| (*n, "ok")).collect();
        sources.retain(|(n, _)| *n != "page.html" && *n != "section.html");
        sources.push(("page.html", "line one\n{% if %}\n"));
        sources.push(("section.html", "{{ a }\n"));
        let errs = Templates::new(&theme(&sources)).err().unwrap();
        assert_eq!(errs.len(), 2, "{errs:?}");
        let page = errs.iter().find(|e| e.file.ends_with("page.html")).unwrap();
        assert_eq!(page.line, Some(2));
        assert_eq!(page.file, PathBuf::from("themes/t/templates/page.html"));
    }

    #[test]
    fn missing_required_template() {
        let errs = Templates::new(&theme(&[])).err().unwrap();
        assert_eq!(errs.len(), REQUIRED.len());
        assert!(errs[0].message.contains("has no template"));
    }
}
