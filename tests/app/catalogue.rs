//! The three message catalogues hold the same keys, and every key the code and the templates use
//! (directly or as `prefix-value` of a domain word) exists.

use std::collections::BTreeSet;
use std::path::Path;

use baqylau::domain::location::DistrictKind;
use baqylau::domain::person::{PersonStatus, RiskTier, SupervisionKind};
use baqylau::domain::user::Role;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn keys(lang: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{ROOT}/i18n/{lang}/main.ftl")).unwrap();
    text.lines()
        .filter_map(|line| {
            let (key, _) = line.split_once(" =")?;
            let key = key.trim_end();
            (!key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| key.to_owned())
        })
        .collect()
}

/// Every `"..."` literal passed to `t(`, `tn(`, `ts(` in templates, and every literal that looks
/// like a message key in `src/web`.
fn used_keys() -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut files = Vec::new();
    walk(Path::new(&format!("{ROOT}/templates")), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for call in ["ctx.t(\"", "ctx.tn(\"", "ctx.ts(\""] {
            for piece in text.split(call).skip(1) {
                let key = piece.split('"').next().unwrap();
                used.insert(key.to_owned());
            }
        }
    }
    used
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_three_catalogues_hold_the_same_keys() {
    let ru = keys("ru");
    assert!(ru.len() > 100, "{} keys", ru.len());
    for lang in ["kk", "en"] {
        let other = keys(lang);
        let missing: Vec<_> = ru.difference(&other).collect();
        let extra: Vec<_> = other.difference(&ru).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}: missing {missing:?}, not in ru {extra:?}"
        );
    }
}

#[test]
fn no_catalogue_defines_a_key_twice() {
    // A key defined twice makes the catalogue loader refuse the whole language at start-up.
    for lang in ["ru", "kk", "en"] {
        let text = std::fs::read_to_string(format!("{ROOT}/i18n/{lang}/main.ftl")).unwrap();
        let mut seen = BTreeSet::new();
        for line in text.lines() {
            if let Some((key, _)) = line.split_once(" =")
                && !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                assert!(
                    seen.insert(key.to_owned()),
                    "{lang}: {key} is defined twice"
                );
            }
        }
    }
}

#[test]
fn every_key_the_templates_use_exists() {
    let ru = keys("ru");
    let used = used_keys();
    assert!(used.len() > 50);
    let missing: Vec<_> = used.difference(&ru).collect();
    assert!(
        missing.is_empty(),
        "used but not in the catalogue: {missing:?}"
    );
}

#[test]
fn every_domain_word_shown_has_a_name_in_the_catalogue() {
    let ru = keys("ru");
    let mut wanted: Vec<String> = Vec::new();
    wanted.extend(Role::ALL.iter().map(|v| format!("role-{v}")));
    wanted.extend(Role::ALL.iter().map(|v| format!("home-lead-{v}")));
    wanted.extend(RiskTier::ALL.iter().map(|v| format!("risk-tier-{v}")));
    wanted.extend(PersonStatus::ALL.iter().map(|v| format!("status-{v}")));
    wanted.extend(
        SupervisionKind::ALL
            .iter()
            .map(|v| format!("supervision-{v}")),
    );
    wanted.extend(
        DistrictKind::ALL
            .iter()
            .map(|v| format!("district-kind-{v}")),
    );
    for action in [
        "login",
        "login_failed",
        "logout",
        "read",
        "create",
        "update",
        "denied",
    ] {
        wanted.push(format!("audit-action-{action}"));
    }
    let missing: Vec<_> = wanted.iter().filter(|k| !ru.contains(*k)).collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn every_key_parses_and_resolves_in_every_language() {
    // A message Fluent cannot parse is dropped from its bundle and would show as missing.
    for (code, lang) in [
        ("ru", baqylau::i18n::Lang::Ru),
        ("kk", baqylau::i18n::Lang::Kk),
        ("en", baqylau::i18n::Lang::En),
    ] {
        // Every argument any message takes, so that selectors (plurals) resolve too.
        let args: Vec<(
            &'static str,
            fluent_templates::fluent_bundle::FluentValue<'static>,
        )> = [
            "count",
            "max",
            "allowed",
            "date",
            "district",
            "km",
            "suggested",
            "line",
            "found",
            "expected",
            "number",
            "name",
            "new",
            "changed",
            "unchanged",
            "errors",
            "login",
            "until",
            "time",
            "vertices",
            "minutes",
            "reason",
            "period",
            "years",
            "from",
            "to",
            "value",
        ]
        .into_iter()
        .map(|n| (n, fluent_templates::fluent_bundle::FluentValue::from(2)))
        .collect();
        for key in keys(code) {
            let text = lang.t_args(&key, &args);
            assert!(!text.contains('⟦'), "{code}: {key} does not resolve");
        }
    }
}

#[test]
fn a_missing_key_is_shown_as_such_not_as_an_empty_text() {
    let text = baqylau::i18n::Lang::En.t("no-such-key-anywhere");
    assert!(
        text.contains("no-such-key-anywhere") && text.contains('⟦'),
        "{text}"
    );
    assert_ne!(
        baqylau::i18n::Lang::Ru.t("nav-home"),
        baqylau::i18n::Lang::En.t("nav-home")
    );
}
