//! Command line: parse arguments, call the library, print diagnostics and a
//! summary, and return the exit code (0 ok, 1 user errors).

use crate::build::{self, BuildOptions, Failure};
use crate::watch::{Msg, Outcome, Watcher};
use crate::diag::Diagnostic;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "nashra", version, about = "Build bilingual (Arabic/English) news digests into a static site.",
    long_about = "nashra builds a static news site from markdown articles in content/<lang>/, \
the topic and entity registries in content/, and site.yaml.\n\n\
Start a new site with `nashra init mysite`, add articles with `nashra new ar \"عنوان\"`, \
then run `nashra build` (output in public/).")]
pub struct Cli {
    /// The site folder (holding site.yaml and content/)
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the whole site into the output folder (default: public/)
    Build {
        /// Include articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Output folder (default: <root>/public)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Override site.yaml's base_url (e.g. for a preview deployment)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Validate everything and render in memory; write nothing
    Check {
        /// Include articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Show the entities found in one article file and why (which name or alias matched, where, whether it counted)
        #[arg(long, value_name = "FILE")]
        mentions: Option<PathBuf>,
    },
    /// Create an article file with its front matter filled in
    New {
        /// Language code, e.g. ar or en
        lang: String,
        /// The headline (also gives the file name)
        title: String,
    },
    /// Create a new site folder that builds at once
    Init {
        /// Folder to create (must be empty or not exist)
        dir: PathBuf,
    },
    /// Build, then rebuild what changed after every edit of content, themes, i18n, static or site.yaml
    Watch {
        /// Output folder (default: <root>/public)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Watch, and serve the output over HTTP with live reload
    Serve {
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111, value_name = "N")]
        port: u16,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Output folder (default: <root>/public)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

fn print_diags<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diags {
        eprintln!("{d}\n");
    }
}

fn report_failure(f: &Failure) -> i32 {
    let errors = f.0.errors().count();
    let warnings = f.0.warnings().count();
    print_diags(f.0.warnings());
    print_diags(f.0.errors());
    eprintln!("error: {errors} error(s){}; nothing was written",
        if warnings > 0 { format!(", {warnings} warning(s)") } else { String::new() });
    1
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build { drafts, out, base_url } => {
            let opts = BuildOptions { root: cli.root, out, drafts, base_url };
            match build::build(&opts) {
                Ok(r) => {
                    print_diags(&r.warnings);
                    println!(
                        "Built {} pages ({} files: {} written, {} unchanged, {} removed) in {} ms → {}{}",
                        r.pages, r.files, r.sync.written, r.sync.unchanged, r.sync.removed,
                        r.elapsed.as_millis(), r.out.display(),
                        if r.up_to_date { " (inputs unchanged since the last build: nothing rendered)" } else { "" }
                    );
                    println!("Search index: {}", crate::search::summary(&r.search));
                    0
                }
                Err(f) => report_failure(&f),
            }
        }
        Command::Check { mentions: Some(file), .. } => check_mentions(&cli.root, &file),
        Command::Check { drafts, .. } => {
            let opts = BuildOptions { root: cli.root, drafts, ..Default::default() };
            match build::check(&opts) {
                Ok((files, warnings)) => {
                    print_diags(&warnings);
                    println!("OK: {files} files would be written, {} warning(s)", warnings.len());
                    0
                }
                Err(f) => report_failure(&f),
            }
        }
        Command::New { lang, title } => {
            let opts = BuildOptions { root: cli.root, ..Default::default() };
            let config = match build::load_config(&opts) {
                Ok(c) => c,
                Err(f) => return report_failure(&f),
            };
            match crate::scaffold::new_article(&config, &lang, &title) {
                Ok(path) => {
                    println!("Created {} (draft: set `draft: false` to publish)", path.display());
                    0
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    1
                }
            }
        }
        Command::Watch { out } => watch(BuildOptions { root: cli.root, out, ..Default::default() }, None),
        Command::Serve { port, bind, out } => watch(BuildOptions { root: cli.root, out, ..Default::default() }, Some((bind, port))),
        Command::Init { dir } => match crate::scaffold::init(&dir) {
            Ok(files) => {
                println!("Created a new site in {} ({} files). Next:\n  cd {}\n  nashra build", dir.display(), files.len(), dir.display());
                0
            }
            Err(e) => {
                eprintln!("error: {e}");
                1
            }
        },
    }
}

/// `watch` and `serve`: a first build, then one line per rebuild, until Ctrl-C.
/// Errors are printed as `build` prints them and the watch goes on.
fn watch(opts: BuildOptions, serve: Option<(String, u16)>) -> i32 {
    let base_path = build::load_config(&opts).map(|c| c.base_path).unwrap_or_else(|_| "/".into());
    let mut w = match Watcher::new(opts) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let stop = w.stopper();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
    }) {
        eprintln!("warning: cannot catch Ctrl-C: {e}");
    }
    let server = match serve {
        None => None,
        Some((bind, port)) => match crate::serve::Server::start(&bind, port, &w.inc.out, &base_path) {
            Ok(s) => {
                println!("Serving {} at http://{}{base_path} (live reload; Ctrl-C to stop)", w.inc.out.display(), s.addr());
                Some(s)
            }
            Err(e) => {
                eprintln!("error: cannot serve on {bind}:{port}: {e}");
                return 1;
            }
        },
    };
    let mut shown: Vec<String> = Vec::new();
    let mut show = |what: Option<&str>, outcome: Outcome| match outcome {
        Outcome::Unchanged => {}
        Outcome::Built(r) => {
            let now: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
            print_diags(r.warnings.iter().filter(|d| !shown.contains(&d.to_string())));
            shown = now;
            match what {
                None => println!("Built {} pages ({} files: {} written, {} unchanged, {} removed) in {} ms → {}",
                    r.pages, r.files, r.sync.written, r.sync.unchanged, r.sync.removed, r.elapsed.as_millis(), r.out.display()),
                Some(what) => println!("Rebuilt after {what}: {} pages rendered, {} files written, {} removed in {} ms",
                    r.rendered, r.sync.written, r.sync.removed, r.elapsed.as_millis()),
            }
            if let Some(s) = &server {
                s.reload();
            }
        }
        Outcome::Failed(f) => {
            shown.clear();
            report_failure(&f);
            eprintln!("Watching for a fix; the output keeps the last good build.");
        }
    };
    show(None, w.first_build());
    println!("Watching {} for changes (Ctrl-C to stop)", w.root().display());
    while let Some((what, outcome)) = w.next_rebuild() {
        show(Some(&what), outcome);
    }
    println!("Stopped.");
    0
}

/// `check --mentions FILE`: load the site (drafts included) and explain the
/// mentions found in the article read from FILE.
fn check_mentions(root: &std::path::Path, file: &std::path::Path) -> i32 {
    let opts = BuildOptions { root: root.to_path_buf(), drafts: true, ..Default::default() };
    let loaded = match build::load_keeping_markdown(&opts) {
        Ok(l) => l,
        Err(f) => return report_failure(&f),
    };
    let wanted = file.canonicalize().ok();
    let site = &loaded.site;
    let found = site.articles.iter().position(|a| wanted.is_some() && a.source.canonicalize().ok() == wanted);
    let Some(i) = found else {
        eprintln!("error: {} is not an article of this site\nhint: give the path of a file in content/<lang>/, e.g. content/ar/my-article.md", file.display());
        return 1;
    };
    let source = std::fs::read_to_string(file).unwrap_or_default();
    print!("{}", crate::mentions::report::explain(site, i, &source));
    0
}
