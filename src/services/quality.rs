//! How often filings are accepted the first time (一次性受理率): of the filings accepted in a
//! period (by the acceptance's effective date), those accepted with no correction round before,
//! overall and by county or by the officer handling them. Reads only the period's acceptances
//! and the correction requests of those filings.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{Actor, projects};
use crate::domain::filing::Action;
use crate::domain::report::rate;
use crate::error::{Error, Result};
use entity::{app_user, filing, filing_event, project};

/// One line of the first-time-right report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FirstTimeRightFigures {
    /// Filings accepted in the period.
    pub accepted: u64,
    /// Of them, accepted with no correction round (补正) before acceptance.
    pub first_time_right: u64,
    /// Accepted after one or more correction rounds.
    pub corrected: u64,
    /// All correction rounds those filings had before acceptance.
    pub correction_rounds: u64,
    /// `first_time_right / accepted`, rounded half up to four decimals (exactly, then shown as
    /// a JSON number like the summary's rates); null with none accepted.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FirstTimeRightGroup {
    /// A county code, or an officer's id (`unassigned` for none).
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub figures: FirstTimeRightFigures,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FirstTimeRight {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: Option<String>,
    #[serde(flatten)]
    pub figures: FirstTimeRightFigures,
    pub groups: Vec<FirstTimeRightGroup>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    accepted: u64,
    first_time_right: u64,
    rounds: u64,
}

impl Tally {
    fn add(&mut self, rounds: u64) {
        self.accepted += 1;
        self.rounds += rounds;
        if rounds == 0 {
            self.first_time_right += 1;
        }
    }

    fn figures(self) -> FirstTimeRightFigures {
        FirstTimeRightFigures {
            accepted: self.accepted,
            first_time_right: self.first_time_right,
            corrected: self.accepted - self.first_time_right,
            correction_rounds: self.rounds,
            rate: rate(i128::from(self.first_time_right), i128::from(self.accepted))
                .and_then(|r| r.to_f64()),
        }
    }
}

/// `GET /reports/first-time-right?from=&to=&group_by=county|officer`.
#[tracing::instrument(name = "quality::first_time_right", skip_all, fields(%from, %to))]
pub async fn first_time_right<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    group_by: Option<&str>,
) -> Result<FirstTimeRight> {
    if actor.role == crate::domain::role::Role::Owner {
        return Err(Error::Forbidden("建设单位不能查看统计报表".into()));
    }
    let mut errors = Vec::new();
    if to < from {
        errors.push(crate::domain::FieldError::new("to", "不能早于 from"));
    }
    if to > super::today() {
        errors.push(crate::domain::FieldError::new("to", "不能晚于今天"));
    }
    if let Some(g) = group_by
        && !matches!(g, "county" | "officer")
    {
        errors.push(crate::domain::FieldError::new(
            "group_by",
            format!("取值“{g}”无效，应为以下之一：county（县区）、officer（经办人员）"),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    // The period's acceptances still in force; a filing accepted twice (a voided acceptance
    // re-entered) counts once, on its latest acceptance in the period.
    let accepts = filing_event::Entity::find()
        .filter(filing_event::Column::Action.eq(Action::Accept))
        .filter(filing_event::Column::VoidedAt.is_null())
        .filter(filing_event::Column::EffectiveOn.between(from, to))
        .all(db)
        .await?;
    let mut accepted_on: HashMap<i64, (NaiveDate, i64)> = HashMap::new();
    for e in &accepts {
        let entry = accepted_on
            .entry(e.filing_id)
            .or_insert((e.effective_on, e.id));
        if (e.effective_on, e.id) > *entry {
            *entry = (e.effective_on, e.id);
        }
    }
    let ids: Vec<i64> = accepted_on.keys().copied().collect();
    let mut rounds: HashMap<i64, u64> = HashMap::new();
    let mut filings: HashMap<i64, filing::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for e in filing_event::Entity::find()
            .filter(filing_event::Column::FilingId.is_in(chunk.iter().copied()))
            .filter(filing_event::Column::Action.eq(Action::RequestCorrection))
            .filter(filing_event::Column::VoidedAt.is_null())
            .all(db)
            .await?
        {
            if let Some(&(on, id)) = accepted_on.get(&e.filing_id)
                && (e.effective_on, e.id) < (on, id)
            {
                *rounds.entry(e.filing_id).or_default() += 1;
            }
        }
        for f in filing::Entity::find()
            .filter(filing::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            filings.insert(f.id, f);
        }
    }
    let project_ids: Vec<i64> = filings.values().map(|f| f.project_id).collect();
    let mut county_of: HashMap<i64, i64> = HashMap::new();
    let mut removed: HashSet<i64> = HashSet::new();
    for chunk in project_ids.chunks(500) {
        for p in project::Entity::find()
            .filter(project::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if p.removed_at.is_some() {
                removed.insert(p.id);
            }
            county_of.insert(p.id, p.county_id);
        }
    }
    let names = projects::Names::load(db, &[]).await?;
    let mut total = Tally::default();
    let mut groups: BTreeMap<String, (String, Tally)> = BTreeMap::new();
    let officer_ids: Vec<i64> = filings.values().filter_map(|f| f.officer_id).collect();
    let officers: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(officer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    for f in filings.values() {
        if removed.contains(&f.project_id) {
            continue;
        }
        let n = rounds.get(&f.id).copied().unwrap_or(0);
        total.add(n);
        let (key, label) = match group_by {
            Some("county") => {
                let county = county_of.get(&f.project_id).copied().unwrap_or_default();
                let code = names
                    .counties
                    .get(&county)
                    .map(|c| c.code.clone())
                    .unwrap_or_default();
                (code, names.county_name(county))
            }
            Some(_) => match f.officer_id {
                Some(id) => (
                    id.to_string(),
                    officers.get(&id).cloned().unwrap_or_default(),
                ),
                None => ("unassigned".to_owned(), "未分配".to_owned()),
            },
            None => continue,
        };
        groups
            .entry(key)
            .or_insert_with(|| (label, Tally::default()))
            .1
            .add(n);
    }
    Ok(FirstTimeRight {
        from,
        to,
        group_by: group_by.map(str::to_owned),
        figures: total.figures(),
        groups: groups
            .into_iter()
            .map(|(key, (label, tally))| FirstTimeRightGroup {
                key,
                label,
                figures: tally.figures(),
            })
            .collect(),
    })
}
