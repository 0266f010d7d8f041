use sea_orm::entity::prelude::*;

use crate::Json;

/// 月度报告 — the province's monthly report for one month: the figures frozen when it was
/// drafted, who approved it, and when it was sent.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `YYYY-MM`.
    #[sea_orm(unique)]
    pub month: String,
    pub status: Status,
    /// The month's figures as taken when drafted (shape: `services::monthly_reports::Snapshot`).
    #[sea_orm(column_type = "Text")]
    pub figures: Json<serde_json::Value>,
    pub drafted_at: DateTimeUtc,
    /// None when the scheduler drafted it.
    pub drafted_by: Option<i64>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    /// The address the approved report was sent to; None when none was configured.
    pub send_to: Option<String>,
    /// The workbook as approved (what the province receives).
    #[sea_orm(column_type = "Blob", nullable)]
    pub file: Option<Vec<u8>>,
    /// The approved workbook's file name, as attached to the mail.
    pub file_name: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::versioned!();

/// Where a monthly report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Status {
    /// 草稿 — drafted, awaiting an officer's review.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// 已审核 — approved; the mail to the province is queued (or no address is configured).
    #[sea_orm(string_value = "approved")]
    Approved,
    /// 已报送 — the mail to the province was delivered.
    #[sea_orm(string_value = "sent")]
    Sent,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Approved => "approved",
            Status::Sent => "sent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Approved => "已审核",
            Status::Sent => "已报送",
        }
    }
}
