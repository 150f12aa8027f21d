//! Property tests (proptest): whatever the server sends and whatever is typed, nothing panics,
//! secrets stay masked, and only inert text reaches the terminal.
//!
//! 1. Decoding: arbitrary bytes, JSON-token soup and arbitrary JSON values (odd strings,
//!    huge numbers, deep nesting) as every model, through `decode`/`decode_list` and
//!    `serde_json::from_slice` directly; secrets under `AuthValue` (any case, anywhere) never
//!    show in `raw` or `Debug`.
//! 2. Text: `pretty_json`, `reindent`, `Lines`, `ResponseDoc::new`, `message_from_body`,
//!    `highlight_json_line` and `text::{inert, inert_multiline, truncate}` on arbitrary input,
//!    with their round-trip and inertness promises.
//! 3. The renderer: arbitrary app states drawn on a `TestBackend` at sizes from 1×1 to
//!    300×100 never panic and leave no unsafe character (`text::is_unsafe`) in any cell.
//! 4. The editor: invalid, huge, deeply nested and odd-Unicode bodies typed or pasted through
//!    `App::update` are refused with a line:column error and kept exactly; valid ones are sent
//!    as they are (plain tests, plus one property).
//!
//! Case counts (see `config`): 256 for each of the 5 decoding and 8 text properties, 192 app
//! states for each of the 2 renderer properties (each state drawn at 3 sizes), 128 for the
//! editor property. Deterministic: a fixed `ChaCha` seed (`PROPTEST_RNG_SEED` and
//! `PROPTEST_CASES` still override it), no regression files; a failure prints the shrunk
//! minimal input. Measured with `cargo test --release --test properties` on the 2-core
//! machine, the test binary alone: 4.5 s as it stands (the renderer properties stop at their
//! first failure, see the end of this file), 5.5 s with every property passing (the 5 MB,
//! 120,000-line and 17 MB plain tests included). Run with `PROPTEST_CASES=3000` they took 9 s
//! and found nothing beyond what is described at the end of this file. A debug build
//! (`cargo test`) takes about 45 s, mostly the huge-paste tests.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cyclr_tui::action::{Action, Pane};
use cyclr_tui::app::{App, Connection, InFlight, Loadable, Outcome, Tab};
use cyclr_tui::cyclr::model::{decode, decode_list};
use cyclr_tui::cyclr::{
    Account, AccountConnector, CallRequest, CallResponse, Connector, Endpoint, Method, MethodRef,
    PageProgress, Parameter, Property, SentRequest, Verb, message_from_body,
};
use cyclr_tui::document::{Lines, ResponseDoc, pretty_json, reindent};
use cyclr_tui::effect::Effect;
use cyclr_tui::msg::Msg;
use cyclr_tui::outline::{Outline, path_at};
use cyclr_tui::text::{inert, inert_multiline, is_unsafe, truncate};
use cyclr_tui::ui::{self, ViewState, highlight_json_line};
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, RngSeed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::{Value, json};
use std::fmt::Debug;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::with_method_chosen;

// --- Configuration ----------------------------------------------------------------------

/// The fixed seed used unless `PROPTEST_RNG_SEED` is set.
const SEED: u64 = 0x00C1_C1C1_7E57;

/// `cases` cases (unless `PROPTEST_CASES` says otherwise) from a fixed seed, without
/// regression files; shrinking is bounded so a failure reports quickly.
fn config(cases: u32) -> ProptestConfig {
    let env = ProptestConfig::default(); // reads the PROPTEST_* variables
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            env.cases
        } else {
            cases
        },
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: match env.rng_seed {
            RngSeed::Random => RngSeed::Fixed(SEED),
            fixed @ RngSeed::Fixed(_) => fixed,
        },
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..env
    }
}

// --- Strategies: hostile text -----------------------------------------------------------

/// Pieces of text a hostile or careless server (or a user's paste) may send: escape
/// sequences (CSI, OSC 52, OSC 8), C0/C1 controls, bidi overrides and isolates, zero-width
/// and invisible characters, wide and combining characters, RTL scripts, JSON punctuation.
const PIECES: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}[31m",
    "\u{1b}]52;c;aGVsbG8=\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}P+q\u{1b}\\",
    "\u{9b}31m",
    "\u{9d}0;title\u{9c}",
    "\u{85}",
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u{b}",
    "\u{c}",
    "\u{7f}",
    "\u{202a}",
    "\u{202b}",
    "\u{202c}",
    "\u{202d}",
    "\u{202e}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{61c}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{200e}",
    "\u{200f}",
    "\u{2060}",
    "\u{2064}",
    "\u{feff}",
    "\u{fff9}",
    "\u{fffb}",
    "\u{2028}",
    "\u{2029}",
    "\u{fffd}",
    "\u{e000}",
    "\u{10ffff}",
    "日本語",
    "ｗｉｄｅ",
    "🎉",
    "👨\u{200d}👩\u{200d}👧",
    "🇫🇷",
    "e\u{301}",
    "\u{301}\u{302}\u{303}",
    "Z\u{351}\u{34b}\u{35b}",
    "עברית",
    "العربية",
    "ﷺ",
    "𒐫",
    "a",
    "Name",
    "x y",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    "\\\"",
    "\\u0000",
    "\\ud800",
    ":",
    ",",
    " ",
    "0",
    "-1.5e3",
    "true",
    "null",
    "data:image/png;base64,AAAA",
];

/// A string glued from hostile pieces, arbitrary characters and printable ASCII.
fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_string),
            2 => any::<char>().prop_map(String::from),
            1 => "[ -~]{0,12}",
        ],
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

/// Short hostile text, for names and labels.
fn short_hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-zA-Z ]{0,6}",
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

// --- Strategies: JSON ----------------------------------------------------------------------

/// Numbers at the edges of what JSON and f64 hold.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-0.0",
    "1e308",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "5e-324",
    "1e-400",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890123456789",
    "0.1000000000000000055511151231257827",
    "4.0E+2",
];

/// Keys the models read (and secret keys in several cases), plus hostile ones.
const KEYS: &[&str] = &[
    "Id",
    "Name",
    "Description",
    "Timezone",
    "CreatedDate",
    "Authenticated",
    "IsPartnerIntegrationConnector",
    "Connector",
    "Properties",
    "AuthValue",
    "authValue",
    "Value",
    "Version",
    "Status",
    "AuthType",
    "OAuth2Type",
    "AuthScheme",
    "Categories",
    "Category",
    "MethodType",
    "EndPoint",
    "HttpMethod",
    "MethodUniqueIdentifier",
    "Parameters",
    "RequestFields",
    "ResponseFields",
    "IsOptional",
    "DataType",
    "Values",
    "TriggerName",
    "TargetType",
    "TargetName",
    "IsSensitive",
    "Icon",
    "Message",
    "",
];

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => short_hostile(),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        1 => prop::sample::select(NUMBERS).prop_filter_map("in range", |n| serde_json::from_str(n).ok()),
        1 => "-?[0-9]{1,6}".prop_map(Value::String),
        4 => hostile().prop_map(Value::String),
    ]
}

/// Arbitrary JSON: objects keyed like Cyclr's, arrays, odd strings, edge numbers.
fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// `value` wrapped in `depth` arrays or objects: deeper than `serde_json`'s limit of 128.
fn nested(value: Value, depth: usize, objects: bool) -> Value {
    (0..depth).fold(value, |v, _| {
        if objects {
            json!({ "Connector": v })
        } else {
            Value::Array(vec![v])
        }
    })
}

