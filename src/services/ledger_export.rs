//! The ledger as a workbook (`GET /api/v1/ledger/export.xlsx`, the ledger page's 导出Excel):
//! the projects that the API's list and the ledger page select, by the same filter code
//! ([`projects::filtered`]), in the page's order, one row per project with the columns of
//! [`excel::ledger::export_columns`]. Rows are read [`CHUNK`] at a time and written as they
//! come into a constant-memory worksheet, so the export's memory does not grow with the ledger.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::projects::{self, ProjectQuery, ProjectSort, ProjectView};
use super::{Actor, today};
use crate::config::Settings;
use crate::domain::filing::Action;
use crate::domain::ledger::Tier;
use crate::error::{Error, Result};
use crate::excel::ledger::{export_columns, key, level_text};
use crate::excel::write::{Book, ColumnDef, Value, col};
use entity::{filing, filing_event, project};

/// Projects read and written at a time.
pub const CHUNK: u64 = 500;

/// The tier as the ledger shows it: 豁免, 登记表, 报告表, 报告书, or 未分类.
pub fn tier_text(tier: Option<Tier>) -> &'static str {
    match tier {
        Some(Tier::Exempt) => "豁免",
        Some(t) => t.label(),
        None => "未分类",
    }
}

/// The ledger's columns with their widths.
pub fn columns() -> Vec<ColumnDef> {
    export_columns()
        .map(|c| {
            let width = match c.key {
                key::NAME | key::ORGANIZATION => 36.0,
                key::DESCRIPTION | key::CROSS_COUNTY_REASON => 30.0,
                key::PROJECT_CODE | key::CREDIT_CODE => 26.0,
                key::RECEIPT_NO | key::DECISION_NO => 24.0,
                key::INVESTMENT_WAN | key::LEVEL | key::INDUSTRY | key::FILING_STATE => 16.0,
                _ => 13.0,
            };
            col(c.names[0], width)
        })
        .collect()
}

/// What the export shows of a project's current filing beyond its view.
#[derive(Debug, Default, Clone)]
struct FilingFacts {
    accepted_on: Option<NaiveDate>,
    receipt_no: Option<String>,
    decided_on: Option<NaiveDate>,
    decision_no: Option<String>,
}

/// The facts of these projects' current filings: the dates of their (unvoided) acceptance and
/// decision, their registration and decision numbers.
async fn filing_facts(
    db: &DatabaseConnection,
    views: &[ProjectView],
) -> Result<HashMap<i64, FilingFacts>> {
    let ids: Vec<i64> = views
        .iter()
        .filter_map(|v| v.current_filing.as_ref().map(|f| f.id))
        .collect();
    let mut facts: HashMap<i64, FilingFacts> = HashMap::new();
    if ids.is_empty() {
        return Ok(facts);
    }
    for f in filing::Entity::find()
        .filter(filing::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        let e = facts.entry(f.id).or_default();
        e.receipt_no = f.receipt_no;
        e.decision_no = f.decision_no;
    }
    for e in filing_event::Entity::find()
        .filter(filing_event::Column::FilingId.is_in(ids))
        .filter(filing_event::Column::VoidedAt.is_null())
        .filter(filing_event::Column::Action.is_in([
            Action::Accept,
            Action::Approve,
            Action::Disapprove,
        ]))
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?
    {
        let f = facts.entry(e.filing_id).or_default();
        match e.action {
            Action::Accept => f.accepted_on = Some(e.effective_on),
            _ => f.decided_on = Some(e.effective_on),
        }
    }
    Ok(facts)
}

/// One project's row, in the order of [`columns`].
fn row_of(v: &ProjectView, facts: Option<&FilingFacts>) -> Vec<Value> {
    let f = v.current_filing.as_ref();
    export_columns()
        .map(|c| match c.key {
            key::NAME => Value::Text(v.name.clone()),
            key::PROJECT_CODE => Value::Text(v.project_code.clone()),
            key::ORGANIZATION => Value::Text(v.organization.name.clone()),
            key::CREDIT_CODE => Value::Text(v.organization.credit_code.clone()),
            key::COUNTY => Value::Text(v.county.name.clone()),
            key::LEVEL => match level_text(v.provincial, v.municipal) {
                "" => Value::Blank,
                t => Value::from(t),
            },
            key::INDUSTRY => Value::Text(v.industry_label.clone()),
            key::INVESTMENT_WAN => Value::Money(v.total_investment_wan),
            key::POINT_TO_POINT => Value::YesNo(v.point_to_point),
            key::BUILT_BEFORE_APPROVAL => Value::YesNo(v.built_before_approval),
            key::PENALTY_SETTLED => Value::YesNo(v.penalty_settled),
            key::LISTED_ON => Value::Date(v.listed_on),
            key::DESCRIPTION => Value::from(v.description.clone()),
            key::CROSS_COUNTY_REASON => Value::from(v.cross_county_reason.clone()),
            key::TIER => Value::from(tier_text(v.tier)),
            key::FILING_STATE => f.map_or(Value::Blank, |f| Value::from(f.state_label)),
            key::ACCEPTED_ON => Value::from(facts.and_then(|x| x.accepted_on)),
            key::RECEIPT_NO => Value::from(facts.and_then(|x| x.receipt_no.clone())),
            key::DECIDED_ON => Value::from(facts.and_then(|x| x.decided_on)),
            key::DECISION_NO => Value::from(facts.and_then(|x| x.decision_no.clone())),
            key::DUE_ON => Value::from(f.and_then(|f| f.due_on)),
            _ => Value::Blank,
        })
        .collect()
}

