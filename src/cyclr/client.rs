//! `CyclrClient`: every Cyclr call the tool makes, with auth, paging, caps and error mapping.

use super::auth::{Credentials, TokenSource};
use super::call::{CallRequest, CallResponse};
use super::error::{ApiError, AuthSuspect};
use super::http::{
    RawResponse, SPILL_FACTOR, SentRequest, Sink, endpoint, header_str, read_capped, read_or_spill,
    redirect_error, transport_error,
};
use super::model::{Account, AccountConnector, Method, Model, Property, decode, decode_list};
use super::secret::MASK;
use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// The header that names the account for account-level calls.
pub const ACCOUNT_HEADER: &str = "X-Cyclr-Account";

/// Everything the client needs to reach one Cyclr instance.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The instance's base URL (see [`super::resolve_instance`]).
    pub base_url: Url,
    /// The account API ID sent as `X-Cyclr-Account` on account-level calls.
    pub account: Option<String>,
    pub credentials: Credentials,
    pub connect_timeout: Duration,
    /// Limit for one whole request, body included.
    pub timeout: Duration,
    /// Responses larger than this are not read.
    pub max_body_bytes: u64,
    /// `pageSize` asked for when listing.
    pub page_size: u32,
}

impl ClientConfig {
    /// A config with the default timeouts, cap and page size.
    #[must_use]
    pub fn new(base_url: Url, account: Option<String>, credentials: Credentials) -> Self {
        Self {
            base_url,
            account,
            credentials,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_mins(1),
            max_body_bytes: 128 * 1024 * 1024,
            page_size: 100,
        }
    }
}

/// Progress while a paged list loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageProgress {
    /// Pages received so far.
    pub page: u32,
    /// From the `Total-Pages` header, when the server sends it.
    pub total_pages: Option<u32>,
    /// Items received so far.
    pub items: usize,
}

/// Optional filters for a connector's methods.
#[derive(Debug, Clone, Default)]
pub struct MethodQuery {
    pub query: Option<String>,
    pub category: Option<String>,
}

/// A cheap-to-clone Cyclr API client; clones share the token cache and connection pool.
#[derive(Clone)]
pub struct CyclrClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    tokens: TokenSource,
}

/// Who a request is addressed to: partner-level calls carry no account header.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Partner,
    Account,
}

/// Upper bound on pages fetched for one list, against servers that ignore `page`.
const MAX_PAGES: u32 = 100_000;

