//! Speed of the work behind each frame, on the budgets of DESIGN.md: laying out a 10 MB
//! response, drawing the response pane at its top, middle and end, a search step, filtering
//! 10,000 account connectors, and a whole frame. Run with `cargo bench --bench render`.

use bytes::Bytes;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cyclr_tui::action::{Action, Pane};
use cyclr_tui::app::{App, CallKey, CallTitle, Connection, Mode, Outcome, Viewport};
use cyclr_tui::cyclr::model::decode;
use cyclr_tui::cyclr::{AccountConnector, CallResponse, SentRequest};
use cyclr_tui::document::ResponseDoc;
use cyclr_tui::msg::Msg;
use cyclr_tui::ui::{ViewState, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

/// About 10 MB of compact JSON: 100,000 contact-like records.
fn ten_megabytes() -> Bytes {
    let mut body = String::with_capacity(11_000_000);
    body.push_str("{\"records\":[");
    for i in 0..100_000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"Id\":\"003{i:015}\",\"FirstName\":\"First{i}\",\"LastName\":\"Last{i}\",\
             \"Email\":\"person{i}@example.com\",\"Score\":{},\"Active\":{}}}",
            i % 997,
            i % 2 == 0
        ));
    }
    body.push_str("],\"done\":true}");
    Bytes::from(body)
}

fn response(body: Bytes) -> CallResponse {
    CallResponse::from_parts(
        200,
        "OK",
        vec![("content-type".into(), "application/json".into())],
        Duration::from_millis(120),
        body,
        SentRequest::default(),
    )
}

fn connection() -> Connection {
    Connection {
        demo: true,
        instance: "http://sandbox".into(),
        account: "big-account".into(),
        ..Default::default()
    }
}

fn app_with(doc: Arc<ResponseDoc>) -> App {
    let mut app = App::new(connection());
    app.response.show(
        CallKey {
            account_connector_id: 1,
            method: "export".into(),
        },
        CallTitle {
            method: "Big export".into(),
            connector: "Bulk".into(),
            is_write: false,
        },
    );
    app.response.set_outcome(Outcome::Response(doc));
    app.update(Msg::Action(Action::Focus(Pane::Response)));
    app.update(Msg::Viewport {
        response: Viewport {
            rows: 30,
            width: 60,
        },
        list_rows: 30,
    });
    app
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App, view: &mut ViewState) {
    terminal
        .draw(|frame| render(app, view, frame))
        .expect("TestBackend draws");
}

