//! Hearing requests (听证申请) made during the pre-decision notice (行政许可法 Art. 47): who asked,
//! and where the request stands. While one is open no decision is taken.
use serde::{Deserialize, Serialize};

use crate::names::{UnknownCode, named_enum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingParty {
    /// 申请人 — the owner, in the service.
    Owner,
    /// 利害关系人 — a member of the public, recorded by an officer.
    Public,
}

named_enum!(HearingParty {
    Owner => "owner", "申请人";
    Public => "public", "利害关系人";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingStatus {
    /// 已申请 — open: no decision until it is held or withdrawn.
    Requested,
    /// 已举行.
    Held,
    /// 已撤回.
    Withdrawn,
}

named_enum!(HearingStatus {
    Requested => "requested", "已申请";
    Held => "held", "已举行";
    Withdrawn => "withdrawn", "已撤回";
});
