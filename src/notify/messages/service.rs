//! What officers, their leaders and owners hear of a point-to-point service sheet (服务单): an
//! item falling due, urged (催办), supervised (督办), and the sheet changing hands.
use chrono::NaiveDate;

use super::{Message, Vars};
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
