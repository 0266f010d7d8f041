//! The materials a submission must carry (申报材料), per tier: a setting, with defaults that
//! follow the usual list of a Shaanxi service guide. A registration form is filed online with
//! none.
use serde::{Deserialize, Serialize};

use super::Tier;
use crate::FieldError;
use crate::names::{UnknownCode, named_enum};

/// One kind of material a filing's document may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Material {
    /// 建设项目环境影响评价文件审批申请（申请函）.
    ApplicationLetter,
    /// 环境影响报告书（表）全本.
    FullText,
    /// 环境影响报告书（表）公开版 — the copy for public disclosure, redactions allowed.
    PublicCopy,
    /// 公众参与说明 (报告书 only, 《环境影响评价公众参与办法》).
    PublicParticipation,
    /// 其他材料.
    Other,
}

named_enum!(Material {
    ApplicationLetter => "application_letter", "审批申请函";
    FullText => "full_text", "环评文件全本";
    PublicCopy => "public_copy", "环评文件公开版";
    PublicParticipation => "public_participation", "公众参与说明";
    Other => "other", "其他材料";
});

/// The materials each tier's submission must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RequiredMaterials {
    pub report: Vec<Material>,
    pub report_form: Vec<Material>,
    pub registration_form: Vec<Material>,
}

impl Default for RequiredMaterials {
    fn default() -> Self {
        use Material::*;
        RequiredMaterials {
            report: vec![ApplicationLetter, FullText, PublicCopy, PublicParticipation],
            report_form: vec![ApplicationLetter, FullText, PublicCopy],
            registration_form: Vec::new(),
        }
    }
}

impl RequiredMaterials {
    pub fn of(&self, tier: Tier) -> &[Material] {
        match tier {
            Tier::Report => &self.report,
            Tier::ReportForm => &self.report_form,
            Tier::RegistrationForm => &self.registration_form,
        }
    }

    /// What `tier` requires that `present` lacks, in the order the setting lists them.
    pub fn missing(&self, tier: Tier, present: &[Material]) -> Vec<Material> {
        self.of(tier)
            .iter()
            .filter(|m| !present.contains(m))
            .copied()
            .collect()
    }
}

/// The 422 of a submission without its materials: one field error per missing material, and
/// the sentence listing them.
pub fn missing_materials_error(missing: &[Material]) -> Vec<FieldError> {
    let names: Vec<&str> = missing.iter().map(|m| m.label()).collect();
    let mut errors = vec![FieldError::new(
        "documents",
        format!(
            "申报材料不全，缺少：{}（请上传并注明材料类别 material）",
            names.join("、")
        ),
    )];
    errors.extend(missing.iter().map(|m| {
        FieldError::new(
            format!("documents.{}", m.as_str()),
            format!("缺少{}", m.label()),
        )
    }));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_ask_a_report_for_four_materials_and_a_registration_form_for_none() {
        let r = RequiredMaterials::default();
        assert_eq!(r.of(Tier::Report).len(), 4);
        assert!(r.of(Tier::RegistrationForm).is_empty());
        assert_eq!(
            r.missing(Tier::ReportForm, &[Material::FullText]),
            [Material::ApplicationLetter, Material::PublicCopy]
        );
        let errors = missing_materials_error(&[Material::PublicCopy]);
        assert!(errors[0].message.contains("环评文件公开版"));
        assert_eq!(errors[1].field, "documents.public_copy");
    }
}
