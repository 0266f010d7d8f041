//! The report as workbooks: the summary's figures (`GET /api/v1/reports/summary.xlsx`) and the
//! projects behind one of them (`GET /api/v1/reports/projects.xlsx`). The figures are the
//! services' own ([`reports::summary`], [`reports::projects_of`]): totals are their exact sums
//! written as values, never formulas; rates are percentages with two decimals, rounded half up
//! from the service's four-decimal rate as the API rounds them.
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::DatabaseConnection;

use super::Actor;
use super::ledger_export::tier_text;
use super::reports::{self, AnyMeasure, GroupKey, MeasureQuery};
use crate::config::Settings;
use crate::domain::money::Wan;
use crate::domain::report::{GroupBy, Totals};
use crate::error::{Error, Result};
use crate::excel::ledger::level_text;
use crate::excel::write::{Book, Value, col};

/// A drill-down's projects read at a time (the list's largest page).
pub const PAGE: u64 = 200;

/// A rate (a fraction with four decimals) in per cent with two, rounded half up.
pub fn percent(rate: Option<Decimal>) -> Value {
    rate.map_or(Value::Blank, |r| {
        Value::Percent(
            (r * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        )
    })
}

/// 万元 in 亿元 with two decimals, rounded half up, as the API's `total_investment_yi`.
pub fn yi(w: Wan) -> Value {
    Value::Decimal(w.yi_display().parse().unwrap_or_default())
}

/// The figures of one set of projects, in the order of [`FIGURES`].
fn figures(t: &Totals) -> Vec<Value> {
    vec![
        Value::Int(t.projects as i64),
        Value::Int(t.exempt as i64),
        Value::Int(t.required as i64),
        Value::Int(t.unclassified as i64),
        Value::Int(t.point_to_point as i64),
        Value::Int(t.accepted_or_decided as i64),
        Value::Int(t.required as i64 - t.accepted_or_decided as i64),
        percent(t.acceptance_rate()),
        percent(t.acceptance_rate_by_investment()),
        Value::Money(t.total_investment),
        yi(t.total_investment),
        Value::Money(t.required_investment),
        Value::Money(t.accepted_investment),
    ]
}

/// The figures' names and units, in order.
const FIGURES: [(&str, &str); 13] = [
    ("项目总数", "个"),
    ("豁免（不纳入环评管理）", "个"),
    ("应依法办理环评", "个"),
    ("未分类", "个"),
    ("点对点服务", "个"),
    ("已受理或办结", "个"),
    ("未受理", "个"),
    ("受理审批率（按项目数）", "%"),
    ("受理审批率（按投资额）", "%"),
    ("总投资", "万元"),
    ("总投资", "亿元"),
    ("应办环评项目总投资", "万元"),
    ("已受理或办结项目总投资", "万元"),
];

/// The figures as column headers of the groups sheet.
const GROUP_COLUMNS: [&str; 13] = [
    "项目总数",
    "豁免",
    "应办环评",
    "未分类",
    "点对点服务",
    "已受理或办结",
    "未受理",
    "受理审批率（按项目数，%）",
    "受理审批率（按投资额，%）",
    "总投资（万元）",
    "总投资（亿元）",
    "应办环评总投资（万元）",
    "已受理或办结总投资（万元）",
];

/// `环评审批汇总-2023-06-30.xlsx`.
pub fn summary_file_name(as_of: NaiveDate) -> String {
    format!("环评审批汇总-{}.xlsx", as_of.format("%Y-%m-%d"))
}

/// `环评项目清单-accepted_or_decided-2023-06-30.xlsx`.
pub fn projects_file_name(measure: AnyMeasure, as_of: NaiveDate) -> String {
    format!(
        "环评项目清单-{}-{}.xlsx",
        measure.label(),
        as_of.format("%Y-%m-%d")
    )
}

/// The summary on `as_of` as a workbook: a sheet 汇总 of the totals (指标, 数值, 单位) and, with
/// `group_by`, a sheet of one row per group and a 合计 row of the service's exact totals.
/// The date and the reader are checked as the summary checks them.
pub async fn summary(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    as_of: NaiveDate,
    group_by: Option<GroupBy>,
) -> Result<std::fs::File> {
    let s = reports::summary(db, actor, as_of, group_by).await?;
    let title = format!(
        "{}重点项目环评审批情况汇总（截至{}）",
        settings.bureau.name,
        as_of.format("%Y-%m-%d")
    );
    let mut book = Book::new();
    {
        let mut sheet = book.sheet(
            "汇总",
            std::slice::from_ref(&title),
            &[col("指标", 28.0), col("数值", 16.0), col("单位", 8.0)],
        )?;
        for ((name, unit), value) in FIGURES.iter().zip(figures(&s.totals)) {
            sheet.row(&[Value::from(*name), value, Value::from(*unit)])?;
        }
    }
    if let Some(g) = group_by {
        let mut columns = vec![col(g.label(), 24.0)];
        columns.extend(GROUP_COLUMNS.iter().map(|c| col(c, 14.0)));
        let mut sheet = book.sheet(
            &format!("按{}", g.label()),
            &[format!("{title}，按{}", g.label())],
            &columns,
        )?;
        for group in &s.groups {
            let mut row = vec![Value::Text(group.label.clone())];
            row.extend(figures(&group.totals));
            sheet.row(&row)?;
        }
        let mut row = vec![Value::from("合计")];
        row.extend(figures(&s.totals));
        sheet.row(&row)?;
    }
    finish(book).await
}

/// The projects behind one figure, every page of them, as a workbook: one row per project and
/// a 合计 row (how many, their investment summed exactly). Checked as the list checks them.
pub async fn projects(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    measure: AnyMeasure,
    as_of: NaiveDate,
    group: Option<GroupKey>,
) -> Result<std::fs::File> {
    let query = |page| MeasureQuery {
        measure,
        as_of,
        group: group.clone(),
        page,
        per_page: PAGE,
    };
    // The first page checks everything before a workbook is begun.
    let mut found = reports::projects_of(db, settings, actor, query(1)).await?;
    let mut title = format!(
        "截至{}{}的项目（金额单位：万元）",
        as_of.format("%Y-%m-%d"),
        measure.label()
    );
    if let Some(g) = &group {
        title = format!("{title}，{}：{}", g.group_by.label(), g.key);
    }
    let mut book = Book::new();
    {
        let mut sheet = book.sheet(
            "项目清单",
            &[title],
            &[
                col("序号", 6.0),
                col("项目名称", 36.0),
                col("投资项目统一代码", 26.0),
                col("建设单位", 36.0),
                col("县区", 10.0),
                col("重点项目级别", 12.0),
                col("行业", 14.0),
                col("总投资（万元）", 16.0),
                col("点对点服务", 10.0),
                col("环评类别（统计日）", 14.0),
                col("统计日申报状态", 14.0),
                col("统计日已受理或办结", 12.0),
            ],
        )?;
        let mut count: u64 = 0;
        let mut sum = Wan::ZERO;
        let mut page = 1;
        loop {
            if found.items.is_empty() {
                break;
            }
            for d in &found.items {
                count += 1;
                let p = &d.project;
                sum = sum
                    .checked_add(p.total_investment_wan)
                    .ok_or_else(|| Error::Internal(anyhow::anyhow!("investment overflows")))?;
                sheet.row(&[
                    Value::Int(count as i64),
                    Value::Text(p.name.clone()),
                    Value::Text(p.project_code.clone()),
                    Value::Text(p.organization.name.clone()),
                    Value::Text(p.county.name.clone()),
                    Value::from(level_text(p.provincial, p.municipal)),
                    Value::Text(p.industry_label.clone()),
                    Value::Money(p.total_investment_wan),
                    Value::YesNo(p.point_to_point),
                    Value::from(tier_text(d.tier_as_of)),
                    d.filing_as_of
                        .as_ref()
                        .map_or(Value::Blank, |f| Value::from(f.state_label)),
                    Value::YesNo(d.accepted_or_decided_as_of),
                ])?;
            }
            if count >= found.total {
                break;
            }
            page += 1;
            found = reports::projects_of(db, settings, actor, query(page)).await?;
        }
        sheet.row(&[
            Value::from("合计"),
            Value::Text(format!("{count}个项目")),
            Value::Blank,
            Value::Blank,
            Value::Blank,
            Value::Blank,
            Value::Blank,
            Value::Money(sum),
        ])?;
    }
    finish(book).await
}

async fn finish(book: Book) -> Result<std::fs::File> {
    Ok(tokio::task::spawn_blocking(move || book.finish())
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("writing the workbook: {e}")))??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_percentages_rounded_half_up() {
        assert_eq!(
            percent(Some(Decimal::new(9684, 4))),
            Value::Percent(Decimal::new(9684, 2))
        );
        assert_eq!(percent(None), Value::Blank);
        assert_eq!(
            yi(Wan::parse("12042300.00").unwrap()),
            Value::Decimal(Decimal::new(120423, 2))
        );
        assert_eq!(FIGURES.len(), figures(&Totals::default()).len());
    }
}
