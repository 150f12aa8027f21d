//! The real app loop (`Runtime`) driven by a channel of key events against the sandbox,
//! drawn on a `TestBackend`: waits on state, never on time.

use crossterm::event::{Event, KeyCode, KeyModifiers};
mod support;

use cyclr_tui::action::Pane;
use cyclr_tui::app::{App, Outcome, Overlay};
use cyclr_tui::history::{History, Query, Retention};
use cyclr_tui::sandbox::Sandbox;
use std::time::Duration;
use support::harness::{Harness, connectors_ready, methods_ready, response_status};
use tokio::time::timeout;

#[tokio::test(flavor = "multi_thread")]
async fn select_edit_send_and_read_the_response() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    assert!(h.screen().contains("Salesforce (Sales Team)"));

    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.type_text("/get contact");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| {
        app.editor
            .target
            .as_ref()
            .is_some_and(|t| t.name == "Get Contact")
    })
    .await;
    assert!(
        h.screen().contains("Request: Get Contact"),
        "{}",
        h.screen()
    );

    // The template's third line is `    "3400008": "",  // Contact Id · …`: put a contact id
    // between the quotes (16 characters in).
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Home);
    for _ in 0..16 {
        h.key(KeyCode::Right);
    }
    h.type_text("0035g00000Xy1AbAAJ");
    h.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.until("the response", |app| response_status(app).is_some())
        .await;
    let screen = h.screen();
    assert_eq!(response_status(h.runtime.app()), Some(200), "{screen}");
    assert!(screen.contains("200 OK"), "{screen}");
    assert!(screen.contains("\"FirstName\": \"Ada\""), "{screen}");

    // The request as sent, with the token masked.
    h.key(KeyCode::Tab);
    h.key(KeyCode::Char(']'));
    h.key(KeyCode::Char(']'));
    h.key(KeyCode::Char(']'));
    h.until("the request tab", |app| {
        app.response.tab == cyclr_tui::app::Tab::Request
    })
    .await;
    let screen = h.screen();
    assert!(
        screen.contains("Authorization: Bearer ********"),
        "{screen}"
    );
    assert!(screen.contains("0035g00000Xy1AbAAJ"), "{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_json_is_not_sent_and_nothing_typed_is_lost() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.editor.target.is_some())
        .await;
    h.type_text("oops");
    h.key(KeyCode::F(5));
    h.until("the error", |app| app.editor.error.is_some()).await;
    let app = h.runtime.app();
    assert!(app.response.in_flight().is_none() && app.response.outcome().is_none());
    assert!(
        app.editor.text().starts_with("oops{"),
        "{}",
        app.editor.text()
    );
    assert!(
        h.screen().contains("invalid JSON at line 1, column 1"),
        "{}",
        h.screen()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_call_can_be_cancelled_while_the_ui_stays_usable() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.open_demo_tool("slow").await;
    assert!(
        h.runtime
            .app()
            .editor
            .target
            .as_ref()
            .is_some_and(|t| t.name.starts_with("Slow"))
    );
    h.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.until("the call in flight", |app| {
        app.response.in_flight().is_some()
    })
    .await;
    assert!(h.screen().contains("calling Slow"), "{}", h.screen());

    // Everything else still works: leave the editor, open and close help, move around.
    h.key(KeyCode::Tab);
    h.key(KeyCode::Char('?'));
    h.until("help", |app| app.top_overlay().is_some()).await;
    assert!(h.screen().contains("Esc or ? closes"), "{}", h.screen());
    h.key(KeyCode::Esc);
    h.until("help closed", |app| app.top_overlay().is_none())
        .await;
    assert!(
        h.runtime.app().response.in_flight().is_some(),
        "closing help must not cancel the call"
    );

    h.key(KeyCode::Esc);
    h.until("the cancel", |app| app.response.in_flight().is_none())
        .await;
    let app = h.runtime.app();
    assert!(app.response.outcome().is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("cancelled"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_land_in_the_response_pane_in_plain_words() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.open_demo_tool("html error").await;
    h.key(KeyCode::F(5));
    h.until("the response", |app| {
        matches!(app.response.outcome(), Some(Outcome::Response(_)))
    })
    .await;
    let screen = h.screen();
    assert!(screen.contains("502 Bad Gateway"), "{screen}");
    assert!(
        screen.contains("the server sent an HTML error page"),
        "{screen}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn mouse_clicks_focus_and_select_and_the_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    let mouse = |kind, column, row| {
        Ok(Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // Third row of the connector list (the border is row 0).
    h.keys
        .unbounded_send(mouse(MouseEventKind::Down(MouseButton::Left), 5, 3))
        .unwrap();
    h.until("the click", |app| app.connectors.list.selected() == 2)
        .await;
    h.keys
        .unbounded_send(mouse(MouseEventKind::ScrollDown, 5, 10))
        .unwrap();
    h.until("the wheel", |app| app.connectors.list.selected() == 5)
        .await;
    // A click on the response pane focuses it.
    h.keys
        .unbounded_send(mouse(MouseEventKind::Down(MouseButton::Left), 100, 30))
        .unwrap();
    h.until("focus", |app| {
        app.focus == cyclr_tui::action::Pane::Response
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_click_on_a_tab_label_shows_it_and_a_double_click_opens_a_row() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    let click = |column, row| {
        Ok(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // Two clicks on the first connector row open it, like Enter.
    h.keys.unbounded_send(click(5, 1)).unwrap();
    h.keys.unbounded_send(click(5, 1)).unwrap();
    h.until("methods from a double click", methods_ready).await;
    assert_eq!(h.runtime.app().focus, cyclr_tui::action::Pane::Methods);

    h.type_text("/list contacts");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.editor.target.is_some())
        .await;
    h.key(KeyCode::F(5));
    h.until("the response", |app| response_status(app) == Some(200))
        .await;
    // Find the "Raw" label on screen and click it.
    let screen = h.screen();
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(" Pretty ") && l.contains(" Raw "))
        .expect("the tab line");
    let column = line
        .chars()
        .collect::<Vec<_>>()
        .windows(3)
        .position(|w| w == ['R', 'a', 'w'])
        .expect("Raw");
    h.keys
        .unbounded_send(click(column as u16 + 1, row as u16))
        .unwrap();
    h.until("the raw tab", |app| {
        app.response.tab == cyclr_tui::app::Tab::Raw
    })
    .await;
    assert_eq!(h.runtime.app().focus, cyclr_tui::action::Pane::Response);
}

/// A config file that moves `send` to F9: F9 sends, Ctrl-S does not, and no screen along the
/// way (status bar, editor header, response hints, help) still says Ctrl-S.
#[tokio::test(flavor = "multi_thread")]
async fn a_remapped_send_key_sends_and_every_hint_says_it() {
    let dir = std::env::temp_dir().join(format!("cyclr-tui-flow-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, "[keys]\nsend = [\"f9\"]\n").unwrap();
    let flags = cyclr_tui::settings::Flags {
        config: Some(path),
        ..Default::default()
    };
    let settings = cyclr_tui::settings::Settings::resolve(&flags, &|_| None).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let mut h = Harness::start_with(120, 40, settings.keymap).await;
    h.until("connectors", connectors_ready).await;
    let mut screens = vec![h.screen()];
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.type_text("/list contacts");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.editor.target.is_some())
        .await;
    screens.push(h.screen());
    h.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.key(KeyCode::F(5));
    h.key(KeyCode::F(1));
    h.until("help", |app| app.top_overlay().is_some()).await;
    assert!(
        h.runtime.app().response.in_flight().is_none()
            && h.runtime.app().response.outcome().is_none(),
        "Ctrl-S and F5 no longer send"
    );
    screens.push(h.screen());
    h.key(KeyCode::Esc);
    h.until("help closed", |app| app.top_overlay().is_none())
        .await;
    h.key(KeyCode::F(9));
    h.until("the response", |app| response_status(app) == Some(200))
        .await;
    screens.push(h.screen());
    for screen in &screens {
        assert!(!screen.contains("Ctrl-S"), "{screen}");
        assert!(!screen.contains("F5"), "{screen}");
    }
    assert!(screens[1].contains("F9 send"), "{}", screens[1]);
    assert!(screens[2].contains("F9"), "{}", screens[2]);
}

/// Esc leaves the editor for the methods list (a digit after it is then a pane key, as when
/// a terminal multiplexer sends Esc and the digit together); Alt-2 goes there directly.
#[tokio::test(flavor = "multi_thread")]
async fn esc_then_2_and_alt_2_leave_the_editor_for_the_methods() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.focus == Pane::Editor).await;
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('2'));
    h.until("the methods", |app| app.focus == Pane::Methods)
        .await;
    assert!(!h.runtime.app().editor.text().contains('2'));
    h.key(KeyCode::Char('3'));
    h.until("the editor again", |app| app.focus == Pane::Editor)
        .await;
    h.key_with(KeyCode::Char('2'), KeyModifiers::ALT);
    h.until("the methods via Alt-2", |app| app.focus == Pane::Methods)
        .await;
    assert!(!h.runtime.app().editor.text().contains('2'));
}

/// A body past the cap is kept when it arrives: `S` saves it to a file and the server sees
/// the call once (a write must never be made twice to save its answer).
#[tokio::test(flavor = "multi_thread")]
async fn a_body_too_large_to_show_is_saved_without_calling_again() {
    let mut h =
        Harness::start_full(120, 40, cyclr_tui::keymap::Keymap::default(), Some(2 << 20)).await;
    h.until("connectors", connectors_ready).await;
    h.open_demo_tool("10 MB").await;
    h.key(KeyCode::F(5));
    h.until("the cap", |app| {
        matches!(
            app.response.outcome(),
            Some(Outcome::TooLarge { kept: Some(_), .. })
        )
    })
    .await;
    assert!(
        h.screen().contains("the call is not made again"),
        "{}",
        h.screen()
    );
    let dir = std::env::current_dir().unwrap();
    h.key(KeyCode::Tab);
    h.key(KeyCode::Char('S'));
    h.until("saved", |app| {
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("saved "))
    })
    .await;
    let notice = h.runtime.app().notice.clone().unwrap().text;
    let name = notice.rsplit(" to ").next().unwrap().to_string();
    let path = dir.join(&name);
    let saved = std::fs::metadata(&path).map_or(0, |m| m.len());
    let _ = std::fs::remove_file(&path);
    assert!(saved > 10_000_000, "{notice}: {saved} bytes");
    let calls = h
        .sandbox
        .received()
        .into_iter()
        .filter(|r| r.path.contains("/methods/"))
        .count();
    assert_eq!(calls, 1, "the body was saved without calling again");
}

/// The number of proxy calls the sandbox received.
fn proxy_calls(sandbox: &Sandbox) -> usize {
    sandbox
        .received()
        .into_iter()
        .filter(|r| r.path.contains("/methods/"))
        .count()
}

/// The records in the response shown, if it is JSON with a `records` array.
fn records_shown(app: &App) -> Option<usize> {
    let doc = app.response.doc()?;
    let value: serde_json::Value = serde_json::from_slice(&doc.response.body).ok()?;
    value["records"].as_array().map(Vec::len)
}

fn history_items(app: &App) -> Option<usize> {
    match app.top_overlay() {
        Some(Overlay::History(p)) => p.list.items.ready().map(Vec::len),
        _ => None,
    }
}

/// Two calls of List Contacts are recorded; the history lists them, shows an old one marked
/// as recorded, compares two by path, and sends one again (the sandbox sees it).
#[tokio::test(flavor = "multi_thread")]
async fn history_shows_compares_and_sends_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    let mut h = Harness::start_remembering(120, 40, &db).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.type_text("/list contacts");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.editor.target.is_some())
        .await;
    h.key(KeyCode::F(5));
    h.until("five records", |app| records_shown(app) == Some(5))
        .await;
    h.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    h.type_text(r#"{"Parameters": {"3400002": "2"}}"#);
    h.key(KeyCode::F(5));
    h.until("two records", |app| records_shown(app) == Some(2))
        .await;

    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('H'));
    h.until("two calls in the history", |app| {
        history_items(app) == Some(2)
    })
    .await;
    assert!(
        h.screen().contains("History of List Contacts"),
        "{}",
        h.screen()
    );
    // Mark both (newest first), compare: the older had records 2..4 the newer lacks.
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down);
    h.key(KeyCode::Tab);
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL);
    h.until("the comparison", |app| {
        matches!(app.top_overlay(), Some(Overlay::Text(_)))
    })
    .await;
    let Some(Overlay::Text(view)) = h.runtime.app().top_overlay() else {
        unreachable!()
    };
    let all = view.lines.join("\n");
    assert!(all.contains("- .records[2]: {"), "{all}");
    assert!(all.contains("- .records[4]: {"), "{all}");
    assert!(
        !all.contains(".records[1]"),
        "the first two are the same: {all}"
    );

    // Back to the list; the older call (five records) shown as recorded.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Enter);
    h.until("the recorded response", |app| {
        app.response.shown().is_some_and(|e| e.recorded) && records_shown(app) == Some(5)
    })
    .await;
    assert!(h.screen().contains("recorded"), "{}", h.screen());

    // Sent again from the history: the sandbox sees a third call, with the old body.
    let before = proxy_calls(&h.sandbox);
    h.key(KeyCode::Char('H'));
    h.until("the history again", |app| history_items(app) == Some(2))
        .await;
    h.key(KeyCode::Down);
    h.key_with(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.until("the call sent again", |app| {
        records_shown(app) == Some(5) && app.response.shown().is_some_and(|e| !e.recorded)
    })
    .await;
    assert_eq!(proxy_calls(&h.sandbox), before + 1);
    h.runtime.shut_down();
    let history = History::open(&db, Retention::default()).unwrap();
    let calls = history.list(&Query::default()).unwrap();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls.iter().all(|c| c.method_name == "List Contacts"));
}

