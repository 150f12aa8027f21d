//! `lookup` and `connectors show` as a script sees them: the real binary against the
//! sandbox (and wiremock for a server without the properties route).

use assert_cmd::Command;
#[path = "support/binary.rs"]
mod binary;
use cyclr_tui::sandbox::{DemoData, ReceivedRequest, Sandbox, SandboxConfig};
use serde_json::{Value, json};

const SALESFORCE_SALES: &str = "204511";
const UPDATE_CONTACT: &str = "512204";
const CONTACT_ID_PARAM: &str = "3400026";
const LIST_CONTACTS: &str = "512201";

/// The seed contacts of Salesforce (Sales Team), as List Contacts returns them.
const CONTACTS: [(&str, &str); 5] = [
    ("0035g00000Xy1AbAAJ", "ada.lovelace@acme.example"),
    ("0035g00000Xy1AcAAJ", "grace.hopper@globex.example"),
    ("0035g00000Xy1AdAAJ", "soren@initech.example"),
    ("0035g00000Xy1AeAAJ", "c.okafor@umbrella.example"),
    ("0035g00000Xy1AfAAJ", "h.tanaka@acme.example"),
];

fn cli() -> Command {
    binary::bare(&binary::scratch_data("lookup"))
}

fn against(sandbox: &Sandbox) -> Command {
    binary::against(cli(), sandbox)
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Each stdout line as JSON.
fn json_lines(output: &std::process::Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The (id, label) pairs printed.
fn pairs(output: &std::process::Output) -> Vec<(String, String)> {
    json_lines(output)
        .iter()
        .map(|v| {
            assert_eq!(
                v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()),
                Some(vec!["id".to_string(), "label".to_string()]),
                "{v}"
            );
            (
                v["id"].as_str().unwrap().to_string(),
                v["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn contacts() -> Vec<(String, String)> {
    CONTACTS
        .iter()
        .map(|(id, email)| ((*id).to_string(), (*email).to_string()))
        .collect()
}

/// Proxy calls the sandbox received (POST or GET on …/methods/ or …/test/).
fn proxy_calls(sandbox: &Sandbox) -> Vec<ReceivedRequest> {
    sandbox
        .received()
        .into_iter()
        .filter(|r| r.path.contains("/methods/") || r.path.contains("/test/"))
        .collect()
}

fn guid_of(connector: i64, method: i64) -> String {
    DemoData::load()
        .unwrap()
        .methods(connector)
        .into_iter()
        .find(|m| m["Id"] == method)
        .and_then(|m| m["MethodUniqueIdentifier"].as_str().map(str::to_string))
        .unwrap()
}

/// Update Contact's Contact Id looks its values up in List Contacts: one call to it with an
/// empty body on the same account connector, and each contact's Id and Email printed as one
/// compact JSON object a line.
#[tokio::test(flavor = "multi_thread")]
async fn lookup_by_parameter_id_prints_the_contacts() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["lookup", SALESFORCE_SALES, UPDATE_CONTACT, CONTACT_ID_PARAM])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
    assert_eq!(pairs(&output), contacts());
    let text = stdout(&output);
    assert!(
        text.starts_with(r#"{"id":"0035g00000Xy1AbAAJ","label":"ada.lovelace@acme.example"}"#),
        "compact, id first: {text}"
    );
    let calls = proxy_calls(&sandbox);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].method, "POST");
    assert_eq!(
        calls[0].path,
        format!("/v1.0/account/connectors/{SALESFORCE_SALES}/methods/{LIST_CONTACTS}")
    );
    let body: Value = serde_json::from_slice(&calls[0].body).unwrap();
    assert_eq!(body, json!({"Parameters": {}, "Fields": {}}));
    assert_eq!(calls[0].account.as_deref(), Some("acme-prod"));
}

/// The method by GUID and the parameter by name, in any case; `--values-only` prints the
/// ids alone.
#[tokio::test(flavor = "multi_thread")]
async fn lookup_by_guid_and_name_and_values_only() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let guid = guid_of(5122, 512204);
    let output = against(&sandbox)
        .args(["lookup", SALESFORCE_SALES, &guid, "contact ID"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(pairs(&output), contacts());

    let output = against(&sandbox)
        .args([
            "lookup",
            SALESFORCE_SALES,
            "512205",
            "Contact Id",
            "--values-only",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ids: Vec<String> = CONTACTS.iter().map(|(id, _)| (*id).to_string()).collect();
    assert_eq!(stdout(&output).lines().collect::<Vec<_>>(), ids);
}

/// Item keys may be nested (`[results].properties.email` of `HubSpot`), the list may be under
/// another name (Mailchimp's `[lists]`), and request fields have lookups too.
#[tokio::test(flavor = "multi_thread")]
async fn nested_keys_other_connectors_and_fields() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["lookup", "204513", "438104", "Contact Id"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let found = pairs(&output);
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(
        found[0],
        ("151".to_string(), "bh@hubspot.example".to_string())
    );

    let output = against(&sandbox)
        .args(["lookup", "204514", "331002", "List Id"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        pairs(&output),
        [
            ("4ca5becb8d".to_string(), "Acme Newsletter".to_string()),
            ("b5e1e6b9a2".to_string(), "Product Updates".to_string())
        ]
    );

    // Create Invoice's Status field: the statuses' values and labels.
    let output = against(&sandbox)
        .args(["lookup", "204518", "490707", "status", "--values-only"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).lines().collect::<Vec<_>>(),
        ["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"]
    );
}

/// A lookup of 10,000 items (HTTP Bin's Pick From Big List) prints them all.
#[tokio::test(flavor = "multi_thread")]
async fn a_lookup_of_ten_thousand_items() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["lookup", "204520", "900113", "Item Id"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let found = pairs(&output);
    assert_eq!(found.len(), 10_000);
    assert_eq!(found[0], ("1".to_string(), "Record 000001".to_string()));
    assert_eq!(
        found[9_999],
        ("10000".to_string(), "Record 010000".to_string())
    );
    let calls = proxy_calls(&sandbox);
    assert_eq!(calls.len(), 1);
    assert!(
        calls[0].path.ends_with("/204520/methods/900112"),
        "{calls:?}"
    );
}

/// A parameter without a lookup: its allowed Values are the choices (with a note), and with
/// none either it is a usage error naming it; nothing is called.
#[tokio::test(flavor = "multi_thread")]
async fn a_parameter_without_a_lookup() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["lookup", SALESFORCE_SALES, LIST_CONTACTS, "Status"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        pairs(&output),
        ["Active", "Inactive", "Archived"].map(|v| (v.to_string(), v.to_string()))
    );
    let note = stderr(&output);
    assert!(
        note.starts_with("note: Status (parameter 3400334) has no lookup"),
        "{note}"
    );

    let output = against(&sandbox)
        .args(["lookup", SALESFORCE_SALES, LIST_CONTACTS, "Page"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let line = stderr(&output);
    assert!(
        line.starts_with("error: Page (parameter 3400001) of List Contacts has no lookup"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(proxy_calls(&sandbox).is_empty(), "nothing was called");
}

/// An unknown parameter or method is a usage error listing what there is; nothing is called.
#[tokio::test(flavor = "multi_thread")]
async fn unknown_parameters_and_methods() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["lookup", SALESFORCE_SALES, UPDATE_CONTACT, "Nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(
        line.contains("no parameter or field 'Nope' in Update Contact"),
        "{line}"
    );
    assert!(
        line.contains("Contact Id (parameter 3400026)") && line.contains("Email (field 3400029)"),
        "{line}"
    );
    let output = against(&sandbox)
        .args(["lookup", SALESFORCE_SALES, "999", "Contact Id"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no method 999"),
        "{}",
        stderr(&output)
    );
    assert!(proxy_calls(&sandbox).is_empty());
}

/// The lookup call fails like `call` fails: a 403 from the IP allow-list exits 1 with the
/// same explanation, and prints nothing on stdout.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_lookup_call_reports_like_call() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let restricted = sandbox.demo().restricted_account_id.clone();
    let output = against(&sandbox)
        .args([
            "--account",
            &restricted,
            "lookup",
            "318801",
            UPDATE_CONTACT,
            CONTACT_ID_PARAM,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    let line = stderr(&output);
    assert!(
        line.starts_with("error: 403 Forbidden: Unknown client IP Address"),
        "{line}"
    );
    let call = against(&sandbox)
        .args(["--account", &restricted, "call", "318801", LIST_CONTACTS])
        .output()
        .unwrap();
    assert_eq!(call.status.code(), Some(1));
    assert_eq!(stderr(&call), line, "the same error line as `call`");
}

/// Read-only mode allows a lookup (a list is a read).
#[tokio::test(flavor = "multi_thread")]
async fn lookups_work_in_read_only_mode() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args([
            "--read-only",
            "lookup",
            SALESFORCE_SALES,
            UPDATE_CONTACT,
            CONTACT_ID_PARAM,
            "--values-only",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 5);
}

/// `connectors show`: one object with the details, the properties from their route with
/// secret-looking values masked, and no `AuthValue`; the list still works beside it.
#[tokio::test(flavor = "multi_thread")]
async fn connectors_show_masks_secret_properties() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["connectors", "show", SALESFORCE_SALES])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let shown: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(shown["Id"], 204511);
    assert_eq!(shown["Name"], "Salesforce (Sales Team)");
    assert_eq!(
        shown["Connector"],
        json!({"Id": 5122, "Name": "Salesforce", "Version": "v58.0", "AuthType": "OAuth2"})
    );
    assert_eq!(shown["Authenticated"], true);
    assert_eq!(shown["IsPartnerIntegrationConnector"], false);
    assert_eq!(shown["CustomFieldsCount"], 0);
    assert_eq!(
        shown["Properties"],
        json!([
            {"Id": 2045111, "Name": "InstanceUrl", "Value": "acme.my.salesforce.com"},
            {"Id": 2045112, "Name": "ApiVersion", "Value": "v58.0"},
            {"Id": 2045113, "Name": "ClientSecret", "Value": "********"},
            {"Id": 2045114, "Name": "WebhookSecret", "Value": "********"}
        ])
    );
    for hidden in [
        "AuthValue",
        "sf-FAKE-client-secret",
        "whsec_FAKE",
        "AccessToken",
    ] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    assert!(
        sandbox
            .received()
            .iter()
            .any(|r| r.method == "GET" && r.path == "/v1.0/account/connectors/204511/properties"),
        "the properties route was read"
    );

    // The list keeps working, and masks the secret properties too.
    let list = against(&sandbox).args(["connectors"]).output().unwrap();
    assert_eq!(list.status.code(), Some(0), "{}", stderr(&list));
    let listed = stdout(&list);
    assert!(serde_json::from_str::<Value>(&listed).unwrap().is_array());
    assert!(!listed.contains("whsec_FAKE"), "masked in the list too");

    let missing = against(&sandbox)
        .args(["connectors", "show", "999"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).starts_with("error: 404 Not Found"),
        "{}",
        stderr(&missing)
    );
}

/// Where the properties route answers 404, the account connector's own Properties are shown
/// (masked the same way).
#[tokio::test(flavor = "multi_thread")]
async fn connectors_show_falls_back_to_the_objects_properties() {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/5"))
        .and(header("x-cyclr-account", "acme-prod"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Id": 5, "Name": "Old", "Description": null, "AuthValue": "key-do-not-print",
            "Authenticated": false, "IsPartnerIntegrationConnector": true,
            "Connector": {"Id": 77, "Name": "Legacy", "Version": "1.0", "AuthType": "ApiKey", "Icon": "data:x"},
            "Properties": [{"Id": 51, "Name": "ApiKey", "Value": "prop-do-not-print"}, {"Id": 52, "Name": "Region", "Value": "eu"}],
            "CustomFields": [{}, {}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/5/properties"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"Message": "No HTTP resource"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let output = cli()
        .env("CYCLR_INSTANCE", server.uri())
        .env("CYCLR_ACCOUNT", "acme-prod")
        .env("CYCLR_TOKEN", "static-token")
        .args(["connectors", "show", "5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains("do-not-print"), "{text}");
    let shown: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        shown,
        json!({
            "Id": 5, "Name": "Old", "Description": null,
            "Connector": {"Id": 77, "Name": "Legacy", "Version": "1.0", "AuthType": "ApiKey"},
            "Authenticated": false, "IsPartnerIntegrationConnector": true,
            "Properties": [{"Id": 51, "Name": "ApiKey", "Value": "********"}, {"Id": 52, "Name": "Region", "Value": "eu"}],
            "CustomFieldsCount": 2
        })
    );
}
