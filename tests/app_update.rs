//! `App::update` as a pure state machine: feed messages (keys go through the keymap, as in
//! the runtime), then check the new state and the effects it asks for. No terminal, no network.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cyclr_tui::action::{Action, Pane};
use cyclr_tui::app::{App, Loadable, Mode, Outcome, Overlay};
use cyclr_tui::cyclr::{CallRequest, Endpoint, MethodRef, PageProgress, Verb};
use cyclr_tui::effect::Effect;
use cyclr_tui::msg::Msg;
use support::*;

fn outcome_error(app: &App) -> Option<String> {
    match app.response.outcome() {
        Some(Outcome::Failed(e)) => Some(e.to_string()),
        _ => None,
    }
}

fn visible_connector_names(app: &App) -> Vec<String> {
    let items = app.connectors.items.ready().expect("connectors ready");
    app.connectors
        .list
        .visible()
        .iter()
        .map(|&i| items[i].name.clone().unwrap_or_default())
        .collect()
}

// --- Loading the connectors -------------------------------------------------------------

/// Start-up asks for the connectors and shows them when the matching reply arrives.
#[test]
fn start_loads_connectors_and_the_reply_fills_the_list() {
    let mut app = App::new(connection());
    assert!(matches!(app.connectors.items, Loadable::Idle));
    let id = load_connectors_id(&app.start());
    assert_eq!(app.connectors.items.waiting_for(), Some(id));
    assert!(app.is_busy());

    let effects = app.update(Msg::ConnectorsLoaded {
        id,
        result: Ok(connectors()),
    });
    assert!(effects.is_empty());
    let all = connectors().len();
    assert_eq!(app.connectors.items.ready().map(Vec::len), Some(all));
    assert_eq!(app.connectors.list.visible().len(), all);
    assert_eq!(
        app.connectors.selected().and_then(|c| c.id),
        Some(SALESFORCE_SALES)
    );
    assert!(!app.is_busy());
}

/// A reply to a superseded load (after `r`) is ignored; the newer one is still awaited.
#[test]
fn stale_connectors_reply_is_ignored() {
    let mut app = App::new(connection());
    let first = load_connectors_id(&app.start());
    let effects = press(&mut app, ch('r'));
    let second = match effects.as_slice() {
        [Effect::Cancel(old), Effect::LoadConnectors { id }] if *old == first => *id,
        other => panic!("expected Cancel + LoadConnectors, got {other:?}"),
    };
    assert_ne!(first, second);

    app.update(Msg::ConnectorsLoaded {
        id: first,
        result: Ok(connectors()),
    });
    assert_eq!(app.connectors.items.waiting_for(), Some(second));

    app.update(Msg::ConnectorsLoaded {
        id: second,
        result: Err(status_error(503, "maintenance")),
    });
    assert!(
        matches!(&app.connectors.items, Loadable::Failed(e) if e.to_string().contains("maintenance")),
        "{:?}",
        app.connectors.items
    );
}

/// Page progress is recorded for the current load only.
#[test]
fn connectors_progress_updates_the_loading_state() {
    let mut app = App::new(connection());
    let id = load_connectors_id(&app.start());
    let progress = PageProgress {
        page: 2,
        total_pages: Some(5),
        items: 200,
    };
    app.update(Msg::ConnectorsProgress { id, progress });
    assert!(matches!(
        app.connectors.items,
        Loadable::Loading { progress: Some(p), .. } if p == progress
    ));

    let stale = PageProgress {
        page: 9,
        total_pages: None,
        items: 900,
    };
    app.update(Msg::ConnectorsProgress {
        id: id + 100,
        progress: stale,
    });
    assert!(matches!(
        app.connectors.items,
        Loadable::Loading { progress: Some(p), .. } if p == progress
    ));
}

// --- Focus --------------------------------------------------------------------------------

