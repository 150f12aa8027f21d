//! Everything that reaches `App::update`: user intents, typed text, and API results (past
//! tense, tagged with the request they answer).

use crate::action::Action;
use crate::cyclr::{AccountConnector, Method, PageProgress};
use crate::document::ResponseDoc;
use crate::effect::RequestId;
use crossterm::event::KeyEvent;
use std::sync::Arc;
use std::time::Instant;

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
    ConnectorsProgress {
        id: RequestId,
        progress: PageProgress,
    },
    ConnectorsLoaded {
        id: RequestId,
        result: Result<Vec<AccountConnector>, String>,
    },
    MethodsLoaded {
        id: RequestId,
        result: Result<Vec<Method>, String>,
    },
    /// The response was over the size cap; it was not kept.
    CallTooLarge {
        id: RequestId,
        message: String,
    },
    /// A body was saved to a file: a summary, or why not.
    BodySaved {
        id: RequestId,
        result: Result<String, String>,
    },
    CallFinished {
        id: RequestId,
        result: Result<Arc<ResponseDoc>, String>,
    },
}
