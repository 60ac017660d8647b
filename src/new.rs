//! `wegwijzer new`: start a page or an institution file with everything
//! filled in that can be, so that an editor only writes the content.
//!
//! Neither command ever overwrites a file. Text the editor must replace is
//! written as `[[…]]`; `check` warns while any is left.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::config::Config;
use crate::model::directory::Role;

/// Sections that a page can be added to: content folders with an
/// `_index.md`, as `melden` or `handboeken/redactie`.
pub fn sections(root: &Path) -> Vec<String> {
    let content = root.join("content");
    let mut out: Vec<String> = walkdir::WalkDir::new(&content)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !crate::load::is_ignored_name(&e.file_name().to_string_lossy()))
        .flatten()
        .filter(|e| e.file_type().is_dir() && e.path().join("_index.md").is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(&content)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    out.sort();
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "(none)".into();
    }
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A slug: lower-case letters, digits and single dashes inside.
fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok {
        Ok(())
    } else {
        let good = crate::model::directory::slugify(slug);
        Err(format!(
            "`{slug}` cannot be part of a web address: use lower-case letters, digits and dashes{}",
            if good.is_empty() {
                String::new()
            } else {
                format!(", e.g. `{good}`")
            }
        ))
    }
}

/// "roc-nieuwstad" → "ROC Nieuwstad": a placeholder name for a school.
fn name_from_slug(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "roc" | "aoc" | "mbo" => w.to_uppercase(),
            _ => title_from_slug(w),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "mijn-eerste-pagina" → "Mijn eerste pagina".
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn read_config(root: &Path) -> Result<Config, String> {
    let rel = Path::new("site.yaml");
    let abs = root.join(rel);
    if !abs.is_file() {
        return Err(format!(
            "there is no site.yaml in {}: run this in the site's folder, or give --root",
            root.display()
        ));
    }
    let text = crate::load::read_text(&abs, rel).map_err(|d| d.message)?;
    crate::load::yaml::from_str::<Config>(&text, rel).map_err(|d| {
        format!(
            "site.yaml: {} (run `wegwijzer check` for details)",
            d.message
        )
    })
}

/// Writes a new file, never replacing one (also not one made in between).
fn create(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists; `new` never overwrites a file",
                path.display()
            ),
            _ => format!("cannot create {}: {e}", path.display()),
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// What kind of page a section gets.
#[derive(Debug, Clone, PartialEq)]
struct PageKind {
    audience: Option<String>,
    theme: Option<String>,
    template: Option<String>,
    handbook: bool,
}

fn page_kind(root: &Path, config: &Config, section: &str) -> PageKind {
    let top = section.split('/').next().unwrap_or(section);
    if config.topic(top).is_some() {
        return PageKind {
            audience: Some("student".into()),
            theme: Some(top.into()),
            template: None,
            handbook: false,
        };
    }
    if top == "handboeken" {
        return PageKind {
            audience: Some("medewerker".into()),
            theme: None,
            template: Some("handbook.html".into()),
            handbook: true,
        };
    }
    // Any other section: take what its own front matter says.
    let themes: Vec<&str> = config.themes.iter().map(|t| t.key.as_str()).collect();
    let rel = PathBuf::from("content").join(section).join("_index.md");
    let meta = crate::load::read_text(&root.join(&rel), &rel)
        .ok()
        .and_then(|text| {
            let split = crate::load::frontmatter::split(&text, &rel).ok()?;
            crate::load::frontmatter::parse(&split, &rel, true, &themes).ok()
        })
        .unwrap_or_default();
    let staff_only = !meta.audience.is_empty() && !meta.audience.iter().any(|a| a == "student");
    PageKind {
        audience: match meta.audience.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(format!("[{}]", many.join(", "))),
        },
        theme: meta.theme,
        template: None,
        handbook: staff_only,
    }
}

