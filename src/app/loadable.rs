//! Remote data and where it stands.

use crate::cyclr::PageProgress;
use crate::effect::RequestId;
use crate::msg::CallError;

/// Remote data: not asked for, on its way, here, or failed. Every pane draws all four.
#[derive(Debug, Clone, Default)]
pub enum Loadable<T> {
    #[default]
    Idle,
    Loading {
        id: RequestId,
        progress: Option<PageProgress>,
    },
    Ready(T),
    Failed(CallError),
}

impl<T> Loadable<T> {
    /// The request this is waiting for, if any.
    pub fn waiting_for(&self) -> Option<RequestId> {
        match self {
            Loadable::Loading { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// Starts waiting for request `id`; returns the request it was waiting for before, which
    /// the caller cancels.
    pub fn start(&mut self, id: RequestId) -> Option<RequestId> {
        let superseded = self.waiting_for();
        *self = Loadable::Loading { id, progress: None };
        superseded
    }

    /// Takes the reply to request `id`: a failure is stored, data is handed back for the pane
    /// to show; a reply to any other request (a stale one) is dropped.
    pub fn reply(&mut self, id: RequestId, result: Result<T, CallError>) -> Option<T> {
        if self.waiting_for() != Some(id) {
            return None;
        }
        match result {
            Ok(data) => Some(data),
            Err(e) => {
                *self = Loadable::Failed(e);
                None
            }
        }
    }

    /// The data, when ready.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(t) => Some(t),
            _ => None,
        }
    }
}
