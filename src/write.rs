//! Write: output goes to a staging folder beside the output folder, and is
//! swapped in only when the whole build succeeded. A failed build leaves the
//! previous output exactly as it was, and a build never replaces a folder
//! that it did not write (see [`guard_output`]).

use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;

/// The file by which a build recognises an output folder that a build
/// wrote: it says so, and nothing else, so it is harmless when deployed.
pub const MARKER: &str = ".wegwijzer-output";
const MARKER_TEXT: &str =
    "This folder was written by `wegwijzer build`. The next build replaces all of it.\n";

/// Where output goes: a staging folder, memory, or nowhere (`check`).
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;
    fn copy(&self, path: &str, from: &Path) -> Result<(), String> {
        let bytes =
            std::fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        self.put(path, &bytes)
    }
}

/// Discards everything: `check` renders without writing.
pub struct NullSink;
impl Sink for NullSink {
    fn put(&self, _: &str, _: &[u8]) -> Result<(), String> {
        Ok(())
    }
    fn copy(&self, _: &str, _: &Path) -> Result<(), String> {
        Ok(())
    }
}

/// Keeps everything in memory; used by tests and `serve`.
#[derive(Default)]
pub struct MemorySink(pub std::sync::Mutex<BTreeMap<String, Vec<u8>>>);
impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.0
            .lock()
            .map_err(|e| e.to_string())?
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// A [`Sink`] that writes below a staging folder.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// Folders already made, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
    /// Held while the folder is in use, so that another build sees that
    /// it is not a stale one.
    _lock: Option<File>,
}

/// Distinguishes the staging folders of builds in one process (tests).
static BUILDS: AtomicUsize = AtomicUsize::new(0);

/// Refuses paths that could leave the folder they are written into.
fn safe_relative(path: &str) -> Result<&Path, String> {
    let p = Path::new(path);
    if path.is_empty() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(format!(
            "refusing to write outside the output folder: `{path}`"
        ));
    }
    Ok(p)
}

