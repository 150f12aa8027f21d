//! Read-only endpoints: accounts, account connectors, the connector catalogue and methods.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::auth::{AccountAuth, PartnerAuth};
use super::data::{AccountConnector, Connector, Data, Method, canonical_guid};
use super::encoding::parse_query;
use super::error::ApiError;
use super::paging::PageRequest;
use super::state::AppState;

type ApiResult = Result<Response, ApiError>;

/// `GET /v1.0/accounts` (partner level, paged).
pub(crate) async fn accounts(
    State(st): State<Arc<AppState>>,
    _auth: PartnerAuth,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let query = parse_query(q.as_deref());
    let req = PageRequest::from_query(&query, &st.settings)?;
    let items = &st.data.accounts;
    let page: Vec<&serde_json::Map<String, Value>> =
        req.slice(items).iter().map(|a| &a.json).collect();
    Ok(req.response(page, items.len()))
}

/// `GET /v1.0/accounts/{id}` (partner level).
pub(crate) async fn account(
    State(st): State<Arc<AppState>>,
    _auth: PartnerAuth,
    Path(id): Path<String>,
) -> ApiResult {
    let a = st
        .data
        .account(&id)
        .ok_or_else(|| ApiError::not_found(format!("Account '{id}' was not found.")))?;
    Ok(Json(&a.json).into_response())
}

/// `GET /v1.0/account/connectors` (paged).
pub(crate) async fn account_connectors(
    State(st): State<Arc<AppState>>,
    auth: AccountAuth,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let query = parse_query(q.as_deref());
    let req = PageRequest::from_query(&query, &st.settings)?;
    let all = st.data.account_connectors_of(&auth.account_id);
    let page: Vec<Value> = req
        .slice(&all)
        .iter()
        .map(|ac| st.data.account_connector_json(ac))
        .collect();
    Ok(req.response(page, all.len()))
}

/// Parses an integer path id, or answers 404 like an unmatched .NET route constraint.
pub(crate) fn int_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::not_found(format!("{what} '{raw}' was not found.")))
}

/// The account connector a path names, in the caller's account; 404 otherwise.
fn find_account_connector<'a>(
    st: &'a AppState,
    auth: &AccountAuth,
    id: &str,
) -> Result<&'a AccountConnector, ApiError> {
    let n = int_id(id, "Account connector")?;
    st.data
        .account_connector(&auth.account_id, n)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Account connector {n} was not found in this account."
            ))
        })
}

/// `GET /v1.0/account/connectors/{id}`.
pub(crate) async fn account_connector(
    State(st): State<Arc<AppState>>,
    auth: AccountAuth,
    Path(id): Path<String>,
) -> ApiResult {
    let ac = find_account_connector(&st, &auth, &id)?;
    Ok(Json(st.data.account_connector_json(ac)).into_response())
}

/// `GET /v1.0/account/connectors/{id}/properties`: the account connector's `Properties`
/// (not paged).
pub(crate) async fn account_connector_properties(
    State(st): State<Arc<AppState>>,
    auth: AccountAuth,
    Path(id): Path<String>,
) -> ApiResult {
    let ac = find_account_connector(&st, &auth, &id)?;
    Ok(Json(Data::properties_json(ac)).into_response())
}

fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    haystack.to_lowercase().contains(needle_lower)
}

fn filter_value(query: &std::collections::HashMap<String, String>, key: &str) -> Option<String> {
    query
        .get(key)
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
}

/// `GET /v1.0/connectors` (paged; `query` on name, `category` on Categories).
pub(crate) async fn connectors(
    State(st): State<Arc<AppState>>,
    _auth: AccountAuth,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let query = parse_query(q.as_deref());
    let req = PageRequest::from_query(&query, &st.settings)?;
    let text = filter_value(&query, "query");
    let category = filter_value(&query, "category");
    let all: Vec<&Connector> = st
        .data
        .connectors
        .iter()
        .filter(|c| text.as_deref().is_none_or(|t| contains_ci(&c.name, t)))
        .filter(|c| {
            category
                .as_deref()
                .is_none_or(|cat| c.categories.iter().any(|x| x.to_lowercase() == cat))
        })
        .collect();
    let page: Vec<&serde_json::Map<String, Value>> =
        req.slice(&all).iter().map(|c| &c.json).collect();
    Ok(req.response(page, all.len()))
}

