//! Who may do what. Roles are ordered by how much of the ledger they may touch, so a ledger check
//! is a comparison: reading reports needs `>= Leader`, keeping the ledger `>= Officer`. Moving a
//! filing goes by `filing::transition`, not by this order.
use serde::{Deserialize, Serialize};

use crate::names::{UnknownCode, named_enum};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
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

named_enum!(Role {
    Owner => "owner", "建设单位";
    Leader => "leader", "局领导";
    Officer => "officer", "审批人员";
    Admin => "admin", "系统管理员";
});

impl Role {
    pub fn parse(code: &str) -> Option<Role> {
        code.parse().ok()
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

/// Who an audit row or a filing event names as acting: a signed-in user in their role, or the
/// service itself (the command line, the scheduler, the demo loader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    Owner,
    Leader,
    Officer,
    Admin,
    System,
}

named_enum!(ActorRole {
    Owner => "owner", "建设单位";
    Leader => "leader", "局领导";
    Officer => "officer", "审批人员";
    Admin => "admin", "系统管理员";
    System => "system", "系统";
});

impl From<Role> for ActorRole {
    fn from(role: Role) -> ActorRole {
        match role {
            Role::Owner => ActorRole::Owner,
            Role::Leader => ActorRole::Leader,
            Role::Officer => ActorRole::Officer,
            Role::Admin => ActorRole::Admin,
        }
    }
}

#[cfg(test)]
mod actor_role_tests {
    use super::*;

    #[test]
    fn codes_are_consistent_and_match_the_roles() {
        crate::names::assert_codes_consistent(&ActorRole::ALL);
        crate::names::assert_codes_consistent(&Role::ALL);
        for role in Role::ALL {
            assert_eq!(ActorRole::from(role).as_str(), role.as_str());
        }
    }
}
