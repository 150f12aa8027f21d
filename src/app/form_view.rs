//! What the request form does (`F2`): moving between rows, typing values, the checks before
//! a send, and each row's picker of allowed values or lookup results (called through the
//! worker, cached for the session).

use super::picker::{ChoicePicker, ChoiceSource, LookupKey};
use super::{App, ListPane, Overlay, Pane};
use crate::action::Action;
use crate::effect::{Effect, RequestId};
use crate::form::{DataType, Edit};
use crate::lookup::Choice;
use crate::msg::CallError;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::SystemTime;

impl App {
    /// What the session's lookup results say `row`'s value stands for (an email beside a
    /// record id), when the row has a lookup that was made and lists the value.
    #[must_use]
    pub fn lookup_label(&self, row: &crate::form::Row) -> Option<&str> {
        let this = self.editor.target.as_ref()?.account_connector_id;
        let choices = self
            .lookups
            .get(&LookupKey::of(row.lookup.as_ref()?, this))?;
        choices
            .iter()
            .find(|c| c.id == row.value && c.label != c.id)
            .map(|c| c.label.as_str())
    }

    /// True while the editor shows the form.
    pub(super) fn form_shown(&self) -> bool {
        self.focus == Pane::Editor && self.editor.form.is_some()
    }

    /// `F2`: the text becomes a form, or the form text again (focusing the editor).
    pub(super) fn toggle_form(&mut self) {
        self.set_focus(Pane::Editor);
        if self.editor.target.is_none() {
            self.notify("choose a method first (in pane 2)", true);
            return;
        }
        self.editor.sync_form(SystemTime::now());
        match self.editor.toggle_form() {
            Ok(()) if self.editor.form.is_some() => {
                self.notify("form: F2 goes back to the JSON", false);
            }
            Ok(()) => self.notify("JSON: the form's values are in the text", false),
            Err(e) => {
                self.notify(format!("no form: {e} (the text is kept)"), true);
                self.editor.error = Some(e);
            }
        }
    }

