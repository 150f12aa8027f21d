//! Shared fixtures for the explorer's tests: realistic Cyclr JSON decoded with the real
//! decoder, key helpers that go through the keymap, and (for snapshots) real responses
//! from the sandbox.
#![allow(dead_code)] // each test binary uses its own part of the fixtures

/// The real binary in a pseudo-terminal (also included directly by `tests/e2e_pty.rs` and
/// `benches/e2e.rs`).
pub mod pty;

/// The real app loop on a `TestBackend`, driven by key events against the sandbox.
pub mod harness;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cyclr_tui::action::Action;
use cyclr_tui::app::{App, Connection};
use cyclr_tui::cyclr::model::decode;
use cyclr_tui::cyclr::{
    AccountConnector, ApiError, CallRequest, ClientConfig, Credentials, CyclrClient, Endpoint,
    Method, MethodRef, Secret, TransportKind, Verb,
};
use cyclr_tui::document::ResponseDoc;
use cyclr_tui::effect::{Effect, RequestId};
use cyclr_tui::msg::{CallError, Msg};
use cyclr_tui::sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Salesforce (Sales Team): account connector 204511 on connector release 5122.
pub const SALESFORCE_SALES: i64 = 204511;
pub const SALESFORCE_RELEASE: i64 = 5122;
/// `HubSpot` Marketing: account connector 204513 on release 4381.
pub const HUBSPOT: i64 = 204513;
pub const HUBSPOT_RELEASE: i64 = 4381;
/// HTTP Bin (Demo Tools): account connector 204520 on release 9001.
pub const HTTP_BIN: i64 = 204520;
pub const LIST_CONTACTS: i64 = 512201;
pub const LIST_CONTACTS_GUID: &str = "7e62aa42-20be-597a-a8d0-2690ab34fa30";
pub const CREATE_CONTACT: i64 = 512203;
pub const UPDATE_CONTACT: i64 = 512204;
pub const HTML_502: i64 = 900106;
pub const CSV_EXPORT: i64 = 900109;
pub const HOSTILE_TEXT: i64 = 900111;

/// Hostile text: a screen clear, an OSC 52 clipboard write, a bidi override, a zero-width
/// space and C1 controls (CSI, NEL).
pub const HOSTILE: &str =
    "Evil \u{1b}[2J\u{1b}]52;c;aGVsbG8=\u{7} \u{202e}gnp.exe\u{202c}\u{200b} \u{9b}31m\u{85}end";

/// The demo connection, without ports, so snapshots are stable.
pub fn connection() -> Connection {
    Connection {
        demo: true,
        instance: "http://sandbox.test".into(),
        account: "acme-prod".into(),
        ..Default::default()
    }
}

fn account_connector(
    id: i64,
    name: &str,
    release: i64,
    connector: &str,
    version: &str,
    authenticated: bool,
    partner: bool,
) -> AccountConnector {
    decode(json!({
        "Id": id,
        "Name": name,
        "Description": format!("{name} for the Acme account."),
        "Authenticated": authenticated,
        "IsPartnerIntegrationConnector": partner,
        "AuthValue": "{\"AccessToken\": \"do-not-print\"}",
        "Connector": {"Id": release, "Name": connector, "Version": version,
                      "Status": "Approved", "AuthType": "OAuth2"},
        "Properties": [{"Id": id * 10 + 1, "Name": "InstanceUrl", "Value": "acme.example"}]
    }))
}

/// The sandbox's demo data (the same files it serves), loaded once.
fn demo_data() -> &'static cyclr_tui::sandbox::DemoData {
    static DATA: std::sync::OnceLock<cyclr_tui::sandbox::DemoData> = std::sync::OnceLock::new();
    DATA.get_or_init(|| cyclr_tui::sandbox::DemoData::load().expect("the demo data loads"))
}

/// The demo account's connectors, as the sandbox's `/v1.0/account/connectors` returns them.
pub fn connectors() -> Vec<AccountConnector> {
    demo_data()
        .account_connectors("acme-prod")
        .into_iter()
        .map(decode)
        .collect()
}

/// One connector whose name carries hostile text.
pub fn hostile_connector() -> AccountConnector {
    account_connector(
        204519,
        HOSTILE,
        3902,
        "Zendesk \u{1b}]8;;https://evil.example/\u{7}Support",
        "v2\u{202e}",
        true,
        false,
    )
}

