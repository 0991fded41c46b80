//! The portal client against the sandbox portal over real loopback HTTP: every operation A–F,
//! each typed refusal, re-login after session expiry (reads only: a state-changing post is never
//! repeated), the portal's faults, and the site profile really used (a renamed field).

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use secrecy::SecretString;
use url::Url;
use vnaccs_core::cert::CertError;
use vnaccs_core::cert::Certificate;
use vnaccs_core::fixtures::{Issued, StandardSet, TestPki};
use vnaccs_core::ids::{
    CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, UserId, UserIdPassword,
};
use vnaccs_core::portal::{
    CaptchaChallenge, DeclarantRow, DeclarantUpdate, PortalClient, PortalConfig, PortalPost,
    PortalRefusal, SiteProfile,
};
use vnaccs_core::portal::{ItemKind, MissingItem, PortalError};
use vnaccs_core::records::{
    CertificateRegistration, PasswordChangeKind, RegistrationKind, RegistrationStatus, SendForm,
};
use vnaccs_core::sandbox::{
    Fault, FaultKind, Operation, Sandbox, SandboxConfig, Scenario, ScenarioRecord,
    TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_DECLARANT_USER_ID, TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::sign::Signer;
use vnaccs_core::timing::local_date;
use vnaccs_core::{Error, Result, fixtures};

/// The shared test PKI ([`vnaccs_core::fixtures::test_pki`]).
struct Pki {
    pki: &'static TestPki,
    set: &'static StandardSet,
}

fn pki() -> Pki {
    let (pki, set) = vnaccs_core::fixtures::test_pki();
    Pki { pki, set }
}

fn signer(issued: &Issued) -> Arc<dyn Signer> {
    issued.signer()
}

fn view(issued: &Issued) -> Certificate {
    Certificate::from_der(&issued.der).unwrap()
}

fn serial(issued: &Issued) -> CertificateSerial {
    view(issued).serial().clone()
}

fn tax() -> TaxCode {
    fixtures::TAX.parse().unwrap()
}

fn representative() -> PersonalId {
    TEST_REPRESENTATIVE_ID.parse().unwrap()
}

fn admin_email() -> Email {
    TEST_ADMIN_EMAIL.parse().unwrap()
}

fn admin_password() -> SecretString {
    SecretString::from(TEST_ADMIN_PASSWORD)
}

fn scenario() -> Scenario {
    Scenario::for_test_pki(pki().pki, pki().set)
}

fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).unwrap()
}

fn standard_sandbox() -> Sandbox {
    sandbox(SandboxConfig::new(scenario()))
}

fn client_for(sb: &Sandbox) -> PortalClient {
    PortalClient::new(PortalConfig::with_base_url(sb.url())).unwrap()
}

/// A captcha callback that answers from the sandbox, wrongly for the attempts in `wrong`, and
/// records the attempts it was asked.
fn answers<'a>(
    sb: &'a Sandbox,
    wrong: &'a [u32],
    asked: &'a mut Vec<u32>,
) -> impl FnMut(&CaptchaChallenge) -> Option<String> + 'a {
    move |challenge| {
        assert!(challenge.image_png.starts_with(b"\x89PNG\r\n\x1a\n"));
        asked.push(challenge.attempt);
        if wrong.contains(&challenge.attempt) {
            Some("SAI".into())
        } else {
            sb.captcha_answer()
        }
    }
}

fn register(
    sb: &Sandbox,
    client: &PortalClient,
    issued: &Issued,
) -> Result<CertificateRegistration> {
    let mut asked = Vec::new();
    client.register_certificate(
        &tax(),
        &representative(),
        &signer(issued),
        None,
        &mut answers(sb, &[], &mut asked),
    )
}

fn login(client: &PortalClient, issued: &Issued) -> Result<()> {
    client.login(&tax(), &admin_password(), &signer(issued))
}

/// The save of `row` with its details as they are, effective `from`.
fn keeping_details(row: &DeclarantRow, from: chrono::NaiveDate) -> DeclarantUpdate {
    DeclarantUpdate {
        full_name: row.full_name.clone(),
        id_number: row.id_number.parse().unwrap(),
        email: row.email.parse().unwrap(),
        effective_date: from,
    }
}

fn refusal(result: Result<impl std::fmt::Debug>) -> PortalRefusal {
    match result {
        Err(Error::Portal(PortalError::PortalRefused {
            refusal,
            portal_text,
        })) => {
            assert!(!portal_text.is_empty());
            refusal
        }
        other => panic!("expected a portal refusal, got {other:?}"),
    }
}

