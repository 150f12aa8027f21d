//! The request as a form: one row per parameter and request field of the method, in
//! `DisplayOrder`, with its type, allowed values and lookup, and the check each value gets
//! before it is sent. The form and the JSON(C) editor edit the same [`RequestBody`]: a row
//! with a value is set, a row without one is not sent, and whatever the form has no row for
//! (ids the method does not list, merge fields) passes through untouched.

use crate::body::RequestBody;
use crate::cyclr::{Method, Parameter, Trigger};
use serde_json::Value;
use std::time::SystemTime;

/// Which part of the body a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Parameters,
    Fields,
}

/// How a row's value is checked (Cyclr's `DataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    Text,
    Integer,
    /// `Float` or `Decimal`.
    Number,
    Boolean,
    DateTime,
}

impl DataType {
    fn of(name: Option<&str>) -> DataType {
        match name.map(str::to_ascii_lowercase).as_deref() {
            Some("integer" | "int" | "long") => DataType::Integer,
            Some("float" | "decimal" | "double" | "number") => DataType::Number,
            Some("boolean" | "bool") => DataType::Boolean,
            Some("datetime" | "date") => DataType::DateTime,
            _ => DataType::Text,
        }
    }
}

/// One parameter or request field.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub section: Section,
    pub id: i64,
    pub name: String,
    pub description: String,
    /// The type as the server wrote it (`Text` when it gave none).
    pub type_name: String,
    pub data_type: DataType,
    pub required: bool,
    /// Allowed values (Cyclr may accept others).
    pub values: Vec<String>,
    /// Where values can be looked up.
    pub lookup: Option<Trigger>,
    /// The value as typed (empty: not sent).
    pub value: String,
}

/// A change to the selected row's value, at the caret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    Delete,
    /// The word before the caret.
    DeleteWord,
    Left,
    Right,
    Home,
    End,
}

/// What a row's value is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// No value: not sent.
    Empty,
    Fine,
    /// Sent, but probably not what the server wants (a value outside the listed ones).
    Warning(String),
    /// Not of the row's type: the send is refused (a second press sends anyway).
    Invalid(String),
}

/// The form of one method's request.
#[derive(Debug, Clone)]
pub struct Form {
    pub rows: Vec<Row>,
    pub selected: usize,
    /// Where typing goes in the selected row's value, in characters (`None`: at its end).
    caret: Option<usize>,
    /// What the body held besides the rows (unlisted ids, merge fields).
    rest: RequestBody,
}

