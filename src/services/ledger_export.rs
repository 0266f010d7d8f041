//! The ledger as a workbook (`GET /api/v1/ledger/export.xlsx`, the ledger page's 导出Excel):
//! the projects that the API's list and the ledger page select, by the same filter code
//! ([`projects::filtered`]), in the page's order, one row per project with the columns of
//! [`excel::ledger::export_columns`]. The ids are read first, in order (8 bytes a project), then
//! the rows [`CHUNK`] at a time, written as they come into a constant-memory worksheet, so the
//! export's memory grows by those 8 bytes a project, not by its rows.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::projects::{self, ProjectQuery, ProjectSort, ProjectView};
use super::{Actor, today};
use crate::config::Settings;
use crate::domain::filing::Action;
use crate::domain::ledger::{INDUSTRIES, Tier};
use crate::domain::money::Wan;
use crate::error::{Error, Result};
use crate::excel::ledger::{IMPORTED, REQUIRED, export_columns, key, level_text};
use crate::excel::write::{Book, ColumnDef, Value, col};
use entity::{county, filing, filing_event, organization, project};

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
        // First the ids in the list's order (8 bytes a project; OFFSET pages would make the
        // export quadratic), then the projects 500 at a time in that order. The due date is
        // computed from each filing's history, so that order is found in a first pass over
        // the projects themselves.
        let ids: Vec<i64> = if sort == ProjectSort::Due {
            let mut keys: Vec<(Option<NaiveDate>, i64)> = Vec::new();
            let all: Vec<i64> = select
                .select_only()
                .column(project::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            for chunk in all.chunks(CHUNK as usize) {
                for v in projects::views_of(db, settings, rows_in_order(db, chunk).await?).await? {
                    keys.push((v.current_filing.and_then(|f| f.due_on), v.id));
                }
            }
            keys.sort_by(|a, b| projects::by_due(a.0, b.0, descending));
            keys.into_iter().map(|(_, id)| id).collect()
        } else {
            select
                .select_only()
                .column(project::Column::Id)
                .into_tuple()
                .all(db)
                .await?
        };
        for chunk in ids.chunks(CHUNK as usize) {
            let views = projects::views_of(db, settings, rows_in_order(db, chunk).await?).await?;
            write_rows(db, &mut sheet, &views).await?;
        }
    }
    finish_file(book).await
}