#[test]
fn registers_a_certificate_after_a_wrong_captcha_answer() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let new = &pki().set.enterprise_new;
    let mut asked = Vec::new();
    let registration = client
        .register_certificate(
            &tax(),
            &representative(),
            &signer(new),
            None,
            &mut answers(&sb, &[1], &mut asked),
        )
        .unwrap();
    assert_eq!(asked, [1, 2]);
    let view = view(new);
    assert_eq!(&registration.certificate.serial, view.serial());
    assert_eq!(registration.valid_from, local_date(sb.clock().now()));
    assert_eq!(registration.valid_to, local_date(view.not_after()));
    let state = sb.snapshot();
    let registered = state
        .enterprise(fixtures::TAX)
        .unwrap()
        .certificate(view.serial().as_str())
        .expect("the new certificate is registered");
    assert_eq!(registered.valid_to, registration.valid_to);

    // Registering it again succeeds again.
    register(&sb, &client, new).unwrap();
    assert!(client.request_count() >= 8);
}

#[test]
fn the_captcha_can_be_cancelled_and_is_asked_at_most_three_times() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let new = signer(&pki().set.enterprise_new);
    let err = client
        .register_certificate(&tax(), &representative(), &new, None, &mut |_| None)
        .unwrap_err();
    assert_eq!(err, Error::Portal(PortalError::CaptchaCancelled));
    let mut asked = Vec::new();
    let err = client
        .register_certificate(
            &tax(),
            &representative(),
            &new,
            None,
            &mut answers(&sb, &[1, 2, 3], &mut asked),
        )
        .unwrap_err();
    assert_eq!(
        err,
        Error::Portal(PortalError::CaptchaAttempts { attempts: 3 })
    );
    assert_eq!(asked, [1, 2, 3]);
}

#[test]
fn registration_refusals_are_typed() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let set = &pki().set;
    assert_eq!(
        refusal(register(&sb, &client, &set.other_tax_code)),
        PortalRefusal::CertificateTaxCodeMismatch
    );
    assert_eq!(
        refusal(register(&sb, &client, &set.enterprise_expired)),
        PortalRefusal::CertificateNotValid
    );
    let mut asked = Vec::new();
    let other_person: PersonalId = "079085000999".parse().unwrap();
    let result = client.register_certificate(
        &tax(),
        &other_person,
        &signer(&set.enterprise_new),
        None,
        &mut answers(&sb, &[], &mut asked),
    );
    assert_eq!(refusal(result), PortalRefusal::RepresentativeMismatch);
    let new = &set.enterprise_new;
    let late = view(new).not_after().date_naive() + TimeDelta::days(3);
    let result = client.register_certificate(
        &tax(),
        &representative(),
        &signer(new),
        Some(late),
        &mut answers(&sb, &[], &mut asked),
    );
    assert_eq!(refusal(result), PortalRefusal::DatesOutsideValidity);
    let state = sb.snapshot();
    let registered = &state.enterprise(fixtures::TAX).unwrap().certificates;
    assert_eq!(registered.len(), 1, "nothing new was registered");

    // A start date the caller chose.
    let tomorrow = local_date(sb.clock().now()) + TimeDelta::days(1);
    let registration = client
        .register_certificate(
            &tax(),
            &representative(),
            &signer(new),
            Some(tomorrow),
            &mut answers(&sb, &[], &mut asked),
        )
        .unwrap();
    assert_eq!(registration.valid_from, tomorrow);
    let state = sb.snapshot();
    let enterprise = state.enterprise(fixtures::TAX).unwrap();
    let registered = enterprise.certificate(serial(new).as_str()).unwrap();
    assert_eq!(registered.valid_from, tomorrow);
}

