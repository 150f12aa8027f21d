//! The loop: wait for input, replies or a tick; apply every queued message; draw once, and
//! only when something changed. The terminal backend and the input stream are parameters,
//! so tests run the real loop on a `TestBackend` with a channel of events.

use crate::action::{Action, Pane};
use crate::app::{App, Viewport};
use crate::cyclr::CyclrClient;
use crate::effect::Effect;
use crate::msg::Msg;
use crate::ui::{self, ViewState};
use crate::worker::Worker;
use crossterm::event::{Event, MouseButton, MouseEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// The terminal itself, beyond drawing: what copying (OSC 52) and the user's editor need.
/// Tests run the loop without one.
pub trait Console: Send {
    /// Writes an escape sequence (OSC 52) straight to the terminal, between frames.
    fn write_sequence(&mut self, sequence: &str) -> std::io::Result<()>;
    /// Runs `child` with the terminal handed over: nothing read from it meanwhile, the
    /// screen as the shell had it.
    fn suspended(&mut self, child: &mut dyn FnMut()) -> std::io::Result<()>;
}

/// How often the spinner and elapsed time advance while something is busy.
const TICK: Duration = Duration::from_millis(100);

/// The running explorer: app state, its view state, the terminal, input and the worker.
pub struct Runtime<B: Backend, S> {
    terminal: Terminal<B>,
    app: App,
    view: ViewState,
    events: S,
    worker: Worker,
    replies: UnboundedReceiver<Msg>,
    /// The sending side of `replies`, for the history thread's problems.
    tx: tokio::sync::mpsc::UnboundedSender<Msg>,
    dirty: bool,
    /// The geometry `App` was last told about (see [`Msg::Viewport`]).
    told: Option<(Viewport, usize)>,
    /// The last click on a list row, to recognise a double click.
    last_click: Option<(Instant, Pane, usize)>,
    /// The real terminal (none in tests).
    console: Option<Box<dyn Console>>,
    /// The user's editor, program first (`$VISUAL`, `$EDITOR`, else `vi`).
    editor: Vec<String>,
    /// Where copied text goes when there is no clipboard.
    copies: std::path::PathBuf,
}

/// Runs `f`, which blocks, letting the runtime move other tasks off this thread meanwhile
/// when it can.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// Two clicks on the same row within this time are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(400);

impl<B, S> Runtime<B, S>
where
    B: Backend,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    /// Sets up the loop and starts the app's first effects (loading the connectors).
    pub fn new(terminal: Terminal<B>, mut app: App, events: S, client: CyclrClient) -> Self {
        let (tx, replies) = unbounded_channel();
        let mut worker = Worker::new(client, tx.clone());
        for effect in app.start() {
            worker.run(effect);
        }
        Runtime {
            terminal,
            app,
            view: ViewState::default(),
            events,
            worker,
            replies,
            tx,
            dirty: true,
            told: None,
            last_click: None,
            console: None,
            editor: crate::external_editor::editor_command(),
            copies: directories::ProjectDirs::from("", "", "cyclr-tui")
                .map_or_else(std::env::temp_dir, |dirs| dirs.data_dir().join("copies")),
        }
    }

    /// Uses the real terminal for copying through OSC 52 and for the user's editor.
    pub fn set_console(&mut self, console: Box<dyn Console>) {
        self.console = Some(console);
    }

    /// Uses `command` (program, then arguments) as the user's editor.
    pub fn set_editor(&mut self, command: Vec<String>) {
        self.editor = command;
    }

    /// Saves copies that find no clipboard in `dir`.
    pub fn set_copies_dir(&mut self, dir: std::path::PathBuf) {
        self.copies = dir;
    }

    /// Records every call in `history` from now on (on a thread of its own). A history that
    /// could not be opened, or fails later, is reported once in the status bar.
    pub fn set_history(
        &mut self,
        history: Result<crate::history::History, crate::history::HistoryError>,
    ) {
        match history {
            Ok(history) => {
                let tx = self.tx.clone();
                let recorder = crate::recorder::Recorder::spawn(
                    history,
                    Box::new(move |problem| {
                        let _ = tx.send(Msg::HistoryProblem(problem));
                    }),
                );
                let profile = self.app.connection.profile.clone().unwrap_or_default();
                self.worker.set_recorder(recorder, profile);
                for effect in self.app.recall() {
                    self.worker.run(effect);
                }
            }
            Err(e) => {
                self.app
                    .update(Msg::HistoryProblem(format!("history is off: {e}")));
                self.dirty = true;
            }
        }
    }

    /// Ends the session: a quit not yet applied is (so drafts and where the explorer was are
    /// kept, also on SIGTERM or SIGHUP), and the history is written before returning.
    pub fn shut_down(&mut self) {
        if !self.app.should_quit {
            self.apply(Msg::Action(Action::Quit));
        }
        self.worker.flush_history();
    }

    /// The app state (read-only).
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The terminal, e.g. to read a `TestBackend`'s buffer.
    pub fn terminal(&self) -> &Terminal<B> {
        &self.terminal
    }

    /// Ends the loop and hands the terminal back (for restoring it).
    pub fn into_terminal(self) -> Terminal<B> {
        self.terminal
    }

    /// Runs until the user quits or the input ends.
    pub async fn run(&mut self) -> std::io::Result<()> {
        while self.step().await? {}
        Ok(())
    }

    /// Steps until `done(app)` holds (drawing as usual); `false` if the app quit first.
    pub async fn run_until(&mut self, done: impl Fn(&App) -> bool) -> std::io::Result<bool> {
        loop {
            if done(&self.app) {
                self.draw()?;
                return Ok(true);
            }
            if !self.step().await? {
                return Ok(false);
            }
        }
    }

    /// Draws if needed, waits for the next event, and applies it with everything else queued.
    /// Returns `false` once the app should stop.
    pub async fn step(&mut self) -> std::io::Result<bool> {
        self.draw()?;
        if self.app.should_quit {
            return Ok(false);
        }
        let busy = self.app.is_busy();
        let first = tokio::select! {
            event = self.events.next() => match event {
                Some(Ok(event)) => self.translate(event),
                Some(Err(e)) => return Err(e),
                // The terminal went away: stop.
                None => Some(Msg::Action(Action::Quit)),
            },
            Some(reply) = self.replies.recv() => Some(reply),
            () = tokio::time::sleep(TICK), if busy => Some(Msg::Tick(Instant::now())),
        };
        if let Some(msg) = first {
            if !matches!(msg, Msg::Tick(_)) {
                self.apply(Msg::Tick(Instant::now()));
            }
            self.apply(msg);
        }
        while let Ok(reply) = self.replies.try_recv() {
            self.apply(reply);
        }
        Ok(!self.app.should_quit)
    }

    fn apply(&mut self, msg: Msg) {
        self.dirty = true;
        if let Msg::WriteToTerminal(sequence) = &msg {
            if let Some(console) = self.console.as_mut() {
                let _ = console.write_sequence(sequence);
            }
            return;
        }
        let effects: Vec<Effect> = self.app.update(msg);
        for effect in effects {
            match effect {
                Effect::Copy { text, name } => self.copy(text, name),
                Effect::EditExternally { text } => self.edit_externally(&text),
                effect => self.worker.run(effect),
            }
        }
    }

    /// Copies on a thread of its own (a clipboard may take a second to answer); an OSC 52
    /// sequence comes back to be written between frames.
    fn copy(&self, text: String, name: String) {
        let tx = self.tx.clone();
        let dir = self.copies.clone();
        let has_terminal = self.console.is_some();
        tokio::task::spawn_blocking(move || {
            let mut osc52 = |sequence: &str| {
                if !has_terminal {
                    return Err(std::io::Error::other("no terminal"));
                }
                tx.send(Msg::WriteToTerminal(sequence.to_string()))
                    .map_err(|_| std::io::Error::other("the explorer is closing"))
            };
            let result = crate::clipboard::copy(&text, &mut osc52, &dir, &name)
                .map(|copied| crate::clipboard::describe(&copied, text.len()));
            let _ = tx.send(Msg::Copied(result));
        });
    }

    /// Hands the terminal to the user's editor with the request body, then takes it back.
    fn edit_externally(&mut self, text: &str) {
        let command = self.editor.clone();
        let mut result = Err("the editor did not run".to_string());
        let mut child = || result = crate::external_editor::edit(text, "jsonc", &command);
        let ran = if let Some(console) = self.console.as_mut() {
            blocking(|| console.suspended(&mut child))
        } else {
            blocking(&mut child);
            Ok(())
        };
        if let Err(e) = ran {
            result = Err(format!("cannot take the terminal back: {e}"));
        }
        // The editor drew over the screen: draw all of it again. A blank frame first, so
        // the next one differs everywhere (`Terminal::clear` would ask the terminal where
        // its cursor is, and read the answer from the input it does not own).
        let _ = self.terminal.draw(|frame| {
            frame.render_widget(ratatui::widgets::Clear, frame.area());
        });
        self.apply(Msg::EditedExternally(result));
    }

    /// Draws if something changed. When the drawn geometry differs from what `App` knows
    /// (the first frame, a resize, a pane that grew), `App` is told and the frame drawn again,
    /// so scroll limits always match the screen.
    fn draw(&mut self) -> std::io::Result<()> {
        for _ in 0..2 {
            if !self.dirty {
                return Ok(());
            }
            let (app, view) = (&self.app, &mut self.view);
            self.terminal
                .draw(|frame| ui::render(app, view, frame))
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            self.dirty = false;
            let geometry = (
                Viewport {
                    rows: self.view.response_rows,
                    width: self.view.response_width,
                },
                self.view.list_rows,
            );
            if self.told != Some(geometry) {
                self.told = Some(geometry);
                self.apply(Msg::Viewport {
                    response: geometry.0,
                    list_rows: geometry.1,
                });
            }
        }
        Ok(())
    }

    /// Turns a terminal event into a message; resizes only ask for a redraw.
    fn translate(&mut self, event: Event) -> Option<Msg> {
        match event {
            Event::Key(key) => {
                let keymap = std::sync::Arc::clone(&self.app.keymap);
                keymap.message_for(&self.app, key)
            }
            Event::Paste(text) => Some(Msg::Paste(text)),
            Event::Resize(..) => {
                self.dirty = true;
                None
            }
            Event::Mouse(mouse) => {
                let pane = self.view.pane_at(mouse.column, mouse.row)?;
                let action = match mouse.kind {
                    MouseEventKind::ScrollDown => Action::Scroll(pane, 3),
                    MouseEventKind::ScrollUp => Action::Scroll(pane, -3),
                    MouseEventKind::Down(MouseButton::Left) => match pane {
                        Pane::Connectors | Pane::Methods => {
                            match self.view.list_row_at(pane, mouse.row) {
                                Some(row) => self.click_row(pane, row),
                                None => Action::Focus(pane),
                            }
                        }
                        Pane::Response => match self.view.tab_at(mouse.column, mouse.row) {
                            Some(tab) => Action::SelectTab(tab),
                            None => Action::Focus(pane),
                        },
                        Pane::Editor => Action::Focus(pane),
                    },
                    _ => return None,
                };
                Some(Msg::Action(action))
            }
            _ => None,
        }
    }

    /// A click on a list row selects it; a second click on it soon after opens it.
    fn click_row(&mut self, pane: Pane, row: usize) -> Action {
        let now = Instant::now();
        let double = self.last_click.is_some_and(|(at, p, r)| {
            p == pane && r == row && now.saturating_duration_since(at) <= DOUBLE_CLICK
        });
        if double {
            self.last_click = None;
            Action::Select
        } else {
            self.last_click = Some((now, pane, row));
            Action::SelectRow(pane, row)
        }
    }
}
