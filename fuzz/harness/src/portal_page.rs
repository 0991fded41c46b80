//! Target `portal_page`: the portal's pages read through the site profile, by the client's own
//! operations, against a loopback server that answers with the fuzzer's pages.
//!
//! Input: the first byte picks the operation ([`PageOperation`]); the rest is the script of the
//! portal's answers, separated by [`PAGE_SEPARATOR`]: request `i` gets answer `i` (the last one
//! again past the end). An answer starting with `HTTP/` brings its status line and headers up to
//! an empty line (a redirect, an error status, a missing `Date`); any other is a page served as
//! 200.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::NaiveDate;
use secrecy::SecretString;
use url::Url;
use vnaccs_core::ids::{Email, PersonalId, TaxCode, UserId, UserIdPassword};
use vnaccs_core::portal::{
    CaptchaChallenge, DeclarantRow, DeclarantUpdate, PortalClient, PortalConfig, SavedPage,
    SiteProfile, check_pages,
};
use vnaccs_core::records::SendForm;
use vnaccs_core::sandbox::{
    TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_DECLARANT_USER_ID, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::sign::Signer;

use crate::invariants::checked;
use crate::script_server::ScriptServer;

/// What separates two answers of the script.
pub const PAGE_SEPARATOR: &[u8] = b"\n<!--vnaccs-fuzz-next-->\n";

/// The operations the target runs, by the input's first byte (modulo their number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageOperation {
    /// Screen B.4: the login (login page, signed challenge, home page).
    Login,
    /// The login, then D.10: the OE4001 records.
    SearchRecords,
    /// The login, then D.11–12: sending record 100000000001.
    SendRecord,
    /// The login, then C.8: the declarant rows.
    Declarants,
    /// The login, then C.9: saving a declarant.
    UpdateDeclarant,
    /// The login, then E.13: the User IDs and terminals.
    Results,
    /// The login, then the admin certificate's serial on the home page.
    AdminCertificateSerial,
    /// Screen B.5–6: the admin account's certificate.
    UpdateAdminCertificate,
    /// The forgotten password page.
    ForgotPassword,
    /// Screen A.1–3: registering the certificate (captcha answered "ABCDE").
    Register,
    /// The login, then screen F: a User ID's password.
    ChangePassword,
    /// `profile check`: every answer as a saved page checked against the profile.
    CheckPages,
}

impl PageOperation {
    /// Every operation, in the order of their selector byte.
    pub const ALL: [PageOperation; 12] = [
        PageOperation::Login,
        PageOperation::SearchRecords,
        PageOperation::SendRecord,
        PageOperation::Declarants,
        PageOperation::UpdateDeclarant,
        PageOperation::Results,
        PageOperation::AdminCertificateSerial,
        PageOperation::UpdateAdminCertificate,
        PageOperation::ForgotPassword,
        PageOperation::Register,
        PageOperation::ChangePassword,
        PageOperation::CheckPages,
    ];

    /// The selector byte of this operation.
    pub fn byte(self) -> u8 {
        Self::ALL.iter().position(|&o| o == self).unwrap_or(0) as u8
    }
}

/// What the operations send: the sandbox's standard enterprise (`vnaccs_core::sandbox::TEST_*`).
struct Fixture {
    tax: TaxCode,
    email: Email,
    password: SecretString,
    certificate_der: Vec<u8>,
    representative: PersonalId,
    send_form: SendForm,
    row: DeclarantRow,
    update: DeclarantUpdate,
    user_id: UserId,
    new_password: UserIdPassword,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (_, set) = vnaccs_core::fixtures::test_pki();
        let email: Email = TEST_ADMIN_EMAIL.parse().expect("email");
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
        let user_id: UserId = TEST_DECLARANT_USER_ID.parse().expect("user id");
        let representative: PersonalId = TEST_REPRESENTATIVE_ID.parse().expect("personal id");
        Fixture {
            tax: vnaccs_core::fixtures::TAX.parse().expect("tax code"),
            email: email.clone(),
            password: SecretString::from(TEST_ADMIN_PASSWORD),
            certificate_der: set.enterprise_new.der.clone(),
            representative: representative.clone(),
            send_form: SendForm {
                sender_name: "Nguyễn Văn An".to_owned(),
                sender_email: email.clone(),
                office: TEST_OFFICES[0].parse().expect("an office code"),
            },
            row: DeclarantRow {
                index: 0,
                user_code: Some(user_id.clone()),
                full_name: "Trần Văn Đức".to_owned(),
                id_number: representative.to_string(),
                email: email.to_string(),
                effective_date: date,
                certificate_serial: "0123ABCD".parse().expect("serial"),
            },
            update: DeclarantUpdate {
                full_name: "Trần Văn Đức".to_owned(),
                id_number: representative,
                email,
                effective_date: date,
            },
            user_id,
            new_password: UserIdPassword::parse("AB12CD34").expect("password"),
        }
    })
}

