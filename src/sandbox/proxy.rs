//! Proxy and test endpoints: `…/account/connectors/{id}/methods/{methodId}[/body]` and
//! `…/test/{methodId}`: auth, IP allow-list, method resolution and body validation.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value};

use super::auth::AccountAuth;
use super::behaviour;
use super::catalogue::{int_id, resolve_method};
use super::data::{Field, Method};
use super::error::ApiError;
use super::state::AppState;

/// The Cyclr message for a caller outside the account's IP allow-list.
pub(crate) const IP_MESSAGE: &str =
    "Unknown client IP Address: contact support to request access for this IP address";

/// Validated inputs of a call: parameter/field id → value.
#[derive(Debug, Default)]
pub(crate) struct CallInput {
    pub parameters: HashMap<i64, String>,
    pub fields: HashMap<i64, String>,
}

/// How the request carried its inputs.
enum Body {
    /// Legacy GET: no body.
    None,
    /// `{"Parameters":…, "Fields":…}` JSON.
    Json(Bytes),
    /// `/body` variant: a raw string that must hold a JSON object.
    Raw(Bytes),
    /// `/body` variant with a non-JSON payload (XML, text), passed through untouched.
    Opaque { content_type: String, bytes: Bytes },
}

type Ids = Path<(String, String)>;
type Peer = ConnectInfo<SocketAddr>;

/// `GET …/methods/{methodId}` (legacy, no body).
pub(crate) async fn call_get(
    State(st): State<Arc<AppState>>,
    auth: AccountAuth,
    ConnectInfo(peer): Peer,
    Path((ac, m)): Ids,
) -> Result<Response, ApiError> {
    run(&st, &auth, peer, &ac, &m, Body::None).await
}

/// `POST …/methods/{methodId}` and `POST …/test/{methodId}`.
pub(crate) async fn call_post(
    State(st): State<Arc<AppState>>,
    auth: AccountAuth,
    ConnectInfo(peer): Peer,
    Path((ac, m)): Ids,
    body: Bytes,
) -> Result<Response, ApiError> {
    run(&st, &auth, peer, &ac, &m, Body::Json(body)).await
}

/// `POST …/methods/{methodId}/body`: the body is passed to the connector as it is. A JSON
/// body is read as Parameters and Fields; anything else (XML, text) is taken as the
/// third-party payload and acknowledged with what arrived.
pub(crate) async fn call_body(
    State(st): State<Arc<AppState>>,
    auth: AccountAuth,
    ConnectInfo(peer): Peer,
    Path((ac, m)): Ids,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_string();
    if content_type.contains("json") {
        return run(&st, &auth, peer, &ac, &m, Body::Raw(body)).await;
    }
    run(
        &st,
        &auth,
        peer,
        &ac,
        &m,
        Body::Opaque {
            content_type,
            bytes: body,
        },
    )
    .await
}

async fn run(
    st: &AppState,
    auth: &AccountAuth,
    peer: SocketAddr,
    ac_raw: &str,
    method_raw: &str,
    body: Body,
) -> Result<Response, ApiError> {
    let ac_id = int_id(ac_raw, "Account connector")?;
    let ac = st
        .data
        .account_connector(&auth.account_id, ac_id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Account connector {ac_id} was not found in this account."
            ))
        })?;
    if !ac.is_partner_integration_connector {
        let allowed = st
            .data
            .account(&auth.account_id)
            .is_some_and(|a| ip_allowed(peer.ip(), &a.ip_allow_list));
        if !allowed {
            return Err(ApiError::new(StatusCode::FORBIDDEN, IP_MESSAGE));
        }
    }
    let (connector, method) = resolve_method(st, method_raw)?;
    if connector.id != ac.connector_id {
        return Err(ApiError::not_found(format!(
            "Method '{method_raw}' was not found for account connector {ac_id} (connector {}).",
            ac.connector_id
        )));
    }
    let input = match body {
        Body::None => CallInput::default(),
        Body::Json(bytes) => parse_call_body(&bytes, method)?,
        Body::Raw(bytes) => parse_call_body(&raw_to_json(&bytes)?, method)?,
        Body::Opaque {
            content_type,
            bytes,
        } => {
            let received = serde_json::json!({
                "method": method.name,
                "receivedContentType": content_type,
                "receivedBytes": bytes.len(),
                "received": String::from_utf8_lossy(&bytes),
            });
            return Ok(axum::response::IntoResponse::into_response(axum::Json(
                received,
            )));
        }
    };
    check_required(method, &input)?;
    Ok(behaviour::execute(st, ac, method, &input).await)
}

