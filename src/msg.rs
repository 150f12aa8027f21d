//! Everything that reaches `App::update`: user intents, typed text, and API results (past
//! tense, tagged with the request they answer).

use crate::action::Action;
use crate::app::Viewport;
use crate::cyclr::{AccountConnector, ApiError, Method, PageProgress};
use crate::document::ResponseDoc;
use crate::effect::RequestId;
use crossterm::event::KeyEvent;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// When an answer arrived: the time itself, and the local time of day as the screen shows
/// it (read where the clock is, in the worker, so `update` and the view stay pure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub time: SystemTime,
    /// `14:03:12`.
    pub clock: String,
}

/// A failure as it reaches the screen: still the client's typed error, so the face that
/// shows it can word the hint and act on its kind (retry after a 429, re-authenticate).
pub type CallError = Arc<ApiError>;

/// A message for the state machine.
#[derive(Debug, Clone)]
pub enum Msg {
    Action(Action),
    /// A key for whatever has the text cursor (editor, filter or search line).
    Input(KeyEvent),
    /// A bracketed paste, as one piece.
    Paste(String),
    /// The time now: sent before every batch of messages (so calls start at the right time)
    /// and every 100 ms while busy (the spinner and elapsed time advance).
    Tick(Instant),
    /// The response viewer's text area and the list panes' rows as last drawn (for paging
    /// and wrapping). Sent by the loop when they change.
    Viewport {
        response: Viewport,
        list_rows: usize,
    },
    ConnectorsProgress {
        id: RequestId,
        progress: PageProgress,
    },
    ConnectorsLoaded {
        id: RequestId,
        result: Result<Vec<AccountConnector>, CallError>,
    },
    MethodsLoaded {
        id: RequestId,
        result: Result<Vec<Method>, CallError>,
    },
    /// The response was over the size cap; it was not kept.
    CallTooLarge {
        id: RequestId,
        message: String,
        /// The body, in a temporary file, when it was kept.
        kept: Option<crate::cyclr::KeptBody>,
        at: Arrival,
    },
    /// A body was saved to a file: a summary, or why not.
    BodySaved {
        id: RequestId,
        result: Result<String, String>,
    },
    AccountsLoaded {
        id: RequestId,
        result: Result<Vec<crate::cyclr::Account>, CallError>,
    },
    /// The history's calls, newest first, as a list ready to show (built off the UI task);
    /// or why they cannot be listed.
    HistoryLoaded {
        id: RequestId,
        result: Result<Box<crate::app::ListPane<crate::history::Summary>>, String>,
    },
    /// One recorded call, laid out for viewing; or why it cannot be had.
    HistoryEntryLoaded {
        id: RequestId,
        purpose: EntryPurpose,
        result: Result<Box<HistoricCall>, String>,
    },
    /// A lookup's choices, or why there are none.
    LookupLoaded {
        id: RequestId,
        key: crate::app::LookupKey,
        result: Result<Vec<crate::lookup::Choice>, CallError>,
    },
    /// An account connector's details (its properties from their own route when it
    /// answers), or why they cannot be had.
    DetailsLoaded {
        id: RequestId,
        result: Result<Box<crate::app::ConnectorInfo>, CallError>,
    },
    /// The differences between two recorded responses, one a line.
    DiffReady {
        id: RequestId,
        result: Result<(String, Vec<String>), String>,
    },
    /// What the last session left: drafts (account connector, method key, text) and where
    /// the explorer was (state key, value).
    Remembered {
        drafts: Vec<(i64, String, String)>,
        state: Vec<(String, String)>,
    },
    /// Until when the client-credentials token in use is good (after a request).
    TokenValidUntil(Option<Instant>),
    /// The history database cannot be used: said once, and the explorer goes on without it.
    HistoryProblem(String),
    /// A jq filter's result (or why there is none) for a method's response.
    Filtered(Box<crate::jq_runner::FilterDone>),
    /// A response's table of records is ready (the Table tab can show it).
    TableReady,
    /// A method's earlier filters, oldest first.
    FilterHistory {
        key: crate::app::CallKey,
        filters: Vec<String>,
    },
    /// An escape sequence for the terminal (OSC 52 from a copy), written by the loop
    /// between frames; never reaches the app.
    WriteToTerminal(String),
    /// Text was copied (what the user is told), or why not.
    Copied(Result<String, String>),
    /// A file was written (its summary), or why not.
    Saved(Result<String, SaveError>),
    /// The request body came back from the user's editor: the new text, `None` when the
    /// editor exited with an error (the text stays), or why it could not run.
    EditedExternally(Result<Option<String>, String>),
    CallFinished {
        id: RequestId,
        result: Result<Arc<ResponseDoc>, CallError>,
        /// When the outcome arrived.
        at: Arrival,
    },
}

/// Why a file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// A file is there already (nothing written; saving again with `overwrite` replaces it).
    Exists(std::path::PathBuf),
    Other(String),
}

/// Why a recorded call is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryPurpose {
    /// To show its response in the viewer.
    Show,
    /// To send its request again.
    Rerun,
}

/// A recorded call, ready to show or send again.
#[derive(Debug, Clone)]
pub struct HistoricCall {
    pub entry: crate::history::Summary,
    /// The request as it was made (method by Id, else by GUID).
    pub request: crate::cyclr::CallRequest,
    /// Its response laid out for the viewer (none for a call that got no response).
    pub doc: Option<Arc<ResponseDoc>>,
    /// The error line, for a call that failed.
    pub error: Option<String>,
    /// When it was made, as the screen shows it (`2026-12-02 14:03:12`).
    pub when: String,
}
