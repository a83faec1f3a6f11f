//! Shared helpers for the integration tests: copy a fixture site to a
//! temporary folder, build it, parse its pages, snapshot its output.
#![allow(dead_code)]

use nashra::build::{self, BuildOptions, BuildReport, Failure};
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of a fixture site (in `<tmp>/site`, so the temp folder's
/// other children are "outside" the site for escape tests).
pub struct Site {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    pub fn copy(name: &str) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&fixture(name), &root);
        Site { tmp, root }
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn opts(&self) -> BuildOptions {
        BuildOptions { root: self.root.clone(), ..Default::default() }
    }

    pub fn build(&self) -> Result<BuildReport, Failure> {
        build::build(&self.opts())
    }

    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(f) => panic!("build failed:\n{}", f.0 .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
        }
    }

    /// Build that must fail; returns all diagnostics as text.
    pub fn build_err(&self) -> (Failure, String) {
        match self.build() {
            Ok(_) => panic!("build should have failed"),
            Err(f) => {
                let text = f.0 .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n\n");
                (f, text)
            }
        }
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// The parsed HTML of an output page (`ar/` → `ar/index.html`).
    pub fn page(&self, rel: &str) -> Html {
        let mut p = self.out().join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            p = p.join("index.html");
        }
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Html::parse_document(&text)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Text of every element matching `css`, whitespace-collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css)).filter_map(|e| e.value().attr(attr).map(String::from)).collect()
}

pub fn html_attr(doc: &Html, attr: &str) -> String {
    attrs(doc, "html", attr).pop().unwrap_or_default()
}

/// Every file below `dir` with its bytes and modification time.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let m = e.metadata().unwrap();
            out.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), (std::fs::read(e.path()).unwrap(), m.modified().unwrap()));
        }
    }
    out
}

/// Every file below `dir` with its bytes (a `snapshot` without the times),
/// to compare two outputs. The build manifest is left out: it records the
/// files' times, and watch mode keeps none.
pub fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(dir).into_iter()
        .filter(|(p, _)| p != Path::new(nashra::output::manifest::MANIFEST))
        .map(|(p, (bytes, _))| (p, bytes)).collect()
}

/// Every path below `dir` (files and folders), for "nothing created outside" checks.
pub fn tree(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).map(|e| e.path().to_path_buf()).collect()
}
