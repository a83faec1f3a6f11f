//! Topic and entity registries (`content/topics.yaml`, `content/entities.yaml`)
//! and the resolution of the names contributors write in front matter: an id,
//! a label, a name or an alias in any language, compared after normalization.

use crate::config::key_position;
use crate::diag::Diagnostic;
use crate::normalize::normalize;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub labels: BTreeMap<String, String>,
    pub aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Event,
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 5] =
        [EntityKind::Person, EntityKind::Organization, EntityKind::Place, EntityKind::Event, EntityKind::Other];
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Event => "event",
            EntityKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub kind: EntityKind,
    pub names: BTreeMap<String, String>,
    pub aliases: BTreeMap<String, Vec<String>>,
}

/// Display name in `lang`: that language's, else the default language's, else the id.
pub fn pick<'a>(map: &'a BTreeMap<String, String>, lang: &str, default: &str, id: &'a str) -> &'a str {
    map.get(lang).or_else(|| map.get(default)).map_or(id, String::as_str)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    kind: Option<EntityKind>,
    #[serde(default)]
    names: BTreeMap<String, String>,
    #[serde(default)]
    aliases: BTreeMap<String, Vec<String>>,
}

/// What a name in front matter refers to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolution {
    Found(usize),
    Ambiguous(Vec<String>),
    Unknown(Vec<String>),
}

#[derive(Debug, Default)]
struct NameIndex {
    /// Looked up for every topic and entity of every article a page shows:
    /// hashed with the word hasher, not SipHash.
    by_id: crate::normalize::hash::WordMap<usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl NameIndex {
    fn add_name(&mut self, name: &str, i: usize) {
        let v = self.by_name.entry(normalize(name)).or_default();
        if !v.contains(&i) {
            v.push(i);
        }
    }
    fn resolve(&self, wanted: &str, ids: &[&str]) -> Resolution {
        if let Some(&i) = self.by_id.get(wanted) {
            return Resolution::Found(i);
        }
        match self.by_name.get(&normalize(wanted)).map(Vec::as_slice) {
            Some([i]) => Resolution::Found(*i),
            Some(many) if !many.is_empty() => Resolution::Ambiguous(many.iter().map(|&i| ids[i].to_string()).collect()),
            _ => Resolution::Unknown(crate::suggest::closest(wanted, ids.iter().copied())),
        }
    }
}

#[derive(Debug, Default)]
pub struct Registries {
    pub topics: Vec<Topic>,
    pub entities: Vec<Entity>,
    topic_index: NameIndex,
    entity_index: NameIndex,
}

pub const TOPICS_FILE: &str = "topics.yaml";
pub const ENTITIES_FILE: &str = "entities.yaml";

impl Registries {
    pub fn new(topics: Vec<Topic>, entities: Vec<Entity>) -> Self {
        let mut topic_index = NameIndex::default();
        for (i, t) in topics.iter().enumerate() {
            topic_index.by_id.insert(t.id.clone(), i);
            topic_index.add_name(&t.id, i);
            for name in t.labels.values().chain(t.aliases.values().flatten()) {
                topic_index.add_name(name, i);
            }
        }
        let mut entity_index = NameIndex::default();
        for (i, e) in entities.iter().enumerate() {
            entity_index.by_id.insert(e.id.clone(), i);
            entity_index.add_name(&e.id, i);
            for name in e.names.values().chain(e.aliases.values().flatten()) {
                entity_index.add_name(name, i);
            }
        }
        Registries { topics, entities, topic_index, entity_index }
    }

    pub fn resolve_topic(&self, name: &str) -> Resolution {
        let ids: Vec<&str> = self.topics.iter().map(|t| t.id.as_str()).collect();
        self.topic_index.resolve(name, &ids)
    }

    pub fn resolve_entity(&self, name: &str) -> Resolution {
        let ids: Vec<&str> = self.entities.iter().map(|e| e.id.as_str()).collect();
        self.entity_index.resolve(name, &ids)
    }

    pub fn topic_pos(&self, id: &str) -> Option<usize> {
        self.topic_index.by_id.get(id).copied()
    }
    pub fn entity_pos(&self, id: &str) -> Option<usize> {
        self.entity_index.by_id.get(id).copied()
    }
}

/// Read both registries from `content_dir`; a missing file is an empty registry.
pub fn load(content_dir: &Path, display_dir: &Path) -> Result<Registries, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let read = |name: &str, errs: &mut Vec<Diagnostic>| -> Option<(std::path::PathBuf, String)> {
        let path = content_dir.join(name);
        let shown = display_dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => match crate::content::decode_text(&shown, bytes) {
                Ok(t) => Some((shown, t)),
                Err(d) => {
                    errs.push(d);
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                errs.push(Diagnostic::error(&shown, format!("cannot read: {e}")));
                None
            }
        }
    };
    let topics = match read(TOPICS_FILE, &mut errs) {
        Some((p, t)) => parse_topics(&p, &t).unwrap_or_else(|mut e| {
            errs.append(&mut e);
            Vec::new()
        }),
        None => Vec::new(),
    };
    let entities = match read(ENTITIES_FILE, &mut errs) {
        Some((p, t)) => parse_entities(&p, &t).unwrap_or_else(|mut e| {
            errs.append(&mut e);
            Vec::new()
        }),
        None => Vec::new(),
    };
    if errs.is_empty() {
        Ok(Registries::new(topics, entities))
    } else {
        Err(errs)
    }
}

fn top_level(path: &Path, text: &str) -> Result<serde_yaml::Mapping, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(serde_yaml::Mapping::new());
    }
    serde_yaml::from_str(text).map_err(|e| vec![crate::config::yaml_error(path, text, &e, &[])])
}

