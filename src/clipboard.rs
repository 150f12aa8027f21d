//! Copying text for the user: the system clipboard, else the terminal's clipboard through
//! OSC 52, else a new file.
//!
//! [`copy`] tries, in order:
//!
//! 1. **The system clipboard** through `arboard`, on macOS and Windows always, on other unix
//!    systems only when `DISPLAY` or `WAYLAND_DISPLAY` is set (X11, or Wayland compositors with
//!    the data-control protocol; others fall back to `XWayland` when `DISPLAY` is set too). It runs
//!    on a thread of its own and is given up after [`SYSTEM_TIMEOUT`], so an X server that does
//!    not answer (a dead `ssh -X` forward) never hangs the interface.
//! 2. **OSC 52**: `ESC ] 52 ; c ; <base64> BEL`, handed to the caller's `osc52` callback to be
//!    written to the terminal, which sets its own clipboard (and over SSH, the clipboard of the
//!    machine the user sits at). Skipped when `TERM` is unset or `dumb`, when the base64 text is
//!    longer than [`OSC52_MAX_BASE64`] bytes (many terminals drop such sequences silently), and
//!    inside tmux when tmux's `set-clipboard` option is not `on`: with `external` (tmux's
//!    default) or `off`, tmux drops the sequence silently and nothing would be copied. With
//!    `on`, tmux takes the plain sequence, makes a paste buffer of it and passes it on to the
//!    outer terminal, so it is never wrapped in tmux's DCS passthrough.
//! 3. **A new file** in the caller's directory, named from a hint and the time
//!    ([`Copied::SavedTo`]); an existing file is never overwritten.
//!
//! # `CYCLR_CLIPBOARD`
//!
//! The environment variable [`METHOD_VAR`] (`CYCLR_CLIPBOARD`) forces one method, for tests
//! and for terminals the checks above get wrong: `system`, `osc52` or `file`. A forced method
//! that fails is an error rather than a fall-through; a forced `osc52` is sent whatever `TERM`
//! and tmux say (only the size limit still applies). Unset or empty means automatic; any other
//! value is an error naming the valid ones.
//!
//! # Why the clipboard is kept
//!
//! On X11 (and Wayland) a copy is not stored anywhere: the program that copied keeps the text
//! and hands it to whoever pastes. With `arboard`, the text disappears when the last
//! `arboard::Clipboard` is dropped. So one `Clipboard` lives in a static for the whole process
//! (created on the first copy), and [`release`] hands the text to a clipboard manager, when
//! the desktop runs one, before the process exits. Without a clipboard manager, text copied to
//! the system clipboard is gone once the process ends; this is how every X11 program behaves.

use base64::Engine as _;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError, mpsc};
use std::time::{Duration, Instant, SystemTime};

/// Where [`copy`] put the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// On the system clipboard.
    Clipboard,
    /// Sent to the terminal as an OSC 52 sequence (the terminal gives no answer, so this is
    /// "sent", not "confirmed").
    Osc52,
    /// Saved to this new file: there was no clipboard to use.
    SavedTo(PathBuf),
}

/// The environment variable that forces one method: `system`, `osc52` or `file`.
pub const METHOD_VAR: &str = "CYCLR_CLIPBOARD";

/// The longest base64 payload sent through OSC 52. Longer texts are saved to a file instead:
/// many terminals (and tmux) cap or silently drop longer sequences.
pub const OSC52_MAX_BASE64: usize = 100_000;

/// How long the system clipboard may take before it is given up for this copy.
pub const SYSTEM_TIMEOUT: Duration = Duration::from_secs(1);

/// How long tmux may take to tell its `set-clipboard` option.
const TMUX_TIMEOUT: Duration = Duration::from_secs(1);

/// Copies `text` for the user: to the system clipboard, else through OSC 52 (the sequence is
/// passed to `osc52`, which writes it to the terminal), else to a new file in `fallback_dir`
/// named from `name_hint` (see [`save_to_file`]). The module documentation gives the rules,
/// and `CYCLR_CLIPBOARD` ([`METHOD_VAR`]) forces one method.
///
/// Blocks for at most about two seconds: [`SYSTEM_TIMEOUT`] for the system clipboard, and as
/// long again for asking tmux about `set-clipboard` inside tmux.
pub fn copy(
    text: &str,
    osc52: &mut dyn FnMut(&str) -> io::Result<()>,
    fallback_dir: &Path,
    name_hint: &str,
) -> Result<Copied, String> {
    let env = Env::from_process()?;
    let mut backends = Backends {
        system: &mut system_copy,
        osc52,
        tmux_set_clipboard: &mut tmux_set_clipboard,
    };
    copy_with(text, &env, &mut backends, fallback_dir, name_hint)
}

