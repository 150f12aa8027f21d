//! What both faces share about the process: exit codes, the one error line on stderr, the
//! signals that end it, and how it hands memory back.

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

/// Keeps every large buffer (a response body, its laid-out text) in a mapping of its own that
/// goes back to the system when the buffer is freed. By default glibc raises this threshold
/// each time such a buffer is freed, after which the next big buffers come from the heap and
/// stay resident once freed: every 10 MB response viewed would ratchet memory up. Call it first
/// thing in `main`, before any other thread starts.
pub fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only tunes the allocator; no other thread runs yet to race with it.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
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
