//! The call history from the command line: every `call` and `replay` recorded, `history`
//! (table and `--json`), `history show`, `history diff`, `replay` and its write rules, no
//! secret in the data dir, and a damaged database that costs one warning and nothing else.
//! Each test has a data dir of its own (`XDG_DATA_HOME`, `HOME`) and a sandbox in process.

use assert_cmd::Command;
#[path = "support/binary.rs"]
mod binary;
use cyclr_tui::cyclr::{ClientConfig, Credentials, CyclrClient, Secret};
use cyclr_tui::sandbox::{ReceivedRequest, Sandbox, SandboxConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SALESFORCE_SALES: &str = "204511";
const LIST_CONTACTS: &str = "512201";
const LIST_CONTACTS_GUID: &str = "7e62aa42-20be-597a-a8d0-2690ab34fa30";
const GET_CONTACT: &str = "512202";
const CREATE_CONTACT: &str = "512203";
const CONTACT_ID_PARAM: &str = "3400008";
const LAST_NAME_FIELD: &str = "3400015";

/// A home and data dir of its own, removed on drop.
struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Home {
        Home(tempfile::tempdir().unwrap())
    }

    fn data(&self) -> PathBuf {
        self.0.path().join("data")
    }

    /// Where the history database is (`$XDG_DATA_HOME/cyclr-tui/history.sqlite3`).
    fn db(&self) -> PathBuf {
        self.data().join("cyclr-tui").join("history.sqlite3")
    }

    /// The binary with no credentials, no config file and this data dir.
    fn cli(&self) -> Command {
        let mut cmd = binary::bare(&self.data());
        cmd.env("HOME", self.0.path().join("home"))
            .env("XDG_STATE_HOME", self.0.path().join("state"));
        cmd
    }

    /// The binary against `sandbox` with its demo client credentials.
    fn against(&self, sandbox: &Sandbox) -> Command {
        binary::against(self.cli(), sandbox)
    }

    /// Runs `args` against `sandbox` and expects exit 0.
    fn ok(&self, sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
        let output = self.against(sandbox).args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        output
    }

    /// `history --json` (and any more arguments), one value per line.
    fn history(&self, more: &[&str]) -> Vec<Value> {
        let output = self
            .cli()
            .args(["history", "--json"])
            .args(more)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

/// The proxy calls a sandbox received (POSTs to the Salesforce account connector).
fn proxy_posts(sandbox: &Sandbox) -> Vec<ReceivedRequest> {
    sandbox
        .received()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.contains("/connectors/204511/"))
        .collect()
}

/// `2026-12-02T16:04:05.123Z`
fn is_rfc3339_utc_ms(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
        && s.chars()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19, 23].contains(&i) || c.is_ascii_digit())
}

