//! What the explorer draws, as reviewed insta snapshots on a `TestBackend`: every pane in
//! each state (focused and not), the response tabs and kinds, the help, whole screens at
//! 80×24 and 120×40, hostile server text, and sizes down to 1×1.
//!
//! Responses come from the real sandbox (a `CallResponse` cannot be built by hand); ports,
//! dates and durations are filtered out.

mod support;

use cyclr_tui::action::{Action, Pane};
use cyclr_tui::app::{App, Fold, Loadable, Tab};
use cyclr_tui::cyclr::PageProgress;
use cyclr_tui::document::ResponseDoc;
use cyclr_tui::effect::Effect;
use cyclr_tui::msg::Msg;
use cyclr_tui::ui::{self, ViewState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use serde_json::json;
use std::sync::Arc;
use support::*;

/// Pane snapshots use one mid-size screen (the narrow layout).
const PANE_SCREEN: (u16, u16) = (100, 30);

/// Draws `app` once on a fresh `TestBackend` of `w`×`h`.
fn draw(app: &App, w: u16, h: u16) -> (Terminal<TestBackend>, ViewState) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let mut view = ViewState::default();
    terminal
        .draw(|f| ui::render(app, &mut view, f))
        .expect("draw");
    assert_inert(terminal.backend().buffer());
    (terminal, view)
}

/// No cell may hold a control character, a bidi override or a zero-width space: whatever the
/// server sent, the terminal only ever receives visible text.
fn assert_inert(buffer: &Buffer) {
    for (i, cell) in buffer.content.iter().enumerate() {
        let bad = cell
            .symbol()
            .chars()
            .find(|&c| c.is_control() || c == '\u{202e}' || c == '\u{200b}');
        if let Some(c) = bad {
            let (x, y) = (i as u16 % buffer.area.width, i as u16 / buffer.area.width);
            panic!("cell ({x}, {y}) holds {c:?} in {:?}", cell.symbol());
        }
    }
}

/// The text of one rectangle of the buffer, one quoted line per row (like `TestBackend`).
fn region(buffer: &Buffer, rect: Rect) -> String {
    let mut out = String::new();
    for y in rect.y..rect.y + rect.height {
        out.push('"');
        let mut skip = 0u16;
        for x in rect.x..rect.x + rect.width {
            let cell = &buffer[(x, y)];
            if skip == 0 {
                out.push_str(cell.symbol());
            }
            skip = skip.max(cell.cell_width()).saturating_sub(1);
        }
        out.push_str("\"\n");
    }
    out
}

/// Asserts a snapshot with what changes from run to run filtered out: durations, ports and
/// dates (insta's filters).
fn snap(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\b\d+ ms", "[ms]");
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(
        r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
        "[yyyy-mm-dd hh:mm:ss]",
    );
    settings.add_filter(
        r"date: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
        "date: [date]",
    );
    settings.bind(|| insta::assert_snapshot!(name.to_string(), text));
}

/// Snapshots `pane` of `app` twice: focused, then with focus elsewhere.
/// Runs the last jq filter asked for among `effects` (as the filter thread would) and hands
/// its result to `app`.
fn run_filters(app: &mut App, effects: Vec<Effect>) {
    let Some(job) = effects.into_iter().rev().find_map(|e| match e {
        Effect::RunFilter(job) => Some(job),
        _ => None,
    }) else {
        return;
    };
    let filter = cyclr_tui::jq::Filter::compile(&job.filter).expect("the filter compiles");
    let outputs = filter.run(&job.body).expect("the filter runs");
    let done = cyclr_tui::jq_runner::FilterDone {
        key: job.key,
        generation: job.generation,
        result: Ok(std::sync::Arc::new(cyclr_tui::jq_runner::lay_out(
            &job.filter,
            &outputs,
            None,
        ))),
    };
    app.update(Msg::Filtered(Box::new(done)));
}

