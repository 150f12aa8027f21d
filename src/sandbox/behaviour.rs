//! Runs a method's `Behaviour` against the account connector's in-memory dataset and
//! builds the (simulated) third-party response.

use std::time::Duration;

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::data::{AccountConnector, Behaviour, Field, Method};
use super::error::message_response;
use super::generate::large_body;
use super::proxy::CallInput;
use super::state::{AppState, Dataset};

/// Executes `method` for `ac` with validated `input`.
pub(crate) async fn execute(
    st: &AppState,
    ac: &AccountConnector,
    method: &Method,
    input: &CallInput,
) -> Response {
    let b = &method.behaviour;
    match b.kind.as_str() {
        "list" | "get" | "create" | "update" | "delete" => {
            st.with_dataset(ac.id, ac.connector_id, |ds| records(ds, method, input))
        }
        "lookup" | "hostile" => json_body(b.body.clone().unwrap_or(Value::Null)),
        "echo" => echo(method, input),
        "slow" => {
            tokio::time::sleep(Duration::from_millis(b.delay_ms.unwrap_or(4000))).await;
            json_body(b.body.clone().unwrap_or(Value::Null))
        }
        "large" => large(method, input).await,
        "html_error" => (
            status(b.status, StatusCode::BAD_GATEWAY),
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body_text(b),
        )
            .into_response(),
        "text" => (
            status(b.status, StatusCode::OK),
            [(
                header::CONTENT_TYPE,
                b.content_type
                    .clone()
                    .unwrap_or_else(|| "text/plain; charset=utf-8".to_owned()),
            )],
            body_text(b),
        )
            .into_response(),
        "error" => (
            status(b.status, StatusCode::INTERNAL_SERVER_ERROR),
            Json(b.body.clone().unwrap_or(Value::Null)),
        )
            .into_response(),
        other => message_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "Sandbox data error: method {} has unknown behaviour '{other}'.",
                method.id
            ),
        ),
    }
}

fn status(code: Option<u16>, default: StatusCode) -> StatusCode {
    code.and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(default)
}

fn body_text(b: &Behaviour) -> String {
    match &b.body {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn json_body(v: Value) -> Response {
    Json(v).into_response()
}

fn param(input: &CallInput, id: Option<i64>) -> Option<&str> {
    id.and_then(|id| input.parameters.get(&id))
        .map(String::as_str)
}

fn param_usize(input: &CallInput, id: Option<i64>) -> Option<usize> {
    param(input, id)
        .and_then(|s| s.trim().parse().ok())
        .filter(|&n| n > 0)
}

async fn large(method: &Method, input: &CallInput) -> Response {
    let b = &method.behaviour;
    let total = b.count.unwrap_or(100_000);
    let pad = b.pad_bytes.unwrap_or(0);
    let range = if b.page_parameter.is_some() || b.page_size_parameter.is_some() {
        let page = param_usize(input, b.page_parameter).unwrap_or(1);
        let size = param_usize(input, b.page_size_parameter)
            .or(b.default_page_size)
            .unwrap_or(100);
        let start = (page - 1).saturating_mul(size).min(total);
        start..start.saturating_add(size).min(total)
    } else {
        0..total
    };
    let wrap = b.wrap.clone();
    // Building tens of megabytes is CPU work: keep it off the async worker threads.
    let body =
        tokio::task::spawn_blocking(move || large_body(range, total, pad, wrap.as_deref())).await;
    match body {
        Ok(text) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            text,
        )
            .into_response(),
        Err(e) => message_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Sandbox error: {e}"),
        ),
    }
}

fn echo(method: &Method, input: &CallInput) -> Response {
    let named =
        |list: &[Field], given: &std::collections::HashMap<i64, String>| -> Map<String, Value> {
            list.iter()
                .filter_map(|f| {
                    given
                        .get(&f.id)
                        .map(|v| (f.name.clone(), Value::String(v.clone())))
                })
                .collect()
        };
    json_body(serde_json::json!({
        "method": method.name,
        "url": method.end_point,
        "parameters": named(&method.parameters, &input.parameters),
        "fields": named(&method.request_fields, &input.fields),
    }))
}

fn not_found_3p(entity: &str, id: &str) -> Response {
    message_response(
        StatusCode::NOT_FOUND,
        &format!("The requested resource does not exist: no {entity} record with id '{id}'."),
    )
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads a dotted path (`properties.email`).
fn get_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |cur, key| cur.get(key))
}

/// Writes a dotted path, creating objects on the way.
fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            target.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = target
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(m) = child {
                set_path(m, rest, value);
            }
        }
    }
}

/// Converts a string input to the field's data type where it parses.
fn typed(field: &Field, raw: &str) -> Value {
    let t = raw.trim();
    match field.data_type.as_str() {
        "Integer" => t.parse::<i64>().map_or_else(|_| raw.into(), Value::from),
        "Float" | "Decimal" => t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| raw.into(), Value::Number),
        "Boolean" => match t.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            _ => raw.into(),
        },
        _ => raw.into(),
    }
}

