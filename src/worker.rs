//! Runs effects as tokio tasks, one abort handle per request, and answers with messages.

use crate::app::ListPane;
use crate::cyclr::{ApiError, CyclrClient, MethodQuery, shorten_icons};
use crate::document::ResponseDoc;
use crate::effect::{Effect, RequestId};
use crate::jq_runner::{FilterDone, JqRunner};
use crate::msg::Arrival;
use crate::msg::HistoricCall;
use crate::msg::{Msg, SaveError};
use crate::recorder::{Outcome, Recorder, request_of};
use crate::ui::local_time;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

/// Carries out effects against the Cyclr client; never blocks the caller.
pub struct Worker {
    client: CyclrClient,
    tx: UnboundedSender<Msg>,
    /// Where calls are recorded (disabled: nowhere).
    recorder: Recorder,
    /// The profile drafts and state are kept under ("" for none).
    profile: String,
    tasks: HashMap<RequestId, AbortHandle>,
    /// The thread running jq filters (none if it could not start).
    jq: Option<JqRunner>,
}

impl Worker {
    /// A worker that replies on `tx`.
    #[must_use]
    pub fn new(client: CyclrClient, tx: UnboundedSender<Msg>) -> Self {
        Worker {
            client,
            jq: JqRunner::spawn(tx.clone()),
            tx,
            recorder: Recorder::disabled(),
            profile: String::new(),
            tasks: HashMap::new(),
        }
    }

    /// Records every call from now on with `recorder`; drafts and state go under `profile`.
    pub fn set_recorder(&mut self, recorder: Recorder, profile: String) {
        self.recorder = recorder;
        self.profile = profile;
    }

    /// Waits until the history has written everything sent to it.
    pub fn flush_history(&self) {
        self.recorder.flush();
    }

