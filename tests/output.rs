//! The output folder: a build never replaces what it did not write, and a
//! build killed halfway leaves nothing behind that the next build keeps.

mod support;
use std::path::Path;
use support::{snapshot, Site};

/// Builds with `--output <dir>` (and more args); the run and whether the
/// whole site folder stayed byte for byte as it was.
fn build_into(site: &Site, dir: &Path, more: &[&str]) -> (support::Run, bool) {
    let before = snapshot(site.root());
    let mut args = vec!["build", "--output", dir.to_str().unwrap()];
    args.extend_from_slice(more);
    let run = site.run(&args);
    (run, before == snapshot(site.root()))
}

#[test]
fn folders_the_site_reads_from_are_refused_even_with_force() {
    let site = Site::fixture("basic");
    std::fs::create_dir_all(site.root().join("themes/default/static")).unwrap();
    let cases = [
        ("content", "`content/` holds your pages"),
        (
            "content/melden",
            "it lies inside `content/`, which holds your pages",
        ),
        (
            "content/nieuw",
            "it lies inside `content/`, which holds your pages",
        ),
        ("themes", "`themes/` holds the theme's templates and files"),
        ("themes/default/static", "it lies inside `themes/`"),
        ("site.yaml", "`site.yaml` holds the site's settings"),
        (".", "it is the site's own folder"),
        ("..", "that folder contains the site itself"),
    ];
    for (rel, why) in cases {
        for force in [&[][..], &["--force"][..]] {
            let (run, same) = build_into(&site, &site.root().join(rel), force);
            assert_eq!(run.code, 1, "{rel} {force:?}: {}", run.stderr);
            assert!(same, "{rel} {force:?}: the site folder changed");
            run.assert_stderr("error[output-folder]: refusing to write the site into")
                .assert_stderr(why);
        }
    }
    let (run, _) = build_into(&site, &site.root().join("content"), &[]);
    run.assert_stderr("help: did you mean `--output public`?");
}

#[test]
fn a_folder_of_hand_made_files_is_refused_unless_forced() {
    let site = Site::fixture("basic");
    site.write("src/main.rs", "fn main() {}\n");
    site.write("src/notes.txt", "mijn aantekeningen\n");
    let src = site.root().join("src");
    let (run, same) = build_into(&site, &src, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(same, "the folder changed");
    run.assert_stderr("refusing to replace")
        .assert_stderr("it holds files that no wegwijzer build wrote, such as `main.rs`")
        .assert_stderr("add `--force`");

    let (run, _) = build_into(&site, &src, &["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!src.join("notes.txt").exists());
    assert!(src.join("index.html").is_file());
    assert!(src.join(".wegwijzer-output").is_file());
}

#[test]
fn a_build_replaces_its_own_output_and_makes_a_new_folder() {
    let site = Site::fixture("basic");
    let new = site.root().join("elders/site");
    let (run, _) = build_into(&site, &new, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(new.join("index.html").is_file());
    let marker = std::fs::read_to_string(new.join(".wegwijzer-output")).unwrap();
    assert!(marker.contains("written by `wegwijzer build`"), "{marker}");

    // Again into the same folder, after a page was removed: it is replaced.
    site.remove("content/melden/concept.md");
    let (run, _) = build_into(&site, &new, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!new.join("melden/concept/index.html").exists());
    // An empty folder is fine too.
    let empty = site.root().join("leeg");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(build_into(&site, &empty, &[]).0.code, 0);
}

#[test]
fn an_output_from_before_the_marker_is_recognised() {
    let site = Site::fixture("basic");
    site.build_ok();
    std::fs::remove_file(site.out().join(".wegwijzer-output")).unwrap();
    site.build_ok();
    // But a folder with only a sitemap is not a build's.
    let other = site.root().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("sitemap.xml"), "<urlset/>").unwrap();
    let (run, same) = build_into(&site, &other, &[]);
    assert_eq!(run.code, 1);
    assert!(same);
}

#[test]
fn staging_folders_of_killed_builds_go_and_those_of_running_builds_stay() {
    let site = Site::fixture("basic");
    site.build_ok();
    // A build whose process is gone (no process has this id: it is above
    // the kernel's limit) left its staging folder and a set-aside output.
    let dead = site.root().join(".public.staging-4294967290-0");
    std::fs::create_dir_all(dead.join("melden")).unwrap();
    std::fs::write(dead.join("melden/index.html"), "half").unwrap();
    let dead_old = site.root().join(".public.old-4294967291-3");
    std::fs::create_dir_all(&dead_old).unwrap();
    // A build that still runs: this test's own process, holding its lock.
    let live = site
        .root()
        .join(format!(".public.staging-{}-99", std::process::id()));
    std::fs::create_dir(&live).unwrap();
    std::fs::write(live.join("index.html"), "busy").unwrap();
    let held = std::fs::File::open(&live).unwrap();
    held.lock().unwrap();
    // Something else of the user's that only looks alike.
    let mine = site.root().join(".public.staging-notes");
    std::fs::create_dir(&mine).unwrap();

    site.build_ok();
    assert!(!dead.exists(), "the dead build's staging folder is left");
    assert!(!dead_old.exists(), "the dead build's old output is left");
    assert!(
        live.join("index.html").is_file(),
        "a running build lost its folder"
    );
    assert!(mine.exists());
    let left: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    drop(held);
}

#[test]
fn two_builds_at_once_both_succeed_and_leave_one_output() {
    let site = Site::fixture("basic");
    site.build_ok();
    let bin = env!("CARGO_BIN_EXE_wegwijzer");
    let spawn = || {
        std::process::Command::new(bin)
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    assert!(site.exists("index.html"));
    let left: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn hundreds_of_links_to_one_missing_page_are_one_group_with_every_place() {
    let site = Site::fixture("basic");
    site.write(
        "content/melden/nieuw.md",
        "---\ntitle: Nieuw\n---\nDe nieuwe pagina.\n",
    );
    for i in 0..40 {
        site.write(
            &format!("content/melden/pagina-{i}.md"),
            format!("---\ntitle: Pagina {i}\n---\nZie [oud](/melden/nieuwe/) en [oud](../melden/nieuwe.md).\n"),
        );
    }
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_stderr(
        "error[broken-link]: 40 links point to /melden/nieuwe/, which the site does not have",
    )
    .assert_stderr("help: did you mean `/melden/nieuw/`?")
    .assert_stderr(
        "error[broken-link]: 40 links point to content/melden/nieuwe.md, which does not exist",
    )
    .assert_stderr("did you mean `melden/nieuw.md`?");
    for i in 0..40 {
        run.assert_stderr(&format!("content/melden/pagina-{i}.md:4:5"))
            .assert_stderr(&format!("content/melden/pagina-{i}.md:4:31"));
    }
    assert_eq!(
        run.stderr.matches("error[broken-link]").count(),
        2,
        "{}",
        run.stderr
    );
    run.assert_stderr("the build failed with 80 error(s)");

    // `check --format json` keeps every one.
    let check = site.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let text = json.to_string();
    assert_eq!(text.matches("\"broken-link\"").count(), 80, "{text}");
}