/// Levels of arrays and objects in `value` (a scalar has none).
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

/// Bytes that are mostly JSON tokens, so the parser gets past the first byte.
fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(&[
                "{", "}", "[", "]", ",", ":", "\"", "\"Id\"", "\"Name\"", "\"AuthValue\"",
                "\"Connector\"", "\"Parameters\"", "\"Values\"", "null", "true", "fals", "1",
                "-", "1e999", "0.5", "\\u", "\\ud800", " ", "\n",
            ][..]).prop_map(|s: &str| s.as_bytes().to_vec()),
            1 => any::<u8>().prop_map(|b| vec![b]),
            1 => hostile().prop_map(String::into_bytes),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// Serialized JSON, compact or pretty, sometimes cut short or with one byte changed.
fn json_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        json_value(),
        any::<bool>(),
        0..4u8,
        any::<prop::sample::Index>(),
        any::<u8>(),
    )
        .prop_map(|(value, pretty, damage, at, byte)| {
            let mut bytes = if pretty {
                serde_json::to_vec_pretty(&value)
            } else {
                serde_json::to_vec(&value)
            }
            .expect("a Value serializes");
            match damage {
                1 if !bytes.is_empty() => bytes.truncate(at.index(bytes.len())),
                2 if !bytes.is_empty() => {
                    let i = at.index(bytes.len());
                    bytes[i] = byte;
                }
                _ => {}
            }
            bytes
        })
}

// --- 1. Decoding ------------------------------------------------------------------------------

/// Decodes one model and formats it, as the panes and the CLI do.
fn decode_one<T: cyclr_tui::cyclr::model::Model + Debug>(value: &Value) -> (String, String) {
    let model: T = decode(value.clone());
    let listed: Option<Vec<T>> = decode_list(value.clone());
    let wrapped: Option<Vec<T>> = decode_list(Value::Array(vec![value.clone(), Value::Null]));
    assert_eq!(wrapped.map(|w| w.len()), Some(2));
    if let (Value::Array(items), Some(listed)) = (value, &listed) {
        assert_eq!(items.len(), listed.len());
    }
    (format!("{model:?} {listed:?}"), String::new())
}

/// Decodes `value` as every model; returns each model's `Debug` output and raw JSON.
fn decode_every_model(value: &Value) -> Vec<(String, String)> {
    let account: Account = decode(value.clone());
    let account_connector: AccountConnector = decode(value.clone());
    let connector: Connector = decode(value.clone());
    let method: Method = decode(value.clone());
    let mut out = vec![
        (format!("{account:?}"), account.raw.to_string()),
        (
            format!("{account_connector:?}"),
            account_connector.raw.to_string(),
        ),
        (format!("{connector:?}"), connector.raw.to_string()),
        (format!("{method:?}"), method.raw.to_string()),
    ];
    out.push(decode_one::<Account>(value));
    out.push(decode_one::<AccountConnector>(value));
    out.push(decode_one::<Connector>(value));
    out.push(decode_one::<Method>(value));
    // Also the methods' derived views, which read every field.
    let template = cyclr_tui::body::template(&method);
    let _ = cyclr_tui::body::RequestBody::from_jsonc(&template).map(|b| b.counts(&method));
    let _ = (
        account_connector.connector_id(),
        account_connector.is_partner(),
    );
    let _ = method.parameters.iter().map(Parameter::is_required).count();
    out
}

/// Parses `bytes` straight into every model and as a `Value` decoded as every model.
fn decode_bytes(bytes: &[u8]) {
    if let Ok(direct) = serde_json::from_slice::<AccountConnector>(bytes) {
        let _ = format!("{direct:?}");
    }
    let _ = serde_json::from_slice::<Account>(bytes).map(|m| format!("{m:?}"));
    let _ = serde_json::from_slice::<Connector>(bytes).map(|m| format!("{m:?}"));
    let _ = serde_json::from_slice::<Method>(bytes).map(|m| format!("{m:?}"));
    let _ = serde_json::from_slice::<Property>(bytes).map(|m| format!("{m:?}"));
    let _ = serde_json::from_slice::<Parameter>(bytes).map(|m| format!("{m:?}"));
    let _ = serde_json::from_slice::<Vec<AccountConnector>>(bytes).map(|m| m.len());
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        decode_every_model(&value);
    }
}

/// Secret keys in the spellings a server may use; each must be masked in `raw`.
const SECRET_KEYS: &[&str] = &[
    "AuthValue",
    "authValue",
    "authvalue",
    "AUTHVALUE",
    "Password",
    "access_token",
    "RefreshToken",
    "client_secret",
    "ApiKey",
];

/// Where the secret goes in the object.
#[derive(Debug, Clone, Copy)]
enum SecretAt {
    Top,
    InConnector,
    InProperty,
    InParameter,
    Deep(usize),
}

fn secret_at() -> impl Strategy<Value = SecretAt> {
    prop_oneof![
        4 => Just(SecretAt::Top),
        1 => Just(SecretAt::InConnector),
        1 => Just(SecretAt::InProperty),
        1 => Just(SecretAt::InParameter),
        1 => (1..20usize).prop_map(SecretAt::Deep),
    ]
}

/// An object (from `base`, or empty) with `secret` under `key` at `at`.
#[allow(clippy::needless_pass_by_value)] // the strategy hands over owned values
fn with_secret(base: Value, key: &str, secret: Value, at: SecretAt) -> Value {
    let mut object = match base {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let holder = json!({ key: secret });
    match at {
        SecretAt::Top => {
            object.insert(key.to_string(), holder[key].clone());
        }
        SecretAt::InConnector => {
            object.insert("Connector".into(), holder);
        }
        SecretAt::InProperty => {
            object.insert(
                "Properties".into(),
                json!([{"Name": "Domain", "Value": "x"}, holder]),
            );
        }
        SecretAt::InParameter => {
            object.insert("Parameters".into(), json!([holder]));
        }
        SecretAt::Deep(depth) => {
            object.insert(
                "Extra".into(),
                nested(holder, depth, depth.is_multiple_of(2)),
            );
        }
    }
    Value::Object(object)
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes, as every model, never panic.
    #[test]
    fn arbitrary_bytes_decode_as_every_model(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_bytes(&bytes);
    }

    /// Bytes made of JSON tokens (so the parser goes deeper) never panic.
    #[test]
    fn json_soup_decodes_as_every_model(bytes in json_soup()) {
        decode_bytes(&bytes);
    }

    /// Serialized arbitrary JSON, intact or damaged, never panics; intact, it decodes.
    #[test]
    fn arbitrary_json_decodes_as_every_model(bytes in json_bytes()) {
        decode_bytes(&bytes);
    }

    /// Arbitrary JSON values, nested past serde_json's recursion limit, never panic whether
    /// decoded as a value or parsed from text (where the limit turns them into errors).
    #[test]
    fn deeply_nested_json_decodes(value in json_value(), depth in 0..300usize, objects in any::<bool>()) {
        let deep = nested(value, depth, objects);
        decode_every_model(&deep);
        let text = serde_json::to_vec(&deep).expect("serializes");
        decode_bytes(&text);
        // serde_json refuses 128 levels or more instead of overflowing the stack.
        prop_assert_eq!(serde_json::from_slice::<Value>(&text).is_ok(), nesting(&deep) < 128);
    }

    /// A secret under `AuthValue` (or another secret key, in any case, anywhere) never shows
    /// in any model's `raw` JSON or `Debug` output; the typed `auth_value` still holds it.
    #[test]
    fn secrets_never_show_in_raw_or_debug(
        base in json_value(),
        key in prop::sample::select(SECRET_KEYS),
        token in "[A-Za-z0-9]{8,24}",
        at in secret_at(),
        as_list in any::<bool>(),
    ) {
        let secret = format!("SECRET-{token}");
        let object = with_secret(base, key, Value::String(secret.clone()), at);
        let value = if as_list { json!([object.clone(), object.clone()]) } else { object.clone() };
        for (debug, raw) in decode_every_model(&value) {
            prop_assert!(!raw.contains(&secret), "secret in raw: {}", raw);
            prop_assert!(!debug.contains(&secret), "secret in Debug: {}", debug);
        }
        let bytes = serde_json::to_vec(&object).expect("serializes");
        let direct: AccountConnector = serde_json::from_slice(&bytes).expect("decodes leniently");
        let shown = format!("{direct:?}");
        prop_assert!(!shown.contains(&secret), "secret in Debug: {}", shown);
        let decoded: AccountConnector = decode(object);
        if key == "AuthValue" && matches!(at, SecretAt::Top) {
            prop_assert_eq!(direct.auth_value.expose(), secret.as_str());
            prop_assert_eq!(decoded.auth_value.expose(), secret.as_str());
        }
    }
}

// --- 2. Text: formatting, lines, highlighting, inertness -------------------------------

/// Bodies a response may have: arbitrary bytes, JSON (valid or damaged), hostile text.
fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..512),
        3 => json_bytes(),
        1 => json_soup(),
        2 => hostile().prop_map(String::into_bytes),
        1 => (hostile(), 1..200usize).prop_map(|(line, n)| format!("{line}\n").repeat(n).into_bytes()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                prop::sample::select(&["content-type", "location", "retry-after", "date"][..])
                    .prop_map(str::to_string),
                short_hostile(),
            ],
            hostile(),
        ),
        0..6,
    )
}

