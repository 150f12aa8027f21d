//! Pane 1: the account connectors.

use super::{ListWords, ViewState, filter_line, list_row, list_state, pane_block, theme, window};
use crate::action::Pane;
use crate::app::{App, Loadable, Mode};
use crate::cyclr::AccountConnector;
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(app: &App, view: &mut ViewState, frame: &mut Frame, area: Rect) {
    view.panes.insert(Pane::Connectors, area);
    let pane = &app.connectors;
    let focused = app.focus == Pane::Connectors;
    let count = match &pane.items {
        Loadable::Ready(items) if pane.list.visible().len() == items.len() => {
            format!(" ({})", items.len())
        }
        Loadable::Ready(items) => format!(" ({} of {})", pane.list.visible().len(), items.len()),
        _ => String::new(),
    };
    let title = vec![
        Span::styled("1 Account connectors", theme::TITLE),
        Span::raw(count),
    ];
    let block = pane_block(Line::from(title), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let typing = app.mode == Mode::Filter(Pane::Connectors);
    let inner = filter_line(frame, inner, pane.list.filter(), typing);
    let words = ListWords {
        what: "account connectors",
        idle: "Not loaded yet. Press r to load.",
        empty: "This account has no connectors installed.",
        retry: "Press r to try again.",
    };
    let visible = pane.list.visible();
    let Some(items) = list_state(app, frame, inner, &pane.items, visible.len(), &words) else {
        return;
    };
    let rows = inner.height as usize;
    let offset = window(
        view,
        Pane::Connectors,
        pane.list.selected(),
        rows,
        visible.len(),
    );
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(row, &i)| row_line(&items[i], row == pane.list.selected(), inner.width))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
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
    let key = format!(
        " #{}",
        c.id.map(|id| id.to_string()).unwrap_or_else(|| "?".into())
    );
    let name = inert(c.name.as_deref().unwrap_or("(unnamed)")).into_owned();
    list_row(prefix, name, detail, key, selected, width)
}
