//! The committed JSON Schemas under `docs/schema/` must be what the current types generate.
//! Set `VNACCS_UPDATE_DOCS=1` to rewrite them.

use std::path::Path;

#[test]
fn schemas_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema");
    let update = std::env::var_os("VNACCS_UPDATE_DOCS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (name, generated) in vnaccs_core::schema::all() {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, &generated).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != generated {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema/{stale:?} stale: run VNACCS_UPDATE_DOCS=1 cargo test -p vnaccs-core --test schema"
    );
}

#[test]
fn the_request_schema_names_every_operation_and_no_secret() {
    let (_, request) = vnaccs_core::schema::all().remove(0);
    for operation in [
        "plan",
        "update",
        "resume",
        "result",
        "change_password",
        "forgot_password",
    ] {
        assert!(request.contains(&format!("\"{operation}\"")), "{operation}");
    }
    for key in [
        "pkcs11",
        "pfx",
        "pem",
        "schema_version",
        "state_file",
        "max_body",
    ] {
        assert!(request.contains(key), "{key}");
    }
    for secret in ["\"admin_password\"", "\"key_password\"", "\"pin\""] {
        assert!(!request.contains(secret), "no {secret} in a request");
    }
}
