//! The registry list's keyset paging (issue 18): walking forward by "next" and back by
//! "previous" from the last page shows every matching person exactly once, in one order, with
//! the search and filters kept in every link; the count stops at 1,000 and says "more than"; a
//! cut or edited page link shows the first page with a message, never an error.

use actix_web::http::StatusCode;
use baqylau::db::schema::persons;
use diesel::prelude::*;

use crate::support::{TestApp, TestClient, signed_in};

/// The person ids a list page links to, in order.
pub fn ids_on(page: &crate::support::client::Page) -> Vec<String> {
    page.html()
        .select(&scraper::Selector::parse("td a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| h.strip_prefix("/registry/persons/"))
        .map(str::to_owned)
        .collect()
}

/// The `href` of the pager's link matching `selector`, if shown.
pub fn link(page: &crate::support::client::Page, selector: &str) -> Option<String> {
    page.html()
        .select(&scraper::Selector::parse(selector).unwrap())
        .find_map(|a| a.value().attr("href").map(str::to_owned))
}

/// Every page from `url` on, following "next" (or "previous" when `backward`), each page's ids.
pub async fn walk(client: &mut TestClient, url: &str, backward: bool) -> Vec<Vec<String>> {
    let rel = if backward {
        "a[rel=prev]"
    } else {
        "a[rel=next]"
    };
    let mut pages = Vec::new();
    let mut url = url.to_owned();
    loop {
        let page = client.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{url}");
        assert!(page.select("#bad-page-link").is_empty(), "{url}");
        pages.push(ids_on(&page));
        assert!(pages.len() < 1_000, "the walk ends");
        match link(&page, rel) {
            Some(next) => url = next,
            None => return pages,
        }
    }
}

/// The pager's text ("Showing 51–100 of 300").
fn pager_text(page: &crate::support::client::Page) -> String {
    page.select(".pager span").join(" ")
}

#[actix_web::test]
async fn walking_forward_and_back_shows_every_match_once_in_every_order() {
    let app = TestApp::office_with_crowd(170).0;
    let mut client = signed_in(&app, "prosecutor").await;
    let mut expected: Vec<String> = persons::table
        .filter(persons::status.eq("active"))
        .select(persons::id)
        .load(&mut app.conn())
        .unwrap();
    expected.sort();
    assert!(expected.len() > 150, "several pages: {}", expected.len());
    for sort in ["name", "district", "tier", "updated"] {
        let first = format!("/registry/persons?status=active&sort={sort}");
        let forward: Vec<String> = walk(&mut client, &first, false).await.concat();
        let mut seen = forward.clone();
        seen.sort();
        assert_eq!(
            seen, expected,
            "sort {sort}: each match once, going forward"
        );
        // From the last page back by "previous": the same rows in the same order.
        let last = client.get(&format!("{first}&last=1")).await;
        let back_url = link(&last, "a[rel=prev]").expect("a previous page");
        assert!(back_url.contains("status=active") && back_url.contains(&format!("sort={sort}")));
        let mut backward = walk(&mut client, &back_url, true).await;
        backward.reverse();
        backward.push(ids_on(&last));
        let backward = backward.concat();
        assert_eq!(
            backward, forward,
            "sort {sort}: backward is forward reversed"
        );
        assert!(
            link(&last, "a[rel=next]").is_none(),
            "sort {sort}: no next page"
        );
    }
}

#[actix_web::test]
async fn the_pager_numbers_rows_and_keeps_the_search_and_filters() {
    let app = TestApp::office_with_crowd(170).0;
    let mut client = signed_in(&app, "prosecutor").await;
    let total: i64 = persons::table
        .filter(persons::status.eq("active"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    let mut client_pages = Vec::new();
    let mut url = "/registry/persons?status=active&sort=tier".to_owned();
    loop {
        let page = client.get(&url).await;
        client_pages.push(pager_text(&page));
        match link(&page, "a[rel=next]") {
            Some(next) => {
                assert!(next.contains("status=active"), "{next}");
                assert!(next.contains("sort=tier"), "{next}");
                url = next;
            }
            None => break,
        }
    }
    assert!(client_pages.len() >= 2, "{total} persons are several pages");
    assert!(client_pages[0].contains("1–50"), "{}", client_pages[0]);
    assert!(client_pages[1].contains("51–100"), "{}", client_pages[1]);
    let last = client_pages.last().unwrap();
    assert!(last.contains(&format!("–{total}")), "{last}");
    // The last page, read backwards, is numbered from the exact count.
    let page = client
        .get("/registry/persons?status=active&sort=tier&last=1")
        .await;
    let text = pager_text(&page);
    assert!(text.contains(&format!("{}–{total}", total - 49)), "{text}");
    assert!(link(&page, "a[rel=next]").is_none());
    // A search is kept in the links, escaped.
    let page = client.get("/registry/persons?q=%D0%B0&sort=name").await;
    let next = link(&page, "a[rel=next]").expect("many hold the letter а");
    assert!(next.contains("q=%D0%B0"), "{next}");
}

#[actix_web::test]
async fn a_cut_or_edited_page_link_shows_the_first_page_with_a_message() {
    let app = TestApp::office_with_crowd(120).0;
    let mut client = signed_in(&app, "prosecutor").await;
    let first = ids_on(&client.get("/registry/persons?sort=name").await);
    for (sort, cursor) in [
        ("name", "garbage"),
        ("name", "%7B%22a%22%3A1%7D"),
        (
            "name",
            "%7B%22a%22%3A%22A%22%2C%22b%22%3A%22%22%2C%22id%22%3A%22x%22%2C%22n%22%3A-5%7D",
        ),
        (
            "tier",
            "%7B%22a%22%3A%229%22%2C%22b%22%3A%22%22%2C%22id%22%3A%22x%22%7D",
        ),
        (
            "updated",
            "%7B%22a%22%3A%22yesterday%22%2C%22b%22%3A%22%22%2C%22id%22%3A%22x%22%7D",
        ),
    ] {
        for param in ["after", "before"] {
            let page = client
                .get(&format!("/registry/persons?sort={sort}&{param}={cursor}"))
                .await;
            assert_eq!(page.status, StatusCode::OK, "{sort} {param}={cursor}");
            assert_eq!(page.select("#bad-page-link").len(), 1, "{param}={cursor}");
            if sort == "name" {
                assert_eq!(ids_on(&page), first, "the first page");
            }
        }
    }
    // A well-formed key past the end shows the last page; before the start, the first.
    let past = "%7B%22a%22%3A%22%EF%BF%BF%22%2C%22b%22%3A%22%22%2C%22id%22%3A%22%22%7D";
    let page = client
        .get(&format!("/registry/persons?sort=name&after={past}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let last = client.get("/registry/persons?sort=name&last=1").await;
    assert_eq!(ids_on(&page), ids_on(&last));
    assert!(!ids_on(&page).is_empty());
    let page = client
        .get("/registry/persons?sort=name&before=%7B%22a%22%3A%22%22%2C%22b%22%3A%22%22%2C%22id%22%3A%22%22%7D")
        .await;
    assert_eq!(ids_on(&page), first);
    assert!(page.select("#bad-page-link").is_empty());
}
