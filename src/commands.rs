//! The scriptable command line: JSON on stdout, one error line on stderr, exit codes
//! 0 ok, 1 HTTP status ≥ 400, 2 usage or configuration, 3 network.

use crate::body::RequestBody;
use crate::cli::{
    CallArgs, Command, ConfigCommand, ConnectorsCommand, HistoryArgs, HistoryCommand,
    HistoryListArgs, LookupArgs,
};
use crate::cyclr::{
    AccountConnector, ApiError, CallRequest, CallResponse, ContentType, CyclrClient, Endpoint,
    MASK, Method, MethodQuery, MethodRef, Parameter, Property, Verb,
};
use crate::hint::{self, Face};
use crate::history::{Entry, History, HistoryError, Query, Retention, Summary};
use crate::lookup::{Choice, KeyPath};
use crate::process::{EXIT_HTTP, EXIT_OK, EXIT_USAGE, report, shutdown_signal};
use crate::recorder::{CallLabel, Outcome, Recorder};
use crate::session::connect;
use crate::settings::{ConfigError, Settings};
use crate::text;
use serde_json::{Value, json};
use std::io::{IsTerminal, Read, Write};
use std::time::{Instant, SystemTime};

/// What can stop a command.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The history database cannot be read (for `history` and `replay`).
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The command line asks for something that cannot be done (a bad body file, say).
    #[error("{0}")]
    Usage(String),
    /// A lookup's response holds no choices where its keys say (or is not JSON).
    #[error("{0}")]
    Lookup(String),
}

impl CliError {
    fn exit_code(&self) -> i32 {
        match self {
            CliError::Api(e) => e.exit_code(),
            CliError::Config(e) => e.exit_code(),
            CliError::History(_) | CliError::Usage(_) => EXIT_USAGE,
            CliError::Lookup(_) => EXIT_HTTP,
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
    match &command {
        Command::Config { command } => return Ok(config_command(settings, command)),
        Command::History(args) => return history_command(settings, args),
        _ => {}
    }
    // Usage problems are found before any connection (and before the demo starts).
    let body = match &command {
        Command::Call(args) => Some(call_body(args)?),
        _ => None,
    };
    let replay = match &command {
        Command::Replay { id, .. } => Some(replay_entry(settings, *id)?),
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
        Command::Connectors(args) => match args.command {
            None => Ok(print_raw(
                client.account_connectors().await?.into_iter().map(|mut c| {
                    if args.brief {
                        crate::cyclr::shorten_icons(&mut c.raw);
                    }
                    c.raw
                }),
            )),
            Some(ConnectorsCommand::Show { id }) => connector_show(client, id).await,
        },
        Command::Lookup(args) => lookup_command(settings, client, &args).await,
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
            call_command(settings, client, &args, body.unwrap_or(CallBody::None)).await
        }
        Command::Replay { yes, .. } => match replay {
            Some((entry, request, history)) => {
                replay_command(settings, client, &entry, request, history, yes).await
            }
            None => Err(CliError::Usage("nothing to replay".into())),
        },
        Command::Sandbox { .. }
        | Command::Config { .. }
        | Command::History(_)
        | Command::Completions { .. }
        | Command::Man => Err(CliError::Usage("not a client command".into())),
    }
}

/// `call`: reads the method's metadata when names are to be resolved or writes refused,
/// sends the call, records it and prints its response.
async fn call_command(
    settings: &Settings,
    client: &CyclrClient,
    args: &CallArgs,
    body: CallBody,
) -> Result<i32, CliError> {
    // A filter that does not compile stops before any request.
    let filter = args
        .jq
        .as_deref()
        .map(crate::jq::Filter::compile)
        .transpose()
        .map_err(|e| CliError::Usage(format!("--jq: {e}")))?;
    let method = MethodRef::parse(&args.method);
    // The method's metadata is read when names are to be resolved or writes refused.
    let needs_names = matches!(&body, CallBody::Model(b)
        if b.parameters.keys().chain(b.fields.keys()).any(|k| k.trim().parse::<i64>().is_err()));
    let mut label = call_label(settings, client);
    let body = if needs_names || settings.read_only.value {
        let (connector, found) = find_method(client, args.account_connector, &method).await?;
        let access = found.access();
        if settings.read_only.value && access.write {
            return Err(CliError::Usage(format!(
                "read-only mode: {} changes data ({}); not sent",
                found.name.as_deref().unwrap_or("this method"),
                access.reason
            )));
        }
        label_method(&mut label, &connector, &found);
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
        CallBody::Model(b) => (b.to_json(), ContentType::Json),
        CallBody::Raw(bytes) => (
            String::from_utf8(bytes).map_err(|_| {
                CliError::Usage("the raw body must be UTF-8 text (JSON, XML or text)".into())
            })?,
            args.content_type,
        ),
        CallBody::None => (String::new(), ContentType::Json),
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
    if let Some(tool) = args.print {
        let config = client.config();
        let line = crate::export::command_line(
            tool,
            &request,
            &config.base_url,
            config.account.as_deref(),
        );
        let _ = writeln!(std::io::stdout().lock(), "{line}");
        return Ok(EXIT_OK);
    }
    let recorder = open_recorder(settings);
    let out = Out {
        filter: filter.as_ref(),
        file: args.output.as_deref(),
    };
    send_recorded(client, &request, &label, &recorder, &out).await
}

/// `completions SHELL`: the completion script for `shell`, on stdout.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "cyclr-tui", &mut std::io::stdout());
    EXIT_OK
}

/// `man`: the manual page (roff), on stdout.
pub fn man() -> i32 {
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    match clap_mangen::Man::new(command).render(&mut std::io::stdout()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            report(&format!("cannot write the manual page: {e}"));
            1
        }
    }
}

