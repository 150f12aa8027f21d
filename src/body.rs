//! The request body of a call: Parameters, Fields and Mergefields by id, holding only what
//! the user set. One model behind the editor's JSONC, the CLI's flags and (later) the form.
//!
//! The editor shows JSON with comments: each id with its name, type and whether it is
//! required beside it, optional ids commented out so that uncommenting a line includes it.
//! Comments are stripped (replaced by spaces, so line and column of an error stay true) and
//! trailing commas allowed before parsing; what is sent is plain JSON.

use crate::cyclr::{Method, Parameter};
use serde_json::{Map, Value};
use std::fmt::Write;

/// The three sections of a call body, in the order Cyclr documents them.
pub const SECTIONS: [&str; 3] = ["Parameters", "Fields", "Mergefields"];

/// What a body sets: each section's id (or merge field name) → value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestBody {
    pub parameters: Map<String, Value>,
    pub fields: Map<String, Value>,
    pub mergefields: Map<String, Value>,
}

/// Why a body cannot be read: the message, with line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    pub message: String,
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// How many of a method's parameters and fields a body sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub parameters: usize,
    pub parameters_total: usize,
    pub fields: usize,
    pub fields_total: usize,
    pub mergefields: usize,
}

impl std::fmt::Display for Counts {
    /// `2 of 5 fields, 1 of 2 parameters`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} field{}, {} of {} parameter{}",
            self.fields,
            self.fields_total,
            if self.fields_total == 1 { "" } else { "s" },
            self.parameters,
            self.parameters_total,
            if self.parameters_total == 1 { "" } else { "s" },
        )?;
        if self.mergefields > 0 {
            write!(
                f,
                ", {} merge field{}",
                self.mergefields,
                if self.mergefields == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

/// A required parameter or field without a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// `parameter` or `field`.
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({})",
            self.kind,
            crate::text::inert(&self.name),
            self.id
        )
    }
}

impl RequestBody {
    /// Reads the editor's text: JSON with `//` and `/* */` comments and trailing commas. An
    /// empty text is an empty body.
    pub fn from_jsonc(text: &str) -> Result<RequestBody, BodyError> {
        let json = strip_jsonc(text);
        if json.trim().is_empty() {
            return Ok(RequestBody::default());
        }
        let value: Value = serde_json::from_str(&json).map_err(|e| {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what).to_string();
            BodyError {
                message: format!(
                    "invalid JSON at line {}, column {}: {what}",
                    e.line(),
                    e.column()
                ),
            }
        })?;
        RequestBody::from_value(value)
    }

    /// Reads a body already parsed as JSON.
    pub fn from_value(value: Value) -> Result<RequestBody, BodyError> {
        let Value::Object(root) = value else {
            return Err(BodyError {
                message: "the body must be a JSON object like {\"Parameters\": {}, \"Fields\": {}}"
                    .into(),
            });
        };
        let mut body = RequestBody::default();
        for (key, value) in root {
            let section = match SECTIONS.iter().find(|s| s.eq_ignore_ascii_case(&key)) {
                Some(&"Parameters") => &mut body.parameters,
                Some(&"Fields") => &mut body.fields,
                Some(_) => &mut body.mergefields,
                None => {
                    return Err(BodyError {
                        message: format!(
                            "unknown member \"{}\": the body holds Parameters, Fields and Mergefields",
                            crate::text::inert(&key)
                        ),
                    });
                }
            };
            match value {
                Value::Object(map) => section.extend(map),
                Value::Null => {}
                _ => {
                    return Err(BodyError {
                        message: format!("\"{key}\" must be an object of id → value"),
                    });
                }
            }
        }
        Ok(body)
    }

    /// The JSON sent: `{"Parameters":{…},"Fields":{…}}`, plus `"Mergefields"` when set.
    pub fn to_json(&self) -> String {
        let mut root = Map::new();
        root.insert("Parameters".into(), Value::Object(self.parameters.clone()));
        root.insert("Fields".into(), Value::Object(self.fields.clone()));
        if !self.mergefields.is_empty() {
            root.insert(
                "Mergefields".into(),
                Value::Object(self.mergefields.clone()),
            );
        }
        Value::Object(root).to_string()
    }

    /// How many of `method`'s parameters and fields are set.
    pub fn counts(&self, method: &Method) -> Counts {
        let set = |section: &Map<String, Value>, list: &[Parameter]| {
            list.iter()
                .filter(|p| p.id.is_some_and(|id| section.contains_key(&id.to_string())))
                .count()
        };
        Counts {
            parameters: set(&self.parameters, &method.parameters),
            parameters_total: method.parameters.len(),
            fields: set(&self.fields, &method.request_fields),
            fields_total: method.request_fields.len(),
            mergefields: self.mergefields.len(),
        }
    }

    /// The required parameters and fields of `method` that are absent or blank.
    pub fn missing_required(&self, method: &Method) -> Vec<Missing> {
        let blank = |v: Option<&Value>| match v {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        let mut missing = Vec::new();
        for (kind, section, list) in [
            ("parameter", &self.parameters, &method.parameters),
            ("field", &self.fields, &method.request_fields),
        ] {
            for p in list.iter().filter(|p| p.is_required()) {
                let Some(id) = p.id else { continue };
                if blank(section.get(&id.to_string())) {
                    missing.push(Missing {
                        kind,
                        id,
                        name: p.name.clone().unwrap_or_default(),
                    });
                }
            }
        }
        missing
    }
}