fn snap_pane(name: &str, app: &mut App, pane: Pane) {
    let elsewhere = if pane == Pane::Connectors {
        Pane::Response
    } else {
        Pane::Connectors
    };
    let original = app.focus;
    for (focus, suffix) in [(pane, "focused"), (elsewhere, "unfocused")] {
        app.focus = focus;
        let (terminal, view) = draw(app, PANE_SCREEN.0, PANE_SCREEN.1);
        let rect = view.panes[&pane];
        let text = region(terminal.backend().buffer(), rect);
        let marked = text.lines().next().is_some_and(|l| l.contains('▶'));
        assert_eq!(
            marked,
            focus == pane,
            "{name}_{suffix}: ▶ marks focus\n{text}"
        );
        assert_eq!(
            text.contains('┏'),
            focus == pane,
            "{name}_{suffix}: thick border when focused\n{text}"
        );
        snap(&format!("{name}_{suffix}"), &text);
    }
    app.focus = original;
}

/// Snapshots the whole screen.
fn snap_screen(name: &str, app: &App, w: u16, h: u16) {
    let (terminal, _) = draw(app, w, h);
    snap(name, &terminal.backend().to_string());
}

/// A method chosen, sent, and answered with `doc`.
fn with_response(doc: Arc<ResponseDoc>) -> App {
    let mut app = with_method_chosen();
    let id = call_id(&act(&mut app, Action::Send));
    app.update(call_finished(id, Ok(doc)));
    app
}

/// The four sandbox responses the snapshots show: JSON, HTML 502, CSV and hostile text.
async fn responses() -> [Arc<ResponseDoc>; 4] {
    let docs = sandbox_responses(&[
        call_request(
            SALESFORCE_SALES,
            LIST_CONTACTS,
            &json!({"Parameters": {"3400001": "1", "3400002": "3"}, "Fields": {}}),
        ),
        call_request(HTTP_BIN, HTML_502, &json!({"Parameters": {}, "Fields": {}})),
        call_request(
            HTTP_BIN,
            CSV_EXPORT,
            &json!({"Parameters": {}, "Fields": {}}),
        ),
        call_request(
            HTTP_BIN,
            HOSTILE_TEXT,
            &json!({"Parameters": {}, "Fields": {}}),
        ),
    ])
    .await;
    docs.try_into().expect("four responses")
}

// --- Pane 1: connectors -------------------------------------------------------------------

/// The connectors pane: not loaded, loading (with and without page progress), failed, empty,
/// ready, and filtered to nothing.
#[test]
fn connectors_pane_states() {
    let mut app = App::new(connection());
    snap_pane("connectors_idle", &mut app, Pane::Connectors);

    let id = load_connectors_id(&app.start());
    snap_pane("connectors_loading", &mut app, Pane::Connectors);
    app.update(Msg::ConnectorsProgress {
        id,
        progress: PageProgress {
            page: 2,
            total_pages: Some(5),
            items: 200,
        },
    });
    snap_pane("connectors_loading_progress", &mut app, Pane::Connectors);

    app.update(Msg::ConnectorsLoaded {
        id,
        result: Err(transport_error(
            "http://sandbox.test/v1.0/account/connectors",
        )),
    });
    snap_pane("connectors_failed", &mut app, Pane::Connectors);

    let mut app = with_connectors(vec![]);
    snap_pane("connectors_empty", &mut app, Pane::Connectors);

    let mut app = with_connectors(connectors());
    act(&mut app, Action::Down);
    snap_pane("connectors_ready", &mut app, Pane::Connectors);

    act(&mut app, Action::Focus(Pane::Connectors));
    act(&mut app, Action::StartFilter);
    type_text(&mut app, "zzz");
    let (terminal, view) = draw(&app, PANE_SCREEN.0, PANE_SCREEN.1);
    let text = region(terminal.backend().buffer(), view.panes[&Pane::Connectors]);
    insta::assert_snapshot!("connectors_filter_typing_no_match", text);
}

// --- Pane 2: methods ----------------------------------------------------------------------

