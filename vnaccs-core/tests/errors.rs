//! Every error's identity: unique statuses and codes in their areas, the JSON form, and
//! `docs/errors.md` kept fresh (`VNACCS_UPDATE_DOCS=1` rewrites it).

use std::collections::HashSet;
use std::path::Path;

use vnaccs_core::Error;
use vnaccs_core::error::{Category, catalogue, catalogue_markdown};
use vnaccs_core::portal::PortalError;
use vnaccs_core::workflow::Step;

/// The thousand a category's statuses lie in.
fn area(category: Category) -> i32 {
    match category {
        Category::Input => 1,
        Category::Certificate => 2,
        Category::Token | Category::Pin => 3,
        Category::Signing => 4,
        Category::Portal | Category::Network => 5,
        Category::Workflow => 6,
        Category::Sandbox => 7,
        Category::Binding => 8,
        Category::Internal => 9,
        other => panic!("no area for {other:?}"),
    }
}

#[test]
fn statuses_and_codes_are_unique_and_in_their_area() {
    let all = catalogue();
    // Every local code, every portal refusal: more than 60 kinds.
    assert!(all.len() > 80, "{}", all.len());
    let mut statuses = HashSet::new();
    let mut codes = HashSet::new();
    for e in &all {
        assert!(statuses.insert(e.status()), "status {} twice", e.status());
        assert!(codes.insert(e.code()), "code {} twice", e.code());
        assert!(
            e.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{}",
            e.code()
        );
        assert_eq!(
            e.status() / 1000,
            area(e.category()),
            "{} ({}) is outside its area",
            e.code(),
            e.status()
        );
        assert!(!e.hint().is_empty() && !e.hint_vi().is_empty());
        assert_ne!(e.hint(), e.hint_vi());
        let vi = format!(" {} ", e.hint_vi().to_lowercase());
        for word in [
            " the ", " to ", " of ", " and ", " not ", " is ", " at ", " run ",
        ] {
            assert!(!vi.contains(word), "{word:?} in {vi:?}");
        }
    }
    // The statuses are in the area order (1xxx to 9xxx).
    assert_eq!(all.first().map(Error::status), Some(1001));
    assert_eq!(all.last().map(Error::code), Some("internal"));
}

#[test]
fn retryable_is_for_transient_failures_only() {
    let by_code = |code: &str| {
        catalogue()
            .into_iter()
            .find(|e| {
                e.code() == code && !matches!(e, Error::Portal(PortalError::PortalRefused { .. }))
            })
            .unwrap_or_else(|| panic!("{code}"))
    };
    for code in [
        "portal_timeout",
        "portal_connection",
        "portal_unavailable",
        "portal_maintenance",
        "workflow_state_locked",
    ] {
        assert!(by_code(code).retryable(), "{code}");
    }
    // The post may have been processed: resume, never repeat blindly.
    for code in [
        "outcome_unknown",
        "invalid_tax_code",
        "pin_incorrect",
        "bad_signature",
    ] {
        assert!(!by_code(code).retryable(), "{code}");
    }
    assert!(by_code("outcome_unknown").hint().contains("Resume"));
    assert!(
        catalogue()
            .iter()
            .filter(|e| matches!(e, Error::Portal(PortalError::PortalRefused { .. })))
            .all(|e| !e.retryable() && e.status() / 100 == 51)
    );
}

#[test]
fn the_json_form_has_the_identity_and_the_step() {
    let cause = Error::Portal(PortalError::PortalTimeout {
        url: "https://portal/".into(),
    });
    let failed = Error::StepFailed {
        step: Step::SendRegistration,
        cause: Box::new(cause.clone()),
    };
    let json = serde_json::to_value(&failed).unwrap();
    assert_eq!(json["code"], "portal_timeout");
    assert_eq!(json["status"], 5005);
    assert_eq!(json["category"], "network");
    assert_eq!(json["retryable"], true);
    assert_eq!(json["step"], "send_registration");
    assert_eq!(json["message"], failed.to_string());
    assert_eq!(json["message_vi"], failed.message_vi());
    assert_eq!(json["hint"], cause.hint());
    assert_eq!(json["hint_vi"], cause.hint_vi());
    let plain = serde_json::to_value(&cause).unwrap();
    let keys: Vec<_> = plain.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 8, "no step on an error without one: {keys:?}");
    assert!(plain.get("step").is_none());
    // The schema describes exactly the keys the JSON has.
    let schema = serde_json::to_value(schemars::schema_for!(Error)).unwrap();
    let mut properties: Vec<_> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    properties.sort();
    let mut all: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    all.sort();
    assert_eq!(properties, all);
    assert_eq!(schema["required"].as_array().unwrap().len(), 8);
}

