//! A caller's hook on every request the sandbox reads, e.g. for a test to stop a client at a
//! chosen request.

use std::sync::{Arc, Mutex};

use super::sync::lock;

/// A request hook: called with the request's number (1 for the first request the sandbox read).
pub type RequestHook = dyn Fn(u64) + Send + Sync;

/// The hook, if one is set.
#[derive(Default)]
pub(super) struct Hook(Mutex<Option<Arc<RequestHook>>>);

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hook")
            .field("set", &lock(&self.0).is_some())
            .finish()
    }
}

impl Hook {
    /// Sets (or, with `None`, removes) the hook.
    pub fn set(&self, hook: Option<Arc<RequestHook>>) {
        *lock(&self.0) = hook;
    }

    /// Calls the hook, if one is set, with the request's number (outside the hook's own lock, so
    /// that the hook may set another).
    pub fn call(&self, number: u64) {
        let hook = lock(&self.0).clone();
        if let Some(hook) = hook {
            hook(number);
        }
    }
}