/// Tab and Shift-Tab walk the panes in order and wrap; `Focus` jumps; digits jump outside
/// the editor and are typed inside it.
#[test]
fn focus_moves_with_tab_shift_tab_and_digits() {
    let mut app = with_connectors(connectors());
    assert_eq!(app.focus, Pane::Connectors);

    let mut seen = Vec::new();
    for _ in 0..4 {
        press(&mut app, key(KeyCode::Tab));
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        [
            Pane::Methods,
            Pane::Editor,
            Pane::Response,
            Pane::Connectors
        ]
    );

    let mut seen = Vec::new();
    for _ in 0..4 {
        press(
            &mut app,
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        );
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        [
            Pane::Response,
            Pane::Editor,
            Pane::Methods,
            Pane::Connectors
        ]
    );

    act(&mut app, Action::FocusPrevious);
    assert_eq!(app.focus, Pane::Response);
    act(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Connectors);
    act(&mut app, Action::Focus(Pane::Response));
    assert_eq!(app.focus, Pane::Response);

    for (digit, pane) in [
        ('2', Pane::Methods),
        ('4', Pane::Response),
        ('1', Pane::Connectors),
        ('3', Pane::Editor),
    ] {
        assert!(press(&mut app, ch(digit)).is_empty());
        assert_eq!(app.focus, pane, "after {digit}");
    }
    // In the editor a digit is text, not a pane jump.
    press(&mut app, ch('1'));
    assert_eq!(app.focus, Pane::Editor);
    assert_eq!(app.editor.text(), "1");
}

// --- Connectors → methods -----------------------------------------------------------------

/// Enter on a connector loads its release's methods (by `Connector.Id`) and focuses them.
#[test]
fn enter_on_a_connector_loads_its_methods() {
    let mut app = with_connectors(connectors());
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::LoadMethods {
                connector_id: SALESFORCE_RELEASE,
                ..
            }]
        ),
        "{effects:?}"
    );
    assert_eq!(app.focus, Pane::Methods);
    let owner = app.methods.owner.as_ref().expect("owner");
    assert_eq!(owner.account_connector_id, SALESFORCE_SALES);
    assert_eq!(owner.connector_id, SALESFORCE_RELEASE);
    assert_eq!(owner.name, "Salesforce (Sales Team)");

    app.update(Msg::MethodsLoaded {
        id: load_methods_id(&effects),
        result: Ok(salesforce_methods()),
    });
    assert_eq!(
        app.methods.items.ready().map(Vec::len),
        Some(salesforce_methods().len())
    );
    // Sorted by category: Accounts first.
    assert_eq!(app.methods.selected().and_then(|m| m.id), Some(512212));
}

/// Choosing another connector while methods load cancels the old load; its late reply is
/// dropped, and the new one is shown.
#[test]
fn another_connector_while_loading_cancels_and_drops_the_stale_reply() {
    let mut app = with_connectors(connectors());
    let first = load_methods_id(&press(&mut app, key(KeyCode::Enter)));

    press(&mut app, ch('1'));
    press(&mut app, ch('j'));
    press(&mut app, ch('j'));
    assert_eq!(app.connectors.selected().and_then(|c| c.id), Some(HUBSPOT));
    let effects = press(&mut app, key(KeyCode::Enter));
    let second = match effects.as_slice() {
        [
            Effect::Cancel(old),
            Effect::LoadMethods {
                id,
                connector_id: HUBSPOT_RELEASE,
            },
        ] if *old == first => *id,
        other => panic!("expected Cancel(first) + LoadMethods(4381), got {other:?}"),
    };

    app.update(Msg::MethodsLoaded {
        id: first,
        result: Ok(salesforce_methods()),
    });
    assert_eq!(app.methods.items.waiting_for(), Some(second));
    assert_eq!(
        app.methods.owner.as_ref().map(|o| o.name.as_str()),
        Some("HubSpot Marketing")
    );

    app.update(Msg::MethodsLoaded {
        id: second,
        result: Ok(vec![]),
    });
    assert_eq!(app.methods.items.ready().map(Vec::len), Some(0));
}

