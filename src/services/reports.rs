//! Reads the ledger as it stood on a date and hands it to the report arithmetic in
//! `domain::report`.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::Actor;
use crate::domain::ledger::{KeyLevel, Tier};
use crate::domain::money::Wan;
use crate::domain::report::{self, GroupBy, ReportProject, Summary};
use crate::error::{Error, Result};
use entity::{classification, county, filing, filing_event, project};

/// Every ledger project listed on or before `as_of`, with the classification in force and the
/// state of its filings at the end of that day.
#[tracing::instrument(name = "reports::projects_as_of", skip_all, fields(%as_of))]
pub async fn projects_as_of<C: ConnectionTrait>(
    db: &C,
    as_of: NaiveDate,
) -> Result<Vec<(project::Model, ReportProject)>> {
    let counties: HashMap<i64, county::Model> = county::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let projects = project::Entity::find()
        .filter(project::Column::ListedOn.lte(as_of))
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;

    // The latest decision on or before the date wins.
    let mut tiers: HashMap<i64, Tier> = HashMap::new();
    for c in classification::Entity::find()
        .filter(classification::Column::DecidedOn.lte(as_of))
        .order_by_asc(classification::Column::DecidedOn)
        .order_by_asc(classification::Column::Id)
        .all(db)
        .await?
    {
        tiers.insert(c.project_id, c.tier);
    }

    let filing_project: HashMap<i64, i64> = filing::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.project_id))
        .collect();
    let events = filing_event::Entity::find()
        .filter(filing_event::Column::EffectiveOn.lte(as_of))
        .order_by_asc(filing_event::Column::FilingId)
        .order_by_asc(filing_event::Column::EffectiveOn)
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?;
    let mut history: HashMap<i64, Vec<(NaiveDate, &str)>> = HashMap::new();
    for e in &events {
        history
            .entry(e.filing_id)
            .or_default()
            .push((e.effective_on, e.to_state.as_str()));
    }
    let mut accepted: HashMap<i64, bool> = HashMap::new();
    for (filing_id, steps) in history {
        let counts =
            report::state_as_of(steps, as_of).is_some_and(report::counts_as_accepted_or_decided);
        if counts && let Some(project_id) = filing_project.get(&filing_id) {
            accepted.insert(*project_id, true);
        }
    }

    projects
        .into_iter()
        .map(|p| {
            let county = counties
                .get(&p.county_id)
                .ok_or_else(|| anyhow::anyhow!("project {} has no county", p.id))?;
            let rp = ReportProject {
                county_code: county.code.clone(),
                county_name: county.name.clone(),
                level: KeyLevel::of(p.provincial, p.municipal),
                industry: p.industry.clone(),
                investment: Wan::from_hundredths(p.total_investment),
                point_to_point: p.point_to_point,
                tier: tiers.get(&p.id).copied(),
                accepted_or_decided: accepted.get(&p.id).copied().unwrap_or(false),
            };
            Ok((p, rp))
        })
        .collect()
}

#[tracing::instrument(
    name = "reports::summary",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, %as_of, group_by = ?group_by)
)]
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    as_of: NaiveDate,
    group_by: Option<GroupBy>,
) -> Result<Summary> {
    if !actor.role.reads_reports() {
        return Err(Error::Forbidden("建设单位无权查看统计报表".into()));
    }
    let projects: Vec<ReportProject> = projects_as_of(db, as_of)
        .await?
        .into_iter()
        .map(|(_, rp)| rp)
        .collect();
    Ok(report::summarize(&projects, group_by))
}
