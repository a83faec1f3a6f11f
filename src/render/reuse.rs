//! Serializing into a value made before: [`update`] leaves a value equal to
//! what `serde_json::to_value` makes, reusing what it held. Every page of a
//! kind has a context of the same shape (an article page: the same keys,
//! most texts about as long), so a worker keeps the last one's and writes the
//! next page's over it: a text goes into the old one's buffer, a field into
//! the old object's slot. Made afresh, each field cost its key's and its
//! text's allocations and an insertion into a B-tree, and dropping the
//! context as much again.

use serde::ser::{self, Serialize};
use serde_json::{Map, Value};

type Error = serde_json::Error;

/// Make `target` equal to `serde_json::to_value(v)`, keeping its
/// allocations where the two have the same shape.
pub fn update<T: Serialize + ?Sized>(target: &mut Value, v: &T) -> Result<(), Error> {
    // a shape not written in place (an enum variant with data), or an error
    // (which `to_value` then reports): made afresh
    v.serialize(Over { target: &mut *target, top: None }).or_else(|_| fresh(target, v))
}

/// [`update`] of the object `map` with the struct `v`'s fields, leaving its
/// other keys (a page's context: its base, then the values put beside it);
/// the names of the fields written are added to `names`.
pub fn update_fields<T: Serialize + ?Sized>(map: &mut Map<String, Value>, v: &T, names: &mut Vec<&'static str>) -> Result<(), Error> {
    let mut object = Value::Object(std::mem::take(map));
    v.serialize(Over { target: &mut object, top: Some(names) })?;
    match object {
        Value::Object(m) => {
            *map = m;
            Ok(())
        }
        _ => Err(ser::Error::custom("only a struct's fields go into a page's context")),
    }
}

/// `target` made afresh, as `to_value` makes it.
fn fresh<T: Serialize + ?Sized>(target: &mut Value, v: &T) -> Result<(), Error> {
    *target = serde_json::to_value(v)?;
    Ok(())
}

/// The serializer writing into one value; `top`, for [`update_fields`]: a
/// struct there leaves the object's other keys, and lists its fields here.
struct Over<'a> {
    target: &'a mut Value,
    top: Option<&'a mut Vec<&'static str>>,
}

impl<'a> Over<'a> {
    fn set(self, v: Value) -> Result<(), Error> {
        *self.target = v;
        Ok(())
    }

    /// The object `target` holds, made one if it is not.
    fn object(self) -> &'a mut Map<String, Value> {
        if !self.target.is_object() {
            *self.target = Value::Object(Map::new());
        }
        match self.target {
            Value::Object(map) => map,
            // made an object just above
            _ => unreachable!(),
        }
    }

    fn array(self, len: Option<usize>) -> &'a mut Vec<Value> {
        if !self.target.is_array() {
            *self.target = Value::Array(Vec::with_capacity(len.unwrap_or(0)));
        }
        match self.target {
            Value::Array(list) => list,
            // made an array just above
            _ => unreachable!(),
        }
    }
}

impl<'a> ser::Serializer for Over<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.set(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        fresh(self.target, &v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        fresh(self.target, &v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        fresh(self.target, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        fresh(self.target, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        match self.target {
            Value::String(s) => {
                s.clear();
                s.push_str(v);
                Ok(())
            }
            other => {
                *other = Value::String(v.to_owned());
                Ok(())
            }
        }
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        fresh(self.target, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.set(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.set(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.set(Value::Null)
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _name: &'static str, _index: u32, variant: &'static str, v: &T) -> Result<(), Error> {
        let mut map = Map::new();
        map.insert(variant.to_owned(), serde_json::to_value(v)?);
        self.set(Value::Object(map))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a>, Error> {
        Ok(Seq { list: self.array(len), at: 0 })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("an enum variant with data is not written in place"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(Object { map: self.object(), written: Vec::new(), key: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Struct<'a>, Error> {
        let top = self.top;
        Ok(Struct { map: Over { target: self.target, top: None }.object(), names: [""; NAMES], n: 0, more: Vec::new(), top })
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("an enum variant with data is not written in place"))
    }
}

/// A list written over an old one: element by element, then cut to length.
pub struct Seq<'a> {
    list: &'a mut Vec<Value>,
    at: usize,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        match self.list.get_mut(self.at) {
            Some(old) => update(old, v)?,
            None => self.list.push(serde_json::to_value(v)?),
        }
        self.at += 1;
        Ok(())
    }

    fn finish(self) {
        self.list.truncate(self.at);
    }
}

/// The three kinds of list are written alike, element by element.
macro_rules! list_impl {
    ($($kind:ident :: $element:ident),*) => {$(
        impl ser::$kind for Seq<'_> {
            type Ok = ();
            type Error = Error;
            fn $element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                self.element(v)
            }
            fn end(self) -> Result<(), Error> {
                self.finish();
                Ok(())
            }
        }
    )*};
}

list_impl!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field);

/// Into `map`'s slot for `key`, or a new entry.
fn field<T: Serialize + ?Sized>(map: &mut Map<String, Value>, key: &str, v: &T) -> Result<(), Error> {
    match map.get_mut(key) {
        Some(old) => update(old, v),
        None => {
            map.insert(key.to_owned(), serde_json::to_value(v)?);
            Ok(())
        }
    }
}

/// The field names a [`Struct`] keeps without allocating (more go to a list).
const NAMES: usize = 32;

/// A struct written over an old object: each field into its old slot, then
/// any key not written this time removed.
pub struct Struct<'a> {
    map: &'a mut Map<String, Value>,
    names: [&'static str; NAMES],
    n: usize,
    more: Vec<&'static str>,
    /// [`update_fields`]' list of names: other keys stay.
    top: Option<&'a mut Vec<&'static str>>,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        field(self.map, key, v)?;
        match self.names.get_mut(self.n) {
            Some(slot) => {
                *slot = key;
                self.n += 1;
            }
            None => self.more.push(key),
        }
        Ok(())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.map.remove(key);
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        if let Some(top) = self.top {
            top.extend_from_slice(&self.names[..self.n]);
            top.extend_from_slice(&self.more);
            return Ok(());
        }
        // every name written is a key now, each once: as many keys as names
        // means no other is left (only an old object of another shape has one)
        if self.map.len() != self.n + self.more.len() {
            let names = &self.names[..self.n];
            let more = &self.more;
            self.map.retain(|k, _| names.contains(&k.as_str()) || more.contains(&k.as_str()));
        }
        Ok(())
    }
}

/// A map written over an old object, the same way.
pub struct Object<'a> {
    map: &'a mut Map<String, Value>,
    written: Vec<String>,
    /// An entry's key, until its value comes.
    key: Option<String>,
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match serde_json::to_value(key)? {
            Value::String(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(ser::Error::custom("a map key that is not a string")),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        field(self.map, &key, v)?;
        self.written.push(key);
        Ok(())
    }
    fn end(mut self) -> Result<(), Error> {
        // a key written twice counts once
        self.written.sort_unstable();
        self.written.dedup();
        if self.map.len() != self.written.len() {
            let written = &self.written;
            self.map.retain(|k, _| written.binary_search(k).is_ok());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