fn sent_request() -> impl Strategy<Value = SentRequest> {
    (
        short_hostile(),
        hostile(),
        headers(),
        hostile(),
        any::<bool>(),
    )
        .prop_map(
            |(method, url, headers, body, retried_after_refresh)| SentRequest {
                method,
                url,
                headers,
                body,
                retried_after_refresh,
            },
        )
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(&[200u16, 201, 204, 301, 302, 400, 401, 403, 404, 429, 500, 502, 503][..]),
        1 => any::<u16>(),
    ]
}

/// A response from its parts: any status, reason, headers, body and request.
fn call_response() -> impl Strategy<Value = CallResponse> {
    (
        status(),
        short_hostile(),
        headers(),
        any::<u32>(),
        body_bytes(),
        sent_request(),
    )
        .prop_map(|(status, reason, headers, ms, body, request)| {
            CallResponse::from_parts(
                status,
                reason,
                headers,
                Duration::from_millis(u64::from(ms)),
                body.into(),
                request,
            )
        })
}

/// Expected lines of `text`: split at `\n`, a final empty piece dropped, one `\r` stripped.
fn expected_lines(text: &str) -> Vec<&str> {
    let mut pieces: Vec<&str> = text.split('\n').collect();
    if pieces.len() > 1 && pieces.last() == Some(&"") {
        pieces.pop();
    }
    pieces
        .into_iter()
        .map(|p| p.strip_suffix('\r').unwrap_or(p))
        .collect()
}

fn without_ascii_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

/// Checks every promise of `ResponseDoc` that does not depend on the body's kind.
fn check_doc(doc: &ResponseDoc) {
    for lines in [&doc.pretty, &doc.raw, &doc.headers, &doc.request] {
        for i in 0..lines.len() + 2 {
            assert!(!lines.line(i).contains('\n'));
        }
    }
    if let Some(explanation) = &doc.explanation {
        let _ = inert(explanation);
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Valid JSON comes out of `pretty_json` as the same value; anything else never panics.
    #[test]
    fn pretty_json_keeps_the_value(bytes in body_bytes()) {
        let pretty = pretty_json(&bytes);
        if let Ok(input) = serde_json::from_slice::<Value>(&bytes) {
            let pretty = pretty.expect("valid JSON is formatted");
            let output: Value = serde_json::from_str(&pretty).expect("the output is JSON");
            prop_assert_eq!(output, input);
        }
    }

    /// Pretty output of arbitrary values re-parses to the same value.
    #[test]
    fn pretty_json_round_trips_values(value in json_value(), pretty in any::<bool>()) {
        let bytes = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }
            .expect("serializes");
        // Compared with the input parsed again, not with `value`: without serde_json's
        // `float_roundtrip` feature a float may come back one ulp off, spelling or not.
        let input: Value = serde_json::from_slice(&bytes).expect("parses");
        let out = pretty_json(&bytes).expect("valid JSON is formatted");
        let back: Value = serde_json::from_str(&out).expect("the output is JSON");
        prop_assert_eq!(back, input);
        let _ = value;
    }

    /// `reindent` never panics and only changes ASCII whitespace.
    #[test]
    fn reindent_only_changes_whitespace(text in prop_oneof![
        hostile(),
        json_soup().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        json_bytes().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]) {
        let out = reindent(&text);
        prop_assert_eq!(without_ascii_whitespace(&out), without_ascii_whitespace(&text));
    }

    /// `Lines` indexes any bytes: lines match a plain split, `line` past the end is empty, and
    /// `find` finds a needle exactly when the text holds it, on a line that holds it.
    #[test]
    fn lines_index_and_find_anything(
        bytes in body_bytes(),
        needle in prop_oneof![short_hostile(), "[a-zA-Z\\r]{1,4}", prop::collection::vec(any::<u8>(), 1..4).prop_map(|b| String::from_utf8_lossy(&b).into_owned())],
        from in any::<usize>(),
        forward in any::<bool>(),
    ) {
        let lines = Lines::new(bytes.clone().into());
        let text = String::from_utf8_lossy(&bytes);
        let expected = expected_lines(&text);
        prop_assert_eq!(lines.len(), expected.len());
        for (i, want) in expected.iter().enumerate() {
            prop_assert_eq!(lines.line(i), *want);
        }
        prop_assert_eq!(lines.line(lines.len()), "");
        prop_assert_eq!(lines.line(usize::MAX), "");
        prop_assert_eq!(lines.is_empty(), bytes.is_empty());
        for from in [from, from % (lines.len() + 2), 0] {
            let hit = lines.find(&needle, from, forward);
            if let Some(hit) = hit {
                prop_assert!(hit < lines.len());
            }
            if !needle.is_empty() && !needle.contains('\n') {
                prop_assert_eq!(hit.is_some(), contains_ignore_ascii_case(&text, &needle));
                if let Some(hit) = hit.filter(|_| !needle.contains('\r')) {
                    prop_assert!(contains_ignore_ascii_case(lines.line(hit), &needle));
                }
            }
        }
    }

    /// The outline written while a body is laid out is the one read back from its lines, and
    /// the pretty text and its line index are those of `reindent`.
    #[test]
    fn the_layout_outline_matches_a_scan(value in json_value(), pretty in any::<bool>()) {
        let bytes = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }
            .expect("serializes");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        let response = CallResponse::from_parts(
            200, "OK", vec![], Duration::ZERO, bytes.into(), SentRequest::default(),
        );
        let doc = ResponseDoc::new(response);
        let lines = Lines::from_string(reindent(&text));
        prop_assert_eq!(doc.pretty.len(), lines.len());
        for i in 0..lines.len() {
            prop_assert_eq!(doc.pretty.line(i), lines.line(i));
        }
        let scanned = Outline::build(&lines);
        prop_assert_eq!(doc.outline.len(), scanned.len());
        prop_assert_eq!(doc.outline.may_hold_records(), scanned.may_hold_records());
        for i in 0..=lines.len() {
            prop_assert_eq!(doc.outline.container_at(i), scanned.container_at(i), "line {}", i);
            prop_assert_eq!(doc.outline.enclosing(i), scanned.enclosing(i), "line {}", i);
            prop_assert_eq!(
                path_at(&doc.outline, &doc.pretty, i),
                path_at(&scanned, &lines, i),
                "line {}", i
            );
        }
    }

    /// Any response (status, reason, headers, body, request) lays out without panicking.
    #[test]
    fn response_docs_build_from_anything(response in call_response()) {
        let doc = ResponseDoc::new(response);
        check_doc(&doc);
        if let Some(e) = doc.response.error() {
            let _ = e.to_string();
        }
    }

    /// The error message taken from a body is always inert.
    #[test]
    fn messages_from_bodies_are_inert(bytes in body_bytes()) {
        if let Some(message) = message_from_body(&bytes) {
            prop_assert!(!message.chars().any(is_unsafe), "{:?}", message);
        }
    }

    /// The highlighter's spans put together give back exactly the line it was given.
    #[test]
    fn highlighted_spans_rebuild_the_line(line in prop_oneof![
        hostile(),
        any::<String>(),
        json_bytes().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]) {
        for line in std::iter::once(line.as_str()).chain(line.lines()) {
            let rebuilt: String = highlight_json_line(line)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            prop_assert_eq!(rebuilt.as_str(), line);
            let safe = inert_multiline(line);
            let _ = highlight_json_line(&safe);
        }
    }

    /// `inert` leaves nothing unsafe (newlines and tabs included); `inert_multiline` keeps only
    /// `\n`; clean text is unchanged; `truncate` cuts on character boundaries.
    #[test]
    fn inert_output_is_safe(s in prop_oneof![hostile(), any::<String>()], max in 0..40usize) {
        let one_line = inert(&s);
        prop_assert!(!one_line.chars().any(is_unsafe), "{:?}", one_line);
        if !s.chars().any(is_unsafe) {
            prop_assert_eq!(one_line.as_ref(), s.as_str());
        }
        let multi = inert_multiline(&s);
        prop_assert!(!multi.chars().any(|c| is_unsafe(c) && c != '\n'), "{:?}", multi);
        prop_assert_eq!(multi.matches('\n').count(), s.matches('\n').count());
        let cut = truncate(&s, max);
        prop_assert!(cut.chars().count() <= max + 1);
        prop_assert!(s.starts_with(cut.trim_end_matches('…')));
    }
}

