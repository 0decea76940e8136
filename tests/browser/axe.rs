//! axe-core in the browser tests: `Browser::axe` runs Deque's accessibility engine on the page
//! and returns what breaks WCAG 2.1 A or AA; `Browser::theme` switches the page between the day
//! and night themes (the device's colour scheme). axe-core is not in the repository:
//! `scripts/needs.sh` fetches it from the npm registry into `target/test-deps/` (or name the file
//! in `AXE_CORE_JS`); without it the test fails, never skips.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::support::Browser;

/// One rule axe-core found broken on the page.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AxeViolation {
    /// The rule (`color-contrast`, `label`, ...).
    pub id: String,
    /// minor, moderate, serious or critical.
    pub impact: Option<String>,
    /// What the rule asks.
    pub help: String,
    /// Each failing element: its selector and axe's summary of the failure.
    pub nodes: Vec<String>,
}

/// WCAG 2.1 A and AA: the rules axe runs.
const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE_JS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-deps/axe-core/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "axe-core is needed at {} ({error}): run scripts/needs.sh (it fetches axe-core@4 \
             from the npm registry) or set AXE_CORE_JS",
            path.display()
        )
    })
}

impl Browser {
    /// Runs axe-core (WCAG 2.1 A and AA) on the current page, injecting it first if needed.
    pub async fn axe(&self) -> Vec<AxeViolation> {
        let loaded = self.js("return typeof window.axe === 'object';").await;
        if loaded != Value::Bool(true) {
            // The bundle sets window.axe itself; run as a script, so the page's CSP (no inline
            // script) does not apply to it.
            let script = format!("{}\nreturn typeof window.axe;", axe_source());
            assert_eq!(
                self.js(&script).await,
                json!("object"),
                "axe-core did not load"
            );
        }
        let run = format!(
            "return window.axe.run(document, {{runOnly: {{type: 'tag', values: {}}}, \
               resultTypes: ['violations']}}) \
             .then(r => r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, \
               nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || ''))}})));",
            json!(TAGS)
        );
        serde_json::from_value(self.js(&run).await).expect("axe-core's answer")
    }

    /// Asserts that axe-core finds nothing on the current page, naming `what` and each rule.
    pub async fn assert_accessible(&self, what: &str) {
        let found = self.axe().await;
        assert!(
            found.is_empty(),
            "axe-core (WCAG 2.1 A/AA) on {what}:\n{}",
            found
                .iter()
                .map(|v| format!(
                    "- {} ({}): {}\n    {}",
                    v.id,
                    v.impact.as_deref().unwrap_or("?"),
                    v.help,
                    v.nodes.join("\n    ")
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// The night theme (the device prefers dark; the app follows it unless a theme is chosen)
    /// or the day theme.
    pub async fn theme(&self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
        )
        .await;
    }
}
