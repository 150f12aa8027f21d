//! Differences between two response bodies: structural for JSON, by line otherwise.

use std::fmt;
use std::io;
use std::time::{Duration, Instant};

use serde_json::Value;
use similar::{Algorithm, DiffOp};

/// The most characters a value is shown with, the `…` included.
const VALUE_MAX_CHARS: usize = 200;

/// How long the line diff may search for a minimal diff before it settles for a coarser one.
const LINE_DIFF_TIMEOUT: Duration = Duration::from_secs(2);

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A path present only in the second body, with its value (compact JSON text).
    Added {
        /// Where, jq-style (`.records[5]`).
        path: String,
        /// The value in the second body.
        new: String,
    },
    /// A path present only in the first body.
    Removed {
        /// Where, jq-style.
        path: String,
        /// The value in the first body.
        old: String,
    },
    /// A path whose value differs (old and new as compact JSON text).
    Changed {
        /// Where, jq-style.
        path: String,
        /// The value in the first body.
        old: String,
        /// The value in the second body.
        new: String,
    },
    /// A line only in the first body (non-JSON bodies), with its 1-based line number there.
    LineRemoved {
        /// 1-based line number in the first body.
        line: usize,
        /// The line, without its line ending.
        text: String,
    },
    /// A line only in the second body (non-JSON bodies), with its 1-based line number there.
    LineAdded {
        /// 1-based line number in the second body.
        line: usize,
        /// The line, without its line ending.
        text: String,
    },
}

impl fmt::Display for Change {
    /// One line: `~ .a: 1 → 2`, `+ .b: true`, `- .c: null`, `- 12: text`, `+ 12: text`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Added { path, new } => write!(f, "+ {path}: {new}"),
            Self::Removed { path, old } => write!(f, "- {path}: {old}"),
            Self::Changed { path, old, new } => write!(f, "~ {path}: {old} → {new}"),
            Self::LineRemoved { line, text } => write!(f, "- {line}: {text}"),
            Self::LineAdded { line, text } => write!(f, "+ {line}: {text}"),
        }
    }
}

/// The differences between two bodies, in document order.
///
/// If both parse as JSON (a leading UTF-8 byte-order mark is ignored), the diff is structural
/// and linear in the bodies' size. Otherwise it is a line diff of the bodies decoded as UTF-8
/// (lossily); line endings (`\n`, `\r\n`, a missing final newline) are not differences. The
/// line diff (Myers, via `similar`) searches for a minimal diff for at most two seconds; past
/// that, huge and very different bodies get a coarser but still correct diff, whole blocks
/// reported as removed and added.
#[must_use]
pub fn diff(old: &[u8], new: &[u8]) -> Vec<Change> {
    if let Some((old_json, new_json)) = parse_json(old).and_then(|o| Some((o, parse_json(new)?))) {
        let mut changes = Vec::new();
        let mut path = String::new();
        diff_values(&old_json, &new_json, &mut path, &mut changes);
        changes
    } else {
        diff_lines(&String::from_utf8_lossy(old), &String::from_utf8_lossy(new))
    }
}

/// The body as JSON, if it is JSON.
fn parse_json(body: &[u8]) -> Option<Value> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    serde_json::from_slice(body).ok()
}

/// Appends the differences between `old` and `new` (both at `path`) to `changes`.
///
/// `path` is the jq-style path without the leading `.` of the root (empty at the root); it is
/// extended for children and restored before returning, so building paths stays linear.
fn diff_values(old: &Value, new: &Value, path: &mut String, changes: &mut Vec<Change>) {
    match (old, new) {
        (Value::Object(old_map), Value::Object(new_map)) => {
            for (key, old_value) in old_map {
                let len = path.len();
                push_key(path, key);
                match new_map.get(key) {
                    Some(new_value) => diff_values(old_value, new_value, path, changes),
                    None => changes.push(Change::Removed {
                        path: path.clone(),
                        old: compact(old_value),
                    }),
                }
                path.truncate(len);
            }
            for (key, new_value) in new_map {
                if !old_map.contains_key(key) {
                    let len = path.len();
                    push_key(path, key);
                    changes.push(Change::Added {
                        path: path.clone(),
                        new: compact(new_value),
                    });
                    path.truncate(len);
                }
            }
        }
        (Value::Array(old_items), Value::Array(new_items)) => {
            let longest = old_items.len().max(new_items.len());
            for index in 0..longest {
                let len = path.len();
                push_index(path, index);
                match (old_items.get(index), new_items.get(index)) {
                    (Some(old_value), Some(new_value)) => {
                        diff_values(old_value, new_value, path, changes);
                    }
                    (Some(old_value), None) => changes.push(Change::Removed {
                        path: path.clone(),
                        old: compact(old_value),
                    }),
                    (None, Some(new_value)) => changes.push(Change::Added {
                        path: path.clone(),
                        new: compact(new_value),
                    }),
                    (None, None) => {}
                }
                path.truncate(len);
            }
        }
        _ if old == new => {}
        _ => changes.push(Change::Changed {
            path: shown_path(path),
            old: compact(old),
            new: compact(new),
        }),
    }
}

