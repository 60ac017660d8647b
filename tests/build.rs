//! Builds the basic fixture site and checks what a reader would see.

mod support;
use support::Site;

#[test]
fn pages_get_pretty_urls_and_the_summary_line() {
    let site = Site::fixture("basic");
    let run = site.build_ok();
    assert!(
        run.stdout
            .starts_with("Built 3 pages, 3 sections, 1 files copied in "),
        "{}",
        run.stdout
    );
    assert!(site
        .read("melden/vertrouwenspersoon/index.html")
        .contains("<h1>De vertrouwenspersoon</h1>"));
    assert!(site.read("index.html").contains("<h1>Welkom</h1>"));
    assert!(site
        .read("melden/index.html")
        .contains("<a href=\"/melden/vertrouwenspersoon/\">De vertrouwenspersoon</a>"));
}

#[test]
fn headings_get_unique_dutch_ids_and_a_toc() {
    let site = Site::fixture("basic");
    site.build_ok();
    let html = site.read("melden/vertrouwenspersoon/index.html");
    assert!(
        html.contains("<h2 id=\"wat-doet-een-vertrouwenspersoon\">"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"wat-doet-een-vertrouwenspersoon-1\">"),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"de-coordinator\">"), "{html}");
    assert!(
        html.contains("<a href=\"#de-coordinator\">De coördinator</a>"),
        "toc nests h3 under h2: {html}"
    );
}

#[test]
fn links_are_rewritten_and_external_ones_marked() {
    let site = Site::fixture("basic");
    site.build_ok();
    let html = site.read("melden/vertrouwenspersoon/index.html");
    assert!(
        html.contains("href=\"/melden/klacht/#wat-kun-je-doen\""),
        "{html}"
    );
    assert!(html.contains("href=\"/handboeken/protocol/\""), "{html}");
    assert!(
        html.contains("<a href=\"https://www.politie.nl/\" class=\"external\">"),
        "{html}"
    );
    assert!(site
        .read("index.html")
        .contains("href=\"/melden/vertrouwenspersoon/\""));
}

#[test]
fn code_is_highlighted_with_classes_and_a_generated_stylesheet() {
    let site = Site::fixture("basic");
    site.build_ok();
    let html = site.read("melden/vertrouwenspersoon/index.html");
    assert!(
        html.contains(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"yaml\"><code><span class=\"hl-"
        ),
        "{html}"
    );
    assert!(!html.contains("style="));
    let css = html
        .split("href=\"/css/syntax.")
        .nth(1)
        .expect("syntax stylesheet linked");
    let name = format!("css/syntax.{}", css.split('"').next().unwrap());
    assert!(site.read(&name).contains(".hl-"));
}

#[test]
fn tables_and_organisation_cards() {
    let site = Site::fixture("basic");
    site.build_ok();
    let html = site.read("melden/vertrouwenspersoon/index.html");
    assert!(html.contains("<table>"));
    assert!(
        html.contains("<a href=\"tel:09008844\">0900 8844</a>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"updated\">1 november 2026</p>"),
        "{html}"
    );
}

#[test]
fn bundles_copy_their_files_next_to_the_page() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert!(site
        .read("handboeken/protocol/formulier.pdf")
        .starts_with("%PDF"));
    let html = site.read("handboeken/protocol/index.html");
    assert!(html.contains("<a class=\"asset\" href=\"/handboeken/protocol/formulier.pdf\">formulier.pdf (14 B)</a>"), "{html}");
    assert!(
        html.contains("href=\"/handboeken/protocol/formulier.pdf\">het formulier</a>"),
        "{html}"
    );
}

#[test]
fn aliases_sitemap_robots_404_and_headers() {
    let site = Site::fixture("basic");
    site.build_ok();
    let alias = site.read("oud/vp/index.html");
    assert!(alias.contains("url=/melden/vertrouwenspersoon/"), "{alias}");
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://test.example/melden/vertrouwenspersoon/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<lastmod>2026-11-01</lastmod>"));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://test.example/sitemap.xml"));
    assert!(site.read("404.html").contains("Niet gevonden"));
    assert!(site
        .read("_headers")
        .contains("Content-Security-Policy: default-src 'self'"));
    assert!(site
        .read("zoeken/index.html")
        .contains("<a href=\"/melden/klacht/\">Een klacht indienen</a>"));
}

#[test]
fn assets_are_fingerprinted() {
    let site = Site::fixture("basic");
    site.build_ok();
    let html = site.read("index.html");
    let href = html
        .split("<link rel=\"stylesheet\" href=\"/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        href.starts_with("css/site.")
            && href.ends_with(".css")
            && href.len() == "css/site.12345678.css".len(),
        "{href}"
    );
    assert!(site.read(href).contains("system-ui"));
    assert!(!site.exists("css/site.css"));
}