/// Sends `request`, records it (a failed call too) and prints the response like `call`;
/// the record is written before this returns.
async fn send_recorded(
    client: &CyclrClient,
    request: &CallRequest,
    label: &CallLabel,
    recorder: &Recorder,
    out: &Out<'_>,
) -> Result<i32, CliError> {
    let outcome = call_recorded(client, request, label, recorder).await;
    let printed = outcome.map(|response| match (response.error(), out.filter, out.file) {
        (Some(err), _, _) => {
            // An error body is shown as it came, never filtered nor saved.
            print_body(&response);
            report(&hint::with_advice(&err, Face::Cli));
            err.exit_code()
        }
        (None, filter, Some(path)) => save_output(filter, &response, path),
        (None, Some(filter), None) => print_filtered(filter, &response),
        (None, None, None) => {
            print_body(&response);
            EXIT_OK
        }
    });
    flush(recorder).await;
    Ok(printed?)
}

/// Sends `request` and hands the outcome (a failed call too) to the history; the caller
/// flushes the recorder before it returns.
async fn call_recorded(
    client: &CyclrClient,
    request: &CallRequest,
    label: &CallLabel,
    recorder: &Recorder,
) -> Result<CallResponse, ApiError> {
    let sent_at = SystemTime::now();
    let started = Instant::now();
    let outcome = client.call(request).await;
    recorder.record_call(
        label.clone(),
        request.clone(),
        Outcome::of(outcome.as_ref()),
        sent_at,
        started.elapsed(),
    );
    outcome
}

/// `connectors show ID`: the account connector's details as one JSON object, its
/// properties from their own route (the object's own `Properties` when that route is not
/// there: 404). Secret-looking property values are masked; the `AuthValue` is never shown.
async fn connector_show(client: &CyclrClient, id: i64) -> Result<i32, CliError> {
    let connector = client.account_connector(id).await?;
    let properties = match client.account_connector_properties(id).await {
        Ok(properties) => properties,
        Err(ApiError::NotFound { .. }) => {
            tracing::info!("no properties route for account connector {id}; using its own");
            connector.properties.clone()
        }
        Err(e) => return Err(e.into()),
    };
    print_json(&connector_details(&connector, &properties));
    Ok(EXIT_OK)
}

/// What `connectors show` prints: the fields worth knowing, never the `AuthValue`.
fn connector_details(connector: &AccountConnector, properties: &[Property]) -> Value {
    let release = connector.connector.clone().unwrap_or_default();
    let properties: Vec<Value> = properties
        .iter()
        .map(|p| {
            let value = match &p.value {
                Some(_) if p.is_secret() => Value::String(MASK.to_string()),
                Some(v) => Value::String(v.clone()),
                None => Value::Null,
            };
            json!({"Id": p.id, "Name": p.name, "Value": value})
        })
        .collect();
    json!({
        "Id": connector.id,
        "Name": connector.name,
        "Description": connector.description,
        "Connector": {
            "Id": release.id,
            "Name": release.name,
            "Version": release.version,
            "AuthType": release.auth_type,
        },
        "Authenticated": connector.authenticated,
        "IsPartnerIntegrationConnector": connector.is_partner_integration_connector,
        "Properties": properties,
        "CustomFieldsCount": connector.custom_fields_count(),
    })
}

