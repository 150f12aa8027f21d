//! Getting answers out of a response: the jq filter line, folding, the table's keys, the
//! copy menu, saving to a file, and editing the request in the user's own editor.

use super::overlay::{CopyMenu, CopyWhat, SavePrompt};
use super::response::Fold;
use super::{App, Mode, Overlay, Tab, TextView};
use crate::action::{Action, Pane};
use crate::effect::Effect;
use crate::jq_runner::{FilterDone, FilterJob};
use crate::msg::SaveError;
use std::sync::PoisonError;

impl App {
    /// `|`: starts typing a jq filter on the shown response (the one already applied, if
    /// any, is there to edit).
    pub(super) fn start_jq(&mut self) -> Vec<Effect> {
        let Some(key) = self.response.shown_key().cloned() else {
            return Vec::new();
        };
        if self.response.doc().is_none() {
            self.notify("no response to filter yet", true);
            return Vec::new();
        }
        if !matches!(self.response.tab, Tab::Pretty | Tab::Table) {
            self.response.select_tab(Tab::Pretty);
        }
        self.mode = Mode::Jq;
        if let Some(exchange) = self.response.shown_mut() {
            exchange.jq.editing = true;
            exchange.jq.history_pos = None;
        }
        vec![Effect::LoadFilters { key }]
    }

    /// The filter line's text changed: runs it (an empty line shows the body again).
    pub(super) fn set_jq_text(&mut self, text: String) -> Vec<Effect> {
        let generation = self.next_request();
        let Some(key) = self.response.shown_key().cloned() else {
            return Vec::new();
        };
        let Some(body) = self.response.doc().map(|d| d.response.body.clone()) else {
            return Vec::new();
        };
        let Some(exchange) = self.response.shown_mut() else {
            return Vec::new();
        };
        exchange.jq.text.clone_from(&text);
        exchange.jq.error = None;
        if text.trim().is_empty() {
            exchange.jq.running = false;
            exchange.jq.generation = generation;
            self.response.clear_filter_result();
            return Vec::new();
        }
        exchange.jq.generation = generation;
        exchange.jq.running = true;
        vec![Effect::RunFilter(FilterJob {
            key,
            generation,
            filter: text,
            body,
        })]
    }

    /// Runs the shown method's filter again on its new response, if one is applied.
    pub(super) fn rerun_filter(&mut self) -> Vec<Effect> {
        let text = self
            .response
            .shown()
            .map(|e| e.jq.text.clone())
            .unwrap_or_default();
        if text.trim().is_empty() || self.response.doc().is_none() {
            return Vec::new();
        }
        self.set_jq_text(text)
    }

    /// A filter's result arrived: shown if it answers the newest run.
    pub(super) fn filtered(&mut self, done: FilterDone) {
        self.response.filter_done(done);
    }

    /// Enter in the filter line: keeps the filter and remembers it for this method.
    pub(super) fn keep_jq(&mut self) -> Vec<Effect> {
        self.mode = Mode::Normal;
        let Some(key) = self.response.shown_key().cloned() else {
            return Vec::new();
        };
        let Some(exchange) = self.response.shown_mut() else {
            return Vec::new();
        };
        exchange.jq.editing = false;
        let filter = exchange.jq.text.trim().to_string();
        if filter.is_empty() || exchange.jq.error.is_some() {
            return Vec::new();
        }
        exchange.jq.history.retain(|f| *f != filter);
        exchange.jq.history.push(filter.clone());
        vec![Effect::SaveFilter { key, filter }]
    }

    /// Esc: clears the filter, showing the body again.
    pub(super) fn clear_jq(&mut self) {
        self.mode = Mode::Normal;
        if let Some(exchange) = self.response.shown_mut() {
            exchange.jq.text.clear();
            exchange.jq.editing = false;
            exchange.jq.error = None;
            exchange.jq.running = false;
            exchange.jq.generation += 1;
        }
        self.response.clear_filter_result();
    }

