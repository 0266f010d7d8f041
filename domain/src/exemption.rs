//! Policy exemptions (政策豁免): documents such as 环综合〔2020〕13号 that free listed project
//! types from EIA procedures. Which item of a document covers a classified project is decided
//! here; the documents themselves are data an administrator keeps.
use serde::{Deserialize, Serialize};

use super::FieldError;
use super::ledger::Tier;
use super::names::{UnknownCode, named_enum};

/// Whose document it is: the State Council's ministries, the province or the city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    National,
    Provincial,
    Municipal,
}

named_enum!(Jurisdiction {
    National => "national", "国家";
    Provincial => "provincial", "省级";
    Municipal => "municipal", "市级";
});

/// What an item does to the projects it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExemptionEffect {
    /// 豁免环评手续 — no EIA procedure at all; the project counts as exempt.
    Exempt,
    /// 告知承诺制 — approval on the owner's written commitment; still an EIA procedure.
    Commitment,
}

/// One entry of a document's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionItem {
    /// The item's short name within the document.
    pub code: String,
    /// Catalogue rows (2021) the item covers; empty means any row.
    #[serde(default)]
    pub rows: Vec<u16>,
    /// The tiers, as the catalogue gives them, that the item frees.
    pub tiers: Vec<Tier>,
    pub effect: ExemptionEffect,
    pub description: String,
}

/// Checks a document's items as an administrator enters them.
pub fn validate_items(items: &[ExemptionItem]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if items.is_empty() {
        errors.push(FieldError::new("items", "至少需要一个条目"));
    }
    for (i, item) in items.iter().enumerate() {
        if item.code.trim().is_empty() {
            errors.push(FieldError::new(
                format!("items[{i}].code"),
                "条目名称不能为空",
            ));
        }
        if item.description.trim().is_empty() {
            errors.push(FieldError::new(
                format!("items[{i}].description"),
                "条目说明不能为空",
            ));
        }
        if let Some(row) = item.rows.iter().find(|r| !(1..=173).contains(*r)) {
            errors.push(FieldError::new(
                format!("items[{i}].rows"),
                format!("名录行号{row}不存在（应为1–173）"),
            ));
        }
        if item.tiers.is_empty() || item.tiers.contains(&Tier::Exempt) {
            errors.push(FieldError::new(
                format!("items[{i}].tiers"),
                "应列出该条目适用的环评类别（registration_form、report_form 或 report）",
            ));
        }
    }
    errors
}

/// The item of a document that makes a project of these rows and this catalogue tier exempt.
pub fn exempting_item<'a>(
    items: &'a [ExemptionItem],
    rows: &[u16],
    tier: Tier,
) -> Option<&'a ExemptionItem> {
    items.iter().find(|item| {
        item.effect == ExemptionEffect::Exempt
            && item.tiers.contains(&tier)
            && (item.rows.is_empty() || item.rows.iter().any(|r| rows.contains(r)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(rows: &[u16], tiers: &[Tier], effect: ExemptionEffect) -> ExemptionItem {
        ExemptionItem {
            code: "x".into(),
            rows: rows.to_vec(),
            tiers: tiers.to_vec(),
            effect,
            description: "d".into(),
        }
    }

    #[test]
    fn an_item_covers_its_rows_and_tiers_only() {
        let items = [item(
            &[131],
            &[Tier::RegistrationForm],
            ExemptionEffect::Exempt,
        )];
        assert!(exempting_item(&items, &[131], Tier::RegistrationForm).is_some());
        assert!(exempting_item(&items, &[131], Tier::ReportForm).is_none());
        assert!(exempting_item(&items, &[130], Tier::RegistrationForm).is_none());
        assert!(exempting_item(&items, &[130, 131], Tier::RegistrationForm).is_some());
    }

    #[test]
    fn commitment_items_do_not_exempt() {
        let items = [item(&[], &[Tier::ReportForm], ExemptionEffect::Commitment)];
        assert!(exempting_item(&items, &[55], Tier::ReportForm).is_none());
    }

    #[test]
    fn validation_names_the_item() {
        let errors = validate_items(&[item(&[0], &[], ExemptionEffect::Exempt)]);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["items[0].rows", "items[0].tiers"]);
        assert_eq!(validate_items(&[]).len(), 1);
    }

    #[test]
    fn the_shipped_list_is_valid() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../resources/policy-exemptions.json"
        ));
        let docs: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
        for doc in docs {
            let items: Vec<ExemptionItem> = serde_json::from_value(doc["items"].clone()).unwrap();
            assert!(validate_items(&items).is_empty());
        }
    }
}
