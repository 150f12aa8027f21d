//! Shared server state: the loaded data, issued tokens and per-account-connector datasets.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::auth::TokenStore;
use super::data::{Data, Entities};

/// Paging and token settings copied from the config.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub token_lifetime: std::time::Duration,
    pub default_page_size: usize,
    pub max_page_size: usize,
}

/// The mutable "third-party" data behind one account connector.
#[derive(Debug, Default)]
pub(crate) struct Dataset {
    pub entities: Entities,
    /// Sequence for generated record ids.
    pub next_seq: u64,
}

/// One request as the sandbox received it (the `Authorization` header is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    pub method: String,
    /// Path and query, e.g. `/v1.0/account/connectors?page=1&pageSize=100`.
    pub path: String,
    /// The `X-Cyclr-Account` header, if sent.
    pub account: Option<String>,
    pub content_type: Option<String>,
    /// The body (at most [`RECORDED_BODY_BYTES`] of it).
    pub body: bytes::Bytes,
}

/// How many requests the log keeps (the oldest go first).
const RECORDED_REQUESTS: usize = 1000;
/// How much of each body the log keeps.
pub const RECORDED_BODY_BYTES: usize = 1024 * 1024;

/// Everything handlers share (behind an `Arc`).
#[derive(Debug)]
pub(crate) struct AppState {
    pub data: Data,
    pub settings: Settings,
    pub base_url: String,
    pub tokens: Mutex<TokenStore>,
    datasets: Mutex<HashMap<i64, Dataset>>,
    received: Mutex<std::collections::VecDeque<ReceivedRequest>>,
}

/// Locks a mutex, recovering the data if a previous holder panicked.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    pub fn new(data: Data, settings: Settings, base_url: String) -> Self {
        let tokens = TokenStore::new(&data.credentials.static_token);
        Self {
            data,
            settings,
            base_url,
            tokens: Mutex::new(tokens),
            datasets: Mutex::new(HashMap::new()),
            received: Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// Notes a request in the log.
    pub fn record(&self, mut request: ReceivedRequest) {
        request.body.truncate(RECORDED_BODY_BYTES);
        let mut log = lock(&self.received);
        if log.len() == RECORDED_REQUESTS {
            log.pop_front();
        }
        log.push_back(request);
    }

    /// The requests received so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        lock(&self.received).iter().cloned().collect()
    }

    /// Runs `f` on the dataset of an account connector, cloning the connector's seed records
    /// on first use. Never hold the result across an `.await`.
    pub fn with_dataset<R>(
        &self,
        account_connector_id: i64,
        connector_id: i64,
        f: impl FnOnce(&mut Dataset) -> R,
    ) -> R {
        let mut all = lock(&self.datasets);
        let ds = all.entry(account_connector_id).or_insert_with(|| Dataset {
            entities: self
                .data
                .records
                .get(&connector_id)
                .cloned()
                .unwrap_or_default(),
            next_seq: 1,
        });
        f(ds)
    }
}