/// A failed methods load is shown; `r` in the methods pane tries again.
#[test]
fn failed_methods_load_can_be_reloaded() {
    let mut app = with_connectors(connectors());
    let id = load_methods_id(&press(&mut app, key(KeyCode::Enter)));
    app.update(Msg::MethodsLoaded {
        id,
        result: Err(status_error(404, "connector 5122")),
    });
    assert!(matches!(app.methods.items, Loadable::Failed(_)));
    let effects = press(&mut app, ch('r'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::LoadMethods {
                connector_id: SALESFORCE_RELEASE,
                ..
            }]
        ),
        "{effects:?}"
    );
}

// --- The editor ---------------------------------------------------------------------------

/// Enter on a method puts its template (every parameter and request field id) in the editor.
#[test]
fn enter_on_a_method_fills_the_editor_with_its_template() {
    let mut app = with_methods();
    while app.methods.selected().and_then(|m| m.id) != Some(CREATE_CONTACT) {
        press(&mut app, ch('j'));
    }
    assert!(press(&mut app, key(KeyCode::Enter)).is_empty());
    assert_eq!(app.focus, Pane::Editor);
    assert!(app.editor_has_keys());
    let target = app.editor.target.as_ref().expect("target");
    assert_eq!(target.account_connector_id, SALESFORCE_SALES);
    assert_eq!(target.method_id, Some(CREATE_CONTACT));
    assert_eq!(target.name, "Create Contact");

    // Every request field is on a line with its name; only the required ones are sent.
    let text = app.editor.text();
    let method = create_contact();
    for field in &method.request_fields {
        let id = field.id.unwrap();
        let line = text
            .lines()
            .find(|l| l.contains(&format!("\"{id}\"")))
            .expect("a line per field");
        assert!(line.contains(field.name.as_deref().unwrap()), "{line}");
        assert_eq!(
            line.trim_start().starts_with("//"),
            !field.is_required(),
            "{line}"
        );
    }
    let body = cyclr_tui::body::RequestBody::from_jsonc(&text).expect("valid JSONC");
    let required: Vec<String> = method
        .request_fields
        .iter()
        .filter(|f| f.is_required())
        .map(|f| f.id.unwrap().to_string())
        .collect();
    assert_eq!(body.fields.keys().cloned().collect::<Vec<_>>(), required);
    assert!(body.parameters.is_empty());

    // List Contacts has only optional parameters: an untouched request sends none.
    let mut app = with_method_chosen();
    let (request, _) = app.editor.request().expect("a request");
    assert_eq!(request.body, r#"{"Parameters":{},"Fields":{}}"#);
    // Keys are text now: `q` is typed, not quit.
    press(&mut app, ch('q'));
    assert!(!app.should_quit);
}

/// Keys typed in the editor change the text; a multi-line paste arrives as one edit.
#[test]
fn typing_and_pasting_edit_the_text() {
    let mut app = with_method_chosen();
    let before = app.editor.text();
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::End));
    type_text(&mut app, " ");
    assert_ne!(app.editor.text(), before);
    press(&mut app, key(KeyCode::Backspace));
    assert_eq!(app.editor.text(), before);

    let lines_before = app.editor.textarea.lines().len();
    let effects = app.update(Msg::Paste("\r\n    \"3400001\": \"1\",\r\n".into()));
    assert!(effects.is_empty());
    let text = app.editor.text();
    assert!(text.contains("\n    \"3400001\": \"1\",\n"), "{text}");
    assert!(!text.contains('\r'));
    assert_eq!(app.editor.textarea.lines().len(), lines_before + 2);
    // One undo (Ctrl-U in the editor) takes the whole paste back: it was one event.
    press(&mut app, ctrl('u'));
    assert_eq!(app.editor.text(), before);
}