/// Two calls are listed newest first, in the table and as JSON lines with every field;
/// `--limit`, `--method` (Id or GUID) and `--connector` select.
#[tokio::test(flavor = "multi_thread")]
async fn calls_are_recorded_and_listed_newest_first() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    assert!(home.history(&[]).is_empty(), "no history yet");
    // --read-only reads the method's metadata, so the first entry has names.
    let list = home.ok(
        &sandbox,
        &["--read-only", "call", SALESFORCE_SALES, LIST_CONTACTS],
    );
    let contact = stdout_json(&list)["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    // Ids only: no metadata is read, and the entry has no names.
    home.ok(
        &sandbox,
        &[
            "call",
            SALESFORCE_SALES,
            GET_CONTACT,
            "--param",
            &format!("{CONTACT_ID_PARAM}={contact}"),
        ],
    );

    let rows = home.history(&[]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (newest, oldest) = (&rows[0], &rows[1]);
    assert!(newest["id"].as_i64() > oldest["id"].as_i64(), "{rows:?}");
    assert!(newest["time_ms"].as_i64() >= oldest["time_ms"].as_i64());
    for row in &rows {
        assert!(is_rfc3339_utc_ms(row["time"].as_str().unwrap()), "{row}");
        assert_eq!(row["profile"], "");
        assert_eq!(row["account"], sandbox.demo().account_id.as_str());
        assert_eq!(row["account_connector_id"], 204511);
        assert_eq!(row["endpoint"], "call");
        assert_eq!(row["http_method"], "POST");
        assert_eq!(row["status"], 200);
        assert_eq!(row["error"], Value::Null);
        assert!(row["size"].as_u64().unwrap() > 10, "{row}");
        assert!(row["elapsed_ms"].is_u64(), "{row}");
    }
    assert_eq!(newest["method_id"], 512202);
    assert_eq!(newest["method_name"], "");
    assert_eq!(newest["connector_name"], "");
    assert_eq!(oldest["method_id"], 512201);
    assert_eq!(oldest["method_uid"], LIST_CONTACTS_GUID);
    assert_eq!(oldest["method_name"], "List Contacts");
    assert_eq!(oldest["connector_name"], "Salesforce (Sales Team)");

    // The table: a header, then the same two rows, newest first.
    let output = home.cli().arg("history").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    for column in ["ID", "TIME", "STATUS", "MS", "SIZE", "CONNECTOR", "METHOD"] {
        assert!(lines[0].contains(column), "{table}");
    }
    assert!(lines[1].trim_start().starts_with(&newest["id"].to_string()));
    assert!(
        lines[1].contains("512202") && lines[1].contains("204511"),
        "{table}"
    );
    assert!(lines[1].contains(" 200 "), "{table}");
    assert!(lines[2].contains("List Contacts"), "{table}");
    assert!(lines[2].contains("Salesforce (Sales Team)"), "{table}");

    assert_eq!(home.history(&["--limit", "1"]), rows[..1].to_vec());
    assert_eq!(home.history(&["--limit", "0"]), rows);
    assert_eq!(
        home.history(&["--method", LIST_CONTACTS]),
        rows[1..].to_vec()
    );
    assert_eq!(
        home.history(&["--method", LIST_CONTACTS_GUID]),
        rows[1..].to_vec()
    );
    assert_eq!(home.history(&["--connector", SALESFORCE_SALES]), rows);
    assert!(home.history(&["--connector", "204512"]).is_empty());
}

/// `history show` prints the request as sent (the token masked) and the response as
/// stored; `--json` gives both as one object; an unknown id exits 2.
#[tokio::test(flavor = "multi_thread")]
async fn show_prints_the_request_and_the_response() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let call = home.ok(&sandbox, &["call", SALESFORCE_SALES, LIST_CONTACTS]);
    let id = home.history(&[])[0]["id"].as_i64().unwrap().to_string();

    let output = home.cli().args(["history", "show", &id]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shown = stdout(&output);
    let url = format!(
        "{}/v1.0/account/connectors/204511/methods/512201",
        sandbox.base_url()
    );
    assert!(shown.contains(&format!("POST {url}")), "{shown}");
    assert!(shown.contains("Bearer ********"), "{shown}");
    assert!(
        shown.contains(r#"{"Parameters":{},"Fields":{}}"#),
        "{shown}"
    );
    assert!(shown.contains("HTTP 200"), "{shown}");
    assert!(shown.contains("totalSize"), "{shown}");

    let output = home
        .cli()
        .args(["history", "show", &id, "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let entry = stdout_json(&output);
    assert_eq!(entry["id"].to_string(), id);
    assert_eq!(entry["request"]["method"], "POST");
    assert_eq!(entry["request"]["url"], url.as_str());
    assert_eq!(entry["request"]["body"], r#"{"Parameters":{},"Fields":{}}"#);
    let auth = entry["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0].as_str().unwrap().eq_ignore_ascii_case("authorization"))
        .unwrap_or_else(|| panic!("{entry}"));
    assert_eq!(auth[1], "Bearer ********");
    let response = &entry["response"];
    assert_eq!(response["status"], 200);
    assert_eq!(response["body_encoding"], "utf-8");
    assert_eq!(response["body_stored"], true);
    assert_eq!(response["body_truncated"], false);
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, stdout_json(&call), "the body as the call printed it");

    let output = home.cli().args(["history", "show", "99"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).trim(), "error: no history entry 99");
}

/// Two List Contacts calls with a Create Contact between them differ (exit 1, a line per
/// change, naming the path); an entry compared with itself does not (exit 0).
#[tokio::test(flavor = "multi_thread")]
async fn diff_names_what_changed_between_two_calls() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    home.ok(&sandbox, &["call", SALESFORCE_SALES, LIST_CONTACTS]);
    home.ok(
        &sandbox,
        &[
            "call",
            SALESFORCE_SALES,
            CREATE_CONTACT,
            "--field",
            &format!("{LAST_NAME_FIELD}=Lovelace"),
        ],
    );
    home.ok(&sandbox, &["call", SALESFORCE_SALES, LIST_CONTACTS]);
    let rows = home.history(&[]);
    let ids: Vec<String> = rows.iter().map(|r| r["id"].to_string()).collect();
    let (before, after) = (&ids[2], &ids[0]);

    let output = home
        .cli()
        .args(["history", "diff", before, after])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let changes = stdout(&output);
    assert!(
        changes
            .lines()
            .any(|l| l.starts_with("+ .records[5]: ") && l.contains("Lovelace")),
        "{changes}"
    );
    assert!(
        changes
            .lines()
            .any(|l| l.starts_with("~ .totalSize: 5 → 6")),
        "{changes}"
    );
    assert!(output.stderr.is_empty(), "{}", stderr(&output));

    let output = home
        .cli()
        .args(["history", "diff", before, before])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));

    let output = home
        .cli()
        .args(["history", "diff", before, "99"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no history entry 99"));
}

/// `replay` of a read sends the same POST again and is recorded as a new entry.
#[tokio::test(flavor = "multi_thread")]
async fn replay_of_a_read_sends_it_again_and_records_it() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    home.ok(
        &sandbox,
        &[
            "call",
            SALESFORCE_SALES,
            LIST_CONTACTS,
            "--param",
            "3400002=2",
        ],
    );
    home.ok(&sandbox, &["call", SALESFORCE_SALES, LIST_CONTACTS]);
    let first = home.history(&[])[1]["id"].to_string();

    let output = home.ok(&sandbox, &["replay", &first]);
    assert_eq!(
        stdout_json(&output)["records"].as_array().map(Vec::len),
        Some(2),
        "the response, printed like `call`"
    );
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
    let posts = proxy_posts(&sandbox);
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[2].path, posts[0].path);
    assert_eq!(posts[2].body, posts[0].body);
    assert_eq!(
        posts[2].body,
        r#"{"Parameters":{"3400002":"2"},"Fields":{}}"#.as_bytes()
    );

    let rows = home.history(&[]);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0]["method_id"], 512201);
    assert_eq!(
        rows[0]["method_name"], "List Contacts",
        "replay reads metadata"
    );
    assert_eq!(rows[0]["status"], 200);

    // With another account: a note says so, and the account in effect is used.
    let output = home
        .against(&sandbox)
        .args(["--account", "nope", "replay", &first])
        .output()
        .unwrap();
    let line = stderr(&output);
    assert!(line.starts_with("note: entry "), "{line}");
    assert!(line.contains("'nope'"), "{line}");

    let output = home.cli().args(["replay", "42"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).trim(), "error: no history entry 42");
}

