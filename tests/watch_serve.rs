//! Issue 4 end to end: `nashra watch` and `nashra serve` run as child
//! processes on a temporary copy of the basic fixture; files are edited on
//! disk and the tests wait (at most `WAIT`) for the output to follow: an
//! edit, a save by rename, a break then a fix, a delete, a new folder; and
//! over real HTTP: an Arabic path, a 404, traversal attempts, and a
//! live-reload event after an edit.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// A running `nashra` child, killed when dropped; its output lines are collected.
struct Running {
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Running {
    fn start(args: &[&str], root: &Path) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nashra"))
            .args(args).arg("--root").arg(root)
            .stdout(Stdio::piped()).stderr(Stdio::piped()).stdin(Stdio::null())
            .spawn().unwrap();
        let collect = |r: Box<dyn Read + Send>| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let l = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(r).lines().map_while(Result::ok) {
                    l.lock().unwrap().push(line);
                }
            });
            lines
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Running { child, stdout, stderr }
    }

    fn out(&self) -> String {
        self.stdout.lock().unwrap().join("\n")
    }

    fn err(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Wait until `cond` holds; panic with the child's output after `WAIT`.
    fn wait_for(&self, what: &str, cond: impl Fn(&Running) -> bool) {
        let start = Instant::now();
        while !cond(self) {
            assert!(start.elapsed() < WAIT, "timed out waiting for {what}\nstdout:\n{}\nstderr:\n{}", self.out(), self.err());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn watch_follows_edits_renames_breaks_fixes_and_deletes() {
    let s = Site::copy("basic");
    let w = Running::start(&["watch"], &s.root);
    w.wait_for("the first build", |w| w.out().contains("Watching"));
    let page = s.out().join("en/2025/12/launch/index.html");
    assert!(read(&page).contains("A new rocket launch"));

    // an edit
    s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("A new rocket launch", "Rocket flies again"));
    w.wait_for("the edit", |_| read(&page).contains("Rocket flies again"));
    w.wait_for("the rebuild line", |w| w.out().contains("Rebuilt after content/en/launch.md"));

    // a save by rename, as editors do: write a temporary file, move it over
    let tmp = s.root.join("content/en/.launch.md.swp");
    std::fs::write(&tmp, s.read("content/en/launch.md").replace("Rocket flies again", "Saved by rename")).unwrap();
    std::fs::rename(&tmp, s.root.join("content/en/launch.md")).unwrap();
    w.wait_for("the save by rename", |_| read(&page).contains("Saved by rename"));
    w.wait_for("its rebuild line", |w| w.out().matches("Rebuilt after").count() == 2);

    // a break: the error as `build` prints it, the output untouched
    let before = snapshot(&s.out());
    let good = s.read("content/en/launch.md");
    s.write("content/en/launch.md", &good.replace("topics: [tech]", "topics: [tehc]"));
    w.wait_for("the error", |w| w.err().contains("launch.md:4:10: error: unknown topic `tehc`"));
    // the summary line follows the error (it may reach the pipe a moment later)
    w.wait_for("the error summary", |w| w.err().contains("1 error(s); nothing was written"));
    assert!(snapshot(&s.out()) == before, "a broken edit changed the output");
    // then a fix
    s.write("content/en/launch.md", &good.replace("Saved by rename", "Fixed again"));
    w.wait_for("the fix", |_| read(&page).contains("Fixed again"));

    // a delete: the page goes, and the lists no longer show it
    let only = s.out().join("ar/2025/11/only-ar/index.html");
    assert!(only.exists());
    std::fs::remove_file(s.root.join("content/ar/only-ar.md")).unwrap();
    w.wait_for("the delete", |_| !only.exists());
    w.wait_for("the home page", |_| !read(&s.out().join("ar/index.html")).contains("only-ar"));

    // a new folder with an article in it
    std::fs::create_dir_all(s.root.join("content/en/world")).unwrap();
    s.write("content/en/world/nested.md", "---\ntitle: \"Nested news\"\ndate: 2026-01-10\n---\n\nBody.\n");
    w.wait_for("the new folder", |_| read(&s.out().join("en/2026/01/nested/index.html")).contains("Nested news"));

    // the output is what a full build makes
    let full = s.tmp.path().join("full");
    nashra::build::build(&nashra::build::BuildOptions { root: s.root.clone(), out: Some(full.clone()), ..Default::default() }).unwrap();
    let b = contents(&full);
    let differ = || {
        let a = contents(&s.out());
        a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect::<Vec<_>>()
    };
    // the last rebuild may still be writing when its page appears: wait (bounded) for it to settle
    let start = Instant::now();
    while !differ().is_empty() && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    let differ = differ();
    assert!(differ.is_empty(), "watch output differs from a full build in {differ:?}");
}

/// One HTTP/1.1 GET over a fresh connection: (status line, headers, body).
fn get(port: u16, target: &str) -> (String, String, Vec<u8>) {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(WAIT)).unwrap();
    write!(c, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut all = Vec::new();
    c.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (status.to_string(), headers.to_ascii_lowercase(), all[split + 4..].to_vec())
}

#[test]
fn serve_answers_over_http_and_reloads_pages_after_a_rebuild() {
    let s = Site::copy("basic");
    s.write("content/ar/عشاء-خاص.md", "---\ntitle: \"عشاء خاص\"\ndate: 2026-01-05\n---\n\nنص الخبر.\n");
    let srv = Running::start(&["serve", "--port", "0"], &s.root);
    srv.wait_for("the first build", |w| w.out().contains("Watching"));
    let first = srv.out().lines().next().unwrap().to_string();
    let port: u16 = first.split("http://127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in the first line: {first}"));

    // an Arabic path, percent-encoded as browsers send it
    let (status, headers, body) = get(port, "/ar/2026/01/%D8%B9%D8%B4%D8%A7%D8%A1-%D8%AE%D8%A7%D8%B5/");
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("content-type: text/html; charset=utf-8"), "{headers}");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("عشاء خاص") && html.contains(nashra::serve::LIVE_RELOAD), "{html}");
    let on_disk = read(&s.out().join("ar/2026/01/عشاء-خاص/index.html"));
    assert!(!on_disk.is_empty() && !on_disk.contains(nashra::serve::LIVE_RELOAD), "the script must not reach the files");

    // a folder without its slash, other files, the 404 page
    let (status, headers, _) = get(port, "/ar");
    assert!(status.contains("301") && headers.contains("location: /ar/"), "{status} {headers}");
    let (status, headers, _) = get(port, "/style.css");
    assert!(status.contains("200") && headers.contains("text/css; charset=utf-8"), "{status} {headers}");
    let (status, _, body) = get(port, "/no/such/page/");
    assert!(status.contains("404"), "{status}");
    let served = String::from_utf8(body).unwrap();
    let script = served.find("<script>/* nashra serve").expect("the live-reload script");
    let end = script + served[script..].find("</script>").unwrap() + "</script>".len();
    assert_eq!(format!("{}{}", &served[..script], &served[end..]), read(&s.out().join("404.html")), "not the site's 404 page");

    // nothing outside the output folder, however the path is spelled
    for target in ["/../site.yaml", "/%2e%2e/site.yaml", "/ar/..%2F..%2Fsite.yaml", "/%2E%2E%5Csite.yaml", "/..\\site.yaml"] {
        let (status, _, body) = get(port, target);
        assert!(status.contains("400") || status.contains("404"), "{target}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("base_url"), "{target} leaked site.yaml");
    }

    // live reload: an event on the stream once an edit is rebuilt
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    write!(events, "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", nashra::serve::LIVE_RELOAD).unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the event stream closed");
    }
    s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("A new rocket launch", "Live reloaded"));
    while !line.starts_with("event: reload") {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the event stream closed");
    }
    assert!(read(&s.out().join("en/2025/12/launch/index.html")).contains("Live reloaded"), "reload came before the write");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let s = Site::copy("basic");
    let mut w = Running::start(&["watch"], &s.root);
    w.wait_for("the first build", |w| w.out().contains("Watching"));
    let pid = w.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let start = Instant::now();
    let status = loop {
        if let Some(st) = w.child.try_wait().unwrap() {
            break st;
        }
        assert!(start.elapsed() < WAIT, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    w.wait_for("the goodbye", |w| w.out().contains("Stopped."));
}