/// A one-line report of a copy of `bytes` bytes, for the status line.
pub fn describe(copied: &Copied, bytes: usize) -> String {
    match copied {
        Copied::Clipboard => format!("copied {} to the clipboard", format_size(bytes)),
        Copied::Osc52 => format!("copied {} (OSC 52 to the terminal)", format_size(bytes)),
        Copied::SavedTo(path) => format!("no clipboard here: saved to {}", path.display()),
    }
}

/// A byte count for people: "999 B", "1.2 kB", "3.4 MB" (powers of 1000).
pub fn format_size(bytes: usize) -> String {
    if bytes < 1000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// The OSC 52 sequence that puts `text` on the terminal's clipboard:
/// `ESC ] 52 ; c ; <base64 of text> BEL`.
pub fn osc52_sequence(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

/// The length of the base64 encoding (with padding) of `bytes` bytes.
fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// Hands the system clipboard's text to the desktop's clipboard manager, if it runs one, and
/// closes the clipboard. Call it once on the way out (after the terminal is restored): text
/// copied to the system clipboard stays pasteable after the process exits only if a clipboard
/// manager took it. Waits at most [`SYSTEM_TIMEOUT`]; does nothing if nothing was copied.
pub fn release() {
    let Some(slot) = SYSTEM.get() else {
        return;
    };
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("clipboard-release".into())
        .spawn(move || {
            // A copy still stuck on an unresponsive display holds the lock: leave it.
            if let Ok(mut clipboard) = slot.try_lock() {
                // Dropping the last `arboard::Clipboard` offers the text to a clipboard
                // manager (X11's SAVE_TARGETS) before the connection closes.
                drop(clipboard.take());
            }
            let _ = done_tx.send(());
        });
    if spawned.is_ok() {
        let _ = done_rx.recv_timeout(SYSTEM_TIMEOUT);
    }
}

/// A method forced by [`METHOD_VAR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    System,
    Osc52,
    File,
}

impl Method {
    fn parse(value: &str) -> Result<Option<Method>, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "system" => Ok(Some(Method::System)),
            "osc52" => Ok(Some(Method::Osc52)),
            "file" => Ok(Some(Method::File)),
            _ => Err(format!(
                "{METHOD_VAR} is `{value}`; it takes system, osc52 or file (or unset it)"
            )),
        }
    }
}

/// What the environment says about the ways to copy.
#[derive(Debug, Clone, Default)]
struct Env {
    /// Set by [`METHOD_VAR`].
    forced: Option<Method>,
    /// A system clipboard may be there: macOS, Windows, or `DISPLAY`/`WAYLAND_DISPLAY` set.
    graphical: bool,
    /// `TERM`, if set.
    term: Option<String>,
    /// Inside tmux (`TMUX` set).
    tmux: bool,
}

impl Env {
    fn from_process() -> Result<Env, String> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let forced = match var(METHOD_VAR) {
            Some(value) => Method::parse(&value.to_string_lossy())?,
            None => None,
        };
        let graphical = cfg!(any(target_os = "macos", target_os = "windows"))
            || var("DISPLAY").is_some()
            || var("WAYLAND_DISPLAY").is_some();
        Ok(Env {
            forced,
            graphical,
            term: var("TERM").map(|t| t.to_string_lossy().into_owned()),
            tmux: var("TMUX").is_some(),
        })
    }

    /// Whether the terminal is worth an OSC 52 sequence.
    fn terminal_takes_osc52(&self) -> bool {
        self.term.as_deref().is_some_and(|t| t != "dumb")
    }
}

/// The ways out, separate from the decisions so that tests need no display, terminal or tmux.
struct Backends<'a> {
    system: &'a mut dyn FnMut(&str) -> Result<(), String>,
    osc52: &'a mut dyn FnMut(&str) -> io::Result<()>,
    /// tmux's `set-clipboard` option, `None` when tmux could not tell.
    tmux_set_clipboard: &'a mut dyn FnMut() -> Option<String>,
}

