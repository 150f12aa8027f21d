//! Cyclr's lookup keys and the choices they pick out of a response.
//!
//! A parameter or field whose values come from a list names a trigger: a method to call and
//! two keys into its response, `HumanReadableKey` (what to show) and `IdentifierKey` (what to
//! send), such as `[records].Email` and `[records].Id`. The bracketed part names the array
//! (a dotted path from the top of the body, empty for a body that is the array itself); the
//! part after the dot names the value inside each item (dotted too, for nested objects). A key
//! without brackets (`Id`) reads items of the top-level array, or of the one array an object
//! at the top holds.
//!
//! Every string returned here (ids, labels, the paths in errors) comes from the server as it
//! is: callers must make it inert before it reaches a terminal (`crate::text::inert`, or JSON
//! output through `crate::text::json_escaped`).

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// A parsed lookup key: where the list is and what to read from each item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPath {
    /// Where the array is. `None`: no brackets were written (the top-level array, or the one
    /// an object at the top holds); `Some(empty)`: `[]`, the body is the array; otherwise the
    /// keys from the top of the body down to the array.
    pub array: Option<Vec<String>>,
    /// The keys inside each item, outermost first; empty: the item itself.
    pub item: Vec<String>,
}

/// What went wrong reading choices: a key that cannot be parsed, a body that is not JSON, or
/// a key that found nothing in the body. The text says precisely what matched nothing; it
/// may hold server text, so make it inert before printing (`crate::process::report` does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// The lookup has no key at all (`IdentifierKey` empty or missing).
    EmptyKey,
    /// The key is not of the form `[array].item`, `[].item` or `item`.
    BadKey { key: String, reason: String },
    /// The response body is not JSON (an HTML error page, say).
    NotJson { detail: String },
    /// The key names an array the body does not have.
    NoArray {
        key: String,
        /// The dotted path that was looked for (empty: the top level).
        path: String,
        /// What is there instead (`nothing`, `an object`, `a string`…).
        found: &'static str,
    },
    /// The array is there but none of its items has the id.
    NoIds {
        key: String,
        /// The dotted path to the array (empty: the top level).
        path: String,
        /// The dotted key inside each item.
        item: String,
        /// How many items there were.
        items: usize,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::EmptyKey => f.write_str("the lookup key is empty"),
            LookupError::BadKey { key, reason } => {
                write!(f, "the lookup key \"{key}\" is malformed: {reason}")
            }
            LookupError::NotJson { detail } => write!(f, "the response is not JSON ({detail})"),
            LookupError::NoArray { key, path, found } => {
                if path.is_empty() {
                    write!(
                        f,
                        "the key {key} matched nothing: the response is {found}, not an array"
                    )
                } else {
                    write!(
                        f,
                        "the key {key} matched nothing: the response has no array at \"{path}\""
                    )?;
                    if *found != "nothing" {
                        write!(f, " (it is {found})")?;
                    }
                    Ok(())
                }
            }
            LookupError::NoIds {
                key,
                path,
                item,
                items,
            } => {
                let whose = if path.is_empty() {
                    "top-level".to_string()
                } else {
                    format!("\"{path}\"")
                };
                let what = if item.is_empty() {
                    "value".to_string()
                } else {
                    format!("\"{item}\"")
                };
                write!(
                    f,
                    "the key {key} matched nothing: the {items} {whose} items have no {what}"
                )
            }
        }
    }
}

impl std::error::Error for LookupError {}

impl KeyPath {
    /// Parses `[records].Email`, `[data.items].name`, `[].name`, `[]`, `Id` or
    /// `Owner.Email`; whitespace around the parts is ignored.
    pub fn parse(key: &str) -> Result<KeyPath, LookupError> {
        let text = key.trim();
        if text.is_empty() {
            return Err(LookupError::EmptyKey);
        }
        let bad = |reason: &str| LookupError::BadKey {
            key: text.to_string(),
            reason: reason.to_string(),
        };
        let Some(rest) = text.strip_prefix('[') else {
            if text.contains(['[', ']']) {
                return Err(bad("brackets may only enclose the array, at the start"));
            }
            return Ok(KeyPath {
                array: None,
                item: dotted(text).ok_or_else(|| bad("a dot with no name beside it"))?,
            });
        };
        let Some((inside, after)) = rest.split_once(']') else {
            return Err(bad("'[' is not closed by ']'"));
        };
        if inside.contains('[') || after.contains(['[', ']']) {
            return Err(bad("only one [array] part is allowed, at the start"));
        }
        let inside = inside.trim();
        let array = if inside.is_empty() {
            Vec::new()
        } else {
            dotted(inside).ok_or_else(|| bad("a dot with no name beside it inside [ ]"))?
        };
        let after = after.trim_start();
        let item = if after.is_empty() {
            Vec::new()
        } else {
            let Some(item) = after.strip_prefix('.') else {
                return Err(bad("expected '.' and a name after ']'"));
            };
            let item = item.trim();
            if item.is_empty() {
                return Err(bad("nothing after '.'"));
            }
            dotted(item).ok_or_else(|| bad("a dot with no name beside it"))?
        };
        Ok(KeyPath {
            array: Some(array),
            item,
        })
    }