    /// An action for the form; `None` when it is not the form's to take.
    pub(super) fn form_act(&mut self, action: Action) -> Option<Vec<Effect>> {
        let form = self.editor.form.as_mut()?;
        match action {
            Action::Up => form.move_by(-1),
            Action::Down => form.move_by(1),
            Action::Top => form.selected = 0,
            Action::Bottom => form.selected = form.rows.len().saturating_sub(1),
            Action::Select => return Some(self.open_choices(false)),
            Action::ClearBody => {
                self.editor.clear(SystemTime::now());
            }
            Action::SelectAll => {}
            Action::EditExternally => {
                self.notify("F2 first: $EDITOR edits the JSON, not the form", true);
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// A key typed on the selected row: text edits its value, Space flips a Boolean.
    pub(super) fn form_input(&mut self, key: KeyEvent) {
        let Some(form) = self.editor.form.as_mut() else {
            return;
        };
        let Some(row) = form.row() else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let plain = !ctrl && !key.modifiers.contains(KeyModifiers::ALT);
        let boolean = row.data_type == DataType::Boolean;
        match key.code {
            KeyCode::Char(' ') if plain && boolean => form.toggle(),
            KeyCode::Char('u') if ctrl => form.set_value(String::new()),
            KeyCode::Char('w') if ctrl => form.edit(Edit::DeleteWord),
            KeyCode::Char(c) if plain && !c.is_control() => form.edit(Edit::Insert(c)),
            KeyCode::Backspace => form.edit(Edit::Backspace),
            KeyCode::Delete => form.edit(Edit::Delete),
            KeyCode::Left => form.edit(Edit::Left),
            KeyCode::Right => form.edit(Edit::Right),
            KeyCode::Home => form.edit(Edit::Home),
            KeyCode::End => form.edit(Edit::End),
            _ => return,
        }
        self.editor.sync_form(SystemTime::now());
    }

    /// Pasted text goes into the selected row's value (on one line).
    pub(super) fn form_paste(&mut self, text: &str) {
        let Some(form) = self.editor.form.as_mut() else {
            return;
        };
        for c in text.replace("\r\n", " ").chars() {
            form.edit(Edit::Insert(if c == '\r' || c == '\n' { ' ' } else { c }));
        }
        self.editor.sync_form(SystemTime::now());
    }

    /// Refuses a send while a row's value does not fit its type, naming the rows; `true`
    /// when it may go on.
    pub(super) fn form_allows_send(&mut self, forced: bool) -> bool {
        let now = SystemTime::now();
        let Some(form) = &self.editor.form else {
            return true;
        };
        let invalid = form.invalid(now);
        if invalid.is_empty() || forced {
            self.editor.sync_form(now);
            return true;
        }
        let rows: Vec<String> = invalid
            .iter()
            .map(|(name, why)| format!("{}: {why}", crate::text::inert(name)))
            .collect();
        let send = self
            .keymap
            .key(crate::keymap::Context::Editor, &Action::Send);
        let message = format!("not sent: {}; {send} again sends anyway", rows.join("; "));
        self.editor.error = Some(message.clone());
        self.notify(message, true);
        false
    }

    /// Opens the selected row's picker: its allowed values, or its lookup (from the cache
    /// unless `refresh`, else called through the worker). A row with neither moves down.
    pub(super) fn open_choices(&mut self, refresh: bool) -> Vec<Effect> {
        let Some(account_connector_id) =
            self.editor.target.as_ref().map(|t| t.account_connector_id)
        else {
            return Vec::new();
        };
        let Some(form) = self.editor.form.as_mut() else {
            return Vec::new();
        };
        let Some(row) = form.row() else {
            return Vec::new();
        };
        let source = match (&row.lookup, row.values.is_empty()) {
            (Some(trigger), _) => {
                ChoiceSource::Lookup(LookupKey::of(trigger, account_connector_id))
            }
            (None, false) => ChoiceSource::Values,
            (None, true) => {
                form.move_by(1);
                return Vec::new();
            }
        };
        // Read-only mode holds for lookups too (when the method is known to change data).
        if let ChoiceSource::Lookup(key) = &source
            && self.safety.read_only
            && let Some(method) = self.methods.items.ready().and_then(|methods| {
                methods.iter().find(|m| {
                    m.id == Some(key.method_id) && key.account_connector_id == account_connector_id
                })
            })
            && method.access().write
        {
            let reason = method.access().reason;
            self.notify(
                format!("read-only mode: the lookup calls a method that changes data ({reason}); not sent"),
                true,
            );
            return Vec::new();
        }
        let mut picker = ChoicePicker {
            list: ListPane::default(),
            row: form.selected,
            row_name: row.name.clone(),
            current: row.value.clone(),
            source: source.clone(),
        };
        let mut effects = Vec::new();
        match &source {
            ChoiceSource::Values => {
                picker.list.set_items(Choice::from_values(&row.values));
            }
            ChoiceSource::Lookup(key) => {
                if let Some(choices) = self.lookups.get(key).filter(|_| !refresh) {
                    picker.list.set_items(choices.clone());
                } else {
                    let id = self.next_request();
                    picker.list.items.start(id);
                    effects.push(Effect::Lookup {
                        id,
                        key: key.clone(),
                    });
                }
            }
        }
        // The current value selected, when it is among the choices.
        if let Some(items) = picker.list.items.ready()
            && let Some(i) = items.iter().position(|c| c.id == picker.current)
            && let Some(row) = picker.list.list.visible().iter().position(|&v| v == i)
        {
            picker.list.list.select_row(row);
        }
        self.overlays.push(Overlay::Choices(Box::new(picker)));
        effects
    }

    /// An action while a row's picker is open.
    pub(super) fn choices_act(&mut self, action: &Action) -> Vec<Effect> {
        let Some(Overlay::Choices(picker)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        match action {
            Action::Cancel => {
                let waiting = picker.list.items.waiting_for();
                self.overlays.pop();
                return waiting.map(Effect::Cancel).into_iter().collect();
            }
            Action::Select => {
                let chosen = picker.list.selected().cloned();
                let row = picker.row;
                let Some(choice) = chosen else {
                    return Vec::new();
                };
                self.overlays.pop();
                if let Some(form) = self.editor.form.as_mut() {
                    form.selected = row;
                    form.set_value(choice.id);
                }
                self.editor.sync_form(SystemTime::now());
            }
            Action::Rerun => {
                if matches!(picker.source, ChoiceSource::Lookup(_)) {
                    let waiting = picker.list.items.waiting_for();
                    self.overlays.pop();
                    let mut effects: Vec<Effect> =
                        waiting.map(Effect::Cancel).into_iter().collect();
                    effects.extend(self.open_choices(true));
                    return effects;
                }
            }
            // Moving in the list, as in the other pickers.
            _ => return self.picker_act(action),
        }
        Vec::new()
    }

    /// Typed text edits the picker's filter.
    pub(super) fn choices_filter(&mut self, edit: impl FnOnce(&str) -> Option<String>) {
        if let Some(Overlay::Choices(picker)) = self.overlays.last_mut()
            && let Some(filter) = edit(picker.list.list.filter())
        {
            picker.list.list.set_filter(filter);
        }
    }

    /// A lookup's reply: cached, and shown if its picker is still waiting for it.
    pub(super) fn lookup_loaded(
        &mut self,
        id: RequestId,
        key: super::picker::LookupKey,
        result: Result<Vec<Choice>, CallError>,
    ) {
        if let Ok(choices) = &result {
            self.lookups.insert(key, choices.clone());
        }
        for overlay in &mut self.overlays {
            if let Overlay::Choices(picker) = overlay
                && picker.list.items.waiting_for() == Some(id)
            {
                picker
                    .list
                    .reply(id, result, |items| (0..items.len()).collect());
                if let Some(i) = picker
                    .list
                    .items
                    .ready()
                    .and_then(|items| items.iter().position(|c| c.id == picker.current))
                {
                    picker.list.list.select_row(i);
                }
                return;
            }
        }
    }
}
