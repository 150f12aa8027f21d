//! Pane 1: the account connectors.

use super::{ViewState, mark_selected, pane_block, placeholder, spinner, theme, window};
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
    let mut title = vec![
        Span::styled("1 Account connectors", theme::TITLE),
        Span::raw(count),
    ];
    filter_title(
        &mut title,
        pane.list.filter(),
        app.mode == Mode::Filter(Pane::Connectors),
    );
    let block = pane_block(Line::from(title), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match &pane.items {
        Loadable::Idle => placeholder(
            frame,
            inner,
            vec![Line::from("Not loaded yet. Press r to load.")],
        ),
        Loadable::Loading { progress, .. } => {
            let what = match progress {
                Some(p) => match p.total_pages {
                    Some(total) => format!("page {} of {total}, {} so far", p.page, p.items),
                    None => format!("page {}, {} so far", p.page, p.items),
                },
                None => "first page".into(),
            };
            placeholder(
                frame,
                inner,
                vec![Line::from(format!(
                    "{} Loading account connectors… {what}",
                    spinner(app.ticks)
                ))],
            );
        }
        Loadable::Failed(error) => placeholder(
            frame,
            inner,
            vec![
                Line::styled(
                    format!("Could not load the account connectors: {}", inert(error)),
                    theme::ERROR,
                ),
                Line::from(""),
                Line::from("Press r to try again."),
            ],
        ),
        Loadable::Ready(items) if items.is_empty() => placeholder(
            frame,
            inner,
            vec![Line::from("This account has no connectors installed.")],
        ),
        Loadable::Ready(_) if pane.list.visible().is_empty() => placeholder(
            frame,
            inner,
            vec![Line::from("Nothing matches the filter. Esc clears it.")],
        ),
        Loadable::Ready(items) => {
            let rows = inner.height as usize;
            let visible = pane.list.visible();
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
    }
}

/// Adds the filter (being typed, or kept) to a list pane's title.
pub(super) fn filter_title(title: &mut Vec<Span<'static>>, filter: &str, typing: bool) {
    if typing {
        title.push(Span::styled(format!(" /{}▏", inert(filter)), theme::WARN));
    } else if !filter.is_empty() {
        title.push(Span::styled(format!(" /{}", inert(filter)), theme::WARN));
    }
}

fn row_line(c: &AccountConnector, selected: bool, width: u16) -> Line<'static> {
    let auth = match c.authenticated {
        Some(true) => Span::styled("✓ ", theme::OK),
        Some(false) => Span::styled("✗ ", theme::ERROR),
        None => Span::styled("? ", theme::DIM),
    };
    let name = inert(c.name.as_deref().unwrap_or("(unnamed)")).into_owned();
    let connector = c.connector.as_ref();
    let kind = format!(
        " {}{} #{}",
        inert(connector.and_then(|c| c.name.as_deref()).unwrap_or("?")),
        connector
            .and_then(|c| c.version.as_deref())
            .map(|v| format!(" {}", inert(v)))
            .unwrap_or_default(),
        c.id.map(|id| id.to_string()).unwrap_or_else(|| "?".into()),
    );
    let mut spans = vec![auth];
    if c.is_partner() {
        spans.push(Span::styled("★ ", theme::WARN));
    }
    spans.push(Span::raw(name));
    spans.push(Span::styled(kind, theme::DIM));
    let line = Line::from(spans);
    mark_selected(line, selected, width)
}
