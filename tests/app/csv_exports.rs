//! The persons' and offences' exports and the `report` command write CSV by the report
//! downloads' rule (issue 16, item 12): semicolons and decimal commas for Russian and Kazakh,
//! commas for English, the other dialect a click (`?dialect=`) or a flag (`--dialect`) away; the
//! importers read both dialects back unchanged.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{PASSWORD, TestApp, csv_rows, signed_in_english};

const BIN: &str = env!("CARGO_BIN_EXE_baqylau");

fn header(body: &str) -> &str {
    body.trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default()
}

/// The latitudes of the homes in a persons' export, as written.
fn home_lats(body: &str) -> Vec<String> {
    let rows = csv_rows(body);
    let names: Vec<&str> = header(body).split([',', ';']).collect();
    let at = names.iter().position(|n| *n == "home_lat").unwrap();
    rows.iter()
        .map(|r| r[at].clone())
        .filter(|c| !c.is_empty())
        .collect()
}

#[actix_web::test]
async fn the_persons_export_follows_the_language_and_both_dialects_import_unchanged() {
    let app = TestApp::office_with_crowd(30).0;
    let mut ru = app.client().await;
    ru.sign_in("prosecutor", PASSWORD).await;
    ru.post_form("/preferences", &[("lang", "ru"), ("next", "/")])
        .await;
    let list = ru.get("/registry/persons").await;
    let other = list.select("#export-csv-other");
    assert_eq!(other.len(), 1, "the comma dialect a click away");
    assert!(list.body.contains("dialect=comma"), "{}", list.body);
    let semicolon = ru.get("/registry/export").await;
    assert_eq!(semicolon.status, 200);
    assert!(header(&semicolon.body).starts_with("iin;last_name;first_name;"));
    let lats = home_lats(&semicolon.body);
    assert!(
        !lats.is_empty() && lats.iter().all(|l| l.contains(',') && !l.contains('.')),
        "decimal commas: {lats:?}"
    );
    let comma = ru.get("/registry/export?dialect=comma").await;
    assert!(header(&comma.body).starts_with("iin,last_name,first_name,"));
    assert!(home_lats(&comma.body).iter().all(|l| l.contains('.')));

    let mut en = signed_in_english(&app, "prosecutor").await;
    let english = en.get("/registry/export").await;
    assert!(header(&english.body).starts_with("iin,last_name,"));
    let asked = en.get("/registry/export?dialect=semicolon").await;
    assert!(header(&asked.body).starts_with("iin;last_name;"));
    for (name, file) in [("semicolon", &semicolon.body), ("comma", &comma.body)] {
        let checked = en
            .post_file("/registry/import/check", "p.csv", file.as_bytes())
            .await;
        assert_eq!(checked.status, 200, "{name}: {}", checked.body);
        let counts = checked.select("#import-counts");
        assert!(
            counts.first().is_some_and(|c| c.contains("30 unchanged")),
            "the {name} dialect imports back unchanged: {counts:?}"
        );
    }
}

/// Runs the binary in `dir` (a SQLite database there) with the shell's locale `lang`.
fn baqylau(dir: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("BAQYLAU_CONFIG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .env(
            "BAQYLAU_DATABASE_URL",
            format!("sqlite://{}", dir.join("b.db").display()),
        )
        .env("BAQYLAU_LOG", "warn")
        .env("BAQYLAU_DEMO_HISTORY", "false")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_command_line_writes_the_locales_dialect_and_imports_both() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    stdout(&baqylau(d, "C.UTF-8", &["demo-data", "--persons", "30"]));
    let ru = "ru_RU.UTF-8";
    let persons = stdout(&baqylau(d, ru, &["export", "persons", "-"]));
    assert!(header(&persons).starts_with("iin;last_name;"), "{persons}");
    assert!(home_lats(&persons).iter().all(|l| l.contains(',')));
    let comma = stdout(&baqylau(
        d,
        ru,
        &["export", "--dialect", "comma", "persons", "-"],
    ));
    assert!(header(&comma).starts_with("iin,last_name,"));
    let english = stdout(&baqylau(d, "en_GB.UTF-8", &["export", "persons", "-"]));
    assert_eq!(english, comma, "English is the comma dialect");
    for (name, file) in [("semicolon", &persons), ("comma", &comma)] {
        let path = d.join(format!("{name}.csv"));
        std::fs::write(&path, file).unwrap();
        let out = stdout(&baqylau(
            d,
            "C",
            &["import", "persons", path.to_str().unwrap()],
        ));
        assert!(
            out.contains("0 new, 0 changed, 30 unchanged, 0 errors"),
            "{name}: {out}"
        );
    }
    let offences = stdout(&baqylau(d, "kk_KZ.UTF-8", &["export", "offences", "-"]));
    assert!(
        header(&offences).starts_with("id;offence_date;"),
        "{offences}"
    );
    let path = d.join("offences.csv");
    std::fs::write(&path, &offences).unwrap();
    let out = stdout(&baqylau(
        d,
        "C",
        &["import", "offences", path.to_str().unwrap()],
    ));
    assert!(out.contains("0 new, 0 changed"), "{out}");

    let period = ["--from", "2025-01-01", "--to", "2025-03-31"];
    let report = |lang: &str, extra: &[&str]| {
        let args = [&["report"], extra, &["groups"], &period[..]].concat();
        stdout(&baqylau(d, lang, &args))
    };
    let groups = report(ru, &[]);
    assert!(
        header(&groups).starts_with("group;planned;") && header(&groups).contains("distance_км"),
        "{}",
        header(&groups)
    );
    let groups = report(ru, &["--dialect", "comma"]);
    assert!(header(&groups).starts_with("group,planned,"));
    let groups = report("en_US.UTF-8", &[]);
    assert!(
        header(&groups).contains("distance_km,"),
        "{}",
        header(&groups)
    );
}
