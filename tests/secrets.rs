//! A whole session with known secrets, then every output searched for them: the terminal,
//! the log file, every file the program wrote, the CLI's stdout and stderr, and panic output.
//! Secrets: the client secret, every access token the sandbox issued (including one issued
//! after a mid-session expiry), the static token, every connector `AuthValue` and every
//! secret-looking connector property (`ClientSecret`, `WebhookSecret`).

#![cfg(unix)]

#[path = "support/pty.rs"]
mod pty;

use cyclr_tui::cyclr::{ClientConfig, Credentials, CyclrClient, Secret};
use cyclr_tui::sandbox::{Sandbox, SandboxConfig};
use pty::{CTRL_C, CTRL_S, ENTER, Session};
use std::path::Path;

/// Every file under `dir`, recursively, with its contents.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path.display().to_string(), bytes));
        }
    }
    found
}

fn assert_no_secret(what: &str, bytes: &[u8], secrets: &[String]) {
    let text = String::from_utf8_lossy(bytes);
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{what} contains a secret ({}…)",
            &secret[..secret.len().min(6)]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_any_output() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sandbox.demo().clone();
    let base = sandbox.base_url();
    let env = [
        ("CYCLR_INSTANCE", base.as_str()),
        ("CYCLR_ACCOUNT", demo.account_id.as_str()),
        ("CYCLR_CLIENT_ID", demo.client_id.as_str()),
        ("CYCLR_CLIENT_SECRET", demo.client_secret.as_str()),
        ("CYCLR_LOG", "trace"),
    ];

    // The explorer: load, open a method, send, look at the request as sent, let the token
    // expire, send again (a transparent refresh), quit.
    // block_in_place: the session blocks this thread while the sandbox serves on the others.
    let (mut outputs, session_home) = tokio::task::block_in_place(|| {
        let mut s = Session::spawn_env(&[], &env, 120, 40);
        s.wait_for("Account connectors (11");
        s.send(ENTER);
        s.wait_for("List Contacts");
        s.send(b"/list contacts");
        s.send(ENTER);
        s.send(ENTER);
        s.wait_for("Request: List Contacts");
        s.send(CTRL_S);
        s.wait_for("200 OK");
        s.send(b"\t");
        s.send(b"]]]]"); // Pretty → Table → Raw → Headers → Request sent
        s.wait_for("Bearer ********");
        sandbox.expire_tokens();
        s.send(b"\t\t\t");
        s.send(CTRL_S);
        s.wait_for("sent again with a fresh token");
        s.send(CTRL_C);
        s.assert_clean_exit("Ctrl-C");
        let mut outputs = vec![("the terminal".to_string(), s.raw().to_vec())];
        outputs.extend(
            files_under(s.home())
                .into_iter()
                .map(|(path, bytes)| (format!("the file {path}"), bytes)),
        );
        (outputs, s.home().to_path_buf())
    });
    assert!(
        outputs
            .iter()
            .any(|(what, bytes)| what.ends_with("cyclr-tui.log") && !bytes.is_empty()),
        "the session wrote a log under {}: {:?}",
        session_home.display(),
        outputs.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>()
    );

    assert!(
        outputs
            .iter()
            .any(|(what, bytes)| what.contains("history.sqlite3") && !bytes.is_empty()),
        "the session recorded its calls in a history under {}",
        session_home.display()
    );

    // The command line, including an error path, logging into a folder of its own.
    let cli_home = std::env::temp_dir().join(format!("cyclr-tui-secrets-{}", std::process::id()));
    for args in [
        vec!["connectors"],
        vec!["connectors", "show", "204511"],
        vec!["lookup", "204511", "512204", "Contact Id"],
        vec!["methods", "204511"],
        vec!["call", "204511", "512201"],
        vec!["call", "204511", "999"],
    ] {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cyclr-tui"))
            .args(&args)
            .envs(env)
            .env("HOME", &cli_home)
            .env("XDG_CONFIG_HOME", cli_home.join("config"))
            .output()
            .await
            .unwrap();
        outputs.push((format!("`{}` stdout", args.join(" ")), output.stdout));
        outputs.push((format!("`{}` stderr", args.join(" ")), output.stderr));
    }
    let panicked = tokio::task::block_in_place(|| {
        let mut all = env.to_vec();
        all.push((cyclr_tui::tui::TEST_PANIC_VAR, "1"));
        let mut s = Session::spawn_env(&[], &all, 120, 40);
        s.wait_exit();
        s.raw().to_vec()
    });
    outputs.push(("the panic output".into(), panicked));
    let cli_files = files_under(&cli_home);
    assert!(
        !cli_files.is_empty(),
        "the CLI wrote its log under {}",
        cli_home.display()
    );
    assert!(
        cli_files
            .iter()
            .any(|(path, _)| path.contains("history.sqlite3")),
        "the CLI recorded its calls under {}",
        cli_home.display()
    );
    outputs.extend(
        cli_files
            .into_iter()
            .map(|(path, bytes)| (format!("the file {path}"), bytes)),
    );
    let _ = std::fs::remove_dir_all(&cli_home);

    // What must not appear: the secret, every issued token, the static token, every AuthValue.
    let mut secrets = vec![demo.client_secret.clone(), demo.static_token.clone()];
    let issued = sandbox.issued_tokens();
    assert!(
        issued.len() >= 2,
        "a refresh happened, so at least two tokens: {}",
        issued.len()
    );
    secrets.extend(issued);
    let mut config = ClientConfig::new(
        base.parse().unwrap(),
        Some(demo.account_id.clone()),
        Credentials::Token(Secret::new(demo.static_token.clone())),
    );
    config.page_size = 100;
    let connectors = CyclrClient::new(config)
        .unwrap()
        .account_connectors()
        .await
        .unwrap();
    let auth_values: Vec<String> = connectors
        .iter()
        .map(|c| c.auth_value.expose().to_string())
        .filter(|v| v.len() >= 8)
        .collect();
    assert!(
        auth_values.len() >= 5,
        "the demo data has AuthValues to look for"
    );
    secrets.extend(auth_values);
    // Secret-looking account connector properties (ClientSecret, WebhookSecret).
    let secret_properties: Vec<String> = connectors
        .iter()
        .flat_map(|c| &c.properties)
        .filter(|p| p.is_secret())
        .filter_map(|p| p.value.clone())
        .filter(|v| v.len() >= 8)
        .collect();
    assert!(
        secret_properties.len() >= 2,
        "the demo data has secret properties to look for"
    );
    secrets.extend(secret_properties);
    for (what, bytes) in &outputs {
        assert_no_secret(what, bytes, &secrets);
    }
}
