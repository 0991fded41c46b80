//! Test-side helpers for the sandbox tests: a tiny WebForms browser over reqwest (cookies on,
//! redirects shown), the test PKI, and detached signatures with fixture keys.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::sync::OnceLock;

use base64ct::{Base64, Encoding};
use chrono::{DateTime, NaiveDate, Utc};
use scraper::{Html, Selector};
use url::Url;
use vnaccs_core::fixtures::{Issued, StandardSet, TestPki};
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, Scenario};
use vnaccs_core::sign::{DigestAlgorithm, SoftwareSigner, sign_detached};

/// The shared test PKI ([`vnaccs_core::fixtures::test_pki`]) and its standard set.
pub struct Pki {
    pub pki: &'static TestPki,
    pub set: &'static StandardSet,
}

/// The tests' instant ([`vnaccs_core::fixtures::test_instant`]): 2026-11-20 10:00 Vietnam time
/// (a Friday).
pub fn pki_now() -> DateTime<Utc> {
    vnaccs_core::fixtures::test_instant()
}

pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let (pki, set) = vnaccs_core::fixtures::test_pki();
        Pki { pki, set }
    })
}

/// A sandbox with the standard test scenario.
pub fn standard_sandbox() -> Sandbox {
    let p = pki();
    Sandbox::start(SandboxConfig::new(Scenario::for_test_pki(p.pki, p.set)))
        .expect("sandbox starts")
}

/// Base64 DER of a certificate.
pub fn cert_b64(issued: &Issued) -> String {
    Base64::encode_string(&issued.der)
}

/// Base64 DER of a detached CMS signature over `content` by `issued`.
pub fn sign_b64(issued: &Issued, content: &[u8]) -> String {
    let signer = SoftwareSigner::from_pkcs8_der(&issued.key.pkcs8_der(), &issued.der).unwrap();
    Base64::encode_string(&sign_detached(&signer, content, DigestAlgorithm::Sha256).unwrap())
}

/// The serial of a fixture certificate, as the portal shows it.
pub fn serial(issued: &Issued) -> String {
    vnaccs_core::cert::Certificate::from_der(&issued.der)
        .unwrap()
        .serial()
        .to_string()
}

/// dd/MM/yyyy.
pub fn dmy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A response, parsed.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub url: Url,
    pub location: Option<String>,
    pub date: Option<String>,
    pub content_type: Option<String>,
    pub set_cookie: bool,
    pub body: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn doc(&self) -> Html {
        Html::parse_document(&self.text())
    }

    /// The trimmed text of the first element `css` selects.
    pub fn select(&self, css: &str) -> Option<String> {
        let doc = self.doc();
        let sel = Selector::parse(css).unwrap();
        doc.select(&sel)
            .next()
            .map(|e| e.text().collect::<String>().trim().to_owned())
    }

    /// An attribute of the first element `css` selects.
    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        let doc = self.doc();
        let sel = Selector::parse(css).unwrap();
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr(name).map(str::to_owned))
    }

    /// The portal's message.
    pub fn message(&self) -> String {
        self.select("#MainContent_lblThongBao").unwrap_or_default()
    }

    /// The cells of the rows `css` selects.
    pub fn rows(&self, css: &str) -> Vec<Vec<String>> {
        let doc = self.doc();
        let rows = Selector::parse(css).unwrap();
        let td = Selector::parse("td").unwrap();
        doc.select(&rows)
            .map(|r| {
                r.select(&td)
                    .map(|c| c.text().collect::<String>().trim().to_owned())
                    .collect()
            })
            .collect()
    }

    pub fn is_error_page(&self) -> bool {
        self.select("#loi-he-thong")
            .is_some_and(|t| t.contains("Đã có lỗi xảy ra. Vui lòng thử lại sau."))
    }

    /// The values the form would post: hidden, text and password inputs, checked checkboxes.
    pub fn form_values(&self) -> Vec<(String, String)> {
        let doc = self.doc();
        let sel = Selector::parse("form#form1 input").unwrap();
        doc.select(&sel)
            .filter_map(|e| {
                let v = e.value();
                let name = v.attr("name")?.to_owned();
                match v.attr("type").unwrap_or("text") {
                    "submit" => None,
                    "checkbox" => v.attr("checked").map(|_| (name, "on".to_owned())),
                    _ => Some((name, v.attr("value").unwrap_or("").to_owned())),
                }
            })
            .collect()
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.form_values()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// A browser: one cookie jar, no automatic redirects.
pub struct Browser {
    client: reqwest::blocking::Client,
    pub base: Url,
}

impl Browser {
    pub fn new(sb: &Sandbox) -> Browser {
        Self::at(sb.url())
    }

    pub fn at(base: Url) -> Browser {
        let client = reqwest::blocking::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { client, base }
    }

    fn page(response: reqwest::blocking::Response) -> Page {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let status = response.status().as_u16();
        let url = response.url().clone();
        let location = header("location");
        let date = header("date");
        let content_type = header("content-type");
        let set_cookie = response.headers().contains_key("set-cookie");
        let body = response.bytes().unwrap().to_vec();
        Page {
            status,
            url,
            location,
            date,
            content_type,
            set_cookie,
            body,
        }
    }

    pub fn try_get(&self, path: &str) -> reqwest::Result<Page> {
        let url = self.base.join(path).unwrap();
        self.client.get(url).send().map(Self::page)
    }

    pub fn get(&self, path: &str) -> Page {
        self.try_get(path).expect("GET")
    }

    /// Posts the form of `page` back to its URL, with `fields` replacing or adding values.
    pub fn try_post(&self, page: &Page, fields: &[(&str, &str)]) -> reqwest::Result<Page> {
        let mut values = page.form_values();
        for (name, value) in fields {
            match values.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = (*value).to_owned(),
                None => values.push(((*name).to_owned(), (*value).to_owned())),
            }
        }
        self.post_raw(page.url.clone(), &values)
    }

    pub fn post(&self, page: &Page, fields: &[(&str, &str)]) -> Page {
        self.try_post(page, fields).expect("POST")
    }

    pub fn post_raw(&self, url: Url, values: &[(String, String)]) -> reqwest::Result<Page> {
        self.client.post(url).form(values).send().map(Self::page)
    }

    /// Follows a redirect.
    pub fn follow(&self, page: &Page) -> Page {
        self.get(page.location.as_deref().expect("a redirect"))
    }
}

