//! Browser cases: an owner's portal, its notifications and a document the bureau issued it;
//! nothing of another owner is reachable.
use crate::common::{TestApp, api};
use crate::harness::Browser;

/// The first filing of the owner's in `state`, through the API.
async fn filing_in(app: &TestApp, token: &str, state: &str) -> Option<i64> {
    let page: api::Page<api::Filing> = app
        .get_ok(&format!("/api/v1/filings?state={state}&per_page=1"), token)
        .await;
    page.items.first().map(|f| f.id)
}

/// An in-app notice to `user`, written as the outbox writes them.
async fn notify(app: &TestApp, user: i64, subject: &str, link: &str) -> i64 {
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    entity::notification::ActiveModel {
        idempotency_key: Set(format!("browser-portal-{user}-{subject}")),
        user_id: Set(Some(user)),
        email: Set(None),
        template: Set("filing_approved".into()),
        subject: Set(subject.into()),
        body_text: Set(format!("{subject}。\n请登录查看批复文书。")),
        body_html: Set(format!("<p>{subject}</p>")),
        link: Set(Some(link.into())),
        entity: Set(Some("filing".into())),
        entity_id: Set(None),
        status: Set(entity::notification::Status::Skipped),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        read_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("a notification")
    .id
}

async fn owner_sees_its_portal_and_documents_and_nothing_else(app: TestApp) {
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    let owner = app.login("owner1").await;
    let other = app.login("owner2").await;
    let mine: api::ProjectPage = app.get_ok("/api/v1/projects?per_page=20", &owner).await;
    let theirs: api::ProjectPage = app.get_ok("/api/v1/projects?per_page=1", &other).await;

    b.sign_in("owner1").await;
    assert!(
        b.path().await.starts_with("/portal"),
        "an owner lands on the portal"
    );
    let total = b.attr("[data-total]", "data-total").await;
    assert_eq!(total, Some(mine.total.to_string()), "the API's total");
    let mut ids = Vec::new();
    for row in b.find_all("tr[data-project-id]").await {
        let id = row.attr("data-project-id").await.expect("attribute");
        ids.push(id.and_then(|v| v.parse::<i64>().ok()).expect("an id"));
    }
    assert_eq!(ids, mine.ids(), "the same projects as the API, in order");
    assert!(!ids.contains(&theirs.items[0].id));
    assert!(
        !b.find_all("ol.stages li.current").await.is_empty(),
        "stages shown"
    );
    b.check_page("owner-portal").await;

    // An issued document of its own, from the portal's link.
    let approved = filing_in(&app, &owner, "approved")
        .await
        .expect("an approved filing");
    let href = format!("/filings/{approved}/documents/decision");
    b.click(&format!("a[href='{href}']")).await;
    b.wait_path(&href).await;
    assert!(b.text(".document h1").await.contains("批复"));
    assert!(b.text(".document").await.contains("行政复议"));
    assert!(!b.find_all("[data-print]").await.is_empty());
    b.check_page("owner-document").await;

    // Another owner's project and document: the 404 page.
    b.goto(&format!("/projects/{}", theirs.items[0].id)).await;
    b.wait_path("/projects/").await;
    assert!(
        b.text("h1").await.contains("页面不存在"),
        "{}",
        b.text("main").await
    );
    let their_filing = filing_in(&app, &other, "approved")
        .await
        .or(filing_in(&app, &other, "accepted").await)
        .expect("a filing of owner2");
    b.goto(&format!("/filings/{their_filing}/documents/decision"))
        .await;
    b.wait_path("/filings/").await;
    assert!(b.text("h1").await.contains("页面不存在"));

    // A notice about its approval, as the service writes one (absolute link, shown in-app).
    let me: api::Me = app.get_ok("/api/v1/auth/me", &owner).await;
    let link = format!("{}/filings/{approved}", app.settings.server.public_url);
    let notice = notify(&app, me.id, "环评批复已作出", &link).await;
    b.goto("/notifications").await;
    b.wait_path("/notifications").await;
    assert_eq!(b.text("h1").await, "消息通知");
    let item = format!("li[data-notification-id='{notice}']");
    assert!(b.text(&item).await.contains("未读"));
    assert_eq!(
        b.attr(&format!("{item} h2 a"), "href").await.as_deref(),
        Some(format!("/filings/{approved}").as_str()),
        "the link, as a path on this service"
    );
    b.check_page("owner-notifications").await;
    b.click(&format!("{item} form button")).await;
    b.wait_path("/notifications?page=1").await;
    assert!(b.text(".flash").await.contains("已标记为已读"));
    assert!(b.text(&item).await.contains("已读"));
    assert!(b.find_all(&format!("{item} form")).await.is_empty());
    b.close().await;
}

crate::on_both_backends!(demo; owner_sees_its_portal_and_documents_and_nothing_else);
