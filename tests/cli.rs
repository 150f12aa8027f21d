//! The command line as a script sees it: stdout JSON, one stderr line, exit codes
//! (0 ok, 1 HTTP ≥ 400, 2 usage/config, 3 network), against a real sandbox.

use assert_cmd::Command;
#[path = "support/binary.rs"]
mod binary;
use cyclr_tui::sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use std::io::{BufRead, BufReader};

const SALESFORCE_SALES: &str = "204511";
const LIST_CONTACTS: &str = "512201";
const GET_CONTACT: &str = "512202";
const CONTACT_ID_PARAM: &str = "3400008";

fn cli() -> Command {
    binary::bare(&binary::scratch_data("cli"))
}

fn against(sandbox: &Sandbox) -> Command {
    binary::against(cli(), sandbox)
}

fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn demo_connectors_prints_masked_json() {
    let output = cli().args(["--demo", "connectors"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let connectors = stdout_json(&output);
    let list = connectors.as_array().unwrap();
    assert!(list.len() >= 10);
    assert!(
        list.iter()
            .all(|c| c["AuthValue"].is_null() || c["AuthValue"] == "********")
    );
    assert!(output.stderr.is_empty());
}

/// `connectors` prints the API's JSON as sent (only secrets masked): icons stay data URIs
/// unless `--brief` asks for them to be shortened.
#[test]
fn connectors_keep_icons_unless_brief() {
    let full = stdout_json(&cli().args(["--demo", "connectors"]).output().unwrap());
    let icons: Vec<&str> = full
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["Connector"]["Icon"].as_str())
        .collect();
    assert!(!icons.is_empty());
    assert!(
        icons.iter().all(|i| i.starts_with("data:image/")),
        "{icons:?}"
    );
    let brief = stdout_json(
        &cli()
            .args(["--demo", "connectors", "--brief"])
            .output()
            .unwrap(),
    );
    let shortened = brief[0]["Connector"]["Icon"].as_str().unwrap_or_default();
    assert!(shortened.starts_with("<data URI, "), "{shortened}");
}

/// A wrong account is blamed as the account, with what helps; an account's name is told
/// apart from its id.
#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_account_is_named_as_the_cause() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["--account", "nope", "connectors"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let line = stderr(&output);
    assert!(
        line.contains("no account 'nope' for these credentials"),
        "{line}"
    );
    assert!(line.contains("`cyclr-tui accounts` lists"), "{line}");
    assert!(!line.contains("expired"), "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");

    let output = against(&sandbox)
        .args(["--account", "Acme Staging", "connectors"])
        .output()
        .unwrap();
    let line = stderr(&output);
    assert!(
        line.contains("'Acme Staging' looks like an account's name"),
        "{line}"
    );
    assert!(line.contains("API ID or GUID"), "{line}");
}