/// The methods pane: no connector chosen, loading, failed, empty, ready (grouped by category).
#[test]
fn methods_pane_states() {
    let mut app = with_connectors(connectors());
    snap_pane("methods_idle", &mut app, Pane::Methods);

    let id = load_methods_id(&act(&mut app, Action::Select));
    snap_pane("methods_loading", &mut app, Pane::Methods);

    app.update(Msg::MethodsLoaded {
        id,
        result: Err(status_error(404, "connector 5122 was not found")),
    });
    snap_pane("methods_failed", &mut app, Pane::Methods);

    let id = load_methods_id(&act(&mut app, Action::Reload));
    app.update(Msg::MethodsLoaded {
        id,
        result: Ok(vec![]),
    });
    snap_pane("methods_empty", &mut app, Pane::Methods);

    let mut app = with_methods();
    act(&mut app, Action::Down);
    act(&mut app, Action::Down);
    snap_pane("methods_ready", &mut app, Pane::Methods);

    act(&mut app, Action::CycleSort);
    act(&mut app, Action::Focus(Pane::Methods));
    act(&mut app, Action::StartFilter);
    type_text(&mut app, "list");
    act(&mut app, Action::Select);
    snap_pane("methods_sorted_by_name_filtered", &mut app, Pane::Methods);
}

// --- Pane 3: editor -----------------------------------------------------------------------

/// The editor: no method yet, a method's template with its legend, an invalid-JSON error,
/// and the test endpoint by GUID with the legacy GET.
#[test]
fn editor_pane_states() {
    let mut app = with_methods();
    snap_pane("editor_empty", &mut app, Pane::Editor);

    let mut app = with_methods();
    while app.methods.selected().and_then(|m| m.id) != Some(CREATE_CONTACT) {
        act(&mut app, Action::Down);
    }
    act(&mut app, Action::Select);
    snap_pane("editor_template", &mut app, Pane::Editor);

    app.focus = Pane::Editor;
    press(&mut app, key(crossterm::event::KeyCode::End)); // end of the first line
    type_text(&mut app, "oops");
    assert!(act(&mut app, Action::Send).is_empty());
    snap_pane("editor_invalid_json", &mut app, Pane::Editor);

    let mut app = with_method_chosen();
    act(&mut app, Action::ToggleEndpoint);
    act(&mut app, Action::ToggleVerb);
    act(&mut app, Action::ToggleAddressing);
    snap_pane("editor_test_get_by_guid", &mut app, Pane::Editor);
}

// --- Pane 4: response ---------------------------------------------------------------------

/// The response pane: nothing yet, waiting (spinner), a failed call, a JSON response on each
/// tab, an HTML 502 with its explanation, a CSV text body, and a call in flight over a
/// previous response.
#[tokio::test(flavor = "multi_thread")]
async fn response_pane_states() {
    let [json_doc, html_doc, csv_doc, _] = responses().await;

    let mut app = with_method_chosen();
    snap_pane("response_empty", &mut app, Pane::Response);

    let id = call_id(&act(&mut app, Action::Send));
    app.update(Msg::Tick(app.now));
    snap_pane("response_waiting", &mut app, Pane::Response);

    app.update(call_finished(
        id,
        Err(transport_error(
            "http://sandbox.test/v1.0/account/connectors/204511/methods/512201",
        )),
    ));
    snap_pane("response_failed", &mut app, Pane::Response);

    let mut app = with_response(json_doc.clone());
    for (tab, name) in [
        (Tab::Pretty, "pretty"),
        (Tab::Table, "table"),
        (Tab::Raw, "raw"),
        (Tab::Headers, "headers"),
        (Tab::Request, "request"),
    ] {
        act(&mut app, Action::SelectTab(tab));
        snap_pane(&format!("response_json_{name}"), &mut app, Pane::Response);
    }

    // Folded below the root; then `records` opened again (its records stay folded).
    let mut app = with_response(json_doc.clone());
    act(&mut app, Action::Focus(Pane::Response));
    act(&mut app, Action::Fold(Fold::All));
    snap_pane("response_json_folded", &mut app, Pane::Response);
    for _ in 0..3 {
        act(&mut app, Action::Down);
    }
    act(&mut app, Action::Select);
    snap_pane("response_json_folded_one_open", &mut app, Pane::Response);

    // A jq filter's result, and the filter line while typing.
    let mut app = with_response(json_doc.clone());
    act(&mut app, Action::Focus(Pane::Response));
    act(&mut app, Action::StartJq);
    let effects = type_text(&mut app, ".records[] | {Email, LastName}");
    run_filters(&mut app, effects);
    snap_pane("response_json_filtered_typing", &mut app, Pane::Response);
    act(&mut app, Action::Select);
    // At 80 columns the title keeps some of the method's name: the time and size give way.
    let (terminal, view) = draw(&app, 80, 24);
    let pane = region(terminal.backend().buffer(), view.panes[&Pane::Response]);
    let title = pane.lines().next().unwrap_or_default();
    assert!(title.contains("(jq): List Co"), "{title}");
    assert!(title.contains("200 OK"), "{title}");
    // The table is laid out off the UI task, as the worker does.
    for effect in act(&mut app, Action::SelectTab(Tab::Table)) {
        if let Effect::BuildTable { table, text } = effect {
            table.build(&text);
        }
    }
    snap_pane("response_json_filtered_table", &mut app, Pane::Response);

    let mut app = with_response(html_doc);
    assert!(app.response.doc().is_some_and(|d| d.explanation.is_some()));
    snap_pane("response_html_502", &mut app, Pane::Response);

    let mut app = with_response(csv_doc);
    snap_pane("response_csv_text", &mut app, Pane::Response);

    let mut app = with_response(json_doc);
    act(&mut app, Action::Send);
    snap_pane("response_in_flight_over_previous", &mut app, Pane::Response);
}