/// The path as shown: the root is `.`.
fn shown_path(path: &str) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.to_owned()
    }
}

/// Appends `.key`, or `["key"]` (`.["key"]` at the root) when the key is not an identifier.
fn push_key(path: &mut String, key: &str) {
    if is_identifier(key) {
        path.push('.');
        path.push_str(key);
    } else {
        if path.is_empty() {
            path.push('.');
        }
        path.push('[');
        // Serializing a `str` cannot fail; the fallback is never taken.
        path.push_str(&serde_json::to_string(key).unwrap_or_else(|_| format!("{key:?}")));
        path.push(']');
    }
}

/// Appends `[index]` (`.[index]` at the root).
fn push_index(path: &mut String, index: usize) {
    if path.is_empty() {
        path.push('.');
    }
    path.push('[');
    path.push_str(&index.to_string());
    path.push(']');
}

/// Whether a key can be written `.key` in jq: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A value as compact JSON, at most [`VALUE_MAX_CHARS`] characters, cut with `…`.
///
/// Serialization stops once the text is known to be too long, so a huge subtree costs no
/// more than a short one.
fn compact(value: &Value) -> String {
    // Enough bytes for more characters than the limit, however wide the characters.
    let mut writer = CappedWriter {
        buf: Vec::new(),
        cap: (VALUE_MAX_CHARS + 1) * 4,
    };
    // An error only means the cap was reached; what was written so far is kept.
    let cut_off = serde_json::to_writer(&mut writer, value).is_err();
    let bytes = &writer.buf;
    // The cap may have cut a character in two: keep the valid prefix.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default(),
    };
    shorten(text, cut_off)
}

/// `text` if it is whole (not `cut_off`) and has at most [`VALUE_MAX_CHARS`] characters, else
/// its start and `…`, [`VALUE_MAX_CHARS`] characters in all.
fn shorten(text: &str, cut_off: bool) -> String {
    if !cut_off && text.chars().nth(VALUE_MAX_CHARS).is_none() {
        return text.to_owned();
    }
    let cut = text
        .char_indices()
        .nth(VALUE_MAX_CHARS - 1)
        .map_or(text.len(), |(at, _)| at);
    let mut short = String::with_capacity(cut + '…'.len_utf8());
    short.push_str(&text[..cut]);
    short.push('…');
    short
}

/// A writer that keeps the first `cap` bytes and then refuses more.
struct CappedWriter {
    buf: Vec<u8>,
    cap: usize,
}

