//! The statutory grounds for disapproving a report or report form: 《建设项目环境保护管理条例》
//! (2017) Art. 11, items (一)–(五). A disapproval records one or more of them.

use serde::{Deserialize, Serialize};

use crate::names::{UnknownCode, named_enum};

/// One ground of 条例 Art. 11 for 不予批准.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisapprovalGround {
    /// (一) Type, site, layout or scale breaks environmental law or statutory plans.
    NonconformingWithLawOrPlans,
    /// (二) The area misses environmental quality standards and the measures cannot meet its
    /// improvement targets.
    RegionalQualityTargetsUnmet,
    /// (三) Pollution controls cannot ensure compliant emissions, or no necessary measures against
    /// ecological damage.
    EmissionsOrEcologyUncontrolled,
    /// (四) A renovation, expansion or technical upgrade with no effective fix for existing
    /// pollution and ecological damage.
    ExistingPollutionUnaddressed,
    /// (五) Basic data clearly untrue, major defects or omissions, or unclear or unsound
    /// conclusions.
    DefectiveDocument,
}

named_enum!(DisapprovalGround {
    NonconformingWithLawOrPlans => "nonconforming_with_law_or_plans", "不符合环境保护法律法规和相关法定规划";
    RegionalQualityTargetsUnmet => "regional_quality_targets_unmet", "不能满足区域环境质量改善目标管理要求";
    EmissionsOrEcologyUncontrolled => "emissions_or_ecology_uncontrolled", "无法确保达标排放或未采取必要生态保护措施";
    ExistingPollutionUnaddressed => "existing_pollution_unaddressed", "未针对原有环境污染和生态破坏提出有效防治措施";
    DefectiveDocument => "defective_document", "基础资料数据明显不实或评价结论不明确、不合理";
});

impl DisapprovalGround {
    /// The item number within Art. 11, 1–5.
    pub const fn item(self) -> u8 {
        match self {
            DisapprovalGround::NonconformingWithLawOrPlans => 1,
            DisapprovalGround::RegionalQualityTargetsUnmet => 2,
            DisapprovalGround::EmissionsOrEcologyUncontrolled => 3,
            DisapprovalGround::ExistingPollutionUnaddressed => 4,
            DisapprovalGround::DefectiveDocument => 5,
        }
    }

    /// The item's full wording in the regulation, for the written decision.
    pub const fn statute_text(self) -> &'static str {
        match self {
            DisapprovalGround::NonconformingWithLawOrPlans => {
                "（一）建设项目类型及其选址、布局、规模等不符合环境保护法律法规和相关法定规划"
            }
            DisapprovalGround::RegionalQualityTargetsUnmet => {
                "（二）所在区域环境质量未达到国家或者地方环境质量标准，且建设项目拟采取的措施不能满足区域环境质量改善目标管理要求"
            }
            DisapprovalGround::EmissionsOrEcologyUncontrolled => {
                "（三）建设项目采取的污染防治措施无法确保污染物排放达到国家和地方排放标准，或者未采取必要措施预防和控制生态破坏"
            }
            DisapprovalGround::ExistingPollutionUnaddressed => {
                "（四）改建、扩建和技术改造项目，未针对项目原有环境污染和生态破坏提出有效防治措施"
            }
            DisapprovalGround::DefectiveDocument => {
                "（五）建设项目的环境影响报告书、环境影响报告表的基础资料数据明显不实，内容存在重大缺陷、遗漏，或者环境影响评价结论不明确、不合理"
            }
        }
    }

    /// The citation for a decision letter: "《建设项目环境保护管理条例》第十一条第（三）项".
    pub fn citation(self) -> String {
        const NUMERALS: [&str; 5] = ["一", "二", "三", "四", "五"];
        let numeral = NUMERALS[usize::from(self.item() - 1)];
        format!("《建设项目环境保护管理条例》第十一条第（{numeral}）项")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::assert_codes_consistent;

    #[test]
    fn five_grounds_numbered_in_order() {
        assert_codes_consistent(&DisapprovalGround::ALL);
        let items: Vec<u8> = DisapprovalGround::ALL.iter().map(|g| g.item()).collect();
        assert_eq!(items, [1, 2, 3, 4, 5]);
        for ground in DisapprovalGround::ALL {
            let prefix =
                ["（一）", "（二）", "（三）", "（四）", "（五）"][usize::from(ground.item() - 1)];
            assert!(ground.statute_text().starts_with(prefix), "{ground}");
        }
    }

    #[test]
    fn cites_the_article_and_item() {
        assert_eq!(
            DisapprovalGround::DefectiveDocument.citation(),
            "《建设项目环境保护管理条例》第十一条第（五）项"
        );
    }
}