    /// Up (`-1`) and Down (`1`) in the filter line: the method's earlier filters.
    pub(super) fn jq_history(&mut self, step: isize) -> Vec<Effect> {
        let Some(exchange) = self.response.shown_mut() else {
            return Vec::new();
        };
        let history = &exchange.jq.history;
        if history.is_empty() {
            return Vec::new();
        }
        let at = match exchange.jq.history_pos {
            None if step < 0 => history.len() - 1,
            None => return Vec::new(),
            Some(at) => {
                let next = at.saturating_add_signed(step);
                if step > 0 && next >= history.len() {
                    exchange.jq.history_pos = None;
                    return self.set_jq_text(String::new());
                }
                next
            }
        };
        exchange.jq.history_pos = Some(at);
        let text = history[at].clone();
        self.set_jq_text(text)
    }

    /// The filters used before on a method's responses arrived.
    pub(super) fn filter_history(&mut self, key: &super::CallKey, filters: Vec<String>) {
        if let Some(exchange) = self.response.exchange_mut(key) {
            exchange.jq.history = filters;
        }
    }

    /// `z` then a key: folding in the pretty view.
    pub(super) fn fold(&mut self, how: Fold) {
        self.pending_fold = false;
        if self.response.cursor().is_none() {
            self.notify("folding works in the Pretty tab of a JSON response", true);
            return;
        }
        self.response.fold(how);
    }

    /// `y`: the copy menu, with what there is to copy.
    pub(super) fn open_copy_menu(&mut self) {
        let Some(exchange) = self.response.shown() else {
            return;
        };
        let has_doc = self.response.doc().is_some();
        let mut available = Vec::new();
        if has_doc {
            available.push(CopyWhat::Body);
        }
        if exchange.jq.result.is_some() {
            available.push(CopyWhat::Filtered);
        }
        if self.response.cursor().is_some() {
            available.extend([CopyWhat::Value, CopyWhat::Path]);
        }
        if has_doc {
            available.push(CopyWhat::Headers);
        }
        if exchange.last_request.is_some() {
            available.extend([CopyWhat::Curl, CopyWhat::Httpie]);
        }
        if available.is_empty() {
            self.notify("nothing to copy yet: send the request first", true);
            return;
        }
        self.overlays.push(Overlay::Copy(CopyMenu {
            choices: available,
            selected: 0,
        }));
    }

    /// Copies `what`, closing the menu.
    pub(super) fn copy(&mut self, what: CopyWhat) -> Vec<Effect> {
        self.overlays.pop();
        let Some(text) = self.text_of(what) else {
            self.notify(format!("nothing to copy as {}", what.label()), true);
            return Vec::new();
        };
        vec![Effect::Copy {
            text,
            name: self.file_stem(),
        }]
    }

    /// The text a copy choice copies.
    fn text_of(&self, what: CopyWhat) -> Option<String> {
        let exchange = self.response.shown()?;
        let doc = self.response.doc();
        match what {
            CopyWhat::Body => Some(String::from_utf8_lossy(&doc?.response.body).into_owned()),
            CopyWhat::Filtered => {
                let result = exchange.jq.result.as_ref()?;
                Some(compact_lines(&result.text))
            }
            CopyWhat::Value => self.response.cursor_value(),
            CopyWhat::Path => self.response.cursor_path(),
            CopyWhat::Headers => {
                let mut text = String::new();
                for (name, value) in &doc?.response.headers {
                    text.push_str(&format!("{name}: {value}\n"));
                }
                Some(text)
            }
            CopyWhat::Curl | CopyWhat::Httpie => {
                let request = exchange.last_request.as_ref()?;
                let base = url::Url::parse(&self.connection.instance).ok()?;
                let account = (self.connection.account != super::NO_ACCOUNT)
                    .then_some(self.connection.account.as_str());
                let tool = if what == CopyWhat::Curl {
                    crate::export::Tool::Curl
                } else {
                    crate::export::Tool::Httpie
                };
                Some(crate::export::command_line(tool, request, &base, account))
            }
        }
    }

