//! Issue 4, item 2: after any sequence of edits, the output of the
//! incremental rebuilds is byte-identical to a fresh full build of the same
//! sources. A seeded random sequence of edits (add, edit body, topics,
//! entities, date, rename, delete, translate, break then fix, and registry,
//! template and strings edits) goes through `watch::Incremental` exactly as
//! the watcher would hand it the changes (paths classified by
//! `watch::classify`), and after each step the output folder is compared
//! with a full build's.

mod common;
use common::*;
use nashra::build::{self, BuildOptions};
use nashra::watch::{classify, Change, Incremental, Outcome};
use std::collections::BTreeSet;
use std::path::Path;

/// xorshift64*: a tiny deterministic generator, enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn some<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        items.iter().filter(|_| self.below(3) == 0).cloned().collect()
    }
}

const TOPICS: [&str; 3] = ["politics", "tech", "sport"];
const ENTITIES: [&str; 4] = ["elon-musk", "donald-trump", "florida", "spacex"];
const DATES: [&str; 7] = ["2025-10-01", "2025-12-01", "2026-01-04T21:30:00+03:00", "2026-01-31T23:30:00-05:00",
    "2026-02-01T00:10:00+02:00", "2025-11-15", "2026-01-04T08:00:00Z"];


fn article(rng: &mut Rng, n: usize, lang: &str) -> String {
    let topics = rng.some(&TOPICS).join(", ");
    let entities = rng.some(&ENTITIES).join(", ");
    let title = if lang == "ar" { format!("خبر رقم {n}") } else { format!("Story number {n}") };
    format!("---\ntitle: \"{title}\"\ndate: {}\ntopics: [{topics}]\nentities: [{entities}]\n---\n\nFirst paragraph {n}.\n\n## Part {n}\n\nMore text.\n", rng.pick(&DATES))
}

/// Replace the front-matter line starting with `key:` (or add it).
fn set_field(text: &str, key: &str, value: &str) -> String {
    let (front, body) = text[4..].split_once("\n---\n").expect("front matter");
    let mut lines: Vec<String> = front.lines().filter(|l| !l.starts_with(&format!("{key}:"))).map(String::from).collect();
    lines.push(format!("{key}: {value}"));
    format!("---\n{}\n---\n{body}", lines.join("\n"))
}

struct World {
    site: Site,
    rng: Rng,
    n: usize,
}

impl World {
    fn articles(&self) -> Vec<String> {
        let mut v = Vec::new();
        for lang in ["ar", "en"] {
            let dir = self.site.root.join("content").join(lang);
            for e in std::fs::read_dir(dir).unwrap() {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if name.ends_with(".md") {
                    v.push(format!("content/{lang}/{name}"));
                }
            }
        }
        v.sort();
        v
    }

