//! Test support: copy a fixture site to a temp folder, run the real binary on
//! it, and read what came out. Adding a test for a new error is a few lines.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Site {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails the test with the whole output when `needle` is not in stderr.
    pub fn assert_stderr(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// A fresh copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).unwrap();
    }

    /// Runs `wegwijzer <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds and fails the test if the build fails.
    pub fn build_ok(&self) -> Run {
        let r = self.build();
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }

    /// Every output file and its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.out())
    }
}

pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

impl Site {
    /// A fresh copy of the bundled site: the repo's `content/`, `themes/`
    /// and `site.yaml`.
    pub fn bundled() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for d in ["content", "themes"] {
            copy_dir(&repo.join(d), &dir.path().join(d));
        }
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        Site { dir }
    }
}

/// The YAML of fictional school `n`, valid and complete: every role a
/// school must have, a distinct BRIN code (00AH, 01AH, …, unique up to 2,600),
/// `.example` addresses and a number that reaches no one.
pub fn school_yaml(n: usize) -> String {
    let region = ["noord", "oost", "zuid", "west"][n % 4];
    let letters = |k: usize| (b'A' + (k % 26) as u8) as char;
    let brin = format!(
        "{:02}{}{}",
        n % 100,
        letters(n / 100),
        letters(n / 2600 + 7)
    );
    // Line by line: a `\` continuation would eat the YAML indentation.
    [
        format!("name: Schaalschool {n}"),
        format!("brin: {brin}"),
        "kind: roc".into(),
        format!("region: {region}"),
        format!("website: https://www.schaal-{n}.example/"),
        "demo: true".into(),
        "locations:".into(),
        "  - key: a".into(),
        "    name: A".into(),
        format!("    street: Straat {n}"),
        "    postcode: 1234 AB".into(),
        format!("    city: Stad {n}"),
        "contacts:".into(),
        "  - role: vertrouwenspersoon".into(),
        format!("    email: vp@schaal-{n}.example"),
        "    phone: 010 012 34 56".into(),
        "  - role: meldpunt-stagediscriminatie".into(),
        format!("    email: meldpunt@schaal-{n}.example"),
        "  - role: klachtencommissie".into(),
        format!("    form: https://www.schaal-{n}.example/klacht"),
        "checked: 2026-10-01".into(),
    ]
    .join("\n")
}
