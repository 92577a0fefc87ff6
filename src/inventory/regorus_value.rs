//! A piece straight into the values regorus evaluates over: the value serde_json would
//! make of it then `regorus::Value::from` (numbers as u64, else i64, else f64; map keys as
//! text; a non-finite float as null), without building the JSON tree in between, which
//! cost a policy more than its evaluation (BENCHMARKS.md section 7).

use std::collections::BTreeMap;
use std::fmt;

use regorus::Value;
use serde::ser::{self, Serialize};

/// Why a value has no regorus form: a map key that is not text, or a type's own
/// `Serialize` failing.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Error {}
impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    value.serialize(Serializer)
}

struct Serializer;

struct Seq(Vec<Value>);
/// The entries so far, and the key whose value comes next.
struct Map(BTreeMap<Value, Value>, Option<Value>);
/// A variant's name and its fields, as serde_json writes it: `{"Variant": [...]}`.
struct Variant(&'static str, Vec<Value>);
/// A variant's name and its named fields: `{"Variant": {...}}`.
struct StructVariant(&'static str, Map);

/// A variant holding `value`, as serde_json writes one: `{"Variant": value}`.
fn tagged(variant: &'static str, value: Value) -> Value {
    Value::from(BTreeMap::from([(Value::from(variant), value)]))
}

fn f64_value(v: f64) -> Value {
    if v.is_finite() {
        Value::from(v)
    } else {
        Value::Null
    }
}

impl ser::Serializer for Serializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Variant;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = StructVariant;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        // serde_json's deserializer offers a non-negative integer as u64.
        Ok(match u64::try_from(v) {
            Ok(u) => Value::from(u),
            Err(_) => Value::from(v),
        })
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(f64_value(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(f64_value(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::from(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::from(
            v.iter()
                .map(|b| Value::from(u64::from(*b)))
                .collect::<Vec<_>>(),
        ))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::from(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(tagged(variant, value.serialize(Serializer)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant, Error> {
        Ok(Variant(variant, Vec::with_capacity(len)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map, Error> {
        Ok(Map(BTreeMap::new(), None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Map, Error> {
        Ok(Map(BTreeMap::new(), None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<StructVariant, Error> {
        Ok(StructVariant(variant, Map(BTreeMap::new(), None)))
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(Serializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::from(self.0))
    }
}
impl ser::SerializeTuple for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}
impl ser::SerializeTupleStruct for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}
impl ser::SerializeTupleVariant for Variant {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.1.push(value.serialize(Serializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(tagged(self.0, Value::from(self.1)))
    }
}

/// A map key as JSON has it: a string (numbers and booleans written as text).
fn key(value: Value) -> Result<Value, Error> {
    match value {
        Value::String(_) => Ok(value),
        Value::Number(_) | Value::Bool(_) => Ok(Value::from(value.to_string())),
        _ => Err(Error("a map key is not a string".into())),
    }
}

impl ser::SerializeMap for Map {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.1 = Some(key(k.serialize(Serializer)?)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let k = self
            .1
            .take()
            .ok_or_else(|| Error("value without key".into()))?;
        self.0.insert(k, value.serialize(Serializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::from(self.0))
    }
}
impl ser::SerializeStruct for Map {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.0
            .insert(Value::from(name), value.serialize(Serializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::from(self.0))
    }
}
impl ser::SerializeStructVariant for StructVariant {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.1, name, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(tagged(self.0, ser::SerializeStruct::end(self.1)?))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::json;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Wrapped(u8),
        Pair(i32, String),
        Named { on: bool },
    }

    #[derive(Serialize)]
    struct Everything {
        text: String,
        ch: char,
        none: Option<u32>,
        some: Option<&'static str>,
        unit: (),
        small: i8,
        negative: i64,
        below: i64,
        big: u64,
        ratio: f32,
        huge: f64,
        nan: f64,
        kinds: Vec<Kind>,
        tuple: (u16, bool),
        by_number: BTreeMap<u32, &'static str>,
        bytes: serde_bytes_like::Bytes,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    /// Every shape serde has, as regorus makes it of serde_json's value of it.
    #[test]
    fn values_are_those_regorus_makes_of_their_json() {
        let value = Everything {
            text: "arn:aws:rds:us-east-1:1:db:é\"".into(),
            ch: 'x',
            none: None,
            some: Some("yes"),
            unit: (),
            small: 7,
            negative: -3,
            below: i64::MIN,
            big: u64::MAX,
            ratio: 0.5,
            huge: 1.5e300,
            nan: f64::NAN,
            kinds: vec![
                Kind::Plain,
                Kind::Wrapped(1),
                Kind::Pair(-1, "b".into()),
                Kind::Named { on: true },
            ],
            tuple: (9, false),
            by_number: BTreeMap::from([(2, "two"), (10, "ten")]),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            skipped: None,
        };
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(json["nan"], json!(null));
        assert_eq!(super::of(&value).unwrap(), regorus::Value::from(json));
    }

    #[test]
    fn a_map_key_that_is_not_text_is_an_error() {
        let value = BTreeMap::from([((1, 2), "pair")]);
        assert!(serde_json::to_value(&value).is_err());
        assert!(super::of(&value).is_err());
    }
}
