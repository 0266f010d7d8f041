//! Who hears of a filing's action, and the typed message they get: the assigned officer of a
//! submission (or, when nobody is assigned, the officers who may claim it from the shared
//! queue, one queue notice each), the officer of a withdrawal, the owner of a correction
//! request, acceptance, refusal, decision or registration receipt. The words are
//! `notify::messages`'; the deadlines the filing's own clock.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::assignment;
use crate::config::Settings;
use crate::domain::filing::{Action, ClockInput, ClockStop, filing_clock};
use crate::error::Result;
use crate::notify::messages::{
    CorrectionRequested, Decision, Due, FilingAccepted, FilingDecided, FilingQueued, FilingRefused,
    FilingSubmitted, FilingWithdrawn, HearingRequested, RegistrationReceipt,
};
use crate::services::calendar;
use crate::services::notifications::{self, Occasion};
use entity::{clock_stop, county, filing, filing_event, organization, project};

/// Tells those concerned of an action, in the action's transaction: who hears of it is decided
/// here, what they read in `notify::messages`. Deadlines come from the filing's own clock.
pub(super) async fn announce<C: ConnectionTrait>(
    txn: &C,
    settings: &Settings,
    f: &filing::Model,
    project: &project::Model,
    earlier: &[filing_event::Model],
    event: &filing_event::Model,
) -> Result<()> {
    let tier = f.tier;
    let on = event.effective_on;
    let clocks = settings.clocks.effective();
    let clock = {
        let history: Vec<(Action, NaiveDate)> = earlier
            .iter()
            .chain(std::iter::once(event))
            .map(|e| (e.action, e.effective_on))
            .collect();
        let stops: Vec<ClockStop> = clock_stop::Entity::find()
            .filter(clock_stop::Column::FilingId.eq(f.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| ClockStop {
                reason: s.reason,
                from: s.from_on,
                to: s.to_on,
            })
            .collect();
        let input = ClockInput {
            tier,
            state: event.to_state,
            history: &history,
            extra_stops: &stops,
        };
        filing_clock(&input, on, &clocks, &calendar::load(txn).await?).ok()
    };
    let owners = || notifications::owners_of(txn, project.organization_id);
    let owner_name = || async {
        Ok::<_, crate::error::Error>(
            organization::Entity::find_by_id(project.organization_id)
                .one(txn)
                .await?
                .map(|o| o.name)
                .unwrap_or_default(),
        )
    };
    let occasion = Occasion {
        key: format!("filing:{}:event:{}", f.id, event.id),
        entity: Some(("filing", f.id)),
    };
    let written = match event.action {
        Action::Submit | Action::Resubmit => {
            let due = Due {
                on: clock.as_ref().and_then(|c| c.acceptance_due),
                estimated: clock.as_ref().is_some_and(|c| c.estimated),
                after: "收到申请",
                days: clocks.acceptance_working_days,
                working_days: true,
            };
            match f.officer_id {
                // Only the assignee hears of it.
                Some(id) => {
                    let officer: Vec<_> = notifications::user(txn, id).await?.into_iter().collect();
                    let message = FilingSubmitted {
                        filing_id: f.id,
                        project_name: project.name.clone(),
                        project_code: project.project_code.clone(),
                        owner_name: owner_name().await?,
                        tier,
                        on,
                        due,
                    };
                    notifications::enqueue(txn, settings, occasion, &message, &officer).await?
                }
                // Nobody is assigned: one queue notice to each officer who may claim it.
                None => {
                    let county_name = county::Entity::find_by_id(project.county_id)
                        .one(txn)
                        .await?
                        .map(|c| c.name)
                        .unwrap_or_default();
                    let message = FilingQueued {
                        filing_id: f.id,
                        project_name: project.name.clone(),
                        project_code: project.project_code.clone(),
                        owner_name: owner_name().await?,
                        county_name,
                        tier,
                        on,
                        due,
                    };
                    let officers = assignment::queue_officers(txn, project.county_id).await?;
                    notifications::enqueue(txn, settings, occasion, &message, &officers).await?
                }
            }
        }
        Action::Withdraw => match f.officer_id {
            Some(id) => {
                let officer: Vec<_> = notifications::user(txn, id).await?.into_iter().collect();
                let message = FilingWithdrawn {
                    filing_id: f.id,
                    project_name: project.name.clone(),
                    owner_name: owner_name().await?,
                    tier,
                    on,
                    note: event.reason.clone(),
                };
                notifications::enqueue(txn, settings, occasion, &message, &officer).await?
            }
            None => 0,
        },
        Action::Register => {
            let message = RegistrationReceipt {
                filing_id: f.id,
                project_name: project.name.clone(),
                project_code: project.project_code.clone(),
                on,
                receipt_no: event.detail.receipt_no.clone().unwrap_or_default(),
            };
            notifications::enqueue(txn, settings, occasion, &message, &owners().await?).await?
        }
        Action::RequestCorrection => {
            let message = CorrectionRequested {
                filing_id: f.id,
                project_name: project.name.clone(),
                tier,
                items: event.detail.missing_items.clone(),
            };
            notifications::enqueue(txn, settings, occasion, &message, &owners().await?).await?
        }
        Action::Accept => {
            let message = FilingAccepted {
                filing_id: f.id,
                project_name: project.name.clone(),
                tier,
                on,
                due: Due {
                    on: clock.as_ref().and_then(|c| c.decision_due),
                    estimated: clock.as_ref().is_some_and(|c| c.estimated),
                    after: "受理",
                    days: clocks.decision_days(tier).unwrap_or_default(),
                    working_days: clocks.decision_days_are_working_days,
                },
            };
            notifications::enqueue(txn, settings, occasion, &message, &owners().await?).await?
        }
        Action::Refuse => {
            let message = FilingRefused {
                filing_id: f.id,
                project_name: project.name.clone(),
                tier,
                on,
                reason: event.reason.clone().unwrap_or_default(),
            };
            notifications::enqueue(txn, settings, occasion, &message, &owners().await?).await?
        }
        Action::Approve | Action::Disapprove => {
            let detail = &event.detail;
            let message = FilingDecided {
                filing_id: f.id,
                project_name: project.name.clone(),
                tier,
                on,
                decision_no: detail.decision_no.clone(),
                decision: if event.action == Action::Approve {
                    Decision::Approved {
                        decision_text: detail.decision_text.clone(),
                    }
                } else {
                    Decision::Disapproved {
                        citations: detail.citations.clone(),
                        reason: event.reason.clone().unwrap_or_default(),
                    }
                },
            };
            notifications::enqueue(txn, settings, occasion, &message, &owners().await?).await?
        }
        Action::StartEvaluation | Action::FinishEvaluation => 0,
    };
    tracing::debug!(filing_id = f.id, written, "notifications written");
    Ok(())
}

/// A hearing asked for today reaches the officer handling the filing, or the officers who may
/// claim it while nobody does; one recorded afterwards with an earlier date is history.
pub(super) async fn hearing_requested<C: ConnectionTrait>(
    txn: &C,
    settings: &Settings,
    f: &filing::Model,
    project: &project::Model,
    hearing: &entity::hearing_request::Model,
) -> Result<()> {
    if hearing.requested_on != crate::services::today() {
        return Ok(());
    }
    let officers = match f.officer_id {
        Some(id) => notifications::user(txn, id).await?.into_iter().collect(),
        None => assignment::queue_officers(txn, project.county_id).await?,
    };
    let message = HearingRequested {
        filing_id: f.id,
        project_name: project.name.clone(),
        tier: f.tier,
        party_label: hearing.party.label(),
        requester: hearing.requester.clone(),
        requested_on: hearing.requested_on,
    };
    let occasion = Occasion {
        key: format!("filing:{}:hearing:{}", f.id, hearing.id),
        entity: Some(("filing", f.id)),
    };
    notifications::enqueue(txn, settings, occasion, &message, &officers).await?;
    Ok(())
}