/// `lookup`: the choices for one parameter or field. Its lookup (the first trigger with a
/// method) is called like `call` calls (same client path, recorded, same errors and exit
/// codes) with an empty body, and the trigger's keys pick the choices out of the response.
/// Without a lookup, its allowed `Values` are the choices (a note says so); with neither,
/// a usage error.
async fn lookup_command(
    settings: &Settings,
    client: &CyclrClient,
    args: &LookupArgs,
) -> Result<i32, CliError> {
    let (connector, methods) = connector_methods(client, args.account_connector).await?;
    let method = pick_method(
        &methods,
        &MethodRef::parse(&args.method),
        args.account_connector,
    )?;
    let (kind, param) = find_param(method, &args.param)?;
    let what = describe_param(kind, param);
    let Some(trigger) = param.lookup() else {
        if param.values.is_empty() {
            return Err(CliError::Usage(format!(
                "{what} of {} has no lookup (no Triggers with a MethodId) and no allowed Values",
                method.name.as_deref().unwrap_or("this method")
            )));
        }
        let _ = writeln!(
            std::io::stderr(),
            "note: {} has no lookup; these are its allowed Values",
            text::inert(&what)
        );
        print_choices(&Choice::from_values(&param.values), args.values_only);
        return Ok(EXIT_OK);
    };
    let source_id = trigger.method_id.unwrap_or_default();
    let id_key = trigger.identifier_key.clone().unwrap_or_default();
    let label_key = trigger.human_readable_key.clone().unwrap_or_default();
    // Keys that cannot be read stop before any call (a missing label key shows the ids).
    if id_key.trim().is_empty() {
        return Err(CliError::Lookup(format!(
            "the lookup of {what} has no IdentifierKey"
        )));
    }
    for key in [&id_key, &label_key] {
        if !key.trim().is_empty() {
            KeyPath::parse(key)
                .map_err(|e| CliError::Lookup(format!("the lookup of {what}: {e}")))?;
        }
    }
    let target = trigger.account_connector(args.account_connector);
    let source = match methods.iter().find(|m| m.id == Some(source_id)) {
        Some(found) if target == args.account_connector => found.clone(),
        _ => client.method(source_id).await?,
    };
    let source_name = source.name.clone().unwrap_or_else(|| source_id.to_string());
    let access = source.access();
    if settings.read_only.value && access.write {
        return Err(CliError::Usage(format!(
            "read-only mode: the lookup of {what} calls {source_name}, which changes data ({}); not sent",
            access.reason
        )));
    }
    let request = CallRequest::empty_call(target, source_id);
    let mut label = call_label(settings, client);
    if target == args.account_connector {
        label_method(&mut label, &connector, &source);
    } else {
        label.method_id = source.id;
        label
            .method_uid
            .clone_from(&source.method_unique_identifier);
        label.method_name = source_name.clone();
    }
    let recorder = open_recorder(settings);
    let outcome = call_recorded(client, &request, &label, &recorder).await;
    flush(&recorder).await;
    let response = outcome?;
    if let Some(err) = response.error() {
        report(&hint::with_advice(&err, Face::Cli));
        return Ok(err.exit_code());
    }
    let choices =
        crate::lookup::choices_from_bytes(&response.body, &label_key, &id_key).map_err(|e| {
            CliError::Lookup(format!(
                "the lookup of {what} ({source_name}, method {source_id}): {e}"
            ))
        })?;
    print_choices(&choices, args.values_only);
    Ok(EXIT_OK)
}

/// `Name (parameter 3400026)`: a parameter or field as messages name it.
fn describe_param(kind: &str, param: &Parameter) -> String {
    format!(
        "{} ({kind} {})",
        param.name.as_deref().unwrap_or("?"),
        param.id.map(|i| i.to_string()).unwrap_or_default()
    )
}

/// The parameter or request field `wanted` names: its id, or its name (case-insensitive).
/// None or several are usage errors listing the choices.
fn find_param<'m>(
    method: &'m Method,
    wanted: &str,
) -> Result<(&'static str, &'m Parameter), CliError> {
    let wanted = wanted.trim();
    let all: Vec<(&'static str, &Parameter)> = method
        .parameters
        .iter()
        .map(|p| ("parameter", p))
        .chain(method.request_fields.iter().map(|p| ("field", p)))
        .collect();
    let by_id: Vec<(&'static str, &Parameter)> = match wanted.parse::<i64>() {
        Ok(id) => all
            .iter()
            .copied()
            .filter(|(_, p)| p.id == Some(id))
            .collect(),
        Err(_) => Vec::new(),
    };
    let matching = if by_id.is_empty() {
        all.iter()
            .copied()
            .filter(|(_, p)| {
                p.name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted))
            })
            .collect()
    } else {
        by_id
    };
    let list = |items: &[(&str, &Parameter)]| {
        items
            .iter()
            .map(|(kind, p)| describe_param(kind, p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let method_name = method.name.as_deref().unwrap_or("this method");
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::Usage(format!(
            "no parameter or field '{}' in {method_name}; there are: {}",
            text::inert(wanted),
            if all.is_empty() {
                "none".to_string()
            } else {
                list(&all)
            }
        ))),
        several => Err(CliError::Usage(format!(
            "'{}' is ambiguous in {method_name}: {}; give its id",
            text::inert(wanted),
            list(several)
        ))),
    }
}

/// Choices on stdout, one a line: compact `{"id","label"}` JSON (control characters
/// escaped), or with `values_only` the ids made inert. Stops quietly at a closed stdout.
fn print_choices(choices: &[Choice], values_only: bool) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for choice in choices {
        let written = if values_only {
            writeln!(out, "{}", text::inert(&choice.id))
        } else {
            let line = json!({"id": choice.id, "label": choice.label}).to_string();
            writeln!(out, "{}", text::json_escaped(&line))
        };
        if written.is_err() {
            return;
        }
    }
    let _ = out.flush();
}

/// Waits until the history thread has written everything sent to it (like
/// [`Recorder::flush`], without blocking a tokio thread).
async fn flush(recorder: &Recorder) {
    let _ = recorder.ask(|_| Ok(())).await;
}

