//! The layers of the crate (STYLE.md section 3, ARCHITECTURE.md) checked from the source: every
//! `crate::…` path in `src/**/*.rs` (test modules left out) must follow an arrow of [`LAYERS`],
//! and no two modules may import each other, directly or round a longer circle. A failure names
//! each offending file, line and import. And the size of a file: over [`MAX_FILE_LINES`] of code
//! (its inline test module left out) only with a `//! Long file:` line near its head saying why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each layer: its top-level modules, and the layers it may import (besides itself). Read it
/// from the bottom up: nothing imports a layer listed after it.
const LAYERS: &[(&str, &[&str], &[&str])] = &[
    // The domain's types and rules, and the optimiser: pure, nothing of ours.
    ("domain", &["domain"], &[]),
    ("routing", &["routing"], &[]),
    // Helpers with no knowledge of the domain.
    (
        "support",
        &[
            "i18n",
            "private_files",
            "telemetry",
            "clock",
            "tls",
            "digest",
        ],
        &[],
    ),
    // The pure cores.
    ("planning", &["planning"], &["routing", "domain"]),
    ("reports", &["reports"], &["domain"]),
    ("accounts", &["accounts"], &["domain"]),
    // Persistence: rows and facts, no use cases.
    ("db", &["db"], &["domain", "support"]),
    ("roads", &["roads"], &["routing", "domain", "db"]),
    ("config", &["config"], &["db", "support"]),
    // The use cases.
    (
        "services",
        &["services"],
        &[
            "db", "planning", "reports", "roads", "routing", "domain", "accounts", "config",
            "support",
        ],
    ),
    (
        "demo",
        &["demo"],
        &[
            "services", "db", "planning", "reports", "roads", "routing", "domain", "accounts",
            "support",
        ],
    ),
    // The web: its URL table, handlers and pages, with the app state and `AppError`.
    (
        "web",
        &["web", "app", "error"],
        &[
            "services", "db", "planning", "reports", "roads", "routing", "domain", "accounts",
            "config", "support",
        ],
    ),
    (
        "startup",
        &["startup"],
        &[
            "web", "services", "demo", "db", "domain", "config", "support",
        ],
    ),
    (
        "cli",
        &["cli", "main"],
        &[
            "startup", "services", "demo", "db", "roads", "routing", "reports", "domain",
            "accounts", "config", "support",
        ],
    ),
];

/// Modules only these files may import: start-up belongs to `baqylau serve` alone.
const ONLY_FROM: &[(&str, &[&str])] = &[("startup", &["src/cli/serve.rs"])];

/// One `crate::…` path found in a file.
#[derive(Debug, Clone)]
struct Import {
    /// The file, from the crate's folder (`src/web/home.rs`).
    file: String,
    /// Line, from 1.
    line: usize,
    /// The top-level module the file belongs to.
    from: String,
    /// The top-level module named.
    to: String,
    /// The circle-checked unit of the file (see [`unit`]).
    from_unit: String,
    /// The circle-checked unit named.
    to_unit: String,
    /// The path as written, for the message.
    text: String,
}

fn layer_of(module: &str) -> Option<&'static str> {
    LAYERS
        .iter()
        .find(|(_, modules, _)| modules.contains(&module))
        .map(|(layer, _, _)| *layer)
}

