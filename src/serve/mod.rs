//! `wegwijzer serve`: a live preview. It builds the site into memory, serves
//! the last good build over HTTP, watches the sources, rebuilds when they
//! change, and tells open pages to reload, or shows the errors of a bad edit
//! in an overlay, over Server-Sent Events.
//!
//! Nothing is written to disk, so stopping it (Ctrl-C) leaves nothing
//! behind, and a request can never reach a file outside the build.

mod events;
pub mod http;
pub mod output;
pub mod watch;

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::diagnostics::{self, Diagnostic};
use crate::render::{MemorySink, RenderOptions};
use crate::{BuildOptions, BuildReport};
use events::Hub;
use http::Target;
use output::{Deferred, File, Output};

/// The live-reload client, put before `</body>` of every page that `serve`
/// builds: a separate file, because the site's CSP forbids inline scripts.
pub const INJECT: &str = r#"<script src="/__wegwijzer/reload.js" defer></script>"#;

const RELOAD_JS: &[u8] = include_bytes!("client/reload.js");
const OVERLAY_CSS: &[u8] = include_bytes!("client/overlay.css");

/// Threads answering requests; event streams get threads of their own.
const WORKERS: usize = 8;
/// A reload event lists the changed pages up to this many; beyond, every
/// open page reloads.
const MAX_LISTED: usize = 2000;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// An IP address or `localhost`.
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// How long the sources must be quiet before a rebuild starts (longer
    /// after a burst of changes).
    pub debounce: Duration,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            bind: "127.0.0.1".into(),
            port: 1111,
            drafts: false,
            debounce: Duration::from_millis(15),
        }
    }
}

struct Shared {
    output: RwLock<Arc<Output>>,
    hub: Hub,
}

impl Shared {
    fn current(&self) -> Arc<Output> {
        self.output
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Runs the preview until the process is stopped. Returns early only when
/// it cannot start (the address is taken, the folder does not exist); never
/// because of the site's content.
pub fn serve(opts: &ServeOptions) -> Result<(), String> {
    let root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open the site folder {}: {e}", opts.root.display()))?;
    let addr = resolve_bind(&opts.bind, opts.port)?;
    let server = listen(addr)
        .and_then(|l| tiny_http::Server::from_listener(l, None))
        .map_err(|e| {
            format!(
                "cannot listen on {addr}: {e}; choose another port with --port (0 picks a free one)"
            )
        })?;
    let local = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let url = format!("http://{}/", display_addr(local));
    let server = Arc::new(server);

    // Watch before the first build, so that no edit made during it is lost.
    let mut watch = match watch::Watch::new(&root) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("warning: {e}; the preview will not update by itself");
            None
        }
    };

    let shared = Arc::new(Shared {
        output: RwLock::new(Arc::new(Output::default())),
        hub: Hub::new(),
    });
    let mut builder = Builder::new(BuildOptions {
        root: root.clone(),
        // Links, permalinks and the sitemap point at the preview.
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        render: RenderOptions {
            inject: Some(INJECT.to_string()),
            ..Default::default()
        },
        ..Default::default()
    });
    let first = builder.build();
    builder.apply(first, &shared, None);
    let indexer = spawn_indexer();

    for i in 0..WORKERS {
        let server = server.clone();
        let shared = shared.clone();
        std::thread::Builder::new()
            .name(format!("http-{i}"))
            .spawn(move || {
                while let Ok(req) = server.recv() {
                    handle(req, &shared);
                }
            })
            .map_err(|e| format!("cannot start a thread: {e}"))?;
    }
    println!("Serving {url} (press Ctrl-C to stop)");

    let Some(watch) = watch.as_mut() else {
        loop {
            std::thread::park();
        }
    };
    let mut last_stamp = None;
    loop {
        let changes = watch.next(&builder.theme, opts.debounce);
        if changes.rescan && changes.paths.is_empty() {
            // Lost events may be our own reads; rebuild only on a real change.
            let stamp = watch::stamp(&root, &root.join("themes").join(&builder.theme));
            if last_stamp == Some(stamp) {
                continue;
            }
            last_stamp = Some(stamp);
        }
        let built = builder.rebuild(&changes);
        if let Some(d) = builder.apply(built, &shared, Some(&changes)) {
            // Make the deferred files now, before a page asks for them.
            let _ = indexer.send(d);
        }
    }
}

/// A thread that makes deferred files, the newest first: files that a
/// newer edit made stale are never made unless a request asks for them.
fn spawn_indexer() -> std::sync::mpsc::Sender<Arc<Deferred>> {
    let (tx, rx) = std::sync::mpsc::channel::<Arc<Deferred>>();
    let _ = std::thread::Builder::new()
        .name("indexer".into())
        .spawn(move || {
            while let Ok(mut d) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    d = newer;
                }
                d.files();
            }
        });
    tx
}

