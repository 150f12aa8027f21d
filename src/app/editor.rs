//! Pane 3, top: the request editor, its legend, and how the request will be sent.

use crate::cyclr::{Access, CallRequest, Endpoint, Method, MethodRef, Parameter, Verb};
use ratatui_textarea::TextArea;
use std::collections::HashMap;

/// The method the editor will call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodTarget {
    pub account_connector_id: i64,
    /// The account connector's name.
    pub connector: String,
    pub method_id: Option<i64>,
    pub guid: Option<String>,
    pub name: String,
    /// Whether calling it may change data, and why it was judged so.
    pub access: Access,
}

/// A method on one account connector: what a draft and a response belong to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallKey {
    pub account_connector_id: i64,
    /// The `MethodUniqueIdentifier` (stable across releases), else the numeric Id.
    pub method: String,
}

impl MethodTarget {
    /// The method and account connector this targets.
    #[must_use]
    pub fn key(&self) -> CallKey {
        CallKey {
            account_connector_id: self.account_connector_id,
            method: self
                .guid
                .clone()
                .or_else(|| self.method_id.map(|id| id.to_string()))
                .unwrap_or_default(),
        }
    }
}

/// One line of the legend: what an id in the body stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendRow {
    /// "Parameters" or "Fields".
    pub section: &'static str,
    pub id: i64,
    pub name: String,
    pub data_type: String,
    pub required: bool,
    pub values: Vec<String>,
}

/// The request being written.
#[derive(Debug)]
pub struct EditorPane {
    pub textarea: TextArea<'static>,
    pub target: Option<MethodTarget>,
    pub legend: Vec<LegendRow>,
    pub endpoint: Endpoint,
    pub verb: Verb,
    /// Address the method by `MethodUniqueIdentifier` instead of its numeric Id.
    pub by_guid: bool,
    /// Why the last send was refused (e.g. invalid JSON at line:column).
    pub error: Option<String>,
    /// What was typed for other methods, restored when they are chosen again.
    drafts: HashMap<CallKey, Vec<String>>,
}

impl Default for EditorPane {
    fn default() -> Self {
        EditorPane {
            textarea: new_textarea(Vec::new()),
            target: None,
            legend: Vec::new(),
            endpoint: Endpoint::Call,
            verb: Verb::Post,
            by_guid: false,
            error: None,
            drafts: HashMap::new(),
        }
    }
}

fn new_textarea(lines: Vec<String>) -> TextArea<'static> {
    let mut textarea = TextArea::new(lines);
    textarea.set_tab_length(2);
    textarea.set_cursor_line_style(ratatui::style::Style::default());
    textarea.set_cursor_style(ratatui::style::Style::default());
    textarea.set_placeholder_text("Choose a method in pane 2 to get a request body here.");
    textarea
}

impl EditorPane {
    /// Prepares a call of `method` through account connector `account_connector_id` (named
    /// `connector`): the body template with every parameter and request field id, or what was
    /// typed before.
    pub fn load_method(&mut self, account_connector_id: i64, connector: &str, method: &Method) {
        self.save_draft();
        let target = MethodTarget {
            account_connector_id,
            connector: connector.to_string(),
            access: method.access(),
            method_id: method.id,
            guid: method
                .method_unique_identifier
                .clone()
                .filter(|g| !g.is_empty()),
            name: method
                .name
                .clone()
                .unwrap_or_else(|| "unnamed method".into()),
        };
        let lines = self
            .drafts
            .get(&target.key())
            .cloned()
            .unwrap_or_else(|| template(method));
        self.textarea = new_textarea(lines);
        self.legend = legend(method);
        if target.method_id.is_none() && target.guid.is_some() {
            self.by_guid = true;
        }
        self.target = Some(target);
        self.error = None;
    }

    /// Puts the template back, dropping what was typed for this method.
    pub fn reset(&mut self, method: &Method) {
        if let Some(target) = self.target.take() {
            self.drafts.remove(&target.key());
            self.load_method(target.account_connector_id, &target.connector, method);
        }
    }

    fn save_draft(&mut self) {
        if let Some(target) = &self.target {
            self.drafts
                .insert(target.key(), self.textarea.lines().to_vec());
        }
    }

    /// Shows the text cursor only while the editor has the keyboard.
    pub fn show_cursor(&mut self, visible: bool) {
        let style = if visible {
            ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            ratatui::style::Style::default()
        };
        self.textarea.set_cursor_style(style);
    }

    /// The editor's text.
    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// How the method is addressed now.
    pub fn method_ref(&self) -> Option<MethodRef> {
        let target = self.target.as_ref()?;
        match (self.by_guid, &target.guid, target.method_id) {
            (true, Some(guid), _) | (false, Some(guid), None) => {
                Some(MethodRef::Guid(guid.clone()))
            }
            (_, _, Some(id)) => Some(MethodRef::Id(id)),
            (_, None, None) => None,
        }
    }