    /// The array's dotted path (empty: the top level).
    fn array_path(&self) -> String {
        self.array.as_deref().unwrap_or_default().join(".")
    }

    /// The key inside each item, dotted (empty: the item itself).
    fn item_path(&self) -> String {
        self.item.join(".")
    }

    /// The value at this key's item part, inside `item`.
    fn read<'a>(&self, item: &'a Value) -> Option<&'a Value> {
        walk(item, &self.item).filter(|v| !v.is_null())
    }
}

impl fmt::Display for KeyPath {
    /// The canonical form: `[records].Email`, `[].name`, `[]`, `Id`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(array) = &self.array {
            write!(f, "[{}]", array.join("."))?;
            if !self.item.is_empty() {
                f.write_str(".")?;
            }
        }
        f.write_str(&self.item_path())
    }
}

/// Splits `a.b.c` into trimmed names; `None` when a name is empty (`a..b`, `.a`).
fn dotted(s: &str) -> Option<Vec<String>> {
    s.split('.')
        .map(|part| {
            let part = part.trim();
            (!part.is_empty()).then(|| part.to_string())
        })
        .collect()
}

/// Follows object keys from `value`.
fn walk<'a>(value: &'a Value, keys: &[String]) -> Option<&'a Value> {
    keys.iter().try_fold(value, |v, key| v.get(key.as_str()))
}

/// A word for what a JSON value is, for error messages.
fn kind(value: Option<&Value>) -> &'static str {
    match value {
        None => "nothing",
        Some(Value::Null) => "null",
        Some(Value::Object(_)) => "an object",
        Some(Value::Array(_)) => "an array",
        Some(Value::String(_)) => "a string",
        Some(Value::Number(_)) => "a number",
        Some(Value::Bool(_)) => "a boolean",
    }
}

/// One entry of a lookup: what to send (`id`) and what to show (`label`). Both are server
/// text as it came: make them inert before showing them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The value to send (the `IdentifierKey`'s).
    pub id: String,
    /// The text to show (the `HumanReadableKey`'s; the id when the item has none).
    pub label: String,
}

impl Choice {
    /// A parameter's allowed `Values` as choices (each its own label).
    #[must_use]
    pub fn from_values(values: &[String]) -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice {
                id: v.clone(),
                label: v.clone(),
            })
            .collect()
    }
}

/// A scalar as text: strings as they are, numbers and booleans as their JSON text, objects
/// and arrays as compact JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The items `id` reads: the array it names, or for a key without brackets the top-level
/// array, or the one array an object at the top holds (the first whose items carry the id
/// when it holds several; the object itself when none does).
fn items<'a>(body: &'a Value, id: &KeyPath) -> Result<(Vec<&'a Value>, String), LookupError> {
    let key = id.to_string();
    match &id.array {
        Some(path) => match walk(body, path) {
            Some(Value::Array(items)) => Ok((items.iter().collect(), id.array_path())),
            other => Err(LookupError::NoArray {
                key,
                path: id.array_path(),
                found: kind(other),
            }),
        },
        None => match body {
            Value::Array(items) => Ok((items.iter().collect(), String::new())),
            Value::Object(map) => {
                let arrays: Vec<(&String, &Vec<Value>)> = map
                    .iter()
                    .filter_map(|(k, v)| v.as_array().map(|a| (k, a)))
                    .collect();
                let holding = arrays
                    .iter()
                    .find(|(_, a)| a.iter().any(|item| id.read(item).is_some()));
                match (holding, arrays.as_slice()) {
                    (Some((name, a)), _) | (None, [(name, a)]) => {
                        Ok((a.iter().collect(), (*name).clone()))
                    }
                    // No array carries the id: the object may be the one item.
                    (None, _) if id.read(body).is_some() => Ok((vec![body], String::new())),
                    (None, []) => Err(LookupError::NoArray {
                        key,
                        path: String::new(),
                        found: kind(Some(body)),
                    }),
                    (None, _) => Err(LookupError::NoIds {
                        key,
                        path: arrays
                            .iter()
                            .map(|(k, _)| k.as_str())
                            .collect::<Vec<_>>()
                            .join("\" or \""),
                        item: id.item_path(),
                        items: arrays.iter().map(|(_, a)| a.len()).sum(),
                    }),
                }
            }
            other => Err(LookupError::NoArray {
                key,
                path: String::new(),
                found: kind(Some(other)),
            }),
        },
    }
}

