//! Command-line definitions (clap). Parsing only; `commands` runs them.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// A terminal explorer and command line for the Cyclr API.
///
/// Credentials come from the environment only (never flags, so they stay out of shell
/// history): `CYCLR_TOKEN`, or `CYCLR_CLIENT_ID` and `CYCLR_CLIENT_SECRET`. With none of them the
/// explorer opens on the built-in demo sandbox. Settings come from flags, then the
/// environment (`CYCLR_INSTANCE`, `CYCLR_ACCOUNT`, …), then the config file (`cyclr-tui config
/// path` prints where it is), then defaults.
///
/// Regions for --instance: us (api.cyclr.com), us2 (api.us2.cyclr.com), uk (api.cyclr.uk),
/// eu (api.eu.cyclr.com), apac (api.apac.cyclr.com), or any base URL.
#[derive(Debug, Parser)]
#[command(name = "cyclr-tui", version, about, long_about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by every command.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Start the explorer clean: no drafts and no last place from the previous session
    #[arg(long, global = true)]
    pub fresh: bool,
    /// Use this profile of the config file [env: `CYCLR_PROFILE`]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Cyclr instance: a region (us, us2, uk, eu, apac) or a base URL [env: `CYCLR_INSTANCE`]
    #[arg(long, global = true)]
    pub instance: Option<String>,
    /// Account API ID, sent as X-Cyclr-Account on account-level calls [env: `CYCLR_ACCOUNT`]
    #[arg(long, global = true)]
    pub account: Option<String>,
    /// Ask for an account-restricted token (scope=account:{ID}) with client credentials
    #[arg(long, global = true)]
    pub scoped_token: bool,
    /// Refuse every method that changes data, before any traffic [env: `CYCLR_READ_ONLY=1`]
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Allow http:// to hosts other than this machine (tokens and secrets would travel in
    /// clear text)
    #[arg(long, global = true)]
    pub allow_http: bool,
    /// Start the built-in sandbox and use it with its demo credentials
    #[arg(long, global = true)]
    pub demo: bool,
    /// Seconds to wait for a connection [default: 10]
    #[arg(long, global = true, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub connect_timeout: Option<u64>,
    /// Seconds one whole request may take, body included [default: 60]
    #[arg(long, global = true, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: Option<u64>,
    /// Largest response body read, in MiB [default: 128]
    #[arg(long, global = true, value_name = "MIB",
          value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub max_body: Option<u64>,
    /// pageSize asked for when listing [default: 100]
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub page_size: Option<u32>,
    /// Read this config file instead of the platform's [env: `CYCLR_CONFIG`]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the log here (when `CYCLR_LOG` sets a level) [env: `CYCLR_LOG_FILE`]
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

impl GlobalArgs {
    /// The flags as the settings layer takes them.
    #[must_use]
    pub fn flags(&self) -> crate::settings::Flags {
        crate::settings::Flags {
            profile: self.profile.clone(),
            fresh: self.fresh,
            instance: self.instance.clone(),
            account: self.account.clone(),
            scoped_token: self.scoped_token,
            demo: self.demo,
            read_only: self.read_only,
            allow_http: self.allow_http,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            max_body: self.max_body,
            page_size: self.page_size,
            config: self.config.clone(),
            log_file: self.log_file.clone(),
        }
    }
}

/// The subcommands; with none, the explorer starts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the partner's accounts (JSON)
    Accounts,
    /// List the current account's installed connectors, every page (JSON, as the API sends
    /// it with secrets masked); `show ID` for one
    Connectors(ConnectorsArgs),
    /// List the methods of an account connector's underlying connector (JSON)
    Methods {
        /// Account connector id
        account_connector: i64,
        /// Only methods whose name or description matches
        #[arg(long)]
        query: Option<String>,
        /// Only methods of this category
        #[arg(long)]
        category: Option<String>,
    },
    /// Call (or test) a connector method and print its response body
    Call(CallArgs),
    /// The values a parameter or field can take: calls its lookup (the method its Triggers
    /// name) and prints one {"id", "label"} JSON object a line
    Lookup(LookupArgs),
    /// The calls made with `call` and `replay`, newest first (`show`, `diff` for one or two)
    History(HistoryArgs),
    /// Send a recorded call again, with the current settings (a write needs --yes)
    Replay {
        /// The history entry's id (`cyclr-tui history` lists them)
        id: i64,
        /// Send it even when the method changes data
        #[arg(long)]
        yes: bool,
    },
    /// Where the config file is, and the settings in effect
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print a shell completion script (e.g. `cyclr-tui completions bash > ~/.local/share/bash-completion/completions/cyclr-tui`)
    Completions {
        /// bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `cyclr-tui man > cyclr-tui.1`
    Man,
    /// Run the Cyclr-compatible sandbox server alone
    Sandbox {
        /// Port on 127.0.0.1 (0 picks a free one)
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Folder with the sandbox data files (defaults to the built-in demo data)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
}

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (whether or not it exists)
    Path,
    /// Print the settings in effect and where each came from (flag, env, <file:line>, default);
    /// secrets are masked
    Show,
    /// Write a commented starter config file (mode 600) where `config path` says; an existing
    /// file is never overwritten
    Init,
}

