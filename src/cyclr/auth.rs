//! Credentials and the access-token cache: a static bearer token, or OAuth client
//! credentials exchanged at `POST {base}/oauth/token` and cached until shortly before expiry.

use super::error::{ApiError, message_from_body};
use super::secret::Secret;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use url::Url;

/// How the client proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A ready-made access token (`CYCLR_TOKEN`); it cannot be refreshed.
    Token(Secret),
    /// OAuth client credentials from the Cyclr console.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
        /// Restricts the token to one account (`scope=account:{id}`).
        scope: Option<String>,
    },
}

/// Lifetime assumed when the token response has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_mins(5);

#[derive(Clone)]
struct CachedToken {
    token: Secret,
    valid_until: Instant,
}

/// Hands out a valid access token, fetching and caching one when needed. With an
/// account-restricted scope, account-level calls get the restricted token and partner-level
/// calls (listing accounts) an unrestricted one, each cached on its own.
pub(crate) struct TokenSource {
    credentials: Credentials,
    cached: Mutex<Option<CachedToken>>,
    /// The unrestricted token, when the credentials ask for a restricted one.
    partner: Mutex<Option<CachedToken>>,
}

impl TokenSource {
    pub(crate) fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            cached: Mutex::new(None),
            partner: Mutex::new(None),
        }
    }

    /// True when a rejected token can be replaced by asking for a new one.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ClientCredentials { .. })
    }

    /// True for a static token, whose 401 means the token itself is bad.
    pub(crate) fn is_static(&self) -> bool {
        matches!(self.credentials, Credentials::Token(_))
    }

    /// A token that is believed valid: the static one, the cached one, or a new one. For
    /// partner-level calls (`partner`), a restricted scope is left out.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        base: &Url,
        partner: bool,
    ) -> Result<Secret, ApiError> {
        let (client_id, client_secret, scope) = match &self.credentials {
            Credentials::Token(token) => return Ok(token.clone()),
            Credentials::ClientCredentials {
                client_id,
                client_secret,
                scope,
            } => (client_id, client_secret, scope),
        };
        let (scope, slot) = if partner && scope.is_some() {
            (&None, &self.partner)
        } else {
            (scope, &self.cached)
        };
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| Instant::now() < c.valid_until) {
            return Ok(c.token.clone());
        }
        let fresh = fetch_token(http, base, client_id, client_secret, scope.as_deref()).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Until when the account calls' cached token is used (a little before it expires);
    /// `None` for a static token or before the first one is fetched.
    pub(crate) async fn valid_until(&self) -> Option<Instant> {
        self.cached.lock().await.as_ref().map(|c| c.valid_until)
    }

    /// Forgets `rejected` (if it is still the cached token) so the next [`Self::token`] fetches anew.
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        for slot in [&self.cached, &self.partner] {
            let mut cached = slot.lock().await;
            if cached.as_ref().is_some_and(|c| &c.token == rejected) {
                *cached = None;
            }
        }
    }
}

/// The token endpoint: `/oauth/token` at the root of the instance (not under `/v1.0`).
pub(crate) fn token_url(base: &Url) -> Url {
    super::http::endpoint(base, &["oauth", "token"])
}

async fn fetch_token(
    http: &reqwest::Client,
    base: &Url,
    client_id: &str,
    client_secret: &Secret,
    scope: Option<&str>,
) -> Result<CachedToken, ApiError> {
    let url = token_url(base);
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", client_secret.expose()),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let started = Instant::now();
    let mut response = http
        .post(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| token_error(super::http::transport_error(&e, &url)))?;
    let status = response.status();
    // A token response is small; a runaway one is cut off, not held.
    let (body, _) = super::http::read_capped(&mut response, TOKEN_BODY_CAP, &url)
        .await
        .map_err(token_error)?;
    if !status.is_success() {
        let message = message_from_body(&body)
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string());
        let hint = match message.as_str() {
            "invalid_client" | "unauthorized_client" => " (client id or secret rejected)",
            _ => "",
        };
        return Err(ApiError::Token {
            status: Some(status.as_u16()),
            message: format!("{} {message}{hint}", status.as_u16()),
        });
    }
    let garbage = |why: &str| ApiError::Token {
        status: Some(status.as_u16()),
        message: format!("the token endpoint answered {} but {why}", status.as_u16()),
    };
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| garbage("its body is not JSON"))?;
    let token = json
        .get("access_token")
        .and_then(|t| t.as_str())
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| garbage("its body has no access_token"))?;
    let lifetime = json
        .get("expires_in")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .map_or(DEFAULT_LIFETIME, Duration::from_secs);
    // Renew a little early: a tenth of the lifetime, at most a minute.
    let margin = (lifetime / 10).min(Duration::from_mins(1));
    Ok(CachedToken {
        token: Secret::new(token),
        valid_until: started + lifetime.saturating_sub(margin),
    })
}

/// The largest token response read.
const TOKEN_BODY_CAP: u64 = 64 * 1024;

/// A failure while talking to the token endpoint, reported as a token failure.
fn token_error(e: ApiError) -> ApiError {
    match e {
        ApiError::Transport { kind, url, detail } => ApiError::Token {
            status: None,
            message: format!("{kind}: {url} ({detail})"),
        },
        ApiError::TooLarge { limit } => ApiError::Token {
            status: None,
            message: format!("the token endpoint sent more than {limit} bytes"),
        },
        other => other,
    }
}
