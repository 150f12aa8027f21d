//! Deterministic generated data: the benchmark account's many account connectors, a connector
//! with thousands of methods, and large third-party response bodies.

use std::fmt::Write as _;

use super::data::{AccountConnector, Behaviour, Connector, Field, Method};

/// First id used for generated account connectors.
const GENERATED_AC_BASE: i64 = 5_000_000;
/// First id used for generated methods and their parameters.
const GENERATED_METHOD_BASE: i64 = 50_000_000;
const GENERATED_PARAM_BASE: i64 = 60_000_000;

/// Appends `count` account connectors to `account`, cycling over the (non-generated) connectors.
pub(crate) fn account_connectors(
    account: &str,
    count: usize,
    connectors: &[Connector],
    out: &mut Vec<AccountConnector>,
) {
    let pool: Vec<&Connector> = connectors
        .iter()
        .filter(|c| c.methods.len() < 1000)
        .collect();
    if pool.is_empty() {
        return;
    }
    let base = GENERATED_AC_BASE + out.iter().filter(|a| a.id >= GENERATED_AC_BASE).count() as i64;
    out.reserve(count);
    for i in 0..count {
        let c = pool[i % pool.len()];
        out.push(AccountConnector {
            id: base + i as i64 + 1,
            account_id: account.to_owned(),
            connector_id: c.id,
            name: format!("{} {:05}", c.name, i + 1),
            description: Some(format!("Generated account connector {} of {count}.", i + 1)),
            auth_value: None,
            authenticated: i % 3 != 0,
            is_partner_integration_connector: false,
            properties: Vec::new(),
        });
    }
}

const VERBS: [&str; 5] = ["List", "Get", "Create", "Update", "Delete"];
const NOUNS: [&str; 10] = [
    "Widgets",
    "Orders",
    "Invoices",
    "Tickets",
    "Projects",
    "Assets",
    "Leads",
    "Shipments",
    "Payments",
    "Documents",
];

/// Appends `count` generated methods (category per noun, one optional parameter each).
pub(crate) fn methods(connector_id: i64, count: usize, out: &mut Vec<Method>) {
    out.reserve(count);
    for i in 0..count {
        let noun = NOUNS[i % NOUNS.len()];
        let verb = VERBS[(i / NOUNS.len()) % VERBS.len()];
        let n = i as i64 + 1;
        out.push(Method {
            id: GENERATED_METHOD_BASE + n,
            name: format!("{verb} {noun} {:04}", i + 1),
            description: Some(format!(
                "Generated method {} of {count}: {verb} {noun}.",
                i + 1
            )),
            category: Some(noun.to_owned()),
            method_type: "Action".to_owned(),
            end_point: Some(format!(
                "https://bulk.sandbox.invalid/{}/{}",
                noun.to_ascii_lowercase(),
                i + 1
            )),
            method_unique_identifier: format!(
                "00000000-0000-4000-8000-{:012x}",
                (connector_id as u64) << 24 | n as u64
            ),
            parameters: vec![Field {
                id: GENERATED_PARAM_BASE + n,
                name: "Filter".to_owned(),
                description: Some("Optional free-text filter.".to_owned()),
                is_optional: true,
                data_type: "Text".to_owned(),
                target_type: Some("QueryString".to_owned()),
                target_name: Some("q".to_owned()),
                values: None,
                trigger_name: None,
                display_order: 1,
                triggers: None,
            }],
            request_fields: Vec::new(),
            response_fields: Vec::new(),
            behaviour: Behaviour {
                kind: "lookup".to_owned(),
                body: Some(serde_json::json!({ "method": i + 1, "items": [] })),
                ..Behaviour::default()
            },
        });
    }
}

/// Writes records `range` of a generated data set as a JSON array (optionally wrapped in
/// `{"<wrap>": [...], "total": N}`). Each record is ~105 bytes plus `pad` bytes of notes.
pub(crate) fn large_body(
    range: std::ops::Range<usize>,
    total: usize,
    pad: usize,
    wrap: Option<&str>,
) -> String {
    let mut out = String::with_capacity(range.len() * (112 + pad) + 64);
    let notes = "lorem ipsum dolor sit amet ".repeat(pad / 27 + 1);
    let notes = &notes[..pad];
    if let Some(w) = wrap {
        let _ = write!(out, "{{\"total\":{total},{}:", serde_json::Value::from(w));
    }
    out.push('[');
    for (k, i) in range.enumerate() {
        if k > 0 {
            out.push(',');
        }
        let n = i + 1;
        let _ = write!(
            out,
            "{{\"id\":{n},\"name\":\"Record {n:06}\",\"email\":\"user{n:06}@example.test\",\"amount\":{}.{:02},\"created\":\"2024-{:02}-{:02}\"",
            (n * 7919) % 100_000,
            (n * 31) % 100,
            n % 12 + 1,
            n % 28 + 1
        );
        if pad > 0 {
            let _ = write!(out, ",\"notes\":\"{notes}\"");
        }
        out.push('}');
    }
    out.push(']');
    if wrap.is_some() {
        out.push('}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_body_is_json_and_sized() {
        let body = large_body(0..1000, 1000, 0, Some("records"));
        let v: serde_json::Value = serde_json::from_str(&body).expect("valid json");
        assert_eq!(v["records"].as_array().map(Vec::len), Some(1000));
        assert_eq!(v["total"], 1000);
        let per = body.len() / 1000;
        assert!((95..=115).contains(&per), "{per} bytes per record");
        let padded = large_body(5..7, 10, 400, None);
        let v: serde_json::Value = serde_json::from_str(&padded).expect("valid json");
        assert_eq!(v[0]["id"], 6);
        assert_eq!(v[1]["notes"].as_str().map(str::len), Some(400));
    }
}
