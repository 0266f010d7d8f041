//! Inserting thousands of rows at once (an import, its audit trail): multi-row `INSERT …
//! VALUES` statements written here, with every cell bound as a parameter. Building each row as
//! an ORM model and then a query costs several times what the database spends storing it, so
//! the rows come as plain values in column order and go straight to the driver.
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::error::Result;

/// Parameters one statement binds at most: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS: usize = 30_000;

/// Rows a statement carries at most, whatever the width.
const MAX_ROWS: usize = 1_000;

/// Inserts `rows` (each its cells in the order of `columns`) into `table`, as few statements as
/// the parameter limits allow, and gives back the `returning` columns of every inserted row
/// (nothing when `returning` is empty). `table` and the column names are the caller's
/// constants, never input.
pub(crate) async fn insert<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
    returning: &[&str],
) -> Result<Vec<QueryResult>> {
    let backend = db.get_database_backend();
    let per_statement = (MAX_PARAMETERS / columns.len().max(1)).clamp(1, MAX_ROWS);
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        let sql = statement(backend, table, columns, batch.len(), returning);
        let mut values = Vec::with_capacity(batch.len() * columns.len());
        for row in batch {
            debug_assert_eq!(row.len(), columns.len(), "a row of {table}");
            values.extend(row);
        }
        let statement = Statement::from_sql_and_values(backend, sql, values);
        if returning.is_empty() {
            db.execute_raw(statement).await?;
        } else {
            out.extend(db.query_all_raw(statement).await?);
        }
    }
    Ok(out)
}

fn statement(
    backend: DbBackend,
    table: &str,
    columns: &[&str],
    rows: usize,
    returning: &[&str],
) -> String {
    let quoted = |names: &[&str]| {
        names
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut sql = format!("INSERT INTO \"{table}\" ({}) VALUES ", quoted(columns));
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            match backend {
                DbBackend::Postgres => sql.push_str(&format!("${n}")),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    if !returning.is_empty() {
        sql.push_str(&format!(" RETURNING {}", quoted(returning)));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_bind_every_cell() {
        assert_eq!(
            statement(
                DbBackend::Sqlite,
                "project",
                &["name", "listed_on"],
                2,
                &["id"]
            ),
            "INSERT INTO \"project\" (\"name\", \"listed_on\") VALUES (?, ?), (?, ?) \
             RETURNING \"id\""
        );
        assert_eq!(
            statement(
                DbBackend::Postgres,
                "project",
                &["name", "listed_on"],
                2,
                &[]
            ),
            "INSERT INTO \"project\" (\"name\", \"listed_on\") VALUES ($1, $2), ($3, $4)"
        );
    }
}
