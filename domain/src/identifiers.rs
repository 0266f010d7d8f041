//! Validated identifiers: the 统一社会信用代码 of an owner (GB 32100-2015) and the
//! 投资项目统一代码 of a project (GB/T 40058-2021).
use std::fmt;

/// The 31 characters a credit code may use, in value order (no I, O, S, V, Z).
pub const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 统一社会信用代码 — the unified social credit code identifying an owner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位，实际为{0}位")]
    Length(usize),
    #[error(
        "统一社会信用代码第{position}位“{found}”不是允许的字符（0-9及除I、O、S、V、Z外的大写字母）"
    )]
    Character { position: usize, found: char },
    #[error("统一社会信用代码校验位错误：应为“{expected}”，实际为“{found}”")]
    CheckCharacter { expected: char, found: char },
}

fn credit_value(c: char) -> Option<u32> {
    CREDIT_ALPHABET
        .iter()
        .position(|&a| a as char == c)
        .map(|p| p as u32)
}

impl CreditCode {
    /// Accepts lower-case letters and surrounding blanks, as people type them.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code: String = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::Length(chars.len()));
        }
        let mut values = [0u32; 18];
        for (i, &c) in chars.iter().enumerate() {
            values[i] = credit_value(c).ok_or(CreditCodeError::Character {
                position: i + 1,
                found: c,
            })?;
        }
        let expected = Self::check_value(&values[..17]);
        if values[17] != expected {
            return Err(CreditCodeError::CheckCharacter {
                expected: CREDIT_ALPHABET[expected as usize] as char,
                found: chars[17],
            });
        }
        Ok(Self(code))
    }

    fn check_value(values: &[u32]) -> u32 {
        let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
        (31 - sum % 31) % 31
    }

    /// The check character for the first 17 characters, for generating valid codes.
    pub fn check_char(first17: &str) -> Option<char> {
        let values: Option<Vec<u32>> = first17.chars().map(credit_value).collect();
        let values = values?;
        (values.len() == 17).then(|| CREDIT_ALPHABET[Self::check_value(&values) as usize] as char)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 投资项目统一代码 — `YYMM-AAAAAA-DD-TT-NNNNNN`: time code, area code (GB/T 2260),
/// department code, type code and serial number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectCodeError {
    #[error(
        "投资项目统一代码格式应为“YYMM-行政区划代码-部门代码-类型代码-六位序号”，如 2301-611000-04-01-123456"
    )]
    Shape,
    #[error("投资项目统一代码的时间码“{0}”不是有效的年月（YYMM）")]
    Month(String),
}

impl ProjectCode {
    pub fn parse(input: &str) -> Result<Self, ProjectCodeError> {
        let code = input.trim();
        let parts: Vec<&str> = code.split('-').collect();
        let widths = [4, 6, 2, 2, 6];
        if parts.len() != widths.len()
            || parts
                .iter()
                .zip(widths)
                .any(|(p, w)| p.len() != w || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ProjectCodeError::Shape);
        }
        let month: u32 = parts[0][2..].parse().map_err(|_| ProjectCodeError::Shape)?;
        if !(1..=12).contains(&month) {
            return Err(ProjectCodeError::Month(parts[0].to_owned()));
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative division code inside the project code.
    pub fn area_code(&self) -> &str {
        &self.0[5..11]
    }

    /// Whether the code's division code fits a county (GB/T 2260): the county's own, its
    /// city's (the first four digits and `00`) or its province's (the first two and `0000`).
    /// Anything else is a project of another county, which an officer must confirm.
    pub fn fits_county(&self, county_code: &str) -> bool {
        area_fits_county(self.area_code(), county_code)
    }
}

/// See [`ProjectCode::fits_county`].
pub fn area_fits_county(area: &str, county_code: &str) -> bool {
    if county_code.len() != 6 || !county_code.is_ascii() {
        return false;
    }
    area == county_code
        || area == format!("{}00", &county_code[..4])
        || area == format!("{}0000", &county_code[..2])
}

impl fmt::Display for ProjectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn credit_code_from_the_standard_is_valid() {
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        assert!(CreditCode::parse(" 91350100m000100y43 ").is_ok());
    }

    #[test]
    fn credit_code_errors_say_what_is_wrong() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(CreditCodeError::Length(17))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y4I"),
            Err(CreditCodeError::Character {
                position: 18,
                found: 'I'
            })
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
    }

    #[test]
    fn project_code_shape() {
        let code = ProjectCode::parse("2301-611000-04-01-123456").unwrap();
        assert_eq!(code.area_code(), "611000");
        assert!(
            code.fits_county("611002"),
            "the city's code fits each of its counties"
        );
        assert!(area_fits_county("611021", "611021"));
        assert!(
            area_fits_county("610000", "611021"),
            "the province's code fits"
        );
        assert!(
            !area_fits_county("611021", "611002"),
            "another county's does not"
        );
        assert!(
            !area_fits_county("610100", "611002"),
            "another city's does not"
        );
        for bad in [
            "2301-611000-04-01-12345",
            "2313-611000-04-01-123456",
            "2301611000-04-01-123456",
            "2301-61100A-04-01-123456",
            "",
        ] {
            assert!(ProjectCode::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Any 17 allowed characters plus the computed check character form a valid code, and
        /// changing the check character always breaks it.
        #[test]
        fn generated_credit_codes_round_trip(idx in proptest::collection::vec(0usize..31, 17), other in 0usize..31) {
            let first17: String = idx.iter().map(|&i| CREDIT_ALPHABET[i] as char).collect();
            let check = CreditCode::check_char(&first17).unwrap();
            let good = format!("{first17}{check}");
            prop_assert!(CreditCode::parse(&good).is_ok());
            let wrong = CREDIT_ALPHABET[other] as char;
            if wrong != check {
                let bad = format!("{first17}{wrong}");
                prop_assert!(CreditCode::parse(&bad).is_err());
            }
        }

        #[test]
        fn credit_code_parse_never_panics(s in "\\PC{0,24}") {
            let _ = CreditCode::parse(&s);
            let _ = ProjectCode::parse(&s);
        }
    }
}
