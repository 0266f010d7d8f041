//! Browser cases: the ledger with its filters, sort and pages, a project page, the work queue
//! and a service sheet as an officer; the ledger as a leader.
use std::time::{Duration, Instant};

use crate::common::TestApp;
use crate::harness::Browser;

/// Waits until the browser's address contains `part` (after an auto-submitting filter).
async fn wait_for(b: &Browser, part: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !b.path().await.contains(part) {
        assert!(
            Instant::now() < deadline,
            "never reached a page with {part}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    b.wait_path("/").await;
}

async fn total(b: &Browser) -> u64 {
    b.attr("[data-total]", "data-total")
        .await
        .expect("data-total")
        .parse()
        .expect("a number")
}

async fn officer_works_through_the_ledger(app: TestApp) {
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    b.sign_in("officer1").await;
    b.goto("/projects").await;
    b.wait_path("/projects").await;
    assert_eq!(total(&b).await, 239);
    b.check_page("officer-ledger").await;

    // A county filter applies on change: fewer projects, every row of that county.
    b.select("#f-county", "611024").await;
    wait_for(&b, "county=611024").await;
    let in_county = total(&b).await;
    assert!(in_county > 0 && in_county < 239, "{in_county}");
    let counties = b.find_all("tr[data-project-id] td[data-county]").await;
    assert_eq!(counties.len() as u64, in_county.min(50));
    for cell in counties {
        assert_eq!(cell.text().await.unwrap(), "山阳县");
    }

    // Sorted by name in pinyin order, the whole ledger again, then page 2.
    b.select("#f-county", "").await;
    wait_for(&b, "county=&").await;
    b.select("#f-sort", "name").await;
    wait_for(&b, "sort=name").await;
    assert_eq!(total(&b).await, 239);
    let first_page = b.text("tr[data-project-id] a").await;
    b.click(".pager a[aria-label='第2页']").await;
    wait_for(&b, "page=2").await;
    assert!(
        b.path().await.contains("sort=name"),
        "the sort kept across pages"
    );
    assert_eq!(b.find_all("tr[data-project-id]").await.len(), 50);
    assert_ne!(b.text("tr[data-project-id] a").await, first_page);

    // A project's page.
    b.click("tr[data-project-id] a").await;
    b.wait_path("/projects/").await;
    assert!(b.text("h1").await.len() > 1);
    b.check_page("officer-project").await;

    // The work queue.
    b.goto("/filings").await;
    b.wait_path("/filings").await;
    assert!(
        b.text("nav.tabs [aria-current=page]")
            .await
            .contains("我的待办")
    );
    b.check_page("officer-queue").await;

    // A service sheet.
    b.goto("/service-sheets").await;
    b.wait_path("/service-sheets").await;
    assert_eq!(total(&b).await, 59);
    b.click("tr[data-sheet-id] a").await;
    b.wait_path("/service-sheets/").await;
    assert!(b.text("h1").await.starts_with("服务单"));
    b.check_page("officer-sheet").await;

    // A leader reads the ledger.
    b.sign_out().await;
    b.sign_in("leader").await;
    b.goto("/projects").await;
    b.wait_path("/projects").await;
    assert_eq!(total(&b).await, 239);
    b.check_page("leader-ledger").await;
    b.close().await;
}

crate::on_both_backends!(demo; officer_works_through_the_ledger);
