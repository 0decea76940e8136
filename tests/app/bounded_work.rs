//! Bounded work: a prosecutor posting the new-plan form again and again gets one plan being made
//! and a "busy" page naming it; the server makes at most `max_plan_jobs` at once; and a report
//! over more than `max_report_years` is refused with a message on the page and on the command
//! line, instead of being read for minutes.

use std::time::Duration;

use actix_web::http::StatusCode;
use baqylau::db::schema::users;
use baqylau::domain::UserId;
use baqylau::web::planning::forms::NewPlan;
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, TestClient, signed_in_english};

fn tomorrow() -> String {
    (chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive()
        + chrono::Duration::days(1))
    .to_string()
}

/// The office with 20 persons in a database made with settings changed for the test.
fn office_with(change: impl FnOnce(&mut baqylau::config::Settings)) -> TestApp {
    let app = TestApp::with_settings(change);
    let office = app.fill_office();
    app.add_crowd(&office, 20, 1);
    app
}

async fn new_plan(client: &mut TestClient) -> crate::support::client::Page {
    client
        .post_form("/planning/plans", &[("from", &tomorrow()), ("days", "1")])
        .await
}

/// Follows a job's progress page until the plan is stored (a minute at most).
async fn wait_for(client: &mut TestClient, job: &str) {
    for _ in 0..600 {
        if client.get(job).await.status != StatusCode::OK {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{job} never finished");
}

#[actix_web::test]
async fn a_prosecutor_posting_the_plan_form_again_gets_a_busy_page_naming_the_plan_being_made() {
    let app = office_with(|_| {});
    let mut client = signed_in_english(&app, "prosecutor").await;
    let first = new_plan(&mut client).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let job = first.location();
    for refused in 0..5 {
        let again = new_plan(&mut client).await;
        if again.status == StatusCode::SEE_OTHER && refused > 0 {
            // The first plan (1.5 s of optimising) was made meanwhile on a loaded machine: a
            // new one may start then, and only then.
            assert_ne!(
                client.get(&job).await.status,
                StatusCode::OK,
                "{job} is made"
            );
            wait_for(&mut client, &again.location()).await;
            break;
        }
        assert_eq!(
            again.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            again.body
        );
        assert_eq!(again.header("retry-after"), "5");
        let message = again.select("#plan-busy").join(" ");
        assert!(message.contains("is still being made"), "{message}");
        let html = again.html();
        let link = html
            .select(&scraper::Selector::parse("#plan-busy-job").unwrap())
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_default()
            .to_owned();
        assert_eq!(link, job, "the link leads to the plan being made");
    }
    wait_for(&mut client, &job).await;
    let next = new_plan(&mut client).await;
    assert_eq!(
        next.status,
        StatusCode::SEE_OTHER,
        "once ready, the next one starts"
    );
    wait_for(&mut client, &next.location()).await;
}

#[actix_web::test]
async fn the_server_makes_at_most_max_plan_jobs_at_once() {
    let app = office_with(|s| s.max_plan_jobs = 2);
    let limit = Duration::from_secs(2);
    // Two plans of two other users are being made (by any server of the fleet: the count is
    // in the database).
    let mut conn = app.state.pool.get().unwrap();
    let others: Vec<String> = users::table
        .filter(users::login.ne("prosecutor"))
        .order(users::login)
        .select(users::id)
        .limit(2)
        .load(&mut conn)
        .unwrap();
    let plan = NewPlan {
        from: chrono::Utc::now().date_naive(),
        days: 1,
        group_ids: Vec::new(),
    };
    for (job, owner) in ["job-a", "job-b"].into_iter().zip(&others) {
        app.state
            .plan_jobs
            .try_start(
                &mut conn,
                job,
                &UserId::from(owner.clone()),
                &plan,
                limit,
                2,
            )
            .unwrap()
            .unwrap();
    }
    let mut client = signed_in_english(&app, "prosecutor").await;
    let busy = new_plan(&mut client).await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    let message = busy.select("#plan-busy").join(" ");
    assert!(
        message.contains("2 plans") && message.contains("max_plan_jobs"),
        "{message}"
    );
    assert!(
        busy.select("#plan-busy-job").is_empty(),
        "others' plans are not linked"
    );
    baqylau::db::plan_jobs::finish(
        &mut conn,
        "job-a",
        Err("plan-error-failed"),
        baqylau::db::now_utc(),
    )
    .unwrap();
    let started = new_plan(&mut client).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    wait_for(&mut client, &started.location()).await;
}

#[actix_web::test]
async fn a_report_over_more_than_five_years_is_refused_on_its_page() {
    let (app, _) = TestApp::office();
    let mut client = signed_in_english(&app, "supervisor").await;
    let eight_years = "from=2018-01-01&to=2025-12-31";
    for report in [
        "/reports/coverage",
        "/reports/groups",
        "/reports/crime",
        "/reports/coverage-vs-crime",
    ] {
        for format in ["", "&format=csv"] {
            let answer = client.get(&format!("{report}?{eight_years}{format}")).await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{report}{format}: {}",
                answer.body
            );
            let message = answer.select("#report-too-long").join(" ");
            assert!(
                message.contains("at most 5 years") && message.contains("2018"),
                "{report}: {message}"
            );
            assert_eq!(answer.select("#report-back").len(), 1);
        }
        let five = client
            .get(&format!("{report}?from=2021-01-01&to=2025-12-31"))
            .await;
        assert_eq!(
            five.status,
            StatusCode::OK,
            "{report}: five years are allowed"
        );
    }
    let against = client
        .get("/reports/crime?from=2025-01-01&to=2025-12-31&against=2010-01-01..2024-12-31")
        .await;
    assert_eq!(
        against.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the comparison too"
    );
    let mut russian = app.client().await;
    russian.sign_in("supervisor", PASSWORD).await;
    russian
        .post_form("/preferences", &[("lang", "ru"), ("next", "/")])
        .await;
    let answer = russian
        .get(&format!("/reports/coverage?{eight_years}"))
        .await;
    let message = answer.select("#report-too-long").join(" ");
    assert!(message.contains("не более 5 лет"), "{message}");
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one refusal per report subcommand, listed one after the other"
)]
fn the_report_command_refuses_a_period_over_max_report_years() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(crate::cli::baqylau(d, &["migrate"], "").status.success());
    let run = |args: &[&str]| crate::cli::baqylau(d, args, "");
    for args in [
        &[
            "report",
            "coverage",
            "--from",
            "2015-01-01",
            "--to",
            "2025-12-31",
        ][..],
        &[
            "report",
            "groups",
            "--from",
            "2015-01-01",
            "--to",
            "2025-12-31",
        ],
        &[
            "report",
            "coverage-vs-crime",
            "--from",
            "2015-01-01",
            "--to",
            "2025-12-31",
        ],
        &[
            "report",
            "crime-trends",
            "--from",
            "2015-01-01",
            "--to",
            "2025-12-31",
        ],
        &[
            "report",
            "crime-trends",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--against",
            "2010-01-01..2024-12-31",
        ],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("at most 5 year") && err.contains("max_report_years"),
            "{args:?}: {err}"
        );
    }
    let out = run(&[
        "report",
        "groups",
        "--from",
        "2021-01-01",
        "--to",
        "2025-12-31",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[actix_web::test]
async fn a_plan_whose_server_died_is_shown_as_failed_with_start_again_never_a_404() {
    let app = office_with(|_| {});
    let mut conn = app.state.pool.get().unwrap();
    let prosecutor: String = users::table
        .filter(users::login.eq("prosecutor"))
        .select(users::id)
        .first(&mut conn)
        .unwrap();
    // A job another server began two minutes ago and stopped beating (it was killed).
    let long_ago = baqylau::db::now_utc() - chrono::TimeDelta::minutes(2);
    let from = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    baqylau::db::plan_jobs::insert(
        &mut conn,
        &baqylau::db::plan_jobs::PlanJobRow {
            id: "killed-job".into(),
            owner_id: prosecutor,
            from_date: from,
            days: 2,
            group_ids: String::new(),
            status: "running".into(),
            phase: "optimising".into(),
            phase_started_at: long_ago,
            time_limit_ms: 2_000,
            started_at: long_ago,
            heartbeat_at: long_ago,
            finished_at: None,
            server: "another-server:4242:abcdef".into(),
            plan_id: None,
            error: None,
        },
    )
    .unwrap();
    let mut client = signed_in_english(&app, "prosecutor").await;
    let page = client.get("/planning/jobs/killed-job").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let error = page.select("#plan-error").join(" ");
    assert!(
        !error.is_empty(),
        "the page says the plan failed: {}",
        page.body
    );
    let status = client.get("/planning/jobs/killed-job?format=json").await;
    assert!(status.body.contains("\"failed\""), "{}", status.body);
    // The start-again form carries the job's period, and it starts a new job at once (the dead
    // job does not count against the limits).
    let html = page.html();
    let value = |name: &str| {
        html.select(
            &scraper::Selector::parse(&format!("#restart-form input[name={name}]")).unwrap(),
        )
        .next()
        .and_then(|i| i.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
    };
    assert_eq!(value("from"), from.to_string());
    assert_eq!(value("days"), "2");
    let again = client
        .post_form(
            "/planning/plans",
            &[("from", &value("from")), ("days", &value("days"))],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    wait_for(&mut client, &again.location()).await;
    // A job that never was is a 404 as before.
    assert_eq!(
        client.get("/planning/jobs/no-such-job").await.status,
        StatusCode::NOT_FOUND
    );
}
