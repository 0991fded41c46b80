//! Screen E: OE4002 Tra cứu kết quả đăng ký: the users and terminals Customs issued.

use super::super::html::{self, Controls};
use super::ctx::{Ctx, Page, Reply, View, heading, memory, show_date};

const TAB_USERS: &str = "ctl00$MainContent$tabNguoiKhai";
const TAB_TERMINALS: &str = "ctl00$MainContent$tabMayTinh";
const GRID_USERS: &str = "ctl00$MainContent$grdNguoiKhai";
const GRID_TERMINALS: &str = "ctl00$MainContent$grdMayTinh";

/// A tab postback.
pub(super) fn post(ctx: &mut Ctx) -> Reply {
    let terminals = if ctx.postback(TAB_TERMINALS).is_some() {
        true
    } else if ctx.postback(TAB_USERS).is_some() {
        false
    } else {
        ctx.data::<bool>(Page::Oe4002) == Some(true)
    };
    render(ctx, terminals)
}

/// The page with the users tab, or the terminals tab.
pub(super) fn render(ctx: &mut Ctx, terminals: bool) -> Reply {
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("OE4002 TRA CỨU KẾT QUẢ ĐĂNG KÝ");
    content.push_str(&html::message(None));
    content.push_str(&format!(
        "                <div class=\"the-tab\"><span class=\"{}\">{}</span> <span class=\"{}\">{}</span></div>\n",
        if terminals { "tab" } else { "tab chon" },
        c.postback(TAB_USERS, "", "Thông tin người khai Hải quan"),
        if terminals { "tab chon" } else { "tab" },
        c.postback(TAB_TERMINALS, "", "Máy tính"),
    ));
    if let Some(enterprise) = ctx.enterprise() {
        if terminals {
            let rows: Vec<Vec<String>> = enterprise
                .state
                .terminals
                .iter()
                .map(|t| {
                    vec![
                        html::escape(t.terminal_id.as_str()),
                        html::escape(t.access_key.as_str()),
                    ]
                })
                .collect();
            content.push_str(&c.grid(
                GRID_TERMINALS,
                &["Terminal ID", "Terminal Access Key"],
                &rows,
            ));
        } else {
            let rows: Vec<Vec<String>> = enterprise
                .state
                .issued_users
                .iter()
                .map(|u| {
                    vec![
                        html::escape(u.user_id.as_str()),
                        html::escape(&u.full_name),
                        html::escape(u.id_number.number()),
                        html::escape(u.certificate_serial.as_str()),
                        show_date(u.effective_date),
                    ]
                })
                .collect();
            content.push_str(&c.grid(
                GRID_USERS,
                &[
                    "User ID",
                    "Họ tên",
                    "Số CMND/Hộ chiếu",
                    "Số serial chứng thư số",
                    "Ngày hiệu lực",
                ],
                &rows,
            ));
        }
    }
    Reply::View(Box::new(View {
        title: "OE4002 Tra cứu kết quả đăng ký",
        content,
        events: c.into_events(),
        data: memory(terminals),
    }))
}
