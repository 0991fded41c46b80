//! The site profile checked against pages saved from the portal, as `vnaccs profile check` does.

use std::ffi::c_char;
use std::path::PathBuf;

use vnaccs_core::portal::check_files;
use vnaccs_core::workflow::Document;

use crate::boundary::{Out, guard, optional_text, text};

/// Checks the site profile against pages saved from the portal — HTML files saved from a
/// browser, or HAR files (every HTML answer in them), such as one written by `portal.har` — and
/// writes the report into `buf` as a JSON document (`docs/schema/profile_check.json`):
/// `{"schema_version", "ok", "pages": [{"source", "page", "items": [{"kind", "key", "name",
/// "found", "candidates"}]}]}`. `"ok"` is false when a page was not recognised or lacks anything
/// the profile expects; a missing field or button lists the page's closest names in
/// `"candidates"`, best first (a field showing the profile's label for it first).
///
/// `pages` holds `count` (at least 1) file paths; `profile` is the path of a TOML overlay merged
/// over the built-in profile (as `--profile`), or NULL for the built-in profile. All strings are
/// NUL-terminated UTF-8, borrowed for the call. Output as every `(buf, capacity, out_len)`
/// function: see `vnaccs_last_error`. Any thread.
///
/// Returns `VNACCS_OK` when the report is written, whatever it says; a core status when a file
/// cannot be read (`io_error`) or the overlay is not a valid profile (`site_profile`);
/// `VNACCS_INVALID_ARGUMENT` when `count` is 0; `VNACCS_NULL_ARGUMENT`, `VNACCS_INVALID_UTF8`,
/// `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `pages` is NULL or has `count` readable pointers, each NULL or NUL-terminated; `profile` is
/// NULL or NUL-terminated; `buf` has `capacity` writable bytes; `out_len` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_profile_check(
    pages: *const *const c_char,
    count: usize,
    profile: *const c_char,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        if pages.is_null() {
            return Err(crate::status::null_argument("pages"));
        }
        if count == 0 {
            return Err(crate::status::invalid_argument("count", "0".into()));
        }
        // SAFETY: the caller's contract: `count` readable pointers.
        let pointers = unsafe { std::slice::from_raw_parts(pages, count) };
        let files = pointers
            .iter()
            // SAFETY: each NULL or NUL-terminated, by the caller's contract.
            .map(|p| unsafe { text(*p, "pages") }.map(PathBuf::from))
            .collect::<Result<Vec<_>, _>>()?;
        // SAFETY: the caller's contract.
        let profile = unsafe { optional_text(profile, "profile") }?.map(PathBuf::from);
        let report = check_files(profile.as_deref(), &files)?;
        // A report of strings, booleans and lists always serialises (fields in their order).
        let json = serde_json::to_string(&Document::new(report)).unwrap_or_default();
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&json) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{VNACCS_INVALID_ARGUMENT, VNACCS_NULL_ARGUMENT, VNACCS_OK};
    use std::ffi::CString;

    fn check(paths: &[&str], profile: Option<&str>) -> (i32, String) {
        let owned: Vec<CString> = paths.iter().map(|p| CString::new(*p).unwrap()).collect();
        let pointers: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
        let profile = profile.map(|p| CString::new(p).unwrap());
        let mut buf = vec![0 as c_char; 1 << 16];
        let mut len = 0usize;
        // SAFETY: live pointers and buffers.
        let status = unsafe {
            vnaccs_profile_check(
                pointers.as_ptr(),
                pointers.len(),
                profile.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
                buf.as_mut_ptr(),
                buf.len(),
                &mut len,
            )
        };
        let bytes: Vec<u8> = buf[..len].iter().map(|c| *c as u8).collect();
        (status, String::from_utf8(bytes).unwrap())
    }

    #[test]
    fn the_report_is_the_cores_document_and_an_overlay_applies() {
        let dir = std::env::temp_dir().join(format!("vnaccs-ffi-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let page = dir.join("login.html");
        std::fs::write(
            &page,
            "<form id=\"form1\" action=\"./DangNhap.aspx\"><input name=\"ctl00$MainContent$hdChallengeKy\" type=\"hidden\" /></form>",
        )
        .unwrap();
        let page = page.to_str().unwrap();
        let (status, json) = check(&[page], None);
        assert_eq!(status, VNACCS_OK, "{json}");
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            report["schema_version"],
            vnaccs_core::workflow::SCHEMA_VERSION
        );
        assert_eq!(report["ok"], false);
        assert_eq!(report["pages"][0]["page"], "login");
        let challenge = report["pages"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "challenge")
            .unwrap();
        assert_eq!(challenge["found"], false);
        assert_eq!(
            challenge["candidates"][0],
            "ctl00$MainContent$hdChallengeKy"
        );

        let overlay = dir.join("fix.toml");
        std::fs::write(
            &overlay,
            "[pages.login]\nchallenge = \"ctl00$MainContent$hdChallengeKy\"\n",
        )
        .unwrap();
        let (_, json) = check(&[page], overlay.to_str());
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let challenge = report["pages"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "challenge")
            .unwrap()
            .clone();
        assert_eq!(challenge["found"], true, "{report}");

        assert_eq!(check(&[], None).0, VNACCS_INVALID_ARGUMENT);
        let mut len = 0usize;
        // SAFETY: NULL pages is refused before anything is read.
        let status = unsafe {
            vnaccs_profile_check(
                std::ptr::null(),
                1,
                std::ptr::null(),
                std::ptr::null_mut(),
                0,
                &mut len,
            )
        };
        assert_eq!(status, VNACCS_NULL_ARGUMENT);
        let missing = dir.join("none.html");
        let (status, _) = check(&[missing.to_str().unwrap()], None);
        assert!((1..8000).contains(&status), "{status}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