impl Form {
    /// The form of `method` holding what `body` sets.
    #[must_use]
    pub fn new(method: &Method, mut body: RequestBody) -> Form {
        let mut rows = Vec::new();
        for (section, list) in [
            (Section::Parameters, &method.parameters),
            (Section::Fields, &method.request_fields),
        ] {
            let mut items: Vec<&Parameter> = list.iter().filter(|p| p.id.is_some()).collect();
            items.sort_by_key(|p| p.display_order.unwrap_or(i64::MAX));
            for p in items {
                let id = p.id.unwrap_or_default();
                let map = match section {
                    Section::Parameters => &mut body.parameters,
                    Section::Fields => &mut body.fields,
                };
                let value = match map.remove(&id.to_string()) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s,
                    Some(other) => other.to_string(),
                };
                rows.push(Row {
                    section,
                    id,
                    name: p.name.clone().unwrap_or_else(|| id.to_string()),
                    description: p.description.clone().unwrap_or_default(),
                    type_name: p.data_type.clone().unwrap_or_else(|| "Text".into()),
                    data_type: DataType::of(p.data_type.as_deref()),
                    required: p.is_required(),
                    values: p.values.clone(),
                    lookup: p.lookup().cloned(),
                    value,
                });
            }
        }
        Form {
            rows,
            selected: 0,
            caret: None,
            rest: body,
        }
    }

    /// The body the form stands for: each row with a value (a date shortcut made a
    /// timestamp as of `now`), plus what the form has no row for.
    #[must_use]
    pub fn body(&self, now: SystemTime) -> RequestBody {
        let mut body = self.rest.clone();
        for row in &self.rows {
            if row.value.is_empty() {
                continue;
            }
            let value = match row.data_type {
                DataType::DateTime => {
                    crate::datetime::resolve(&row.value, now).unwrap_or_else(|_| row.value.clone())
                }
                _ => row.value.clone(),
            };
            let map = match row.section {
                Section::Parameters => &mut body.parameters,
                Section::Fields => &mut body.fields,
            };
            map.insert(row.id.to_string(), Value::String(value));
        }
        body
    }

    /// The selected row.
    #[must_use]
    pub fn row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// The selected row, to change.
    pub fn row_mut(&mut self) -> Option<&mut Row> {
        self.rows.get_mut(self.selected)
    }

    /// Moves the selection by `delta` rows, wrapping around.
    pub fn move_by(&mut self, delta: isize) {
        self.caret = None;
        let n = self.rows.len();
        if n == 0 {
            return;
        }
        let step = delta.unsigned_abs() % n;
        self.selected = if delta < 0 {
            (self.selected + n - step) % n
        } else {
            (self.selected + step) % n
        };
    }

    /// Sets the selected row's value.
    pub fn set_value(&mut self, value: String) {
        self.caret = None;
        if let Some(row) = self.row_mut() {
            row.value = value;
        }
    }

    /// Where typing goes in the selected row's value, in characters from its start.
    #[must_use]
    pub fn caret(&self) -> usize {
        let len = self.row().map_or(0, |r| r.value.chars().count());
        self.caret.map_or(len, |c| c.min(len))
    }

    /// Edits the selected row's value at the caret.
    pub fn edit(&mut self, edit: Edit) {
        let at = self.caret();
        let Some(row) = self.rows.get_mut(self.selected) else {
            return;
        };
        let mut chars: Vec<char> = row.value.chars().collect();
        let caret = match edit {
            Edit::Insert(c) => {
                chars.insert(at, c);
                at + 1
            }
            Edit::Backspace if at > 0 => {
                chars.remove(at - 1);
                at - 1
            }
            Edit::Delete if at < chars.len() => {
                chars.remove(at);
                at
            }
            Edit::DeleteWord => {
                let mut start = at;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                chars.drain(start..at);
                start
            }
            Edit::Left => {
                self.caret = Some(at.saturating_sub(1));
                return;
            }
            Edit::Right => {
                self.caret = Some((at + 1).min(chars.len()));
                return;
            }
            Edit::Home => {
                self.caret = Some(0);
                return;
            }
            Edit::End => {
                self.caret = None;
                return;
            }
            Edit::Backspace | Edit::Delete => return,
        };
        row.value = chars.into_iter().collect();
        self.caret = Some(caret);
    }

    /// Flips a `Boolean` row: empty or false → true → false.
    pub fn toggle(&mut self) {
        if let Some(row) = self.row_mut() {
            row.value = if row.value.eq_ignore_ascii_case("true") {
                "false".into()
            } else {
                "true".into()
            };
        }
    }

    /// The rows whose value does not fit their type, with why: the send is refused.
    #[must_use]
    pub fn invalid(&self, now: SystemTime) -> Vec<(String, String)> {
        self.rows
            .iter()
            .filter_map(|row| match check(row, now) {
                Check::Invalid(why) => Some((row.name.clone(), why)),
                _ => None,
            })
            .collect()
    }
}

