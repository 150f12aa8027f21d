//! Terminal input on its own thread, delivered as a stream of events.
//!
//! One reader owns the terminal's bytes: this thread waits with `poll(2)` on the tty, reads
//! whatever is there and parses it into events (terminput's port of crossterm's parser).
//! crossterm's own event reader is never started. It keeps a private buffer and registers
//! its own SIGWINCH handler with edge-triggered readiness; mixed with any other reader of the
//! same tty, a resize made a key sit in its buffer (stuck until the next byte, then delivered
//! twice as fast) while `poll(2)` kept reporting input it would not return (a busy loop).
//! It also loops forever on a closed tty. Here a closed tty ends the stream.
//!
//! Resizes come from SIGWINCH through tokio's signal handling, which shares nothing with the
//! byte reader, so the thread can block without a timeout (no idle wake-ups).
//!
//! The reader can be paused, so that a program run in the foreground (the user's editor)
//! gets every byte typed: [`InputControl::pause`] wakes the thread through a pipe polled
//! beside the tty and returns once the thread is parked, and [`InputControl::resume`]
//! drops whatever was typed meanwhile and lets it read again.

use crossterm::event::Event;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// Starts reading the terminal. The stream ends with an error when the terminal closes; the
/// [`InputControl`] pauses and resumes the reading.
pub fn spawn() -> io::Result<(UnboundedReceiver<io::Result<Event>>, InputControl)> {
    let (tx, rx) = unbounded();
    let control = start_reader(Tty::open()?, tx.clone())?;
    watch_resizes(tx);
    Ok((rx, control))
}

/// Starts the reader thread on `tty`, sending its events to `tx`.
fn start_reader(tty: Tty, tx: UnboundedSender<io::Result<Event>>) -> io::Result<InputControl> {
    let shared = Arc::new(Shared {
        tty,
        wake: WakePipe::new()?,
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
    });
    let reader = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || read_loop(&reader, &tx))?;
    Ok(InputControl { shared })
}

/// Pauses and resumes the terminal reader (see [`spawn`]). Clones control the same reader;
/// pausing is a switch, not a count: one `resume` undoes any number of `pause`s.
#[derive(Clone)]
pub struct InputControl {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for InputControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("InputControl")
            .field("paused", &state.paused)
            .field("parked", &state.parked)
            .field("ended", &state.ended)
            .finish()
    }
}

