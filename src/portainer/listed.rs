//! Lists that survive a malformed item: each item of a Portainer list is decoded on its own,
//! and one that does not decode (a `null` id, an id beyond 32 bits, a field of the wrong type)
//! is skipped and counted with the reason, instead of failing the whole answer. Pure code.

use super::error::{decode, ApiError};
use crate::domain::order::sorted_indices;
use serde::de::{DeserializeOwned, DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::fmt;
use std::marker::PhantomData;

/// The items that decoded, and what was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub skipped: Vec<Skipped>,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

/// An item Portlight could not read (or read twice), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The item's `Id` as Portainer wrote it, when it has one.
    pub id: Option<String>,
    pub reason: String,
}

impl<T> Listed<T> {
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            skipped: Vec::new(),
        }
    }

    /// Keeps the first item of each id; later ones are counted as skipped ("listed twice").
    /// Ids are compared in sorted order, not pairwise: 20,000 stacks took a quadratic pass.
    pub fn dedupe_by(mut self, key: impl Fn(&T) -> u32) -> Self {
        let keys: Vec<u32> = self.items.iter().map(key).collect();
        // Portainer lists in id order: then nothing is twice, and nothing is moved (moving
        // 20,000 stacks into a new list cost more than finding out).
        if keys.windows(2).all(|pair| pair[0] < pair[1]) {
            return self;
        }
        // Stable: of equal ids, the earliest item comes first and is the one kept.
        let order = sorted_indices(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
        let mut twice = vec![false; keys.len()];
        for pair in order.windows(2) {
            if keys[pair[0]] == keys[pair[1]] {
                twice[pair[1]] = true;
            }
        }
        if !twice.contains(&true) {
            return self;
        }
        let mut kept = Vec::with_capacity(self.items.len());
        for (item, twice) in self.items.into_iter().zip(twice) {
            if twice {
                self.skipped.push(Skipped {
                    id: None,
                    reason: "listed twice by Portainer; shown once".into(),
                });
            } else {
                kept.push(item);
            }
        }
        self.items = kept;
        self
    }

    /// "1 stack could not be read: stack 7: EndpointId is null." or None when nothing was
    /// skipped. `noun` and `nouns`: "stack", "stacks".
    pub fn note(&self, noun: &str, nouns: &str) -> Option<String> {
        let first = self.skipped.first()?;
        let n = self.skipped.len();
        let which = first
            .id
            .as_deref()
            .map(|id| format!("{noun} {id}: "))
            .unwrap_or_default();
        let more = if n > 1 {
            format!(" (and {} more)", n - 1)
        } else {
            String::new()
        };
        let counted = if n == 1 {
            format!("1 {noun}")
        } else {
            format!("{n} {nouns}")
        };
        Some(format!(
            "{counted} from Portainer could not be read and {} left out: {which}{}{more}.",
            if n == 1 { "is" } else { "are" },
            first.reason
        ))
    }
}

