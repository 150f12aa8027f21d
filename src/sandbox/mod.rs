//! A Cyclr-compatible sandbox server (see `cyclr-api.md` and DESIGN.md "The sandbox").
//!
//! [`Sandbox::start`] binds a loopback port and serves `/oauth/token` and the `/v1.0` API from
//! demo data in `assets/sandbox/` (or a data directory). Dropping the [`Sandbox`] stops it.

mod auth;
mod behaviour;
mod catalogue;
mod data;
mod encoding;
mod error;
mod generate;
mod paging;
mod proxy;
mod routes;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use data::DATA_FILES;
pub use error::SandboxError;
pub use state::{RECORDED_BODY_BYTES, ReceivedRequest};

/// The header that names the account (as the client sends it).
pub(crate) use crate::cyclr::ACCOUNT_HEADER;

use state::{AppState, Settings, lock};

/// How to run the sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Listening address; default `127.0.0.1:0` (loopback, any free port).
    pub addr: SocketAddr,
    /// `None` = embedded demo data; `Some(dir)` = load the [`DATA_FILES`] from `dir`.
    pub data_dir: Option<PathBuf>,
    /// Lifetime of issued tokens (`expires_in`); default 1,209,599 s (14 days).
    pub token_lifetime: Duration,
    /// Page size when the client omits `pageSize`; default 20.
    pub default_page_size: usize,
    /// `pageSize` is clamped to this; default 500.
    pub max_page_size: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: None,
            token_lifetime: Duration::from_secs(1_209_599),
            default_page_size: 20,
            max_page_size: 500,
        }
    }
}

/// Credentials and ids that work against the sandbox's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCredentials {
    /// OAuth client id for `/oauth/token`.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
    /// A bearer token that never expires.
    pub static_token: String,
    /// The demo account's API id (`X-Cyclr-Account`), which allows loopback callers.
    pub account_id: String,
    /// An account whose IP allow-list excludes loopback (proxy calls give 403 except for its partner connector).
    pub restricted_account_id: String,
}

/// The demo data as the API returns it, without a server: fixtures for tests and tools that
/// must agree with what the sandbox serves.
#[derive(Debug)]
pub struct DemoData(data::Data);

impl DemoData {
    /// Loads the built-in demo data.
    pub fn load() -> Result<DemoData, SandboxError> {
        data::load(None).map(DemoData)
    }

    /// `GET /v1.0/account/connectors` of `account`, every page, as JSON objects.
    #[must_use]
    pub fn account_connectors(&self, account: &str) -> Vec<serde_json::Value> {
        self.0
            .account_connectors_of(account)
            .into_iter()
            .map(|ac| self.0.account_connector_json(ac))
            .collect()
    }

    /// `GET /v1.0/accounts`, every page, as JSON objects.
    #[must_use]
    pub fn accounts(&self) -> Vec<serde_json::Value> {
        self.0
            .accounts
            .iter()
            .map(|a| serde_json::Value::Object(a.json.clone()))
            .collect()
    }

    /// `GET /v1.0/connectors/{id}/methods`, as JSON objects.
    #[must_use]
    pub fn methods(&self, connector_id: i64) -> Vec<serde_json::Value> {
        self.0.connector(connector_id).map_or_else(Vec::new, |c| {
            c.methods
                .iter()
                .filter_map(|m| serde_json::to_value(m).ok())
                .collect()
        })
    }
}

/// A running sandbox server. Dropping it signals a graceful shutdown.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    demo: DemoCredentials,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Loads the data, binds `config.addr` and starts serving in a background task.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let data = data::load(config.data_dir.as_deref())?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: config.addr,
            source,
        })?;
        let c = &data.credentials;
        let demo = DemoCredentials {
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.clone(),
            static_token: c.static_token.clone(),
            account_id: c.demo_account_id.clone(),
            restricted_account_id: c.restricted_account_id.clone(),
        };
        let settings = Settings {
            token_lifetime: config.token_lifetime,
            default_page_size: config.default_page_size.max(1),
            max_page_size: config.max_page_size.max(1),
        };
        let state = Arc::new(AppState::new(data, settings, format!("http://{addr}")));
        let app = routes::router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let result = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = result {
                tracing::warn!("sandbox server stopped with an error: {e}");
            }
        });
        tracing::info!("sandbox listening on http://{addr}");
        Ok(Sandbox {
            addr,
            demo,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Demo credentials and well-known account ids.
    #[must_use]
    pub fn demo(&self) -> &DemoCredentials {
        &self.demo
    }

    /// Test hook: every token issued so far becomes expired (next use → 401). The static token keeps working.
    pub fn expire_tokens(&self) {
        lock(&self.state.tokens).expire_all();
    }

    /// Test hook: every access token issued so far (to search outputs for leaks).
    #[must_use]
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.state.tokens).issued()
    }

    /// Test hook: the client's tokens stop working (401) and token requests fail (400 `invalid_client`).
    pub fn revoke_client(&self, client_id: &str) {
        lock(&self.state.tokens).revoke(client_id);
    }

    /// Test hook: the last requests received (up to 1,000, oldest first; bodies cut at
    /// [`RECORDED_BODY_BYTES`]), to check what a client really sent.
    #[must_use]
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.state.received()
    }

    /// Stops accepting connections and waits (up to 5 s) for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