impl InputControl {
    /// Stops the reader. When this returns, the thread does not read the tty again until
    /// [`InputControl::resume`]: a child process can take the terminal. Events read before
    /// the pause may still be in the stream. Returns at once when the reader has ended (the
    /// terminal closed, or the stream was dropped).
    pub fn pause(&self) {
        let mut state = self.shared.lock();
        if state.ended {
            return;
        }
        state.paused = true;
        // Wakes a thread blocked in poll(2); a thread busy parsing sees `paused` next.
        self.shared.wake.wake();
        // Stops waiting if another clone resumes meanwhile.
        while state.paused && !state.parked && !state.ended {
            state = self
                .shared
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Lets a paused reader read again, after dropping the bytes waiting on the tty (stray
    /// input is drained: keys typed as the child exited, a terminal's late replies); the
    /// reader drops its parser's half-read sequence too. Does nothing when the reader is not
    /// paused. Call it once the terminal is back in raw mode (see `tui::resume`), so that a
    /// byte typed in between is dropped rather than read as cooked input.
    pub fn resume(&self) {
        let mut state = self.shared.lock();
        if !state.paused {
            return;
        }
        // The thread is parked, so nothing reads while the queue is dropped. A tty that is
        // gone has no input to drop; the reader reports it once it polls again.
        let _ = self.shared.tty.discard_pending();
        state.paused = false;
        self.shared.changed.notify_all();
    }

    /// Drops the bytes waiting on the tty now (`tcflush(TCIFLUSH)`). For use while paused,
    /// before starting a child: mouse reports still in flight after mouse capture was turned
    /// off would otherwise reach the child as keystrokes.
    pub fn discard_input(&self) -> io::Result<()> {
        self.shared.tty.discard_pending()
    }
}

/// What the reader and its controls share.
struct Shared {
    tty: Tty,
    /// Written to wake the reader out of poll(2).
    wake: WakePipe,
    state: Mutex<State>,
    /// Signalled on every change of `state`.
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is a few flags, valid whatever panicked while holding the lock.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Parks the calling reader while a pause is asked for. Returns whether it parked (the
    /// parser must then start afresh).
    fn park_if_paused(&self) -> bool {
        let mut state = self.lock();
        if !state.paused {
            return false;
        }
        state.parked = true;
        self.changed.notify_all();
        while state.paused {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.parked = false;
        drop(state);
        // A wake-up the thread did not poll for before it parked is stale now.
        self.wake.drain();
        true
    }
}

/// The reader's state, under [`Shared::state`].
#[derive(Debug, Default)]
struct State {
    /// A pause is asked for (from `pause` until `resume`).
    paused: bool,
    /// The reader is parked: it reads nothing until `paused` is cleared.
    parked: bool,
    /// The reader thread has ended.
    ended: bool,
}

/// Marks the reader ended however its thread stops, so `pause` never waits for it.
struct EndGuard<'a>(&'a Shared);

impl Drop for EndGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.ended = true;
        state.parked = false;
        self.0.changed.notify_all();
    }
}

/// A self-pipe: a byte written to it wakes the reader's poll(2). Both ends are non-blocking
/// and close on exec, so no child inherits them.
struct WakePipe {
    read: OwnedFd,
    write: OwnedFd,
}

impl WakePipe {
    fn new() -> io::Result<WakePipe> {
        let mut fds = [0 as RawFd; 2];
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
        {
            // SAFETY: `fds` has room for the two descriptors.
            if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
        {
            // SAFETY: `fds` has room for the two descriptors.
            if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        // SAFETY: pipe(2) returned two new descriptors that nothing else owns.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
        for fd in [read.as_raw_fd(), write.as_raw_fd()] {
            // SAFETY: fcntl on descriptors owned above.
            let ok = unsafe {
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) == 0
                    && libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) == 0
            };
            if !ok {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(WakePipe { read, write })
    }

    /// Makes the read end readable. A full pipe (EAGAIN) is readable already.
    fn wake(&self) {
        let byte = 1u8;
        loop {
            // SAFETY: writes one byte from a valid local.
            let n = unsafe { libc::write(self.write.as_raw_fd(), (&raw const byte).cast(), 1) };
            if n >= 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return;
            }
        }
    }

    /// Empties the pipe.
    fn drain(&self) {
        let mut buf = [0u8; 64];
        loop {
            // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
            let n =
                unsafe { libc::read(self.read.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                continue;
            }
            if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return; // empty (EAGAIN), or nothing more to read
        }
    }
}

/// What [`Tty::wait`] saw.
#[derive(Debug, PartialEq, Eq)]
enum Ready {
    /// The terminal has input.
    Input,
    /// The wake-up pipe was written to.
    Woken,
    /// The terminal is gone.
    Closed,
}

/// The terminal: standard input when it is a terminal, else /dev/tty.
struct Tty {
    fd: RawFd,
    _owned: Option<std::fs::File>,
}

impl Tty {
    fn open() -> io::Result<Tty> {
        use std::io::IsTerminal;
        if io::stdin().is_terminal() {
            return Ok(Tty {
                fd: io::stdin().as_raw_fd(),
                _owned: None,
            });
        }
        let file = std::fs::File::open("/dev/tty")?;
        Ok(Tty {
            fd: file.as_raw_fd(),
            _owned: Some(file),
        })
    }

    /// A terminal already open, such as a pty in the tests.
    #[cfg(test)]
    fn from_file(file: std::fs::File) -> Tty {
        Tty {
            fd: file.as_raw_fd(),
            _owned: Some(file),
        }
    }

    /// Blocks until the terminal has input, is gone, or `wake` is readable (checked first,
    /// so a pause is seen before more input is read).
    fn wait(&self, wake: RawFd) -> io::Result<Ready> {
        let mut pfds = [
            libc::pollfd {
                fd: self.fd,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: wake,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let failed = libc::POLLHUP | libc::POLLERR | libc::POLLNVAL;
        loop {
            // SAFETY: `pfds` is valid for the duration of the call.
            let n = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, -1) };
            if n < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            let [tty, pipe] = &pfds;
            if pipe.revents & libc::POLLIN != 0 {
                return Ok(Ready::Woken);
            }
            if pipe.revents & failed != 0 {
                return Err(io::Error::other("the input thread's wake-up pipe failed"));
            }
            if tty.revents & libc::POLLIN != 0 {
                return Ok(Ready::Input);
            }
            if tty.revents & failed != 0 {
                return Ok(Ready::Closed);
            }
        }
    }

    /// Drops the input received but not read (`tcflush(TCIFLUSH)`).
    fn discard_pending(&self) -> io::Result<()> {
        // SAFETY: tcflush on a descriptor this value keeps open.
        if unsafe { libc::tcflush(self.fd, libc::TCIFLUSH) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Reads what is waiting (after [`Tty::wait`] said there is some). `Ok(0)` means the
    /// terminal is gone.
    fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
            let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n >= 0 {
                return Ok(n.unsigned_abs());
            }
            let err = io::Error::last_os_error();
            match err.kind() {
                io::ErrorKind::Interrupted => {}
                io::ErrorKind::WouldBlock => return Err(err),
                _ => return Ok(0),
            }
        }
    }
}

fn read_loop(shared: &Shared, tx: &UnboundedSender<io::Result<Event>>) {
    let _ended = EndGuard(shared);
    let tty = &shared.tty;
    let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "the terminal was closed");
    let mut parser = Parser::default();
    let mut buf = [0u8; 4096];
    loop {
        if shared.park_if_paused() {
            // Resumed: a sequence begun before the pause will not be finished.
            parser = Parser::default();
        }
        match tty.wait(shared.wake.read.as_raw_fd()) {
            Ok(Ready::Input) => {}
            Ok(Ready::Woken) => {
                shared.wake.drain();
                continue;
            }
            Ok(Ready::Closed) => {
                let _ = tx.unbounded_send(Err(closed()));
                return;
            }
            Err(e) => {
                let _ = tx.unbounded_send(Err(e));
                return;
            }
        }
        let n = match tty.read(&mut buf) {
            Ok(0) => {
                let _ = tx.unbounded_send(Err(closed()));
                return;
            }
            Ok(n) => n,
            Err(_) => continue, // nothing there after all (another reader took it)
        };
        for event in parser.advance(&buf[..n]) {
            if tx.unbounded_send(Ok(event)).is_err() {
                return;
            }
        }
    }
}

/// Turns terminal bytes into events, keeping an unfinished sequence for the next read.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
}

impl Parser {
    /// Feeds the bytes of one read and returns the events they complete. As in crossterm, an
    /// `Esc` byte with more bytes behind it in the same read starts a sequence (or an
    /// Alt-key); alone at the end of a read it is the Esc key.
    pub fn advance(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        for (i, &byte) in bytes.iter().enumerate() {
            self.pending.push(byte);
            let more = i + 1 < bytes.len();
            if more && self.pending == [0x1b] {
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(None) => {}
                Ok(Some(event)) => {
                    self.pending.clear();
                    if let Ok(event) = terminput_crossterm::to_crossterm(event) {
                        events.push(event);
                    }
                }
                // Not a sequence anyone knows: dropped, as crossterm does.
                Err(_) => self.pending.clear(),
            }
        }
        events
    }
}

fn watch_resizes(tx: UnboundedSender<io::Result<Event>>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut winch) = signal(SignalKind::window_change()) else {
        return;
    };
    tokio::spawn(async move {
        while winch.recv().await.is_some() {
            let Ok((width, height)) = crossterm::terminal::size() else {
                continue;
            };
            if tx.unbounded_send(Ok(Event::Resize(width, height))).is_err() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn keys(events: &[Event]) -> Vec<KeyEvent> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Key(k) => Some(*k),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn parses_keys_sequences_and_split_input() {
        let mut p = Parser::default();
        let got = keys(&p.advance(b"j\x13\x1b[A\x1b[6~\x1bx"));
        let codes: Vec<_> = got.iter().map(|k| (k.code, k.modifiers)).collect();
        assert_eq!(
            codes,
            [
                (KeyCode::Char('j'), KeyModifiers::NONE),
                (KeyCode::Char('s'), KeyModifiers::CONTROL),
                (KeyCode::Up, KeyModifiers::NONE),
                (KeyCode::PageDown, KeyModifiers::NONE),
                (KeyCode::Char('x'), KeyModifiers::ALT),
            ]
        );
        // A lone Esc at the end of a read is the Esc key.
        assert_eq!(keys(&p.advance(b"\x1b"))[0].code, KeyCode::Esc);
        // A multi-byte character split across reads arrives whole.
        assert!(p.advance(&"é".as_bytes()[..1]).is_empty());
        assert_eq!(
            keys(&p.advance(&"é".as_bytes()[1..]))[0].code,
            KeyCode::Char('é')
        );
    }

    #[test]
    fn a_bracketed_paste_is_one_event() {
        let mut p = Parser::default();
        let mut events = p.advance(b"\x1b[200~{\"a\":");
        assert!(events.is_empty());
        events.extend(p.advance(b" 1}\r\x1b[201~q"));
        assert!(matches!(&events[0], Event::Paste(t) if t == "{\"a\": 1}\r"));
        assert_eq!(keys(&events)[0].code, KeyCode::Char('q'));
    }

    /// A pty pair, the slave in raw mode: (master, slave).
    fn pty() -> (std::fs::File, std::fs::File) {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: valid out-pointers; the optional arguments are null.
        let rc = unsafe {
            libc::openpty(
                &raw mut master,
                &raw mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty: {}", io::Error::last_os_error());
        // SAFETY: openpty returned two new descriptors; the termios calls get valid pointers.
        unsafe {
            for fd in [master, slave] {
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
            }
            let mut termios: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(slave, &raw mut termios), 0);
            libc::cfmakeraw(&raw mut termios);
            assert_eq!(libc::tcsetattr(slave, libc::TCSANOW, &raw const termios), 0);
            (
                std::fs::File::from_raw_fd(master),
                std::fs::File::from_raw_fd(slave),
            )
        }
    }

    /// Whether `fd` has input waiting.
    fn pending(fd: &impl AsRawFd) -> bool {
        let mut pfd = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&raw mut pfd, 1, 0) == 1 && pfd.revents & libc::POLLIN != 0 }
    }

    fn next_event(
        rx: &mut UnboundedReceiver<io::Result<Event>>,
        within: std::time::Duration,
    ) -> Option<io::Result<Event>> {
        let deadline = std::time::Instant::now() + within;
        loop {
            if let Ok(event) = rx.try_recv() {
                return Some(event);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    fn key_code(event: Option<io::Result<Event>>) -> KeyCode {
        match event {
            Some(Ok(Event::Key(key))) => key.code,
            other => panic!("expected a key, got {other:?}"),
        }
    }

    /// Runs `pause` on a thread of its own and fails the test if it does not return.
    fn pause_within(control: &InputControl, seconds: u64) {
        let control = control.clone();
        let (done, returned) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            control.pause();
            let _ = done.send(());
        });
        returned
            .recv_timeout(std::time::Duration::from_secs(seconds))
            .expect("pause() did not return");
    }

    /// Waits until the reader has taken everything written so far.
    fn until_read(probe: &std::fs::File) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while pending(probe) {
            assert!(
                std::time::Instant::now() < deadline,
                "the reader read nothing"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn a_paused_reader_leaves_the_tty_alone_and_resuming_drains_it() {
        use std::io::{Read, Write};
        use std::time::Duration;
        let (mut master, slave) = pty();
        let mut probe = slave.try_clone().unwrap();
        let (tx, mut rx) = unbounded();
        let control = start_reader(Tty::from_file(slave), tx).unwrap();

        master.write_all(b"a").unwrap();
        assert_eq!(
            key_code(next_event(&mut rx, Duration::from_secs(5))),
            KeyCode::Char('a')
        );

        // The start of a sequence, read before the pause; the pause wakes a blocked poll.
        master.write_all(b"\x1b[").unwrap();
        until_read(&probe);
        pause_within(&control, 5);
        pause_within(&control, 5); // twice is the same as once

        // Bytes typed now are the child's: the reader takes none of them.
        master.write_all(b"child").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert!(next_event(&mut rx, Duration::from_millis(100)).is_none());
        assert!(pending(&probe));
        let mut got = [0u8; 5];
        probe.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"child");

        // Stray bytes left when the child is done are dropped on resume, and so is the
        // half sequence: `A` is a key, not the end of `ESC [ A` (Up).
        master.write_all(b"stray").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        control.resume();
        master.write_all(b"A").unwrap();
        assert_eq!(
            key_code(next_event(&mut rx, Duration::from_secs(5))),
            KeyCode::Char('A')
        );
        assert!(next_event(&mut rx, Duration::from_millis(100)).is_none());

        // Resuming a reader that is not paused changes nothing.
        control.resume();
        master.write_all(b"\x1b[B").unwrap();
        assert_eq!(
            key_code(next_event(&mut rx, Duration::from_secs(5))),
            KeyCode::Down
        );
    }

    #[test]
    fn pausing_a_reader_that_ended_returns_at_once() {
        use std::time::Duration;
        let (master, slave) = pty();
        let (tx, mut rx) = unbounded();
        let control = start_reader(Tty::from_file(slave), tx).unwrap();
        drop(master);
        match next_event(&mut rx, Duration::from_secs(5)) {
            Some(Err(e)) => assert_eq!(e.kind(), io::ErrorKind::BrokenPipe),
            other => panic!("expected the end of the terminal, got {other:?}"),
        }
        pause_within(&control, 5);
        control.resume();
        assert!(format!("{control:?}").contains("ended: true"));
    }

    #[test]
    fn the_control_goes_to_other_threads() {
        fn check<T: Clone + Send + Sync + 'static>() {}
        check::<InputControl>();
    }

    #[test]
    fn the_wake_pipe_is_not_inherited() {
        let pipe = WakePipe::new().unwrap();
        for fd in [pipe.read.as_raw_fd(), pipe.write.as_raw_fd()] {
            // SAFETY: fcntl on open descriptors.
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
            assert_ne!(flags & libc::FD_CLOEXEC, 0);
        }
        // Many wake-ups never block, and one drain empties them.
        for _ in 0..100_000 {
            pipe.wake();
        }
        assert!(pending(&pipe.read));
        pipe.drain();
        assert!(!pending(&pipe.read));
    }
}
