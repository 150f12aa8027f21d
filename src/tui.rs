//! The real terminal: raw mode, alternate screen, mouse and bracketed paste on the way in,
//! and all of it undone on every way out (normal exit, error, panic).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;

/// Enters the alternate screen in raw mode with mouse capture and bracketed paste; a panic
/// restores the terminal before its message is printed.
pub fn init() -> std::io::Result<DefaultTerminal> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    ratatui::Terminal::new(CrosstermBackend::new(std::io::stdout()))
}

/// Leaves the alternate screen and raw mode and shows the cursor. Safe to call more than
/// once, and silent: the terminal may already be gone, and nothing here may print or panic.
pub fn restore() {
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Takes the terminal back after [`restore`] (the user's editor ran meanwhile): raw mode, the
/// alternate screen, mouse capture and bracketed paste, as [`init`] sets them. The caller
/// then clears and redraws.
pub fn resume() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// The real terminal, for what the loop does beyond drawing.
struct RealConsole {
    input: crate::input::InputControl,
}

impl crate::runtime::Console for RealConsole {
    fn write_sequence(&mut self, sequence: &str) -> std::io::Result<()> {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(sequence.as_bytes())?;
        out.flush()
    }

    /// In this order: the input thread stops reading (the child gets every byte), the
    /// terminal is given back as the shell had it, mouse reports on their way are dropped,
    /// the child runs, the terminal is taken back, stray input is drained, reading resumes.
    fn suspended(&mut self, child: &mut dyn FnMut()) -> std::io::Result<()> {
        self.input.pause();
        restore();
        let _ = self.input.discard_input();
        child();
        let resumed = resume();
        self.input.resume();
        resumed
    }
}

/// Restores the terminal and disposes of `terminal` without its `Drop`, which reports a
/// failure to show the cursor on stderr, and so panics when the terminal was closed.
fn close(terminal: DefaultTerminal) {
    restore();
    std::mem::forget(terminal);
}

/// Opens the explorer on the configured instance (or the demo sandbox when nothing is
/// configured) and returns the process exit code. SIGTERM, SIGHUP and a closed terminal end
/// it cleanly too.
pub async fn run(settings: &crate::settings::Settings) -> i32 {
    use crate::app::{App, Connection};
    use crate::process::{EXIT_OK, EXIT_USAGE, report, shutdown_signal};
    use crate::session::connect;

    let session = match connect(settings, true).await {
        Ok(session) => session,
        Err(e) => {
            report(&e.to_string());
            return e.exit_code();
        }
    };
    let config = session.client.config();
    let connection = Connection {
        demo: session.is_demo(),
        profile: settings.profile.as_ref().map(|p| p.value.clone()),
        color: settings.color.as_ref().map(|c| c.value.clone()),
        single_account: settings.scoped_token.value,
        instance: config.base_url.as_str().trim_end_matches('/').to_string(),
        account: config
            .account
            .clone()
            .unwrap_or_else(|| crate::app::NO_ACCOUNT.into()),
        auth: session.auth.clone(),
        log_file: crate::logging::log_path(settings.log_file.as_ref().map(|s| s.value.as_path()))
            .map(|p| p.display().to_string()),
    };
    // Signal handlers go in before the terminal is taken over, so a SIGTERM at any moment
    // ends the loop (and restores the terminal) instead of killing the process.
    let shutdown = shutdown_signal();
    let terminal = match init() {
        Ok(t) => t,
        Err(e) => {
            restore();
            report(&format!("cannot open the terminal: {e}"));
            return EXIT_USAGE;
        }
    };
    let (events, input) = match crate::input::spawn() {
        Ok(spawned) => spawned,
        Err(e) => {
            close(terminal);
            report(&format!("cannot read the terminal: {e}"));
            return EXIT_USAGE;
        }
    };
    let mut app = App::new(connection);
    app.keymap = std::sync::Arc::new(settings.keymap.clone());
    app.safety = crate::app::Safety {
        read_only: settings.read_only.value,
        confirm_writes: settings.confirm_writes.value,
    };
    app.remember = !settings.fresh;
    // https://no-color.org: set and not empty.
    app.no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    app.light = settings.theme.value == crate::settings::Theme::Light;
    let mut runtime = crate::runtime::Runtime::new(terminal, app, events, session.client.clone());
    runtime.set_history(crate::recorder::open_default(&settings.history));
    runtime.set_console(Box::new(RealConsole { input }));
    let result = tokio::select! {
        result = run_loop(&mut runtime) => result,
        () = shutdown => Ok(()),
    };
    runtime.shut_down();
    close(runtime.into_terminal());
    crate::clipboard::release();
    drop(session);
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            report(&format!("terminal error: {e}"));
            1
        }
    }
}

/// Set to make the explorer panic after its first frame: the tests use it to check that a
/// panic restores the terminal and ends the process.
pub const TEST_PANIC_VAR: &str = "CYCLR_TUI_TEST_PANIC";

async fn run_loop<B, S>(runtime: &mut crate::runtime::Runtime<B, S>) -> std::io::Result<()>
where
    B: ratatui::backend::Backend,
    S: futures::Stream<Item = std::io::Result<crossterm::event::Event>> + Unpin,
{
    if std::env::var_os(TEST_PANIC_VAR).is_some() {
        runtime.step().await?;
        panic!("panic injected by {TEST_PANIC_VAR}");
    }
    runtime.run().await
}
