//! Hostile and broken input. Every test checks: a clear error (file and line
//! where it applies) or a safe result, no panic, no hang (the build runs in a
//! child process that is killed after a time limit), nothing written outside
//! the output folder, and, when the build fails, the old output unchanged.
//!
//! `tests/errors.rs` has the everyday editor mistakes; this file has input
//! that is built to break the generator.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{copy_dir, fixtures, snapshot, Run, Site};

/// A build that takes longer than this hangs.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `wegwijzer build` on `site`, killing it after `LIMIT`.
fn build_limited(site: &Site, extra: &[&str]) -> Run {
    let out_file = site.root().join(".stdout");
    let err_file = site.root().join(".stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .arg("build")
        .args(extra)
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::fs::File::create(&out_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the build took more than {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| {
        let s = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        std::fs::remove_file(p).unwrap();
        s
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: read(&out_file),
        stderr: read(&err_file),
    }
}

/// Every file of the site outside `public/`.
fn sources(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = snapshot(site.root());
    all.retain(|p, _| !p.starts_with("public"));
    all
}

enum Expect {
    /// The build must fail; the message must contain each needle.
    Error(&'static [&'static str]),
    /// The build must succeed.
    Ok,
    /// Either, as long as the promises hold.
    Any,
}

/// Builds the basic fixture, applies `edit`, builds again and checks the
/// common promises. Returns the run and the site for more checks.
fn hostile(edit: impl FnOnce(&Site), expect: Expect) -> (Run, Site) {
    let site = Site::fixture("basic");
    // The directory pages need the bundled theme's templates.
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for t in [
        "instellingen.html",
        "instelling.html",
        "instelling-thema.html",
        "macros.html",
        "school-chooser.html",
    ] {
        let to = site.root().join("themes/default/templates").join(t);
        if !to.exists() {
            std::fs::copy(bundled.join(t), to).unwrap();
        }
    }
    site.build_ok();
    let before = site.snapshot();
    edit(&site);
    let src_before = sources(&site);
    let run = build_limited(&site, &[]);
    assert!(
        !run.stderr.contains("panicked"),
        "the build panicked:\n{}",
        run.stderr
    );
    assert_eq!(
        src_before,
        sources(&site),
        "the build wrote outside public/"
    );
    match expect {
        Expect::Error(needles) => {
            assert_eq!(run.code, 1, "expected failure:\n{}", run.stderr);
            assert_eq!(before, site.snapshot(), "the old output changed");
            for n in needles {
                run.assert_stderr(n);
            }
        }
        Expect::Ok => assert_eq!(run.code, 0, "build failed:\n{}", run.stderr),
        Expect::Any => {
            assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
            if run.code == 1 {
                assert_eq!(before, site.snapshot(), "the old output changed");
            }
        }
    }
    (run, site)
}

const PAGE: &str = "content/melden/proef.md";

fn page(front: &str) -> String {
    format!("---\ntitle: x\n{front}\n---\nTekst.\n")
}

/// Fails when any output file could run script: a tag (escaped text has no
/// `<`) with an event handler, a `javascript:` URL or an iframe, or a script
/// element that runs `alert`.
fn assert_no_script(site: &Site) {
    for (path, bytes) in site.snapshot() {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        // vCards are plain text, not HTML: see the test of institutions.
        if !matches!(ext, "html" | "xml" | "svg") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("<script>alert"), "{}", path.display());
        for tag in text.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let squeezed: String = tag.chars().filter(|c| !c.is_whitespace()).collect();
            for bad in [
                "onerror=",
                "onclick=",
                "onload=",
                "=\"javascript:",
                "=javascript:",
            ] {
                assert!(!squeezed.contains(bad), "{}: <{tag}>", path.display());
            }
            assert!(!tag.starts_with("iframe"), "{}: <{tag}>", path.display());
        }
    }
}

// ---------------------------------------------------------------- YAML

