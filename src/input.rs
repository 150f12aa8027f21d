//! Terminal input on its own thread, delivered as a stream of events.
//!
//! crossterm's reader loops forever once the terminal is gone (a closed tty reads as EOF or
//! EIO, which it retries), so it must never run on the UI task, and it is only called when
//! the terminal has input: this thread first waits with `poll(2)` and stops on a hang-up.
//! Resizes come from SIGWINCH, so the thread can block without a timeout (no idle wake-ups).

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

/// The terminal crossterm reads from: standard input when it is a terminal, else /dev/tty.
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
            let n = unsafe { libc::poll(&mut pfd, 1, -1) };
            if n < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            if pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Ok(false);
            }
            if pfd.revents & libc::POLLIN != 0 {
                return Ok(true);
            }
        }
    }
}

fn read_loop(tty: &Tty, tx: &UnboundedSender<io::Result<Event>>) {
    loop {
        match tty.wait() {
            Ok(true) => {}
            Ok(false) => {
                let _ = tx.unbounded_send(Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the terminal was closed",
                )));
                return;
            }
            Err(e) => {
                let _ = tx.unbounded_send(Err(e));
                return;
            }
        }
        // Input is waiting, so this returns promptly with the event(s) it forms.
        while let Ok(true) = crossterm::event::poll(std::time::Duration::ZERO) {
            let event = crossterm::event::read();
            let failed = event.is_err();
            if tx.unbounded_send(event).is_err() || failed {
                return;
            }
        }
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
