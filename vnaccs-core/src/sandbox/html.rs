//! HTML: escaping, the master page layout of both sites, and the WebForms controls the pages use
//! (every field name through [`Fields`]).

use std::collections::BTreeSet;

use super::fields::Fields;
use super::messages;
use super::viewstate::{self, PageState};

/// Escapes text for HTML content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Builds a page's content: controls named through the field lookup, and the set of events
/// (buttons, postback links) the render offers, for event validation.
#[derive(Debug)]
pub(super) struct Controls<'a> {
    fields: &'a Fields,
    events: BTreeSet<String>,
}

impl<'a> Controls<'a> {
    /// Controls named through `fields`.
    pub fn new(fields: &'a Fields) -> Controls<'a> {
        Controls {
            fields,
            events: BTreeSet::new(),
        }
    }

    /// The events offered so far.
    pub fn into_events(self) -> BTreeSet<String> {
        self.events
    }

    /// A labelled text box row.
    pub fn text_row(&self, label: &str, name: &str, value: &str) -> String {
        self.input_row(label, name, value, "text")
    }

    /// A labelled password box row (the value is never rendered back).
    pub fn password_row(&self, label: &str, name: &str) -> String {
        self.input_row(label, name, "", "password")
    }

    fn input_row(&self, label: &str, name: &str, value: &str, kind: &str) -> String {
        format!(
            "                <tr>\n                    <td class=\"nhan\" style=\"width:220px;\"><label for=\"{id}\">{label}</label></td>\n                    <td><input name=\"{name}\" type=\"{kind}\" value=\"{value}\" id=\"{id}\" class=\"textbox\" style=\"width:260px;\" /></td>\n                </tr>\n",
            id = self.fields.id(name),
            name = escape(self.fields.name(name)),
            value = escape(value),
            label = escape(label),
        )
    }

    /// A hidden field.
    pub fn hidden(&self, name: &str, value: &str) -> String {
        format!(
            "<input type=\"hidden\" name=\"{}\" id=\"{}\" value=\"{}\" />",
            escape(self.fields.name(name)),
            self.fields.id(name),
            escape(value)
        )
    }

    /// A checkbox with its label.
    pub fn checkbox(&self, name: &str, label: &str, checked: bool) -> String {
        format!(
            "<span class=\"chk\"><input id=\"{id}\" type=\"checkbox\" name=\"{name}\"{checked} /><label for=\"{id}\">{label}</label></span>",
            id = self.fields.id(name),
            name = escape(self.fields.name(name)),
            checked = if checked { " checked=\"checked\"" } else { "" },
            label = escape(label),
        )
    }

    /// A submit button (an event the postback may raise), or a postback link of the same name
    /// when the configuration removed the button.
    pub fn button(&mut self, name: &str, caption: &str) -> String {
        if self.fields.is_link(name) {
            return self.postback(name, "", caption);
        }
        let renamed = self.fields.name(name).to_owned();
        let html = format!(
            "<input type=\"submit\" name=\"{}\" value=\"{}\" id=\"{}\" class=\"button\" />",
            escape(&renamed),
            escape(caption),
            self.fields.id(name)
        );
        self.events.insert(renamed);
        html
    }

    /// A postback link to `target` with `argument`.
    pub fn postback(&mut self, target: &str, argument: &str, text: &str) -> String {
        let renamed = self.fields.name(target).to_owned();
        let html = format!(
            "<a href=\"javascript:__doPostBack(&#39;{}&#39;,&#39;{}&#39;)\">{}</a>",
            escape(&renamed),
            escape(argument),
            escape(text)
        );
        self.events
            .insert(viewstate::postback_event(&renamed, argument));
        html
    }

    /// A label span with the id ASP.NET gives control `name` (e.g. `ctl00$MainContent$lblTenDN`).
    pub fn label(&self, name: &str, text: &str) -> String {
        format!(
            "<span id=\"{}\">{}</span>",
            self.fields.id(name),
            escape(text)
        )
    }

    /// A grid: a header row, then one `tr.dong` per data row (cells are HTML already).
    pub fn grid(&self, name: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
        let mut html = format!(
            "<div class=\"luoi\">\n<table class=\"grid\" cellspacing=\"0\" cellpadding=\"4\" rules=\"all\" border=\"1\" id=\"{}\" style=\"width:100%;border-collapse:collapse;\">\n\t<tr class=\"tieude\">\n",
            self.fields.id(name)
        );
        for header in headers {
            html.push_str(&format!("\t\t<th scope=\"col\">{}</th>\n", escape(header)));
        }
        html.push_str("\t</tr>\n");
        for (i, row) in rows.iter().enumerate() {
            let class = if i % 2 == 0 { "dong" } else { "dong dong-le" };
            html.push_str(&format!("\t<tr class=\"{class}\">\n"));
            for cell in row {
                html.push_str(&format!("\t\t<td>{cell}</td>\n"));
            }
            html.push_str("\t</tr>\n");
        }
        html.push_str("</table>\n</div>\n");
        html
    }
}

/// The portal's message element, with `text` (empty when there is none).
pub(super) fn message(text: Option<&str>) -> String {
    format!(
        "<div class=\"khung-thongbao\"><span id=\"MainContent_lblThongBao\" class=\"thongbao\">{}</span></div>\n",
        escape(text.unwrap_or(""))
    )
}

/// Which website a page belongs to (its banner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Site {
    /// customs.gov.vn: Đăng ký Doanh nghiệp sử dụng chữ ký số.
    Registration,
    /// The VNACCS user-registration site.
    Vnaccs,
}

