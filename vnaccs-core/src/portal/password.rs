//! Screen F: a new password for a User ID.

use super::client::{PortalClient, portal_time};
use super::layout::{ItemKind, MissingItem};
use super::posts::PortalPost;
use crate::Result;
use crate::ids::{UserId, UserIdPassword};
use crate::records::{PasswordChangeKind, PasswordChangeOutcome};

impl PortalClient {
    /// Screen F.14: sets `password` for `user_id`. The outcome says whether the password was the
    /// current one (usable at once) or changed (usable 24 hours after the portal's answer, timed by
    /// its `Date` header). The post is sent once: when its answer is lost or is the login redirect,
    /// the error is [`PortalError::OutcomeUnknown`](super::PortalError::OutcomeUnknown) — the
    /// password may have been changed; setting the same password again tells.
    pub fn change_password(
        &self,
        user_id: &UserId,
        password: &UserIdPassword,
    ) -> Result<PasswordChangeOutcome> {
        let _span = tracing::info_span!("portal.change_password").entered();
        let _operation = super::layout::Operation::enter("change_password");
        let profile = self.profile();
        let page_spec = &profile.pages.password;
        let success = &profile.messages.success;
        let post = self.logged_in(|| {
            let page = self.open(page_spec)?;
            let mut form = self.form(&page)?;
            form.require(
                &[
                    &page_spec.fields.user_id,
                    &page_spec.fields.new_password,
                    &page_spec.fields.confirmation,
                ],
                &[&page_spec.buttons.change],
            )?;
            form.set(&page_spec.fields.user_id, user_id.as_str())?;
            form.set(&page_spec.fields.new_password, password.expose())?;
            form.set(&page_spec.fields.confirmation, password.expose())?;
            form.click(&page_spec.buttons.change)
        })?;
        let page = self.post_once(PortalPost::ChangePassword, page_spec, &post)?;
        let message = page.message(profile)?;
        let kind = match message.as_deref() {
            Some(m) if success.password_same.found_in(m) => PasswordChangeKind::SameAsOld,
            Some(m) if success.password_changed.found_in(m) => PasswordChangeKind::Changed,
            _ => {
                let expected = success.password_changed.to_string();
                return Err(page.failure(profile, MissingItem::new(ItemKind::Message, expected))?);
            }
        };
        Ok(PasswordChangeOutcome::new(
            user_id.clone(),
            kind,
            portal_time(&page)?,
        ))
    }
}
