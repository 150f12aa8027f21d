//! Remote data and where it stands.

use crate::cyclr::PageProgress;
use crate::effect::RequestId;

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
    Failed(String),
}

impl<T> Loadable<T> {
    /// The request this is waiting for, if any.
    pub fn waiting_for(&self) -> Option<RequestId> {
        match self {
            Loadable::Loading { id, .. } => Some(*id),
            _ => None,
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
