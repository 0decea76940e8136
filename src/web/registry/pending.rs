//! Uploaded import files waiting for their import: kept `0600` in a `0700` folder beside the
//! cookie key (the data folder, never a public one), named by the server (`persons-<uuid>.csv`),
//! removed once imported, refused or replaced by another check, and an hour after their check
//! in any case: at start-up and every ten minutes while the server runs.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::Settings;
use crate::private_files;

/// How long a checked file waits for its import.
pub const KEEP_CHECKED: Duration = Duration::from_secs(60 * 60);
/// How often the running server looks for expired files.
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);
/// The kinds of files kept (`ImportTarget::kind`).
const KINDS: [&str; 2] = ["persons", "offences"];

/// The folder of the files waiting for their import.
pub fn pending_dir(settings: &Settings) -> PathBuf {
    settings.data_dir().join("imports")
}

/// Keeps a checked file of `kind`; returns the name to remember in the session.
pub fn keep(settings: &Settings, kind: &str, bytes: &[u8]) -> std::io::Result<String> {
    let dir = pending_dir(settings);
    private_files::create_owned_dir(&dir)?;
    forget_expired(settings);
    let name = format!("{kind}-{}.csv", uuid::Uuid::now_v7());
    private_files::write_private(&dir.join(&name), bytes)?;
    Ok(name)
}

/// The path of a file this server made for `kind` (its kind, a UUID and `.csv`): never a path
/// from elsewhere, and a checked persons file is never taken as offences.
pub fn path_of(settings: &Settings, kind: &str, name: &str) -> Option<PathBuf> {
    let is_ours = name
        .strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.strip_suffix(".csv"))
        .is_some_and(|stem| uuid::Uuid::parse_str(stem).is_ok());
    is_ours.then(|| pending_dir(settings).join(name))
}

/// Removes a kept file of any kind (a name that is not one of ours is ignored).
pub fn remove(settings: &Settings, name: &str) {
    if let Some(path) = KINDS.iter().find_map(|kind| path_of(settings, kind, name)) {
        // Best effort: a file left behind goes with the next sweep.
        let _ = std::fs::remove_file(path);
    }
}

/// Removes the files checked more than [`KEEP_CHECKED`] ago; returns how many.
pub fn forget_expired(settings: &Settings) -> usize {
    private_files::remove_files_older_than(&pending_dir(settings), KEEP_CHECKED)
}

/// Start-up: removes the expired files at once, then every few minutes on a thread of its own.
pub fn start_sweeping(settings: &Settings) -> anyhow::Result<()> {
    let removed = forget_expired(settings);
    if removed > 0 {
        tracing::info!(removed, "removed uploaded files left from an earlier run");
    }
    let settings = settings.clone();
    std::thread::Builder::new()
        .name("imports-sweep".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(SWEEP_EVERY);
                forget_expired(&settings);
            }
        })?;
    Ok(())
}
