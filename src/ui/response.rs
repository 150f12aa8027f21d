//! Pane 3, bottom: status line, tabs, and the visible window of the response text.

use super::{ViewState, highlight_json_line, pane_block, placeholder, spinner, theme};
use crate::action::Pane;
use crate::app::{App, Mode, Outcome, Tab};
use crate::document::{BodyKind, ResponseDoc};
use crate::text::{inert, inert_multiline};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn render(app: &App, view: &mut ViewState, frame: &mut Frame, area: Rect) {
    view.panes.insert(Pane::Response, area);
    let pane = &app.response;
    let block = pane_block(title(app), app.focus == Pane::Response);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // While a call is in flight its own line says so, above whatever was there before.
    let inner = match &pane.in_flight {
        Some(flight) => {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
            let mut spans = vec![Span::styled(
                format!(
                    "{} calling {}… Esc cancels",
                    spinner(app.ticks),
                    inert(&flight.label)
                ),
                theme::WARN,
            )];
            if pane.outcome.is_some() {
                spans.push(Span::styled(" · below: the previous response", theme::DIM));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), line);
            rest
        }
        None => inner,
    };
    let doc = match &pane.outcome {
        None => {
            view.response_rows = inner.height as usize;
            if pane.in_flight.is_some() {
                return;
            }
            let text = "No response yet. Choose a method, edit the request, then press Ctrl-S or F5 to send.";
            return placeholder(frame, inner, vec![Line::styled(text, theme::DIM)]);
        }
        Some(Outcome::Failed(error)) => {
            view.response_rows = inner.height as usize;
            return placeholder(
                frame,
                inner,
                vec![
                    Line::styled("No response:", theme::ERROR),
                    Line::styled(inert(error).into_owned(), theme::ERROR),
                ],
            );
        }
        Some(Outcome::TooLarge { message, .. }) => {
            view.response_rows = inner.height as usize;
            return placeholder(
                frame,
                inner,
                vec![
                    Line::styled(inert(message).into_owned(), theme::WARN),
                    Line::from(""),
                    Line::from(
                        "Press S (in this pane) to make the call again and save the body to a file in the current folder, without holding it in memory.",
                    ),
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
    let search_rows = u16::from(app.mode == Mode::Search || !pane.search.query.is_empty());
    let [tabs, explanation_area, body, search] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(explanation_rows),
        Constraint::Min(1),
        Constraint::Length(search_rows),
    ])
    .areas(inner);
    view.response_rows = body.height as usize;
    frame.render_widget(Paragraph::new(tab_line(app, doc)), tabs);
    if let Some(paragraph) = explanation {
        frame.render_widget(paragraph, explanation_area);
    }
    render_body(app, doc, frame, body);
    if search_rows > 0 {
        let status = match (pane.search.hit, pane.search.not_found) {
            (_, true) => Span::styled("  not found", theme::ERROR),
            (Some(line), _) => Span::styled(
                format!("  line {}  (n next, N previous)", line + 1),
                theme::DIM,
            ),
            _ => Span::raw(""),
        };
        let cursor = if app.mode == Mode::Search { "▏" } else { "" };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    format!("/{}{cursor}", inert(&pane.search.query)),
                    theme::WARN,
                ),
                status,
            ])),
            search,
        );
    }
}

fn title(app: &App) -> Line<'static> {
    let pane = &app.response;
    let mut spans = vec![Span::styled("4 Response", theme::TITLE)];
    if let Some(flight) = &pane.in_flight {
        let elapsed = app.now.saturating_duration_since(flight.started);
        spans.push(Span::styled(
            format!(" {} {:.1} s", spinner(app.ticks), elapsed.as_secs_f64()),
            theme::WARN,
        ));
        return Line::from(spans);
    }
    if let Some(doc) = pane.doc() {
        let r = &doc.response;
        let style = match r.status {
            200..=299 => theme::OK,
            300..=499 => theme::WARN,
            _ => theme::ERROR,
        };
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(
            format!("{} {}", r.status, inert(&r.reason)),
            style,
        ));
        spans.push(Span::raw(format!(
            " · {} ms · {}",
            r.elapsed.as_millis(),
            human_size(r.body.len())
        )));
    }
    Line::from(spans)
}

fn tab_line(app: &App, doc: &ResponseDoc) -> Line<'static> {
    let mut spans = Vec::new();
    for tab in Tab::ALL {
        let name = match (tab, doc.kind) {
            (Tab::Pretty, BodyKind::Binary) => "Hex",
            (Tab::Pretty, BodyKind::Text) => "Text",
            _ => tab.title(),
        };
        let style = if tab == app.response.tab {
            theme::SELECTED
        } else {
            theme::DIM
        };
        spans.push(Span::styled(format!(" {name} "), style));
    }
    let kind = match doc.kind {
        BodyKind::Json if doc.light => "large json: plain layout, no colours",
        BodyKind::Json => "json",
        BodyKind::Text => "text",
        BodyKind::Binary => "binary",
        BodyKind::Empty => "empty",
    };
    spans.push(Span::styled(
        format!(
            "  {kind} · wrap {} · [ ] tabs · / search",
            if app.response.wrap { "on" } else { "off" }
        ),
        theme::DIM,
    ));
    Line::from(spans)
}

/// Draws only the lines that fit: a huge body costs no more than a small one.
fn render_body(app: &App, doc: &ResponseDoc, frame: &mut Frame, area: Rect) {
    let pane = &app.response;
    let Some(lines) = pane.lines() else { return };
    if lines.is_empty() && pane.tab == Tab::Pretty {
        return placeholder(frame, area, vec![Line::styled("(empty body)", theme::DIM)]);
    }
    let rows = area.height as usize;
    let width = area.width as usize;
    // At most a screenful of characters per line is looked at, however long the line is.
    let budget = if pane.wrap { width * rows } else { width };
    let colour = pane.tab == Tab::Pretty && doc.kind == BodyKind::Json && !doc.light;
    let shown: Vec<Line> = (pane.scroll()..lines.len().min(pane.scroll() + rows))
        .map(|i| {
            let line = lines.line(i);
            let skip = if pane.wrap { 0 } else { pane.hscroll };
            let window = char_window(line, skip, budget);
            let safe = inert_multiline(window);
            let mut rendered = if colour {
                highlight_json_line(&safe)
            } else {
                Line::raw(safe.into_owned())
            };
            if pane.search.hit == Some(i) {
                rendered = rendered.style(theme::MATCH);
            }
            rendered
        })
        .collect();
    let mut paragraph = Paragraph::new(shown).style(Style::default());
    if pane.wrap {
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, area);
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
