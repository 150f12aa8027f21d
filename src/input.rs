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

use crossterm::event::Event;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use std::io;
use std::os::fd::{AsRawFd, RawFd};

/// Starts reading the terminal. The stream ends with an error when the terminal closes.
pub fn spawn() -> io::Result<UnboundedReceiver<io::Result<Event>>> {
    let (tx, rx) = unbounded();
    let tty = Tty::open()?;
    let keys = tx.clone();
    std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || read_loop(&tty, &keys))?;
    watch_resizes(tx);
    Ok(rx)
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

    /// Blocks until the terminal has input (`Ok(true)`) or is gone (`Ok(false)`).
    fn wait(&self) -> io::Result<bool> {
        let mut pfd = libc::pollfd {
            fd: self.fd,
            events: libc::POLLIN,
            revents: 0,
        };
        loop {
            // SAFETY: one valid pollfd for the duration of the call.
            let n = unsafe { libc::poll(&raw mut pfd, 1, -1) };
            if n < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            if pfd.revents & libc::POLLIN != 0 {
                return Ok(true);
            }
            if pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Ok(false);
            }
        }
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

fn read_loop(tty: &Tty, tx: &UnboundedSender<io::Result<Event>>) {
    let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "the terminal was closed");
    let mut parser = Parser::default();
    let mut buf = [0u8; 4096];
    loop {
        match tty.wait() {
            Ok(true) => {}
            Ok(false) => {
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
}
