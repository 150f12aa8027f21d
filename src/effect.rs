//! What `App::update` asks the outside world to do. The worker carries these out.

use crate::cyclr::{CallRequest, KeptBody};
use crate::recorder::CallLabel;

/// Tags a request so its reply can be matched, or ignored once superseded.
pub type RequestId = u64;

/// An imperative for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load every page of the account's connectors.
    LoadConnectors { id: RequestId },
    /// Load the methods of a connector release.
    LoadMethods { id: RequestId, connector_id: i64 },
    /// Call or test a method, record it in the history, then lay its response out for
    /// viewing.
    Call {
        id: RequestId,
        request: CallRequest,
        /// Who made it and what it is called, for the history.
        label: CallLabel,
    },
    /// Copy a body kept in a temporary file (too large to show) to the file at `path`.
    KeepBody {
        id: RequestId,
        kept: KeptBody,
        path: std::path::PathBuf,
    },
    /// Load every page of the partner's accounts.
    LoadAccounts { id: RequestId },
    /// Use this account (its API ID) from now on; a restricted token is issued again for it.
    SwitchAccount { account: String },
    /// Load the history's list of calls (newest first).
    LoadHistory {
        id: RequestId,
        query: crate::history::Query,
    },
    /// Load one recorded call, to show it or to send it again.
    LoadHistoryEntry {
        id: RequestId,
        entry: i64,
        purpose: crate::msg::EntryPurpose,
    },
    /// Compare the response bodies of two recorded calls.
    DiffHistory { id: RequestId, old: i64, new: i64 },
    /// Keep the editor's text of a method for the next session (empty: forget it).
    SaveDraft {
        account_connector_id: i64,
        method: String,
        text: String,
    },
    /// Load what the last session left: drafts and where the explorer was.
    LoadRemembered { id: RequestId },
    /// Remember where the explorer is (connector, method, pane) for the next start.
    SaveState { key: &'static str, value: String },
    /// Run a jq filter on a response body (off the UI task; older runs are abandoned).
    RunFilter(crate::jq_runner::FilterJob),
    /// Lay out the records of `text` (a body or a filter's outputs) as a table, off the UI
    /// task.
    BuildTable {
        table: std::sync::Arc<crate::document::LazyTable>,
        text: bytes::Bytes,
    },
    /// Remember a filter used on a method's responses.
    SaveFilter {
        key: crate::app::CallKey,
        filter: String,
    },
    /// Load the filters used before on a method's responses.
    LoadFilters { key: crate::app::CallKey },
    /// Put text on the clipboard (or where it can go instead); `name` names a file if it
    /// has to be saved instead.
    Copy { text: String, name: String },
    /// Write `text` to `path`; an existing file is only replaced with `overwrite`.
    SaveText {
        path: std::path::PathBuf,
        text: bytes::Bytes,
        overwrite: bool,
    },
    /// Open the request body in the user's editor (the terminal is handed over meanwhile).
    EditExternally { text: String },
    /// Call a lookup's method and read its choices out of the reply.
    Lookup {
        id: RequestId,
        key: crate::app::LookupKey,
    },
    /// Load an account connector and its properties, for the details overlay.
    LoadDetails {
        id: RequestId,
        account_connector_id: i64,
    },
    /// Abort the task answering this request.
    Cancel(RequestId),
}
