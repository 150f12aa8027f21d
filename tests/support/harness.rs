//! The real app loop (`Runtime`) driven by a channel of key events against the sandbox,
//! drawn on a `TestBackend`: the harness the flow tests share. It waits on state, never on
//! time.

use super::demo_sandbox;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use cyclr_tui::app::{App, Connection, Loadable};
use cyclr_tui::history::{History, Retention};
use cyclr_tui::runtime::Runtime;
use cyclr_tui::sandbox::Sandbox;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;
use tokio::time::timeout;

pub type Events = UnboundedReceiver<std::io::Result<Event>>;

pub struct Harness {
    pub runtime: Runtime<TestBackend, Events>,
    pub keys: UnboundedSender<std::io::Result<Event>>,
    pub sandbox: Sandbox,
}

impl Harness {
    pub async fn start(width: u16, height: u16) -> Harness {
        Harness::start_with(width, height, cyclr_tui::keymap::Keymap::default()).await
    }

    pub async fn start_with(width: u16, height: u16, keymap: cyclr_tui::keymap::Keymap) -> Harness {
        Harness::start_full(width, height, keymap, None).await
    }

    /// With a size cap of `max_body` bytes for responses, when given.
    pub async fn start_full(
        width: u16,
        height: u16,
        keymap: cyclr_tui::keymap::Keymap,
        max_body: Option<u64>,
    ) -> Harness {
        Harness::start_all(width, height, keymap, max_body, None).await
    }

    /// Everything optional: a response size cap, and a history at `db` (calls, drafts and
    /// place go to it and come from it).
    pub async fn start_all(
        width: u16,
        height: u16,
        keymap: cyclr_tui::keymap::Keymap,
        max_body: Option<u64>,
        db: Option<&std::path::Path>,
    ) -> Harness {
        let (sandbox, client) = demo_sandbox().await;
        let client = match max_body {
            Some(cap) => {
                let mut config = client.config().clone();
                config.max_body_bytes = cap;
                cyclr_tui::cyclr::CyclrClient::new(config).unwrap()
            }
            None => client,
        };
        let demo = sandbox.demo();
        let (keys, events) = unbounded();
        let connection = Connection {
            demo: true,
            instance: "sandbox".into(),
            account: demo.account_id.clone(),
            ..Default::default()
        };
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let mut app = App::new(connection);
        app.keymap = std::sync::Arc::new(keymap);
        app.remember = db.is_some();
        let mut runtime = Runtime::new(terminal, app, events, client);
        if let Some(db) = db {
            runtime.set_history(History::open(db, Retention::default()));
        }
        Harness {
            runtime,
            keys,
            sandbox,
        }
    }

    /// Remembering: calls, drafts and place go to (and come from) the history at `db`.
    pub async fn start_remembering(width: u16, height: u16, db: &std::path::Path) -> Harness {
        let keymap = cyclr_tui::keymap::Keymap::default();
        Harness::start_all(width, height, keymap, None, Some(db)).await
    }

    pub fn key(&self, code: KeyCode) {
        self.key_with(code, KeyModifiers::NONE);
    }

    pub fn key_with(&self, code: KeyCode, modifiers: KeyModifiers) {
        self.keys
            .unbounded_send(Ok(Event::Key(KeyEvent::new(code, modifiers))))
            .unwrap();
    }

    pub fn type_text(&self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    /// Runs the loop until `done` holds, for at most 20 s.
    pub async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let result = timeout(Duration::from_secs(20), self.runtime.run_until(done)).await;
        match result {
            Ok(Ok(true)) => {}
            other => panic!("waiting for {what}: {other:?}\n{}", self.screen()),
        }
    }

    /// Opens the method of "HTTP Bin (Demo Tools)" that `method_filter` picks, in the editor.
    pub async fn open_demo_tool(&mut self, method_filter: &str) {
        self.type_text("/http bin");
        self.key(KeyCode::Enter);
        self.key(KeyCode::Enter);
        self.until("methods", methods_ready).await;
        self.type_text(&format!("/{method_filter}"));
        self.key(KeyCode::Enter);
        self.key(KeyCode::Enter);
        self.until("the editor", |app| app.editor.target.is_some())
            .await;
    }

    pub fn screen(&self) -> String {
        let buffer = self.runtime.terminal().backend().buffer();
        let width = buffer.area.width as usize;
        buffer
            .content
            .chunks(width)
            .map(|row| {
                row.iter()
                    .map(ratatui::buffer::Cell::symbol)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub fn connectors_ready(app: &App) -> bool {
    matches!(app.connectors.items, Loadable::Ready(_))
}

pub fn methods_ready(app: &App) -> bool {
    matches!(app.methods.items, Loadable::Ready(_))
}

pub fn response_status(app: &App) -> Option<u16> {
    app.response.doc().map(|d| d.response.status)
}
