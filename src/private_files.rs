//! Files that hold personal data (the SQLite database and its journal, uploaded imports waiting
//! for their import, backups, exports, the cookie key) are readable by the server's own user
//! only: created `0600` in folders created `0700`, whatever the umask. Another account on the
//! server (a monitoring agent, a colleague's shell) then cannot copy the registry.
//!
//! A folder that exists already is left as it is (it may be shared on purpose, or be a home
//! folder), but one that others can enter is reported once in the log.

use std::io;
use std::path::Path;
use std::time::Duration;

/// Creates `dir` and its missing parents as `0700`; an existing `dir` that group or others may
/// enter is reported (not changed).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    if dir.is_dir() {
        warn_if_open(dir);
        return Ok(());
    }
    dir_builder().create(dir)
}

/// Makes `dir` `0700` whether it existed or not: for folders the server alone owns (the
/// uploads waiting for their import).
pub fn create_owned_dir(dir: &Path) -> io::Result<()> {
    dir_builder().create(dir)?;
    set_mode(dir, 0o700)
}

/// Writes `bytes` to `path` (created or replaced) readable by the owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let mut file = private_options().create(true).truncate(true).open(path)?;
    // A file that existed keeps its mode on open: set it.
    set_mode(path, 0o600)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates `path` empty as `0600` when it does not exist, so that whoever fills it later (SQLite
/// opening a database, `VACUUM INTO` writing a backup) keeps that mode; an existing file is made
/// `0600` too where the server may (else that is reported, and the file used as it is).
pub fn create_private_file(path: &Path) -> io::Result<()> {
    match private_options().create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if let Err(error) = set_mode(path, 0o600) {
                tracing::warn!(file = %path.display(), %error, "cannot make the file private");
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Removes the files directly in `dir` last changed longer than `age` ago; returns how many.
/// A missing folder has none.
pub fn remove_files_older_than(dir: &Path, age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let is_old = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|elapsed| elapsed > age);
        if is_old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(unix)]
fn dir_builder() -> std::fs::DirBuilder {
    use std::os::unix::fs::DirBuilderExt as _;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true).mode(0o700);
    builder
}

#[cfg(unix)]
fn private_options() -> std::fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).mode(0o600);
    options
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(unix)]
fn warn_if_open(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(dir).map(|m| m.permissions().mode() & 0o777);
    if let Ok(mode) = mode
        && mode & 0o077 != 0
    {
        tracing::warn!(
            folder = %dir.display(),
            mode = format!("{mode:o}"),
            "the folder of personal data files is open to other users: chmod 700 it"
        );
    }
}

#[cfg(not(unix))]
fn dir_builder() -> std::fs::DirBuilder {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    builder
}

#[cfg(not(unix))]
fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    options
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(not(unix))]
fn warn_if_open(_dir: &Path) {}

#[cfg(all(test, unix))]
#[expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on a file system error"
)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_folders_are_0700_and_files_0600_whatever_was_there() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        create_private_dir(&dir).unwrap();
        assert_eq!((mode(&root.path().join("a")), mode(&dir)), (0o700, 0o700));
        let file = dir.join("f");
        std::fs::write(&file, b"old").unwrap();
        set_mode(&file, 0o644).unwrap();
        write_private(&file, b"new").unwrap();
        assert_eq!(
            (mode(&file), std::fs::read(&file).unwrap()),
            (0o600, b"new".to_vec())
        );
        let empty = dir.join("e");
        create_private_file(&empty).unwrap();
        assert_eq!(mode(&empty), 0o600);
        set_mode(&empty, 0o666).unwrap();
        create_private_file(&empty).unwrap();
        assert_eq!(mode(&empty), 0o600);
    }

    #[test]
    fn an_owned_folder_is_tightened_and_an_existing_shared_one_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        set_mode(&shared, 0o755).unwrap();
        create_private_dir(&shared).unwrap();
        assert_eq!(mode(&shared), 0o755);
        create_owned_dir(&shared).unwrap();
        assert_eq!(mode(&shared), 0o700);
    }
}
