//! `i` on an account connector: its details and properties in an overlay, loaded through
//! the worker (the connector object and its properties route). Never its `AuthValue`.

use super::loadable::Loadable;
use super::{App, Overlay, Pane};
use crate::action::Action;
use crate::cyclr::{AccountConnector, Property};
use crate::effect::{Effect, RequestId};
use crate::msg::CallError;

/// What the details overlay shows of an account connector.
#[derive(Debug, Clone, Default)]
pub struct ConnectorInfo {
    /// The account connector as `GET /v1.0/account/connectors/{id}` returned it (secrets
    /// masked in its raw form, `AuthValue` never shown).
    pub connector: AccountConnector,
    /// Its properties: from their own route, else from the object.
    pub properties: Vec<Property>,
    /// Where the properties came from when not from their route, and why.
    pub properties_note: Option<String>,
}

/// The details overlay: loading, shown, or why not.
#[derive(Debug)]
pub struct ConnectorDetails {
    /// The account connector's id and name as listed (shown while loading).
    pub id: i64,
    pub name: String,
    pub info: Loadable<Box<ConnectorInfo>>,
    /// First line shown.
    pub scroll: u16,
}

impl App {
    /// Opens the details of the selected account connector and loads them.
    pub(super) fn open_details(&mut self) -> Vec<Effect> {
        let selected = if self.focus == Pane::Connectors {
            self.connectors.selected()
        } else {
            let owner = self.methods.owner.as_ref().map(|o| o.account_connector_id);
            self.connectors
                .items
                .ready()
                .and_then(|items| items.iter().find(|c| c.id.is_some() && c.id == owner))
        };
        let Some((Some(account_connector_id), name)) =
            selected.map(|c| (c.id, c.name.clone().unwrap_or_default()))
        else {
            self.notify("choose an account connector first (in pane 1)", true);
            return Vec::new();
        };
        let id = self.next_request();
        let mut info = Loadable::Idle;
        info.start(id);
        self.overlays
            .push(Overlay::Details(Box::new(ConnectorDetails {
                id: account_connector_id,
                name,
                info,
                scroll: 0,
            })));
        vec![Effect::LoadDetails {
            id,
            account_connector_id,
        }]
    }

    /// The details arrived (or failed), if their overlay still waits for them.
    pub(super) fn details_loaded(
        &mut self,
        id: RequestId,
        result: Result<Box<ConnectorInfo>, CallError>,
    ) {
        let waiting = self.overlays.iter_mut().find_map(|overlay| match overlay {
            Overlay::Details(details) if details.info.waiting_for() == Some(id) => Some(details),
            _ => None,
        });
        if let Some(details) = waiting
            && let Some(info) = details.info.reply(id, result)
        {
            details.info = Loadable::Ready(info);
        }
    }

    /// An action while the details are open: scrolling, and closing.
    pub(super) fn details_act(&mut self, action: &Action) -> Vec<Effect> {
        let Some(Overlay::Details(details)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        match action {
            Action::Up => details.scroll = details.scroll.saturating_sub(1),
            Action::Down => details.scroll = details.scroll.saturating_add(1),
            Action::PageUp => details.scroll = details.scroll.saturating_sub(10),
            Action::PageDown => details.scroll = details.scroll.saturating_add(10),
            Action::Top => details.scroll = 0,
            Action::ToggleHelp | Action::Cancel => {
                let waiting = details.info.waiting_for();
                self.overlays.pop();
                return waiting.map(Effect::Cancel).into_iter().collect();
            }
            _ => {}
        }
        Vec::new()
    }
}
