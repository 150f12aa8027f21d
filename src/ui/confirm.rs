//! The confirmation of a write: what it is, where it goes, and the values it sends.

use super::theme;
use crate::action::Action;
use crate::app::App;
use crate::keymap::Context;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

pub(super) fn render(app: &App, lines: &[String], frame: &mut Frame, area: Rect) {
    let height = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let [area] = Layout::horizontal([Constraint::Percentage(80)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let key = |action| app.keymap.key(Context::Confirm, &action);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme::WARN)
        .title(Line::from(Span::styled(
            format!(
                " This changes data · {} sends · {} goes back ",
                key(Action::Select),
                key(Action::Cancel)
            ),
            theme::TITLE,
        )));
    let mut text: Vec<Line> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let shown = crate::text::inert(line).into_owned();
            if i == 0 {
                Line::styled(shown, theme::TITLE)
            } else {
                Line::from(shown)
            }
        })
        .collect();
    text.push(Line::from(""));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(block),
        area,
    );
}
