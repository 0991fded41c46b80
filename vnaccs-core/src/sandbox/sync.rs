//! Locking that survives a panic.

use std::sync::{Mutex, MutexGuard};

/// Locks the state even if a thread panicked while holding it (the state stays usable).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
