//! `wegwijzer serve` end to end: the real binary on a free port against a
//! temp copy of the basic fixture, spoken to over plain TCP so that the
//! request targets (`/../`, `%2e%2e`) reach the server exactly as written.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::Site;

/// Long enough for a loaded CI machine; polls return as soon as they can.
const WAIT: Duration = Duration::from_secs(30);

/// A running `serve`; killed when dropped, also when a test fails.
struct Server {
    child: Child,
    addr: String,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    site: Site,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(
    r: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<String>>>,
    tx: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            if let Some(tx) = &tx {
                let _ = tx.send(line.clone());
            }
            into.lock().unwrap().push(line);
        }
    });
}

impl Server {
    fn start(site: Site) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        collect(child.stdout.take().unwrap(), stdout.clone(), Some(tx));
        collect(child.stderr.take().unwrap(), stderr.clone(), None);
        let mut server = Server {
            child,
            addr: String::new(),
            stdout,
            stderr,
            site,
        };
        let deadline = Instant::now() + WAIT;
        while server.addr.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(i) = line.find("http://") {
                        let url = line[i + 7..].split_whitespace().next().unwrap();
                        server.addr = url.trim_end_matches('/').to_string();
                    }
                }
                Err(_) => panic!("no URL printed; stderr:\n{}", server.stderr()),
            }
        }
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().join("\n")
    }

    /// Waits until the terminal output has `needle`: the pipe may lag
    /// behind what the server already serves or sends as an event.
    fn wait_stdout(&self, needle: &str) {
        self.wait_printed(needle, Self::stdout);
    }

    fn wait_stderr(&self, needle: &str) {
        self.wait_printed(needle, Self::stderr);
    }

    fn wait_printed(&self, needle: &str, output: impl Fn(&Self) -> String) {
        let deadline = Instant::now() + WAIT;
        while !output(self).contains(needle) {
            assert!(
                Instant::now() < deadline,
                "never printed {needle:?}:\n{}",
                output(self)
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[])
    }

    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Response {
        request(&self.addr, method, target, headers)
    }

    /// Polls `target` until `ok` holds for the response.
    fn wait_for(&self, target: &str, what: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let r = self.get(target);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{target}: never {what}; last: {} {}\nstdout:\n{}\nstderr:\n{}",
                r.status,
                r.body,
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Builds the same files for the same URL with `build`, and asserts
    /// that every file is served with the same bytes. Returns the build.
    fn assert_same_as_full_build(&self) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
        let out = tempfile::tempdir().unwrap();
        let built = Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
            .args([
                "build",
                "--base-url",
                &format!("http://{}/", self.addr),
                "--root",
            ])
            .arg(self.site.root())
            .arg("--output")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        let files = support::snapshot(out.path());
        assert!(files.len() > 10);
        let inject = r#"<script src="/__wegwijzer/reload.js" defer></script>"#;
        for (path, bytes) in &files {
            let path = path.to_string_lossy().replace('\\', "/");
            // Deploy files that only a build on disk writes.
            if path == "_headers" || path == wegwijzer::write::MARKER {
                continue;
            }
            let url = match path.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{path}"),
            };
            let r = self.get(&url);
            assert_eq!(r.status, 200, "{url}");
            let served = if path.ends_with(".html") {
                String::from_utf8(r.bytes.clone())
                    .unwrap()
                    .replacen(inject, "", 1)
                    .into_bytes()
            } else {
                r.bytes.clone()
            };
            assert!(
                served == *bytes,
                "{url} differs from the full build:\n{}\n---\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(bytes)
            );
        }
        files
    }

    fn events(&self) -> Events {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET /__wegwijzer/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut event, mut data) = (String::new(), String::new());
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let events = Events { rx };
        events.wait("hello", |_| true);
        events
    }
}

struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    /// The data of the next `name` event for which `ok` holds.
    fn wait(&self, name: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((e, d)) if e == name && ok(&d) => return d,
                Ok(other) => seen.push(other),
                Err(_) => panic!("no `{name}` event; saw {seen:?}"),
            }
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    bytes: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(addr: &str, method: &str, target: &str, headers: &[(&str, &str)]) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let bytes = raw[split..].to_vec();
    let text = String::from_utf8_lossy(&raw[..split]).into_owned();
    let head = text.trim_end();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// Replaces a file the way many editors save: write a temp file, rename it
/// over the original.
fn save_via_rename(site: &Site, rel: &str, text: &str) {
    let path = site.root().join(rel);
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

const KLACHT: &str = "content/melden/klacht.md";

#[test]
fn the_first_build_is_served_correctly() {
    let s = Server::start(Site::fixture("basic"));
    let home = s.get("/");
    assert_eq!(home.status, 200, "{}", home.body);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("<h1>Welkom</h1>"), "{}", home.body);
    // The live-reload client, as a file: the CSP forbids inline scripts.
    assert!(home
        .body
        .contains(r#"<script src="/__wegwijzer/reload.js" defer></script></body>"#));
    assert!(home
        .header("Content-Security-Policy")
        .is_some_and(|v| v.contains("script-src 'self'")));
    let js = s.get("/__wegwijzer/reload.js");
    assert_eq!(js.status, 200);
    assert!(js.body.contains("EventSource"));
    assert!(!js.body.contains("innerHTML"));
    assert_eq!(
        s.get("/__wegwijzer/overlay.css").header("Content-Type"),
        Some("text/css; charset=utf-8")
    );

    let page = s.get("/melden/vertrouwenspersoon/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>De vertrouwenspersoon</h1>"));
    let pdf = s.get("/handboeken/protocol/formulier.pdf");
    assert_eq!(pdf.header("Content-Type"), Some("application/pdf"));
    let sitemap = s.get("/sitemap.xml");
    assert_eq!(sitemap.status, 200);
    assert!(sitemap
        .header("Content-Type")
        .unwrap()
        .starts_with("application/xml"));
    // The preview's links point at the preview.
    assert!(
        sitemap.body.contains(&format!("http://{}/melden/", s.addr)),
        "{}",
        sitemap.body
    );
    let css = home
        .body
        .split("href=\"/css/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let css = s.get(&format!("/css/{css}"));
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(css.header("Cache-Control").unwrap().contains("immutable"));

    // A folder without its slash is redirected; a missing page is the site's 404.
    let r = s.get("/melden?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/melden/?x=1"));
    let r = s.get("/bestaat-niet/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Niet gevonden"), "{}", r.body);

    // HEAD: the headers of GET, no body. ETags: 304 when unchanged.
    let head = s.request("HEAD", "/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Length").unwrap(),
        home.body.len().to_string()
    );
    let etag = home.header("ETag").unwrap();
    assert_eq!(head.header("ETag"), Some(etag));
    let r = s.request("GET", "/", &[("If-None-Match", etag)]);
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    let r = s.request("GET", "/", &[("If-None-Match", "\"other\"")]);
    assert_eq!(r.status, 200);
    assert_eq!(s.request("POST", "/", &[]).status, 405);
}

#[test]
fn the_reload_script_never_reaches_build_output() {
    let site = Site::fixture("basic");
    site.build_ok();
    for (path, bytes) in site.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__wegwijzer"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn an_edit_is_served_and_open_pages_reload() {
    let s = Server::start(Site::fixture("basic"));
    let events = s.events();
    let old = s.get("/melden/klacht/");
    assert!(old.body.contains("<h1>Een klacht indienen</h1>"));
    let text = std::fs::read_to_string(s.site.root().join(KLACHT)).unwrap();
    save_via_rename(
        &s.site,
        KLACHT,
        &text.replace("Een klacht indienen", "Klagen"),
    );
    let new = s.wait_for("/melden/klacht/", "shows the edit", |r| {
        r.body.contains("<h1>Klagen</h1>")
    });
    assert_ne!(old.header("ETag"), new.header("ETag"));
    // The listing that shows it changed with it.
    assert!(s.get("/melden/").body.contains(">Klagen</a>"));
    let data = events.wait("reload", |d| d.contains("\"/melden/klacht/\""));
    assert!(data.contains("\"/melden/\""), "{data}");
    // An unchanged page is not in the list: it need not reload.
    assert!(!data.contains("\"/handboeken/\""), "{data}");
}

