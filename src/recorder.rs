//! Recording calls without making anyone wait: a thread owns the [`History`] database, and
//! both faces hand it work over a channel. When the database cannot be used (locked, corrupt,
//! on a read-only disk) the problem is reported once and the tool goes on without history.

use crate::cyclr::{ApiError, CallRequest, CallResponse, Endpoint};
use crate::history::{History, HistoryError, Record, Retention};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::SystemTime;

/// What a call is, beyond its request: who made it and what it was called, for the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallLabel {
    /// The profile in use ("" for none).
    pub profile: String,
    /// The instance's base URL.
    pub instance: String,
    /// The account (`X-Cyclr-Account`), "" for none.
    pub account: String,
    /// The account connector's name, when known.
    pub connector_name: String,
    /// The method's Id, when known.
    pub method_id: Option<i64>,
    /// The method's `MethodUniqueIdentifier`, when known.
    pub method_uid: Option<String>,
    /// The method's name, when known.
    pub method_name: String,
}

/// How a call ended, as the history keeps it.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// An HTTP response (any status); cheap to clone (the body is shared).
    Response(Box<CallResponse>),
    /// No usable response: the status if there was one, and the error line.
    Failed { status: Option<u16>, error: String },
}

impl Outcome {
    /// The outcome of a client call, cheaply (a response's body is shared, not copied).
    #[must_use]
    pub fn of(result: Result<&CallResponse, &ApiError>) -> Outcome {
        match result {
            Ok(response) => Outcome::Response(Box::new(response.clone())),
            Err(error) => Outcome::Failed {
                status: error.status(),
                error: error.to_string(),
            },
        }
    }
}

/// What is recorded of one call: `request` as made, and its outcome.
#[must_use]
pub fn record_of(
    label: &CallLabel,
    request: &CallRequest,
    outcome: &Outcome,
    sent_at: SystemTime,
    elapsed: std::time::Duration,
) -> Record {
    let time_ms = sent_at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let (numeric, guid) = match &request.method {
        crate::cyclr::MethodRef::Id(id) => (Some(*id), label.method_uid.clone()),
        crate::cyclr::MethodRef::Guid(uid) => (label.method_id, Some(uid.clone())),
    };
    let mut record = Record {
        time_ms,
        profile: label.profile.clone(),
        instance: label.instance.clone(),
        account: label.account.clone(),
        account_connector_id: request.account_connector_id,
        connector_name: label.connector_name.clone(),
        method_id: numeric,
        method_uid: guid,
        method_name: label.method_name.clone(),
        endpoint: endpoint_name(request.endpoint).to_string(),
        http_method: request.http_method_name().to_string(),
        url: format!("{}{}", label.instance.trim_end_matches('/'), request.path()),
        request_headers: vec![(
            "Content-Type".to_string(),
            request.content_type.mime().to_string(),
        )],
        request_body: request.body.clone(),
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        ..Record::default()
    };
    match outcome {
        Outcome::Response(response) => {
            record.url.clone_from(&response.request.url);
            record.request_headers.clone_from(&response.request.headers);
            record.request_body.clone_from(&response.request.body);
            record.status = Some(response.status);
            record.elapsed_ms = u64::try_from(response.elapsed.as_millis()).unwrap_or(u64::MAX);
            record.size = response.body_len;
            record.response_headers.clone_from(&response.headers);
            record.response_body = (response.kept.is_none()).then(|| response.body.clone());
            record.error = response.error().map(|e| e.to_string());
        }
        Outcome::Failed { status, error } => {
            record.status = *status;
            record.error = Some(error.clone());
        }
    }
    record
}

/// `call`, `test` or `body`: how the history names an endpoint.
#[must_use]
pub fn endpoint_name(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Call => "call",
        Endpoint::Test => "test",
        Endpoint::RawBody => "body",
    }
}

/// What `settings` keep, as the store takes it.
#[must_use]
pub fn retention(settings: &crate::settings::HistorySettings) -> Retention {
    Retention {
        store_bodies: settings.store_bodies,
        max_body: settings.max_body_kib.saturating_mul(1024),
        max_entries: settings.max_entries,
        max_age_days: settings.max_age_days,
    }
}

/// Opens the history in the platform's data dir with the retention `settings` give.
pub fn open_default(settings: &crate::settings::HistorySettings) -> Result<History, HistoryError> {
    let path = History::default_path().ok_or_else(|| HistoryError::Io {
        path: PathBuf::from("(no data directory)"),
        detail: "set HOME or XDG_DATA_HOME".into(),
    })?;
    History::open(&path, retention(settings))
}

/// Work for the history thread; an error it returns stops recording (reported once).
type Job = Box<dyn FnOnce(&mut History) -> Result<(), HistoryError> + Send>;

/// A handle on the history thread; cheap to clone. A disabled recorder accepts everything
/// and keeps nothing.
#[derive(Clone)]
pub struct Recorder {
    jobs: Option<mpsc::Sender<Job>>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("enabled", &self.jobs.is_some())
            .field("path", &self.path)
            .finish()
    }
}

/// Reports a history problem (once) to whoever runs the tool.
pub type OnError = Box<dyn Fn(String) + Send>;

impl Recorder {
    /// A recorder that keeps nothing.
    #[must_use]
    pub fn disabled() -> Recorder {
        Recorder {
            jobs: None,
            path: None,
        }
    }