/// Who makes the call, for the record: profile, instance and account.
fn call_label(settings: &Settings, client: &CyclrClient) -> CallLabel {
    let config = client.config();
    CallLabel {
        profile: settings
            .profile
            .as_ref()
            .map(|p| p.value.clone())
            .unwrap_or_default(),
        instance: config.base_url.as_str().trim_end_matches('/').to_string(),
        account: config.account.clone().unwrap_or_default(),
        ..CallLabel::default()
    }
}

/// Adds what the method's metadata says to `label`.
fn label_method(label: &mut CallLabel, connector: &AccountConnector, method: &Method) {
    label.connector_name = connector.name.clone().unwrap_or_default();
    label.method_id = method.id;
    label
        .method_uid
        .clone_from(&method.method_unique_identifier);
    label.method_name = method.name.clone().unwrap_or_default();
}

/// What the history keeps, from the settings' `[history]`.
fn retention(settings: &Settings) -> Retention {
    crate::recorder::retention(&settings.history)
}

const NO_DATA_DIR: &str = "no data directory for the history: set HOME or XDG_DATA_HOME";

/// One warning line on stderr, made inert.
fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {}", text::inert(message));
}

/// The recorder for a call: when the history cannot be used, one warning line and a
/// recorder that keeps nothing (the call goes on).
fn open_recorder(settings: &Settings) -> Recorder {
    let Some(path) = History::default_path() else {
        warn(&format!("history is off: {NO_DATA_DIR}"));
        return Recorder::disabled();
    };
    let (recorder, error) = Recorder::open(&path, retention(settings), Box::new(|m| warn(&m)));
    if let Some(error) = error {
        warn(&format!("history is off: {error}"));
    }
    recorder
}

/// The history database for reading; None when none was ever written.
fn read_history(settings: &Settings) -> Result<Option<History>, CliError> {
    let path = History::default_path().ok_or_else(|| CliError::Usage(NO_DATA_DIR.into()))?;
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(History::open(&path, retention(settings))?))
}

/// Entry `id`, or the usage error that says there is none.
fn find_entry(history: Option<&History>, id: i64) -> Result<Entry, CliError> {
    history
        .map(|h| h.get(id))
        .transpose()?
        .flatten()
        .ok_or_else(|| CliError::Usage(format!("no history entry {id}")))
}

/// True when the response was received but its body is not all there: cut at the limit,
/// or not stored at all.
fn response_incomplete(entry: &Entry) -> bool {
    let record = &entry.record;
    record.status.is_some()
        && match &record.response_body {
            None => record.size > 0,
            Some(body) => entry.body_truncated && (body.len() as u64) < record.size,
        }
}

/// What `replay` needs before any connection: the entry, the request rebuilt from it, and
/// the history to record the new call in. A request body with masked secrets cannot be sent
/// again as it was.
fn replay_entry(settings: &Settings, id: i64) -> Result<(Entry, CallRequest, History), CliError> {
    let Some(history) = read_history(settings)? else {
        return Err(CliError::Usage(format!("no history entry {id}")));
    };
    let entry = find_entry(Some(&history), id)?;
    let request = crate::recorder::request_of(&entry).map_err(CliError::Usage)?;
    Ok((entry, request, history))
}

/// `replay`: judges the method from its metadata (read-only refuses a write; a write needs
/// `--yes`), then sends the request again with the current client and records it.
async fn replay_command(
    settings: &Settings,
    client: &CyclrClient,
    entry: &Entry,
    request: CallRequest,
    history: History,
    yes: bool,
) -> Result<i32, CliError> {
    // Said first: it may explain what follows.
    let account = client.config().account.clone().unwrap_or_default();
    if entry.record.account != account {
        let _ = writeln!(
            std::io::stderr(),
            "note: entry {} was made with account '{}'; it is sent with account '{}'",
            entry.id,
            text::inert(&entry.record.account),
            text::inert(&account)
        );
    }
    let (connector, method) =
        find_method(client, request.account_connector_id, &request.method).await?;
    let access = method.access();
    let name = method
        .name
        .as_deref()
        .map_or_else(|| request.method.to_string(), str::to_string);
    if access.write && settings.read_only.value {
        return Err(CliError::Usage(format!(
            "read-only mode: {name} changes data ({}); not sent",
            access.reason
        )));
    }
    if access.write && !yes {
        return Err(CliError::Usage(format!(
            "replay of a write ({name}): pass --yes to send it again"
        )));
    }
    let mut label = call_label(settings, client);
    label_method(&mut label, &connector, &method);
    let recorder = Recorder::spawn(history, Box::new(|m| warn(&m)));
    send_recorded(client, &request, &label, &recorder, &Out::default()).await
}

/// `history`, `history show` and `history diff`: read the database, never the network.
fn history_command(settings: &Settings, args: &HistoryArgs) -> Result<i32, CliError> {
    let history = read_history(settings)?;
    match &args.command {
        None => history_list(history.as_ref(), &args.list),
        Some(HistoryCommand::Show { id, json }) => {
            let entry = find_entry(history.as_ref(), *id)?;
            if *json {
                print_json(&entry_json(&entry));
            } else {
                print_entry(&entry);
            }
            Ok(EXIT_OK)
        }
        Some(HistoryCommand::Diff { a, b }) => {
            let old = find_entry(history.as_ref(), *a)?;
            let new = find_entry(history.as_ref(), *b)?;
            history_diff(&old, &new)
        }
    }
}

