//! What the directory hands to the rest of the build: page contexts, the
//! open-data JSON and the vCards, and that data with HTML in it stays text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{json, Value};
use wegwijzer::load::directory;
use wegwijzer::model::config::Topic;
use wegwijzer::model::directory::Directory;

const FULL: &str = "\
name: ROC Voorbeeld, Zuid; \"Test\"
short_name: ROC VZ
brin: 99XA
kind: roc
region: zuid
website: https://www.roc-vz.example/
demo: true
locations:
  - key: centrum
    name: Locatie Centrum
    street: Proefstraat 1
    postcode: 5611 XA
    city: Proefstad
  - key: haven
    name: Locatie Haven
    street: Kade 2
    postcode: 5612 XB
    city: Proefstad
contacts:
  - role: klachtencommissie
    email: klachten@roc-vz.example
  - role: vertrouwenspersoon
    name: Sam Voorbeeld
    email: s.voorbeeld@roc-vz.example
    phone: 040 012 34 56
    hours: |
      ma t/m vr 9.00-17.00
      za op afspraak
    locations: [haven]
    languages: [Nederlands, Engels]
  - role: vertrouwenspersoon
    external: true
    name: Bureau Vertrouwen Fictief
    email: info@bureau.example
  - role: meldpunt-stagediscriminatie
    form: https://www.roc-vz.example/melden
  - role: veiligheidscoordinator
    email: veiligheid@roc-vz.example
  - role: studentbegeleider
    email: begeleiding@roc-vz.example
  - role: vertrouwenspersoon-medewerkers
    email: vp-personeel@roc-vz.example
documents:
  - title: Klachtenregeling
    url: https://www.roc-vz.example/klachten.pdf
checked: 2026-10-01
";

const XSS: &str = "<script>alert(1)</script>";

/// Every text field holds HTML or script.
fn hostile() -> String {
    format!(
        "\
name: \"{XSS}\"
short_name: \"\\\"><img src=x onerror=alert(1)>\"
brin: 99XB
kind: vakinstelling
region: noord
website: https://www.hostile.example/?q=%3Cscript%3E
locations:
  - key: a
    name: \"<b>Locatie</b>\"
    street: \"<i>Straat</i> 1\"
    postcode: 9711 XA
    city: \"</script><script>alert(2)</script>\"
contacts:
  - role: vertrouwenspersoon
    name: \"{XSS}\"
    email: vp@hostile.example
    hours: \"<a href='javascript:alert(3)'>klik</a>\"
    languages: [\"<u>Nederlands</u>\"]
  - role: meldpunt-stagediscriminatie
    name: \"javascript:alert(4)\"
    phone: 050 012 34 56
documents:
  - title: \"<a href=javascript:alert(5)>Regeling</a>\"
    url: https://www.hostile.example/regeling
checked: 2026-10-01
"
    )
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date")
}

fn load(files: &[(&str, String)]) -> Directory {
    let files: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(slug, text)| {
            (
                PathBuf::from(format!("content/instellingen/{slug}.yaml")),
                text.clone(),
            )
        })
        .collect();
    let (dir, diags) = directory::load(&files, today());
    assert!(diags.is_empty(), "{diags:#?}");
    dir
}

fn full() -> Directory {
    load(&[("roc-vz", FULL.to_string())])
}

fn themes() -> Vec<Topic> {
    ["melden", "inclusie", "seksuele-grenzen", "criminaliteit"]
        .iter()
        .map(|k| Topic {
            key: k.to_string(),
            title: format!("Thema {k}"),
            description: format!("Over {k}."),
        })
        .collect()
}

fn roles(contacts: &Value) -> Vec<String> {
    contacts
        .as_array()
        .expect("a list of contacts")
        .iter()
        .map(|c| c["role"].as_str().expect("a role").to_string())
        .collect()
}

#[test]
fn summaries_for_the_chooser() {
    let dir = full();
    assert_eq!(
        dir.summaries("/sub/"),
        json!([{
            "slug": "roc-vz",
            "name": "ROC Voorbeeld, Zuid; \"Test\"",
            "short_name": "ROC VZ",
            "city": "Proefstad",
            "region": "zuid",
            "region_title": "Zuid-Nederland",
            "kind": "roc",
            "url": "/sub/instellingen/roc-vz/",
        }])
    );
}