impl io::Write for CappedWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = self.cap - self.buf.len();
        if room == 0 {
            return Err(io::Error::other("value longer than shown"));
        }
        let taken = data.len().min(room);
        self.buf.extend_from_slice(&data[..taken]);
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Line diff of two texts; equal lines are not reported.
fn diff_lines(old: &str, new: &str) -> Vec<Change> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let deadline = Instant::now() + LINE_DIFF_TIMEOUT;
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_lines,
        &new_lines,
        Some(deadline),
    );
    let removed = |changes: &mut Vec<Change>, start: usize, len: usize| {
        for (index, text) in old_lines.iter().enumerate().skip(start).take(len) {
            changes.push(Change::LineRemoved {
                line: index + 1,
                text: (*text).to_owned(),
            });
        }
    };
    let added = |changes: &mut Vec<Change>, start: usize, len: usize| {
        for (index, text) in new_lines.iter().enumerate().skip(start).take(len) {
            changes.push(Change::LineAdded {
                line: index + 1,
                text: (*text).to_owned(),
            });
        }
    };
    let mut changes = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => removed(&mut changes, old_index, old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => added(&mut changes, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                removed(&mut changes, old_index, old_len);
                added(&mut changes, new_index, new_len);
            }
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(old: &str, new: &str) -> Vec<String> {
        diff(old.as_bytes(), new.as_bytes())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn equal_bodies_have_no_changes() {
        let body = br#"{"records":[{"Id":"1","Status":"active"}],"meta":{"next":null}}"#;
        assert_eq!(diff(body, body), Vec::new());
        assert_eq!(diff(b"a\nb\n", b"a\nb\n"), Vec::new());
        assert_eq!(diff(b"", b""), Vec::new());
    }

    #[test]
    fn json_formatting_is_not_a_difference() {
        assert_eq!(
            lines("{\"a\": [1, 2]}", "{\n  \"a\": [\n    1,\n    2\n  ]\n}"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn changed_scalar_in_nested_array() {
        let records =
            r#"{"records":[{"Status":"active"},{},{"Status":"x"},{"Id":"4","Status":"S"}]}"#;
        let old = records.replace("\"S\"", "\"active\"");
        let new = records.replace("\"S\"", "\"archived\"");
        let (old, new) = (old.as_str(), new.as_str());
        assert_eq!(
            diff(old.as_bytes(), new.as_bytes()),
            vec![Change::Changed {
                path: ".records[3].Status".to_owned(),
                old: "\"active\"".to_owned(),
                new: "\"archived\"".to_owned(),
            }]
        );
        assert_eq!(
            lines(old, new),
            [r#"~ .records[3].Status: "active" → "archived""#]
        );
    }

    #[test]
    fn added_and_removed_keys() {
        let old = r#"{"a":1,"meta":{"next":null,"page":1},"b":2}"#;
        let new = r#"{"b":2,"a":1,"meta":{"page":1,"total":10},"c":{"x":[1,"y"]}}"#;
        assert_eq!(
            lines(old, new),
            [
                "- .meta.next: null",
                "+ .meta.total: 10",
                r#"+ .c: {"x":[1,"y"]}"#
            ]
        );
    }

    #[test]
    fn key_order_follows_first_body_then_new_keys() {
        let old = r#"{"z":1,"a":1}"#;
        let new = r#"{"n":0,"a":2,"z":2}"#;
        assert_eq!(lines(old, new), ["~ .z: 1 → 2", "~ .a: 1 → 2", "+ .n: 0"]);
    }

    #[test]
    fn array_grown_and_shrunk() {
        assert_eq!(
            lines(r#"{"records":[1,2]}"#, r#"{"records":[1,2,{"Id":"7"},4]}"#),
            [r#"+ .records[2]: {"Id":"7"}"#, "+ .records[3]: 4"]
        );
        assert_eq!(
            lines(r#"{"records":[1,2,3]}"#, r#"{"records":[1]}"#),
            ["- .records[1]: 2", "- .records[2]: 3"]
        );
        assert_eq!(lines("[1]", "[1,true]"), ["+ .[1]: true"]);
    }

    #[test]
    fn type_change_is_one_change() {
        assert_eq!(
            lines(r#"{"a":{"b":1,"c":2}}"#, r#"{"a":[1,2]}"#),
            [r#"~ .a: {"b":1,"c":2} → [1,2]"#]
        );
        assert_eq!(lines(r#"{"a":"1"}"#, r#"{"a":1}"#), [r#"~ .a: "1" → 1"#]);
        assert_eq!(lines("1", r#""x""#), [r#"~ .: 1 → "x""#]);
    }

    #[test]
    fn keys_that_are_not_identifiers_use_brackets() {
        assert_eq!(
            lines(r#"{"Page Size":10}"#, r#"{"Page Size":20}"#),
            [r#"~ .["Page Size"]: 10 → 20"#]
        );
        assert_eq!(
            lines(
                r#"{"meta":{"x-\"q\"":1,"1a":1,"_ok9":1}}"#,
                r#"{"meta":{"x-\"q\"":2,"1a":2,"_ok9":2}}"#
            ),
            [
                r#"~ .meta["x-\"q\""]: 1 → 2"#,
                r#"~ .meta["1a"]: 1 → 2"#,
                "~ .meta._ok9: 1 → 2",
            ]
        );
        assert_eq!(lines(r#"{"":1}"#, "{}"), [r#"- .[""]: 1"#]);
    }

    #[test]
    fn non_json_line_diff_with_line_numbers() {
        let old = "<a>\n<b>1</b>\n<c/>\n<d/>\n";
        let new = "<a>\n<b>2</b>\n<c/>\n<e/>\n<f/>\n";
        assert_eq!(
            diff(old.as_bytes(), new.as_bytes()),
            vec![
                Change::LineRemoved {
                    line: 2,
                    text: "<b>1</b>".to_owned()
                },
                Change::LineAdded {
                    line: 2,
                    text: "<b>2</b>".to_owned()
                },
                Change::LineRemoved {
                    line: 4,
                    text: "<d/>".to_owned()
                },
                Change::LineAdded {
                    line: 4,
                    text: "<e/>".to_owned()
                },
                Change::LineAdded {
                    line: 5,
                    text: "<f/>".to_owned()
                },
            ]
        );
        assert_eq!(lines("a\nb\nc", "a\nc\nd"), ["- 2: b", "+ 3: d"]);
    }

    #[test]
    fn line_endings_are_not_differences() {
        assert_eq!(lines("a\r\nb\r\n", "a\nb"), Vec::<String>::new());
    }

    #[test]
    fn binary_is_decoded_lossily() {
        assert_eq!(
            diff(b"\xff\xfe\nsame", b"ok\nsame"),
            vec![
                Change::LineRemoved {
                    line: 1,
                    text: "\u{fffd}\u{fffd}".to_owned()
                },
                Change::LineAdded {
                    line: 1,
                    text: "ok".to_owned()
                },
            ]
        );
    }

    #[test]
    fn json_against_non_json_is_a_line_diff() {
        assert_eq!(
            lines("{\"a\":1}", "<error>bad</error>"),
            ["- 1: {\"a\":1}", "+ 1: <error>bad</error>"]
        );
        assert_eq!(lines("", "[]"), ["+ 1: []"]);
    }

    #[test]
    fn byte_order_mark_is_ignored_for_json() {
        assert_eq!(lines("\u{feff}{\"a\":1}", "{\"a\":2}"), ["~ .a: 1 → 2"]);
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "é".repeat(500);
        let changes = diff(
            format!(r#"{{"a":"{long}"}}"#).as_bytes(),
            br#"{"a":"short"}"#,
        );
        let [Change::Changed { path, old, new }] = changes.as_slice() else {
            panic!("one change expected: {changes:?}");
        };
        assert_eq!(path, ".a");
        assert_eq!(new, "\"short\"");
        assert_eq!(old.chars().count(), VALUE_MAX_CHARS);
        assert!(old.ends_with('…'));
        assert!(old.starts_with("\"éé"));

        // Exactly at the limit: kept whole.
        let exact = format!("\"{}\"", "x".repeat(VALUE_MAX_CHARS - 2));
        assert_eq!(compact(&serde_json::from_str(&exact).unwrap()), exact);
        // One over: cut.
        let over = format!("\"{}\"", "x".repeat(VALUE_MAX_CHARS - 1));
        let shown = compact(&serde_json::from_str(&over).unwrap());
        assert_eq!(shown.chars().count(), VALUE_MAX_CHARS);
        assert!(shown.ends_with("x…"));
        // Four-byte characters cut by the byte cap: still marked as cut.
        let wide = Value::from("😀".repeat(VALUE_MAX_CHARS * 2));
        let shown = compact(&wide);
        assert_eq!(shown.chars().count(), VALUE_MAX_CHARS);
        assert!(shown.ends_with("😀…"));
        // A huge subtree costs no more than a short one, and is cut the same way.
        let huge = Value::from(vec![Value::from("x".repeat(1000)); 10_000]);
        let shown = compact(&huge);
        assert_eq!(shown.chars().count(), VALUE_MAX_CHARS);
        assert!(shown.starts_with("[\"xxx") && shown.ends_with("x…"));
    }

    #[test]
    fn control_characters_stay_escaped_in_json_and_raw_in_lines() {
        assert_eq!(
            lines(r#"{"a":"\u001b[31m"}"#, r#"{"a":""}"#),
            [r#"~ .a: "\u001b[31m" → """#]
        );
        assert_eq!(lines("\x1b[31m", "x"), ["- 1: \x1b[31m", "+ 1: x"]);
    }

    #[test]
    fn large_json_is_fast() {
        let records: Vec<Value> = (0..100_000)
            .map(|i| {
                let name = "x".repeat(60);
                serde_json::json!({"Id": i.to_string(), "Status": "active", "Name": name})
            })
            .collect();
        let old = serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap();
        let mut edited = records.clone();
        edited[99_999]["Status"] = Value::from("archived");
        let new = serde_json::to_vec(&serde_json::json!({ "records": edited })).unwrap();
        assert!(old.len() > 10_000_000);
        let started = Instant::now();
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 1);
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn huge_distinct_text_finishes() {
        let old: String =
            (0..200_000).fold(String::new(), |text, i| text + "a" + &i.to_string() + "\n");
        let new: String =
            (0..200_000).fold(String::new(), |text, i| text + "b" + &i.to_string() + "\n");
        let started = Instant::now();
        let changes = diff(old.as_bytes(), new.as_bytes());
        assert_eq!(changes.len(), 400_000);
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
