//! Every message, composed for one recipient, pinned by a snapshot: subject, text and HTML as
//! the recipient would read them. A change of wording shows up here for review.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::domain::filing::{ClockKind, Tier};
use crate::domain::money::Wan;
use crate::domain::report::Totals;

fn head() -> Letterhead {
    Letterhead {
        bureau: "商洛市生态环境局".into(),
        links: Links::new("https://eia.example.cn"),
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn snapshot<M: Message>(name: &str, message: &M) {
    let r = compose(message, &head(), "张工").unwrap();
    let shown = format!(
        "template: {}\nlink: {}\nsubject: {}\n--- text\n{}\n--- html\n{}",
        M::TEMPLATE,
        link(message, &head()).unwrap_or_default(),
        r.subject,
        r.text,
        r.html
    );
    insta::assert_snapshot!(name, shown);
}

fn figures() -> Figures {
    Figures {
        as_of: d("2023-06-30"),
        totals: Totals {
            projects: 239,
            exempt: 81,
            required: 158,
            unclassified: 0,
            point_to_point: 59,
            accepted_or_decided: 153,
            total_investment: Wan::from_hundredths(1_204_230_000),
            required_investment: Wan::from_hundredths(1_005_404_678),
            accepted_investment: Wan::from_hundredths(975_242_538),
        },
    }
}

#[test]
fn filing_submitted() {
    snapshot(
        "filing_submitted",
        &FilingSubmitted {
            filing_id: 12,
            project_name: "商洛市<城区>污水处理厂提标改造工程".into(),
            project_code: "2301-611002-04-01-123456".into(),
            owner_name: "商洛市城投水务有限公司".into(),
            tier: Tier::ReportForm,
            on: d("2023-03-01"),
            due: Due {
                on: Some(d("2023-03-08")),
                estimated: false,
                after: "收到申请",
                days: 5,
                working_days: true,
            },
        },
    );
}

#[test]
fn filing_submitted_beyond_the_calendar_states_the_rule() {
    let m = FilingSubmitted {
        filing_id: 12,
        project_name: "项目".into(),
        project_code: "2301-611002-04-01-123456".into(),
        owner_name: "建设单位".into(),
        tier: Tier::Report,
        on: d("2026-12-30"),
        due: Due {
            on: Some(d("2027-01-07")),
            estimated: true,
            after: "收到申请",
            days: 5,
            working_days: true,
        },
    };
    let r = compose(&m, &head(), "张工").unwrap();
    assert!(
        r.text
            .contains("受理期限：预计2027-01-07（收到申请之日起5个工作日；该年节假日安排尚未导入"),
        "{}",
        r.text
    );
}

#[test]
fn correction_requested() {
    snapshot(
        "correction_requested",
        &CorrectionRequested {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::ReportForm,
            items: vec!["建设单位委托书".into(), "公众参与说明".into()],
        },
    );
}

#[test]
fn filing_accepted() {
    snapshot(
        "filing_accepted",
        &FilingAccepted {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::ReportForm,
            on: d("2023-03-08"),
            due: Due {
                on: Some(d("2023-04-20")),
                estimated: false,
                after: "受理",
                days: 30,
                working_days: true,
            },
        },
    );
}

#[test]
fn filing_refused() {
    snapshot(
        "filing_refused",
        &FilingRefused {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::Report,
            on: d("2023-03-08"),
            reason: "项目未批先建，处罚尚未履行完毕。".into(),
        },
    );
}

#[test]
fn filing_approved() {
    snapshot(
        "filing_approved",
        &FilingDecided {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::ReportForm,
            on: d("2023-04-10"),
            decision_no: Some("商环批复〔2023〕12号".into()),
            decision: Decision::Approved {
                decision_text: None,
            },
        },
    );
}

#[test]
fn filing_disapproved() {
    snapshot(
        "filing_disapproved",
        &FilingDecided {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::Report,
            on: d("2023-04-10"),
            decision_no: Some("商环批复〔2023〕13号".into()),
            decision: Decision::Disapproved {
                citations: vec!["《建设项目环境保护管理条例》第十一条第（三）项".into()],
                reason: "粉尘防治措施无法确保达标排放。".into(),
            },
        },
    );
}

#[test]
fn deadline_approaching() {
    snapshot(
        "deadline_approaching",
        &DeadlineApproaching {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::ReportForm,
            clock: ClockKind::Decision,
            due: d("2023-04-20"),
            estimated: false,
            working_days_left: 2,
        },
    );
}

#[test]
fn service_item_due() {
    snapshot(
        "service_item_due",
        &ServiceItemDue {
            sheet_id: 3,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            item: "环评文件编制技术指导".into(),
            due: d("2023-05-10"),
            working_days_left: 3,
        },
    );
}

#[test]
fn service_item_urged() {
    snapshot(
        "service_item_urged",
        &ServiceItemUrged {
            sheet_id: 3,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            item: "环评文件编制技术指导".into(),
            due: d("2023-05-10"),
            supervise_after: 3,
        },
    );
}

#[test]
fn service_item_supervised() {
    snapshot(
        "service_item_supervised",
        &ServiceItemSupervised {
            sheet_id: 3,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            item: "环评文件编制技术指导".into(),
            due: d("2023-05-10"),
            officer_name: "李审批".into(),
        },
    );
}

#[test]
fn sheet_reassigned() {
    snapshot(
        "sheet_reassigned",
        &SheetReassigned {
            sheet_id: 3,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            officer_name: "王审批".into(),
            previous_officer_name: "李审批".into(),
            officer_phone: Some("0914-2311234".into()),
            reason: Some("人员调整".into()),
        },
    );
}

#[test]
fn sheets_reassigned() {
    snapshot(
        "sheets_reassigned",
        &SheetsReassigned {
            officer_name: "王审批".into(),
            previous_officer_name: "李审批".into(),
            reason: Some("人员调整".into()),
            sheets: vec![
                (3, "商洛市城区污水处理厂提标改造工程".into()),
                (7, "G312线商州过境公路改线工程".into()),
            ],
        },
    );
}

#[test]
fn sheet_reopened() {
    snapshot(
        "sheet_reopened",
        &SheetReopened {
            sheet_id: 3,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            changed_by: "王审批".into(),
            reason: "修改服务事项“环评文件编制技术指导”".into(),
        },
    );
}

#[test]
fn leader_digest() {
    snapshot(
        "leader_digest",
        &LeaderDigest {
            figures: figures(),
            newly_overdue: vec![("商洛市城区污水处理厂提标改造工程".into(), "已受理".into())],
            overdue_items: vec![("环评文件编制技术指导".into(), d("2023-06-20"))],
            at_risk: Vec::new(),
        },
    );
}

#[test]
fn province_monthly_report() {
    snapshot(
        "province_monthly_report",
        &ProvinceMonthlyReport {
            month: month_figures(),
            attachment: "商洛市生态环境局2023年6月环评服务月报.xlsx".into(),
        },
    );
}

fn month_figures() -> MonthFigures {
    MonthFigures {
        figures: figures(),
        month_start: d("2023-06-01"),
        accepted_this_month: 5,
        decided_this_month: 7,
        items_done_this_month: 12,
        items_overdue: 1,
    }
}

#[test]
fn monthly_report_drafted() {
    snapshot(
        "monthly_report_drafted",
        &MonthlyReportDrafted {
            month: month_figures(),
            send_to: Some("hpc@sxhb.example.gov.cn".into()),
        },
    );
    let unaddressed = compose(
        &MonthlyReportDrafted {
            month: month_figures(),
            send_to: None,
        },
        &head(),
        "张工",
    )
    .unwrap();
    assert!(
        unaddressed.text.contains("不会自动发送"),
        "{}",
        unaddressed.text
    );
}

#[test]
fn rates_are_percentages_with_two_decimals() {
    assert_eq!(percent(Some(Decimal::new(9684, 4))), "96.84%");
    assert_eq!(percent(None), "—");
}

#[test]
fn filing_queued() {
    snapshot(
        "filing_queued",
        &FilingQueued {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            project_code: "2301-611002-04-01-123456".into(),
            owner_name: "商洛市城投水务有限公司".into(),
            county_name: "商州区".into(),
            tier: Tier::ReportForm,
            on: d("2023-03-01"),
            due: Due {
                on: Some(d("2023-03-08")),
                estimated: false,
                after: "收到申请",
                days: 5,
                working_days: true,
            },
        },
    );
}

#[test]
fn filing_withdrawn() {
    snapshot(
        "filing_withdrawn",
        &FilingWithdrawn {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            owner_name: "商洛市城投水务有限公司".into(),
            tier: Tier::ReportForm,
            on: d("2023-03-03"),
            note: Some("项目选址调整，重新编制后再申报".into()),
        },
    );
}

#[test]
fn hearing_requested() {
    snapshot(
        "hearing_requested",
        &HearingRequested {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::ReportForm,
            party_label: "利害关系人",
            requester: "张某".into(),
            requested_on: d("2023-03-08"),
        },
    );
}

#[test]
fn registration_receipt() {
    snapshot(
        "registration_receipt",
        &RegistrationReceipt {
            filing_id: 13,
            project_name: "丹凤县城区道路改造工程".into(),
            project_code: "2301-611022-04-01-654321".into(),
            on: d("2023-05-10"),
            receipt_no: "商环登记〔2023〕7号".into(),
        },
    );
}

#[test]
fn filing_overdue() {
    snapshot(
        "filing_overdue",
        &FilingOverdue {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::ReportForm,
            clock: ClockKind::Acceptance,
            due: d("2023-03-08"),
            escalate_after_working_days: 3,
        },
    );
}

#[test]
fn filing_overdue_escalated() {
    snapshot(
        "filing_overdue_escalated",
        &FilingOverdueEscalated {
            filing_id: 12,
            project_name: "商洛市城区污水处理厂提标改造工程".into(),
            tier: Tier::Report,
            clock: ClockKind::Decision,
            due: d("2023-06-01"),
            working_days_late: 3,
            officer_name: Some("李审批".into()),
        },
    );
}

#[test]
fn calendar_year_missing() {
    snapshot(
        "calendar_year_missing",
        &CalendarYearMissing {
            year: 2027,
            deadlines_beyond_calendar: 4,
        },
    );
}