/// "Billion laughs": nine levels of nine aliases.
fn alias_bomb(key: &str) -> String {
    let mut s = String::from("a0: &a0 [\"lol\"]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        s.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    s.push_str(&format!("{key}: *a9\n"));
    s
}

#[test]
fn front_matter_alias_bomb() {
    hostile(
        |s| {
            s.write(
                PAGE,
                format!("---\ntitle: x\n{}---\n", alias_bomb("keywords")),
            )
        },
        Expect::Error(&["content/melden/proef.md:"]),
    );
}

#[test]
fn front_matter_deeply_nested() {
    let deep = format!("keywords: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    hostile(
        |s| s.write(PAGE, page(&deep)),
        Expect::Error(&["content/melden/proef.md:"]),
    );
}

#[test]
fn front_matter_huge_string() {
    let (_, site) = hostile(
        |s| {
            s.write(
                PAGE,
                format!("---\ntitle: \"{}\"\n---\n", "<b>lang</b> ".repeat(400_000)),
            )
        },
        Expect::Ok,
    );
    let html = site.read("melden/proef/index.html");
    assert!(html.contains("&lt;b&gt;lang&lt;/b&gt;"));
    assert!(!html.contains("<b>lang</b>"));
}

#[test]
fn front_matter_duplicate_key() {
    hostile(
        |s| s.write(PAGE, "---\ntitle: x\nweight: 1\ntitle: y\n---\n"),
        Expect::Error(&["content/melden/proef.md:4", "appears twice"]),
    );
}

#[test]
fn front_matter_wrong_types_in_every_field() {
    for (key, value) in [
        ("title", "[a, b]"),
        ("description", "{a: 1}"),
        ("weight", "\"zwaar\""),
        ("updated", "[2026]"),
        ("keywords", "{a: 1}"),
        ("aliases", "12"),
        ("draft", "misschien"),
        ("template", "[x]"),
        ("organisations", "politie"),
    ] {
        hostile(
            |s| s.write(PAGE, page(&format!("{key}: {value}"))),
            Expect::Error(&["content/melden/proef.md:"]),
        );
    }
}

#[test]
fn data_yaml_alias_bomb_and_nesting() {
    hostile(
        |s| s.write("content/organisaties.yaml", alias_bomb("politie")),
        Expect::Error(&["content/organisaties.yaml"]),
    );
    hostile(
        |s| {
            s.write(
                "content/organisaties.yaml",
                format!("politie: {}", "[".repeat(10_000)),
            )
        },
        Expect::Error(&["content/organisaties.yaml:"]),
    );
}

#[test]
fn data_yaml_not_utf8_bom_and_crlf() {
    hostile(
        |s| {
            let mut text = std::fs::read(s.root().join("content/organisaties.yaml")).unwrap();
            text.extend_from_slice(b"  # caf\xe9\n");
            s.write("content/organisaties.yaml", text)
        },
        Expect::Error(&["content/organisaties.yaml:", "not UTF-8"]),
    );
    hostile(
        |s| {
            let text = std::fs::read_to_string(s.root().join("content/organisaties.yaml")).unwrap();
            s.write(
                "content/organisaties.yaml",
                format!("\u{feff}{}", text.replace('\n', "\r\n")),
            )
        },
        Expect::Ok,
    );
}

fn institution(extra: &str) -> String {
    format!(
        "name: ROC Proef\nbrin: 99QF\nkind: roc\nregion: west\nwebsite: https://www.roc.example/\n\
         demo: true\nlocations:\n  - key: centrum\n    name: Locatie Centrum\n    street: Proefstraat 1\n\
         \x20   postcode: 3011 XP\n    city: Proefstad\ncontacts:\n  - role: vertrouwenspersoon\n\
         \x20   email: vp@roc.example\n  - role: meldpunt-stagediscriminatie\n    email: meldpunt@roc.example\nchecked: 2026-11-01\n{extra}"
    )
}

const INST: &str = "content/instellingen/roc-proef.yaml";

#[test]
fn institution_alias_bomb_nesting_and_bytes() {
    hostile(
        |s| s.write(INST, format!("{}{}", alias_bomb("notes"), institution(""))),
        Expect::Error(&[INST]),
    );
    hostile(
        |s| {
            s.write(
                INST,
                format!("{}notes: {}", institution(""), "{a: ".repeat(10_000)),
            )
        },
        Expect::Error(&["content/instellingen/roc-proef.yaml:"]),
    );
    hostile(
        |s| s.write(INST, format!("{}name: Dubbel\n", institution(""))),
        Expect::Error(&["content/instellingen/roc-proef.yaml:19", "appears twice"]),
    );
    hostile(
        |s| {
            let mut b = institution("").into_bytes();
            b.extend_from_slice(b"# \xff\xfe\n");
            s.write(INST, b)
        },
        Expect::Error(&["content/instellingen/roc-proef.yaml:", "not UTF-8"]),
    );
    hostile(
        |s| {
            s.write(
                INST,
                format!("\u{feff}{}", institution("").replace('\n', "\r\n")),
            )
        },
        Expect::Ok,
    );
}

#[test]
fn institution_wrong_types() {
    for (from, to) in [
        ("name: ROC Proef", "name: [a]"),
        ("brin: 99QF", "brin: {a: 1}"),
        ("kind: roc", "kind: 12"),
        ("demo: true", "demo: ja graag"),
        ("checked: 2026-11-01", "checked: [1]"),
        ("locations:", "locations: 5\nx:"),
    ] {
        hostile(
            |s| s.write(INST, institution("").replace(from, to)),
            Expect::Error(&["content/instellingen/roc-proef.yaml:"]),
        );
    }
}

// ---------------------------------------------------------------- Markdown

#[test]
fn ten_thousand_nested_lists_and_quotes() {
    hostile(
        |s| {
            let mut body = String::from("---\ntitle: Diep\n---\n");
            for i in 0..10_000 {
                body.push_str(&" ".repeat((i % 40) * 2));
                body.push_str("- a\n");
            }
            body.push_str(&format!("{}diep\n", "> ".repeat(10_000)));
            body.push_str(&format!("{}x\n", "- ".repeat(10_000)));
            s.write("content/melden/diep.md", body)
        },
        Expect::Ok,
    );
}

#[test]
fn script_handlers_javascript_and_iframes_never_reach_the_output() {
    let (_, site) = hostile(
        |s| {
            s.write(
                "content/melden/html.md",
                "---\ntitle: HTML\ndescription: \"<script>alert(1)</script>\"\n---\n\
                 <script>alert(1)</script>\n\n<SCRIPT SRC=x></SCRIPT>\n\n\
                 <img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">a</a>\n\n\
                 <a href=\"jav&#x61;script:alert(1)\">b</a>\n\n<svg onload=alert(1)></svg>\n\n\
                 <iframe src=\"https://evil.example/\"></iframe>\n\n<div onclick=\"x\">tekst</div>\n",
            )
        },
        Expect::Ok,
    );
    assert_no_script(&site);
    assert!(site.read("melden/html/index.html").contains("tekst"));
}

#[test]
fn a_markdown_javascript_link_is_an_error() {
    hostile(
        |s| {
            s.write(
                PAGE,
                "---\ntitle: x\n---\nTekst.\n\n[klik](javascript:alert(1))\n",
            )
        },
        Expect::Error(&["content/melden/proef.md:6"]),
    );
    hostile(
        |s| {
            s.write(
                PAGE,
                "---\ntitle: x\n---\n[klik](jav&#x61;script:alert(1))\n",
            )
        },
        Expect::Error(&["content/melden/proef.md:4"]),
    );
}

// ---------------------------------------------------------------- data

#[test]
fn html_in_organisation_fields_is_text() {
    let (_, site) = hostile(
        |s| {
            s.write(
                "content/organisaties.yaml",
                "politie:\n  name: \"<script>alert(1)</script>Politie\"\n  summary: \"<img src=x onerror=alert(1)>\"\n  channels:\n    - kind: phone\n      value: \"0900-8844\"\n      label: \"<b onclick=x>Geen spoed</b>\"\n    - kind: website\n      value: https://www.politie.nl/\n  anonymous: false\n  source: https://www.politie.nl/\n  checked: 2026-11-28\n",
            );
            s.write(
                PAGE,
                "---\ntitle: x\norganisations: [politie]\n---\nTekst.\n",
            );
        },
        Expect::Ok,
    );
    assert_no_script(&site);
    let html = site.read("melden/proef/index.html");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn only_safe_url_schemes_in_organisations() {
    for url in [
        "javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://x.example/",
    ] {
        hostile(
            |s| {
                let text =
                    std::fs::read_to_string(s.root().join("content/organisaties.yaml")).unwrap();
                s.write(
                    "content/organisaties.yaml",
                    text.replace(
                        "value: https://www.politie.nl/",
                        &format!("value: \"{url}\""),
                    ),
                );
                s.write(
                    PAGE,
                    "---\ntitle: x\norganisations: [politie]\n---\nTekst.\n",
                );
            },
            Expect::Error(&["content/organisaties.yaml:"]),
        );
    }
}

#[test]
fn only_safe_url_schemes_in_institutions() {
    for url in [
        "javascript:alert(1)",
        "data:text/html,x",
        "http://www.roc.example/",
    ] {
        hostile(
            |s| {
                s.write(
                    INST,
                    institution("").replace("https://www.roc.example/", url),
                )
            },
            Expect::Error(&["content/instellingen/roc-proef.yaml:"]),
        );
    }
}

#[test]
fn html_in_institution_fields_is_text_everywhere() {
    let evil = "<script>alert(1)</script><img src=x onerror=alert(1)>";
    let (_, site) = hostile(
        |s| {
            s.write(
                INST,
                institution("")
                    .replace("ROC Proef", &format!("\"ROC {evil}\\nX-Injected: 1\""))
                    .replace("Locatie Centrum", &format!("\"Centrum {evil}\"")),
            )
        },
        Expect::Ok,
    );
    assert_no_script(&site);
    // JSON carries the text as a string, unchanged.
    let json: serde_json::Value = serde_json::from_str(&site.read("instellingen.json")).unwrap();
    assert!(json.to_string().contains(&format!("ROC {evil}")), "{json}");
    // vCards are plain text: the name is one escaped line, and a line break
    // in a field cannot start a new property.
    let mut vcards = 0;
    for (path, bytes) in site.snapshot() {
        if path.extension().is_some_and(|e| e == "vcf") {
            vcards += 1;
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("ROC <script>alert(1)</script>"), "{text}");
            for line in text.lines() {
                assert!(!line.starts_with("URL:javascript"), "{text}");
                assert!(!line.starts_with("X-Injected"), "{text}");
            }
        }
    }
    assert!(vcards > 0);
}

// ---------------------------------------------------------------- paths

#[test]
fn slugs_and_aliases_cannot_leave_the_output() {
    for front in [
        "slug: ../../buiten",
        "slug: /etc",
        "aliases: [\"../../buiten/\"]",
        "aliases: [\"/../../buiten/\"]",
        "aliases: [\"/etc/passwd\"]",
        "aliases: [\"//evil.example/\"]",
        "slug: \"a\\u0000b\"",
        "slug: \"\u{202e}fdp\"",
    ] {
        let (run, site) = hostile(|s| s.write(PAGE, page(front)), Expect::Any);
        if run.code == 1 {
            run.assert_stderr("content/melden/proef.md:");
        }
        assert!(!site.root().parent().unwrap().join("buiten").exists());
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    hostile(
        |s| {
            std::os::unix::fs::symlink("..", s.root().join("content/melden/lus")).unwrap();
        },
        Expect::Ok,
    )
    .0
    .assert_stderr("content/melden/lus")
    .assert_stderr("symbolic links are not followed");
}

#[cfg(unix)]
#[test]
fn symlink_to_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("geheim.md"),
        "---\ntitle: Geheim\n---\n",
    )
    .unwrap();
    let (run, site) = hostile(
        |s| {
            std::os::unix::fs::symlink(outside.path(), s.root().join("content/melden/buiten"))
                .unwrap();
        },
        Expect::Ok,
    );
    run.assert_stderr("content/melden/buiten")
        .assert_stderr("symbolic links are not followed");
    assert!(!site.exists("melden/buiten/geheim/index.html"));
    assert!(!site
        .snapshot()
        .values()
        .any(|b| String::from_utf8_lossy(b).contains("Geheim")));
}