fn copy_with(
    text: &str,
    env: &Env,
    backends: &mut Backends<'_>,
    fallback_dir: &Path,
    name_hint: &str,
) -> Result<Copied, String> {
    let save = || {
        save_to_file(text, fallback_dir, name_hint, SystemTime::now())
            .map(Copied::SavedTo)
            .map_err(|e| format!("cannot save the text in {}: {e}", fallback_dir.display()))
    };
    match env.forced {
        Some(Method::System) => (backends.system)(text)
            .map(|()| Copied::Clipboard)
            .map_err(|e| {
                format!("the system clipboard is not available ({METHOD_VAR}=system): {e}")
            }),
        Some(Method::Osc52) => {
            send_osc52(text, backends.osc52).map_err(|e| format!("{e} ({METHOD_VAR}=osc52)"))
        }
        Some(Method::File) => save(),
        None => {
            if env.graphical && (backends.system)(text).is_ok() {
                return Ok(Copied::Clipboard);
            }
            if env.terminal_takes_osc52()
                && base64_len(text.len()) <= OSC52_MAX_BASE64
                && (!env.tmux || (backends.tmux_set_clipboard)().is_none_or(|v| v == "on"))
                && send_osc52(text, backends.osc52).is_ok()
            {
                return Ok(Copied::Osc52);
            }
            save()
        }
    }
}

fn send_osc52(text: &str, osc52: &mut dyn FnMut(&str) -> io::Result<()>) -> Result<Copied, String> {
    let encoded = base64_len(text.len());
    if encoded > OSC52_MAX_BASE64 {
        return Err(format!(
            "the text is too long for OSC 52 ({} of base64, at most {})",
            format_size(encoded),
            format_size(OSC52_MAX_BASE64)
        ));
    }
    osc52(&osc52_sequence(text))
        .map(|()| Copied::Osc52)
        .map_err(|e| format!("cannot write to the terminal: {e}"))
}

/// Saves `text` to a new file in `dir` (created if missing) and returns its path. The name is
/// the hint's stem, the time `at` in UTC and the hint's extension (`.txt` if it has none):
/// `response.json` gives `response-20250131-235959.json`, then `response-20250131-235959-2.json`
/// and so on when that exists. Characters other than ASCII letters, digits, `.`, `_` and `-`
/// become `-`. On unix the file is readable by its owner only: copied text may hold tokens.
pub fn save_to_file(
    text: &str,
    dir: &Path,
    name_hint: &str,
    at: SystemTime,
) -> io::Result<PathBuf> {
    use io::Write as _;
    std::fs::create_dir_all(dir)?;
    let (stem, extension) = file_name_parts(name_hint);
    let stamp = utc_stamp(at);
    for n in 1..=1000u32 {
        let mut name = format!("{stem}-{stamp}");
        if n > 1 {
            let _ = write!(name, "-{n}");
        }
        name.push_str(&extension);
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("1000 files named {stem}-{stamp}… exist already"),
    ))
}

/// Splits a name hint into a safe stem and an extension with its dot (`.txt` by default).
fn file_name_parts(hint: &str) -> (String, String) {
    let clean: String = hint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_matches(|c| c == '.' || c == '-');
    let (stem, extension) = match clean.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 10 => {
            (stem, format!(".{ext}"))
        }
        _ => (clean, ".txt".to_string()),
    };
    let mut stem: String = stem.chars().take(60).collect();
    if stem.is_empty() {
        stem = "copied".into();
    }
    (stem, extension)
}

/// `YYYYMMDD-HHMMSS` in UTC.
fn utc_stamp(at: SystemTime) -> String {
    let u = crate::datetime::Utc::of(at);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        u.year, u.month, u.day, u.hour, u.minute, u.second
    )
}

/// The process's one system clipboard, created on first use and kept (see the module
/// documentation: on X11 the copied text lives only as long as it). `None` until the first
/// copy, and again after a failure, so the next copy reconnects.
static SYSTEM: OnceLock<Mutex<Option<arboard::Clipboard>>> = OnceLock::new();

/// Set while a copy to the system clipboard runs. One stuck on an unresponsive display keeps
/// it set, and later copies skip the system clipboard at once instead of waiting again.
static SYSTEM_BUSY: AtomicBool = AtomicBool::new(false);

