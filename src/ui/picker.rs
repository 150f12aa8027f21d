//! The account picker, the history overlay, a form row's choices and the text overlay (a
//! diff): centred boxes over the panes, with their filter line and their keys in the title.

use super::theme;
use crate::action::Action;
use crate::app::{
    AccountPicker, App, ChoicePicker, ChoiceSource, HistoryPicker, HistoryScope, ListPane,
    Loadable, TextView,
};
use crate::history::Summary;
use crate::keymap::Context;
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

/// A centred box of most of `area`, cleared, with `title`; returns its inside.
pub(super) fn boxed(frame: &mut Frame, area: Rect, title: String) -> Rect {
    let [area] = Layout::horizontal([Constraint::Percentage(92)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Percentage(90)])
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

/// The filter line, the status (loading, error, counts) and the rows of `list`, drawn by
/// `row` (item, selected) into `area`.
fn list_body<T>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    list: &ListPane<T>,
    (what, empty): (&str, &str),
    mut row: impl FnMut(&T, usize) -> Line<'static>,
) {
    let [top, rows] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let filter = list.list.filter();
    let shown = list.list.visible().len();
    let status = match &list.items {
        Loadable::Idle | Loadable::Loading { .. } => {
            format!("{} loading {what}…", super::spinner(app.ticks))
        }
        Loadable::Failed(_) => format!("cannot load {what}:"),
        Loadable::Ready(items) if items.is_empty() => empty.to_string(),
        Loadable::Ready(items) => format!("{shown} of {} {what}", items.len()),
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("filter: {}▏", inert(filter)), theme::WARN),
            Span::styled(format!("  {status}"), theme::DIM),
        ])),
        top,
    );
    if let Loadable::Failed(e) = &list.items {
        // The whole explanation, wrapped: the advice is the part that helps.
        frame.render_widget(
            Paragraph::new(Line::styled(
                crate::hint::with_advice(e, crate::hint::Face::Explorer),
                theme::ERROR,
            ))
            .wrap(ratatui::widgets::Wrap { trim: true }),
            rows,
        );
    }
    let Some(items) = list.items.ready() else {
        return;
    };
    let height = rows.height as usize;
    let selected = list.list.selected();
    let first = selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = list
        .list
        .visible()
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .filter_map(|(pos, &i)| {
            let mut line = row(items.get(i)?, usize::from(rows.width));
            if pos == selected {
                line = line.patch_style(theme::SELECTED.add_modifier(Modifier::BOLD));
                line.spans.insert(0, Span::raw("›"));
            } else {
                line.spans.insert(0, Span::raw(" "));
            }
            Some(line)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
}

/// The account picker.
pub(super) fn render_accounts(app: &App, picker: &AccountPicker, frame: &mut Frame, area: Rect) {
    let key = |action| app.keymap.key(Context::Picker, &action);
    let inner = boxed(
        frame,
        area,
        format!(
            " Accounts · type to filter · {} switch · {} close ",
            key(Action::Select),
            key(Action::Cancel)
        ),
    );
    let area = match &picker.note {
        Some(note) => {
            let [note_area, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
            frame.render_widget(
                Paragraph::new(Line::styled(inert(note).into_owned(), theme::WARN)),
                note_area,
            );
            rest
        }
        None => inner,
    };
    let words = ("accounts", "no accounts for these credentials");
    list_body(app, frame, area, &picker.list, words, |account, _| {
        let id = account.id.as_deref().unwrap_or("?");
        let current = id == picker.current;
        let mut spans = vec![
            Span::raw(if current { "● " } else { "  " }),
            Span::raw(inert(account.name.as_deref().unwrap_or("(no name)")).into_owned()),
            Span::styled(format!("  {}", inert(id)), theme::DIM),
        ];
        if current {
            spans.push(Span::styled("  (current)", theme::OK));
        }
        Line::from(spans)
    });
}

/// The history overlay.
pub(super) fn render_history(app: &App, picker: &HistoryPicker, frame: &mut Frame, area: Rect) {
    let key = |action| app.keymap.key(Context::Picker, &action);
    let scope = match &picker.scope {
        HistoryScope::Method { name, .. } => format!("History of {}", inert(name)),
        HistoryScope::All => "History of every call".to_string(),
    };
    let inner = boxed(
        frame,
        area,
        format!(
            " {scope} · {} show · {} again · {} mark · {} compare · {} all/method · {} close ",
            key(Action::Select),
            key(Action::Rerun),
            key(Action::ToggleMark),
            key(Action::Diff),
            key(Action::ToggleScope),
            key(Action::Cancel)
        ),
    );
    let all = picker.scope == HistoryScope::All;
    let empty = if all {
        "no calls recorded yet".to_string()
    } else {
        format!(
            "no calls of this method recorded yet; {} shows every call",
            key(Action::ToggleScope)
        )
    };
    list_body(
        app,
        frame,
        inner,
        &picker.list,
        ("calls", &empty),
        |entry, width| history_row(entry, picker.marked.contains(&entry.id), all, width),
    );
}

/// One recorded call: mark, time, status, time taken, size, method (and connector).
fn history_row(entry: &Summary, marked: bool, all: bool, width: usize) -> Line<'static> {
    let (status, style) = match entry.status {
        Some(s @ 200..=299) => (s.to_string(), theme::OK),
        Some(s @ 300..=499) => (s.to_string(), theme::WARN),
        Some(s) => (s.to_string(), theme::ERROR),
        None => ("err".to_string(), theme::ERROR),
    };
    let method = if entry.method_name.is_empty() {
        entry
            .method_uid
            .clone()
            .or_else(|| entry.method_id.map(|i| format!("#{i}")))
            .unwrap_or_default()
    } else {
        entry.method_name.clone()
    };
    let mut what = format!("{} · {}", inert(&method), entry.endpoint);
    if all {
        what = format!("{what} · {}", inert(&entry.connector_name));
    }
    let left = format!(
        "{} {}  ",
        if marked { "◆" } else { " " },
        local_time(entry.time_ms)
    );
    let right = format!(
        " {:>6} ms {:>8}  ",
        entry.elapsed_ms,
        super::response::human_size(usize::try_from(entry.size).unwrap_or(usize::MAX))
    );
    let room = width.saturating_sub(left.chars().count() + 4 + right.chars().count() + 1);
    Line::from(vec![
        Span::styled(left, if marked { theme::WARN } else { theme::DIM }),
        Span::styled(format!("{status:>3} "), style),
        Span::raw(right),
        Span::raw(crate::text::truncate(&what, room).into_owned()),
    ])
}

/// `2026-12-02 14:03:12` in local time, from unix milliseconds.
#[must_use]
pub fn local_time(time_ms: i64) -> String {
    let secs = time_ms.div_euclid(1000);
    let t: libc::time_t = secs;
    // SAFETY: localtime_r reads `t` and writes only into the `tm` we own.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&raw const t, &raw mut tm) }.is_null() {
        return String::new();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// A text overlay (the differences between two responses).
pub(super) fn render_text(app: &App, view: &TextView, frame: &mut Frame, area: Rect) {
    let close = app.keymap.key(Context::Help, &Action::ToggleHelp);
    let inner = boxed(
        frame,
        area,
        format!(
            " {} · ↑↓ PgUp PgDn scroll · {} closes ",
            inert(&view.title),
            close.split(' ').next().unwrap_or("Esc")
        ),
    );
    let lines: Vec<Line> = view
        .lines
        .iter()
        .skip(view.scroll)
        .take(inner.height as usize)
        .map(|l| {
            let style = match l.chars().next() {
                Some('+') => theme::OK,
                Some('-') => theme::ERROR,
                Some('~') => theme::WARN,
                _ => theme::DIM,
            };
            Line::styled(inert(l).into_owned(), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A form row's picker: allowed values or lookup results as `label — id`, filtered as you
/// type; the row's value now is marked.
pub(super) fn render_choices(app: &App, picker: &ChoicePicker, frame: &mut Frame, area: Rect) {
    let key = |action| app.keymap.key(Context::Picker, &action);
    let (source, refresh) = match &picker.source {
        ChoiceSource::Values => ("allowed values".to_string(), String::new()),
        ChoiceSource::Lookup(lookup) => (
            format!(
                "lookup: {} on #{}",
                inert(&lookup.name),
                lookup.account_connector_id
            ),
            format!(" · {} refresh", key(Action::Rerun)),
        ),
    };
    let inner = boxed(
        frame,
        area,
        format!(
            " {} · {source} · type to filter · {} choose{refresh} · {} keeps the value ",
            inert(&picker.row_name),
            key(Action::Select),
            key(Action::Cancel)
        ),
    );
    let empty = match &picker.source {
        ChoiceSource::Values => "no allowed values",
        ChoiceSource::Lookup(_) => "the lookup found no items",
    };
    list_body(
        app,
        frame,
        inner,
        &picker.list,
        ("choices", empty),
        |choice, width| {
            let current = choice.id == picker.current;
            let mark = if current { "● " } else { "  " };
            let mut spans = vec![Span::raw(mark)];
            if choice.label == choice.id {
                spans.push(Span::raw(
                    crate::text::truncate(&inert(&choice.id), width.saturating_sub(4)).into_owned(),
                ));
            } else {
                let label = crate::text::truncate(&inert(&choice.label), width / 2).into_owned();
                spans.push(Span::raw(label));
                spans.push(Span::styled(
                    format!(" — {}", inert(&choice.id)),
                    theme::DIM,
                ));
            }
            if current {
                spans.push(Span::styled("  (now)", theme::OK));
            }
            Line::from(spans)
        },
    );
}
