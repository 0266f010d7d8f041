//! Decision and receipt numbers (批复文号, 备案号): the next of the year's sequence, inside the
//! action's transaction, or a number recorded off paper with the sequence moved past it.
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TryInsertResult,
    sea_query::{Expr, ExprTrait},
};

use crate::domain::filing::{NumberKind, format_number, parse_number};
use crate::error::Result;
use entity::number_sequence;

/// The next number of a per-year sequence, formatted. Runs inside the action's transaction, so a
/// failed action gives its number back.
pub(super) async fn next_number<C: ConnectionTrait>(
    db: &C,
    kind: NumberKind,
    year: i32,
    format: &str,
) -> Result<String> {
    let bump = || {
        number_sequence::Entity::update_many()
            .col_expr(
                number_sequence::Column::Last,
                Expr::col(number_sequence::Column::Last).add(1),
            )
            .filter(number_sequence::Column::Kind.eq(kind))
            .filter(number_sequence::Column::Year.eq(year))
    };
    if bump().exec(db).await?.rows_affected == 0 {
        // The year's first number. Two actions at once may both get here; the second waits for
        // the first's row and then takes the next number, instead of failing the whole action on
        // the unique index (a 409 "duplicate" for a decision that did nothing wrong).
        let created = number_sequence::Entity::insert(number_sequence::ActiveModel {
            kind: Set(kind),
            year: Set(year),
            last: Set(1),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([number_sequence::Column::Kind, number_sequence::Column::Year])
        .exec_without_returning(db)
        .await?;
        if !matches!(created, TryInsertResult::Inserted(n) if n > 0) {
            bump().exec(db).await?;
        }
    }
    let row = number_sequence::Entity::find()
        .filter(number_sequence::Column::Kind.eq(kind))
        .filter(number_sequence::Column::Year.eq(year))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("number sequence {kind}/{year} vanished"))?;
    Ok(format_number(format, year, row.last))
}

/// A number recorded off paper: the year's sequence moves past it, so a number issued later
/// never repeats it.
pub(super) async fn keep_sequence_ahead<C: ConnectionTrait>(
    db: &C,
    kind: NumberKind,
    year: i32,
    format: &str,
    number: &str,
) -> Result<()> {
    let Some(seq) = parse_number(format, year, number) else {
        return Ok(());
    };
    number_sequence::Entity::insert(number_sequence::ActiveModel {
        kind: Set(kind),
        year: Set(year),
        last: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([number_sequence::Column::Kind, number_sequence::Column::Year])
    .exec_without_returning(db)
    .await?;
    number_sequence::Entity::update_many()
        .col_expr(number_sequence::Column::Last, Expr::value(seq))
        .filter(number_sequence::Column::Kind.eq(kind))
        .filter(number_sequence::Column::Year.eq(year))
        .filter(number_sequence::Column::Last.lt(seq))
        .exec(db)
        .await?;
    Ok(())
}
