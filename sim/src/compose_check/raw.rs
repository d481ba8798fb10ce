//! libyaml's events as a tree, each mapping key numbered in reading order so that its line can
//! be found again: serde_yaml gives a visitor no positions, only its errors carry one.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};

/// What libyaml hands over, before any decoding.
#[derive(Clone, Debug)]
pub(super) enum Raw {
    /// An empty stream: no document at all.
    Absent,
    Null,
    Bool(bool),
    Int(String),
    Float(f64),
    Str(String),
    Seq(Vec<Raw>),
    /// Entries with the ordinal of their key among all keys read, to find its line later.
    Map(Vec<(Raw, Raw, usize)>),
    Tagged(String, Box<Raw>),
}

/// The line of a key, found by reading the document again and failing on that key: serde_yaml
/// marks an error with the position of the event it was reading.
pub(super) fn key_line(text: &str, document: usize, ordinal: usize) -> usize {
    let Some(de) = serde_yaml::Deserializer::from_str(text).nth(document) else {
        return 0;
    };
    let keys = Cell::new(0);
    match (Builder {
        keys: &keys,
        fail_at: Some(ordinal),
    })
    .deserialize(de)
    {
        Err(err) => err.location().map_or(0, |l| l.line()),
        Ok(_) => 0,
    }
}

/// Builds [`Raw`] from serde_yaml's events, numbering keys in reading order. With `fail_at`, it
/// fails on that key instead (see [`key_line`]).
#[derive(Clone, Copy)]
pub(super) struct Builder<'a> {
    pub keys: &'a Cell<usize>,
    pub fail_at: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Builder<'_> {
    type Value = Raw;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Raw, D::Error> {
        de.deserialize_any(self)
    }
}

/// Refuses whatever it is given, so that serde_yaml reports where it was.
struct Fail;

impl<'de> DeserializeSeed<'de> for Fail {
    type Value = Raw;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Raw, D::Error> {
        de.deserialize_any(Fail)
    }
}

impl Visitor<'_> for Fail {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("nothing")
    }
}

impl<'de> Visitor<'de> for Builder<'_> {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Absent)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Int(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Int(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Int(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        loop {
            let ordinal = self.keys.get();
            self.keys.set(ordinal + 1);
            let key = if self.fail_at == Some(ordinal) {
                map.next_key_seed(Fail)?
            } else {
                map.next_key_seed(self)?
            };
            let Some(key) = key else {
                return Ok(Raw::Map(entries));
            };
            let value = map.next_value_seed(self)?;
            entries.push((key, value, ordinal));
        }
    }

    /// A tagged value (`!reset`, `!override`, a custom tag).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Raw, A::Error> {
        let (tag, variant): (String, _) = data.variant()?;
        let value = variant.newtype_variant_seed(self)?;
        Ok(Raw::Tagged(tag, Box::new(value)))
    }
}