#[test]
fn the_admin_certificate_is_updated_and_the_user_list_confirmed() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let set = &pki().set;
    let new = signer(&set.enterprise_new);

    // Not yet registered with Customs.
    let result = client.update_admin_certificate(&tax(), &admin_email(), &admin_password(), &new);
    assert_eq!(refusal(result), PortalRefusal::CertificateNotRegistered);
    register(&sb, &client, &set.enterprise_new).unwrap();
    let wrong = SecretString::from("not-the-password");
    let result = client.update_admin_certificate(&tax(), &admin_email(), &wrong, &new);
    assert_eq!(refusal(result), PortalRefusal::WrongPassword);
    let other_email: Email = "khac@saigontrade.vn".parse().unwrap();
    let result = client.update_admin_certificate(&tax(), &other_email, &admin_password(), &new);
    assert_eq!(refusal(result), PortalRefusal::EmailMismatch);

    let users = client
        .update_admin_certificate(&tax(), &admin_email(), &admin_password(), &new)
        .unwrap();
    let old_serial = serial(&set.enterprise_old);
    assert_eq!(users.len(), 1);
    assert_eq!(
        users[0].user_code.as_ref().unwrap().as_str(),
        TEST_DECLARANT_USER_ID
    );
    assert_eq!(users[0].certificate_serial, old_serial);
    let state = sb.snapshot();
    let admin = state
        .enterprise(fixtures::TAX)
        .unwrap()
        .admin
        .clone()
        .unwrap();
    assert_eq!(
        admin.certificate_serial.as_ref(),
        Some(&serial(&set.enterprise_new))
    );
}

#[test]
fn login_refusals_and_forgotten_password() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let old = signer(&pki().set.enterprise_old);
    let wrong = SecretString::from("sai-mat-khau");
    assert_eq!(
        refusal(client.login(&tax(), &wrong, &old)),
        PortalRefusal::WrongPassword
    );
    // Not logged in: a logged-in page cannot be read.
    assert_eq!(
        client.declarants().unwrap_err(),
        Error::Portal(PortalError::PortalSessionExpired)
    );
    client.forgot_password(&tax(), &admin_email()).unwrap();
    let other_email: Email = "khac@saigontrade.vn".parse().unwrap();
    assert_eq!(
        refusal(client.forgot_password(&tax(), &other_email)),
        PortalRefusal::EmailMismatch
    );
}

#[test]
fn declarants_saved_one_after_another_start_from_the_previous_answer() {
    let set = &pki().set;
    let mut scenario = scenario();
    while scenario.declarants.len() < 3 {
        scenario.add_test_declarant(&tax(), &serial(&set.enterprise_old), true);
    }
    let sb = sandbox(SandboxConfig::new(scenario));
    let client = client_for(&sb);
    register(&sb, &client, &set.enterprise_new).unwrap();
    login(&client, &set.enterprise_old).unwrap();
    let rows = client.declarants().unwrap();
    assert_eq!(rows.len(), 3);
    let today = local_date(sb.clock().now());
    for row in &rows {
        let update = keeping_details(row, today);
        let before = client.request_count();
        client
            .update_declarant(row, &update, &set.enterprise_new.der)
            .unwrap();
        // The list, then each save's answer, shows the next row: its selection and "Ghi" only.
        assert_eq!(client.request_count() - before, 2, "{row:?}");
    }
    let rows = client.declarants().unwrap();
    assert!(
        rows.iter()
            .all(|r| r.certificate_serial == serial(&set.enterprise_new)),
        "{rows:?}"
    );
    assert_eq!(sb.effects(Operation::DeclarantSave), 3);
}