impl Staging {
    /// Makes a fresh staging folder next to `output`, on the same file
    /// system, so that the final swap is a rename. Staging folders of
    /// builds that were killed halfway are removed first.
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = std::path::absolute(output)?;
        let parent = output
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&parent)?;
        let name = output_name(&output);
        remove_stale(&parent, &name);
        let dir = parent.join(format!(
            ".{name}.staging-{}-{}",
            std::process::id(),
            BUILDS.fetch_add(1, Ordering::Relaxed)
        ));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        let lock = lock(&dir);
        Ok(Staging {
            dir,
            output,
            made: Mutex::new(HashSet::new()),
            _lock: lock,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn ensure_parent(&self, target: &Path) -> Result<(), String> {
        if let Some(parent) = target.parent() {
            let mut made = self.made.lock().map_err(|e| e.to_string())?;
            if !made.contains(parent) {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
                made.insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(self) -> io::Result<()> {
        std::fs::write(self.dir.join(MARKER), MARKER_TEXT)?;
        let old = self.output.with_file_name(format!(
            ".{}.old-{}-{}",
            output_name(&self.output),
            std::process::id(),
            BUILDS.fetch_add(1, Ordering::Relaxed)
        ));
        let had_output = self.output.exists();
        // Locked while it is renamed aside, so that no other build takes
        // it for stale before it is put back or removed.
        let _old_lock = had_output.then(|| lock(&self.output)).flatten();
        if had_output {
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                // Put the old output back before reporting.
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        if had_output {
            let _ = remove_tree(&old);
        }
        std::mem::forget(self);
        Ok(())
    }

    /// Throws the staged output away; the old output is untouched.
    pub fn discard(self) {
        drop(self);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let target = self.dir.join(safe_relative(path)?);
        self.ensure_parent(&target)?;
        std::fs::write(&target, bytes).map_err(|e| e.to_string())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), String> {
        let target = self.dir.join(safe_relative(path)?);
        self.ensure_parent(&target)?;
        std::fs::copy(from, &target)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

fn output_name(output: &Path) -> String {
    output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

/// An exclusive lock on a folder, released when the process ends, however
/// it ends. `None` where folders cannot be locked.
fn lock(dir: &Path) -> Option<File> {
    let f = File::open(dir).ok()?;
    f.lock().ok()?;
    Some(f)
}

/// Whether process `pid` still runs. Where that cannot be known, it is
/// taken to run: a folder is kept rather than lost.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes the staging (and set-aside old output) folders of builds of
/// `name` in `parent` that were killed halfway: their process is gone and
/// no one holds their lock. A folder of a build that still runs is kept.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || alive(pid) {
            continue;
        }
        let Ok(f) = File::open(&path) else {
            continue;
        };
        if f.try_lock().is_ok() {
            let _ = remove_tree(&path);
        }
    }
}

/// Why `output` may not be a build's output folder, if it may not.
///
/// A build replaces its output folder as a whole. So it refuses, whatever
/// `force` says, the site's own folder or one that contains it, and any
/// folder the site reads from (`content/`, `themes/`, `site.yaml`), or that
/// lies inside or contains one. Without `force` it also refuses a folder
/// that is not empty and that no build wrote.
pub fn guard_output(root: &Path, output: &Path, force: bool) -> Result<(), Diagnostic> {
    let real = |p: &Path| resolved(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_real, out) = (real(root), real(output));
    let shown = output.display().to_string();
    let refuse = |message: String, hint: &str| {
        Err(Diagnostic::error("output-folder", output, message).hint(hint.to_string()))
    };
    let elsewhere = "write the site to a folder of its own, e.g. `--output public`";
    if out == root_real {
        return refuse(
            format!("refusing to write the site into `{shown}`: it is the site's own folder, with site.yaml and content/"),
            elsewhere,
        );
    }
    if root_real.starts_with(&out) {
        return refuse(
            format!(
                "refusing to write the site into `{shown}`: that folder contains the site itself"
            ),
            elsewhere,
        );
    }
    let sources = [
        ("content/", "holds your pages"),
        ("themes/", "holds the theme's templates and files"),
        ("site.yaml", "holds the site's settings"),
    ];
    for (rel, holds) in sources {
        let source = root_real.join(rel.trim_end_matches('/'));
        let why = if out == source {
            format!("`{rel}` {holds}, and a build replaces its output folder as a whole")
        } else if out.starts_with(&source) {
            format!("it lies inside `{rel}`, which {holds}")
        } else if source.starts_with(&out) {
            format!("it contains `{rel}`, which {holds}")
        } else {
            continue;
        };
        return refuse(
            format!("refusing to write the site into `{shown}`: {why}"),
            "did you mean `--output public`?",
        );
    }
    match std::fs::symlink_metadata(&out) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_dir() => refuse(
            format!("refusing to write the site into `{shown}`: it is a file, not a folder"),
            elsewhere,
        ),
        Ok(_) => {
            let Some(first) = unknown_entry(&out) else {
                return Ok(());
            };
            if force {
                return Ok(());
            }
            refuse(
                format!("refusing to replace `{shown}`: it holds files that no wegwijzer build wrote, such as `{first}`"),
                "choose a new or empty folder, e.g. `--output public`; or, if everything in it may be deleted, add `--force`",
            )
        }
    }
}

/// `path` made absolute, with `..` taken out, and its existing part
/// through its symlinks, so that two names of one folder compare equal.
fn resolved(path: &Path) -> io::Result<PathBuf> {
    let mut lexical = PathBuf::new();
    for c in std::path::absolute(path)?.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name);
        existing = parent;
    }
    let mut out = existing.canonicalize()?;
    out.extend(rest.into_iter().rev());
    Ok(out)
}

/// The name of something in `dir` that shows a build did not write it, or
/// `None` when `dir` is empty or a build's output: it has the [`MARKER`],
/// or it is from before the marker (the `_headers` a build writes, beside
/// `sitemap.xml`).
fn unknown_entry(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_unstable();
    let first = names.into_iter().next()?;
    if dir.join(MARKER).is_file() {
        return None;
    }
    let headers = std::fs::read_to_string(dir.join("_headers")).unwrap_or_default();
    let earlier_build = dir.join("sitemap.xml").is_file()
        && headers.contains("Content-Security-Policy: default-src 'self'");
    (!earlier_build).then_some(first)
}

/// Removes a folder and everything in it, on all cores: deleting the old
/// output of a large site is otherwise a tenth of the build. Symlinks are
/// removed, never followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_swaps_and_discard_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();

        let s = Staging::new(&out).unwrap();
        s.put("a/b.html", b"new").unwrap();
        s.discard();
        assert_eq!(std::fs::read_to_string(out.join("old.txt")).unwrap(), "old");

        let s = Staging::new(&out).unwrap();
        s.put("a/b.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.txt").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/b.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn removing_the_old_output_never_follows_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "keep").unwrap();
        let old = dir.path().join("old");
        std::fs::create_dir_all(old.join("a/b")).unwrap();
        std::fs::write(old.join("a/b/index.html"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, old.join("a/link")).unwrap();
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn refuses_paths_outside() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::new(&dir.path().join("public")).unwrap();
        assert!(s.put("../evil", b"x").is_err());
        assert!(s.put("/etc/evil", b"x").is_err());
    }
}
