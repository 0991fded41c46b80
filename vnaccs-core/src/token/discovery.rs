//! Finding the PKCS#11 module to load: an explicit path, else `VNACCS_PKCS11_MODULE`, else the
//! first known token module in the platform's library folders.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::token::TokenError;
use crate::{Error, Result};

/// The environment variable that names the PKCS#11 module to use.
pub const MODULE_ENV: &str = "VNACCS_PKCS11_MODULE";

/// Module base names, Vietnamese CA tokens first, then OpenSC, then SoftHSM2 (testing).
const MODULE_NAMES: &[&str] = &[
    "vnpt-ca_csp11",
    "vnptca_p11_v10",
    "vnptca_p11_v9",
    "vnptca_p11_v8",
    "vnptca_p11_v7",
    "vnptca_p11_v6",
    "vnpt-ca_cl_v1",
    "viettel-ca_v6",
    "viettel-ca_v5",
    "viettel-ca_v4",
    "viettel-ca_v3",
    "viettel-ca_v2",
    "viettel-ca_v1",
    "BkavCA",
    "bkavcaetoken",
    "fptca_v4",
    "fptca_v3",
    "fpt-ca",
    "CA2_csp11",
    "nca_v4",
    "safe-ca",
    "Vina-CA",
    "NEWTEL-CA",
    "ShuttleCsp11_3003",
    "ngp11v211",
    "st3csp11",
    "gclib",
    "eTPKCS11",
    "eTPkcs11",
    "castle",
    "opensc-pkcs11",
    "softhsm2",
];

/// The module to load: `explicit` if given, else the environment variable, else a search.
pub fn locate_module(explicit: Option<&Path>) -> Result<PathBuf> {
    locate(explicit, std::env::var_os(MODULE_ENV), &library_folders())
}

/// Every known token module present in the platform's library folders, in preference order.
pub fn available_modules() -> Vec<PathBuf> {
    search(&library_folders())
}

fn locate(
    explicit: Option<&Path>,
    from_env: Option<OsString>,
    folders: &[PathBuf],
) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = from_env.filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    search(folders).into_iter().next().ok_or_else(|| {
        Error::Token(TokenError::Pkcs11ModuleNotFound {
            looked_in: folders
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
    })
}

fn search(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for name in MODULE_NAMES {
        for file in file_names(name) {
            for folder in folders {
                let path = folder.join(&file);
                if path.is_file() && !found.contains(&path) {
                    found.push(path);
                }
            }
        }
    }
    found
}

/// The file names a module's base name can have on this platform.
fn file_names(name: &str) -> Vec<String> {
    let ext = std::env::consts::DLL_EXTENSION;
    if cfg!(windows) {
        vec![format!("{name}.{ext}")]
    } else {
        vec![format!("{name}.{ext}"), format!("lib{name}.{ext}")]
    }
}

/// Where token vendors and distributions install PKCS#11 modules.
fn library_folders() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = Vec::new();
    if cfg!(windows) {
        let root = std::env::var_os("SystemRoot").unwrap_or_else(|| "C:\\Windows".into());
        folders.push(Path::new(&root).join("System32"));
        folders.push(Path::new(&root).join("SysWOW64"));
    } else if cfg!(target_os = "macos") {
        for f in ["/usr/local/lib", "/opt/homebrew/lib", "/Library/OpenSC/lib"] {
            folders.push(f.into());
        }
    } else {
        let triplet = format!("{}-linux-gnu", std::env::consts::ARCH);
        for base in [
            "/usr/lib",
            "/usr/local/lib",
            "/usr/lib64",
            &format!("/usr/lib/{triplet}"),
        ] {
            folders.push(base.into());
            folders.push(Path::new(base).join("pkcs11"));
            folders.push(Path::new(base).join("softhsm"));
        }
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, b"").expect("write");
        path
    }

    #[test]
    fn explicit_then_environment_then_search() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folders = vec![dir.path().to_path_buf()];
        let softhsm = touch(
            dir.path(),
            &format!("libsofthsm2.{}", std::env::consts::DLL_EXTENSION),
        );
        let explicit = Path::new("/x/explicit.so");
        assert_eq!(
            locate(Some(explicit), Some("/x/env.so".into()), &folders).expect("explicit"),
            explicit
        );
        assert_eq!(
            locate(None, Some("/x/env.so".into()), &folders).expect("env"),
            Path::new("/x/env.so")
        );
        assert_eq!(
            locate(None, Some("".into()), &folders).expect("search"),
            softhsm
        );
    }

    #[test]
    fn vietnamese_token_modules_come_before_opensc_and_softhsm() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ext = std::env::consts::DLL_EXTENSION;
        touch(dir.path(), &format!("libsofthsm2.{ext}"));
        touch(dir.path(), &format!("opensc-pkcs11.{ext}"));
        let viettel = touch(dir.path(), &format!("viettel-ca_v6.{ext}"));
        let found = search(&[dir.path().to_path_buf()]);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], viettel);
        assert!(found[2].ends_with(format!("libsofthsm2.{ext}")));
    }

    #[test]
    fn nothing_found_names_the_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = locate(None, None, &[dir.path().to_path_buf()]).expect_err("empty folder");
        assert_eq!(e.code(), "token_module_not_found");
        assert!(e.to_string().contains(&dir.path().display().to_string()));
    }
}