fn history_list(history: Option<&History>, args: &HistoryListArgs) -> Result<i32, CliError> {
    let mut query = Query {
        account_connector_id: args.connector,
        limit: args.limit,
        ..Query::default()
    };
    match args.method.as_deref().map(MethodRef::parse) {
        Some(MethodRef::Id(id)) => query.method_id = Some(id),
        Some(MethodRef::Guid(uid)) => query.method_uid = Some(uid),
        None => {}
    }
    let rows = match history {
        Some(history) => history.list(&query)?,
        None => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        for row in &rows {
            let line = summary_json(row).to_string();
            if writeln!(out, "{}", text::json_escaped(&line)).is_err() {
                break;
            }
        }
        return Ok(EXIT_OK);
    }
    if rows.is_empty() {
        let _ = writeln!(out, "no calls recorded");
        return Ok(EXIT_OK);
    }
    let _ = write!(out, "{}", summary_table(&rows));
    Ok(EXIT_OK)
}

/// The most characters a connector or method name takes in the table.
const NAME_COLUMN_MAX: usize = 32;

/// The list as a table: id, local time, status, ms, size, account connector, method,
/// endpoint. Server text is made inert.
fn summary_table(rows: &[Summary]) -> String {
    use unicode_width::UnicodeWidthStr;
    const HEADER: [&str; 8] = [
        "ID",
        "TIME",
        "STATUS",
        "MS",
        "SIZE",
        "CONNECTOR",
        "METHOD",
        "ENDPOINT",
    ];
    /// Columns aligned to the right (numbers).
    const RIGHT: [bool; 8] = [true, false, false, true, true, false, false, false];
    let name = |s: &str| text::truncate(&text::inert(s), NAME_COLUMN_MAX).into_owned();
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|row| {
            let connector = if row.connector_name.is_empty() {
                row.account_connector_id.to_string()
            } else {
                name(&row.connector_name)
            };
            let method = if !row.method_name.is_empty() {
                name(&row.method_name)
            } else if let Some(id) = row.method_id {
                id.to_string()
            } else {
                name(row.method_uid.as_deref().unwrap_or("?"))
            };
            let endpoint = if row.http_method.eq_ignore_ascii_case("GET") {
                format!("{} (GET)", text::inert(&row.endpoint))
            } else {
                text::inert(&row.endpoint).into_owned()
            };
            [
                row.id.to_string(),
                local_time(row.time_ms),
                row.status
                    .map_or_else(|| "error".to_string(), |s| s.to_string()),
                row.elapsed_ms.to_string(),
                if row.status.is_some() {
                    human_size(row.size)
                } else {
                    "-".to_string()
                },
                connector,
                method,
                endpoint,
            ]
        })
        .collect();
    let mut widths = HEADER.map(UnicodeWidthStr::width);
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut table = String::new();
    let header = HEADER.map(str::to_string);
    for row in std::iter::once(&header).chain(&cells) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            if i > 0 {
                line.push_str("  ");
            }
            if RIGHT[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&pad);
                }
            }
        }
        table.push_str(line.trim_end());
        table.push('\n');
    }
    table
}

/// One list row as JSON (`--json`): every field, the time also as RFC 3339 UTC.
fn summary_json(row: &Summary) -> Value {
    json!({
        "id": row.id,
        "time": rfc3339(row.time_ms),
        "time_ms": row.time_ms,
        "profile": row.profile,
        "account": row.account,
        "account_connector_id": row.account_connector_id,
        "connector_name": row.connector_name,
        "method_id": row.method_id,
        "method_uid": row.method_uid,
        "method_name": row.method_name,
        "endpoint": row.endpoint,
        "http_method": row.http_method,
        "status": row.status,
        "error": row.error,
        "elapsed_ms": row.elapsed_ms,
        "size": row.size,
    })
}

/// A body as JSON: the text when UTF-8, else base64; with its encoding.
fn body_json(body: &[u8]) -> (Value, &'static str) {
    match std::str::from_utf8(body) {
        Ok(text) => (Value::String(text.to_string()), "utf-8"),
        Err(_) => (Value::String(base64(body)), "base64"),
    }
}

fn headers_json(headers: &[(String, String)]) -> Value {
    Value::Array(
        headers
            .iter()
            .map(|(name, value)| json!([name, value]))
            .collect(),
    )
}