#[test]
fn drafts_only_with_the_flag() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert!(!site.exists("melden/concept/index.html"));
    let r = site.run(&["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.exists("melden/concept/index.html"));
}

#[test]
fn base_url_with_a_path_prefixes_links() {
    let site = Site::fixture("basic");
    let r = site.run(&["build", "--base-url", "https://example.org/mbo/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = site.read("melden/vertrouwenspersoon/index.html");
    assert!(
        html.contains("href=\"/mbo/melden/klacht/#wat-kun-je-doen\""),
        "{html}"
    );
    assert!(html.contains("href=\"/mbo/css/site."), "{html}");
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://example.org/mbo/melden/</loc>"));
}

#[test]
fn output_is_deterministic() {
    let site = Site::fixture("basic");
    site.build_ok();
    let first = site.snapshot();
    site.build_ok();
    assert_eq!(first, site.snapshot());
    // Another folder, same bytes.
    let other = Site::fixture("basic");
    other.build_ok();
    assert_eq!(first, other.snapshot());
}

#[test]
fn crlf_bom_and_empty_body_are_fine() {
    let site = Site::fixture("basic");
    site.write(
        "content/melden/crlf.md",
        "\u{feff}---\r\ntitle: Windows\r\n---\r\n## Kop één\r\n\r\nTekst.\r\n",
    );
    site.write("content/melden/leeg.md", "---\ntitle: Leeg\n---\n");
    site.build_ok();
    assert!(site
        .read("melden/crlf/index.html")
        .contains("<h2 id=\"kop-een\">Kop één</h2>"));
    assert!(site
        .read("melden/leeg/index.html")
        .contains("<h1>Leeg</h1>"));
}

#[test]
fn raw_html_is_sanitised() {
    let site = Site::fixture("basic");
    site.write(
        "content/melden/html.md",
        "---\ntitle: HTML\n---\n<script>alert(1)</script>\n\n<p onclick=\"x()\">tekst</p>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n[klik](/melden/)\n",
    );
    site.build_ok();
    let html = site.read("melden/html/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
    assert!(!html.contains("<iframe"), "{html}");
    assert!(html.contains("tekst"));
}

#[test]
fn help_describes_the_commands() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["build", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in ["--root", "--output", "--base-url", "--drafts", "--quiet"] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }
}

#[test]
fn the_bundled_site_builds_byte_identically_after_touching_every_file_and_elsewhere() {
    let site = Site::bundled();
    site.build_ok();
    let first = site.snapshot();
    assert!(first.len() > 100);
    // Every source written again with the same bytes: new modification
    // times, same output.
    for entry in walkdir::WalkDir::new(site.root())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !e.path().starts_with(site.out()))
    {
        let bytes = std::fs::read(entry.path()).unwrap();
        std::fs::write(entry.path(), bytes).unwrap();
    }
    site.build_ok();
    assert!(first == site.snapshot(), "output changed after touching");
    let other = Site::bundled();
    other.build_ok();
    assert!(
        first == other.snapshot(),
        "output differs in another folder"
    );
}

#[test]
fn above_a_hundred_schools_the_chooser_gets_a_page_per_theme() {
    let site = Site::bundled();
    site.build_ok();
    let page = "melden/aangifte-doen/index.html";
    assert!(site.read(page).contains("id=\"school-list\""));
    assert!(!site.exists("instellingen/kies"));

    // The bundled site has 13 schools: 88 more make 101.
    for n in 0..88 {
        site.write(
            &format!("content/instellingen/extra-school-{n}.yaml"),
            support::school_yaml(n),
        );
    }
    site.build_ok();
    let html = site.read(page);
    assert!(
        !html.contains("id=\"school-list\""),
        "the list is still inline"
    );
    assert!(
        html.contains("<a href=\"/instellingen/kies/melden/\">Kies je school</a>"),
        "no link to the chooser page"
    );
    let chooser = site.read("instellingen/kies/melden/index.html");
    assert!(chooser.contains("<h1>Jouw school: Melden</h1>"));
    for school in ["extra-school-87", "roc-oefenburg"] {
        let link = format!("href=\"/instellingen/{school}/melden/\"");
        assert!(chooser.contains(&link), "{link} missing");
    }
    assert!(site
        .read("sitemap.xml")
        .contains("/instellingen/kies/inclusie/</loc>"));

    // The chooser pages' folder is no name for a school.
    site.write("content/instellingen/kies.yaml", support::school_yaml(88));
    let before = site.snapshot();
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_stderr("the file name `kies` is taken by the school chooser pages");
    assert!(
        before == site.snapshot(),
        "a failed build changed the output"
    );
}