fn may_import(from: &str, to: &str) -> bool {
    from == to
        || LAYERS
            .iter()
            .any(|(layer, _, allowed)| *layer == from && allowed.contains(&to))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/web/reports/mod.rs` is `web::reports`, `src/main.rs` `main`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .skip(1)
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// The code of a file without comments and without its test module (which, by the crate's
/// habit, closes the file after `#[cfg(test)]`), line for line.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        // A `//` not after `:` starts a comment (`https://` does not).
        let cut = line
            .match_indices("//")
            .find(|(i, _)| !line[..*i].ends_with(':'))
            .map_or(line.len(), |(i, _)| i);
        code.push_str(&line[..cut]);
        code.push('\n');
    }
    code
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first segments named by a path's rest after `crate::`: one, or each of a `{…}` group.
fn first_segments(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    let Some(group) = rest.strip_prefix('{') else {
        return vec![identifier(rest).to_owned()];
    };
    let mut depth = 0;
    let mut items = vec![String::new()];
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => items.push(String::new()),
            _ => {}
        }
        if depth == 0
            && c != ','
            && let Some(item) = items.last_mut()
        {
            item.push(c);
        }
    }
    items
        .iter()
        .map(|i| identifier(i.trim()).to_owned())
        .filter(|i| !i.is_empty())
        .collect()
}

/// The top-level modules a file's code names, by `crate::` (`baqylau::` in `main.rs`) or by
/// enough `super::` to climb to the crate's root.
fn imports_of(file: &str, module: &[String], code: &str) -> Vec<Import> {
    let mut found = crate_imports(file, module, code);
    found.extend(super_imports(file, module, code));
    found
}

/// The top-level modules a file names by `crate::` (`baqylau::` in `main.rs`).
fn crate_imports(file: &str, module: &[String], code: &str) -> Vec<Import> {
    let from = module.first().cloned().unwrap_or_default();
    let from_unit = unit(&from, module.get(1).map(String::as_str));
    let root = if file == "src/main.rs" {
        "baqylau::"
    } else {
        "crate::"
    };
    let mut found = Vec::new();
    let line_at = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices(root) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + root.len()..];
        let is_group = rest.trim_start().starts_with('{');
        for to in first_segments(rest) {
            found.push(Import {
                file: file.to_owned(),
                line: line_at(at),
                from: from.clone(),
                from_unit: from_unit.clone(),
                to_unit: unit(&to, second_segment(rest, is_group)),
                text: if is_group {
                    format!("{root}{{{to}, …}}")
                } else {
                    format!("{root}{to}")
                },
                to,
            });
        }
    }
    found
}

/// The modules a file names by `super::` paths, resolved from the file's module: only those
/// leaving its unit count.
fn super_imports(file: &str, module: &[String], code: &str) -> Vec<Import> {
    let from = module.first().cloned().unwrap_or_default();
    let from_unit = unit(&from, module.get(1).map(String::as_str));
    let mut found = Vec::new();
    let line_at = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &code[at..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        let prefix = &module[..module.len().saturating_sub(ups)];
        let is_group = rest.trim_start().starts_with('{');
        let targets: Vec<(String, Option<String>)> = match prefix {
            [] => first_segments(rest)
                .into_iter()
                .map(|to| (to, second_segment(rest, is_group).map(str::to_owned)))
                .collect(),
            [top] => first_segments(rest)
                .into_iter()
                .map(|second| (top.clone(), Some(second)))
                .collect(),
            [top, second, ..] => vec![(top.clone(), Some(second.clone()))],
        };
        for (to, second) in targets {
            let to_unit = unit(&to, second.as_deref());
            if to_unit == from_unit {
                continue;
            }
            found.push(Import {
                file: file.to_owned(),
                line: line_at(at),
                from: from.clone(),
                from_unit: from_unit.clone(),
                to_unit,
                text: format!("{}{}", "super::".repeat(ups), identifier(rest.trim_start())),
                to,
            });
        }
    }
    found
}

fn all_imports() -> Vec<Import> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut imports = Vec::new();
    for path in files {
        let relative = path.strip_prefix(root).unwrap();
        let file = relative.to_string_lossy().replace('\\', "/");
        // Test modules in files of their own.
        if file.ends_with("/tests.rs") || file.contains("/tests/") || file == "src/lib.rs" {
            continue;
        }
        let module = module_path(relative);
        let code = code_of(&std::fs::read_to_string(&path).unwrap());
        imports.extend(imports_of(&file, &module, &code));
    }
    imports
}

