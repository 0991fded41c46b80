//! Files the library writes that hold an enterprise's data (the update's state, the password
//! record, a HAR capture): owner-only, through an exclusive temporary file (a symlink in its place
//! is never followed), renamed atomically.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// `.<name>.<suffix>` in the folder of `path`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    folder(path).join(format!(".{name}.{suffix}"))
}

/// The folder of `path` (`.` for a bare file name).
pub(crate) fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Options that create files readable and writable by their owner only (on Unix; elsewhere the
/// folder's permissions apply).
pub(crate) fn owner_only() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Writes `contents` to `path` atomically: a new temporary file `.<name>.tmp` beside it, created
/// exclusively and owner-only (whatever sits at that path, a symlink included, is removed, never
/// written through), flushed to disk, then renamed over `path`. A crash leaves either the old
/// file or the new one.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let temporary = sibling(path, "tmp");
    let create = || owner_only().write(true).create_new(true).open(&temporary);
    let write = || -> std::io::Result<()> {
        let mut file = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Left by a crash, or planted: removing a symlink removes the link only.
                std::fs::remove_file(&temporary)?;
                create()?
            }
            other => other?,
        };
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // The rename itself is durable once the folder is synced (where that is possible).
        if let Ok(dir) = File::open(folder(path)) {
            let _ = dir.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_owner_only_and_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("update.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["update.json"], "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_temporary_path_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("update.json");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").unwrap();
        std::os::unix::fs::symlink(&victim, sibling(&path, "tmp")).unwrap();
        write_atomically(&path, b"state").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(std::fs::read(&path).unwrap(), b"state");
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
        // A dangling symlink, which O_CREAT alone would create its target through.
        let target = dir.path().join("created-through-link");
        std::os::unix::fs::symlink(&target, sibling(&path, "tmp")).unwrap();
        write_atomically(&path, b"again").unwrap();
        assert!(!target.exists());
        assert_eq!(std::fs::read(&path).unwrap(), b"again");
    }
}
