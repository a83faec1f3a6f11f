//! `nashra serve`'s HTTP side: a small HTTP/1.1 server (std::net, a thread
//! per connection, at most `MAX_CONNECTIONS`) for the output folder, with
//! live reload. Only GET and HEAD; paths are percent-decoded (Arabic slugs)
//! and nothing outside the output folder is ever served (`..`, encoded or
//! not, backslashes and symbolic links leading out are refused). HTML
//! responses get a small script, injected here and never written to disk,
//! that listens on `LIVE_RELOAD` (server-sent events) and reloads the page
//! after each rebuild.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The reserved path of the live-reload event stream.
pub const LIVE_RELOAD: &str = "/__nashra/livereload";

const MAX_CONNECTIONS: usize = 256;
const MAX_HEAD: usize = 16 * 1024;

const SCRIPT: &str = "<script>/* nashra serve: live reload */(function(){var s=new EventSource(\"/__nashra/livereload\");\
s.addEventListener(\"reload\",function(){location.reload();});})();</script>";

/// Rebuild generations, for the event streams to wait on.
#[derive(Default)]
struct Reload {
    generation: Mutex<u64>,
    changed: Condvar,
}

/// A running server; dropping it leaves the threads to end with the process.
pub struct Server {
    addr: SocketAddr,
    reload: Arc<Reload>,
}

struct Site {
    /// The output folder, canonical.
    out: PathBuf,
    /// The site's base path (`/` or `/news/`): URLs below it map to `out`.
    base_path: String,
}

impl Server {
    /// Bind `bind:port` (port 0 picks a free one) and serve `out` from a
    /// background thread.
    pub fn start(bind: &str, port: u16, out: &Path, base_path: &str) -> io::Result<Server> {
        let listener = TcpListener::bind((bind, port))?;
        let addr = listener.local_addr()?;
        std::fs::create_dir_all(out)?;
        let site = Arc::new(Site { out: out.canonicalize()?, base_path: base_path.to_string() });
        let reload = Arc::new(Reload::default());
        let active = Arc::new(AtomicUsize::new(0));
        let r = reload.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    active.fetch_sub(1, Ordering::SeqCst);
                    let mut s = stream;
                    let _ = respond(&mut s, "503 Service Unavailable", "text/plain; charset=utf-8", b"too many connections\n", true, &[]);
                    continue;
                }
                let (site, r, active) = (site.clone(), r.clone(), active.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &site, &r);
                    active.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Ok(Server { addr, reload })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Tell every open page to reload (call once a rebuild has written everything).
    pub fn reload(&self) {
        let mut g = crate::lock(&self.reload.generation);
        *g += 1;
        self.reload.changed.notify_all();
    }
}

fn respond(s: &mut TcpStream, status: &str, ctype: &str, body: &[u8], with_body: bool, extra: &[(&str, &str)]) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n", body.len());
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    if with_body {
        s.write_all(body)?;
    }
    s.flush()
}

/// Read the request head; returns the method and the target.
fn read_head(s: &TcpStream) -> io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(s);
    let mut first = String::new();
    let mut total = 0;
    loop {
        let mut line = String::new();
        let n = reader.by_ref().take((MAX_HEAD - total) as u64 + 1).read_line(&mut line)?;
        total += n;
        if n == 0 || total > MAX_HEAD {
            return Ok(None);
        }
        if first.is_empty() {
            first = line.trim_end().to_string();
        } else if line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = first.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) if v.starts_with("HTTP/1.") => Ok(Some((m.to_string(), t.to_string()))),
        _ => Ok(None),
    }
}

fn handle(mut s: TcpStream, site: &Site, reload: &Reload) -> io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some((method, target)) = read_head(&s)? else {
        return respond(&mut s, "400 Bad Request", "text/plain; charset=utf-8", b"bad request\n", true, &[]);
    };
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(&mut s, "405 Method Not Allowed", "text/plain; charset=utf-8", b"only GET and HEAD\n", true, &[("Allow", "GET, HEAD")]);
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == LIVE_RELOAD {
        return events(s, reload);
    }
    match resolve(site, path) {
        Resolved::File(file) => {
            let bytes = std::fs::read(&file)?;
            let ctype = content_type(&file);
            let body = if ctype.starts_with("text/html") { inject(bytes) } else { bytes };
            respond(&mut s, "200 OK", ctype, &body, !head_only, &[])
        }
        Resolved::Redirect(to) => respond(&mut s, "301 Moved Permanently", "text/plain; charset=utf-8", b"", !head_only, &[("Location", &to)]),
        Resolved::BadRequest => respond(&mut s, "400 Bad Request", "text/plain; charset=utf-8", b"bad request\n", !head_only, &[]),
        Resolved::NotFound => {
            let page = site.out.join("404.html");
            match std::fs::read(&page) {
                Ok(bytes) => respond(&mut s, "404 Not Found", "text/html; charset=utf-8", &inject(bytes), !head_only, &[]),
                Err(_) => respond(&mut s, "404 Not Found", "text/plain; charset=utf-8", b"not found\n", !head_only, &[]),
            }
        }
    }
}