/// The modules `crate::` can name: those declared in `lib.rs`.
fn top_level_modules() -> BTreeSet<String> {
    let lib = include_str!("../../src/lib.rs");
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect()
}

#[test]
fn every_module_of_the_crate_belongs_to_one_layer() {
    let mut unplaced = Vec::new();
    for module in top_level_modules() {
        let layers: Vec<_> = LAYERS
            .iter()
            .filter(|(_, modules, _)| modules.contains(&module.as_str()))
            .collect();
        if layers.len() != 1 {
            unplaced.push(format!("{module}: in {} layers", layers.len()));
        }
    }
    assert!(
        unplaced.is_empty(),
        "place each module in tests/app/architecture.rs LAYERS: {unplaced:?}"
    );
}

#[test]
fn the_layers_allow_no_circle() {
    // Layers listed later may import earlier ones only.
    for (i, (layer, _, allowed)) in LAYERS.iter().enumerate() {
        for to in *allowed {
            let j = LAYERS.iter().position(|(l, _, _)| l == to);
            assert!(
                j.is_some_and(|j| j < i),
                "{layer} may import {to}, which is not a layer listed before it"
            );
        }
    }
}

/// Every import that goes against the table, as `file:line import (from → to) [slice]`.
fn upward_imports(imports: &[Import]) -> Vec<String> {
    imports
        .iter()
        .filter_map(|i| {
            let (from, to) = (layer_of(&i.from)?, layer_of(&i.to)?);
            let reserved = ONLY_FROM.iter().any(|(m, files)| {
                *m == i.to && i.from != i.to && !files.contains(&i.file.as_str())
            });
            (!may_import(from, to) || reserved).then(|| {
                let only = if reserved {
                    " (reserved to ONLY_FROM)"
                } else {
                    ""
                };
                format!(
                    "{}:{} `{}`: {from} may not import {to}{only}",
                    i.file, i.line, i.text
                )
            })
        })
        .collect()
}

/// The units a circle is looked for between, inside one layer (between layers the table's order
/// forbids any): top-level modules, the web's own three as one, and each use case of `services`
/// apart (`services::imports` may not import `services::reports` and the other way round).
fn unit(module: &str, second: Option<&str>) -> String {
    match (layer_of(module), second) {
        (Some("web"), _) => "web".to_owned(),
        (_, Some(second)) if module == "services" && !second.is_empty() => {
            format!("services::{second}")
        }
        _ => module.to_owned(),
    }
}

/// The second segment of a simple path's rest (`services::reports::x` gives `reports`).
fn second_segment(rest: &str, is_group: bool) -> Option<&str> {
    if is_group {
        return None;
    }
    let rest = rest.trim_start();
    let after = rest[identifier(rest).len()..].strip_prefix("::")?;
    Some(identifier(after))
}

/// Circles between the units of one layer: each import whose target leads back to its file's
/// unit.
fn circles(imports: &[Import]) -> Vec<String> {
    let inside: Vec<&Import> = imports
        .iter()
        .filter(|i| i.from_unit != i.to_unit)
        .filter(|i| layer_of(&i.from).is_some() && layer_of(&i.from) == layer_of(&i.to))
        .collect();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for i in &inside {
        edges.entry(&i.from_unit).or_default().insert(&i.to_unit);
    }
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    inside
        .iter()
        .filter(|i| reaches(&i.to_unit, &i.from_unit))
        .map(|i| {
            format!(
                "{}:{} `{}`: {} -> {}, and {} leads back",
                i.file, i.line, i.text, i.from_unit, i.to_unit, i.to_unit
            )
        })
        .collect()
}