// --- Whole screens ------------------------------------------------------------------------

/// Whole screens in a realistic state (connectors, methods, List Contacts chosen, its JSON
/// response shown) at 80×24 and 120×40, plus start-up, browsing methods, and the help.
#[tokio::test(flavor = "multi_thread")]
async fn whole_screens() {
    let [json_doc, ..] = responses().await;

    let mut app = App::new(connection());
    app.start();
    snap_screen("screen_80x24_starting", &app, 80, 24);

    let app = with_methods();
    snap_screen("screen_80x24_browsing_methods", &app, 80, 24);
    snap_screen("screen_120x40_browsing_methods", &app, 120, 40);

    let mut app = with_response(json_doc);
    snap_screen("screen_80x24_response", &app, 80, 24);
    snap_screen("screen_120x40_response", &app, 120, 40);
    act(&mut app, Action::Focus(Pane::Response));
    snap_screen("screen_120x40_response_focused", &app, 120, 40);

    act(&mut app, Action::ToggleHelp);
    snap_screen("screen_80x24_help", &app, 80, 24);
    snap_screen("screen_120x40_help", &app, 120, 40);
}

// --- Hostile text -------------------------------------------------------------------------

/// Escape sequences, OSC 52, bidi overrides, zero-width and C1 characters from the server
/// (connector name, method name, parameters, response body) are drawn as visible escapes.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_text_is_drawn_inert() {
    let [.., hostile_doc] = responses().await;

    let mut items = connectors();
    items.insert(1, hostile_connector());
    let mut app = with_connectors(items);
    act(&mut app, Action::Down);
    let id = load_methods_id(&act(&mut app, Action::Select));
    let mut methods = salesforce_methods();
    methods.push(hostile_method());
    app.update(Msg::MethodsLoaded {
        id,
        result: Ok(methods),
    });
    while app.methods.selected().and_then(|m| m.id) != Some(HOSTILE_TEXT) {
        act(&mut app, Action::Down);
    }
    snap_screen("hostile_120x40_methods", &app, 120, 40);
    snap_screen("hostile_80x24_methods", &app, 80, 24);

    act(&mut app, Action::Select);
    let id = call_id(&act(&mut app, Action::Send));
    snap_screen("hostile_120x40_in_flight", &app, 120, 40);
    app.update(call_finished(id, Ok(hostile_doc)));
    snap_screen("hostile_120x40_response", &app, 120, 40);
    act(&mut app, Action::Focus(Pane::Response));
    for _ in 0..3 {
        act(&mut app, Action::NextTab);
        draw(&app, 120, 40);
    }
    act(&mut app, Action::ToggleWrap);
    draw(&app, 120, 40);
    draw(&app, 80, 24);
}