/// A listening socket whose connections send small writes at once. Without
/// TCP_NODELAY (which accepted sockets inherit), a response's body waits
/// for the ACK of its headers, which a client delays by up to 40 ms: every
/// request on a kept-alive connection took that long.
fn listen(
    addr: SocketAddr,
) -> Result<std::net::TcpListener, Box<dyn std::error::Error + Send + Sync>> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

fn resolve_bind(bind: &str, port: u16) -> Result<SocketAddr, String> {
    let host = if bind.eq_ignore_ascii_case("localhost") {
        "127.0.0.1"
    } else {
        bind
    };
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| format!("--bind {bind}: not an IP address (e.g. 127.0.0.1)"))
}

/// The address as a browser should use it: all interfaces means loopback
/// for the URL we print.
fn display_addr(a: SocketAddr) -> String {
    match a.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("{}:{}", Ipv4Addr::LOCALHOST, a.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[{}]:{}", Ipv6Addr::LOCALHOST, a.port()),
        _ => a.to_string(),
    }
}

/// The outcome of one build.
pub struct Built {
    pub report: BuildReport,
    /// The output, when the build had no errors.
    pub files: Option<Files>,
    pub theme: Option<String>,
}

pub enum Files {
    /// A full build: every file.
    All(BTreeMap<String, Vec<u8>>),
    /// An edit of pages' text or of templates: the files that may have
    /// changed, and the search index to make if it is stale.
    Edited {
        pages: Vec<(String, Vec<u8>)>,
        search: Option<output::Job>,
    },
}

/// Builds the site into memory, and keeps what the terminal has been told.
pub struct Builder {
    pub opts: BuildOptions,
    /// The active theme's folder name, for the watcher.
    pub theme: String,
    warned: HashSet<(PathBuf, Option<usize>, String)>,
    builds: usize,
    /// The last good build, for edits of a page's text.
    kept: Option<crate::live::Live>,
    /// Sources changed since the last good build: an edit after a failed
    /// one must see both.
    pending: std::collections::BTreeSet<PathBuf>,
}

impl Builder {
    pub fn new(opts: BuildOptions) -> Builder {
        Builder {
            opts,
            theme: "default".into(),
            warned: HashSet::new(),
            builds: 0,
            kept: None,
            pending: Default::default(),
        }
    }