/// What was typed, and where the explorer was, come back at the next start.
#[tokio::test(flavor = "multi_thread")]
async fn drafts_and_place_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    let mut h = Harness::start_remembering(120, 40, &db).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.type_text("/create contact");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.editor.target.is_some())
        .await;
    h.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    h.type_text(r#"{"Fields": {"3400015": "Kept-Across-Restarts"}}"#);
    h.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    timeout(Duration::from_secs(20), async {
        while h.runtime.step().await.unwrap() {}
    })
    .await
    .expect("Ctrl-C quits");
    h.runtime.shut_down();
    drop(h);

    let mut h = Harness::start_remembering(120, 40, &db).await;
    h.until("back in the editor on Create Contact", |app| {
        app.editor
            .target
            .as_ref()
            .is_some_and(|t| t.name == "Create Contact")
            && app.focus == cyclr_tui::action::Pane::Editor
    })
    .await;
    assert!(
        h.runtime
            .app()
            .editor
            .text()
            .contains("Kept-Across-Restarts"),
        "{}",
        h.screen()
    );
}

/// The account picker lists the partner's accounts, filters as you type, and switching
/// reloads the connectors with the other account's header.
#[tokio::test(flavor = "multi_thread")]
async fn the_account_picker_switches_account() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Char('A'));
    h.until("the accounts", |app| {
        matches!(app.top_overlay(), Some(Overlay::Accounts(p)) if p.list.items.ready().is_some_and(|a| a.len() >= 4))
    })
    .await;
    assert!(h.screen().contains("(current)"), "{}", h.screen());
    h.type_text("staging");
    h.until("filtered", |app| {
        matches!(app.top_overlay(), Some(Overlay::Accounts(p)) if p.list.list.visible().len() == 1)
    })
    .await;
    h.key(KeyCode::Enter);
    h.until("the other account's connectors", |app| {
        app.connection.account == "acme-staging" && connectors_ready(app)
    })
    .await;
    let last = h
        .sandbox
        .received()
        .into_iter()
        .rfind(|r| r.path.starts_with("/v1.0/account/connectors"))
        .unwrap();
    assert_eq!(last.account.as_deref(), Some("acme-staging"));
    assert!(h.screen().contains("acme-staging"), "{}", h.screen());
}

