//! The HTTP side of `serve`, as pure functions: which file a request target
//! names, its content type, and the headers a host would add. Everything is
//! served from memory, so a refused path can never reach the file system;
//! the checks here make sure it is refused rather than looked up.

/// Where a request target leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file, by its output-relative path.
    File(String),
    /// The same path with a trailing slash (a folder).
    Folder { location: String },
    /// The live-reload client and its files.
    Internal(&'static str),
    /// Nothing here: the site's 404 page.
    NotFound,
    /// Malformed or an attempt to leave the output: 400.
    Bad(&'static str),
}

/// The URL prefix of the files `serve` adds; a site cannot use it.
pub const INTERNAL_PREFIX: &str = "/__wegwijzer/";

/// Output files a host reads but never serves.
const HIDDEN: &[&str] = &["_headers"];

/// Percent-decodes a URL path. Encoded `/` and `\` are refused: they would
/// let a segment stand for more than one segment.
pub fn percent_decode(path: &str) -> Result<String, &'static str> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or("bad percent-encoding")?;
            let hi = (hex[0] as char)
                .to_digit(16)
                .ok_or("bad percent-encoding")?;
            let lo = (hex[1] as char)
                .to_digit(16)
                .ok_or("bad percent-encoding")?;
            let v = (hi * 16 + lo) as u8;
            if v == b'/' || v == b'\\' {
                return Err("encoded slash");
            }
            out.push(v);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8")
}

/// Resolves a request target (`/melden/?q=1`) against the output, where
/// `exists` says whether an output path is there.
pub fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Target {
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    let (raw_path, query) = raw.split_at(end);
    let query = if query.starts_with('?') { query } else { "" };
    // Only origin-form (`/path`): no absolute URLs, no `*`.
    if !raw_path.starts_with('/') {
        return Target::Bad("the path must start with /");
    }
    let path = match percent_decode(raw_path) {
        Ok(p) => p,
        Err(why) => return Target::Bad(why),
    };
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return Target::Bad("control character or backslash");
    }
    let rel = &path[1..];
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." {
            return Target::Bad("dot segment");
        }
        // `//` would make `/x` absolute again in some resolvers.
        if s.is_empty() && i != last {
            return Target::Bad("empty segment");
        }
    }
    if let Some(name) = path.strip_prefix(INTERNAL_PREFIX) {
        return match name {
            "reload.js" | "overlay.css" | "events" => Target::Internal(match name {
                "reload.js" => "reload.js",
                "overlay.css" => "overlay.css",
                _ => "events",
            }),
            _ => Target::NotFound,
        };
    }
    if HIDDEN.contains(&rel) {
        return Target::NotFound;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let key = format!("{rel}index.html");
        return if exists(&key) {
            Target::File(key)
        } else {
            Target::NotFound
        };
    }
    if exists(rel) {
        return Target::File(rel.to_string());
    }
    if exists(&format!("{rel}/index.html")) {
        // The raw path keeps its encoding; it starts with one `/` (checked
        // above), so the redirect cannot leave the site.
        return Target::Folder {
            location: format!("{raw_path}/{query}"),
        };
    }
    Target::NotFound
}

/// The `Content-Type` for an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Does an `If-None-Match` value match this ETag? Weak comparison, as for GET.
pub fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let etag = strip(etag);
    if_none_match
        .split(',')
        .any(|t| t.trim() == "*" || strip(t) == etag)
}

/// The header rules of the build's `_headers` file (the Netlify format):
/// a path pattern line, then indented `Name: value` lines. Serving them makes
/// the preview run under the same CSP as the published site.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HeaderRules(Vec<(String, Vec<(String, String)>)>);

impl HeaderRules {
    pub fn parse(text: &str) -> HeaderRules {
        let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                if let (Some(rule), Some((name, value))) = (rules.last_mut(), line.split_once(':'))
                {
                    rule.1
                        .push((name.trim().to_string(), value.trim().to_string()));
                }
            } else {
                rules.push((line.trim().to_string(), Vec::new()));
            }
        }
        HeaderRules(rules)
    }

    /// The headers for a URL path, later rules overriding earlier ones.
    pub fn for_path(&self, url_path: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (pattern, headers) in &self.0 {
            let hit = match pattern.strip_suffix('*') {
                Some(prefix) => url_path.starts_with(prefix),
                None => url_path == pattern,
            };
            if !hit {
                continue;
            }
            for (name, value) in headers {
                out.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                out.push((name.clone(), value.clone()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(p: &str) -> bool {
        matches!(
            p,
            "index.html"
                | "melden/index.html"
                | "melden/x/index.html"
                | "css/site.1a2b3c4d.css"
                | "404.html"
                | "_headers"
                | "café/index.html"
        )
    }

    #[test]
    fn folders_files_and_redirects() {
        assert_eq!(resolve("/", site), Target::File("index.html".into()));
        assert_eq!(
            resolve("/melden/", site),
            Target::File("melden/index.html".into())
        );
        assert_eq!(
            resolve("/melden/x/?q=1", site),
            Target::File("melden/x/index.html".into())
        );
        assert_eq!(
            resolve("/melden?q=1", site),
            Target::Folder {
                location: "/melden/?q=1".into()
            }
        );
        assert_eq!(
            resolve("/css/site.1a2b3c4d.css", site),
            Target::File("css/site.1a2b3c4d.css".into())
        );
        assert_eq!(
            resolve("/caf%C3%A9/", site),
            Target::File("café/index.html".into())
        );
        assert_eq!(
            resolve("/caf%C3%A9", site),
            Target::Folder {
                location: "/caf%C3%A9/".into()
            }
        );
        assert_eq!(resolve("/nope/", site), Target::NotFound);
        assert_eq!(resolve("/_headers", site), Target::NotFound);
        assert_eq!(
            resolve("/__wegwijzer/reload.js", site),
            Target::Internal("reload.js")
        );
        assert_eq!(resolve("/__wegwijzer/other", site), Target::NotFound);
    }

    #[test]
    fn traversal_and_garbage_are_refused() {
        for t in [
            "/../etc/passwd",
            "/melden/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/melden/%2e%2e/%2e%2e/x",
            "/..%2fetc%2fpasswd",
            "/..%5cetc",
            "/melden%2fx/",
            "/a\\b",
            "/a%00b",
            "/a%0ab",
            "//etc/passwd",
            "/melden//x/",
            "/./index.html",
            "etc/passwd",
            "http://evil.example/",
            "*",
            "/%zz",
            "/%e",
            "/%ff",
        ] {
            assert!(matches!(resolve(t, site), Target::Bad(_)), "{t}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("s.woff2"), "font/woff2");
        assert_eq!(content_type("c.vcf"), "text/vcard; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn etags() {
        assert!(etag_matches("\"abc\"", "\"abc\""));
        assert!(etag_matches("W/\"abc\", \"def\"", "\"abc\""));
        assert!(etag_matches("*", "\"abc\""));
        assert!(!etag_matches("\"abd\"", "\"abc\""));
    }

    #[test]
    fn header_rules() {
        let r = HeaderRules::parse(
            "/*\n  X-Frame-Options: DENY\n  Cache-Control: no-cache\n/css/*\n  Cache-Control: immutable\n",
        );
        let h = r.for_path("/css/a.css");
        assert!(h.contains(&("Cache-Control".into(), "immutable".into())));
        assert!(h.contains(&("X-Frame-Options".into(), "DENY".into())));
        assert_eq!(h.len(), 2);
        assert_eq!(r.for_path("/x/").len(), 2);
    }
}