#[test]
fn demo_call_prints_the_response_body() {
    let output = cli()
        .args(["--demo", "call", SALESFORCE_SALES, LIST_CONTACTS])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let body = stdout_json(&output);
    assert!(
        body.to_string().contains('@'),
        "contacts have emails: {body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn call_with_params_fields_and_body_from_stdin() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let create = against(&sandbox)
        .args([
            "call",
            SALESFORCE_SALES,
            "512203",
            "--field",
            "3400015=Hopper-CLI",
            "--body",
            "-",
        ])
        .write_stdin(r#"{"Fields": {"3400016": "grace@example.com"}}"#)
        .output()
        .unwrap();
    assert_eq!(create.status.code(), Some(0), "{}", stderr(&create));
    let created = stdout_json(&create);
    assert!(
        created.to_string().contains("Hopper-CLI")
            && created.to_string().contains("grace@example.com")
    );

    let missing = against(&sandbox)
        .args([
            "call",
            SALESFORCE_SALES,
            GET_CONTACT,
            "--param",
            &format!("{CONTACT_ID_PARAM}=no-such-contact"),
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let line = stderr(&missing);
    assert!(line.starts_with("error: 404"), "{line}");
    assert_eq!(line.lines().count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ip_allow_list_is_explained() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let restricted = sandbox.demo().restricted_account_id.clone();
    let connectors = against(&sandbox)
        .args(["--account", &restricted, "connectors"])
        .output()
        .unwrap();
    let list = stdout_json(&connectors);
    let standard = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["IsPartnerIntegrationConnector"] != true)
        .unwrap();
    let methods = against(&sandbox)
        .args([
            "--account",
            &restricted,
            "methods",
            &standard["Id"].to_string(),
        ])
        .output()
        .unwrap();
    let methods = stdout_json(&methods);
    let method = methods[0]["Id"].to_string();
    let output = against(&sandbox)
        .args([
            "--account",
            &restricted,
            "call",
            &standard["Id"].to_string(),
            &method,
            "--test",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let line = stderr(&output);
    assert!(
        line.contains("403") && line.contains("allow-list"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_never_reach_the_output() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut outputs = Vec::new();
    for args in [
        vec!["connectors"],
        vec!["methods", SALESFORCE_SALES],
        vec!["call", SALESFORCE_SALES, LIST_CONTACTS],
    ] {
        outputs.push(against(&sandbox).args(&args).output().unwrap());
    }
    let mut token = cli();
    token
        .env("CYCLR_INSTANCE", sandbox.base_url())
        .env("CYCLR_ACCOUNT", "no-such-account")
        .env("CYCLR_TOKEN", &sandbox.demo().static_token);
    outputs.push(token.arg("connectors").output().unwrap());
    let secrets = [
        sandbox.demo().client_secret.as_str(),
        sandbox.demo().static_token.as_str(),
    ];
    for output in &outputs {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(output)
        );
        for secret in secrets {
            assert!(!all.contains(secret), "a secret leaked: {all}");
        }
        assert!(
            !all.contains("\"AuthValue\":\"ey") && !all.contains("AccessToken"),
            "{all}"
        );
    }
}

#[test]
fn bad_configuration_is_exit_2_with_one_line() {
    /// Arguments, environment, and what the error line must say.
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["--instance", "mars", "connectors"],
            vec![("CYCLR_TOKEN", "t")],
            "unknown instance 'mars'",
        ),
        (
            vec!["--instance", "http://", "connectors"],
            vec![("CYCLR_TOKEN", "t")],
            "invalid instance URL",
        ),
        (
            vec!["--instance", "ftp://x.y", "connectors"],
            vec![("CYCLR_TOKEN", "t")],
            "scheme must be http",
        ),
        (
            vec!["--instance", "us", "connectors"],
            vec![("CYCLR_TOKEN", "")],
            "CYCLR_TOKEN: is set but empty",
        ),
        (
            vec!["--instance", "us", "connectors"],
            vec![],
            "no credentials",
        ),
        (
            vec!["--instance", "us", "connectors"],
            vec![("CYCLR_CLIENT_ID", "x")],
            "CYCLR_CLIENT_SECRET is not",
        ),
        (
            vec!["connectors"],
            vec![("CYCLR_TOKEN", "t")],
            "no Cyclr instance",
        ),
        (
            vec!["--instance", "us", "connectors"],
            vec![("CYCLR_TOKEN", "t")],
            "no account",
        ),
        (
            vec![
                "--demo",
                "call",
                "1",
                "2",
                "--body",
                "/nonexistent/body.json",
            ],
            vec![],
            "cannot read /nonexistent/body.json",
        ),
    ];
    for (args, env, expected) in cases {
        let mut cmd = cli();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd.args(&args).output().unwrap();
        let line = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {line}");
        assert!(line.contains(expected), "{args:?}: {line}");
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn usage_errors_are_exit_2() {
    for args in [
        vec!["--demo", "call", "1", "2", "--param", "no-equals-sign"],
        vec!["--demo", "call", "not-a-number", "2"],
        vec!["--demo", "frobnicate"],
    ] {
        let output = cli().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let output = cli()
        .args(["--demo", "call", "1", "2", "--body", "-"])
        .write_stdin("{\"a\":\n  ]")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("line 2, column 3"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unreachable_host_is_exit_3() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = cli()
        .env("CYCLR_TOKEN", "t")
        .env("CYCLR_ACCOUNT", "a")
        .args([
            "--instance",
            &format!("http://127.0.0.1:{port}"),
            "connectors",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("connection refused"),
        "{}",
        stderr(&output)
    );
    // DNS failures: tests/faults.rs, with a name the resolver rejects without a query.
}

#[test]
fn the_sandbox_command_serves_and_prints_how_to_use_it() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cyclr-tui"))
        .args(["sandbox", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    let output = cli()
        .args(["--instance", &url, "accounts"])
        .env("CYCLR_TOKEN", "x")
        .output()
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the server answered: {}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("401"));
}

/// Hostile server text (escape sequences, OSC 52, C1 controls, bidi overrides, zero-width
/// characters) comes out of the CLI as JSON escapes, never as raw control characters.
#[test]
fn hostile_text_is_printed_inert() {
    for args in [
        vec!["--demo", "call", "204520", "900111"],
        vec!["--demo", "connectors"],
        vec!["--demo", "methods", "204520"],
    ] {
        let output = cli().args(&args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains("\\u001b") || text.contains("\\u202e"),
            "{args:?}: the hostile text is there, escaped"
        );
        let unsafe_char = text
            .chars()
            .find(|c| *c != '\n' && cyclr_tui::text::is_unsafe(*c));
        assert_eq!(unsafe_char, None, "{args:?}");
        stdout_json(&std::process::Output {
            status: output.status,
            stdout: text.into_bytes(),
            stderr: Vec::new(),
        });
    }
}

/// A config file in a fresh folder, removed on drop.
struct ConfigFile(std::path::PathBuf);

impl ConfigFile {
    fn new(name: &str, text: &str) -> ConfigFile {
        let dir = std::env::temp_dir().join(format!("cyclr-tui-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        ConfigFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for ConfigFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A misspelt key in the file stops every command with exit 2, naming file, line and column
/// and the key that was meant; nothing is started.
#[test]
fn a_bad_config_file_is_exit_2_with_file_line_and_suggestion() {
    let file = ConfigFile::new("typo", "instance = \"eu\"\n\n[keys]\nsned = [\"f9\"]\n");
    for args in [vec!["--demo", "connectors"], vec!["config", "show"]] {
        let output = cli()
            .env("CYCLR_CONFIG", file.path())
            .args(&args)
            .output()
            .unwrap();
        let line = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {line}");
        assert!(line.contains(&format!("{}:4:", file.path())), "{line}");
        assert!(line.contains("did you mean `send`?"), "{line}");
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(output.stdout.is_empty());
    }
    let file = ConfigFile::new("badtop", "timout = 5\n");
    let output = cli()
        .args(["--config", file.path(), "--demo", "connectors"])
        .output()
        .unwrap();
    let line = stderr(&output);
    assert!(
        line.contains(":1:1: unknown key `timout` (did you mean `timeout`?)"),
        "{line}"
    );
}

/// `config path` prints the file's path; `config show` every setting with where it came
/// from, and never a secret.
#[test]
fn config_path_and_show() {
    let output = cli()
        .env_remove("CYCLR_CONFIG")
        .env("XDG_CONFIG_HOME", "/tmp/cyclr-tui-xdg-test")
        .args(["config", "path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "/tmp/cyclr-tui-xdg-test/cyclr-tui/config.toml"
    );

    let file = ConfigFile::new(
        "show",
        "account = \"from-file\"\npage_size = 50\n[keys]\nsend = [\"f9\"]\n",
    );
    let output = cli()
        .env("CYCLR_CONFIG", file.path())
        .env("CYCLR_TOKEN", "very-secret-token")
        .env("CYCLR_CLIENT_ID", "cid")
        .env("CYCLR_CLIENT_SECRET", "very-secret-secret")
        .env("CYCLR_INSTANCE", "eu")
        .args(["--timeout", "30", "config", "show"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("very-secret"), "{text}");
    for expected in [
        "env CYCLR_INSTANCE",
        "instance = \"eu\"",
        "flag --timeout",
        "timeout = 30",
        &format!("file {}:1", file.path()),
        "account = \"from-file\"",
        "token = ********",
        "client credentials also set are not used",
        &format!("file {}:4", file.path()),
        "keys.send = [\"f9\"]",
        "connect_timeout = 10",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}

/// The POST bodies a sandbox received for proxy calls.
fn proxy_posts(sandbox: &Sandbox) -> Vec<cyclr_tui::sandbox::ReceivedRequest> {
    sandbox
        .received()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.contains("/connectors/204511/"))
        .collect()
}

/// Only what the command line gives is sent; names are resolved to ids; an unknown name
/// exits 2 listing the choices, before anything is sent.
#[tokio::test(flavor = "multi_thread")]
async fn call_sends_only_what_is_given_and_resolves_names() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args(["call", "204511", "512201"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // An untouched list call returns the full list.
    assert_eq!(
        stdout_json(&output)["records"].as_array().map(Vec::len),
        Some(5)
    );
    let output = against(&sandbox)
        .args([
            "call",
            "204511",
            "512203",
            "--field",
            "Last Name=Hopper",
            "--merge",
            "Source=cli",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let posts = proxy_posts(&sandbox);
    assert_eq!(posts[0].body, r#"{"Parameters":{},"Fields":{}}"#.as_bytes());
    assert_eq!(
        posts[1].body,
        r#"{"Parameters":{},"Fields":{"3400015":"Hopper"},"Mergefields":{"Source":"cli"}}"#
            .as_bytes()
    );

    let output = against(&sandbox)
        .args(["call", "204511", "512203", "--field", "Surname=Hopper"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(line.contains("no field named 'Surname'"), "{line}");
    assert!(line.contains("Last Name (3400015)"), "{line}");
    assert_eq!(proxy_posts(&sandbox).len(), 2, "nothing more was sent");
}

/// `--raw-body` sends the bytes as they are, with the content type asked for.
#[tokio::test(flavor = "multi_thread")]
async fn a_raw_xml_body_arrives_byte_for_byte() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let xml = "<?xml version=\"1.0\"?>\n<Contact><LastName>Hopper</LastName></Contact>\n";
    let output = against(&sandbox)
        .args([
            "call",
            "204511",
            "512203",
            "--raw-body",
            "-",
            "--content-type",
            "xml",
        ])
        .write_stdin(xml)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let posts = proxy_posts(&sandbox);
    assert_eq!(posts.len(), 1);
    assert!(
        posts[0].path.ends_with("/methods/512203/body"),
        "{}",
        posts[0].path
    );
    assert_eq!(posts[0].body, xml.as_bytes());
    assert_eq!(posts[0].content_type.as_deref(), Some("application/xml"));
}

/// Read-only mode refuses a write with exit 2 and no proxy traffic; a read still goes.
#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_writes_before_sending() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .env("CYCLR_READ_ONLY", "1")
        .args(["call", "204511", "512203", "--field", "3400015=Hopper"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(
        line.contains("read-only mode: Create Contact changes data"),
        "{line}"
    );
    assert!(proxy_posts(&sandbox).is_empty());
    let output = against(&sandbox)
        .args(["--read-only", "call", "204511", "512201"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// `http://` to another host and a console host are refused before any request, saying why.
#[test]
fn clear_text_and_console_hosts_are_refused_before_any_request() {
    for (instance, words) in [
        ("http://api.example.com", "clear text"),
        (
            "https://my.cyclr.com",
            "the API for this region is https://api.cyclr.com",
        ),
        ("https://acme-h.eu.cyclr.com", "https://api.eu.cyclr.com"),
    ] {
        let output = cli()
            .env("CYCLR_INSTANCE", instance)
            .env("CYCLR_ACCOUNT", "acme")
            .env("CYCLR_TOKEN", "t")
            .arg("connectors")
            .output()
            .unwrap();
        let line = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{instance}: {line}");
        assert!(line.contains(words), "{instance}: {line}");
        assert!(line.contains("env CYCLR_INSTANCE"), "{line}");
    }
    // Loopback over http is fine (the sandbox), and --allow-http lets it through elsewhere.
    let output = cli()
        .env("CYCLR_INSTANCE", "http://api.example.invalid")
        .env("CYCLR_ACCOUNT", "acme")
        .env("CYCLR_TOKEN", "t")
        .args(["--allow-http", "--connect-timeout", "1", "connectors"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
}

/// Two profiles for two accounts of one instance list different connectors: one reads its
/// client secret from a command (run without a shell), the other from a variable it names.
/// Flags still beat the profile.
#[tokio::test(flavor = "multi_thread")]
async fn profiles_choose_instance_account_and_credentials() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sandbox.demo();
    let text = format!(
        r#"default_profile = "prod"

[profiles.prod]
instance = "{url}"
account = "acme-prod"
client_id = "{id}"
client_secret_command = ["printf", "%s", "{secret}"]

[profiles.staging]
instance = "{url}"
account = "acme-staging"
client_id_env = "STAGING_ID"
client_secret_env = "STAGING_SECRET"
"#,
        url = sandbox.base_url(),
        id = demo.client_id,
        secret = demo.client_secret,
    );
    let file = ConfigFile::new("profiles", &text);
    let names = |output: &std::process::Output| -> Vec<String> {
        stdout_json(output)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["Name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let prod = cli()
        .env("CYCLR_CONFIG", file.path())
        .args(["connectors", "--brief"])
        .output()
        .unwrap();
    assert_eq!(prod.status.code(), Some(0), "{}", stderr(&prod));
    let staging = cli()
        .env("CYCLR_CONFIG", file.path())
        .env("STAGING_ID", &demo.client_id)
        .env("STAGING_SECRET", &demo.client_secret)
        .args(["--profile", "staging", "connectors", "--brief"])
        .output()
        .unwrap();
    assert_eq!(staging.status.code(), Some(0), "{}", stderr(&staging));
    assert!(!names(&prod).is_empty() && !names(&staging).is_empty());
    assert_ne!(names(&prod), names(&staging), "two accounts, two lists");
    // A flag beats the profile: the staging profile, the prod account.
    let flagged = cli()
        .env("CYCLR_CONFIG", file.path())
        .env("CYCLR_PROFILE", "staging")
        .env("STAGING_ID", &demo.client_id)
        .env("STAGING_SECRET", &demo.client_secret)
        .args(["--account", "acme-prod", "connectors", "--brief"])
        .output()
        .unwrap();
    assert_eq!(names(&flagged), names(&prod));
    // The variable a profile names must be set; the message names the file and line.
    let unset = cli()
        .env("CYCLR_CONFIG", file.path())
        .args(["--profile", "staging", "connectors"])
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(2));
    let line = stderr(&unset);
    assert!(line.contains(&format!("{}:13:", file.path())), "{line}");
    assert!(line.contains("$STAGING_SECRET, which is not set"), "{line}");
    // An unknown profile lists those there are.
    let unknown = cli()
        .env("CYCLR_CONFIG", file.path())
        .args(["--profile", "stagign", "connectors"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("did you mean `staging`?"),
        "{}",
        stderr(&unknown)
    );
}

/// A secret command that fails stops with exit 2 naming the command, not its output; a
/// literal secret in a file others can read is refused with the chmod advice.
#[test]
fn secret_commands_and_literal_secrets_are_checked() {
    let file = ConfigFile::new(
        "secret-command",
        "[profiles.p]\ninstance = \"https://api.eu.cyclr.com\"\ntoken_command = [\"false\"]\n",
    );
    let output = cli()
        .env("CYCLR_CONFIG", file.path())
        .args(["--profile", "p", "connectors"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(line.contains("`false` exited with"), "{line}");
    assert!(
        line.contains(&format!("command (file {}:3)", file.path())),
        "{line}"
    );

    let file = ConfigFile::new(
        "literal",
        "[profiles.p]\ninstance = \"eu\"\nclient_id = \"cid\"\nclient_secret = \"cs-literal-secret\"\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let output = cli()
        .env("CYCLR_CONFIG", file.path())
        .args(["--profile", "p", "connectors"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = stderr(&output);
    assert!(
        line.contains(&format!("chmod 600 {}", file.path())),
        "{line}"
    );
    assert!(!line.contains("cs-literal-secret"), "{line}");
}

/// `config init` writes a private, commented starter file that the tool reads as it is,
/// and never overwrites one.
#[test]
fn config_init_writes_a_private_starter_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cyclr-tui").join("config.toml");
    let init = || {
        cli()
            .env("CYCLR_CONFIG", &path)
            .args(["config", "init"])
            .output()
            .unwrap()
    };
    let output = init();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# [profiles.eu-prod]"), "{text}");
    let again = init();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let show = cli()
        .env("CYCLR_CONFIG", &path)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(show.status.code(), Some(0), "{}", stderr(&show));
}

/// `call --print curl` prints a line that sends nothing itself, names the account and the
/// body, leaves the token to `$CYCLR_TOKEN`, and runs against the sandbox as it is (a name
/// with a quote in it included).
#[tokio::test(flavor = "multi_thread")]
async fn print_curl_gives_a_line_that_runs() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sandbox.demo();
    let output = against(&sandbox)
        .args([
            "call",
            "204511",
            "512203",
            "--field",
            "Last Name=O'Brien",
            "--print",
            "curl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let line = String::from_utf8(output.stdout).unwrap();
    assert!(
        line.contains("\"Authorization: Bearer $CYCLR_TOKEN\""),
        "{line}"
    );
    assert!(line.contains("'X-Cyclr-Account: acme-prod'"), "{line}");
    assert!(!line.contains(&demo.client_secret), "{line}");
    assert!(
        sandbox
            .received()
            .iter()
            .all(|r| !r.path.contains("/methods/512203")),
        "printing sends nothing"
    );
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("curl is not installed: the line was checked, not run");
        return;
    }
    let ran = tokio::process::Command::new("sh")
        .args(["-c", &format!("{} --silent --show-error", line.trim())])
        .env("CYCLR_TOKEN", &demo.static_token)
        .output()
        .await
        .unwrap();
    assert_eq!(
        ran.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let created: Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(created["LastName"], "O'Brien", "{created}");
    let posted = sandbox
        .received()
        .into_iter()
        .rfind(|r| r.path.ends_with("/methods/512203"))
        .unwrap();
    assert_eq!(posted.account.as_deref(), Some("acme-prod"));
}

/// Completion scripts and the manual page are generated from the command definitions, with
/// no settings needed.
#[test]
fn completions_and_man_page_print() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = cli()
            .env("CYCLR_CONFIG", "/nonexistent/broken.toml")
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("cyclr-tui") && text.contains("history"),
            "{shell}"
        );
    }
    let output = cli().arg("man").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains(".TH cyclr-tui 1"), "{text}");
}

/// `call --jq` prints the filter's results as jq does (one compact value a line when piped);
/// a filter that does not compile exits 2 before any request; one that fails exits 5.
#[tokio::test(flavor = "multi_thread")]
async fn call_with_a_jq_filter() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = against(&sandbox)
        .args([
            "call",
            "204511",
            "512201",
            "--jq",
            r#".records[] | select(.LastName == "Hopper" or .LastName == "Lovelace") | .Email"#,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "\"ada.lovelace@acme.example\"\n\"grace.hopper@globex.example\"\n"
    );
    let before = sandbox.received().len();
    let output = against(&sandbox)
        .args(["call", "204511", "512201", "--jq", ".records["])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("column 10"), "{}", stderr(&output));
    assert_eq!(sandbox.received().len(), before, "nothing was sent");
    let output = against(&sandbox)
        .args(["call", "204511", "512201", "--jq", ".records[0].Email + 1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    assert!(
        stderr(&output).starts_with("error: jq: cannot calculate"),
        "{}",
        stderr(&output)
    );
}

/// `--output FILE` writes the body byte for byte (or the `--jq` results) and says so on
/// stderr; stdout stays empty.
#[tokio::test(flavor = "multi_thread")]
async fn call_output_goes_to_a_file() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.json");
    let output = against(&sandbox)
        .args(["call", "204511", "512201", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let saved = std::fs::read(&path).unwrap();
    assert!(stderr(&output).contains(&format!("saved {} bytes", saved.len())));
    let body: Value = serde_json::from_slice(&saved).unwrap();
    assert_eq!(body["records"].as_array().map(Vec::len), Some(5));
    let output = against(&sandbox)
        .args([
            "call",
            "204511",
            "512201",
            "--jq",
            ".records[].LastName",
            "--output",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.starts_with("\"Lovelace\"\n"), "{text}");
}