// --- 3. The renderer -----------------------------------------------------------------------

/// Remote data for a list pane.
#[derive(Debug, Clone)]
enum LoadSpec<T> {
    Idle,
    Loading(Option<PageProgress>),
    Ready(Vec<T>),
    Failed(String),
}

fn load_spec<T: Debug + Clone>(
    items: impl Strategy<Value = Vec<T>>,
) -> impl Strategy<Value = LoadSpec<T>> {
    prop_oneof![
        1 => Just(LoadSpec::Idle),
        1 => prop::option::of((any::<u32>(), prop::option::of(any::<u32>()), any::<usize>()))
            .prop_map(|p| LoadSpec::Loading(p.map(|(page, total_pages, items)| PageProgress { page, total_pages, items }))),
        4 => items.prop_map(LoadSpec::Ready),
        1 => hostile().prop_map(LoadSpec::Failed),
    ]
}

fn optional_id() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0..10_000_000i64).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => short_hostile().prop_map(Value::String),
    ]
}

/// An account connector as the server might send it, names hostile.
fn connector_json() -> impl Strategy<Value = Value> {
    (
        optional_id(),
        short_hostile(),
        hostile(),
        any::<bool>(),
        optional_id(),
        short_hostile(),
        short_hostile(),
    )
        .prop_map(|(id, name, description, auth, cid, cname, version)| {
            json!({
                "Id": id, "Name": name, "Description": description, "Authenticated": auth,
                "AuthValue": "never-shown",
                "Connector": {"Id": cid, "Name": cname, "Version": version, "AuthType": "OAuth2"},
                "Properties": [{"Id": 1, "Name": "Domain", "Value": "x"}]
            })
        })
}

/// A parameter or field; one hostile value makes it the template's value.
fn parameter_json() -> impl Strategy<Value = Value> {
    (
        optional_id(),
        short_hostile(),
        short_hostile(),
        any::<bool>(),
        // Exactly one value half the time: the template then puts it in the editor.
        prop_oneof![
            prop::collection::vec(short_hostile(), 1..=1),
            prop::collection::vec(short_hostile(), 0..3),
        ],
    )
        .prop_map(|(id, name, data_type, optional, values)| {
            json!({"Id": id, "Name": name, "DataType": data_type, "IsOptional": optional, "Values": values})
        })
}

/// A method as the server might send it, text hostile.
fn method_json() -> impl Strategy<Value = Value> {
    (
        optional_id(),
        short_hostile(),
        short_hostile(),
        hostile(),
        prop::option::of(short_hostile()),
        short_hostile(),
        prop::collection::vec(parameter_json(), 0..4),
        prop::collection::vec(parameter_json(), 0..4),
    )
        .prop_map(
            |(id, name, category, description, guid, end_point, parameters, fields)| {
                json!({
                    "Id": id, "Name": name, "Category": category, "Description": description,
                    "MethodUniqueIdentifier": guid, "EndPoint": end_point, "HttpMethod": "POST",
                    "MethodType": "Action", "Parameters": parameters, "RequestFields": fields,
                    "ResponseFields": fields_placeholder()
                })
            },
        )
}

fn fields_placeholder() -> Value {
    json!([{"Id": 9, "Name": "Out"}])
}

/// Where the filter or search line stands.
#[derive(Debug, Clone)]
enum ModeSpec {
    Normal,
    Filter(Pane, String),
    Search(String),
    /// A search typed and kept (Enter), the query still shown.
    SearchKept(String),
}

fn pane() -> impl Strategy<Value = Pane> {
    prop::sample::select(&Pane::ALL[..])
}

fn mode_spec() -> impl Strategy<Value = ModeSpec> {
    prop_oneof![
        3 => Just(ModeSpec::Normal),
        1 => (prop::sample::select(&[Pane::Connectors, Pane::Methods][..]), short_hostile())
            .prop_map(|(p, f)| ModeSpec::Filter(p, f)),
        1 => short_hostile().prop_map(ModeSpec::Search),
        1 => short_hostile().prop_map(ModeSpec::SearchKept),
    ]
}

/// How the last call ended, if it did.
#[derive(Debug, Clone)]
enum OutcomeSpec {
    Response(Box<CallResponse>),
    Failed(String),
    TooLarge(String),
}

fn outcome_spec() -> impl Strategy<Value = OutcomeSpec> {
    prop_oneof![
        4 => call_response().prop_map(|r| OutcomeSpec::Response(Box::new(r))),
        1 => hostile().prop_map(OutcomeSpec::Failed),
        1 => hostile().prop_map(OutcomeSpec::TooLarge),
    ]
}

