//! Settings, resolved once, strongest first: flags, the environment, the config file, then
//! defaults. Both faces (explorer and command line) receive [`Settings`]; every value
//! remembers where it came from ([`Origin`]), so `cyclr-tui config show` can say so and a bad
//! value is reported with its source: the flag, the variable, or the file with line and
//! column ([`ConfigError`]).
//!
//! The config file is TOML, optional, at the platform's config directory
//! (`$XDG_CONFIG_HOME/cyclr-tui/config.toml` on Linux), or where `--config` / `CYCLR_CONFIG`
//! point.

use crate::cyclr::{REGIONS, Secret, resolve_instance};
use crate::keymap::{Keymap, Remap, closest};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// What the command line said (before the environment and the file are consulted).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// The profile of the config file to use (`--profile`).
    pub profile: Option<String>,
    /// Start the explorer without the last session's drafts and place (`--fresh`).
    pub fresh: bool,
    pub instance: Option<String>,
    pub account: Option<String>,
    pub scoped_token: bool,
    pub demo: bool,
    pub read_only: bool,
    pub allow_http: bool,
    pub connect_timeout: Option<u64>,
    pub timeout: Option<u64>,
    pub max_body: Option<u64>,
    pub page_size: Option<u32>,
    /// Another config file than the platform's.
    pub config: Option<PathBuf>,
    /// Where the log goes (`--log-file`).
    pub log_file: Option<PathBuf>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, e.g. `--timeout`.
    Flag(&'static str),
    /// An environment variable, e.g. `CYCLR_TOKEN`.
    Env(&'static str),
    /// The config file, at this line (1-based).
    File { path: PathBuf, line: usize },
    /// An environment variable named by the config file (a profile's `token_env`, say).
    EnvNamedInFile {
        var: String,
        path: PathBuf,
        line: usize,
    },
    /// A command given by the config file (a profile's `token_command`, say); run on connect.
    CommandInFile { path: PathBuf, line: usize },
    /// Nothing set it.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Env(var) => write!(f, "env {var}"),
            Origin::File { path, line } => write!(f, "file {}:{line}", path.display()),
            Origin::EnvNamedInFile { var, path, line } => {
                write!(f, "env {var} (file {}:{line})", path.display())
            }
            Origin::CommandInFile { path, line } => {
                write!(f, "command (file {}:{line})", path.display())
            }
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

/// A configuration problem: nothing is started. The CLI exits 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    /// Something in the config file is wrong, here.
    #[error("{}:{line}:{column}: {message}", path.display())]
    File {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value from a flag or a variable is wrong.
    #[error("{origin}: {message}")]
    Value { origin: Origin, message: String },
    /// Something needed is not set anywhere.
    #[error("{0}")]
    Missing(String),
    /// The demo sandbox could not start.
    #[error("cannot start the demo sandbox: {0}")]
    Demo(String),
}

impl ConfigError {
    /// The exit code for configuration problems.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// Everything the tool runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file's profile in use, if any.
    pub profile: Option<Setting<String>>,
    /// The profile's colour for the status bar (a colour name or `#rrggbb`).
    pub color: Option<Setting<String>>,
    /// A region name or base URL, as given.
    pub instance: Option<Setting<String>>,
    /// The account API ID (`X-Cyclr-Account`).
    pub account: Option<Setting<String>>,
    pub token: Option<Setting<Secret>>,
    pub client_id: Option<Setting<String>>,
    pub client_secret: Option<Setting<Secret>>,
    /// A command whose standard output is the token, run on connect when no token is given
    /// otherwise (a profile's `token_command`).
    pub token_command: Option<Setting<Vec<String>>>,
    /// Likewise for the client secret (`client_secret_command`).
    pub client_secret_command: Option<Setting<Vec<String>>>,
    /// Ask for account-restricted tokens.
    pub scoped_token: Setting<bool>,
    /// Use the embedded sandbox.
    pub demo: Setting<bool>,
    /// Refuse every write, in both faces, before any traffic.
    pub read_only: Setting<bool>,
    /// Ask before a write in the explorer.
    pub confirm_writes: Setting<bool>,
    /// Allow `http://` to hosts other than loopback (credentials would travel in clear).
    pub allow_http: Setting<bool>,
    /// Seconds.
    pub connect_timeout: Setting<u64>,
    /// Seconds.
    pub timeout: Setting<u64>,
    /// MiB.
    pub max_body: Setting<u64>,
    pub page_size: Setting<u32>,
    /// What the call history keeps (the file's `[history]`).
    pub history: HistorySettings,
    /// Start the explorer without the last session's drafts and place.
    pub fresh: bool,
    /// The keys, with the file's `[keys]` applied.
    pub keymap: Keymap,
    /// The `[keys]` remaps as written, with their lines (for `config show`).
    pub remaps: Vec<Setting<Remap>>,
    /// The config file consulted, and whether it exists.
    pub config_file: Option<(PathBuf, bool)>,
    /// The explorer's colours: for a dark terminal background, or a light one.
    pub theme: Setting<Theme>,
    /// Where the log goes when `CYCLR_LOG` is set (`--log-file`, `CYCLR_LOG_FILE`, the file's
    /// `log_file`); `None`: the platform's state folder.
    pub log_file: Option<Setting<PathBuf>>,
}

/// The explorer's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// For a dark terminal background.
    #[default]
    Dark,
    /// For a light terminal background.
    Light,
}

/// The config file's keys.
const FILE_KEYS: &[&str] = &[
    "default_profile",
    "profiles",
    "history",
    "instance",
    "account",
    "scoped_token",
    "read_only",
    "confirm_writes",
    "allow_http",
    "connect_timeout",
    "timeout",
    "max_body",
    "page_size",
    "theme",
    "log_file",
    "keys",
];

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, Spanned<ProfileFile>>,
    history: Option<Spanned<HistoryFile>>,
    instance: Option<Spanned<String>>,
    account: Option<Spanned<String>>,
    scoped_token: Option<Spanned<bool>>,
    read_only: Option<Spanned<bool>>,
    confirm_writes: Option<Spanned<bool>>,
    allow_http: Option<Spanned<bool>>,
    connect_timeout: Option<Spanned<u64>>,
    timeout: Option<Spanned<u64>>,
    max_body: Option<Spanned<u64>>,
    page_size: Option<Spanned<u32>>,
    theme: Option<Spanned<String>>,
    log_file: Option<Spanned<PathBuf>>,
    #[serde(default)]
    keys: BTreeMap<String, Spanned<KeyList>>,
}

