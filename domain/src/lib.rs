//! Pure rules of the EIA domain: classification, the filing state machine and its clocks, the
//! working-day calendar, identifiers, money, roles, the ledger's vocabulary and the
//! acceptance-rate arithmetic. A crate of its own, so nothing here can reach the database or
//! HTTP; the optional `sea-orm` feature only lets entity columns hold these enums.
pub mod calendar;
pub mod classification;
pub mod exemption;
pub mod filing;
pub mod identifiers;
pub mod ledger;
pub mod money;
pub mod names;
pub mod point_to_point;
pub mod publication;
pub mod report;
pub mod role;
pub mod sort_key;

/// One problem with one input field, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The earliest date the service records anything on: the day the EIA Law (《中华人民共和国环境
/// 影响评价法》) came into force. A ledger date or a step before it is a typing error (a year
/// `0001`, `1023` for `2023`), refused rather than stored.
pub const EARLIEST_DATE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2003, 9, 1) {
    Some(date) => date,
    None => panic!("a valid date"),
};

/// What is wrong with a date something happened on, if anything: not after `today`, not
/// before [`EARLIEST_DATE`].
pub fn past_date_problem(
    date: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Option<&'static str> {
    if date > today {
        Some("日期不能晚于今天")
    } else if date < EARLIEST_DATE {
        Some("日期不能早于2003年9月1日（环境影响评价法施行之日）")
    } else {
        None
    }
}

/// Whether `c` reorders text around it when shown: the bidirectional embeddings, overrides and
/// isolates and the directional marks. In a name they make `\u{202e}gnp.pdf` show as `fdp.png`.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What is wrong with text that must stay on one line as written (a name, a file name): line
/// breaks, tabs or other control characters, or characters that reorder its display.
pub fn one_line_problem(text: &str) -> Option<&'static str> {
    if text.chars().any(char::is_control) {
        Some("不能含换行、制表符或其他控制字符")
    } else if text.chars().any(is_bidi_control) {
        Some("不能含改变文字方向的控制字符（如 U+202E）")
    } else {
        None
    }
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn names_stay_on_one_line_and_in_order() {
        assert_eq!(one_line_problem("商州区城市污水处理厂（三期） 扩建"), None);
        assert!(one_line_problem("第一行\r\n第二行").is_some());
        assert!(one_line_problem("a\u{0}b").is_some());
        assert!(one_line_problem("\u{202e}gnp.pdf").is_some());
        assert!(one_line_problem("x\u{2067}y").is_some());
    }

    #[test]
    fn dates_fall_between_the_eia_law_and_today() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(past_date_problem(day(2023, 6, 30), today), None);
        assert_eq!(past_date_problem(EARLIEST_DATE, today), None);
        assert!(past_date_problem(day(1, 1, 1), today).is_some());
        assert!(past_date_problem(day(2003, 8, 31), today).is_some());
        assert!(past_date_problem(day(2026, 12, 3), today).is_some());
    }
}
