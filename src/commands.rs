//! The scriptable command line: JSON on stdout, one error line on stderr, exit codes
//! 0 ok, 1 HTTP status ≥ 400, 2 usage or configuration, 3 network.

use crate::body::RequestBody;
use crate::cli::{CallArgs, Command, ConfigCommand};
use crate::cyclr::{ApiError, CallRequest, CallResponse, Endpoint, MethodQuery, MethodRef, Verb};
use crate::hint::{self, Face};
use crate::process::{EXIT_OK, EXIT_USAGE, report, shutdown_signal};
use crate::session::connect;
use crate::settings::{ConfigError, Settings};
use crate::text;
use serde_json::Value;
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
            let method = MethodRef::parse(&args.method);
            let body = body.unwrap_or(CallBody::None);
            // The method's metadata is read when names are to be resolved or writes refused.
            let needs_names = matches!(&body, CallBody::Model(b)
                if b.parameters.keys().chain(b.fields.keys()).any(|k| k.trim().parse::<i64>().is_err()));
            let body = if needs_names || settings.read_only.value {
                let found = find_method(client, args.account_connector, &method).await?;
                let access = found.access();
                if settings.read_only.value && access.write {
                    return Err(CliError::Usage(format!(
                        "read-only mode: {} changes data ({}); not sent",
                        found.name.as_deref().unwrap_or("this method"),
                        access.reason
                    )));
                }
                match body {
                    CallBody::Model(mut b) => {
                        resolve_names(&mut b, &found)?;
                        CallBody::Model(b)
                    }
                    other => other,
                }
            } else {
                body
            };
            let (body, content_type) = match body {
                CallBody::Model(b) => (b.to_json(), crate::cyclr::ContentType::Json),
                CallBody::Raw(bytes) => (
                    String::from_utf8(bytes).map_err(|_| {
                        CliError::Usage(
                            "the raw body must be UTF-8 text (JSON, XML or text)".into(),
                        )
                    })?,
                    args.content_type,
                ),
                CallBody::None => (String::new(), crate::cyclr::ContentType::Json),
            };
            let request = CallRequest {
                account_connector_id: args.account_connector,
                method,
                endpoint: match (args.test, args.raw_body.is_some()) {
                    (true, _) => Endpoint::Test,
                    (_, true) => Endpoint::RawBody,
                    _ => Endpoint::Call,
                },
                verb: if args.get { Verb::Get } else { Verb::Post },
                body,
                content_type,
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
        ConfigCommand::Init => {
            let Some((path, _)) = &settings.config_file else {
                report("no config directory: set HOME or XDG_CONFIG_HOME, or pass --config");
                return EXIT_USAGE;
            };
            let shown = text::inert(&path.display().to_string()).into_owned();
            match crate::settings::write_starter_file(path) {
                Ok(()) => {
                    let _ = writeln!(out, "wrote {shown}");
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    report(&format!("{shown} exists already; it is left as it is"));
                    return EXIT_USAGE;
                }
                Err(e) => {
                    report(&format!("cannot write {shown}: {e}"));
                    return EXIT_USAGE;
                }
            }
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

/// What `call` sends: a body model, or bytes as they are (the raw-body endpoint), or nothing.
enum CallBody {
    Model(RequestBody),
    Raw(Vec<u8>),
    None,
}

/// Reads a file, or standard input for `-`.
fn read_input(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    read.map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    Ok(bytes)
}

/// Builds what `call` sends: `--body` (file or stdin, JSON with comments allowed) with
/// `--param`/`--field`/`--merge` merged in, or `--raw-body`'s bytes. Only what is given is
/// sent. Parameter and field names are resolved later, against the method's metadata.
fn call_body(args: &CallArgs) -> Result<CallBody, CliError> {
    if args.get {
        return Ok(CallBody::None);
    }
    if let Some(path) = &args.raw_body {
        return Ok(CallBody::Raw(read_input(path)?));
    }
    let mut body = match &args.body {
        None => RequestBody::default(),
        Some(path) => {
            let bytes = read_input(path)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                CliError::Usage(format!("the body in {} is not UTF-8 text", path.display()))
            })?;
            RequestBody::from_jsonc(&text)
                .map_err(|e| CliError::Usage(format!("the body in {}: {e}", path.display())))?
        }
    };
    for (section, pairs) in [
        (&mut body.parameters, &args.params),
        (&mut body.fields, &args.fields),
        (&mut body.mergefields, &args.merges),
    ] {
        for (key, value) in pairs {
            section.insert(key.clone(), Value::String(value.clone()));
        }
    }
    Ok(CallBody::Model(body))
}

/// Replaces parameter and field names in `body` by their ids, from `method`'s metadata; an
/// unknown or ambiguous name is a usage error listing the choices.
fn resolve_names(body: &mut RequestBody, method: &crate::cyclr::Method) -> Result<(), CliError> {
    for (kind, section, list) in [
        ("parameter", &mut body.parameters, &method.parameters),
        ("field", &mut body.fields, &method.request_fields),
    ] {
        let keys: Vec<String> = section.keys().cloned().collect();
        for key in keys {
            if key.trim().parse::<i64>().is_ok() {
                continue;
            }
            let matching: Vec<&crate::cyclr::Parameter> = list
                .iter()
                .filter(|p| {
                    p.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(key.trim()))
                })
                .collect();
            let choices = || {
                list.iter()
                    .map(|p| {
                        format!(
                            "{} ({})",
                            p.name.as_deref().unwrap_or("?"),
                            p.id.map(|i| i.to_string()).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let id = match matching.as_slice() {
                [one] => one.id.map(|i| i.to_string()),
                [] => None,
                _ => {
                    return Err(CliError::Usage(format!(
                        "the {kind} name '{}' is ambiguous: {}",
                        text::inert(&key),
                        matching
                            .iter()
                            .map(|p| p.id.map(|i| i.to_string()).unwrap_or_default())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            };
            let Some(id) = id else {
                return Err(CliError::Usage(format!(
                    "no {kind} named '{}' in {}; the {kind}s are: {}",
                    text::inert(&key),
                    method.name.as_deref().unwrap_or("this method"),
                    if list.is_empty() {
                        "none".to_string()
                    } else {
                        choices()
                    }
                )));
            };
            if let Some(value) = section.remove(&key) {
                section.insert(id, value);
            }
        }
    }
    Ok(())
}

/// The method `call` addresses, from the account connector's connector release.
async fn find_method(
    client: &crate::cyclr::CyclrClient,
    account_connector: i64,
    method: &MethodRef,
) -> Result<crate::cyclr::Method, CliError> {
    let connector = client.account_connector(account_connector).await?;
    let connector_id = connector.connector_id().ok_or_else(|| {
        CliError::Usage(format!(
            "account connector {account_connector} has no Connector.Id"
        ))
    })?;
    let methods = client
        .methods(connector_id, &MethodQuery::default())
        .await?;
    methods
        .into_iter()
        .find(|m| match method {
            MethodRef::Id(id) => m.id == Some(*id),
            MethodRef::Guid(guid) => m
                .method_unique_identifier
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(guid)),
        })
        .ok_or_else(|| {
            CliError::Usage(format!(
                "no method {method} on account connector {account_connector}'s connector"
            ))
        })
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