    /// Starts (or, for `Cancel`, aborts) the task for one effect.
    pub fn run(&mut self, effect: Effect) {
        self.tasks.retain(|_, task| !task.is_finished());
        let client = self.client.clone();
        let tx = self.tx.clone();
        let recorder = self.recorder.clone();
        let (id, task) = match effect {
            Effect::Cancel(id) => {
                if let Some(task) = self.tasks.remove(&id) {
                    task.abort();
                }
                return;
            }
            Effect::LoadConnectors { id } => (
                id,
                tokio::spawn(async move {
                    let progress_tx = tx.clone();
                    let mut on_page = move |progress| {
                        let _ = progress_tx.send(Msg::ConnectorsProgress { id, progress });
                    };
                    let result = client
                        .account_connectors_with_progress(&mut on_page)
                        .await
                        .map(|mut connectors| {
                            // The explorer never draws icons; a big account holds thousands.
                            for connector in &mut connectors {
                                shorten_icons(&mut connector.raw);
                            }
                            connectors
                        });
                    let _ = tx.send(Msg::ConnectorsLoaded {
                        id,
                        result: result.map_err(Arc::new),
                    });
                    let _ = tx.send(Msg::TokenValidUntil(client.token_valid_until().await));
                }),
            ),
            Effect::LoadMethods { id, connector_id } => (
                id,
                tokio::spawn(async move {
                    let result = client.methods(connector_id, &MethodQuery::default()).await;
                    let _ = tx.send(Msg::MethodsLoaded {
                        id,
                        result: result.map_err(Arc::new),
                    });
                }),
            ),
            Effect::Call { id, request, label } => (
                id,
                tokio::spawn(async move {
                    let sent_at = SystemTime::now();
                    let started = std::time::Instant::now();
                    let outcome = client.call_keeping_large(&request).await;
                    let _ = tx.send(Msg::TokenValidUntil(client.token_valid_until().await));
                    if recorder.is_enabled() {
                        recorder.record_call(
                            label,
                            request.clone(),
                            Outcome::of(outcome.as_ref()),
                            sent_at,
                            started.elapsed(),
                        );
                    }
                    let msg = match outcome {
                        Ok(response) if response.kept.is_some() => Msg::CallTooLarge {
                            id,
                            message: format!(
                                "the response ({} bytes, HTTP {}) is larger than the {}-byte cap, so it is not shown",
                                response.body_len,
                                response.status,
                                client.config().max_body_bytes
                            ),
                            kept: response.kept,
                            at: arrival_now(),
                        },
                        // Laying out a big body is CPU work: keep it off the UI task.
                        Ok(response) => {
                            let laid_out =
                                tokio::task::spawn_blocking(move || ResponseDoc::new(response))
                                    .await
                                    .map(Arc::new);
                            Msg::CallFinished {
                                id,
                                result: laid_out.map_err(|e| {
                                    Arc::new(ApiError::Decode {
                                        expected: "a response that can be shown",
                                        detail: format!("laying it out failed: {e}"),
                                        body: bytes::Bytes::new(),
                                    })
                                }),
                                at: arrival_now(),
                            }
                        }
                        Err(e @ ApiError::TooLarge { .. }) => Msg::CallTooLarge {
                            id,
                            message: e.to_string(),
                            kept: None,
                            at: arrival_now(),
                        },
                        Err(e) => Msg::CallFinished {
                            id,
                            result: Err(Arc::new(e)),
                            at: arrival_now(),
                        },
                    };
                    let _ = tx.send(msg);
                }),
            ),
            Effect::LoadAccounts { id } => (
                id,
                tokio::spawn(async move {
                    let result = client.accounts().await.map_err(Arc::new);
                    let _ = tx.send(Msg::AccountsLoaded { id, result });
                }),
            ),
            Effect::SwitchAccount { account } => {
                match self.client.for_account(&account) {
                    Ok(client) => self.client = client,
                    Err(e) => {
                        let _ = self.tx.send(Msg::HistoryProblem(format!(
                            "cannot switch to account {account}: {e}"
                        )));
                    }
                }
                return;
            }
            Effect::SaveDraft {
                account_connector_id,
                method,
                text,
            } => {
                let profile = self.profile.clone();
                self.recorder.run(move |h| {
                    if text.is_empty() {
                        h.delete_draft(&profile, account_connector_id, &method)
                    } else {
                        h.save_draft(&profile, account_connector_id, &method, &text)
                    }
                });
                return;
            }
            Effect::RunFilter(job) => {
                match &self.jq {
                    Some(jq) => jq.run(job),
                    None => {
                        let _ = tx.send(Msg::Filtered(Box::new(FilterDone {
                            key: job.key,
                            generation: job.generation,
                            result: Err("filters cannot run: no thread for them".into()),
                        })));
                    }
                }
                return;
            }
            Effect::BuildTable { table, text } => {
                tokio::task::spawn_blocking(move || {
                    table.build(&text);
                    let _ = tx.send(Msg::TableReady);
                });
                return;
            }
            Effect::SaveFilter { key, filter } => {
                let profile = self.profile.clone();
                self.recorder
                    .run(move |h| h.save_filter(&profile, &key.method, &filter));
                return;
            }
            Effect::LoadFilters { key } => {
                let profile = self.profile.clone();
                let method = key.method.clone();
                tokio::spawn(async move {
                    let filters = recorder.ask(move |h| h.filters(&profile, &method)).await;
                    if let Some(Ok(filters)) = filters {
                        let _ = tx.send(Msg::FilterHistory { key, filters });
                    }
                });
                return;
            }
            Effect::SaveText {
                path,
                text,
                overwrite,
            } => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::Saved(save_text(&path, &text, overwrite).await));
                });
                return;
            }
            Effect::Lookup { id, key } => (
                id,
                tokio::spawn(async move {
                    let result = lookup(&client, &key).await;
                    let _ = tx.send(Msg::LookupLoaded { id, key, result });
                }),
            ),
            Effect::LoadDetails {
                id,
                account_connector_id,
            } => (
                id,
                tokio::spawn(async move {
                    let result = connector_info(&client, account_connector_id).await;
                    let _ = tx.send(Msg::DetailsLoaded { id, result });
                }),
            ),
            // The loop's own: they need the terminal.
            Effect::Copy { .. } | Effect::EditExternally { .. } => return,
            Effect::SaveState { key, value } => {
                let profile = self.profile.clone();
                self.recorder
                    .run(move |h| h.set_state(&profile, key, &value));
                return;
            }
            Effect::LoadRemembered { id } => {
                let profile = self.profile.clone();
                (
                    id,
                    tokio::spawn(async move {
                        let asked = recorder
                            .ask(move |h| {
                                let drafts = h.drafts(&profile)?;
                                let mut state = Vec::new();
                                for key in crate::app::REMEMBERED_STATE {
                                    if let Some(value) = h.state(&profile, key)? {
                                        state.push(((*key).to_string(), value));
                                    }
                                }
                                Ok((drafts, state))
                            })
                            .await;
                        let msg = match asked {
                            Some(Ok((drafts, state))) => Msg::Remembered { drafts, state },
                            Some(Err(e)) => Msg::HistoryProblem(format!("cannot read drafts: {e}")),
                            None => return,
                        };
                        let _ = tx.send(msg);
                    }),
                )
            }
            Effect::LoadHistory { id, query } => (
                id,
                tokio::spawn(async move {
                    let result = match recorder
                        .ask(move |h| h.list(&query).map(|l| Box::new(ListPane::ready(l))))
                        .await
                    {
                        Some(Ok(list)) => Ok(list),
                        Some(Err(e)) => Err(format!("cannot read the history: {e}")),
                        None => Err(NO_HISTORY.to_string()),
                    };
                    let _ = tx.send(Msg::HistoryLoaded { id, result });
                }),
            ),
            Effect::LoadHistoryEntry { id, entry, purpose } => (
                id,
                tokio::spawn(async move {
                    let result = historic_call(&recorder, entry).await.map(Box::new);
                    let _ = tx.send(Msg::HistoryEntryLoaded {
                        id,
                        purpose,
                        result,
                    });
                }),
            ),
            Effect::DiffHistory { id, old, new } => (
                id,
                tokio::spawn(async move {
                    let result = diff_entries(&recorder, old, new).await;
                    let _ = tx.send(Msg::DiffReady { id, result });
                }),
            ),
            Effect::KeepBody { id, kept, path } => (
                id,
                tokio::spawn(async move {
                    let result = match tokio::fs::copy(kept.path(), &path).await {
                        Ok(bytes) => Ok(format!("saved {bytes} bytes to {}", path.display())),
                        Err(e) => Err(format!("cannot write {}: {e}", path.display())),
                    };
                    let _ = tx.send(Msg::BodySaved { id, result });
                }),
            ),
        };
        self.tasks.insert(id, task.abort_handle());
    }
}

