//! The leadership summary: how many ledger projects need an EIA and how many of those have been
//! accepted (受理) or decided, by count and by investment, in total and per group; and the
//! measures a drill-down lists the projects of.
//!
//! What a project counts as on a report date is decided in the database
//! (`src/services/reports.rs` holds the one SQL definition of each measure); here are the names
//! of the measures and groups, and the arithmetic of the rates.
use rust_decimal::Decimal;

use super::ledger::{KeyLevel, Tier, industry_label};
use super::money::Wan;
use crate::names::{UnknownCode, named_enum};

/// What the report groups projects by. Every project falls in exactly one group (a project on
/// both key-project lists counts as provincial), so the groups add up to the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    County,
    Level,
    Tier,
    Industry,
}

named_enum!(GroupBy {
    County => "county", "县区";
    Level => "level", "重点项目级别";
    Tier => "tier", "环评类别";
    Industry => "industry", "行业";
});

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        s.parse().ok()
    }

    /// The group key of projects that are not classified on the report date (`GroupBy::Tier`).
    pub const UNCLASSIFIED: &'static str = "unclassified";

    /// The label of a group's key for the groupings whose keys are codes of this crate: key
    /// levels, tiers (and [`GroupBy::UNCLASSIFIED`]) and industries. `None` for a key that is not
    /// one of them, and for counties, whose names are data.
    pub fn label_of(self, key: &str) -> Option<&'static str> {
        match self {
            GroupBy::County => None,
            GroupBy::Level => key.parse::<KeyLevel>().ok().map(KeyLevel::label),
            GroupBy::Tier if key == Self::UNCLASSIFIED => Some("未分类"),
            GroupBy::Tier => Tier::parse(key).map(Tier::label),
            GroupBy::Industry => industry_label(key),
        }
    }

    /// The keys a group of this grouping may have, when they are fixed (all but counties).
    pub fn fixed_keys(self) -> Option<Vec<&'static str>> {
        match self {
            GroupBy::County => None,
            GroupBy::Level => Some(KeyLevel::ALL.iter().map(|l| l.as_str()).collect()),
            GroupBy::Tier => Some(
                Tier::ALL
                    .iter()
                    .map(|t| t.as_str())
                    .chain([Self::UNCLASSIFIED])
                    .collect(),
            ),
            GroupBy::Industry => Some(
                super::ledger::INDUSTRIES
                    .iter()
                    .map(|(key, _)| *key)
                    .collect(),
            ),
        }
    }
}

/// One figure of the summary whose projects a drill-down lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Every project in the ledger on the report date.
    Projects,
    /// Classified as exempt (不纳入环评管理) on the report date.
    Exempt,
    /// Classified as needing a report, report form or registration form on the report date.
    Required,
    /// Not classified by the report date.
    Unclassified,
    /// Served point to point.
    PointToPoint,
    /// Required, and a filing of it accepted or decided by the report date.
    AcceptedOrDecided,
    /// Required, and no filing of it accepted or decided by the report date.
    NotAccepted,
}

named_enum!(Measure {
    Projects => "projects", "台账项目";
    Exempt => "exempt", "豁免项目";
    Required => "required", "应办环评项目";
    Unclassified => "unclassified", "未分类项目";
    PointToPoint => "point_to_point", "点对点服务项目";
    AcceptedOrDecided => "accepted_or_decided", "已受理或已办结项目";
    NotAccepted => "not_accepted", "应办未受理项目";
});

impl Measure {
    pub fn parse(s: &str) -> Option<Measure> {
        s.parse().ok()
    }

    /// The summary's figure for this measure (`not_accepted` is `required − accepted_or_decided`).
    pub fn figure(self, t: &Totals) -> u64 {
        match self {
            Measure::Projects => t.projects,
            Measure::Exempt => t.exempt,
            Measure::Required => t.required,
            Measure::Unclassified => t.unclassified,
            Measure::PointToPoint => t.point_to_point,
            Measure::AcceptedOrDecided => t.accepted_or_decided,
            Measure::NotAccepted => t.required - t.accepted_or_decided,
        }
    }
}

/// Counts and sums for a set of projects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub projects: u64,
    pub exempt: u64,
    pub required: u64,
    pub unclassified: u64,
    pub point_to_point: u64,
    pub accepted_or_decided: u64,
    pub total_investment: Wan,
    pub required_investment: Wan,
    pub accepted_investment: Wan,
}

impl Totals {
    /// accepted_or_decided / required, rounded half up to four decimals; `None` when nothing is
    /// required.
    pub fn acceptance_rate(&self) -> Option<Decimal> {
        rate(
            i128::from(self.accepted_or_decided),
            i128::from(self.required),
        )
    }

