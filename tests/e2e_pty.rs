//! End to end: the real `cyclr-tui` binary in a pseudo-terminal, on the embedded demo sandbox.
//!
//! The harness (`tests/support/pty.rs`, shared with `benches/e2e.rs`) has a reader thread
//! forward everything the program writes to the terminal into a channel; the test feeds it to a
//! `vt100` screen and waits (with `recv_timeout`, never a sleep) until the screen shows what it
//! expects, under one overall deadline per test. A timeout panics with the current screen, so a
//! failure shows what the program was displaying.

#![cfg(unix)]

#[path = "support/pty.rs"]
mod pty;

use pty::{CTRL_C, CTRL_S, ENTER, ENTER_ALT, Session};

/// Waits until the explorer shows its demo connectors.
fn wait_for_first_frame(session: &mut Session) {
    session.wait_for("DEMO");
    // The focused pane's title can be cut to fit (it was "…connectors (11" at 120 columns);
    // the whole title is checked once the focus has moved on.
    session.wait_for("Account connectors (11");
}

/// Opens a connector, filters its methods, opens one, sends it, and quits with Ctrl-C.
fn demo_call(cols: u16, rows: u16) {
    let mut s = Session::spawn(cols, rows);
    wait_for_first_frame(&mut s);

    // Enter on the first connector, "Salesforce (Sales Team)", loads its methods. The row
    // may show the name cut to fit, but then with its id ("List Contac…  #512201").
    s.send(ENTER);
    s.wait_until("the List Contacts method row", |screen| {
        screen.contains("List Contacts") || screen.contains("#512201")
    });
    s.wait_for("Account connectors (11)");

    // Filter the methods and keep the filter: List Contacts is the only row left, and so
    // the one that the next Enter opens (unfiltered, the first row is Create Account).
    s.send(b"/");
    s.send(b"list contacts");
    s.send(ENTER);

    // Enter opens it in the request editor; Ctrl-S sends it.
    s.send(ENTER);
    s.wait_for("Request: List Contacts");
    s.send(CTRL_S);
    s.wait_for("200 OK");
    s.wait_for("\"records\"");

    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}

#[test]
fn demo_call_end_to_end() {
    demo_call(120, 40);
}

#[test]
fn demo_call_end_to_end_at_80x24() {
    demo_call(80, 24);
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::spawn(120, 40);
    wait_for_first_frame(&mut s);
    s.signal(libc::SIGTERM);
    s.assert_clean_exit("SIGTERM after the first frame");
}

/// SIGTERM at the earliest moment that matters: the terminal is already in raw mode on the
/// alternate screen, but nothing has been drawn yet.
#[test]
fn sigterm_right_after_the_terminal_is_taken_over() {
    let mut s = Session::spawn(120, 40);
    s.wait_for_output(ENTER_ALT);
    s.signal(libc::SIGTERM);
    s.assert_clean_exit("SIGTERM right after \\e[?1049h");
}

#[test]
fn closed_terminal_ends_the_process() {
    let mut s = Session::spawn(120, 40);
    wait_for_first_frame(&mut s);
    s.close_terminal();
    let status = s.wait_exit();
    // SIGHUP is handled, so the program must end on its own, not die of a signal
    // (an abort here means it panicked while restoring the closed terminal).
    assert!(
        status.signal().is_none(),
        "the process died of a signal after its terminal closed: {status}"
    );
}

#[test]
fn tiny_terminal_shows_a_notice() {
    let mut s = Session::spawn(40, 10);
    s.wait_for("Terminal too small");
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}

#[test]
fn sighup_restores_the_terminal() {
    let mut s = Session::spawn(120, 40);
    wait_for_first_frame(&mut s);
    s.signal(libc::SIGHUP);
    s.assert_clean_exit("SIGHUP after the first frame");
}

/// A panic (injected through the test-only variable) restores the terminal before the
/// message is printed, and the process ends instead of spinning.
#[test]
fn a_panic_restores_the_terminal_and_ends_the_process() {
    let mut s = Session::spawn_env(&[], &[(cyclr_tui::tui::TEST_PANIC_VAR, "1")], 120, 40);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 101, "a panic exits with 101: {status}");
    let problems = s.restore_problems();
    assert!(problems.is_empty(), "after a panic: {problems:?}");
    let output = String::from_utf8_lossy(s.raw()).into_owned();
    let left = output
        .rfind("\u{1b}[?1049l")
        .expect("left the alternate screen");
    let message = output
        .find("panic injected")
        .expect("the panic message is printed");
    assert!(
        message > left,
        "the message is printed after the terminal is restored"
    );
}

