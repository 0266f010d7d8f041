//! The web interface's page paths, one per resource, settled here so that a mail, an in-app
//! notice and a page all link to the same place. The README lists them.
use chrono::NaiveDate;

/// A page of the web interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `/` — home: sign-in for visitors, each role's start page for users.
    Home,
    /// `/projects` — the ledger (台账).
    Ledger,
    /// `/projects/{id}`
    Project(i64),
    /// `/filings` — the work queue.
    WorkQueue,
    /// `/filings/{id}` — a filing with its clock, history, documents and actions.
    Filing(i64),
    /// `/service-sheets/{id}` — a point-to-point service sheet (服务单).
    ServiceSheet(i64),
    /// `/dashboard` — the leadership dashboard, on a date or today.
    Reports { as_of: Option<NaiveDate> },
    /// `/reports/monthly?month=YYYY-MM` — the province's monthly report of a month.
    MonthlyReport { month: NaiveDate },
    /// `/notifications` — one's own notices.
    Notifications,
    /// `/public/notices` — the public register (公示公告), no sign-in.
    PublicNotices,
}

impl Page {
    /// Every kind of page, for the README's list and its test.
    pub const EXAMPLES: [Page; 10] = [
        Page::Home,
        Page::Ledger,
        Page::Project(1),
        Page::WorkQueue,
        Page::Filing(1),
        Page::ServiceSheet(1),
        Page::Reports { as_of: None },
        Page::MonthlyReport {
            month: NaiveDate::from_ymd_opt(2023, 6, 1).expect("a date"),
        },
        Page::Notifications,
        Page::PublicNotices,
    ];

    /// The path on the server, with its query.
    pub fn path(&self) -> String {
        match self {
            Page::Home => "/".into(),
            Page::Ledger => "/projects".into(),
            Page::Project(id) => format!("/projects/{id}"),
            Page::WorkQueue => "/filings".into(),
            Page::Filing(id) => format!("/filings/{id}"),
            Page::ServiceSheet(id) => format!("/service-sheets/{id}"),
            Page::Reports { as_of: None } => "/dashboard".into(),
            Page::Reports { as_of: Some(day) } => format!("/dashboard?as_of={day}"),
            Page::MonthlyReport { month } => {
                format!("/reports/monthly?month={}", month.format("%Y-%m"))
            }
            Page::Notifications => "/notifications".into(),
            Page::PublicNotices => "/public/notices".into(),
        }
    }
}

/// Absolute links under the service's public address (`server.public_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn new(public_url: &str) -> Links {
        Links {
            base: public_url.trim_end_matches('/').to_owned(),
        }
    }

    pub fn url(&self, page: Page) -> String {
        format!("{}{}", self.base, page.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_the_public_address_and_the_page_path() {
        let links = Links::new("https://eia.example.cn/");
        assert_eq!(
            links.url(Page::Filing(7)),
            "https://eia.example.cn/filings/7"
        );
        assert_eq!(
            links.url(Page::Reports {
                as_of: NaiveDate::from_ymd_opt(2023, 6, 30)
            }),
            "https://eia.example.cn/dashboard?as_of=2023-06-30"
        );
        assert_eq!(links.url(Page::Home), "https://eia.example.cn/");
    }

    #[test]
    fn no_page_path_is_under_the_api() {
        for page in Page::EXAMPLES {
            let path = page.path();
            assert!(
                path.starts_with('/') && !path.starts_with("/api/"),
                "{path}"
            );
        }
    }
}
