//! From [`Settings`] to a connected [`Session`]: the client to use, and the embedded sandbox
//! behind it in demo mode.

use crate::cyclr::{
    ClientConfig, Credentials, CyclrClient, Secret, console_advice, is_loopback, resolve_instance,
};
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::settings::{ConfigError, Origin, Setting, Settings};
use std::time::Duration;

/// A client ready to use, and the embedded sandbox behind it in demo mode.
pub struct Session {
    pub client: CyclrClient,
    /// Kept alive for as long as the session; `Some` in demo mode.
    pub sandbox: Option<Sandbox>,
    /// Which credentials are used, in words (and which were set but are not).
    pub auth: String,
}

impl Session {
    /// True when talking to the embedded demo sandbox.
    #[must_use]
    pub fn is_demo(&self) -> bool {
        self.sandbox.is_some()
    }
}

/// Connects as the settings say. With `--demo`, or with no credentials and no instance at
/// all and `demo_if_unconfigured` (the explorer), starts the embedded sandbox and uses its
/// demo credentials.
pub async fn connect(
    settings: &Settings,
    demo_if_unconfigured: bool,
) -> Result<Session, ConfigError> {
    let unconfigured = settings.token.is_none()
        && settings.token_command.is_none()
        && settings.client_id.is_none()
        && settings.client_secret.is_none()
        && settings.client_secret_command.is_none()
        && settings.instance.is_none()
        && settings.profile.is_none();
    if settings.demo.value || (demo_if_unconfigured && unconfigured) {
        return connect_demo(settings).await;
    }
    let mut settings = std::borrow::Cow::Borrowed(settings);
    if settings.token.is_none()
        && let Some(command) = &settings.token_command
    {
        let token = run_secret_command(command).await?;
        settings.to_mut().token = Some(token);
    }
    if settings.client_secret.is_none()
        && let Some(command) = &settings.client_secret_command
    {
        let secret = run_secret_command(command).await?;
        settings.to_mut().client_secret = Some(secret);
    }
    let settings = settings.as_ref();
    let credentials = credentials(settings)?;
    let instance = settings.instance.as_ref().ok_or_else(|| {
        ConfigError::Missing(
            "no Cyclr instance: pass --instance, set CYCLR_INSTANCE, or put `instance` in the config file (us, us2, uk, eu, apac or a base URL)".into(),
        )
    })?;
    let base_url = resolve_instance(&instance.value).map_err(|message| ConfigError::Value {
        origin: instance.origin.clone(),
        message,
    })?;
    // Before any request: the right kind of host, and no credentials in clear text.
    if let Some(message) = console_advice(&base_url) {
        return Err(ConfigError::Value {
            origin: instance.origin.clone(),
            message,
        });
    }
    if base_url.scheme() == "http" && !is_loopback(&base_url) && !settings.allow_http.value {
        return Err(ConfigError::Value {
            origin: instance.origin.clone(),
            message: format!(
                "http:// to {} would send the token or client secret in clear text; use https://, or pass --allow-http (allow_http = true in the config file) if you mean it",
                base_url.host_str().unwrap_or("?")
            ),
        });
    }
    let account = settings.account.as_ref().map(|a| a.value.clone());
    let client = client(settings, base_url, account, credentials)?;
    Ok(Session {
        client,
        sandbox: None,
        auth: settings.credentials_used(),
    })
}

