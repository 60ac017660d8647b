//! The site that is being served: the last good build, in memory.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

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

/// A complete build, as served. Replaced as a whole, never edited in place,
/// so a request always sees one consistent build.
#[derive(Default)]
pub struct Output {
    pub files: HashMap<String, Arc<File>>,
    pub headers: HeaderRules,
    /// Counts the builds that changed what is served.
    pub generation: u64,
}

impl Output {
    /// The next output from a finished build: files whose bytes did not
    /// change keep their entry (and ETag). Returns the output paths that were
    /// added, changed or removed, sorted.
    pub fn next(&self, mut built: BTreeMap<String, Vec<u8>>) -> (Output, Vec<String>) {
        let mut changed = Vec::new();
        let mut files = HashMap::with_capacity(built.len());
        for (path, bytes) in std::mem::take(&mut built) {
            match self.files.get(&path) {
                Some(old) if old.bytes == bytes => {
                    files.insert(path, old.clone());
                }
                _ => {
                    changed.push(path.clone());
                    files.insert(path, Arc::new(File::new(bytes)));
                }
            }
        }
        changed.extend(
            self.files
                .keys()
                .filter(|p| !files.contains_key(*p))
                .cloned(),
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