#[test]
fn attachments_cannot_leave_the_site() {
    const BUNDLE: &str = "content/handboeken/protocol/index.md";
    // Links from a page bundle to files outside content/: each is an
    // error at its line, and the file is never copied.
    let (_, site) = hostile(
        |s| {
            s.write("geheim.pdf", "GEHEIM-BESTAND");
            s.write(
                BUNDLE,
                "---\ntitle: Protocol\n---\n\
                 [a](../../../geheim.pdf)\n\n\
                 [b](/../geheim.pdf)\n\n\
                 ![c](..%2F..%2F..%2Fgeheim.pdf)\n",
            );
        },
        Expect::Error(&[
            "content/handboeken/protocol/index.md:4",
            "goes outside content/",
            "content/handboeken/protocol/index.md:6",
            "content/handboeken/protocol/index.md:8",
        ]),
    );
    assert!(!site
        .snapshot()
        .values()
        .any(|b| String::from_utf8_lossy(b).contains("GEHEIM-BESTAND")));

    // Odd attachment names inside the bundle stay next to the page.
    let (run, site) = hostile(
        |s| {
            s.write("content/handboeken/protocol/..pdf", "PUNTPUNT");
            s.write(
                "content/handboeken/protocol/bijlage\u{202e}fdp.pdf",
                "OMGEKEERD",
            );
        },
        Expect::Ok,
    );
    assert!(run.code == 0);
    // A name that starts with a dot is a hidden file, and is left out.
    assert!(!site.exists("handboeken/protocol/..pdf"));
    assert_eq!(
        std::fs::read_to_string(
            site.out()
                .join("handboeken/protocol/bijlage\u{202e}fdp.pdf")
        )
        .unwrap(),
        "OMGEKEERD"
    );
}

