//! The ledger's columns as a workbook has them: the names the export writes (the first of each
//! column's names, fixed by the API), the other names an imported file may use for the same
//! column, and which columns the import owns. Export, import and the template all read this
//! one table, so a file the export wrote imports unchanged.
use super::read::Column;

/// Columns the import reads and the export writes.
pub mod key {
    pub const NAME: &str = "name";
    pub const PROJECT_CODE: &str = "project_code";
    pub const ORGANIZATION: &str = "organization";
    pub const CREDIT_CODE: &str = "credit_code";
    pub const COUNTY: &str = "county";
    /// 省级 / 市级 / 省市级 in one column.
    pub const LEVEL: &str = "level";
    /// 是/否 columns, when a file has the two lists apart.
    pub const PROVINCIAL: &str = "provincial";
    pub const MUNICIPAL: &str = "municipal";
    pub const INDUSTRY: &str = "industry";
    pub const INVESTMENT_WAN: &str = "investment_wan";
    pub const INVESTMENT_YI: &str = "investment_yi";
    pub const POINT_TO_POINT: &str = "point_to_point";
    pub const BUILT_BEFORE_APPROVAL: &str = "built_before_approval";
    pub const PENALTY_SETTLED: &str = "penalty_settled";
    pub const LISTED_ON: &str = "listed_on";
    pub const DESCRIPTION: &str = "description";
    pub const CROSS_COUNTY_REASON: &str = "cross_county_reason";
    // Written by the export, read past by the import: they change only through classification
    // and filing actions.
    pub const TIER: &str = "tier";
    pub const FILING_STATE: &str = "filing_state";
    pub const ACCEPTED_ON: &str = "accepted_on";
    pub const RECEIPT_NO: &str = "receipt_no";
    pub const DECIDED_ON: &str = "decided_on";
    pub const DECISION_NO: &str = "decision_no";
    pub const DUE_ON: &str = "due_on";
}

const fn c(key: &'static str, names: &'static [&'static str]) -> Column {
    Column { key, names }
}

/// What the import owns, in the export's order. The first name of each is the export's header.
pub const IMPORTED: &[Column] = &[
    c(key::NAME, &["项目名称", "项目名", "建设项目名称"]),
    c(
        key::PROJECT_CODE,
        &[
            "投资项目统一代码",
            "项目代码",
            "项目统一代码",
            "统一项目代码",
            "投资项目代码",
        ],
    ),
    c(key::ORGANIZATION, &["建设单位", "项目单位", "建设单位名称"]),
    c(
        key::CREDIT_CODE,
        &[
            "统一社会信用代码",
            "建设单位统一社会信用代码",
            "信用代码",
            "社会信用代码",
        ],
    ),
    c(
        key::COUNTY,
        &["县区", "县（区）", "所在县区", "区县", "县市区"],
    ),
    c(key::LEVEL, &["重点项目级别", "项目级别", "重点项目类别"]),
    c(key::PROVINCIAL, &["省级重点项目", "省级", "省重点"]),
    c(key::MUNICIPAL, &["市级重点项目", "市级", "市重点"]),
    c(key::INDUSTRY, &["行业", "所属行业", "行业类别"]),
    c(
        key::INVESTMENT_WAN,
        &[
            "总投资（万元）",
            "投资（万元）",
            "总投资额（万元）",
            "总投资",
        ],
    ),
    c(
        key::INVESTMENT_YI,
        &["总投资（亿元）", "投资（亿元）", "总投资额（亿元）"],
    ),
    c(
        key::POINT_TO_POINT,
        &["点对点服务", "点对点", "是否点对点服务"],
    ),
    c(key::BUILT_BEFORE_APPROVAL, &["未批先建", "是否未批先建"]),
    c(
        key::PENALTY_SETTLED,
        &["处罚已履行", "处罚是否履行完毕", "处罚履行完毕"],
    ),
    c(key::LISTED_ON, &["列入台账日期", "入库日期", "列入日期"]),
    c(key::DESCRIPTION, &["项目概况", "建设内容", "备注"]),
    c(
        key::CROSS_COUNTY_REASON,
        &["跨县区说明", "跨区县说明", "代码与县区不一致的说明"],
    ),
];

/// What the export adds and the import reads past (reported once as ignored).
pub const DERIVED: &[Column] = &[
    c(key::TIER, &["环评类别", "环评类型", "环境影响评价类别"]),
    c(key::FILING_STATE, &["申报状态", "办理状态"]),
    c(key::ACCEPTED_ON, &["受理日期"]),
    c(key::RECEIPT_NO, &["登记表备案号", "备案号"]),
    c(key::DECIDED_ON, &["审批日期", "批复日期", "审批时间"]),
    c(key::DECISION_NO, &["审批文号", "批复文号"]),
    c(key::DUE_ON, &["办结期限"]),
];

/// The columns the import requires to find the header and create a project.
pub const REQUIRED: &[&str] = &[
    key::NAME,
    key::PROJECT_CODE,
    key::ORGANIZATION,
    key::CREDIT_CODE,
    key::COUNTY,
    key::INDUSTRY,
];

/// The columns the export writes, in order: the imported ones except the alternative spellings
/// (the level in one column, the amount in 万元), then the derived ones.
pub fn export_columns() -> impl Iterator<Item = &'static Column> {
    IMPORTED
        .iter()
        .filter(|c| ![key::PROVINCIAL, key::MUNICIPAL, key::INVESTMENT_YI].contains(&c.key))
        .chain(DERIVED)
}