// --- Sizes --------------------------------------------------------------------------------

/// Any size draws without panicking; below 60×12 a notice says the terminal is too small.
#[tokio::test(flavor = "multi_thread")]
async fn every_size_draws() {
    let [json_doc, html_doc, ..] = responses().await;
    let mut apps = vec![App::new(connection()), with_response(json_doc)];
    let mut app = with_response(html_doc);
    act(&mut app, Action::Focus(Pane::Methods));
    apps.push(app);
    let mut app = with_method_chosen();
    act(&mut app, Action::ToggleHelp);
    apps.push(app);
    let mut app = with_connectors(vec![]);
    app.methods.items = Loadable::Failed(status_error(500, &"x".repeat(500)));
    apps.push(app);

    let sizes = [
        (1, 1),
        (2, 1),
        (1, 40),
        (7, 3),
        (20, 5),
        (59, 11),
        (59, 40),
        (200, 11),
        (60, 12),
        (61, 13),
        (64, 17),
        (80, 24),
        (97, 31),
        (119, 40),
        (120, 12),
        (121, 41),
        (300, 100),
    ];
    for app in &apps {
        for (w, h) in sizes {
            let (terminal, _) = draw(app, w, h);
            let text = terminal.backend().to_string();
            let too_small = w < 60 || h < 12;
            assert_eq!(
                text.contains("Terminal") && text.contains("small"),
                too_small && w >= 20,
                "{w}×{h}:\n{text}"
            );
        }
    }
    snap_screen("screen_40x10_too_small", &apps[1], 40, 10);
    snap_screen("screen_60x12_smallest", &apps[1], 60, 12);
}

// --- Ids of any length --------------------------------------------------------------------

/// Parameter and field ids of 6, 9 and 12 digits show whole in the method detail table and
/// in the editor (with their names beside them), at 120 and 200 columns (names are
/// shortened, never ids).
#[test]
fn long_ids_are_never_cut() {
    let ids = [512_001_i64, 730_100_201, 123_456_789_012];
    let method: cyclr_tui::cyclr::Method = cyclr_tui::cyclr::model::decode(json!({
        "Id": 51_200_011,
        "Name": "Create Invoice",
        "Category": "Invoices",
        "MethodUniqueIdentifier": "0b7c3c52-6f0e-4e8f-9d1e-4d2a8c1f2b33",
        "Parameters": [{"Id": ids[0], "Name": "Ledger", "DataType": "Integer", "IsOptional": false}],
        "RequestFields": [
            {"Id": ids[1], "Name": "Customer reference as printed on the remittance advice", "DataType": "Text", "IsOptional": true},
            {"Id": ids[2], "Name": "Due Date", "DataType": "DateTime", "IsOptional": true,
             "Values": ["2026-12-31", "2027-01-31"]}
        ]
    }));
    let mut app = with_connectors(connectors());
    let id = load_methods_id(&act(&mut app, Action::Select));
    app.update(Msg::MethodsLoaded {
        id,
        result: Ok(vec![method]),
    });
    for (w, h) in [(120, 40), (200, 50)] {
        let (terminal, view) = draw(&app, w, h);
        let text = terminal.backend().to_string();
        for id in ids {
            assert!(
                text.contains(&format!(" {id} ")),
                "{w}x{h}: id {id} whole\n{text}"
            );
        }
        let _ = view;
        snap(&format!("long_ids_detail_{w}x{h}"), &text);
    }
    act(&mut app, Action::Select);
    for (w, h) in [(120, 40), (200, 50)] {
        let (terminal, view) = draw(&app, w, h);
        let editor = region(terminal.backend().buffer(), view.panes[&Pane::Editor]);
        for id in ids {
            assert!(
                editor.contains(&format!("\"{id}\": \"\",  // ")),
                "{w}x{h}: id {id} whole, its name beside it\n{editor}"
            );
        }
        snap(&format!("long_ids_editor_{w}x{h}"), &editor);
    }
}