/// How long a secret command (`pass`, `op read`, …) may take.
pub const SECRET_COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs a profile's secret command, without a shell, and takes its standard output (trimmed)
/// as the secret. Its failures name the command and its origin, never its output.
async fn run_secret_command(
    command: &Setting<Vec<String>>,
) -> Result<Setting<Secret>, ConfigError> {
    let fail = |message: String| ConfigError::Value {
        origin: command.origin.clone(),
        message,
    };
    let shown = command
        .value
        .iter()
        .map(|a| crate::text::inert(a).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let Some((program, args)) = command.value.split_first() else {
        return Err(fail("the command is empty".into()));
    };
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| fail(format!("cannot run `{shown}`: {e}")))?;
    let output = tokio::time::timeout(SECRET_COMMAND_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            fail(format!(
                "`{shown}` did not finish within {} s",
                SECRET_COMMAND_TIMEOUT.as_secs()
            ))
        })?
        .map_err(|e| fail(format!("`{shown}` failed: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first = crate::text::truncate(&crate::text::inert(first.trim()), 200).into_owned();
        return Err(fail(format!(
            "`{shown}` exited with {}{}",
            output.status,
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        )));
    }
    let secret = String::from_utf8(output.stdout).map_err(|_| {
        fail(format!(
            "`{shown}` printed something that is not UTF-8 text"
        ))
    })?;
    let secret = secret.trim();
    if secret.is_empty() {
        return Err(fail(format!("`{shown}` printed nothing")));
    }
    Ok(Setting {
        value: Secret::new(secret),
        origin: command.origin.clone(),
    })
}

async fn connect_demo(settings: &Settings) -> Result<Session, ConfigError> {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| ConfigError::Demo(e.to_string()))?;
    let demo = sandbox.demo();
    let base_url = resolve_instance(&sandbox.base_url()).map_err(ConfigError::Demo)?;
    let account = settings
        .account
        .as_ref()
        .map_or_else(|| demo.account_id.clone(), |a| a.value.clone());
    let credentials = Credentials::ClientCredentials {
        client_id: demo.client_id.clone(),
        client_secret: Secret::new(demo.client_secret.clone()),
        scope: None,
    };
    let client = client(settings, base_url, Some(account), credentials)?;
    Ok(Session {
        client,
        sandbox: Some(sandbox),
        auth: "the demo sandbox's client credentials".to_string(),
    })
}

/// The credentials to use: a token wins over client credentials (and `auth` says so).
fn credentials(settings: &Settings) -> Result<Credentials, ConfigError> {
    let scope = || match (settings.scoped_token.value, &settings.account) {
        (true, Some(account)) => Ok(Some(format!("account:{}", account.value))),
        (true, None) => Err(ConfigError::Value {
            origin: settings.scoped_token.origin.clone(),
            message: "an account-restricted token needs an account (--account or CYCLR_ACCOUNT)"
                .into(),
        }),
        (false, _) => Ok(None),
    };
    match (&settings.token, &settings.client_id, &settings.client_secret) {
        (Some(token), _, _) => Ok(Credentials::Token(token.value.clone())),
        (None, Some(id), Some(secret)) => Ok(Credentials::ClientCredentials {
            client_id: id.value.clone(),
            client_secret: secret.value.clone(),
            scope: scope()?,
        }),
        (None, Some(id), None) => Err(ConfigError::Value {
            origin: id.origin.clone(),
            message: "is set but CYCLR_CLIENT_SECRET is not".into(),
        }),
        (None, None, Some(secret)) => Err(ConfigError::Value {
            origin: secret.origin.clone(),
            message: "is set but CYCLR_CLIENT_ID is not".into(),
        }),
        (None, None, None) => Err(ConfigError::Missing(
            "no credentials: set CYCLR_TOKEN, or CYCLR_CLIENT_ID and CYCLR_CLIENT_SECRET, or use --demo".into(),
        )),
    }
}

fn client(
    settings: &Settings,
    base_url: url::Url,
    account: Option<String>,
    credentials: Credentials,
) -> Result<CyclrClient, ConfigError> {
    let mut config = ClientConfig::new(base_url, account, credentials);
    config.connect_timeout = Duration::from_secs(settings.connect_timeout.value);
    config.timeout = Duration::from_secs(settings.timeout.value);
    config.max_body_bytes = settings.max_body.value.saturating_mul(1024 * 1024);
    config.page_size = settings.page_size.value;
    CyclrClient::new(config).map_err(|e| ConfigError::Value {
        origin: Origin::Default,
        message: e.to_string(),
    })
}
