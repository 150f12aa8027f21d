//! The scriptable command line: JSON on stdout, one error line on stderr, exit codes
//! 0 ok, 1 HTTP status ≥ 400, 2 usage or configuration, 3 network.

use crate::cli::{CallArgs, Command, ConfigCommand};
use crate::cyclr::{ApiError, CallRequest, CallResponse, Endpoint, MethodQuery, MethodRef, Verb};
use crate::hint::{self, Face};
use crate::process::{EXIT_OK, EXIT_USAGE, report, shutdown_signal};
use crate::session::connect;
use crate::settings::{ConfigError, Settings};
use crate::text;
use serde_json::{Map, Value};
use std::io::{IsTerminal, Read, Write};

/// What can stop a command.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The command line asks for something that cannot be done (a bad body file, say).
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    fn exit_code(&self) -> i32 {
        match self {
            CliError::Api(e) => e.exit_code(),
            CliError::Config(e) => e.exit_code(),
            CliError::Usage(_) => EXIT_USAGE,
        }
    }
}

/// Runs one subcommand (not `sandbox`) with `settings` and returns the process exit code.
pub async fn run(settings: &Settings, command: Command) -> i32 {
    match execute(settings, command).await {
        Ok(code) => code,
        Err(CliError::Api(err)) => {
            report(&hint::with_advice(&err, Face::Cli));
            err.exit_code()
        }
        Err(err) => {
            report(&err.to_string());
            err.exit_code()
        }
    }
}

async fn execute(settings: &Settings, command: Command) -> Result<i32, CliError> {
    if let Command::Config { command } = &command {
        return Ok(config_command(settings, command));
    }
    // Usage problems are found before any connection (and before the demo starts).
    let body = match &command {
        Command::Call(args) => Some(call_body(args)?),
        _ => None,
    };
    let session = connect(settings, false).await?;
    let needs_account = !matches!(command, Command::Accounts);
    if needs_account && session.client.config().account.is_none() {
        return Err(CliError::Usage(
            "no account: pass --account or set CYCLR_ACCOUNT (the account's API ID)".into(),
        ));
    }
    let client = &session.client;
    match command {
        Command::Accounts => Ok(print_raw(
            client.accounts().await?.into_iter().map(|a| a.raw),
        )),
        Command::Connectors { brief } => Ok(print_raw(
            client.account_connectors().await?.into_iter().map(|mut c| {
                if brief {
                    crate::cyclr::shorten_icons(&mut c.raw);
                }
                c.raw
            }),
        )),
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
            Ok(print_raw(methods.into_iter().map(|m| m.raw)))
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
                content_type: crate::cyclr::ContentType::Json,
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
        Command::Sandbox { .. } | Command::Config { .. } => {
            Err(CliError::Usage("not a client command".into()))
        }
    }
}

/// `config path` and `config show`.
fn config_command(settings: &Settings, command: &ConfigCommand) -> i32 {
    let mut out = std::io::stdout().lock();
    match command {
        ConfigCommand::Path => {
            let Some((path, _)) = &settings.config_file else {
                report("no config directory: set HOME or XDG_CONFIG_HOME, or pass --config");
                return EXIT_USAGE;
            };
            let _ = writeln!(out, "{}", text::inert(&path.display().to_string()));
        }
        ConfigCommand::Show => {
            if let Some((path, exists)) = &settings.config_file {
                let state = if *exists {
                    ""
                } else {
                    " (not found: defaults apply)"
                };
                let _ = writeln!(
                    out,
                    "# config file: {}{state}",
                    text::inert(&path.display().to_string())
                );
            }
            for line in settings.show() {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    EXIT_OK
}

/// Builds the JSON body of `call`: `--body` (file or stdin) with `--param`/`--field` merged in.
fn call_body(args: &CallArgs) -> Result<String, CliError> {
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
                CliError::Usage(format!("cannot read the body from {}: {e}", path.display()))
            })?;
            serde_json::from_str(&text).map_err(|e| {
                CliError::Usage(format!(
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
            return Err(CliError::Usage(
                "--param/--field need a JSON object body".into(),
            ));
        };
        let section = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(section) = section else {
            return Err(CliError::Usage(format!(
                "\"{key}\" in the body is not an object"
            )));
        };
        for (id, value) in pairs {
            section.insert(id.clone(), Value::String(value.clone()));
        }
    }
    Ok(body.to_string())
}

fn print_raw(items: impl Iterator<Item = Value>) -> i32 {
    print_json(&Value::Array(items.collect()));
    EXIT_OK
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
