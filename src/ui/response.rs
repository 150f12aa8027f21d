//! Pane 3, bottom: status line, tabs, and the visible window of the response text.

use super::{ViewState, highlight_json_line, pane_block, placeholder, shorten, spinner, theme};
use crate::action::{Action, Pane};
use crate::app::{App, Mode, Outcome, Tab};
use crate::document::{BodyKind, ResponseDoc};
use crate::keymap::Context;
use crate::text::{inert, inert_multiline};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn render(app: &App, view: &mut ViewState, frame: &mut Frame, area: Rect) {
    view.panes.insert(Pane::Response, area);
    view.tabs.clear();
    let pane = &app.response;
    let block = pane_block(title(app, area.width), app.focus == Pane::Response);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    view.response_width = inner.width as usize;
    view.response_rows = inner.height as usize;
    let Some(exchange) = pane.shown() else {
        let text = format!(
            "No response yet. Choose a method, edit the request, then press {} to send.",
            app.keymap.send_keys()
        );
        return placeholder(frame, inner, vec![Line::styled(text, theme::DIM)]);
    };
    // While a call is in flight its own line says so, above whatever was there before.
    let inner = match &exchange.in_flight {
        Some(_) => {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
            let mut spans = vec![Span::styled(
                format!(
                    "{} calling {}… {} cancels",
                    spinner(app.ticks),
                    inert(&exchange.method),
                    app.keymap.key(Context::Global, &Action::Cancel)
                ),
                theme::WARN,
            )];
            if exchange.outcome.is_some() {
                spans.push(Span::styled(" · below: its previous response", theme::DIM));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), line);
            view.response_rows = rest.height as usize;
            rest
        }
        None => inner,
    };
    let doc = match &exchange.outcome {
        None => {
            if exchange.in_flight.is_some() {
                return;
            }
            let text = format!(
                "No response yet for this method. Press {} to send it.",
                app.keymap.send_keys()
            );
            return placeholder(frame, inner, vec![Line::styled(text, theme::DIM)]);
        }
        Some(Outcome::Failed(error)) => {
            return placeholder(
                frame,
                inner,
                vec![
                    Line::styled("No response:", theme::ERROR),
                    Line::styled(inert(&error.to_string()).into_owned(), theme::ERROR),
                ],
            );
        }
        Some(Outcome::NoResponse(why)) => {
            return placeholder(
                frame,
                inner,
                vec![
                    Line::styled("No response (recorded call):", theme::ERROR),
                    Line::styled(inert(why).into_owned(), theme::ERROR),
                ],
            );
        }
        Some(Outcome::TooLarge { message, kept }) => {
            let what = if kept.is_some() {
                format!(
                    "Press {} (in this pane) to save the body to a file in the current folder. It was kept when it arrived: the call is not made again.",
                    app.keymap.key(Context::Response, &Action::SaveBody)
                )
            } else {
                "The body was past the limit for keeping it too. To get it whole, stream it to a file with the command line: cyclr-tui call … > body".to_string()
            };
            return placeholder(
                frame,
                inner,
                vec![
                    Line::styled(inert(message).into_owned(), theme::WARN),
                    Line::from(""),
                    Line::from(what),
                ],
            );
        }
        Some(Outcome::Response(doc)) => doc,
    };
    let explanation = doc.explanation.as_ref().map(|e| {
        let style = if doc.response.status >= 500 || doc.response.status == 403 {
            theme::ERROR
        } else {
            theme::WARN
        };
        Paragraph::new(Line::styled(inert(e).into_owned(), style)).wrap(Wrap { trim: true })
    });
    let explanation_rows = explanation.as_ref().map_or(0, |p| {
        (p.line_count(inner.width) as u16).clamp(1, inner.height.saturating_sub(3).max(1))
    });
    let search = &exchange.search;
    let search_rows = u16::from(app.mode == Mode::Search || !search.query.is_empty());
    let jq_error = exchange.jq.error.as_ref().map(|e| {
        Paragraph::new(Line::styled(format!("✗ {}", inert(e)), theme::ERROR))
            .wrap(Wrap { trim: true })
    });
    let error_rows = jq_error
        .as_ref()
        .map_or(0, |p| (p.line_count(inner.width) as u16).clamp(1, 3));
    let jq_rows =
        u16::from(app.mode == Mode::Jq || !exchange.jq.text.is_empty()) * (1 + error_rows);
    let [tabs, explanation_area, body, jq_area, search_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(explanation_rows),
        Constraint::Min(1),
        Constraint::Length(jq_rows),
        Constraint::Length(search_rows),
    ])
    .areas(inner);
    if jq_rows > 0 {
        let [line, below] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(jq_area);
        frame.render_widget(
            Paragraph::new(jq_line(app, exchange, line.width as usize)),
            line,
        );
        if let Some(error) = jq_error {
            frame.render_widget(error, below);
        }
    }
    view.response_rows = body.height as usize;
    view.response_width = body.width as usize;
    frame.render_widget(Paragraph::new(tab_line(app, doc, view, tabs)), tabs);
    if let Some(paragraph) = explanation {
        frame.render_widget(paragraph, explanation_area);
    }
    render_body(app, doc, frame, body);
    if search_rows > 0 {
        let status = match (search.hit, search.not_found) {
            (_, true) => Span::styled("  not found", theme::ERROR),
            (Some(line), _) => Span::styled(
                format!(
                    "  line {}  ({} next, {} previous)",
                    line + 1,
                    app.keymap.key(Context::Response, &Action::SearchNext),
                    app.keymap.key(Context::Response, &Action::SearchPrevious)
                ),
                theme::DIM,
            ),
            _ => Span::raw(""),
        };
        let cursor = if app.mode == Mode::Search { "▏" } else { "" };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("/{}{cursor}", inert(&search.query)), theme::WARN),
                status,
            ])),
            search_area,
        );
    }
}