/// A write is replayed only with `--yes`, and never in read-only mode; nothing is sent
/// when refused.
#[tokio::test(flavor = "multi_thread")]
async fn replay_of_a_write_needs_yes_and_is_refused_read_only() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    home.ok(
        &sandbox,
        &[
            "call",
            SALESFORCE_SALES,
            CREATE_CONTACT,
            "--field",
            &format!("{LAST_NAME_FIELD}=Hopper"),
        ],
    );
    let id = home.history(&[])[0]["id"].to_string();
    assert_eq!(proxy_posts(&sandbox).len(), 1);

    let output = home
        .against(&sandbox)
        .args(["replay", &id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output).trim(),
        "error: replay of a write (Create Contact): pass --yes to send it again"
    );
    assert!(output.stdout.is_empty());
    assert_eq!(proxy_posts(&sandbox).len(), 1, "nothing was sent");

    for args in [
        vec!["--read-only", "replay", id.as_str(), "--yes"],
        vec!["--read-only", "replay", id.as_str()],
    ] {
        let output = home.against(&sandbox).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let line = stderr(&output);
        assert!(
            line.starts_with("error: read-only mode: Create Contact"),
            "{line}"
        );
        assert_eq!(line.lines().count(), 1, "{line}");
        assert_eq!(proxy_posts(&sandbox).len(), 1, "{args:?}: nothing was sent");
    }
    assert_eq!(home.history(&[]).len(), 1, "refusals are not recorded");

    let output = home.ok(&sandbox, &["replay", &id, "--yes"]);
    assert!(stdout(&output).contains("Hopper"), "{}", stdout(&output));
    let posts = proxy_posts(&sandbox);
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1].body, posts[0].body);
    assert!(
        posts[1].path.ends_with("/methods/512203"),
        "{}",
        posts[1].path
    );
    assert_eq!(home.history(&[]).len(), 2);
}

