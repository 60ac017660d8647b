//! Server-Sent Events at `/__wegwijzer/events`: open pages learn that the
//! site was rebuilt (`reload`) or that the last edit broke it (`error`).
//!
//! Each client gets its own thread and a small queue, so a slow browser tab
//! never holds up a rebuild.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::diagnostics::Diagnostic;

/// Open pages at once; more get 503 (a preview has a handful).
pub const MAX_CLIENTS: usize = 64;
/// A comment line this often finds clients that went away.
const PING: Duration = Duration::from_secs(15);
/// Errors sent to the overlay; the terminal shows them all.
const MAX_ERRORS: usize = 50;

const HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";

struct Client {
    tx: SyncSender<Arc<str>>,
    alive: Arc<AtomicBool>,
}

struct Inner {
    clients: Vec<Client>,
    build: String,
    /// The `error` event of the current failed build, sent to new clients.
    error: Option<Arc<str>>,
}

pub struct Hub {
    /// Tells builds of two runs of the server apart, so that a page that
    /// reconnects after a restart reloads.
    instance: String,
    inner: Mutex<Inner>,
}

fn message(event: &str, data: &serde_json::Value) -> Arc<str> {
    // serde_json's compact form has no newlines, so one `data:` line holds it.
    format!("event: {event}\ndata: {data}\n\n").into()
}

impl Hub {
    pub fn new() -> Hub {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let instance = format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff);
        Hub {
            inner: Mutex::new(Inner {
                clients: Vec::new(),
                build: format!("{instance}-0"),
                error: None,
            }),
            instance,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panicking client thread must not stop the hub.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes over a connection (its response not yet started) as an event
    /// stream. Fails when there are too many streams.
    pub fn connect(&self, mut writer: Box<dyn Write + Send>) -> Result<(), ()> {
        let (tx, rx) = mpsc::sync_channel::<Arc<str>>(16);
        let alive = Arc::new(AtomicBool::new(true));
        let first = {
            let mut inner = self.lock();
            inner.clients.retain(|c| c.alive.load(Ordering::Relaxed));
            if inner.clients.len() >= MAX_CLIENTS {
                return Err(());
            }
            let mut first = String::from("retry: 1000\n\n");
            first.push_str(&message(
                "hello",
                &json!({"build": inner.build, "ok": inner.error.is_none()}),
            ));
            if let Some(e) = &inner.error {
                first.push_str(e);
            }
            inner.clients.push(Client {
                tx,
                alive: alive.clone(),
            });
            first
        };
        let spawned = std::thread::Builder::new()
            .name("sse".into())
            .spawn(move || {
                let mut run = || -> io::Result<()> {
                    writer.write_all(HEAD)?;
                    writer.write_all(first.as_bytes())?;
                    writer.flush()?;
                    loop {
                        match rx.recv_timeout(PING) {
                            Ok(m) => writer.write_all(m.as_bytes())?,
                            Err(RecvTimeoutError::Timeout) => writer.write_all(b": ping\n\n")?,
                            Err(RecvTimeoutError::Disconnected) => return Ok(()),
                        }
                        writer.flush()?;
                    }
                };
                let _ = run();
                alive.store(false, Ordering::Relaxed);
            });
        spawned.map(|_| ()).map_err(|_| ())
    }

    fn broadcast(inner: &mut Inner, m: &Arc<str>) {
        inner.clients.retain(|c| {
            c.alive.load(Ordering::Relaxed)
                && match c.tx.try_send(m.clone()) {
                    Ok(()) => true,
                    // A client that does not keep up is dropped; its page
                    // reconnects and catches up through `hello`.
                    Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
                }
        });
    }

    /// A build that changed the site: `urls` are the changed pages and
    /// files (`None`: too many to list, reload every page).
    pub fn reload(&self, generation: u64, urls: Option<&[String]>) {
        let mut inner = self.lock();
        inner.build = format!("{}-{generation}", self.instance);
        inner.error = None;
        let m = message("reload", &json!({"build": inner.build, "paths": urls}));
        Self::broadcast(&mut inner, &m);
    }

    /// A build that failed: the overlay shows `errors`.
    pub fn error(&self, errors: &[Diagnostic]) {
        let mut inner = self.lock();
        let shown: Vec<serde_json::Value> = errors
            .iter()
            .take(MAX_ERRORS)
            .map(|d| {
                json!({
                    "file": d.file.display().to_string().replace('\\', "/"),
                    "line": d.line,
                    "column": d.column,
                    "code": d.code,
                    "message": d.message,
                    "hint": d.hint,
                })
            })
            .collect();
        let m = message(
            "error",
            &json!({"errors": shown, "total": errors.len(), "build": inner.build}),
        );
        inner.error = Some(m.clone());
        Self::broadcast(&mut inner, &m);
    }

    pub fn clients(&self) -> usize {
        let mut inner = self.lock();
        inner.clients.retain(|c| c.alive.load(Ordering::Relaxed));
        inner.clients.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose bytes the test can read.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn wait_for(w: &Shared, needle: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let text = String::from_utf8_lossy(&w.0.lock().unwrap()).into_owned();
            if text.contains(needle) {
                return text;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {needle:?} in {text}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn new_clients_get_hello_and_the_current_error() {
        let hub = Hub::new();
        hub.error(&[
            Diagnostic::error("unknown-key", "content/a.md", "unknown key `titel`").at(2, 1),
        ]);
        let w = Shared::default();
        hub.connect(Box::new(w.clone())).unwrap();
        let text = wait_for(&w, "event: error");
        assert!(text.starts_with("HTTP/1.1 200 OK"));
        assert!(text.contains("event: hello\ndata: {\"build\""));
        assert!(text.contains("\"file\":\"content/a.md\""), "{text}");
        assert!(text.contains("\"line\":2"), "{text}");
        hub.reload(3, Some(&["/a/".to_string()]));
        let text = wait_for(&w, "event: reload");
        assert!(text.contains("\"paths\":[\"/a/\"]"), "{text}");
        assert_eq!(hub.clients(), 1);
    }
}