/// Finds connectors by release id, or (for a non-numeric path segment) by name.
fn find_connectors<'a>(st: &'a AppState, raw: &str) -> Result<Vec<&'a Connector>, ApiError> {
    let not_found = || ApiError::not_found(format!("Connector '{raw}' was not found."));
    if let Ok(id) = raw.trim().parse::<i64>() {
        return st.data.connector(id).map(|c| vec![c]).ok_or_else(not_found);
    }
    let found: Vec<&Connector> = st
        .data
        .connectors
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(raw.trim()))
        .collect();
    if found.is_empty() {
        Err(not_found())
    } else {
        Ok(found)
    }
}

/// `GET /v1.0/connectors/{id}`: one release as an object; by name: an array of releases.
pub(crate) async fn connector(
    State(st): State<Arc<AppState>>,
    _auth: AccountAuth,
    Path(id): Path<String>,
) -> ApiResult {
    let found = find_connectors(&st, &id)?;
    if id.trim().parse::<i64>().is_ok() {
        Ok(Json(&found[0].json).into_response())
    } else {
        Ok(Json(found.iter().map(|c| &c.json).collect::<Vec<_>>()).into_response())
    }
}

/// `GET /v1.0/connectors/{id}/methods` (not paged; `query` on name/description, `category`).
pub(crate) async fn connector_methods(
    State(st): State<Arc<AppState>>,
    _auth: AccountAuth,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let found = find_connectors(&st, &id)?;
    let connector = found
        .iter()
        .max_by_key(|c| c.id)
        .copied()
        .ok_or_else(|| ApiError::not_found(format!("Connector '{id}' was not found.")))?;
    let query = parse_query(q.as_deref());
    let text = filter_value(&query, "query");
    let category = filter_value(&query, "category");
    let methods: Vec<&Method> = connector
        .methods
        .iter()
        .filter(|m| {
            text.as_deref().is_none_or(|t| {
                contains_ci(&m.name, t)
                    || m.description.as_deref().is_some_and(|d| contains_ci(d, t))
            })
        })
        .filter(|m| {
            category.as_deref().is_none_or(|cat| {
                m.category
                    .as_deref()
                    .is_some_and(|c| c.to_lowercase() == cat)
            })
        })
        .collect();
    Ok(Json(methods).into_response())
}

/// How a `{methodId}` path segment names a method.
#[derive(Debug, Clone)]
pub(crate) enum MethodRef {
    Id(i64),
    Guid(String),
}

/// Parses a numeric `Id` or a `MethodUniqueIdentifier`; anything else → 400.
pub(crate) fn parse_method_ref(raw: &str) -> Result<MethodRef, ApiError> {
    let s = raw.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map(MethodRef::Id).map_err(|_| {
            ApiError::bad_request(format!(
                "The request is invalid: method id '{raw}' is out of range."
            ))
        });
    }
    canonical_guid(s).map(MethodRef::Guid).ok_or_else(|| {
        ApiError::bad_request(format!(
            "The request is invalid: '{raw}' is not a valid method id (expected an integer Id or a MethodUniqueIdentifier GUID)."
        ))
    })
}

/// Resolves a method reference, 404 when unknown.
pub(crate) fn resolve_method<'a>(
    st: &'a AppState,
    raw: &str,
) -> Result<(&'a Connector, &'a Method), ApiError> {
    let found = match parse_method_ref(raw)? {
        MethodRef::Id(id) => st.data.method(id),
        MethodRef::Guid(g) => st.data.method_by_guid(&g),
    };
    found.ok_or_else(|| ApiError::not_found(format!("Method '{raw}' was not found.")))
}

/// `GET /v1.0/methods/{methodId}`.
pub(crate) async fn method(
    State(st): State<Arc<AppState>>,
    _auth: AccountAuth,
    Path(id): Path<String>,
) -> ApiResult {
    let (_, m) = resolve_method(&st, &id)?;
    Ok(Json(m).into_response())
}