/// The keys of a `[profiles.NAME]` table.
const PROFILE_KEYS: &[&str] = &[
    "instance",
    "account",
    "token_env",
    "client_id_env",
    "client_secret_env",
    "token_command",
    "client_id",
    "client_secret_command",
    "token",
    "client_secret",
    "read_only",
    "confirm_writes",
    "scoped_token",
    "color",
];

/// A `[profiles.NAME]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    instance: Option<Spanned<String>>,
    account: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    client_id_env: Option<Spanned<String>>,
    client_secret_env: Option<Spanned<String>>,
    token_command: Option<Spanned<Vec<String>>>,
    client_id: Option<Spanned<String>>,
    client_secret_command: Option<Spanned<Vec<String>>>,
    token: Option<Spanned<String>>,
    client_secret: Option<Spanned<String>>,
    read_only: Option<Spanned<bool>>,
    confirm_writes: Option<Spanned<bool>>,
    scoped_token: Option<Spanned<bool>>,
    color: Option<Spanned<String>>,
}

/// The keys of the `[history]` table.
const HISTORY_KEYS: &[&str] = &["store_bodies", "max_body", "max_entries", "max_age_days"];

/// The `[history]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryFile {
    store_bodies: Option<bool>,
    max_body: Option<Spanned<u64>>,
    max_entries: Option<Spanned<u64>>,
    max_age_days: Option<Spanned<u64>>,
}

/// What the call history keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistorySettings {
    /// Where these came from (the `[history]` table, or the defaults).
    pub origin: Origin,
    /// Keep response bodies (else only what the call was and how it went).
    pub store_bodies: bool,
    /// Largest response body kept, in KiB (longer ones are cut).
    pub max_body_kib: u64,
    /// Entries kept; the oldest go first.
    pub max_entries: u64,
    /// Days an entry is kept.
    pub max_age_days: u64,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            origin: Origin::Default,
            store_bodies: true,
            max_body_kib: 2048,
            max_entries: 10_000,
            max_age_days: 90,
        }
    }
}

/// One key or several: `send = "f9"` or `send = ["f9", "ctrl-s"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// The config file, read and parsed, with what is needed to say where a value is.
struct LoadedFile {
    path: PathBuf,
    text: String,
    config: FileConfig,
}

impl LoadedFile {
    /// Where a byte offset is: (line, column), both 1-based.
    fn position(&self, offset: usize) -> (usize, usize) {
        position(&self.text, offset)
    }

    fn origin<T>(&self, spanned: &Spanned<T>) -> Origin {
        Origin::File {
            path: self.path.clone(),
            line: self.position(spanned.span().start).0,
        }
    }