/// What the master page wraps.
#[derive(Debug)]
pub(super) struct Layout<'a> {
    /// The page's path, e.g. `/Pages/OE4001.aspx`.
    pub path: &'a str,
    /// The query string to keep in the form's action (without `?`).
    pub query: &'a str,
    /// The page title.
    pub title: &'a str,
    /// The site.
    pub site: Site,
    /// The tax code logged in (shows the menu).
    pub logged_in: Option<&'a str>,
    /// The page's content.
    pub content: &'a str,
}

/// The whole WebForms page around `layout.content`, carrying the render's tokens.
pub(super) fn document(layout: &Layout, state: &PageState) -> String {
    let file = layout.path.rsplit('/').next().unwrap_or(layout.path);
    let action = if layout.query.is_empty() {
        format!("./{file}")
    } else {
        format!("./{file}?{}", layout.query)
    };
    let banner = match layout.site {
        Site::Registration => "ĐĂNG KÝ DOANH NGHIỆP SỬ DỤNG CHỮ KÝ SỐ",
        Site::Vnaccs => "ĐĂNG KÝ SỬ DỤNG HỆ THỐNG VNACCS CHO DOANH NGHIỆP",
    };
    let menu = layout.logged_in.map(menu).unwrap_or_default();
    format!(
        r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">

<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta charset="utf-8" /><meta http-equiv="X-UA-Compatible" content="IE=EmulateIE8" /><title>
	{title}
</title><link href="../Styles/Site.css" rel="stylesheet" type="text/css" /></head>
<body>
    <form method="post" action="{action}" id="form1">
<div class="aspNetHidden">
<input type="hidden" name="{target}" id="{target}" value="" />
<input type="hidden" name="{argument}" id="{argument}" value="" />
<input type="hidden" name="{vs}" id="{vs}" value="{vs_value}" />
</div>

<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['form1'];
if (!theForm) {{
    theForm = document.form1;
}}
function __doPostBack(eventTarget, eventArgument) {{
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }}
}}
//]]>
</script>

<div class="aspNetHidden">
	<input type="hidden" name="{generator}" id="{generator}" value="{generator_value}" />
	<input type="hidden" name="{ev}" id="{ev}" value="{ev_value}" />
