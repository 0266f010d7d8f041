//! What officers, their leaders and owners hear of a point-to-point service sheet (服务单): an
//! item falling due, urged (催办), supervised (督办), and the sheet changing hands.
use chrono::NaiveDate;

use super::{Message, Vars, lines_or_none};
use crate::links::Page;

/// To the responsible officer: an item falls due within the reminder window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItemDue {
    pub sheet_id: i64,
    pub project_name: String,
    pub item: String,
    pub due: NaiveDate,
    pub working_days_left: i64,
}

impl Message for ServiceItemDue {
    const TEMPLATE: &'static str = "service_item_due";

    fn page(&self) -> Option<Page> {
        Some(Page::ServiceSheet(self.sheet_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("item", self.item.clone()),
            ("due", self.due.to_string()),
            ("days_left", self.working_days_left.to_string()),
        ])
    }
}

/// To the responsible officer: an item is late (催办).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItemUrged {
    pub sheet_id: i64,
    pub project_name: String,
    pub item: String,
    pub due: NaiveDate,
    /// Working days after which it goes to the officer's leader.
    pub supervise_after: u32,
}

impl Message for ServiceItemUrged {
    const TEMPLATE: &'static str = "service_item_urged";

    fn page(&self) -> Option<Page> {
        Some(Page::ServiceSheet(self.sheet_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("item", self.item.clone()),
            ("due", self.due.to_string()),
            ("supervise_after", self.supervise_after.to_string()),
        ])
    }
}

/// To the officer's leader: still late after urging (督办).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItemSupervised {
    pub sheet_id: i64,
    pub project_name: String,
    pub item: String,
    pub due: NaiveDate,
    pub officer_name: String,
}

impl Message for ServiceItemSupervised {
    const TEMPLATE: &'static str = "service_item_supervised";

    fn page(&self) -> Option<Page> {
        Some(Page::ServiceSheet(self.sheet_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("item", self.item.clone()),
            ("due", self.due.to_string()),
            ("officer_name", self.officer_name.clone()),
        ])
    }
}

/// To the new officer and the owner: the sheet has a new responsible officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetReassigned {
    pub sheet_id: i64,
    pub project_name: String,
    pub officer_name: String,
    pub previous_officer_name: String,
    /// The bureau's contact phone on the sheet.
    pub officer_phone: Option<String>,
    pub reason: Option<String>,
}

impl Message for SheetReassigned {
    const TEMPLATE: &'static str = "sheet_reassigned";

    fn page(&self) -> Option<Page> {
        Some(Page::ServiceSheet(self.sheet_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("officer_name", self.officer_name.clone()),
            ("previous_officer_name", self.previous_officer_name.clone()),
            (
                "officer_phone",
                self.officer_phone.clone().unwrap_or_else(|| "—".into()),
            ),
            (
                "reason",
                self.reason
                    .as_ref()
                    .map(|r| format!("调整原因：{r}"))
                    .unwrap_or_default(),
            ),
        ])
    }
}

/// To each person concerned by a bulk reassignment, once: every sheet of theirs that moved to
/// the new officer (the new officer gets them all, each owner those of its organisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetsReassigned {
    pub officer_name: String,
    pub previous_officer_name: String,
    pub reason: Option<String>,
    /// `(sheet id, project name)`, in sheet order.
    pub sheets: Vec<(i64, String)>,
}

impl Message for SheetsReassigned {
    const TEMPLATE: &'static str = "sheets_reassigned";

    fn page(&self) -> Option<Page> {
        match self.sheets.as_slice() {
            [(id, _)] => Some(Page::ServiceSheet(*id)),
            _ => Some(Page::Home),
        }
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("count", self.sheets.len().to_string()),
            ("officer_name", self.officer_name.clone()),
            ("previous_officer_name", self.previous_officer_name.clone()),
            (
                "reason",
                self.reason
                    .as_ref()
                    .map(|r| format!("调整原因：{r}"))
                    .unwrap_or_default(),
            ),
            (
                "sheets",
                lines_or_none(
                    self.sheets
                        .iter()
                        .map(|(id, name)| format!("· {name}（服务单 {id} 号）")),
                ),
            ),
        ])
    }
}

/// To the owner: a signed-off sheet changed and is open again, awaiting a new sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetReopened {
    pub sheet_id: i64,
    pub project_name: String,
    /// Who changed it.
    pub changed_by: String,
    /// What changed.
    pub reason: String,
}

impl Message for SheetReopened {
    const TEMPLATE: &'static str = "sheet_reopened";

    fn page(&self) -> Option<Page> {
        Some(Page::ServiceSheet(self.sheet_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("changed_by", self.changed_by.clone()),
            ("reason", self.reason.clone()),
        ])
    }
}