// --- Hints follow the keymap --------------------------------------------------------------

/// With `send` on F9 and the endpoint toggle on F3, the status bar, the editor header, the
/// response hint and the help all say so, and no screen says Ctrl-S or F6.
#[test]
fn hints_follow_a_remapped_keymap() {
    use cyclr_tui::keymap::{Keymap, Remap};
    let keymap = Keymap::with_remaps(&[
        Remap {
            action: "send".into(),
            keys: vec!["f9".into()],
        },
        Remap {
            action: "toggle_endpoint".into(),
            keys: vec!["f3".into()],
        },
    ])
    .expect("a valid remap");
    let mut app = with_method_chosen();
    app.keymap = std::sync::Arc::new(keymap);
    let (terminal, _) = draw(&app, 80, 24);
    let editor = terminal.backend().to_string();
    act(&mut app, Action::ToggleHelp);
    let (terminal, _) = draw(&app, 120, 40);
    let help = terminal.backend().to_string();
    for screen in [&editor, &help] {
        assert!(
            !screen.contains("Ctrl-S") && !screen.contains("F6"),
            "{screen}"
        );
    }
    assert!(
        editor.contains("F9 send") && editor.contains("F3 endpoint"),
        "{editor}"
    );
    snap("remapped_keys_80x24_editor", &editor);
    snap("remapped_keys_120x40_help", &help);
}

/// A notice is read before anything else on the status bar: at 80 columns the whole of the
/// required-value notice is on the last row, with the account after it cut if need be.
#[test]
fn a_notice_fits_the_status_bar_at_80_columns() {
    let mut app = with_methods();
    while app.methods.selected().and_then(|m| m.id) != Some(CREATE_CONTACT) {
        act(&mut app, Action::Down);
    }
    act(&mut app, Action::Select);
    app.safety.confirm_writes = false;
    assert!(act(&mut app, Action::Send).is_empty());
    let notice = app.notice.clone().expect("a notice").text;
    let (terminal, _) = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let last = region(buffer, Rect::new(0, 23, 80, 1));
    assert!(last.contains(&notice), "{notice:?} not whole in {last}");
}

/// The account picker and the history overlay at 80×24 and 120×40: the current account
/// marked, a filter typed; recorded calls with status, time, size, and two marked.
#[test]
fn picker_and_history_overlays() {
    use cyclr_tui::app::{HistoryPicker, HistoryScope, Overlay};
    use cyclr_tui::history::Summary;
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = with_methods();
        let id = match act(&mut app, Action::PickAccount).as_slice() {
            [Effect::LoadAccounts { id }] => *id,
            other => panic!("{other:?}"),
        };
        let accounts = cyclr_tui::sandbox::DemoData::load()
            .expect("the demo data")
            .accounts()
            .into_iter()
            .map(cyclr_tui::cyclr::model::decode)
            .collect();
        app.update(Msg::AccountsLoaded {
            id,
            result: Ok(accounts),
        });
        snap_screen(&format!("account_picker_{w}x{h}"), &app, w, h);
        type_text(&mut app, "acme");
        snap_screen(&format!("account_picker_filtered_{w}x{h}"), &app, w, h);

        let mut app = with_methods();
        let mut picker = HistoryPicker::new(HistoryScope::All);
        let calls: Vec<Summary> = (0..12)
            .map(|i| Summary {
                id: 100 - i,
                time_ms: 1_764_684_000_000 - i * 60_000,
                profile: String::new(),
                account: "acme-prod".into(),
                account_connector_id: 204_511,
                connector_name: "Salesforce (Sales Team)".into(),
                method_id: Some(512_201 + i % 3),
                method_uid: None,
                method_name: ["List Contacts", "Get Contact", "Create Contact"]
                    [usize::try_from(i % 3).unwrap()]
                .into(),
                endpoint: "call".into(),
                http_method: "POST".into(),
                status: [Some(200), Some(404), None][usize::try_from(i % 3).unwrap()],
                error: None,
                elapsed_ms: 120 + u64::try_from(i).unwrap(),
                size: 1_300 * u64::try_from(i + 1).unwrap(),
            })
            .collect();
        picker.list.set_items(calls);
        picker.toggle_mark();
        picker.list.list.move_by(3);
        picker.toggle_mark();
        app.overlays.push(Overlay::History(Box::new(picker)));
        snap_screen(&format!("history_{w}x{h}"), &app, w, h);
    }
}