/// Invalid JSON is not sent: nothing happens but an error naming line and column.
#[test]
fn send_with_invalid_json_is_refused_and_keeps_the_text() {
    let mut app = with_method_chosen();
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::End));
    type_text(&mut app, " oops");
    let typed = app.editor.text();

    let effects = press(&mut app, ctrl('s'));
    assert!(effects.is_empty(), "{effects:?}");
    let error = app.editor.error.clone().expect("an error");
    assert!(error.contains("line 2, column"), "{error}");
    assert_eq!(app.editor.text(), typed);
    assert!(app.response.in_flight().is_none());
    assert!(app.notice.as_ref().is_some_and(|n| n.is_error));

    // Editing clears the error.
    press(&mut app, key(KeyCode::Backspace));
    assert!(app.editor.error.is_none());
}

/// Send builds the request from the editor: path, verb, endpoint and how the method is
/// addressed (by Id, or by GUID after toggling).
#[test]
fn send_emits_the_call_described_by_the_editor() {
    let mut app = with_method_chosen();
    let body = r#"{"Parameters":{},"Fields":{}}"#.to_string();
    let effects = press(&mut app, ctrl('s'));
    let expected = CallRequest {
        account_connector_id: SALESFORCE_SALES,
        method: MethodRef::Id(LIST_CONTACTS),
        endpoint: Endpoint::Call,
        verb: Verb::Post,
        content_type: cyclr_tui::cyclr::ContentType::Json,
        body: body.clone(),
    };
    let first = match effects.as_slice() {
        [Effect::Call { id, request, .. }] => {
            assert_eq!(request, &expected);
            assert_eq!(
                request.path(),
                "/v1.0/account/connectors/204511/methods/512201"
            );
            *id
        }
        other => panic!("expected one Call, got {other:?}"),
    };
    assert!(app.editor.error.is_none());
    let flight = app.response.in_flight().expect("in flight");
    assert_eq!(flight.id, first);
    assert_eq!(app.response.shown().expect("shown").method, "List Contacts");
    app.update(call_finished(first, Err(status_error(500, "done"))));

    press(&mut app, ctrl('o'));
    assert!(app.editor.by_guid);
    let effects = press(&mut app, ctrl('s'));
    match effects.as_slice() {
        [Effect::Call { request, .. }] => {
            assert_eq!(request.method, MethodRef::Guid(LIST_CONTACTS_GUID.into()));
            assert_eq!(
                request.path(),
                format!("/v1.0/account/connectors/204511/methods/{LIST_CONTACTS_GUID}")
            );
        }
        other => panic!("expected one Call, got {other:?}"),
    }
}

/// The endpoint cycles call → test → raw body → call; the verb toggles POST ↔ GET. Both
/// change the request that Send emits.
#[test]
fn endpoint_and_verb_toggles_change_the_request() {
    let mut app = with_method_chosen();
    let request = |app: &App| app.editor.request().expect("a valid request").0;

    press(&mut app, key(KeyCode::F(6)));
    assert_eq!(app.editor.endpoint, Endpoint::Test);
    assert_eq!(
        request(&app).path(),
        "/v1.0/account/connectors/204511/test/512201"
    );
    press(&mut app, ctrl('t'));
    assert_eq!(app.editor.endpoint, Endpoint::RawBody);
    assert_eq!(
        request(&app).path(),
        "/v1.0/account/connectors/204511/methods/512201/body"
    );
    act(&mut app, Action::ToggleEndpoint);
    assert_eq!(app.editor.endpoint, Endpoint::Call);

    press(&mut app, ctrl('g'));
    assert_eq!(app.editor.verb, Verb::Get);
    // With GET the body is not sent, so it is not checked either.
    type_text(&mut app, "not json");
    let effects = press(&mut app, key(KeyCode::F(5)));
    assert!(
        matches!(effects.as_slice(), [Effect::Call { request, .. }] if request.verb == Verb::Get),
        "{effects:?}"
    );
    press(&mut app, key(KeyCode::F(7)));
    assert_eq!(app.editor.verb, Verb::Post);

    // Outside the editor the same toggles are plain letters.
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Response);
    press(&mut app, ch('t'));
    assert_eq!(app.editor.endpoint, Endpoint::Test);
    press(&mut app, ch('p'));
    assert_eq!(app.editor.verb, Verb::Get);
    press(&mut app, ch('u'));
    assert!(app.editor.by_guid);
}