/// Writes `text` to `path`; an existing file is left alone unless `overwrite`.
async fn save_text(
    path: &std::path::Path,
    text: &[u8],
    overwrite: bool,
) -> Result<String, SaveError> {
    use tokio::io::AsyncWriteExt;
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let shown = || crate::text::inert(&path.display().to_string()).into_owned();
    let mut file = match options.open(path).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(SaveError::Exists(path.to_path_buf()));
        }
        Err(e) => return Err(SaveError::Other(format!("cannot write {}: {e}", shown()))),
    };
    let written = async {
        file.write_all(text).await?;
        file.flush().await
    };
    match written.await {
        Ok(()) => Ok(format!(
            "saved {} to {}",
            crate::ui::human_size(text.len()),
            shown()
        )),
        Err(e) => Err(SaveError::Other(format!("cannot write {}: {e}", shown()))),
    }
}

/// Why the history cannot answer.
const NO_HISTORY: &str = "the history is off for this session (see the message at start)";

/// Loads a recorded call and lays its response out, off the UI task.
async fn historic_call(recorder: &Recorder, entry: i64) -> Result<HistoricCall, String> {
    let found = match recorder.ask(move |h| h.get(entry)).await {
        Some(Ok(Some(found))) => found,
        Some(Ok(None)) => return Err(format!("history entry {entry} is gone")),
        Some(Err(e)) => return Err(format!("cannot read the history: {e}")),
        None => return Err(NO_HISTORY.to_string()),
    };
    let request = request_of(&found)?;
    let summary = found.summary();
    let when = local_time(found.record.time_ms);
    let record = found.record;
    let doc = match (record.status, record.response_body) {
        (Some(status), body) => {
            let cut = if found.body_truncated {
                "(body cut or not kept)"
            } else {
                ""
            };
            let sent = crate::cyclr::SentRequest {
                method: record.http_method.clone(),
                url: record.url.clone(),
                headers: record.request_headers.clone(),
                body: record.request_body.clone(),
                retried_after_refresh: false,
            };
            let response = crate::cyclr::CallResponse::from_parts(
                status,
                cut,
                record.response_headers,
                std::time::Duration::from_millis(record.elapsed_ms),
                body.unwrap_or_default(),
                sent,
            );
            tokio::task::spawn_blocking(move || ResponseDoc::new(response))
                .await
                .ok()
                .map(Arc::new)
        }
        (None, _) => None,
    };
    Ok(HistoricCall {
        entry: summary,
        request,
        doc,
        error: record.error,
        when,
    })
}

