//! Where settings come from (flags, then environment, then the demo) and how they become a
//! connected [`Session`].

use crate::cli::GlobalArgs;
use crate::cyclr::{ApiError, ClientConfig, Credentials, CyclrClient, Secret, resolve_instance};
use crate::sandbox::{Sandbox, SandboxConfig};
use std::time::Duration;

/// Credentials read from the environment.
#[derive(Debug, Clone, Default)]
pub struct EnvCredentials {
    pub token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl EnvCredentials {
    /// Reads `CYCLR_TOKEN`, `CYCLR_CLIENT_ID` and `CYCLR_CLIENT_SECRET`.
    pub fn from_process() -> Self {
        let var = |name| std::env::var(name).ok();
        Self {
            token: var("CYCLR_TOKEN"),
            client_id: var("CYCLR_CLIENT_ID"),
            client_secret: var("CYCLR_CLIENT_SECRET"),
        }
    }

    fn is_empty(&self) -> bool {
        self.token.is_none() && self.client_id.is_none() && self.client_secret.is_none()
    }
}

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
    pub fn is_demo(&self) -> bool {
        self.sandbox.is_some()
    }
}

/// Connects as the flags and environment say. With `--demo`, or with no credentials at all
/// and `demo_if_unconfigured`, starts the embedded sandbox and uses its demo credentials.
pub async fn connect(
    args: &GlobalArgs,
    env: &EnvCredentials,
    demo_if_unconfigured: bool,
) -> Result<Session, ApiError> {
    if args.demo || (demo_if_unconfigured && env.is_empty() && args.instance.is_none()) {
        return connect_demo(args).await;
    }
    let credentials = credentials(args, env)?;
    let auth = match &credentials {
        Credentials::Token(_) if env.client_id.is_some() || env.client_secret.is_some() => {
            "token (CYCLR_TOKEN; the client credentials also set are not used)".to_string()
        }
        Credentials::Token(_) => "token (CYCLR_TOKEN)".to_string(),
        Credentials::ClientCredentials { scope: Some(_), .. } => {
            "client credentials, account-restricted token".to_string()
        }
        Credentials::ClientCredentials { .. } => "client credentials".to_string(),
    };
    let instance = args.instance.as_deref().ok_or_else(|| {
        ApiError::Config(
            "no Cyclr instance: pass --instance or set CYCLR_INSTANCE (us, us2, uk, eu or a base URL)".into(),
        )
    })?;
    let base_url = resolve_instance(instance)?;
    let account = non_empty_account(args)?;
    let client = CyclrClient::new(client_config(args, base_url, account, credentials))?;
    Ok(Session {
        client,
        sandbox: None,
        auth,
    })
}

async fn connect_demo(args: &GlobalArgs) -> Result<Session, ApiError> {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| ApiError::Config(format!("cannot start the demo sandbox: {e}")))?;
    let demo = sandbox.demo();
    let base_url = resolve_instance(&sandbox.base_url())?;
    let account = non_empty_account(args)?.or_else(|| Some(demo.account_id.clone()));
    let credentials = Credentials::ClientCredentials {
        client_id: demo.client_id.clone(),
        client_secret: Secret::new(demo.client_secret.clone()),
        scope: None,
    };
    let client = CyclrClient::new(client_config(args, base_url, account, credentials))?;
    Ok(Session {
        client,
        sandbox: Some(sandbox),
        auth: "the demo sandbox's client credentials".to_string(),
    })
}

fn credentials(args: &GlobalArgs, env: &EnvCredentials) -> Result<Credentials, ApiError> {
    let given = |v: &Option<String>, name: &str| -> Result<Option<String>, ApiError> {
        match v.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Err(ApiError::Config(format!("{name} is set but empty"))),
            Some(s) => Ok(Some(s.to_string())),
        }
    };
    let token = given(&env.token, "CYCLR_TOKEN")?;
    let id = given(&env.client_id, "CYCLR_CLIENT_ID")?;
    let secret = given(&env.client_secret, "CYCLR_CLIENT_SECRET")?;
    match (token, id, secret) {
        (Some(token), _, _) => Ok(Credentials::Token(Secret::new(token))),
        (None, Some(client_id), Some(secret)) => Ok(Credentials::ClientCredentials {
            client_id,
            client_secret: Secret::new(secret),
            scope: match (args.scoped_token, &args.account) {
                (true, Some(account)) => Some(format!("account:{account}")),
                (true, None) => return Err(ApiError::Config("--scoped-token needs --account or CYCLR_ACCOUNT".into())),
                (false, _) => None,
            },
        }),
        (None, Some(_), None) => Err(ApiError::Config("CYCLR_CLIENT_ID is set but CYCLR_CLIENT_SECRET is not".into())),
        (None, None, Some(_)) => Err(ApiError::Config("CYCLR_CLIENT_SECRET is set but CYCLR_CLIENT_ID is not".into())),
        (None, None, None) => Err(ApiError::Config(
            "no credentials: set CYCLR_TOKEN, or CYCLR_CLIENT_ID and CYCLR_CLIENT_SECRET, or use --demo".into(),
        )),
    }
}

fn non_empty_account(args: &GlobalArgs) -> Result<Option<String>, ApiError> {
    match args.account.as_deref().map(str::trim) {
        Some("") => Err(ApiError::Config(
            "the account (--account / CYCLR_ACCOUNT) is empty".into(),
        )),
        Some(a) if a.chars().any(|c| c.is_control()) => Err(ApiError::Config(
            "the account (--account / CYCLR_ACCOUNT) contains control characters".into(),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

fn client_config(
    args: &GlobalArgs,
    base_url: url::Url,
    account: Option<String>,
    credentials: Credentials,
) -> ClientConfig {
    let mut config = ClientConfig::new(base_url, account, credentials);
    config.connect_timeout = Duration::from_secs(args.connect_timeout.max(1));
    config.timeout = Duration::from_secs(args.timeout.max(1));
    config.max_body_bytes = args.max_body.max(1).saturating_mul(1024 * 1024);
    config.page_size = args.page_size;
    config
}
