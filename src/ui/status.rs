//! The status bar: where the explorer is connected, the last notice, the calls in flight, and
//! the keys that work where the keyboard is now (from the active keymap).

use super::{spinner, theme};
use crate::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let c = &app.connection;
    let mut spans = Vec::new();
    if c.demo {
        spans.push(Span::styled(" DEMO ", theme::DEMO));
        spans.push(Span::raw(" "));
    }
    if app.safety.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme::DEMO));
        spans.push(Span::raw(" "));
    }
    // A notice comes first, so a narrow screen still shows all of it.
    if let Some(notice) = &app.notice {
        let style = if notice.is_error {
            theme::ERROR
        } else {
            Style::default()
        };
        spans.push(Span::styled(
            crate::text::inert(&notice.text).into_owned(),
            style,
        ));
        spans.push(Span::raw("  "));
    }
    if let Some(profile) = &c.profile {
        let color = c
            .color
            .as_deref()
            .and_then(|c| c.parse::<ratatui::style::Color>().ok());
        let style = match color {
            Some(color) => Style::default()
                .bg(color)
                .fg(ratatui::style::Color::Black)
                .add_modifier(Modifier::BOLD),
            None => theme::TITLE,
        };
        spans.push(Span::styled(
            format!(" {} ", crate::text::inert(profile)),
            style,
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        format!(
            "{} @ {}",
            crate::text::inert(&c.account),
            crate::text::inert(&instance_name(&c.instance))
        ),
        theme::DIM,
    ));
    if let Some(until) = app.token_valid_until {
        let left = until.saturating_duration_since(app.now).as_secs();
        let text = if left == 0 {
            " · token renews on the next call".to_string()
        } else if left < 120 {
            format!(" · token {left}s")
        } else {
            format!(" · token {}m", left / 60)
        };
        spans.push(Span::styled(text, theme::DIM));
    }
    // Calls of methods not on screen still run: say so.
    let elsewhere = app.response.calls_in_flight_elsewhere();
    if elsewhere > 0 {
        spans.push(Span::styled(
            format!(
                "  {} {elsewhere} call{} in flight",
                spinner(app.ticks),
                if elsewhere == 1 { "" } else { "s" }
            ),
            theme::WARN,
        ));
    }
    if app.notice.is_none() && !c.demo && !c.auth.is_empty() {
        spans.push(Span::styled(
            format!(" · {}", crate::text::inert(&c.auth)),
            theme::DIM,
        ));
    }
    let mut hints: Vec<String> = app
        .keymap
        .status_hints(app)
        .into_iter()
        .map(|(key, what)| format!("{key} {what}"))
        .collect();
    if c.demo
        && app.overlays.is_empty()
        && app.mode == crate::app::Mode::Normal
        && !app.pending_fold
        && let Some(help) = hints.first_mut()
        && help.ends_with(" help")
    {
        help.push_str(", how to connect");
    }
    // Hints in order of importance, as many as leave the left side room to be read.
    // A notice is read first: hints only take what it leaves.
    let keep_left = if app.notice.is_some() { 100 } else { 30 };
    let left_width = Line::from(spans.clone()).width().min(keep_left);
    let room = (area.width as usize).saturating_sub(left_width + 3);
    let mut shown = String::new();
    for hint in hints {
        if shown.chars().count() + hint.chars().count() + 2 > room {
            break;
        }
        shown.push_str("  ");
        shown.push_str(&hint);
    }
    let hint = Span::styled(
        format!("{shown} "),
        theme::DIM.add_modifier(Modifier::ITALIC),
    );
    let [left, right] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(u16::try_from(hint.width()).unwrap_or(u16::MAX)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(Line::from(hint)), right);
}

/// The region's name when `instance` is one of Cyclr's (`eu`), else the URL as it is.
fn instance_name(instance: &str) -> String {
    let trimmed = instance.trim_end_matches('/');
    crate::cyclr::REGIONS
        .iter()
        .find(|(_, url)| url.trim_end_matches('/') == trimmed)
        .map_or_else(|| trimmed.to_string(), |(name, _)| (*name).to_string())
}