#[test]
fn the_index_page() {
    let dir = load(&[
        ("roc-vz", FULL.to_string()),
        (
            "b",
            FULL.replace("99XA", "99XC")
                .replace("name: ROC Voorbeeld", "name: Aap")
                .replace("zuid", "noord"),
        ),
    ]);
    let pages = dir.pages("/", &themes(), &BTreeMap::new());
    let index = &pages[0];
    assert_eq!(index.url, "/instellingen/");
    assert_eq!(index.template, "instellingen.html");
    let names: Vec<&str> = index.context["institutions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert!(
        names[0].starts_with("Aap") && names[1].starts_with("ROC"),
        "{names:?}"
    );
    let regions = &index.context["regions"];
    assert_eq!(regions[0]["key"], "noord");
    assert_eq!(regions[0]["title"], "Noord-Nederland");
    assert_eq!(regions[0]["institutions"][0]["slug"], "b");
    assert_eq!(regions[1]["key"], "zuid");
    assert_eq!(
        regions.as_array().map(Vec::len),
        Some(2),
        "empty regions are left out"
    );
    assert_eq!(index.context["demo"], true);

    let real = load(&[("roc-vz", FULL.replace("demo: true", "demo: false"))]);
    let pages = real.pages("/", &themes(), &BTreeMap::new());
    assert_eq!(pages[0].context["demo"], false);
}

#[test]
fn the_institution_page() {
    let dir = full();
    let pages = dir.pages("/sub/", &themes(), &BTreeMap::new());
    assert_eq!(pages.len(), 1 + 1 + 4);
    let page = &pages[1];
    assert_eq!(page.url, "/sub/instellingen/roc-vz/");
    assert_eq!(page.template, "instelling.html");
    assert_eq!(page.title, "ROC Voorbeeld, Zuid; \"Test\"");
    assert!(page.keywords.contains(&"Proefstad".to_string()));
    let inst = &page.context["institution"];
    assert_eq!(inst["brin"], "99XA");
    assert_eq!(inst["website"], "https://www.roc-vz.example/");
    assert_eq!(inst["locations"][1]["postcode"], "5612 XB");
    assert_eq!(inst["documents"][0]["title"], "Klachtenregeling");
    assert_eq!(page.context["checked"], "2026-10-01");
    assert_eq!(page.context["checked_display"], "1 oktober 2026");
    assert_eq!(page.context["demo"], true);

    let groups = page.context["groups"].as_array().expect("groups");
    let keys: Vec<&str> = groups.iter().filter_map(|g| g["key"].as_str()).collect();
    assert_eq!(keys, ["praten", "melden", "klacht", "medewerkers"]);
    let titles: Vec<&str> = groups.iter().filter_map(|g| g["title"].as_str()).collect();
    assert_eq!(
        titles,
        ["Praten", "Melden", "Klacht indienen", "Voor medewerkers"]
    );
    assert_eq!(
        roles(&groups[0]["contacts"]),
        [
            "vertrouwenspersoon",
            "vertrouwenspersoon",
            "studentbegeleider"
        ]
    );
    assert_eq!(
        roles(&groups[1]["contacts"]),
        ["meldpunt-stagediscriminatie", "veiligheidscoordinator"]
    );
    assert_eq!(roles(&groups[2]["contacts"]), ["klachtencommissie"]);

    let vp = &groups[0]["contacts"][0];
    assert_eq!(vp["role_title"], "Vertrouwenspersoon");
    assert_eq!(vp["name"], "Sam Voorbeeld");
    assert_eq!(vp["email_href"], "mailto:s.voorbeeld@roc-vz.example");
    assert_eq!(vp["phone"]["display"], "040 012 34 56");
    assert_eq!(vp["phone"]["href"], "tel:+31400123456");
    assert_eq!(vp["hours"], "ma t/m vr 9.00-17.00\nza op afspraak");
    assert_eq!(vp["locations"], json!(["Locatie Haven"]));
    assert_eq!(vp["languages"], json!(["Nederlands", "Engels"]));
    assert_eq!(vp["external"], false);
    assert_eq!(
        vp["vcard_url"],
        "/sub/instellingen/roc-vz/vertrouwenspersoon.vcf"
    );
    let external = &groups[0]["contacts"][1];
    assert_eq!(external["external"], true);
    assert_eq!(
        external["vcard_url"],
        "/sub/instellingen/roc-vz/vertrouwenspersoon-2.vcf"
    );
    assert_eq!(groups[1]["contacts"][0]["email"], Value::Null);
    assert_eq!(groups[1]["contacts"][0]["phone"], Value::Null);

    let routes = &page.context["themes"];
    assert_eq!(routes[0]["key"], "melden");
    assert_eq!(routes[0]["url"], "/sub/instellingen/roc-vz/melden/");
    assert_eq!(routes[3]["title"], "Thema criminaliteit");
}