fn checked_id(path: &Path, text: &str, key: &serde_yaml::Value, errs: &mut Vec<Diagnostic>) -> Option<String> {
    let Some(id) = key.as_str() else {
        errs.push(Diagnostic::error(path, "ids must be text").at(text, 1, 1));
        return None;
    };
    if let Some(why) = crate::paths::unsafe_reason(id) {
        let (l, c) = key_position(text, id);
        errs.push(Diagnostic::error(path, format!("id `{id}` cannot be used in a URL: {why}")).at(text, l, c)
            .with_hint("use lowercase letters, digits and hyphens, e.g. `elon-musk`"));
        return None;
    }
    Some(id.to_string())
}

/// `politics: { ar: "سياسة", en: "Politics", aliases: { en: [...] } }`
pub fn parse_topics(path: &Path, text: &str) -> Result<Vec<Topic>, Vec<Diagnostic>> {
    let map = top_level(path, text)?;
    let mut errs = Vec::new();
    let mut out = Vec::new();
    for (k, v) in &map {
        let Some(id) = checked_id(path, text, k, &mut errs) else { continue };
        let (l, c) = key_position(text, &id);
        let mut labels = BTreeMap::new();
        let mut aliases = BTreeMap::new();
        match v {
            serde_yaml::Value::String(s) => {
                labels.insert(String::new(), s.clone());
            }
            serde_yaml::Value::Mapping(m) => {
                for (lk, lv) in m {
                    match (lk.as_str(), lv) {
                        (Some("aliases"), v) => match serde_yaml::from_value::<BTreeMap<String, Vec<String>>>(v.clone()) {
                            Ok(a) => aliases = a,
                            Err(e) => errs.push(Diagnostic::error(path, format!("topic `{id}`: aliases: {e}")).at(text, l, c)),
                        },
                        (Some(lang), serde_yaml::Value::String(s)) => {
                            labels.insert(lang.to_string(), s.clone());
                        }
                        _ => errs.push(Diagnostic::error(path, format!("topic `{id}`: labels must be text per language"))
                            .at(text, l, c).with_hint("e.g. `politics: { ar: \"سياسة\", en: \"Politics\" }`")),
                    }
                }
            }
            _ => errs.push(Diagnostic::error(path, format!("topic `{id}` needs its labels"))
                .at(text, l, c).with_hint("e.g. `politics: { ar: \"سياسة\", en: \"Politics\" }`")),
        }
        labels.remove("");
        out.push(Topic { id, labels, aliases });
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

pub fn parse_entities(path: &Path, text: &str) -> Result<Vec<Entity>, Vec<Diagnostic>> {
    let map = top_level(path, text)?;
    let mut errs = Vec::new();
    let mut out = Vec::new();
    for (k, v) in &map {
        let Some(id) = checked_id(path, text, k, &mut errs) else { continue };
        match serde_yaml::from_value::<RawEntity>(v.clone()) {
            Ok(raw) => out.push(Entity { id, kind: raw.kind.unwrap_or(EntityKind::Other), names: raw.names, aliases: raw.aliases }),
            Err(e) => {
                let (l, c) = key_position(text, &id);
                let msg = e.to_string();
                let mut d = Diagnostic::error(path, format!("entity `{id}`: {msg}")).at(text, l, c);
                d = d.with_hint(if msg.contains("variant") {
                    "kind is one of person, organization, place, event, other"
                } else {
                    "an entity is `{ kind: person, names: { ar: ..., en: ... }, aliases: { ar: [...] } }`"
                });
                errs.push(d);
            }
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regs() -> Registries {
        let p = Path::new("x.yaml");
        let topics = parse_topics(p, "politics: { ar: \"سياسة\", en: \"Politics\" }\ntech: { ar: \"تقنية\", en: \"Technology\" }\n").unwrap();
        let entities = parse_entities(p, "elon-musk:\n  kind: person\n  names: { ar: \"إيلون ماسك\", en: \"Elon Musk\" }\n  aliases: { ar: [\"ماسك\"], en: [\"Musk\"] }\ndonald-trump:\n  kind: person\n  names: { ar: \"دونالد ترامب\", en: \"Donald Trump\" }\n  aliases: { en: [\"Trump\"] }\nmelania-trump:\n  kind: person\n  names: { en: \"Melania Trump\" }\n  aliases: { en: [\"Trump\"] }\n").unwrap();
        Registries::new(topics, entities)
    }

    #[test]
    fn resolves_ids_labels_names_and_aliases_after_normalization() {
        let r = regs();
        assert_eq!(r.resolve_topic("politics"), Resolution::Found(0));
        assert_eq!(r.resolve_topic("سياسة"), Resolution::Found(0));
        assert_eq!(r.resolve_topic("technology"), Resolution::Found(1));
        assert_eq!(r.resolve_entity("ايلون ماسك"), Resolution::Found(0));
        assert_eq!(r.resolve_entity("musk"), Resolution::Found(0));
    }

    #[test]
    fn ambiguous_and_unknown_names_say_so() {
        let r = regs();
        assert_eq!(r.resolve_entity("Trump"), Resolution::Ambiguous(vec!["donald-trump".into(), "melania-trump".into()]));
        assert_eq!(r.resolve_topic("politcs"), Resolution::Unknown(vec!["politics".into()]));
    }

    #[test]
    fn unsafe_ids_and_bad_kinds_are_errors_with_lines() {
        let errs = parse_entities(Path::new("e.yaml"), "ok:\n  kind: person\n\"../x\":\n  kind: person\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        let errs = parse_entities(Path::new("e.yaml"), "a:\n  kind: person\nb:\n  kind: persn\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].hint.as_deref().unwrap().contains("person"));
    }
}
