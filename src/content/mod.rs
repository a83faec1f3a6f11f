//! Content loading: walk `content/<lang>/`, read every article file (in
//! parallel), and parse it into an `Article`. Only this module and the other
//! loaders read the site's files.

pub mod article;
pub mod frontmatter;
mod quick_yaml;

pub use article::{Article, ArticleDate, Image};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::registry::Registries;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Bytes of a user file as text: UTF-8 required (error at the first bad byte),
/// a leading BOM dropped, CRLF and lone CR turned into LF.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    // simdutf8 checks a page of Arabic text several times faster than the
    // standard library (a hundredth of a large build's time); std finds
    // where a bad file goes wrong.
    let text = if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just found the bytes to be valid UTF-8.
        unsafe { String::from_utf8_unchecked(bytes) }
    } else {
        match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                // the prefix up to `valid_up_to` is valid UTF-8 by definition
                let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
                return Err(Diagnostic::error(path, "the file is not valid UTF-8")
                    .at_offset(prefix, valid)
                    .with_hint("save the file as UTF-8"));
            }
        }
    };
    let text = text.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(text);
    if text.contains('\r') {
        return Ok(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    Ok(text)
}

/// Files editors and systems leave behind that are never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".bck")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// How a path is shown in messages: relative to the current directory when
/// the site root is `.`.
pub fn display_path(config_root: &Path, rel: &Path) -> PathBuf {
    if config_root == Path::new(".") || config_root.as_os_str().is_empty() {
        rel.to_path_buf()
    } else {
        config_root.join(rel)
    }
}

/// One article file found on disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub abs: PathBuf,
    pub shown: PathBuf,
    pub lang: String,
    pub stem: String,
}

/// Find the article files under `content/<lang>/` for every configured
/// language. Symlinks are followed only when they stay inside `content/`.
pub fn discover(config: &Config) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let content = config.content_dir();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let content_canon = content.canonicalize().unwrap_or_else(|_| content.clone());
    if let Ok(entries) = std::fs::read_dir(&content) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && !is_ignored_name(&name) && config.language(&name).is_none() {
                diags.push(Diagnostic::warning(display_path(&config.root, &Path::new("content").join(&name)),
                    format!("folder `{name}` is not a configured language; its files are ignored"))
                    .with_hint("add the language to `languages:` in site.yaml"));
            }
        }
    }
    // the languages' folders are walked side by side, their files kept in
    // language order
    let walks: Vec<(Vec<SourceFile>, Vec<Diagnostic>)> = config.languages.par_iter()
        .map(|lang| walk_language(config, &content, &content_canon, &lang.code)).collect();
    for (f, d) in walks {
        files.extend(f);
        diags.extend(d);
    }
    (files, diags)
}

