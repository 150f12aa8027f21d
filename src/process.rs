//! What both faces share about the process: exit codes, the one error line on stderr, and
//! the signals that end it.

use std::io::Write;

/// Success.
pub const EXIT_OK: i32 = 0;
/// An HTTP status ≥ 400 or an unusable response.
pub const EXIT_HTTP: i32 = 1;
/// Usage or configuration errors: nothing was started.
pub const EXIT_USAGE: i32 = 2;

/// Prints one error line on stderr, made inert.
pub fn report(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {}", crate::text::inert(message));
}

/// A future that resolves on SIGINT, SIGTERM or SIGHUP. The handlers are installed when this
/// is called, not when it is first polled, so no signal in between takes the default action.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut signals: Vec<_> = [
        SignalKind::interrupt(),
        SignalKind::terminate(),
        SignalKind::hangup(),
    ]
    .into_iter()
    .filter_map(|kind| signal(kind).ok())
    .collect();
    async move {
        if signals.is_empty() {
            return std::future::pending().await;
        }
        let any = signals.iter_mut().map(|s| Box::pin(s.recv()));
        futures::future::select_all(any).await;
    }
}
