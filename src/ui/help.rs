//! The `?` overlay: every key, generated from the keymap table, scrollable.

use super::{text_width, theme};
use crate::action::Action;
use crate::app::App;
use crate::keymap::Context;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

/// Width of the keys column.
const KEYS_WIDTH: usize = 24;

pub(super) fn render(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let [area] = Layout::horizontal([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Percentage(92)])
        .flex(Flex::Center)
        .areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme::FOCUS)
        .title(Line::from(Span::styled(
            format!(
                " Keys · ↑↓ PgUp PgDn scroll · {} closes ",
                app.keymap
                    .keys(Context::Help, &Action::ToggleHelp)
                    .split(' ')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            theme::TITLE,
        )));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let columns = if inner.width >= 110 { 2 } else { 1 };
    let areas = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(inner);
    let width = areas.first().map_or(0, |a| a.width as usize);
    let connection = connection_rows(app);
    let sections: Vec<Vec<Line>> = std::iter::once(("Connection", connection))
        .chain(app.keymap.help_sections().into_iter().map(|(title, rows)| {
            let rows = rows
                .into_iter()
                .map(|(keys, help)| (keys, help.to_string()))
                .collect();
            (title, rows)
        }))
        .map(|(title, rows)| {
            let mut lines = vec![Line::styled(title, theme::TITLE)];
            for (keys, help) in rows {
                lines.extend(key_lines(&keys, &help, width));
            }
            lines.push(Line::from(""));
            lines
        })
        .collect();
    let total: usize = sections.iter().map(Vec::len).sum();
    let mut column_lines: Vec<Vec<Line>> = vec![Vec::new(); columns];
    for section in sections {
        // Fill the first column up to half, then the next; sections are never split.
        let column =
            usize::from(columns > 1 && column_lines[0].len() + section.len() / 2 > total / 2);
        column_lines[column].extend(section);
    }
    let longest = column_lines.iter().map(Vec::len).max().unwrap_or(0);
    let max_scroll = longest.saturating_sub(inner.height as usize);
    let scroll = (scroll as usize).min(max_scroll) as u16;
    for (lines, area) in column_lines.into_iter().zip(areas.iter()) {
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), *area);
    }
}

/// Where the explorer is connected, how to connect it elsewhere, and where the log is.
fn connection_rows(app: &App) -> Vec<(String, String)> {
    let c = &app.connection;
    let mut rows = Vec::new();
    if c.demo {
        rows.push((
            "DEMO".to_string(),
            "this is the built-in demo sandbox. For a real Cyclr instance, quit and start \
             cyclr-tui with CYCLR_INSTANCE (us, us2, uk, eu or a base URL), CYCLR_ACCOUNT (the \
             account's API ID), and CYCLR_TOKEN or CYCLR_CLIENT_ID with CYCLR_CLIENT_SECRET."
                .to_string(),
        ));
    } else {
        rows.push((
            "Instance".to_string(),
            crate::text::inert(&c.instance).into_owned(),
        ));
        rows.push((
            "Account".to_string(),
            crate::text::inert(&c.account).into_owned(),
        ));
        rows.push(("Credentials".to_string(), c.auth.clone()));
    }
    let log = match &c.log_file {
        Some(path) => format!(
            "{} (written when CYCLR_LOG is set, e.g. CYCLR_LOG=debug)",
            crate::text::inert(path)
        ),
        None => "none: set --log-file, CYCLR_LOG_FILE or log_file in the config file".to_string(),
    };
    rows.push(("Log file".to_string(), log));
    rows
}

/// One binding: keys in the first column, the description wrapped beside them.
fn key_lines(keys: &str, help: &str, width: usize) -> Vec<Line<'static>> {
    let room = width.saturating_sub(KEYS_WIDTH + 2).max(10);
    let mut chunks: Vec<String> = vec![String::new()];
    for word in help.split(' ') {
        let last = chunks.last_mut().map_or(0, |c| text_width(c));
        if last > 0 && last + 1 + text_width(word) > room {
            chunks.push(String::new());
        }
        if let Some(chunk) = chunks.last_mut() {
            if !chunk.is_empty() {
                chunk.push(' ');
            }
            chunk.push_str(word);
        }
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let keys = if i == 0 { keys } else { "" };
            Line::from(vec![
                Span::styled(format!("  {keys:<KEYS_WIDTH$}"), theme::KEY),
                Span::raw(chunk),
            ])
        })
        .collect()
}
