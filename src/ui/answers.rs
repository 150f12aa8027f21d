//! The small overlays of the response viewer: the copy menu and the save prompt.

use super::theme;
use crate::action::Action;
use crate::app::{App, CopyMenu, SavePrompt};
use crate::keymap::Context;
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

/// A box of `width`×`height` (at most `area`) centred in `area`, cleared, with `title`;
/// returns its inside.
fn centred(frame: &mut Frame, area: Rect, (width, height): (u16, u16), title: String) -> Rect {
    let [area] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme::FOCUS)
        .title(Line::from(Span::styled(title, theme::TITLE)));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    inner
}

/// `y`: each thing there is to copy, with the key that copies it.
pub(super) fn render_copy_menu(app: &App, menu: &CopyMenu, frame: &mut Frame, area: Rect) {
    let close = app.keymap.key(Context::Menu, &Action::Cancel);
    let height = u16::try_from(menu.choices.len() + 2).unwrap_or(u16::MAX);
    let inner = centred(
        frame,
        area,
        (44, height),
        format!(" Copy · {close} closes "),
    );
    let lines: Vec<Line> = menu
        .choices
        .iter()
        .enumerate()
        .map(|(i, what)| {
            let line = Line::from(vec![
                Span::styled(format!(" {} ", what.key()), theme::KEY),
                Span::raw(what.label()),
            ]);
            if i == menu.selected {
                line.style(theme::SELECTED)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `s`: the file name being typed, and why the last try did not save.
pub(super) fn render_save_prompt(app: &App, prompt: &SavePrompt, frame: &mut Frame, area: Rect) {
    let key = |action| app.keymap.key(Context::Prompt, &action);
    let title = format!(
        " Save {} to · {} saves · {} closes ",
        super::response::human_size(prompt.text.len()),
        key(Action::Select),
        key(Action::Cancel)
    );
    let width = area.width.saturating_mul(4) / 5;
    let inner = centred(frame, area, (width, 5), title);
    let mut lines = vec![Line::from(vec![
        Span::styled(inert(&prompt.path).into_owned(), theme::WARN),
        Span::raw("▏"),
    ])];
    if prompt.waiting {
        lines.push(Line::styled("saving…", theme::DIM));
    } else if let Some(error) = &prompt.error {
        lines.push(Line::styled(inert(error).into_owned(), theme::ERROR));
    } else {
        lines.push(Line::styled(
            "relative to the folder the explorer was started in; a file there is not replaced without asking",
            theme::DIM,
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
