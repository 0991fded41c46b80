//! A fleet of enterprises on one sandbox, for the soak and load tests: each with a valid tax code
//! of its own, an old certificate registered and on its admin account, one declarant on it, and
//! a renewed certificate to update to.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use secrecy::SecretString;
use vnaccs_core::fixtures::{Issued, KeySpec, TestKey, TestPki, UidString};
use vnaccs_core::ids::TaxCode;
use vnaccs_core::sandbox::{Scenario, TEST_OFFICES};
use vnaccs_core::workflow::UpdateInputs;

/// The admin password of every enterprise of a fleet.
pub const ADMIN_PASSWORD: &str = "Fl33t@vnaccs";

/// One enterprise of the fleet.
pub struct Member {
    /// Its tax code.
    pub tax_code: TaxCode,
    /// The certificate registered with Customs and on the admin account.
    pub old: Issued,
    /// The renewed certificate the update registers.
    pub new: Issued,
}

/// The enterprises, in order.
pub struct Fleet {
    pub members: Vec<Member>,
}

/// The first `count` valid tax codes from 0310000000 up.
fn tax_codes(count: usize) -> Vec<TaxCode> {
    (310_000_000u64..)
        .filter_map(|n| TaxCode::parse(&format!("{n:010}")).ok())
        .take(count)
        .collect()
}

/// Generates the RSA-2048 keys `indices` in parallel (each once per process).
pub fn warm_keys(indices: impl IntoIterator<Item = u32>) {
    std::thread::scope(|scope| {
        for index in indices {
            scope.spawn(move || TestKey::get(KeySpec::Rsa2048Sha256, index));
        }
    });
}

impl Fleet {
    /// `count` enterprises on `pki`: every old certificate with key 0, the renewed one of
    /// enterprise `i` with key `new_key(i)`.
    pub fn new(pki: &TestPki, count: usize, new_key: impl Fn(usize) -> u32) -> Fleet {
        let mut indices: Vec<u32> = (0..count).map(&new_key).collect();
        indices.push(0);
        indices.sort_unstable();
        indices.dedup();
        warm_keys(indices);
        let members = tax_codes(count)
            .into_iter()
            .enumerate()
            .map(|(i, tax_code)| {
                let issue = |label: &str, key_index: u32, from: i64, to: i64| {
                    let mut spec = pki.end_entity(&Self::name(i));
                    spec.locality = Some("Quận 3".into());
                    spec.state = Some("TP. Hồ Chí Minh".into());
                    spec.uids = vec![(format!("MST:{tax_code}"), UidString::Utf8)];
                    spec.key_index = key_index;
                    spec.not_before = pki.now - chrono::Duration::days(from);
                    spec.not_after = pki.now + chrono::Duration::days(to);
                    spec.serial = serial(&format!("fleet/{tax_code}/{label}"));
                    pki.issue(&spec)
                };
                Member {
                    old: issue("old", 0, 700, 30),
                    new: issue("new", new_key(i), 1, 1095),
                    tax_code,
                }
            })
            .collect();
        Fleet { members }
    }

    fn name(i: usize) -> String {
        format!("CÔNG TY TNHH XUẤT NHẬP KHẨU SỐ {}", i + 1)
    }

    /// The representative's ID number of enterprise `i` (a 12-digit CCCD).
    fn representative(i: usize) -> String {
        format!("079086{:06}", 200 + i)
    }

    fn admin_email(member: &Member) -> String {
        format!("admin@dn{}.vn", member.tax_code)
    }

    /// The sandbox scenario: the test PKI trusted, the test offices, and every enterprise.
    pub fn scenario(&self, pki: &TestPki) -> Scenario {
        let mut scenario = Scenario {
            now: Some(pki.now),
            offices: TEST_OFFICES.iter().map(|o| o.parse().unwrap()).collect(),
            ..Scenario::default()
        };
        for ca in [&pki.root, &pki.ca, &pki.other_ca] {
            scenario.add_trust_anchor(ca.pem());
        }
        for (i, member) in self.members.iter().enumerate() {
            let code = member.tax_code.clone();
            scenario
                .add_enterprise(
                    code.clone(),
                    &Self::name(i),
                    "Số 1 Võ Văn Tần, Quận 3, TP. Hồ Chí Minh",
                    Self::representative(i).parse().unwrap(),
                )
                .add_admin(
                    code.clone(),
                    Self::admin_email(member).parse().unwrap(),
                    ADMIN_PASSWORD,
                    Some(member.old.pem()),
                )
                .register_certificate(code.clone(), member.old.pem());
            let old = member.old.certificate_serial();
            scenario.add_test_declarant(&code, &old, true);
        }
        scenario
    }

    /// The update inputs of enterprise `i`.
    pub fn inputs(&self, i: usize) -> UpdateInputs {
        let member = &self.members[i];
        UpdateInputs::builder(
            member.tax_code.clone(),
            Self::representative(i).parse().unwrap(),
        )
        .admin_account(
            Self::admin_email(member).parse().unwrap(),
            SecretString::from(ADMIN_PASSWORD),
        )
        .old_serial(Some(member.old.certificate_serial()))
        .sender("Trần Thị Bình", "khaibao@example.vn".parse().unwrap())
        .office(TEST_OFFICES[i % TEST_OFFICES.len()].parse().unwrap())
        .build()
        .unwrap()
    }
}

/// A 16-byte positive serial derived from `label`.
fn serial(label: &str) -> Vec<u8> {
    use sha2::Digest;
    let mut bytes = sha2::Sha256::digest(label.as_bytes())[..16].to_vec();
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    bytes
}

/// The serial of a certificate.
trait SerialOf {
    fn certificate_serial(&self) -> vnaccs_core::CertificateSerial;
}

impl SerialOf for Issued {
    fn certificate_serial(&self) -> vnaccs_core::CertificateSerial {
        vnaccs_core::cert::Certificate::from_der(&self.der)
            .unwrap()
            .serial()
            .clone()
    }
}
