//! One type per message a person receives. A service fills a message with plain data (names,
//! dates, ids) and hands it to the outbox with its recipients; the words come from the
//! message's template files under `templates/mail/<TEMPLATE>/` and are filled in here, nowhere
//! else. Nothing here reads the database.
mod filing;
mod reports;
mod service;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use filing::{
    CorrectionRequested, DeadlineApproaching, Decision, FilingAccepted, FilingDecided,
    FilingRefused, FilingSubmitted,
};
pub use reports::{Figures, LeaderDigest, ProvinceMonthlyReport};
pub use service::{
    ServiceItemDue, ServiceItemSupervised, ServiceItemUrged, SheetReassigned, SheetReopened,
    SheetsReassigned,
};

use super::templates::{self, Rendered, TemplateError};
use crate::links::{Links, Page};

/// The values a template reads, by placeholder name.
pub type Vars = BTreeMap<&'static str, String>;

/// What every message is written with besides its own content.
#[derive(Debug, Clone)]
pub struct Letterhead {
    /// 商洛市生态环境局, who signs every mail.
    pub bureau: String,
    pub links: Links,
}

pub trait Message {
    /// The folder of its templates; also stored with each notification.
    const TEMPLATE: &'static str;

    /// The page the message is about, linked from the mail and the in-app notice.
    fn page(&self) -> Option<Page>;

    /// The values its template reads; the recipient's name, the bureau and the link are added
    /// by [`compose`].
    fn vars(&self) -> Vars;
}

/// The message in words, addressed to one recipient.
pub fn compose<M: Message>(
    message: &M,
    head: &Letterhead,
    recipient_name: &str,
) -> Result<Rendered, TemplateError> {
    let mut vars = message.vars();
    vars.insert("recipient_name", recipient_name.to_owned());
    vars.insert("bureau", head.bureau.clone());
    if let Some(page) = message.page() {
        vars.insert("link", head.links.url(page));
    }
    templates::render(M::TEMPLATE, &vars)
}

/// The link a message carries, for the notification row.
pub fn link<M: Message>(message: &M, head: &Letterhead) -> Option<String> {
    message.page().map(|page| head.links.url(page))
}

/// A deadline as a mail states it: the date from the filing's clock, or, when the working-day
/// calendar does not reach that far yet, the rule it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(NaiveDate),
    /// `days` after `after` (收到申请 / 受理), counted in working days or calendar days.
    Within {
        after: &'static str,
        days: u32,
        working_days: bool,
    },
}

impl Due {
    fn text(self) -> String {
        match self {
            Due::On(day) => day.to_string(),
            Due::Within {
                after,
                days,
                working_days: true,
            } => format!("{after}后{days}个工作日内"),
            Due::Within {
                after,
                days,
                working_days: false,
            } => format!("{after}后{days}日内"),
        }
    }
}

/// A rate as a percentage with two decimals (0.9684 → 96.84%), or a dash when nothing is due.
fn percent(rate: Option<Decimal>) -> String {
    rate.map(|r| format!("{}%", (r * Decimal::from(100)).round_dp(2)))
        .unwrap_or_else(|| "—".into())
}

/// Lines of a list, or 无 when there are none.
fn lines_or_none(lines: impl IntoIterator<Item = String>) -> String {
    let lines: Vec<String> = lines.into_iter().collect();
    if lines.is_empty() {
        "无".to_owned()
    } else {
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests;