/// The Markdown of a new page.
fn page_text(title: &str, kind: &PageKind, today: NaiveDate, directory: bool) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {title}");
    s.push_str(
        "# Eén of twee zinnen: waar gaat deze pagina over? Lijsten en de zoekfunctie tonen dit.\n",
    );
    s.push_str("description: \"\"\n");
    s.push_str("# De datum waarop je de pagina voor het laatst hebt nagekeken.\n");
    let _ = writeln!(s, "updated: {today}");
    if let Some(a) = &kind.audience {
        let _ = writeln!(s, "audience: {a}");
    }
    if let Some(t) = &kind.theme {
        let _ = writeln!(s, "theme: {t}");
    }
    if let Some(t) = &kind.template {
        let _ = writeln!(s, "template: {t}");
    }
    s.push_str("# Woorden die iemand in de zoekfunctie zou typen, ook straattaal.\n");
    s.push_str("keywords: []\n");
    s.push_str(
        "# Sleutels uit content/organisaties.yaml; hun contactkaarten komen op de pagina.\n",
    );
    s.push_str("organisations: []\n");
    s.push_str("---\n\n");
    if kind.handbook {
        s.push_str(HANDBOOK_BODY);
    } else {
        s.push_str(SITUATION_BODY);
        if directory {
            s.push_str("\nZoek ook de [contactpersonen van jouw school](/instellingen/).\n");
        }
        s.push_str(SITUATION_END);
    }
    s
}

const SITUATION_BODY: &str = "\
[[Zeg in één of twee zinnen wat er gebeurt, in de woorden van de student. Zeg dat het niet oké is, en dat het niet hun schuld is.]]

**Ben je in gevaar?** Bel 112. [[Laat deze regel weg als er geen direct gevaar kan zijn.]]

## Wat kun je doen?

1. **Praat erover.** [[Met wie kun je praten? Bijvoorbeeld je mentor of de vertrouwenspersoon.]]
2. **Zoek een oplossing op school.** [[Wat kan de school doen?]]
3. **Dien een klacht in.** [[Waar en hoe?]]
4. **Meld het buiten school.** [[Bij welke organisatie?]]

Jij kiest welke stappen je neemt.

## Hier kun je terecht

[[Zet de organisaties bovenaan bij organisations. Hun contactkaarten komen onder deze kop.]]
";

const SITUATION_END: &str = "
## Goed om te weten

- [[Wat gebeurt er na een melding?]]
- [[Kun je anoniem blijven?]]
- [[Wat kost het? Meestal niets.]]

## Bronnen

- [[Waar komen cijfers en regels vandaan? Zet er een link bij.]]
";

const HANDBOOK_BODY: &str = "\
[[Vat in twee of drie zinnen samen waar dit over gaat en voor wie het is.]]

## Wat moet je doen?

1. [[De eerste stap.]]
2. [[De tweede stap.]]
3. [[De derde stap.]]

## Wat moet je vastleggen?

- [[Wat schrijf je op, en waar?]]

## Wie moet je informeren?

- [[Wie, en binnen welke termijn?]]

## Documenten

- [[Welke formulieren of regelingen gebruik je? Zet ze in de map van deze pagina, of link ernaar.]]
";

/// `wegwijzer new page <section>/<slug>`: writes
/// `content/<section>/<slug>.md` and returns its path.
pub fn page(root: &Path, spec: &str, today: NaiveDate) -> Result<PathBuf, String> {
    let spec = spec.trim().trim_matches('/');
    let spec = spec.strip_prefix("content/").unwrap_or(spec);
    let spec = spec.strip_suffix(".md").unwrap_or(spec);
    let valid = sections(root);
    let Some((section, slug)) = spec.rsplit_once('/') else {
        return Err(format!(
            "write the page as <section>/<slug>, e.g. `melden/mijn-pagina`; sections: {}",
            list(&valid)
        ));
    };
    if !valid.iter().any(|s| s == section) {
        let hint = crate::diagnostics::did_you_mean(section, valid.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(format!(
            "there is no section `{section}` (no content/{section}/_index.md); {hint}sections: {}",
            list(&valid)
        ));
    }
    check_slug(slug)?;
    if slug == "index" || slug == "_index" {
        return Err(format!("`{slug}` is reserved; choose a name for the page"));
    }
    let config = read_config(root)?;
    let rel = PathBuf::from("content")
        .join(section)
        .join(format!("{slug}.md"));
    let bundle = root
        .join("content")
        .join(section)
        .join(slug)
        .join("index.md");
    if bundle.exists() {
        return Err(format!(
            "content/{section}/{slug}/index.md already exists with the same address; `new` never overwrites a page"
        ));
    }
    let kind = page_kind(root, &config, section);
    let directory = std::fs::read_dir(root.join("content").join("instellingen"))
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        })
        .unwrap_or(false);
    let text = page_text(&title_from_slug(slug), &kind, today, directory);
    create(&root.join(&rel), &text)?;
    Ok(rel)
}