/// The differences between two recorded responses, with a title naming both.
async fn diff_entries(
    recorder: &Recorder,
    old: i64,
    new: i64,
) -> Result<(String, Vec<String>), String> {
    let entries = recorder
        .ask(move |h| Ok((h.get(old)?, h.get(new)?)))
        .await
        .ok_or_else(|| NO_HISTORY.to_string())?
        .map_err(|e| format!("cannot read the history: {e}"))?;
    let (Some(a), Some(b)) = entries else {
        return Err("one of the marked calls is gone from the history".into());
    };
    let title = format!(
        "Responses of {} ({}) → {} ({})",
        a.record.method_name,
        local_time(a.record.time_ms),
        b.record.method_name,
        local_time(b.record.time_ms)
    );
    let mut notes = Vec::new();
    for e in [&a, &b] {
        if e.body_truncated {
            notes.push(format!(
                "note: the response of {} was cut or not kept; differences past the cut are not seen",
                local_time(e.record.time_ms)
            ));
        }
    }
    let old_body = a.record.response_body.unwrap_or_default();
    let new_body = b.record.response_body.unwrap_or_default();
    let lines = tokio::task::spawn_blocking(move || {
        let changes = crate::diff::diff(&old_body, &new_body);
        let mut lines = notes;
        if changes.is_empty() {
            lines.push(if old_body == new_body {
                "no differences: the bodies are identical".to_string()
            } else {
                "no differences but in line endings or layout".to_string()
            });
        } else {
            lines.push(format!("{} differences:", changes.len()));
            lines.extend(changes.iter().map(ToString::to_string));
        }
        lines
    })
    .await
    .map_err(|e| format!("comparing failed: {e}"))?;
    Ok((title, lines))
}

/// Now, with the local time of day.
fn arrival_now() -> Arrival {
    let time = SystemTime::now();
    Arrival {
        time,
        clock: local_clock(time),
    }
}

/// The local time of day of `at`, `14:03:12` (empty if the system cannot say).
fn local_clock(at: SystemTime) -> String {
    let ms = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    // `2026-12-02 14:03:12`: the time of day is what follows the date.
    local_time(ms).get(11..).unwrap_or_default().to_string()
}

impl Drop for Worker {
    fn drop(&mut self) {
        for task in self.tasks.values() {
            task.abort();
        }
    }
}

/// Calls a lookup's method (an empty body, on the lookup's account connector) and reads its
/// choices out of the reply; an HTTP error says what the response pane would.
pub async fn lookup(
    client: &CyclrClient,
    key: &crate::app::LookupKey,
) -> Result<Vec<crate::lookup::Choice>, crate::msg::CallError> {
    let request = crate::cyclr::CallRequest::empty_call(key.account_connector_id, key.method_id);
    let response = client.call(&request).await.map_err(Arc::new)?;
    if let Some(error) = response.error() {
        return Err(Arc::new(error));
    }
    let (label_key, id_key) = (key.label_key.clone(), key.id_key.clone());
    let body = response.body.clone();
    // Reading 10,000 items is CPU work: off the async threads.
    tokio::task::spawn_blocking(move || {
        crate::lookup::choices_from_bytes(&body, &label_key, &id_key).map_err(|e| {
            Arc::new(ApiError::Decode {
                expected: "lookup choices",
                detail: e.to_string(),
                body,
            })
        })
    })
    .await
    .unwrap_or_else(|e| {
        Err(Arc::new(ApiError::Decode {
            expected: "lookup choices",
            detail: format!("reading them failed: {e}"),
            body: bytes::Bytes::new(),
        }))
    })
}

/// An account connector and its properties (from their route; from the object itself when
/// the route is missing, with a note saying so).
async fn connector_info(
    client: &CyclrClient,
    account_connector_id: i64,
) -> Result<Box<crate::app::ConnectorInfo>, crate::msg::CallError> {
    let mut connector = client
        .account_connector(account_connector_id)
        .await
        .map_err(Arc::new)?;
    shorten_icons(&mut connector.raw);
    let (properties, properties_note) = match client
        .account_connector_properties(account_connector_id)
        .await
    {
        Ok(properties) => (properties, None),
        Err(e) => (
            connector.properties.clone(),
            Some(format!(
                "the properties route failed ({e}); these come with the account connector"
            )),
        ),
    };
    Ok(Box::new(crate::app::ConnectorInfo {
        connector,
        properties,
        properties_note,
    }))
}
