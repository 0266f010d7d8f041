//! One type per message a person receives. A service fills a message with plain data (names,
//! dates, ids) and hands it to the outbox with its recipients; the words come from the
//! message's template files under `templates/mail/<TEMPLATE>/` and are filled in here, nowhere
//! else. Nothing here reads the database.
mod calendar;
mod filing;
mod handling;
mod reports;
mod service;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use calendar::CalendarYearMissing;
pub use filing::{
    CorrectionRequested, DeadlineApproaching, Decision, FilingAccepted, FilingDecided,
    FilingRefused, FilingSubmitted,
};
pub use handling::{
    FilingOverdue, FilingOverdueEscalated, FilingQueued, FilingWithdrawn, HearingRequested,
    RegistrationReceipt,
};
pub use reports::{
    Figures, LeaderDigest, MonthFigures, MonthlyReportDrafted, ProvinceMonthlyReport,
};
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

/// A deadline as a mail states it: the rule it follows — `days` working days (工作日) or days
/// (日) after `after` (收到申请 / 受理) — and the date from the filing's clock, marked 预计 when it
/// reaches a year whose holiday schedule is not loaded yet. The date is unknown only while a stop
/// with no end runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub on: Option<NaiveDate>,
    pub estimated: bool,
    pub after: &'static str,
    pub days: u32,
    pub working_days: bool,
}

impl Due {
    fn text(self) -> String {
        let unit = if self.working_days {
            "个工作日"
        } else {
            "日"
        };
        let rule = format!("{}之日起{}{unit}", self.after, self.days);
        match (self.on, self.estimated) {
            (Some(day), false) => format!("{day}（{rule}）"),
            (Some(day), true) => format!(
                "预计{day}（{rule}；该年节假日安排尚未导入，按双休日推算，导入后以实际日期为准）"
            ),
            (None, _) => format!("{rule}（暂停计时结束后确定具体日期）"),
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
