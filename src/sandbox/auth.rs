//! OAuth client-credentials token endpoint, token store and the bearer/account extractors.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::data::Account;
use super::encoding::{base64_decode, http_date, parse_form, percent_decode, random_token};
use super::error::ApiError;
use super::state::{AppState, lock};

/// One issued (or the static) token.
#[derive(Debug, Clone)]
struct TokenInfo {
    /// `None` for the data's static token.
    client_id: Option<String>,
    /// `Some(account id)` for account-restricted tokens.
    scope: Option<String>,
    /// `None` = never expires.
    expires_at: Option<Instant>,
}

/// In-memory token store.
#[derive(Debug)]
pub(crate) struct TokenStore {
    tokens: HashMap<String, TokenInfo>,
    revoked: HashSet<String>,
}

impl TokenStore {
    pub fn new(static_token: &str) -> Self {
        let mut tokens = HashMap::new();
        tokens.insert(
            static_token.to_owned(),
            TokenInfo {
                client_id: None,
                scope: None,
                expires_at: None,
            },
        );
        Self {
            tokens,
            revoked: HashSet::new(),
        }
    }

    /// Every token issued to a client (not the static one).
    pub fn issued(&self) -> Vec<String> {
        self.tokens
            .iter()
            .filter(|(_, t)| t.client_id.is_some())
            .map(|(token, _)| token.clone())
            .collect()
    }

    /// Makes every issued token expired (the static token is not issued and keeps working).
    pub fn expire_all(&mut self) {
        let now = Instant::now();
        for t in self.tokens.values_mut() {
            if t.client_id.is_some() {
                t.expires_at = Some(now);
            }
        }
    }

    /// Revokes a client: its tokens stop working and it can no longer get tokens.
    pub fn revoke(&mut self, client_id: &str) {
        self.revoked.insert(client_id.to_owned());
        self.tokens
            .retain(|_, t| t.client_id.as_deref() != Some(client_id));
    }

    /// The scope of a valid token (`Ok(None)` = unrestricted), or `Err` if it is not valid.
    fn check(&self, token: &str) -> Result<Option<String>, ()> {
        let info = self.tokens.get(token).ok_or(())?;
        if let Some(exp) = info.expires_at
            && Instant::now() >= exp
        {
            return Err(());
        }
        if let Some(c) = &info.client_id
            && self.revoked.contains(c)
        {
            return Err(());
        }
        Ok(info.scope.clone())
    }
}

fn oauth_error(code: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CACHE_CONTROL, "no-cache")],
        Json(serde_json::json!({ "error": code })),
    )
        .into_response()
}

/// `POST /oauth/token`: client credentials in the form body or HTTP Basic.
pub(crate) async fn token(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = parse_form(&String::from_utf8_lossy(&body));
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error("unsupported_grant_type");
    }
    let (client_id, secret) = match basic_credentials(&headers) {
        Some(pair) => pair,
        None => (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned().unwrap_or_default(),
        ),
    };
    let creds = &st.data.credentials;
    let revoked = lock(&st.tokens).revoked.contains(&client_id);
    if client_id != creds.client_id || secret != creds.client_secret || revoked {
        return oauth_error("invalid_client");
    }
    let scope = match form
        .get("scope")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match s
            .strip_prefix("account:")
            .and_then(|id| st.data.account(id))
        {
            Some(account) => Some(account.id.clone()),
            None => return oauth_error("invalid_scope"),
        },
    };
    let lifetime = st.settings.token_lifetime;
    let access_token = random_token();
    lock(&st.tokens).tokens.insert(
        access_token.clone(),
        TokenInfo {
            client_id: Some(client_id.clone()),
            scope,
            expires_at: Instant::now().checked_add(lifetime),
        },
    );
    let issued = SystemTime::now();
    let expires = issued.checked_add(lifetime).unwrap_or(issued);
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Json(serde_json::json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": lifetime.as_secs(),
            "clientId": client_id,
            ".issued": http_date(issued),
            ".expires": http_date(expires),
        })),
    )
        .into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(rest)?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((percent_decode(id), percent_decode(secret)))
}

/// Validates the bearer token; returns its account scope.
fn bearer_scope(st: &AppState, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(ApiError::denied)?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(ApiError::denied)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::denied());
    }
    lock(&st.tokens)
        .check(token.trim())
        .map_err(|()| ApiError::denied())
}

/// A caller with a valid, unrestricted token (partner-level endpoints).
#[derive(Debug)]
pub(crate) struct PartnerAuth;

impl FromRequestParts<Arc<AppState>> for PartnerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        st: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        match bearer_scope(st, &parts.headers)? {
            None => Ok(PartnerAuth),
            Some(_) => Err(ApiError::denied()),
        }
    }
}

/// A caller with a valid token and a known `X-Cyclr-Account` (account-level endpoints).
#[derive(Debug)]
pub(crate) struct AccountAuth {
    /// The account's API id as spelled in the data.
    pub account_id: String,
}

/// The account header name.
pub(crate) const ACCOUNT_HEADER: &str = "x-cyclr-account";

impl FromRequestParts<Arc<AppState>> for AccountAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        st: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let scope = bearer_scope(st, &parts.headers)?;
        let id = parts
            .headers
            .get(ACCOUNT_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "Authorization has been denied for this request: the X-Cyclr-Account header is missing. Account-level endpoints need the account's API ID in X-Cyclr-Account.",
                )
            })?;
        let account: &Account = st
            .data
            .account(id)
            // Cyclr answers an account the credentials cannot reach with a plain denial.
            .ok_or_else(ApiError::denied)?;
        if let Some(scoped) = scope
            && !scoped.eq_ignore_ascii_case(&account.id)
        {
            return Err(ApiError::denied());
        }
        Ok(AccountAuth {
            account_id: account.id.clone(),
        })
    }
}