/// Clears [`SYSTEM_BUSY`] however the clipboard thread ends (arboard panicking included).
struct BusyGuard;

impl Drop for BusyGuard {
    fn drop(&mut self) {
        SYSTEM_BUSY.store(false, Ordering::SeqCst);
    }
}

/// Puts `text` on the system clipboard, giving up after [`SYSTEM_TIMEOUT`].
fn system_copy(text: &str) -> Result<(), String> {
    if SYSTEM_BUSY.swap(true, Ordering::SeqCst) {
        return Err("an earlier copy to the system clipboard has not finished".into());
    }
    let guard = BusyGuard;
    let (tx, rx) = mpsc::channel();
    let text = text.to_owned();
    std::thread::Builder::new()
        .name("clipboard".into())
        .spawn(move || {
            let _guard = guard;
            let _ = tx.send(set_system_text(text));
        })
        .map_err(|e| format!("cannot start the clipboard thread: {e}"))?;
    match rx.recv_timeout(SYSTEM_TIMEOUT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "the system clipboard did not answer within {} s",
            SYSTEM_TIMEOUT.as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the system clipboard failed unexpectedly".into())
        }
    }
}

fn set_system_text(text: String) -> Result<(), String> {
    let slot = SYSTEM.get_or_init(|| Mutex::new(None));
    let mut clipboard = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if clipboard.is_none() {
        *clipboard = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
    }
    let Some(board) = clipboard.as_mut() else {
        return Err("no system clipboard".into());
    };
    let result = board.set_text(text).map_err(|e| e.to_string());
    if result.is_err() {
        // Reconnect next time (the display may have restarted).
        *clipboard = None;
    }
    result
}

