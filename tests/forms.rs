//! The request form (`F2`), its pickers and lookups, and the account connector details, on
//! the real app loop against the sandbox: what the server receives is what the form says.

use crossterm::event::{KeyCode, KeyModifiers};
mod support;

use cyclr_tui::app::{App, Overlay};
use cyclr_tui::sandbox::ReceivedRequest;
use support::harness::{Harness, connectors_ready, methods_ready, response_status};

/// The Salesforce (Sales Team) method `filter` picks, opened in the editor.
async fn open_salesforce_method(h: &mut Harness, filter: &str, name: &str) {
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Enter);
    h.until("methods", methods_ready).await;
    h.type_text(&format!("/{filter}"));
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.until("the editor", |app| {
        app.editor.target.as_ref().is_some_and(|t| t.name == name)
    })
    .await;
}

fn choices_ready(app: &App) -> bool {
    matches!(app.overlays.last(), Some(Overlay::Choices(p)) if p.list.items.ready().is_some())
}

/// Calls of method `method_id` the sandbox received.
fn calls_of(h: &Harness, method_id: i64) -> Vec<ReceivedRequest> {
    let path = format!("/methods/{method_id}");
    h.sandbox
        .received()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(&path))
        .collect()
}

fn sent_body(h: &Harness, method_id: i64) -> serde_json::Value {
    let calls = calls_of(h, method_id);
    let last = calls.last().expect("the method was called");
    serde_json::from_slice(&last.body).expect("a JSON body")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lookup_fills_update_contacts_contact_id_and_the_server_gets_that_id() {
    let mut h = Harness::start(120, 40).await;
    open_salesforce_method(&mut h, "update contact", "Update Contact").await;
    h.key(KeyCode::F(2));
    h.until("the form", |app| app.editor.form.is_some()).await;
    let screen = h.screen();
    assert!(screen.contains("Contact Id"), "{screen}");
    assert!(screen.contains("↗ lookup"), "{screen}");

    // Enter on "Contact Id" (the first row) calls List Contacts once and lists the emails.
    h.key(KeyCode::Enter);
    h.until("the lookup's choices", choices_ready).await;
    assert_eq!(calls_of(&h, 512_201).len(), 1, "one lookup call");
    let screen = h.screen();
    assert!(screen.contains("ada.lovelace@acme.example"), "{screen}");
    let grace = {
        let Some(Overlay::Choices(p)) = h.runtime.app().overlays.last() else {
            unreachable!()
        };
        let items = p.list.items.ready().unwrap();
        items
            .iter()
            .find(|c| c.label.starts_with("grace"))
            .expect("Grace is a contact")
            .clone()
    };
    h.type_text("grace");
    h.key(KeyCode::Enter);
    h.until("the id in the row", |app| {
        app.overlays.is_empty()
            && app
                .editor
                .form
                .as_ref()
                .is_some_and(|f| f.rows[0].value == grace.id)
    })
    .await;
    let label = |app: &App| {
        let form = app.editor.form.as_ref()?;
        app.lookup_label(&form.rows[0]).map(str::to_string)
    };
    assert_eq!(
        label(h.runtime.app()).as_deref(),
        Some(grace.label.as_str()),
        "shown beside the id"
    );
    assert!(h.screen().contains("grace."), "{}", h.screen());

    // Another method and back: the form comes back from the draft, the label with it.
    let open = |h: &Harness, filter: &str| {
        h.key_with(KeyCode::Char('2'), KeyModifiers::ALT);
        h.key(KeyCode::Char('/'));
        h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
        h.type_text(filter);
        h.key(KeyCode::Enter);
        h.key(KeyCode::Enter);
    };
    open(&h, "get contact");
    h.until("another method", |app| {
        app.editor
            .target
            .as_ref()
            .is_some_and(|t| t.name != "Update Contact")
    })
    .await;
    open(&h, "update contact");
    h.until("Update Contact again, as a form", |app| {
        app.editor
            .target
            .as_ref()
            .is_some_and(|t| t.name == "Update Contact")
            && app.editor.form.is_some()
    })
    .await;
    assert_eq!(
        label(h.runtime.app()).as_deref(),
        Some(grace.label.as_str()),
        "{}",
        h.screen()
    );

    // The picker again: from the session's cache, no second call; Ctrl-R calls again.
    h.key(KeyCode::Enter);
    h.until("the cached choices", choices_ready).await;
    assert_eq!(calls_of(&h, 512_201).len(), 1, "cached");
    h.key_with(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.until("the lookup called again", |app| {
        matches!(app.overlays.last(), Some(Overlay::Choices(p)) if p.list.items.waiting_for().is_some())
    })
    .await;
    h.until("refreshed", choices_ready).await;
    assert_eq!(calls_of(&h, 512_201).len(), 2, "refreshed");
    // Esc leaves the value as it was.
    h.key(KeyCode::Esc);
    h.until("closed", |app| app.overlays.is_empty()).await;

    // Send (a write: confirmed), and the server receives the chosen id.
    h.key(KeyCode::F(5));
    h.until("the confirmation", |app| {
        matches!(app.overlays.last(), Some(Overlay::ConfirmSend { .. }))
    })
    .await;
    h.key(KeyCode::Enter);
    h.until("the response", |app| response_status(app).is_some())
        .await;
    let body = sent_body(&h, 512_204);
    assert_eq!(body["Parameters"]["3400026"], grace.id.as_str(), "{body}");
    assert_eq!(
        body["Fields"],
        serde_json::json!({}),
        "empty rows are not sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn allowed_values_dates_and_the_json_view_agree_with_what_is_sent() {
    let mut h = Harness::start(120, 40).await;
    open_salesforce_method(&mut h, "list contacts", "List Contacts").await;
    h.key(KeyCode::F(2));
    h.until("the form", |app| app.editor.form.is_some()).await;
    let row_of = |app: &App, name: &str| {
        app.editor
            .form
            .as_ref()
            .and_then(|f| f.rows.iter().position(|r| r.name == name))
    };
    let status = row_of(h.runtime.app(), "Status").expect("a Status row");
    let since = row_of(h.runtime.app(), "Modified Since").expect("a DateTime row");

    // The status picker offers the allowed values; the chosen one goes in the row.
    for _ in 0..status {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    h.until("the allowed values", choices_ready).await;
    let screen = h.screen();
    for value in ["Active", "Inactive", "Archived"] {
        assert!(screen.contains(value), "{value}: {screen}");
    }
    h.type_text("arch");
    h.key(KeyCode::Enter);
    h.until("Archived chosen", |app| {
        app.overlays.is_empty()
            && app
                .editor
                .form
                .as_ref()
                .is_some_and(|f| f.rows[status].value == "Archived")
    })
    .await;

    // A date that is no date blocks the send, naming the row.
    for _ in status..since {
        h.key(KeyCode::Tab);
    }
    h.type_text("not a date");
    h.key(KeyCode::F(5));
    h.until("refused", |app| {
        app.editor
            .error
            .as_deref()
            .is_some_and(|e| e.contains("Modified Since"))
    })
    .await;
    assert!(calls_of(&h, 512_201).is_empty(), "nothing sent");
    let screen = h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("Modified Since"))
        .unwrap_or_default();
    assert!(row.contains("✗ not a date"), "marked in place: {screen}");

    // `-1d` is sent as an ISO timestamp (typed as `1d`, then `-` put in front of it).
    h.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.type_text("1d");
    h.key(KeyCode::Home);
    h.type_text("-");
    h.key(KeyCode::F(5));
    h.until("the response", |app| response_status(app) == Some(200))
        .await;
    let body = sent_body(&h, 512_201);
    assert_eq!(body["Parameters"]["3400334"], "Archived", "{body}");
    let since_sent = body["Parameters"]["3400335"].as_str().unwrap_or_default();
    assert!(
        cyclr_tui::datetime::resolve(since_sent, std::time::SystemTime::now()).is_ok()
            && since_sent.ends_with('Z')
            && since_sent.len() == 20,
        "{since_sent}"
    );

    // Back to JSON: the text holds the form's values.
    h.key(KeyCode::F(2));
    h.until("the JSON", |app| app.editor.form.is_none()).await;
    let text = h.runtime.app().editor.text();
    assert!(text.contains("\"3400334\": \"Archived\""), "{text}");
    assert_eq!(
        h.runtime.app().editor.textarea.cursor(),
        (0, 0),
        "the text is shown from its top"
    );
    assert!(text.contains("\"3400335\": \"20"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_json_keeps_the_text_and_says_where() {
    let mut h = Harness::start(120, 40).await;
    open_salesforce_method(&mut h, "list contacts", "List Contacts").await;
    h.key_with(KeyCode::Char('l'), KeyModifiers::CONTROL);
    h.type_text("{\"Parameters\": {,}");
    h.key(KeyCode::F(2));
    h.until("refused", |app| app.editor.error.is_some()).await;
    let app = h.runtime.app();
    assert!(app.editor.form.is_none());
    let error = app.editor.error.clone().unwrap_or_default();
    assert!(error.contains("line 1, column"), "{error}");
    assert_eq!(app.editor.text(), "{\"Parameters\": {,}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_details_of_an_account_connector_show_its_properties_masked() {
    let mut h = Harness::start(120, 40).await;
    h.until("connectors", connectors_ready).await;
    h.key(KeyCode::Char('i'));
    h.until(
        "the details",
        |app| matches!(app.overlays.last(), Some(Overlay::Details(d)) if d.info.ready().is_some()),
    )
    .await;
    let screen = h.screen();
    assert!(screen.contains("Properties ("), "{screen}");
    assert!(screen.contains("Authentication"), "{screen}");
    assert!(
        h.sandbox
            .received()
            .iter()
            .any(|r| r.path.ends_with("/properties")),
        "the properties route was asked"
    );
    assert!(screen.contains("OAuth2 (AuthorisationCode)"), "{screen}");
    h.key(KeyCode::Esc);
    h.until("closed", |app| app.overlays.is_empty()).await;

    // A connector with Basic auth: no OAuth flow beside it.
    h.type_text("/support desk");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('i'));
    h.until(
        "its details",
        |app| matches!(app.overlays.last(), Some(Overlay::Details(d)) if d.info.ready().is_some()),
    )
    .await;
    let screen = h.screen();
    let auth = screen
        .lines()
        .find(|l| l.contains("Auth type"))
        .unwrap_or_default();
    assert!(
        auth.contains("Basic") && !auth.contains("Unknown"),
        "{screen}"
    );
}