/// The choices `body` offers: each item of the array the id key names, its id at the id
/// key and its label at the label key (read from the same items, even when the label key
/// names another array). Items without an id are left out; an item without a label shows
/// its id. An empty array gives no choices (not an error); an array whose items all lack
/// the id is an error saying so.
pub fn choices(body: &Value, label_key: &str, id_key: &str) -> Result<Vec<Choice>, LookupError> {
    let id = KeyPath::parse(id_key)?;
    let label = if label_key.trim().is_empty() {
        id.clone()
    } else {
        KeyPath::parse(label_key)?
    };
    choices_at(body, &label, &id)
}

fn choices_at(body: &Value, label: &KeyPath, id: &KeyPath) -> Result<Vec<Choice>, LookupError> {
    let (items, path) = items(body, id)?;
    let found: Vec<Choice> = items
        .iter()
        .filter_map(|item| {
            let id = text_of(id.read(item)?);
            let label = label.read(item).map_or_else(|| id.clone(), text_of);
            Some(Choice { id, label })
        })
        .collect();
    if found.is_empty() && !items.is_empty() {
        return Err(LookupError::NoIds {
            key: id.to_string(),
            path,
            item: id.item_path(),
            items: items.len(),
        });
    }
    Ok(found)
}

/// [`choices`] from a response body as received: a body that is not JSON (an HTML error
/// page, CSV, nothing at all) is an error that says so. The keys are checked first.
pub fn choices_from_bytes(
    body: &[u8],
    label_key: &str,
    id_key: &str,
) -> Result<Vec<Choice>, LookupError> {
    let id = KeyPath::parse(id_key)?;
    let label = if label_key.trim().is_empty() {
        id.clone()
    } else {
        KeyPath::parse(label_key)?
    };
    let value: Value = serde_json::from_slice(body).map_err(|e| LookupError::NotJson {
        detail: not_json_detail(body, &e),
    })?;
    choices_at(&value, &label, &id)
}