#[test]
fn the_route_pages() {
    let dir = full();
    let mut orgs = BTreeMap::new();
    orgs.insert(
        "inclusie".to_string(),
        vec![json!({"name": "College voor de Rechten van de Mens"})],
    );
    let pages = dir.pages("/", &themes(), &orgs);
    let route = |key: &str| {
        pages
            .iter()
            .find(|p| p.url == format!("/instellingen/roc-vz/{key}/"))
            .unwrap_or_else(|| panic!("no route page for {key}"))
    };

    let p = route("inclusie");
    assert_eq!(p.template, "instelling-thema.html");
    assert_eq!(p.context["theme"]["key"], "inclusie");
    assert_eq!(p.context["theme"]["url"], "/inclusie/");
    assert_eq!(p.context["institution"]["slug"], "roc-vz");
    assert_eq!(
        roles(&p.context["contacts"]),
        [
            "vertrouwenspersoon",
            "vertrouwenspersoon",
            "studentbegeleider",
            "meldpunt-stagediscriminatie",
            "klachtencommissie"
        ]
    );
    assert_eq!(
        p.context["organisations"][0]["name"],
        "College voor de Rechten van de Mens"
    );
    assert!(p.title.contains("ROC Voorbeeld"), "{}", p.title);

    let p = route("criminaliteit");
    assert_eq!(
        roles(&p.context["contacts"]),
        [
            "vertrouwenspersoon",
            "vertrouwenspersoon",
            "studentbegeleider",
            "veiligheidscoordinator",
            "klachtencommissie"
        ]
    );
    assert_eq!(p.context["organisations"], json!([]));

    let p = route("seksuele-grenzen");
    assert_eq!(
        roles(&p.context["contacts"]),
        [
            "vertrouwenspersoon",
            "vertrouwenspersoon",
            "studentbegeleider",
            "klachtencommissie"
        ]
    );

    let p = route("melden");
    assert_eq!(roles(&p.context["contacts"]).len(), 7);
}

#[test]
fn the_open_data_json() {
    let dir = full();
    let files = dir.files("/");
    let (path, bytes) = &files[0];
    assert_eq!(path, "instellingen.json");
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("}\n"));
    // Documented key order, whatever serde_json's map type.
    let order = [
        "\"schema_version\"",
        "\"generated_from\"",
        "\"institutions\"",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|k| text.find(k).expect("key present"))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
    let inst_keys = [
        "\"slug\"",
        "\"name\"",
        "\"short_name\"",
        "\"brin\"",
        "\"kind\"",
        "\"region\"",
        "\"website\"",
        "\"demo\"",
        "\"url\"",
        "\"locations\"",
        "\"contacts\"",
        "\"documents\"",
        "\"checked\"",
    ];
    let at: Vec<usize> = inst_keys
        .iter()
        .map(|k| text.find(k).expect("key present"))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");

    let v: Value = serde_json::from_slice(bytes).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["generated_from"], "content/instellingen");
    let i = &v["institutions"][0];
    assert_eq!(i["slug"], "roc-vz");
    assert_eq!(i["url"], "/instellingen/roc-vz/");
    assert_eq!(i["checked"], "2026-10-01");
    assert_eq!(i["locations"][0]["key"], "centrum");
    let c = &i["contacts"][1];
    assert_eq!(
        c,
        &json!({
            "id": "vertrouwenspersoon",
            "role": "vertrouwenspersoon",
            "external": false,
            "name": "Sam Voorbeeld",
            "email": "s.voorbeeld@roc-vz.example",
            "phone": {"display": "040 012 34 56", "href": "tel:+31400123456", "dutch": true},
            "form": null,
            "hours": "ma t/m vr 9.00-17.00\nza op afspraak",
            "locations": ["haven"],
            "languages": ["Nederlands", "Engels"],
            "vcard_url": "/instellingen/roc-vz/vertrouwenspersoon.vcf",
        })
    );
    // Deterministic.
    assert_eq!(dir.files("/"), files);
}