/// The filter's result shown, one output a line (compact), if one is shown.
fn filtered_outputs(app: &App) -> Option<Vec<String>> {
    let result = app.response.shown()?.jq.result.as_ref()?;
    let text = result.text.bytes();
    Some(
        serde_json::Deserializer::from_slice(text)
            .into_iter::<serde_json::Value>()
            .map(|v| v.unwrap().to_string())
            .collect(),
    )
}

/// A jq filter typed fast on a 10 MB list: the result shown is the last filter's, only the
/// records it selects; Enter keeps it and remembers it for the method (Up brings it back);
/// Esc shows the body again.
#[tokio::test(flavor = "multi_thread")]
async fn a_jq_filter_typed_fast_on_10_mb_shows_only_what_it_selects() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite3");
    let mut h = Harness::start_remembering(120, 40, &db).await;
    h.until("connectors", connectors_ready).await;
    h.open_demo_tool("10 MB").await;
    h.key(KeyCode::F(5));
    h.until("the response", |app| response_status(app).is_some())
        .await;
    h.key(KeyCode::Tab);
    h.key(KeyCode::Char('|'));
    let filter = ".records[] | select(.id % 25000 == 0) | .email";
    h.type_text(filter);
    h.until("the filter's result", |app| {
        app.response
            .shown()
            .is_some_and(|e| e.jq.text == filter && !e.jq.running && e.jq.result.is_some())
    })
    .await;
    assert_eq!(
        filtered_outputs(h.runtime.app()).unwrap(),
        [
            "\"user025000@example.test\"",
            "\"user050000@example.test\"",
            "\"user075000@example.test\"",
            "\"user100000@example.test\""
        ]
    );
    let screen = h.screen();
    assert!(screen.contains("Response (jq)"), "{screen}");
    assert!(screen.contains(" Filtered "), "{screen}");
    assert!(screen.contains("4 outputs"), "{screen}");
    assert!(!screen.contains("user000001"), "{screen}");

    // A filter that does not parse: said inline, the last good result stays.
    h.type_text(" | [");
    h.until("the error", |app| {
        app.response.shown().is_some_and(|e| e.jq.error.is_some())
    })
    .await;
    assert_eq!(filtered_outputs(h.runtime.app()).unwrap().len(), 4);
    let screen = h.screen();
    assert!(screen.contains("last result kept"), "{screen}");
    assert!(screen.contains("expected closing bracket"), "{screen}");
    for _ in 0..4 {
        h.key(KeyCode::Backspace);
    }
    h.key(KeyCode::Enter);
    h.until("kept", |app| app.mode == cyclr_tui::app::Mode::Normal)
        .await;

    // Esc clears it; | then Up brings the remembered filter back.
    h.key(KeyCode::Esc);
    h.until("the body again", |app| {
        app.response.shown().is_some_and(|e| e.jq.result.is_none())
    })
    .await;
    assert!(h.screen().contains("user000001"), "{}", h.screen());
    h.key(KeyCode::Char('|'));
    h.until("the filters remembered", |app| {
        app.response
            .shown()
            .is_some_and(|e| !e.jq.history.is_empty())
    })
    .await;
    h.key(KeyCode::Up);
    h.until("the filter again", |app| {
        app.response
            .shown()
            .is_some_and(|e| e.jq.text == filter && e.jq.result.is_some() && !e.jq.running)
    })
    .await;
    assert_eq!(filtered_outputs(h.runtime.app()).unwrap().len(), 4);
}