    /// One random edit; returns the touched paths (relative) and a name.
    fn edit(&mut self) -> (Vec<String>, String) {
        self.n += 1;
        let n = self.n;
        let files = self.articles();
        let file = self.rng.pick(&files).clone();
        let text = self.site.read(&file);
        let lang = if file.starts_with("content/ar/") { "ar" } else { "en" };
        let other = if lang == "ar" { "en" } else { "ar" };
        let op = self.rng.below(12);
        let (paths, name) = match op {
            0 => {
                let path = format!("content/{lang}/gen-{n}.md");
                let text = article(&mut self.rng, n, lang);
                self.site.write(&path, &text);
                (vec![path], "add")
            }
            1 => {
                let (front, body) = text.split_at(text[4..].find("\n---\n").unwrap() + 9);
                self.site.write(&file, &format!("{front}\nA new first paragraph {n}.\n{body}"));
                (vec![file], "edit body")
            }
            2 => {
                let topics = self.rng.some(&TOPICS).join(", ");
                self.site.write(&file, &set_field(&text, "topics", &format!("[{topics}]")));
                (vec![file], "edit topics")
            }
            3 => {
                let entities = self.rng.some(&ENTITIES).join(", ");
                self.site.write(&file, &set_field(&text, "entities", &format!("[{entities}]")));
                (vec![file], "edit entities")
            }
            4 => {
                let date = *self.rng.pick(&DATES);
                self.site.write(&file, &set_field(&text, "date", date));
                (vec![file], "edit date")
            }
            5 => {
                let to = format!("content/{lang}/renamed-{n}.md");
                std::fs::rename(self.site.root.join(&file), self.site.root.join(&to)).unwrap();
                (vec![file, to], "rename")
            }
            6 => {
                std::fs::remove_file(self.site.root.join(&file)).unwrap();
                (vec![file], "delete")
            }
            7 => {
                let to = file.replacen(&format!("content/{lang}/"), &format!("content/{other}/"), 1);
                let text = article(&mut self.rng, n, other);
                self.site.write(&to, &text);
                (vec![to], "translate")
            }
            8 => {
                let topics = format!("{}\nsport: {{ ar: \"رياضة\", en: \"Sport {n}\" }}\n", self.site.read("content/topics.yaml")
                    .lines().filter(|l| !l.starts_with("sport:")).collect::<Vec<_>>().join("\n"));
                self.site.write("content/topics.yaml", &topics);
                (vec!["content/topics.yaml".into()], "registry")
            }
            9 => {
                let home = nashra::theme::default_theme_files().into_iter().find(|(p, _)| p == "templates/home.html").unwrap().1;
                let path = "themes/default/templates/home.html";
                self.site.write(path, &format!("{}\n{{# edit {n} #}}<!-- {n} -->\n", String::from_utf8_lossy(home)));
                (vec![path.into()], "template")
            }
            10 => {
                let path = if self.rng.below(2) == 0 { "i18n/en.ftl" } else { "i18n/ar.ftl" };
                self.site.write(path, &format!("nav-topics = Topics {n}\n"));
                (vec![path.into()], "strings")
            }
            _ => (vec![file], "break"),
        };
        (paths, name.to_string())
    }
}

fn changes(root: &Path, paths: &[String]) -> BTreeSet<Change> {
    paths.iter().filter_map(|p| classify(root, Path::new(p))).collect()
}

fn rebuild_ok(inc: &mut Incremental, ch: &BTreeSet<Change>, what: &str) {
    match inc.rebuild(ch) {
        Outcome::Built(_) | Outcome::Unchanged => {}
        Outcome::Failed(f) => panic!("{what}: rebuild failed:\n{}", f.0 .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

#[test]
fn random_edits_give_the_same_output_as_full_builds() {
    let site = Site::copy("basic");
    let inc_out = site.tmp.path().join("incremental");
    let full_out = site.tmp.path().join("full");
    let opts = BuildOptions { root: site.root.clone(), out: Some(inc_out.clone()), ..Default::default() };
    let mut inc = Incremental::new(opts.clone());
    rebuild_ok(&mut inc, &BTreeSet::from([Change::Everything]), "first build");
    let mut world = World { site, rng: Rng(0x5EED_2026), n: 0 };
    let full = BuildOptions { out: Some(full_out.clone()), ..opts };
    for step in 0..36 {
        let (paths, what) = world.edit();
        let what = format!("step {step} ({what} {paths:?})");
        eprintln!("{what}");
        let root = world.site.root.clone();
        if what.contains("(break") {
            let before = contents(&inc_out);
            let original = world.site.read(&paths[0]);
            world.site.write(&paths[0], &set_field(&original, "topics", "[no-such-topic]"));
            let Outcome::Failed(f) = inc.rebuild(&changes(&root, &paths)) else { panic!("{what}: the broken file was accepted") };
            let full_failure = build::build(&full).err().unwrap_or_else(|| panic!("{what}: the full build accepted it"));
            let text = |f: &nashra::build::Failure| f.0 .0.iter().map(|d| d.to_string()).collect::<Vec<_>>();
            assert_eq!(text(&f), text(&full_failure), "{what}: not the errors a build prints");
            assert_eq!(contents(&inc_out), before, "{what}: a failed rebuild changed the output");
            world.site.write(&paths[0], &original);
        }
        rebuild_ok(&mut inc, &changes(&root, &paths), &what);
        build::build(&full).unwrap_or_else(|f| panic!("{what}: full build failed: {:?}", f.0 .0.first()));
        let (a, b) = (contents(&inc_out), contents(&full_out));
        let differ: Vec<_> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        assert!(differ.is_empty(), "{what}: incremental and full output differ in {differ:?}");
    }
}
