//! Point-to-point service (点对点服务, docs/domain.md §5): the kinds and states of service items and
//! the escalation ladder for late ones — urge (催办) the officer once an item is past its
//! promised date, then supervise (督办) through the officer's leader after a grace period.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{CalendarError, WorkCalendar};
use super::names::{UnknownCode, named_enum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    PreApplicationConsultation,
    DocumentGuidance,
    EvaluationCoordination,
    FastTrackDecision,
    SiteVisit,
    Other,
}

named_enum!(ItemKind {
    PreApplicationConsultation => "pre_application_consultation", "环评前期咨询";
    DocumentGuidance => "document_guidance", "环评文件编制指导";
    EvaluationCoordination => "evaluation_coordination", "技术评估协调";
    FastTrackDecision => "fast_track_decision", "审批绿色通道";
    SiteVisit => "site_visit", "现场踏勘服务";
    Other => "other", "其他服务";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

named_enum!(ItemStatus {
    Planned => "planned", "待办";
    InProgress => "in_progress", "办理中";
    Done => "done", "已办结";
    Cancelled => "cancelled", "已取消";
});

impl ItemStatus {
    pub fn is_open(self) -> bool {
        matches!(self, ItemStatus::Planned | ItemStatus::InProgress)
    }
}

/// What the scheduler should do about an item today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// Nothing yet.
    None,
    /// A reminder before the promised date.
    Remind,
    /// 催办: past the promised date, not yet urged.
    Urge,
    /// 督办: urged at least `supervise_after` working days ago and still open.
    Supervise,
}

/// An item as the escalation ladder sees it.
#[derive(Debug, Clone, Copy)]
pub struct ItemDates {
    pub status: ItemStatus,
    pub promised_on: NaiveDate,
    pub urged_on: Option<NaiveDate>,
    pub supervised_on: Option<NaiveDate>,
}

/// The ladder's settings: remind this many working days before the promised date, supervise
/// this many working days after urging.
#[derive(Debug, Clone, Copy)]
pub struct Ladder {
    pub remind_before: u32,
    pub supervise_after: u32,
}

/// The escalation step due for an open item on `today`; a step already taken is not repeated.
pub fn escalation(
    item: ItemDates,
    today: NaiveDate,
    ladder: Ladder,
    calendar: &WorkCalendar,
) -> Result<Escalation, CalendarError> {
    let ItemDates {
        status,
        promised_on,
        urged_on,
        supervised_on,
    } = item;
    let Ladder {
        remind_before,
        supervise_after,
    } = ladder;
    if !status.is_open() || supervised_on.is_some() {
        return Ok(Escalation::None);
    }
    if today <= promised_on {
        let left = calendar.working_days_between(today, promised_on)?;
        return Ok(if left <= i64::from(remind_before) {
            Escalation::Remind
        } else {
            Escalation::None
        });
    }
    match urged_on {
        None => Ok(Escalation::Urge),
        Some(urged) => {
            let since = calendar.working_days_between(urged, today)?;
            Ok(if since >= i64::from(supervise_after) {
                Escalation::Supervise
            } else {
                Escalation::None
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_ladder_climbs_one_step_at_a_time() {
        let cal = WorkCalendar::embedded();
        let ladder = Ladder {
            remind_before: 2,
            supervise_after: 3,
        };
        let e = |today: &str, urged: Option<&str>| {
            let item = ItemDates {
                status: ItemStatus::InProgress,
                promised_on: d("2023-09-27"),
                urged_on: urged.map(d),
                supervised_on: None,
            };
            escalation(item, d(today), ladder, &cal).unwrap()
        };
        assert_eq!(e("2023-09-20", None), Escalation::None);
        // 09-25 → 09-27 is two working days.
        assert_eq!(e("2023-09-25", None), Escalation::Remind);
        assert_eq!(e("2023-09-28", None), Escalation::Urge);
        // Urged on 09-28; 09-29 … 10-06 are the National Day holiday, 10-07 and 10-08 make-up days.
        assert_eq!(e("2023-10-06", Some("2023-09-28")), Escalation::None);
        assert_eq!(e("2023-10-08", Some("2023-09-28")), Escalation::None);
        assert_eq!(e("2023-10-09", Some("2023-09-28")), Escalation::Supervise);
    }

    #[test]
    fn closed_or_supervised_items_stay_quiet() {
        let cal = WorkCalendar::embedded();
        let ladder = Ladder {
            remind_before: 2,
            supervise_after: 3,
        };
        let item = |status, urged: Option<&str>, supervised: Option<&str>| ItemDates {
            status,
            promised_on: d("2023-01-03"),
            urged_on: urged.map(d),
            supervised_on: supervised.map(d),
        };
        for status in [ItemStatus::Done, ItemStatus::Cancelled] {
            let e = escalation(item(status, None, None), d("2023-06-01"), ladder, &cal).unwrap();
            assert_eq!(e, Escalation::None);
        }
        let supervised = item(ItemStatus::Planned, Some("2023-01-04"), Some("2023-01-10"));
        assert_eq!(
            escalation(supervised, d("2023-06-01"), ladder, &cal).unwrap(),
            Escalation::None
        );
    }
}
