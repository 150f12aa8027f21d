//! The scriptable command line: JSON on stdout, one error line on stderr, exit codes
//! 0 ok, 1 HTTP status ≥ 400, 2 usage or configuration, 3 network.

use crate::cli::{CallArgs, Command, GlobalArgs};
use crate::config::{EnvCredentials, connect};
use crate::cyclr::{ApiError, CallRequest, CallResponse, Endpoint, MethodQuery, MethodRef, Verb};
use crate::hint::{self, Face};
use crate::text;
use serde_json::{Map, Value};
use std::io::{IsTerminal, Read, Write};

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for usage or configuration errors.
pub const EXIT_USAGE: i32 = 2;

/// Runs one subcommand (not `sandbox`) and returns the process exit code.
pub async fn run(global: &GlobalArgs, command: Command) -> i32 {
    match execute(global, command).await {
        Ok(code) => code,
        Err(err) => {
            report(&hint::with_advice(&err, Face::Cli));
            err.exit_code()
        }
    }
}

/// Prints one error line on stderr, made inert.
pub fn report(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {}", text::inert(message));
}

async fn execute(global: &GlobalArgs, command: Command) -> Result<i32, ApiError> {
    // Usage problems are found before any connection (and before the demo starts).
    let body = match &command {
        Command::Call(args) => Some(call_body(args)?),
        _ => None,
    };
    let session = connect(global, &EnvCredentials::from_process(), false).await?;
    let needs_account = !matches!(command, Command::Accounts);
    if needs_account && session.client.config().account.is_none() {
        return Err(ApiError::Config(
            "no account: pass --account or set CYCLR_ACCOUNT (the account's API ID)".into(),
        ));
    }
    let client = &session.client;
    match command {
        Command::Accounts => print_raw(client.accounts().await?.into_iter().map(|a| a.raw)),
        Command::Connectors { brief } => {
            print_raw(client.account_connectors().await?.into_iter().map(|mut c| {
                if brief {
                    crate::cyclr::shorten_icons(&mut c.raw);
                }
                c.raw
            }))
        }
        Command::Methods {
            account_connector,
            query,
            category,
        } => {
            let connector = client.account_connector(account_connector).await?;
            let connector_id = connector.connector_id().ok_or_else(|| ApiError::Decode {
                expected: "an account connector with Connector.Id",
                detail: format!("account connector {account_connector} has no Connector.Id"),
                body: bytes::Bytes::from(connector.raw.to_string()),
            })?;
            let methods = client
                .methods(connector_id, &MethodQuery { query, category })
                .await?;
            print_raw(methods.into_iter().map(|m| m.raw))
        }
        Command::Call(args) => {
            let request = CallRequest {
                account_connector_id: args.account_connector,
                method: MethodRef::parse(&args.method),
                endpoint: match (args.test, args.raw_body) {
                    (true, _) => Endpoint::Test,
                    (_, true) => Endpoint::RawBody,
                    _ => Endpoint::Call,
                },
                verb: if args.get { Verb::Get } else { Verb::Post },
                body: body.unwrap_or_default(),
            };
            let response = client.call(&request).await?;
            print_body(&response);
            match response.error() {
                Some(err) => {
                    report(&hint::with_advice(&err, Face::Cli));
                    Ok(err.exit_code())
                }
                None => Ok(EXIT_OK),
            }
        }
        Command::Sandbox { .. } => Err(ApiError::Config("sandbox is not a client command".into())),
    }
}

/// Builds the JSON body of `call`: `--body` (file or stdin) with `--param`/`--field` merged in.
fn call_body(args: &CallArgs) -> Result<String, ApiError> {
    if args.get {
        return Ok(String::new());
    }
    let mut body = match &args.body {
        None => Value::Object(Map::new()),
        Some(path) => {
            let mut text = String::new();
            let read = if path.as_os_str() == "-" {
                std::io::stdin().read_to_string(&mut text)
            } else {
                std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text))
            };
            read.map_err(|e| {
                ApiError::Config(format!("cannot read the body from {}: {e}", path.display()))
            })?;
            serde_json::from_str(&text).map_err(|e| {
                ApiError::Config(format!(
                    "the body in {} is not valid JSON: {} at line {}, column {}",
                    path.display(),
                    e,
                    e.line(),
                    e.column()
                ))
            })?
        }
    };
    for (key, pairs) in [("Parameters", &args.params), ("Fields", &args.fields)] {
        if pairs.is_empty() {
            continue;
        }
        let Value::Object(root) = &mut body else {
            return Err(ApiError::Config(
                "--param/--field need a JSON object body".into(),
            ));
        };
        let section = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(section) = section else {
            return Err(ApiError::Config(format!(
                "\"{key}\" in the body is not an object"
            )));
        };
        for (id, value) in pairs {
            section.insert(id.clone(), Value::String(value.clone()));
        }
    }
    Ok(body.to_string())
}