/// The `/body` variant accepts a JSON object, or a JSON string containing one.
fn raw_to_json(bytes: &[u8]) -> Result<Vec<u8>, ApiError> {
    let invalid = || {
        ApiError::bad_request(
            "The request is invalid: the body must be a JSON object (optionally sent as a JSON string) with Parameters and Fields.",
        )
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(b"{}".to_vec());
    }
    match serde_json::from_slice::<Value>(bytes).map_err(|_| invalid())? {
        Value::Object(_) => Ok(bytes.to_vec()),
        Value::String(inner) => match serde_json::from_str::<Value>(&inner) {
            Ok(Value::Object(_)) => Ok(inner.into_bytes()),
            _ => Err(invalid()),
        },
        _ => Err(invalid()),
    }
}

/// Parses `{"Parameters":{"<id>":"v"},"Fields":{…},"Mergefields":{…}}`; `{}` and an empty body are valid.
pub(crate) fn parse_call_body(bytes: &[u8], method: &Method) -> Result<CallInput, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(CallInput::default());
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "The request is invalid: the body is not valid JSON ({e})."
        ))
    })?;
    let obj = match value {
        Value::Object(o) => o,
        Value::Null => return Ok(CallInput::default()),
        _ => {
            return Err(ApiError::bad_request(
                "The request is invalid: the body must be a JSON object.",
            ));
        }
    };
    let mut input = CallInput::default();
    for (key, v) in &obj {
        if key.eq_ignore_ascii_case("Parameters") {
            input.parameters = id_map(v, &method.parameters, "Parameters", "parameter", method)?;
        } else if key.eq_ignore_ascii_case("Fields") {
            input.fields = id_map(v, &method.request_fields, "Fields", "request field", method)?;
        }
        // Mergefields and unknown members are accepted and ignored, like .NET model binding.
    }
    Ok(input)
}

fn id_map(
    v: &Value,
    allowed: &[Field],
    member: &str,
    what: &str,
    method: &Method,
) -> Result<HashMap<i64, String>, ApiError> {
    let obj: &Map<String, Value> = match v {
        Value::Null => return Ok(HashMap::new()),
        Value::Object(o) => o,
        _ => {
            return Err(ApiError::bad_request(format!(
                "The request is invalid: {member} must be an object of id → value."
            )));
        }
    };
    let mut out = HashMap::with_capacity(obj.len());
    for (key, value) in obj {
        let id = key
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| allowed.iter().any(|f| f.id == *id))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "'{key}' is not a {what} id of method {} ({}).",
                    method.id, method.name
                ))
            })?;
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "The value of {what} {key} must be a string, number or boolean."
                )));
            }
        };
        out.insert(id, text);
    }
    Ok(out)
}

fn check_required(method: &Method, input: &CallInput) -> Result<(), ApiError> {
    for (list, given, what) in [
        (&method.parameters, &input.parameters, "parameter"),
        (&method.request_fields, &input.fields, "field"),
    ] {
        if let Some(f) = list
            .iter()
            .find(|f| !f.is_optional && given.get(&f.id).is_none_or(|v| v.trim().is_empty()))
        {
            return Err(ApiError::bad_request(format!(
                "Required {what} '{}' (Id {}) is missing.",
                f.name, f.id
            )));
        }
    }
    Ok(())
}

/// True if `ip` matches an allow-list entry (exact address or CIDR block).
pub(crate) fn ip_allowed(ip: IpAddr, list: &[String]) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    };
    list.iter().any(|entry| {
        let (addr, bits) = match entry.split_once('/') {
            Some((a, b)) => (a, b.trim().parse::<u32>().ok()),
            None => (entry.as_str(), None),
        };
        let Ok(net) = addr.trim().parse::<IpAddr>() else {
            return false;
        };
        match (ip, net) {
            (IpAddr::V4(a), IpAddr::V4(n)) => prefix_eq(
                u32::from(a).into(),
                u32::from(n).into(),
                bits.unwrap_or(32),
                32,
            ),
            (IpAddr::V6(a), IpAddr::V6(n)) => {
                prefix_eq(u128::from(a), u128::from(n), bits.unwrap_or(128), 128)
            }
            _ => false,
        }
    })
}

fn prefix_eq(a: u128, b: u128, bits: u32, width: u32) -> bool {
    let bits = bits.min(width);
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_matching() {
        let list = vec![
            "203.0.113.0/24".to_owned(),
            "198.51.100.7".to_owned(),
            "::1".to_owned(),
        ];
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert!(ip_allowed(ip("203.0.113.99"), &list));
        assert!(ip_allowed(ip("198.51.100.7"), &list));
        assert!(ip_allowed(ip("::1"), &list));
        assert!(!ip_allowed(ip("127.0.0.1"), &list));
        assert!(!ip_allowed(ip("198.51.100.8"), &list));
        assert!(ip_allowed(ip("::ffff:203.0.113.5"), &list));
    }
}