#[test]
fn one_vcard_per_contact() {
    let dir = full();
    let files = dir.files("/");
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths.len(), 1 + 7);
    assert!(paths.contains(&"instellingen/roc-vz/vertrouwenspersoon-2.vcf"));
    let card = files
        .iter()
        .find(|(p, _)| p == "instellingen/roc-vz/vertrouwenspersoon.vcf")
        .map(|(_, b)| std::str::from_utf8(b).expect("UTF-8"))
        .expect("the vCard");

    // CRLF only, and no physical line over 75 octets.
    assert!(card.ends_with("END:VCARD\r\n"));
    assert!(!card.replace("\r\n", "").contains('\n'), "{card:?}");
    for line in card.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    let unfolded = card.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Sam Voorbeeld",
            "N:Sam Voorbeeld;;;;",
            "ORG:ROC Voorbeeld\\, Zuid\\; \"Test\"",
            "TITLE:Vertrouwenspersoon",
            "EMAIL;TYPE=INTERNET:s.voorbeeld@roc-vz.example",
            "TEL;TYPE=WORK,VOICE:+31400123456",
            "URL:https://www.roc-vz.example/",
            "NOTE:Bereikbaar: ma t/m vr 9.00-17.00\\nza op afspraak\\nTalen: Nederlands\\, Engels\\nLocaties: Locatie Haven",
            "END:VCARD",
        ]
    );

    let form_only = files
        .iter()
        .find(|(p, _)| p == "instellingen/roc-vz/meldpunt-stagediscriminatie.vcf")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the vCard");
    assert!(
        form_only.contains("FN:Meldpunt stagediscriminatie ROC VZ\r\n"),
        "{form_only}"
    );
    assert!(
        form_only.contains("URL:https://www.roc-vz.example/melden\r\n"),
        "{form_only}"
    );
    let external = files
        .iter()
        .find(|(p, _)| p == "instellingen/roc-vz/vertrouwenspersoon-2.vcf")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the vCard");
    assert!(
        external.contains("TITLE:Vertrouwenspersoon (extern)\r\n"),
        "{external}"
    );
}

/// Every string in a JSON value, with the key it is under.
fn strings<'a>(v: &'a Value, key: &str, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::String(s) => out.push((key.to_string(), s)),
        Value::Array(a) => a.iter().for_each(|x| strings(x, key, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| strings(x, k, out)),
        _ => {}
    }
}

const LINK_KEYS: &[&str] = &["url", "website", "form", "href", "email_href", "vcard_url"];

fn assert_links_are_clean(v: &Value) {
    let mut all = Vec::new();
    strings(v, "", &mut all);
    for (key, s) in all {
        if LINK_KEYS.contains(&key.as_str()) {
            assert!(
                s.starts_with("https://")
                    || s.starts_with('/')
                    || s.starts_with("mailto:")
                    || s.starts_with("tel:"),
                "{key}: {s}"
            );
            assert!(
                !s.contains('<') && !s.contains('"') && !s.contains("javascript"),
                "{key}: {s}"
            );
        }
    }
}