#[allow(clippy::needless_pass_by_value)] // fixtures read best with owned JSON
fn param(id: i64, name: &str, data_type: &str, optional: bool, values: Value) -> Value {
    json!({"Id": id, "Name": name, "Description": format!("{name}."), "IsOptional": optional,
           "DataType": data_type, "TargetType": "QueryString", "Values": values})
}

#[allow(clippy::needless_pass_by_value)] // fixtures read best with owned JSON
fn method(
    id: i64,
    name: &str,
    category: &str,
    guid: &str,
    parameters: Vec<Value>,
    fields: Vec<Value>,
) -> Method {
    decode(json!({
        "Id": id,
        "Name": name,
        "Description": format!("{name} in Salesforce."),
        "Category": category,
        "MethodType": "Action",
        "EndPoint": "https://acme.my.salesforce.com/services/data/v58.0/sobjects",
        "HttpMethod": if name.starts_with("List") || name.starts_with("Get") { "GET" } else { "POST" },
        "MethodUniqueIdentifier": guid,
        "Parameters": parameters,
        "RequestFields": fields,
        "ResponseFields": []
    }))
}

/// The methods of Salesforce release 5122, as the sandbox's `/v1.0/connectors/5122/methods`
/// returns them (server order, not sorted).
pub fn salesforce_methods() -> Vec<Method> {
    demo_data()
        .methods(SALESFORCE_RELEASE)
        .into_iter()
        .map(decode)
        .collect()
}

/// One Salesforce method by id.
fn salesforce_method(id: i64) -> Method {
    salesforce_methods()
        .into_iter()
        .find(|m| m.id == Some(id))
        .expect("the demo data has this method")
}

/// The List Contacts method of Salesforce release 5122.
pub fn list_contacts() -> Method {
    salesforce_method(LIST_CONTACTS)
}

/// The Create Contact method (request fields, one required).
pub fn create_contact() -> Method {
    salesforce_method(CREATE_CONTACT)
}

/// A method whose name, category and parameter carry hostile text.
pub fn hostile_method() -> Method {
    decode(json!({
        "Id": HOSTILE_TEXT,
        "Name": HOSTILE,
        "Description": "Returns strings with terminal escapes \u{1b}[31m(red)\u{1b}[0m and \u{202e}bidi.",
        "Category": "Hostile \u{9b}1m",
        "MethodType": "Action",
        "EndPoint": "https://httpbin.sandbox.invalid/hostile\u{1b}]52;c;aGk=\u{7}",
        "MethodUniqueIdentifier": "608d5b64-285f-5fc0-9ab6-f76952e3748d",
        "Parameters": [{"Id": 3400399, "Name": "Mode \u{200b}\u{202e}x", "DataType": "Text\u{85}",
                        "IsOptional": true, "Values": ["a\u{1b}[2J", "b"]}],
        "RequestFields": []
    }))
}

/// A key press with no modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A character key press.
pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// A key press with Ctrl.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Sends a key the way the runtime does: through the keymap, then `update`.
pub fn press(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let keymap = Arc::clone(&app.keymap);
    match keymap.message_for(app, key) {
        Some(msg) => app.update(msg),
        None => Vec::new(),
    }
}

/// Types each character of `text` as a key press.
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| press(app, ch(c))).collect()
}

/// Applies an action.
pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    app.update(Msg::Action(action))
}

/// The id of the only `LoadConnectors` effect.
pub fn load_connectors_id(effects: &[Effect]) -> RequestId {
    match effects {
        [Effect::LoadConnectors { id }] => *id,
        other => panic!("expected one LoadConnectors, got {other:?}"),
    }
}

/// The id of the last `LoadMethods` effect (after any `Cancel`).
pub fn load_methods_id(effects: &[Effect]) -> RequestId {
    match effects.last() {
        Some(Effect::LoadMethods { id, .. }) => *id,
        other => panic!("expected LoadMethods last, got {effects:?} ({other:?})"),
    }
}

/// The id of the last `Call` effect.
pub fn call_id(effects: &[Effect]) -> RequestId {
    match effects.last() {
        Some(Effect::Call { id, .. }) => *id,
        _ => panic!("expected Call last, got {effects:?}"),
    }
}

/// A started explorer with the connectors loaded.
pub fn with_connectors(items: Vec<AccountConnector>) -> App {
    let mut app = App::new(connection());
    let id = load_connectors_id(&app.start());
    app.update(Msg::ConnectorsLoaded {
        id,
        result: Ok(items),
    });
    app
}

