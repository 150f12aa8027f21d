//! `page` / `pageSize` query parameters and `Total-Pages` / `Total-Records` headers.

use std::collections::HashMap;

use axum::Json;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::ApiError;
use super::state::Settings;

/// A validated page request (1-based page).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageRequest {
    pub page: usize,
    pub size: usize,
}

fn positive(
    query: &HashMap<String, String>,
    key: &str,
    name: &str,
) -> Result<Option<usize>, ApiError> {
    match query.get(key).map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(ApiError::bad_request(format!(
                "The request is invalid: '{s}' is not a valid value for {name} (expected a whole number of 1 or more)."
            ))),
        },
    }
}

impl PageRequest {
    /// Reads `page` and `pageSize` (keys already lower-cased); `pageSize` is clamped to the maximum.
    pub fn from_query(
        query: &HashMap<String, String>,
        settings: &Settings,
    ) -> Result<Self, ApiError> {
        let page = positive(query, "page", "page")?.unwrap_or(1);
        let size = positive(query, "pagesize", "pageSize")?
            .unwrap_or(settings.default_page_size)
            .clamp(1, settings.max_page_size.max(1));
        Ok(Self { page, size })
    }

    /// The slice of `items` on this page (empty past the end).
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = (self.page - 1).saturating_mul(self.size).min(items.len());
        let end = start.saturating_add(self.size).min(items.len());
        &items[start..end]
    }

    /// A bare JSON array response with the paging headers for `total` items.
    pub fn response<T: Serialize>(&self, body: Vec<T>, total: usize) -> Response {
        let pages = total.div_ceil(self.size);
        let mut resp = Json(body).into_response();
        let h = resp.headers_mut();
        h.insert("Total-Pages", HeaderValue::from(pages));
        h.insert("Total-Records", HeaderValue::from(total));
        resp
    }
}