/// Folding the 10 MB body: zM shows the root's children one a line with what they hide; za
/// on `records` opens it; zR opens everything.
#[tokio::test(flavor = "multi_thread")]
async fn folding_a_10_mb_body_shows_what_each_fold_hides() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.open_demo_tool("10 MB").await;
    h.key(KeyCode::F(5));
    h.until("the response", |app| response_status(app).is_some())
        .await;
    h.key(KeyCode::Tab);
    h.type_text("zM");
    h.until("folded", |app| {
        app.response.lines().is_some_and(|l| l.len() == 4)
    })
    .await;
    let screen = h.screen();
    assert!(
        screen.contains("\"records\": [… 100,000 items]"),
        "{screen}"
    );
    // The cursor is on the root: down to "records", open it.
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    h.type_text("za");
    h.until("records open", |app| {
        app.response.lines().is_some_and(|l| l.len() == 100_005)
    })
    .await;
    assert!(h.screen().contains("{… 5 keys},"), "{}", h.screen());
    h.type_text("zR");
    h.until("all open", |app| {
        app.response.lines().is_some_and(|l| l.len() > 600_000)
    })
    .await;
    // The path of the line under the cursor, ready for the filter.
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    h.until("the cursor on the first id", |app| {
        app.response.cursor() == Some(4)
    })
    .await;
    assert_eq!(
        h.runtime.app().response.cursor_path().as_deref(),
        Some(".records[0].id")
    );
}

