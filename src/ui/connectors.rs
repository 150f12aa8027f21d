//! Pane 1: the account connectors.

use super::list::{ListView, ListWords, list_row};
use super::{ViewState, theme};
use crate::action::Pane;
use crate::app::{App, Loadable};
use crate::cyclr::AccountConnector;
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub(super) fn render(app: &App, view: &mut ViewState, frame: &mut Frame, area: Rect) {
    let pane = &app.connectors;
    let count = match &pane.items {
        Loadable::Ready(items) if pane.list.visible().len() == items.len() => {
            format!(" ({})", items.len())
        }
        Loadable::Ready(items) => format!(" ({} of {})", pane.list.visible().len(), items.len()),
        _ => String::new(),
    };
    let title = Line::from(vec![
        Span::styled("1 Account connectors", theme::TITLE),
        Span::raw(count),
    ]);
    let reload = app.keymap.key(
        crate::keymap::Context::Global,
        &crate::action::Action::Reload,
    );
    let words = ListWords {
        what: "account connectors",
        idle: format!("Not loaded yet. Press {reload} to load."),
        empty: "This account has no connectors installed.",
    };
    let view_of = ListView {
        pane: Pane::Connectors,
        title,
        words,
        data: pane,
    };
    view_of.render(app, view, frame, area, |items, place| {
        row_line(&items[place.item], place.selected, place.width)
    });
}

fn row_line(c: &AccountConnector, selected: bool, width: u16) -> Line<'static> {
    let auth = match c.authenticated {
        Some(true) => Span::styled("✓ ", theme::OK),
        Some(false) => Span::styled("✗ ", theme::ERROR),
        None => Span::styled("? ", theme::DIM),
    };
    let mut prefix = vec![auth];
    if c.is_partner() {
        prefix.push(Span::styled("★ ", theme::WARN));
    }
    let connector = c.connector.as_ref();
    let detail = format!(
        " {}{}",
        inert(connector.and_then(|c| c.name.as_deref()).unwrap_or("?")),
        connector
            .and_then(|c| c.version.as_deref())
            .map(|v| format!(" {}", inert(v)))
            .unwrap_or_default(),
    );
    let key = format!(" #{}", c.id.map_or_else(|| "?".into(), |id| id.to_string()));
    let name = inert(c.name.as_deref().unwrap_or("(unnamed)")).into_owned();
    list_row(prefix, &name, detail, key, selected, width)
}
