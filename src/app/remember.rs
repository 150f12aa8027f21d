//! What the explorer keeps for the next session: the drafts typed per method, and where it
//! was (connector, method, pane), restored once the lists they need have loaded.

use super::{App, CallKey, Pane};
use crate::effect::Effect;

/// The state keys remembered between sessions.
pub const REMEMBERED_STATE: &[&str] = &["account", "connector", "method", "pane"];

/// Where the last session was, waiting for the lists to load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restore {
    pub connector: Option<i64>,
    pub method: Option<String>,
    pub pane: Option<Pane>,
}

fn pane_name(pane: Pane) -> &'static str {
    match pane {
        Pane::Connectors => "connectors",
        Pane::Methods => "methods",
        Pane::Editor => "editor",
        Pane::Response => "response",
    }
}

fn pane_named(name: &str) -> Option<Pane> {
    Pane::ALL.into_iter().find(|p| pane_name(*p) == name)
}

impl App {
    /// Takes what the last session left: its drafts now, and where it was once the lists
    /// have loaded.
    pub(super) fn remembered(
        &mut self,
        drafts: Vec<(i64, String, String)>,
        state: &[(String, String)],
    ) -> Vec<Effect> {
        self.editor.restore_drafts(
            drafts
                .into_iter()
                .map(|(account_connector_id, method, text)| {
                    (
                        CallKey {
                            account_connector_id,
                            method,
                        },
                        text,
                    )
                })
                .collect(),
        );
        let get = |key: &str| state.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        // Started without an account (partner credentials): the last one chosen.
        let mut effects = Vec::new();
        if self.connection.account == super::NO_ACCOUNT
            && let Some(account) = get("account").filter(|a| !a.is_empty())
        {
            if matches!(self.overlays.last(), Some(super::Overlay::Accounts(_))) {
                self.overlays.pop();
            }
            effects = self.switch_account(&account);
        }
        let restore = Restore {
            connector: get("connector").and_then(|v| v.parse().ok()),
            method: get("method"),
            pane: get("pane").as_deref().and_then(pane_named),
        };
        // Only if the user has not gone anywhere yet.
        if self.methods.owner.is_none() && restore != Restore::default() {
            self.restore = Some(restore);
            effects.extend(self.go_on_restoring());
        }
        effects
    }

    /// Takes the next step back to where the last session was, as far as loaded lists allow.
    pub(super) fn go_on_restoring(&mut self) -> Vec<Effect> {
        let Some(restore) = self.restore.clone() else {
            return Vec::new();
        };
        if self.methods.owner.is_none() {
            let Some(items) = self.connectors.items.ready() else {
                return Vec::new();
            };
            let found = restore
                .connector
                .and_then(|id| items.iter().position(|c| c.id == Some(id)));
            let row =
                found.and_then(|i| self.connectors.list.visible().iter().position(|v| *v == i));
            let Some(row) = row else {
                self.restore = None;
                return Vec::new();
            };
            self.connectors.list.select_row(row);
            self.focus = Pane::Connectors;
            return self.select();
        }
        let Some(methods) = self.methods.items.ready() else {
            return Vec::new();
        };
        self.restore = None;
        let found = restore.method.as_ref().and_then(|key| {
            methods.iter().position(|m| {
                m.method_unique_identifier.as_deref() == Some(key.as_str())
                    || m.id.map(|i| i.to_string()).as_deref() == Some(key.as_str())
            })
        });
        if let Some(row) =
            found.and_then(|i| self.methods.list.visible().iter().position(|v| *v == i))
        {
            self.methods.list.select_row(row);
            self.focus = Pane::Methods;
            let effects = self.select();
            if let Some(pane) = restore.pane {
                self.set_focus(pane);
            }
            return effects;
        }
        Vec::new()
    }

    /// Effects keeping the drafts changed since the last time, for the next session.
    pub(super) fn keep_drafts(&mut self) -> Vec<Effect> {
        self.editor
            .take_changed_drafts()
            .into_iter()
            .map(|(key, text)| Effect::SaveDraft {
                account_connector_id: key.account_connector_id,
                method: key.method,
                text,
            })
            .collect()
    }

    /// Effects keeping everything for the next session: drafts and where the explorer is.
    pub(super) fn keep_all(&mut self) -> Vec<Effect> {
        if !self.remember {
            return Vec::new();
        }
        self.editor.save_draft();
        let mut effects = self.keep_drafts();
        let connector = self
            .methods
            .owner
            .as_ref()
            .map(|o| o.account_connector_id.to_string());
        let method = self.editor.target.as_ref().map(|t| t.key().method);
        for (key, value) in [
            ("connector", connector),
            ("method", method),
            ("pane", Some(pane_name(self.focus).to_string())),
        ] {
            effects.push(Effect::SaveState {
                key,
                value: value.unwrap_or_default(),
            });
        }
        effects
    }
}
