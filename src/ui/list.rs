//! The list pane widget shared by every list (account connectors, methods, and the pickers
//! to come): its frame with the focus marker, the filter line, the loading, failed and empty
//! states, and the visible window of rows.

use super::{ViewState, pane_block, placeholder, shorten, spinner, text_width, theme};
use crate::action::Pane;
use crate::app::{App, FilteredList, ListPane, Loadable, Mode};
use crate::keymap::Context;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a list pane says in its states without rows.
pub(crate) struct ListWords {
    /// The items, as in "Loading account connectors…".
    pub what: &'static str,
    pub idle: String,
    pub empty: &'static str,
}

/// One visible row of a list pane, as [`ListView::render`] asks for it.
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

/// A list pane to draw: which pane it is, its title and words, and its data.
pub(crate) struct ListView<'a, T> {
    pub pane: Pane,
    pub title: Line<'static>,
    pub words: ListWords,
    pub data: &'a ListPane<T>,
}

impl<T> ListView<'_, T> {
    /// Draws the pane in `area`; `row` makes each visible row's line.
    pub fn render(
        self,
        app: &App,
        view: &mut ViewState,
        frame: &mut Frame,
        area: Rect,
        row: impl Fn(&[T], ListRow) -> Line<'static>,
    ) {
        view.panes.insert(self.pane, area);
        let block = pane_block(self.title, app.focus == self.pane);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let list: &FilteredList = &self.data.list;
        let typing = app.mode == Mode::Filter(self.pane);
        let inner = filter_line(app, frame, inner, list.filter(), typing);
        let visible = list.visible();
        let Some(items) = list_state(
            app,
            frame,
            inner,
            &self.data.items,
            visible.len(),
            &self.words,
        ) else {
            return;
        };
        let rows = inner.height as usize;
        let first = window(view, self.pane, list.selected(), rows, visible.len());
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
}

/// Draws a list pane's idle, loading (with page progress), failed, empty or
/// nothing-matches state; returns the items when there are rows to draw instead.
fn list_state<'a, T>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    items: &'a Loadable<Vec<T>>,
    visible: usize,
    words: &ListWords,
) -> Option<&'a [T]> {
    let keys = &app.keymap;
    let line = match items {
        Loadable::Ready(items) if visible > 0 => return Some(items),
        Loadable::Idle => Line::from(words.idle.clone()),
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
                lines.push(Line::from(format!(
                    "Press {} (in this pane) to try again.",
                    keys.key(Context::Global, &crate::action::Action::Reload)
                )));
            }
            placeholder(frame, area, lines);
            return None;
        }
        Loadable::Ready(items) if items.is_empty() => Line::from(words.empty),
        Loadable::Ready(_) => Line::from(format!(
            "Nothing matches the filter. {} clears it.",
            keys.key(Context::TextLine, &crate::action::Action::Cancel)
        )),
    };
    placeholder(frame, area, vec![line]);
    None
}

/// Below this width list rows show names only (the ids are in the titles and the detail).
const ROW_IDS_FROM: usize = 40;

/// A list row that fits `width`: `›` when selected, then `prefix` and `name` on the left,
/// `detail` and `key` right-aligned. `detail` shows when everything fits in a wide list; `key` (the id) on
/// every row of a list at least [`ROW_IDS_FROM`] wide, so columns stay aligned; `name` is
/// shortened with `…` when it must.
pub(crate) fn list_row(
    prefix: Vec<Span<'static>>,
    name: &str,
    detail: String,
    key: String,
    selected: bool,
    width: u16,
) -> Line<'static> {
    let width = width as usize;
    let fixed = 1 + prefix.iter().map(Span::width).sum::<usize>();
    let name_width = text_width(name);
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
    let name = shorten(name, width.saturating_sub(fixed + right));
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

/// Draws a list's filter on the pane's bottom row while it is typed or kept, and returns
/// the rows left for the list.
fn filter_line(app: &App, frame: &mut Frame, area: Rect, filter: &str, typing: bool) -> Rect {
    if !typing && filter.is_empty() || area.height < 2 {
        return area;
    }
    let [list, line] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let keys = &app.keymap;
    let text = if typing {
        format!(
            "/{}▏  {} keeps · {} clears",
            crate::text::inert(filter),
            keys.key(Context::TextLine, &crate::action::Action::Select),
            keys.key(Context::TextLine, &crate::action::Action::Cancel)
        )
    } else {
        format!(
            "/{}  ({} to change)",
            crate::text::inert(filter),
            keys.key(Context::Lists, &crate::action::Action::StartFilter)
        )
    };
    frame.render_widget(Paragraph::new(Line::styled(text, theme::WARN)), line);
    list
}

/// Keeps `selected` inside a window of `rows` rows starting at the stored offset.
fn window(view: &mut ViewState, pane: Pane, selected: usize, rows: usize, len: usize) -> usize {
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