/// tmux's `set-clipboard` server option (`on`, `external` or `off`), or `None` when tmux
/// cannot be asked within [`TMUX_TIMEOUT`].
fn tmux_set_clipboard() -> Option<String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("tmux")
        .args(["show-options", "-sv", "set-clipboard"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + TMUX_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(_) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    Some(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs [`copy_with`] with fake backends and returns what was copied and where each
    /// backend was called.
    struct Run {
        result: Result<Copied, String>,
        system_calls: usize,
        osc52_sent: Vec<String>,
        tmux_asked: usize,
    }

    fn run(text: &str, env: &Env, system_ok: bool, osc52_ok: bool, tmux: &str) -> Run {
        let dir = tempfile::tempdir().unwrap();
        run_in(text, env, system_ok, osc52_ok, tmux, dir.path())
    }

    fn run_in(
        text: &str,
        env: &Env,
        system_ok: bool,
        osc52_ok: bool,
        tmux: &str,
        dir: &Path,
    ) -> Run {
        let mut system_calls = 0;
        let mut osc52_sent = Vec::new();
        let mut tmux_asked = 0;
        let result = {
            let mut system = |_: &str| {
                system_calls += 1;
                if system_ok {
                    Ok(())
                } else {
                    Err("no display".to_string())
                }
            };
            let mut osc52 = |seq: &str| {
                osc52_sent.push(seq.to_string());
                if osc52_ok {
                    Ok(())
                } else {
                    Err(io::Error::other("closed"))
                }
            };
            let mut tmux_option = || {
                tmux_asked += 1;
                (!tmux.is_empty()).then(|| tmux.to_string())
            };
            let mut backends = Backends {
                system: &mut system,
                osc52: &mut osc52,
                tmux_set_clipboard: &mut tmux_option,
            };
            copy_with(text, env, &mut backends, dir, "response.json")
        };
        Run {
            result,
            system_calls,
            osc52_sent,
            tmux_asked,
        }
    }

    fn terminal() -> Env {
        Env {
            term: Some("xterm-256color".into()),
            ..Env::default()
        }
    }

    #[test]
    fn the_osc52_sequence_is_exact() {
        assert_eq!(osc52_sequence(""), "\x1b]52;c;\x07");
        assert_eq!(osc52_sequence("hello"), "\x1b]52;c;aGVsbG8=\x07");
        assert_eq!(osc52_sequence("ab"), "\x1b]52;c;YWI=\x07");
        assert_eq!(osc52_sequence("abc"), "\x1b]52;c;YWJj\x07");
        assert_eq!(
            osc52_sequence("{\"é\": 1}\n").as_bytes(),
            b"\x1b]52;c;eyLDqSI6IDF9Cg==\x07"
        );
        for n in 0..10 {
            let text = "x".repeat(n);
            assert_eq!(osc52_sequence(&text).len(), base64_len(n) + 8, "{n}");
        }
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(999), "999 B");
        assert_eq!(format_size(1000), "1.0 kB");
        assert_eq!(format_size(1234), "1.2 kB");
        assert_eq!(format_size(999_949), "999.9 kB");
        assert_eq!(format_size(1_000_000), "1.0 MB");
        assert_eq!(format_size(12_345_678), "12.3 MB");
        assert_eq!(
            describe(&Copied::Clipboard, 1234),
            "copied 1.2 kB to the clipboard"
        );
        assert_eq!(
            describe(&Copied::Osc52, 1234),
            "copied 1.2 kB (OSC 52 to the terminal)"
        );
        assert_eq!(
            describe(&Copied::SavedTo("/tmp/r.json".into()), 5),
            "no clipboard here: saved to /tmp/r.json"
        );
    }

    #[test]
    fn the_file_fallback_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_738_367_999);
        let first = save_to_file("one", dir.path(), "response.json", at).unwrap();
        let second = save_to_file("two", dir.path(), "response.json", at).unwrap();
        let third = save_to_file("three", dir.path(), "response.json", at).unwrap();
        let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name(&first), "response-20250131-235959.json");
        assert_eq!(name(&second), "response-20250131-235959-2.json");
        assert_eq!(name(&third), "response-20250131-235959-3.json");
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&first).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A missing directory is made.
        let nested = dir.path().join("a/b");
        let path = save_to_file("x", &nested, "", at).unwrap();
        assert_eq!(name(&path), "copied-20250131-235959.txt");
    }

    #[test]
    fn name_hints_are_made_safe() {
        let parts = |h: &str| file_name_parts(h);
        assert_eq!(parts("response.json"), ("response".into(), ".json".into()));
        assert_eq!(parts("body"), ("body".into(), ".txt".into()));
        assert_eq!(
            parts("../../etc/passwd"),
            ("etc-passwd".into(), ".txt".into())
        );
        assert_eq!(
            parts("GET /v1/x y.json"),
            ("GET--v1-x-y".into(), ".json".into())
        );
        assert_eq!(parts(".hidden"), ("hidden".into(), ".txt".into()));
        assert_eq!(parts(""), ("copied".into(), ".txt".into()));
        assert_eq!(parts("a.b.c"), ("a.b".into(), ".c".into()));
    }

    #[test]
    fn utc_stamps_are_right() {
        let at = |s: u64| utc_stamp(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "19700101-000000");
        assert_eq!(at(951_782_400), "20000229-000000");
        assert_eq!(at(1_709_210_096), "20240229-123456");
        assert_eq!(at(4_102_444_799), "20991231-235959");
    }

    #[test]
    fn the_system_clipboard_comes_first_when_there_is_a_display() {
        let env = Env {
            graphical: true,
            ..terminal()
        };
        let r = run("hi", &env, true, true, "");
        assert_eq!(r.result, Ok(Copied::Clipboard));
        assert!(r.osc52_sent.is_empty());
        // Without a display it is not even tried.
        let r = run("hi", &terminal(), true, true, "");
        assert_eq!(r.system_calls, 0);
        assert_eq!(r.result, Ok(Copied::Osc52));
        assert_eq!(r.osc52_sent, ["\x1b]52;c;aGk=\x07"]);
    }

    #[test]
    fn osc52_follows_a_failed_system_clipboard() {
        let env = Env {
            graphical: true,
            ..terminal()
        };
        let r = run("hi", &env, false, true, "");
        assert_eq!(r.system_calls, 1);
        assert_eq!(r.result, Ok(Copied::Osc52));
        assert_eq!(r.tmux_asked, 0);
    }

    #[test]
    fn a_file_is_the_last_resort() {
        // No TERM, a dumb terminal, a failed write, a long text.
        for (env, text, osc52_ok) in [
            (Env::default(), "hi".to_string(), true),
            (
                Env {
                    term: Some("dumb".into()),
                    ..Env::default()
                },
                "hi".to_string(),
                true,
            ),
            (terminal(), "hi".to_string(), false),
            (terminal(), "x".repeat(75_001), true),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let r = run_in(&text, &env, true, osc52_ok, "", dir.path());
            let Ok(Copied::SavedTo(path)) = r.result else {
                panic!("{:?}", r.result);
            };
            assert!(path.starts_with(dir.path()));
            assert_eq!(std::fs::read_to_string(path).unwrap(), text);
        }
        // 75,000 bytes are 100,000 of base64: still sent.
        let r = run(&"x".repeat(75_000), &terminal(), true, true, "");
        assert_eq!(r.result, Ok(Copied::Osc52));
    }

    #[test]
    fn inside_tmux_osc52_needs_set_clipboard_on() {
        let tmux = Env {
            tmux: true,
            ..terminal()
        };
        let r = run("hi", &tmux, true, true, "on");
        assert_eq!(r.result, Ok(Copied::Osc52));
        assert_eq!(r.tmux_asked, 1);
        // The plain sequence, not wrapped in tmux's DCS passthrough.
        assert_eq!(r.osc52_sent, ["\x1b]52;c;aGk=\x07"]);
        for option in ["external", "off"] {
            let r = run("hi", &tmux, true, true, option);
            assert!(matches!(r.result, Ok(Copied::SavedTo(_))), "{option}");
            assert!(r.osc52_sent.is_empty());
        }
        // tmux could not be asked: try anyway.
        let r = run("hi", &tmux, true, true, "");
        assert_eq!(r.result, Ok(Copied::Osc52));
    }

    #[test]
    fn a_forced_method_is_the_only_one_tried() {
        let everything = Env {
            graphical: true,
            tmux: true,
            ..terminal()
        };
        let forced = |method| Env {
            forced: Some(method),
            ..everything.clone()
        };

        let r = run("hi", &forced(Method::File), true, true, "on");
        assert!(matches!(r.result, Ok(Copied::SavedTo(_))));
        assert_eq!((r.system_calls, r.osc52_sent.len()), (0, 0));

        let r = run("hi", &forced(Method::Osc52), true, true, "off");
        assert_eq!(r.result, Ok(Copied::Osc52));
        assert_eq!((r.system_calls, r.tmux_asked), (0, 0));
        // Forced OSC 52 ignores TERM but not the size limit, and failures are errors.
        let dumb = Env {
            forced: Some(Method::Osc52),
            ..Env::default()
        };
        assert_eq!(run("hi", &dumb, true, true, "").result, Ok(Copied::Osc52));
        let err = run(&"x".repeat(80_000), &dumb, true, true, "")
            .result
            .unwrap_err();
        assert!(err.contains("too long for OSC 52"), "{err}");
        let err = run("hi", &dumb, true, false, "").result.unwrap_err();
        assert!(err.contains("cannot write to the terminal"), "{err}");

        let r = run("hi", &forced(Method::System), true, true, "on");
        assert_eq!(r.result, Ok(Copied::Clipboard));
        let headless = Env {
            forced: Some(Method::System),
            ..Env::default()
        };
        let r = run("hi", &headless, false, true, "on");
        let err = r.result.unwrap_err();
        assert!(err.contains("CYCLR_CLIPBOARD=system"), "{err}");
        assert!(r.osc52_sent.is_empty());
    }

    #[test]
    fn the_forcing_variable_is_parsed() {
        assert_eq!(Method::parse(""), Ok(None));
        assert_eq!(Method::parse(" OSC52 "), Ok(Some(Method::Osc52)));
        assert_eq!(Method::parse("file"), Ok(Some(Method::File)));
        assert_eq!(Method::parse("system"), Ok(Some(Method::System)));
        let err = Method::parse("xclip").unwrap_err();
        assert!(err.contains("system, osc52 or file"), "{err}");
    }

    /// Asks the real tmux when this runs inside one (manual check: `tmux new 'cargo test'`).
    #[test]
    fn tmux_option_query() {
        if std::env::var_os("TMUX").is_none() {
            eprintln!("skipped: not inside tmux");
            return;
        }
        let value = tmux_set_clipboard();
        assert!(
            matches!(value.as_deref(), Some("on" | "external" | "off")),
            "{value:?}"
        );
    }
}