    /// Investment of accepted-or-decided projects / investment of required projects, rounded
    /// the same way.
    pub fn acceptance_rate_by_investment(&self) -> Option<Decimal> {
        rate(
            i128::from(self.accepted_investment.hundredths()),
            i128::from(self.required_investment.hundredths()),
        )
    }
}

/// Decimal places of a published rate.
pub const RATE_DECIMALS: u32 = 4;

/// `numerator / denominator` rounded half up (四舍五入, as Chinese statistics are published) to
/// [`RATE_DECIMALS`] places, in exact integer arithmetic: 29/32 = 0.90625 → 0.9063. `None` when
/// the denominator is not positive or the numerator is negative (no rate of nothing).
pub fn rate(numerator: i128, denominator: i128) -> Option<Decimal> {
    if denominator <= 0 || numerator < 0 {
        return None;
    }
    let scale = 10_i128.pow(RATE_DECIMALS);
    // floor(n·scale/d + 1/2) = floor((2·n·scale + d) / 2d)
    let units = (2 * numerator * scale + denominator) / (2 * denominator);
    Decimal::try_from_i128_with_scale(units, RATE_DECIMALS).ok()
}

#[derive(Debug, Clone)]
pub struct Group {
    pub key: String,
    pub label: String,
    pub totals: Totals,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub totals: Totals,
    pub groups: Vec<Group>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(units: i64) -> Option<Decimal> {
        Some(Decimal::new(units, RATE_DECIMALS))
    }

    #[test]
    fn published_rate_rounds_as_the_bureau_reports() {
        assert_eq!(rate(153, 158), r(9684));
    }

    #[test]
    fn a_rate_exactly_half_way_rounds_up() {
        // 29/32 = 0.90625: half up gives 0.9063 where banker's rounding would give 0.9062.
        assert_eq!(rate(29, 32), r(9063));
        // 0.00005 → 0.0001; 0.00015 → 0.0002; 0.99995 → 1.0000.
        assert_eq!(rate(1, 20_000), r(1));
        assert_eq!(rate(3, 20_000), r(2));
        assert_eq!(rate(19_999, 20_000), r(10_000));
        // Below half, down; above half, up.
        assert_eq!(rate(1, 3), r(3333));
        assert_eq!(rate(2, 3), r(6667));
        assert_eq!(rate(0, 7), r(0));
        assert_eq!(rate(7, 7), r(10_000));
        assert_eq!(
            rate(29, 32).map(|d| d.to_string()),
            Some("0.9063".to_string())
        );
    }

    #[test]
    fn a_rate_of_investment_is_exact_for_large_sums() {
        // Hundredths of 万元 for a whole province's ledger: still exact.
        let required = 1_005_404_678_i128 * 1_000;
        let accepted = required / 2 + 5; // just above one half
        assert_eq!(rate(accepted, required), r(5000));
        assert_eq!(rate(required * 90_625, required * 100_000), r(9063));
    }

    #[test]
    fn no_rate_of_nothing() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, -1), None);
        assert_eq!(Totals::default().acceptance_rate(), None);
        assert_eq!(Totals::default().acceptance_rate_by_investment(), None);
    }

    #[test]
    fn rates_of_totals() {
        let t = Totals {
            required: 32,
            accepted_or_decided: 29,
            required_investment: Wan::from_hundredths(400),
            accepted_investment: Wan::from_hundredths(300),
            ..Totals::default()
        };
        assert_eq!(t.acceptance_rate(), r(9063));
        assert_eq!(t.acceptance_rate_by_investment(), r(7500));
        assert_eq!(Measure::NotAccepted.figure(&t), 3);
        assert_eq!(Measure::Required.figure(&t), 32);
    }

    #[test]
    fn measures_and_groups_by_code() {
        for m in Measure::ALL {
            assert_eq!(Measure::parse(m.as_str()), Some(m));
        }
        assert_eq!(Measure::parse("colour"), None);
        assert_eq!(GroupBy::parse("county"), Some(GroupBy::County));
        assert_eq!(GroupBy::parse("colour"), None);
        assert_eq!(GroupBy::Level.label_of("provincial"), Some("省级重点项目"));
        assert_eq!(GroupBy::Tier.label_of("unclassified"), Some("未分类"));
        assert_eq!(GroupBy::Tier.label_of("report"), Some("报告书"));
        assert_eq!(GroupBy::Industry.label_of("transport"), Some("交通运输"));
        assert_eq!(GroupBy::Tier.label_of("colour"), None);
        assert_eq!(GroupBy::County.fixed_keys(), None);
        assert_eq!(
            GroupBy::Level.fixed_keys(),
            Some(vec!["provincial", "municipal", "other"])
        );
        assert!(
            GroupBy::Tier
                .fixed_keys()
                .unwrap()
                .contains(&"unclassified")
        );
    }
}