impl CyclrClient {
    /// Builds a client. Redirects are followed only within the same origin.
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_origin = attempt
                    .previous()
                    .first()
                    .is_some_and(|first| first.origin() == attempt.url().origin());
                if attempt.previous().len() > 5 {
                    attempt.error("too many redirects")
                } else if same_origin {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .user_agent(concat!("cyclr-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::HttpClient(e.to_string()))?;
        let tokens = TokenSource::new(config.credentials.clone());
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                config,
                tokens,
            }),
        })
    }

    /// The configuration this client was built with.
    #[must_use]
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The same client for another account: account calls carry `account` from now on, and
    /// an account-restricted token is asked for that account instead.
    pub fn for_account(&self, account: &str) -> Result<CyclrClient, ApiError> {
        let mut config = self.config().clone();
        config.account = Some(account.to_string());
        if let super::Credentials::ClientCredentials {
            scope: Some(scope), ..
        } = &mut config.credentials
            && scope.starts_with("account:")
        {
            *scope = format!("account:{account}");
        }
        CyclrClient::new(config)
    }

    /// Until when the current client-credentials token is used; `None` for a static token
    /// or before one is fetched.
    pub async fn token_valid_until(&self) -> Option<std::time::Instant> {
        self.inner.tokens.valid_until().await
    }

    /// All accounts of the partner (every page).
    pub async fn accounts(&self) -> Result<Vec<Account>, ApiError> {
        self.list_all(&["v1.0", "accounts"], Scope::Partner, &[], &mut |_| {})
            .await
    }

    /// All account connectors of the current account (every page).
    pub async fn account_connectors(&self) -> Result<Vec<AccountConnector>, ApiError> {
        self.account_connectors_with_progress(&mut |_| {}).await
    }

    /// All account connectors, reporting each page as it arrives.
    pub async fn account_connectors_with_progress(
        &self,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Vec<AccountConnector>, ApiError> {
        self.list_all(
            &["v1.0", "account", "connectors"],
            Scope::Account,
            &[],
            on_page,
        )
        .await
    }

    /// One account connector.
    pub async fn account_connector(&self, id: i64) -> Result<AccountConnector, ApiError> {
        let id = id.to_string();
        self.get_one(&["v1.0", "account", "connectors", &id]).await
    }

    /// The properties of an account connector
    /// (`GET /v1.0/account/connectors/{id}/properties`, not paged). Items that are not
    /// objects decode to empty properties; a body that is not an array is a `Decode` error.
    pub async fn account_connector_properties(&self, id: i64) -> Result<Vec<Property>, ApiError> {
        let id = id.to_string();
        let url = self.url(&["v1.0", "account", "connectors", &id, "properties"], &[]);
        let response = self
            .checked(reqwest::Method::GET, url, Scope::Account, None)
            .await?;
        match parse_json(response.body)? {
            serde_json::Value::Array(items) => Ok(items
                .iter()
                .map(|item| Property::deserialize(item).unwrap_or_default())
                .collect()),
            mut other => {
                super::secret::mask_json(&mut other);
                Err(decode_error(
                    "a JSON array",
                    "the body is not an array",
                    &other,
                ))
            }
        }
    }

    /// The methods of a connector release (`Connector.Id`, not the account connector id).
    pub async fn methods(
        &self,
        connector_id: i64,
        filter: &MethodQuery,
    ) -> Result<Vec<Method>, ApiError> {
        let id = connector_id.to_string();
        let mut query = Vec::new();
        if let Some(q) = &filter.query {
            query.push(("query", q.clone()));
        }
        if let Some(c) = &filter.category {
            query.push(("category", c.clone()));
        }
        let segments = ["v1.0", "connectors", &id, "methods"];
        let url = self.url(&segments, &query);
        let response = self
            .checked(reqwest::Method::GET, url, Scope::Account, None)
            .await?;
        // Not documented as paged; if a server pages it anyway, fetch the other pages too.
        let total_pages = header_str(&response.headers, "Total-Pages")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(1)
            .min(MAX_PAGES);
        let mut methods: Vec<Method> = decode_array(response.body)?;
        for page in 2..=total_pages {
            let params = [query.as_slice(), &[("page", page.to_string())]].concat();
            let url = self.url(&segments, &params);
            let response = self
                .checked(reqwest::Method::GET, url, Scope::Account, None)
                .await?;
            methods.extend(decode_array::<Method>(response.body)?);
        }
        Ok(methods)
    }

    /// One method by its numeric id (`/v1.0/methods/{id}`).
    pub async fn method(&self, method_id: i64) -> Result<Method, ApiError> {
        let id = method_id.to_string();
        self.get_one(&["v1.0", "methods", &id]).await
    }

    /// Calls or tests a connector method. Any HTTP status is a response (see
    /// [`CallResponse::error`]); `Err` means no usable response arrived.
    pub async fn call(&self, request: &CallRequest) -> Result<CallResponse, ApiError> {
        let raw = self.send_call(request, &Sink::Memory).await?;
        let suspect = if raw.status == 401 {
            self.suspect(Scope::Account).await
        } else {
            AuthSuspect::NoAccount
        };
        Ok(CallResponse::from_raw(raw, suspect))
    }

    /// Like [`CyclrClient::call`], but a body past the size cap is kept in a temporary file
    /// ([`CallResponse::kept`]) instead of refused, so it can be saved without calling again.
    pub async fn call_keeping_large(
        &self,
        request: &CallRequest,
    ) -> Result<CallResponse, ApiError> {
        let raw = self.send_call(request, &Sink::Spill).await?;
        let suspect = if raw.status == 401 {
            self.suspect(Scope::Account).await
        } else {
            AuthSuspect::NoAccount
        };
        Ok(CallResponse::from_raw(raw, suspect))
    }

    async fn send_call(&self, request: &CallRequest, sink: &Sink) -> Result<RawResponse, ApiError> {
        let segments = request.path_segments();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let url = self.url(&segments, &[]);
        let body = request
            .body_bytes()
            .map(|b| (request.content_type.mime(), b));
        self.send(request.http_method(), url, Scope::Account, body, sink)
            .await
    }

    async fn get_one<T: Model>(&self, segments: &[&str]) -> Result<T, ApiError> {
        let url = self.url(segments, &[]);
        let response = self
            .checked(reqwest::Method::GET, url, Scope::Account, None)
            .await?;
        let value = parse_json(response.body)?;
        Ok(decode(value))
    }

    /// Follows `page`/`pageSize` until `Total-Pages`, an empty page, a page shorter than
    /// those before it, or a page that repeats the previous one (a server ignoring `page`).
    async fn list_all<T: Model>(
        &self,
        segments: &[&str],
        scope: Scope,
        query: &[(&str, String)],
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Vec<T>, ApiError> {
        let mut page_size = Some(self.inner.config.page_size.max(1));
        let mut all: Vec<T> = Vec::new();
        let mut largest_page = 0usize;
        let mut previous_first: Option<serde_json::Value> = None;
        for page in 1..=MAX_PAGES {
            let mut params: Vec<(&str, String)> = query.to_vec();
            params.push(("page", page.to_string()));
            if let Some(size) = page_size {
                params.push(("pageSize", size.to_string()));
            }
            let url = self.url(segments, &params);
            let response = match self.checked(reqwest::Method::GET, url, scope, None).await {
                // A server that refuses our pageSize gets its own default instead.
                Err(ApiError::Status { status: 400, .. }) if page == 1 && page_size.is_some() => {
                    tracing::info!("pageSize refused; listing with the server's page size");
                    page_size = None;
                    let url = self.url(segments, &[query, &[("page", "1".to_string())]].concat());
                    self.checked(reqwest::Method::GET, url, scope, None).await?
                }
                other => other?,
            };
            let total_pages = header_str(&response.headers, "Total-Pages")
                .and_then(|v| v.trim().parse::<u32>().ok());
            let items = match parse_json(response.body)? {
                serde_json::Value::Array(items) => items,
                other => {
                    return Err(decode_error(
                        "a JSON array",
                        "the body is not an array",
                        &other,
                    ));
                }
            };
            let count = items.len();
            if count == 0 || (page > 1 && items.first() == previous_first.as_ref()) {
                break;
            }
            previous_first = items.first().cloned();
            all.extend(items.into_iter().map(decode::<T>));
            on_page(PageProgress {
                page,
                total_pages,
                items: all.len(),
            });
            let finished = match total_pages {
                Some(total) => page >= total,
                // A short page ends the list; a first page may be short because the server
                // caps pageSize, so only a page shorter than an earlier one counts.
                None => count < largest_page,
            };
            largest_page = largest_page.max(count);
            if finished {
                break;
            }
        }
        Ok(all)
    }

    /// Sends and turns any status ≥ 400 (or a cross-host redirect) into an error.
    async fn checked(
        &self,
        method: reqwest::Method,
        url: Url,
        scope: Scope,
        body: Option<(&'static str, Bytes)>,
    ) -> Result<RawResponse, ApiError> {
        let raw = self.send(method, url, scope, body, &Sink::Memory).await?;
        if raw.status >= 400 {
            let suspect = if raw.status == 401 {
                Some(self.suspect(scope).await)
            } else {
                None
            };
            return Err(ApiError::from_status(
                raw.status,
                &raw.reason,
                header_str(&raw.headers, RETRY_AFTER.as_str()),
                &raw.body,
                || suspect.unwrap_or(AuthSuspect::NoAccount),
            ));
        }
        if (300..400).contains(&raw.status) {
            return Err(redirect_error(&raw.headers));
        }
        Ok(raw)
    }

    /// Sends with a valid token; on a 401 with refreshable credentials, fetches a new token
    /// once and retries once.
    async fn send(
        &self,
        method: reqwest::Method,
        url: Url,
        scope: Scope,
        body: Option<(&'static str, Bytes)>,
        sink: &Sink,
    ) -> Result<RawResponse, ApiError> {
        let inner = &self.inner;
        let token = inner
            .tokens
            .token(&inner.http, &inner.config.base_url, scope == Scope::Partner)
            .await?;
        let first = self
            .execute(
                method.clone(),
                url.clone(),
                scope,
                body.clone(),
                token.expose(),
                sink,
            )
            .await?;
        if first.status != 401 || !inner.tokens.can_refresh() {
            return Ok(first);
        }
        tracing::info!(
            "401 from {}; fetching a new token and retrying once",
            url.path()
        );
        inner.tokens.invalidate(&token).await;
        let token = inner
            .tokens
            .token(&inner.http, &inner.config.base_url, scope == Scope::Partner)
            .await?;
        let mut retried = self
            .execute(method, url, scope, body, token.expose(), sink)
            .await?;
        retried.sent.retried_after_refresh = true;
        Ok(retried)
    }

    async fn execute(
        &self,
        method: reqwest::Method,
        url: Url,
        scope: Scope,
        body: Option<(&'static str, Bytes)>,
        token: &str,
        sink: &Sink,
    ) -> Result<RawResponse, ApiError> {
        let inner = &self.inner;
        let mut shown_headers = vec![
            ("Accept".to_string(), "application/json".to_string()),
            ("Authorization".to_string(), format!("Bearer {MASK}")),
        ];
        let mut builder = inner
            .http
            .request(method.clone(), url.clone())
            .header(ACCEPT, "application/json")
            .bearer_auth(token);
        if scope == Scope::Account
            && let Some(account) = &inner.config.account
        {
            builder = builder.header(ACCOUNT_HEADER, account);
            shown_headers.push((ACCOUNT_HEADER.to_string(), account.clone()));
        }
        let sent_body = match body {
            Some((content_type, bytes)) => {
                shown_headers.push(("Content-Type".to_string(), content_type.to_string()));
                builder = builder
                    .header(CONTENT_TYPE, content_type)
                    .body(bytes.clone());
                String::from_utf8_lossy(&bytes).into_owned()
            }
            None => String::new(),
        };
        let sent = SentRequest {
            method: method.to_string(),
            url: url.to_string(),
            headers: shown_headers,
            body: sent_body,
            retried_after_refresh: false,
        };
        tracing::debug!(method = %sent.method, url = %sent.url, "request");
        let started = Instant::now();
        let mut response = builder
            .send()
            .await
            .map_err(|e| transport_error(&e, &url))?;
        let status = response.status();
        let headers = response.headers().clone();
        let cap = inner.config.max_body_bytes;
        let (body, body_len, spilled) = match sink {
            Sink::Memory => {
                let (body, len) = read_capped(&mut response, cap, &url).await?;
                (body, len, None)
            }
            Sink::Spill => {
                read_or_spill(&mut response, cap, cap.saturating_mul(SPILL_FACTOR), &url).await?
            }
        };
        let elapsed = started.elapsed();
        tracing::debug!(
            status = status.as_u16(),
            bytes = body_len,
            ?elapsed,
            "response"
        );
        Ok(RawResponse {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers,
            body,
            body_len,
            elapsed,
            sent,
            spilled,
        })
    }

    /// Explains a 401 in this client's situation.
    /// What a 401 to a call in `scope` most likely means. With an account named, the account
    /// is suspected first (a wrong id is the commonest cause) unless the token itself is
    /// refused at partner level, which one more request (`GET /v1.0/accounts/{id}`) tells.
    async fn suspect(&self, scope: Scope) -> AuthSuspect {
        let token = if self.inner.tokens.is_static() {
            AuthSuspect::StaticToken
        } else {
            AuthSuspect::IssuedToken
        };
        match (&self.inner.config.account, scope) {
            (None, Scope::Account) => AuthSuspect::NoAccount,
            (Some(account), Scope::Account) => {
                let looks_like_name = account.trim().contains(char::is_whitespace);
                // A token restricted to this very account was issued for it: the credentials
                // are at fault (the message says they may lack access to the account).
                if !looks_like_name && self.is_account_restricted() {
                    return token;
                }
                let token_works = if looks_like_name {
                    false
                } else {
                    match self.partner_api_status(account).await {
                        Some(401) => return token,
                        Some(status) => status < 500,
                        None => false,
                    }
                };
                AuthSuspect::Account {
                    account: account.clone(),
                    looks_like_name,
                    token_works,
                }
            }
            _ => token,
        }
    }

    /// True when tokens are asked for with `scope=account:{id}`.
    fn is_account_restricted(&self) -> bool {
        matches!(
            &self.inner.config.credentials,
            Credentials::ClientCredentials { scope: Some(_), .. }
        )
    }

    /// The status of asking for `account` at partner level with the current token: 401 means
    /// the token, not the account, is at fault; 200 or 404 that the token works. `None` when
    /// no answer came.
    async fn partner_api_status(&self, account: &str) -> Option<u16> {
        let inner = &self.inner;
        let token = inner
            .tokens
            .token(&inner.http, &inner.config.base_url, true)
            .await
            .ok()?;
        let url = self.url(&["v1.0", "accounts", account], &[]);
        let probe = self
            .execute(
                reqwest::Method::GET,
                url,
                Scope::Partner,
                None,
                token.expose(),
                &Sink::Memory,
            )
            .await;
        probe.ok().map(|raw| raw.status)
    }

    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = endpoint(&self.inner.config.base_url, segments);
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }
}

fn parse_json(body: Bytes) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(&body).map_err(|e| ApiError::Decode {
        expected: "JSON",
        detail: e.to_string(),
        body,
    })
}

fn decode_array<T: Model>(body: Bytes) -> Result<Vec<T>, ApiError> {
    let value = parse_json(body)?;
    let shown = value.to_string();
    decode_list(value).ok_or_else(|| ApiError::Decode {
        expected: "a JSON array",
        detail: "the body is not an array".into(),
        body: Bytes::from(shown),
    })
}

fn decode_error(expected: &'static str, detail: &str, value: &serde_json::Value) -> ApiError {
    ApiError::Decode {
        expected,
        detail: detail.into(),
        body: Bytes::from(value.to_string()),
    }
}