/// `history show --json`: the call, its request and its response as stored.
fn entry_json(entry: &Entry) -> Value {
    let r = &entry.record;
    let (body, encoding) = match &r.response_body {
        Some(body) => {
            let (body, encoding) = body_json(body);
            (body, Value::from(encoding))
        }
        None => (Value::Null, Value::Null),
    };
    let response = json!({
        "status": r.status,
        "error": r.error,
        "elapsed_ms": r.elapsed_ms,
        "size": r.size,
        "headers": headers_json(&r.response_headers),
        "body": body,
        "body_encoding": encoding,
        "body_stored": r.response_body.is_some(),
        "body_truncated": r.response_body.is_some() && response_incomplete(entry),
        "note": response_note(entry),
    });
    json!({
        "id": entry.id,
        "time": rfc3339(r.time_ms),
        "time_ms": r.time_ms,
        "profile": r.profile,
        "instance": r.instance,
        "account": r.account,
        "account_connector_id": r.account_connector_id,
        "connector_name": r.connector_name,
        "method_id": r.method_id,
        "method_uid": r.method_uid,
        "method_name": r.method_name,
        "endpoint": r.endpoint,
        "request": {
            "method": r.http_method,
            "url": r.url,
            "headers": headers_json(&r.request_headers),
            "body": r.request_body,
        },
        "response": response,
    })
}

/// What is missing of the stored response body, in words; None when it is all there.
fn response_note(entry: &Entry) -> Option<String> {
    let r = &entry.record;
    if !response_incomplete(entry) {
        return None;
    }
    Some(match &r.response_body {
        None => format!(
            "body not stored ({} bytes; [history] store_bodies is off)",
            r.size
        ),
        Some(body) => format!(
            "body cut at the history limit: {} of {} bytes kept",
            body.len(),
            r.size
        ),
    })
}

/// `history show`: the request and the response, as text made inert.
fn print_entry(entry: &Entry) {
    let r = &entry.record;
    let t = |s: &str| text::inert(s).into_owned();
    let mut out = String::new();
    out.push_str(&format!(
        "entry {} · {} · {}\n",
        entry.id,
        local_time(r.time_ms),
        rfc3339(r.time_ms)
    ));
    let connector = if r.connector_name.is_empty() {
        r.account_connector_id.to_string()
    } else {
        format!("{} {}", r.account_connector_id, t(&r.connector_name))
    };
    let mut method = Vec::new();
    if let Some(id) = r.method_id {
        method.push(id.to_string());
    }
    if !r.method_name.is_empty() {
        method.push(t(&r.method_name));
    }
    if let Some(uid) = &r.method_uid {
        method.push(format!("({})", t(uid)));
    }
    out.push_str(&format!(
        "profile {} · account {} · instance {}\n",
        if r.profile.is_empty() {
            "(none)".to_string()
        } else {
            t(&r.profile)
        },
        if r.account.is_empty() {
            "(none)".to_string()
        } else {
            t(&r.account)
        },
        t(&r.instance)
    ));
    out.push_str(&format!(
        "account connector {connector} · method {} · endpoint {}\n",
        method.join(" "),
        t(&r.endpoint)
    ));
    out.push_str(&format!(
        "\n# request\n{} {}\n",
        t(&r.http_method),
        t(&r.url)
    ));
    for (name, value) in &r.request_headers {
        out.push_str(&format!("{}: {}\n", t(name), t(value)));
    }
    if !r.request_body.is_empty() {
        out.push('\n');
        out.push_str(&body_text(r.request_body.as_bytes()));
    }
    out.push_str("\n# response\n");
    match r.status {
        Some(status) => out.push_str(&format!(
            "HTTP {status} · {} ms · {} bytes\n",
            r.elapsed_ms, r.size
        )),
        None => out.push_str(&format!("no response · {} ms\n", r.elapsed_ms)),
    }
    if let Some(error) = &r.error {
        out.push_str(&format!("error: {}\n", t(error)));
    }
    for (name, value) in &r.response_headers {
        out.push_str(&format!("{}: {}\n", t(name), t(value)));
    }
    if let Some(body) = r.response_body.as_deref().filter(|b| !b.is_empty()) {
        out.push('\n');
        out.push_str(&body_text(body));
    }
    if let Some(note) = response_note(entry) {
        out.push_str(&format!("({note})\n"));
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}

/// A stored body for reading: JSON pretty on a terminal, text as it is, binary as a note;
/// inert either way; ends with a newline.
fn body_text(body: &[u8]) -> String {
    let mut shown = match std::str::from_utf8(body) {
        Err(_) => format!("<binary body, {} bytes>", body.len()),
        Ok(body) => match serde_json::from_str::<Value>(body) {
            Ok(value) if std::io::stdout().is_terminal() => text::json_escaped(
                &serde_json::to_string_pretty(&value).unwrap_or_else(|_| body.to_string()),
            )
            .into_owned(),
            _ => text::inert_multiline(body).into_owned(),
        },
    };
    if !shown.ends_with('\n') {
        shown.push('\n');
    }
    shown
}

/// `history diff A B`: one line per change between the response bodies; 0 when the same,
/// 1 when different, 2 when a body was not stored.
fn history_diff(old: &Entry, new: &Entry) -> Result<i32, CliError> {
    let body = |entry: &Entry| -> Result<Vec<u8>, CliError> {
        let r = &entry.record;
        match (&r.response_body, r.status) {
            (Some(body), _) => Ok(body.to_vec()),
            (None, None) => Err(CliError::Usage(format!(
                "history entry {} has no response body: the call failed ({})",
                entry.id,
                r.error.as_deref().unwrap_or("no response")
            ))),
            (None, Some(_)) => Err(CliError::Usage(format!(
                "history entry {}'s response body was not stored ([history] store_bodies is off)",
                entry.id
            ))),
        }
    };
    let (old_body, new_body) = (body(old)?, body(new)?);
    for entry in [old, new] {
        if response_incomplete(entry) {
            let _ = writeln!(
                std::io::stderr(),
                "note: entry {}'s response body was cut at the history limit; only what was kept is compared",
                entry.id
            );
        }
    }
    let changes = crate::diff::diff(&old_body, &new_body);
    let mut out = std::io::stdout().lock();
    for change in &changes {
        if writeln!(out, "{}", text::inert(&change.to_string())).is_err() {
            break;
        }
    }
    if !changes.is_empty() {
        return Ok(EXIT_HTTP);
    }
    if old_body == new_body {
        return Ok(EXIT_OK);
    }
    let _ = writeln!(
        out,
        "the bodies differ only in line endings or layout (white space, key order)"
    );
    Ok(EXIT_HTTP)
}

/// A Unix time in ms as RFC 3339 UTC with milliseconds: `2026-12-02T16:04:05.123Z`.
fn rfc3339(time_ms: i64) -> String {
    let u = crate::datetime::Utc::of_unix(time_ms.div_euclid(1000));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        u.year,
        u.month,
        u.day,
        u.hour,
        u.minute,
        u.second,
        time_ms.rem_euclid(1000)
    )
}