/// BRIN codes already used under `content/instellingen/`.
fn used_brins(dir: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .flat_map(|t| {
            t.lines()
                .filter_map(|l| l.strip_prefix("brin:"))
                .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A placeholder BRIN code that no other file uses, so that two new files
/// do not clash before the editor fills in the real ones.
fn free_brin(used: &[String]) -> String {
    for a in 'A'..='Z' {
        for b in 'A'..='Z' {
            let code = format!("00{a}{b}");
            if !used.contains(&code) {
                return code;
            }
        }
    }
    "00AA".into()
}

/// The YAML of a new institution. Every value is valid, so the file loads
/// at once; the `.example` addresses make `check` warn until replaced.
fn institution_text(slug: &str, roles: &[Role], brin: &str, today: NaiveDate) -> String {
    let name = name_from_slug(slug);
    let domain = format!("{slug}.example");
    let mut s = String::new();
    let _ = write!(
        s,
        "\
# {name}: een instelling in de lijst \"Jouw school\".
# Gemaakt met `wegwijzer new instelling {slug}`. Vervang elke voorbeeldwaarde
# door de echte gegevens van de school, en haal weg wat niet van toepassing is.
# Adressen op `.example` zijn voorbeelden: `wegwijzer check` waarschuwt zolang
# ze er nog staan. Zet telefoonnummers tussen aanhalingstekens.

# De volledige naam, zoals de school zichzelf noemt.
name: {name}
# Een korte naam, als de school die gebruikt (mag weg).
short_name: {name}
# De BRIN-code van DUO: twee cijfers en twee hoofdletters, bijvoorbeeld 25LG.
brin: {brin}
# Het soort school: roc, aoc of vakinstelling.
kind: roc
# Het deel van het land: noord, oost, zuid of west.
region: west
# De website van de school. Alleen https-adressen.
website: https://www.{domain}/
# true alleen voor verzonnen voorbeeldscholen; de site meldt dan dat het demo-data is.
demo: false

# De locaties van de school. Elke locatie heeft een eigen `key` (kleine letters,
# cijfers en streepjes): contactpersonen kunnen daarnaar verwijzen.
locations:
  - key: hoofdlocatie
    name: Hoofdlocatie
    street: Voorbeeldstraat 1
    # Vier cijfers, een spatie en twee hoofdletters.
    postcode: 1234 AB
    city: Voorbeeldplaats

# De contactpersonen. Elke school heeft minstens een `vertrouwenspersoon` en een
# `meldpunt-stagediscriminatie`. Geef bij elk contact een `email`, `phone` of `form`.
contacts:
"
    );
    for (i, role) in roles.iter().enumerate() {
        let _ = writeln!(s, "  # {}: {}", role.title(), role.summary());
        let _ = writeln!(s, "  - role: {}", role.key());
        if i == 0 {
            for line in [
                "    # true als deze persoon niet bij de school werkt (een externe vertrouwenspersoon).",
                "    external: false",
                "    # De naam van de persoon of het team (mag weg).",
                "    name: Naam Achternaam",
            ] {
                let _ = writeln!(s, "{line}");
            }
            let _ = writeln!(s, "    email: {}@{domain}", role.key());
            for line in [
                "    # Een Nederlands nummer, tussen aanhalingstekens.",
                "    phone: \"020 012 34 56\"",
                "    # Een webformulier (https), als dat er is.",
                &format!("    form: https://www.{domain}/melden"),
                "    # Wanneer ze bereikbaar zijn, in gewone woorden.",
                "    hours: ma t/m vr 9.00 tot 17.00 uur",
                "    # De locaties (keys van hierboven) waar dit contact voor is. Weglaten = alle.",
                "    locations: [hoofdlocatie]",
                "    # De talen waarin je terecht kunt.",
                "    languages: [Nederlands, Engels]",
            ] {
                let _ = writeln!(s, "{line}");
            }
        } else {
            let _ = writeln!(s, "    email: {}@{domain}", role.key());
        }
    }
    let _ = write!(
        s,
        "
# Documenten van de school, zoals de klachtenregeling en het veiligheidsplan.
documents:
  - title: Klachtenregeling
    url: https://www.{domain}/klachtenregeling.pdf
  - title: Veiligheidsplan
    url: https://www.{domain}/veiligheidsplan.pdf

# De datum waarop je alle contactgegevens hierboven hebt nagekeken (JJJJ-MM-DD).
checked: {today}
"
    );
    s
}

/// `wegwijzer new instelling <slug>`: writes
/// `content/instellingen/<slug>.yaml` with a contact for each role in
/// `roles` (all roles when empty; the required ones always).
pub fn institution(
    root: &Path,
    slug: &str,
    roles: &[String],
    today: NaiveDate,
) -> Result<PathBuf, String> {
    let slug = slug.trim().trim_end_matches(".yaml");
    check_slug(slug)?;
    let mut chosen: Vec<Role> = Role::REQUIRED.to_vec();
    if roles.is_empty() {
        chosen = Role::ALL.to_vec();
    }
    for r in roles.iter().flat_map(|r| r.split(',')).map(str::trim) {
        match Role::from_key(r) {
            Some(role) => {
                if !chosen.contains(&role) {
                    chosen.push(role);
                }
            }
            None => {
                let keys: Vec<String> = Role::KEYS.iter().map(|k| k.to_string()).collect();
                let hint = crate::diagnostics::did_you_mean(r, Role::KEYS.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(format!(
                    "there is no role `{r}`; {hint}roles: {}",
                    list(&keys)
                ));
            }
        }
    }
    chosen.sort_by_key(|r| r.route_order());
    if !root.join("site.yaml").is_file() {
        return Err(format!(
            "there is no site.yaml in {}: run this in the site's folder, or give --root",
            root.display()
        ));
    }
    let dir = root.join("content").join("instellingen");
    let rel = PathBuf::from("content")
        .join("instellingen")
        .join(format!("{slug}.yaml"));
    let brin = free_brin(&used_brins(&dir));
    create(
        &root.join(&rel),
        &institution_text(slug, &chosen, &brin, today),
    )?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_slugs() {
        assert_eq!(title_from_slug("mijn-eerste-pagina"), "Mijn eerste pagina");
        assert_eq!(name_from_slug("roc-nieuw-west"), "ROC Nieuw West");
        assert!(check_slug("mijn-pagina-2").is_ok());
        let e = check_slug("Mijn Pagina").unwrap_err();
        assert!(e.contains("`mijn-pagina`"), "{e}");
        assert!(check_slug("a--b").is_err());
    }

    #[test]
    fn free_brin_skips_used_codes() {
        assert_eq!(free_brin(&[]), "00AA");
        assert_eq!(free_brin(&["00AA".into(), "00AB".into()]), "00AC");
    }

    #[test]
    fn new_institution_loads_without_errors() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let text = institution_text("roc-nieuw", &Role::ALL, "00AA", today);
        let (dir, diags) = crate::load::directory::load(
            &[(PathBuf::from("content/instellingen/roc-nieuw.yaml"), text)],
            today,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let inst = &dir.institutions[0];
        assert_eq!(inst.contacts.len(), Role::ALL.len());
        assert_eq!(inst.checked, Some(today));
        assert!(!inst.demo);
    }
}
