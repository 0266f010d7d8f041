//! Decision and receipt numbers such as 商环批复〔2023〕12号: a per-year sequence written into a
//! format with `{year}` and `{seq}`, and read back from a number recorded off paper.
use serde::{Deserialize, Serialize};

use crate::names::{UnknownCode, named_enum};

/// Which sequence a number is drawn from; each runs per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// 批复文号 — an approval or a disapproval.
    Decision,
    /// 登记表备案号 — a filed registration form.
    Registration,
}

named_enum!(NumberKind {
    Decision => "decision", "批复文号";
    Registration => "registration", "备案号";
});

/// The number for `seq` in `year`.
pub fn format_number(format: &str, year: i32, seq: i32) -> String {
    format
        .replace("{year}", &year.to_string())
        .replace("{seq}", &seq.to_string())
}

/// The sequence number inside `number`, if it is written in `format` for `year`.
pub fn parse_number(format: &str, year: i32, number: &str) -> Option<i32> {
    let pattern = format.replace("{year}", &year.to_string());
    let (prefix, suffix) = pattern.split_once("{seq}")?;
    let digits = number.trim().strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMAT: &str = "商环批复〔{year}〕{seq}号";

    #[test]
    fn numbers_round_trip() {
        assert_eq!(format_number(FORMAT, 2023, 12), "商环批复〔2023〕12号");
        assert_eq!(parse_number(FORMAT, 2023, "商环批复〔2023〕12号"), Some(12));
    }

    #[test]
    fn other_years_and_shapes_are_not_read() {
        assert_eq!(parse_number(FORMAT, 2024, "商环批复〔2023〕12号"), None);
        assert_eq!(parse_number(FORMAT, 2023, "商环函〔2023〕12号"), None);
        assert_eq!(parse_number(FORMAT, 2023, "商环批复〔2023〕号"), None);
        assert_eq!(parse_number(FORMAT, 2023, "商环批复〔2023〕1a号"), None);
        assert_eq!(parse_number("no seq here", 2023, "x"), None);
    }
}
