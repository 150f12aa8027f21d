//! Live jq filters on the response viewer, run on a thread of their own so typing never
//! waits for one.
//!
//! Each keystroke in the filter line sends a job tagged with a generation number; the
//! thread skips jobs already superseded, and a run in progress stops at its next output once
//! a newer generation is asked for. The parsed body is kept between jobs (parsing a 10 MB
//! body costs more than most filters), which is why one thread owns it: jaq's values are
//! not `Send`.

use crate::app::CallKey;
use crate::document::{LazyTable, Lines};
use crate::jq::{Filter, Parsed};
use crate::msg::Msg;
use crate::outline::Outline;
use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use tokio::sync::mpsc::UnboundedSender;

/// Outputs kept from one run; a filter producing more stops there and says so.
pub const MAX_OUTPUTS: usize = 100_000;

/// Text kept from one run's outputs (pretty JSON); the rest is dropped and that is said.
const MAX_TEXT: usize = 64 * 1024 * 1024;

/// A filter to run on a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterJob {
    /// The method whose response it is.
    pub key: CallKey,
    /// Newer jobs have larger numbers; only the newest one's result matters.
    pub generation: u64,
    pub filter: String,
    pub body: Bytes,
}

/// A filter's result laid out for the viewer, as its own pretty text with an outline for
/// folding and, when the outputs are records, a table (built when asked for).
#[derive(Debug)]
pub struct Filtered {
    pub filter: String,
    /// Every output, pretty, one after another.
    pub text: Lines,
    pub outline: Arc<Outline>,
    /// The outputs' records as a table, built when asked for.
    pub table: Arc<LazyTable>,
    /// How many outputs the filter gave (those kept).
    pub outputs: usize,
    /// Why fewer outputs are shown than the filter would give, if so.
    pub cut: Option<String>,
}

/// The reply to a job.
#[derive(Debug, Clone)]
pub struct FilterDone {
    pub key: CallKey,
    pub generation: u64,
    /// The result, or why there is none (the last good one stays on screen).
    pub result: Result<Arc<Filtered>, String>,
}

/// The filter thread's handle.
#[derive(Debug)]
pub struct JqRunner {
    jobs: mpsc::Sender<FilterJob>,
    newest: Arc<AtomicU64>,
}

impl JqRunner {
    /// Starts the thread; results go to `tx` as [`Msg::Filtered`]. `None` when no thread
    /// can be started (filters then say so).
    pub fn spawn(tx: UnboundedSender<Msg>) -> Option<JqRunner> {
        let (jobs, rx) = mpsc::channel::<FilterJob>();
        let newest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&newest);
        std::thread::Builder::new()
            .name("jq-filter".into())
            .spawn(move || serve(&rx, &seen, &tx))
            .ok()?;
        Some(JqRunner { jobs, newest })
    }

    /// Runs `job`, abandoning any older one.
    pub fn run(&self, job: FilterJob) {
        self.newest.fetch_max(job.generation, Ordering::SeqCst);
        let _ = self.jobs.send(job);
    }
}

/// The thread: takes the newest job queued, runs it unless a newer one was asked for since.
fn serve(rx: &mpsc::Receiver<FilterJob>, newest: &AtomicU64, tx: &UnboundedSender<Msg>) {
    let mut parsed: Option<(Bytes, Result<Parsed, String>)> = None;
    while let Ok(mut job) = rx.recv() {
        while let Ok(next) = rx.try_recv() {
            job = next;
        }
        if job.generation < newest.load(Ordering::SeqCst) {
            continue;
        }
        let same_body = parsed.as_ref().is_some_and(|(body, _)| {
            body.as_ptr() == job.body.as_ptr() && body.len() == job.body.len()
        });
        if !same_body {
            drop(parsed.take()); // free the old body's values before parsing the new one
            parsed = Some((job.body.clone(), Parsed::new(&job.body)));
        }
        let Some((_, input)) = parsed.as_ref() else {
            continue;
        };
        let stale = || newest.load(Ordering::SeqCst) > job.generation;
        let result = match input {
            Ok(input) => run(&job.filter, input, &stale),
            Err(e) => Err(e.clone()),
        };
        if stale() {
            continue;
        }
        let done = FilterDone {
            key: job.key,
            generation: job.generation,
            result: result.map(Arc::new),
        };
        if tx.send(Msg::Filtered(Box::new(done))).is_err() {
            return;
        }
    }
}

/// Compiles and runs `text` on `input`, laying the outputs out.
fn run(text: &str, input: &Parsed, stale: &dyn Fn() -> bool) -> Result<Filtered, String> {
    let filter = Filter::compile(text)?;
    let mut cut = None;
    let outputs = filter
        .run_on(input, &mut |n| {
            if n >= MAX_OUTPUTS {
                cut = Some(format!("stopped after {MAX_OUTPUTS} outputs"));
            }
            n < MAX_OUTPUTS && !stale()
        })
        .map_err(|(_, e)| e)?;
    if stale() {
        return Err("superseded".into());
    }
    Ok(lay_out(text, &outputs, cut))
}

/// The outputs as pretty JSON, one after another, with their outline.
pub fn lay_out(filter: &str, outputs: &[Value], mut cut: Option<String>) -> Filtered {
    let mut text = String::new();
    let mut kept = 0;
    for value in outputs {
        let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
        if text.len() + pretty.len() > MAX_TEXT {
            cut = Some(format!(
                "only the first {kept} outputs are shown (more than {} MB of text)",
                MAX_TEXT / (1024 * 1024)
            ));
            break;
        }
        if kept > 0 {
            text.push('\n');
        }
        text.push_str(&pretty);
        kept += 1;
    }
    let lines = Lines::from_string(text);
    let outline = Arc::new(Outline::build(&lines));
    Filtered {
        filter: filter.to_string(),
        text: lines,
        outline,
        table: Arc::default(),
        outputs: kept,
        cut,
    }
}
