//! Shared by the tests that run the `vnaccs` program against the sandbox.

/// The environment variable the tests give the `vnaccs` program the admin password in.
pub const ADMIN_ENV: &str = "VNACCS_TEST_ADMIN_PASSWORD";

/// The `vnaccs` options naming the sandbox's standard enterprise: its tax code, representative
/// and admin email, the admin password from [`ADMIN_ENV`], and the send form (sender, office).
pub fn enterprise_args() -> Vec<String> {
    use vnaccs_core::sandbox::{TEST_ADMIN_EMAIL, TEST_REPRESENTATIVE_ID};
    [
        "--tax-code",
        vnaccs_core::fixtures::TAX,
        "--representative",
        TEST_REPRESENTATIVE_ID,
        "--admin-email",
        TEST_ADMIN_EMAIL,
        "--password-env",
        ADMIN_ENV,
        "--sender-name",
        "Nguyễn Văn An",
        "--sender-email",
        "khaibao@saigontrade.vn",
        "--office",
        "01B1",
    ]
    .map(String::from)
    .to_vec()
}
