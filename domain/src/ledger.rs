//! The ledger's vocabulary: EIA tiers, industries, key-project levels and the county-level
//! divisions Shangluo starts with.
use serde::{Deserialize, Serialize};

use crate::names::{UnknownCode, named_enum};

/// Which EIA document a project needs (分类管理名录 2021), ordered by strictness (Art. 4).
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
pub enum Tier {
    /// 不纳入环评管理 — no EIA procedure.
    Exempt,
    /// 登记表 — filed online (备案), not approved.
    RegistrationForm,
    /// 报告表
    ReportForm,
    /// 报告书
    Report,
}

named_enum!(Tier {
    Exempt => "exempt", "豁免（不纳入环评管理）";
    RegistrationForm => "registration_form", "登记表";
    ReportForm => "report_form", "报告表";
    Report => "report", "报告书";
});

impl Tier {
    /// From strictest to least strict: the order a catalogue row's clauses are tried in.
    pub const STRICTEST_FIRST: [Tier; 4] = [
        Tier::Report,
        Tier::ReportForm,
        Tier::RegistrationForm,
        Tier::Exempt,
    ];

    pub fn parse(code: &str) -> Option<Tier> {
        code.parse().ok()
    }

    /// False exactly for exempt projects.
    pub fn required(self) -> bool {
        self != Tier::Exempt
    }
}

/// The industries the ledger groups projects by: key and Chinese label.
pub const INDUSTRIES: &[(&str, &str)] = &[
    ("transport", "交通运输"),
    ("energy", "能源"),
    ("mining", "矿产资源"),
    ("water", "水利与供水"),
    ("environment", "生态环保与市政"),
    ("social", "社会民生"),
    ("tourism", "文化旅游"),
    ("industry", "工业与园区"),
    ("agriculture", "农林业"),
];

pub fn industry_label(key: &str) -> Option<&'static str> {
    INDUSTRIES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, label)| *label)
}

/// Key-project level as the report groups it: each project falls in exactly one group, so the
/// groups add up to the totals. A project on both lists counts as provincial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyLevel {
    /// 省级重点项目 (may also be on the municipal list)
    Provincial,
    /// 市级重点项目 only
    Municipal,
    /// on neither list
    Other,
}

named_enum!(KeyLevel {
    Provincial => "provincial", "省级重点项目";
    Municipal => "municipal", "市级重点项目";
    Other => "other", "非重点项目";
});

impl KeyLevel {
    pub fn of(provincial: bool, municipal: bool) -> KeyLevel {
        match (provincial, municipal) {
            (true, _) => KeyLevel::Provincial,
            (false, true) => KeyLevel::Municipal,
            (false, false) => KeyLevel::Other,
        }
    }
}

/// A county-level division (GB/T 2260) as loaded into the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
}

/// 商洛市 (611000) and its seven county-level divisions.
pub const SHANGLUO: (&str, &str) = ("611000", "商洛市");
pub const SHANGLUO_DIVISIONS: [Division; 7] = [
    Division {
        code: "611002",
        name: "商州区",
    },
    Division {
        code: "611021",
        name: "洛南县",
    },
    Division {
        code: "611022",
        name: "丹凤县",
    },
    Division {
        code: "611023",
        name: "商南县",
    },
    Division {
        code: "611024",
        name: "山阳县",
    },
    Division {
        code: "611025",
        name: "镇安县",
    },
    Division {
        code: "611026",
        name: "柞水县",
    },
];