/// The article files under `content/<lang>/`, sorted by name.
fn walk_language(config: &Config, content: &Path, content_canon: &Path, lang: &str) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let dir = content.join(lang);
    if !dir.is_dir() {
        return (files, diags);
    }
    let walker = walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name().into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.clone());
                diags.push(Diagnostic::error(shown(config, &p), format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(content_canon) && target.is_file() => {}
                Ok(target) if target.starts_with(content_canon) => continue, // a folder link inside: its files are walked where they are
                Ok(_) => {
                    diags.push(Diagnostic::warning(shown(config, path), "symbolic link leads outside content/; ignored"));
                    continue;
                }
                Err(e) => {
                    diags.push(Diagnostic::error(shown(config, path), format!("broken or looping symbolic link: {e}"))
                        .with_hint("remove the link or point it at a file inside content/"));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else { continue };
        files.push(SourceFile { abs: path.to_path_buf(), shown: shown(config, path), lang: lang.to_string(), stem: stem.to_string() });
    }
    (files, diags)
}

fn shown(config: &Config, abs: &Path) -> PathBuf {
    let rel = abs.strip_prefix(&config.root).unwrap_or(abs);
    display_path(&config.root, rel)
}

/// Read one file's bytes, as a diagnostic on failure.
pub fn read_bytes(abs: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_all(abs).map_err(|e| Diagnostic::error(shown, format!("cannot read the file: {e}"))
        .with_hint("check the file's permissions"))
}

/// The room a file is read in at a time: an article's size or more. The
/// bytes are parsed and dropped.
const READ_CHUNK: usize = 16 * 1024;

/// A file's bytes, read a chunk at a time until its end: `fs::read` asks
/// for the file's size first (a `statx` call per article), and
/// `read_to_end` without it reads at most 8 KiB at a time at first.
fn read_all(abs: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(abs)?;
    let mut bytes = Vec::with_capacity(READ_CHUNK);
    let mut chunk = [0u8; READ_CHUNK];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Read one file's text, as a diagnostic on failure.
pub fn read_text(abs: &Path, shown: &Path) -> Result<String, Diagnostic> {
    decode_text(shown, read_bytes(abs, shown)?)
}

/// Read and parse the given article files in parallel, handing each article
/// kept (drafts only with `drafts`) to `then` on the thread that read it,
/// with a worker's state (made by `init()`, kept for the worker's next
/// files: see [`crate::Pool`]); what `then` makes comes back in the
/// order of `files`.
pub fn load_articles<T: Send, S: Send>(files: &[SourceFile], regs: &Registries, drafts: bool,
    init: impl Fn() -> S + Sync + Send, then: impl Fn(&mut S, Article) -> T + Sync + Send) -> (Vec<T>, Vec<Diagnostic>) {
    let pool = crate::Pool::new();
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = files
        .par_iter()
        .map_init(|| pool.take(&init), |state, f| match read_text(&f.abs, &f.shown) {
            Ok(text) => {
                let (a, d) = frontmatter::parse_article(&f.shown, &f.lang, &f.stem, &text, regs);
                drop(text); // the file's text goes before `then` makes more
                (a.filter(|a| drafts || !a.draft).map(|a| then(state, a)), d)
            }
            Err(d) => (None, vec![d]),
        })
        .collect();
    let mut made = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for (t, d) in results {
        diags.extend(d);
        made.extend(t);
    }
    (made, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode_text(Path::new("a.md"), b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody\r\n".to_vec()).unwrap();
        assert_eq!(t, "---\ntitle: x\n---\nbody\n");
    }

    /// Files of no bytes, of less than a chunk, of exactly one and of
    /// several come back whole; a missing one is an error with a hint.
    #[test]
    fn files_are_read_whole_a_chunk_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0, 1, READ_CHUNK - 1, READ_CHUNK, READ_CHUNK + 1, 3 * READ_CHUNK + 17] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_bytes(&path, Path::new("f")).unwrap(), bytes, "{len} bytes");
        }
        let d = read_bytes(&dir.path().join("missing.md"), Path::new("content/missing.md")).unwrap_err();
        assert!(d.message.contains("cannot read the file") && d.hint.is_some(), "{d:?}");
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let d = decode_text(Path::new("a.md"), b"---\ntitle: ab\xFFc\n".to_vec()).unwrap_err();
        assert_eq!((d.line, d.col), (2, 10));
    }

    proptest! {
        /// The fast check accepts exactly what `std` accepts: mostly valid
        /// text (Arabic, Latin, a BOM, CRs) with now and then a stray byte.
        #[test]
        fn decoding_agrees_with_std(parts in proptest::collection::vec(prop_oneof![
            8 => proptest::sample::select(vec!["قال ", "الوزير", "Musk ", "\u{FEFF}", "\r\n", "é", "😀", "\u{064B}"]).prop_map(|s| s.as_bytes().to_vec()),
            1 => any::<u8>().prop_map(|b| vec![b]),
        ], 0..40)) {
            let bytes: Vec<u8> = parts.concat();
            let want = std::str::from_utf8(&bytes).map(|t| {
                let t = t.strip_prefix('\u{FEFF}').unwrap_or(t);
                t.replace("\r\n", "\n").replace('\r', "\n")
            });
            match (decode_text(Path::new("a.md"), bytes.clone()), want) {
                (Ok(got), Ok(want)) => prop_assert_eq!(got, want),
                (Err(d), Err(e)) => prop_assert_eq!(d.line, 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count()),
                (got, want) => prop_assert!(false, "{:?} against {:?}", got.map_err(|d| d.message), want),
            }
        }
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for n in [".x.md.swp", "x.md~", "#x.md#", "4913", ".hidden.md"] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
