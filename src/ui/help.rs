//! The `?` overlay: every key, generated from the keymap table.

use super::theme;
use crate::keymap::help_sections;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

pub(super) fn render(frame: &mut Frame, area: Rect) {
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
            " Keys (Esc or ? closes) ",
            theme::TITLE,
        )));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let sections = help_sections();
    let columns = if inner.width >= 100 { 2 } else { 1 };
    let areas = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(inner);
    let mut column_lines: Vec<Vec<Line>> = vec![Vec::new(); columns];
    let total: usize = sections.iter().map(|(_, rows)| rows.len() + 2).sum();
    let mut used = 0;
    for (title, rows) in sections {
        let column = (used * columns / total.max(1)).min(columns - 1);
        used += rows.len() + 2;
        let lines = &mut column_lines[column];
        lines.push(Line::styled(title, theme::TITLE));
        for (keys, help) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), theme::KEY),
                Span::raw(help),
            ]));
        }
        lines.push(Line::from(""));
    }
    for (lines, area) in column_lines.into_iter().zip(areas.iter()) {
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), *area);
    }
}
