//! Speed of the call history: what recording a call costs the caller (a send to the history
//! thread), what the write costs that thread (`SQLite`, a 2 KB response body), and listing
//! 100,000 entries. Run with `cargo bench --bench history`.

use bytes::Bytes;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use cyclr_tui::cyclr::{CallRequest, CallResponse, Endpoint, MethodRef, SentRequest, Verb};
use cyclr_tui::history::{History, HistoryError, Query, Record, Retention};
use cyclr_tui::recorder::{CallLabel, Outcome, Recorder};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// About 2 KB of JSON: thirteen contact-like records.
fn two_kilobytes() -> Vec<u8> {
    let records: Vec<String> = (0..13)
        .map(|i| {
            format!(
                "{{\"Id\":\"0035g00000Xy1A{i:03}\",\"FirstName\":\"First{i}\",\"LastName\":\"Last{i}\",\
                 \"Email\":\"person{i}@example.com\",\"Phone\":\"+44 20 7946 0{i:03}\",\"Status\":\"active\",\
                 \"Score\":{}}}",
                i * 37 % 101
            )
        })
        .collect();
    let body = format!(
        "{{\"records\":[{}],\"totalSize\":13,\"done\":true}}",
        records.join(",")
    );
    assert!((1900..=2300).contains(&body.len()), "{}", body.len());
    body.into_bytes()
}

/// One List Contacts call with a 2 KB response, as the history keeps it.
fn record(time_ms: i64) -> Record {
    let body = two_kilobytes();
    Record {
        time_ms,
        profile: "dev".into(),
        instance: "https://api.cyclr.com".into(),
        account: "acme-prod".into(),
        account_connector_id: 204511,
        connector_name: "Salesforce (Sales Team)".into(),
        method_id: Some(512201),
        method_uid: Some("7e62aa42-20be-597a-a8d0-2690ab34fa30".into()),
        method_name: "List Contacts".into(),
        endpoint: "call".into(),
        http_method: "POST".into(),
        url: "https://api.cyclr.com/v1.0/account/connectors/204511/methods/512201".into(),
        request_headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Authorization".into(), "Bearer ********".into()),
            ("X-Cyclr-Account".into(), "acme-prod".into()),
        ],
        request_body: "{\"Parameters\":{},\"Fields\":{}}".into(),
        status: Some(200),
        error: None,
        elapsed_ms: 143,
        size: body.len() as u64,
        response_headers: vec![("content-type".into(), "application/json".into())],
        response_body: Some(body.into()),
    }
}

/// The same call as the client gives it: label, request and response.
fn call() -> (CallLabel, CallRequest, Outcome) {
    let label = CallLabel {
        profile: "dev".into(),
        instance: "https://api.cyclr.com".into(),
        account: "acme-prod".into(),
        connector_name: "Salesforce (Sales Team)".into(),
        method_id: Some(512201),
        method_uid: Some("7e62aa42-20be-597a-a8d0-2690ab34fa30".into()),
        method_name: "List Contacts".into(),
    };
    let request = CallRequest {
        account_connector_id: 204511,
        method: MethodRef::Id(512201),
        endpoint: Endpoint::Call,
        verb: Verb::Post,
        body: "{\"Parameters\":{},\"Fields\":{}}".into(),
        content_type: cyclr_tui::cyclr::ContentType::Json,
    };
    let response = CallResponse::from_parts(
        200,
        "OK",
        vec![("content-type".into(), "application/json".into())],
        Duration::from_millis(143),
        Bytes::from(two_kilobytes()),
        SentRequest::default(),
    );
    (label, request, Outcome::of(Ok(&response)))
}

/// How many entries the list benchmark lists.
const ENTRIES: i64 = 100_000;

/// A history file at `path` with [`ENTRIES`] calls, a few seconds apart, to 20 account
/// connectors and 50 methods. The first is recorded as the tool records it; the others are
/// copies made in `SQL` (recording 100,000 calls one by one takes a minute on a slow disk).
/// Only the calls table is filled: a list does not read the bodies.
fn hundred_thousand(path: &Path) -> History {
    let all = Retention {
        max_entries: 0,
        max_age_days: 0,
        ..Retention::default()
    };
    let mut history = History::open(path, all).expect("open history");
    history
        .record(&record(now_ms() - ENTRIES * 1000))
        .expect("record");
    drop(history);
    let conn = rusqlite::Connection::open(path).expect("open the file");
    conn.execute_batch(&format!(
        "BEGIN;
         CREATE TEMP TABLE one AS SELECT * FROM calls;
         CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {ENTRIES} - 1)
             INSERT INTO n SELECT i FROM k;
         CREATE TEMP TABLE copies AS SELECT * FROM one, n;
         UPDATE copies SET id = id + i, time_ms = time_ms + i * 1000,
             account_connector_id = 204500 + i % 20, method_id = 512200 + i % 50;
         ALTER TABLE copies DROP COLUMN i;
         INSERT INTO calls SELECT * FROM copies;
         DROP TABLE copies; DROP TABLE n; DROP TABLE one;
         COMMIT;"
    ))
    .expect("copies");
    drop(conn);
    let history = History::open(path, all).expect("reopen history");
    assert_eq!(
        history.list(&Query::default()).expect("list").len(),
        usize::try_from(ENTRIES).unwrap_or(usize::MAX)
    );
    history
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");

    // The caller's side only. The history thread is first put in its "off" state (as after
    // a write error), so it takes each job off the queue and drops it instead of writing it:
    // the caller runs the same code, and the queue does not grow while criterion sends
    // millions of records faster than any database could take them. The write itself is
    // measured below.
    let history = History::open(&dir.path().join("send.sqlite3"), Retention::default())
        .expect("open history");
    let recorder = Recorder::spawn(history, Box::new(|_| {}));
    recorder.run(|_| {
        Err(HistoryError::Other {
            path: "bench".into(),
            detail: "off for the benchmark".into(),
        })
    });
    recorder.flush();
    let sample = record(now_ms());
    c.bench_function("record a call (send to the history thread)", |b| {
        b.iter_batched(
            || sample.clone(),
            |r| recorder.record(black_box(r)),
            BatchSize::SmallInput,
        );
    });
    let (label, request, outcome) = call();
    c.bench_function(
        "record a call (send to the history thread, record built there)",
        |b| {
            b.iter_batched(
                || (label.clone(), request.clone(), outcome.clone()),
                |(label, request, outcome)| {
                    recorder.record_call(
                        label,
                        request,
                        outcome,
                        SystemTime::now(),
                        Duration::from_millis(143),
                    );
                },
                BatchSize::SmallInput,
            );
        },
    );
    drop(recorder);

    // The write, as the history thread does it: one transaction, masking, a 2 KB body, and
    // every hundred records the retention prune (10,000 entries by default).
    let mut history = History::open(&dir.path().join("write.sqlite3"), Retention::default())
        .expect("open history");
    let sample = record(now_ms());
    c.bench_function(
        "record a call (write to SQLite, on the history thread)",
        |b| {
            b.iter(|| history.record(black_box(&sample)).expect("record"));
        },
    );
    drop(history);

    // 100,000 entries, built once, listed whole (newest first, no bodies).
    let path = dir.path().join("list.sqlite3");
    let history = hundred_thousand(&path);
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    group.bench_function("list 100,000 entries", |b| {
        b.iter(|| history.list(&Query::default()).expect("list"));
    });
    group.finish();
}

criterion_group! {
    name = history_benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(history_benches);