/// The filter line: `|.records[] | .Email▏  12 outputs`, or what is wrong with it. The
/// status keeps its place on the right; a long filter shows its end (where one types).
fn jq_line(app: &App, exchange: &crate::app::Exchange, width: usize) -> Line<'static> {
    let jq = &exchange.jq;
    let typing = app.mode == Mode::Jq;
    let mut status: Vec<Span<'static>> = Vec::new();
    if jq.running {
        status.push(Span::styled(
            format!("  {} filtering…", spinner(app.ticks)),
            theme::WARN,
        ));
    } else if jq.error.is_some() && jq.result.is_some() {
        status.push(Span::styled("  ✗ last result kept", theme::ERROR));
    } else if jq.error.is_some() {
        status.push(Span::styled("  ✗", theme::ERROR));
    } else if let Some(result) = &jq.result {
        let outputs = match result.outputs {
            1 => "1 output".to_string(),
            n => format!("{n} outputs"),
        };
        status.push(Span::styled(format!("  {outputs}"), theme::DIM));
        if let Some(cut) = &result.cut {
            status.push(Span::styled(format!(" · {cut}"), theme::WARN));
        }
    }
    if typing && jq.error.is_none() && !jq.running {
        status.push(Span::styled(
            format!(
                "  {} keeps · {} clears · {} earlier",
                app.keymap.key(Context::TextLine, &Action::Select),
                app.keymap.key(Context::TextLine, &Action::Cancel),
                app.keymap.key(Context::TextLine, &Action::Up),
            ),
            theme::DIM,
        ));
    }
    let status_width: usize = status.iter().map(Span::width).sum();
    // The filter gets what the status leaves, but at least half the line.
    let room = width.saturating_sub(status_width).max(width / 2);
    let cursor = if typing { "▏" } else { "" };
    let filter = format!("|{}{cursor}", inert(&jq.text));
    let filter = if super::text_width(&filter) > room {
        let mut kept: Vec<char> = Vec::new();
        for c in filter.chars().rev() {
            kept.push(c);
            if super::text_width(&kept.iter().rev().collect::<String>()) + 1 >= room {
                break;
            }
        }
        format!("…{}", kept.iter().rev().collect::<String>())
    } else {
        filter
    };
    let mut spans = vec![Span::styled(filter, theme::KEY)];
    spans.extend(status);
    Line::from(spans)
}

/// Letters of the method's name the title keeps before it gives up the time and size.
const MIN_NAME_WIDTH: usize = 8;

