//! Logging to a file, never to the terminal. Off unless `CYCLR_LOG` is set (e.g. `debug`).

use std::path::{Path, PathBuf};

/// Where the log goes: `chosen` (the settings' `--log-file`, `CYCLR_LOG_FILE` or the config
/// file's `log_file`), or `cyclr-tui.log` in the XDG state directory.
pub fn log_path(chosen: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = chosen {
        return Some(path.to_path_buf());
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("cyclr-tui").join("cyclr-tui.log"))
}

/// Starts file logging when `CYCLR_LOG` holds a level (`error` … `trace`; anything else means
/// `info`). The level applies to this tool's own events only: the HTTP libraries log at
/// `warn`, so headers (and the credentials in them) never reach the file. Failures to open the
/// file are ignored: logging must never stop the tool.
pub fn init(chosen: Option<&Path>) {
    let Ok(filter) = std::env::var("CYCLR_LOG") else {
        return;
    };
    let Some(path) = log_path(chosen) else { return };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
            "warn,cyclr_tui={}",
            filter
                .trim()
                .parse::<tracing_subscriber::filter::LevelFilter>()
                .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO)
        )))
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
