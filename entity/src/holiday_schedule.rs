use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holiday_schedule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub year: i32,
    /// The schedule as published (holiday-cn JSON shape).
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub loaded_by: Option<i64>,
    pub loaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::stamped!(loaded_at);