fn print_raw(items: impl Iterator<Item = Value>) -> Result<i32, ApiError> {
    print_json(&Value::Array(items.collect()));
    Ok(EXIT_OK)
}

/// JSON to stdout: pretty on a terminal, compact otherwise; inert either way (it is often
/// piped into a pager).
fn print_json(value: &Value) {
    let mut out = std::io::stdout().lock();
    let text = if out.is_terminal() {
        serde_json::to_string_pretty(value).unwrap_or_default()
    } else {
        value.to_string()
    };
    // A closed stdout (e.g. `| head`) is not an error worth reporting.
    let _ = writeln!(out, "{}", text::json_escaped(&text));
}

/// A response body to stdout: JSON as JSON, text as text, binary raw (or summarised on a terminal).
fn print_body(response: &CallResponse) {
    if response.body.is_empty() {
        return;
    }
    if let Ok(value) = serde_json::from_slice::<Value>(&response.body) {
        return print_json(&value);
    }
    let mut out = std::io::stdout().lock();
    let tty = out.is_terminal();
    let _ = match std::str::from_utf8(&response.body) {
        Ok(body) if tty => writeln!(out, "{}", text::inert_multiline(body)),
        Err(_) if tty => writeln!(
            out,
            "<binary body, {} bytes; redirect stdout to a file to save it>",
            response.body.len()
        ),
        _ => out.write_all(&response.body),
    };
}

/// Runs the sandbox alone until Ctrl-C or SIGTERM, printing how to use it.
pub async fn run_sandbox(port: u16, data: Option<std::path::PathBuf>) -> i32 {
    let config = crate::sandbox::SandboxConfig {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        data_dir: data,
        ..Default::default()
    };
    let sandbox = match crate::sandbox::Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            report(&format!("cannot start the sandbox: {e}"));
            return EXIT_USAGE;
        }
    };
    let demo = sandbox.demo();
    let _ = writeln!(
        std::io::stdout(),
        "Cyclr sandbox listening on {url}\n\n\
         export CYCLR_INSTANCE={url}\n\
         export CYCLR_ACCOUNT={account}\n\
         export CYCLR_CLIENT_ID={id}\n\
         export CYCLR_CLIENT_SECRET={secret}\n\
         # or: export CYCLR_TOKEN={token}\n\n\
         Account {restricted} has an IP allow-list that excludes this machine (403 on standard connectors).\n\
         Press Ctrl-C to stop.",
        url = sandbox.base_url(),
        account = demo.account_id,
        id = demo.client_id,
        secret = demo.client_secret,
        token = demo.static_token,
        restricted = demo.restricted_account_id,
    );
    let _ = std::io::stdout().flush();
    shutdown_signal().await;
    drop(sandbox);
    EXIT_OK
}

/// A future that resolves on SIGINT, SIGTERM or SIGHUP. The handlers are installed when this
/// is called, not when it is first polled, so no signal in between takes the default action.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut signals: Vec<_> = [
        SignalKind::interrupt(),
        SignalKind::terminate(),
        SignalKind::hangup(),
    ]
    .into_iter()
    .filter_map(|kind| signal(kind).ok())
    .collect();
    async move {
        if signals.is_empty() {
            return std::future::pending().await;
        }
        let any = signals.iter_mut().map(|s| Box::pin(s.recv()));
        futures::future::select_all(any).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_json_stays_valid_and_inert() {
        let value = serde_json::json!({"n": "a\u{1b}[2J\u{9b}\u{202e}\u{7f}b"});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let shown = text::json_escaped(&pretty);
        assert!(!shown.chars().any(|c| c != '\n' && text::is_unsafe(c)));
        let back: Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, value);
    }
}