// ---------------------------------------------------------------- file system

#[test]
fn output_path_under_a_file_fails_cleanly() {
    // Root ignores permissions, so "cannot write" is made with a file where
    // the output folder's parent should be.
    let site = Site::fixture("basic");
    std::fs::write(site.root().join("blokkade"), "een bestand").unwrap();
    let before = sources(&site);
    let out = site.root().join("blokkade/public");
    let run = build_limited(&site, &["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(before, sources(&site));
}

#[test]
fn full_disk_keeps_the_old_output() {
    let mnt = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(mnt.path())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED full_disk_keeps_the_old_output: cannot mount a tmpfs here");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.path().to_path_buf());
    let site = Site::fixture("basic");
    let out = mnt.path().join("public");
    let run = build_limited(&site, &["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = snapshot(&out);
    // A page big enough not to fit.
    site.write(
        "content/melden/groot.md",
        format!(
            "---\ntitle: Groot\n---\n{}",
            "Tekst zonder einde. ".repeat(200_000)
        ),
    );
    let run = build_limited(&site, &["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(before, snapshot(&out), "the old output changed");
}

// ---------------------------------------------------------------- reproducible

#[test]
fn builds_are_reproducible_after_copy_and_touch() {
    let site = Site::fixture("basic");
    site.build_ok();
    let first = site.snapshot();
    // Another folder with another name.
    let other = tempfile::tempdir().unwrap();
    let root = other.path().join("andere naam");
    copy_dir(&fixtures().join("basic"), &root);
    let out = Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["build", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(first, snapshot(&root.join("public")));
    // Touch every source file: new mtimes, same bytes.
    std::thread::sleep(Duration::from_millis(1100));
    for (rel, bytes) in sources(&site) {
        std::fs::write(site.root().join(rel), bytes).unwrap();
    }
    site.build_ok();
    assert_eq!(first, site.snapshot());
}