fn connectors(n: usize) -> Vec<AccountConnector> {
    (0..n)
        .map(|i| {
            decode(serde_json::json!({
                "Id": 5_000_000 + i,
                "Name": format!("Bulk connector {i} ({})", ["Sales", "Support", "Ops"][i % 3]),
                "Authenticated": i % 5 != 0,
                "Connector": {"Id": 9999, "Name": "Bulk Test Connector", "Version": "1.0"}
            }))
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let body = ten_megabytes();
    c.bench_function("format a 10 MB JSON body (off the UI task)", |b| {
        b.iter_batched(
            || response(body.clone()),
            ResponseDoc::new,
            BatchSize::LargeInput,
        );
    });

    let doc = Arc::new(ResponseDoc::new(response(body.clone())));
    c.bench_function(
        "scan the 10 MB pretty body for an outline (fallback when the layout cannot give one)",
        |b| {
            b.iter(|| cyclr_tui::outline::Outline::build(&doc.pretty));
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("TestBackend");
    for (name, position) in [("top", 0.0), ("middle", 0.5), ("end", 1.0)] {
        let mut app = app_with(doc.clone());
        let lines = doc.pretty.len() as f64;
        app.response.scroll_by((lines * position) as isize);
        let mut view = ViewState::default();
        c.bench_function(
            &format!("draw a frame with the 10 MB response at its {name}"),
            |b| b.iter(|| draw(&mut terminal, &app, &mut view)),
        );
    }

    let mut app = app_with(doc.clone());
    let mut view = ViewState::default();
    c.bench_function("scroll key then frame (10 MB response)", |b| {
        b.iter(|| {
            app.update(Msg::Action(Action::PageDown));
            draw(&mut terminal, &app, &mut view);
        });
    });
    c.bench_function("jump to end then frame (10 MB response)", |b| {
        b.iter(|| {
            app.update(Msg::Action(Action::Top));
            app.update(Msg::Action(Action::Bottom));
            draw(&mut terminal, &app, &mut view);
        });
    });

    let mut app = app_with(doc.clone());
    app.response.start_search();
    app.response.set_query("person99999@".into());
    c.bench_function("search step then frame (10 MB response, one match)", |b| {
        b.iter(|| {
            app.update(Msg::Action(Action::SearchNext));
            draw(&mut terminal, &app, &mut view);
        });
    });

    let many = connectors(10_000);
    let mut app = App::new(connection());
    app.connectors.set_items(many.clone());
    c.bench_function("filter 10,000 connectors by one keystroke", |b| {
        b.iter(|| {
            app.connectors
                .list
                .set_filter(black_box("support 77".into()));
            app.connectors
                .list
                .set_filter(black_box("support 7".into()));
        });
    });

    let mut app = App::new(connection());
    app.connectors.set_items(many);
    app.update(Msg::Action(Action::StartFilter));
    assert_eq!(app.mode, Mode::Filter(Pane::Connectors));
    let mut view = ViewState::default();
    let type_key = |app: &mut App, c: char| {
        app.update(Msg::Input(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    };
    c.bench_function("filter keystroke then frame (10,000 connectors)", |b| {
        b.iter(|| {
            type_key(&mut app, '7');
            draw(&mut terminal, &app, &mut view);
            app.update(Msg::Input(KeyEvent::new(
                KeyCode::Backspace,
                KeyModifiers::NONE,
            )));
        });
    });

    let mut app = app_with(doc);
    app.connectors.set_items(connectors(10_000));
    let mut view = ViewState::default();
    c.bench_function(
        "draw a whole frame (10,000 connectors, 10 MB response)",
        |b| b.iter(|| draw(&mut terminal, &app, &mut view)),
    );

    // Typing into a pasted 1.3 MB body (20,000 lines): a key, then the frame.
    let mut app = editor_with_method();
    let mut body = String::from("{\"Parameters\": {},\n\"Fields\": {\n");
    for i in 0..20_000 {
        body.push_str(&format!("  \"{i:06}\": \"{i:0>52}\",\n"));
    }
    body.push_str("  \"end\": \"\"\n}}");
    assert!(body.len() > 1_300_000);
    app.update(Msg::Paste(body));
    let mut view = ViewState::default();
    // Iterations type a character and take it back in turn (one key, one frame each), so
    // the line stays as it was.
    let key = |code| Msg::Input(KeyEvent::new(code, KeyModifiers::NONE));
    let mut typed = false;
    c.bench_function("type a key then frame (1.3 MB body, 20,000 lines)", |b| {
        b.iter(|| {
            typed = !typed;
            app.update(key(if typed {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            }));
            draw(&mut terminal, &app, &mut view);
        });
    });
    let mut app = editor_with_method();
    let mut view = ViewState::default();
    c.bench_function("type a key then frame (the method's template)", |b| {
        b.iter(|| {
            typed = !typed;
            app.update(key(if typed {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            }));
            draw(&mut terminal, &app, &mut view);
        });
    });
}

/// The history overlay with 100,000 recorded calls: they arrive (list built, first frame),
/// then a filter keystroke and its frame.
fn history_benches(c: &mut Criterion) {
    use cyclr_tui::history::Summary;
    let calls: Vec<Summary> = (0..100_000_i64)
        .map(|i| Summary {
            id: 100_000 - i,
            time_ms: 1_764_684_000_000 - i * 1000,
            profile: "eu-prod".into(),
            account: "acme-prod".into(),
            account_connector_id: 204_511 + i % 7,
            connector_name: format!("Connector {}", i % 7),
            method_id: Some(512_201 + i % 40),
            method_uid: None,
            method_name: format!("Method {} of a connector", i % 40),
            endpoint: "call".into(),
            http_method: "POST".into(),
            status: Some([200, 201, 404, 500][usize::try_from(i % 4).unwrap_or(0)]),
            error: None,
            elapsed_ms: 100 + u64::try_from(i % 900).unwrap_or(0),
            size: 1000 + u64::try_from(i).unwrap_or(0),
        })
        .collect();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let open = |list: cyclr_tui::app::ListPane<Summary>| {
        let mut app = App::new(connection());
        let effects = app.update(Msg::Action(Action::OpenHistory));
        let Some(cyclr_tui::effect::Effect::LoadHistory { id, .. }) = effects.first() else {
            panic!("the history loads: {effects:?}");
        };
        app.update(Msg::HistoryLoaded {
            id: *id,
            result: Ok(Box::new(list)),
        });
        app
    };
    // The list is built off the UI task (in the worker); the UI swaps it in and draws.
    c.bench_function("history: 100,000 calls arrive, then frame", |b| {
        b.iter_batched(
            || cyclr_tui::app::ListPane::ready(calls.clone()),
            |list| {
                let app = open(list);
                let mut view = ViewState::default();
                draw(&mut terminal, &app, &mut view);
                app // dropped after the measurement
            },
            criterion::BatchSize::LargeInput,
        );
    });
    let mut app = open(cyclr_tui::app::ListPane::ready(calls));
    let mut view = ViewState::default();
    let key = |code| Msg::Input(KeyEvent::new(code, KeyModifiers::NONE));
    let mut typed = false;
    c.bench_function(
        "history: filter keystroke then frame (100,000 calls)",
        |b| {
            b.iter(|| {
                typed = !typed;
                app.update(key(if typed {
                    KeyCode::Char('7')
                } else {
                    KeyCode::Backspace
                }));
                draw(&mut terminal, &app, &mut view);
            });
        },
    );
}

/// The explorer with a method chosen: the editor has the keyboard.
fn editor_with_method() -> App {
    let method: cyclr_tui::cyclr::Method = decode(serde_json::json!({
        "Id": 512203, "Name": "Create Contact", "MethodUniqueIdentifier": "d8c9d291-6b92-5232-ab8c-59f557012eb6",
        "RequestFields": (1..=7).map(|i| serde_json::json!({"Id": 3400013 + i, "Name": format!("Field {i}"), "DataType": "Text", "IsOptional": i != 2})).collect::<Vec<_>>()
    }));
    let mut app = App::new(connection());
    app.editor
        .load_method(204511, "Salesforce (Sales Team)", &method);
    app.update(Msg::Action(Action::Focus(Pane::Editor)));
    app
}

criterion_group! {
    name = render_benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = benches, history_benches
}
criterion_main!(render_benches);