/// `connectors`: the list, or one account connector.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConnectorsArgs {
    #[command(subcommand)]
    pub command: Option<ConnectorsCommand>,
    /// Shorten icon data URIs to a note of their size
    #[arg(long)]
    pub brief: bool,
}

/// `connectors` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConnectorsCommand {
    /// One account connector as one JSON object: name and description, connector release,
    /// authentication, properties (secret-looking values masked) and the number of custom
    /// fields; never its `AuthValue`
    Show {
        /// Account connector id
        id: i64,
    },
}

/// Arguments of `lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Account connector id
    pub account_connector: i64,
    /// Method Id (numeric) or `MethodUniqueIdentifier` (GUID)
    pub method: String,
    /// The parameter or request field: its id, or its name (case-insensitive)
    pub param: String,
    /// Print only the ids, one a line
    #[arg(long)]
    pub values_only: bool,
}

/// `history`: a list of calls, or one of its subcommands.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    #[command(flatten)]
    pub list: HistoryListArgs,
}

/// What `history` lists.
#[derive(Debug, Args, Clone, Default)]
pub struct HistoryListArgs {
    /// Only calls of this method: its Id (numeric) or `MethodUniqueIdentifier` (GUID)
    #[arg(long, value_name = "ID|GUID")]
    pub method: Option<String>,
    /// Only calls to this account connector
    #[arg(long, value_name = "ACCOUNT_CONNECTOR")]
    pub connector: Option<i64>,
    /// At most this many calls, the newest (0 = all)
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// One JSON object per line instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `history` subcommands.
#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// One call: the request as sent (secrets masked) and the response as stored
    Show {
        /// The entry's id
        id: i64,
        /// One JSON object instead of text
        #[arg(long)]
        json: bool,
    },
    /// What changed between two calls' response bodies (JSON by path, else by line); exits
    /// 0 when they are the same, 1 when they differ
    Diff {
        /// The older entry's id
        a: i64,
        /// The newer entry's id
        b: i64,
    },
}

/// Arguments of `call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Account connector id
    pub account_connector: i64,
    /// Method Id (numeric) or `MethodUniqueIdentifier` (GUID)
    pub method: String,
    /// A parameter, as ID=VALUE or NAME=VALUE (repeatable); only what is given is sent
    #[arg(long = "param", value_name = "ID=VALUE", value_parser = parse_pair)]
    pub params: Vec<(String, String)>,
    /// A request field, as ID=VALUE or NAME=VALUE (repeatable); only what is given is sent
    #[arg(long = "field", value_name = "ID=VALUE", value_parser = parse_pair)]
    pub fields: Vec<(String, String)>,
    /// A merge field, as NAME=VALUE (repeatable)
    #[arg(long = "merge", value_name = "NAME=VALUE", value_parser = parse_pair)]
    pub merges: Vec<(String, String)>,
    /// Body from a file, or - for standard input: JSON (comments allowed) with Parameters,
    /// Fields and Mergefields; --param/--field/--merge are merged into it
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<PathBuf>,
    /// Use the test endpoint (…/test/{method}) instead of …/methods/{method}
    #[arg(long)]
    pub test: bool,
    /// Print the call as a `curl` or `HTTPie` command line instead of sending it (the token
    /// is read from `$CYCLR_TOKEN` by the shell)
    #[arg(long, value_name = "TOOL")]
    pub print: Option<crate::export::Tool>,
    /// Run a jq filter on the response body and print its results, one JSON value a line
    /// (jaq, in-process)
    #[arg(long, value_name = "FILTER", conflicts_with = "print")]
    pub jq: Option<String>,
    /// Write the response body (or the --jq results) to this file instead of standard
    /// output, bytes as received
    #[arg(long, value_name = "FILE", conflicts_with = "print")]
    pub output: Option<PathBuf>,
    /// Send this file's bytes (or standard input's, with -) as they are to
    /// …/methods/{method}/body
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["test", "get", "body", "params", "fields", "merges"])]
    pub raw_body: Option<PathBuf>,
    /// The raw body's content type: json, xml or text (or a MIME type)
    #[arg(long, value_name = "TYPE", default_value = "json", requires = "raw_body",
          value_parser = |s: &str| crate::cyclr::ContentType::parse(s))]
    pub content_type: crate::cyclr::ContentType,
    /// Use the legacy GET (no body) instead of POST
    #[arg(long, conflicts_with_all = ["body", "params", "fields", "merges"])]
    pub get: bool,
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((id, value)) if !id.trim().is_empty() => {
            Ok((id.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "expected ID=VALUE, got '{}'",
            crate::text::inert(s)
        )),
    }
}
