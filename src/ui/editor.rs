//! Pane 3, top: what will be sent (where, how, and how many values), and the body.

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
        Span::styled(
            if editor.form.is_some() {
                " · form"
            } else {
                ""
            },
            theme::DIM,
        ),
    ]);
    let block = pane_block(title, app.focus == Pane::Editor);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let header_text = Paragraph::new(header_lines(app)).wrap(Wrap { trim: false });
    let header_rows = (header_text.line_count(inner.width) as u16).clamp(2, 5);
    let error_rows = u16::from(editor.error.is_some()) * 2;
    let [header, body, error] = Layout::vertical([
        Constraint::Length(header_rows),
        Constraint::Min(2),
        Constraint::Length(error_rows),
    ])
    .areas(inner);
    frame.render_widget(header_text, header);
    match &editor.form {
        Some(form) => super::form::render(app, form, frame, body),
        None => frame.render_widget(&editor.textarea, body),
    }
    if let Some(e) = &editor.error {
        frame.render_widget(
            Paragraph::new(Line::styled(inert(e).into_owned(), theme::ERROR))
                .wrap(Wrap { trim: true }),
            error,
        );
    }
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
                content_type: editor.content_type,
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
    let mut lines = vec![
        Line::from(vec![
            Span::styled(verb, theme::TITLE),
            Span::raw(" · "),
            Span::styled(endpoint, theme::TITLE),
            Span::raw(" · "),
            Span::styled(addressing, theme::TITLE),
            Span::styled(format!("  [{keys}]"), theme::DIM),
        ]),
        Line::styled(path, theme::DIM),
    ];
    if editor.target.is_some() {
        lines.push(sends_line(app));
    }
    lines
}

/// What the body sends: how many values, the text as it is, or nothing.
fn sends_line(app: &App) -> Line<'static> {
    let editor = &app.editor;
    let text = match (editor.endpoint, editor.verb) {
        (Endpoint::RawBody, _) => format!(
            "sends the text as it is, as {} ({} switches)",
            editor.content_type.mime(),
            app.keymap.key(Context::Editor, &Action::ToggleContentType)
        ),
        (_, Verb::Get) => "sends no body".to_string(),
        (_, Verb::Post) => match &editor.counts {
            Some(counts) => format!("sends {counts}"),
            None => "sends what the text sets (counted when sent)".to_string(),
        },
    };
    let write = editor.target.as_ref().filter(|t| t.access.write).map(|t| {
        Span::styled(
            format!("  changes data ({})", inert(&t.access.reason)),
            theme::WARN,
        )
    });
    let mut spans = vec![Span::styled(text, theme::DIM)];
    spans.extend(write);
    Line::from(spans)
}