#[test]
fn a_broken_edit_keeps_the_old_page_and_the_fix_clears_the_overlay() {
    let s = Server::start(Site::fixture("basic"));
    let events = s.events();
    let good = std::fs::read_to_string(s.site.root().join(KLACHT)).unwrap();
    s.site.write(KLACHT, good.replace("title:", "titel:"));
    let data = events.wait("error", |_| true);
    assert!(
        data.contains("\"file\":\"content/melden/klacht.md\""),
        "{data}"
    );
    assert!(data.contains("\"line\":2"), "{data}");
    assert!(data.contains("unknown key `titel`"), "{data}");
    let page = s.get("/melden/klacht/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Een klacht indienen</h1>"));
    s.wait_stderr("unknown key `titel`");
    s.wait_stderr("still serving the last good build");
    // A page opened now learns about the error straight away.
    let late = s.events();
    late.wait("error", |d| d.contains("titel"));

    s.site
        .write(KLACHT, good.replace("Een klacht indienen", "Hersteld"));
    // The reload event clears the overlay in every open page.
    events.wait("reload", |d| d.contains("\"/melden/klacht/\""));
    late.wait("reload", |_| true);
    s.wait_for("/melden/klacht/", "shows the fix", |r| {
        r.body.contains("<h1>Hersteld</h1>")
    });
    // The server is still there after all of it.
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn a_deleted_page_gives_404_and_a_new_section_appears() {
    let s = Server::start(Site::fixture("basic"));
    assert_eq!(s.get("/melden/klacht/").status, 200);
    // The vertrouwenspersoon page links to klacht: drop the link too.
    let vp = "content/melden/vertrouwenspersoon.md";
    let text = std::fs::read_to_string(s.site.root().join(vp)).unwrap();
    s.site.write(
        vp,
        text.replace("Lees ook [klachten](klacht.md#wat-kun-je-doen) en", "Lees"),
    );
    s.site.remove(KLACHT);
    s.wait_for("/melden/klacht/", "gone", |r| r.status == 404);
    assert!(!s.get("/melden/").body.contains("/melden/klacht/"));

    std::fs::create_dir_all(s.site.root().join("content/nieuw")).unwrap();
    s.site.write(
        "content/nieuw/_index.md",
        "---\ntitle: Nieuw\n---\nEen nieuwe sectie.\n",
    );
    s.site.write(
        "content/nieuw/pagina.md",
        "---\ntitle: Een pagina\n---\nTekst.\n",
    );
    s.wait_for("/nieuw/pagina/", "served", |r| r.status == 200);
}