/// Every column a ledger file may have, for finding its header.
pub fn all_columns() -> Vec<Column> {
    IMPORTED.iter().chain(DERIVED).copied().collect()
}

/// The 重点项目级别 text for a project on the provincial and/or municipal list.
pub fn level_text(provincial: bool, municipal: bool) -> &'static str {
    match (provincial, municipal) {
        (true, true) => "省级、市级",
        (true, false) => "省级",
        (false, true) => "市级",
        (false, false) => "",
    }
}

/// Reads a 重点项目级别 cell: 省级, 市级, 省市级, 省级、市级, 省级重点项目 …; blank is neither
/// list. `None` when the text names no level.
pub fn parse_level(text: &str) -> Option<(bool, bool)> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t == "无" || t == "非重点" || t == "非重点项目" {
        return Some((false, false));
    }
    let stripped = t
        .replace("重点项目", "")
        .replace("重点", "")
        .replace("项目", "");
    let provincial = stripped.contains('省');
    let municipal = stripped.contains('市');
    let rest: String = stripped
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '省' | '市' | '级' | '、' | '/' | ',' | '，' | '和' | '及' | '+'
            )
        })
        .collect();
    if (provincial || municipal) && rest.is_empty() {
        Some((provincial, municipal))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_the_spellings_bureaus_use() {
        assert_eq!(parse_level("省级"), Some((true, false)));
        assert_eq!(parse_level("市级重点项目"), Some((false, true)));
        assert_eq!(parse_level("省市级"), Some((true, true)));
        assert_eq!(parse_level("省级、市级"), Some((true, true)));
        assert_eq!(parse_level(""), Some((false, false)));
        assert_eq!(parse_level("国家级"), None);
        for (p, m) in [(true, true), (true, false), (false, true), (false, false)] {
            assert_eq!(parse_level(level_text(p, m)), Some((p, m)));
        }
    }

    #[test]
    fn the_export_writes_the_apis_names() {
        let names: Vec<&str> = export_columns().map(|c| c.names[0]).collect();
        for required in [
            "项目名称",
            "投资项目统一代码",
            "建设单位",
            "统一社会信用代码",
            "县区",
            "重点项目级别",
            "行业",
            "总投资（万元）",
            "点对点服务",
            "未批先建",
            "环评类别",
        ] {
            assert!(names.contains(&required), "{required}");
        }
    }
}
