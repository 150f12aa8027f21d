//! The real terminal: raw mode, alternate screen, mouse and bracketed paste on the way in,
//! and all of it undone on every way out (normal exit, error, panic).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Enters the alternate screen in raw mode with mouse capture and bracketed paste; a panic
/// restores the terminal before its message is printed.
pub fn init() -> std::io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    Ok(terminal)
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
pub fn restore() {
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    ratatui::restore();
}

/// Opens the explorer on the configured instance (or the demo sandbox when nothing is
/// configured) and returns the process exit code. SIGTERM, SIGHUP and a closed terminal end
/// it cleanly too.
pub async fn run(global: &crate::cli::GlobalArgs) -> i32 {
    use crate::app::{App, Connection};
    use crate::commands::{report, wait_for_shutdown_signal};
    use crate::config::{EnvCredentials, connect};

    let session = match connect(global, &EnvCredentials::from_process(), true).await {
        Ok(session) => session,
        Err(e) => {
            report(&e.to_string());
            return e.exit_code();
        }
    };
    let config = session.client.config();
    let connection = Connection {
        demo: session.is_demo(),
        instance: config.base_url.as_str().trim_end_matches('/').to_string(),
        account: config
            .account
            .clone()
            .unwrap_or_else(|| "(no account)".into()),
    };
    let terminal = match init() {
        Ok(t) => t,
        Err(e) => {
            restore();
            report(&format!("cannot open the terminal: {e}"));
            return crate::commands::EXIT_USAGE;
        }
    };
    let events = crossterm::event::EventStream::new();
    let mut runtime = crate::runtime::Runtime::new(
        terminal,
        App::new(connection),
        events,
        session.client.clone(),
    );
    let result = tokio::select! {
        result = runtime.run() => result,
        _ = wait_for_shutdown_signal() => Ok(()),
    };
    drop(runtime);
    restore();
    drop(session);
    match result {
        Ok(()) => crate::commands::EXIT_OK,
        Err(e) => {
            report(&format!("terminal error: {e}"));
            1
        }
    }
}
