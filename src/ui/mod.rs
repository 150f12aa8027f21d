//! Rendering only: `render(&App, &mut ViewState, &mut Frame)`. Domain state is read-only
//! here; scroll offsets and hit-test rectangles live in [`ViewState`].

mod answers;
mod confirm;
mod connectors;
mod details;
mod editor;
mod form;
mod help;
mod json_style;
mod layout;
mod list;
mod methods;
mod picker;
pub use picker::local_time;
pub(crate) use response::human_size;
mod response;
mod status;
mod table;
mod theme;

pub use json_style::highlight_json_line;

use crate::action::Pane;
use crate::app::{App, Overlay};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use std::collections::HashMap;

/// Smallest screen the explorer draws on; below it a notice is shown instead.
pub const MIN_WIDTH: u16 = 60;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 12;

/// What the renderer remembers between frames: list offsets and where each pane is.
#[derive(Debug, Default, Clone)]
pub struct ViewState {
    /// Each pane's outer rectangle at the last draw, for mouse hit-testing.
    pub panes: HashMap<Pane, Rect>,
    /// First visible row of each list.
    pub list_offset: HashMap<Pane, usize>,
    /// Text rows and columns of the response viewport.
    pub response_rows: usize,
    pub response_width: usize,
    /// Where each response tab's label is, for clicks.
    pub tabs: Vec<(Rect, crate::app::Tab)>,
    /// Rows of the list panes.
    pub list_rows: usize,
}

impl ViewState {
    /// The pane under a screen position.
    #[must_use]
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        self.panes
            .iter()
            .find(|(_, r)| {
                x >= r.x
                    && x < r.x.saturating_add(r.width)
                    && y >= r.y
                    && y < r.y.saturating_add(r.height)
            })
            .map(|(p, _)| *p)
    }

    /// The response tab whose label is at a screen position.
    #[must_use]
    pub fn tab_at(&self, x: u16, y: u16) -> Option<crate::app::Tab> {
        self.tabs
            .iter()
            .find(|(r, _)| r.contains(ratatui::layout::Position { x, y }))
            .map(|(_, tab)| *tab)
    }

    /// The list row under a screen position in a list pane (accounting for its scroll).
    #[must_use]
    pub fn list_row_at(&self, pane: Pane, y: u16) -> Option<usize> {
        let rect = self.panes.get(&pane)?;
        let first = rect.y.saturating_add(1);
        (y >= first && y < rect.y.saturating_add(rect.height).saturating_sub(1))
            .then(|| (y - first) as usize + self.list_offset.get(&pane).copied().unwrap_or(0))
    }
}

/// Draws the whole screen.
pub fn render(app: &App, view: &mut ViewState, frame: &mut Frame) {
    render_screen(app, view, frame);
    if app.no_color {
        without_colour(frame.buffer_mut());
    } else if app.light {
        theme::for_light_background(frame.buffer_mut());
    }
}

/// `NO_COLOR`: every colour goes; what a background colour marked (the selected row, a
/// badge, a search match) is shown reversed instead.
fn without_colour(buffer: &mut ratatui::buffer::Buffer) {
    use ratatui::style::{Color, Modifier};
    for cell in &mut buffer.content {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

fn render_screen(app: &App, view: &mut ViewState, frame: &mut Frame) {
    let area = frame.area();
    view.panes.clear();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let notice = format!(
            "Terminal too small ({}×{}). cyclr-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press Ctrl-C to quit.",
            area.width, area.height,
        );
        frame.render_widget(Paragraph::new(notice).wrap(Wrap { trim: true }), area);
        return;
    }
    let areas = layout::areas(area, app.focus);
    view.list_rows = areas.methods.height.saturating_sub(2) as usize;
    connectors::render(app, view, frame, areas.connectors);
    methods::render_list(app, view, frame, areas.methods);
    match areas.detail {
        Some(detail) if detail == areas.editor => methods::render_detail(app, frame, detail),
        Some(detail) => {
            methods::render_detail(app, frame, detail);
            editor::render(app, view, frame, areas.editor);
        }
        None => editor::render(app, view, frame, areas.editor),
    }
    response::render(app, view, frame, areas.response);
    status::render(app, frame, areas.status);
    for overlay in &app.overlays {
        match overlay {
            Overlay::Help { scroll } => help::render(app, *scroll, frame, areas.main),
            Overlay::ConfirmSend { lines, .. } => confirm::render(app, lines, frame, areas.main),
            Overlay::Accounts(picker) => picker::render_accounts(app, picker, frame, areas.main),
            Overlay::History(picker) => picker::render_history(app, picker, frame, areas.main),
            Overlay::Text(view) => picker::render_text(app, view, frame, areas.main),
            Overlay::Choices(choices) => picker::render_choices(app, choices, frame, areas.main),
            Overlay::Details(details) => details::render(app, details, frame, areas.main),
            Overlay::Copy(menu) => answers::render_copy_menu(app, menu, frame, areas.main),
            Overlay::Save(prompt) => answers::render_save_prompt(app, prompt, frame, areas.main),
            Overlay::Columns => {
                if let (Some(table), Some(exchange)) = (app.response.table(), app.response.shown())
                {
                    let table = table
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    table::render_column_picker(frame, areas.main, &table, &exchange.table);
                }
            }
        }
    }
}

/// A pane's frame: a thick border and a ▶ marker when focused, so focus shows in plain text too.
pub(crate) fn pane_block(title: Line<'static>, focused: bool) -> Block<'static> {
    let mut spans = vec![Span::raw(if focused { " ▶ " } else { " " })];
    spans.extend(title.spans);
    spans.push(Span::raw(" "));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(spans));
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme::FOCUS)
    } else {
        block.border_style(theme::DIM)
    }
}

/// Braille spinner frame for the `ticks`-th tick.
pub(crate) fn spinner(ticks: u64) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[(ticks % 10) as usize]
}

/// Centred text for an empty, loading or failed pane.
pub(crate) fn placeholder(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// Display width of `s` in terminal columns.
pub(crate) fn text_width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` cut to at most `max` columns, ending in `…` when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if text_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&out) + text_width(c.encode_utf8(&mut [0; 4])) + 1 > max {
            break;
        }
        out.push(c);
    }
    if max > 0 {
        out.push('…');
    }
    out
}