/// The signer of the fuzzed operations: the test PKI enterprise's EC key (fast signatures; the
/// script's portal checks none).
fn fuzz_signer() -> &'static Arc<dyn Signer> {
    static SIGNER: OnceLock<Arc<dyn Signer>> = OnceLock::new();
    SIGNER.get_or_init(|| vnaccs_core::fixtures::test_pki().1.ec_p256.signer())
}

/// Runs the operation the first byte picks against the portal the rest scripts. Every failure
/// is a typed error; a client's answers serialise.
pub fn portal_page(data: &[u8]) {
    let Some((&selector, script)) = data.split_first() else {
        return;
    };
    let operation = PageOperation::ALL[usize::from(selector) % PageOperation::ALL.len()];
    let answers = split(script);
    if operation == PageOperation::CheckPages {
        check(&answers);
        return;
    }
    ScriptServer::get().play(answers);
    let mut captcha = |_: &CaptchaChallenge| Some("ABCDE".to_owned());
    run_operation(client(), operation, fuzz_signer(), &mut captcha);
}

/// The client of the script's portal, one for the process: a new client per input costs its
/// runtime thread's start and stop, most of an input's time. Every operation that needs the
/// login starts with it (forgetting the previous input's); the server sends no cookie unless
/// the input's head does.
fn client() -> &'static PortalClient {
    static CLIENT: OnceLock<PortalClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let base = Url::parse(&ScriptServer::get().base_url()).expect("the server's URL");
        let config = PortalConfig::with_base_url(base).with_timeout(Duration::from_secs(10));
        PortalClient::new(config).expect("a client of a loopback portal")
    })
}

/// The script's answers.
fn split(script: &[u8]) -> Vec<Vec<u8>> {
    let mut answers = Vec::new();
    let mut rest = script;
    while let Some(at) = rest
        .windows(PAGE_SEPARATOR.len())
        .position(|w| w == PAGE_SEPARATOR)
    {
        answers.push(rest[..at].to_vec());
        rest = &rest[at + PAGE_SEPARATOR.len()..];
    }
    answers.push(rest.to_vec());
    answers
}

/// Runs `operation` (not [`PageOperation::CheckPages`]) with `client`, signing with `signer` and
/// answering captchas with `captcha`: what the target does against the script's portal, and
/// what the seed generator does against the sandbox (recording the pages). Errors are checked
/// and dropped.
pub fn run_operation(
    client: &PortalClient,
    operation: PageOperation,
    signer: &Arc<dyn Signer>,
    captcha: &mut dyn FnMut(&CaptchaChallenge) -> Option<String>,
) {
    let f = fixture();
    let login = || checked(client.login(&f.tax, &f.password, signer));
    match operation {
        PageOperation::Login => {
            login();
        }
        PageOperation::SearchRecords => {
            login();
            if let Some(records) = checked(client.search_records()) {
                serde_json::to_string(&records).expect("records serialise");
            }
        }
        PageOperation::SendRecord => {
            login();
            checked(client.send_record("100000000001", &f.send_form, signer));
        }
        PageOperation::Declarants => {
            login();
            if let Some(rows) = checked(client.declarants()) {
                serde_json::to_string(&rows).expect("rows serialise");
            }
        }
        PageOperation::UpdateDeclarant => {
            login();
            checked(client.update_declarant(&f.row, &f.update, &f.certificate_der));
        }
        PageOperation::Results => {
            login();
            if let Some(result) = checked(client.results()) {
                serde_json::to_string(&result).expect("results serialise");
            }
        }
        PageOperation::AdminCertificateSerial => {
            login();
            checked(client.admin_certificate_serial());
        }
        PageOperation::UpdateAdminCertificate => {
            checked(client.update_admin_certificate(&f.tax, &f.email, &f.password, signer));
        }
        PageOperation::ForgotPassword => {
            checked(client.forgot_password(&f.tax, &f.email));
        }
        PageOperation::Register => {
            if let Some(registration) = checked(client.register_certificate(
                &f.tax,
                &f.representative,
                signer,
                None,
                captcha,
            )) {
                serde_json::to_string(&registration).expect("a registration serialises");
            }
        }
        PageOperation::ChangePassword => {
            login();
            checked(client.change_password(&f.user_id, &f.new_password));
        }
        PageOperation::CheckPages => {}
    }
}

/// `profile check` on every answer as a saved page.
fn check(answers: &[Vec<u8>]) {
    static PROFILE: OnceLock<SiteProfile> = OnceLock::new();
    let profile = PROFILE.get_or_init(SiteProfile::default);
    let pages: Vec<SavedPage> = answers
        .iter()
        .enumerate()
        .map(|(i, html)| SavedPage {
            source: format!("answer {i}"),
            url: None,
            html: String::from_utf8_lossy(html).into_owned(),
        })
        .collect();
    let checks = check_pages(profile, &pages);
    assert_eq!(checks.len(), pages.len());
    for check in &checks {
        for item in check.missing() {
            assert!(!item.found);
        }
    }
}
