//! The leadership summary: how many ledger projects need an EIA and how many of those have been
//! accepted (受理) or decided, by count and by investment, in total and per group.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::filing::FilingState;
use super::ledger::{KeyLevel, Tier, industry_label};
use super::money::Wan;

/// The state a filing was in at the end of `as_of`, replaying its dated history, which must be in
/// the order the steps happened.
pub fn state_as_of<'a, I>(history: I, as_of: NaiveDate) -> Option<&'a str>
where
    I: IntoIterator<Item = (NaiveDate, &'a str)>,
{
    history
        .into_iter()
        .take_while(|(on, _)| *on <= as_of)
        .last()
        .map(|(_, state)| state)
}

/// Whether a stored state code counts as accepted or decided (受理或已办结); an unknown code
/// does not.
pub fn counts_as_accepted_or_decided(state: &str) -> bool {
    state
        .parse::<FilingState>()
        .is_ok_and(FilingState::counts_as_accepted_or_decided)
}

/// One project as the report sees it on the report date.
#[derive(Debug, Clone)]
pub struct ReportProject {
    pub county_code: String,
    pub county_name: String,
    pub level: KeyLevel,
    pub industry: String,
    pub investment: Wan,
    pub point_to_point: bool,
    /// The classification in force on the report date; `None` when not yet classified.
    pub tier: Option<Tier>,
    /// Whether any of its filings was accepted or decided on the report date.
    pub accepted_or_decided: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    County,
    Level,
    Tier,
    Industry,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s {
            "county" => Some(GroupBy::County),
            "level" => Some(GroupBy::Level),
            "tier" => Some(GroupBy::Tier),
            "industry" => Some(GroupBy::Industry),
            _ => None,
        }
    }

    fn key_and_label(self, p: &ReportProject) -> (String, String) {
        match self {
            GroupBy::County => (p.county_code.clone(), p.county_name.clone()),
            GroupBy::Level => (p.level.as_str().into(), p.level.label().into()),
            GroupBy::Tier => match p.tier {
                Some(t) => (t.as_str().into(), t.label().into()),
                None => ("unclassified".into(), "未分类".into()),
            },
            GroupBy::Industry => (
                p.industry.clone(),
                industry_label(&p.industry).unwrap_or("其他").into(),
            ),
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
    fn add(&mut self, p: &ReportProject) {
        self.projects += 1;
        self.total_investment =
            Wan::from_hundredths(self.total_investment.hundredths() + p.investment.hundredths());
        if p.point_to_point {
            self.point_to_point += 1;
        }
        match p.tier {
            None => self.unclassified += 1,
            Some(Tier::Exempt) => self.exempt += 1,
            Some(_) => {
                self.required += 1;
                self.required_investment = Wan::from_hundredths(
                    self.required_investment.hundredths() + p.investment.hundredths(),
                );
                if p.accepted_or_decided {
                    self.accepted_or_decided += 1;
                    self.accepted_investment = Wan::from_hundredths(
                        self.accepted_investment.hundredths() + p.investment.hundredths(),
                    );
                }
            }
        }
    }

    /// accepted_or_decided / required, rounded to four decimals; `None` when nothing is required.
    pub fn acceptance_rate(&self) -> Option<Decimal> {
        ratio(self.accepted_or_decided as i64, self.required as i64)
    }

    /// Investment of accepted-or-decided projects / investment of required projects.
    pub fn acceptance_rate_by_investment(&self) -> Option<Decimal> {
        ratio(
            self.accepted_investment.hundredths(),
            self.required_investment.hundredths(),
        )
    }
}

fn ratio(numerator: i64, denominator: i64) -> Option<Decimal> {
    (denominator > 0).then(|| (Decimal::from(numerator) / Decimal::from(denominator)).round_dp(4))
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

/// Sums the projects, and groups them when asked; groups are sorted by key and add up to the
/// totals because every project falls in exactly one group.
pub fn summarize(projects: &[ReportProject], group_by: Option<GroupBy>) -> Summary {
    let mut totals = Totals::default();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for p in projects {
        totals.add(p);
        if let Some(g) = group_by {
            let (key, label) = g.key_and_label(p);
            groups
                .entry(key.clone())
                .or_insert_with(|| Group {
                    key,
                    label,
                    totals: Totals::default(),
                })
                .totals
                .add(p);
        }
    }
    Summary {
        totals,
        groups: groups.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn project(county: &str, tier: Option<Tier>, accepted: bool, wan: i64) -> ReportProject {
        ReportProject {
            county_code: county.into(),
            county_name: county.into(),
            level: KeyLevel::Municipal,
            industry: "transport".into(),
            investment: Wan::from_hundredths(wan * 100),
            point_to_point: false,
            tier,
            accepted_or_decided: accepted,
        }
    }

    #[test]
    fn replays_history_to_the_report_date() {
        let history = [
            (d("2023-01-05"), "submitted"),
            (d("2023-01-09"), "accepted"),
            (d("2023-07-02"), "approved"),
        ];
        assert_eq!(state_as_of(history, d("2023-01-04")), None);
        assert_eq!(state_as_of(history, d("2023-01-09")), Some("accepted"));
        assert_eq!(state_as_of(history, d("2023-06-30")), Some("accepted"));
        assert_eq!(state_as_of(history, d("2023-07-02")), Some("approved"));
    }

    #[test]
    fn rate_counts_required_projects_only() {
        let projects = vec![
            project("a", Some(Tier::Exempt), false, 10),
            project("a", Some(Tier::Report), true, 30),
            project("b", Some(Tier::ReportForm), false, 10),
            project("b", None, false, 5),
        ];
        let s = summarize(&projects, Some(GroupBy::County));
        assert_eq!(s.totals.projects, 4);
        assert_eq!(s.totals.exempt, 1);
        assert_eq!(s.totals.required, 2);
        assert_eq!(s.totals.unclassified, 1);
        assert_eq!(s.totals.acceptance_rate(), Some(Decimal::new(5, 1)));
        assert_eq!(
            s.totals.acceptance_rate_by_investment(),
            Some(Decimal::new(75, 2))
        );
        assert_eq!(s.totals.total_investment.to_string(), "55.00");
        assert_eq!(s.groups.len(), 2);
        let sum: u64 = s.groups.iter().map(|g| g.totals.projects).sum();
        assert_eq!(sum, 4);
    }

    #[test]
    fn rate_of_nothing_required_is_none() {
        let s = summarize(&[project("a", Some(Tier::Exempt), false, 1)], None);
        assert_eq!(s.totals.acceptance_rate(), None);
    }

    #[test]
    fn published_rate_rounds_as_the_bureau_reports() {
        assert_eq!(ratio(153, 158), Some(Decimal::new(9684, 4)));
    }
}