/// The live-reload stream: an event after each rebuild, a comment every
/// 15 s so a closed page is noticed.
fn events(mut s: TcpStream, reload: &Reload) -> io::Result<()> {
    s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n: connected\n\n")?;
    s.flush()?;
    let mut g = crate::lock(&reload.generation);
    let mut seen = *g;
    loop {
        let (guard, _) = reload.changed.wait_timeout(g, Duration::from_secs(15)).unwrap_or_else(|e| e.into_inner());
        g = guard;
        let msg = if *g != seen { format!("event: reload\ndata: {}\n\n", *g) } else { ": ping\n\n".to_string() };
        seen = *g;
        drop(g);
        s.write_all(msg.as_bytes())?;
        s.flush()?;
        g = crate::lock(&reload.generation);
    }
}

enum Resolved {
    File(PathBuf),
    Redirect(String),
    BadRequest,
    NotFound,
}

/// `%XX` decoded; `None` for a malformed escape or text that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Map a request path to a file of the output folder, never one outside it.
fn resolve(site: &Site, raw: &str) -> Resolved {
    let Some(below) = raw.strip_prefix(site.base_path.as_str()).or_else(|| (raw.to_string() + "/" == site.base_path).then_some("")) else {
        return if raw == "/" { Resolved::Redirect(site.base_path.clone()) } else { Resolved::NotFound };
    };
    if raw.len() < site.base_path.len() {
        return Resolved::Redirect(site.base_path.clone());
    }
    let Some(path) = percent_decode(below) else { return Resolved::BadRequest };
    let mut file = site.out.clone();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if seg == "." || seg == ".." || seg.contains('\\') || seg.chars().any(char::is_control) || seg.contains(':') {
            return Resolved::BadRequest;
        }
        file.push(seg);
    }
    // a symbolic link (anywhere on the way) may not lead out of the folder
    let Ok(real) = file.canonicalize() else { return Resolved::NotFound };
    if !real.starts_with(&site.out) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !raw.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() { Resolved::File(index) } else { Resolved::NotFound };
    }
    if real.is_file() { Resolved::File(real) } else { Resolved::NotFound }
}

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// The live-reload script before the last `</body>` (or at the end).
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, SCRIPT.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_arabic_and_refuses_bad_escapes() {
        assert_eq!(percent_decode("/ar/%D8%B9%D8%B4%D8%A7%D8%A1/").as_deref(), Some("/ar/عشاء/"));
        assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<body>x</BODY>".to_vec())).unwrap();
        assert!(out.starts_with("<body>x<script>") && out.ends_with("</script></BODY>"), "{out}");
        assert!(String::from_utf8(inject(b"plain".to_vec())).unwrap().ends_with("</script>"));
    }

    #[test]
    fn never_resolves_outside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(out.join("ar")).unwrap();
        std::fs::write(out.join("ar/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path().join("secret"), out.join("link")).unwrap();
        let site = Site { out: out.canonicalize().unwrap(), base_path: "/".into() };
        for bad in ["/../secret", "/%2e%2e/secret", "/ar/..%2fsecret", "/ar%5c..%5csecret", "/ar/%2E%2E/%2e%2e/secret"] {
            assert!(matches!(resolve(&site, bad), Resolved::BadRequest), "{bad}");
        }
        assert!(matches!(resolve(&site, "/link"), Resolved::NotFound));
        assert!(matches!(resolve(&site, "/ar"), Resolved::Redirect(ref to) if to == "/ar/"));
        assert!(matches!(resolve(&site, "/ar/"), Resolved::File(_)));
        let sub = Site { out: site.out.clone(), base_path: "/news/".into() };
        assert!(matches!(resolve(&sub, "/"), Resolved::Redirect(ref to) if to == "/news/"));
        assert!(matches!(resolve(&sub, "/news"), Resolved::Redirect(_)));
        assert!(matches!(resolve(&sub, "/news/ar/"), Resolved::File(_)));
    }
}
