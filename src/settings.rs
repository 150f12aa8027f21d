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
    /// Nothing set it.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Env(var) => write!(f, "env {var}"),
            Origin::File { path, line } => write!(f, "file {}:{line}", path.display()),
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
    /// A region name or base URL, as given.
    pub instance: Option<Setting<String>>,
    /// The account API ID (`X-Cyclr-Account`).
    pub account: Option<Setting<String>>,
    pub token: Option<Setting<Secret>>,
    pub client_id: Option<Setting<String>>,
    pub client_secret: Option<Setting<Secret>>,
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
    /// The keys, with the file's `[keys]` applied.
    pub keymap: Keymap,
    /// The `[keys]` remaps as written, with their lines (for `config show`).
    pub remaps: Vec<Setting<Remap>>,
    /// The config file consulted, and whether it exists.
    pub config_file: Option<(PathBuf, bool)>,
}

/// The config file's keys.
const FILE_KEYS: &[&str] = &[
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
    "keys",
];

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
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
    #[serde(default)]
    keys: BTreeMap<String, Spanned<KeyList>>,
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
    match unknown.and_then(|field| Some((field, closest(field, FILE_KEYS)?))) {
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

impl Settings {
    /// Resolves every setting from `flags`, the environment (`env` reads a variable) and the
    /// config file. A bad value anywhere is an error naming where it came from.
    pub fn resolve(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let path = config_path(flags, env);
        let file = match &path {
            Some(path) => load(path)?,
            None => None,
        };
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
        let token = secret("CYCLR_TOKEN")?;
        let client_secret = secret("CYCLR_CLIENT_SECRET")?;
        let client_id = string((&None, ""), "CYCLR_CLIENT_ID", |_| None)?;

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
        let config_file = path.map(|p| {
            let exists = file.is_some();
            (p, exists)
        });
        Ok(Settings {
            instance,
            account,
            token,
            client_id,
            client_secret,
            scoped_token,
            demo,
            read_only,
            confirm_writes,
            allow_http,
            connect_timeout,
            timeout,
            max_body,
            page_size,
            keymap,
            remaps,
            config_file,
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
        text(&self.client_id, "client_id", &mut line);
        match masked(&self.client_secret) {
            Some((origin, value)) => line(&origin, "client_secret", value),
            None => line(&Origin::Default, "client_secret", "(not set)".into()),
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
        let client = self.client_id.is_some() || self.client_secret.is_some();
        match (&self.token, client) {
            _ if self.demo.value => "the demo sandbox's client credentials".into(),
            (Some(_), true) => {
                "token (CYCLR_TOKEN; the client credentials also set are not used)".into()
            }
            (Some(_), false) => "token (CYCLR_TOKEN)".into(),
            (None, true) if self.scoped_token.value => {
                "client credentials, account-restricted token".into()
            }
            (None, true) => "client credentials".into(),
            (None, false) if self.instance.is_none() => {
                "none: the explorer opens on the demo sandbox".into()
            }
            (None, false) => "none".into(),
        }
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
}