/// Connectors loaded, Salesforce (Sales Team) opened and its methods loaded (Methods focused).
pub fn with_methods() -> App {
    let mut app = with_connectors(connectors());
    let id = load_methods_id(&act(&mut app, Action::Select));
    app.update(Msg::MethodsLoaded {
        id,
        result: Ok(salesforce_methods()),
    });
    app
}

/// Methods loaded and List Contacts chosen (Editor focused).
pub fn with_method_chosen() -> App {
    let mut app = with_methods();
    // Sorted by category: Accounts, Contacts (Create, Get, List), …
    while app.methods.selected().and_then(|m| m.id) != Some(LIST_CONTACTS) {
        act(&mut app, Action::Down);
    }
    act(&mut app, Action::Select);
    app
}

/// A transport failure, as the worker reports it.
pub fn transport_error(url: &str) -> CallError {
    Arc::new(ApiError::Transport {
        kind: TransportKind::Refused,
        url: url.into(),
        detail: "tcp connect error: Connection refused (os error 111)".into(),
    })
}

/// A failure with a status and message, as the worker reports it.
pub fn status_error(status: u16, message: &str) -> CallError {
    Arc::new(ApiError::from_status(
        status,
        "Error",
        None,
        json!({ "Message": message }).to_string().as_bytes(),
        || cyclr_tui::cyclr::AuthSuspect::StaticToken,
    ))
}

/// A call's outcome, as the worker reports it.
pub fn call_finished(id: RequestId, result: Result<Arc<ResponseDoc>, CallError>) -> Msg {
    Msg::CallFinished {
        id,
        result,
        at: cyclr_tui::msg::Arrival {
            time: std::time::SystemTime::UNIX_EPOCH,
            clock: "12:34:56".into(),
        },
    }
}

/// A proxy call of `method` through account connector `id` (POST to the call endpoint).
pub fn call_request(id: i64, method: i64, body: &Value) -> CallRequest {
    CallRequest {
        account_connector_id: id,
        method: MethodRef::Id(method),
        endpoint: Endpoint::Call,
        verb: Verb::Post,
        body: body.to_string(),
        content_type: cyclr_tui::cyclr::ContentType::Json,
    }
}

/// A client of `sandbox` for its demo account, with the demo client credentials.
pub fn demo_client(sandbox: &Sandbox) -> CyclrClient {
    let demo = sandbox.demo();
    let mut config = ClientConfig::new(
        sandbox.base_url().parse().expect("sandbox url"),
        Some(demo.account_id.clone()),
        Credentials::ClientCredentials {
            client_id: demo.client_id.clone(),
            client_secret: Secret::new(demo.client_secret.clone()),
            scope: None,
        },
    );
    config.timeout = Duration::from_secs(20);
    CyclrClient::new(config).expect("client")
}

/// A demo sandbox on a free loopback port, and a client for its demo account.
pub async fn demo_sandbox() -> (Sandbox, CyclrClient) {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    let client = demo_client(&sandbox);
    (sandbox, client)
}

/// Starts the sandbox, makes these calls as the demo account, and lays each response out.
pub async fn sandbox_responses(requests: &[CallRequest]) -> Vec<Arc<ResponseDoc>> {
    let (_sandbox, client) = demo_sandbox().await;
    let mut docs = Vec::new();
    for request in requests {
        let response = tokio::time::timeout(Duration::from_secs(30), client.call(request))
            .await
            .expect("answered in time")
            .expect("a response");
        let doc = ResponseDoc::new(response);
        // As the worker does once the response is shown.
        doc.build_table();
        docs.push(Arc::new(doc));
    }
    docs
}

/// A laid-out 200 response to List Contacts (built here, not fetched).
pub fn list_contacts_doc() -> Arc<ResponseDoc> {
    let body = json!({"records": [
        {"Id": "0035g00000Xy1AbAAJ", "FirstName": "Ada", "LastName": "Lovelace"},
        {"Id": "0035g00000Xy1AcAAJ", "FirstName": "Grace", "LastName": "Hopper"}
    ]});
    let response = cyclr_tui::cyclr::CallResponse::from_parts(
        200,
        "OK",
        vec![("content-type".into(), "application/json".into())],
        Duration::from_millis(3),
        body.to_string().into(),
        cyclr_tui::cyclr::SentRequest::default(),
    );
    Arc::new(ResponseDoc::new(response))
}