fn apply_fields(record: &mut Map<String, Value>, method: &Method, input: &CallInput) {
    for f in &method.request_fields {
        if let Some(v) = input.fields.get(&f.id) {
            let key = f.target_name.as_deref().unwrap_or(&f.name);
            set_path(record, key, typed(f, v));
        }
    }
}

fn wrap_one(b: &Behaviour, record: Value) -> Value {
    match &b.wrap_one {
        Some(k) => serde_json::json!({ k.as_str(): record }),
        None => record,
    }
}

fn next_id(ds: &mut Dataset, list: &[Value], id_key: &str, prefix: Option<&str>) -> Value {
    let numeric: Option<Vec<i64>> = list
        .iter()
        .map(|r| r.get(id_key).and_then(Value::as_i64))
        .collect();
    match numeric {
        Some(ids) if !ids.is_empty() && prefix.is_none() => {
            Value::from(ids.into_iter().max().unwrap_or(0) + 1)
        }
        _ => {
            let seq = ds.next_seq;
            ds.next_seq += 1;
            match prefix {
                Some(p) => Value::String(format!("{p}{seq:03}")),
                None => Value::String(format!("{}", 100_000 + seq)),
            }
        }
    }
}

/// `list` / `get` / `create` / `update` / `delete` on the dataset.
fn records(ds: &mut Dataset, method: &Method, input: &CallInput) -> Response {
    let b = &method.behaviour;
    let entity = b.entity.clone().unwrap_or_else(|| "records".to_owned());
    let id_key = b.id_key.clone().unwrap_or_else(|| "Id".to_owned());
    let wanted = param(input, b.id_parameter)
        .map_or("", str::trim)
        .to_owned();
    let mut list = ds.entities.remove(&entity).unwrap_or_default();
    let position = list
        .iter()
        .position(|r| r.get(&id_key).map(id_text).as_deref() == Some(wanted.as_str()));
    let resp = match b.kind.as_str() {
        "list" => list_response(b, &list, input),
        "get" => match position {
            Some(i) => json_body(wrap_one(b, list[i].clone())),
            None => not_found_3p(&entity, &wanted),
        },
        "create" => {
            let mut record = Map::new();
            let id = next_id(ds, &list, &id_key, b.id_prefix.as_deref());
            record.insert(id_key.clone(), id);
            apply_fields(&mut record, method, input);
            let record = Value::Object(record);
            list.push(record.clone());
            json_body(wrap_one(b, record))
        }
        "update" => match position.and_then(|i| list.get_mut(i)) {
            Some(Value::Object(record)) => {
                apply_fields(record, method, input);
                json_body(wrap_one(b, Value::Object(record.clone())))
            }
            _ => not_found_3p(&entity, &wanted),
        },
        _ => match position {
            Some(i) => {
                list.remove(i);
                json_body(serde_json::json!({ "id": wanted, "deleted": true }))
            }
            None => not_found_3p(&entity, &wanted),
        },
    };
    ds.entities.insert(entity, list);
    resp
}

/// True unless the behaviour's `Since` parameter is given and the record's date is before
/// it (or missing). ISO 8601 dates of one format compare as text.
fn since(b: &Behaviour, record: &Value, input: &CallInput) -> bool {
    let Some(filter) = &b.since else {
        return true;
    };
    match param(input, Some(filter.parameter)).map(str::trim) {
        None | Some("") => true,
        Some(from) => get_path(record, &filter.key)
            .and_then(Value::as_str)
            .is_some_and(|date| date >= from),
    }
}

fn list_response(b: &Behaviour, list: &[Value], input: &CallInput) -> Response {
    let filtered: Vec<&Value> = list
        .iter()
        .filter(|r| {
            b.filters
                .iter()
                .all(|f| match param(input, Some(f.parameter)) {
                    None => true,
                    Some(want) => {
                        let have = get_path(r, &f.key).map(id_text).unwrap_or_default();
                        want.split(',')
                            .any(|w| w.trim().eq_ignore_ascii_case(&have))
                    }
                })
        })
        .filter(|r| since(b, r, input))
        .collect();
    let total = filtered.len();
    let page = param_usize(input, b.page_parameter);
    let size = param_usize(input, b.page_size_parameter);
    let items: Vec<Value> = match (page, size) {
        (None, None) => filtered.into_iter().cloned().collect(),
        (p, s) => {
            let size = s.unwrap_or(b.default_page_size.unwrap_or(20));
            let start = (p.unwrap_or(1) - 1).saturating_mul(size);
            filtered
                .into_iter()
                .skip(start)
                .take(size)
                .cloned()
                .collect()
        }
    };
    let body = match &b.wrap {
        None => Value::Array(items),
        Some(key) => {
            let mut m = b.extra.clone().unwrap_or_default();
            if let Some(t) = &b.total_key {
                m.insert(t.clone(), Value::from(total));
            }
            m.insert(key.clone(), Value::Array(items));
            Value::Object(m)
        }
    };
    json_body(body)
}