    /// The build after `changes`: only the edited pages and the search
    /// index when nothing but pages' text changed, else a full build.
    pub fn rebuild(&mut self, changes: &watch::Changes) -> Built {
        self.pending.extend(changes.paths.iter().cloned());
        if changes.rescan {
            self.kept = None;
        }
        if let Some(mut kept) = self.kept.take() {
            let changed: Vec<PathBuf> = self.pending.iter().cloned().collect();
            let opts = &self.opts;
            let edit = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let edit = kept.edit(opts, &changed);
                (edit, kept)
            }));
            match edit {
                Ok((
                    crate::live::Edit::Rendered {
                        files,
                        report,
                        search,
                    },
                    kept,
                )) => {
                    let search = search.then(|| Box::new(kept.search_job()) as output::Job);
                    self.kept = Some(kept);
                    self.pending.clear();
                    return Built {
                        report,
                        files: Some(Files::Edited {
                            pages: files,
                            search,
                        }),
                        theme: None,
                    };
                }
                Ok((crate::live::Edit::Failed(report), kept)) => {
                    self.kept = Some(kept);
                    return Built {
                        report,
                        files: None,
                        theme: None,
                    };
                }
                // A full build finds out; after a panic, the kept state
                // is not trusted.
                Ok((crate::live::Edit::FullBuild, _)) | Err(_) => {}
            }
        }
        self.build()
    }

    /// A full build into a fresh [`MemorySink`].
    pub fn build(&mut self) -> Built {
        let start = std::time::Instant::now();
        let sink = MemorySink::default();
        // A bug in the pipeline must not stop the preview: it is reported
        // like a failed build, and the last good site stays up.
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::live::build(&self.opts, &sink)
        }));
        let (kept, report) = match run {
            Ok((report, kept)) => (kept, report),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown cause");
                let mut report = BuildReport {
                    elapsed: start.elapsed(),
                    ..Default::default()
                };
                report.diagnostics.push(
                    Diagnostic::error(
                        "internal",
                        "site.yaml",
                        format!("the build crashed: {what}"),
                    )
                    .hint("this is a bug in wegwijzer; the last good build is still served"),
                );
                (None, report)
            }
        };
        let theme = kept.as_ref().map(|k| k.site.config.theme.clone());
        if report.ok() {
            self.pending.clear();
        }
        self.kept = kept;
        let files = report
            .ok()
            .then(|| Files::All(sink.0.into_inner().unwrap_or_else(|e| e.into_inner())));
        Built {
            report,
            files,
            theme,
        }
    }

    /// Swaps in a good build and tells open pages, or keeps the last good
    /// one and shows the errors. Prints what happened.
    /// Returns the deferred files of the output, if it has any.
    fn apply(
        &mut self,
        built: Built,
        shared: &Shared,
        changes: Option<&watch::Changes>,
    ) -> Option<Arc<Deferred>> {
        self.builds += 1;
        if let Some(t) = built.theme {
            self.theme = t;
        }
        let root = self.opts.root.clone();
        let diags = built.report.diagnostics.sorted();
        let fresh: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| d.is_error() || self.warned.insert(warn_key(d)))
            .cloned()
            .collect();
        diagnostics::print(&fresh, &root);
        let when = chrono::Local::now().format("%H:%M:%S");
        let took = built.report.elapsed.as_secs_f64();
        let what = changes.map(|c| c.describe()).unwrap_or_default();
        // (files re-rendered, whether the search index follows) of an edit.
        let edited = match &built.files {
            Some(Files::Edited { pages, search }) => Some((pages.len(), search.is_some())),
            _ => None,
        };
        match built.files {
            Some(files) => {
                let (generation, changed, deferred) = {
                    let mut out = shared.output.write().unwrap_or_else(|e| e.into_inner());
                    let (next, changed) = match files {
                        Files::All(files) => out.next(files),
                        Files::Edited { pages, search } => out.patch(
                            pages,
                            search.map(|s| Deferred::new(crate::render::SEARCH_DIR, s)),
                        ),
                    };
                    *out = Arc::new(next);
                    (out.generation, changed, out.deferred.clone())
                };
                // Print before telling the pages: a test that saw the event
                // finds the line.
                if self.builds == 1 {
                    println!("{}", built.report.summary());
                } else if let Some((rendered, search)) = edited {
                    println!(
                        "{when} re-rendered {rendered} file(s) in {took:.3} s after {what}: {} output file(s) changed{}",
                        changed.len(),
                        if search { "; the search index follows" } else { "" }
                    );
                } else {
                    println!(
                        "{when} rebuilt in {took:.2} s after {what}: {} output file(s) changed",
                        changed.len()
                    );
                }
                let urls: Vec<String> = changed.iter().map(|p| output::url_of(p)).collect();
                // An empty list still clears a shown overlay.
                let listed = (urls.len() <= MAX_LISTED).then_some(urls.as_slice());
                shared.hub.reload(generation, listed);
                deferred
            }
            None => {
                let errors: Vec<Diagnostic> =
                    diags.iter().filter(|d| d.is_error()).cloned().collect();
                let keeping = if shared.current().generation > 0 {
                    "still serving the last good build"
                } else {
                    "nothing to serve until it is fixed"
                };
                eprintln!(
                    "{when} error: the build failed with {} error(s){}; {keeping}",
                    errors.len(),
                    if what.is_empty() {
                        String::new()
                    } else {
                        format!(" after {what}")
                    },
                );
                // As above: the terminal first, then the pages.
                shared.hub.error(&errors);
                None
            }
        }
    }
}

fn warn_key(d: &Diagnostic) -> (PathBuf, Option<usize>, String) {
    (d.file.clone(), d.line, d.message.clone())
}

/// A response body read from a shared output file without copying it.
struct Body {
    file: Arc<File>,
    pos: usize,
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = &self.file.bytes[self.pos.min(self.file.bytes.len())..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn request_header<'a>(req: &'a tiny_http::Request, name: &str) -> Option<&'a str> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn respond(
    req: tiny_http::Request,
    status: u16,
    headers: Vec<(String, String)>,
    body: Arc<File>,
    len: usize,
) {
    let headers = headers.iter().filter_map(|(n, v)| header(n, v)).collect();
    let response = tiny_http::Response::new(
        tiny_http::StatusCode(status),
        headers,
        Body { file: body, pos: 0 },
        Some(len),
        None,
    )
    // Always a Content-Length, also for HEAD and large files.
    .with_chunked_threshold(usize::MAX);
    // A client that went away is not an error of the server.
    let _ = req.respond(response);
}

fn text(req: tiny_http::Request, status: u16, message: &str, extra: Vec<(String, String)>) {
    let mut headers = vec![
        (
            "Content-Type".to_string(),
            "text/plain; charset=utf-8".to_string(),
        ),
        ("Cache-Control".to_string(), "no-cache".to_string()),
        ("X-Content-Type-Options".to_string(), "nosniff".to_string()),
    ];
    headers.extend(extra);
    let body = Arc::new(File::new(format!("{message}\n").into_bytes()));
    let len = body.bytes.len();
    respond(req, status, headers, body, len);
}

