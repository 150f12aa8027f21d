//! The account connector details overlay (`i`): what it is, how it authenticates, its
//! properties (sensitive-looking values masked) and custom fields. Never its `AuthValue`.

use super::picker::boxed;
use super::theme;
use crate::action::Action;
use crate::app::{App, ConnectorDetails, ConnectorInfo, Loadable};
use crate::keymap::Context;
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn render(app: &App, details: &ConnectorDetails, frame: &mut Frame, area: Rect) {
    let close = app.keymap.key(Context::Help, &Action::ToggleHelp);
    let inner = boxed(
        frame,
        area,
        format!(
            " {} (#{}) · ↑↓ scroll · {close} closes ",
            inert(&details.name),
            details.id
        ),
    );
    let lines = match &details.info {
        Loadable::Idle | Loadable::Loading { .. } => vec![Line::styled(
            format!(
                "{} loading the account connector and its properties…",
                super::spinner(app.ticks)
            ),
            theme::DIM,
        )],
        Loadable::Failed(e) => vec![Line::styled(
            format!(
                "cannot load the details: {}",
                crate::hint::with_advice(e, crate::hint::Face::Explorer)
            ),
            theme::ERROR,
        )],
        Loadable::Ready(info) => info_lines(info),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((details.scroll, 0)),
        inner,
    );
}

fn info_lines(info: &ConnectorInfo) -> Vec<Line<'static>> {
    let ac = &info.connector;
    let text = |s: Option<&String>| inert(s.map_or("", String::as_str)).into_owned();
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<16}"), theme::DIM),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        Line::styled(text(ac.name.as_ref()), theme::TITLE),
        field("Description", text(ac.description.as_ref())),
    ];
    if let Some(c) = &ac.connector {
        let mut what = text(c.name.as_ref());
        if let Some(version) = c.version.as_ref().filter(|v| !v.is_empty()) {
            what = format!("{what} {}", inert(version));
        }
        if let Some(id) = c.id {
            what = format!("{what} (connector #{id})");
        }
        lines.push(field("Connector", what));
        let mut auth = text(c.auth_type.as_ref());
        // The OAuth flow, for OAuth connectors only (others say "Unknown").
        let oauth = c
            .auth_type
            .as_deref()
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("oauth"));
        if let Some(kind) = c.oauth2_type.as_ref().filter(|k| oauth && !k.is_empty()) {
            auth = format!("{auth} ({})", inert(kind));
        }
        lines.push(field("Auth type", auth));
    }
    let (state, style) = match ac.authenticated {
        Some(true) => ("✓ authenticated", theme::OK),
        Some(false) => ("✗ not authenticated", theme::ERROR),
        None => ("not stated", theme::DIM),
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{:<16}", "Authentication"), theme::DIM),
        Span::styled(state, style),
    ]));
    lines.push(field(
        "Partner",
        if ac.is_partner() {
            "yes: native, not held to the proxy IP allow-list".into()
        } else {
            "no: proxy calls must come from an IP on Cyclr's allow-list".into()
        },
    ));
    lines.push(field("Custom fields", ac.custom_fields_count().to_string()));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Properties ({})", info.properties.len()),
        theme::TITLE,
    ));
    if let Some(note) = &info.properties_note {
        lines.push(Line::styled(inert(note).into_owned(), theme::WARN));
    }
    if info.properties.is_empty() {
        lines.push(Line::styled("  none", theme::DIM));
    }
    let width = info
        .properties
        .iter()
        .map(|p| super::text_width(&inert(p.name.as_deref().unwrap_or(""))))
        .max()
        .unwrap_or(0)
        .min(32);
    for p in &info.properties {
        let name = inert(p.name.as_deref().unwrap_or("(no name)")).into_owned();
        let value = if p.is_secret() {
            Span::styled(crate::cyclr::MASK, theme::WARN)
        } else {
            Span::raw(inert(p.value.as_deref().unwrap_or("")).into_owned())
        };
        let pad = width.saturating_sub(super::text_width(&name));
        lines.push(Line::from(vec![
            Span::raw(format!("  {name}{}  ", " ".repeat(pad))),
            value,
        ]));
    }
    lines
}
