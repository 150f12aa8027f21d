//! What the account picker and the history overlay do: loading, filtering as you type,
//! switching account, showing or re-running a recorded call, and comparing two.

use super::picker::{AccountPicker, HistoryPicker, HistoryScope, TextView};
use super::{App, CallKey, CallTitle, ListPane, Outcome, Overlay, Pane};
use crate::action::Action;
use crate::effect::{Effect, RequestId};
use crate::history::{Query, Summary};
use crate::msg::{Arrival, CallError, EntryPurpose, HistoricCall};

impl App {
    /// Opens the account picker and loads the partner's accounts.
    pub(super) fn open_accounts(&mut self) -> Vec<Effect> {
        let id = self.next_request();
        let mut picker = AccountPicker {
            current: self.connection.account.clone(),
            note: self.connection.single_account.then(|| {
                "this token is restricted to one account: it sees only that one".to_string()
            }),
            ..AccountPicker::default()
        };
        picker.list.items.start(id);
        self.overlays.push(Overlay::Accounts(Box::new(picker)));
        vec![Effect::LoadAccounts { id }]
    }

    /// Opens the history of the method in the editor (or of everything, without one).
    pub(super) fn open_history(&mut self) -> Vec<Effect> {
        let scope = match &self.editor.target {
            Some(target) => HistoryScope::Method {
                key: target.key(),
                name: target.name.clone(),
            },
            None => HistoryScope::All,
        };
        self.overlays
            .push(Overlay::History(Box::new(HistoryPicker::new(scope))));
        self.load_history()
    }