/// The values a body sends, one a line: `field Last Name (3400015) = "Lovelace"`.
pub fn describe_values(body: &RequestBody, method: &Method) -> Vec<String> {
    let name = |list: &[Parameter], id: &str| {
        list.iter()
            .find(|p| p.id.is_some_and(|i| i.to_string() == id))
            .map(|p| p.name.clone().unwrap_or_default())
    };
    let mut lines = Vec::new();
    for (kind, section, list) in [
        ("parameter", &body.parameters, method.parameters.as_slice()),
        ("field", &body.fields, method.request_fields.as_slice()),
        ("merge field", &body.mergefields, &[][..]),
    ] {
        for (id, value) in section {
            let label = if kind == "merge field" {
                crate::text::inert(id).into_owned()
            } else if let Some(name) = name(list, id) {
                format!("{} ({})", crate::text::inert(&name), crate::text::inert(id))
            } else {
                format!("\"{}\" (not an id of this method)", crate::text::inert(id))
            };
            let value =
                crate::text::truncate(&crate::text::inert(&value.to_string()), 60).into_owned();
            lines.push(format!("{kind} {label} = {value}"));
        }
    }
    if lines.is_empty() {
        lines.push("no values: the body sets nothing".into());
    }
    lines
}

/// `text` with comments replaced by spaces (newlines kept) and trailing commas before `}` or
/// `]` removed, so serde reads it and its line and column still point into `text`.
pub fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    // The last comma outside strings and comments after a value, not yet followed by one.
    let mut pending_comma: Option<usize> = None;
    // The last byte outside strings, comments and white space.
    let mut previous = b' ';
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => {
                    in_string = false;
                    previous = b'"';
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                pending_comma = None;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                let end = (i + 2).min(bytes.len());
                for (k, byte) in out.iter_mut().enumerate().take(end).skip(start) {
                    if bytes[k] != b'\n' {
                        *byte = b' ';
                    }
                }
                i = end;
                continue;
            }
            // A comma right after `:`, `,`, `{` or `[` is an error serde should report.
            b',' if !matches!(previous, b':' | b',' | b'{' | b'[') => pending_comma = Some(i),
            b'}' | b']' => {
                if let Some(comma) = pending_comma.take() {
                    out[comma] = b' ';
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending_comma = None,
        }
        if !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'"') {
            previous = b;
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The editor's template for `method`: each parameter and request field on a line with its
/// name, type and whether it is required in a comment; required ones present (to be
/// filled), optional ones commented out. A parameter with exactly one allowed value has it.
pub fn template(method: &Method) -> String {
    write_jsonc(method, None)
}

/// The editor's text for what `body` sets on `method` (the form's values, when the form
/// hands back to the editor): set ids present with their value, the others commented out,
/// and ids the method does not list and merge fields kept.
pub fn jsonc_of(method: &Method, body: &RequestBody) -> String {
    write_jsonc(method, Some(body))
}

fn write_jsonc(method: &Method, body: Option<&RequestBody>) -> String {
    // Escaped so that no character from the server can act on the terminal.
    let json = |v: &Value| crate::text::json_escaped(&v.to_string()).into_owned();
    let mut text = String::from("{\n");
    for (section, items, set) in [
        (
            "Parameters",
            &method.parameters,
            body.map(|b| &b.parameters),
        ),
        ("Fields", &method.request_fields, body.map(|b| &b.fields)),
    ] {
        let items: Vec<&Parameter> = items.iter().filter(|p| p.id.is_some()).collect();
        let listed = |key: &String| {
            items
                .iter()
                .any(|p| p.id.is_some_and(|id| id.to_string() == *key))
        };
        let others: Vec<(&String, &Value)> = set
            .into_iter()
            .flatten()
            .filter(|(k, _)| !listed(k))
            .collect();
        if items.is_empty() && others.is_empty() {
            let _ = writeln!(text, "  \"{section}\": {{}},");
            continue;
        }
        let _ = writeln!(text, "  \"{section}\": {{");
        for p in items {
            let id = p.id.unwrap_or_default().to_string();
            let (value, present) = if let Some(set) = set {
                match set.get(&id) {
                    Some(v) => (json(v), true),
                    None => (json(&Value::String(String::new())), false),
                }
            } else {
                let value = match p.values.as_slice() {
                    [only] => only.clone(),
                    _ => String::new(),
                };
                (json(&Value::String(value)), p.is_required())
            };
            let entry = format!("{}: {value},", json(&Value::String(id)));
            let line = if present {
                format!("    {entry}")
            } else {
                format!("    // {entry}")
            };
            let _ = writeln!(text, "{line}  // {}", describe(p));
        }
        for (key, value) in others {
            let _ = writeln!(
                text,
                "    {}: {},  // not an id of this method",
                json(&Value::String(key.clone())),
                json(value)
            );
        }
        text.push_str("  },\n");
    }
    match body.map(|b| &b.mergefields).filter(|m| !m.is_empty()) {
        Some(merge) => {
            let _ = writeln!(
                text,
                "  \"Mergefields\": {},",
                json(&Value::Object(merge.clone()))
            );
        }
        None => text.push_str("  // \"Mergefields\": {\"name\": \"value\"},\n"),
    }
    text.push('}');
    text
}

/// `Last Name · Text · required · a|b|c`, inert, kept short.
pub fn describe(p: &Parameter) -> String {
    let mut parts = vec![
        crate::text::truncate(&crate::text::inert(p.name.as_deref().unwrap_or("?")), 40)
            .into_owned(),
        crate::text::inert(p.data_type.as_deref().unwrap_or("?")).into_owned(),
        if p.is_required() {
            "required"
        } else {
            "optional"
        }
        .to_string(),
    ];
    if !p.values.is_empty() {
        let values = crate::text::inert(&p.values.join("|")).into_owned();
        parts.push(crate::text::truncate(&values, 40).into_owned());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cyclr::model::decode;
    use serde_json::json;

    fn method() -> Method {
        decode(json!({"Id": 7, "Name": "Create",
            "Parameters": [{"Id": 1, "Name": "Mode", "Values": ["fast"], "IsOptional": true}],
            "RequestFields": [{"Id": 2, "Name": "Email", "DataType": "Text", "IsOptional": false},
                              {"Id": 3, "Name": "Age", "IsOptional": true}]}))
    }

    #[test]
    fn the_confirmation_names_each_value_and_flags_a_key_that_is_not_an_id() {
        let body = RequestBody::from_jsonc(
            r#"{"Fields": {"2": "a@b.c", "Email": "x"}, "Mergefields": {"Src": "cli"}}"#,
        )
        .unwrap();
        let lines = describe_values(&body, &method());
        assert_eq!(
            lines,
            [
                r#"field Email (2) = "a@b.c""#,
                r#"field "Email" (not an id of this method) = "x""#,
                r#"merge field Src = "cli""#,
            ]
        );
    }

    #[test]
    fn the_template_sends_only_the_required_ids_until_others_are_uncommented() {
        let text = template(&method());
        assert!(
            text.contains("// \"1\": \"fast\",  // Mode · ? · optional · fast"),
            "{text}"
        );
        assert!(
            text.contains("    \"2\": \"\",  // Email · Text · required"),
            "{text}"
        );
        let body = RequestBody::from_jsonc(&text).unwrap();
        assert!(body.parameters.is_empty());
        assert_eq!(Value::Object(body.fields.clone()), json!({"2": ""}));
        assert_eq!(body.missing_required(&method())[0].id, 2);
        let counts = body.counts(&method());
        assert_eq!(counts.to_string(), "1 of 2 fields, 0 of 1 parameter");
        // Uncommenting a line includes it; the trailing comma is fine.
        let text = text.replace("    // \"3\": \"\",", "    \"3\": \"42\",");
        let body = RequestBody::from_jsonc(&text).unwrap();
        assert_eq!(body.fields.get("3"), Some(&json!("42")));
        assert_eq!(
            body.to_json(),
            r#"{"Parameters":{},"Fields":{"2":"","3":"42"}}"#
        );
    }

    #[test]
    fn the_text_of_a_body_sets_what_it_sets_and_keeps_the_rest() {
        let body = RequestBody::from_jsonc(
            r#"{"Parameters": {"1": "fast", "99": 5}, "Fields": {"3": "x\u001b"}, "Mergefields": {"m": "v"}}"#,
        )
        .unwrap();
        let text = jsonc_of(&method(), &body);
        assert_eq!(RequestBody::from_jsonc(&text).unwrap(), body, "{text}");
        assert!(
            text.contains("// \"2\": \"\","),
            "an unset id is commented out: {text}"
        );
        assert!(text.contains("not an id of this method"), "{text}");
        assert!(!text.contains('\u{1b}'), "escaped for the terminal");
        assert_eq!(
            jsonc_of(&method(), &RequestBody::default())
                .matches("    //")
                .count(),
            3
        );
    }

    #[test]
    fn comments_and_trailing_commas_keep_line_and_column_of_errors() {
        let text = "{ /* a\n comment */ \"Fields\": {\"1\": \"a,}\", // x\n \"2\": ,\n}}";
        let err = RequestBody::from_jsonc(text).unwrap_err();
        assert!(
            err.message.starts_with("invalid JSON at line 3, column 7"),
            "{err}"
        );
        assert_eq!(strip_jsonc("[1, 2,]"), "[1, 2 ]");
        assert_eq!(strip_jsonc(r#"{"a": "//no", }"#), r#"{"a": "//no"  }"#);
        let body = RequestBody::from_jsonc(r#"{"Mergefields": {"Name": "Ada"}}"#).unwrap();
        assert_eq!(
            body.to_json(),
            r#"{"Parameters":{},"Fields":{},"Mergefields":{"Name":"Ada"}}"#
        );
        assert!(RequestBody::from_jsonc(r#"{"Feilds": {}}"#).is_err());
        assert_eq!(
            RequestBody::from_jsonc("  // nothing\n").unwrap(),
            RequestBody::default()
        );
    }
}