    /// A name for files made from the shown response: the method's name and when it came.
    fn file_stem(&self) -> String {
        let Some(exchange) = self.response.shown() else {
            return "response".into();
        };
        let mut stem: String = exchange
            .method
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        while stem.contains("--") {
            stem = stem.replace("--", "-");
        }
        let stem = stem.trim_matches('-');
        let stem = if stem.is_empty() { "response" } else { stem };
        let when = exchange
            .finished_at
            .as_ref()
            .and_then(|a| a.time.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|since| {
                let ms = i64::try_from(since.as_millis()).unwrap_or(i64::MAX);
                // `2026-12-02 14:03:12` → `20261202-140312`
                crate::ui::local_time(ms)
                    .replace(['-', ':'], "")
                    .replace(' ', "-")
            })
            .unwrap_or_default();
        if when.is_empty() {
            stem.to_string()
        } else {
            format!("{stem}-{when}")
        }
    }

    /// `s`: asks where to save the body (or the filter's result).
    pub(super) fn open_save_prompt(&mut self) {
        let Some(exchange) = self.response.shown() else {
            return;
        };
        let (text, extension) = match (&exchange.jq.result, self.response.doc()) {
            (Some(result), _) => (result.text.bytes().clone(), "json"),
            (None, Some(doc)) => (doc.response.body.clone(), extension_of(doc)),
            (None, None) => {
                self.notify("no response to save yet", true);
                return;
            }
        };
        let name = format!("{}.{extension}", self.file_stem());
        self.overlays.push(Overlay::Save(SavePrompt {
            path: name,
            text,
            error: None,
            overwrite: false,
            waiting: false,
        }));
    }

