//! The bytes each signed portal step signs (docs/domain.md §6): one canonical form shared by the
//! portal client, which signs them, and the sandbox portal, which verifies them.
//!
//! The form is UTF-8 text: a first line naming the step and its version, then one `key=value`
//! line per field, in a fixed order, each ending in `\n`. Values are the texts as posted, trimmed;
//! a backslash or line break inside a value is escaped (`\\`, `\n`, `\r`) so that no value can
//! forge another line.

/// The purpose line of each signed step.
const REGISTRATION: &str = "VNACCS/DangKyChuKySo/1";
const USER_LIST: &str = "VNACCS/XacNhanDanhSachNguoiDung/1";
const SEND_FORM: &str = "VNACCS/GuiBanKhai/1";
const LOGIN: &str = "VNACCS/DangNhap/1";

/// A user of the list the admin confirms at step B.6, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserListEntry<'a> {
    /// The user code (empty for a user Customs has not yet issued one).
    pub user_code: &'a str,
    /// Họ tên.
    pub full_name: &'a str,
    /// The serial of the user's certificate.
    pub certificate_serial: &'a str,
}

/// Step A.3: the enterprise's certificate registration. Dates as posted (dd/MM/yyyy).
pub fn registration(
    tax_code: &str,
    representative_id: &str,
    certificate_serial: &str,
    valid_from: &str,
    valid_to: &str,
) -> Vec<u8> {
    canonical(
        REGISTRATION,
        &[
            ("ma_doanh_nghiep", tax_code),
            ("so_cmt", representative_id),
            ("serial", certificate_serial),
            ("ngay_hieu_luc", valid_from),
            ("ngay_het_hieu_luc", valid_to),
        ],
    )
}

/// Step B.6: the admin account's certificate and the user list it confirms, in the page's order.
pub fn user_list(tax_code: &str, certificate_serial: &str, users: &[UserListEntry]) -> Vec<u8> {
    let rows: Vec<String> = users
        .iter()
        .map(|u| {
            format!(
                "{}|{}|{}",
                escape(u.user_code),
                escape(u.full_name),
                escape(u.certificate_serial)
            )
        })
        .collect();
    let mut fields = vec![("ma_so_thue", tax_code), ("serial", certificate_serial)];
    fields.extend(rows.iter().map(|row| ("nguoi_dung", row.as_str())));
    canonical(USER_LIST, &fields)
}

/// Step D.12: the send form of a registration record.
pub fn send_form(
    record_number: &str,
    tax_code: &str,
    sender_name: &str,
    sender_email: &str,
    office: &str,
) -> Vec<u8> {
    canonical(
        SEND_FORM,
        &[
            ("so_ban_khai", record_number),
            ("ma_so_thue", tax_code),
            ("nguoi_gui", sender_name),
            ("email", sender_email),
            ("ma_hai_quan", office),
        ],
    )
}

/// Step B.7: the login challenge the page gives, with the tax code logging in.
pub fn login(tax_code: &str, challenge: &str) -> Vec<u8> {
    canonical(LOGIN, &[("ma_so_thue", tax_code), ("challenge", challenge)])
}

fn canonical(purpose: &str, fields: &[(&str, &str)]) -> Vec<u8> {
    let mut text = format!("{purpose}\n");
    for (key, value) in fields {
        text.push_str(key);
        text.push('=');
        // Rows of the user list are escaped per cell already; escaping twice keeps `|` unique.
        text.push_str(&escape(value.trim()));
        text.push('\n');
    }
    text.into_bytes()
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_is_fixed_text() {
        let bytes = registration(
            " 0302345459 ",
            "001085012345",
            "5404287E6CC0BC4DA008B43C710C0D5A",
            "23/11/2026",
            "22/11/2027",
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "VNACCS/DangKyChuKySo/1\nma_doanh_nghiep=0302345459\nso_cmt=001085012345\n\
             serial=5404287E6CC0BC4DA008B43C710C0D5A\nngay_hieu_luc=23/11/2026\n\
             ngay_het_hieu_luc=22/11/2027\n"
        );
    }

    #[test]
    fn values_cannot_forge_lines_or_cells() {
        let forged = send_form("1", "0302345459", "A\nemail=x", "a@b.vn", "01B1");
        let text = String::from_utf8(forged).unwrap();
        assert_eq!(text.lines().count(), 6);
        assert!(text.contains("nguoi_gui=A\\nemail=x\n"));

        let one = [UserListEntry {
            user_code: "V2060001",
            full_name: "A|B",
            certificate_serial: "01",
        }];
        let two = [UserListEntry {
            user_code: "V2060001",
            full_name: "A",
            certificate_serial: "B|01",
        }];
        assert_ne!(user_list("x", "s", &one), user_list("x", "s", &two));
    }

    #[test]
    fn user_list_keeps_the_page_order() {
        let a = UserListEntry {
            user_code: "V2060001",
            full_name: "Nguyễn Văn A",
            certificate_serial: "0A",
        };
        let b = UserListEntry {
            user_code: "V2060002",
            full_name: "Trần Thị B",
            certificate_serial: "0B",
        };
        let ab = user_list("0302345459", "0C", &[a.clone(), b.clone()]);
        assert_ne!(ab, user_list("0302345459", "0C", &[b, a]));
        assert!(
            String::from_utf8(ab)
                .unwrap()
                .contains("nguoi_dung=V2060001\\|Nguyễn Văn A\\|0A\n")
        );
        assert_eq!(
            login("0302345459", "abc"),
            b"VNACCS/DangNhap/1\nma_so_thue=0302345459\nchallenge=abc\n"
        );
    }
}