#[test]
fn swap_files_are_ignored_and_a_burst_is_one_rebuild() {
    let s = Server::start(Site::fixture("basic"));
    let events = s.events();
    // Editor droppings: no rebuild. Then a real edit, which must be the
    // first rebuild.
    s.site.write("content/melden/.klacht.md.swp", "x");
    s.site.write("content/melden/klacht.md~", "x");
    s.site.write("content/melden/#klacht.md#", "x");
    std::fs::create_dir_all(s.site.root().join("content/.git")).unwrap();
    s.site.write("content/.git/index", "x");
    // Long enough for a rebuild to start if they counted.
    std::thread::sleep(Duration::from_millis(300));
    s.site.write(
        "content/melden/nog-een.md",
        "---\ntitle: Nog een\n---\nTekst.\n",
    );
    events.wait("reload", |d| d.contains("/melden/nog-een/"));
    // The line is printed before the event is sent; the pipe may lag.
    let rebuilds = |n: usize| {
        let deadline = Instant::now() + WAIT;
        loop {
            let count = s.stdout().matches(" rebuilt in ").count();
            if count >= n || Instant::now() > deadline {
                return count;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    assert_eq!(rebuilds(1), 1, "{}", s.stdout());

    // A thousand new files, like a `git checkout`, in a new section.
    s.site
        .write("content/veel/_index.md", "---\ntitle: Veel\n---\n");
    for i in 0..999 {
        s.site.write(
            &format!("content/veel/p-{i:03}.md"),
            format!("---\ntitle: Pagina {i}\n---\nTekst {i}.\n"),
        );
    }
    // One reload for the whole burst: it lists the last page, or says
    // `null` (too many to list: every page reloads).
    events.wait("reload", |d| {
        d.contains("\"paths\":null") || d.contains("/veel/p-998/")
    });
    assert_eq!(s.get("/veel/p-500/").status, 200);
    assert_eq!(rebuilds(2), 2, "{}", s.stdout());
}

#[test]
fn paths_outside_the_output_are_refused() {
    let s = Server::start(Site::fixture("basic"));
    for target in [
        "/../site.yaml",
        "/../../../../etc/passwd",
        "/melden/../../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/melden/%2e%2e/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
        "/..%5csite.yaml",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/..\\site.yaml",
        "/index.html%00.txt",
        "/content/melden/klacht.md",
        "/site.yaml",
        "/_headers",
        "/etc/passwd",
        "http://127.0.0.1/../site.yaml",
        "/.%2e/site.yaml",
    ] {
        let r = s.get(target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: {} {}",
            r.status,
            r.body
        );
        assert!(!r.body.contains("quick_exit_url"), "{target}: {}", r.body);
        assert!(!r.body.contains("root:"), "{target}");
    }
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn two_hundred_concurrent_requests_all_succeed() {
    let s = Server::start(Site::fixture("basic"));
    let addr = s.addr.clone();
    let barrier = Arc::new(std::sync::Barrier::new(200));
    let handles: Vec<_> = (0..200)
        .map(|i| {
            let addr = addr.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let target = [
                    "/",
                    "/melden/",
                    "/melden/vertrouwenspersoon/",
                    "/sitemap.xml",
                ][i % 4];
                barrier.wait();
                request(&addr, "GET", target, &[]).status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(statuses.iter().all(|&c| c == 200), "{statuses:?}");
}

#[test]
fn after_edits_the_served_site_equals_a_full_build() {
    let s = Server::start(Site::fixture("basic"));
    let text = std::fs::read_to_string(s.site.root().join(KLACHT)).unwrap();
    // A page edit, a new page, a template edit, a data edit, a deleted page.
    s.site
        .write(KLACHT, text.replace("Een klacht indienen", "Klagen"));
    s.wait_for("/melden/klacht/", "edited", |r| r.body.contains("Klagen"));
    s.site.write(
        "content/melden/nieuw.md",
        "---\ntitle: Nieuw\nweight: 0\ntheme: melden\n---\n## Kop\n\nTekst.\n",
    );
    s.wait_for("/melden/nieuw/", "added", |r| r.status == 200);
    let section = "themes/default/templates/section.html";
    let t = std::fs::read_to_string(s.site.root().join(section)).unwrap();
    s.site
        .write(section, t.replace("<ul>", "<ul class=\"lijst\">"));
    s.wait_for("/melden/", "re-templated", |r| r.body.contains("lijst"));
    let orgs = "content/organisaties.yaml";
    let o = std::fs::read_to_string(s.site.root().join(orgs)).unwrap();
    s.site
        .write(orgs, o.replace("name: Politie", "name: Politie Nederland"));
    s.site
        .write("content/melden/weg.md", "---\ntitle: Weg\n---\nTekst.\n");
    s.wait_for("/melden/weg/", "added", |r| r.status == 200);
    s.site.remove("content/melden/weg.md");
    s.wait_for("/melden/weg/", "removed", |r| r.status == 404);

    // A full build of the same files for the same URL.
    let files = s.assert_same_as_full_build();
    assert!(String::from_utf8_lossy(
        &files[std::path::Path::new("melden/vertrouwenspersoon/index.html")]
    )
    .contains("Politie Nederland"));
}

#[test]
fn a_text_edit_re_renders_that_page_and_the_search_index_only() {
    let s = Server::start(Site::fixture("basic"));
    let events = s.events();
    let text = std::fs::read_to_string(s.site.root().join(KLACHT)).unwrap();
    // Only the text changes: a word that no page had, so the index changes.
    s.site.write(
        KLACHT,
        text.replace(
            "## Wat kun je doen?",
            "Zeldzaamwoord.\n\n## Wat kun je doen?",
        ),
    );
    let data = events.wait("reload", |_| true);
    assert_eq!(
        data.split("\"paths\":").nth(1),
        Some("[\"/melden/klacht/\"]}"),
        "{data}"
    );
    s.wait_for("/melden/klacht/", "edited", |r| {
        r.body.contains("Zeldzaamwoord")
    });
    s.wait_stdout("re-rendered 1 file(s)");
    // The search files served now are those of a full build, the new word
    // included.
    let files = s.assert_same_as_full_build();
    let index: Vec<u8> = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/s"))
        .flat_map(|(_, b)| b.clone())
        .collect();
    assert!(String::from_utf8_lossy(&index).contains("zeldzaamwoord"));
}

#[test]
fn text_edits_that_break_a_link_stay_errors_until_every_one_is_fixed() {
    let s = Server::start(Site::fixture("basic"));
    let events = s.events();
    let vp = "content/melden/vertrouwenspersoon.md";
    let vp_text = std::fs::read_to_string(s.site.root().join(vp)).unwrap();
    let klacht = std::fs::read_to_string(s.site.root().join(KLACHT)).unwrap();
    // Renaming a heading that another page links to breaks that page.
    s.site.write(
        KLACHT,
        klacht.replace("## Wat kun je doen?", "## Wat je kunt doen"),
    );
    let data = events.wait("error", |_| true);
    assert!(
        data.contains("content/melden/vertrouwenspersoon.md"),
        "{data}"
    );
    assert!(data.contains("#wat-kun-je-doen"), "{data}");
    // Another good edit does not hide the first problem.
    s.site
        .write(vp, vp_text.replace("Hij of zij luistert.", "Zij luistert."));
    events.wait("error", |d| d.contains("#wat-kun-je-doen"));
    assert!(!s
        .get("/melden/vertrouwenspersoon/")
        .body
        .contains("Zij luistert."));
    // Fixing the link clears it; both edits are then served.
    s.site.write(
        vp,
        vp_text
            .replace("Hij of zij luistert.", "Zij luistert.")
            .replace("klacht.md#wat-kun-je-doen", "klacht.md#wat-je-kunt-doen"),
    );
    events.wait("reload", |_| true);
    s.wait_for("/melden/vertrouwenspersoon/", "fixed", |r| {
        r.body.contains("Zij luistert.")
    });
    assert!(s.get("/melden/klacht/").body.contains("Wat je kunt doen"));
    s.assert_same_as_full_build();
}

#[test]
fn front_matter_edits_update_what_shows_them() {
    let s = Server::start(Site::fixture("basic"));
    // A title: the page, its section's list, the A–Z list, the index.
    let text = std::fs::read_to_string(s.site.root().join(KLACHT)).unwrap();
    s.site.write(
        KLACHT,
        text.replace("Een klacht indienen", "Klagen doe je zo"),
    );
    s.wait_for("/melden/", "lists the new title", |r| {
        r.body.contains("Klagen doe je zo")
    });
    assert!(s.get("/zoeken/").body.contains("Klagen doe je zo"));
    s.wait_stdout("re-rendered");
    assert!(!s.stdout().contains(" rebuilt in "), "{}", s.stdout());
    s.assert_same_as_full_build();

    // A weight that changes the order, and a date for the sitemap, on a
    // page with a theme, aliases and organisations.
    let vp = "content/melden/vertrouwenspersoon.md";
    let v = std::fs::read_to_string(s.site.root().join(vp)).unwrap();
    s.site.write(
        vp,
        v.replace("weight: 1", "weight: 3")
            .replace("updated: 2026-11-01", "updated: 2026-11-20"),
    );
    s.wait_for("/sitemap.xml", "has the new date", |r| {
        r.body.contains("2026-11-20")
    });
    s.assert_same_as_full_build();

    // A section's title shows in the breadcrumbs of its pages.
    let section = "content/melden/_index.md";
    let m = std::fs::read_to_string(s.site.root().join(section)).unwrap();
    s.site
        .write(section, m.replace("title: Melden", "title: Iets melden"));
    s.wait_for("/melden/klacht/", "new breadcrumb", |r| {
        r.body.contains("Iets melden")
    });
    s.assert_same_as_full_build();
    assert!(!s.stdout().contains(" rebuilt in "), "{}", s.stdout());
}

#[test]
fn a_template_edit_re_renders_what_uses_it() {
    let s = Server::start(Site::fixture("basic"));
    let events = s.events();
    let section = "themes/default/templates/section.html";
    let t = std::fs::read_to_string(s.site.root().join(section)).unwrap();
    // section.html renders the two sections; nothing else uses it.
    s.site
        .write(section, t.replace("<ul>", "<ul class=\"sectie\">"));
    let data = events.wait("reload", |_| true);
    assert_eq!(
        data.split("\"paths\":").nth(1),
        Some("[\"/handboeken/\",\"/melden/\"]}"),
        "{data}"
    );
    s.wait_stdout("re-rendered 2 file(s)");
    assert!(!s.stdout().contains("search index follows"));
    s.assert_same_as_full_build();

    // base.html is extended by every template: every page changes.
    let base = "themes/default/templates/base.html";
    let b = std::fs::read_to_string(s.site.root().join(base)).unwrap();
    s.site
        .write(base, b.replacen("<body", "<body data-basis=\"ja\"", 1));
    s.wait_for("/melden/klacht/", "re-templated", |r| {
        r.body.contains("data-basis")
    });
    assert!(s.get("/404.html").body.contains("data-basis"));
    s.assert_same_as_full_build();

    // A syntax error keeps the last good site; the fix clears it.
    s.site.write(section, format!("{t}{{% if %}}\n"));
    let data = events.wait("error", |_| true);
    assert!(data.contains("section.html"), "{data}");
    assert!(s.get("/melden/").body.contains("class=\"sectie\""));
    s.site.write(section, &t);
    s.wait_for("/melden/", "fixed", |r| {
        !r.body.contains("class=\"sectie\"")
    });
    s.assert_same_as_full_build();
}

#[test]
fn an_institution_edit_re_renders_its_pages_vcards_and_open_data() {
    let s = Server::start(Site::bundled());
    let events = s.events();
    let file = "content/instellingen/aoc-demohoeve.yaml";
    let text = std::fs::read_to_string(s.site.root().join(file)).unwrap();
    assert!(!s.get("/instellingen.json").body.contains("026 001 23 99"));
    // A new phone number: the chooser and the A–Z list do not show it.
    s.site
        .write(file, text.replace("026 001 23 45", "026 001 23 99"));
    let data = events.wait("reload", |_| true);
    assert!(data.contains("/instellingen/aoc-demohoeve/"), "{data}");
    assert!(
        !data.contains("/instellingen/elan-vakschool-fictief/"),
        "{data}"
    );
    assert!(!data.contains("\"/melden/\""), "{data}");
    s.wait_stdout("re-rendered");
    assert!(s.get("/instellingen.json").body.contains("026 001 23 99"));
    s.assert_same_as_full_build();

    // A new name shows on every theme page's chooser: a full build.
    s.site.write(
        file,
        text.replace("name: AOC Demohoeve", "name: AOC De Hoeve"),
    );
    s.wait_for(
        "/seksuele-grenzen/op-stage/",
        "new name in the chooser",
        |r| r.body.contains("AOC De Hoeve"),
    );
    s.wait_stdout(" rebuilt in ");
    s.assert_same_as_full_build();

    // A mistake is shown and the last good site stays.
    s.site
        .write(file, text.replace("region: oost", "region: midden"));
    let data = events.wait("error", |_| true);
    assert!(data.contains("aoc-demohoeve.yaml"), "{data}");
}