/// Writes these projects' rows.
async fn write_rows(
    db: &DatabaseConnection,
    sheet: &mut crate::excel::write::SheetWriter<'_>,
    views: &[ProjectView],
) -> Result<()> {
    let facts = filing_facts(db, views).await?;
    for v in views {
        let f = v.current_filing.as_ref().and_then(|f| facts.get(&f.id));
        sheet.row(&row_of(v, f))?;
    }
    Ok(())
}

/// The ledger that `query` selects (its paging ignored: every matching project), in `sort`
/// order, as a finished workbook in a temporary file. Officers, leaders and administrators;
/// owners get 403. Bad filters are the list's 422s.
#[tracing::instrument(name = "ledger_export::ledger", skip_all, fields(actor_id = actor.id))]
pub async fn ledger(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: ProjectQuery,
    sort: ProjectSort,
    descending: bool,
) -> Result<std::fs::File> {
    if !actor.role.reads_reports() {
        return Err(Error::Forbidden("建设单位无权导出台账".into()));
    }
    let select = projects::ordered(
        projects::filtered(db, settings, actor, &query, Vec::new()).await?,
        sort,
        descending,
    );
    let mut book = Book::new();
    let title = format!(
        "{}重点项目环评台账（导出日期：{}，金额单位：万元）",
        settings.bureau.name,
        today().format("%Y-%m-%d")
    );
    {
        let mut sheet = book.sheet("环评台账", &[title], &columns())?;
        if sort == ProjectSort::Due {
            // The due date is computed from each filing's history: a first pass keeps only
            // each project's id and due date, a second reads them again in that order.
            let mut keys: Vec<(Option<NaiveDate>, i64)> = Vec::new();
            let mut pages = select.paginate(db, CHUNK);
            while let Some(rows) = pages.fetch_and_next().await? {
                for v in projects::views_of(db, settings, rows).await? {
                    keys.push((v.current_filing.and_then(|f| f.due_on), v.id));
                }
            }
            keys.sort_by(|a, b| projects::by_due(a.0, b.0, descending));
            for chunk in keys.chunks(CHUNK as usize) {
                let ids: Vec<i64> = chunk.iter().map(|(_, id)| *id).collect();
                let mut rows = project::Entity::find()
                    .filter(project::Column::Id.is_in(ids.iter().copied()))
                    .all(db)
                    .await?;
                let at: HashMap<i64, usize> =
                    ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
                rows.sort_by_key(|p| at.get(&p.id).copied().unwrap_or(usize::MAX));
                let views = projects::views_of(db, settings, rows).await?;
                write_rows(db, &mut sheet, &views).await?;
            }
        } else {
            let mut pages = select.paginate(db, CHUNK);
            while let Some(rows) = pages.fetch_and_next().await? {
                let views = projects::views_of(db, settings, rows).await?;
                write_rows(db, &mut sheet, &views).await?;
            }
        }
    }
    let file = tokio::task::spawn_blocking(move || book.finish())
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("writing the workbook: {e}")))??;
    Ok(file)
}

/// `环评台账-2026-12-02.xlsx`.
pub fn file_name() -> String {
    format!("环评台账-{}.xlsx", today().format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_are_the_tables_first_names_in_order() {
        let titles: Vec<&str> = columns().iter().map(|c| c.title).collect();
        assert_eq!(
            &titles[..11],
            [
                "项目名称",
                "投资项目统一代码",
                "建设单位",
                "统一社会信用代码",
                "县区",
                "重点项目级别",
                "行业",
                "总投资（万元）",
                "点对点服务",
                "未批先建",
                "处罚已履行",
            ]
        );
        assert!(titles.contains(&"环评类别"));
        assert_eq!(titles.last(), Some(&"办结期限"));
    }
}