    fn error<T>(&self, spanned: &Spanned<T>, message: String) -> ConfigError {
        let (line, column) = self.position(spanned.span().start);
        ConfigError::File {
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The platform's config file: `$XDG_CONFIG_HOME/cyclr-tui/config.toml` on Linux.
#[must_use]
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cyclr-tui").map(|d| d.config_dir().join("config.toml"))
}

/// A commented starter config file: every setting at its default, commented out, and one
/// profile per region preset, commented out (`cyclr-tui config init` writes it).
#[must_use]
pub fn starter_file() -> String {
    let mut text = String::from(
        r#"# cyclr-tui configuration. Flags and CYCLR_* variables override what is here;
# `cyclr-tui config show` prints what is in effect and where each value came from.

# The profile used when neither --profile nor CYCLR_PROFILE names one.
# default_profile = "eu-prod"

# Settings for every profile (a profile's own values win).
# timeout = 60             # seconds one request may take
# connect_timeout = 10     # seconds to wait for a connection
# max_body = 128           # MiB: largest response body read
# page_size = 100          # pageSize asked for when listing
# confirm_writes = true    # ask before sending a method that changes data
# read_only = false        # refuse such methods altogether
# allow_http = false       # allow http:// to hosts other than this machine
# theme = "dark"           # "light" for a terminal with a light background
# log_file = "/path/to/cyclr-tui.log"  # where CYCLR_LOG=debug writes (default: the state folder)

# [history]
# store_bodies = true      # keep response bodies (false: only what was called and how it went)
# max_body = 2048          # KiB of each response body kept
# max_entries = 10000
# max_age_days = 90

# [keys]                   # remap keys by the action names the help (?) shows
# send = ["f9", "ctrl-s"]

# Profiles. Secrets come from an environment variable (token_env, client_id_env,
# client_secret_env), or from a command run without a shell (token_command,
# client_secret_command: a list of program and arguments, e.g. ["pass", "show", "cyclr/eu"]).
# A literal token or client_secret is accepted only if this file is private (chmod 600).
"#,
    );
    for (region, url) in REGIONS {
        let _ = std::fmt::Write::write_fmt(
            &mut text,
            format_args!(
                r#"
# [profiles.{region}-prod]
# instance = "{region}"               # {url}
# account = "your-account-api-id"
# client_id_env = "CYCLR_{upper}_CLIENT_ID"
# client_secret_command = ["pass", "show", "cyclr/{region}-client-secret"]
# read_only = true
# color = "red"
"#,
                upper = region.to_ascii_uppercase()
            ),
        );
    }
    text
}

/// Writes [`starter_file`] to `path` (mode 600, folders created), never over an existing file.
pub fn write_starter_file(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(starter_file().as_bytes())?;
    file.sync_all()
}

/// The config file to read: `--config`, then `CYCLR_CONFIG`, then the platform's.
pub fn config_path(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    flags
        .config
        .clone()
        .or_else(|| {
            env("CYCLR_CONFIG")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        })
        .or_else(default_config_path)
}

fn load(path: &Path) -> Result<Option<LoadedFile>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    match toml::from_str::<FileConfig>(&text) {
        Ok(config) => Ok(Some(LoadedFile {
            path: path.to_path_buf(),
            text,
            config,
        })),
        Err(e) => {
            let (line, column) = position(&text, e.span().map_or(0, |s| s.start));
            Err(ConfigError::File {
                path: path.to_path_buf(),
                line,
                column,
                message: explain_toml_error(e.message()),
            })
        }
    }
}

/// serde's message, with a suggestion for a misspelt key.
fn explain_toml_error(message: &str) -> String {
    let message = message.trim().to_string();
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    let all: Vec<&str> = FILE_KEYS
        .iter()
        .chain(PROFILE_KEYS)
        .chain(HISTORY_KEYS)
        .copied()
        .collect();
    match unknown.and_then(|field| Some((field, closest(field, &all)?))) {
        Some((field, near)) => format!(
            "unknown key `{}` (did you mean `{near}`?)",
            crate::text::inert(field)
        ),
        None => match unknown {
            Some(field) => format!(
                "unknown key `{}`; the keys are {}",
                crate::text::inert(field),
                FILE_KEYS.join(", ")
            ),
            None => crate::text::inert(&message).into_owned(),
        },
    }
}

impl LoadedFile {
    /// Takes profile `name` out of the file: its instance, account and switches replace the
    /// top-level ones (keeping their positions, for messages); the rest is returned.
    fn apply_profile(&mut self, name: &str) -> ProfileFile {
        let Some(profile) = self.config.profiles.remove(name) else {
            return ProfileFile::default();
        };
        let mut profile = profile.into_inner();
        let c = &mut self.config;
        c.instance = profile.instance.take().or(c.instance.take());
        c.account = profile.account.take().or(c.account.take());
        c.read_only = profile.read_only.take().or(c.read_only.take());
        c.confirm_writes = profile.confirm_writes.take().or(c.confirm_writes.take());
        c.scoped_token = profile.scoped_token.take().or(c.scoped_token.take());
        profile
    }
}

/// The profile to use: `--profile`, then `CYCLR_PROFILE`, then the file's `default_profile`.
/// Naming one the file does not have is an error listing those it has.
fn select_profile(
    flags: &Flags,
    env: &dyn Fn(&str) -> Option<String>,
    file: Option<&LoadedFile>,
    path: Option<&Path>,
) -> Result<Option<Setting<String>>, ConfigError> {
    let default = file.and_then(|f| f.config.default_profile.as_ref().map(|s| (f, s)));
    let chosen = flags
        .profile
        .clone()
        .map(|value| Setting {
            value,
            origin: Origin::Flag("--profile"),
        })
        .or_else(|| {
            env("CYCLR_PROFILE")
                .filter(|v| !v.trim().is_empty())
                .map(|value| Setting {
                    value,
                    origin: Origin::Env("CYCLR_PROFILE"),
                })
        })
        .or_else(|| {
            default.map(|(f, s)| Setting {
                value: s.get_ref().clone(),
                origin: f.origin(s),
            })
        });
    let Some(mut chosen) = chosen else {
        return Ok(None);
    };
    chosen.value = chosen.value.trim().to_string();
    let names: Vec<&str> = file
        .map(|f| f.config.profiles.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if names.contains(&chosen.value.as_str()) {
        return Ok(Some(chosen));
    }
    let wanted = crate::text::inert(&chosen.value);
    let message = match (path, names.is_empty()) {
        (Some(path), true) if file.is_none() => format!(
            "no profile `{wanted}`: there is no config file at {} (`cyclr-tui config init` writes one)",
            path.display()
        ),
        (_, true) => {
            format!("no profile `{wanted}`: the config file has no [profiles.NAME] tables")
        }
        (_, false) => {
            let near = closest(&chosen.value, &names)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            format!(
                "no profile `{wanted}`{near}; the profiles are {}",
                names
                    .iter()
                    .map(|n| crate::text::inert(n).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    Err(match (&chosen.origin, default) {
        (Origin::File { .. }, Some((file, spanned))) => file.error(spanned, message),
        (origin, _) => ConfigError::Value {
            origin: origin.clone(),
            message,
        },
    })
}

/// A literal `token` or `client_secret` in a profile is accepted only in a file no one but
/// its owner can read.
fn check_literal_secrets(file: &LoadedFile) -> Result<(), ConfigError> {
    let literal = file.config.profiles.values().find_map(|p| {
        let p = p.get_ref();
        p.token.as_ref().map(|s| ("token", s.span())).or_else(|| {
            p.client_secret
                .as_ref()
                .map(|s| ("client_secret", s.span()))
        })
    });
    let Some((key, span)) = literal else {
        return Ok(());
    };
    if !readable_by_others(&file.path) {
        return Ok(());
    }
    let (line, column) = file.position(span.start);
    Err(ConfigError::File {
        path: file.path.clone(),
        line,
        column,
        message: format!(
            "a literal {key} in a file that group or others can read; run `chmod 600 {}`, or use {key}_env / {key}_command instead",
            file.path.display()
        ),
    })
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map_or(true, |m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

/// The `[history]` table, checked, over the defaults.
fn history_settings(file: Option<&LoadedFile>) -> Result<HistorySettings, ConfigError> {
    let mut history = HistorySettings::default();
    let Some((file, spanned)) = file.and_then(|f| f.config.history.as_ref().map(|h| (f, h))) else {
        return Ok(history);
    };
    history.origin = file.origin(spanned);
    let table = spanned.get_ref();
    if let Some(store) = table.store_bodies {
        history.store_bodies = store;
    }
    let checked = |spanned: &Option<Spanned<u64>>,
                   name: &str,
                   range: std::ops::RangeInclusive<u64>|
     -> Result<Option<u64>, ConfigError> {
        match spanned {
            Some(s) if !range.contains(s.get_ref()) => Err(file.error(
                s,
                format!(
                    "history.{name} must be between {} and {}",
                    range.start(),
                    range.end()
                ),
            )),
            Some(s) => Ok(Some(*s.get_ref())),
            None => Ok(None),
        }
    };
    if let Some(v) = checked(&table.max_body, "max_body", 0..=1_048_576)? {
        history.max_body_kib = v;
    }
    if let Some(v) = checked(&table.max_entries, "max_entries", 1..=10_000_000)? {
        history.max_entries = v;
    }
    if let Some(v) = checked(&table.max_age_days, "max_age_days", 1..=36_500)? {
        history.max_age_days = v;
    }
    Ok(history)
}

impl Settings {
    /// Resolves every setting from `flags`, the environment (`env` reads a variable) and the
    /// config file. A bad value anywhere is an error naming where it came from.
    pub fn resolve(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let path = config_path(flags, env);
        let mut file = match &path {
            Some(path) => load(path)?,
            None => None,
        };
        let profile = select_profile(flags, env, file.as_ref(), path.as_deref())?;
        if let Some(file) = &file {
            check_literal_secrets(file)?;
        }
        let chosen = match (&profile, file.as_mut()) {
            (Some(profile), Some(file)) => file.apply_profile(&profile.value),
            _ => ProfileFile::default(),
        };
        let file = file;
        let file_config = file.as_ref().map(|f| &f.config);
        let from_file = |pick: fn(&FileConfig) -> Option<&Spanned<String>>| {
            let file = file.as_ref()?;
            let spanned = pick(&file.config)?;
            Some(Setting {
                value: spanned.get_ref().clone(),
                origin: file.origin(spanned),
            })
        };
        let string = |flag: (&Option<String>, &'static str),
                      var: &'static str,
                      pick: fn(&FileConfig) -> Option<&Spanned<String>>| {
            let given = flag
                .0
                .clone()
                .map(|value| Setting {
                    value,
                    origin: Origin::Flag(flag.1),
                })
                .or_else(|| {
                    env(var).map(|value| Setting {
                        value,
                        origin: Origin::Env(var),
                    })
                })
                .or_else(|| from_file(pick));
            match given {
                Some(s) if s.value.trim().is_empty() => Err(ConfigError::Value {
                    origin: s.origin,
                    message: "is set but empty".into(),
                }),
                Some(s) if s.value.chars().any(char::is_control) => Err(ConfigError::Value {
                    origin: s.origin,
                    message: "contains control characters".into(),
                }),
                Some(s) => Ok(Some(Setting {
                    value: s.value.trim().to_string(),
                    origin: s.origin,
                })),
                None => Ok(None),
            }
        };
        let instance = string((&flags.instance, "--instance"), "CYCLR_INSTANCE", |f| {
            f.instance.as_ref()
        })?;
        if let Some(instance) = &instance
            && let Err(message) = resolve_instance(&instance.value)
        {
            return Err(match &instance.origin {
                Origin::File { .. } => {
                    let spanned = file_config.and_then(|f| f.instance.as_ref());
                    match (file.as_ref(), spanned) {
                        (Some(file), Some(spanned)) => file.error(spanned, message),
                        _ => ConfigError::Missing(message),
                    }
                }
                origin => ConfigError::Value {
                    origin: origin.clone(),
                    message,
                },
            });
        }
        let account = string((&flags.account, "--account"), "CYCLR_ACCOUNT", |f| {
            f.account.as_ref()
        })?;
        let secret = |var: &'static str| -> Result<Option<Setting<Secret>>, ConfigError> {
            match env(var) {
                Some(v) if v.trim().is_empty() => Err(ConfigError::Value {
                    origin: Origin::Env(var),
                    message: "is set but empty".into(),
                }),
                Some(v) => Ok(Some(Setting {
                    value: Secret::new(v.trim().to_string()),
                    origin: Origin::Env(var),
                })),
                None => Ok(None),
            }
        };
        // A profile's sources come after the CYCLR_* variables: a variable it names, then a
        // command (run on connect), then a literal value (in a file only its owner reads).
        let named_env =
            |spanned: &Option<Spanned<String>>| -> Result<Option<Setting<String>>, ConfigError> {
                let (Some(file), Some(spanned)) = (file.as_ref(), spanned) else {
                    return Ok(None);
                };
                let var = spanned.get_ref();
                let (line, _) = file.position(spanned.span().start);
                match env(var) {
                    Some(value) if !value.trim().is_empty() => Ok(Some(Setting {
                        value: value.trim().to_string(),
                        origin: Origin::EnvNamedInFile {
                            var: var.clone(),
                            path: file.path.clone(),
                            line,
                        },
                    })),
                    _ => Err(file.error(
                        spanned,
                        format!(
                            "the profile reads its value from ${}, which is not set (or empty)",
                            crate::text::inert(var)
                        ),
                    )),
                }
            };
        let literal = |spanned: &Option<Spanned<String>>| {
            let (Some(file), Some(spanned)) = (file.as_ref(), spanned) else {
                return None;
            };
            Some(Setting {
                value: spanned.get_ref().trim().to_string(),
                origin: file.origin(spanned),
            })
        };
        let command = |spanned: &Option<Spanned<Vec<String>>>| -> Result<Option<Setting<Vec<String>>>, ConfigError> {
            let (Some(file), Some(spanned)) = (file.as_ref(), spanned) else {
                return Ok(None);
            };
            if spanned.get_ref().first().is_none_or(|program| program.trim().is_empty()) {
                return Err(file.error(
                    spanned,
                    "a command is a list of its program and arguments, e.g. [\"pass\", \"show\", \"cyclr/token\"]".into(),
                ));
            }
            let (line, _) = file.position(spanned.span().start);
            Ok(Some(Setting {
                value: spanned.get_ref().clone(),
                origin: Origin::CommandInFile {
                    path: file.path.clone(),
                    line,
                },
            }))
        };
        let as_secret = |s: Setting<String>| Setting {
            value: Secret::new(s.value),
            origin: s.origin,
        };
        let mut token = secret("CYCLR_TOKEN")?;
        let mut token_command = None;
        if token.is_none() {
            token = named_env(&chosen.token_env)?.map(as_secret);
        }
        if token.is_none() {
            token_command = command(&chosen.token_command)?;
        }
        if token.is_none() && token_command.is_none() {
            token = literal(&chosen.token).map(as_secret);
        }
        let mut client_secret = secret("CYCLR_CLIENT_SECRET")?;
        let mut client_secret_command = None;
        if client_secret.is_none() {
            client_secret = named_env(&chosen.client_secret_env)?.map(as_secret);
        }
        if client_secret.is_none() {
            client_secret_command = command(&chosen.client_secret_command)?;
        }
        if client_secret.is_none() && client_secret_command.is_none() {
            client_secret = literal(&chosen.client_secret).map(as_secret);
        }
        let mut client_id = string((&None, ""), "CYCLR_CLIENT_ID", |_| None)?;
        if client_id.is_none() {
            client_id = named_env(&chosen.client_id_env)?;
        }
        if client_id.is_none() {
            client_id = literal(&chosen.client_id);
        }
        let color = match (file.as_ref(), &chosen.color) {
            (Some(file), Some(spanned)) => {
                let value = spanned.get_ref().trim().to_string();
                if value.parse::<ratatui::style::Color>().is_err() {
                    return Err(file.error(
                        spanned,
                        "color is a colour name (red, green, yellow, blue, magenta, cyan, gray…) or #rrggbb".into(),
                    ));
                }
                Some(Setting {
                    value,
                    origin: file.origin(spanned),
                })
            }
            _ => None,
        };

        let number = |flag: Option<u64>,
                      name: &'static str,
                      pick: fn(&FileConfig) -> Option<&Spanned<u64>>,
                      default: u64,
                      range: std::ops::RangeInclusive<u64>|
         -> Result<Setting<u64>, ConfigError> {
            let setting = match (
                flag,
                file.as_ref().and_then(|f| pick(&f.config).map(|s| (f, s))),
            ) {
                (Some(value), _) => Setting {
                    value,
                    origin: Origin::Flag(name),
                },
                (None, Some((file, spanned))) => {
                    if !range.contains(spanned.get_ref()) {
                        return Err(file.error(
                            spanned,
                            format!(
                                "{} must be between {} and {}",
                                name.trim_start_matches('-').replace('-', "_"),
                                range.start(),
                                range.end()
                            ),
                        ));
                    }
                    Setting {
                        value: *spanned.get_ref(),
                        origin: file.origin(spanned),
                    }
                }
                (None, None) => Setting {
                    value: default,
                    origin: Origin::Default,
                },
            };
            if !range.contains(&setting.value) {
                return Err(ConfigError::Value {
                    origin: setting.origin,
                    message: format!("must be between {} and {}", range.start(), range.end()),
                });
            }
            Ok(setting)
        };
        let connect_timeout = number(
            flags.connect_timeout,
            "--connect-timeout",
            |f| f.connect_timeout.as_ref(),
            10,
            1..=3600,
        )?;
        let timeout = number(
            flags.timeout,
            "--timeout",
            |f| f.timeout.as_ref(),
            60,
            1..=86_400,
        )?;
        let max_body = number(
            flags.max_body,
            "--max-body",
            |f| f.max_body.as_ref(),
            128,
            1..=65_536,
        )?;
        let page_size_file = file
            .as_ref()
            .and_then(|f| f.config.page_size.as_ref().map(|s| (f, s)));
        let page_size = match (flags.page_size, page_size_file) {
            (Some(value), _) => Setting {
                value,
                origin: Origin::Flag("--page-size"),
            },
            (None, Some((file, spanned))) => {
                if !(1..=10_000).contains(spanned.get_ref()) {
                    return Err(file.error(spanned, "page_size must be between 1 and 10000".into()));
                }
                Setting {
                    value: *spanned.get_ref(),
                    origin: file.origin(spanned),
                }
            }
            (None, None) => Setting {
                value: 100,
                origin: Origin::Default,
            },
        };
        let flag_or_file =
            |flag: bool, name: &'static str, pick: fn(&FileConfig) -> Option<&Spanned<bool>>| {
                if flag {
                    return Setting {
                        value: true,
                        origin: Origin::Flag(name),
                    };
                }
                match file.as_ref().and_then(|f| pick(&f.config).map(|s| (f, s))) {
                    Some((file, spanned)) => Setting {
                        value: *spanned.get_ref(),
                        origin: file.origin(spanned),
                    },
                    None => Setting {
                        value: false,
                        origin: Origin::Default,
                    },
                }
            };
        let scoped_token = flag_or_file(flags.scoped_token, "--scoped-token", |f| {
            f.scoped_token.as_ref()
        });
        let read_only = match env("CYCLR_READ_ONLY") {
            _ if flags.read_only => Setting {
                value: true,
                origin: Origin::Flag("--read-only"),
            },
            Some(v) => Setting {
                value: match v.trim().to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => true,
                    "0" | "false" | "no" | "off" | "" => false,
                    _ => {
                        return Err(ConfigError::Value {
                            origin: Origin::Env("CYCLR_READ_ONLY"),
                            message: "must be 1 or 0 (true or false)".into(),
                        });
                    }
                },
                origin: Origin::Env("CYCLR_READ_ONLY"),
            },
            None => flag_or_file(false, "--read-only", |f| f.read_only.as_ref()),
        };
        let allow_http = flag_or_file(flags.allow_http, "--allow-http", |f| f.allow_http.as_ref());
        let confirm_writes = match file
            .as_ref()
            .and_then(|f| f.config.confirm_writes.as_ref().map(|s| (f, s)))
        {
            Some((file, spanned)) => Setting {
                value: *spanned.get_ref(),
                origin: file.origin(spanned),
            },
            None => Setting {
                value: true,
                origin: Origin::Default,
            },
        };
        let demo = Setting {
            value: flags.demo,
            origin: if flags.demo {
                Origin::Flag("--demo")
            } else {
                Origin::Default
            },
        };

        let mut remaps = Vec::new();
        if let Some(file) = &file {
            for (action, keys) in &file.config.keys {
                let list = match keys.get_ref() {
                    KeyList::One(key) => vec![key.clone()],
                    KeyList::Many(keys) => keys.clone(),
                };
                remaps.push((
                    Remap {
                        action: action.clone(),
                        keys: list,
                    },
                    keys,
                ));
            }
        }
        let keymap =
            match Keymap::with_remaps(&remaps.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>()) {
                Ok(keymap) => keymap,
                Err(e) => {
                    let spanned = remaps
                        .iter()
                        .find(|(r, _)| r.action == e.action)
                        .map(|(_, s)| *s);
                    return Err(match (file.as_ref(), spanned) {
                        (Some(file), Some(spanned)) => {
                            file.error(spanned, format!("[keys] {}", e.message))
                        }
                        _ => ConfigError::Missing(e.message),
                    });
                }
            };
        let remaps = match &file {
            Some(file) => remaps
                .into_iter()
                .map(|(remap, spanned)| Setting {
                    value: remap,
                    origin: file.origin(spanned),
                })
                .collect(),
            None => Vec::new(),
        };
        let history = history_settings(file.as_ref())?;
        let theme = match file
            .as_ref()
            .and_then(|f| f.config.theme.as_ref().map(|t| (f, t)))
        {
            None => Setting {
                value: Theme::Dark,
                origin: Origin::Default,
            },
            Some((file, spanned)) => Setting {
                value: match spanned.get_ref().to_ascii_lowercase().as_str() {
                    "dark" => Theme::Dark,
                    "light" => Theme::Light,
                    _ => {
                        return Err(
                            file.error(spanned, "theme is \"dark\" or \"light\"".to_string())
                        );
                    }
                },
                origin: file.origin(spanned),
            },
        };
        let log_file = match (&flags.log_file, env("CYCLR_LOG_FILE")) {
            (Some(path), _) => Some(Setting {
                value: path.clone(),
                origin: Origin::Flag("--log-file"),
            }),
            (None, Some(path)) if !path.is_empty() => Some(Setting {
                value: PathBuf::from(path),
                origin: Origin::Env("CYCLR_LOG_FILE"),
            }),
            _ => file.as_ref().and_then(|f| {
                f.config.log_file.as_ref().map(|spanned| Setting {
                    value: spanned.get_ref().clone(),
                    origin: f.origin(spanned),
                })
            }),
        };
        let config_file = path.map(|p| {
            let exists = file.is_some();
            (p, exists)
        });
        Ok(Settings {
            profile,
            color,
            instance,
            account,
            token,
            client_id,
            client_secret,
            token_command,
            client_secret_command,
            scoped_token,
            demo,
            read_only,
            confirm_writes,
            allow_http,
            connect_timeout,
            timeout,
            max_body,
            page_size,
            history,
            fresh: flags.fresh,
            keymap,
            remaps,
            config_file,
            theme,
            log_file,
        })
    }

    /// Resolves from the process's flags and environment.
    pub fn from_process(flags: &Flags) -> Result<Settings, ConfigError> {
        Settings::resolve(flags, &|name| std::env::var(name).ok())
    }

    /// The effective settings, one a line, each with where it came from (secrets masked),
    /// for `cyclr-tui config show`.
    #[must_use]
    pub fn show(&self) -> Vec<String> {
        let mut rows: Vec<(String, String)> = Vec::new();
        let mut line = |origin: &Origin, name: &str, value: String| {
            rows.push((origin.to_string(), format!("{name} = {value}")));
        };
        let text = |s: &Option<Setting<String>>,
                    name: &str,
                    line: &mut dyn FnMut(&Origin, &str, String)| match s {
            Some(s) => line(&s.origin, name, quote(&s.value)),
            None => line(&Origin::Default, name, "(not set)".into()),
        };
        text(&self.profile, "profile", &mut line);
        if let Some(color) = &self.color {
            line(&color.origin, "color", quote(&color.value));
        }
        text(&self.instance, "instance", &mut line);
        if let Some(instance) = &self.instance
            && let Some((region, _)) = REGIONS
                .iter()
                .find(|(r, _)| r.eq_ignore_ascii_case(&instance.value))
        {
            let url = resolve_instance(region)
                .map(|u| u.to_string())
                .unwrap_or_default();
            line(&instance.origin, "instance_url", quote(&url));
        }
        text(&self.account, "account", &mut line);
        let masked = |s: &Option<Setting<Secret>>| {
            s.as_ref()
                .map(|s| (s.origin.clone(), "********".to_string()))
        };
        match masked(&self.token) {
            Some((origin, value)) => line(&origin, "token", value),
            None => line(&Origin::Default, "token", "(not set)".into()),
        }
        let command = |c: &Setting<Vec<String>>| {
            format!(
                "[{}]  (run on connect)",
                c.value
                    .iter()
                    .map(|a| quote(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if let (None, Some(c)) = (&self.token, &self.token_command) {
            line(&c.origin, "token_command", command(c));
        }
        text(&self.client_id, "client_id", &mut line);
        match (masked(&self.client_secret), &self.client_secret_command) {
            (Some((origin, value)), _) => line(&origin, "client_secret", value),
            (None, Some(c)) => line(&c.origin, "client_secret_command", command(c)),
            (None, None) => line(&Origin::Default, "client_secret", "(not set)".into()),
        }
        let credentials = self.credentials_used();
        line(&Origin::Default, "credentials_used", credentials);
        line(
            &self.scoped_token.origin,
            "scoped_token",
            self.scoped_token.value.to_string(),
        );
        line(&self.demo.origin, "demo", self.demo.value.to_string());
        line(
            &self.read_only.origin,
            "read_only",
            self.read_only.value.to_string(),
        );
        line(
            &self.confirm_writes.origin,
            "confirm_writes",
            self.confirm_writes.value.to_string(),
        );
        line(
            &self.allow_http.origin,
            "allow_http",
            self.allow_http.value.to_string(),
        );
        line(
            &self.connect_timeout.origin,
            "connect_timeout",
            self.connect_timeout.value.to_string(),
        );
        line(
            &self.timeout.origin,
            "timeout",
            self.timeout.value.to_string(),
        );
        line(
            &self.max_body.origin,
            "max_body",
            self.max_body.value.to_string(),
        );
        line(
            &self.page_size.origin,
            "page_size",
            self.page_size.value.to_string(),
        );
        line(
            &self.theme.origin,
            "theme",
            quote(match self.theme.value {
                Theme::Dark => "dark",
                Theme::Light => "light",
            }),
        );
        match &self.log_file {
            Some(path) => line(
                &path.origin,
                "log_file",
                quote(&path.value.display().to_string()),
            ),
            None => line(&Origin::Default, "log_file", "(the state folder)".into()),
        }
        line(
            &self.history.origin,
            "history",
            format!(
                "store_bodies = {}, max_body = {} KiB, max_entries = {}, max_age_days = {}",
                self.history.store_bodies,
                self.history.max_body_kib,
                self.history.max_entries,
                self.history.max_age_days
            ),
        );
        for remap in &self.remaps {
            let keys: Vec<String> = remap.value.keys.iter().map(|k| quote(k)).collect();
            line(
                &remap.origin,
                &format!("keys.{}", remap.value.action),
                format!("[{}]", keys.join(", ")),
            );
        }
        let width = rows
            .iter()
            .map(|(o, _)| o.chars().count())
            .max()
            .unwrap_or(0);
        rows.into_iter()
            .map(|(origin, setting)| format!("{origin:<width$}  {setting}"))
            .collect()
    }

    /// Which credentials a connection would use, in words (and which are set but unused).
    #[must_use]
    pub fn credentials_used(&self) -> String {
        let token = self
            .token
            .as_ref()
            .map(|t| source(&t.origin))
            .or_else(|| self.token_command.as_ref().map(|_| "token_command".into()));
        let client = self.client_id.is_some()
            || self.client_secret.is_some()
            || self.client_secret_command.is_some();
        match (token, client) {
            _ if self.demo.value => "the demo sandbox's client credentials".into(),
            (Some(from), true) => {
                format!("token ({from}; the client credentials also set are not used)")
            }
            (Some(from), false) => format!("token ({from})"),
            (None, true) if self.scoped_token.value => {
                "client credentials, account-restricted token".into()
            }
            (None, true) => "client credentials".into(),
            (None, false) if self.instance.is_none() && self.profile.is_none() => {
                "none: the explorer opens on the demo sandbox".into()
            }
            (None, false) => "none".into(),
        }
    }
}

/// Where a secret came from, in a word or two (`CYCLR_TOKEN`, `$PROD_TOKEN`, `the config file`).
fn source(origin: &Origin) -> String {
    match origin {
        Origin::Env(var) => (*var).to_string(),
        Origin::EnvNamedInFile { var, .. } => format!("${}", crate::text::inert(var)),
        Origin::CommandInFile { .. } => "token_command".into(),
        Origin::File { .. } => "the config file".into(),
        Origin::Flag(flag) => (*flag).to_string(),
        Origin::Default => "default".into(),
    }
}

/// A value in TOML-like quotes, made inert.
fn quote(s: &str) -> String {
    format!("\"{}\"", crate::text::inert(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fixture {
        dir: PathBuf,
    }

    impl Fixture {
        fn new(name: &str, config: Option<&str>) -> Fixture {
            let dir = std::env::temp_dir()
                .join(format!("cyclr-tui-settings-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            if let Some(config) = config {
                std::fs::write(dir.join("config.toml"), config).unwrap();
            }
            Fixture { dir }
        }

        fn flags(&self) -> Flags {
            Flags {
                config: Some(self.dir.join("config.toml")),
                ..Flags::default()
            }
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn resolve(flags: &Flags, env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        Settings::resolve(flags, &|name| env.get(name).cloned())
    }

    #[test]
    fn flags_beat_environment_beat_file_beat_defaults() {
        let f = Fixture::new(
            "precedence",
            Some("instance = \"eu\"\naccount = \"from-file\"\ntimeout = 30\npage_size = 50\n"),
        );
        // The file alone.
        let s = resolve(&f.flags(), &[]).unwrap();
        assert_eq!(s.instance.as_ref().unwrap().value, "eu");
        assert!(matches!(
            s.instance.as_ref().unwrap().origin,
            Origin::File { line: 1, .. }
        ));
        assert_eq!(s.timeout.value, 30);
        assert!(matches!(s.timeout.origin, Origin::File { line: 3, .. }));
        assert_eq!(
            (s.connect_timeout.value, &s.connect_timeout.origin),
            (10, &Origin::Default)
        );
        // The environment beats the file.
        let s = resolve(
            &f.flags(),
            &[("CYCLR_ACCOUNT", "from-env"), ("CYCLR_INSTANCE", "uk")],
        )
        .unwrap();
        assert_eq!(s.account.as_ref().unwrap().value, "from-env");
        assert_eq!(
            s.account.as_ref().unwrap().origin,
            Origin::Env("CYCLR_ACCOUNT")
        );
        assert_eq!(s.instance.as_ref().unwrap().value, "uk");
        // Flags beat both.
        let mut flags = f.flags();
        flags.account = Some("from-flag".into());
        flags.timeout = Some(5);
        flags.page_size = Some(7);
        let s = resolve(&flags, &[("CYCLR_ACCOUNT", "from-env")]).unwrap();
        assert_eq!(s.account.as_ref().unwrap().value, "from-flag");
        assert_eq!(
            s.account.as_ref().unwrap().origin,
            Origin::Flag("--account")
        );
        assert_eq!(
            (s.timeout.value, &s.timeout.origin),
            (5, &Origin::Flag("--timeout"))
        );
        assert_eq!(s.page_size.value, 7);
        // No file: defaults.
        let none = Fixture::new("nofile", None);
        let s = resolve(&none.flags(), &[]).unwrap();
        assert!(s.instance.is_none());
        assert_eq!(s.page_size.value, 100);
        assert_eq!(
            s.config_file.as_ref().map(|(_, exists)| *exists),
            Some(false)
        );
    }

    #[test]
    fn bad_files_name_the_line_column_and_the_key_meant() {
        let f = Fixture::new("typo", Some("instance = \"eu\"\ntimeot = 30\n"));
        let err = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(err.contains("config.toml:2:1"), "{err}");
        assert!(err.contains("did you mean `timeout`?"), "{err}");

        let f = Fixture::new("badkey", Some("[keys]\nsend = [\"f9\"]\nsned = \"f8\"\n"));
        let err = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(err.contains("config.toml:3:"), "{err}");
        assert!(err.contains("did you mean `send`?"), "{err}");

        let f = Fixture::new("badvalue", Some("page_size = 0\n"));
        let err = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(err.contains("config.toml:1:13"), "{err}");

        let f = Fixture::new("badregion", Some("\n\ninstance = \"mars\"\n"));
        let err = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(
            err.contains("config.toml:3:12") && err.contains("unknown instance"),
            "{err}"
        );

        let f = Fixture::new("badtoml", Some("timeout = \n"));
        let err = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(err.contains("config.toml:1:"), "{err}");

        let err = resolve(
            &Flags::default(),
            &[
                ("CYCLR_TOKEN", " "),
                ("CYCLR_CONFIG", "/nonexistent/c.toml"),
            ],
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "env CYCLR_TOKEN: is set but empty");
    }

    #[test]
    fn show_names_origins_and_never_a_secret() {
        let f = Fixture::new("show", Some("[keys]\nsend = [\"f9\"]\n"));
        let s = resolve(
            &f.flags(),
            &[
                ("CYCLR_TOKEN", "tok-secret"),
                ("CYCLR_CLIENT_ID", "cid"),
                ("CYCLR_CLIENT_SECRET", "sec-secret"),
                ("CYCLR_INSTANCE", "eu"),
            ],
        )
        .unwrap();
        let text = s.show().join("\n");
        assert!(
            !text.contains("tok-secret") && !text.contains("sec-secret"),
            "{text}"
        );
        assert!(text.contains("env CYCLR_TOKEN"), "{text}");
        assert!(text.contains("token = ********"), "{text}");
        assert!(
            text.contains("client credentials also set are not used"),
            "{text}"
        );
        assert!(text.contains("keys.send = [\"f9\"]"), "{text}");
        assert!(text.contains("config.toml:2"), "{text}");
        assert!(
            text.contains("instance_url = \"https://api.eu.cyclr.com/\""),
            "{text}"
        );
        assert_eq!(s.keymap.send_keys(), "F9");
    }

    const PROFILES: &str = r#"default_profile = "eu-prod"
timeout = 30

[profiles.eu-prod]
instance = "eu"
account = "acme-prod"
token_env = "ACME_TOKEN"
read_only = true
color = "red"

[profiles.sandbox]
instance = "http://127.0.0.1:9"
client_id = "cid"
client_secret_command = ["printf", "%s", "from-a-command"]
confirm_writes = false
"#;

    #[test]
    fn profiles_are_chosen_by_flag_env_or_default_and_lose_to_flags_and_variables() {
        let f = Fixture::new("profiles", Some(PROFILES));
        // default_profile.
        let s = resolve(&f.flags(), &[("ACME_TOKEN", "tok-acme")]).unwrap();
        assert_eq!(s.profile.as_ref().unwrap().value, "eu-prod");
        assert_eq!(s.instance.as_ref().unwrap().value, "eu");
        assert!(matches!(
            s.instance.as_ref().unwrap().origin,
            Origin::File { line: 5, .. }
        ));
        assert_eq!(s.account.as_ref().unwrap().value, "acme-prod");
        assert_eq!(s.token.as_ref().unwrap().value.expose(), "tok-acme");
        assert!(matches!(
            &s.token.as_ref().unwrap().origin,
            Origin::EnvNamedInFile { var, line: 7, .. } if var == "ACME_TOKEN"
        ));
        assert!(s.read_only.value);
        assert_eq!(s.color.as_ref().unwrap().value, "red");
        assert_eq!(s.timeout.value, 30, "top-level values still apply");
        assert_eq!(s.credentials_used(), "token ($ACME_TOKEN)");
        // CYCLR_PROFILE picks another; --profile beats it; a variable beats the profile.
        let s = resolve(&f.flags(), &[("CYCLR_PROFILE", "sandbox")]).unwrap();
        assert_eq!(s.profile.as_ref().unwrap().value, "sandbox");
        assert!(!s.confirm_writes.value);
        assert!(s.token.is_none() && s.client_secret.is_none());
        assert_eq!(
            s.client_secret_command.as_ref().unwrap().value,
            ["printf", "%s", "from-a-command"]
        );
        let flags = Flags {
            profile: Some("eu-prod".into()),
            ..f.flags()
        };
        let s = resolve(
            &flags,
            &[
                ("CYCLR_PROFILE", "sandbox"),
                ("CYCLR_INSTANCE", "us"),
                ("CYCLR_TOKEN", "tok-env"),
            ],
        )
        .unwrap();
        assert_eq!(s.profile.as_ref().unwrap().value, "eu-prod");
        assert_eq!(s.instance.as_ref().unwrap().value, "us");
        assert_eq!(s.token.as_ref().unwrap().value.expose(), "tok-env");
        // An unknown profile lists the ones there are.
        let flags = Flags {
            profile: Some("eu-prd".into()),
            ..f.flags()
        };
        let e = resolve(&flags, &[]).unwrap_err().to_string();
        assert!(e.contains("flag --profile"), "{e}");
        assert!(e.contains("did you mean `eu-prod`?"), "{e}");
        assert!(e.contains("eu-prod, sandbox"), "{e}");
        // A variable the profile names must be set.
        let e = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(e.contains("config.toml:7:"), "{e}");
        assert!(e.contains("$ACME_TOKEN, which is not set"), "{e}");
    }

    #[test]
    fn a_literal_secret_needs_a_private_file() {
        let text = "[profiles.p]\ninstance = \"eu\"\ntoken = \"tok-literal\"\n";
        let f = Fixture::new("literal", Some(text));
        let path = f.dir.join("config.toml");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = resolve(&f.flags(), &[("CYCLR_PROFILE", "p")])
                .unwrap_err()
                .to_string();
            assert!(e.contains("config.toml:3:"), "{e}");
            assert!(e.contains("chmod 600"), "{e}");
            assert!(!e.contains("tok-literal"), "{e}");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let s = resolve(&f.flags(), &[("CYCLR_PROFILE", "p")]).unwrap();
        assert_eq!(s.token.as_ref().unwrap().value.expose(), "tok-literal");
        assert!(!s.show().join("\n").contains("tok-literal"));
    }

    #[test]
    fn the_starter_file_is_valid_and_each_profile_works_uncommented() {
        let f = Fixture::new("starter", None);
        let path = f.dir.join("config.toml");
        write_starter_file(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(write_starter_file(&path).is_err(), "never overwritten");
        let s = resolve(&f.flags(), &[]).unwrap();
        assert!(s.profile.is_none());
        assert_eq!(s.history, HistorySettings::default());
        // Uncomment the eu profile (every line of it) and the history table.
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        let mut on = false;
        for line in text.lines() {
            if line.starts_with("# [profiles.eu-prod]") || line.starts_with("# [history]") {
                on = true;
            } else if line.trim().is_empty() || line.starts_with("# [") {
                on = false;
            }
            match line.strip_prefix("# ") {
                Some(rest) if on => out.push_str(rest),
                _ => out.push_str(line),
            }
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
        let s = resolve(
            &Flags {
                profile: Some("eu-prod".into()),
                ..f.flags()
            },
            &[("CYCLR_EU_CLIENT_ID", "cid")],
        )
        .unwrap();
        assert_eq!(s.instance.as_ref().unwrap().value, "eu");
        assert_eq!(s.client_id.as_ref().unwrap().value, "cid");
        assert!(s.client_secret_command.is_some() && s.read_only.value);
        assert_eq!(s.history.max_entries, 10_000);
        assert!(matches!(s.history.origin, Origin::File { .. }));
    }

    #[test]
    fn history_limits_are_checked() {
        let f = Fixture::new(
            "history",
            Some("[history]\nstore_bodies = false\nmax_entries = 0\n"),
        );
        let e = resolve(&f.flags(), &[]).unwrap_err().to_string();
        assert!(e.contains("config.toml:3:"), "{e}");
        assert!(e.contains("history.max_entries must be between"), "{e}");
        let f = Fixture::new("history-ok", Some("[history]\nstore_bodies = false\n"));
        let s = resolve(&f.flags(), &[]).unwrap();
        assert!(!s.history.store_bodies);
    }
}