#[test]
fn declarant_update_send_results_and_password() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let set = &pki().set;
    register(&sb, &client, &set.enterprise_new).unwrap();
    // An expired old certificate would do too; the old one logs in.
    login(&client, &set.enterprise_old).unwrap();

    // C: the declarant on the old serial moves to the new certificate.
    let rows = client.declarants().unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.certificate_serial, serial(&set.enterprise_old));
    let today = local_date(sb.clock().now());
    let update = keeping_details(row, today);
    let before = client.request_count();
    client
        .update_declarant(row, &update, &set.enterprise_new.der)
        .unwrap();
    // Right after the list, its page is acted on: the row's selection and "Ghi" only.
    assert_eq!(client.request_count() - before, 2);
    let rows = client.declarants().unwrap();
    assert_eq!(rows[0].certificate_serial, serial(&set.enterprise_new));
    assert_eq!(rows[0].effective_date, today);
    assert_eq!(rows[0].user_code, row.user_code);

    // D: the open record is sent.
    let records = client.search_records().unwrap();
    let open: Vec<_> = records
        .iter()
        .filter(|r| r.status == RegistrationStatus::DataEntry)
        .collect();
    assert_eq!(open.len(), 1, "{records:?}");
    assert_eq!(open[0].kind, RegistrationKind::AmendmentAfterApproval);
    assert_eq!(open[0].tax_code, tax());
    let number = open[0].number.clone();
    let new = signer(&set.enterprise_new);
    let mut form = SendForm {
        sender_name: "Trần Thị Bình".into(),
        sender_email: "binh@saigontrade.vn".parse().unwrap(),
        office: "99ZZ".parse::<CustomsOfficeCode>().unwrap(),
    };
    let before = client.request_count();
    assert_eq!(
        refusal(client.send_record(&number, &form, &new)),
        PortalRefusal::OfficeRefused
    );
    // Right after the search, its answer is acted on: the row's "Gửi" and the signed send only.
    assert_eq!(client.request_count() - before, 2);
    form.office = "02CI".parse().unwrap();
    sb.clock().advance(TimeDelta::minutes(3));
    let before = client.request_count();
    let sent_at = client.send_record(&number, &form, &new).unwrap();
    // Not right after a search: OE4001 and "Tìm kiếm" first.
    assert_eq!(client.request_count() - before, 4);
    assert_eq!(sent_at, sb.clock().now());
    assert_eq!(
        refusal(client.send_record(&number, &form, &new)),
        PortalRefusal::AlreadySent
    );
    let sent = client
        .search_records()
        .unwrap()
        .into_iter()
        .find(|r| r.number == number)
        .unwrap();
    assert_eq!(sent.status, RegistrationStatus::Sent);
    assert_eq!(sent.sent_at, Some(sent_at));

    // E: after approval, the User ID and the terminal.
    assert_eq!(sb.approve_sent(), vec![number]);
    let result = client.results().unwrap();
    let user = &result.users[0];
    assert_eq!(user.user_id.as_str(), TEST_DECLARANT_USER_ID);
    assert_eq!(user.certificate_serial, serial(&set.enterprise_new));
    assert_eq!(result.terminals.len(), 1);
    assert_eq!(result.terminals[0].terminal_id.as_str().len(), 6);
    assert_eq!(result.terminals[0].access_key.as_str().len(), 16);

    // F: both outcomes, and the refusals.
    let user_id: UserId = TEST_DECLARANT_USER_ID.parse().unwrap();
    let same = client
        .change_password(&user_id, &UserIdPassword::parse("ABC123").unwrap())
        .unwrap();
    assert_eq!(same.kind, PasswordChangeKind::SameAsOld);
    assert_eq!(same.answered_at, sb.clock().now());
    assert_eq!(same.usable_from, same.answered_at);
    let changed = client
        .change_password(&user_id, &UserIdPassword::parse("NEW12345").unwrap())
        .unwrap();
    assert_eq!(changed.kind, PasswordChangeKind::Changed);
    assert_eq!(
        changed.usable_from,
        changed.answered_at + TimeDelta::hours(24)
    );
    let unknown: UserId = "ZZZZZ999".parse().unwrap();
    assert_eq!(
        refusal(client.change_password(&unknown, &UserIdPassword::parse("ABC123").unwrap())),
        PortalRefusal::UnknownUserId
    );
}

#[test]
fn an_expired_session_is_logged_in_again_once() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    login(&client, &pki().set.enterprise_old).unwrap();
    sb.inject(Fault {
        kind: FaultKind::SessionExpiry,
        at: Operation::Oe4001Page,
        times: 1,
    });
    let before = client.request_count();
    let records = client.search_records().unwrap();
    assert!(!records.is_empty());
    // The expired try, the login page and post (and its redirect), then the search again.
    assert!(client.request_count() - before > 4);

    sb.inject(Fault {
        kind: FaultKind::SessionExpiry,
        at: Operation::Oe4001Page,
        times: 2,
    });
    assert_eq!(
        client.search_records().unwrap_err(),
        Error::Portal(PortalError::PortalSessionExpired)
    );
    assert!(
        client.search_records().is_ok(),
        "the next call logs in again"
    );
}