/// `4 Response: List Contacts · 200 OK · 3 ms · 1.3 kB`: the method first, so a response is
/// never read under another method's name, and its status whole (a long method name is
/// shortened to make room, never the status). The connector and time are on the tab line.
fn title(app: &App, width: u16) -> Line<'static> {
    let Some(exchange) = app.response.shown() else {
        return Line::from(Span::styled("4 Response", theme::TITLE));
    };
    // A filter's result is not the body: the title says so.
    let label = if exchange.jq.result.is_some() {
        Span::styled("4 Response (jq)", theme::TITLE)
    } else {
        Span::styled("4 Response", theme::TITLE)
    };
    let mut status = Vec::new();
    let mut time_and_size = None;
    if let Some(flight) = &exchange.in_flight {
        let elapsed = app.now.saturating_duration_since(flight.started);
        status.push(Span::styled(
            format!(" {} {:.1} s", spinner(app.ticks), elapsed.as_secs_f64()),
            theme::WARN,
        ));
    } else if let Some(Outcome::Response(doc)) = &exchange.outcome {
        let r = &doc.response;
        let style = match r.status {
            200..=299 => theme::OK,
            300..=499 => theme::WARN,
            _ => theme::ERROR,
        };
        status.push(Span::raw(" · "));
        status.push(Span::styled(
            format!("{} {}", r.status, inert(&r.reason))
                .trim_end()
                .to_string(),
            style,
        ));
        time_and_size = Some(status.len());
        status.push(Span::raw(format!(
            " · {} ms · {}",
            r.elapsed.as_millis(),
            human_size(r.body.len())
        )));
    }
    let status_width = |status: &[Span]| status.iter().map(Span::width).sum::<usize>();
    if exchange.recorded && exchange.in_flight.is_none() {
        status.push(Span::styled(" · recorded", theme::WARN));
    }

    // Room for the name: the pane's width less its corners (2), the focus marker (3), the
    // space after the title (1), the label and the status.
    let mut fixed = 6 + label.width() + 2 + status_width(&status);
    // A narrow pane keeps a few letters of the name rather than the time and size.
    if let Some(at) = time_and_size
        && (width as usize).saturating_sub(fixed) < MIN_NAME_WIDTH
    {
        status.remove(at);
        fixed = 6 + label.width() + 2 + status_width(&status);
    }
    let name = shorten(
        &inert(&exchange.method),
        (width as usize).saturating_sub(fixed),
    );
    let mut spans = vec![label, Span::styled(format!(": {name}"), theme::TITLE)];
    spans.extend(status);
    Line::from(spans)
}

/// The tab labels (recorded in `view` for clicks) and what the body is.
fn tab_line(app: &App, doc: &ResponseDoc, view: &mut ViewState, area: Rect) -> Line<'static> {
    let mut spans = Vec::new();
    let mut x = area.x;
    let has_table = app.response.has_table_tab();
    for tab in Tab::ALL {
        if tab == Tab::Table && !has_table {
            continue;
        }
        let filtered = app.response.shown().is_some_and(|e| e.jq.result.is_some());
        let name = match (tab, doc.kind) {
            (Tab::Pretty, _) if filtered => "Filtered",
            (Tab::Pretty, BodyKind::Binary) => "Hex",
            (Tab::Pretty, BodyKind::Text) => "Text",
            _ => tab.title(),
        };
        let style = if tab == app.response.tab {
            theme::SELECTED
        } else {
            theme::DIM
        };
        let label = Span::styled(format!(" {name} "), style);
        let width = u16::try_from(label.width()).unwrap_or(u16::MAX);
        let visible = width.min(area.right().saturating_sub(x));
        if visible > 0 {
            view.tabs.push((Rect::new(x, area.y, visible, 1), tab));
        }
        x = x.saturating_add(width);
        spans.push(label);
    }
    let kind = match doc.kind {
        BodyKind::Json if doc.light => "large json: plain layout, no colours",
        BodyKind::Json => "json",
        BodyKind::Text => "text",
        BodyKind::Binary => "binary",
        BodyKind::Empty => "empty",
    };
    // Whose response this is and when it came, then how it is shown.
    if let Some(exchange) = app.response.shown() {
        let at = exchange
            .finished_at
            .as_ref()
            .map(|a| format!("{} · ", a.clock))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!("  {at}{}", inert(&exchange.connector)),
            theme::DIM,
        ));
    }
    spans.push(Span::styled(
        format!(
            " · {kind} · wrap {} · {} {} tabs · {} search",
            if app.response.wrap { "on" } else { "off" },
            app.keymap.key(Context::Response, &Action::PreviousTab),
            app.keymap.key(Context::Response, &Action::NextTab),
            app.keymap.key(Context::Response, &Action::StartFilter)
        ),
        theme::DIM,
    ));
    Line::from(spans)
}

/// Below this offset into a wrapped line, colours are computed from the line's start (so a
/// string that began on an earlier row keeps its colour); past it, from the first row shown.
const HIGHLIGHT_FROM_START: usize = 64 * 1024;