// Field and button names of the default profile.
pub const REG_TAX: &str = "ctl00$MainContent$txtMaDN";
pub const REG_REP: &str = "ctl00$MainContent$txtSoCMT";
pub const REG_CAPTCHA: &str = "ctl00$MainContent$txtMaXacNhan";
pub const CERT: &str = "ctl00$MainContent$hdCertificate";
pub const SIG: &str = "ctl00$MainContent$hdSignature";
pub const REG_FROM: &str = "ctl00$MainContent$txtNgayHieuLuc";
pub const REG_TO: &str = "ctl00$MainContent$txtNgayHetHieuLuc";
pub const BTN_VIEW: (&str, &str) = ("ctl00$MainContent$btnXemThongTin", "Xem thông tin");
pub const BTN_VIEW_CERT: (&str, &str) =
    ("ctl00$MainContent$btnXemCTS", "Xem thông tin chứng thư số");
pub const BTN_REGISTER: (&str, &str) = ("ctl00$MainContent$btnDangKy", "Đăng ký thông tin");
pub const TAX: &str = "ctl00$MainContent$txtMaSoThue";
pub const EMAIL: &str = "ctl00$MainContent$txtEmail";
pub const PASSWORD: &str = "ctl00$MainContent$txtMatKhau";
pub const CONFIRMATION: &str = "ctl00$MainContent$txtXacNhanMatKhau";
pub const BTN_ADMIN_UPDATE: (&str, &str) = (
    "ctl00$MainContent$btnCapNhatCKS",
    "Cập nhật thông tin chữ ký số của tài khoản quản trị",
);
pub const BTN_CONFIRM: (&str, &str) = (
    "ctl00$MainContent$btnXacNhan",
    "Xác nhận danh sách người dùng",
);
pub const BTN_LOGIN: (&str, &str) = ("ctl00$MainContent$btnDangNhap", "Đăng nhập");
pub const CHALLENGE: &str = "ctl00$MainContent$hdChallenge";

pub const LOGIN_PATH: &str = "/Pages/DangNhap.aspx";

/// Logs in on a fresh login page; returns the answer to the post (a 302 when accepted).
pub fn login(b: &Browser, tax: &str, password: &str, cert: &Issued) -> Page {
    let page = b.get(LOGIN_PATH);
    login_on(b, &page, tax, password, cert)
}