// --- Calls in flight ----------------------------------------------------------------------

/// Esc cancels the call in flight and keeps the previous response; the cancelled call's
/// late reply is ignored.
#[test]
fn cancel_keeps_the_previous_response_and_ignores_the_late_reply() {
    let mut app = with_method_chosen();
    let first = call_id(&press(&mut app, ctrl('s')));
    app.update(call_finished(
        first,
        Err(transport_error("http://sandbox.test/v1.0/…")),
    ));
    assert!(outcome_error(&app).is_some_and(|e| e.starts_with("connection refused")));
    assert!(app.response.in_flight().is_none());

    let second = call_id(&press(&mut app, ctrl('s')));
    assert_ne!(first, second);
    assert!(app.is_busy());
    let effects = press(&mut app, key(KeyCode::Esc));
    assert_eq!(effects, [Effect::Cancel(second)]);
    assert!(app.response.in_flight().is_none());
    assert!(outcome_error(&app).is_some_and(|e| e.starts_with("connection refused")));
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("cancelled List Contacts")
    );

    app.update(call_finished(second, Err(status_error(500, "late"))));
    assert!(outcome_error(&app).is_some_and(|e| e.starts_with("connection refused")));

    // Esc with nothing in flight does nothing.
    assert!(press(&mut app, key(KeyCode::Esc)).is_empty());
}

/// A new Send while a call is in flight cancels the old call; only the new reply counts.
#[test]
fn a_new_send_cancels_the_call_in_flight() {
    let mut app = with_method_chosen();
    let first = call_id(&press(&mut app, ctrl('s')));
    let effects = press(&mut app, ctrl('s'));
    let second = match effects.as_slice() {
        [Effect::Cancel(old), Effect::Call { id, .. }] if *old == first => *id,
        other => panic!("expected Cancel(first) + Call, got {other:?}"),
    };
    app.update(call_finished(first, Err(status_error(500, "stale"))));
    assert!(app.response.outcome().is_none());
    assert_eq!(app.response.in_flight().map(|f| f.id), Some(second));
    app.update(call_finished(second, Err(status_error(500, "fresh"))));
    assert!(outcome_error(&app).is_some_and(|e| e.contains("fresh")));
    assert!(!app.is_busy());
}

/// A write in flight is not sent a second time by a second press of the send key: the
/// user is told, and Esc still cancels it.
#[test]
fn a_second_send_of_a_write_in_flight_is_refused() {
    let mut app = create_contact_chosen();
    fill_last_name(&mut app);
    press(&mut app, ctrl('s'));
    let first = call_id(&press(&mut app, key(KeyCode::Enter)));
    assert!(press(&mut app, ctrl('s')).is_empty());
    assert!(press(&mut app, key(KeyCode::F(5))).is_empty());
    let notice = app.notice.clone().expect("a notice");
    assert!(notice.text.contains("already sending"), "{notice:?}");
    assert!(notice.text.contains("Esc cancels"), "{notice:?}");
    assert_eq!(app.response.in_flight().map(|f| f.id), Some(first));
    assert_eq!(press(&mut app, key(KeyCode::Esc)), [Effect::Cancel(first)]);
}

