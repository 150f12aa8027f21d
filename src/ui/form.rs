//! Pane 3's form view (`F2`): a row per parameter and request field with its name, type,
//! required mark and value, what the value is worth, and what Enter offers on the row.

use super::theme;
use crate::app::App;
use crate::form::{Check, DataType, Form, Row, Section, check};
use crate::text::{inert, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::time::SystemTime;

/// Draws `form` into `area` (the editor's body), the selected row kept in view, with the
/// selected row's description and hint below.
pub(super) fn render(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    if form.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "This method has no parameters or request fields: it sends an empty body.",
                theme::DIM,
            )),
            area,
        );
        return;
    }
    // The row's hint gives way to the rows in a short pane.
    let about_rows = match area.height {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    let [rows_area, about] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(about_rows)]).areas(area);
    let now = SystemTime::now();
    let height = usize::from(rows_area.height).max(1);
    let first = form.selected.saturating_sub(height - 1);
    let name_width = form
        .rows
        .iter()
        .map(|r| super::text_width(&r.name))
        .max()
        .unwrap_or(4)
        .clamp(4, 24);
    let typing = app.focus == crate::action::Pane::Editor && app.overlays.is_empty();
    let lines: Vec<Line> = form
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, row)| {
            let selected = i == form.selected;
            let caret = (selected && typing).then(|| form.caret());
            let label = app.lookup_label(row);
            let mut line = row_line(row, label, name_width, caret, area.width >= 70, now);
            if selected {
                line = line.patch_style(theme::SELECTED.add_modifier(Modifier::BOLD));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows_area);
    if let Some(row) = form.row() {
        frame.render_widget(
            Paragraph::new(about_lines(row)).wrap(Wrap { trim: true }),
            about,
        );
    }
}

/// `› * Contact Id   Text      0035…  ada@…  ↗`
fn row_line(
    row: &Row,
    label: Option<&str>,
    name_width: usize,
    caret: Option<usize>,
    with_type: bool,
    now: SystemTime,
) -> Line<'static> {
    let name = truncate(&inert(&row.name), name_width).into_owned();
    let pad = name_width.saturating_sub(super::text_width(&name));
    let mut spans = vec![
        Span::raw(if caret.is_some() { "›" } else { " " }),
        Span::styled(if row.required { "* " } else { "  " }, theme::ERROR),
        Span::raw(format!("{name}{} ", " ".repeat(pad))),
    ];
    // A narrow pane leaves the type to the line under the rows.
    if with_type {
        spans.push(Span::styled(
            format!("{:<9}", truncate(&inert(&row.type_name), 9)),
            theme::DIM,
        ));
    }
    let checked = check(row, now);
    spans.push(match &checked {
        Check::Invalid(_) => Span::styled("✗ ", theme::ERROR),
        Check::Warning(_) => Span::styled("! ", theme::WARN),
        Check::Fine | Check::Empty => Span::raw("  "),
    });
    match caret {
        Some(at) => {
            let before: String = row.value.chars().take(at).collect();
            let after: String = row.value.chars().skip(at).collect();
            spans.push(Span::raw(inert(&before).into_owned()));
            spans.push(Span::raw("▏"));
            spans.push(Span::raw(inert(&after).into_owned()));
        }
        None if row.value.is_empty() => spans.push(Span::styled("(not sent)", theme::DIM)),
        None => spans.push(Span::raw(inert(&row.value).into_owned())),
    }
    if let Some(label) = label {
        spans.push(Span::styled(format!("  {}", inert(label)), theme::OK));
    }
    // The short reason here; the row's hint below says what would fit.
    let short = |why: &str| why.split(':').next().unwrap_or(why).to_string();
    match checked {
        Check::Invalid(why) => spans.push(Span::styled(format!("  {}", short(&why)), theme::ERROR)),
        Check::Warning(why) => spans.push(Span::styled(format!("  {}", short(&why)), theme::WARN)),
        Check::Fine if row.data_type == DataType::DateTime => {
            if let Some(at) = crate::datetime::expand_shortcut(&row.value, now) {
                spans.push(Span::styled(format!("  → {at}"), theme::DIM));
            }
        }
        Check::Fine | Check::Empty => {}
    }
    if row.lookup.is_some() {
        spans.push(Span::styled("  ↗ lookup", theme::KEY));
    } else if !row.values.is_empty() {
        spans.push(Span::styled(
            format!("  ▾ {} values", row.values.len()),
            theme::KEY,
        ));
    }
    Line::from(spans)
}

/// The selected row's id, description and what Enter does on it.
fn about_lines(row: &Row) -> Vec<Line<'static>> {
    let section = match row.section {
        Section::Parameters => "parameter",
        Section::Fields => "field",
    };
    let mut first = format!(
        "{section} {} · {} · {}",
        row.id,
        inert(&row.type_name),
        if row.required { "required" } else { "optional" }
    );
    if !row.description.trim().is_empty() {
        first = format!("{first} · {}", inert(row.description.trim()));
    }
    let hint = match (&row.lookup, row.data_type) {
        (Some(trigger), _) => format!(
            "Enter looks the value up: {} → {} of method {}",
            inert(trigger.human_readable_key.as_deref().unwrap_or("?")),
            inert(trigger.identifier_key.as_deref().unwrap_or("?")),
            trigger.method_id.unwrap_or_default()
        ),
        (None, _) if !row.values.is_empty() => {
            let values = inert(&row.values.join(" | ")).into_owned();
            format!("Enter picks one of: {}", truncate(&values, 120))
        }
        (None, DataType::DateTime) => crate::datetime::HINT.to_string(),
        (None, DataType::Boolean) => "Space flips true / false".to_string(),
        (None, DataType::Integer) => "a whole number".to_string(),
        (None, DataType::Number) => "a number".to_string(),
        (None, DataType::Text) => "text; Ctrl-U clears, an empty value is not sent".to_string(),
    };
    vec![
        Line::styled(first, theme::DIM),
        Line::styled(hint, theme::DIM),
    ]
}