/// Logs in on `page` (a login page).
pub fn login_on(b: &Browser, page: &Page, tax: &str, password: &str, cert: &Issued) -> Page {
    let challenge = page.value(CHALLENGE).expect("a challenge");
    let content = vnaccs_core::records::signed::login(tax, &challenge);
    b.post(
        page,
        &[
            (TAX, tax),
            (PASSWORD, password),
            (CERT, &cert_b64(cert)),
            (SIG, &sign_b64(cert, &content)),
            BTN_LOGIN,
        ],
    )
}

/// Logs in to the standard enterprise with its old certificate.
pub fn standard_login(b: &Browser) {
    let p = pki();
    let done = login(
        b,
        vnaccs_core::fixtures::TAX,
        vnaccs_core::sandbox::TEST_ADMIN_PASSWORD,
        &p.set.enterprise_old,
    );
    assert_eq!(done.status, 302, "{}", done.text());
}

/// Registers `cert` for the standard enterprise through the scenario API.
pub fn seed_registration(sb: &Sandbox, cert: &Issued) {
    let pem = cert.pem();
    sb.scenario(|s| {
        s.register_certificate(vnaccs_core::fixtures::TAX.parse().unwrap(), pem);
    })
    .unwrap();
}

pub const OE2102: &str = "/Pages/OE2102.aspx";
pub const OE4001: &str = "/Pages/OE4001.aspx";
pub const OE4002: &str = "/Pages/OE4002.aspx";
pub const DECLARANT_GRID: &str = "ctl00$MainContent$grdNguoiKhai";
pub const RECORD_GRID: &str = "ctl00$MainContent$grdKetQua";
pub const BTN_SAVE: (&str, &str) = ("ctl00$MainContent$btnGhi", "Ghi");
pub const BTN_SEARCH: (&str, &str) = ("ctl00$MainContent$btnTimKiem", "Tìm kiếm");
pub const BTN_SEND: (&str, &str) = ("ctl00$MainContent$btnGui", "Gửi");
pub const SENDER: &str = "ctl00$MainContent$txtNguoiGui";
pub const SENDER_EMAIL: &str = "ctl00$MainContent$txtEmailNguoiGui";
pub const OFFICE: &str = "ctl00$MainContent$txtMaHaiQuan";

/// A postback link.
pub fn postback<'a>(target: &'a str, argument: &'a str) -> [(&'a str, &'a str); 2] {
    [("__EVENTTARGET", target), ("__EVENTARGUMENT", argument)]
}

/// OE2102: the declarant tab, row `index` selected.
pub fn select_declarant(b: &Browser, index: usize) -> Page {
    let page = b.get(OE2102);
    let tab = b.post(&page, &postback("ctl00$MainContent$tabNguoiKhai", ""));
    b.post(&tab, &postback(DECLARANT_GRID, &format!("Select${index}")))
}

/// OE2102: points row `index` at `cert` (other fields as shown).
pub fn save_declarant(b: &Browser, index: usize, cert: &Issued) -> Page {
    let selected = select_declarant(b, index);
    b.post(&selected, &[(CERT, &cert_b64(cert)), BTN_SAVE])
}

/// OE4001: searches both kinds.
pub fn search(b: &Browser) -> Page {
    let page = b.get(OE4001);
    b.post(
        &page,
        &[
            ("ctl00$MainContent$chkDangKyMoi", "on"),
            ("ctl00$MainContent$chkSuaSauPheDuyet", "on"),
            BTN_SEARCH,
        ],
    )
}

/// OE4001: sends record `number` (found by search) with `office`, signed by `cert`.
pub fn send(b: &Browser, number: &str, office: &str, cert: &Issued) -> Page {
    let results = search(b);
    let rows = results.rows("#MainContent_grdKetQua tr.dong");
    let index = rows
        .iter()
        .position(|r| r[0] == number)
        .unwrap_or_else(|| panic!("{number} is not listed: {}", results.text()));
    let dialog = b.post(&results, &postback(RECORD_GRID, &format!("Gui${index}")));
    assert_eq!(
        dialog.select("#MainContent_lblSoBanKhai").as_deref(),
        Some(number)
    );
    let (name, email) = ("Trần Thị Bình", "binh@saigontrade.vn");
    let content = vnaccs_core::records::signed::send_form(
        number,
        vnaccs_core::fixtures::TAX,
        name,
        email,
        office,
    );
    b.post(
        &dialog,
        &[
            (SENDER, name),
            (SENDER_EMAIL, email),
            (OFFICE, office),
            (CERT, &cert_b64(cert)),
            (SIG, &sign_b64(cert, &content)),
            BTN_SEND,
        ],
    )
}