/// Decodes a Portainer list answer item by item. `null` is an empty list (Go writes nil
/// slices so); anything that is not a list at all is still an error.
pub fn decode_list<T: DeserializeOwned>(
    model: &str,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<Listed<T>, ApiError> {
    let raws: Option<Vec<Box<RawValue>>> = decode(model, status, content_type, body)?;
    Ok(each_item(raws.unwrap_or_default()))
}

/// Decodes a Kubernetes list (`{"kind":"PodList","items":[…]}`) item by item, like
/// [`decode_list`].
pub fn decode_kube_list<T: DeserializeOwned>(
    model: &str,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<Listed<T>, ApiError> {
    #[derive(serde::Deserialize)]
    struct KubeList {
        #[serde(default)]
        items: Option<Vec<Box<RawValue>>>,
    }
    let list: KubeList = decode(model, status, content_type, body)?;
    Ok(each_item(list.items.unwrap_or_default()))
}

fn each_item<T: DeserializeOwned>(raws: Vec<Box<RawValue>>) -> Listed<T> {
    let mut listed = Listed::default();
    for raw in raws {
        match serde_json::from_str::<T>(raw.get()) {
            Ok(item) => listed.items.push(item),
            Err(err) => listed.skipped.push(Skipped {
                id: item_id(raw.get()),
                reason: reason(raw.get(), &err),
            }),
        }
    }
    listed
}

/// [`decode_list`] for the long lists (20,000 stacks): the whole list is read in one pass
/// first, nearly twice as fast as item by item; only an answer that fails so is read again
/// item by item, which then skips the bad items or names what is wrong with the answer.
pub fn decode_long_list<T: DeserializeOwned>(
    model: &str,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<Listed<T>, ApiError> {
    match (200..300).contains(&status).then(|| whole_list(body)) {
        Some(Some(items)) => Ok(Listed::new(items)),
        _ => decode_list(model, status, content_type, body),
    }
}

/// Every item of a list answer (`null`: none), or `None` for anything else.
fn whole_list<T: DeserializeOwned>(body: &str) -> Option<Vec<T>> {
    // A byte order mark is no part of JSON, but a proxy may add one.
    let text = body.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let mut reader = serde_json::Deserializer::from_str(text);
    let room = Room {
        items: text.len() / BYTES_PER_ITEM_AT_LEAST,
        item: PhantomData,
    };
    let items = room.deserialize(&mut reader).ok()?;
    reader.end().ok()?;
    Some(items)
}

/// Fewer bytes than any stack or environment Portainer writes (a stack without access
/// control or variables is about 380). The list is read into room for `length / this` items,
/// so it is rarely moved while it grows (growing 20,000 stacks by doubling cost 13-20 ms),
/// and the room it did not use is given back at the end, in place.
const BYTES_PER_ITEM_AT_LEAST: usize = 384;

/// Reads a list (or `null`) into a vector made with room for `items`.
struct Room<T> {
    items: usize,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Room<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, reader: D) -> Result<Vec<T>, D::Error> {
        reader.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Room<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, reader: D) -> Result<Vec<T>, D::Error> {
        reader.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut list: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(self.items);
        while let Some(item) = list.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(items)
    }
}

/// The item's `Id` (or Docker's `ID`, or a Kubernetes object's `name`), as written: read from
/// the text, so it works on items that do not decode.
fn item_id(item: &str) -> Option<String> {
    let at = ["\"Id\":", "\"ID\":", "\"id\":", "\"name\":"]
        .iter()
        .find_map(|key| item.find(key).map(|i| i + key.len()))?;
    let rest = item[at..].trim_start();
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    let id: String = rest[..end]
        .trim()
        .trim_matches('"')
        .chars()
        .take(24)
        .collect();
    (!id.is_empty()).then_some(id)
}

/// "EndpointId is null", "Id: 5000000000 does not fit", or serde's words with the field
/// they are about. The field is the last key before the place decoding failed.
fn reason(item: &str, err: &serde_json::Error) -> String {
    let message = err.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    let offset = offset_of(item, err.line(), err.column());
    let field = field_before(&item[..offset.min(item.len())]);
    let plain = if message.starts_with("invalid type: null") {
        "is null".to_string()
    } else if let Some(value) = message
        .strip_prefix("invalid value: integer `")
        .and_then(|v| v.split('`').next())
    {
        format!("{value} does not fit")
    } else {
        message
    };
    match field {
        Some(field) if plain == "is null" => format!("{field} is null"),
        Some(field) => format!("{field}: {plain}"),
        None => plain,
    }
}

/// The byte offset of serde's 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            return offset + column;
        }
        offset += l.len() + 1;
    }
    text.len()
}