/// `NO_COLOR`: no cell keeps a colour; the selected row (a background colour otherwise) is
/// shown reversed, so it is still seen.
#[test]
fn no_color_leaves_no_colour_and_keeps_the_selection_visible() {
    use ratatui::style::{Color, Modifier};
    let mut app = with_methods();
    app.no_color = true;
    let (terminal, _) = draw(&app, 120, 40);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a colour is left"
    );
    assert!(
        buffer
            .content
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED) && c.symbol() == "›"),
        "the selected row is reversed"
    );
    app.no_color = false;
    let (terminal, _) = draw(&app, 120, 40);
    assert!(
        terminal
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.bg != Color::Reset),
        "colours by default"
    );
}

/// The request form, the picker of allowed values, and a lookup's picker (loaded, then
/// failed with the IP allow-list's 403), at 80×24 and 120×40.
#[test]
fn form_and_its_pickers() {
    use cyclr_tui::app::Overlay;
    use cyclr_tui::lookup::Choice;
    let choices = || {
        [
            ("0035g00000Xy1AbAAJ", "ada.lovelace@acme.example"),
            ("0035g00000Xy1AcAAJ", "grace.hopper@globex.example"),
            ("0035g00000Xy1AdAAJ", "katherine.johnson@nasa.example"),
        ]
        .map(|(id, label)| Choice {
            id: id.into(),
            label: label.into(),
        })
        .to_vec()
    };
    let row_named = |app: &mut App, name: &str| {
        while app
            .editor
            .form
            .as_ref()
            .and_then(|f| f.row())
            .is_some_and(|r| r.name != name)
        {
            act(app, Action::Down);
        }
    };
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = with_method_chosen();
        act(&mut app, Action::ToggleForm);
        assert!(app.editor.form.is_some());
        row_named(&mut app, "Page Size");
        type_text(&mut app, "2.5");
        snap_screen(&format!("form_list_contacts_{w}x{h}"), &app, w, h);
        row_named(&mut app, "Status");
        act(&mut app, Action::Select);
        snap_screen(&format!("picker_values_{w}x{h}"), &app, w, h);

        let mut app = with_methods();
        while app.methods.selected().and_then(|m| m.id) != Some(UPDATE_CONTACT) {
            act(&mut app, Action::Down);
        }
        act(&mut app, Action::Select);
        act(&mut app, Action::ToggleForm);
        let (id, key) = match act(&mut app, Action::Select).as_slice() {
            [Effect::Lookup { id, key }] => (*id, key.clone()),
            other => panic!("{other:?}"),
        };
        snap_screen(&format!("picker_lookup_loading_{w}x{h}"), &app, w, h);
        app.update(Msg::LookupLoaded {
            id,
            key: key.clone(),
            result: Ok(choices()),
        });
        snap_screen(&format!("picker_lookup_{w}x{h}"), &app, w, h);
        type_text(&mut app, "grace");
        act(&mut app, Action::Select);
        assert!(app.overlays.is_empty());
        snap_screen(&format!("form_update_contact_{w}x{h}"), &app, w, h);

        act(&mut app, Action::Select);
        let id = match act(&mut app, Action::Rerun).as_slice() {
            [Effect::Lookup { id, .. }] => *id,
            other => panic!("{other:?}"),
        };
        app.update(Msg::LookupLoaded {
            id,
            key,
            result: Err(status_error(
                403,
                "Unknown client IP Address: contact support to request access for this IP address",
            )),
        });
        assert!(matches!(app.overlays.last(), Some(Overlay::Choices(_))));
        snap_screen(&format!("picker_lookup_failed_{w}x{h}"), &app, w, h);
    }
}
