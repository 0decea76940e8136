//! Random field values at every form (DESIGN.md section 6: bad input never gives a 500). The
//! forms are found, not listed: every page of the access table is opened by a role that may, its
//! `POST` forms are read (action, fields, options) and each is sent again and again with a random
//! mix of the page's own values and hostile ones: empty, huge, control characters, scripts,
//! numbers out of range, impossible dates, wrong IINs. A seeded generator makes a failure
//! reproducible (`FORM_FUZZ_SEED`, `FORM_FUZZ_ROUNDS`).

use actix_web::http::Method;
use rand::{Rng as _, SeedableRng as _};

use crate::routes::{ANONYMOUS, Fixture, signed_in, table};
use crate::support::TestApp;

/// Values that break naive parsers.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "-999999999999",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "0.000000001",
    "3.5",
    "200",
    "-91",
    "181",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "31.12.1899",
    "9999-12-31",
    "25:61",
    "23:59-00:00",
    "000000000000",
    "910617350013",
    "12345678901",
    "абв",
    "Қ",
    "<script>alert(1)</script>",
    "'; DROP TABLE persons; --",
    "\u{0}",
    "\u{202e}abc",
    "%00",
    "../../etc/passwd",
    "true",
    "null",
    "[]",
    "{\"a\":1}",
];

/// A form of a page: where it posts and its fields with the page's values and options.
struct Form {
    action: String,
    fields: Vec<(String, Vec<String>)>,
}

fn forms_of(html: &str) -> Vec<Form> {
    let doc = scraper::Html::parse_document(html);
    let form_sel = scraper::Selector::parse(r#"form[method="post"]"#).unwrap();
    let field_sel = scraper::Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let option_sel = scraper::Selector::parse("option").unwrap();
    let mut forms = Vec::new();
    for form in doc.select(&form_sel) {
        if form
            .value()
            .attr("enctype")
            .is_some_and(|e| e.contains("multipart"))
        {
            continue; // uploads: the import tests throw broken files at them
        }
        let action = form.value().attr("action").unwrap_or("").to_owned();
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        for field in form.select(&field_sel) {
            let name = field.value().attr("name").unwrap().to_owned();
            let mut values: Vec<String> = field
                .select(&option_sel)
                .map(|o| {
                    o.value()
                        .attr("value")
                        .map(str::to_owned)
                        .unwrap_or_else(|| o.text().collect())
                })
                .collect();
            if let Some(value) = field.value().attr("value") {
                values.push(value.to_owned());
            }
            values.push(field.text().collect());
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some((_, known)) => known.extend(values),
                None => fields.push((name, values)),
            }
        }
        forms.push(Form { action, fields });
    }
    forms
}

fn random_value(rng: &mut rand_pcg::Pcg64, page_values: &[String]) -> String {
    match rng.random_range(0..10) {
        0..=3 if !page_values.is_empty() => {
            page_values[rng.random_range(0..page_values.len())].clone()
        }
        4 => {
            let len = rng.random_range(1..5000);
            (0..len)
                .map(|_| char::from_u32(rng.random_range(1..0x3000)).unwrap_or('x'))
                // Not the brackets that mark a missing translation: the page may echo them.
                .map(|c| if matches!(c, '⟦' | '⟧') { 'x' } else { c })
                .collect()
        }
        5 => rng.random_range(-1_000_000i64..1_000_000).to_string(),
        _ => HOSTILE[rng.random_range(0..HOSTILE.len())].to_owned(),
    }
}

#[actix_web::test]
async fn random_values_in_every_form_never_give_a_server_error() {
    let rounds: usize = std::env::var("FORM_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(8);
    let seed: u64 = std::env::var("FORM_FUZZ_SEED")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(8);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let (app, office) = TestApp::office();
    let fx = Fixture::new(&app, &office);
    let mut tried = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for row in table().into_iter().filter(|r| r.method == Method::GET) {
        let login = *row.allowed.iter().find(|l| **l != ANONYMOUS).unwrap();
        let mut client = signed_in(&app, login).await;
        let page = client.get(&fx.path(row.pattern, &fx.own)).await;
        for form in forms_of(&page.body) {
            // Signing in and out is the sign-in tests' business, and would end this session.
            if form.action.is_empty()
                || form.action.starts_with("/login")
                || form.action == "/logout"
                || !tried.insert((login, form.action.clone()))
            {
                continue;
            }
            for round in 0..rounds {
                let token = client.csrf_token().await;
                let mut values: Vec<(String, String)> = Vec::new();
                for (name, page_values) in &form.fields {
                    // Sometimes a field is left out altogether.
                    if name != "csrf_token" && rng.random_bool(0.9) {
                        values.push((name.clone(), random_value(&mut rng, page_values)));
                    }
                }
                let mut fields: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
                fields.extend(values.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                let answer = client.post_form_raw(&form.action, &fields).await;
                if answer.status.is_server_error() || answer.body.contains('⟦') {
                    failures.push(format!(
                        "{login} POST {} round {round} (seed {seed}): {} {:?}",
                        form.action,
                        answer.status,
                        values
                            .iter()
                            .map(|(n, v)| format!("{n}={}", v.chars().take(40).collect::<String>()))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(tried.len() >= 10, "forms found: {tried:?}");
    assert!(
        failures.is_empty(),
        "server errors:\n{}",
        failures.join("\n")
    );
}