#[test]
fn docs_errors_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/errors.md");
    let generated = catalogue_markdown();
    if std::env::var_os("VNACCS_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/errors.md is stale: run VNACCS_UPDATE_DOCS=1 cargo test -p vnaccs-core --test errors"
    );
    for e in catalogue() {
        assert!(
            generated.contains(&format!("| {} | `{}` |", e.status(), e.code())),
            "{}",
            e.code()
        );
    }
}

/// The source files that define the errors, and the leaf types they name: none of them may
/// import the top `Error` (or `Result`, or `crate::error` beyond its leaf `identity` module),
/// so `error` ↔ area cycles cannot come back.
const LEAVES: &[&str] = &[
    "error/identity.rs",
    "ids/mod.rs",
    "ids/error.rs",
    "ids/codes.rs",
    "ids/email.rs",
    "ids/password.rs",
    "ids/personal_id.rs",
    "ids/serial.rs",
    "ids/tax_code.rs",
    "cert/error.rs",
    "cert/pass.rs",
    "token/error.rs",
    "sign/error.rs",
    "portal/error.rs",
    "portal/refusal.rs",
    "portal/posts.rs",
    "portal/layout.rs",
    "workflow/error.rs",
    "workflow/step.rs",
    "sandbox/error.rs",
];

/// A source file of the core, without its comment lines and its unit tests.
fn code_of(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_error_modules_do_not_import_the_error_type_back() {
    for file in LEAVES {
        let code = code_of(file);
        for back in ["crate::Error", "crate::Result", "crate::{"] {
            assert!(!code.contains(back), "{file} names {back}");
        }
        for (at, _) in code.match_indices("crate::error::") {
            assert!(
                code[at..].starts_with("crate::error::identity"),
                "{file} imports crate::error beyond its leaf identity module"
            );
        }
    }
    // `error` itself names only types those leaves define.
    let leaves: String = LEAVES.iter().map(|f| code_of(f)).collect();
    for file in ["error.rs", "error/json.rs", "error/catalogue.rs"] {
        let code = code_of(file);
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // The type is the first capitalised segment (`crate::x::Name::Variant`).
            let Some(name) = path.split("::").find(|s| s.starts_with(char::is_uppercase)) else {
                assert!(
                    path.starts_with("error::identity"),
                    "{file} names crate::{path}"
                );
                continue;
            };
            let defined = ["enum", "struct", "type"]
                .iter()
                .any(|kind| leaves.contains(&format!("pub {kind} {name}")));
            assert!(defined, "{file} names crate::{path}, not a leaf type");
        }
    }
}

/// The four-digit numbers that follow `marker` (and any whitespace) in `code`.
fn statuses_after(code: &str, marker: &str) -> Vec<i32> {
    code.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = code[at + marker.len()..].trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (digits.len() == 4 && rest[4..].starts_with(','))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

#[test]
fn the_catalogue_has_every_status_the_sources_declare() {
    // Every status written in an `identity()` (`id(NNNN, …)`, `input(NNNN, …)`) or in the
    // portal's refusals (`"code", NNNN,`) has its example in the catalogue: a variant left out
    // of the catalogue's chain fails here.
    let catalogued: HashSet<i32> = catalogue().iter().map(Error::status).collect();
    let mut declared = Vec::new();
    for file in LEAVES.iter().chain(&["error.rs"]) {
        let code = code_of(file);
        declared.extend(statuses_after(&code, "id("));
        declared.extend(statuses_after(&code, "input("));
        declared.extend(statuses_after(&code, "\", "));
    }
    assert!(declared.len() > 80, "{}", declared.len());
    for status in declared {
        assert!(
            catalogued.contains(&status),
            "status {status} has no example"
        );
    }
}