/// A response belongs to the method that made it: another method shows its own last
/// response (or none), the reply to a call of a method no longer shown lands on that
/// method, and each response keeps its own search.
#[test]
fn responses_and_searches_stay_with_their_method() {
    let mut app = with_method_chosen();
    let list_call = call_id(&press(&mut app, ctrl('s')));
    let docs = list_contacts_doc();
    // Open another method while List Contacts is in flight.
    press(&mut app, key(KeyCode::Tab)); // response
    press(&mut app, key(KeyCode::Tab)); // connectors
    press(&mut app, key(KeyCode::Tab)); // methods
    assert_eq!(app.focus, Pane::Methods);
    press(&mut app, key(KeyCode::Up));
    press(&mut app, key(KeyCode::Enter));
    let other = app.editor.target.clone().expect("another method");
    assert_ne!(other.name, "List Contacts");
    assert_eq!(
        app.response.shown().map(|e| e.method.clone()),
        Some(other.name.clone())
    );
    assert!(app.response.in_flight().is_none() && app.response.outcome().is_none());

    // List Contacts' reply arrives: it is kept for List Contacts, not shown here.
    app.update(call_finished(list_call, Ok(docs)));
    assert!(app.response.outcome().is_none());
    assert!(!app.is_busy());

    // Back on List Contacts: its response, searchable; the search stays with it.
    press(&mut app, key(KeyCode::Tab)); // response
    press(&mut app, key(KeyCode::Tab)); // connectors
    press(&mut app, key(KeyCode::Tab)); // methods
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(
        app.response.shown().map(|e| e.method.as_str()),
        Some("List Contacts")
    );
    assert!(app.response.doc().is_some());
    press(&mut app, key(KeyCode::Tab)); // response
    press(&mut app, ch('/'));
    type_text(&mut app, "lovelace");
    press(&mut app, key(KeyCode::Enter));
    assert!(app.response.search().is_some_and(|s| s.hit.is_some()));

    // The other method has no search of its own.
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Up));
    press(&mut app, key(KeyCode::Enter));
    assert!(app.response.search().is_some_and(|s| s.query.is_empty()));
}

// --- Filter, help, quit -------------------------------------------------------------------

/// `/` starts a filter, typed keys narrow the list, Enter keeps it, Esc clears it.
#[test]
fn filter_narrows_the_list_and_esc_clears_it() {
    let mut app = with_connectors(connectors());
    press(&mut app, ch('/'));
    assert_eq!(app.mode, Mode::Filter(Pane::Connectors));
    type_text(&mut app, "sales");
    assert_eq!(app.connectors.list.filter(), "sales");
    assert_eq!(
        visible_connector_names(&app),
        ["Salesforce (Sales Team)", "Salesforce (Support Sandbox)"]
    );
    // While typing, letters that are commands elsewhere are text.
    type_text(&mut app, "q");
    assert!(!app.should_quit);
    assert!(app.connectors.list.visible().is_empty());
    press(&mut app, key(KeyCode::Backspace));
    type_text(&mut app, " support");
    assert_eq!(
        visible_connector_names(&app),
        ["Salesforce (Support Sandbox)"]
    );

    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.connectors.list.filter(), "sales support");
    assert_eq!(app.connectors.selected().and_then(|c| c.id), Some(204512));

    press(&mut app, ch('/'));
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.connectors.list.filter(), "");
    assert_eq!(app.connectors.list.visible().len(), connectors().len());
    // The selection survives clearing the filter.
    assert_eq!(app.connectors.selected().and_then(|c| c.id), Some(204512));
}

/// `?` opens and closes the help; while it is open other keys only close it.
#[test]
fn help_toggles_and_swallows_keys() {
    let mut app = with_connectors(connectors());
    press(&mut app, ch('?'));
    assert!(matches!(
        app.top_overlay(),
        Some(Overlay::Help { scroll: 0 })
    ));
    press(&mut app, ch('j'));
    assert_eq!(app.connectors.list.selected(), 0);
    assert!(matches!(
        app.top_overlay(),
        Some(Overlay::Help { scroll: 1 })
    ));
    press(&mut app, ch('q'));
    assert!(app.top_overlay().is_none());
    assert!(!app.should_quit);
    act(&mut app, Action::ToggleHelp);
    press(&mut app, key(KeyCode::Esc));
    assert!(app.top_overlay().is_none());
}

/// `q` quits (cancelling a call in flight); Ctrl-C quits even from the editor.
#[test]
fn quit_sets_should_quit() {
    let mut app = with_connectors(connectors());
    assert!(press(&mut app, ch('q')).is_empty());
    assert!(app.should_quit);

    let mut app = with_method_chosen();
    let id = call_id(&press(&mut app, ctrl('s')));
    let effects = press(&mut app, ctrl('c'));
    assert_eq!(effects, [Effect::Cancel(id)]);
    assert!(app.should_quit);
}