#[test]
fn portal_faults_are_typed_errors() {
    let sb = standard_sandbox();
    let mut config = PortalConfig::with_base_url(sb.url());
    config.timeout = Duration::from_millis(500);
    let client = PortalClient::new(config).unwrap();
    login(&client, &pki().set.enterprise_old).unwrap();
    let fault = |kind| {
        sb.inject(Fault {
            kind,
            at: Operation::Oe4001Page,
            times: 1,
        });
        client.search_records().unwrap_err()
    };
    assert!(matches!(
        fault(FaultKind::Status500),
        Error::Portal(PortalError::PortalUnavailable { status: 500, .. })
    ));
    assert!(matches!(
        fault(FaultKind::Status503),
        Error::Portal(PortalError::PortalUnavailable { status: 503, .. })
    ));
    assert_eq!(
        fault(FaultKind::Maintenance),
        Error::Portal(PortalError::PortalMaintenance)
    );
    assert!(matches!(
        fault(FaultKind::Drop),
        Error::Portal(PortalError::PortalConnection { .. })
    ));
    assert!(matches!(
        fault(FaultKind::Slow(Duration::from_secs(5))),
        Error::Portal(PortalError::PortalTimeout { .. })
    ));
    // The faults are spent: the portal answers again.
    assert!(client.search_records().is_ok());
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused() {
    for url in ["http://dknsd.customs.gov.vn/", "http://10.1.2.3:8080/"] {
        let config = PortalConfig::with_base_url(Url::parse(url).unwrap());
        assert!(matches!(
            PortalClient::new(config).unwrap_err(),
            Error::Portal(PortalError::InsecurePortalUrl { .. })
        ));
    }
    let mut config = PortalConfig::with_base_url(Url::parse("http://127.0.0.1:9/").unwrap());
    config.registration_url = Url::parse("http://103.248.160.14/").unwrap();
    assert_eq!(
        PortalClient::new(config).unwrap_err().code(),
        "insecure_portal_url"
    );
}

#[test]
fn extra_trusted_roots_must_be_certificates() {
    let sb = standard_sandbox();
    let mut config = PortalConfig::with_base_url(sb.url());
    config.extra_roots = vec![pki().pki.root.der.clone(), pki().pki.ca.der.clone()];
    let client = PortalClient::new(config.clone()).unwrap();
    login(&client, &pki().set.enterprise_old).unwrap();
    config.extra_roots.push(b"not a certificate".to_vec());
    assert!(matches!(
        PortalClient::new(config).unwrap_err(),
        Error::Certificate(CertError::InvalidCertificate { .. })
    ));
}

#[test]
fn a_renamed_field_is_followed_through_the_profile() {
    const OLD: &str = "ctl00$MainContent$txtMaHaiQuan";
    const NEW: &str = "ctl00$MainContent$txtMaCucHQ";
    let mut scenario = scenario();
    scenario.records.push(ScenarioRecord {
        tax_code: tax(),
        number: "102600000777".into(),
        kind: RegistrationKind::AmendmentAfterApproval,
        status: RegistrationStatus::DataEntry,
        created_at: None,
        sent_at: None,
        office: None,
    });
    let sb = sandbox(
        SandboxConfig::new(scenario).with_renames([(OLD.to_owned(), NEW.to_owned())].into()),
    );
    let old = pki().set.enterprise_old.clone();
    let form = SendForm {
        sender_name: "Trần Thị Bình".into(),
        sender_email: "binh@saigontrade.vn".parse().unwrap(),
        office: "01B1".parse().unwrap(),
    };

    // The default profile does not find the field: the error names the page, the operation and
    // the field, with the page's fingerprint; the same change gives the same fingerprint, and
    // nothing was sent.
    let client = client_for(&sb);
    login(&client, &old).unwrap();
    let send = || {
        client
            .send_record("102600000777", &form, &signer(&old))
            .unwrap_err()
    };
    let err = send();
    assert_eq!(err.code(), "portal_layout_changed");
    assert_eq!(err.status(), 5016);
    let Error::Portal(PortalError::PortalLayoutChanged {
        page,
        operation,
        missing,
        fingerprint,
        ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(page, "/Pages/OE4001.aspx");
    assert_eq!(operation, "send_record");
    assert_eq!(missing, &[MissingItem::new(ItemKind::Field, OLD)]);
    assert_eq!(fingerprint.len(), 12);
    assert!(err.to_string().contains(fingerprint.as_str()), "{err}");
    let Error::Portal(PortalError::PortalLayoutChanged {
        fingerprint: again, ..
    }) = send()
    else {
        panic!("the same change, the same error")
    };
    assert_eq!(&again, fingerprint);
    let record = sb.snapshot().record("102600000777").cloned().unwrap();
    assert_eq!(record.status, RegistrationStatus::DataEntry);

    // An overlay of the one renamed field (the built-in profile for the rest) sends.
    let overlay = format!("[pages.oe4001.fields]\noffice = \"{NEW}\"\n");
    let mut config = PortalConfig::with_base_url(sb.url());
    config.profile = SiteProfile::from_overlay(&overlay).unwrap();
    let client = PortalClient::new(config).unwrap();
    login(&client, &old).unwrap();
    let sent_at = client
        .send_record("102600000777", &form, &signer(&old))
        .unwrap();
    assert_eq!(sent_at, sb.clock().now());
    let record = sb.snapshot().record("102600000777").cloned().unwrap();
    assert_eq!(record.status, RegistrationStatus::Sent);
}

#[test]
fn declarant_refusals_are_typed() {
    let sb = standard_sandbox();
    let client = client_for(&sb);
    let set = &pki().set;
    login(&client, &set.enterprise_old).unwrap();
    let row = client.declarants().unwrap().remove(0);
    let update = DeclarantUpdate {
        full_name: row.full_name.clone(),
        id_number: row.id_number.parse().unwrap(),
        email: row.email.parse().unwrap(),
        effective_date: local_date(sb.clock().now()),
    };
    let save = |update: &DeclarantUpdate, issued: &Issued| {
        client.update_declarant(&row, update, &issued.der)
    };
    assert_eq!(
        refusal(save(&update, &set.other_tax_code)),
        PortalRefusal::CertificateTaxCodeMismatch
    );
    assert_eq!(
        refusal(save(&update, &set.enterprise_new)),
        PortalRefusal::CertificateNotRegistered
    );
    let nameless = DeclarantUpdate {
        full_name: String::new(),
        ..update.clone()
    };
    assert_eq!(
        refusal(save(&nameless, &set.enterprise_old)),
        PortalRefusal::InvalidInput
    );
    let unchanged = client.declarants().unwrap();
    assert_eq!(unchanged[0].certificate_serial, serial(&set.enterprise_old));
    let result = client.update_admin_certificate(
        &tax(),
        &admin_email(),
        &admin_password(),
        &signer(&set.other_tax_code),
    );
    assert_eq!(refusal(result), PortalRefusal::CertificateTaxCodeMismatch);
}

#[test]
fn an_expired_old_certificate_still_logs_in() {
    let set = &pki().set;
    let sb = sandbox(SandboxConfig::new(Scenario::for_test_pki_with_old(
        pki().pki,
        &set.enterprise_expired,
    )));
    let client = client_for(&sb);
    login(&client, &set.enterprise_expired).unwrap();
    let rows = client.declarants().unwrap();
    assert_eq!(rows[0].certificate_serial, serial(&set.enterprise_expired));
}

#[test]
fn an_enterprise_without_records_has_an_empty_search() {
    let set = &pki().set;
    let mut scenario = scenario();
    scenario.add_test_branch(set);
    let sb = sandbox(SandboxConfig::new(scenario));
    let client = client_for(&sb);
    let branch: TaxCode = fixtures::BRANCH.parse().unwrap();
    client
        .login(&branch, &admin_password(), &signer(&set.branch))
        .unwrap();
    assert_eq!(client.search_records().unwrap(), []);
    assert_eq!(client.declarants().unwrap().len(), 1);
}

/// Every operation A–F in order, as a workflow runs them.
fn every_operation(sb: &Sandbox, client: &PortalClient) -> Result<()> {
    let set = &pki().set;
    let new = signer(&set.enterprise_new);
    register(sb, client, &set.enterprise_new)?;
    client.update_admin_certificate(&tax(), &admin_email(), &admin_password(), &new)?;
    // After step B the account's certificate, the only one the login takes, is the new one.
    login(client, &set.enterprise_new)?;
    client.forgot_password(&tax(), &admin_email())?;
    let row = client.declarants()?.remove(0);
    let update = DeclarantUpdate {
        full_name: row.full_name.clone(),
        id_number: row.id_number.parse().unwrap(),
        email: row.email.parse().unwrap(),
        effective_date: local_date(sb.clock().now()),
    };
    client.update_declarant(&row, &update, &set.enterprise_new.der)?;
    let number = client
        .search_records()?
        .into_iter()
        .find(|r| r.status == RegistrationStatus::DataEntry)
        .expect("an open record")
        .number;
    let form = SendForm {
        sender_name: "Trần Thị Bình".into(),
        sender_email: "binh@saigontrade.vn".parse().unwrap(),
        office: "01B1".parse().unwrap(),
    };
    client.send_record(&number, &form, &new)?;
    sb.approve_sent();
    client.results()?;
    let user: UserId = TEST_DECLARANT_USER_ID.parse().unwrap();
    client.change_password(&user, &UserIdPassword::parse("ABC123").unwrap())?;
    Ok(())
}

/// The state-changing post an operation is, if it is one.
fn post_at(at: Operation) -> Option<PortalPost> {
    match at {
        Operation::RegisterSubmit => Some(PortalPost::RegisterCertificate),
        Operation::AdminUpdate => Some(PortalPost::UpdateAdminCertificate),
        Operation::ConfirmUsers => Some(PortalPost::ConfirmUsers),
        Operation::DeclarantSave => Some(PortalPost::SaveDeclarant),
        Operation::Send => Some(PortalPost::SendRecord),
        Operation::PasswordChange => Some(PortalPost::ChangePassword),
        _ => None,
    }
}

/// What a fault at an operation must end in.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Survived: every operation completes.
    Survived,
    /// The typed error of the fault.
    Typed,
    /// The post may have been processed: outcome unknown, not posted again.
    OutcomeUnknown(PortalPost),
}

/// A lost session is survived at a read (it is repeated after a new login); at a state-changing
/// post it is not: the post is never sent again, and its outcome is read back where the portal
/// shows it (C: the declarant row, D: the record's status) or else unknown. A lost answer is the
/// same at a post, and a typed connection error at a read.
fn expected(at: Operation, kind: &FaultKind) -> Expect {
    let read_back = |post| matches!(post, PortalPost::SaveDeclarant | PortalPost::SendRecord);
    match (post_at(at), kind) {
        (None, FaultKind::SessionExpiry | FaultKind::ProcessThenExpire) => Expect::Survived,
        (Some(post), FaultKind::ProcessThenExpire | FaultKind::ProcessThenDrop)
            if read_back(post) =>
        {
            Expect::Survived
        }
        (
            Some(post),
            FaultKind::SessionExpiry
            | FaultKind::Drop
            | FaultKind::ProcessThenExpire
            | FaultKind::ProcessThenDrop,
        ) => Expect::OutcomeUnknown(post),
        _ => Expect::Typed,
    }
}

#[test]
fn a_fault_at_any_operation_is_a_typed_error_and_a_lost_session_is_survived_by_reads_only() {
    for at in Operation::ALL {
        for kind in [
            FaultKind::Status500,
            FaultKind::Status503,
            FaultKind::Drop,
            FaultKind::Maintenance,
            FaultKind::SessionExpiry,
            FaultKind::ProcessThenExpire,
            FaultKind::ProcessThenDrop,
        ] {
            let sb = standard_sandbox();
            let client = client_for(&sb);
            sb.inject(Fault {
                kind: kind.clone(),
                at,
                times: 1,
            });
            let result = every_operation(&sb, &client);
            // The client never presses "Đọc CKS" nor "Ký chữ ký số": it signs itself.
            let unused = [Operation::DeclarantReadCertificate, Operation::SendSign];
            if unused.contains(&at) {
                assert!(result.is_ok(), "{kind:?} at unused {at:?}: {result:?}");
                continue;
            }
            assert_eq!(sb.faults_pending(), 0, "the {kind:?} at {at:?} fired");
            for post in Operation::STATE_CHANGING {
                assert!(
                    sb.posts(post) <= 1,
                    "{kind:?} at {at:?}: {post:?} posted {} times",
                    sb.posts(post)
                );
            }
            match (result, expected(at, &kind)) {
                (Ok(()), Expect::Survived) => {}
                (
                    Err(Error::Portal(PortalError::OutcomeUnknown { post })),
                    Expect::OutcomeUnknown(expected),
                ) if post == expected => {}
                (Err(Error::Portal(PortalError::PortalUnavailable { .. })), Expect::Typed)
                    if matches!(kind, FaultKind::Status500 | FaultKind::Status503) => {}
                (Err(Error::Portal(PortalError::PortalConnection { .. })), Expect::Typed)
                    if matches!(kind, FaultKind::Drop | FaultKind::ProcessThenDrop) => {}
                (Err(Error::Portal(PortalError::PortalMaintenance)), Expect::Typed)
                    if kind == FaultKind::Maintenance => {}
                (other, expect) => panic!("{kind:?} at {at:?}: {other:?}, expected {expect:?}"),
            }
        }
    }
}
