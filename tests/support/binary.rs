//! The binary as a script runs it: nothing from the machine running the tests (no
//! credentials, no config file, a data dir of its own), and the same pointed at a sandbox
//! with the demo account's client credentials. Included by the CLI tests with `#[path]`.
#![allow(dead_code)] // each CLI test uses its own part

use assert_cmd::Command;
use cyclr_tui::sandbox::Sandbox;
use std::path::{Path, PathBuf};

/// Settings the tests never take from the environment they run in.
const CLEARED: [&str; 8] = [
    "CYCLR_INSTANCE",
    "CYCLR_ACCOUNT",
    "CYCLR_TOKEN",
    "CYCLR_CLIENT_ID",
    "CYCLR_CLIENT_SECRET",
    "CYCLR_PROFILE",
    "CYCLR_READ_ONLY",
    "CYCLR_LOG",
];

/// The binary with no credentials and no config file, its data (the history) in `data`.
pub fn bare(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cyclr-tui").unwrap();
    for var in CLEARED {
        cmd.env_remove(var);
    }
    cmd.env("CYCLR_CONFIG", "/nonexistent/cyclr-tui-tests/config.toml")
        .env("XDG_DATA_HOME", data)
        .timeout(std::time::Duration::from_mins(1));
    cmd
}

/// A data dir no other run uses (in the temp dir, named after `tag`).
pub fn scratch_data(tag: &str) -> PathBuf {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("cyclr-tui-{tag}-{}-{run}", std::process::id()))
}

/// `cmd` pointed at `sandbox`, as its demo account with client credentials.
pub fn against(mut cmd: Command, sandbox: &Sandbox) -> Command {
    let demo = sandbox.demo();
    cmd.env("CYCLR_INSTANCE", sandbox.base_url())
        .env("CYCLR_ACCOUNT", &demo.account_id)
        .env("CYCLR_CLIENT_ID", &demo.client_id)
        .env("CYCLR_CLIENT_SECRET", &demo.client_secret);
    cmd
}
