//! End to end: the real `cyclr-tui` binary in a pseudo-terminal, on the embedded demo sandbox.
//!
//! A reader thread forwards everything the program writes to the terminal into a channel; the
//! test feeds it to a `vt100` screen and waits (with `recv_timeout`, never a sleep) until the
//! screen shows what it expects, under one overall deadline per test. A timeout panics with the
//! current screen, so a failure shows what the program was displaying.

#![cfg(unix)]

use portable_pty::{Child, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::fs::File;
use std::io::{self, Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread;
use std::time::{Duration, Instant};

/// How long one whole test may take.
const DEADLINE: Duration = Duration::from_secs(30);

/// Entering and leaving the alternate screen.
const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
/// Mouse reporting (press/release) and its SGR encoding, as crossterm turns them on and off.
const MOUSE_ON: &[u8] = b"\x1b[?1000h";
const MOUSE_OFF: &[&[u8]] = &[b"\x1b[?1000l", b"\x1b[?1006l"];
/// Bracketed paste.
const PASTE_ON: &[u8] = b"\x1b[?2004h";
const PASTE_OFF: &[u8] = b"\x1b[?2004l";

/// Ctrl-C, Ctrl-S and Enter as a terminal sends them in raw mode.
const CTRL_C: &[u8] = b"\x03";
const CTRL_S: &[u8] = b"\x13";
const ENTER: &[u8] = b"\r";

/// A scratch directory for `HOME` and `XDG_STATE_HOME`, removed on drop.
struct TempHome(PathBuf);

impl TempHome {
    fn new() -> TempHome {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "cyclr-tui-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(path.join("state")).expect("create the temp home");
        TempHome(path)
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Duplicates `fd` as a new close-on-exec descriptor (so no other test's child inherits it).
fn dup_cloexec(fd: RawFd) -> OwnedFd {
    // SAFETY: fcntl on a descriptor we hold; the result is a fresh descriptor we then own.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    assert!(new >= 0, "dup: {}", io::Error::last_os_error());
    // SAFETY: `new` is a valid descriptor that nothing else owns.
    unsafe { OwnedFd::from_raw_fd(new) }
}

/// A close-on-exec pipe: (read end, write end).
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two descriptors that we then own.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe: {}", io::Error::last_os_error());
    // SAFETY: both are fresh, valid descriptors.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

/// Forwards the terminal's output to `tx` until the program's side closes (EOF or EIO) or
/// `stop` becomes readable (the test closing the terminal, or the session being dropped).
/// The thread holds its own copy of the master descriptor, so `stop` is what lets the test
/// close the terminal completely.
fn spawn_reader(master: OwnedFd, stop: OwnedFd, tx: std::sync::mpsc::Sender<Vec<u8>>) {
    thread::spawn(move || {
        let mut file = File::from(master);
        let mut buf = [0u8; 16 * 1024];
        loop {
            let mut fds = [
                libc::pollfd {
                    fd: file.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: stop.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: two valid pollfd entries; -1 waits without a timeout.
            let rc = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
            if rc < 0 {
                if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return;
            }
            if fds[1].revents != 0 {
                return;
            }
            match file.read(&mut buf) {
                // EOF, or EIO once every slave descriptor is closed: the program is gone.
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

/// The binary running in a pseudo-terminal, with a `vt100` screen of what it drew.
struct Session {
    /// The terminal as the program drew it.
    parser: vt100::Parser,
    /// Every byte the program wrote, for checking escape sequences.
    raw: Vec<u8>,
    /// Chunks from the reader thread; disconnected once the terminal has no writer left.
    output: Receiver<Vec<u8>>,
    /// The exit status, from a thread blocked in `wait()`.
    exited: Receiver<io::Result<ExitStatus>>,
    /// The status once received.
    status: Option<ExitStatus>,
    /// Keystrokes go here (a duplicate of the master descriptor).
    input: Option<File>,
    /// The terminal's master side; dropping it (with `input` and the reader) closes it.
    master: Option<Box<dyn MasterPty + Send>>,
    /// Writing to (or dropping) this stops the reader thread.
    stop_reader: Option<OwnedFd>,
    /// The program's process id.
    pid: u32,
    /// When the test gives up.
    deadline: Instant,
    /// The pty's `c_lflag` before the program started (cooked mode).
    cooked_lflag: libc::tcflag_t,
    _home: TempHome,
}

impl Session {
    /// Starts the binary with no arguments and no `CYCLR_*` settings (so on the demo sandbox)
    /// in a `cols`×`rows` terminal.
    fn spawn(cols: u16, rows: u16) -> Session {
        let home = TempHome::new();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_cyclr-tui"));
        for var in [
            "CYCLR_INSTANCE",
            "CYCLR_ACCOUNT",
            "CYCLR_TOKEN",
            "CYCLR_CLIENT_ID",
            "CYCLR_CLIENT_SECRET",
            "CYCLR_LOG",
            "CYCLR_LOG_FILE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &home.0);
        cmd.env("XDG_STATE_HOME", home.0.join("state"));
        cmd.cwd(&home.0);
        let master_fd = pair.master.as_raw_fd().expect("master fd");
        let cooked_lflag = termios_lflag(master_fd).expect("tcgetattr on the pty");
        let mut child = pair.slave.spawn_command(cmd).expect("spawn cyclr-tui");
        // Only the program may hold the slave side, so its exit reads as EOF here.
        drop(pair.slave);
        let pid = child.process_id().expect("child pid");

        let input = File::from(dup_cloexec(master_fd));
        let (stop_read, stop_write) = pipe();
        let (tx, output) = channel();
        spawn_reader(dup_cloexec(master_fd), stop_read, tx);

        let (exit_tx, exited) = channel();
        thread::spawn(move || {
            let _ = exit_tx.send(Child::wait(&mut *child));
        });

        Session {
            parser: vt100::Parser::new(
                NonZeroU16::new(rows).expect("rows > 0"),
                NonZeroU16::new(cols).expect("cols > 0"),
                0,
            ),
            raw: Vec::new(),
            output,
            exited,
            status: None,
            input: Some(input),
            master: Some(pair.master),
            stop_reader: Some(stop_write),
            pid,
            deadline: Instant::now() + DEADLINE,
            cooked_lflag,
            _home: home,
        }
    }

    /// Time left before the deadline.
    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The screen as text, one line per row.
    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Panics with `what` and the current screen.
    fn fail(&self, what: &str) -> ! {
        panic!(
            "{what}\n--- screen ({} bytes received) ---\n{}\n--- end of screen ---",
            self.raw.len(),
            self.screen()
        );
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.raw.extend_from_slice(bytes);
    }

    /// Waits until `done(screen text)` holds; panics with the screen on timeout or if the
    /// terminal closes first.
    fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        loop {
            if done(&self.screen()) {
                return;
            }
            match self.output.recv_timeout(self.remaining()) {
                Ok(bytes) => self.feed(&bytes),
                Err(RecvTimeoutError::Timeout) => {
                    self.fail(&format!("timed out waiting for {what}"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.fail(&format!("the terminal closed while waiting for {what}"))
                }
            }
        }
    }

    /// Waits until the program has written `bytes` (e.g. an escape sequence).
    fn wait_for_output(&mut self, bytes: &[u8]) {
        loop {
            if find(&self.raw, bytes).is_some() {
                return;
            }
            match self.output.recv_timeout(self.remaining()) {
                Ok(chunk) => self.feed(&chunk),
                Err(_) => self.fail(&format!(
                    "the program never wrote {:?}",
                    String::from_utf8_lossy(bytes)
                )),
            }
        }
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text));
    }

    /// Types `bytes` as keystrokes.
    fn send(&mut self, bytes: &[u8]) {
        let input = self.input.as_mut().expect("the terminal is open");
        input.write_all(bytes).expect("write to the pty");
        input.flush().expect("flush the pty");
    }

    /// Sends `signal` to the program.
    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.pid).expect("pid fits pid_t");
        // SAFETY: kill(2) with the pid of our own, not yet reaped child.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill: {}", io::Error::last_os_error());
    }

    /// Closes the terminal as a terminal emulator does when its window goes away: every
    /// master descriptor is closed, so the program's session gets SIGHUP and its reads fail.
    fn close_terminal(&mut self) {
        // Collect what was already written, then stop the reader and drop our descriptors.
        while let Ok(bytes) = self.output.try_recv() {
            self.feed(&bytes);
        }
        if let Some(stop) = self.stop_reader.take() {
            let _ = File::from(stop).write_all(b"x");
        }
        self.input = None;
        self.master = None;
        // The reader drops its descriptor as it ends, which disconnects the channel.
        while self.output.recv_timeout(self.remaining()).is_ok() {}
    }

    /// Waits for the program to exit (panicking with the screen if it has not by the
    /// deadline), then collects the rest of its output.
    fn wait_exit(&mut self) -> ExitStatus {
        if self.status.is_none() {
            let status = match self.exited.recv_timeout(self.remaining()) {
                Ok(Ok(status)) => status,
                Ok(Err(e)) => self.fail(&format!("waiting for the process failed: {e}")),
                Err(_) => self.fail(&format!(
                    "the process (pid {}) was still running at the deadline",
                    self.pid
                )),
            };
            self.status = Some(status);
        }
        // With the program gone its side of the terminal is closed: read up to EOF.
        if self.stop_reader.is_some() {
            loop {
                match self.output.recv_timeout(self.remaining()) {
                    Ok(bytes) => self.feed(&bytes),
                    Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => {
                        self.fail("the terminal stayed open after the process exited")
                    }
                }
            }
        }
        self.status.clone().expect("status set above")
    }

    /// What the program left switched on: the alternate screen, mouse capture, bracketed
    /// paste (in the raw output and in the emulated terminal's state) and raw mode (in the
    /// pty's line discipline). Empty when the terminal was fully restored.
    fn restore_problems(&self) -> Vec<String> {
        let raw = &self.raw;
        let mut problems = Vec::new();
        let mut switched = |on: &[u8], offs: &[&[u8]], name: &str| match rfind(raw, on) {
            None => problems.push(format!("{name} was never enabled")),
            Some(last_on) => {
                if !offs
                    .iter()
                    .any(|off| rfind(raw, off).is_some_and(|at| at > last_on))
                {
                    problems.push(format!("{name} was not disabled after it was enabled"));
                }
            }
        };
        switched(
            ENTER_ALT,
            &[LEAVE_ALT],
            "the alternate screen (\\e[?1049h/l)",
        );
        switched(MOUSE_ON, MOUSE_OFF, "mouse capture (\\e[?1000h/l)");
        switched(PASTE_ON, &[PASTE_OFF], "bracketed paste (\\e[?2004h/l)");
        let screen = self.parser.screen();
        if screen.alternate_screen() {
            problems.push("vt100 is still on the alternate screen".into());
        }
        if screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None {
            problems.push(format!(
                "vt100 still reports mouse events ({:?})",
                screen.mouse_protocol_mode()
            ));
        }
        if screen.bracketed_paste() {
            problems.push("vt100 is still in bracketed paste mode".into());
        }
        if let Some(lflag) = self.local_modes() {
            let cooked = libc::ICANON | libc::ECHO;
            if lflag & cooked != self.cooked_lflag & cooked {
                problems.push(format!(
                    "the pty was left in raw mode (c_lflag {lflag:#o}, was {:#o})",
                    self.cooked_lflag
                ));
            }
        }
        problems
    }

    /// The pty's local modes (`c_lflag`) now, if the terminal is still open.
    fn local_modes(&self) -> Option<libc::tcflag_t> {
        let fd = self.master.as_ref()?.as_raw_fd()?;
        termios_lflag(fd)
    }

    /// Waits for the exit after `what`, and asserts it was a success that left the terminal
    /// as it found it; otherwise panics with the status, every problem, the last bytes
    /// written and the screen.
    fn assert_clean_exit(&mut self, what: &str) {
        let status = self.wait_exit();
        let mut problems = self.restore_problems();
        if !status.success() {
            problems.insert(0, format!("exit status {status}"));
        }
        if !problems.is_empty() {
            self.fail(&format!(
                "after {what}:\n  - {}\nthe last 300 bytes written were {:?}",
                problems.join("\n  - "),
                tail(&self.raw, 300)
            ));
        }
    }
}

/// `c_lflag` of the terminal behind `fd`.
fn termios_lflag(fd: RawFd) -> Option<libc::tcflag_t> {
    // SAFETY: termios is plain data, filled by tcgetattr on a descriptor we hold.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    (unsafe { libc::tcgetattr(fd, &mut t) } == 0).then_some(t.c_lflag)
}

impl Drop for Session {
    /// Never leaves a program behind, even when a test fails half-way.
    fn drop(&mut self) {
        if self.status.is_none() && self.exited.try_recv().is_err() {
            // SAFETY: kill(2) on our child, which the wait thread has not reaped yet.
            if let Ok(pid) = libc::pid_t::try_from(self.pid) {
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
        if let Some(stop) = self.stop_reader.take() {
            let _ = File::from(stop).write_all(b"x");
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn tail(bytes: &[u8], n: usize) -> String {
    String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(n)..]).into_owned()
}

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
