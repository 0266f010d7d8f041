//! The spreadsheet format: reading a sheet the way people lay one out (`read`) and writing one
//! (`write`). What the columns of a ledger or a list mean belongs to the services that import
//! and export them; the problems an import finds are reported as [`Problem`]s.
pub mod ledger;
pub mod read;
pub mod write;

use serde::Serialize;

/// One problem found in an imported file, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The row number Excel shows (1 is the first row).
    pub row: u32,
    /// The column's header as the file has it.
    pub column: String,
    /// What is wrong and what is expected, in Chinese.
    pub message: String,
}

impl Problem {
    pub fn new(row: u32, column: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            row,
            column: column.into(),
            message: message.into(),
        }
    }
}
