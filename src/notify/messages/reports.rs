//! What leadership and the province read: the weekly digest and the monthly report.
use chrono::{Datelike, NaiveDate};

use super::{Message, Vars, lines_or_none, percent};
use crate::domain::report::Totals;
use crate::links::Page;

/// The ledger's figures on a date, as both reports state them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub as_of: NaiveDate,
    pub totals: Totals,
}

impl Figures {
    fn vars(&self) -> Vars {
        let t = &self.totals;
        Vars::from([
            ("as_of", self.as_of.to_string()),
            ("projects", t.projects.to_string()),
            ("required", t.required.to_string()),
            ("exempt", t.exempt.to_string()),
            ("point_to_point", t.point_to_point.to_string()),
            ("accepted", t.accepted_or_decided.to_string()),
            ("rate", percent(t.acceptance_rate())),
            (
                "rate_by_investment",
                percent(t.acceptance_rate_by_investment()),
            ),
            ("total_yi", t.total_investment.yi_display()),
        ])
    }
}

/// To leadership, weekly: the figures and what needs their attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderDigest {
    pub figures: Figures,
    /// Filings that went overdue this week: project name and the filing's state label.
    pub newly_overdue: Vec<(String, String)>,
    /// Late service items: description and promised date.
    pub overdue_items: Vec<(String, NaiveDate)>,
    /// Filings due within three working days: project name and working days left.
    pub at_risk: Vec<(String, i64)>,
}

impl Message for LeaderDigest {
    const TEMPLATE: &'static str = "leader_digest";

    fn page(&self) -> Option<Page> {
        Some(Page::Reports {
            as_of: Some(self.figures.as_of),
        })
    }

    fn vars(&self) -> Vars {
        let mut vars = self.figures.vars();
        vars.insert(
            "overdue_filings",
            lines_or_none(
                self.newly_overdue
                    .iter()
                    .map(|(name, state)| format!("· {name}（{state}）")),
            ),
        );
        vars.insert(
            "overdue_items",
            lines_or_none(
                self.overdue_items
                    .iter()
                    .map(|(item, promised)| format!("· {item}（承诺{promised}）")),
            ),
        );
        vars.insert(
            "at_risk",
            lines_or_none(
                self.at_risk
                    .iter()
                    .map(|(name, left)| format!("· {name}（剩{left}个工作日）")),
            ),
        );
        vars
    }
}

/// A month's figures as the monthly report states them: the ledger at the month's last day and
/// what happened in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    /// The figures at the month's last day.
    pub figures: Figures,
    pub month_start: NaiveDate,
    pub accepted_this_month: u64,
    pub decided_this_month: u64,
    pub items_done_this_month: u64,
    pub items_overdue: u64,
}

impl MonthFigures {
    fn vars(&self) -> Vars {
        let mut vars = self.figures.vars();
        vars.insert(
            "month",
            format!(
                "{}年{}月",
                self.month_start.year(),
                self.month_start.month()
            ),
        );
        vars.insert("accepted_this_month", self.accepted_this_month.to_string());
        vars.insert("decided_this_month", self.decided_this_month.to_string());
        vars.insert(
            "items_done_this_month",
            self.items_done_this_month.to_string(),
        );
        vars.insert("items_overdue", self.items_overdue.to_string());
        vars
    }
}

/// To the province, once an officer approved the month's report (陕环环评函〔2025〕46号: by the
/// 5th), with the report's workbook attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceMonthlyReport {
    pub month: MonthFigures,
    /// The attached workbook's file name.
    pub attachment: String,
}

impl Message for ProvinceMonthlyReport {
    const TEMPLATE: &'static str = "province_monthly_report";

    fn page(&self) -> Option<Page> {
        None
    }

    fn vars(&self) -> Vars {
        let mut vars = self.month.vars();
        vars.insert("attachment", self.attachment.clone());
        vars
    }
}

/// To the officers, when the scheduler drafted the report of the month just ended: it awaits
/// their review before it goes to the province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyReportDrafted {
    pub month: MonthFigures,
    /// Where it goes once approved; None when no address is configured.
    pub send_to: Option<String>,
}

impl Message for MonthlyReportDrafted {
    const TEMPLATE: &'static str = "monthly_report_drafted";

    fn page(&self) -> Option<Page> {
        Some(Page::MonthlyReport {
            month: self.month.month_start,
        })
    }

    fn vars(&self) -> Vars {
        let mut vars = self.month.vars();
        vars.insert(
            "send_to",
            match &self.send_to {
                Some(to) => format!("省生态环境厅（{to}）"),
                None => "省生态环境厅（尚未设置报送邮箱 scheduler.province_report_to，审核后不会自动发送）".to_owned(),
            },
        );
        vars
    }
}
