//! The site that is being served: the last good build, in memory.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use super::http::HeaderRules;

/// One output file. The ETag is computed on the first request, not for
/// every file of every build.
pub struct File {
    pub bytes: Vec<u8>,
    etag: OnceLock<String>,
}

impl File {
    pub fn new(bytes: Vec<u8>) -> File {
        File {
            bytes,
            etag: OnceLock::new(),
        }
    }

    pub fn etag(&self) -> &str {
        self.etag
            .get_or_init(|| format!("\"{}\"", &blake3::hash(&self.bytes).to_hex()[..20]))
    }
}

/// Output files that are made only when first needed: after an edit of a
/// page's text, the search index is rebuilt in the background, and a
/// request for one of its files waits for it, so it is never stale.
pub struct Deferred {
    /// The output folder they are all in, e.g. `search/`.
    pub dir: &'static str,
    make: Mutex<Option<Job>>,
    files: OnceLock<HashMap<String, Arc<File>>>,
}

pub type Job = Box<dyn FnOnce() -> Vec<(String, Vec<u8>)> + Send>;

impl Deferred {
    pub fn new(dir: &'static str, make: Job) -> Deferred {
        Deferred {
            dir,
            make: Mutex::new(Some(make)),
            files: OnceLock::new(),
        }
    }

    /// The files, made now by this thread or waited for.
    pub fn files(&self) -> &HashMap<String, Arc<File>> {
        self.files.get_or_init(|| {
            let make = self.make.lock().unwrap_or_else(|e| e.into_inner()).take();
            make.map(|m| m())
                .unwrap_or_default()
                .into_iter()
                .map(|(p, b)| (p, Arc::new(File::new(b))))
                .collect()
        })
    }
}

/// A complete build, as served. Replaced as a whole, never edited in place,
/// so a request always sees one consistent build.
#[derive(Default)]
pub struct Output {
    /// Every file, except those in `deferred.dir` while there is one.
    pub files: HashMap<String, Arc<File>>,
    pub deferred: Option<Arc<Deferred>>,
    pub headers: HeaderRules,
    /// Counts the builds that changed what is served.
    pub generation: u64,
}

impl Output {
    pub fn get(&self, path: &str) -> Option<&Arc<File>> {
        match &self.deferred {
            Some(d) if path.starts_with(d.dir) => d.files().get(path),
            _ => self.files.get(path),
        }
    }

    /// Every file, the deferred ones made first.
    fn all(&self) -> impl Iterator<Item = (&String, &Arc<File>)> {
        self.files
            .iter()
            .chain(self.deferred.iter().flat_map(|d| d.files().iter()))
    }

    /// The next output after an edit that changed `files` and, with
    /// `deferred`, made the files in its folder stale. Returns it with the
    /// paths of the changed files (deferred ones are not known yet, and
    /// not listed).
    pub fn patch(
        &self,
        files: Vec<(String, Vec<u8>)>,
        deferred: Option<Deferred>,
    ) -> (Output, Vec<String>) {
        let stale = |p: &str| deferred.as_ref().is_some_and(|d| p.starts_with(d.dir));
        let mut next: HashMap<String, Arc<File>> = self
            .files
            .iter()
            .filter(|(p, _)| !stale(p))
            .map(|(p, f)| (p.clone(), f.clone()))
            .collect();
        let mut changed = Vec::new();
        for (path, bytes) in files {
            if self.files.get(&path).is_none_or(|old| old.bytes != bytes) {
                changed.push(path.clone());
                next.insert(path, Arc::new(File::new(bytes)));
            }
        }
        changed.sort();
        (
            Output {
                files: next,
                deferred: match deferred {
                    Some(d) => Some(Arc::new(d)),
                    None => self.deferred.clone(),
                },
                headers: self.headers.clone(),
                generation: self.generation + 1,
            },
            changed,
        )
    }

    /// The next output from a finished build: files whose bytes did not
    /// change keep their entry (and ETag). Returns the output paths that were
    /// added, changed or removed, sorted.
    pub fn next(&self, mut built: BTreeMap<String, Vec<u8>>) -> (Output, Vec<String>) {
        let mut changed = Vec::new();
        let mut files = HashMap::with_capacity(built.len());
        let old: HashMap<&String, &Arc<File>> = self.all().collect();
        for (path, bytes) in std::mem::take(&mut built) {
            match old.get(&path) {
                Some(&old) if old.bytes == bytes => {
                    files.insert(path, old.clone());
                }
                _ => {
                    changed.push(path.clone());
                    files.insert(path, Arc::new(File::new(bytes)));
                }
            }
        }
        changed.extend(
            old.keys()
                .filter(|p| !files.contains_key(**p))
                .map(|p| (*p).clone()),
        );
        changed.sort();
        let headers = files
            .get("_headers")
            .map(|f| HeaderRules::parse(&String::from_utf8_lossy(&f.bytes)))
            .unwrap_or_default();
        let generation = self.generation + u64::from(!changed.is_empty());
        (
            Output {
                files,
                deferred: None,
                headers,
                generation,
            },
            changed,
        )
    }
}

/// `melden/x/index.html` → `/melden/x/`: what a browser has in its address bar.
pub fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_reports_changes_and_keeps_unchanged_entries() {
        let first: BTreeMap<String, Vec<u8>> = [("a".to_string(), b"1".to_vec())].into();
        let (o1, c1) = Output::default().next(first);
        assert_eq!(c1, vec!["a"]);
        assert_eq!(o1.generation, 1);
        let etag = o1.files["a"].etag().to_string();
        let second: BTreeMap<String, Vec<u8>> = [
            ("a".to_string(), b"1".to_vec()),
            ("b".to_string(), b"2".to_vec()),
        ]
        .into();
        let (o2, c2) = o1.next(second);
        assert_eq!(c2, vec!["b"]);
        assert!(Arc::ptr_eq(&o1.files["a"], &o2.files["a"]));
        assert_eq!(o2.files["a"].etag(), etag);
        let (o3, c3) = o2.next([("b".to_string(), b"3".to_vec())].into());
        assert_eq!(c3, vec!["a", "b"]);
        let (o4, c4) = o3.next([("b".to_string(), b"3".to_vec())].into());
        assert!(c4.is_empty());
        assert_eq!(o4.generation, o3.generation);
    }

    #[test]
    fn urls() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("melden/x/index.html"), "/melden/x/");
        assert_eq!(url_of("404.html"), "/404.html");
        assert_eq!(url_of("css/a.css"), "/css/a.css");
        assert_eq!(url_of("xindex.html"), "/xindex.html");
    }
}
