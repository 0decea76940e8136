//! Browser tests of the officer's tablet app and the prosecutor's planning in a real headless
//! Chromium, driven through Debian's chromedriver (WebDriver via fantoccini) against the real `baqylau serve` binary.
//! A missing chromium or chromedriver is a failure, never a skip: `scripts/browser.sh` installs
//! them. Screenshots go to `tests/screenshots/` for a reviewer to open (kept in git; each run
//! rewrites them).

#![expect(clippy::unwrap_used, clippy::expect_used)]

mod address_picker;
mod axe;
mod desk;
mod field;
mod officer_door;
mod planning;
mod support;