/// The row of the list whose selection marker (`›`) is on a row containing `name`.
fn selected_row_shows(screen: &str, name: &str) -> bool {
    screen
        .lines()
        .any(|line| line.contains('›') && line.contains(name))
}

/// A resize, several of them, also in the middle of typing, never holds a key back: each key
/// that follows acts at once (before any other byte arrives), and the process does not spin.
#[test]
fn keys_act_at_once_after_resizes_and_nothing_spins() {
    use std::time::Duration;
    let mut s = Session::spawn(140, 45);
    wait_for_first_frame(&mut s);
    s.send(ENTER);
    s.wait_for("Create Account");

    s.resize(120, 40);
    s.next_frame(Duration::from_secs(5))
        .expect("a frame at the new size");
    s.send(b"j");
    s.wait_until("j after a resize to move to Get Account", |screen| {
        selected_row_shows(screen, "Get Account")
    });

    // Typing a filter with resizes between the keys.
    s.send(b"/li");
    s.resize(100, 30);
    s.resize(140, 45);
    s.send(b"s");
    s.resize(120, 40);
    s.send(b"t");
    s.wait_for("/list");

    let before = s.cpu_time();
    s.collect_for(Duration::from_secs(2));
    let used = s.cpu_time().saturating_sub(before);
    assert!(
        used < Duration::from_millis(500),
        "the process used {used:?} of CPU in 2 s after resizes: it is spinning"
    );

    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}

/// After a resize, one Ctrl-S sends one request: the server sees exactly one POST.
#[test]
fn one_send_after_a_resize_is_one_request() {
    use cyclr_tui::sandbox::{Sandbox, SandboxConfig};
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxConfig::default()))
        .expect("start the sandbox");
    let demo = sandbox.demo().clone();
    let url = sandbox.base_url();
    let mut s = Session::spawn_env(
        &[],
        &[
            ("CYCLR_INSTANCE", url.as_str()),
            ("CYCLR_ACCOUNT", demo.account_id.as_str()),
            ("CYCLR_TOKEN", demo.static_token.as_str()),
        ],
        140,
        45,
    );
    s.wait_for("Account connectors (11");
    s.send(ENTER);
    s.wait_for("List Contacts");
    s.send(b"/list contacts");
    s.send(ENTER);
    s.send(ENTER);
    s.wait_for("Request: List Contacts");

    s.resize(120, 40);
    s.send(CTRL_S);
    s.wait_for("· 200 OK");
    let posts: Vec<_> = sandbox
        .received()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.contains("/methods/"))
        .collect();
    assert_eq!(posts.len(), 1, "one Ctrl-S, one request: {posts:#?}");

    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}

/// With both a token and client credentials set, the explorer says which it uses; the demo
/// says how to connect to a real instance and where the log file is.
#[test]
fn the_explorer_says_which_credentials_it_uses_and_how_to_leave_the_demo() {
    use cyclr_tui::sandbox::{Sandbox, SandboxConfig};
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxConfig::default()))
        .expect("start the sandbox");
    let demo = sandbox.demo().clone();
    let url = sandbox.base_url();
    let mut s = Session::spawn_env(
        &[],
        &[
            ("CYCLR_INSTANCE", url.as_str()),
            ("CYCLR_ACCOUNT", demo.account_id.as_str()),
            ("CYCLR_TOKEN", demo.static_token.as_str()),
            ("CYCLR_CLIENT_ID", demo.client_id.as_str()),
            ("CYCLR_CLIENT_SECRET", demo.client_secret.as_str()),
        ],
        200,
        40,
    );
    s.wait_for("client credentials also set are not used");
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");

    let mut s = Session::spawn(120, 40);
    wait_for_first_frame(&mut s);
    s.wait_for("how to connect");
    s.send(b"?");
    s.wait_for("CYCLR_INSTANCE");
    s.wait_for("cyclr-tui.log");
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}