/// Draws only the rows that fit: a huge body costs no more than a small one. With wrapping,
/// rows come from [`crate::wrap`], the same rows the scroll limits count.
fn render_body(app: &App, doc: &ResponseDoc, frame: &mut Frame, area: Rect) {
    let pane = &app.response;
    if pane.tab == Tab::Table {
        return render_table(app, frame, area);
    }
    let Some(lines) = pane.lines() else { return };
    if lines.is_empty() && pane.tab == Tab::Pretty {
        let empty = if pane.shown().is_some_and(|e| e.jq.result.is_some()) {
            "(the filter gives no output)"
        } else {
            "(empty body)"
        };
        return placeholder(frame, area, vec![Line::styled(empty, theme::DIM)]);
    }
    let rows = area.height as usize;
    let width = area.width as usize;
    let colour = pane.tab == Tab::Pretty && doc.kind == BodyKind::Json && !doc.light;
    let hit = pane.search().and_then(|s| s.hit);
    // The cursor of the pretty JSON view (folding, copying a path), when the pane has focus.
    let cursor = pane
        .cursor()
        .filter(|_| app.focus == Pane::Response && app.mode == Mode::Normal);
    let paint = |text: &str| {
        if colour {
            highlight_json_line(text)
        } else {
            Line::raw(text.to_string())
        }
    };
    let pos = pane.scroll();
    let mut shown: Vec<Line> = Vec::with_capacity(rows);
    let mut first_row = pos.row;
    for i in pos.line..lines.len() {
        if shown.len() >= rows {
            break;
        }
        let line = lines.line(i);
        let mut rendered = if pane.wrap {
            let display = inert_multiline(&line);
            let span = crate::wrap::row_span(&display, width, first_row, rows - shown.len());
            let from = if span.start <= HIGHLIGHT_FROM_START {
                0
            } else {
                span.start
            };
            let painted = paint(&display[from..span.end]);
            let segment = &display[span.clone()];
            let mut at = span.start - from;
            crate::wrap::split(segment, width)
                .into_iter()
                .map(|row| {
                    let piece = slice_line(&painted, at..at + row.len());
                    at += row.len();
                    piece
                })
                .collect()
        } else {
            let window = char_window(&line, pane.hscroll(), width);
            vec![paint(&inert_multiline(window))]
        };
        first_row = 0;
        let source = lines.source(i);
        let style = if hit == Some(source) {
            Some(theme::MATCH)
        } else if cursor == Some(source) {
            Some(theme::CURSOR)
        } else {
            None
        };
        if let Some(style) = style {
            rendered = rendered.into_iter().map(|l| l.style(style)).collect();
        }
        shown.extend(rendered);
    }
    shown.truncate(rows);
    frame.render_widget(Paragraph::new(shown).style(Style::default()), area);
}

/// The table tab: the records of the body (or of the filter's result).
fn render_table(app: &App, frame: &mut Frame, area: Rect) {
    let pane = &app.response;
    match (pane.table(), pane.shown()) {
        (Some(table), Some(exchange)) => {
            let table = table
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let mut state = exchange.table.clone();
            super::table::render(frame, area, &table, &mut state, !app.no_color);
        }
        _ if pane.table_source().is_some_and(|(t, _)| !t.is_built()) => placeholder(
            frame,
            area,
            vec![Line::styled(
                format!("{} laying out the records…", spinner(app.ticks)),
                theme::WARN,
            )],
        ),
        _ => placeholder(
            frame,
            area,
            vec![Line::styled(
                "No records here: the table shows an array of objects (the body's, or the filter's result).",
                theme::DIM,
            )],
        ),
    }
}

/// The part of a styled line between two byte offsets of its text.
fn slice_line(line: &Line<'static>, range: std::ops::Range<usize>) -> Line<'static> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for span in &line.spans {
        let text = span.content.as_ref();
        let (start, end) = (offset, offset + text.len());
        offset = end;
        let (a, b) = (range.start.max(start), range.end.min(end));
        if a < b {
            spans.push(Span::styled(
                text[a - start..b - start].to_string(),
                span.style,
            ));
        }
    }
    Line::from(spans).style(line.style)
}

/// At most `max` characters of `line`, starting after `skip` characters.
fn char_window(line: &str, skip: usize, max: usize) -> &str {
    let start = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let end = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// `1.2 kB`, `10.5 MB`.
pub(crate) fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}
