//! Pane 3, top: what will be sent, the JSON body, and the legend of ids.

use super::{ViewState, pane_block, theme};
use crate::action::Action;
use crate::action::Pane;
use crate::app::App;
use crate::cyclr::{CallRequest, Endpoint, MethodRef, Verb};
use crate::keymap::Context;
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn render(app: &App, view: &mut ViewState, frame: &mut Frame, area: Rect) {
    view.panes.insert(Pane::Editor, area);
    let editor = &app.editor;
    let name = editor.target.as_ref().map(|t| inert(&t.name).into_owned());
    let title = Line::from(vec![
        Span::styled("3 Request", theme::TITLE),
        Span::raw(name.map(|n| format!(": {n}")).unwrap_or_default()),
    ]);
    let block = pane_block(title, app.focus == Pane::Editor);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let header_text = Paragraph::new(header_lines(app)).wrap(Wrap { trim: false });
    let header_rows = (header_text.line_count(inner.width) as u16).clamp(2, 4);
    let legend_rows = editor
        .legend
        .len()
        .min(inner.height.saturating_sub(5) as usize / 2) as u16;
    let error_rows = u16::from(editor.error.is_some()) * 2;
    let [header, body, error, legend] = Layout::vertical([
        Constraint::Length(header_rows),
        Constraint::Min(2),
        Constraint::Length(error_rows),
        Constraint::Length(legend_rows),
    ])
    .areas(inner);
    frame.render_widget(header_text, header);
    frame.render_widget(&editor.textarea, body);
    if let Some(e) = &editor.error {
        frame.render_widget(
            Paragraph::new(Line::styled(inert(e).into_owned(), theme::ERROR))
                .wrap(Wrap { trim: true }),
            error,
        );
    }
    let id_width = editor
        .legend
        .iter()
        .map(|row| row.id.to_string().len())
        .max()
        .unwrap_or(0);
    let rows: Vec<Line> = editor
        .legend
        .iter()
        .take(legend_rows as usize)
        .map(|row| {
            let values = if row.values.is_empty() {
                String::new()
            } else {
                format!("  [{}]", row.values.join("|"))
            };
            Line::from(vec![
                Span::styled(
                    format!(
                        "{:<6}",
                        if row.section == "Fields" {
                            "field"
                        } else {
                            "param"
                        }
                    ),
                    theme::DIM,
                ),
                Span::styled(format!("{:<id_width$}  ", row.id), theme::KEY),
                Span::raw(inert(&row.name).into_owned()),
                Span::styled(format!(" {}", inert(&row.data_type)), theme::DIM),
                if row.required {
                    Span::styled(" required", theme::WARN)
                } else {
                    Span::styled(" optional", theme::DIM)
                },
                Span::styled(inert(&values).into_owned(), theme::DIM),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), legend);
}

/// `POST · call · by Id → /v1.0/account/connectors/…/methods/…`, each part switchable.
fn header_lines(app: &App) -> Vec<Line<'static>> {
    let editor = &app.editor;
    let verb = match (editor.endpoint, editor.verb) {
        (Endpoint::RawBody, _) | (_, Verb::Post) => "POST",
        (_, Verb::Get) => "GET (legacy, no body)",
    };
    let endpoint = match editor.endpoint {
        Endpoint::Call => "call",
        Endpoint::Test => "test",
        Endpoint::RawBody => "raw body",
    };
    let addressing = match editor.method_ref() {
        Some(MethodRef::Guid(_)) => "by GUID",
        _ => "by Id",
    };
    let path = editor
        .method_ref()
        .zip(editor.target.as_ref())
        .map(|(method, target)| {
            CallRequest {
                account_connector_id: target.account_connector_id,
                method,
                endpoint: editor.endpoint,
                verb: editor.verb,
                body: String::new(),
            }
            .path()
        });
    let context = if app.focus == Pane::Editor {
        Context::Editor
    } else {
        Context::Global
    };
    let key = |action| app.keymap.key(context, &action);
    let keys = format!(
        "{} endpoint · {} verb · {} Id/GUID",
        key(Action::ToggleEndpoint),
        key(Action::ToggleVerb),
        key(Action::ToggleAddressing)
    );
    let path = path.map_or_else(
        || "→ (no method chosen)".into(),
        |p| format!("→ {}", inert(&p)),
    );
    vec![
        Line::from(vec![
            Span::styled(verb, theme::TITLE),
            Span::raw(" · "),
            Span::styled(endpoint, theme::TITLE),
            Span::raw(" · "),
            Span::styled(addressing, theme::TITLE),
            Span::styled(format!("  [{keys}]"), theme::DIM),
        ]),
        Line::styled(path, theme::DIM),
    ]
}
