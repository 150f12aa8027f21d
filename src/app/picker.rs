//! Overlays that pick from a list filtered as you type: the account picker, the call
//! history (where two marked entries can be compared), and a form row's choices.

use super::editor::CallKey;
use super::list::{ListPane, Searchable};
use crate::cyclr::Account;
use crate::history::Summary;
use crate::lookup::Choice;

/// The partner's accounts, to switch the explorer to another.
#[derive(Debug, Default)]
pub struct AccountPicker {
    pub list: ListPane<Account>,
    /// The account in use (its API ID), marked in the list.
    pub current: String,
    /// Why the list may not be what the user expects (a token restricted to one account).
    pub note: Option<String>,
}

impl Searchable for Account {
    fn search_key(&self) -> String {
        format!(
            "{} {} {}",
            self.name.as_deref().unwrap_or(""),
            self.id.as_deref().unwrap_or(""),
            self.description.as_deref().unwrap_or("")
        )
    }
}

/// Which calls the history overlay lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryScope {
    /// The calls of one method on one account connector.
    Method { key: CallKey, name: String },
    /// Every call.
    All,
}

/// The history overlay: recorded calls, newest first, and up to two marked for a diff.
#[derive(Debug)]
pub struct HistoryPicker {
    pub list: ListPane<Summary>,
    pub scope: HistoryScope,
    /// The method the overlay was opened from, to go back to from `All`.
    pub method: Option<HistoryScope>,
    /// Entry ids marked for a diff, oldest mark first (at most two).
    pub marked: Vec<i64>,
}

impl HistoryPicker {
    /// An overlay listing `scope`'s calls (loading).
    #[must_use]
    pub fn new(scope: HistoryScope) -> Self {
        let method = matches!(scope, HistoryScope::Method { .. }).then(|| scope.clone());
        HistoryPicker {
            list: ListPane::default(),
            scope,
            method,
            marked: Vec::new(),
        }
    }

    /// Marks or unmarks the selected entry; a third mark replaces the oldest.
    pub fn toggle_mark(&mut self) {
        let Some(id) = self.list.selected().map(|s| s.id) else {
            return;
        };
        if let Some(i) = self.marked.iter().position(|m| *m == id) {
            self.marked.remove(i);
        } else {
            if self.marked.len() == 2 {
                self.marked.remove(0);
            }
            self.marked.push(id);
        }
    }
}

impl Searchable for Summary {
    fn search_key(&self) -> String {
        format!(
            "{} {} {} {} {} {} {} {}",
            self.method_name,
            self.connector_name,
            self.account_connector_id,
            self.status
                .map_or_else(|| "error".to_string(), |s| s.to_string()),
            self.endpoint,
            self.http_method,
            self.method_uid.as_deref().unwrap_or(""),
            self.method_id.map(|i| i.to_string()).unwrap_or_default()
        )
    }
}

/// A long text in an overlay (a diff), scrolled by line.
#[derive(Debug, Clone)]
pub struct TextView {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

/// Where a form row's choices come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChoiceSource {
    /// The parameter's allowed `Values`.
    Values,
    /// A lookup: a method called on an account connector, two keys read from its reply.
    Lookup(LookupKey),
}

impl LookupKey {
    /// The lookup `trigger` makes from a method of account connector `this`.
    #[must_use]
    pub fn of(trigger: &crate::cyclr::Trigger, this: i64) -> LookupKey {
        let method_id = trigger.method_id.unwrap_or_default();
        LookupKey {
            account_connector_id: trigger.account_connector(this),
            method_id,
            name: trigger
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| format!("method {method_id}")),
            label_key: trigger.human_readable_key.clone().unwrap_or_default(),
            id_key: trigger.identifier_key.clone().unwrap_or_default(),
        }
    }
}

/// A lookup, as cached for the session: which call, and which keys of its reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LookupKey {
    pub account_connector_id: i64,
    pub method_id: i64,
    /// The trigger's name (or the method id), for the picker's title.
    pub name: String,
    pub label_key: String,
    pub id_key: String,
}

/// The picker of a form row: its choices filtered as you type; Enter puts the chosen id in
/// the row, Esc leaves the value as it was.
#[derive(Debug)]
pub struct ChoicePicker {
    pub list: ListPane<Choice>,
    /// The form row it fills (index in the form).
    pub row: usize,
    /// The row's name, for the title.
    pub row_name: String,
    /// The row's value when the picker opened (marked in the list).
    pub current: String,
    pub source: ChoiceSource,
}

impl Searchable for Choice {
    fn search_key(&self) -> String {
        format!("{} {}", self.label, self.id)
    }
}