/// The projects of `ids`, in that order.
async fn rows_in_order(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<project::Model>> {
    let mut rows = project::Entity::find()
        .filter(project::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|p| at.get(&p.id).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

/// The template's columns: what the import reads, but the alternative spellings (the level in
/// two 是/否 columns, the amount in 亿元).
pub fn template_columns() -> impl Iterator<Item = &'static crate::excel::read::Column> {
    IMPORTED
        .iter()
        .filter(|c| ![key::PROVINCIAL, key::MUNICIPAL, key::INVESTMENT_YI].contains(&c.key))
}

/// A project code of `county` not yet in the ledger, for the template's example row.
async fn unused_code(db: &DatabaseConnection, county: &str) -> Result<String> {
    let month = today().format("%y%m");
    for n in 1..1000u32 {
        let code = format!("{month}-{county}-04-01-{:06}", 900_000 + n);
        let taken = project::Entity::find()
            .filter(project::Column::ProjectCode.eq(code.clone()))
            .count(db)
            .await?;
        if taken == 0 {
            return Ok(code);
        }
    }
    Err(Error::Internal(anyhow::anyhow!(
        "no free example project code"
    )))
}

/// The import's template: a sheet 台账 with the import's columns (the required ones named in
/// the note line above the header) and one example row that imports as a new project on this
/// database (an existing owner, a free project code of its county), and a sheet 填写说明 of
/// the values each column allows, the counties read from the database. Officers and
/// administrators.
pub async fn template(db: &DatabaseConnection, actor: &Actor) -> Result<std::fs::File> {
    actor.require_keeper()?;
    let counties = county::Entity::find()
        .order_by_asc(county::Column::SortOrder)
        .order_by_asc(county::Column::Code)
        .all(db)
        .await?;
    let first_county = counties
        .first()
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("no counties for the template")))?;
    let organization = organization::Entity::find()
        .order_by_asc(organization::Column::Id)
        .one(db)
        .await?;
    let (org_name, credit_code) = match organization {
        Some(o) => (o.name, o.credit_code),
        None => (
            "示例建设单位有限公司".to_owned(),
            "91350100M000100Y43".to_owned(),
        ),
    };
    let code = unused_code(db, &first_county.code).await?;
    let required: Vec<&str> = template_columns()
        .filter(|c| REQUIRED.contains(&c.key))
        .map(|c| c.names[0])
        .collect();
    let note = format!(
        "必填列：{}。金额单位：万元（最多两位小数）；日期格式 YYYY-MM-DD；是/否列填“是”或“否”；可填写的值见“填写说明”。第一行数据为示例，导入前请删除或替换。",
        required.join("、")
    );
    let mut book = Book::new();
    {
        let columns: Vec<ColumnDef> = template_columns()
            .map(|c| {
                columns()
                    .into_iter()
                    .find(|d| d.title == c.names[0])
                    .unwrap_or(col(c.names[0], 16.0))
            })
            .collect();
        let mut sheet = book.sheet("台账", &[note], &columns)?;
        let example: Vec<Value> = template_columns()
            .map(|c| match c.key {
                key::NAME => Value::from("示例：某某县城区供水管网改造工程"),
                key::PROJECT_CODE => Value::Text(code.clone()),
                key::ORGANIZATION => Value::Text(org_name.clone()),
                key::CREDIT_CODE => Value::Text(credit_code.clone()),
                key::COUNTY => Value::Text(first_county.name.clone()),
                key::LEVEL => Value::from(level_text(false, true)),
                key::INDUSTRY => Value::from(INDUSTRIES[3].1),
                key::INVESTMENT_WAN => Value::Money(Wan::from_hundredths(1_234_567)),
                key::POINT_TO_POINT | key::BUILT_BEFORE_APPROVAL | key::PENALTY_SETTLED => {
                    Value::YesNo(false)
                }
                key::LISTED_ON => Value::Date(today()),
                key::DESCRIPTION => Value::from("新建供水管网12公里"),
                _ => Value::Blank,
            })
            .collect();
        sheet.row(&example)?;
    }
    {
        let mut sheet = book.sheet(
            "填写说明",
            &[],
            &[col("列", 22.0), col("可填写的值", 40.0), col("说明", 50.0)],
        )?;
        let line = |a: &str, b: &str, c: &str| [Value::from(a), Value::from(b), Value::from(c)];
        for c in &counties {
            sheet.row(&line("县区", &c.name, &format!("行政区划代码 {}", c.code)))?;
        }
        for (k, label) in INDUSTRIES {
            sheet.row(&line("行业", label, &format!("代码 {k}")))?;
        }
        for (p, m, what) in [
            (true, false, "列入省级重点项目"),
            (false, true, "列入市级重点项目"),
            (true, true, "同时列入省级和市级重点项目（也可写“省市级”）"),
        ] {
            sheet.row(&line("重点项目级别", level_text(p, m), what))?;
        }
        sheet.row(&line("重点项目级别", "", "留空：不是省级或市级重点项目"))?;
        for c in template_columns().filter(|c| {
            [
                key::POINT_TO_POINT,
                key::BUILT_BEFORE_APPROVAL,
                key::PENALTY_SETTLED,
            ]
            .contains(&c.key)
        }) {
            sheet.row(&line(c.names[0], "是 / 否", "留空视为“否”"))?;
        }
        sheet.row(&line(
            "总投资（万元）",
            "数字，单位万元，最多两位小数",
            "例如 12345.67；1亿元 = 10000万元",
        ))?;
        sheet.row(&line(
            "列入台账日期",
            "YYYY-MM-DD",
            "例如 2023-06-30；留空为导入当日",
        ))?;
        sheet.row(&line(
            "投资项目统一代码",
            "YYMM-行政区划代码-XX-XX-XXXXXX",
            "按此代码匹配已有项目：已有则更新，没有则新增",
        ))?;
        sheet.row(&line(
            "统一社会信用代码",
            "18位",
            "建设单位的统一社会信用代码",
        ))?;
    }
    finish_file(book).await
}

async fn finish_file(book: Book) -> Result<std::fs::File> {
    Ok(tokio::task::spawn_blocking(move || book.finish())
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("writing the workbook: {e}")))??)
}

/// `环评台账导入模板.xlsx`.
pub fn template_file_name() -> String {
    "环评台账导入模板.xlsx".to_owned()
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