/// The editor: which loaded method, what was typed, how it is sent.
#[derive(Debug, Clone)]
struct EditorSpec {
    method: prop::sample::Index,
    account_connector_id: i64,
    typed: String,
    pasted: String,
    send: bool,
    endpoint: u8,
    get: bool,
    by_guid: bool,
}

fn editor_spec() -> impl Strategy<Value = EditorSpec> {
    (
        any::<prop::sample::Index>(),
        any::<i64>(),
        hostile(),
        hostile(),
        any::<bool>(),
        0..3u8,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(method, account_connector_id, typed, pasted, send, endpoint, get, by_guid)| {
                EditorSpec {
                    method,
                    account_connector_id,
                    typed,
                    pasted,
                    send,
                    endpoint,
                    get,
                    by_guid,
                }
            },
        )
}

/// The response viewer's state.
#[derive(Debug, Clone)]
struct ResponseSpec {
    outcome: Option<OutcomeSpec>,
    in_flight: Option<String>,
    tab: usize,
    wrap: bool,
    scroll: isize,
    hscroll: usize,
    elapsed_s: u64,
}

fn response_spec() -> impl Strategy<Value = ResponseSpec> {
    (
        prop::option::weighted(0.8, outcome_spec()),
        prop::option::weighted(0.3, short_hostile()),
        0..4usize,
        any::<bool>(),
        prop_oneof![0..50isize, any::<isize>()],
        prop_oneof![0..100usize, any::<usize>()],
        0..10_000_000u64,
    )
        .prop_map(
            |(outcome, in_flight, tab, wrap, scroll, hscroll, elapsed_s)| ResponseSpec {
                outcome,
                in_flight,
                tab,
                wrap,
                scroll,
                hscroll,
                elapsed_s,
            },
        )
}

/// Everything the explorer can show at once.
#[derive(Debug, Clone)]
struct AppSpec {
    connectors: LoadSpec<Value>,
    connector_moves: isize,
    methods: LoadSpec<Value>,
    method_moves: isize,
    owner_name: Option<String>,
    sort_cycles: u8,
    editor: Option<EditorSpec>,
    response: ResponseSpec,
    focus: Pane,
    mode: ModeSpec,
    help: Option<u16>,
    notice: Option<(String, bool)>,
    connection: (bool, String, String),
    ticks: u64,
}

fn app_spec() -> impl Strategy<Value = AppSpec> {
    (
        (
            load_spec(prop::collection::vec(connector_json(), 0..12)),
            prop_oneof![-3..30isize, any::<isize>()],
            load_spec(prop::collection::vec(method_json(), 0..12)),
            prop_oneof![-3..30isize, any::<isize>()],
            prop::option::of(short_hostile()),
            0..3u8,
        ),
        (
            prop::option::weighted(0.7, editor_spec()),
            response_spec(),
            pane(),
            mode_spec(),
            prop::option::weighted(0.2, any::<u16>()),
            prop::option::of((hostile(), any::<bool>())),
            (any::<bool>(), short_hostile(), short_hostile()),
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (connectors, connector_moves, methods, method_moves, owner_name, sort_cycles),
                (editor, response, focus, mode, help, notice, connection, ticks),
            )| AppSpec {
                connectors,
                connector_moves,
                methods,
                method_moves,
                owner_name,
                sort_cycles,
                editor,
                response,
                focus,
                mode,
                help,
                notice,
                connection,
                ticks,
            },
        )
}

/// A request for the in-flight and too-large states.
fn some_request() -> CallRequest {
    CallRequest {
        account_connector_id: 1,
        method: MethodRef::Id(2),
        endpoint: Endpoint::Call,
        verb: Verb::Post,
        body: "{}".into(),
        content_type: cyclr_tui::cyclr::ContentType::Json,
    }
}

/// Builds the app `spec` describes, through `update` where the state machine has a message
/// for it and by setting public fields where it does not.
fn build_app(spec: &AppSpec) -> App {
    let (demo, instance, account) = spec.connection.clone();
    let mut app = App::new(Connection {
        demo,
        instance,
        account,
        ..Default::default()
    });
    let start = Instant::now();
    app.update(Msg::Tick(start));

    // Pane 1.
    let id = match app.start().as_slice() {
        [Effect::LoadConnectors { id }] => *id,
        other => panic!("expected LoadConnectors, got {other:?}"),
    };
    match &spec.connectors {
        LoadSpec::Idle => app.connectors.items = Loadable::Idle,
        LoadSpec::Loading(progress) => {
            if let Some(progress) = progress {
                app.update(Msg::ConnectorsProgress {
                    id,
                    progress: *progress,
                });
            }
        }
        LoadSpec::Ready(items) => {
            let items = items.iter().map(|v| decode(v.clone())).collect();
            app.update(Msg::ConnectorsLoaded {
                id,
                result: Ok(items),
            });
        }
        LoadSpec::Failed(e) => {
            app.update(Msg::ConnectorsLoaded {
                id,
                result: Err(support::status_error(500, e)),
            });
        }
    }
    app.connectors.list.move_by(spec.connector_moves);

    // Pane 2.
    let methods: Vec<Method> = match &spec.methods {
        LoadSpec::Ready(items) => items.iter().map(|v| decode(v.clone())).collect(),
        _ => Vec::new(),
    };
    if let Some(name) = &spec.owner_name {
        app.methods.owner = Some(cyclr_tui::app::MethodsOwner {
            account_connector_id: 7,
            connector_id: 8,
            name: name.clone(),
        });
    }
    for _ in 0..spec.sort_cycles {
        app.methods.cycle_sort();
    }
    match &spec.methods {
        LoadSpec::Idle => {}
        LoadSpec::Loading(_) => {
            app.methods.items = Loadable::Loading {
                id: 999,
                progress: None,
            }
        }
        LoadSpec::Ready(_) => app.methods.set_items(methods.clone()),
        LoadSpec::Failed(e) => app.methods.items = Loadable::Failed(support::status_error(500, e)),
    }
    app.methods.list.move_by(spec.method_moves);

    // Pane 3, top: a method loaded, text typed and pasted, maybe a refused send.
    if let Some(editor) = &spec.editor
        && !methods.is_empty()
    {
        let method = &methods[editor.method.index(methods.len())];
        app.editor
            .load_method(editor.account_connector_id, "Connector", method);
        if let Some(target) = &app.editor.target {
            app.response.show(
                target.key(),
                cyclr_tui::app::CallTitle {
                    method: target.name.clone(),
                    connector: target.connector.clone(),
                    is_write: target.access.write,
                },
            );
        }
        app.update(Msg::Action(Action::Focus(Pane::Editor)));
        for c in editor.typed.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            app.update(Msg::Input(KeyEvent::new(code, KeyModifiers::NONE)));
        }
        app.update(Msg::Paste(editor.pasted.clone()));
        for _ in 0..editor.endpoint {
            app.update(Msg::Action(Action::ToggleEndpoint));
        }
        if editor.get {
            app.update(Msg::Action(Action::ToggleVerb));
        }
        if editor.by_guid {
            app.update(Msg::Action(Action::ToggleAddressing));
        }
        if editor.send {
            app.update(Msg::Action(Action::Send));
        }
    }

    // Pane 3, bottom.
    let r = &spec.response;
    app.response.cancel_all();
    if app.response.shown().is_none() {
        app.response.show(
            cyclr_tui::app::CallKey {
                account_connector_id: 7,
                method: "m".into(),
            },
            cyclr_tui::app::CallTitle {
                method: r.in_flight.clone().unwrap_or_default(),
                connector: "Connector".into(),
                is_write: false,
            },
        );
    }
    if let Some(outcome) = &r.outcome {
        app.response.set_outcome(match outcome {
            OutcomeSpec::Response(response) => {
                Outcome::Response(Arc::new(ResponseDoc::new((**response).clone())))
            }
            OutcomeSpec::Failed(e) => Outcome::Failed(support::status_error(500, e)),
            OutcomeSpec::TooLarge(message) => Outcome::TooLarge {
                message: message.clone(),
                kept: None,
            },
        });
    }
    if r.in_flight.is_some()
        && let Some(key) = app.response.shown_key().cloned()
    {
        app.response.start(
            &key,
            InFlight {
                id: 4242,
                started: start,
                request: some_request(),
            },
        );
    }
    app.response.tab = Tab::ALL[r.tab];
    if r.wrap {
        app.response.toggle_wrap();
    }
    app.response.scroll_by(r.scroll);
    app.response.scroll_sideways(r.hscroll.cast_signed());
    app.update(Msg::Tick(start + Duration::from_secs(r.elapsed_s)));

    // Focus, typing mode, help, status line.
    app.update(Msg::Action(Action::Focus(spec.focus)));
    match &spec.mode {
        ModeSpec::Normal => {}
        ModeSpec::Filter(pane, filter) => {
            app.update(Msg::Action(Action::Focus(*pane)));
            app.update(Msg::Action(Action::StartFilter));
            app.update(Msg::Paste(filter.clone()));
        }
        ModeSpec::Search(query) | ModeSpec::SearchKept(query) => {
            app.update(Msg::Action(Action::Focus(Pane::Response)));
            app.update(Msg::Action(Action::StartFilter));
            app.update(Msg::Paste(query.clone()));
            if matches!(spec.mode, ModeSpec::SearchKept(_)) {
                app.update(Msg::Action(Action::Select));
                app.update(Msg::Action(Action::SearchNext));
            }
        }
    }
    if let Some(scroll) = spec.help {
        app.update(Msg::Action(Action::ToggleHelp));
        if scroll > 200 {
            app.update(Msg::Action(Action::Bottom));
        } else {
            for _ in 0..scroll {
                app.update(Msg::Action(Action::Down));
            }
        }
    }
    if let Some((text, is_error)) = &spec.notice {
        app.notice = Some(cyclr_tui::app::Notice {
            text: text.clone(),
            is_error: *is_error,
        });
    }
    app.ticks = spec.ticks;
    app
}

