//! Write: output goes to a staging folder beside the output folder, and is
//! swapped in only when the whole build succeeded. A failed build leaves the
//! previous output exactly as it was.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::render::Sink;

/// A [`Sink`] that writes below a staging folder.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// Folders already made, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
}

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
    /// system, so that the final swap is a rename.
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = if output.is_absolute() {
            output.to_path_buf()
        } else {
            std::env::current_dir()?.join(output)
        };
        let parent = output
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            output,
            made: Mutex::new(HashSet::new()),
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
        let old = self.output.with_file_name(format!(
            ".{}.old-{}",
            self.output
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_output = self.output.exists();
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
