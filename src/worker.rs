//! Runs effects as tokio tasks, one abort handle per request, and answers with messages.

use crate::cyclr::{ApiError, CyclrClient, MethodQuery, shorten_icons};
use crate::document::ResponseDoc;
use crate::effect::{Effect, RequestId};
use crate::msg::Arrival;
use crate::msg::Msg;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

/// Carries out effects against the Cyclr client; never blocks the caller.
pub struct Worker {
    client: CyclrClient,
    tx: UnboundedSender<Msg>,
    tasks: HashMap<RequestId, AbortHandle>,
}

impl Worker {
    /// A worker that replies on `tx`.
    #[must_use]
    pub fn new(client: CyclrClient, tx: UnboundedSender<Msg>) -> Self {
        Worker {
            client,
            tx,
            tasks: HashMap::new(),
        }
    }

    /// Starts (or, for `Cancel`, aborts) the task for one effect.
    pub fn run(&mut self, effect: Effect) {
        self.tasks.retain(|_, task| !task.is_finished());
        let client = self.client.clone();
        let tx = self.tx.clone();
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
            Effect::Call { id, request } => (
                id,
                tokio::spawn(async move {
                    let msg = match client.call_keeping_large(&request).await {
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
                                    .await;
                            Msg::CallFinished {
                                id,
                                result: laid_out.map(Arc::new).map_err(|e| {
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
    let secs = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let Ok(t) = libc::time_t::try_from(secs) else {
        return String::new();
    };
    // SAFETY: localtime_r reads `t` and writes only into the `tm` we own.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&raw const t, &raw mut tm) }.is_null() {
        return String::new();
    }
    format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
}

impl Drop for Worker {
    fn drop(&mut self) {
        for task in self.tasks.values() {
            task.abort();
        }
    }
}