/// The first cell holding an unsafe character: its position and symbol.
fn unsafe_cell(buffer: &Buffer) -> Option<(u16, u16, String)> {
    let width = buffer.area.width.max(1);
    buffer
        .content
        .iter()
        .enumerate()
        .find(|(_, cell)| cell.symbol().chars().any(is_unsafe))
        .map(|(i, cell)| {
            (
                (i % width as usize) as u16,
                (i / width as usize) as u16,
                cell.symbol().to_string(),
            )
        })
}

/// Draws `app` at each size (one `ViewState` throughout, as when a terminal is resized) and
/// returns the first unsafe cell found.
fn draw_at(app: &App, sizes: &[(u16, u16)]) -> Option<(u16, u16, u16, u16, String)> {
    let mut view = ViewState::default();
    for &(w, h) in sizes {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        terminal
            .draw(|f| ui::render(app, &mut view, f))
            .expect("draw");
        if let Some((x, y, symbol)) = unsafe_cell(terminal.backend().buffer()) {
            return Some((w, h, x, y, symbol));
        }
    }
    None
}

fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        3 => (1..=300u16, 1..=100u16),
        1 => (55..=130u16, 10..=40u16),
        1 => prop::sample::select(&[(1u16, 1u16), (59, 11), (60, 12), (119, 30), (120, 40), (300, 100)][..]),
    ]
}

proptest! {
    #![proptest_config(config(192))]

    /// Any app state draws at any size from 1×1 to 300×100 without panicking, and no cell
    /// holds a control character, bidi control or invisible character.
    #[test]
    fn any_app_state_draws_inert_at_any_size(spec in app_spec(), sizes in prop::collection::vec(size(), 3)) {
        let app = build_app(&spec);
        if let Some((w, h, x, y, symbol)) = draw_at(&app, &sizes) {
            prop_assert!(false, "at {}×{}, cell ({}, {}) holds {:?}", w, h, x, y, symbol);
        }
    }

    /// Server text only (nothing typed in the editor): the same, so a failure of the property
    /// above that only typed text causes is told apart from server text reaching the screen.
    #[test]
    fn server_text_draws_inert_at_any_size(mut spec in app_spec(), sizes in prop::collection::vec(size(), 3)) {
        if let Some(editor) = &mut spec.editor {
            editor.typed.clear();
            editor.pasted.clear();
        }
        let app = build_app(&spec);
        if let Some((w, h, x, y, symbol)) = draw_at(&app, &sizes) {
            prop_assert!(false, "at {}×{}, cell ({}, {}) holds {:?}", w, h, x, y, symbol);
        }
    }
}

/// Every pane focused in turn, every tab, wrap on and off: a hostile response at every size
/// of a coarse grid (a sweep, where the property above samples).
#[test]
fn hostile_screens_draw_at_a_grid_of_sizes() {
    let body = format!(
        "{{\"Name\": \"{}\", \"List\": [1, 2.5e300, \"\u{202e}x\"]}}\n",
        support::HOSTILE.escape_default()
    );
    let response = CallResponse::from_parts(
        502,
        support::HOSTILE,
        vec![("x-evil".into(), support::HOSTILE.into())],
        Duration::from_millis(5),
        body.into_bytes().into(),
        SentRequest::default(),
    );
    let mut app = support::with_connectors(vec![support::hostile_connector()]);
    app.response.show(
        cyclr_tui::app::CallKey {
            account_connector_id: 7,
            method: support::HOSTILE.into(),
        },
        cyclr_tui::app::CallTitle {
            method: support::HOSTILE.into(),
            connector: support::HOSTILE.into(),
            is_write: false,
        },
    );
    app.response
        .set_outcome(Outcome::Response(Arc::new(ResponseDoc::new(response))));
    app.notice = Some(cyclr_tui::app::Notice {
        text: support::HOSTILE.into(),
        is_error: true,
    });
    let sizes: Vec<(u16, u16)> = (1..=300u16)
        .step_by(23)
        .flat_map(|w| (1..=100u16).step_by(9).map(move |h| (w, h)))
        .collect();
    for focus in Pane::ALL {
        app.update(Msg::Action(Action::Focus(focus)));
        app.response.tab = Tab::ALL[focus as usize % 4];
        app.response.wrap = (focus as usize).is_multiple_of(2);
        assert_eq!(draw_at(&app, &sizes), None, "focus {focus:?}");
    }
}

