//! What `App::update` asks the outside world to do. The worker carries these out.

use crate::cyclr::{CallRequest, KeptBody};

/// Tags a request so its reply can be matched, or ignored once superseded.
pub type RequestId = u64;

/// An imperative for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load every page of the account's connectors.
    LoadConnectors { id: RequestId },
    /// Load the methods of a connector release.
    LoadMethods { id: RequestId, connector_id: i64 },
    /// Call or test a method, then lay its response out for viewing.
    Call { id: RequestId, request: CallRequest },
    /// Copy a body kept in a temporary file (too large to show) to the file at `path`.
    KeepBody {
        id: RequestId,
        kept: KeptBody,
        path: std::path::PathBuf,
    },
    /// Abort the task answering this request.
    Cancel(RequestId),
}
