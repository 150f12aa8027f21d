//! Rendering only: `render(&App, &mut ViewState, &mut Frame)`. Domain state is read-only
//! here; scroll offsets and hit-test rectangles live in [`ViewState`].

mod connectors;
mod editor;
mod help;
mod json_style;
mod methods;
mod response;
mod theme;

pub use json_style::highlight_json_line;

use crate::action::Pane;
use crate::app::{App, FilteredList, Loadable, Mode};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use std::collections::HashMap;

/// Smallest screen the explorer draws on; below it a notice is shown instead.
pub const MIN_WIDTH: u16 = 60;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 12;
/// From this width the methods pane gets its own column with the method detail below it.
const WIDE: u16 = 120;

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
    pub fn tab_at(&self, x: u16, y: u16) -> Option<crate::app::Tab> {
        self.tabs
            .iter()
            .find(|(r, _)| r.contains(ratatui::layout::Position { x, y }))
            .map(|(_, tab)| *tab)
    }

    /// The list row under a screen position in a list pane (accounting for its scroll).
    pub fn list_row_at(&self, pane: Pane, y: u16) -> Option<usize> {
        let rect = self.panes.get(&pane)?;
        let first = rect.y.saturating_add(1);
        (y >= first && y < rect.y.saturating_add(rect.height).saturating_sub(1))
            .then(|| (y - first) as usize + self.list_offset.get(&pane).copied().unwrap_or(0))
    }
}

