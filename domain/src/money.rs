//! Exact money: investments in 万元 with two decimals, held as an integer count of hundredths
//! (one unit = 100 yuan). Never floating point.
use std::fmt;
use std::iter::Sum;
use std::str::FromStr;

/// An amount in 万元, exact to 0.01 万元.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Wan(i64);

/// The largest amount accepted for one project: 1 万亿元, far above any city's key project, and
/// low enough that summing a million projects cannot overflow.
pub const MAX_PROJECT_WAN: Wan = Wan(100_000_000 * 100);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WanError {
    #[error("金额应为以万元计的非负数，最多两位小数，如 \"12345.67\"")]
    Malformed,
    #[error("金额不能为负数")]
    Negative,
    #[error("金额最多两位小数（0.01万元）")]
    TooPrecise,
    #[error("金额超出上限（1万亿元）")]
    TooLarge,
}

impl Wan {
    pub const ZERO: Wan = Wan(0);

    pub const fn from_hundredths(h: i64) -> Self {
        Self(h)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses a decimal amount such as `12345.67`, `12345.6`, `12345`.
    pub fn parse(input: &str) -> Result<Self, WanError> {
        let s = input.trim();
        if s.starts_with('-') {
            return Err(WanError::Negative);
        }
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s, ""),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(WanError::Malformed);
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
            return Err(WanError::Malformed);
        }
        let frac_trimmed = frac.trim_end_matches('0');
        if frac_trimmed.len() > 2 {
            return Err(WanError::TooPrecise);
        }
        let whole_digits = whole.trim_start_matches('0');
        if whole_digits.len() > 12 {
            return Err(WanError::TooLarge);
        }
        let whole: i64 = if whole_digits.is_empty() {
            0
        } else {
            whole_digits.parse().map_err(|_| WanError::Malformed)?
        };
        let mut cents: i64 = 0;
        for (i, b) in frac_trimmed.bytes().enumerate() {
            cents += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let value = Wan(whole * 100 + cents);
        if value > MAX_PROJECT_WAN {
            return Err(WanError::TooLarge);
        }
        Ok(value)
    }

    pub fn checked_add(self, other: Wan) -> Option<Wan> {
        self.0.checked_add(other.0).map(Wan)
    }

    /// The amount in 亿元 with two decimals, rounded half up (1 亿元 = 10,000 万元).
    pub fn yi_display(self) -> String {
        let hundredths_of_yi = (self.0 + 5_000) / 10_000;
        format!("{}.{:02}", hundredths_of_yi / 100, hundredths_of_yi % 100)
    }
}

impl fmt::Display for Wan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Wan {
    type Err = WanError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Wan::parse(s)
    }
}

impl Sum for Wan {
    fn sum<I: Iterator<Item = Wan>>(iter: I) -> Wan {
        Wan(iter.map(|w| w.0).sum())
    }
}

impl serde::Serialize for Wan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts a decimal string (preferred: `"12345.67"`) or a JSON number. A JSON number is read
/// through its shortest decimal form, so `12345.67` means exactly 12345.67.
impl<'de> serde::Deserialize<'de> for Wan {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Wan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in 万元 as a decimal string such as \"12345.67\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Wan, E> {
                Wan::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Wan, E> {
                Wan::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Wan, E> {
                Wan::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Wan, E> {
                if !v.is_finite() {
                    return Err(E::custom(WanError::Malformed));
                }
                Wan::parse(&v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl utoipa::PartialSchema for Wan {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("Amount in 万元 with exactly two decimals"))
            .examples([serde_json::json!("12345.67")])
            .into()
    }
}

impl utoipa::ToSchema for Wan {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_exactly() {
        assert_eq!(
            Wan::parse("12042300.00").unwrap().hundredths(),
            1_204_230_000
        );
        assert_eq!(Wan::parse("0.5").unwrap().to_string(), "0.50");
        assert_eq!(Wan::parse("7").unwrap().to_string(), "7.00");
        assert_eq!(Wan::parse("1.230").unwrap().to_string(), "1.23");
        assert_eq!(Wan::from_hundredths(1_204_230_000).yi_display(), "1204.23");
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!(Wan::parse("-1"), Err(WanError::Negative));
        assert_eq!(Wan::parse("1.234"), Err(WanError::TooPrecise));
        assert_eq!(Wan::parse("abc"), Err(WanError::Malformed));
        assert_eq!(Wan::parse("1."), Err(WanError::Malformed));
        assert_eq!(Wan::parse(""), Err(WanError::Malformed));
        assert_eq!(Wan::parse("1e5"), Err(WanError::Malformed));
        assert_eq!(Wan::parse("100000000.01"), Err(WanError::TooLarge));
    }

    #[test]
    fn json_numbers_and_strings() {
        let w: Wan = serde_json::from_str("12345.67").unwrap();
        assert_eq!(w.hundredths(), 1_234_567);
        let w: Wan = serde_json::from_str("\"0.10\"").unwrap();
        assert_eq!(w.hundredths(), 10);
        assert!(serde_json::from_str::<Wan>("-3").is_err());
        assert!(serde_json::from_str::<Wan>("true").is_err());
        assert_eq!(
            serde_json::to_string(&Wan::from_hundredths(5)).unwrap(),
            "\"0.05\""
        );
    }

    proptest! {
        #[test]
        fn display_round_trips(h in 0i64..=MAX_PROJECT_WAN.hundredths()) {
            let w = Wan::from_hundredths(h);
            prop_assert_eq!(Wan::parse(&w.to_string()), Ok(w));
        }
    }
}