/// The last `"Key":` in `text`.
fn field_before(text: &str) -> Option<String> {
    let colon = text.rfind("\":")?;
    let open = text[..colon].rfind('"')?;
    let key = &text[open + 1..colon];
    (!key.is_empty() && key.len() <= 64 && !key.contains(['{', '}', ','])).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Clone, Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Item {
        id: u32,
        endpoint_id: u32,
        #[serde(default)]
        name: String,
    }

    fn list(body: &str) -> Listed<Item> {
        decode_list("Stack list", 200, Some("application/json"), body).unwrap()
    }

    #[test]
    fn one_bad_item_is_skipped_with_its_id_and_the_field_named() {
        let l = list(
            r#"[{"Id":1,"EndpointId":1,"Name":"web"},{"Id":7,"EndpointId":null,"Name":"odd"},{"Id":2,"EndpointId":3}]"#,
        );
        assert_eq!(l.items.len(), 2);
        assert_eq!(l.items[1].id, 2);
        assert_eq!(
            l.skipped,
            [Skipped {
                id: Some("7".into()),
                reason: "EndpointId is null".into()
            }]
        );
        assert_eq!(
            l.note("stack", "stacks").unwrap(),
            "1 stack from Portainer could not be read and is left out: stack 7: EndpointId is null."
        );
    }

    #[test]
    fn ids_beyond_32_bits_and_wrong_types_are_named() {
        let l = list(
            r#"[{"Id":5000000000,"EndpointId":1},{"Id":"x","EndpointId":1},{"Id":3,"EndpointId":[]},{"Id":4,"EndpointId":4}]"#,
        );
        assert_eq!(l.items.len(), 1);
        let reasons: Vec<&str> = l.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons[0], "Id: 5000000000 does not fit");
        assert!(
            reasons[1].starts_with("Id: invalid type: string"),
            "{}",
            reasons[1]
        );
        assert!(
            reasons[2].starts_with("EndpointId: invalid type: sequence"),
            "{}",
            reasons[2]
        );
        assert!(l.note("stack", "stacks").unwrap().starts_with("3 stacks"));
    }

    #[test]
    fn duplicates_are_shown_once_and_counted() {
        let l =
            list(r#"[{"Id":1,"EndpointId":1},{"Id":1,"EndpointId":2},{"Id":2,"EndpointId":1}]"#)
                .dedupe_by(|i| i.id);
        assert_eq!(l.items.len(), 2);
        assert_eq!(l.items[0].endpoint_id, 1);
        assert!(l.note("stack", "stacks").unwrap().contains("listed twice"));
    }

    #[test]
    fn a_long_list_reads_as_item_by_item_does() {
        let long = |body: &str| decode_long_list::<Item>("Stack list", 200, None, body);
        let good = r#"[{"Id":1,"EndpointId":1,"Name":"a"},{"Id":2,"EndpointId":3}]"#;
        assert_eq!(long(good).unwrap(), list(good));
        let one_bad =
            r#"[{"Id":1,"EndpointId":1},{"Id":null,"EndpointId":1},{"Id":4,"EndpointId":4}]"#;
        let l = long(one_bad).unwrap();
        assert_eq!(l, list(one_bad));
        assert_eq!(l.items.len(), 2);
        assert_eq!(l.skipped.len(), 1);
        assert!(long("null").unwrap().items.is_empty());
        let not_a_list = long(r#"{"Id":1}"#).unwrap_err();
        assert!(
            matches!(not_a_list, ApiError::Decode { .. }),
            "{not_a_list:?}"
        );
        let refused = decode_long_list::<Item>("Stack list", 403, None, r#"{"message":"no"}"#);
        assert!(
            matches!(refused, Err(ApiError::Forbidden { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn a_long_list_keeps_no_room_it_did_not_use() {
        // Spaces make the answer long enough to reserve room for more items than it holds.
        let padded = format!(
            "\u{FEFF} [{{\"Id\":1,\"EndpointId\":1}},{}{{\"Id\":2,\"EndpointId\":2}}] ",
            " ".repeat(4 * BYTES_PER_ITEM_AT_LEAST)
        );
        let l = decode_long_list::<Item>("Stack list", 200, None, &padded).unwrap();
        assert_eq!(l, list(&padded.replace('\u{FEFF}', "")));
        assert_eq!(l.items.capacity(), 2);
    }

    #[test]
    fn the_first_of_each_id_is_kept_in_list_order() {
        let l = list(
            r#"[{"Id":3,"EndpointId":1},{"Id":1,"EndpointId":1},{"Id":3,"EndpointId":2},
                {"Id":2,"EndpointId":1},{"Id":1,"EndpointId":3}]"#,
        )
        .dedupe_by(|i| i.id);
        let kept: Vec<(u32, u32)> = l.items.iter().map(|i| (i.id, i.endpoint_id)).collect();
        assert_eq!(kept, vec![(3, 1), (1, 1), (2, 1)]);
        assert_eq!(l.skipped.len(), 2);
    }

    #[test]
    fn a_list_without_duplicates_is_kept_as_it_came_sorted_or_not() {
        for body in [
            r#"[{"Id":1,"EndpointId":1},{"Id":2,"EndpointId":1},{"Id":9,"EndpointId":2}]"#,
            r#"[{"Id":9,"EndpointId":1},{"Id":2,"EndpointId":1},{"Id":5,"EndpointId":2}]"#,
        ] {
            let before = list(body);
            let after = before.clone().dedupe_by(|i| i.id);
            assert_eq!(after, before);
            assert!(after.skipped.is_empty());
        }
    }

    #[test]
    fn null_is_an_empty_list_and_a_non_list_is_an_error() {
        assert!(list("null").items.is_empty());
        assert!(list("[]").note("stack", "stacks").is_none());
        let err = decode_list::<Item>("Stack list", 200, None, r#"{"Id":1}"#).unwrap_err();
        assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
        let err =
            decode_list::<Item>("Stack list", 500, None, r#"{"message":"boom"}"#).unwrap_err();
        assert_eq!(err.status(), Some(500));
    }

    #[test]
    fn nothing_panics_on_odd_items() {
        for body in [
            "[1,2,3]",
            "[null]",
            "[\"Id\":]",
            "[{\"Id\":}]",
            "[{\"a\":\"\\u0000\"}]",
            "[{}]",
        ] {
            let _ = decode_list::<Item>("x", 200, None, body);
        }
    }
}