/// Draws the whole screen.
pub fn render(app: &App, view: &mut ViewState, frame: &mut Frame) {
    let area = frame.area();
    view.panes.clear();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let notice = format!(
            "Terminal too small ({}×{}). cyclr-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(notice).wrap(Wrap { trim: true }), area);
        return;
    }
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let (connectors, methods, detail, editor, response) = if area.width >= WIDE {
        let [left, middle, right] = Layout::horizontal([
            Constraint::Percentage(27),
            Constraint::Percentage(29),
            Constraint::Percentage(44),
        ])
        .areas(main);
        let [methods, detail] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(middle);
        let [editor, response] =
            Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(right);
        (left, methods, Some(detail), editor, response)
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
                .areas(main);
        let [connectors, methods] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(left);
        let [editor, response] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right);
        // Narrow screens show the method detail in the editor's place while browsing methods.
        let detail = (app.focus == Pane::Methods).then_some(editor);
        (connectors, methods, detail, editor, response)
    };
    view.list_rows = methods.height.saturating_sub(2) as usize;
    connectors::render(app, view, frame, connectors);
    methods::render_list(app, view, frame, methods);
    match detail {
        Some(area) if area == editor => methods::render_detail(app, frame, area),
        Some(area) => {
            methods::render_detail(app, frame, area);
            editor::render(app, view, frame, editor);
        }
        None => editor::render(app, view, frame, editor),
    }
    response::render(app, view, frame, response);
    render_status(app, frame, status);
    if app.help_open {
        help::render(app, frame, main);
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

/// What a list pane says in its states without rows.
pub(crate) struct ListWords {
    /// The items, as in "Loading account connectors…".
    pub what: &'static str,
    pub idle: &'static str,
    pub empty: &'static str,
    pub retry: &'static str,
}

/// One visible row of a list pane, as [`render_list_pane`] asks for it.
pub(crate) struct ListRow {
    /// Position among the visible (filtered) rows.
    pub row: usize,
    /// The first visible row drawn (rows above it are scrolled away).
    pub first: usize,
    /// The item's index in the pane's items.
    pub item: usize,
    pub selected: bool,
    pub width: u16,
}

/// Draws a list pane: its frame titled `title` (focus shown), the filter line, the state
/// when there are no rows, else the visible window of rows made by `row`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_list_pane<T>(
    app: &App,
    view: &mut ViewState,
    frame: &mut Frame,
    area: Rect,
    pane: Pane,
    title: Line<'static>,
    (list, items): (&FilteredList, &Loadable<Vec<T>>),
    words: &ListWords,
    row: impl Fn(&[T], ListRow) -> Line<'static>,
) {
    view.panes.insert(pane, area);
    let block = pane_block(title, app.focus == pane);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = filter_line(frame, inner, list.filter(), app.mode == Mode::Filter(pane));
    let visible = list.visible();
    let Some(items) = list_state(app, frame, inner, items, visible.len(), words) else {
        return;
    };
    let rows = inner.height as usize;
    let first = window(view, pane, list.selected(), rows, visible.len());
    let lines: Vec<Line> = (first..visible.len().min(first + rows))
        .map(|r| {
            let place = ListRow {
                row: r,
                first,
                item: visible[r],
                selected: r == list.selected(),
                width: inner.width,
            };
            row(items, place)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Draws a list pane's idle, loading (with page progress), failed, empty or
/// nothing-matches state; returns the items when there are rows to draw instead.
pub(crate) fn list_state<'a, T>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    items: &'a Loadable<Vec<T>>,
    visible: usize,
    words: &ListWords,
) -> Option<&'a [T]> {
    let line = match items {
        Loadable::Ready(items) if visible > 0 => return Some(items),
        Loadable::Idle => Line::from(words.idle),
        Loadable::Loading { progress, .. } => {
            let progress = match progress {
                Some(p) => match p.total_pages {
                    Some(total) => format!(" page {} of {total}, {} so far", p.page, p.items),
                    None => format!(" page {}, {} so far", p.page, p.items),
                },
                None => String::new(),
            };
            Line::from(format!(
                "{} Loading {}…{progress}",
                spinner(app.ticks),
                words.what
            ))
        }
        Loadable::Failed(error) => {
            let failed = format!(
                "Could not load the {}: {}",
                words.what,
                crate::text::inert(&error.to_string())
            );
            let mut lines = vec![Line::styled(failed, theme::ERROR), Line::from("")];
            if let Some(advice) = crate::hint::advice(error, crate::hint::Face::Explorer) {
                lines.push(Line::from(crate::text::inert(&advice).into_owned()));
            }
            if crate::hint::retry_helps(error) {
                lines.push(Line::from(words.retry));
            }
            placeholder(frame, area, lines);
            return None;
        }
        Loadable::Ready(items) if items.is_empty() => Line::from(words.empty),
        Loadable::Ready(_) => Line::from("Nothing matches the filter. Esc clears it."),
    };
    placeholder(frame, area, vec![line]);
    None
}

/// Centred text for an empty, loading or failed pane.
pub(crate) fn placeholder(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// Below this width list rows show names only (the ids are in the titles and the detail).
const ROW_IDS_FROM: usize = 40;

/// A list row that fits `width`: `›` when selected, then `prefix` and `name` on the left,
/// `detail` and `key` right-aligned. `detail` shows when everything fits in a wide list; `key` (the id) on
/// every row of a list at least [`ROW_IDS_FROM`] wide, so columns stay aligned; `name` is
/// shortened with `…` when it must.
pub(crate) fn list_row(
    prefix: Vec<Span<'static>>,
    name: String,
    detail: String,
    key: String,
    selected: bool,
    width: u16,
) -> Line<'static> {
    let width = width as usize;
    let fixed = 1 + prefix.iter().map(Span::width).sum::<usize>();
    let name_width = text_width(&name);
    let key = if width >= ROW_IDS_FROM {
        key
    } else {
        String::new()
    };
    let detail = if width >= ROW_IDS_FROM
        && fixed + name_width + text_width(&detail) + text_width(&key) <= width
    {
        detail
    } else {
        String::new()
    };
    let right = text_width(&detail) + text_width(&key);
    let name = shorten(&name, width.saturating_sub(fixed + right));
    let pad = width.saturating_sub(fixed + text_width(&name) + right);
    let mut spans = vec![Span::raw(if selected { "›" } else { " " })];
    spans.extend(prefix);
    spans.push(Span::raw(name));
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(detail, theme::DIM));
    spans.push(Span::styled(key, theme::DIM));
    let line = Line::from(spans);
    if selected {
        line.style(theme::SELECTED)
    } else {
        line
    }
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

/// Draws a list's filter on the pane's bottom row while it is typed or kept, and returns
/// the rows left for the list.
pub(crate) fn filter_line(frame: &mut Frame, area: Rect, filter: &str, typing: bool) -> Rect {
    if !typing && filter.is_empty() || area.height < 2 {
        return area;
    }
    let [list, line] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let text = if typing {
        format!("/{}▏  Enter keeps · Esc clears", crate::text::inert(filter))
    } else {
        format!("/{}  (/ to change)", crate::text::inert(filter))
    };
    frame.render_widget(Paragraph::new(Line::styled(text, theme::WARN)), line);
    list
}

/// Keeps `selected` inside a window of `rows` rows starting at the stored offset.
pub(crate) fn window(
    view: &mut ViewState,
    pane: Pane,
    selected: usize,
    rows: usize,
    len: usize,
) -> usize {
    let rows = rows.max(1);
    let mut offset = view.list_offset.get(&pane).copied().unwrap_or(0);
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    offset = offset.min(len.saturating_sub(rows));
    view.list_offset.insert(pane, offset);
    offset
}

fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let c = &app.connection;
    let mut spans = Vec::new();
    if c.demo {
        spans.push(Span::styled(" DEMO ", theme::DEMO));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        format!(
            "{} @ {}",
            crate::text::inert(&c.account),
            crate::text::inert(&c.instance)
        ),
        theme::DIM,
    ));
    if let Some(notice) = &app.notice {
        spans.push(Span::raw("  "));
        let style = if notice.is_error {
            theme::ERROR
        } else {
            Style::default()
        };
        spans.push(Span::styled(
            crate::text::inert(&notice.text).into_owned(),
            style,
        ));
    }
    if !c.demo && !c.auth.is_empty() && app.notice.is_none() {
        spans.push(Span::styled(
            format!(" · {}", crate::text::inert(&c.auth)),
            theme::DIM,
        ));
    }
    let hint = Span::styled(
        if c.demo {
            "  ? help, how to connect  q quit "
        } else {
            "  ? help  q quit "
        },
        theme::DIM.add_modifier(Modifier::ITALIC),
    );
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(hint.width() as u16)])
            .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(Line::from(hint)), right);
}
