//! The real `cyclr-tui` binary in a pseudo-terminal, for end-to-end tests and benchmarks.
//!
//! Shared by `tests/e2e_pty.rs` and `benches/e2e.rs` (both include this file with
//! `#[path = …] mod pty;`, so it depends on nothing but the dev-dependencies and the binary
//! Cargo builds for them, `CARGO_BIN_EXE_cyclr-tui`).
//!
//! A reader thread forwards everything the program writes to the terminal into a channel, each
//! chunk stamped with the instant `read` returned it. The session feeds it to a `vt100` screen
//! and waits (with `recv_timeout`, never a sleep) until the screen shows what it expects, under
//! one overall deadline. A timeout panics with the current screen, so a failure shows what the
//! program was displaying. Dropping a session kills the program if it is still running.
//!
//! For timing, output can also be consumed frame by frame: every frame ratatui draws ends with
//! the cursor being hidden (`\e[?25l`, written with crossterm's `execute!`, which flushes), so
//! that sequence marks where a frame's bytes end (see [`Session::next_frame`]).

#![cfg(unix)]
#![allow(dead_code)] // each includer uses its own part of the harness

use portable_pty::{Child, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::fs::File;
use std::io::{self, Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread;
use std::time::{Duration, Instant};

/// How long one session may take unless [`Session::set_deadline`] says otherwise.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Entering and leaving the alternate screen.
pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
/// Mouse reporting (press/release) and its SGR encoding, as crossterm turns them on and off.
pub const MOUSE_ON: &[u8] = b"\x1b[?1000h";
pub const MOUSE_OFF: &[&[u8]] = &[b"\x1b[?1000l", b"\x1b[?1006l"];
/// Bracketed paste.
pub const PASTE_ON: &[u8] = b"\x1b[?2004h";
pub const PASTE_OFF: &[u8] = b"\x1b[?2004l";
/// The end of every frame: ratatui's `Terminal::draw` writes the cell diff, resets the
/// colours, then (no cursor position being set by the explorer) hides the cursor with
/// `execute!`, which flushes stdout. Nothing else writes it while the explorer runs.
pub const FRAME_END: &[u8] = b"\x1b[?25l";

/// Keys as a terminal sends them in raw mode.
pub const CTRL_C: &[u8] = b"\x03";
pub const CTRL_S: &[u8] = b"\x13";
pub const ENTER: &[u8] = b"\r";
pub const ESC: &[u8] = b"\x1b";
pub const TAB: &[u8] = b"\t";
pub const SHIFT_TAB: &[u8] = b"\x1b[Z";
pub const BACKSPACE: &[u8] = b"\x7f";
pub const PAGE_DOWN: &[u8] = b"\x1b[6~";

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

/// One read from the terminal, stamped right after `read` returned.
type Chunk = (Instant, Vec<u8>);

/// Forwards the terminal's output to `tx` until the program's side closes (EOF or EIO) or
/// `stop` becomes readable (the test closing the terminal, or the session being dropped).
/// The thread holds its own copy of the master descriptor, so `stop` is what lets the test
/// close the terminal completely.
fn spawn_reader(master: OwnedFd, stop: OwnedFd, tx: Sender<Chunk>) {
    thread::spawn(move || {
        let mut file = File::from(master);
        let mut buf = [0u8; 64 * 1024];
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
                    if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

/// Why a frame-level wait ended without what it waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitError {
    /// The time given ran out.
    Timeout,
    /// The terminal closed (the program exited).
    Closed,
}

/// The binary running in a pseudo-terminal, with a `vt100` screen of what it drew.
pub struct Session {
    /// The terminal as the program drew it (everything fed so far).
    parser: vt100::Parser,
    /// Every byte fed to `parser`, for checking escape sequences.
    raw: Vec<u8>,
    /// Bytes received but not fed to `parser` yet (the start of an unfinished frame).
    pending: Vec<u8>,
    /// For `pending`: (end offset of a chunk, when it arrived), oldest first.
    pending_times: Vec<(usize, Instant)>,
    /// Total bytes received from the terminal.
    received: u64,
    /// Chunks from the reader thread; disconnected once the terminal has no writer left.
    output: Receiver<Chunk>,
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
    /// Just before the process was spawned.
    spawned_at: Instant,
    /// When the session gives up.
    deadline: Instant,
    /// The pty's `c_lflag` before the program started (cooked mode).
    cooked_lflag: libc::tcflag_t,
    home: TempHome,
}

impl Session {
    /// Starts the binary with no arguments and no `CYCLR_*` settings (so on the demo sandbox)
    /// in a `cols`×`rows` terminal.
    pub fn spawn(cols: u16, rows: u16) -> Session {
        Session::spawn_with(&[], cols, rows)
    }

    /// Starts the binary with `args` and no `CYCLR_*` settings in a `cols`×`rows` terminal.
    pub fn spawn_with(args: &[&str], cols: u16, rows: u16) -> Session {
        Session::spawn_env(args, &[], cols, rows)
    }

    /// Starts the binary with `args`, no `CYCLR_*` settings but those in `env`, in a
    /// `cols`×`rows` terminal, in a fresh temporary home (see [`Session::home`]).
    pub fn spawn_env(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Session {
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
        cmd.args(args);
        for var in [
            "CYCLR_INSTANCE",
            "CYCLR_ACCOUNT",
            "CYCLR_TOKEN",
            "CYCLR_CLIENT_ID",
            "CYCLR_CLIENT_SECRET",
            "CYCLR_LOG",
            "CYCLR_LOG_FILE",
            "CYCLR_CONFIG",
        ] {
            cmd.env_remove(var);
        }
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &home.0);
        cmd.env("XDG_CONFIG_HOME", home.0.join("config"));
        cmd.env("XDG_STATE_HOME", home.0.join("state"));
        cmd.env("XDG_DATA_HOME", home.0.join("data"));
        cmd.cwd(&home.0);
        let master_fd = pair.master.as_raw_fd().expect("master fd");
        let cooked_lflag = termios_lflag(master_fd).expect("tcgetattr on the pty");

        // The reader runs before the program does, so no output waits on us.
        let input = File::from(dup_cloexec(master_fd));
        let (stop_read, stop_write) = pipe();
        let (tx, output) = channel();
        spawn_reader(dup_cloexec(master_fd), stop_read, tx);

        let spawned_at = Instant::now();
        let mut child = pair.slave.spawn_command(cmd).expect("spawn cyclr-tui");
        // Only the program may hold the slave side, so its exit reads as EOF here.
        drop(pair.slave);
        let pid = child.process_id().expect("child pid");

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
            pending: Vec::new(),
            pending_times: Vec::new(),
            received: 0,
            output,
            exited,
            status: None,
            input: Some(input),
            master: Some(pair.master),
            stop_reader: Some(stop_write),
            pid,
            spawned_at,
            deadline: spawned_at + DEADLINE,
            cooked_lflag,
            home,
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The instant just before the program was spawned.
    /// The temporary home (and working directory) the program runs in.
    pub fn home(&self) -> &std::path::Path {
        &self.home.0
    }

    /// When the program was started.
    pub fn spawned_at(&self) -> Instant {
        self.spawned_at
    }

    /// Gives the session `from_now` more time in all (instead of [`DEADLINE`] from spawning).
    pub fn set_deadline(&mut self, from_now: Duration) {
        self.deadline = Instant::now() + from_now;
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// The emulated screen (cells, modes).
    pub fn vt(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    /// Every byte fed to the screen so far.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// Panics with `what` and the current screen.
    pub fn fail(&self, what: &str) -> ! {
        panic!(
            "{what}\n--- screen ({} bytes received) ---\n{}\n--- end of screen ---",
            self.received,
            self.screen()
        );
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.raw.extend_from_slice(bytes);
    }

    /// Waits at most `timeout` for one chunk and queues it in `pending`.
    fn receive(&mut self, timeout: Duration) -> Result<(), RecvTimeoutError> {
        let (at, bytes) = self.output.recv_timeout(timeout)?;
        self.received += bytes.len() as u64;
        self.pending.extend_from_slice(&bytes);
        self.pending_times.push((self.pending.len(), at));
        Ok(())
    }

    /// Feeds the first `n` pending bytes to the screen; returns when the last of them arrived.
    fn feed_pending(&mut self, n: usize) -> Option<Instant> {
        let at = self
            .pending_times
            .iter()
            .find(|(end, _)| *end >= n)
            .map(|&(_, at)| at);
        let bytes: Vec<u8> = self.pending.drain(..n).collect();
        self.feed(&bytes);
        self.pending_times.retain(|(end, _)| *end > n);
        for (end, _) in &mut self.pending_times {
            *end -= n;
        }
        at
    }

    /// Feeds everything received so far to the screen.
    fn feed_all(&mut self) {
        let n = self.pending.len();
        if n > 0 {
            self.feed_pending(n);
        }
    }

    /// Waits until `done(screen text)` holds; panics with the screen on timeout or if the
    /// terminal closes first.
    pub fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        loop {
            self.feed_all();
            if done(&self.screen()) {
                return;
            }
            match self.receive(self.remaining()) {
                Ok(()) => {}
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
    pub fn wait_for_output(&mut self, bytes: &[u8]) {
        loop {
            self.feed_all();
            if find(&self.raw, bytes).is_some() {
                return;
            }
            if self.receive(self.remaining()).is_err() {
                self.fail(&format!(
                    "the program never wrote {:?}",
                    String::from_utf8_lossy(bytes)
                ));
            }
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text));
    }

    /// Waits (at most `timeout`, and never past the deadline) for the end of the next frame,
    /// feeds the screen exactly up to it, and returns when its last byte arrived.
    pub fn next_frame(&mut self, timeout: Duration) -> Result<Instant, WaitError> {
        let limit = Instant::now() + timeout.min(self.remaining());
        loop {
            if let Some(at) = find(&self.pending, FRAME_END) {
                let arrived = self.feed_pending(at + FRAME_END.len());
                return Ok(arrived.expect("a pending chunk holds the frame's end"));
            }
            match self.receive(limit.saturating_duration_since(Instant::now())) {
                Ok(()) => {}
                Err(RecvTimeoutError::Timeout) => return Err(WaitError::Timeout),
                Err(RecvTimeoutError::Disconnected) => return Err(WaitError::Closed),
            }
        }
    }

    /// Reads whole frames until one leaves the screen with `done(screen)` true (checked only
    /// at frame ends, so never on a half-drawn frame); returns when that frame's last byte
    /// arrived and how many frames were read, including it.
    pub fn frame_until(
        &mut self,
        timeout: Duration,
        done: impl Fn(&vt100::Screen) -> bool,
    ) -> Result<(Instant, u32), WaitError> {
        let limit = Instant::now() + timeout;
        let mut frames = 0;
        loop {
            let at = self.next_frame(limit.saturating_duration_since(Instant::now()))?;
            frames += 1;
            if done(self.parser.screen()) {
                return Ok((at, frames));
            }
        }
    }

    /// Reads and feeds everything the program writes for `window`; returns the byte count.
    pub fn collect_for(&mut self, window: Duration) -> u64 {
        let before = self.received;
        let until = Instant::now() + window.min(self.remaining());
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() || self.receive(left).is_err() {
                break;
            }
        }
        self.feed_all();
        self.received - before
    }

    /// Waits until the program has written nothing for `quiet` (at most `timeout`); feeds what
    /// came. True if it went quiet.
    pub fn settle(&mut self, quiet: Duration, timeout: Duration) -> bool {
        let limit = Instant::now() + timeout.min(self.remaining());
        loop {
            let left = limit.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.feed_all();
                return false;
            }
            match self.receive(quiet.min(left)) {
                Err(RecvTimeoutError::Timeout) if quiet <= left => {
                    self.feed_all();
                    return true;
                }
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    self.feed_all();
                    return false;
                }
            }
        }
    }

    /// Types `bytes` as keystrokes.
    pub fn send(&mut self, bytes: &[u8]) {
        let input = self.input.as_mut().expect("the terminal is open");
        input.write_all(bytes).expect("write to the pty");
        input.flush().expect("flush the pty");
    }

    /// Types `bytes` and returns the instant just before they were written.
    pub fn send_timed(&mut self, bytes: &[u8]) -> Instant {
        let at = Instant::now();
        self.send(bytes);
        at
    }

    /// Resizes the terminal as a window manager does (the program gets SIGWINCH), and the
    /// emulated screen with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.feed_all();
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        self.master
            .as_ref()
            .expect("the terminal is open")
            .resize(size)
            .expect("resize the pty");
        self.parser.set_size(
            NonZeroU16::new(rows).expect("rows > 0"),
            NonZeroU16::new(cols).expect("cols > 0"),
        );
    }

    /// CPU time the program has used so far (user + system), from `/proc/PID/stat`.
    pub fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .expect("read /proc/PID/stat");
        // Fields after the command name (which is in parentheses and may hold spaces).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .expect("a stat line")
            .1
            .split_whitespace()
            .collect();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        let ticks: u64 =
            fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
        // SAFETY: sysconf has no preconditions.
        let per_second = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap_or(100);
        Duration::from_millis(ticks * 1000 / per_second.max(1))
    }

    /// Sends `signal` to the program.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.pid).expect("pid fits pid_t");
        // SAFETY: kill(2) with the pid of our own, not yet reaped child.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill: {}", io::Error::last_os_error());
    }

    /// True once the program has exited (without waiting).
    pub fn has_exited(&mut self) -> bool {
        if self.status.is_none()
            && let Ok(Ok(status)) = self.exited.try_recv()
        {
            self.status = Some(status);
        }
        self.status.is_some()
    }

    /// Closes the terminal as a terminal emulator does when its window goes away: every
    /// master descriptor is closed, so the program's session gets SIGHUP and its reads fail.
    pub fn close_terminal(&mut self) {
        // Collect what was already written, then stop the reader and drop our descriptors.
        while let Ok((_, bytes)) = self.output.try_recv() {
            self.received += bytes.len() as u64;
            self.pending.extend_from_slice(&bytes);
            self.pending_times
                .push((self.pending.len(), Instant::now()));
        }
        self.feed_all();
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
    pub fn wait_exit(&mut self) -> ExitStatus {
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
                match self.receive(self.remaining()) {
                    Ok(()) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => {
                        self.fail("the terminal stayed open after the process exited")
                    }
                }
            }
        }
        self.feed_all();
        self.status.clone().expect("status set above")
    }

    /// What the program left switched on: the alternate screen, mouse capture, bracketed
    /// paste (in the raw output and in the emulated terminal's state) and raw mode (in the
    /// pty's line discipline). Empty when the terminal was fully restored.
    pub fn restore_problems(&self) -> Vec<String> {
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
    pub fn assert_clean_exit(&mut self, what: &str) {
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
    (unsafe { libc::tcgetattr(fd, &raw mut t) } == 0).then_some(t.c_lflag)
}

impl Drop for Session {
    /// Never leaves a program behind, even when a test fails half-way.
    fn drop(&mut self) {
        if self.status.is_none() && self.exited.try_recv().is_err() {
            // SAFETY: kill(2) on our child, which the wait thread has not reaped yet.
            if let Ok(pid) = libc::pid_t::try_from(self.pid) {
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            // Give the wait thread a moment to reap it, so no zombie outlives the session.
            let _ = self.exited.recv_timeout(Duration::from_secs(2));
        }
        if let Some(stop) = self.stop_reader.take() {
            let _ = File::from(stop).write_all(b"x");
        }
    }
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

pub fn tail(bytes: &[u8], n: usize) -> String {
    String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(n)..]).into_owned()
}
