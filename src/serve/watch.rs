//! Watching the sources: `content/`, the active theme and `site.yaml`.
//!
//! Events are debounced here rather than per path: a rebuild starts when the
//! sources have been quiet for the debounce time, so a save through a temp
//! file and a rename, or a `git checkout` of a thousand files, is one
//! rebuild. Events that arrive during a rebuild fold into the next one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_ignored_name;

/// A rebuild waits at most this long for a stream of events to end (a
/// `git checkout` of thousands of files on a slow disk may take seconds).
const MAX_WAIT: Duration = Duration::from_secs(10);
/// More changed paths than this are a burst (a `git checkout`, a copy, a
/// new folder): then the sources must be quiet for `BURST_QUIET` at least,
/// so that one rebuild sees all of it, while a single save (one path, as a
/// save through a temp file and a rename is) is built at once.
const BURST: usize = 1;
const BURST_QUIET: Duration = Duration::from_millis(250);

/// What changed since the last rebuild, relative to the site root.
#[derive(Debug, Default)]
pub struct Changes {
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost events (its queue overflowed): anything may have
    /// changed.
    pub rescan: bool,
}

impl Changes {
    /// A short description for the terminal.
    pub fn describe(&self) -> String {
        let mut names: Vec<String> = self
            .paths
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        if self.paths.len() > 3 {
            names.push(format!("and {} more", self.paths.len() - 3));
        }
        if self.rescan {
            names.push("(events were lost: full rebuild)".into());
        }
        names.join(", ")
    }
}

/// Whether an event path matters, as a root-relative path. Hidden, swap and
/// backup files (and anything inside a hidden folder) never matter, nor do
/// other themes, `public/` or anything else in the root.
pub fn relevant(root: &Path, theme: &str, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| is_ignored_name(p)) {
        return None;
    }
    let keep = match parts.as_slice() {
        [f] => f == "site.yaml" || f == "content" || f == "themes",
        [c, ..] if c == "content" => true,
        [t, name, ..] if t == "themes" => name == theme,
        _ => false,
    };
    keep.then(|| rel.to_path_buf())
}

pub struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
}

impl Watch {
    /// Watches the root (for `site.yaml`, and `content/` or `themes/`
    /// appearing), and `content/` and `themes/` with everything below.
    pub fn new(root: &Path) -> Result<Watch, String> {
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx)
            .map_err(|e| format!("cannot watch for changes: {e}"))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut w = Watch {
            root: root.to_path_buf(),
            watcher,
            rx,
        };
        w.watch_folders();
        Ok(w)
    }

    /// (Re)watches `content/` and `themes/`: after a delete and re-create,
    /// the old watch is gone.
    fn watch_folders(&mut self) {
        for dir in ["content", "themes"] {
            let p = self.root.join(dir);
            if p.is_dir() {
                let _ = self.watcher.unwatch(&p);
                if let Err(e) = self.watcher.watch(&p, RecursiveMode::Recursive) {
                    eprintln!("warning: cannot watch {}: {e}", p.display());
                }
            }
        }
    }

    /// Blocks until something relevant changed and then stayed quiet for
    /// `debounce` (or `MAX_WAIT` passed), and returns all of it. `theme` is
    /// the active theme's folder name.
    pub fn next(&mut self, theme: &str, debounce: Duration) -> Changes {
        let mut changes = Changes::default();
        let mut first: Option<Instant> = None;
        let mut last = Instant::now();
        loop {
            let event = match first {
                None => match self.rx.recv() {
                    Ok(e) => e,
                    // The watcher is gone: nothing will ever change again.
                    Err(_) => loop {
                        std::thread::park();
                    },
                },
                Some(start) => {
                    let quiet = if changes.paths.len() > BURST || changes.rescan {
                        debounce.max(BURST_QUIET)
                    } else {
                        debounce
                    };
                    let deadline = (last + quiet).min(start + MAX_WAIT);
                    match self
                        .rx
                        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                    {
                        Ok(e) => e,
                        Err(RecvTimeoutError::Timeout) => return changes,
                        Err(RecvTimeoutError::Disconnected) => return changes,
                    }
                }
            };
            if self.take(event, theme, &mut changes) {
                last = Instant::now();
                first.get_or_insert(last);
            }
        }
    }

    /// Adds an event to `changes`; true when it was relevant.
    fn take(
        &mut self,
        event: notify::Result<notify::Event>,
        theme: &str,
        changes: &mut Changes,
    ) -> bool {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                eprintln!("warning: watching for changes: {e}");
                changes.rescan = true;
                return true;
            }
        };
        if event.need_rescan() {
            changes.rescan = true;
            return true;
        }
        // Reads (our own builds open every file) are not changes.
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let mut hit = false;
        let mut rewatch = false;
        for p in &event.paths {
            if let Some(rel) = relevant(&self.root, theme, p) {
                rewatch |= rel == Path::new("content") || rel == Path::new("themes");
                changes.paths.insert(rel);
                hit = true;
            }
        }
        if rewatch {
            self.watch_folders();
        }
        hit
    }
}

/// A cheap fingerprint of the sources (names, sizes, modification times),
/// to tell a real change from lost events after our own reads overflowed
/// the watcher's queue.
pub fn stamp(root: &Path, theme_dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut add = |p: &Path| {
        if let Ok(m) = std::fs::metadata(p) {
            p.hash(&mut h);
            m.len().hash(&mut h);
            m.modified().ok().hash(&mut h);
        }
    };
    add(&root.join("site.yaml"));
    for dir in [root.join("content"), theme_dir.to_path_buf()] {
        for e in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
            .flatten()
        {
            add(e.path());
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, "default", &root.join(p)).is_some();
        assert!(r("site.yaml"));
        assert!(r("content/melden/x.md"));
        assert!(r("content/nieuw"));
        assert!(r("content"));
        assert!(r("themes/default/templates/page.html"));
        assert!(r("themes"));
        assert!(!r("themes/other/templates/page.html"));
        assert!(!r("public/index.html"));
        assert!(!r("target/debug/x"));
        assert!(!r("README.md"));
        for swap in [
            "content/melden/.x.md.swp",
            "content/melden/x.md~",
            "content/melden/#x.md#",
            "content/.git/index",
            "content/melden/x.md.tmp",
            "themes/default/templates/.page.html.swx",
            ".site.yaml.swp",
        ] {
            assert!(!r(swap), "{swap}");
        }
        assert!(relevant(root, "default", Path::new("/elsewhere/site.yaml")).is_none());
    }
}