#[test]
fn no_import_runs_upward_or_round_a_circle() {
    let imports = all_imports();
    assert!(
        imports.len() > 100,
        "the scan found only {} imports",
        imports.len()
    );
    let mut offences = upward_imports(&imports);
    offences.extend(circles(&imports));
    offences.sort();
    offences.dedup();
    assert!(
        offences.is_empty(),
        "{} imports break the layers (tests/app/architecture.rs LAYERS):\n{}",
        offences.len(),
        offences.join("\n")
    );
}

#[test]
fn the_scanner_reads_groups_nested_paths_and_super() {
    let module = ["web".to_owned(), "reports".to_owned(), "crime".to_owned()];
    let code = code_of(
        "use crate::{\n    db::{self, DbConnection},\n    domain::Person,\n};\n\
         // crate::startup in a comment\n\
         let x = crate::services::reports::coverage(c);\n\
         use super::super::super::cli::Cli;\n\
         #[cfg(test)]\nmod tests { use crate::demo; }\n",
    );
    let found: Vec<(usize, String)> = imports_of("src/web/reports/crime.rs", &module, &code)
        .into_iter()
        .map(|i| (i.line, i.to))
        .collect();
    let expected = [(1, "db"), (1, "domain"), (6, "services"), (7, "cli")];
    assert_eq!(
        found,
        expected
            .iter()
            .map(|(l, m)| (*l, (*m).to_owned()))
            .collect::<Vec<_>>()
    );
    let offences = upward_imports(&imports_of("src/web/reports/crime.rs", &module, &code));
    assert_eq!(offences.len(), 1, "{offences:?}");
    assert!(
        offences[0].contains("src/web/reports/crime.rs:7"),
        "{offences:?}"
    );
}

/// Longest file of code (its inline test module left out) without a reason at its head.
const MAX_FILE_LINES: usize = 400;

/// The line saying why a file is longer, among its first [`REASON_WITHIN`] lines.
const LONG_FILE_REASON: &str = "//! Long file:";

/// How near the head the reason must be.
const REASON_WITHIN: usize = 12;

/// The lines of `text` before its test module (`#[cfg(test)]` at the start of a line), and
/// whether its head says why it is long.
fn code_lines(text: &str) -> (usize, bool) {
    let lines = text
        .lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .count();
    let reason = text
        .lines()
        .take(REASON_WITHIN)
        .any(|l| l.starts_with(LONG_FILE_REASON) && l.len() > LONG_FILE_REASON.len() + 3);
    (lines, reason)
}

/// Files of tests (`tests.rs`, `*_tests.rs`, a `tests/` folder) do not count.
fn is_test_file(file: &str) -> bool {
    file.ends_with("/tests.rs") || file.ends_with("_tests.rs") || file.contains("/tests/")
}

#[test]
fn no_file_runs_over_400_lines_of_code_without_saying_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut long = Vec::new();
    for path in files {
        let file = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if is_test_file(&file) {
            continue;
        }
        let (lines, reason) = code_lines(&std::fs::read_to_string(&path).unwrap());
        if lines > MAX_FILE_LINES && !reason {
            long.push(format!("{file}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "split these files, or say why at their head (`{LONG_FILE_REASON} …` in the first \
         {REASON_WITHIN} lines): {long:#?}"
    );
}

#[test]
fn the_size_check_leaves_out_the_test_module_and_reads_the_reason() {
    let code = "//! A module.\n".to_owned() + &"fn f() {}\n".repeat(3);
    let tests = "#[cfg(test)]\nmod tests {\n}\n";
    assert_eq!(code_lines(&(code.clone() + tests)), (4, false));
    let reason = "//! Long file: the table is the content.\n".to_owned() + &code;
    assert_eq!(code_lines(&reason), (5, true));
    let bare = "//! Long file:\n".to_owned() + &code;
    assert!(!code_lines(&bare).1, "a reason says why");
    assert!(is_test_file("src/routing/solver/asymmetric_tests.rs"));
    assert!(is_test_file("src/reports/coverage/tests.rs"));
    assert!(!is_test_file("src/reports/crime_trends.rs"));
}