    fn load_history(&mut self) -> Vec<Effect> {
        let id = self.next_request();
        let Some(Overlay::History(picker)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        picker.list.items.start(id);
        let query = match &picker.scope {
            HistoryScope::Method { key, .. } => {
                let (numeric, guid) = match key.method.parse::<i64>() {
                    Ok(id) => (Some(id), None),
                    Err(_) => (None, Some(key.method.clone())),
                };
                Query {
                    method_uid: guid,
                    method_id: numeric,
                    account_connector_id: Some(key.account_connector_id),
                    limit: 0,
                }
            }
            HistoryScope::All => Query::default(),
        };
        vec![Effect::LoadHistory { id, query }]
    }

    /// An action for the account picker or the history overlay (and moving in a form row's
    /// picker).
    pub(super) fn picker_act(&mut self, action: &Action) -> Vec<Effect> {
        let rows = self.list_rows.max(1).cast_signed();
        let Some(top) = self.overlays.last_mut() else {
            return Vec::new();
        };
        let list = match top {
            Overlay::Accounts(p) => &mut p.list.list,
            Overlay::History(p) => &mut p.list.list,
            Overlay::Choices(p) => &mut p.list.list,
            _ => return Vec::new(),
        };
        match action {
            Action::Up => list.move_by(-1),
            Action::Down => list.move_by(1),
            Action::PageUp => list.move_by(-rows),
            Action::PageDown => list.move_by(rows),
            Action::Top => list.top(),
            Action::Bottom => list.bottom(),
            Action::Cancel => {
                self.overlays.pop();
            }
            Action::Select => return self.picker_select(),
            Action::ToggleMark => {
                if let Some(Overlay::History(p)) = self.overlays.last_mut() {
                    p.toggle_mark();
                }
            }
            Action::ToggleScope => {
                if let Some(Overlay::History(p)) = self.overlays.last_mut() {
                    p.scope = match (&p.scope, &p.method) {
                        (HistoryScope::All, Some(method)) => method.clone(),
                        _ => HistoryScope::All,
                    };
                    p.marked.clear();
                    return self.load_history();
                }
            }
            Action::Diff => return self.diff_marked(),
            Action::Rerun => {
                let selected = match self.overlays.last() {
                    Some(Overlay::History(p)) => p.list.selected().map(|s| s.id),
                    _ => None,
                };
                if let Some(entry) = selected {
                    self.overlays.pop();
                    return self.load_entry(entry, EntryPurpose::Rerun);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Typed text edits the picker's filter.
    pub(super) fn picker_filter(&mut self, edit: impl FnOnce(&str) -> Option<String>) {
        let list = match self.overlays.last_mut() {
            Some(Overlay::Accounts(p)) => &mut p.list.list,
            Some(Overlay::History(p)) => &mut p.list.list,
            _ => return,
        };
        if let Some(filter) = edit(list.filter()) {
            list.set_filter(filter);
        }
    }

    fn picker_select(&mut self) -> Vec<Effect> {
        match self.overlays.last() {
            Some(Overlay::Accounts(p)) => {
                let Some(account) = p.list.selected().and_then(|a| a.id.clone()) else {
                    return Vec::new();
                };
                self.overlays.pop();
                self.switch_account(&account)
            }
            Some(Overlay::History(p)) => {
                let Some(entry) = p.list.selected().map(|s| s.id) else {
                    return Vec::new();
                };
                self.overlays.pop();
                self.load_entry(entry, EntryPurpose::Show)
            }
            _ => Vec::new(),
        }
    }

    fn load_entry(&mut self, entry: i64, purpose: EntryPurpose) -> Vec<Effect> {
        let id = self.next_request();
        self.pending_entry = Some(id);
        self.notify("loading the recorded call…", false);
        vec![Effect::LoadHistoryEntry { id, entry, purpose }]
    }

    fn diff_marked(&mut self) -> Vec<Effect> {
        let marked = match self.overlays.last() {
            Some(Overlay::History(p)) => p.marked.clone(),
            _ => return Vec::new(),
        };
        let [a, b] = marked.as_slice() else {
            let mark = self
                .keymap
                .key(crate::keymap::Context::Picker, &Action::ToggleMark);
            self.notify(
                format!("mark two calls with {mark} to compare their responses"),
                true,
            );
            return Vec::new();
        };
        // Older first, whatever the order of marking.
        let (old, new) = if a < b { (*a, *b) } else { (*b, *a) };
        let id = self.next_request();
        self.pending_entry = Some(id);
        self.notify("comparing…", false);
        vec![Effect::DiffHistory { id, old, new }]
    }

    /// Uses `account` from now on: everything shown belonged to the old one, so it goes.
    pub(super) fn switch_account(&mut self, account: &str) -> Vec<Effect> {
        let mut effects: Vec<Effect> = self
            .response
            .cancel_all()
            .into_iter()
            .map(Effect::Cancel)
            .collect();
        if account == self.connection.account && self.connectors.items.ready().is_some() {
            return effects;
        }
        self.connection.account = account.to_string();
        self.methods = super::MethodsPane::default();
        self.editor = super::EditorPane::default();
        self.response = super::ResponsePane::default();
        self.focus = Pane::Connectors;
        effects.push(Effect::SwitchAccount {
            account: account.to_string(),
        });
        effects.push(Effect::SaveState {
            key: "account",
            value: account.to_string(),
        });
        effects.extend(self.load_connectors());
        self.notify(format!("switched to account {account}"), false);
        effects
    }

    pub(super) fn accounts_loaded(
        &mut self,
        id: RequestId,
        result: Result<Vec<crate::cyclr::Account>, CallError>,
    ) {
        if let Some(Overlay::Accounts(p)) = self.overlays.last_mut() {
            p.list.reply(id, result, |items| (0..items.len()).collect());
            // The current account first in view.
            let current = p.current.clone();
            if let Some(items) = p.list.items.ready()
                && let Some(i) = items.iter().position(|a| a.id.as_deref() == Some(&current))
                && let Some(row) = p.list.list.visible().iter().position(|v| *v == i)
            {
                p.list.list.select_row(row);
            }
        }
    }

    pub(super) fn history_loaded(
        &mut self,
        id: RequestId,
        result: Result<Box<ListPane<Summary>>, String>,
    ) {
        let Some(Overlay::History(p)) = self.overlays.last_mut() else {
            return;
        };
        if p.list.items.waiting_for() != Some(id) {
            return;
        }
        match result {
            Ok(list) => {
                // What was typed while it loaded still filters.
                let filter = p.list.list.filter().to_string();
                p.list = *list;
                if !filter.is_empty() {
                    p.list.list.set_filter(filter);
                }
            }
            Err(e) => {
                self.overlays.pop();
                self.notify(e, true);
            }
        }
    }

    pub(super) fn entry_loaded(
        &mut self,
        id: RequestId,
        purpose: EntryPurpose,
        result: Result<Box<HistoricCall>, String>,
    ) -> Vec<Effect> {
        if self.pending_entry != Some(id) {
            return Vec::new();
        }
        self.pending_entry = None;
        let call = match result {
            Ok(call) => call,
            Err(e) => {
                self.notify(e, true);
                return Vec::new();
            }
        };
        let key = CallKey {
            account_connector_id: call.request.account_connector_id,
            method: call
                .entry
                .method_uid
                .clone()
                .or_else(|| call.entry.method_id.map(|i| i.to_string()))
                .unwrap_or_default(),
        };
        let access = recorded_access(&call.entry.method_name);
        let title = CallTitle {
            method: if call.entry.method_name.is_empty() {
                format!("method {}", key.method)
            } else {
                call.entry.method_name.clone()
            },
            connector: call.entry.connector_name.clone(),
            is_write: access.write,
        };
        self.response.show(key.clone(), title);
        match purpose {
            EntryPurpose::Show => {
                self.notice = None;
                let outcome = match (&call.doc, &call.error) {
                    (Some(doc), _) => Outcome::Response(doc.clone()),
                    (None, error) => Outcome::NoResponse(
                        error.clone().unwrap_or_else(|| "the call failed".into()),
                    ),
                };
                self.response.show_recorded(
                    outcome,
                    Arrival {
                        time: std::time::SystemTime::UNIX_EPOCH,
                        clock: format!("recorded {}", call.when),
                    },
                    call.request.clone(),
                );
                self.set_focus(Pane::Response);
                Vec::new()
            }
            EntryPurpose::Rerun => {
                if self.safety.read_only && access.write {
                    self.notify(
                        format!(
                            "read-only mode: {} changes data ({}); not sent",
                            call.entry.method_name, access.reason
                        ),
                        true,
                    );
                    return Vec::new();
                }
                self.set_focus(Pane::Response);
                if access.write && self.safety.confirm_writes {
                    let mut lines = vec![
                        format!("Send {} again ({})?", call.entry.method_name, access.reason),
                        format!(
                            "{} {} on account connector {} (#{})",
                            call.request.http_method_name(),
                            call.request.path(),
                            call.entry.connector_name,
                            call.request.account_connector_id
                        ),
                        format!(
                            "account {} @ {}",
                            self.connection.account, self.connection.instance
                        ),
                        format!("as recorded {}", call.when),
                        String::new(),
                    ];
                    lines.push(crate::text::truncate(&call.request.body, 400).into_owned());
                    self.overlays.push(Overlay::ConfirmSend {
                        key,
                        request: Box::new(call.request),
                        lines,
                    });
                    return Vec::new();
                }
                self.dispatch(&key, call.request)
            }
        }
    }

    pub(super) fn diff_ready(
        &mut self,
        id: RequestId,
        result: Result<(String, Vec<String>), String>,
    ) {
        if self.pending_entry != Some(id) {
            return;
        }
        self.pending_entry = None;
        match result {
            Ok((title, lines)) => {
                self.notice = None;
                self.overlays.push(Overlay::Text(TextView {
                    title,
                    lines,
                    scroll: 0,
                }));
            }
            Err(e) => self.notify(e, true),
        }
    }

    /// Scrolls the text overlay.
    pub(super) fn text_act(&mut self, action: &Action) {
        let Some(Overlay::Text(view)) = self.overlays.last_mut() else {
            return;
        };
        let last = view.lines.len().saturating_sub(1);
        let page = self.list_rows.max(1);
        view.scroll = match action {
            Action::Up => view.scroll.saturating_sub(1),
            Action::Down => (view.scroll + 1).min(last),
            Action::PageUp => view.scroll.saturating_sub(page),
            Action::PageDown => (view.scroll + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::ToggleHelp | Action::Cancel => {
                self.overlays.pop();
                return;
            }
            _ => view.scroll,
        };
    }
}

/// Whether a recorded call changes data, judged from its method's name (all the history
/// keeps); a call without a name counts as a change, to be safe.
fn recorded_access(name: &str) -> crate::cyclr::Access {
    if name.trim().is_empty() {
        return crate::cyclr::Access {
            write: true,
            reason: "its method is not known, so it is treated as a change".into(),
        };
    }
    crate::cyclr::Method {
        name: Some(name.to_string()),
        ..crate::cyclr::Method::default()
    }
    .access()
}