#[test]
fn html_and_script_in_every_field_stay_plain_text() {
    let dir = load(&[("hostile", hostile()), ("roc-vz", FULL.to_string())]);
    let i = &dir.institutions[0];
    assert_eq!(i.name, XSS);

    // The open data keeps the text exactly, never as markup or entities.
    let files = dir.files("/");
    let json: Value = serde_json::from_slice(&files[0].1).expect("valid JSON");
    let inst = &json["institutions"][0];
    assert_eq!(inst["name"], XSS);
    assert_eq!(inst["short_name"], "\"><img src=x onerror=alert(1)>");
    assert_eq!(
        inst["locations"][0]["city"],
        "</script><script>alert(2)</script>"
    );
    assert_eq!(inst["contacts"][0]["name"], XSS);
    assert_eq!(
        inst["contacts"][0]["hours"],
        "<a href='javascript:alert(3)'>klik</a>"
    );
    assert_eq!(inst["contacts"][0]["languages"][0], "<u>Nederlands</u>");
    assert_eq!(
        inst["documents"][0]["title"],
        "<a href=javascript:alert(5)>Regeling</a>"
    );
    let raw = String::from_utf8_lossy(&files[0].1);
    assert!(!raw.contains("&lt;"), "no HTML entities in data");
    assert_links_are_clean(&json);

    // The page contexts carry the same text; links stay clean.
    for page in dir.pages("/", &themes(), &BTreeMap::new()) {
        let ctx = Value::Object(page.context.clone());
        assert_links_are_clean(&ctx);
        assert!(!page.url.contains('<'));
        if page.url == "/instellingen/hostile/" {
            assert_eq!(page.title, XSS);
            assert_eq!(ctx["institution"]["name"], XSS);
            assert_eq!(ctx["groups"][0]["contacts"][0]["name"], XSS);
        }
    }
    assert_links_are_clean(&dir.summaries("/"));

    // In a vCard it is text too, with the vCard's own escaping.
    let card = files
        .iter()
        .find(|(p, _)| p == "instellingen/hostile/vertrouwenspersoon.vcf")
        .map(|(_, b)| String::from_utf8_lossy(b).replace("\r\n ", ""))
        .expect("the vCard");
    assert!(card.contains(&format!("FN:{XSS}\r\n")), "{card}");
    assert!(
        card.contains("URL:https://www.hostile.example/?q=%3Cscript%3E\r\n"),
        "{card}"
    );
}

#[test]
fn script_urls_and_markup_in_links_are_refused() {
    for (line, bad) in [
        (
            "website: https://www.roc-vz.example/",
            "website: javascript:alert(1)",
        ),
        (
            "    form: https://www.roc-vz.example/melden",
            "    form: \"JavaScript:alert(1)\"",
        ),
        (
            "    url: https://www.roc-vz.example/klachten.pdf",
            "    url: data:text/html,<script>alert(1)</script>",
        ),
        (
            "    url: https://www.roc-vz.example/klachten.pdf",
            "    url: \"https://www.roc-vz.example/\\\" onclick=\\\"alert(1)\"",
        ),
        (
            "    email: klachten@roc-vz.example",
            "    email: \"<script>@roc-vz.example\"",
        ),
        (
            "    email: klachten@roc-vz.example",
            "    email: \"a@b.example?subject=<script>\"",
        ),
    ] {
        let text = FULL.replacen(line, bad, 1);
        assert_ne!(text, FULL, "{line}");
        let (dir, diags) = directory::load(
            &[(PathBuf::from("content/instellingen/x.yaml"), text)],
            today(),
        );
        assert!(diags.iter().any(|d| d.is_error()), "{bad}: {diags:#?}");
        assert!(dir.institutions.is_empty(), "{bad}");
    }
}

#[test]
fn script_safe_json_for_inline_scripts() {
    let dir = load(&[("hostile", hostile())]);
    let s = wegwijzer::render::directory::script_safe_json(&dir.summaries("/"));
    assert!(!s.contains("</script"), "{s}");
    let back: Value = serde_json::from_str(&s).expect("valid JSON");
    assert_eq!(back[0]["name"], XSS);
}
