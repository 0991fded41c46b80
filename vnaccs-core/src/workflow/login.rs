//! Logging in with the certificate the admin account has at that moment: the old one before
//! step B, the new one after (seed 001: an expired old certificate still logs in).

use secrecy::SecretString;

use super::keys::KeySource;
use crate::cert::CertError;
use crate::cert::Certificate;
use crate::ids::TaxCode;
use crate::portal::PortalError;
use crate::portal::{PortalClient, PortalRefusal};
use crate::{Error, Result};

/// Who logs in: the account and which certificates may be its.
pub(super) struct Login<'a> {
    /// The admin account (its tax code).
    pub tax_code: &'a TaxCode,
    /// Its password.
    pub password: &'a SecretString,
    /// Accept a certificate of the same enterprise on its 10-digit base.
    pub accept_branch: bool,
}

impl Login<'_> {
    /// Logs `client` in with the certificate the account has: `first` when given (what the
    /// update knows the account has now), then, while the portal says the certificate is not
    /// the account's, the enterprise's other certificates on `keys`, newest first. Expired
    /// certificates are tried too: the portal accepts the account's own even when expired.
    pub fn run(
        &self,
        client: &PortalClient,
        keys: &mut KeySource,
        first: Option<&Certificate>,
    ) -> Result<()> {
        let mut candidates: Vec<Certificate> = keys
            .certificates()?
            .into_iter()
            .filter(|c| !c.is_ca() && c.signing_usage().allows_signing())
            .filter(|c| {
                c.check_tax_code(self.tax_code, self.accept_branch)
                    .is_match()
            })
            .collect();
        candidates.sort_by_key(|c| std::cmp::Reverse((c.not_before(), c.not_after())));
        if let Some(first) = first {
            candidates.retain(|c| c != first);
            candidates.insert(0, first.clone());
        }
        let mut refused = None;
        for candidate in &candidates {
            let signer = keys.signer_for(candidate)?;
            match client.login(self.tax_code, self.password, &signer) {
                Err(
                    e @ Error::Portal(PortalError::PortalRefused {
                        refusal: PortalRefusal::CertificateNotRegistered,
                        ..
                    }),
                ) => {
                    tracing::info!(
                        serial = %candidate.serial(),
                        "not the admin account's certificate; trying the next one"
                    );
                    refused = Some(e);
                }
                other => return other,
            }
        }
        Err(refused.unwrap_or_else(|| {
            Error::Certificate(CertError::NoUsableCertificate {
                tax_code: self.tax_code.to_string(),
                seen: candidates.len(),
            })
        }))
    }
}