/// A Unix time in ms as local time, `2026-12-02 17:04:05` (UTC, marked so, when the system
/// cannot say).
fn local_time(time_ms: i64) -> String {
    let utc = || {
        let mut s = rfc3339(time_ms.div_euclid(1000) * 1000);
        s.truncate(19);
        format!("{} UTC", s.replace('T', " "))
    };
    let t: libc::time_t = time_ms.div_euclid(1000);
    // SAFETY: an all-zero `tm` is a valid value (integers and a null zone pointer).
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: localtime_r reads `t` and writes only into the `tm` we own.
    if unsafe { libc::localtime_r(&raw const t, &raw mut tm) }.is_null() {
        return utc();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        i64::from(tm.tm_year) + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// A size for people: `532 B`, `1.2 KiB`, `3.4 MiB`.
fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else if b < KIB * KIB * KIB {
        format!("{:.1} MiB", b / KIB / KIB)
    } else {
        format!("{:.1} GiB", b / KIB / KIB / KIB)
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
fn resolve_names(body: &mut RequestBody, method: &Method) -> Result<(), CliError> {
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
    client: &CyclrClient,
    account_connector: i64,
    method: &MethodRef,
) -> Result<(AccountConnector, Method), CliError> {
    let (connector, methods) = connector_methods(client, account_connector).await?;
    let found = pick_method(&methods, method, account_connector)?.clone();
    Ok((connector, found))
}

/// An account connector and the methods of its connector release.
async fn connector_methods(
    client: &CyclrClient,
    account_connector: i64,
) -> Result<(AccountConnector, Vec<Method>), CliError> {
    let connector = client.account_connector(account_connector).await?;
    let connector_id = connector.connector_id().ok_or_else(|| {
        CliError::Usage(format!(
            "account connector {account_connector} has no Connector.Id"
        ))
    })?;
    let methods = client
        .methods(connector_id, &MethodQuery::default())
        .await?;
    Ok((connector, methods))
}

/// The method `method` names among `methods` (by Id, or by GUID without case).
fn pick_method<'m>(
    methods: &'m [Method],
    method: &MethodRef,
    account_connector: i64,
) -> Result<&'m Method, CliError> {
    methods
        .iter()
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

/// The results of `filter` on the response body, one JSON value a line (pretty on a
/// terminal, compact when piped); a filter that fails prints what it had and exits 5, as jq.
fn print_filtered(filter: &crate::jq::Filter, response: &CallResponse) -> i32 {
    match filter.run(&response.body) {
        Ok(values) => {
            values.iter().for_each(print_json);
            EXIT_OK
        }
        Err((values, message)) => {
            values.iter().for_each(print_json);
            report(&format!("jq: {}", text::inert(&message)));
            EXIT_JQ
        }
    }
}

/// Where a response goes: through a `--jq` filter, into an `--output` file.
#[derive(Default)]
struct Out<'a> {
    filter: Option<&'a crate::jq::Filter>,
    file: Option<&'a std::path::Path>,
}

/// `--output FILE`: the body as received (or the filter's results, one compact value a
/// line) into `path`; one line on stderr says how much went where.
fn save_output(
    filter: Option<&crate::jq::Filter>,
    response: &CallResponse,
    path: &std::path::Path,
) -> i32 {
    let (bytes, failure) = match filter.map(|f| f.run(&response.body)) {
        None => (response.body.to_vec(), None),
        Some(result) => {
            let (values, failure) = match result {
                Ok(values) => (values, None),
                Err((values, message)) => (values, Some(message)),
            };
            let mut text = String::new();
            for value in &values {
                text.push_str(&value.to_string());
                text.push('\n');
            }
            (text.into_bytes(), failure)
        }
    };
    let shown = text::inert(&path.display().to_string()).into_owned();
    if let Err(e) = std::fs::write(path, &bytes) {
        report(&format!("cannot write {shown}: {e}"));
        return EXIT_USAGE;
    }
    eprintln!("saved {} bytes to {shown}", bytes.len());
    match failure {
        Some(message) => {
            report(&format!("jq: {}", text::inert(&message)));
            EXIT_JQ
        }
        None => EXIT_OK,
    }
}

/// The exit code when a `--jq` filter fails on the response (jq's own).
const EXIT_JQ: i32 = 5;

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

    #[test]
    fn parameters_and_fields_are_found_by_id_or_name() {
        let method: Method = crate::cyclr::model::decode(json!({
            "Name": "Update Lead",
            "Parameters": [{"Id": 1, "Name": "Lead Id"}, {"Id": 2, "Name": "Status"}],
            "RequestFields": [{"Id": 3, "Name": "status"}, {"Id": 4, "Name": "7"}]
        }));
        let found = |wanted: &str| {
            find_param(&method, wanted)
                .map(|(kind, p)| (kind, p.id))
                .map_err(|e| e.to_string())
        };
        assert_eq!(found("1"), Ok(("parameter", Some(1))));
        assert_eq!(found(" lead ID "), Ok(("parameter", Some(1))));
        assert_eq!(found("3"), Ok(("field", Some(3))));
        // No id 7: the name "7".
        assert_eq!(found("7"), Ok(("field", Some(4))));
        assert_eq!(
            found("STATUS"),
            Err("'STATUS' is ambiguous in Update Lead: Status (parameter 2), status (field 3); give its id".into())
        );
        let unknown = found("Nope\u{1b}[2J").unwrap_err();
        assert!(
            unknown.starts_with("no parameter or field 'Nope\\x1b[2J' in Update Lead; there are: Lead Id (parameter 1), Status (parameter 2)"),
            "{unknown}"
        );
    }

    #[test]
    fn connector_details_mask_secrets_and_leave_out_the_auth_value() {
        let connector: AccountConnector = crate::cyclr::model::decode(json!({
            "Id": 9, "Name": "N", "AuthValue": "do-not-print",
            "Connector": {"Id": 5, "Name": "C", "Version": "2", "AuthType": "Basic", "Icon": "data:x"},
            "CustomFields": [1, 2, 3]
        }));
        let properties: Vec<Property> = serde_json::from_value(json!([
            {"Id": 1, "Name": "Password", "Value": "do-not-print"},
            {"Id": 2, "Name": "Token", "Value": null},
            {"Id": 3, "Name": "Region", "Value": "eu"}
        ]))
        .unwrap();
        let shown = connector_details(&connector, &properties);
        assert!(!shown.to_string().contains("do-not-print"), "{shown}");
        assert!(shown.get("AuthValue").is_none());
        assert_eq!(shown["Properties"][0]["Value"], MASK);
        assert!(
            shown["Properties"][1]["Value"].is_null(),
            "not set stays visible"
        );
        assert_eq!(shown["Properties"][2]["Value"], "eu");
        assert_eq!(shown["CustomFieldsCount"], 3);
        assert_eq!(
            shown["Connector"],
            json!({"Id": 5, "Name": "C", "Version": "2", "AuthType": "Basic"})
        );
    }

    #[test]
    fn times_sizes_and_base64() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_796_227_445_123), "2026-12-02T16:04:05.123Z");
        assert_eq!(rfc3339(951_782_400_007), "2000-02-29T00:00:00.007Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(local_time(1_796_227_445_123).len(), 19);
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
        for (bytes, encoded) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foobar", "Zm9vYmFy"),
            (b"\xff\x00\xfe", "/wD+"),
        ] {
            assert_eq!(base64(bytes), encoded);
        }
    }

    #[test]
    fn the_table_is_aligned_and_inert() {
        let row = |id: i64, name: &str, status: Option<u16>| Summary {
            id,
            time_ms: 1_796_227_445_123,
            profile: String::new(),
            account: "acme".into(),
            account_connector_id: 204511,
            connector_name: name.into(),
            method_id: Some(512201),
            method_uid: None,
            method_name: String::new(),
            endpoint: "call".into(),
            http_method: "POST".into(),
            status,
            error: None,
            elapsed_ms: 7,
            size: 2048,
        };
        let table = summary_table(&[
            row(12, "Evil \u{1b}[2J\u{202e}", Some(200)),
            row(3, "", None),
        ]);
        assert!(
            !table.chars().any(|c| c != '\n' && text::is_unsafe(c)),
            "{table}"
        );
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        let at = |line: &str, word: &str| line.find(word).unwrap_or(usize::MAX);
        assert_eq!(at(lines[1], "512201"), at(lines[2], "512201"), "{table}");
        assert!(
            lines[1].contains("2.0 KiB") && lines[1].contains("\\x1b"),
            "{table}"
        );
        assert!(
            lines[2].contains("error") && lines[2].contains("204511"),
            "{table}"
        );
        assert!(lines[2].starts_with(" 3  "), "{table}");
    }
}