/// Checks `row`'s value against its type and allowed values.
#[must_use]
pub fn check(row: &Row, now: SystemTime) -> Check {
    let value = row.value.trim();
    if value.is_empty() {
        return Check::Empty;
    }
    let typed = match row.data_type {
        DataType::Text => Ok(()),
        DataType::Integer => value
            .parse::<i64>()
            .map(|_| ())
            .map_err(|_| "not a whole number".to_string()),
        DataType::Number => match value.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(()),
            _ => Err("not a number".to_string()),
        },
        DataType::Boolean => {
            if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
                Ok(())
            } else {
                Err("true or false (Space toggles)".to_string())
            }
        }
        DataType::DateTime => crate::datetime::resolve(value, now).map(|_| ()),
    };
    if let Err(why) = typed {
        return Check::Invalid(why);
    }
    if !row.values.is_empty() && !row.values.iter().any(|v| v == &row.value) {
        return Check::Warning("not one of the listed values".into());
    }
    Check::Fine
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cyclr::model::decode;
    use serde_json::json;
    use std::time::{Duration, UNIX_EPOCH};

    fn method() -> Method {
        decode(json!({"Id": 7, "Name": "List", "Parameters": [
            {"Id": 3, "Name": "Since", "DataType": "DateTime", "IsOptional": true, "DisplayOrder": 3},
            {"Id": 1, "Name": "Status", "Values": ["Active", "Archived"], "IsOptional": true, "DisplayOrder": 1},
            {"Id": 2, "Name": "Page", "DataType": "Integer", "IsOptional": true, "DisplayOrder": 2}
        ], "RequestFields": [
            {"Id": 9, "Name": "Contact Id", "Triggers": [{"MethodId": 5, "HumanReadableKey": "[records].Email", "IdentifierKey": "[records].Id"}]},
            {"Id": 8, "Name": "Subscribed", "DataType": "Boolean"}
        ]}))
    }

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_796_203_845)
    }

    #[test]
    fn rows_follow_display_order_and_carry_the_body_values() {
        let body = RequestBody::from_jsonc(
            r#"{"Parameters": {"2": 5, "77": "kept"}, "Fields": {"9": "0035"}, "Mergefields": {"m": "v"}}"#,
        )
        .unwrap();
        let form = Form::new(&method(), body);
        let names: Vec<&str> = form.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["Status", "Page", "Since", "Contact Id", "Subscribed"]
        );
        assert_eq!(form.rows[1].value, "5");
        assert!(form.rows[3].lookup.is_some());
        let back = form.body(now());
        assert_eq!(back.parameters["2"], json!("5"));
        assert_eq!(back.parameters["77"], json!("kept"));
        assert_eq!(back.fields["9"], json!("0035"));
        assert_eq!(back.mergefields["m"], json!("v"));
        assert!(
            !back.parameters.contains_key("1"),
            "an empty row is not sent"
        );
    }

    #[test]
    fn values_are_checked_by_type_and_shortcuts_are_sent_as_timestamps() {
        let mut form = Form::new(&method(), RequestBody::default());
        form.selected = 2;
        form.set_value("not a date".into());
        assert!(matches!(check(&form.rows[2], now()), Check::Invalid(_)));
        assert_eq!(form.invalid(now())[0].0, "Since");
        form.set_value("-1d".into());
        assert_eq!(check(&form.rows[2], now()), Check::Fine);
        assert_eq!(
            form.body(now()).parameters["3"],
            json!("2026-12-01T09:30:45Z")
        );
        form.selected = 1;
        form.set_value("1.5".into());
        assert!(matches!(check(&form.rows[1], now()), Check::Invalid(_)));
        form.selected = 0;
        form.set_value("Pending".into());
        assert!(matches!(check(&form.rows[0], now()), Check::Warning(_)));
        form.selected = 4;
        form.toggle();
        assert_eq!(form.rows[4].value, "true");
        form.toggle();
        assert_eq!(form.rows[4].value, "false");
        form.move_by(1);
        assert_eq!(form.selected, 0, "wraps around");
        form.set_value("Activ".into());
        form.edit(Edit::Home);
        form.edit(Edit::Insert('x'));
        form.edit(Edit::Delete);
        form.edit(Edit::End);
        form.edit(Edit::Insert('e'));
        assert_eq!(form.rows[0].value, "xctive");
        form.edit(Edit::Left);
        form.edit(Edit::Left);
        form.edit(Edit::Backspace);
        assert_eq!((form.rows[0].value.as_str(), form.caret()), ("xctve", 3));
        form.edit(Edit::Right);
        form.edit(Edit::Right);
        form.edit(Edit::Right);
        assert_eq!(form.caret(), 5, "the caret stops at the end");
        form.set_value("one two".into());
        form.edit(Edit::DeleteWord);
        assert_eq!(form.rows[0].value, "one ");
        form.move_by(-1);
        assert_eq!(form.selected, 4);
    }
}
