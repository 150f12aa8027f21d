//! The route table, the `nosniff` header and the .NET-style 404/405 fallbacks.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};

use super::error::message_response;
use super::state::{AppState, ReceivedRequest};
use super::{auth, catalogue, proxy};

/// Builds the sandbox router.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let v1 = Router::new()
        .route("/accounts", get(catalogue::accounts))
        .route("/accounts/{id}", get(catalogue::account))
        .route("/account/connectors", get(catalogue::account_connectors))
        .route(
            "/account/connectors/{id}",
            get(catalogue::account_connector),
        )
        .route(
            "/account/connectors/{id}/properties",
            get(catalogue::account_connector_properties),
        )
        .route(
            "/account/connectors/{id}/methods/{method}",
            get(proxy::call_get).post(proxy::call_post),
        )
        .route(
            "/account/connectors/{id}/methods/{method}/body",
            post(proxy::call_body),
        )
        .route(
            "/account/connectors/{id}/test/{method}",
            get(proxy::call_get).post(proxy::call_post),
        )
        .route("/connectors", get(catalogue::connectors))
        .route("/connectors/{id}", get(catalogue::connector))
        .route(
            "/connectors/{id}/methods",
            get(catalogue::connector_methods),
        )
        .route("/methods/{id}", get(catalogue::method));
    Router::new()
        .route("/oauth/token", post(auth::token))
        .nest("/v1.0", v1)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(nosniff))
        .layer(middleware::from_fn_with_state(state.clone(), record))
        .with_state(state)
}

/// Keeps a note of every request (see [`super::Sandbox::received`]).
async fn record(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_RECORDED_REQUEST).await else {
        return message_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        );
    };
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    st.record(ReceivedRequest {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string()),
        account: header(super::ACCOUNT_HEADER),
        content_type: header(header::CONTENT_TYPE.as_str()),
        body: bytes.clone(),
    });
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// Largest request body the sandbox reads.
const MAX_RECORDED_REQUEST: usize = 64 * 1024 * 1024;

async fn nosniff(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

async fn not_found(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", axum::http::uri::PathAndQuery::as_str);
    message_response(
        StatusCode::NOT_FOUND,
        &format!(
            "No HTTP resource was found that matches the request URI '{}{path}'.",
            st.base_url
        ),
    )
}

async fn method_not_allowed(req: Request) -> Response {
    message_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "The requested resource does not support http method '{}'.",
            req.method()
        ),
    )
}