</div>
    <table id="khung-trang" cellpadding="0" cellspacing="0" border="0" width="980" align="center">
        <tr>
            <td class="dau-trang">
                <table width="100%" cellpadding="0" cellspacing="0">
                    <tr>
                        <td class="logo"><img src="../Images/logo_haiquan.png" alt="Tổng cục Hải quan" /></td>
                        <td class="ten-he-thong"><span>TỔNG CỤC HẢI QUAN</span><br /><span class="ten-trang">{banner}</span></td>
                    </tr>
                </table>
            </td>
        </tr>
{menu}        <tr>
            <td class="noi-dung">
{content}
            </td>
        </tr>
        <tr>
            <td class="chan-trang">Bản quyền thuộc Tổng cục Hải quan. Địa chỉ: Số 9 Dương Đình Nghệ, Yên Hòa, Cầu Giấy, Hà Nội.</td>
        </tr>
    </table>
    </form>
</body>
</html>
"#,
        title = escape(layout.title),
        action = escape(&action),
        target = viewstate::EVENT_TARGET,
        argument = viewstate::EVENT_ARGUMENT,
        vs = viewstate::VIEWSTATE,
        vs_value = escape(&state.viewstate),
        generator = viewstate::GENERATOR,
        generator_value = viewstate::generator(layout.path),
        ev = viewstate::EVENT_VALIDATION,
        ev_value = escape(&state.event_validation),
        content = layout.content,
    )
}

/// The menu of the VNACCS site, for the logged-in tax code.
fn menu(tax_code: &str) -> String {
    format!(
        r##"        <tr>
            <td class="thanh-menu">
                <div id="menu-chinh">
                    <span class="nguoi-dung">Tài khoản: <b id="lblMaSoThue">{tax}</b> | <a href="/Pages/DangXuat.aspx">Thoát</a></span>
                    <ul class="menu">
                        <li><a href="/Pages/TrangChu.aspx">Trang chủ</a></li>
                        <li><a href="#">I. Đăng ký</a>
                            <ul>
                                <li><a href="/Pages/CapPasswordNSD.aspx">3. Cấp mới password cho người sử dụng (User ID)</a></li>
                            </ul>
                        </li>
                        <li><a href="#">II. Sửa thông tin đăng ký</a>
                            <ul>
                                <li><a href="/Pages/OE2102.aspx">OE2102 Sửa thông tin chung và người sử dụng</a></li>
                            </ul>
                        </li>
                        <li><a href="#">IV. Tra cứu</a>
                            <ul>
                                <li><a href="/Pages/OE4001.aspx">OE4001 Tra cứu thông tin đăng ký</a></li>
                                <li><a href="/Pages/OE4002.aspx">OE4002 Tra cứu kết quả đăng ký</a></li>
                            </ul>
                        </li>
                    </ul>
                </div>
            </td>
        </tr>
"##,
        tax = escape(tax_code)
    )
}

/// The portal's error page (bad viewstate, server error).
pub(super) fn error_page() -> String {
    bare_page(
        "Lỗi hệ thống",
        &format!(
            "<div id=\"loi-he-thong\" class=\"loi\"><h2>{}</h2><p>Mã lỗi đã được ghi nhận.</p><a href=\"/Pages/TrangChu.aspx\">Về trang chủ</a></div>",
            messages::ERROR_TEXT
        ),
    )
}

/// The maintenance page.
pub(super) fn maintenance_page() -> String {
    bare_page(
        "Bảo trì hệ thống",
        &format!(
            "<div id=\"bao-tri\" class=\"bao-tri\"><h2>{}</h2><p>Quý doanh nghiệp vui lòng quay lại sau.</p></div>",
            messages::MAINTENANCE_TEXT
        ),
    )
}

fn bare_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\" /><title>{title}</title></head>\n<body>\n    <table width=\"980\" align=\"center\"><tr><td>\n        {body}\n    </td></tr></table>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("Nguyễn"), "Nguyễn");
    }
}
