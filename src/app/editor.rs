//! Pane 3, top: the request editor (JSON with comments: names beside ids, optional ids
//! commented out) and how the request will be sent.

use crate::body::{Counts, RequestBody, jsonc_of, template};
use crate::cyclr::{Access, CallRequest, ContentType, Endpoint, Method, MethodRef, Verb};
use crate::form::Form;
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

/// The request being written.
#[derive(Debug)]
pub struct EditorPane {
    pub textarea: TextArea<'static>,
    pub target: Option<MethodTarget>,
    /// The method's metadata (names, types, which ids are required).
    pub method: Option<Method>,
    /// How many ids the text sets now (`None` while it is not valid, or too large to count
    /// on every key).
    pub counts: Option<Counts>,
    /// The content type of a raw body (the `…/body` endpoint sends the text as it is).
    pub content_type: ContentType,
    pub endpoint: Endpoint,
    pub verb: Verb,
    /// Address the method by `MethodUniqueIdentifier` instead of its numeric Id.
    pub by_guid: bool,
    /// Why the last send was refused (e.g. invalid JSON at line:column).
    pub error: Option<String>,
    /// The request as a form (`F2`), shown instead of the text; the text follows each edit.
    pub form: Option<Form>,
    /// The form was asked for: methods opened next show theirs too.
    prefer_form: bool,
    /// What was typed for other methods, restored when they are chosen again.
    drafts: HashMap<CallKey, Vec<String>>,
    /// Drafts changed since they were last handed out to be kept (empty text: forget it).
    changed: Vec<(CallKey, String)>,
}