/// A body over the light-format threshold (16 MB) takes the unchecked re-indent path and
/// draws; its pretty text re-parses to the same value.
#[test]
fn light_format_body_lays_out_and_draws() {
    let item = r#"{"Name":"a\u001b[2J","N":1.50,"L":[true,null,{}]}"#;
    let count = cyclr_tui::document::LIGHT_FORMAT_BYTES / item.len() + 10;
    let mut body = String::with_capacity(count * (item.len() + 1) + 2);
    body.push('[');
    for i in 0..count {
        if i > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push(']');
    let response = CallResponse::from_parts(
        200,
        "OK",
        Vec::new(),
        Duration::ZERO,
        body.clone().into_bytes().into(),
        SentRequest::default(),
    );
    let doc = ResponseDoc::new(response);
    assert!(doc.light);
    assert_eq!(doc.pretty.line(0), "[");
    assert_eq!(doc.pretty.line(1), "  {");
    assert_eq!(doc.pretty.line(2), r#"    "Name": "a\u001b[2J","#);
    let mut app = with_method_chosen();
    app.response.set_outcome(Outcome::Response(Arc::new(doc)));
    app.update(Msg::Action(Action::Focus(Pane::Response)));
    app.update(Msg::Action(Action::Bottom));
    assert_eq!(draw_at(&app, &[(120, 40), (60, 12), (1, 1)]), None);
}

// --- 4. The editor: bad input is refused and kept, good input is sent as is ---------------

/// The explorer with a method chosen and the editor emptied (it has the keyboard).
fn editor_app() -> App {
    let mut app = with_method_chosen();
    app.editor.textarea = ratatui_textarea::TextArea::default();
    assert!(app.editor_has_keys());
    assert_eq!(app.editor.text(), "");
    app
}

/// Types `text` key by key (`\n` as Enter).
fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        assert!(
            app.update(Msg::Input(KeyEvent::new(code, KeyModifiers::NONE)))
                .is_empty()
        );
    }
}

fn paste(app: &mut App, text: &str) {
    assert!(app.update(Msg::Paste(text.to_string())).is_empty());
}

/// Send is refused: no effect, nothing in flight, an error naming serde's line and column
/// (in the text with its comments blanked out, so they are the text's own) when it gives
/// one, a status-bar notice, and the text exactly as `typed`.
fn assert_refused(app: &mut App, typed: &str) -> String {
    let kept = kept(typed);
    let typed = kept.as_str();
    let effects = app.update(Msg::Action(Action::Send));
    assert!(effects.is_empty(), "sent: {} effects", effects.len());
    assert!(app.response.in_flight().is_none());
    assert!(app.editor.text() == typed, "the text changed");
    assert!(app.notice.as_ref().is_some_and(|n| n.is_error));
    let error = app.editor.error.clone().expect("an error is shown");
    match serde_json::from_str::<Value>(&cyclr_tui::body::strip_jsonc(typed)) {
        Err(e) if e.line() > 0 => {
            let at = format!("invalid JSON at line {}, column {}: ", e.line(), e.column());
            assert!(
                error.starts_with(&at),
                "{error:?} does not start with {at:?}"
            );
        }
        Err(_) => assert!(error.starts_with("invalid JSON"), "{error:?}"),
        Ok(_) => assert!(
            error.contains("must be") || error.contains("unknown member"),
            "{error:?}"
        ),
    }
    error
}

/// What the editor keeps of `typed`: the text itself, with control, bidi and invisible
/// characters written as JSON `\uXXXX` escapes (the same string inside JSON, inert on screen).
fn kept(typed: &str) -> String {
    cyclr_tui::text::json_escaped(typed).into_owned()
}

/// Send goes out, the text stays exactly as `typed` (as the editor keeps it, see [`kept`]),
/// and the body sent is plain JSON holding the same Parameters, Fields and Mergefields.
fn assert_sent(app: &mut App, typed: &str) {
    let kept = kept(typed);
    let typed = kept.as_str();
    let effects = app.update(Msg::Action(Action::Send));
    let body = match effects.as_slice() {
        [Effect::Call { request, .. }] => request.body.clone(),
        other => panic!("expected one Call, got {} effects", other.len()),
    };
    assert!(app.editor.error.is_none());
    assert!(app.editor.text() == typed, "the text changed");
    let sent: Value = serde_json::from_str(&body).expect("plain JSON is sent");
    let written: Value = serde_json::from_str(&cyclr_tui::body::strip_jsonc(typed))
        .unwrap_or_else(|_| serde_json::json!({}));
    for section in ["Parameters", "Fields"] {
        let want = match written.get(section) {
            None | Some(Value::Null) => &serde_json::json!({}),
            Some(v) => v,
        };
        assert_eq!(&sent[section], want, "{section} changed on the way");
    }
}

#[test]
fn invalid_json_typed_is_refused_at_its_line_and_column() {
    for (typed, at) in [
        (
            "{\n  \"Parameters\": {\n    \"1\": oops\n  }\n}",
            "line 3, column 10",
        ),
        ("{\n\n\n", "line 4, column 0"),
        ("{\"a\": 1} trailing", "line 1, column 10"),
        ("{'a': 1}", "line 1, column 2"),
    ] {
        let mut app = editor_app();
        type_keys(&mut app, typed);
        let error = assert_refused(&mut app, typed);
        assert!(error.contains(at), "{typed:?}: {error}");
    }
    for not_an_object in ["[]", "42", "\"text\"", "null", "{\"a\": 1}"] {
        let mut app = editor_app();
        type_keys(&mut app, not_an_object);
        assert_refused(&mut app, not_an_object);
    }
}

#[test]
fn huge_invalid_paste_is_refused_and_kept() {
    let mut app = editor_app();
    let text = format!(
        "{{\"Parameters\": {{}}, \"Fields\": {{\"1\": \"{}",
        "x".repeat(5 << 20)
    );
    paste(&mut app, &text);
    let error = assert_refused(&mut app, &text);
    assert!(error.contains("EOF while parsing a string"), "{error}");
    assert!(error.starts_with(&format!("invalid JSON at line 1, column {}", text.len())));
    assert_eq!(draw_at(&app, &[(120, 40), (80, 24)]), None);
}

#[test]
fn huge_valid_paste_is_sent_as_is() {
    // One 5 MB line.
    let mut app = editor_app();
    let text = format!(
        "{{\"Parameters\": {{}}, \"Fields\": {{\"1\": \"{}\"}}}}",
        "é".repeat(5 << 19)
    );
    paste(&mut app, &text);
    assert_sent(&mut app, &text);

    // 5 MB over 120,000 lines.
    let mut app = editor_app();
    let mut text = String::from("{\"Parameters\": {\n");
    for i in 0..120_000 {
        text.push_str(&format!("  \"{i}\": \"{i:0>36}\",\n"));
    }
    text.push_str("  \"last\": 0\n}, \"Fields\": {}}");
    assert!(text.len() > 5_000_000);
    paste(&mut app, &text);
    assert_eq!(app.editor.textarea.lines().len(), 120_003);
    assert_sent(&mut app, &text);
    assert_eq!(draw_at(&app, &[(120, 40)]), None);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for text in [
        "[".repeat(10_000),
        format!("{{\"Fields\": {}", "[".repeat(10_000)),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!(
            "{{\"a\": {}1{}}}",
            "{\"a\": ".repeat(5_000),
            "}".repeat(5_000)
        ),
    ] {
        let mut app = editor_app();
        paste(&mut app, &text);
        let error = assert_refused(&mut app, &text);
        assert!(error.contains("recursion limit exceeded"), "{error}");
        if text.starts_with('[') {
            assert!(
                error.starts_with("invalid JSON at line 1, column 128: "),
                "{error}"
            );
        }
        assert_eq!(draw_at(&app, &[(120, 40), (60, 12)]), None);
    }
    // Within serde_json's limit (127 levels at most) the body is valid and sent.
    let text = format!(
        "{{\"Parameters\": {{}}, \"Fields\": {{\"1\": {}1{}}}}}",
        "[".repeat(120),
        "]".repeat(120)
    );
    let mut app = editor_app();
    paste(&mut app, &text);
    assert_sent(&mut app, &text);
}

