//! Who may do what. Roles are ordered by how much of the ledger they may touch, so a check is a
//! comparison: reading reports needs `>= Leader`, keeping the ledger `>= Officer`.
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 建设单位 — sees and files for its own organisation's projects only.
    Owner,
    /// 局领导 — reads everything, changes nothing.
    Leader,
    /// 审批人员 — keeps the ledger, classifies, accepts and decides.
    Officer,
    /// 管理员 — accounts, settings, calendars, imports; and everything an officer does.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Leader, Role::Officer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Owner => "建设单位",
            Role::Leader => "局领导",
            Role::Officer => "审批人员",
            Role::Admin => "管理员",
        }
    }

    pub fn reads_reports(self) -> bool {
        self >= Role::Leader
    }

    pub fn keeps_ledger(self) -> bool {
        self >= Role::Officer
    }

    pub fn sees_all_projects(self) -> bool {
        self >= Role::Leader
    }
}