impl Default for EditorPane {
    fn default() -> Self {
        EditorPane {
            textarea: new_textarea(Vec::new()),
            target: None,
            method: None,
            counts: None,
            content_type: ContentType::Json,
            endpoint: Endpoint::Call,
            verb: Verb::Post,
            by_guid: false,
            error: None,
            form: None,
            prefer_form: false,
            drafts: HashMap::new(),
            changed: Vec::new(),
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
            .unwrap_or_else(|| template(method).lines().map(str::to_string).collect());
        self.textarea = new_textarea(lines);
        self.method = Some(method.clone());
        if target.method_id.is_none() && target.guid.is_some() {
            self.by_guid = true;
        }
        self.target = Some(target);
        self.error = None;
        self.edited();
        self.form = None;
        if self.prefer_form {
            // A draft that is no valid body opens as text; the next F2 says why.
            self.form = self.form_of_text().ok();
        }
    }

    /// Switches between the text and the form. The text must be a body of Parameters and
    /// Fields to become a form: otherwise `Err` says why (with line and column) and the
    /// text stays as it is.
    pub fn toggle_form(&mut self) -> Result<(), String> {
        if self.form.take().is_some() {
            self.prefer_form = false;
            // The text from its top, where the ids begin (not where the last write ended).
            self.textarea.move_cursor(ratatui_textarea::CursorMove::Top);
            self.textarea
                .move_cursor(ratatui_textarea::CursorMove::Head);
            return Ok(());
        }
        self.form = Some(self.form_of_text()?);
        self.prefer_form = true;
        Ok(())
    }

    fn form_of_text(&self) -> Result<Form, String> {
        let method = self
            .method
            .as_ref()
            .ok_or("choose a method first (in pane 2)")?;
        if self.endpoint == Endpoint::RawBody {
            return Err("the raw-body endpoint sends the text as it is: no form".into());
        }
        let body = RequestBody::from_jsonc(&self.text()).map_err(|e| e.message)?;
        Ok(Form::new(method, body))
    }

    /// Writes the form's values into the text (a date shortcut as of `now`), so that what
    /// is sent, kept as a draft or shown on F2 is what the form says.
    pub fn sync_form(&mut self, now: std::time::SystemTime) {
        let (Some(form), Some(method)) = (&self.form, &self.method) else {
            return;
        };
        let text = jsonc_of(method, &form.body(now));
        if text != self.text() {
            self.replace_text(&text);
        }
    }

    /// Bodies up to this size are re-read on every key (for the count of ids sent); larger
    /// ones when they are sent, so typing stays fast.
    pub const COUNT_ON_EVERY_KEY: usize = 256 * 1024;

    /// Brings what is derived from the text up to date after it changed.
    pub fn edited(&mut self) {
        self.error = None;
        let size: usize = self.textarea.lines().iter().map(|l| l.len() + 1).sum();
        self.counts = match &self.method {
            Some(method) if size <= Self::COUNT_ON_EVERY_KEY => {
                RequestBody::from_jsonc(&self.text())
                    .ok()
                    .map(|body| body.counts(method))
            }
            _ => None,
        };
    }

    /// Puts the template back, dropping what was typed for this method.
    pub fn reset(&mut self, method: &Method) {
        if let Some(target) = self.target.take() {
            if self.drafts.remove(&target.key()).is_some() {
                self.changed.push((target.key(), String::new()));
            }
            self.load_method(target.account_connector_id, &target.connector, method);
        }
    }

    /// Empties the body: the text, or every row of the form.
    pub fn clear(&mut self, now: std::time::SystemTime) {
        if let Some(form) = &mut self.form {
            for row in &mut form.rows {
                row.value.clear();
            }
            self.sync_form(now);
        } else {
            self.textarea.select_all();
            self.textarea.cut();
            self.edited();
        }
    }

    /// Keeps what is typed for the current method; a text equal to its template is no draft.
    pub fn save_draft(&mut self) {
        let (Some(target), Some(method)) = (&self.target, &self.method) else {
            return;
        };
        let key = target.key();
        let lines = self.textarea.lines().to_vec();
        let text = lines.join("\n");
        if text == template(method).lines().collect::<Vec<_>>().join("\n") {
            if self.drafts.remove(&key).is_some() {
                self.changed.push((key, String::new()));
            }
            return;
        }
        if self.drafts.get(&key) != Some(&lines) {
            self.changed.push((key.clone(), text));
            self.drafts.insert(key, lines);
        }
    }

    /// Drafts kept in an earlier session; a method opened since keeps what it has.
    pub fn restore_drafts(&mut self, drafts: Vec<(CallKey, String)>) {
        for (key, text) in drafts {
            if self.target.as_ref().is_some_and(|t| t.key() == key) {
                continue;
            }
            self.drafts
                .entry(key)
                .or_insert_with(|| text.lines().map(str::to_string).collect());
        }
    }

    /// The drafts changed since the last call (to keep them for the next session).
    pub fn take_changed_drafts(&mut self) -> Vec<(CallKey, String)> {
        std::mem::take(&mut self.changed)
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

    /// Replaces the whole text (one undo step brings the old text back). The line end an
    /// editor adds at the end of its file is dropped.
    pub fn replace_text(&mut self, text: &str) {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.replace("\r\n", "\n");
        self.textarea.select_all();
        self.textarea.cut();
        self.textarea.insert_str(text);
        self.edited();
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

    /// The request to send and the body it sets (none for the raw-body endpoint and GET),
    /// or why it cannot be sent. The text is never changed.
    pub fn request(&self) -> Result<(CallRequest, Option<RequestBody>), String> {
        let target = self
            .target
            .as_ref()
            .ok_or("choose a method first (in pane 2)")?;
        let method = self
            .method_ref()
            .ok_or("this method has neither an Id nor a MethodUniqueIdentifier")?;
        let text = self.text();
        let (body, parsed, content_type) = match (self.endpoint, self.verb) {
            // The raw-body endpoint sends the text as it is, whatever it holds.
            (Endpoint::RawBody, _) => (text, None, self.content_type),
            (_, Verb::Get) => (String::new(), None, ContentType::Json),
            (_, Verb::Post) => {
                let parsed = RequestBody::from_jsonc(&text).map_err(|e| e.message)?;
                (parsed.to_json(), Some(parsed), ContentType::Json)
            }
        };
        let request = CallRequest {
            account_connector_id: target.account_connector_id,
            method,
            endpoint: self.endpoint,
            verb: self.verb,
            body,
            content_type,
        };
        Ok((request, parsed))
    }
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
