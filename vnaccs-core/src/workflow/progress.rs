//! Progress events, reported to the caller's callback as the update runs.

use serde::{Deserialize, Serialize};

use super::step::Step;
use crate::ids::UserId;

/// One thing that happened while the update runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    /// A step starts.
    StepStarted {
        /// The step.
        step: Step,
    },
    /// A step had been completed by an earlier run: it is not repeated.
    StepAlreadyDone {
        /// The step.
        step: Step,
    },
    /// A declarant user now points at the new certificate.
    DeclarantMoved {
        /// The user's code, when issued.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_code: Option<UserId>,
        /// The user's name.
        full_name: String,
    },
    /// The registration record to send was found in OE4001.
    RecordFound {
        /// Its number.
        number: String,
    },
    /// A step is complete and the state saved.
    StepFinished {
        /// The step.
        step: Step,
        /// How long it took, in milliseconds.
        elapsed_ms: u64,
        /// How many HTTP requests it made.
        requests: u64,
    },
}

/// The caller's progress callback.
pub type ProgressCallback = Box<dyn FnMut(&Progress) + Send>;