/// A call that gets no response is recorded too, with its error and no status.
#[test]
fn a_failed_call_is_recorded() {
    let home = Home::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = home
        .cli()
        .env("CYCLR_INSTANCE", format!("http://127.0.0.1:{port}"))
        .env("CYCLR_ACCOUNT", "acme")
        .env("CYCLR_TOKEN", "not-a-real-token")
        .args(["call", SALESFORCE_SALES, LIST_CONTACTS])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let rows = home.history(&[]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], Value::Null);
    assert!(rows[0]["error"].as_str().is_some(), "{}", rows[0]);
    let table = stdout(&home.cli().arg("history").output().unwrap());
    assert!(table.lines().nth(1).unwrap().contains("error"), "{table}");
    let output = home
        .cli()
        .args(["history", "diff", "1", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no response body"),
        "{}",
        stderr(&output)
    );
}

/// Every file under `dir`, recursively, with its contents.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path, bytes));
        }
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// After calls with client credentials and with the static token, and a connector listing,
/// no file in the data dir (database, WAL, shared memory) holds the client secret, an issued
/// access token, the static token or an `AuthValue`.
#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_the_data_dir() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sandbox.demo().clone();
    let home = Home::new();
    home.ok(&sandbox, &["call", SALESFORCE_SALES, LIST_CONTACTS]);
    home.ok(&sandbox, &["connectors"]);
    let output = home
        .against(&sandbox)
        .args(["call", SALESFORCE_SALES, "999"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let output = home
        .cli()
        .env("CYCLR_INSTANCE", sandbox.base_url())
        .env("CYCLR_ACCOUNT", &demo.account_id)
        .env("CYCLR_TOKEN", &demo.static_token)
        .args([
            "call",
            SALESFORCE_SALES,
            CREATE_CONTACT,
            "--field",
            &format!("{LAST_NAME_FIELD}=Token"),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(home.history(&[]).len(), 3);

    let mut secrets = vec![demo.client_secret.clone(), demo.static_token.clone()];
    let issued = sandbox.issued_tokens();
    assert!(!issued.is_empty(), "client credentials were used");
    secrets.extend(issued);
    let connectors = CyclrClient::new(ClientConfig::new(
        sandbox.base_url().parse().unwrap(),
        Some(demo.account_id.clone()),
        Credentials::Token(Secret::new(demo.static_token.clone())),
    ))
    .unwrap()
    .account_connectors()
    .await
    .unwrap();
    let auth_values: Vec<String> = connectors
        .iter()
        .map(|c| c.auth_value.expose().to_string())
        .filter(|v| v.len() >= 8)
        .collect();
    assert!(auth_values.len() >= 5, "the demo data has AuthValues");
    secrets.extend(auth_values);

    let files = files_under(&home.data());
    assert!(
        files.iter().any(|(p, b)| p == &home.db() && !b.is_empty()),
        "the database is there: {:?}",
        files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for (path, bytes) in &files {
        for secret in &secrets {
            assert!(
                !find(bytes, secret.as_bytes()),
                "{} holds a secret ({}…)",
                path.display(),
                &secret[..secret.len().min(6)]
            );
        }
    }
}

/// A damaged database costs one warning line naming it; the call works as ever. `history`
/// itself says what is wrong (exit 2).
#[test]
fn a_corrupt_database_is_one_warning_and_the_call_still_works() {
    let home = Home::new();
    std::fs::create_dir_all(home.db().parent().unwrap()).unwrap();
    std::fs::write(
        home.db(),
        b"this is not a database, just some garbage bytes\n".repeat(100),
    )
    .unwrap();
    let output = home
        .cli()
        .args(["--demo", "call", SALESFORCE_SALES, LIST_CONTACTS])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout_json(&output)["records"].is_array());
    let line = stderr(&output);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.starts_with("warning: history is off: "), "{line}");
    assert!(line.contains(&home.db().display().to_string()), "{line}");

    let output = home.cli().arg("history").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(line.starts_with("error: "), "{line}");
    assert!(line.contains(&home.db().display().to_string()), "{line}");
}

/// Entries written straight into the data dir's database: bodies that differ only in
/// layout, a body that was not stored, and a request whose secrets were masked.
#[test]
fn diff_and_replay_say_what_they_cannot_do() {
    use cyclr_tui::history::{History, Record, Retention};
    let home = Home::new();
    let entry = |request_body: &str, response_body: Option<&[u8]>| Record {
        time_ms: 1_796_227_445_123,
        instance: "https://api.cyclr.com".into(),
        account: "acme".into(),
        account_connector_id: 204511,
        method_id: Some(512201),
        endpoint: "call".into(),
        http_method: "POST".into(),
        url: "https://api.cyclr.com/v1.0/account/connectors/204511/methods/512201".into(),
        request_headers: vec![("Content-Type".into(), "application/json".into())],
        request_body: request_body.into(),
        status: Some(200),
        size: 20,
        response_body: response_body.map(bytes::Bytes::copy_from_slice),
        ..Record::default()
    };
    let ids: Vec<String> = {
        let mut history = History::open(&home.db(), Retention::default()).unwrap();
        [
            entry("{}", Some(br#"{"a":1,"b":[1,2]}"#)),
            entry("{}", Some(b"{\r\n  \"b\": [1, 2],\r\n  \"a\": 1\r\n}\r\n")),
            entry("{}", None),
            entry(r#"{"Fields":{"AuthValue":"av-123"}}"#, Some(b"{}")),
        ]
        .iter()
        .map(|r| history.record(r).unwrap().to_string())
        .collect()
    };

    let output = home
        .cli()
        .args(["history", "diff", &ids[0], &ids[1]])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "the bodies differ only in line endings or layout (white space, key order)\n"
    );

    let output = home
        .cli()
        .args(["history", "diff", &ids[0], &ids[2]])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("was not stored"),
        "{}",
        stderr(&output)
    );

    let output = home
        .cli()
        .args(["history", "show", &ids[2]])
        .output()
        .unwrap();
    assert!(
        stdout(&output).contains("(body not stored"),
        "{}",
        stdout(&output)
    );

    // Refused before any connection: no instance or credentials are set.
    let output = home.cli().args(["replay", &ids[3]]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(line.contains("secrets masked"), "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");
}