/// Create Contact chosen in the editor (a write, with one required field: Last Name).
fn create_contact_chosen() -> App {
    let mut app = with_methods();
    while app.methods.selected().and_then(|m| m.id) != Some(CREATE_CONTACT) {
        act(&mut app, Action::Down);
    }
    act(&mut app, Action::Select);
    assert!(app.editor.target.as_ref().is_some_and(|t| t.access.write));
    app
}

/// Types "Lovelace" between the quotes of the required Last Name line.
fn fill_last_name(app: &mut App) {
    let text = app.editor.text();
    let row = text
        .lines()
        .position(|l| l.contains("\"3400015\": \"\""))
        .expect("the Last Name line");
    press(app, ctrl('a'));
    let filled = text.replacen("\"3400015\": \"\"", "\"3400015\": \"Lovelace\"", 1);
    app.update(Msg::Paste(filled));
    assert!(
        app.editor
            .text()
            .lines()
            .nth(row)
            .unwrap()
            .contains("Lovelace")
    );
}

/// A write asks first: the overlay names the method, the connector, the account and the
/// values; Esc goes back with nothing sent, Enter sends exactly that request.
#[test]
fn a_write_asks_first_and_esc_sends_nothing() {
    let mut app = create_contact_chosen();
    fill_last_name(&mut app);
    assert!(press(&mut app, ctrl('s')).is_empty());
    let Some(Overlay::ConfirmSend { lines, request, .. }) = app.top_overlay() else {
        panic!("a confirmation: {:?}", app.top_overlay());
    };
    let (lines, request) = (lines.clone(), (**request).clone());
    let all = lines.join("\n");
    assert!(
        all.contains("Create Contact") && all.contains("Salesforce (Sales Team)"),
        "{all}"
    );
    assert!(all.contains("acme-prod"), "{all}");
    assert!(
        all.contains("field Last Name (3400015) = \"Lovelace\""),
        "{all}"
    );
    assert!(
        !all.contains("3400014"),
        "an optional field left commented out is not sent: {all}"
    );
    assert!(press(&mut app, key(KeyCode::Esc)).is_empty());
    assert!(app.top_overlay().is_none() && app.response.in_flight().is_none());

    press(&mut app, ctrl('s'));
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Call { request: sent, .. }] if *sent == request),
        "{effects:?}"
    );
    assert_eq!(
        request.body,
        r#"{"Parameters":{},"Fields":{"3400015":"Lovelace"}}"#
    );
}

/// An empty required value blocks the send, naming it; a second press soon after sends
/// anyway. Read-only mode refuses writes with nothing sent, and says why.
#[test]
fn required_values_and_read_only_mode() {
    let mut app = create_contact_chosen();
    app.safety.confirm_writes = false;
    assert!(press(&mut app, ctrl('s')).is_empty());
    let notice = app.notice.clone().expect("a notice");
    assert!(
        notice.text.contains("field Last Name (3400015)"),
        "{notice:?}"
    );
    assert!(notice.text.contains("again sends it"), "{notice:?}");
    let effects = press(&mut app, ctrl('s'));
    assert!(
        matches!(effects.as_slice(), [Effect::Call { .. }]),
        "{effects:?}"
    );

    let mut app = create_contact_chosen();
    app.safety.read_only = true;
    fill_last_name(&mut app);
    assert!(press(&mut app, ctrl('s')).is_empty());
    assert!(app.top_overlay().is_none());
    let notice = app.notice.clone().expect("a notice");
    assert!(notice.text.starts_with("read-only mode"), "{notice:?}");
    assert!(notice.text.contains("\"Create\" in its name"), "{notice:?}");
    // A read still goes.
    let mut app = with_method_chosen();
    app.safety.read_only = true;
    assert!(matches!(
        press(&mut app, ctrl('s')).as_slice(),
        [Effect::Call { .. }]
    ));
}