#[test]
fn odd_unicode_is_kept_exactly() {
    let odd = "🎉 👨\u{200d}👩\u{200d}👧 🇫🇷 עברית العربية e\u{301}\u{302} Z\u{351}\u{34b} \u{202e}rev\u{202c} \u{200b}\u{feff}日本語";
    // Valid: inside a string, it is sent as is.
    let valid = format!("{{\"Parameters\": {{\"1\": \"{odd}\"}},\n\"Fields\": {{}}}}");
    let mut app = editor_app();
    type_keys(&mut app, &valid);
    assert_sent(&mut app, &valid);

    // Invalid: outside a string, refused at its column (serde counts columns in bytes here).
    let invalid = format!("{{\"Parameters\": {odd}}}");
    let mut app = editor_app();
    paste(&mut app, &invalid);
    let error = assert_refused(&mut app, &invalid);
    assert!(error.contains("line 1, column 16"), "{error}");
    // (Drawing this text is `editor_joiners_draw_inert`'s business.)
}

#[test]
fn nul_and_controls_pasted_are_refused_and_kept() {
    for text in [
        "{\"Parameters\": {\"1\": \"a\u{0}b\"}, \"Fields\": {}}",
        "{\"Parameters\": {\"1\": \"\u{1b}[2J\"}, \"Fields\": {}}",
        "\u{0}",
        "{\u{0}}",
        "{\"a\": \"\u{7}\u{85}\u{9b}\"}",
    ] {
        let mut app = editor_app();
        paste(&mut app, text);
        assert_eq!(app.editor.text(), kept(text));
        let refused = cyclr_tui::body::RequestBody::from_jsonc(&kept(text)).is_err();
        if !refused {
            // Inside a string, the escaped control is valid JSON and goes out as such.
            assert_sent(&mut app, text);
            continue;
        }
        let error = assert_refused(&mut app, text);
        assert!(!error.chars().any(is_unsafe), "{error:?}");
        assert_eq!(draw_at(&app, &[(120, 40)]), None, "{text:?}");
    }
    // C1 controls and escapes written as JSON escapes are valid and sent.
    let text = "{\"Parameters\": {\"1\": \"\\u0000\\u001b[2J\\u0085\"}, \"Fields\": {}}";
    let mut app = editor_app();
    paste(&mut app, text);
    assert_sent(&mut app, text);
}

/// A paste's `\r\n` and lone `\r` become `\n` (one line ending in the editor), nothing else.
#[test]
fn pasted_line_endings_are_normalised() {
    let mut app = editor_app();
    paste(&mut app, "{\r\n\"Parameters\": {},\r\"Fields\": {}\r\n}");
    assert_sent(&mut app, "{\n\"Parameters\": {},\n\"Fields\": {}\n}");
}

proptest! {
    #![proptest_config(config(128))]

    /// Whatever is typed and pasted: Send either sends exactly that text (a JSON object) or
    /// refuses with serde's line and column and keeps the text.
    #[test]
    fn editor_sends_valid_objects_and_refuses_the_rest(
        typed in prop_oneof![hostile(), json_bytes().prop_map(|b| String::from_utf8_lossy(&b).into_owned())],
        pasted in prop_oneof![hostile(), json_soup().prop_map(|b| String::from_utf8_lossy(&b).into_owned())],
        wrap_in_object in any::<bool>(),
    ) {
        let mut app = editor_app();
        // Typed characters go in one by one; control characters other than \n are pasted.
        let (keys, rest): (String, String) = typed.chars().partition(|c| *c == '\n' || !c.is_control());
        let text = if wrap_in_object { format!("{{\"Fields\": {keys}}}") } else { keys };
        type_keys(&mut app, &text);
        let pasted = format!("{rest}{pasted}").replace("\r\n", "\n").replace('\r', "\n");
        paste(&mut app, &pasted);
        let expected = kept(&format!("{text}{pasted}"));
        prop_assert_eq!(app.editor.text(), expected.clone());
        match cyclr_tui::body::RequestBody::from_jsonc(&expected) {
            Ok(_) => assert_sent(&mut app, &expected),
            Err(_) => {
                assert_refused(&mut app, &expected);
            }
        }
    }
}

// --- Found by the properties above ------------------------------------------------------
//
// Found: the editor drew its text (typed, pasted, or the template built from the server's
// method description) without `text::inert`. Fixed by keeping such characters in the editor
// as JSON escapes (`text::json_escaped`); these tests keep the minimal cases. Ratatui and the textarea drop C0/C1 controls and
// graphemes that are only a zero-width or bidi character (U+200B, U+200E/F, U+202A–202E,
// U+2060–2064, U+2066–2069, U+061C, U+FEFF all vanish), but of `text::is_unsafe` five
// reached cells: U+200C (ZWNJ) and U+200D (ZWJ), joined to the grapheme before them, and
// U+FFF9–U+FFFB (interlinear annotation), each drawn in a cell of its own.

/// Minimal case of `any_app_state_draws_inert_at_any_size` (U+FFFD then U+200C typed), with
/// the other characters that get through.
#[test]
fn editor_text_draws_inert() {
    let mut found = Vec::new();
    for text in [
        "\u{fffd}\u{200c}",
        "👨\u{200d}👩\u{200d}👧",
        "a\u{200c}b",
        "\u{fff9}a\u{fffa}b\u{fffb}",
    ] {
        let mut app = editor_app();
        type_keys(&mut app, text);
        assert_eq!(app.editor.text(), kept(text));
        if let Some(cell) = draw_at(&app, &[(60, 12), (120, 40)]) {
            found.push((text, cell));
        }
    }
    assert!(
        found.is_empty(),
        "unsafe cells (text, (w, h, x, y, symbol)): {found:?}"
    );
}

/// Minimal case of `server_text_draws_inert_at_any_size`: server text reaches the editor when
/// a parameter's only allowed value becomes the template's value, shown as it is (JSON
/// escaping leaves these characters alone), so the cell after `"` holds `"\u{200c}"`.
#[test]
fn template_values_draw_inert() {
    let mut found = Vec::new();
    for value in ["\u{200c}", "a\u{200d}", "\u{fff9}"] {
        let method: Method = decode(json!({"Id": 1, "Name": "m",
            "Parameters": [{"Id": 5, "Name": "p", "Values": [value]}]}));
        let mut app = support::with_connectors(support::connectors());
        app.editor.load_method(3, "Connector", &method);
        let text = app.editor.text().replace("    // \"5\"", "    \"5\"");
        let body = cyclr_tui::body::RequestBody::from_jsonc(&text).unwrap();
        assert_eq!(body.parameters["5"], value, "the value means the same");
        app.update(Msg::Action(Action::Focus(Pane::Response)));
        if let Some(cell) = draw_at(&app, &[(120, 40)]) {
            found.push((value, cell));
        }
    }
    assert!(
        found.is_empty(),
        "unsafe cells (value, (w, h, x, y, symbol)): {found:?}"
    );
}

/// The plain definition `Lines::find` is checked against.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}
