//! The bundled site in content/: its size, its facts, and the directory
//! pages as a reader sees them.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use wegwijzer::render::MemorySink;
use wegwijzer::BuildOptions;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the bundled site into memory, with "today" fixed so that the
/// test does not expire.
fn build_in_memory(
    root: &Path,
) -> (
    wegwijzer::model::Site,
    BTreeMap<String, Vec<u8>>,
    wegwijzer::BuildReport,
) {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 4),
        ..Default::default()
    };
    let sink = MemorySink::default();
    let wegwijzer::Run { site, report, .. } = wegwijzer::run(&opts, &sink);
    let files = sink.0.into_inner().unwrap();
    (site, files, report)
}

fn html<'a>(files: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    std::str::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} was not built")),
    )
    .unwrap()
}

#[test]
fn builds_without_errors_or_warnings_and_has_enough_pages() {
    let (site, _, report) = build_in_memory(root());
    let diags: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect();
    assert!(diags.is_empty(), "{diags:#?}");
    let pages = site.pages.iter().filter(|p| !p.is_section).count();
    assert!(
        pages + site.pages.iter().filter(|p| p.is_section).count() >= 45,
        "{pages} pages"
    );
    for section in [
        "melden",
        "inclusie",
        "seksuele-grenzen",
        "criminaliteit",
        "handboeken",
    ] {
        let n = site
            .pages
            .iter()
            .filter(|p| !p.is_section && p.content_path.starts_with(&format!("{section}/")))
            .count();
        assert!(n >= 7, "{section} has {n} pages");
    }
}

#[test]
fn every_situation_page_names_organisations_and_every_organisation_has_a_source() {
    let (site, _, _) = build_in_memory(root());
    let situation_pages: Vec<_> = site
        .pages
        .iter()
        .filter(|p| {
            !p.is_section
                && p.meta.theme.is_some()
                && p.meta.audience.iter().any(|a| a == "student")
        })
        .collect();
    assert!(situation_pages.len() >= 30, "{}", situation_pages.len());
    for p in situation_pages {
        assert!(
            !p.meta.organisations.is_empty(),
            "{} lists no organisation",
            p.file.display()
        );
        assert!(
            p.meta.updated.is_some() && p.meta.description.is_some() && !p.meta.keywords.is_empty(),
            "{}",
            p.file.display()
        );
    }
    assert!(site.organisations.len() >= 10);
    for (key, org) in &site.organisations {
        assert!(org.source.starts_with("https://"), "{key}: {}", org.source);
        assert!(org.checked <= site.today, "{key}: checked in the future");
        assert!(!org.channels.is_empty(), "{key}");
    }
    let kindertelefoon = &site.organisations["kindertelefoon"];
    assert_eq!(
        (kindertelefoon.age_min, kindertelefoon.age_max),
        (Some(8), Some(18))
    );
}

#[test]
fn directory_pages_answer_who_to_contact_at_my_school() {
    let (site, files, _) = build_in_memory(root());
    assert!(site.directory.institutions.len() >= 12);
    let index = html(&files, "instellingen/index.html");
    assert!(
        index.contains("voorbeeldgegevens"),
        "the demo notice is missing"
    );
    for inst in &site.directory.institutions {
        assert!(
            index.contains(&format!("href=\"/instellingen/{}/\"", inst.slug)),
            "{} missing from the index",
            inst.slug
        );
    }
    let page = html(&files, "instellingen/roc-voorbeeldstad/index.html");
    for heading in [
        "<h2>Praten</h2>",
        "<h2>Melden</h2>",
        "<h2>Klacht indienen</h2>",
    ] {
        assert!(page.contains(heading), "{heading}");
    }
    assert!(page.contains("<a href=\"tel:+31100123456\">010 012 34 56</a>"));
    assert!(page.contains("href=\"/instellingen/roc-voorbeeldstad/vertrouwenspersoon.vcf\""));
    let vcard = html(
        &files,
        "instellingen/roc-voorbeeldstad/vertrouwenspersoon.vcf",
    );
    assert!(
        vcard.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n")
            && vcard.contains("TEL;TYPE=WORK,VOICE:+31100123456\r\n"),
        "{vcard}"
    );

    // The route for one theme: the school's own contacts first, then the national ones.
    let route = html(
        &files,
        "instellingen/roc-voorbeeldstad/seksuele-grenzen/index.html",
    );
    let school = route.find("Op je school").expect("school contacts");
    let national = route.find("Buiten school").expect("national organisations");
    assert!(school < national);
    assert!(route[national..].contains("Centrum Seksueel Geweld"));
    // A theme page leads there.
    let theme_page = html(&files, "seksuele-grenzen/naaktfoto-gedeeld/index.html");
    assert!(theme_page.contains("href=\"/instellingen/roc-voorbeeldstad/seksuele-grenzen/\""));

    let json: serde_json::Value = serde_json::from_slice(&files["instellingen.json"]).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(
        json["institutions"].as_array().unwrap().len(),
        site.directory.institutions.len()
    );
}

#[test]
fn script_in_directory_data_is_shown_as_text_everywhere() {
    let site = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        support::copy_dir(&root().join(part), &site.path().join(part));
    }
    std::fs::copy(root().join("site.yaml"), site.path().join("site.yaml")).unwrap();
    let file = site
        .path()
        .join("content/instellingen/roc-voorbeeldstad.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let text = text
        .replace("name: ROC Voorbeeldstad", &format!("name: \"ROC {evil}\""))
        .replace("name: Sam Voorbeeld", &format!("name: \"Sam {evil}\""))
        .replace(
            "hours: ma t/m vr 9.00 tot 17.00 uur",
            &format!("hours: \"{evil}\""),
        );
    std::fs::write(&file, text).unwrap();
    let (_, files, report) = build_in_memory(site.path());
    assert!(!report.diagnostics.has_errors(), "{:?}", report.diagnostics);
    let mut seen = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let page = String::from_utf8_lossy(bytes);
        assert!(
            !page.contains("<script>alert"),
            "{path} lets a script through"
        );
        assert!(
            !page.contains("<img src=x"),
            "{path} lets a tag with a handler through"
        );
        if page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        {
            seen += 1;
        }
    }
    assert!(
        seen >= 5,
        "the escaped name should show on the index, the school's pages and its routes ({seen})"
    );
}