/// Serves a file: conditional requests, the site's headers, its type.
fn send_file(req: tiny_http::Request, out: &Output, path: &str, file: Arc<File>, status: u16) {
    let url = output::url_of(path);
    let mut headers = out.headers.for_path(&url);
    let has = |headers: &[(String, String)], n: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
    };
    if !has(&headers, "Cache-Control") {
        // Revalidate every time: the preview changes under the browser.
        headers.push(("Cache-Control".into(), "no-cache".into()));
    }
    if !has(&headers, "X-Content-Type-Options") {
        headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
    }
    headers.push(("Content-Type".into(), http::content_type(path).into()));
    let len = file.bytes.len();
    if status == 200 {
        let etag = file.etag().to_string();
        headers.push(("ETag".into(), etag.clone()));
        if request_header(&req, "If-None-Match").is_some_and(|v| http::etag_matches(v, &etag)) {
            respond(req, 304, headers, file, len);
            return;
        }
    }
    respond(req, status, headers, file, len);
}

fn handle(req: tiny_http::Request, shared: &Shared) {
    use tiny_http::Method;
    let get = match req.method() {
        Method::Get => true,
        Method::Head => false,
        _ => {
            text(
                req,
                405,
                "405 method not allowed",
                vec![("Allow".into(), "GET, HEAD".into())],
            );
            return;
        }
    };
    let out = shared.current();
    match http::resolve(req.url(), |p| out.get(p).is_some()) {
        Target::File(path) => {
            if let Some(file) = out.get(&path) {
                send_file(req, &out, &path, file.clone(), 200);
            } else {
                text(req, 404, "404 not found", vec![]);
            }
        }
        Target::Folder { location } => text(
            req,
            301,
            &format!("moved to {location}"),
            vec![("Location".into(), location)],
        ),
        Target::Internal("events") if get => {
            if shared.hub.clients() >= events::MAX_CLIENTS {
                text(req, 503, "503 too many open preview pages", vec![]);
            } else if shared.hub.connect(req.into_writer()).is_err() {
                // The connection was handed over and is closed now; the
                // page's EventSource tries again.
                eprintln!("warning: too many open preview pages; some will not reload");
            }
        }
        Target::Internal("events") => text(
            req,
            405,
            "405 use GET",
            vec![("Allow".into(), "GET".into())],
        ),
        Target::Internal(name) => {
            let (bytes, path) = match name {
                "reload.js" => (RELOAD_JS, "reload.js"),
                _ => (OVERLAY_CSS, "overlay.css"),
            };
            let file = Arc::new(File::new(bytes.to_vec()));
            send_file(req, &out, path, file, 200);
        }
        Target::NotFound if out.generation == 0 => {
            // The first build failed: every page shows the errors.
            let file = Arc::new(File::new(BROKEN_PAGE.as_bytes().to_vec()));
            send_file(req, &out, "index.html", file, 503);
        }
        Target::NotFound => match out.get("404.html") {
            Some(file) => send_file(req, &out, "404.html", file.clone(), 404),
            None => text(req, 404, "404 not found", vec![]),
        },
        Target::Bad(why) => text(req, 400, &format!("400 bad request: {why}"), vec![]),
    }
}

/// Served while no build has succeeded yet; reload.js shows the errors.
const BROKEN_PAGE: &str = concat!(
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
    "<title>The build failed</title>\n",
    "<link rel=\"stylesheet\" href=\"/__wegwijzer/overlay.css\">\n</head>\n<body>\n",
    "<h1>The build failed</h1>\n<p>The errors are in the terminal. Fix them and save: ",
    "this page reloads by itself.</p>\n",
    r#"<script src="/__wegwijzer/reload.js" defer></script>"#,
    "\n</body>\n</html>\n"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(
            resolve_bind("127.0.0.1", 0).unwrap(),
            "127.0.0.1:0".parse().unwrap()
        );
        assert_eq!(
            resolve_bind("localhost", 80).unwrap(),
            "127.0.0.1:80".parse().unwrap()
        );
        assert_eq!(resolve_bind("::1", 8).unwrap(), "[::1]:8".parse().unwrap());
        assert_eq!(
            display_addr("0.0.0.0:5".parse().unwrap()),
            "127.0.0.1:5".to_string()
        );
    }

    #[test]
    fn the_broken_page_uses_the_injected_client() {
        assert!(BROKEN_PAGE.contains(INJECT));
    }
}
