use domain::filing::NumberKind;
use sea_orm::entity::prelude::*;

/// The last number issued per kind (decision, registration receipt) and year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "number_sequence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: NumberKind,
    pub year: i32,
    pub last: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
