//! The response viewer's scrolling, drawn as the runtime draws it: each frame tells `App` the
//! viewport it drew (as the loop does), then keys move within the text. With wrapping on,
//! the end of any body is reachable.

mod support;

use cyclr_tui::action::{Action, Pane};
use cyclr_tui::app::{App, Outcome, Tab, Viewport};
use cyclr_tui::cyclr::{CallResponse, SentRequest};
use cyclr_tui::document::ResponseDoc;
use cyclr_tui::msg::Msg;
use cyclr_tui::ui::{self, ViewState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::Duration;
use support::*;

/// The explorer showing `body` (as `content_type`) in a focused response pane.
fn showing(body: String, content_type: &str) -> App {
    let mut app = with_method_chosen();
    let response = CallResponse::from_parts(
        200,
        "OK",
        vec![("content-type".into(), content_type.into())],
        Duration::from_millis(3),
        body.into(),
        SentRequest::default(),
    );
    app.response
        .set_outcome(Outcome::Response(Arc::new(ResponseDoc::new(response))));
    act(&mut app, Action::Focus(Pane::Response));
    app
}

/// Draws `app` at `w`×`h` the way the loop does (telling it the viewport, then drawing
/// again), and returns the response pane's text.
fn frame(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let mut view = ViewState::default();
    for _ in 0..2 {
        terminal
            .draw(|f| ui::render(app, &mut view, f))
            .expect("draw");
        app.update(Msg::Viewport {
            response: Viewport {
                rows: view.response_rows,
                width: view.response_width,
            },
            list_rows: view.list_rows,
        });
    }
    let rect = view.panes[&Pane::Response];
    let buffer = terminal.backend().buffer();
    (rect.y..rect.y + rect.height)
        .map(|y| {
            (rect.x..rect.x + rect.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines of `width` characters, each ending with its number, that wrap `wraps` times in a
/// pane about `columns` wide, then a last line ending in `THE END`.
fn body_of(lines: usize, columns: usize, wraps: usize) -> String {
    let mut text = String::new();
    for i in 0..lines {
        let fill = "x".repeat((columns * wraps + columns / 2).max(4));
        text.push_str(&format!("line {i} {fill}\n"));
    }
    text.push_str("last line, THE END");
    text
}

/// Joins the rows of a pane (borders stripped) so text cut by wrapping can be found.
fn joined(pane: &str) -> String {
    pane.lines()
        .map(|l| l.trim_matches(|c| "│┃┌┐└┘┏┓┗┛─━".contains(c)))
        .collect()
}

#[test]
fn end_key_with_wrap_shows_the_last_line_for_any_wrapping() {
    for (w, h) in [(80, 24), (200, 50)] {
        for wraps in [0, 1, 7] {
            for lines in [3, 60] {
                let mut app = showing(body_of(lines, w as usize / 2, wraps), "text/plain");
                frame(&mut app, w, h);
                act(&mut app, Action::ToggleWrap);
                act(&mut app, Action::Bottom);
                let pane = frame(&mut app, w, h);
                assert!(
                    joined(&pane).contains("THE END"),
                    "{w}x{h}, {lines} lines wrapping {wraps} times: the end is not shown\n{pane}"
                );
                // Paging down from the top reaches the same end, and stops there.
                act(&mut app, Action::Top);
                for _ in 0..lines * (wraps + 2) {
                    act(&mut app, Action::PageDown);
                }
                let paged = frame(&mut app, w, h);
                assert_eq!(
                    paged, pane,
                    "{w}x{h}, {lines}×{wraps}: PgDn stops at the end"
                );
                // And, in a body longer than the screen, ↑ from the end shows the row above.
                if lines > h as usize {
                    act(&mut app, Action::Up);
                    let up = frame(&mut app, w, h);
                    assert_ne!(up, pane, "{w}x{h}, {lines}×{wraps}: ↑ moves one row");
                }
            }
        }
    }
}

/// One line much longer than a screenful: every row of it can be reached.
#[test]
fn a_single_line_longer_than_the_screen_scrolls_to_its_end() {
    let body = format!("{}THE END", "0123456789".repeat(5_000));
    let mut app = showing(body, "text/plain");
    frame(&mut app, 80, 24);
    act(&mut app, Action::ToggleWrap);
    act(&mut app, Action::Bottom);
    let pane = frame(&mut app, 80, 24);
    assert!(joined(&pane).contains("THE END"), "{pane}");
    act(&mut app, Action::Top);
    assert!(joined(&frame(&mut app, 80, 24)).contains("0123456789"));
}

/// An XML body of five invoices at 140×30 (as the issue found): the last invoice and the
/// closing tag are reachable with wrapping on.
#[test]
fn xml_invoices_wrapped_at_140_columns_end_in_view() {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<Invoices>\n");
    for i in 1..=5 {
        xml.push_str(&format!(
            "  <Invoice><Number>INV-000{i}</Number><Customer>Customer number {i} with a long trading name Ltd</Customer><Lines>{}</Lines><Total currency=\"GBP\">{i}00.00</Total></Invoice>\n",
            "<Line sku=\"SKU-1\" qty=\"1\"/>".repeat(6)
        ));
    }
    xml.push_str("</Invoices>");
    let mut app = showing(xml, "application/xml");
    frame(&mut app, 140, 30);
    act(&mut app, Action::ToggleWrap);
    act(&mut app, Action::Bottom);
    let pane = joined(&frame(&mut app, 140, 30));
    assert!(pane.contains("INV-0005"), "{pane}");
    assert!(pane.contains("</Invoices>"), "{pane}");
}

/// The 10 MB export: `G` with wrapping on shows its closing brackets.
#[test]
fn ten_megabytes_wrapped_end_in_view() {
    let mut body = String::from("{\"records\": [");
    let mut i = 0;
    while body.len() < 10_000_000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"Id\": {i}, \"Email\": \"person{i}@example.com\", \"Note\": \"{}\"}}",
            "a fairly long note that wraps at eighty columns ".repeat(2)
        ));
        i += 1;
    }
    body.push_str("]}");
    let mut app = showing(body, "application/json");
    frame(&mut app, 80, 24);
    act(&mut app, Action::ToggleWrap);
    act(&mut app, Action::Bottom);
    let pane = frame(&mut app, 80, 24);
    let last = format!("person{}@example.com", i - 1);
    assert!(joined(&pane).contains(&last), "{pane}");
    let rows: Vec<&str> = pane.lines().collect();
    let bottom = rows[rows.len() - 2];
    assert!(
        bottom.contains('}'),
        "the closing brace is on the last row\n{pane}"
    );

    // The raw tab is one 10 MB line: its end is reachable too.
    act(&mut app, Action::SelectTab(Tab::Raw));
    act(&mut app, Action::Bottom);
    let raw = frame(&mut app, 80, 24);
    assert!(joined(&raw).contains("]}"), "{raw}");
}
