use domain::exemption::{ExemptionItem, Jurisdiction};
use sea_orm::entity::prelude::*;

use crate::Json;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_exemption")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// e.g. 环综合〔2020〕13号
    #[sea_orm(unique)]
    pub document_no: String,
    pub title: String,
    pub issuer: String,
    pub issued_on: Date,
    /// `national`, `provincial` or `municipal`, with the region in the title or note.
    pub jurisdiction: Jurisdiction,
    /// What the document covers, in words.
    #[sea_orm(column_type = "Text")]
    pub covers: String,
    /// JSON array of items: catalogue rows, the tiers they free, description, effect.
    #[sea_orm(column_type = "Text")]
    pub items: Json<Vec<ExemptionItem>>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::versioned!();
