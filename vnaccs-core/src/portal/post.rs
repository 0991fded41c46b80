//! Exactly once: the state-changing posts of the portal (A.3, B.5, B.6, C.9, D.12, F.14) are
//! sent once and never repeated automatically. An answer that is lost (the connection dropped or
//! timed out after the request went out) or that is the login redirect leaves the outcome
//! unknown: the portal may have processed the post.

use super::client::PortalClient;
use super::error::PortalError;
use super::form::Postback;
use super::page::Page;
use super::posts::PortalPost;
use super::profile::PageLocation;
use crate::{Error, Result};

/// Whether `e`, met in answer to a post, leaves the post's outcome unknown: the login redirect
/// (the session expired around it) or a lost answer (dropped connection, no answer in time).
fn answer_lost(e: &Error) -> bool {
    matches!(
        e,
        Error::Portal(PortalError::PortalSessionExpired)
            | Error::Portal(PortalError::PortalConnection { .. })
            | Error::Portal(PortalError::PortalTimeout { .. })
    )
}

impl PortalClient {
    /// Posts a state-changing postback exactly once. A lost or redirected answer is
    /// [`PortalError::OutcomeUnknown`]; it is never retried here (nor by the re-login wrappers,
    /// which only ever see it as a failure).
    pub(crate) fn post_once(
        &self,
        what: PortalPost,
        location: &impl PageLocation,
        post: &Postback,
    ) -> Result<Page> {
        self.post(location, post).map_err(|e| {
            if answer_lost(&e) {
                tracing::warn!(post = ?what, code = e.code(), "the answer to a state-changing post was lost");
                Error::Portal(PortalError::OutcomeUnknown { post: what })
            } else {
                e
            }
        })
    }
}