/// Why `body` is not JSON, in a few words.
fn not_json_detail(body: &[u8], error: &serde_json::Error) -> String {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..]);
    if start.is_empty() {
        return "the body is empty".to_string();
    }
    let head = String::from_utf8_lossy(&start[..start.len().min(64)]).to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        "it is an HTML page".to_string()
    } else if head.starts_with('<') {
        "it looks like XML or HTML".to_string()
    } else if std::str::from_utf8(body).is_err() {
        "it is not UTF-8 text".to_string()
    } else {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(s: &str) -> KeyPath {
        KeyPath::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn pairs(choices: &[Choice]) -> Vec<(&str, &str)> {
        choices
            .iter()
            .map(|c| (c.id.as_str(), c.label.as_str()))
            .collect()
    }

    #[test]
    fn parses_every_form() {
        let k = key("[records].Email");
        assert_eq!(k.array, Some(vec!["records".to_string()]));
        assert_eq!(k.item, ["Email"]);
        let k = key("[data.items].name");
        assert_eq!(k.array, Some(vec!["data".to_string(), "items".to_string()]));
        assert_eq!(k.item, ["name"]);
        let k = key("[].name");
        assert_eq!(k.array, Some(vec![]));
        assert_eq!(k.item, ["name"]);
        let k = key("[]");
        assert_eq!(k.array, Some(vec![]));
        assert!(k.item.is_empty());
        let k = key("Id");
        assert_eq!(k.array, None);
        assert_eq!(k.item, ["Id"]);
        let k = key("[records].Owner.Email");
        assert_eq!(k.item, ["Owner", "Email"]);
        assert_eq!(
            key("  [ records ] . Owner . Email ").to_string(),
            "[records].Owner.Email"
        );
        assert_eq!(key("[] .name"), key("[].name"));
        assert_eq!(key(" name "), key("name"));
    }

    #[test]
    fn displays_canonically() {
        for s in [
            "[records].Email",
            "[data.items].name",
            "[].name",
            "[]",
            "Id",
            "Owner.Email",
        ] {
            assert_eq!(key(s).to_string(), s);
        }
    }

    #[test]
    fn refuses_empty_and_malformed_keys() {
        assert_eq!(KeyPath::parse("  "), Err(LookupError::EmptyKey));
        assert_eq!(LookupError::EmptyKey.to_string(), "the lookup key is empty");
        for (bad, why) in [
            ("[records", "not closed"),
            ("[records].", "nothing after '.'"),
            ("[records]Email", "expected '.'"),
            ("[records]..Email", "a dot with no name"),
            ("[a..b].x", "inside [ ]"),
            ("[a][b].x", "only one [array]"),
            ("records].x", "brackets"),
            ("a..b", "a dot with no name"),
            (".a", "a dot with no name"),
        ] {
            let err = KeyPath::parse(bad).expect_err(bad);
            let text = err.to_string();
            assert!(
                matches!(err, LookupError::BadKey { .. }) && text.contains(why),
                "{bad}: {text}"
            );
            assert!(text.contains(bad.trim()), "{bad}: {text}");
        }
    }

    #[test]
    fn reads_a_wrapped_array() {
        let body = json!({"done": true, "records": [
            {"Id": "003A", "Email": "ada@acme.example"},
            {"Id": "003B", "Email": null},
            {"Email": "no-id@acme.example"},
            {"Id": 42, "Email": true}
        ]});
        let found = choices(&body, "[records].Email", "[records].Id").unwrap();
        assert_eq!(
            pairs(&found),
            [
                ("003A", "ada@acme.example"),
                ("003B", "003B"),
                ("42", "true")
            ]
        );
    }

    #[test]
    fn reads_nested_arrays_and_item_keys() {
        let body = json!({"data": {"items": [
            {"id": 1, "owner": {"email": "a@x"}},
            {"id": 2.5, "owner": {}}
        ]}});
        let found = choices(&body, "[data.items].owner.email", "[data.items].id").unwrap();
        assert_eq!(pairs(&found), [("1", "a@x"), ("2.5", "2.5")]);
    }

    #[test]
    fn reads_a_top_level_array() {
        let body = json!([{"name": "general", "id": "C1"}, {"name": "ops", "id": "C2"}]);
        let found = choices(&body, "[].name", "[].id").unwrap();
        assert_eq!(pairs(&found), [("C1", "general"), ("C2", "ops")]);
        let scalars = json!(["red", 7, false]);
        let found = choices(&scalars, "[]", "[]").unwrap();
        assert_eq!(
            pairs(&found),
            [("red", "red"), ("7", "7"), ("false", "false")]
        );
    }

    #[test]
    fn keys_without_brackets_find_the_list() {
        let top = json!([{"Id": 1, "Name": "one"}]);
        assert_eq!(pairs(&choices(&top, "Name", "Id").unwrap()), [("1", "one")]);
        let wrapped =
            json!({"total": 2, "empty": [], "lists": [{"id": "a", "name": "A"}, {"id": "b"}]});
        assert_eq!(
            pairs(&choices(&wrapped, "name", "id").unwrap()),
            [("a", "A"), ("b", "b")]
        );
        let single = json!({"id": "only", "name": "The one"});
        assert_eq!(
            pairs(&choices(&single, "name", "id").unwrap()),
            [("only", "The one")]
        );
        let one_array_without_ids = json!({"rows": [{"x": 1}]});
        let err = choices(&one_array_without_ids, "", "id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the key id matched nothing: the 1 \"rows\" items have no \"id\""
        );
    }

    #[test]
    fn a_label_key_on_another_array_reads_the_id_keys_items() {
        let body = json!({"records": [{"Id": "1", "Email": "e"}], "other": [{"Email": "x"}]});
        let found = choices(&body, "[other].Email", "[records].Id").unwrap();
        assert_eq!(pairs(&found), [("1", "e")]);
    }

    #[test]
    fn an_empty_list_gives_no_choices() {
        assert_eq!(
            choices(&json!({"records": []}), "[records].Email", "[records].Id"),
            Ok(vec![])
        );
    }

    #[test]
    fn says_what_matched_nothing() {
        let err =
            |body: Value, label: &str, id: &str| choices(&body, label, id).unwrap_err().to_string();
        assert_eq!(
            err(json!({"results": []}), "[records].Email", "[records].Id"),
            "the key [records].Id matched nothing: the response has no array at \"records\""
        );
        assert_eq!(
            err(json!({"records": {"Id": 1}}), "", "[records].Id"),
            "the key [records].Id matched nothing: the response has no array at \"records\" (it is an object)"
        );
        assert_eq!(
            err(
                json!({"records": [{"id": 1}, {"id": 2}]}),
                "",
                "[records].Id"
            ),
            "the key [records].Id matched nothing: the 2 \"records\" items have no \"Id\""
        );
        assert_eq!(
            err(json!({"a": 1}), "", "[].id"),
            "the key [].id matched nothing: the response is an object, not an array"
        );
        assert_eq!(
            err(json!("text"), "", "id"),
            "the key id matched nothing: the response is a string, not an array"
        );
        assert_eq!(
            err(json!([{"x": 1}]), "", "[].Owner.Email"),
            "the key [].Owner.Email matched nothing: the 1 top-level items have no \"Owner.Email\""
        );
        assert_eq!(
            err(json!({"a": [{"x": 1}], "b": [{"y": 2}]}), "", "id"),
            "the key id matched nothing: the 2 \"a\" or \"b\" items have no \"id\""
        );
        assert_eq!(
            err(json!({"data": {"items": 3}}), "", "[data.items].id"),
            "the key [data.items].id matched nothing: the response has no array at \"data.items\" (it is a number)"
        );
        assert!(matches!(
            choices(&json!([]), "[records", "[].id"),
            Err(LookupError::BadKey { .. })
        ));
    }

    #[test]
    fn bytes_that_are_not_json_say_so() {
        let html = b"<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>";
        let err = choices_from_bytes(html, "[records].Email", "[records].Id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the response is not JSON (it is an HTML page)"
        );
        let err = choices_from_bytes(b"  ", "", "[].id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the response is not JSON (the body is empty)"
        );
        let err = choices_from_bytes(b"<x/>", "", "[].id").unwrap_err();
        assert!(err.to_string().contains("XML"), "{err}");
        let err = choices_from_bytes(b"id,name\n1,a\n", "", "[].id").unwrap_err();
        assert!(
            err.to_string().starts_with("the response is not JSON ("),
            "{err}"
        );
        let err = choices_from_bytes(b"\xff\xfe", "", "[].id").unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
        // The keys are judged before the body.
        assert_eq!(
            choices_from_bytes(b"<html>", "", ""),
            Err(LookupError::EmptyKey)
        );
        let ok = choices_from_bytes(
            br#"{"records":[{"Id":"1","Email":"a"}]}"#,
            "[records].Email",
            "[records].Id",
        );
        assert_eq!(pairs(&ok.unwrap()), [("1", "a")]);
    }

    #[test]
    fn server_text_is_kept_as_it_came() {
        let body = json!({"records": [{"Id": "\u{1b}[2J", "Email": "\u{202e}x"}]});
        let found = choices(&body, "[records].Email", "[records].Id").unwrap();
        assert_eq!(pairs(&found), [("\u{1b}[2J", "\u{202e}x")]);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn name() -> impl Strategy<Value = String> {
            "[A-Za-z_][A-Za-z0-9_]{0,8}"
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            /// Every (id, label) put into a wrapped array comes back, in order.
            #[test]
            fn choices_round_trip(
                wrap in name(),
                rows in proptest::collection::vec((any::<String>(), proptest::option::of(any::<String>())), 0..20),
            ) {
                let items: Vec<Value> = rows
                    .iter()
                    .map(|(id, label)| match label {
                        Some(l) => json!({"Id": id, "Label": l}),
                        None => json!({"Id": id}),
                    })
                    .collect();
                let body = json!({ wrap.clone(): items });
                let found = choices(&body, &format!("[{wrap}].Label"), &format!("[{wrap}].Id")).unwrap();
                let expected: Vec<Choice> = rows
                    .iter()
                    .map(|(id, label)| Choice { id: id.clone(), label: label.clone().unwrap_or_else(|| id.clone()) })
                    .collect();
                prop_assert_eq!(found, expected);
            }

            /// A key written canonically parses back to itself.
            #[test]
            fn keys_round_trip(
                array in proptest::option::of(proptest::collection::vec(name(), 0..3)),
                item in proptest::collection::vec(name(), 0..3),
            ) {
                prop_assume!(array.is_some() || !item.is_empty());
                let k = KeyPath { array, item };
                prop_assert_eq!(KeyPath::parse(&k.to_string()), Ok(k));
            }

            /// Any key on any bytes gives choices or an error, never a panic.
            #[test]
            fn never_panics(body in proptest::collection::vec(any::<u8>(), 0..64), label in ".{0,12}", id in ".{0,12}") {
                let _ = choices_from_bytes(&body, &label, &id);
                let _ = KeyPath::parse(&id).map(|k| k.to_string());
            }
        }
    }
}