    /// Opens the database at `path` on a thread of its own. When it cannot be opened the
    /// error is returned with a disabled recorder, so the caller can say so and go on.
    /// After a later failure `on_error` is called once and nothing more is recorded.
    pub fn open(
        path: &Path,
        retention: Retention,
        on_error: OnError,
    ) -> (Recorder, Option<HistoryError>) {
        match History::open(path, retention) {
            Ok(history) => (Self::spawn(history, on_error), None),
            Err(e) => (Recorder::disabled(), Some(e)),
        }
    }

    /// Runs `history` on a thread of its own.
    #[must_use]
    pub fn spawn(history: History, on_error: OnError) -> Recorder {
        let path = history.path().map(Path::to_path_buf);
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || {
                let mut history = history;
                let mut failed = false;
                while let Ok(job) = rx.recv() {
                    if failed {
                        continue;
                    }
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        job(&mut history)
                    }));
                    let problem = match outcome {
                        Ok(Ok(())) => None,
                        Ok(Err(e)) => Some(e.to_string()),
                        Err(_) => Some("an internal error".to_string()),
                    };
                    if let Some(problem) = problem {
                        failed = true;
                        on_error(format!("history is off for this session: {problem}"));
                    }
                }
            });
        match spawned {
            Ok(_) => Recorder {
                jobs: Some(tx),
                path,
            },
            Err(_) => Recorder::disabled(),
        }
    }

    /// True when calls are being recorded.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.jobs.is_some()
    }

    /// The database file, when recording.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Records a call made by `request`; returns at once (the record is built on the history
    /// thread, so a large body is not copied on the caller's).
    pub fn record_call(
        &self,
        label: CallLabel,
        request: CallRequest,
        outcome: Outcome,
        sent_at: SystemTime,
        elapsed: std::time::Duration,
    ) {
        self.send(Box::new(move |history| {
            let record = record_of(&label, &request, &outcome, sent_at, elapsed);
            history.record(&record).map(|_| ())
        }));
    }

    /// Records a call; returns at once.
    pub fn record(&self, record: Record) {
        self.send(Box::new(move |history| history.record(&record).map(|_| ())));
    }

    /// Runs `job` on the history thread, in order with every other job; returns at once. An
    /// error it returns stops recording.
    pub fn run(&self, job: impl FnOnce(&mut History) -> Result<(), HistoryError> + Send + 'static) {
        self.send(Box::new(job));
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Runs `query` on the history thread and waits for its answer (without blocking a tokio
    /// thread). A disabled recorder answers `None`; a failing query answers its error and
    /// leaves recording on.
    pub async fn ask<T: Send + 'static>(
        &self,
        query: impl FnOnce(&mut History) -> Result<T, HistoryError> + Send + 'static,
    ) -> Option<Result<T, HistoryError>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .as_ref()?
            .send(Box::new(move |history| {
                let _ = tx.send(query(history));
                Ok(())
            }))
            .ok()?;
        rx.await.ok()
    }

    /// Like [`Recorder::ask`], for code outside tokio's tasks.
    pub fn ask_blocking<T: Send + 'static>(
        &self,
        query: impl FnOnce(&mut History) -> Result<T, HistoryError> + Send + 'static,
    ) -> Option<Result<T, HistoryError>> {
        let (tx, rx) = mpsc::channel();
        self.jobs
            .as_ref()?
            .send(Box::new(move |history| {
                let _ = tx.send(query(history));
                Ok(())
            }))
            .ok()?;
        rx.recv().ok()
    }

    /// Waits until every job sent so far is done (the CLI calls it before exiting).
    pub fn flush(&self) {
        let _ = self.ask_blocking(|_| Ok(()));
    }
}

/// The request a recorded call made, to send it again: the method by Id when it was
/// recorded, else by `MethodUniqueIdentifier`. A request body cut at the history's limit
/// cannot be sent again.
pub fn request_of(entry: &crate::history::Entry) -> Result<CallRequest, String> {
    use crate::cyclr::{ContentType, MethodRef, Verb};
    let r = &entry.record;
    let id = entry.id;
    let method = match (r.method_id, &r.method_uid) {
        (Some(method_id), _) => MethodRef::Id(method_id),
        (None, Some(uid)) => MethodRef::Guid(uid.clone()),
        (None, None) => return Err(format!("history entry {id} names no method")),
    };
    let endpoint = match r.endpoint.as_str() {
        "call" => Endpoint::Call,
        "test" => Endpoint::Test,
        "body" => Endpoint::RawBody,
        other => {
            return Err(format!(
                "history entry {id} has an unknown endpoint '{}'",
                crate::text::inert(other)
            ));
        }
    };
    let verb = if r.http_method.eq_ignore_ascii_case("GET") {
        Verb::Get
    } else {
        Verb::Post
    };
    let content_type = r
        .request_headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .and_then(|(_, value)| value.split(';').next())
        .and_then(|mime| ContentType::parse(mime.trim()).ok())
        .unwrap_or_default();
    if r.request_body.contains(crate::cyclr::MASK) {
        return Err(format!(
            "history entry {} had secrets masked in its request body; it cannot be sent again as it was",
            entry.id
        ));
    }
    Ok(CallRequest {
        account_connector_id: r.account_connector_id,
        method,
        endpoint,
        verb,
        body: r.request_body.clone(),
        content_type,
    })
}