    /// Enter in the save prompt (or on the question whether to replace a file).
    pub(super) fn save_prompt_enter(&mut self) -> Vec<Effect> {
        let Some(Overlay::Save(prompt)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        let path = prompt.path.trim();
        if path.is_empty() {
            prompt.error = Some("type a file name".into());
            return Vec::new();
        }
        let effect = Effect::SaveText {
            path: std::path::PathBuf::from(path),
            text: prompt.text.clone(),
            overwrite: prompt.overwrite,
        };
        // The prompt stays until the file is written, so a name taken can be changed.
        prompt.error = None;
        prompt.waiting = true;
        vec![effect]
    }

    /// A file was written, or not.
    pub(super) fn saved(&mut self, result: Result<String, SaveError>) {
        let prompt = match self.overlays.last_mut() {
            Some(Overlay::Save(prompt)) => Some(prompt),
            _ => None,
        };
        match (result, prompt) {
            (Ok(summary), prompt) => {
                if prompt.is_some() {
                    self.overlays.pop();
                }
                self.notify(summary, false);
            }
            (Err(SaveError::Exists(path)), Some(prompt)) => {
                prompt.waiting = false;
                prompt.overwrite = true;
                prompt.error = Some(format!(
                    "{} exists: Enter replaces it, or change the name",
                    crate::text::inert(&path.display().to_string())
                ));
            }
            (Err(SaveError::Exists(path)), None) => {
                self.notify(format!("not saved: {} exists", path.display()), true);
            }
            (Err(SaveError::Other(e)), Some(prompt)) => {
                prompt.waiting = false;
                prompt.error = Some(format!("not saved: {e}"));
            }
            (Err(SaveError::Other(e)), None) => self.notify(format!("not saved: {e}"), true),
        }
    }

    /// `Ctrl-E` in the editor: the request body in the user's editor.
    pub(super) fn edit_externally(&mut self) -> Vec<Effect> {
        if self.editor.target.is_none() {
            self.notify("choose a method first", true);
            return Vec::new();
        }
        vec![Effect::EditExternally {
            text: self.editor.text(),
        }]
    }

    /// The user's editor closed.
    pub(super) fn edited_externally(&mut self, result: Result<Option<String>, String>) {
        match result {
            Ok(Some(text)) => {
                self.editor.replace_text(&text);
                self.set_focus(Pane::Editor);
                self.notify("body replaced with the editor's text", false);
            }
            Ok(None) => self.notify(
                "the editor exited with an error: the body is as it was",
                true,
            ),
            Err(e) => self.notify(e, true),
        }
    }

    /// The table tab is shown but its records are not laid out yet: lay them out.
    pub(super) fn build_shown_table(&self) -> Vec<Effect> {
        if self.response.tab != Tab::Table {
            return Vec::new();
        }
        match self.response.table_source() {
            Some((table, text)) if !table.is_built() => vec![Effect::BuildTable {
                table: std::sync::Arc::clone(table),
                text: text.clone(),
            }],
            _ => Vec::new(),
        }
    }

    /// Keys of the table tab; `false` when the action is not one of them.
    pub(super) fn table_act(&mut self, action: Action) -> bool {
        if self.response.tab != Tab::Table || self.focus != Pane::Response {
            return false;
        }
        let Some(shared) = self.response.table().cloned() else {
            return false;
        };
        // The table's body is the viewer's text area less its header row.
        let rows = self.response.viewport.rows.saturating_sub(1).max(1);
        let width = u16::try_from(self.response.viewport.width).unwrap_or(u16::MAX);
        let Some(exchange) = self.response.shown_mut() else {
            return false;
        };
        let mut table = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut exchange.table;
        state.fit(&table, rows, width);
        match action {
            Action::Up => state.move_row(&table, -1, rows),
            Action::Down => state.move_row(&table, 1, rows),
            Action::PageUp => state.page(&table, -1, rows),
            Action::PageDown => state.page(&table, 1, rows),
            Action::Top => state.home(&table, rows),
            Action::Bottom => state.end(&table, rows),
            Action::Scroll(_, delta) => state.move_row(&table, delta as isize, rows),
            Action::ScrollLeft => state.move_column(&table, -1, width),
            Action::ScrollRight => state.move_column(&table, 1, width),
            Action::SortColumn => state.cycle_sort(&mut table),
            Action::PickColumns => {
                drop(table);
                self.overlays.push(Overlay::Columns);
            }
            Action::Select => {
                let row = state.selected();
                let json = table.record_json(row);
                let title = format!(" Record {} of {} ", row + 1, table.len());
                drop(table);
                self.overlays.push(Overlay::Text(TextView {
                    title,
                    lines: json.lines().map(str::to_string).collect(),
                    scroll: 0,
                }));
            }
            _ => return false,
        }
        true
    }

    /// Keys of the column picker.
    pub(super) fn columns_act(&mut self, action: Action) {
        let Some(shared) = self.response.table().cloned() else {
            self.overlays.pop();
            return;
        };
        let Some(exchange) = self.response.shown_mut() else {
            return;
        };
        let table = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut exchange.table;
        match action {
            Action::Up => state.move_picker(&table, -1),
            Action::Down => state.move_picker(&table, 1),
            Action::ToggleMark if !state.toggle_picker_column(&table) => {
                drop(table);
                self.notify("the last column shown stays", true);
            }
            Action::Select | Action::Cancel => {
                drop(table);
                self.overlays.pop();
            }
            _ => {}
        }
    }
}

/// Pretty outputs, one per line, compact (as `jq -c` prints them).
fn compact_lines(text: &crate::document::Lines) -> String {
    let whole = text.bytes();
    let mut out = String::new();
    for value in serde_json::Deserializer::from_slice(whole).into_iter::<serde_json::Value>() {
        match value {
            Ok(value) => {
                out.push_str(&value.to_string());
                out.push('\n');
            }
            Err(_) => return String::from_utf8_lossy(whole).into_owned(),
        }
    }
    out
}

/// A file extension for a body: from what it is and its content type.
fn extension_of(doc: &crate::document::ResponseDoc) -> &'static str {
    use crate::document::BodyKind;
    let content_type = doc
        .response
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    match doc.kind {
        BodyKind::Json => "json",
        _ if content_type.contains("xml") => "xml",
        _ if content_type.contains("html") => "html",
        BodyKind::Binary => "bin",
        _ => "txt",
    }
}
