//! Cancelling a client's work from another thread: the client checks the flag before each
//! request, so a cancelled job stops between two requests, never inside one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag shared by a [`PortalClient`](super::PortalClient) and whoever may cancel its work.
/// Clones share the flag; once set it stays set.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// Asks the client to stop before its next request.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
