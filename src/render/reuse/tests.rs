//! `render::reuse`: a value written over another is what `to_value` makes.

use super::*;
use proptest::prelude::*;
use serde::Serialize;

#[derive(Serialize, Clone)]
struct Inner {
    name: String,
    n: u32,
}

#[derive(Serialize, Clone)]
enum Kind {
    Plain,
    With(u8, u8),
}

#[derive(Serialize, Clone)]
struct Outer {
    title: String,
    #[serde(rename = "type")]
    kind: &'static str,
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Inner>,
    items: Vec<Inner>,
    shape: Kind,
    score: f64,
    flags: std::collections::BTreeMap<String, bool>,
}

fn outer(title: &str, note: Option<&str>, extra: bool, items: usize, shape: Kind) -> Outer {
    Outer {
        title: title.to_string(), kind: "k", note: note.map(str::to_string),
        extra: extra.then(|| Inner { name: "x".into(), n: 1 }),
        items: (0..items).map(|i| Inner { name: format!("item {i}"), n: i as u32 }).collect(),
        shape, score: 0.5,
        flags: (0..items).map(|i| (format!("f{i}"), i % 2 == 0)).collect(),
    }
}

/// Writing each struct over the last gives what `to_value` gives, with
/// fields, list items and map entries coming and going.
#[test]
fn a_struct_written_over_another_is_that_struct() {
    let seq = [
        outer("first", Some("n"), true, 3, Kind::Plain),
        outer("second, longer", None, false, 1, Kind::With(1, 2)),
        outer("3", Some("a note"), true, 5, Kind::Plain),
        outer("", None, true, 0, Kind::With(3, 4)),
    ];
    let mut target = Value::Null;
    for v in &seq {
        update(&mut target, v).unwrap();
        assert_eq!(target, serde_json::to_value(v).unwrap());
    }
}

/// A text that fits the old one's buffer goes into it, and so into the
/// same object: nothing is made afresh.
#[test]
fn texts_and_objects_are_written_in_place() {
    let mut target = serde_json::to_value(outer("a long first title", None, true, 2, Kind::Plain)).unwrap();
    let at = |t: &Value| (t["title"].as_str().unwrap().as_ptr(), t["items"][1]["name"].as_str().unwrap().as_ptr());
    let before = at(&target);
    update(&mut target, &outer("short", None, true, 2, Kind::Plain)).unwrap();
    assert_eq!(at(&target), before);
    assert_eq!(target["title"], "short");
}

/// Keys of an object of another shape go.
#[test]
fn keys_not_written_are_removed() {
    let mut target = serde_json::json!({"title": "t", "gone": [1, 2], "items": {"no": "list"}});
    let v = outer("t2", None, false, 1, Kind::Plain);
    update(&mut target, &v).unwrap();
    assert_eq!(target, serde_json::to_value(&v).unwrap());
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "[a-c]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| prop_oneof![
        proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
        proptest::collection::btree_map("[a-c]", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
    ])
}

proptest! {
    /// Any JSON value written over any other is that value.
    #[test]
    fn a_value_written_over_another_is_that_value(old in json(), new in json()) {
        let mut target = old;
        update(&mut target, &new).unwrap();
        prop_assert_eq!(target, new);
    }
}