/// The Table tab of List Contacts: a column per key, sorted by a column with `o` (and back
/// with `o` `o`), a column hidden in the picker, Enter shows the record's JSON.
#[tokio::test(flavor = "multi_thread")]
async fn the_table_tab_sorts_hides_columns_and_opens_a_record() {
    let mut h = Harness::start(140, 45).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.type_text("/list contacts");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| app.editor.target.is_some())
        .await;
    h.key(KeyCode::F(5));
    h.until("the response", |app| response_status(app) == Some(200))
        .await;
    h.key(KeyCode::Tab);
    h.key(KeyCode::Char(']'));
    h.until("the table built", |app| {
        app.response.tab == cyclr_tui::app::Tab::Table && app.response.table().is_some()
    })
    .await;
    let screen = h.screen();
    for column in ["Id", "FirstName", "LastName", "Email"] {
        assert!(screen.contains(column), "{column}: {screen}");
    }
    let last_names = |app: &App| -> Vec<String> {
        let table = app.response.table().unwrap().lock().unwrap();
        let column = table
            .columns()
            .iter()
            .position(|c| c.name == "LastName")
            .unwrap();
        (0..table.len())
            .map(|row| table.row_cell(row, column).to_string())
            .collect()
    };
    let unsorted = last_names(h.runtime.app());
    let mut sorted = unsorted.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_ne!(unsorted, sorted, "the demo data is not sorted already");

    // Two columns right (Id → FirstName → LastName), sort ascending, then descending.
    h.type_text("llo");
    h.until("sorted", |app| last_names(app) == sorted).await;
    assert!(h.screen().contains("LastName ▲"), "{}", h.screen());
    h.key(KeyCode::Char('o'));
    let mut descending = sorted.clone();
    descending.reverse();
    h.until("sorted down", |app| last_names(app) == descending)
        .await;
    h.key(KeyCode::Char('o'));
    h.until("the records' order", |app| last_names(app) == unsorted)
        .await;

    // The column picker hides the first column.
    h.key(KeyCode::Char('c'));
    h.until("the picker", |app| {
        matches!(app.top_overlay(), Some(Overlay::Columns))
    })
    .await;
    h.key(KeyCode::Char(' '));
    h.key(KeyCode::Enter);
    h.until("the picker closed", |app| app.overlays.is_empty())
        .await;
    assert!(
        !h.screen().contains("0035g00000Xy1AbAAJ"),
        "the Id column is hidden\n{}",
        h.screen()
    );

    // Enter on the second row: its record as JSON.
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.until("the record", |app| {
        matches!(app.top_overlay(), Some(Overlay::Text(t)) if t.title.contains("Record 2 of 5"))
    })
    .await;
    assert!(
        h.screen().contains("\"LastName\": \"Hopper\""),
        "{}",
        h.screen()
    );
}