    /// The request to send, or why it cannot be sent. The text is never changed.
    pub fn request(&self) -> Result<CallRequest, String> {
        let target = self
            .target
            .as_ref()
            .ok_or("choose a method first (in pane 2)")?;
        let method = self
            .method_ref()
            .ok_or("this method has neither an Id nor a MethodUniqueIdentifier")?;
        let text = self.text();
        if self.verb == Verb::Post && !text.trim().is_empty() {
            validate_json(&text)?;
        }
        Ok(CallRequest {
            account_connector_id: target.account_connector_id,
            method,
            endpoint: self.endpoint,
            verb: self.verb,
            body: text,
        })
    }
}

/// Checks that `text` is one JSON object; the error names line and column.
pub fn validate_json(text: &str) -> Result<(), String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => {
            Err("the body must be a JSON object like {\"Parameters\": {}, \"Fields\": {}}".into())
        }
        Err(e) => {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what);
            Err(format!(
                "invalid JSON at line {}, column {}: {what}",
                e.line(),
                e.column()
            ))
        }
    }
}

/// `{"Parameters": {...}, "Fields": {...}}` with every id and an empty value (or the only
/// allowed value), laid out one id per line.
#[must_use]
pub fn template(method: &Method) -> Vec<String> {
    let mut lines = vec!["{".to_string()];
    let sections = [
        ("Parameters", &method.parameters),
        ("Fields", &method.request_fields),
    ];
    for (n, (name, items)) in sections.iter().enumerate() {
        let ids: Vec<&Parameter> = items.iter().filter(|p| p.id.is_some()).collect();
        let comma = if n + 1 < sections.len() { "," } else { "" };
        if ids.is_empty() {
            lines.push(format!("  \"{name}\": {{}}{comma}"));
            continue;
        }
        lines.push(format!("  \"{name}\": {{"));
        for (i, p) in ids.iter().enumerate() {
            let value = match p.values.as_slice() {
                [only] => only.clone(),
                _ => String::new(),
            };
            // Escaped so that no character from the server can act on the terminal.
            let value = serde_json::Value::String(value).to_string();
            let value = crate::text::json_escaped(&value);
            let sep = if i + 1 < ids.len() { "," } else { "" };
            lines.push(format!(
                "    \"{}\": {value}{sep}",
                p.id.unwrap_or_default()
            ));
        }
        lines.push(format!("  }}{comma}"));
    }
    lines.push("}".to_string());
    lines
}

fn legend(method: &Method) -> Vec<LegendRow> {
    let rows = |section: &'static str, items: &[Parameter]| -> Vec<LegendRow> {
        items
            .iter()
            .filter_map(|p| {
                Some(LegendRow {
                    section,
                    id: p.id?,
                    name: p.name.clone().unwrap_or_default(),
                    data_type: p.data_type.clone().unwrap_or_else(|| "?".into()),
                    required: p.is_required(),
                    values: p.values.clone(),
                })
            })
            .collect()
    };
    let mut all = rows("Parameters", &method.parameters);
    all.extend(rows("Fields", &method.request_fields));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cyclr::model::decode;
    use serde_json::json;

    fn method() -> Method {
        decode(
            json!({"Id": 7, "Name": "Create", "MethodUniqueIdentifier": "g-1",
            "Parameters": [{"Id": 1, "Name": "Mode", "Values": ["fast"], "IsOptional": true}],
            "RequestFields": [{"Id": 2, "Name": "Email", "DataType": "Text"}, {"Id": 3, "Name": "Age"}]}),
        )
    }

    #[test]
    fn template_holds_every_id_and_is_valid_json() {
        let lines = template(&method());
        let value: serde_json::Value = serde_json::from_str(&lines.join("\n")).unwrap();
        assert_eq!(
            value,
            json!({"Parameters": {"1": "fast"}, "Fields": {"2": "", "3": ""}})
        );
        let empty: Method = decode(json!({"Id": 1}));
        assert_eq!(
            template(&empty).join(""),
            "{  \"Parameters\": {},  \"Fields\": {}}"
        );
    }

    #[test]
    fn invalid_json_names_line_and_column_and_keeps_the_text() {
        let mut editor = EditorPane::default();
        editor.load_method(5, "Sales", &method());
        editor.textarea = new_textarea(vec!["{".into(), "  \"a\": ,".into(), "}".into()]);
        let err = editor.request().unwrap_err();
        assert!(err.starts_with("invalid JSON at line 2, column 8"), "{err}");
        assert_eq!(editor.text(), "{\n  \"a\": ,\n}");
    }

    #[test]
    fn drafts_come_back_per_method() {
        let mut editor = EditorPane::default();
        editor.load_method(5, "Sales", &method());
        editor.textarea.insert_str("typed");
        let other: Method = decode(json!({"Id": 8}));
        editor.load_method(5, "Sales", &other);
        assert!(!editor.text().contains("typed"));
        editor.load_method(5, "Sales", &method());
        assert!(editor.text().contains("typed"));
        editor.by_guid = true;
        assert_eq!(editor.method_ref(), Some(MethodRef::Guid("g-1".into())));
    }
}
